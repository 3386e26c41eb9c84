"""Races across processes on PostgreSQL: a seat is never sold twice, a freed seat goes to the
right person once (DESIGN.md "Capacity"; SPEC.md "Capacity").

Each test commits its occurrence to the suite's test database, then starts two processes
(tests/booking/race_worker.py) that open the ORM as a web worker does (a pool of 10
connections), wait at a common start line and call the booking services concurrently
(asyncio.gather). Afterwards the test reads the rows.

Every race has a control twin: the same run with VENSKAB_CAPACITY_LOCK=0 in the workers'
environment, which must break the rule (oversell, or promote twice), so the test is shown to be
able to fail. Only PostgreSQL runs several processes against one database here; on SQLite these
tests skip (the PostgreSQL pass of CI runs them).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from tortoise import timezone

from booking import waitlist
from booking.models import Registration, RegistrationStatus
from booking.registrations import register
from tests.factories import make_occurrence, registration_form
from venskab.models import OutboxMessage

Status = RegistrationStatus
WORKER = Path(__file__).with_name("race_worker.py")
ROOT = WORKER.parents[2]
START_TIMEOUT = 30  # seconds for a worker to open the ORM and say "ready"
RACE_TIMEOUT = 60  # seconds for the race itself
LOCK = pytest.mark.parametrize("lock", [True, False], ids=["locked", "control-without-lock"])


@pytest.fixture(autouse=True)
def postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip(
            "races across processes run on PostgreSQL only (VENSKAB_TEST_DB=postgres://…), "
            "as in the PostgreSQL pass of CI"
        )


async def race(*commands: list[str], lock: bool = True) -> list[list[dict]]:
    """Start one worker per command, wait until all are ready, start them together, and
    return what each reported. Every worker is killed if anything goes wrong."""
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],  # the suite's test database (conftest.py)
        "VENSKAB_CAPACITY_LOCK": "1" if lock else "0",
    }
    processes: list[asyncio.subprocess.Process] = []
    try:
        for command in commands:
            processes.append(
                await asyncio.create_subprocess_exec(
                    *(sys.executable, str(WORKER), *command),
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        for process in processes:
            line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)  # type: ignore[union-attr]
            if line != b"ready\n":
                await _fail(process, f"a worker did not start (said {line!r})")
        for process in processes:  # the start signal, as close together as it gets
            process.stdin.write(b"go\n")  # type: ignore[union-attr]
        outputs = await asyncio.wait_for(
            asyncio.gather(*(process.communicate() for process in processes)), RACE_TIMEOUT
        )
        for process, (_, stderr) in zip(processes, outputs, strict=True):
            if process.returncode != 0:
                pytest.fail(f"a worker failed:\n{stderr.decode()[-3000:]}", pytrace=False)
        return [json.loads(stdout.decode().splitlines()[-1]) for stdout, _ in outputs]
    finally:
        for process in processes:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()


async def _fail(process: asyncio.subprocess.Process, message: str) -> None:
    process.kill()
    _, stderr = await process.communicate()
    pytest.fail(f"{message}:\n{stderr.decode()[-3000:]}", pytrace=False)


def attempts_of(reports: list[list[dict]]) -> list[dict]:
    found = [attempt for report in reports for attempt in report]
    errors = [a for a in found if a["outcome"].startswith("error")]
    assert errors == [], "only Busy and Conflict may interrupt a registration"
    return found


async def busy_attempts_wrote_nothing(attempts: list[dict]) -> int:
    """Busy means "not registered, try again": no row, no message. Returns how many."""
    busy = [a for a in attempts if a["outcome"] == "busy"]
    keys = [a["key"] for a in busy]
    emails = [a["email"] for a in busy]
    assert await Registration.filter(idempotency_key__in=keys).count() == 0
    assert await OutboxMessage.filter(to_address__in=emails).count() == 0
    return len(busy)


def told_position(message: OutboxMessage) -> int:
    """The position the waitlisted mail tells: frozen in its params under the lock (it is
    rendered when sent, tests/booking/test_registration_mail.py)."""
    assert message.template == "booking/waitlisted", message.template
    assert message.params is not None and "position" in message.params, message.params
    return int(message.params["position"])


# ---------------------------------------------------------------- the last seat


@LOCK
async def test_last_seat_goes_to_exactly_one_registrant(lock):
    occurrence = await make_occurrence(capacity=1, max_seats_per_registration=1)
    reports = await race(
        ["register", str(occurrence.id), "25", "a"],
        ["register", str(occurrence.id), "25", "b"],
        lock=lock,
    )
    attempts = attempts_of(reports)
    assert len(attempts) == 50
    rows = await Registration.filter(occurrence=occurrence).order_by("id")
    confirmed = [r for r in rows if r.status == Status.CONFIRMED]
    if not lock:  # the control twin: without the lock the same race sells the seat twice
        assert len(confirmed) > 1, "the control twin did not oversell: the test cannot fail"
        return

    busy = await busy_attempts_wrote_nothing(attempts)
    assert len(confirmed) == 1
    assert len(rows) == 50 - busy
    assert Counter(a["outcome"] for a in attempts) == {
        "confirmed": 1,
        "waitlisted": 49 - busy,
        **({"busy": busy} if busy else {}),
    }
    # Rows are numbered as the lock was granted: the first one got the seat.
    assert confirmed[0].id == rows[0].id
    assert await OutboxMessage.filter(template="booking/confirmed").count() == 1
    assert await OutboxMessage.filter(template="booking/waitlisted").count() == 49 - busy


async def test_the_waitlist_is_in_the_order_the_lock_was_granted():
    """Everyone who joins the queue is told their position in it, in their own transaction:
    that position must be where they stand, so the queue is the order the lock was granted."""
    occurrence = await make_occurrence(capacity=1, max_seats_per_registration=1)
    attempts = attempts_of(
        await race(
            ["register", str(occurrence.id), "25", "a"],
            ["register", str(occurrence.id), "25", "b"],
        )
    )
    await busy_attempts_wrote_nothing(attempts)
    rows = await Registration.filter(occurrence=occurrence).order_by("id")
    queue = await waitlist.queue_of(occurrence)
    messages = {m.to_address: m for m in await OutboxMessage.filter(template="booking/waitlisted")}
    told = [told_position(messages[r.email]) for r in queue]
    assert told == list(range(1, len(queue) + 1)), "positions told in the mails, in queue order"
    assert [r.id for r in queue] == [r.id for r in rows if r.status == Status.WAITLISTED]


# ---------------------------------------------------------------- many seats, many parties


async def test_no_overselling_under_load():
    occurrence = await make_occurrence(capacity=20, max_seats_per_registration=3)
    reports = await race(
        ["register", str(occurrence.id), "50", "a", "--seats", "1-3"],
        ["register", str(occurrence.id), "50", "b", "--seats", "1-3"],
    )
    attempts = attempts_of(reports)
    assert len(attempts) == 100
    busy = await busy_attempts_wrote_nothing(attempts)
    demand = sum(a["seats"] for a in attempts if a["outcome"] != "busy")
    assert demand > 20
    rows = {r.idempotency_key: r for r in await Registration.filter(occurrence=occurrence)}
    assert len(rows) == 100 - busy
    for attempt in attempts:  # one row per party, with every seat it asked for: never split
        if attempt["outcome"] != "busy":
            row = rows[attempt["key"]]
            assert (row.seats, str(row.status)) == (attempt["seats"], attempt["outcome"])
    assert {r.status for r in rows.values()} == {Status.CONFIRMED, Status.WAITLISTED}
    confirmed_seats = sum(r.seats for r in rows.values() if r.status == Status.CONFIRMED)
    assert confirmed_seats == 20  # never more; and with demand above 20, every seat is used


# ---------------------------------------------------------------- cancellations


@LOCK
async def test_concurrent_cancellations_promote_the_right_entries_once(lock):
    """10 confirmed, 15 waiting; two processes cancel 5 confirmed each at once. The first 10
    of the queue (in order) are confirmed, each once, with one message each; 5 still wait."""
    occurrence = await make_occurrence(capacity=10, max_seats_per_registration=1, offer_hours=0)
    now = timezone.now()
    confirmed, queue = [], []
    for n in range(25):
        form = registration_form(email=f"person{n}@race.example", language="en")
        registration = (await register(occurrence.id, form, now)).registration
        (confirmed if n < 10 else queue).append(registration)
    assert {r.status for r in confirmed} == {Status.CONFIRMED}
    assert {r.status for r in queue} == {Status.WAITLISTED}
    assert [r.id for r in await waitlist.queue_of(occurrence)] == [r.id for r in queue]

    ids = [str(r.id) for r in confirmed]
    reports = await race(["cancel", *ids[:5]], ["cancel", *ids[5:]], lock=lock)
    results = attempts_of(reports)
    promotions = Counter(i for result in results for i in result.get("promoted", []))
    messages = await OutboxMessage.filter(template="booking/promoted_confirmed").order_by("id")
    told = Counter(m.to_address for m in messages)
    rows = {r.id: r for r in await Registration.filter(occurrence=occurrence)}
    confirmed_seats = sum(r.seats for r in rows.values() if r.status == Status.CONFIRMED)
    first_ten = [r.id for r in queue[:10]]
    if not lock:  # the control twin: promotes someone twice (or oversells)
        promoted_twice = max(promotions.values()) > 1 or max(told.values()) > 1
        assert promoted_twice or confirmed_seats > 10, "the control twin did no harm"
        return

    assert Counter(r["outcome"] for r in results) == {"cancelled": 10}  # no Busy here
    assert {rows[r.id].status for r in confirmed} == {Status.CANCELLED}
    assert all(len(result["promoted"]) == 1 for result in results)
    assert promotions == dict.fromkeys(first_ten, 1)
    assert [rows[i].status for i in first_ten] == [Status.CONFIRMED] * 10
    assert [rows[r.id].status for r in queue[10:]] == [Status.WAITLISTED] * 5
    assert confirmed_seats == 10
    # One message per promoted person, written in the order the queue was served.
    assert [m.to_address for m in messages] == [rows[i].email for i in first_ten]
