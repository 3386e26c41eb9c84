"""Organiser pages for registrations: a date's attendee list and its CSV export, check-in (by
name on the list, or by scanning the QR code in the confirmation mail), promotion from the
waitlist by hand, capacity, cancelling a date with everyone on it, writing to everyone
registered, and the audit log.

Thin, like events/admin.py: read the form, call booking/organiser_actions.py, redirect
(POST → 303 → GET) or show the page again with 4xx. Who may do what: admins everything,
organisers the dates of events they own (security.can_edit_event), camp staff none of it; the
audit log is for admins only. The whole mount sits behind venskab.admin.OrganiserRequired, so
an anonymous visitor who scans a code is sent to sign in and back.
"""

from __future__ import annotations

import csv
import io
import secrets
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from tortoise import timezone

from booking import audit, organiser_actions, tokens
from booking.models import Registration, RegistrationStatus
from booking.organiser_actions import AttendeeList
from events import admin as events_admin
from events import services
from events.forms import FormReader
from events.models import EventText, Occurrence
from venskab import i18n, security, web
from venskab.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from venskab.i18n import N_, current_language
from venskab.models import Organiser, Role
from venskab.settings import LANGUAGES

Status = RegistrationStatus

# Shown after a redirect, chosen by the `done` query parameter (unknown keys show nothing).
NOTICES = {
    "checked-in": N_("Checked in."),
    "already-checked-in": N_("This registration was already checked in. Nothing changed."),
    "check-in-undone": N_("The check-in was undone."),
    "promoted": N_("The party was moved up from the waitlist and has been told by email."),
    "capacity-saved": N_(
        "The capacity was changed. Anyone it let in from the waitlist has been told by email."
    ),
    "date-cancelled": N_("The date was cancelled, and everyone registered has been told by email."),
    "message-sent": N_("Your message is on its way to everyone registered."),
    "message-repeated": N_("This message had already been sent. It was not sent again."),
}

STATUS_NAMES = {
    Status.CONFIRMED: N_("Confirmed"),
    Status.OFFERED: N_("Offered, not yet confirmed"),
    Status.HELD: N_("Held while paying"),
    Status.WAITLISTED: N_("On the waitlist"),
    Status.CANCELLED: N_("Cancelled"),
    Status.EXPIRED: N_("Expired"),
}

ACTION_NAMES = {
    audit.CHECKED_IN: N_("Checked in"),
    audit.CHECK_IN_UNDONE: N_("Check-in undone"),
    audit.PROMOTED: N_("Moved up from the waitlist"),
    audit.CAPACITY_CHANGED: N_("Capacity changed"),
    audit.OCCURRENCE_CANCELLED: N_("Date cancelled"),
    audit.MESSAGE_SENT: N_("Message sent to everyone registered"),
    audit.ATTENDEES_EXPORTED: N_("Attendee list downloaded"),
    audit.DATA_ERASED: N_("Personal data erased after the retention period"),
    audit.CAMP_SETTINGS_CHANGED: N_("Camp settings changed"),
    audit.CAMP_CHILD_MOVED: N_("Child moved to another camp week"),
    audit.CAMP_APPLICATIONS_VIEWED: N_("Camp applications viewed"),
    audit.CAMP_ROSTER_VIEWED: N_("Camp roster viewed"),
    audit.CAMP_ROSTER_PRINTED: N_("Camp roster printed"),
    audit.CAMP_ROSTER_EXPORTED: N_("Camp roster downloaded"),
    audit.CAMP_CHECKED_IN: N_("Child checked in at camp"),
    audit.CAMP_CHECKED_OUT: N_("Child checked out at camp"),
    audit.CAMP_CHECK_IN_UNDONE: N_("Camp check-in undone"),
    audit.CAMP_CHECK_OUT_UNDONE: N_("Camp check-out undone"),
    audit.CAMP_DRAW_RUN: N_("Camp lottery drawn"),
    audit.CAMP_APPLICATION_DELETED: N_("Camp application deleted by the family"),
}

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("section", "events")
    return web.organiser_page(
        request, template, NOTICES, status_code, status_names=STATUS_NAMES, **context
    )


def editor(request: Request) -> Organiser:
    """Admins and organisers; camp staff get 403."""
    return security.require_role(request, Role.ORGANISER)


def back(path: str, notice: str, fragment: str = "", **query: str) -> RedirectResponse:
    """POST → 303 → GET, keeping the list's search and the row in view. Public pages show
    places left, so this process's page cache is cleared (as web.after_write does)."""
    web.page_cache.clear()
    url = web.lang_url(f"organiser/{path}", **query, done=notice)
    return RedirectResponse(f"{url}#{fragment}" if fragment else url, status_code=303)


def message_of(error: DomainError) -> str:
    message = i18n.gettext(error.message)
    return message % error.params if error.params else message


async def title_of(occurrence: Occurrence) -> EventText | None:
    texts = await EventText.filter(event_id=occurrence.event.id)
    return services.pick_text(texts, current_language.get())


async def editable_registration(
    registration: Registration, organiser: Organiser
) -> tuple[Registration, Occurrence]:
    occurrence = await services.occurrence_by_id(registration.occurrence_id)  # type: ignore[attr-defined]
    if not security.can_edit_event(organiser, occurrence.event.owner_id):  # type: ignore[attr-defined]
        raise Forbidden(N_("You can only change events you organise."))
    return registration, occurrence


async def registration_in_path(request: Request, organiser: Organiser):
    registration = await Registration.get_or_none(id=request.path_params["registration_id"])
    if registration is None:
        raise NotFound(N_("We could not find that registration."))
    return await editable_registration(registration, organiser)


def attendees_path(occurrence_id: int) -> str:
    return f"dates/{occurrence_id}/attendees"


# ---------------------------------------------------------------- the attendee list


async def attendees_page(
    request: Request,
    occurrence: Occurrence,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
    status_code: int = 200,
) -> Response:
    query = request.query_params.get("q", "")[:200].strip()
    listing: AttendeeList = await organiser_actions.attendee_list(occurrence, query, timezone.now())
    capacity = "" if occurrence.capacity is None else str(occurrence.capacity)
    return page(
        request,
        "admin/booking/attendees.html",
        status_code,
        occurrence=occurrence,
        text=await title_of(occurrence),
        listing=listing,
        fill=listing.fill,
        query=query,
        values=values or {"capacity": capacity},
        errors=errors or {},
        problem=problem,
    )


async def attendees(request: Request) -> Response:
    """Who is coming, by state; a search by name or email (?q=) narrows every list."""
    occurrence = await events_admin.editable_occurrence(request, editor(request))
    return await attendees_page(request, occurrence)


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def local_stamp(value: datetime | None) -> str:
    """Copenhagen time in a form every spreadsheet reads, e.g. 2026-12-05 19:03."""
    return value.astimezone(web.LOCAL).strftime("%Y-%m-%d %H:%M") if value else ""


async def attendees_csv(request: Request) -> Response:
    """The attendee list as CSV, UTF-8 with a byte-order mark so that Excel shows Cyrillic
    and æøå. Personal data: not cached, and the download is logged."""
    organiser = editor(request)
    occurrence = await events_admin.editable_occurrence(request, organiser)
    now = timezone.now()
    rows = await organiser_actions.export_rows(occurrence, now, actor=organiser)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    gettext = i18n.gettext
    writer.writerow(
        [
            gettext("Name"),
            gettext("Email"),
            gettext("Phone"),
            gettext("Places"),
            gettext("Status"),
            gettext("Waitlist position"),
            gettext("Accessibility needs"),
            gettext("Checked in at"),
            gettext("Registered at"),
        ]
    )
    for registration, state, position in rows:
        writer.writerow(
            [
                cell(registration.name),
                cell(registration.email),
                cell(registration.phone),
                registration.seats,
                gettext(STATUS_NAMES[state]),
                position or "",
                cell(registration.accessibility_needs),
                local_stamp(registration.checked_in_at),
                local_stamp(registration.created_at),
            ]
        )
    day = occurrence.starts_at.astimezone(web.LOCAL).date().isoformat()
    filename = f"attendees-{occurrence.id}-{day}.csv"
    return Response(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


# ---------------------------------------------------------------- check-in


async def check_in(request: Request) -> Response:
    """Check in from the list (the name search)."""
    organiser = editor(request)
    registration, occurrence = await registration_in_path(request, organiser)
    form = await security.read_form(request)
    try:
        _, changed = await organiser_actions.check_in(
            registration.id, timezone.now(), actor=organiser
        )
    except Conflict as error:
        return await attendees_page(request, occurrence, problem=message_of(error), status_code=409)
    notice = "checked-in" if changed else "already-checked-in"
    query = str(form.get("q", ""))[:200]
    return back(attendees_path(occurrence.id), notice, f"r-{registration.id}", q=query)


async def undo_check_in(request: Request) -> Response:
    organiser = editor(request)
    registration, occurrence = await registration_in_path(request, organiser)
    form = await security.read_form(request)
    await organiser_actions.undo_check_in(registration.id, timezone.now(), actor=organiser)
    query = str(form.get("q", ""))[:200]
    return back(attendees_path(occurrence.id), "check-in-undone", f"r-{registration.id}", q=query)


async def check_in_by_code(request: Request) -> Response:
    """The page the QR code opens: who it is, for which date, whether they are already in,
    and one big button. Organisers who do not run the event get 403."""
    organiser = editor(request)
    token = request.path_params["token"]
    registration, occurrence = await editable_registration(
        await tokens.by_checkin_token(token), organiser
    )
    problem, status_code = "", 200
    if request.method == "POST":
        form = await security.read_form(request)
        action = str(form.get("action", ""))
        now = timezone.now()
        try:
            if action == "undo":
                await organiser_actions.undo_check_in(registration.id, now, actor=organiser)
                return back(f"check-in/{token}", "check-in-undone")
            if action != "check-in":
                raise Invalid({"action": N_("Choose check in or undo.")})
            _, changed = await organiser_actions.check_in(registration.id, now, actor=organiser)
            return back(f"check-in/{token}", "checked-in" if changed else "already-checked-in")
        except Conflict as error:
            problem, status_code = message_of(error), 409
    now = timezone.now()
    return page(
        request,
        "admin/booking/check_in.html",
        status_code,
        registration=registration,
        state=organiser_actions.state_of(registration, now),
        occurrence=occurrence,
        on_the_day=on_the_day(occurrence, now),
        just_checked_in=request.query_params.get("done") == "checked-in",
        text=await title_of(occurrence),
        problem=problem,
    )


def on_the_day(occurrence: Occurrence, now: datetime) -> bool:
    """Whether today (in Copenhagen) is one of the occurrence's days."""
    today = now.astimezone(web.LOCAL).date()
    first = occurrence.starts_at.astimezone(web.LOCAL).date()
    last = (occurrence.ends_at - timedelta(microseconds=1)).astimezone(web.LOCAL).date()
    return first <= today <= last


# ---------------------------------------------------------------- waitlist and capacity


async def promote(request: Request) -> Response:
    """Let a waiting party in out of turn, when its places fit the free places."""
    organiser = editor(request)
    registration, occurrence = await registration_in_path(request, organiser)
    form = await security.read_form(request)
    try:
        await organiser_actions.promote_manually(registration.id, timezone.now(), actor=organiser)
    except Conflict as error:
        return await attendees_page(request, occurrence, problem=message_of(error), status_code=409)
    query = str(form.get("q", ""))[:200]
    return back(attendees_path(occurrence.id), "promoted", f"r-{registration.id}", q=query)


async def change_capacity(request: Request) -> Response:
    """Raise (the waitlist moves up and is told) or lower (never below the places taken)."""
    organiser = editor(request)
    occurrence = await events_admin.editable_occurrence(request, organiser)
    form = await security.read_form(request)
    reader = FormReader(form)
    new_capacity = reader.whole_number("capacity")
    errors = dict(reader.errors)
    if new_capacity is None and not errors:
        errors["capacity"] = N_("Enter the number of places, e.g. 40.")
    try:
        if errors or new_capacity is None:
            raise Invalid(errors)
        await organiser_actions.change_capacity(
            occurrence.id, new_capacity, timezone.now(), actor=organiser
        )
    except Invalid as error:
        return await attendees_page(
            request, occurrence, values=reader.values, errors=error.errors, status_code=400
        )
    return back(attendees_path(occurrence.id), "capacity-saved", "capacity-title")


# ---------------------------------------------------------------- cancelling the date


async def cancel_date(request: Request) -> Response:
    """Cancel the date and every registration on it; each party is told by email, with the
    organiser's note. Confirmed on a page of its own: it cannot be undone."""
    organiser = editor(request)
    occurrence = await events_admin.editable_occurrence(request, organiser)
    values, errors, status_code = {"note": ""}, {}, 200
    if request.method == "POST":
        form = await security.read_form(request)
        reader = FormReader(form)
        note = reader.text("note", max_length=organiser_actions.MESSAGE_MAX_LENGTH)
        values, errors = reader.values, reader.errors
        if not errors:
            await organiser_actions.cancel_occurrence(
                occurrence.id, note, timezone.now(), actor=organiser
            )
            return back(attendees_path(occurrence.id), "date-cancelled")
        status_code = 400
    listing = await organiser_actions.attendee_list(occurrence, "", timezone.now())
    return page(
        request,
        "admin/booking/cancel_date.html",
        status_code,
        occurrence=occurrence,
        text=await title_of(occurrence),
        listing=listing,
        told=await organiser_actions.recipient_count(occurrence.id, timezone.now()),
        values=values,
        errors=errors,
    )


# ---------------------------------------------------------------- writing to everyone


async def message_everyone(request: Request) -> Response:
    """A short message to everyone registered, each in their own language if written."""
    organiser = editor(request)
    occurrence = await events_admin.editable_occurrence(request, organiser)
    fields = [f"message_{code}" for code in LANGUAGES]
    values: dict[str, str] = {"key": secrets.token_urlsafe(24)}
    errors: dict[str, str] = {}
    status_code = 200
    if request.method == "POST":
        form = await security.read_form(request)
        reader = FormReader(form)
        texts = {
            code: reader.text(name, max_length=organiser_actions.MESSAGE_MAX_LENGTH)
            for code, name in zip(LANGUAGES, fields, strict=True)
        }
        values = {**reader.values, "key": str(form.get("key", ""))[:64]}
        try:
            if reader.errors:
                raise Invalid(reader.errors)
            sent = await organiser_actions.message_everyone(
                occurrence.id, texts, values["key"], timezone.now(), actor=organiser
            )
        except Invalid as error:
            errors, status_code = error.errors, 400
        else:
            notice = "message-repeated" if sent is None else "message-sent"
            return back(attendees_path(occurrence.id), notice)
    return page(
        request,
        "admin/booking/message.html",
        status_code,
        occurrence=occurrence,
        text=await title_of(occurrence),
        recipients=await organiser_actions.recipient_count(occurrence.id, timezone.now()),
        languages=LANGUAGES,
        values=values,
        errors=errors,
    )


# ---------------------------------------------------------------- the audit log


async def audit_log(request: Request) -> Response:
    """Who did what, newest first. Admins only."""
    security.require_role(request, Role.ADMIN)
    raw = request.query_params.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    return page(
        request,
        "admin/booking/audit.html",
        log=await audit.page(number),
        action_names=ACTION_NAMES,
        section="audit",
    )


GET_POST = ["GET", "POST"]
routes = [
    Route("/dates/{occurrence_id:id}/attendees", attendees, name="organiser-attendees"),
    Route("/dates/{occurrence_id:id}/attendees.csv", attendees_csv),
    Route("/dates/{occurrence_id:id}/capacity", change_capacity, methods=["POST"]),
    Route("/dates/{occurrence_id:id}/message", message_everyone, methods=GET_POST),
    Route("/dates/{occurrence_id:id}/cancel-registrations", cancel_date, methods=GET_POST),
    Route("/registrations/{registration_id:id}/check-in", check_in, methods=["POST"]),
    Route("/registrations/{registration_id:id}/undo-check-in", undo_check_in, methods=["POST"]),
    Route("/registrations/{registration_id:id}/promote", promote, methods=["POST"]),
    Route("/check-in/{token}", check_in_by_code, methods=GET_POST, name="organiser-check-in"),
    Route("/audit", audit_log, name="organiser-audit"),
]
