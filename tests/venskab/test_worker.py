"""The worker (venskab/worker.py): runs its jobs with the clock it is given, survives a failing
job, sends the outbox, and stops when told. The SIGTERM stop of the real process is in
test_cli.py."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import timezone

from tests.mail_helpers import MailServer, booking_context
from tests.venskab.test_cli import VENSKAB, environment, ok, run
from venskab import mail, settings, worker


@pytest.fixture
def server(monkeypatch):
    smtp = MailServer()
    smtp.start()
    monkeypatch.setattr(settings, "SMTP_URL", smtp.url)
    yield smtp
    smtp.stop()


async def run_until(stop: asyncio.Event, jobs, **options) -> None:
    await asyncio.wait_for(worker.run(stop, jobs, **options), timeout=10)


def test_the_outbox_is_one_of_the_workers_jobs():
    assert ("outbox", 2.0, worker.send_outbox) in worker.JOBS


async def test_jobs_are_given_the_time_of_the_clock():
    pinned = datetime(2027, 7, 5, 9, 0, tzinfo=UTC)
    stop, seen = asyncio.Event(), []

    async def job(now: datetime) -> None:
        seen.append(now)
        stop.set()

    await run_until(stop, [("job", 1.0, job)], clock=lambda: pinned)
    assert seen == [pinned]


async def test_a_failing_job_is_logged_and_runs_again(caplog):
    stop, calls = asyncio.Event(), []

    async def flaky(now: datetime) -> None:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        stop.set()

    await run_until(stop, [("flaky", 0.0, flaky)])
    assert len(calls) == 2
    assert "job flaky failed" in caplog.text


async def test_the_worker_stops_between_jobs_when_told():
    stop, ran = asyncio.Event(), []

    async def first(now: datetime) -> None:
        ran.append("first")
        stop.set()

    async def second(now: datetime) -> None:
        ran.append("second")

    await run_until(stop, [("first", 1.0, first), ("second", 1.0, second)])
    assert ran == ["first"]


async def test_the_worker_sends_the_outbox(server):
    message = await mail.enqueue(
        to="oksana@example.org",
        language="da",
        template="booking/reminder",
        context=booking_context(),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop, worker.JOBS))
    [received] = await server.wait_for(1)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert received["Message-ID"] == mail.message_id(message.id)
    assert (await type(message).get(id=message.id)).sent_at is not None


async def test_one_outbox_turn_sends_more_than_a_batch(server, monkeypatch):
    monkeypatch.setattr(mail, "BATCH", 2)
    for n in range(5):
        await mail.enqueue(
            to=f"family{n}@example.org",
            language="en",
            template="booking/waitlisted",
            context=booking_context(),
        )
    await worker.send_outbox(timezone.now() + timedelta(seconds=1))
    assert len(server.inbox.messages) == 5


# ---------------------------------------------------------------- the real process


ENQUEUE = """
import asyncio
from tortoise import Tortoise
from tests.mail_helpers import booking_context
from venskab import mail, settings

async def main():
    await Tortoise.init(config=settings.TORTOISE_ORM)
    await mail.enqueue(to="oksana@example.org", language="uk", template="booking/confirmed",
                       context=booking_context())
    await Tortoise.close_connections()

asyncio.run(main())
"""


def test_the_worker_process_sends_what_the_web_process_enqueued(tmp_path):
    smtp = MailServer()
    smtp.start()
    env = environment(f"sqlite://{tmp_path / 'worker.sqlite3'}", SMTP_URL=smtp.url)
    ok(run("migrate", env=env))
    enqueued = subprocess.run(
        [str(VENSKAB.parent / "python"), "-c", ENQUEUE],
        env=env,
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert enqueued.returncode == 0, enqueued.stderr
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(VENSKAB), "worker"], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while not smtp.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(smtp.inbox.messages) == 1, log.read_text()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        smtp.stop()
    text = log.read_text()
    assert f"mail is sent to 127.0.0.1:{smtp.port}" in text
    assert "worker stopped" in text
    assert "Кінопоказ" in smtp.inbox.messages[0]["Subject"]


def test_the_worker_refuses_a_malformed_smtp_url(tmp_path):
    env = environment(f"sqlite://{tmp_path / 'worker.sqlite3'}", SMTP_URL="mail.example:25")
    result = run("worker", env=env)
    assert result.returncode != 0
    assert "SMTP_URL must look like smtp://" in result.stderr
