"""Who is told what, written to the outbox inside the transaction of the change itself, so a
message exists exactly when its change commits (venskab/mail.py sends it later).

Each message is in the registrant's language and carries their manage link.
"""

from __future__ import annotations

from collections.abc import Sequence
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


async def _context(
    registration: Registration, occurrence: Occurrence, texts: list[EventText] | None = None
) -> dict[str, Any]:
    """What every message shows. `texts`: the event's texts, when the caller read them (and
    the occurrence's venue with them) before taking the lock."""
    if texts is None:
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


async def registered(
    registration: Registration,
    occurrence: Occurrence,
    position: int | None,
    *,
    texts: list[EventText] | None = None,
):
    """Confirmation (with .ics and QR) or 'you are on the waitlist' (with the position).
    `texts`: see _context."""
    template, context, attachments = await _registered(registration, occurrence, position, texts)
    await _send(registration, template, context, attachments=attachments)


async def registered_message(
    registration: Registration,
    occurrence: Occurrence,
    position: int | None,
    *,
    texts: list[EventText] | None = None,
) -> OutboxMessage:
    """registered()'s message, rendered but not saved: the caller writes it together with
    the registration (see mail.message)."""
    template, context, attachments = await _registered(registration, occurrence, position, texts)
    return mail.message(
        to=registration.email,
        language=registration.language,
        template=template,
        context=_public(context),
        attachments=attachments,
    )


async def _registered(
    registration: Registration,
    occurrence: Occurrence,
    position: int | None,
    texts: list[EventText] | None,
) -> tuple[str, dict[str, Any], list[mail.Attachment]]:
    context = await _context(registration, occurrence, texts)
    if registration.status == RegistrationStatus.CONFIRMED:
        return "booking/confirmed", context, _attachments(registration, context)
    return "booking/waitlisted", {**context, "position": position}, []


async def promoted(promoted: Sequence[Registration], occurrence: Occurrence) -> None:
    """Parties promoted from the waitlist: an offer to confirm, or confirmed at once."""
    for registration in promoted:
        context = await _context(registration, occurrence)
        if registration.status == RegistrationStatus.OFFERED:
            await _send(
                registration, "booking/offered", {**context, "confirm_by": registration.expires_at}
            )
        else:
            await _send(
                registration,
                "booking/promoted_confirmed",
                context,
                attachments=_attachments(registration, context),
            )


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
