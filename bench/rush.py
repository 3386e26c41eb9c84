"""The opening of a popular screening: 500 people register for 100 seats at once, over HTTP.

Makes a fresh PostgreSQL database, runs `venskab migrate`, seeds through events.services a
published event with an occurrence of 100 seats (1 per registration, waitlist on, registration
open), starts the app as the Procfile does (uvicorn, 2 workers) and sends 500 registration
attempts from distinct people at concurrency 50, each as a browser does it: GET the form (a
new cookie jar: the CSRF cookie and the hidden fields), then POST it. Then it reads the database:
exactly 100 seats confirmed, 400 on the waitlist in order (each told the position they hold),
no duplicates, no 5xx.

The reference, in the same run and three times (the median is quoted): the bare minimum for the
same job, one asyncpg transaction per attempt that takes the occurrence's row lock, counts and
inserts a registration row (confirmed or waitlisted, as the platform writes one for every
attempt), at the same concurrency, on its own occurrence of the same database.

Targets: exact counts and no errors, always; registrations/s at least 40% of the reference's
and the POST's p99 no more than twice the reference's p99. Exits 1 when one is missed.

    .venv/bin/python bench/rush.py [--attempts 500] [--concurrency 50] [--capacity 100]
                                   [--admin-database postgres://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

if __package__ in (None, ""):  # run as a script (bench/rush.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BIN,
    ROOT,
    connections_to_every_worker,
    load_average,
    machine,
    run_json,
    server,
)

ADMIN_DATABASE = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test")
REFERENCE_RUNS = 3
WARM_UP = 8  # the warm-up occurrence's seats; 3 times as many attempts, 8 at a time
THROUGHPUT_TARGET = 0.40  # of the reference's registrations/s
P99_LIMIT = 2.0  # times the reference's p99
LANGUAGE = "en"
LOCK_TIMEOUT = "5s"  # as booking/capacity.py
# Each person comes from their own address, as a reverse proxy in front of the app reports it
# (X-Forwarded-For; uvicorn trusts it from 127.0.0.1 and the Procfile passes --proxy-headers):
# RFC 2544's benchmarking range, 198.18.0.0/15. So the per-address registration limit
# (booking/views.py, 20 per 10 minutes) sees 500 people, as it would in the real rush.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14) venskab-bench-rush",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "uk,da;q=0.8,en;q=0.6",
}


def address(n: int) -> str:
    return f"198.{18 + (n >> 16) % 2}.{(n >> 8) % 256}.{n % 256}"


# ---------------------------------------------------------------- seeding (own process)


async def seed(capacities: list[int]) -> dict:
    """One published film with an occurrence of each capacity, 1 seat per registration,
    waitlist on, registration open since an hour ago (the rush's, the warm-up's, the reference
    runs'). Through the project's services, as an organiser makes them."""
    from tortoise import timezone

    from bench.seeding import VENUES, event_input
    from events import services
    from events.models import EventStatus
    from venskab.cli import database

    async with database():
        slug, name, place = VENUES[2]
        venue = await services.save_venue(services.VenueInput(slug, name, place, step_free=True))
        event = await services.save_event(event_input(0), owner_id=None)  # a free film night
        now = timezone.now()
        starts = (
            (now + timedelta(days=7))
            .astimezone(services.LOCAL)
            .replace(hour=19, minute=0, second=0, microsecond=0)
        )
        ids = []
        for n, capacity in enumerate(capacities):
            occurrence = await services.save_occurrence(
                event,
                services.OccurrenceInput(
                    venue.id,
                    starts + timedelta(days=n),
                    starts + timedelta(days=n, hours=2),
                    capacity=capacity,
                    registration_opens_at=(now - timedelta(hours=1)).astimezone(services.LOCAL),
                    max_seats_per_registration=1,
                    waitlist_enabled=True,
                ),
            )
            ids.append(occurrence.id)
        await services.set_event_status(event, EventStatus.PUBLISHED)
        return {"event": event.slug, "occurrences": ids}


# ---------------------------------------------------------------- latency figures


@dataclass
class Timing:
    seconds: float  # wall time of the whole run
    latencies: list[float] = field(default_factory=list)  # ms per measured request

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    def per_second(self, count: int) -> float:
        return count / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------- the reference


INSERT = """
INSERT INTO registration (occurrence_id, status, seats, name, email, phone, accessibility_needs,
    language, idempotency_key, token_nonce, created_at, confirmed_at, queued_at)
VALUES ($1, $2, 1, $3, $4, '', '', $5, $6, $7, now(), $8, $9)
"""
COUNT = """
SELECT coalesce(sum(seats) FILTER (WHERE status = 'confirmed'), 0),
       coalesce(sum(seats) FILTER (WHERE status = 'waitlisted'), 0)
FROM registration WHERE occurrence_id = $1
"""


async def reference(url: str, occurrence_id: int, capacity: int, args) -> Timing:
    """The bare minimum: per attempt one transaction that takes the lock, counts, inserts."""
    import asyncpg

    pool = await asyncpg.create_pool(url, min_size=args.concurrency, max_size=args.concurrency)
    assert pool is not None
    latencies: list[float] = []

    async def one(n: int) -> None:
        started = time.perf_counter()
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            await connection.execute(
                "UPDATE occurrence SET lock_version = lock_version + 1 WHERE id = $1",
                occurrence_id,
            )
            confirmed, waiting = await connection.fetchrow(COUNT, occurrence_id)
            free = confirmed + waiting < capacity
            await connection.execute(
                INSERT,
                occurrence_id,
                "confirmed" if free else "waitlisted",
                f"Reference {n}",
                f"reference-{occurrence_id}-{n}@rush.example",
                LANGUAGE,
                f"reference-{occurrence_id}-{n}-{secrets.token_hex(8)}",
                secrets.token_hex(16),
                datetime.now(UTC) if free else None,  # confirmed_at
                None if free else datetime.now(UTC),  # queued_at
            )
        latencies.append((time.perf_counter() - started) * 1000)

    try:
        started = time.perf_counter()
        await _at_concurrency(one, args.attempts, args.concurrency)
        timing = Timing(time.perf_counter() - started, latencies)
    finally:
        await pool.close()
    return timing


async def _at_concurrency(job, attempts: int, concurrency: int) -> None:
    """`attempts` calls of job(n), at most `concurrency` at a time (each worker takes the
    next number as soon as it is done, as 50 people reloading would)."""
    numbers = iter(range(attempts))

    async def worker() -> None:
        for n in numbers:
            await job(n)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


# ---------------------------------------------------------------- the rush over HTTP

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
ACTION = re.compile(r'<form method="post" action="([^"]+)"')


@dataclass
class Attempt:
    n: int
    email: str
    get_status: int = 0
    post_status: int = 0
    location: str = ""
    get_ms: float = 0.0
    post_ms: float = 0.0
    error: str = ""


async def rush(
    base: str, occurrence_id: int, attempts: int, concurrency: int, label: str, first: int = 0
) -> tuple[float, list[Attempt]]:
    """Every attempt as a browser makes it: its own cookie jar, GET the form, POST it back
    (not following the 303). Connections are pooled across people, at most `concurrency`.
    Person n comes from address(first + n).

    aiohttp, not httpx: the load generator shares the machine's 2 CPUs with the app it
    measures, and httpx spent ~3.4 ms of CPU per request (a third of what a web worker spent)."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    path = f"/{LANGUAGE}/register/{occurrence_id}"
    done: list[Attempt] = []

    async def one(n: int) -> None:
        attempt = Attempt(n, f"{label}-{n}@rush.example")
        headers = {**BROWSER_HEADERS, "X-Forwarded-For": address(first + n)}
        # A session per person (its own cookie jar; unsafe=True keeps cookies of an IP
        # address such as 127.0.0.1), all on the one connection pool.
        browser = aiohttp.ClientSession(
            base,
            connector=connector,
            connector_owner=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            headers=headers,
            timeout=timeout,
        )
        try:
            started = time.perf_counter()
            async with browser.get(path) as page:
                text = await page.text()
                attempt.get_status = page.status
            attempt.get_ms = (time.perf_counter() - started) * 1000
            action = ACTION.search(text)
            if attempt.get_status != 200 or action is None:
                attempt.error = "no form"
                return
            fields = {name: html.unescape(value) for name, value in HIDDEN.findall(text)}
            fields |= {
                "name": f"Person {label} {n}",
                "email": attempt.email,
                "phone": "",
                "seats": "1",
                "accessibility_needs": "",
                "consent": "on",
            }
            started = time.perf_counter()
            async with browser.post(
                html.unescape(action.group(1)),
                data=fields,
                headers={"Origin": base, "Referer": base + path},
                allow_redirects=False,
            ) as answer:
                await answer.read()
                attempt.post_status = answer.status
                attempt.location = answer.headers.get("location", "")
            attempt.post_ms = (time.perf_counter() - started) * 1000
        except (aiohttp.ClientError, TimeoutError) as error:
            attempt.error = repr(error)
        finally:
            await browser.close()
            done.append(attempt)

    started = time.perf_counter()
    try:
        await _at_concurrency(one, attempts, concurrency)
    finally:
        await connector.close()
    return time.perf_counter() - started, sorted(done, key=lambda a: a.n)


# ---------------------------------------------------------------- where the CPU went

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


async def postgres_backends(url: str) -> list[int]:
    """Process ids of the PostgreSQL backends serving this run's database."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return [row["pid"] for row in rows]


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def cpu_snapshot(processes: list[int]) -> dict:
    """CPU seconds used so far by each process, by this one, and the machine's busy and
    total jiffies."""
    own = os.times()
    busy, total = machine_ticks()
    return {
        "processes": {pid: cpu_seconds(pid) for pid in processes},
        "load": own.user + own.system,
        "busy": busy / TICKS,
        "total": total / TICKS,
    }


def cpu_use(before: dict, after: dict, web: list[int], postgres: list[int]) -> str:
    """Where the CPU went during the rush. Backends opened during it started from zero."""

    def spent(pids: list[int]) -> float:
        return sum(
            after["processes"].get(pid, 0.0) - before["processes"].get(pid, 0.0) for pid in pids
        )

    ours = {
        "web workers": spent(web),
        "their PostgreSQL backends": spent(postgres),
        "load generator": after["load"] - before["load"],
    }
    busy = after["busy"] - before["busy"]
    available = after["total"] - before["total"]
    shown = ", ".join(f"{name} {seconds:.1f}" for name, seconds in ours.items())
    return (
        f"CPU-seconds during the rush, of {available:.1f} on {os.cpu_count()} CPUs: {shown}; "
        f"everything else on the machine {busy - sum(ours.values()):.1f}; idle "
        f"{available - busy:.1f}"
    )


# ---------------------------------------------------------------- reading back


async def read_back(url: str, occurrence_id: int, attempts: list[Attempt]) -> dict:
    """What the database holds for the rush's occurrence, checked against what was sent."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        statuses = dict(
            await connection.fetch(
                "SELECT status, sum(seats) FROM registration WHERE occurrence_id = $1 "
                "GROUP BY status",
                occurrence_id,
            )
        )
        rows = await connection.fetch(
            "SELECT id, email, status, queued_at FROM registration WHERE occurrence_id = $1 "
            "ORDER BY id",
            occurrence_id,
        )
        queue = await connection.fetch(
            "SELECT id, email FROM registration WHERE occurrence_id = $1 "
            "AND status = 'waitlisted' ORDER BY queued_at, id",
            occurrence_id,
        )
        # The waitlisted mail is rendered when the worker sends it (none runs here): the
        # position it tells is the one frozen in its params under the lock.
        told = {
            row["to_address"]: row["position"]
            for row in await connection.fetch(
                "SELECT to_address, (params->>'position')::int AS position FROM outbox_message "
                "WHERE template = $1",
                "booking/waitlisted",
            )
        }
        # Each registration writes its one message inside its locked transaction, so the gaps
        # between their times are the pace at which the lock served registrations.
        written = [
            row["created_at"]
            for row in await connection.fetch(
                "SELECT created_at FROM outbox_message WHERE to_address = ANY($1::text[]) "
                "ORDER BY created_at",
                [a.email for a in attempts],
            )
        ]
        confirmations = await connection.fetchval(
            "SELECT count(*) FROM outbox_message WHERE template = 'booking/confirmed' "
            "AND to_address = ANY($1::text[])",
            [a.email for a in attempts],
        )
    finally:
        await connection.close()
    emails = Counter(row["email"] for row in rows)
    positions = [told.get(row["email"]) for row in queue]
    lock_order = [row["id"] for row in rows if row["status"] == "waitlisted"]
    return {
        "confirmed": int(statuses.get("confirmed", 0)),
        "waitlisted": int(statuses.get("waitlisted", 0)),
        "other": {k: int(v) for k, v in statuses.items() if k not in ("confirmed", "waitlisted")},
        "rows": len(rows),
        "duplicates": sum(count - 1 for count in emails.values()),
        "strangers": len(set(emails) - {a.email for a in attempts}),
        "told_right": sum(p == i for i, p in enumerate(positions, start=1)),
        "told_distinct": len(set(positions)),
        "queue_is_lock_order": [row["id"] for row in queue] == lock_order,
        "confirmation_mails": confirmations,
        "lock_gap_ms": statistics.median(
            [(later - earlier).total_seconds() * 1000 for earlier, later in pairwise(written)]
            or [float("nan")]
        ),
    }


# ---------------------------------------------------------------- database per run


def database_url(admin: str, name: str) -> str:
    return urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))


async def admin_execute(admin: str, sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


# ---------------------------------------------------------------- report


def figures(label: str, timing: Timing, count: int) -> str:
    return (
        f"{label:<34} {timing.per_second(count):>8.1f} {timing.percentile(50):>8.1f} "
        f"{timing.percentile(95):>8.1f} {timing.percentile(99):>8.1f} {timing.seconds:>7.2f}"
    )


def check(ok: bool, text: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}: {text}")
    return ok


async def measure(args: argparse.Namespace, workdir: Path) -> bool:
    lines = machine(f"aiohttp {metadata.version('aiohttp')} (this process)")
    lines[2] = lines[2].split("; load:")[0] + (
        f"; load: aiohttp, one process, {args.concurrency} at a time, on the same machine"
    )
    print("\n".join(lines))
    name = f"venskab_rush_{uuid.uuid4().hex[:10]}"
    url = database_url(args.admin_database, name)
    await admin_execute(args.admin_database, f'CREATE DATABASE "{name}"')
    try:
        return await _measure(args, workdir, url)
    finally:
        if args.keep:
            print(f"kept database {name}")
        else:
            await admin_execute(
                args.admin_database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )


async def _measure(args: argparse.Namespace, workdir: Path, url: str) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_FIXED")}
    env.pop("VENSKAB_CAPACITY_LOCK", None)  # the lock stays on, as in production
    env |= {"DATABASE_URL": url, "PYTHONPATH": str(ROOT), "WEB_CONCURRENCY": str(args.workers)}
    started = time.monotonic()
    migrate = await asyncio.create_subprocess_exec(
        str(BIN / "venskab"),
        "migrate",
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output, _ = await migrate.communicate()
    if migrate.returncode != 0:
        raise SystemExit(f"venskab migrate failed:\n{output.decode()}")
    seeded = await asyncio.to_thread(
        run_json,
        [sys.executable, "-m", "bench.rush", "seed", "--capacity", str(args.capacity)],
        env,
    )
    rush_id, warm_id, *reference_ids = seeded["occurrences"]
    print(
        f"database: PostgreSQL, fresh ({url.rsplit('/', 1)[1]}); occurrence {rush_id} of "
        f"{seeded['event']}: {args.capacity} seats, 1 per registration, waitlist on, open "
        f"({time.monotonic() - started:.1f} s to migrate and seed)"
    )
    print(
        f"load: {args.attempts} attempts from distinct people (own cookie jar, own "
        f"X-Forwarded-For), {args.concurrency} at a time: GET the form, POST it (303 not "
        f"followed); {args.workers} uvicorn workers, 10 database connections each"
    )
    print(
        f"reference: asyncpg, {args.concurrency} connections, per attempt one transaction "
        f"(lock the occurrence row, count, insert), {REFERENCE_RUNS} runs, median quoted"
    )
    print()

    references = []
    for n, occurrence_id in enumerate(reference_ids, start=1):
        timing = await reference(url, occurrence_id, args.capacity, args)
        references.append(timing)
        print(figures(f"(reference run {n})", timing, args.attempts), flush=True)
    reference_median = sorted(references, key=lambda t: t.seconds)[len(references) // 2]

    log = workdir / "uvicorn.log"
    with server(env, log) as base:
        # Warm-up on another occurrence: both workers render the form and register someone
        # (confirmed and waitlisted), so the rush meets warm processes, as in production.
        await rush(base, warm_id, WARM_UP * 3, WARM_UP, "warm", first=args.attempts)
        workers = connections_to_every_worker(int(base.rsplit(":", 1)[1]), args.workers)
        for connection in workers.values():
            connection.close()
        web = list(workers)
        before = cpu_snapshot([*web, *await postgres_backends(url)])
        seconds, attempts = await rush(base, rush_id, args.attempts, args.concurrency, "rush")
        backends = await postgres_backends(url)
        after = cpu_snapshot([*web, *backends])
    counts = await read_back(url, rush_id, attempts)

    gets = Timing(seconds, [a.get_ms for a in attempts if a.get_status])
    posts = Timing(seconds, [a.post_ms for a in attempts if a.post_status])
    whole = Timing(seconds, [a.get_ms + a.post_ms for a in attempts if a.post_status])
    statuses = Counter(
        [f"GET {a.get_status}" for a in attempts if a.get_status]
        + [f"POST {a.post_status}" for a in attempts if a.post_status]
    )
    errors = Counter(a.error for a in attempts if a.error)
    print()
    print(f"{'':<34} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'wall s':>7}")
    print(figures("reference: registrations (median)", reference_median, args.attempts))
    print(figures("app: registrations (GET + POST)", whole, args.attempts))
    print(figures("app: POST (the registration)", posts, args.attempts))
    print(figures("app: GET (the form)", gets, args.attempts))
    requests = sum(statuses.values())
    print(f"app: {requests} HTTP requests in {seconds:.2f} s = {requests / seconds:.1f} requests/s")
    print(f"status codes: {dict(sorted(statuses.items()))}")
    print(cpu_use(before, after, web, backends))
    print(
        f"the lock served one registration every {counts['lock_gap_ms']:.1f} ms (median gap "
        f"between their outbox rows, written under it) = "
        f"{1000 / counts['lock_gap_ms']:.0f} registrations/s at most"
    )
    if errors:
        print(f"client errors: {dict(errors)}")
    print(
        f"database: {counts['confirmed']} seats confirmed, {counts['waitlisted']} waitlisted, "
        f"other {counts['other'] or 'none'}, {counts['rows']} rows, "
        f"{counts['duplicates']} duplicates, {counts['confirmation_mails']} confirmation mails; "
        f"waitlist positions told right {counts['told_right']}/{counts['waitlisted']} "
        f"({counts['told_distinct']} distinct), queue in lock order: "
        f"{'yes' if counts['queue_is_lock_order'] else 'no'}"
    )
    print()

    expected_waiting = args.attempts - args.capacity
    server_errors = sum(n for status, n in statuses.items() if status.split()[1] >= "500")
    posts_303 = statuses.get("POST 303", 0)
    passed = check(
        counts["confirmed"] == args.capacity,
        f"{counts['confirmed']} seats confirmed (exactly {args.capacity})",
    )
    passed &= check(
        counts["waitlisted"] == expected_waiting and not counts["other"],
        f"{counts['waitlisted']} waitlisted (exactly {expected_waiting})",
    )
    passed &= check(
        counts["told_right"] == expected_waiting,
        f"waitlist in order: {counts['told_right']} of {counts['waitlisted']} were told the "
        "position they hold",
    )
    passed &= check(
        counts["duplicates"] == 0 and counts["strangers"] == 0 and counts["rows"] == posts_303,
        f"{counts['duplicates']} duplicates; one row per 303 ({counts['rows']} rows, "
        f"{posts_303} redirects)",
    )
    passed &= check(
        server_errors == 0 and not errors and posts_303 == args.attempts,
        f"{server_errors} 5xx, {sum(errors.values())} client errors, "
        f"{args.attempts - posts_303} attempts without a 303",
    )
    ratio = whole.per_second(args.attempts) / reference_median.per_second(args.attempts)
    passed &= check(
        ratio >= THROUGHPUT_TARGET,
        f"throughput {ratio:.1%} of the bare reference's (target ≥ {THROUGHPUT_TARGET:.0%})",
    )
    factor = posts.percentile(99) / reference_median.percentile(99)
    passed &= check(
        factor <= P99_LIMIT,
        f"POST p99 {factor:.1f}× the reference's p99 (target ≤ {P99_LIMIT:g}×)",
    )
    print(f"after: {load_average()}")
    if args.keep:
        (workdir / "attempts.json").write_text(json.dumps([a.__dict__ for a in attempts]))
        print(f"kept {workdir} (uvicorn.log, attempts.json)")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "seed"])
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (Procfile: 2)")
    parser.add_argument(
        "--admin-database",
        default=ADMIN_DATABASE,
        help="PostgreSQL to create the run's database in (default: $PG_URL or the local test)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()
    if args.command == "seed":  # in its own process, with DATABASE_URL set (bench.common)
        capacities = [args.capacity, WARM_UP, *[args.capacity] * REFERENCE_RUNS]
        print(json.dumps(asyncio.run(seed(capacities))))
        return
    if not 1 <= args.concurrency <= args.attempts <= 100_000 or args.capacity < 1:
        parser.error("need 1 ≤ --concurrency ≤ --attempts ≤ 100000 and --capacity ≥ 1")
    if args.capacity >= args.attempts:
        parser.error("--attempts must exceed --capacity (the rush fills the waitlist)")
    workdir = Path(tempfile.mkdtemp(prefix="venskab-bench-rush-"))
    try:
        passed = _run(measure(args, workdir))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    raise SystemExit(0 if passed else 1)


def _run(coroutine):
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


if __name__ == "__main__":
    main()
