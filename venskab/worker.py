"""The `worker` process: background jobs (outbox, reminders, retention) run here.

Until the registrations issue gives it work it only keeps time: it starts, logs that it is
idle, and stops cleanly on SIGTERM or SIGINT (what Procfile-based platforms send).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable

log = logging.getLogger("venskab.worker")

Job = Callable[[], Awaitable[None]]
JOBS: list[tuple[str, float, Job]] = []  # (name, interval in seconds, job)


async def run(stop: asyncio.Event, jobs: list[tuple[str, float, Job]] = JOBS) -> None:
    """Run each job every `interval` seconds until `stop` is set."""
    next_run = dict.fromkeys((name for name, _, _ in jobs), 0.0)
    loop = asyncio.get_running_loop()
    log.info("worker started with %d job(s)", len(jobs))
    while not stop.is_set():
        for name, interval, job in jobs:
            if loop.time() >= next_run[name]:
                try:
                    await job()
                except Exception:
                    log.exception("job %s failed; it runs again next time", name)
                next_run[name] = loop.time() + interval
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)
    log.info("worker stopped")


async def main() -> None:
    from venskab.cli import database

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with database():
        await run(stop)
