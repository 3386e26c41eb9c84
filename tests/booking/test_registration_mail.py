"""Registration mails (booking/messages.py) are rendered when sent: under the date's lock
only a row with the registration's id and what it was told (the template, the waitlist
position, an offer's deadline) is written; the worker renders the words, the .ics and the
check-in QR code before sending, as they are then."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import pytest
from tortoise import timezone

from booking import messages, tickets
from booking.models import Registration, RegistrationStatus
from booking.registrations import cancel, register
from events.models import EventText
from tests.factories import make_occurrence, registration_form
from tests.mail_helpers import render_outbox
from venskab import mail, worker
from venskab.models import OutboxMessage

Status = RegistrationStatus


def test_the_worker_loads_the_registration_renderers():
    assert "booking.messages" in worker.RENDERERS
    worker.load_renderers()
    assert set(messages.REGISTRATION_TEMPLATES) <= mail.renderable()


async def test_a_confirmation_is_one_small_row_then_rendered_with_its_ticket():
    occurrence = await make_occurrence(capacity=5)
    outcome = await register(occurrence.id, registration_form(language="en"), timezone.now())
    registration = outcome.registration
    written = await OutboxMessage.get(to_address=registration.email)
    assert (written.template, written.params) == (
        "booking/confirmed",
        {"registration": registration.id},
    )
    assert (written.subject, written.text_body, written.attachments) == ("", "", [])
    # What it says is read when it is sent: a title changed meanwhile is the one shown.
    await EventText.filter(event_id=occurrence.event_id, language="en").update(title="Renamed")
    await render_outbox()
    sent = await OutboxMessage.get(id=written.id)
    assert sent.rendered_at is not None and "Renamed" in sent.subject
    assert messages.manage_url(registration) in sent.text_body
    attached = {a["filename"]: base64.b64decode(a["data_b64"]) for a in sent.attachments}
    assert set(attached) == {"event.ics", "checkin-qr.png"}
    qr = attached["checkin-qr.png"]
    assert qr.startswith(b"\x89PNG\r\n\x1a\n")
    assert qr == tickets.qr_png(messages.checkin_url(registration))  # segno's own PNG


async def test_the_waitlist_position_is_the_one_at_registering():
    occurrence = await make_occurrence(capacity=1, max_seats_per_registration=1, offer_hours=0)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(), now)).registration
    first = (await register(occurrence.id, registration_form(), now)).registration
    english = registration_form(language="en")
    second = (await register(occurrence.id, english, now)).registration
    told = await OutboxMessage.get(to_address=second.email)
    assert told.params == {"registration": second.id, "position": 2}
    await cancel(taken, now)  # `first` moves up before the mails are sent
    assert (await Registration.get(id=first.id)).status == Status.CONFIRMED
    await render_outbox()
    waiting = await OutboxMessage.get(id=told.id)
    assert "2" in waiting.text_body and waiting.attachments == []
    promoted = await OutboxMessage.get(
        to_address=first.email, template="booking/promoted_confirmed"
    )
    assert promoted.params == {"registration": first.id}
    assert {a["filename"] for a in promoted.attachments} == {"event.ics", "checkin-qr.png"}


async def test_an_offer_keeps_its_deadline_as_written():
    occurrence = await make_occurrence(capacity=1, offer_hours=24)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(), now)).registration
    waiting = (await register(occurrence.id, registration_form(), now)).registration
    await cancel(taken, now)
    offer = await OutboxMessage.get(to_address=waiting.email, template="booking/offered")
    deadline = (await Registration.get(id=waiting.id)).expires_at
    assert offer.params == {"registration": waiting.id, "confirm_by": deadline.isoformat()}
    assert datetime.fromisoformat(offer.params["confirm_by"]) - now == timedelta(hours=24)
    await render_outbox()
    assert messages.manage_url(waiting) in (await OutboxMessage.get(id=offer.id)).text_body


async def test_a_registration_erased_before_sending_is_not_written_to():
    occurrence = await make_occurrence(capacity=5)
    registration = (await register(occurrence.id, registration_form(), timezone.now())).registration
    message = await OutboxMessage.get(to_address=registration.email)
    await Registration.filter(id=registration.id).delete()
    with pytest.raises(mail.Unrenderable):
        await mail.render_stored(message, timezone.now())
