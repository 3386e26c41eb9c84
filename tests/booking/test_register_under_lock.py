"""Registering reads what it can before waiting for the occurrence's lock: what an organiser
changes meanwhile must still decide (booking/registrations.py register, capacity.locked_tally),
and the same form sent twice at once still makes one registration."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from tortoise import timezone

from booking import capacity
from booking.models import Registration, RegistrationStatus
from booking.registrations import register
from events.models import Event, EventStatus, Occurrence, OccurrenceStatus
from tests.factories import make_occurrence, registration_form
from venskab.errors import Conflict, NotFound

Status = RegistrationStatus


@pytest.fixture
def organiser_changes_first(monkeypatch):
    """Makes an organiser's change land after register() read the date and before it got
    the lock."""

    def change(**values):
        real = capacity.locked_tally

        @contextlib.asynccontextmanager
        async def changed_meanwhile(occurrence, now, form_key=None):
            await Occurrence.filter(id=occurrence.id).update(**values)
            async with real(occurrence, now, form_key) as tally:
                yield tally

        monkeypatch.setattr(capacity, "locked_tally", changed_meanwhile)

    return change


async def test_a_date_cancelled_while_waiting_for_the_lock_takes_nobody(organiser_changes_first):
    occurrence = await make_occurrence(capacity=5)
    organiser_changes_first(status=OccurrenceStatus.CANCELLED)
    with pytest.raises(Conflict):
        await register(occurrence.id, registration_form(), timezone.now())
    assert await Registration.all().count() == 0


async def test_capacity_lowered_while_waiting_for_the_lock_is_the_one_counted(
    organiser_changes_first,
):
    occurrence = await make_occurrence(capacity=5)
    now = timezone.now()
    await register(occurrence.id, registration_form(), now)
    organiser_changes_first(capacity=1)
    late = (await register(occurrence.id, registration_form(), now)).registration
    assert late.status == Status.WAITLISTED


async def test_waitlist_closed_while_waiting_for_the_lock_refuses_a_full_date(
    organiser_changes_first,
):
    occurrence = await make_occurrence(capacity=1)
    now = timezone.now()
    await register(occurrence.id, registration_form(), now)
    organiser_changes_first(waitlist_enabled=False)
    with pytest.raises(Conflict):
        await register(occurrence.id, registration_form(), now)
    assert await Registration.filter(occurrence=occurrence).count() == 1


async def test_the_tally_counts_seats_and_the_queue_under_the_lock():
    occurrence = await make_occurrence(capacity=2, max_seats_per_registration=2)
    now = timezone.now()
    await register(occurrence.id, registration_form(seats=2), now)
    first = (await register(occurrence.id, registration_form(), now)).registration
    last = (await register(occurrence.id, registration_form(seats=2), now)).registration
    read = await Occurrence.get(id=occurrence.id).select_related("event")
    async with capacity.locked_tally(read, now) as tally:
        assert tally.seats == capacity.Availability(capacity=2, confirmed=2, waitlisted=3)
        assert tally.waiting == 2
        assert tally.last_queued_at == max(first.queued_at, last.queued_at)
        assert tally.lapsed == 0
        assert tally.keyed is None


async def test_the_tally_finds_the_registration_a_form_key_made():
    occurrence = await make_occurrence(capacity=5)
    form = registration_form()
    now = timezone.now()
    made = (await register(occurrence.id, form, now)).registration
    read = await Occurrence.get(id=occurrence.id).select_related("event")
    async with capacity.locked_tally(read, now, form.idempotency_key) as tally:
        assert tally.keyed == (made.id, occurrence.id)


async def test_the_same_form_sent_twice_at_once_makes_one_registration():
    occurrence = await make_occurrence(capacity=5)
    form = registration_form()
    now = timezone.now()
    outcomes = await asyncio.gather(
        register(occurrence.id, form, now), register(occurrence.id, form, now)
    )
    assert await Registration.filter(occurrence=occurrence).count() == 1
    assert outcomes[0].registration.id == outcomes[1].registration.id
    assert sorted(outcome.repeated for outcome in outcomes) == [False, True]


async def test_a_form_sent_again_after_the_date_closed_finds_its_registration():
    occurrence = await make_occurrence(capacity=5)
    form = registration_form()
    now = timezone.now()
    made = (await register(occurrence.id, form, now)).registration
    await Occurrence.filter(id=occurrence.id).update(status=OccurrenceStatus.CANCELLED)
    again = await register(occurrence.id, form, now)
    assert again.repeated and again.registration.id == made.id


@pytest.fixture
def dates_kept(monkeypatch):
    """register() keeps the dates it read, as in production (the suite runs without)."""
    from booking import registrations
    from venskab import settings

    monkeypatch.setattr(settings, "PAGE_CACHE_SECONDS", 60)
    registrations._DATES.clear()
    yield
    registrations._DATES.clear()


async def test_a_kept_date_is_still_read_again_under_the_lock(dates_kept):
    occurrence = await make_occurrence(capacity=1, waitlist_enabled=False)
    now = timezone.now()
    await register(occurrence.id, registration_form(), now)  # the date is kept from here
    await Occurrence.filter(id=occurrence.id).update(capacity=2)
    second = (await register(occurrence.id, registration_form(), now)).registration
    assert second.status == Status.CONFIRMED
    await Event.filter(id=occurrence.event_id).update(status=EventStatus.DRAFT)
    with pytest.raises(NotFound):  # withdrawn meanwhile: the tally reads the event too
        await register(occurrence.id, registration_form(), now)
    assert await Registration.filter(occurrence=occurrence).count() == 2


async def test_the_lock_function_is_made_again_after_a_rolled_back_first_use(backend):
    """PostgreSQL: the lock-and-tally function is made in the transaction that first needs
    it on a connection; when that transaction rolls back, the next one makes it again."""
    if backend != "postgres":
        pytest.skip("the function is PostgreSQL's")
    occurrence = await make_occurrence(capacity=1, waitlist_enabled=False)
    now = timezone.now()
    await register(occurrence.id, registration_form(), now)
    for _ in range(12):  # more than the pool's connections: each first use rolls back
        capacity._FUNCTION_READY.clear()
        with pytest.raises(Conflict):
            await register(occurrence.id, registration_form(), now)
        assert capacity._FUNCTION_READY == {}
    await Occurrence.filter(id=occurrence.id).update(capacity=2)
    assert (await register(occurrence.id, registration_form(), now)).registration.id
