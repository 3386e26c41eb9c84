"""`venskab purge` and the worker's daily purge job (venskab/retention.py): every step with its
count, nothing erased twice, the worker's job with a pinned clock, and the real command."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise import timezone

from booking import audit, camp, registrations
from booking import views as booking_views
from booking.models import Registration
from tests.client_helpers import sign_in
from tests.factories import (
    application_input,
    child_input,
    make_camp,
    make_occurrence,
    make_organiser,
    registration_form,
)
from tests.mail_helpers import booking_context
from tests.venskab.test_cli import (  # noqa: F401 (fixtures)
    VENSKAB,
    _postgres,
    database_url,
    environment,
    ok,
    run,
    sqlite_url,
)
from venskab import cli, mail, retention, settings, worker
from venskab.models import AuditEntry, OrganiserSession, OutboxMessage, RateLimitHit, Role

DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
NOTHING = dict.fromkeys(retention.STEPS, 0)


async def past_registration(now=None):
    """A confirmed registration of a date that ended; returns (registration, end)."""
    booked_at = now or timezone.now()
    occurrence = await make_occurrence(starts_at=booked_at + DAY)
    outcome = await registrations.register(occurrence.id, registration_form(), booked_at)
    return outcome.registration, occurrence.ends_at


async def message(**values) -> OutboxMessage:
    enqueued = await mail.enqueue(
        to="oksana@example.org",
        language="uk",
        template="booking/reminder",
        context=booking_context(),
    )
    await OutboxMessage.filter(id=enqueued.id).update(**values)
    return enqueued


# ---------------------------------------------------------------- the steps


async def test_purge_counts_each_step_and_a_second_run_finds_nothing():
    camp_row, (week, *_) = await make_camp()
    await camp.apply(camp_row, application_input([child_input([week])]), timezone.now())
    registration, _ = await past_registration()
    now = week.ends_at + 91 * DAY
    await OutboxMessage.all().delete()  # what applying and registering enqueued
    await message(sent_at=now - 91 * DAY)
    await message(failed_at=now - 91 * DAY)
    recent = await message(sent_at=now - 10 * DAY)
    waiting = await message()
    await RateLimitHit.create(bucket="register", key="10.0.0.1", at=now - 2 * DAY)
    fresh_hit = await RateLimitHit.create(bucket="register", key="10.0.0.1", at=now - MINUTE)
    organiser = await make_organiser()
    await OrganiserSession.create(
        token_hash="a" * 64, organiser=organiser, created_at=now - DAY, expires_at=now - MINUTE
    )
    live = await OrganiserSession.create(
        token_hash="b" * 64, organiser=organiser, created_at=now, expires_at=now + DAY
    )

    counts = await retention.purge(now)
    assert counts == {
        "camp_medical": 1,
        "camp_personal": 1,
        "registrations": 1,
        "outbox": 2,
        "rate_limit_hits": 1,
        "organiser_sessions": 1,
    }
    assert (await Registration.get(id=registration.id)).erased_at == now
    assert {m.id for m in await OutboxMessage.all()} == {recent.id, waiting.id}
    assert [h.id for h in await RateLimitHit.all()] == [fresh_hit.id]
    assert [s.id for s in await OrganiserSession.all()] == [live.id]
    assert await retention.purge(now) == NOTHING


async def test_a_run_that_erased_personal_data_is_in_the_audit_log_without_names():
    _, ended = await past_registration()
    now = ended + 91 * DAY
    await retention.purge(now)
    [entry] = await AuditEntry.all()
    assert (entry.action, entry.at, entry.actor_id) == (audit.DATA_ERASED, now, None)
    assert entry.detail == {"camp_medical": 0, "camp_personal": 0, "registrations": 1}
    await retention.purge(now)
    assert await AuditEntry.all().count() == 1  # nothing erased, nothing logged


async def test_admins_read_what_retention_erased_in_the_audit_log(client):
    _, ended = await past_registration()
    await retention.purge(ended + 91 * DAY)
    await sign_in(client, await make_organiser(role=Role.ADMIN))
    page = (await client.get("/en/organiser/audit")).text
    assert "Personal data erased after the retention period" in page
    assert "The system" in page
    assert "all personal data of 0 camp applications, 1 registrations" in page


def test_rate_limit_hits_are_kept_longer_than_any_limit_counts_them():
    windows = [
        booking_views.REGISTER_LIMIT[1],
        booking_views.RESEND_LIMIT[1],
        timedelta(seconds=settings.LOGIN_WINDOW_SECONDS),
    ]
    assert retention.rate_limit_keep() >= max(windows)


# ---------------------------------------------------------------- the worker


def test_retention_is_a_daily_job_of_the_worker():
    assert ("purge", 24 * 3600.0, worker.purge) in worker.JOBS


async def test_the_worker_purges_as_of_the_time_its_clock_gives(caplog):
    registration, ended = await past_registration()
    pinned = ended + 91 * DAY
    stop = asyncio.Event()

    async def then_stop(now: datetime) -> None:
        stop.set()

    jobs = [("purge", 24 * 3600.0, worker.purge), ("stop", 1.0, then_stop)]
    with caplog.at_level("INFO", logger="venskab.worker"):
        await asyncio.wait_for(worker.run(stop, jobs, clock=lambda: pinned), timeout=10)
    assert (await Registration.get(id=registration.id)).erased_at == pinned
    assert "purge: camp_medical 0, camp_personal 0, registrations 1" in caplog.text


async def test_the_worker_job_before_the_period_erases_nothing():
    registration, ended = await past_registration()
    await worker.purge(ended + 89 * DAY)
    kept = await Registration.get(id=registration.id)
    assert kept.erased_at is None and kept.email == registration.email


# ---------------------------------------------------------------- the command


def test_now_without_an_offset_is_copenhagen_time():
    copenhagen = ZoneInfo("Europe/Copenhagen")
    assert cli._moment("2027-09-01T00:00") == datetime(2027, 9, 1, tzinfo=copenhagen)
    assert cli._moment("2027-09-01T00:00+00:00") == datetime(2027, 9, 1, tzinfo=UTC)


SEED = """
import asyncio
from datetime import UTC, datetime, timedelta
from tortoise import Tortoise
from booking import audit, camp, registrations
from tests.factories import make_occurrence, registration_form
from venskab import settings
from venskab.models import OutboxMessage

async def main():
    await Tortoise.init(config=settings.TORTOISE_ORM)
    starts = datetime(2027, 6, 1, 16, 0, tzinfo=UTC)  # ends 18:00 UTC: erased from 30 August
    occurrence = await make_occurrence(starts_at=starts, capacity=10)
    booked = starts - timedelta(days=7)
    await registrations.register(occurrence.id, registration_form(), booked)
    await OutboxMessage.all().update(sent_at=starts)  # deleted from 30 August too
    await Tortoise.close_connections()

asyncio.run(main())
"""


def scalar(url: str, query: str) -> int:
    if url.startswith("sqlite://"):
        with sqlite3.connect(url.removeprefix("sqlite://")) as connection:
            return connection.execute(query).fetchone()[0]
    return _postgres(query, url, fetch=True)


def test_the_purge_command_erases_and_prints_each_step(database_url):  # noqa: F811
    env = environment(database_url)
    ok(run("migrate", env=env))
    seeded = subprocess.run(
        [str(VENSKAB.parent / "python"), "-c", SEED],
        env=env,
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert seeded.returncode == 0, seeded.stderr
    erased = "SELECT COUNT(*) FROM registration WHERE erased_at IS NOT NULL AND email = ''"

    early = ok(run("purge", "--now", "2027-08-29T12:00+00:00", env=env))
    assert "registrations: personal data erased: 0" in early
    assert "outbox messages deleted: 0" in early
    assert scalar(database_url, erased) == 0

    first = ok(run("purge", "--now", "2027-09-01", env=env))
    assert "registrations: personal data erased: 1" in first
    assert "outbox messages deleted: 1" in first
    assert scalar(database_url, erased) == 1
    assert scalar(database_url, 'SELECT COUNT(*) FROM "outbox_message"') == 0
    assert scalar(database_url, "SELECT SUM(seats) FROM registration") == 1

    second = ok(run("purge", "--now", "2027-09-01", env=env))
    for label in retention.STEPS.values():
        assert f"{label}: 0" in second


def test_the_purge_command_refuses_a_nonsense_time(sqlite_url):  # noqa: F811
    result = run("purge", "--now", "tomorrow", env=environment(sqlite_url))
    assert result.returncode == 2
    assert "not an ISO 8601 time" in result.stderr
