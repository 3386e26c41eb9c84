"""The waitlist rule, pure: order, never split, bounded passing (booking/waitlist.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from booking.waitlist import MAX_TIMES_PASSED, Party, choose


def test_parties_are_served_in_the_order_they_joined():
    decision = choose(4, [Party("a", 2), Party("b", 2), Party("c", 2)])
    assert decision.admitted == ["a", "b"]


def test_a_party_is_never_split():
    decision = choose(2, [Party("family", 3)])
    assert decision.admitted == []


def test_a_smaller_party_may_pass_one_that_does_not_fit():
    decision = choose(2, [Party("family", 3), Party("single", 1)])
    assert decision.admitted == ["single"]
    assert decision.times_passed == {"family": 1}


def test_a_party_passed_the_maximum_number_of_times_is_served_first():
    family = Party("family", 3, times_passed=MAX_TIMES_PASSED)
    decision = choose(2, [family, Party("single", 1)])
    assert decision.admitted == []
    assert decision.times_passed == {}


def test_passing_stops_as_soon_as_the_bound_is_reached():
    family = Party("family", 3, times_passed=MAX_TIMES_PASSED - 1)
    decision = choose(2, [family, Party("one", 1), Party("two", 1)])
    assert decision.admitted == ["one"]
    assert decision.times_passed == {"family": MAX_TIMES_PASSED}


parties = st.lists(st.tuples(st.integers(1, 6), st.integers(0, MAX_TIMES_PASSED)), max_size=12).map(
    lambda rows: [Party(i, seats, passed) for i, (seats, passed) in enumerate(rows)]
)


@given(free=st.integers(0, 20), queue=parties)
def test_rule_holds_for_any_queue(free, queue):
    decision = choose(free, queue)
    by_key = {party.key: party for party in queue}
    admitted = [by_key[key] for key in decision.admitted]
    # Never more seats than free, never a split party, order kept.
    assert sum(party.seats for party in admitted) <= free
    assert decision.admitted == [p.key for p in queue if p.key in set(decision.admitted)]
    # Everyone passed was ahead of someone admitted, and no count goes beyond the bound.
    for key, count in decision.times_passed.items():
        assert count <= MAX_TIMES_PASSED
        assert count == by_key[key].times_passed + sum(1 for a in admitted if a.key > key)
    # Nobody is admitted past a party that had already reached the bound.
    for party in queue:
        if party.times_passed >= MAX_TIMES_PASSED and party.key not in decision.admitted:
            assert all(a.key < party.key for a in admitted)
    # The head of the queue is served whenever it fits.
    if queue and queue[0].seats <= free:
        assert decision.admitted[0] == queue[0].key
