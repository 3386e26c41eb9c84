"""Camp families racing for the last places (first come, first served), across processes on
PostgreSQL: the session is never overfilled and siblings are never split (issue 5, "Proof").

Two processes (tests/booking/race_worker.py camp-apply) each submit 20 applications at once,
families of 1–3 children kept together, all for one session with few places left, through
booking/camp.apply as the form does. The control twin runs the same race with
VENSKAB_CAPACITY_LOCK=0 and must overfill, showing the test can fail. As in test_races.py,
these run on PostgreSQL only (the PostgreSQL pass of CI; there a missing PostgreSQL fails the
whole pass) and skip on SQLite.
"""

from __future__ import annotations

from collections import Counter

import pytest
from tortoise import timezone

from booking import camp
from booking.models import CampApplication, Child, Registration, RegistrationStatus
from tests.booking.test_races import LOCK, attempts_of, race
from tests.factories import application_input, child_input, make_camp
from venskab.models import OutboxMessage

Status = RegistrationStatus
CAPACITY = 30
TAKEN = 24  # 8 families of 3 before the race: 6 places left
FAMILIES = 20  # per process


@pytest.fixture(autouse=True)
def postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip(
            "races across processes run on PostgreSQL only (VENSKAB_TEST_DB=postgres://…), "
            "as in the PostgreSQL pass of CI"
        )


async def nearly_full_session():
    camp_row, (session,) = await make_camp(ages=[(6, 13)], capacity=CAPACITY)
    for _ in range(TAKEN // 3):
        form = application_input([child_input([session], age=9) for _ in range(3)])
        await camp.apply(camp_row, form, timezone.now())
    return camp_row, session


@LOCK
async def test_families_racing_for_the_last_places_never_overfill_or_split(lock):
    camp_row, session = await nearly_full_session()
    reports = await race(
        ["camp-apply", str(camp_row.id), str(session.id), str(FAMILIES), "a"],
        ["camp-apply", str(camp_row.id), str(session.id), str(FAMILIES), "b"],
        lock=lock,
    )
    attempts = attempts_of(reports)
    assert len(attempts) == 2 * FAMILIES
    rows = await Registration.filter(occurrence=session)
    confirmed = sum(r.seats for r in rows if r.status == Status.CONFIRMED)
    if not lock:  # the control twin: without the lock the same race overfills the session
        assert confirmed > CAPACITY, "the control twin did not overfill: the test cannot fail"
        return

    assert confirmed <= CAPACITY
    applied = [a for a in attempts if a["outcome"] == "applied"]
    busy = [a for a in attempts if a["outcome"] == "busy"]
    assert len(applied) + len(busy) == len(attempts)
    # Busy means "not applied, try again": nothing of it was written.
    assert await CampApplication.filter(idempotency_key__in=[a["key"] for a in busy]).count() == 0
    assert sum(a["children"] for a in applied) > CAPACITY - TAKEN  # the race had losers
    outcomes: Counter = Counter()
    for attempt in applied:
        children = await Child.filter(application_id=attempt["application"]).select_related(
            "registration"
        )
        assert len(children) == attempt["children"]
        registrations = {c.registration_id for c in children}
        assert len(registrations) == 1 and None not in registrations, "siblings split"
        registration = children[0].registration
        assert registration.seats == len(children)
        assert registration.status in (Status.CONFIRMED, Status.WAITLISTED)
        outcomes[registration.status] += 1
    assert outcomes[Status.CONFIRMED] >= 1 and outcomes[Status.WAITLISTED] >= 1
    assert confirmed > TAKEN
    # One registration per family, each told once that it applied.
    assert len(rows) == TAKEN // 3 + len(applied)
    assert await OutboxMessage.filter(template="camp/applied").count() == TAKEN // 3 + len(applied)
