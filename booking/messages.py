"""Who is told what, written to the outbox inside the transaction of the change itself, so a
message exists exactly when its change commits (venskab/mail.py sends it later).

Each message is in the registrant's language and carries their manage link. The messages
written while the date is locked (registered, promoted) are rendered when they are sent
(mail.enqueue_later, see REGISTRATION_TEMPLATES); the others are rendered when written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from booking import tickets, tokens
from booking.models import Registration, RegistrationStatus
from events import feeds
from events.ical import CalendarInfo
from events.models import EventText, Occurrence
from events.services import pick_text, texts_by_event
from venskab import i18n, mail
from venskab.models import OutboxMessage
from venskab.settings import BASE_URL

ICS_TYPE = "text/calendar; method=PUBLISH; charset=utf-8"


def manage_url(registration: Registration) -> str:
    token = tokens.manage_token(registration)
    return f"{BASE_URL}/{registration.language}/bookings/{token}"


def checkin_url(registration: Registration) -> str:
    token = tokens.checkin_token(registration)
    return f"{BASE_URL}/{registration.language}/organiser/check-in/{token}"


async def _context(registration: Registration, occurrence: Occurrence) -> dict[str, Any]:
    """What every message shows (reads the event's texts and the venue)."""
    texts = await EventText.filter(event_id=occurrence.event.id)
    await occurrence.fetch_related("venue")
    text = pick_text(texts, registration.language)
    return {
        "registration": registration,
        "occurrence": occurrence,
        "venue": occurrence.venue,
        "event_title": text.title if text else occurrence.event.slug,
        "manage_url": manage_url(registration),
        "_texts": texts,
    }


def _attachments(registration: Registration, context: dict[str, Any]) -> list[mail.Attachment]:
    """The .ics of the date and the check-in QR code, for confirmed registrations."""
    occurrence: Occurrence = context["occurrence"]
    entry = feeds.entry_for(occurrence, context["_texts"], registration.language, base_url=BASE_URL)
    token = i18n.current_language.set(registration.language)
    try:
        info = CalendarInfo(
            name=context["event_title"],
            description="",
            language=registration.language,
            cancelled_prefix=i18n.gettext("Cancelled: "),
        )
    finally:
        i18n.current_language.reset(token)
    return [
        mail.Attachment("event.ics", ICS_TYPE, tickets.registration_ics(entry, info)),
        mail.Attachment("checkin-qr.png", "image/png", tickets.qr_png(checkin_url(registration))),
    ]


def _public(context: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in context.items() if not key.startswith("_")}


async def _send(registration: Registration, template: str, context: dict[str, Any], **kw: Any):
    await mail.enqueue(
        to=registration.email,
        language=registration.language,
        template=template,
        context=_public(context),
        **kw,
    )


async def registered(registration: Registration, occurrence: Occurrence, position: int | None):
    """Confirmation (with .ics and QR) or 'you are on the waitlist' (with the position),
    rendered when sent (see REGISTRATION_TEMPLATES)."""
    await mail.enqueue_later(**vars(_registered(registration, position)))


def registered_message(registration: Registration, position: int | None) -> OutboxMessage:
    """registered()'s message, not saved: the caller writes it together with the
    registration (see mail.later_message). The registration's id must be set."""
    return mail.later_message(_registered(registration, position))


def _registered(registration: Registration, position: int | None) -> mail.Later:
    if registration.status == RegistrationStatus.CONFIRMED:
        return _later(registration, "booking/confirmed")
    return _later(registration, "booking/waitlisted", position=position)


def _later(registration: Registration, template: str, **frozen: Any) -> mail.Later:
    return mail.Later(
        to=registration.email,
        language=registration.language,
        template=template,
        params={"registration": registration.id, **frozen},
    )


async def promoted(promoted: Sequence[Registration], occurrence: Occurrence) -> None:
    """Parties promoted from the waitlist: an offer to confirm (by the deadline frozen in the
    message), or confirmed at once. Rendered when sent."""
    for registration in promoted:
        if registration.status == RegistrationStatus.OFFERED:
            deadline = registration.expires_at
            later = _later(
                registration,
                "booking/offered",
                confirm_by=deadline.isoformat() if deadline else None,
            )
        else:
            later = _later(registration, "booking/promoted_confirmed")
        await mail.enqueue_later(**vars(later))


# ---------------------------------------------------------------- rendered when sent

# The messages written while the date is locked (a registration, a promotion) are rendered
# when the worker sends them (venskab/mail.py): under the lock only their row is written.
# Frozen in params when written: the registration (its id), what it was told (the template:
# confirmed, waiting, offered, promoted), the waitlist position then and an offer's deadline.
# As they are when sent: the name, seats, the event's title, the date, the venue, the link,
# the .ics and the QR code. A registration erased before then is not written to.
REGISTRATION_TEMPLATES = (
    "booking/confirmed",
    "booking/waitlisted",
    "booking/offered",
    "booking/promoted_confirmed",
)
_WITH_TICKET = frozenset({"booking/confirmed", "booking/promoted_confirmed"})


def _registration_renderer(template: str) -> mail.Renderer:
    async def render(
        params: Mapping[str, Any], language: str
    ) -> tuple[dict[str, Any], list[mail.Attachment]]:
        registration = await Registration.get(id=params["registration"]).select_related(
            "occurrence__event"
        )
        context = await _context(registration, registration.occurrence)
        attachments = _attachments(registration, context) if template in _WITH_TICKET else []
        if "position" in params:
            context["position"] = params["position"]
        if "confirm_by" in params:
            confirm_by = params["confirm_by"]
            context["confirm_by"] = datetime.fromisoformat(confirm_by) if confirm_by else None
        return _public(context), attachments

    return render


for _template in REGISTRATION_TEMPLATES:
    mail.renderer(_template)(_registration_renderer(_template))


async def cancelled_by_you(registration: Registration, occurrence: Occurrence) -> None:
    await _send(registration, "booking/cancelled_by_you", await _context(registration, occurrence))


async def cancelled_by_organiser(
    registration: Registration, occurrence: Occurrence, note: str = ""
) -> None:
    context = await _context(registration, occurrence)
    await _send(registration, "booking/cancelled_by_organiser", {**context, "note": note})


async def reminder(registration: Registration, occurrence: Occurrence) -> None:
    """The day before, with the .ics and the check-in QR code again."""
    context = await _context(registration, occurrence)
    await _send(
        registration,
        "booking/reminder",
        context,
        attachments=_attachments(registration, context),
        dedupe_key=f"reminder-{registration.id}",
    )


async def send_links(email: str, language: str, now: datetime) -> None:
    """ "Resend my links": one mail listing the upcoming registrations of an address that has
    registered. An unknown address gets nothing, but the same work is done, so the answer
    takes as long either way (nobody learns who has registered)."""
    from booking.registrations import ACTIVE, current_status

    async with in_transaction():
        known = await Registration.exists(email=email)
        found = await Registration.filter(
            email=email, status__in=ACTIVE, occurrence__ends_at__gt=now
        ).select_related("occurrence__event", "occurrence__venue")
        upcoming = sorted(
            (r for r in found if current_status(r, now) in ACTIVE),
            key=lambda r: (r.occurrence.starts_at, r.id),
        )
        texts = await texts_by_event(r.occurrence.event.id for r in upcoming)
        listed = []
        for registration in upcoming:
            text = pick_text(texts.get(registration.occurrence.event.id, []), language)
            listed.append(
                {
                    "event_title": text.title if text else registration.occurrence.event.slug,
                    "occurrence": registration.occurrence,
                    "manage_url": manage_url(registration),
                }
            )
        context = {"registrations": listed}
        if known:
            await mail.enqueue(
                to=email, language=language, template="booking/links", context=context
            )
        else:
            mail.render("booking/links", language, {**context, "attached": []})
