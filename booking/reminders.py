"""The reminder the day before: once per confirmed registration, run by the worker."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from booking import messages
from booking.models import Registration, RegistrationStatus
from events.models import EventStatus, OccurrenceStatus

REMIND_BEFORE = timedelta(hours=24)


async def send_reminders(now: datetime) -> int:
    """Confirmed registrations whose date starts within REMIND_BEFORE get one reminder.

    Sent once: reminder_sent_at is set by a conditional update in the same transaction as
    the outbox row, so two workers (or a repeated run) cannot both send it.
    """
    due = await Registration.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        occurrence__status=OccurrenceStatus.SCHEDULED,
        occurrence__event__status=EventStatus.PUBLISHED,
        occurrence__starts_at__gt=now,
        occurrence__starts_at__lte=now + REMIND_BEFORE,
    ).select_related("occurrence__event")
    sent = 0
    for registration in due:
        async with in_transaction():
            claimed = await Registration.filter(
                id=registration.id, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                await messages.reminder(registration, registration.occurrence)
                sent += 1
    return sent
