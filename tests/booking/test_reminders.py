"""The reminder the day before: confirmed registrations only, exactly once."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from booking.models import Registration
from booking.registrations import cancel, register
from booking.reminders import send_reminders
from tests.factories import make_occurrence, registration_form
from venskab.models import OutboxMessage


async def reminders_to(registration: Registration) -> int:
    return await OutboxMessage.filter(
        template="booking/reminder", to_address=registration.email
    ).count()


async def test_a_confirmed_registration_is_reminded_once_the_day_before():
    now = timezone.now()
    occurrence = await make_occurrence(starts_at=now + timedelta(days=3))
    registration = (await register(occurrence.id, registration_form(), now)).registration
    assert await send_reminders(now) == 0  # three days ahead: not yet
    day_before = occurrence.starts_at - timedelta(hours=20)
    assert await send_reminders(day_before) == 1
    assert await send_reminders(day_before + timedelta(hours=1)) == 0
    assert await reminders_to(registration) == 1
    reminder = await OutboxMessage.get(template="booking/reminder")
    assert reminder.language == "uk"
    assert {a["filename"] for a in reminder.attachments} == {"event.ics", "checkin-qr.png"}


async def test_waitlisted_and_cancelled_registrations_get_no_reminder():
    now = timezone.now()
    occurrence = await make_occurrence(starts_at=now + timedelta(days=2), capacity=1)
    kept = (await register(occurrence.id, registration_form(), now)).registration
    waiting = (await register(occurrence.id, registration_form(), now)).registration
    await cancel(kept, now)  # the waiting party is offered the seat, not confirmed
    assert await send_reminders(occurrence.starts_at - timedelta(hours=12)) == 0
    assert await reminders_to(kept) == await reminders_to(waiting) == 0
