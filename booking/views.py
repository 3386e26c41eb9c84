"""The public registration side: the form, the manage page behind the secret link with its
downloads (.ics, personal feed, my data), cancelling, confirming an offer, "resend my links"
and the privacy notice.

Thin: booking/registrations.py decides and writes (one locked transaction each, messages
included); booking/tokens.py opens a registration from its link. Pages behind a link are
personal: never in the page cache, `Cache-Control: no-store`, and `Referrer-Policy:
no-referrer`, so the token leaves no copy in shared caches or in other sites' logs.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from tortoise import timezone

from booking import capacity, forms, messages, registrations, tickets, tokens, waitlist
from booking.capacity import Availability
from booking.models import Registration, RegistrationStatus
from events import calendar_links, feeds, services
from events.calendar_views import CALENDAR_TYPE
from events.ical import CalendarInfo, build_calendar
from events.models import Category, Event, EventStatus, EventText, Occurrence
from events.services import pick_text, public_occurrence
from venskab import security, settings
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_, current_language, gettext
from venskab.models import OutboxMessage
from venskab.settings import BASE_URL
from venskab.web import (
    cached,
    conditional,
    environment,
    lang_url,
    page_cache,
    render,
    validated_response,
)

Status = RegistrationStatus

# Per client address, counted in the database so they hold across web processes. Generous for
# a family registering for several dates, or a shared connection at a community centre.
REGISTER_LIMIT = (settings.REGISTRATION_RATE_LIMIT, timedelta(minutes=10))
RESEND_LIMIT = (settings.RESEND_RATE_LIMIT, timedelta(hours=1))

PERSONAL = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
# The form carries a new idempotency key each time it is rendered. Not no-store: the back
# button then shows the same form (same key), and sending it again lands on the same
# registration instead of making a second one.
FORM_HEADERS = {"Cache-Control": "private, no-cache"}
NOT_OPEN_YET = N_("Registration has not opened yet.")  # booking.registrations.check_open's
NOTICES = {
    "registered": N_(
        "We have sent these details and your link to your email address. Keep the email: "
        "with its link you can come back here."
    ),
    "cancelled": N_("Your registration is cancelled. Thank you for letting us know."),
    "confirmed": N_("Your places are confirmed. See you there!"),
}


# ---------------------------------------------------------------- can a newcomer register?


@dataclass(frozen=True)
class Opening:
    """What an occurrence offers a newcomer now, as the pages say it."""

    open: bool
    waitlist: bool = False  # open but full: a newcomer joins the waitlist
    reason: str = ""  # closed: why (an English msgid)
    opens_at: datetime | None = None  # closed until then


def opening(occurrence: Occurrence, seats: Availability | None, now: datetime) -> Opening:
    """The domain's own check (registrations.check_open), then the seats."""
    event: Event = occurrence.event
    if event.status == EventStatus.CANCELLED:
        return Opening(False, reason=N_("This event has been cancelled."))
    try:
        registrations.check_open(occurrence, now)
    except (Conflict, NotFound) as refused:
        if refused.message == NOT_OPEN_YET:
            return Opening(False, reason=refused.message, opens_at=occurrence.registration_opens_at)
        return Opening(False, reason=refused.message)
    if seats is None or seats.available > 0:
        return Opening(True)
    if occurrence.waitlist_enabled:
        return Opening(True, waitlist=True)
    return Opening(False, reason=N_("Sorry, this date is full."))


def _page_opening(occurrence: Occurrence, event: Event, seats: Availability | None) -> Opening:
    """For the event page, whose occurrences are read without their event."""
    occurrence.event = event
    return opening(occurrence, seats, timezone.now())


# The event page asks, per date, whether to show "Register" (templates/events/event.html).
environment.globals["registration_opening"] = _page_opening


def shown_status(registration: Registration, now: datetime) -> str:
    return registrations.current_status(registration, now).value


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _texts(occurrence: Occurrence) -> list[EventText]:
    return await EventText.filter(event_id=occurrence.event.id)


def _event_context(occurrence: Occurrence, texts: list[EventText]) -> dict[str, Any]:
    return {
        "occurrence": occurrence,
        "event": occurrence.event,
        "venue": occurrence.venue,
        "text": pick_text(texts, current_language.get()),
    }


# ---------------------------------------------------------------- registering


async def register_page(request: Request) -> Response:
    """The form (or why there is none now); POST registers and goes to the manage page."""
    occurrence_id = request.path_params["occurrence_id"]
    now = timezone.now()
    if request.method == "POST":
        date = await registrations.kept_date(occurrence_id)  # the read register() uses
        if date is not None and date.event.category == Category.CAMP:
            # Nothing is written: the camp has its own form.
            return RedirectResponse(lang_url(f"camp/{date.event.slug}"), status_code=303)
        return await _register(request, occurrence_id, now)
    return await _blank_form(request, occurrence_id, now)


# The empty form is a public page like any other but for two values: the browser's CSRF token
# and the form's new idempotency key. It is rendered with markers in their place and kept in
# the page cache (PAGE_CACHE_SECONDS, as every public page); each reader gets a copy with their
# own values filled in. In a rush everyone asks for the same form at once.
_CSRF_MARK = "csrf-" + secrets.token_hex(16)
_KEY_MARK = "key-" + secrets.token_hex(16)


async def _blank_form(request: Request, occurrence_id: int, now: datetime) -> Response:
    async def build() -> Response:
        occurrence = await public_occurrence(occurrence_id)
        if occurrence.event.category == Category.CAMP:
            # A camp week is not booked seat by seat: one application places all the children.
            return RedirectResponse(lang_url(f"camp/{occurrence.event.slug}"), status_code=303)
        return await _form(request, occurrence, {}, {}, now, csrf=_CSRF_MARK, key=_KEY_MARK)

    page = await page_cache.get_or_render(f"form {request.url.path}?{request.url.query}", build)
    if _KEY_MARK.encode() not in page.body:
        return page  # no form (closed, or a camp's redirect): nothing personal in it
    body = page.body.replace(_CSRF_MARK.encode(), security.csrf_token(request).encode())
    body = body.replace(_KEY_MARK.encode(), secrets.token_urlsafe(24).encode())
    headers = {k: v for k, v in page.headers.items() if k not in ("content-length", "content-type")}
    return Response(body, page.status_code, headers=headers, media_type="text/html")


async def _register(request: Request, occurrence_id: int, now: datetime) -> Response:
    form = await security.read_form(request)
    await security.rate_limit("register", _client(request), *REGISTER_LIMIT, now)
    submitted, values = forms.read_registration(form, current_language.get())
    try:
        outcome = await registrations.register(occurrence_id, submitted, now)
    except Invalid as error:
        occurrence = await public_occurrence(occurrence_id)
        return await _form(request, occurrence, values, error.errors, now, 400)
    except Conflict as error:
        occurrence = await public_occurrence(occurrence_id)
        return await _closed(request, occurrence, Opening(False, reason=error.message), now, 409)
    token = tokens.manage_token(outcome.registration)
    return RedirectResponse(lang_url(f"bookings/{token}", done="registered"), status_code=303)


async def _form(
    request: Request,
    occurrence: Occurrence,
    values: dict[str, str],
    errors: dict[str, str],
    now: datetime,
    status_code: int = 200,
    *,
    csrf: str = "",
    key: str = "",
) -> Response:
    seats = await capacity.availability(occurrence, now)
    state = opening(occurrence, seats, now)
    if not state.open and not errors:
        return await _closed(request, occurrence, state, now)
    context = {
        **_event_context(occurrence, await _texts(occurrence)),
        "seats": seats,
        "opening": state,
        "values": {"seats": "1", **values},
        "errors": errors,
        "seat_choices": [
            (str(n), str(n)) for n in range(1, occurrence.max_seats_per_registration + 1)
        ],
        "csrf_token": csrf or security.csrf_token(request),
        "idempotency_key": key or secrets.token_urlsafe(24),
    }
    return render(request, "booking/register.html", context, status_code, headers=FORM_HEADERS)


async def _closed(
    request: Request, occurrence: Occurrence, state: Opening, now: datetime, status_code=200
) -> Response:
    context = {
        **_event_context(occurrence, await _texts(occurrence)),
        "seats": await capacity.availability(occurrence, now),
        "opening": state,
        "status_code": status_code,
    }
    return render(request, "booking/closed.html", context, status_code)


# ---------------------------------------------------------------- behind the manage link


async def _booking(request: Request) -> tuple[Registration, Occurrence, str]:
    token = request.path_params["token"]
    registration = await tokens.by_manage_token(token)
    occurrence = await Occurrence.get(
        id=registration.occurrence_id  # type: ignore[attr-defined]
    ).select_related("event", "venue")
    return registration, occurrence, token


def _qr_code(registration: Registration) -> Markup:
    """The check-in code as inline SVG, announced as one image by its title."""
    svg = tickets.qr_svg(
        messages.checkin_url(registration), gettext("QR code for check-in at the door")
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno escapes


def personal_feed_url(language: str, token: str) -> str:
    return f"{BASE_URL}/{language}/calendar/mine/{token}.ics"


async def manage_page(request: Request) -> Response:
    """The registration: its status, the check-in code, calendar links, cancel, my data."""
    registration, occurrence, token = await _booking(request)
    now = timezone.now()
    language = current_language.get()
    texts = await _texts(occurrence)
    status = shown_status(registration, now)
    entry = feeds.entry_for(occurrence, texts, language, base_url=BASE_URL)
    feed = personal_feed_url(language, token)
    context = {
        **_event_context(occurrence, texts),
        "registration": registration,
        "status": status,
        "position": await waitlist.position(registration) if status == Status.WAITLISTED else None,
        "qr_code": _qr_code(registration) if status == Status.CONFIRMED else None,
        "active": status in registrations.ACTIVE,
        "over": occurrence.ends_at <= now,
        "token": token,
        "links": {
            "ics": lang_url(f"bookings/{token}/booking.ics"),
            "google": calendar_links.google_event_url(entry),
            "outlook": calendar_links.outlook_event_url(entry),
            "feed": feed,
            "webcal": calendar_links.webcal_url(feed),
            "data": lang_url(f"bookings/{token}/data.json"),
        },
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "csrf_token": security.csrf_token(request),
    }
    return render(request, "booking/manage.html", context, headers=PERSONAL)


async def cancel_page(request: Request) -> Response:
    """ "Are you sure?" first; POST cancels, and the seats go to the waitlist at once."""
    registration, occurrence, token = await _booking(request)
    if request.method == "GET":
        context = {
            **_event_context(occurrence, await _texts(occurrence)),
            "registration": registration,
            "active": shown_status(registration, timezone.now()) in registrations.ACTIVE,
            "token": token,
            "csrf_token": security.csrf_token(request),
        }
        return render(request, "booking/cancel.html", context, headers=PERSONAL)
    await security.read_form(request)
    await registrations.cancel(registration, timezone.now())
    return RedirectResponse(lang_url(f"bookings/{token}", done="cancelled"), status_code=303)


async def confirm_page(request: Request) -> Response:
    """A party offered places from the waitlist takes them."""
    registration, _, token = await _booking(request)
    await security.read_form(request)
    await registrations.confirm_offer(registration, timezone.now())
    return RedirectResponse(lang_url(f"bookings/{token}", done="confirmed"), status_code=303)


async def booking_ics(request: Request) -> Response:
    """The registered date as an .ics file, with the same UID as in the public feeds."""
    _, occurrence, _ = await _booking(request)
    language = current_language.get()
    texts = await _texts(occurrence)
    entry = feeds.entry_for(occurrence, texts, language, base_url=BASE_URL)
    body = tickets.registration_ics(entry, _calendar_info(entry.title, language))
    disposition = f'attachment; filename="venskab-{occurrence.id}.ics"'
    return Response(
        body, media_type=CALENDAR_TYPE, headers={**PERSONAL, "Content-Disposition": disposition}
    )


def _calendar_info(name: str, language: str) -> CalendarInfo:
    return CalendarInfo(
        name=name,
        description=gettext("Times are Copenhagen time."),
        language=language,
        cancelled_prefix=gettext("Cancelled: "),
    )


async def personal_feed(request: Request) -> Response:
    """Every registration under the same email that is not cancelled, as a subscription feed
    (the same UIDs as the public feeds, so calendars do not show a date twice)."""
    registration = await tokens.by_manage_token(request.path_params["token"])
    language = current_language.get()
    now = timezone.now()
    everything = await Registration.filter(email=registration.email).select_related(
        "occurrence__event", "occurrence__venue"
    )
    mine = {
        r.occurrence.id: r.occurrence
        for r in everything
        if shown_status(r, now) in registrations.ACTIVE
    }
    texts = await services.texts_by_event(o.event.id for o in mine.values())
    entries = [
        feeds.entry_for(o, texts.get(o.event.id, []), language, base_url=BASE_URL)
        for o in mine.values()
    ]
    body = build_calendar(entries, _calendar_info(gettext("My registrations"), language))
    moments = [o.updated_at for o in mine.values()] + [
        moment
        for r in everything
        for moment in (r.created_at, r.confirmed_at, r.cancelled_at, r.expires_at)
        if moment is not None and moment <= now
    ]
    headers = {"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer"}
    return validated_response(body, CALENDAR_TYPE, max(moments, default=None), headers)


async def my_data(request: Request) -> Response:
    """Everything stored about this registration, as JSON to keep."""
    registration, occurrence, _ = await _booking(request)
    texts = await _texts(occurrence)
    sent = await OutboxMessage.filter(to_address=registration.email).order_by("id")
    data = {
        "registration": _registration_data(registration),
        "event": {
            "title": {text.language: text.title for text in texts},
            "starts_at": occurrence.starts_at.isoformat(),
            "ends_at": occurrence.ends_at.isoformat(),
            "venue": occurrence.venue.name if occurrence.venue else None,
            "url": f"{BASE_URL}/{current_language.get()}/events/{occurrence.event.slug}",
        },
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
    disposition = f'attachment; filename="venskab-registration-{registration.id}.json"'
    return Response(
        body,
        media_type="application/json",
        headers={**PERSONAL, "Content-Disposition": disposition},
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _registration_data(registration: Registration) -> dict[str, Any]:
    """Every stored field but the nonce behind the links (a secret, not data about anyone)."""
    return {
        "id": registration.id,
        "status": registration.status.value,
        "seats": registration.seats,
        "name": registration.name,
        "email": registration.email,
        "phone": registration.phone,
        "accessibility_needs": registration.accessibility_needs,
        "language": registration.language,
        "form_key": registration.idempotency_key,
        "created_at": _iso(registration.created_at),
        "confirmed_at": _iso(registration.confirmed_at),
        "queued_at": _iso(registration.queued_at),
        "times_passed_on_waitlist": registration.times_passed,
        "offer_or_hold_expires_at": _iso(registration.expires_at),
        "cancelled_at": _iso(registration.cancelled_at),
        "checked_in_at": _iso(registration.checked_in_at),
        "reminder_sent_at": _iso(registration.reminder_sent_at),
    }


# ---------------------------------------------------------------- resend my links


async def resend_page(request: Request) -> Response:
    """One mail with the links of the address's upcoming registrations. The answer is the
    same whether or not the address is known, so the page tells no one who registered."""
    if request.method == "GET":
        done = request.query_params.get("done") == "sent"
        return _resend_form(request, {}, {}, sent=done)
    form = await security.read_form(request)
    now = timezone.now()
    await security.rate_limit("resend", _client(request), *RESEND_LIMIT, now)
    email, errors = forms.read_email(form)
    if errors:
        return _resend_form(request, {"email": email}, errors, status_code=400)
    await messages.send_links(email, current_language.get(), now)
    return RedirectResponse(lang_url("bookings/resend", done="sent"), status_code=303)


def _resend_form(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    sent: bool = False,
    status_code: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "sent": sent,
        "csrf_token": security.csrf_token(request),
    }
    return render(request, "booking/resend.html", context, status_code)


# ---------------------------------------------------------------- privacy notice


async def privacy_page(request: Request) -> Response:
    """The notice for registrations and, at #camp, for the summer camp (linked from the
    camp application's consent). The periods are the ones `venskab purge` applies."""
    return render(request, "booking/privacy.html", {})


GET_POST = ["GET", "POST"]

routes = [
    Route("/register/{occurrence_id:id}", register_page, methods=GET_POST, name="register"),
    Route("/bookings/resend", resend_page, methods=GET_POST, name="resend-links"),
    Route("/bookings/{token}", manage_page, name="booking"),
    Route("/bookings/{token}/booking.ics", booking_ics, name="booking-ics"),
    Route("/bookings/{token}/data.json", my_data, name="booking-data"),
    Route("/bookings/{token}/cancel", cancel_page, methods=GET_POST, name="booking-cancel"),
    Route("/bookings/{token}/confirm", confirm_page, methods=["POST"], name="booking-confirm"),
    Route("/calendar/mine/{token}.ics", conditional(personal_feed), name="personal-feed"),
    Route("/privacy", cached(privacy_page), name="privacy"),
]
