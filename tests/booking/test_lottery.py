"""The camp lottery (booking/lottery.py): the rule for any input (hypothesis), and the draw
applied to a camp once, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise import timezone

from booking import camp, capacity, lottery, waitlist
from booking.lottery import Unit
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampDraw,
    Child,
    Registration,
    RegistrationStatus,
)
from tests.factories import application_input, child_input, make_camp
from venskab.errors import Conflict, Invalid
from venskab.models import OutboxMessage

Status = RegistrationStatus
GONE = 999  # a session that is not in free_places (cancelled since the family chose it)

# The autouse database fixtures run once per test, not per example; these tests touch no
# database. No deadline: a shared CI machine is slow at times, and time is not the rule here.
pure = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# ---------------------------------------------------------------- the rule, for any input


@st.composite
def scenarios(draw):
    """Sessions with free places, and families of 1–4 children each choosing 0–4 sessions
    (kept together: one unit with the sessions all may go to; or one unit per child)."""
    sessions = draw(st.lists(st.integers(1, 50), min_size=1, max_size=6, unique=True))
    free = {s: draw(st.integers(0, 12)) for s in sessions}
    applications = draw(st.lists(st.integers(1, 10_000), max_size=30, unique=True))
    choices = st.lists(st.sampled_from([*sessions, GONE]), max_size=4, unique=True)
    units, child_id = [], 0
    for application in applications:
        children = tuple(range(child_id + 1, child_id + 1 + draw(st.integers(1, 4))))
        child_id += len(children)
        together = draw(st.booleans())
        for group in [children] if together else [(c,) for c in children]:
            units.append(Unit(application, group, tuple(draw(choices))))
    waitlists = draw(st.none() | st.sets(st.sampled_from(sessions)))
    seed = draw(st.text(min_size=1, max_size=20))
    order = draw(st.permutations(units))  # the order the caller happens to list them in
    return order, free, waitlists, seed


@pure
@given(scenarios())
def test_no_session_is_given_more_places_than_it_has_free(scenario):
    units, free, waitlists, seed = scenario
    taken: Counter = Counter()
    for drawn in lottery.draw(units, free, seed, waitlists=waitlists):
        if drawn.placed:
            taken[drawn.session] += drawn.unit.size
    assert all(taken[s] <= free.get(s, 0) for s in taken)


@pure
@given(scenarios())
def test_every_unit_is_drawn_once_whole(scenario):
    """Siblings kept together are placed together or wait together: a unit is never split."""
    units, free, waitlists, seed = scenario
    result = lottery.draw(units, free, seed, waitlists=waitlists)
    assert sorted(d.unit.key for d in result) == sorted(u.key for u in units)
    assert {d.unit for d in result} == set(units)  # each with all its children and choices
    children = [c for d in result for c in d.unit.children]
    assert len(children) == len(set(children))


@pure
@given(scenarios())
def test_each_unit_gets_its_best_week_with_room_at_its_turn(scenario):
    """Replaying the draw order: a placed unit is in the first of its choices that had room
    for all of it when its turn came."""
    units, free, waitlists, seed = scenario
    result = lottery.draw(units, free, seed, waitlists=waitlists)
    assert [d.unit for d in result] == lottery.draw_order(units, seed)
    left = dict(free)
    for drawn in result:
        with_room = [s for s in drawn.unit.candidates if left.get(s, 0) >= drawn.unit.size]
        if with_room:
            assert drawn.placed and drawn.session == with_room[0]
            left[drawn.session] -= drawn.unit.size
        else:
            assert not drawn.placed


@pure
@given(scenarios())
def test_a_unit_waits_exactly_when_no_chosen_week_has_room_at_its_turn(scenario):
    """It waits in its first choice's queue (when that keeps one; else it is placed nowhere),
    and places only ever shrink, so no chosen week has room for it at the end either."""
    units, free, waitlists, seed = scenario
    result = lottery.draw(units, free, seed, waitlists=waitlists)
    left = dict(free)
    for drawn in result:
        if drawn.placed:
            left[drawn.session] -= drawn.unit.size
    for drawn in result:
        if drawn.placed:
            continue
        first = drawn.unit.candidates[0] if drawn.unit.candidates else None
        queued = first is not None and (waitlists is None or first in waitlists)
        assert (drawn.session, drawn.waitlisted) == ((first, True) if queued else (None, False))
        assert all(left.get(s, 0) < drawn.unit.size for s in drawn.unit.candidates)


@pure
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_same_seed_and_applications_give_the_same_result(scenario, shuffler):
    units, free, waitlists, seed = scenario
    first = lottery.draw(units, free, seed, waitlists=waitlists)
    listed_otherwise = list(units)
    shuffler.shuffle(listed_otherwise)
    assert lottery.draw(listed_otherwise, free, seed, waitlists=waitlists) == first
    assert lottery.input_hash(listed_otherwise) == lottery.input_hash(units)


def families(count: int) -> list[Unit]:
    return [Unit(n, (n * 10,), (1, 2)) for n in range(1, count + 1)]


def test_a_different_seed_usually_gives_a_different_order():
    units = families(8)  # 40,320 possible orders
    orders = {tuple(u.key for u in lottery.draw_order(units, f"seed {n}")) for n in range(200)}
    assert len(orders) >= 195
    first_drawn = Counter(lottery.draw_order(units, f"seed {n}")[0].application for n in range(800))
    assert set(first_drawn) == set(range(1, 9))  # anyone may be drawn first
    assert max(first_drawn.values()) < 200  # nobody is favoured (100 expected each)


def test_the_order_for_a_seed_never_changes():
    """An audit repeats a draw years later: the order for a seed is pinned here, so a change of
    Python's random module (or of this code) that would alter a recorded draw is noticed."""
    order = lottery.draw_order(families(10), "2026-05-04 Rådhuspladsen 17")
    assert [u.application for u in order] == PINNED_ORDER


PINNED_ORDER = [6, 1, 10, 7, 9, 5, 3, 2, 8, 4]


def test_the_input_hash_changes_with_any_choice():
    units = families(3)
    changed = [*units[:2], Unit(3, (30,), (2, 1))]
    assert lottery.input_hash(units) != lottery.input_hash(changed)
    assert len(lottery.input_hash(units)) == 64


def test_a_unit_listed_twice_is_refused():
    with pytest.raises(ValueError):
        lottery.draw([*families(2), families(1)[0]], {1: 5}, "seed")


# ---------------------------------------------------------------- a camp's draw


async def lottery_camp(**values):
    """A lottery camp whose window closes in an hour; returns it, its sessions, and a moment
    after the window closed."""
    now = timezone.now()
    camp_row, sessions = await make_camp(
        allocation=AllocationRule.LOTTERY, applications_close_at=now + timedelta(hours=1), **values
    )
    return camp_row, sessions, now + timedelta(hours=2)


async def apply_families(camp_row, choices, count, *, size=1, together=True, age=8):
    applications = []
    for _ in range(count):
        form = application_input(
            [child_input(choices, age=age) for _ in range(size)], keep_siblings_together=together
        )
        applications.append((await camp.apply(camp_row, form, timezone.now())).application)
    return applications


async def test_the_draw_waits_until_the_window_has_closed():
    camp_row, (young, _, _), _ = await lottery_camp()
    await apply_families(camp_row, [young], 2)
    with pytest.raises(Conflict):
        await lottery.run_draw(camp_row, "seed", "admin@venskab.example", timezone.now())
    assert await CampDraw.all().count() == 0
    assert await Registration.all().count() == 0
    assert (await Camp.get(id=camp_row.id)).drawn_at is None


async def test_a_first_come_camp_has_no_draw():
    camp_row, _ = await make_camp(applications_close_at=timezone.now())
    with pytest.raises(Conflict):
        await lottery.run_draw(camp_row, "seed", "admin@venskab.example", timezone.now())


async def test_the_seed_is_required():
    camp_row, _, after = await lottery_camp()
    with pytest.raises(Invalid):
        await lottery.run_draw(camp_row, "  ", "admin@venskab.example", after)


async def test_the_draw_runs_only_once():
    camp_row, (young, _, _), after = await lottery_camp()
    await apply_families(camp_row, [young], 3)
    await lottery.run_draw(camp_row, "first", "admin@venskab.example", after)
    assert camp_row.drawn_at == after
    with pytest.raises(Conflict, match="already"):
        await lottery.run_draw(camp_row, "second", "admin@venskab.example", after)
    # Also when the caller still holds the camp as it was before the first draw.
    stale = await Camp.get(id=camp_row.id)
    stale.drawn_at = None
    with pytest.raises(Conflict, match="already"):
        await lottery.run_draw(stale, "second", "admin@venskab.example", after)
    assert await CampDraw.all().count() == 1
    assert await Registration.all().count() == 3


async def test_siblings_are_placed_together_in_their_best_week_with_room():
    camp_row, (young, _, mixed), after = await lottery_camp(capacity=4)
    await apply_families(camp_row, [young, mixed], 3, size=2)
    await lottery.run_draw(camp_row, "siblings", "admin@venskab.example", after)
    registrations = await Registration.all().order_by("id")
    assert [(r.occurrence_id, r.seats, r.status) for r in registrations] == [
        (young.id, 2, Status.CONFIRMED),
        (young.id, 2, Status.CONFIRMED),
        (mixed.id, 2, Status.CONFIRMED),
    ]
    for registration in registrations:
        assert await Child.filter(registration=registration).count() == 2


async def test_the_queue_is_in_draw_order():
    camp_row, (young,), after = await lottery_camp(ages=[(6, 9)], capacity=3)
    await apply_families(camp_row, [young], 12)
    record = await lottery.run_draw(camp_row, "queue", "admin@venskab.example", after)
    waiting = [e["application"] for e in record.result if e["waitlisted"]]
    assert len(waiting) == 9
    queue = await waitlist.queue_of(young)
    assert [r.camp_application_id for r in queue] == waiting
    for number, registration in enumerate(queue, start=1):
        assert await waitlist.position(registration) == number
    seats = await capacity.availability(young, after)
    assert (seats.confirmed, seats.waitlisted) == (3, 9)


async def test_the_draw_is_recorded_and_can_be_replayed():
    camp_row, sessions, after = await lottery_camp(capacity=5)
    young, older, mixed = sessions
    await apply_families(camp_row, [young, mixed], 6, size=2)
    await apply_families(camp_row, [mixed, young], 4, size=3, together=False)
    await apply_families(camp_row, [older], 3, age=11)
    withdrawn = (await apply_families(camp_row, [young], 1))[0]
    await camp.withdraw_children(
        withdrawn, [c.id for c in await camp.application_children(withdrawn)], after
    )
    record = await lottery.run_draw(camp_row, "2026 public draw", "admin@venskab.example", after)

    await record.refresh_from_db()
    assert (record.seed, record.drawn_by, record.drawn_at) == (
        "2026 public draw",
        "admin@venskab.example",
        after,
    )
    assert record.applications == 13  # the withdrawn one is not drawn
    units = lottery.recorded_units(record.result)
    assert sum(u.size for u in units) == 6 * 2 + 4 * 3 + 3
    assert lottery.input_hash(units) == record.input_hash
    replayed = lottery.draw(units, {s.id: 5 for s in sessions}, record.seed)
    assert [d.record() for d in replayed] == record.result
    # The record names what the database holds: each unit's children share its registration.
    for entry in record.result:
        children = await Child.filter(id__in=entry["children"]).select_related("registration")
        registrations = {c.registration.id for c in children}
        assert len(registrations) == 1
        registration = children[0].registration
        assert registration.occurrence_id == entry["session"]
        assert registration.seats == len(entry["children"])
        waiting = Status.WAITLISTED if entry["waitlisted"] else Status.CONFIRMED
        assert registration.status == waiting


async def test_the_recorded_input_is_the_applications_as_submitted():
    """The hash covers what the families asked for: rebuilt from the children's stored
    choices, the units hash to the recorded value."""
    camp_row, sessions, after = await lottery_camp(capacity=2)
    young, _, mixed = sessions
    await apply_families(camp_row, [young, mixed], 3, size=2)
    await apply_families(camp_row, [mixed], 2)
    applications = list(await camp_row.applications.all().order_by("id"))
    children = await Child.filter(application__camp=camp_row).order_by("application_id", "number")
    units = lottery.units_for(applications, children, {s.id: s for s in sessions})
    record = await lottery.run_draw(camp_row, "as submitted", "admin@venskab.example", after)
    assert record.input_hash == lottery.input_hash(units)


async def test_every_application_is_allocated_and_told_its_result():
    camp_row, (young,), after = await lottery_camp(ages=[(6, 9)], capacity=2)
    applications = await apply_families(camp_row, [young], 4)
    await lottery.run_draw(camp_row, "mail", "admin@venskab.example", after)
    statuses = await camp_row.applications.all().values_list("status", flat=True)
    assert set(statuses) == {ApplicationStatus.ALLOCATED}
    told = Counter(m.to_address for m in await OutboxMessage.filter(template="camp/result"))
    assert told == {a.guardian_email: 1 for a in applications}


async def test_a_family_without_a_week_to_wait_in_is_placed_nowhere():
    camp_row, (young,), after = await lottery_camp(ages=[(6, 9)], capacity=1)
    young.waitlist_enabled = False
    await young.save()
    await apply_families(camp_row, [young], 3)
    record = await lottery.run_draw(camp_row, "no queue", "admin@venskab.example", after)
    assert Counter((e["session"], e["waitlisted"]) for e in record.result) == {
        (young.id, False): 1,
        (None, False): 2,
    }
    assert await Registration.all().count() == 1
    by_session = defaultdict(int)
    for session_id, tally in lottery.tally(record.result).items():
        by_session[session_id] += tally.placed_children
    assert by_session == {young.id: 1, None: 0}
