"""However an organiser cancels, every registrant is told and nobody is promoted into it."""

from __future__ import annotations

from tortoise import timezone

from booking.models import Registration, RegistrationStatus
from booking.registrations import register
from booking.waitlist import promote
from events.models import Occurrence, OccurrenceStatus
from events.services import cancel_occurrence
from tests.client_helpers import post_form, sign_in
from tests.factories import make_event, make_occurrence, make_organiser, registration_form
from venskab.models import OutboxMessage


async def test_cancelling_the_whole_event_tells_every_registrant(client):
    organiser = await make_organiser()
    event = await make_event(owner=organiser)
    dates = [await make_occurrence(event, capacity=1) for _ in range(2)]
    now = timezone.now()
    for occurrence in dates:
        await register(occurrence.id, registration_form(), now)
        await register(occurrence.id, registration_form(), now)  # waitlisted
    await sign_in(client, organiser)
    response = await post_form(client, f"/en/organiser/events/{event.id}/cancel")
    assert response.status_code == 303
    assert await Registration.exclude(status=RegistrationStatus.CANCELLED).count() == 0
    told = await OutboxMessage.filter(template="booking/cancelled_by_organiser").count()
    assert told == 4
    assert await OutboxMessage.filter(template__startswith="booking/promoted").count() == 0
    assert await OutboxMessage.filter(template="booking/offered").count() == 0


async def test_nobody_is_promoted_into_a_cancelled_date():
    occurrence = await make_occurrence(capacity=1)
    now = timezone.now()
    first = (await register(occurrence.id, registration_form(), now)).registration
    await register(occurrence.id, registration_form(), now)
    await cancel_occurrence(occurrence, now)
    await Registration.filter(id=first.id).update(status=RegistrationStatus.CANCELLED)
    cancelled = await Occurrence.get(id=occurrence.id).select_related("event")
    assert cancelled.status == OccurrenceStatus.CANCELLED
    assert await promote(cancelled, now) == []
