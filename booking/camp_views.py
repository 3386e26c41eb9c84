"""The family's side of the summer camp: the camp page and the application form. The
application's own pages, behind its secret link, are in booking/camp_family_views.py; the
routes of both are here.

Thin: booking/camp.py decides and writes; booking/camp_forms.py reads the forms.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_interval
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from tortoise import timezone

from booking import camp, camp_forms, camp_labels, camp_messages, capacity, tokens
from booking import camp_family_views as family
from booking.models import (
    Camp,
    RegistrationStatus,
)
from booking.views import FORM_HEADERS, REGISTER_LIMIT
from events.models import EventText, Occurrence
from events.services import LOCAL, pick_text
from venskab import i18n, security
from venskab.errors import Conflict, Invalid
from venskab.i18n import current_language
from venskab.web import cached, environment, lang_url, render

Status = RegistrationStatus


def session_days(session: Occurrence) -> str:
    """A session's days in the reader's language: "6–10 July 2027"."""
    first = session.starts_at.astimezone(LOCAL).date()
    last = session.ends_at.astimezone(LOCAL).date()
    locale = i18n.BABEL_LOCALES[current_language.get()]
    return format_interval(first, last, "yMMMMd", locale=locale)


def choices(kind: str) -> list[tuple[str, str]]:
    """A select's (value, text) pairs in the reader's language: "swimming" or "level"."""
    labels = camp_labels.SWIMMING if kind == "swimming" else camp_labels.LEVELS
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
        "csrf_token": security.csrf_token(request),
        "idempotency_key": secrets.token_urlsafe(24),
    }
    return render(request, "camp/apply.html", page, status_code, headers=FORM_HEADERS)


GET_POST = ["GET", "POST"]
APPLICATION = "/camp/applications/{token}"

# The application's routes come first: /camp/applications/x/… is never a camp's slug.
routes = [
    Route(APPLICATION, family.application_page, name="camp-application"),
    Route(f"{APPLICATION}/data.json", family.application_data, name="camp-application-data"),
    Route(f"{APPLICATION}/confirm", family.confirm_page, methods=["POST"], name="camp-confirm"),
    Route(f"{APPLICATION}/withdraw", family.withdraw_page, methods=GET_POST, name="camp-withdraw"),
    Route(f"{APPLICATION}/contact", family.contact_page, methods=GET_POST, name="camp-contact"),
    Route(
        APPLICATION + "/children/{child_id:id}",
        family.child_page,
        methods=GET_POST,
        name="camp-child",
    ),
    Route(f"{APPLICATION}/delete", family.delete_page, methods=GET_POST, name="camp-delete"),
    Route("/camp/{slug}", cached(camp_page), name="camp"),
    Route("/camp/{slug}/apply", apply_page, methods=GET_POST, name="camp-apply"),
]
