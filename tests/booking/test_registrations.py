"""Registering, the waitlist, cancelling and capacity changes, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from booking import capacity, tokens, waitlist
from booking.models import Registration, RegistrationStatus
from booking.registrations import cancel, confirm_offer, register, set_capacity
from events.models import OccurrenceStatus
from tests.factories import make_event, make_occurrence, registration_form
from venskab.errors import Conflict, Invalid, NotFound

Status = RegistrationStatus


async def seats(occurrence, now=None):
    return await capacity.availability(occurrence, now or timezone.now())


async def test_free_seats_are_confirmed_at_once():
    occurrence = await make_occurrence(capacity=5)
    outcome = await register(occurrence.id, registration_form(seats=2), timezone.now())
    assert outcome.registration.status == Status.CONFIRMED
    assert (await seats(occurrence)).confirmed == 2


async def test_a_full_date_puts_the_party_on_the_waitlist_with_its_position():
    occurrence = await make_occurrence(capacity=2)
    now = timezone.now()
    await register(occurrence.id, registration_form(seats=2), now)
    first = (await register(occurrence.id, registration_form(seats=1), now)).registration
    second = (await register(occurrence.id, registration_form(seats=1), now)).registration
    assert first.status == second.status == Status.WAITLISTED
    assert await waitlist.position(first) == 1
    assert await waitlist.position(second) == 2


async def test_three_seats_when_two_are_left_wait_as_one_party():
    occurrence = await make_occurrence(capacity=4)
    now = timezone.now()
    await register(occurrence.id, registration_form(seats=2), now)
    family = (await register(occurrence.id, registration_form(seats=3), now)).registration
    assert family.status == Status.WAITLISTED and family.seats == 3
    assert (await seats(occurrence)).confirmed == 2


async def test_full_without_waitlist_is_refused_and_nothing_is_written():
    occurrence = await make_occurrence(capacity=1, waitlist_enabled=False)
    now = timezone.now()
    await register(occurrence.id, registration_form(), now)
    with pytest.raises(Conflict):
        await register(occurrence.id, registration_form(), now)
    assert await Registration.filter(occurrence=occurrence).count() == 1


async def test_the_same_form_twice_makes_one_registration():
    occurrence = await make_occurrence(capacity=5)
    form = registration_form(seats=2)
    first = await register(occurrence.id, form, timezone.now())
    again = await register(occurrence.id, form, timezone.now())
    assert again.repeated and again.registration.id == first.registration.id
    assert await Registration.all().count() == 1


async def test_cancelling_promotes_the_waitlist_in_the_same_transaction():
    occurrence = await make_occurrence(capacity=2, offer_hours=0)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(seats=2), now)).registration
    waiting = (await register(occurrence.id, registration_form(seats=2), now)).registration
    outcome = await cancel(taken, now)
    assert [r.id for r in outcome.promoted] == [waiting.id]
    assert (await Registration.get(id=waiting.id)).status == Status.CONFIRMED


async def test_a_promotion_is_an_offer_that_expires_and_frees_its_seats_without_any_job():
    occurrence = await make_occurrence(capacity=1, offer_hours=24)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(), now)).registration
    waiting = (await register(occurrence.id, registration_form(), now)).registration
    await cancel(taken, now)
    offered = await Registration.get(id=waiting.id)
    assert offered.status == Status.OFFERED
    assert offered.expires_at == now + timedelta(hours=24)
    assert (await seats(occurrence, now)).held == 1
    later = now + timedelta(hours=25)
    assert (await seats(occurrence, later)).held == 0
    with pytest.raises(Conflict):
        await confirm_offer(offered, later)


async def test_an_offer_confirmed_in_time_takes_the_seats():
    occurrence = await make_occurrence(capacity=1, offer_hours=24)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(), now)).registration
    waiting = (await register(occurrence.id, registration_form(), now)).registration
    await cancel(taken, now)
    confirmed = await confirm_offer(waiting, now + timedelta(hours=1))
    assert confirmed.status == Status.CONFIRMED
    assert (await seats(occurrence, now + timedelta(days=3))).confirmed == 1


async def test_an_expired_offer_is_seen_on_the_next_booking_and_passes_to_the_next_party():
    occurrence = await make_occurrence(capacity=1, offer_hours=1)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(), now)).registration
    first = (await register(occurrence.id, registration_form(), now)).registration
    second = (await register(occurrence.id, registration_form(), now)).registration
    await cancel(taken, now)
    later = now + timedelta(hours=2)
    newcomer = (await register(occurrence.id, registration_form(), later)).registration
    assert (await Registration.get(id=first.id)).status == Status.EXPIRED
    assert (await Registration.get(id=second.id)).status == Status.OFFERED
    assert newcomer.status == Status.WAITLISTED


async def test_newcomers_do_not_jump_the_queue():
    occurrence = await make_occurrence(capacity=2, offer_hours=24)
    now = timezone.now()
    taken = (await register(occurrence.id, registration_form(seats=2), now)).registration
    waiting = (await register(occurrence.id, registration_form(seats=2), now)).registration
    await cancel(taken, now)  # the two seats are offered to `waiting`
    newcomer = (await register(occurrence.id, registration_form(), now)).registration
    assert newcomer.status == Status.WAITLISTED
    assert (await Registration.get(id=waiting.id)).status == Status.OFFERED


async def test_single_seats_pass_a_large_family_only_a_bounded_number_of_times():
    occurrence = await make_occurrence(capacity=6, offer_hours=0, max_seats_per_registration=6)
    now = timezone.now()
    holders = [
        (await register(occurrence.id, registration_form(), now)).registration for _ in range(6)
    ]
    family = (await register(occurrence.id, registration_form(seats=4), now)).registration
    singles = []
    for holder in holders[: waitlist.MAX_TIMES_PASSED + 1]:
        await cancel(holder, now)
        singles.append((await register(occurrence.id, registration_form(), now)).registration)
    statuses = [(await Registration.get(id=s.id)).status for s in singles]
    passed = statuses[: waitlist.MAX_TIMES_PASSED]
    assert passed == [Status.CONFIRMED] * waitlist.MAX_TIMES_PASSED
    assert statuses[-1] == Status.WAITLISTED  # the family's seats are kept for it now
    assert (await Registration.get(id=family.id)).times_passed == waitlist.MAX_TIMES_PASSED


async def test_raising_capacity_promotes_and_lowering_below_taken_is_refused():
    occurrence = await make_occurrence(capacity=1, offer_hours=0)
    now = timezone.now()
    await register(occurrence.id, registration_form(), now)
    waiting = (await register(occurrence.id, registration_form(seats=2), now)).registration
    promoted = await set_capacity(occurrence.id, 3, now)
    assert [r.id for r in promoted] == [waiting.id]
    with pytest.raises(Invalid):
        await set_capacity(occurrence.id, 2, now)


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"status": OccurrenceStatus.CANCELLED}, Conflict),
        ({"capacity": None}, Conflict),
    ],
)
async def test_what_cannot_take_registrations_refuses_them(values, error):
    occurrence = await make_occurrence(**values)
    with pytest.raises(error):
        await register(occurrence.id, registration_form(), timezone.now())
    assert await Registration.all().count() == 0


async def test_the_registration_window_is_kept():
    now = timezone.now()
    early = await make_occurrence(registration_opens_at=now + timedelta(days=1))
    late = await make_occurrence(registration_closes_at=now - timedelta(minutes=1))
    for occurrence in (early, late):
        with pytest.raises(Conflict):
            await register(occurrence.id, registration_form(), now)


async def test_more_seats_than_allowed_is_invalid():
    occurrence = await make_occurrence(max_seats_per_registration=4)
    with pytest.raises(Invalid) as raised:
        await register(occurrence.id, registration_form(seats=5), timezone.now())
    assert set(raised.value.errors) == {"seats"}


async def test_a_priced_event_without_payments_set_up_says_so():
    occurrence = await make_occurrence(await make_event(price_ore=6000))
    with pytest.raises(Conflict) as raised:
        await register(occurrence.id, registration_form(), timezone.now())
    assert "payment" in raised.value.message


async def test_manage_links_open_only_their_registration():
    occurrence = await make_occurrence()
    registration = (await register(occurrence.id, registration_form(), timezone.now())).registration
    token = tokens.manage_token(registration)
    assert (await tokens.by_manage_token(token)).id == registration.id
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (
        forged,
        f"{registration.id}-x",
        "nonsense",
        tokens.checkin_token(registration),
    ):
        with pytest.raises(NotFound):
            await tokens.by_manage_token(bad)


async def test_cancelling_twice_changes_nothing_the_second_time():
    occurrence = await make_occurrence()
    registration = (await register(occurrence.id, registration_form(), timezone.now())).registration
    await cancel(registration, timezone.now())
    assert (await cancel(registration, timezone.now())).repeated


async def test_a_key_used_for_another_date_reveals_nothing():
    first = await make_occurrence()
    second = await make_occurrence()
    form = registration_form()
    await register(first.id, form, timezone.now())
    with pytest.raises(Invalid):
        await register(second.id, form, timezone.now())
    assert await Registration.filter(occurrence=second).count() == 0


async def test_a_date_with_registrations_cannot_become_drop_in():
    occurrence = await make_occurrence(capacity=5)
    await register(occurrence.id, registration_form(), timezone.now())
    with pytest.raises(Invalid):
        await set_capacity(occurrence.id, None, timezone.now())
