"""The family's camp application behind its secret link: each child's place, offers to
confirm, withdrawing children, changing contact and health details until the deadline, my
data (JSON) and deleting.

Thin, as booking/camp_views.py: booking/camp.py decides and writes, tokens.py opens the
application from its link. The pages are personal (booking/views.py PERSONAL): never cached,
no referrer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from tortoise import timezone

from booking import camp, camp_forms, camp_messages, registrations, tokens, waitlist
from booking.models import (
    ApplicationStatus,
    Camp,
    CampApplication,
    Child,
    Registration,
    RegistrationStatus,
)
from booking.views import PERSONAL
from events.models import Event, EventText, Occurrence
from events.services import pick_text
from venskab import security
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_, current_language
from venskab.models import OutboxMessage
from venskab.settings import BASE_URL
from venskab.web import lang_url, render

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
                # None until sent, for a message rendered when it is sent (the draw's result).
                "subject": message.subject or None,
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
