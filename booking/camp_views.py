"""The family's side of the summer camp: the camp page, the application form, and the
application's own page behind its secret link (status per child, offers, withdrawing,
changing details, my data, deleting).

Thin: booking/camp.py decides and writes; booking/camp_forms.py reads the forms; tokens.py
opens an application from its link. Pages behind the link are personal, like a
registration's (booking/views.py PERSONAL): never cached, no referrer.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_interval
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from tortoise import timezone

from booking import camp, camp_forms, camp_messages, capacity, registrations, tokens, waitlist
from booking.models import (
    ApplicationStatus,
    Camp,
    CampApplication,
    Child,
    LanguageLevel,
    Registration,
    RegistrationStatus,
    Swimming,
)
from booking.views import FORM_HEADERS, PERSONAL, REGISTER_LIMIT
from events.models import Event, EventText, Occurrence
from events.services import LOCAL, pick_text
from venskab import i18n, security, settings
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_, current_language
from venskab.models import OutboxMessage
from venskab.settings import BASE_URL
from venskab.web import cached, environment, lang_url, render

Status = RegistrationStatus

NOTICES = {
    "applied": N_(
        "Thank you: we have received your application and sent it to your email address "
        "with the link to this page. Keep the email: with its link you can come back here."
    ),
    "withdrawn": N_("Done: the children are withdrawn, and their places go to the waitlist."),
    "confirmed": N_("Your places are confirmed. See you at the camp!"),
    "contact-saved": N_("Your contact details are saved."),
    "child-saved": N_("The child's details are saved."),
}
SWIMMING = {
    Swimming.CANNOT: N_("Cannot swim"),
    Swimming.WITH_AID: N_("Swims with armbands or a float"),
    Swimming.BEGINNER: N_("Swims a few metres alone"),
    Swimming.CONFIDENT: N_("Swims 25 metres or more"),
}
LEVELS = {
    LanguageLevel.NONE: N_("None"),
    LanguageLevel.SOME: N_("A few words"),
    LanguageLevel.GOOD: N_("Good"),
    LanguageLevel.FLUENT: N_("Fluent"),
}


def session_days(session: Occurrence) -> str:
    """A session's days in the reader's language: "6–10 July 2027"."""
    first = session.starts_at.astimezone(LOCAL).date()
    last = session.ends_at.astimezone(LOCAL).date()
    locale = i18n.BABEL_LOCALES[current_language.get()]
    return format_interval(first, last, "yMMMMd", locale=locale)


def choices(kind: str) -> list[tuple[str, str]]:
    """A select's (value, text) pairs in the reader's language: "swimming" or "level"."""
    labels = SWIMMING if kind == "swimming" else LEVELS
    return [(value.value, i18n.gettext(text)) for value, text in labels.items()]


environment.filters["camp_days"] = session_days
environment.globals["camp_choices"] = choices


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# ---------------------------------------------------------------- the camp and its window


@dataclass(frozen=True)
class Window:
    state: str  # "soon", "open" or "closed"
    message: str = ""  # why it is not open (an English msgid)


def window(camp_row: Camp, now: datetime) -> Window:
    """The domain's own check (camp.check_open), said as the pages say it."""
    try:
        camp.check_open(camp_row, now)
    except Conflict as refused:
        opens = camp_row.applications_open_at
        return Window("soon" if opens is None or now < opens else "closed", refused.message)
    return Window("open")


async def _camp_context(slug: str, now: datetime) -> dict[str, Any]:
    """The camp, its text in the reader's language, its sessions with week numbers and places."""
    camp_row, event = await camp.public_camp(slug)
    texts = await EventText.filter(event=event)
    sessions = await Occurrence.filter(
        id__in=[s.id for s in await camp.sessions_of(camp_row)]
    ).select_related("venue")
    return {
        "camp": camp_row,
        "event": event,
        "text": pick_text(texts, current_language.get()),
        "sessions": sessions,
        "weeks": await camp_messages.week_numbers(event.id),
        "seats": await capacity.availabilities(sessions, now),
        "window": window(camp_row, now),
    }


async def camp_page(request: Request) -> Response:
    """The camp: its weeks with dates, ages, places and fee, how places are given, and
    whether (and until when) families can apply."""
    context = await _camp_context(request.path_params["slug"], timezone.now())
    return render(request, "camp/camp.html", context)


# ---------------------------------------------------------------- applying


async def apply_page(request: Request) -> Response:
    """The form (GET ?children=N shows N child blocks). POST: "add"/"remove-N" re-render the
    form with every value kept; otherwise apply, and go to the application's page."""
    now = timezone.now()
    context = await _camp_context(request.path_params["slug"], now)
    camp_row: Camp = context["camp"]
    language = current_language.get()
    if request.method == "GET":
        if context["window"].state != "open" or not context["sessions"]:
            return render(request, "camp/closed.html", context)
        count = camp_forms.child_count(
            request.query_params.get("children", ""), camp_row.max_children
        )
        values = camp_forms.initial_values(language)
        return _form(request, context, values, {}, count)
    form = await security.read_form(request)
    submitted = camp_forms.read_application(form, now.astimezone(LOCAL).date())
    action = str(form.get("action", ""))
    if action == "add":
        count = min(max(submitted.count, 1) + 1, camp_row.max_children)
        return _form(request, context, submitted.values, {}, count)
    if action.startswith("remove-") and action[7:].isdigit() and submitted.count > 1:
        values = camp_forms.without_child(submitted.values, int(action[7:]), submitted.count)
        return _form(request, context, values, {}, submitted.count - 1)
    await security.rate_limit("camp-apply", _client(request), *REGISTER_LIMIT, now)
    return await _apply(request, context, submitted, now)


async def _apply(
    request: Request, context: dict[str, Any], submitted: camp_forms.Submitted, now: datetime
) -> Response:
    count = max(submitted.count, 1)
    state = context["window"]
    if submitted.errors and state.state != "open":
        return _form(request, context, submitted.values, {"": state.message}, count, 409)
    if submitted.errors:
        errors = submitted.errors | camp.validate(
            submitted.application, context["camp"], context["sessions"]
        )
        return _form(request, context, submitted.values, errors, count, 400)
    try:
        applied = await camp.apply(context["camp"], submitted.application, now)
    except Invalid as error:
        return _form(request, context, submitted.values, error.errors, count, 400)
    except Conflict as error:  # the window closed (or had not opened) meanwhile
        return _form(request, context, submitted.values, {"": error.message}, count, 409)
    token = tokens.application_token(applied.application)
    return RedirectResponse(lang_url(f"camp/applications/{token}", done="applied"), 303)


def _form(
    request: Request,
    context: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    count: int,
    status_code: int = 200,
) -> Response:
    today = timezone.now().astimezone(LOCAL).date()
    page = {
        **context,
        "values": values,
        "errors": camp_forms.in_page_order(errors, count),
        "count": min(count, camp_forms.MOST_BLOCKS),
        "choices": min(camp_forms.CHOICES, len(context["sessions"])),
        "today": today.isoformat(),
        "retention": {
            "medical": settings.CAMP_MEDICAL_RETENTION_DAYS,
            "personal": settings.PERSONAL_RETENTION_DAYS,
        },
        "csrf_token": security.csrf_token(request),
        "idempotency_key": secrets.token_urlsafe(24),
    }
    return render(request, "camp/apply.html", page, status_code, headers=FORM_HEADERS)


# ---------------------------------------------------------------- behind the link


@dataclass(frozen=True)
class ChildState:
    """A child's place as the family reads it."""

    child: Child
    state: str  # placed, waitlisted, offered, draw, unplaced, expired, cancelled, withdrawn
    session: Occurrence | None = None
    position: int | None = None  # waitlisted
    deadline: datetime | None = None  # offered


async def _state(child: Child, application: CampApplication, now: datetime) -> ChildState:
    registration: Registration | None = child.registration
    if child.withdrawn_at is not None:
        return ChildState(child, "withdrawn")
    if registration is None:
        waiting = application.status == ApplicationStatus.SUBMITTED
        return ChildState(child, "draw" if waiting else "unplaced")
    session = registration.occurrence
    status = registrations.current_status(registration, now)
    if status == Status.CONFIRMED:
        return ChildState(child, "placed", session)
    if status == Status.WAITLISTED:
        return ChildState(child, "waitlisted", session, await waitlist.position(registration))
    if status in (Status.OFFERED, Status.HELD):
        return ChildState(child, "offered", session, deadline=registration.expires_at)
    return ChildState(child, "expired" if status == Status.EXPIRED else "cancelled", session)


async def _application(request: Request) -> tuple[CampApplication, Camp, Event, str]:
    token = request.path_params["token"]
    application = await tokens.by_application_token(token)
    camp_row = await Camp.get(id=application.camp_id)  # type: ignore[attr-defined]
    event = await Event.get(id=camp_row.event_id)  # type: ignore[attr-defined]
    return application, camp_row, event, token


def _edits_until(camp_row: Camp, sessions: list[Occurrence]) -> datetime | None:
    """When changes close: the camp's deadline, or the start of its first week (camp.edits_open)."""
    return camp_row.edits_close_at or min((s.starts_at for s in sessions), default=None)


async def _personal_context(
    application: CampApplication, camp_row: Camp, event: Event, token: str, now: datetime
) -> dict[str, Any]:
    texts = await EventText.filter(event=event)
    sessions = await camp.sessions_of(camp_row)
    children = await camp.application_children(application)
    states = [await _state(child, application, now) for child in children]
    active = application.status not in (ApplicationStatus.WITHDRAWN, ApplicationStatus.DELETED)
    return {
        "application": application,
        "camp": camp_row,
        "event": event,
        "text": pick_text(texts, current_language.get()),
        "states": states,
        "weeks": await camp_messages.week_numbers(event.id),
        "active": active,
        "edits_open": active and camp.edits_open(camp_row, sessions, now),
        "edits_until": _edits_until(camp_row, sessions),
        "over": not any(s.ends_at > now for s in sessions),
        "token": token,
        "base": f"camp/applications/{token}",
    }


async def application_page(request: Request) -> Response:
    """The application: each child's place, offers to confirm, details, and what the family
    can do (withdraw, change details, download, delete)."""
    application, camp_row, event, token = await _application(request)
    if application.status == ApplicationStatus.DELETED:
        texts = await EventText.filter(event=event)
        context = {"event": event, "text": pick_text(texts, current_language.get())}
        return render(request, "camp/deleted.html", context, headers=PERSONAL)
    context = await _personal_context(application, camp_row, event, token, timezone.now())
    offers: dict[int, list[ChildState]] = {}
    for state in context["states"]:
        if state.state == "offered":
            offers.setdefault(state.child.registration.id, []).append(state)  # type: ignore[union-attr]
    context |= {
        "offers": offers,
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "csrf_token": security.csrf_token(request),
    }
    return render(request, "camp/application.html", context, headers=PERSONAL)


async def confirm_page(request: Request) -> Response:
    """The family takes the places offered from the waitlist (one registration's)."""
    application, _, _, token = await _application(request)
    form = await security.read_form(request)
    registration_id = str(form.get("registration", ""))
    if not camp_forms.ID.match(registration_id):
        raise NotFound(N_("We could not find that offer."))
    await camp.confirm_offer(application, int(registration_id), timezone.now())
    return RedirectResponse(lang_url(f"camp/applications/{token}", done="confirmed"), 303)


async def withdraw_page(request: Request) -> Response:
    """ "Are you sure?" for one child (?child=ID) or all of them; POST withdraws."""
    application, camp_row, event, token = await _application(request)
    now = timezone.now()
    if request.method == "POST":
        form = await security.read_form(request)
        chosen = str(form.get("child", ""))
    else:
        chosen = request.query_params.get("child", "all")
    context = await _personal_context(application, camp_row, event, token, now)
    remaining = [s for s in context["states"] if s.state != "withdrawn"]
    leaving = [s for s in remaining if chosen == "all" or str(s.child.id) == chosen]
    if not leaving or not context["active"] or context["over"]:
        raise NotFound(N_("We could not find that child in this application."))
    if request.method == "GET":
        context |= {
            "leaving": leaving,
            "everyone": len(leaving) == len(remaining),
            "chosen": chosen,
            "csrf_token": security.csrf_token(request),
        }
        return render(request, "camp/withdraw.html", context, headers=PERSONAL)
    await camp.withdraw_children(application, [s.child.id for s in leaving], now)
    return RedirectResponse(lang_url(f"camp/applications/{token}", done="withdrawn"), 303)


async def contact_page(request: Request) -> Response:
    """Change the guardians' and the emergency contact's details (until the deadline)."""
    application, camp_row, event, token = await _application(request)
    now = timezone.now()
    context = await _personal_context(application, camp_row, event, token, now)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await security.read_form(request)
        contact, values = camp_forms.read_contact(form)
        try:
            await camp.update_contact(application, contact, now)
        except Invalid as error:
            errors = error.errors
        else:
            return RedirectResponse(lang_url(context["base"], done="contact-saved"), 303)
    else:
        if not context["edits_open"]:
            raise Conflict(N_("The deadline for changes has passed. Please contact the camp team."))
        values = camp_forms.contact_values(application)
    context |= {"values": values, "errors": errors, "csrf_token": security.csrf_token(request)}
    return render(request, "camp/contact.html", context, 400 if errors else 200, headers=PERSONAL)


async def child_page(request: Request) -> Response:
    """Change one child's allergies, medical notes, medication and swimming (until the
    deadline)."""
    application, camp_row, event, token = await _application(request)
    now = timezone.now()
    context = await _personal_context(application, camp_row, event, token, now)
    child_id = request.path_params["child_id"]
    states = [s for s in context["states"] if s.state != "withdrawn"]
    child = next((s.child for s in states if s.child.id == child_id), None)
    if child is None:
        raise NotFound(N_("We could not find that child in this application."))
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await security.read_form(request)
        medical, values, errors = camp_forms.read_medical(form)
        if medical is not None:
            try:
                await camp.update_medical(application, child.id, medical, now)
            except Invalid as error:
                errors = error.errors
            else:
                return RedirectResponse(lang_url(context["base"], done="child-saved"), 303)
    else:
        if not context["edits_open"]:
            raise Conflict(N_("The deadline for changes has passed. Please contact the camp team."))
        values = camp_forms.medical_values(child)
    context |= {
        "child": child,
        "values": values,
        "errors": errors,
        "csrf_token": security.csrf_token(request),
    }
    return render(request, "camp/child.html", context, 400 if errors else 200, headers=PERSONAL)


async def delete_page(request: Request) -> Response:
    """ "Are you sure?"; POST deletes: places freed, every personal field erased at once."""
    application, camp_row, event, token = await _application(request)
    if application.status == ApplicationStatus.DELETED:
        return RedirectResponse(lang_url(f"camp/applications/{token}"), 303)
    if request.method == "GET":
        context = await _personal_context(application, camp_row, event, token, timezone.now())
        context["csrf_token"] = security.csrf_token(request)
        return render(request, "camp/delete.html", context, headers=PERSONAL)
    await security.read_form(request)
    await camp.delete(application, timezone.now())
    return RedirectResponse(lang_url(f"camp/applications/{token}"), 303)


# ---------------------------------------------------------------- my data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def application_data(request: Request) -> Response:
    """Everything stored about the application, as JSON to keep: the family, each child with
    its health details and place, and the emails sent to the guardian's address."""
    application, camp_row, event, token = await _application(request)
    now = timezone.now()
    context = await _personal_context(application, camp_row, event, token, now)
    texts = await EventText.filter(event=event)
    sent = []
    if application.guardian_email:
        sent = await OutboxMessage.filter(
            to_address=application.guardian_email, template__startswith="camp/"
        ).order_by("id")
    data = {
        "camp": {
            "title": {text.language: text.title for text in texts},
            "url": f"{BASE_URL}/{current_language.get()}/camp/{event.slug}",
        },
        "application": _application_data(application),
        "children": [_child_data(state, context["weeks"]) for state in context["states"]],
        "emails_to_this_address": [
            {
                "subject": message.subject,
                "written_at": _iso(message.created_at),
                "sent_at": _iso(message.sent_at),
            }
            for message in sent
        ],
    }
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    disposition = f'attachment; filename="venskab-camp-application-{application.id}.json"'
    return Response(
        body,
        media_type="application/json",
        headers={**PERSONAL, "Content-Disposition": disposition},
    )


def _application_data(application: CampApplication) -> dict[str, Any]:
    """Every stored field but the nonce behind the link (a secret, not data about anyone)."""
    names = [*camp_forms.CONTACT_FIELDS]
    return {
        "id": application.id,
        "status": application.status.value,
        **{name: getattr(application, name) for name in names},
        "language": application.language,
        "consent_data": application.consent_data,
        "consent_photos": application.consent_photos,
        "consent_emergency_treatment": application.consent_emergency_treatment,
        "keep_siblings_together": application.keep_siblings_together,
        "form_key": application.idempotency_key,
        "submitted_at": _iso(application.submitted_at),
        "withdrawn_at": _iso(application.withdrawn_at),
        "medical_erased_at": _iso(application.medical_erased_at),
        "personal_erased_at": _iso(application.personal_erased_at),
    }


def _child_data(state: ChildState, weeks: dict[int, int]) -> dict[str, Any]:
    child = state.child
    session = state.session
    return {
        "number": child.number,
        "name": child.name,
        "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
        "preferences": [
            {"session": session_id, "week": weeks.get(session_id)}
            for session_id in child.preferences
        ],
        "allergies_diet": child.allergies_diet,
        "medical_notes": child.medical_notes,
        "medication": child.medication,
        "swimming": child.swimming.value,
        "danish_level": child.danish_level.value,
        "english_level": child.english_level.value,
        "place": {
            "state": state.state,
            "week": weeks.get(session.id) if session else None,
            "starts_at": _iso(session.starts_at) if session else None,
            "ends_at": _iso(session.ends_at) if session else None,
            "waitlist_position": state.position,
            "confirm_by": _iso(state.deadline),
        },
        "withdrawn_at": _iso(child.withdrawn_at),
    }


GET_POST = ["GET", "POST"]
APPLICATION = "/camp/applications/{token}"

# The application's routes come first: /camp/applications/x/… is never a camp's slug.
routes = [
    Route(APPLICATION, application_page, name="camp-application"),
    Route(f"{APPLICATION}/data.json", application_data, name="camp-application-data"),
    Route(f"{APPLICATION}/confirm", confirm_page, methods=["POST"], name="camp-confirm"),
    Route(f"{APPLICATION}/withdraw", withdraw_page, methods=GET_POST, name="camp-withdraw"),
    Route(f"{APPLICATION}/contact", contact_page, methods=GET_POST, name="camp-contact"),
    Route(
        APPLICATION + "/children/{child_id:id}",
        child_page,
        methods=GET_POST,
        name="camp-child",
    ),
    Route(f"{APPLICATION}/delete", delete_page, methods=GET_POST, name="camp-delete"),
    Route("/camp/{slug}", cached(camp_page), name="camp"),
    Route("/camp/{slug}/apply", apply_page, methods=GET_POST, name="camp-apply"),
]
