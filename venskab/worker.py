"""The `worker` process: background jobs (outbox, reminders, retention).

Each job is a coroutine taking `now` (DESIGN.md, habit 1: tests pin the clock), run every
`interval` seconds. A failing job is logged and runs again next time. The worker stops cleanly
on SIGTERM or SIGINT (what Procfile-based platforms send), after the job in progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import datetime

from tortoise import timezone

from venskab import delivery, mail, settings

log = logging.getLogger("venskab.worker")

Job = Callable[[datetime], Awaitable[None]]
# A full batch may mean more is waiting: send up to this many batches in one turn, then let
# the other jobs have theirs.
OUTBOX_ROUNDS = 10
# The modules whose messages are rendered when sent (mail.enqueue_later): importing one
# registers its renderers, and the worker needs them to send those messages. Composed here,
# not in venskab/mail.py, which imports no domain.
RENDERERS = ("booking.camp_messages", "booking.messages")


def load_renderers() -> None:
    for name in RENDERERS:
        importlib.import_module(name)


async def send_outbox(now: datetime) -> None:
    """Send the mail that is due (venskab/mail.py)."""
    for _ in range(OUTBOX_ROUNDS):
        if await mail.send_due(now, limit=mail.BATCH) < mail.BATCH:
            return


async def send_reminders(now: datetime) -> None:
    """Reminders the day before (booking/reminders.py)."""
    from booking.reminders import send_reminders as remind

    await remind(now)


async def purge(now: datetime) -> None:
    """Retention (venskab/retention.py): erase what is past its time, log the counts.

    Every worker runs it when it starts and then daily; the steps are idempotent and safe
    beside a twin run in another worker, so no worker has to be the one that runs it."""
    from venskab.retention import purge as run_purge

    counts = await run_purge(now)
    if any(counts.values()):
        log.info("purge: %s", ", ".join(f"{step} {n}" for step, n in counts.items()))


JOBS: list[tuple[str, float, Job]] = [  # (name, interval in seconds, job)
    ("outbox", 2.0, send_outbox),
    ("reminders", 300.0, send_reminders),
    ("purge", 24 * 3600.0, purge),
]


async def run(
    stop: asyncio.Event,
    jobs: list[tuple[str, float, Job]] = JOBS,
    *,
    clock: Callable[[], datetime] = timezone.now,
) -> None:
    """Run each job every `interval` seconds until `stop` is set; jobs get `clock()`."""
    next_run = dict.fromkeys((name for name, _, _ in jobs), 0.0)
    loop = asyncio.get_running_loop()
    log.info("worker started with %d job(s): %s", len(jobs), ", ".join(next_run))
    while not stop.is_set():
        for name, interval, job in jobs:
            if stop.is_set():
                break
            if loop.time() >= next_run[name]:
                try:
                    await job(clock())
                except Exception:
                    log.exception("job %s failed; it runs again next time", name)
                next_run[name] = loop.time() + interval
        # Sleep until the next job is due, waking at once on stop.
        wait = min(next_run.values(), default=loop.time() + 1.0) - loop.time()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=min(max(wait, 0.01), 1.0))
    log.info("worker stopped")


async def main() -> None:
    from venskab.cli import database

    load_renderers()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        log.info("%s", delivery.describe())
    except ValueError as error:  # a malformed SMTP_URL: say so, rather than retry forever
        raise SystemExit(f"error: {error}") from error
    if settings.PRODUCTION and not settings.SMTP_URL:
        log.error("SMTP_URL is not set: mail is written to a folder and never reaches anyone")
    async with database():
        await run(stop)
