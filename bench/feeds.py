"""The programme feed against the same app serving a fixed calendar of the same size.

Seeds 1,000 published occurrences (300 events, 3–4 each, texts in uk, da and en, some all-day,
plus a few cancelled ones) into a fresh database, starts the app as the Procfile does (uvicorn,
2 workers), and measures with wrk, in one run: the full feed (200), the feed asked with a
matching If-None-Match (304) and, as the reference, the same app answering a constant
text/calendar body of the feed's size (before and after the feed: the mean is the reference,
the difference shows other load on the machine). Then an organiser moves one occurrence from
another process, and the seconds until every worker serves the change (and answers the old ETag
with 200) are printed. Targets: the 200 path at least 50% and the 304 path at least 80% of the
reference's requests/s; the edit visible within a few seconds (PAGE_CACHE_SECONDS + 3).

    .venv/bin/python bench/feeds.py [--duration 10] [--connections 32] [--database URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import socket
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script (bench/feeds.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    HOST,
    ROOT,
    WARM_UP_SECONDS,
    Result,
    connections_to_every_worker,
    load_average,
    machine,
    measure,
    migrate_and_seed,
    run_json,
    server,
    wrk_main,
)

EVENTS = 300  # 3–4 occurrences each: 1,000 scheduled
OCCURRENCES = 1000
FEED = "/en/calendar/programme.ics"
MOVED_EVENT = "bench-event-001"
MOVE_MINUTES = 17  # starts are on the hour: the moved one is told apart by its minutes
TARGET_FULL = 0.50
TARGET_NOT_MODIFIED = 0.80
FRESHNESS_LIMIT_SECONDS = 30.0
REFERENCE_DRIFT = 0.20  # more between the two reference runs: the figures are unreliable
HEADER_SLACK = 8  # bytes a response may differ by from the one measured before the load


# ---------------------------------------------------------------- HTTP on one connection


def get(
    connection: http.client.HTTPConnection, path: str, etag: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of one GET on a kept-alive connection."""
    connection.request("GET", path, headers={"If-None-Match": etag} if etag else {})
    response = connection.getresponse()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def workers(base: str, env: dict[str, str]) -> dict[int, http.client.HTTPConnection]:
    port = int(base.rsplit(":", 1)[1])
    count = int(env.get("WEB_CONCURRENCY", "2"))
    connections = connections_to_every_worker(port, count)
    if len(connections) < count:
        raise SystemExit(f"reached only {len(connections)} of {count} workers")
    return connections


def response_bytes(base: str, path: str, header: str = "") -> int:
    """The bytes of one whole response (status line, headers, body) to the request wrk sends."""
    port = int(base.rsplit(":", 1)[1])
    extra = f"{header}\r\n" if header else ""
    with socket.create_connection((HOST, port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{extra}\r\n".encode())
        received = b""
        while b"\r\n\r\n" not in received:
            received += _receive(connection)
        head = received.split(b"\r\n\r\n", 1)[0]
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(received) < len(head) + 4 + length:
            received += _receive(connection)
    return len(received)


def _receive(connection: socket.socket) -> bytes:
    chunk = connection.recv(65536)
    if not chunk:
        raise SystemExit("the server closed the connection in the middle of a response")
    return chunk


def close(connections: dict[int, http.client.HTTPConnection]) -> None:
    for connection in connections.values():
        connection.close()


# ---------------------------------------------------------------- what the feed holds


def vevents(body: bytes) -> dict[str, list[str]]:
    """The feed's VEVENTs by UID, each as its unfolded content lines."""
    text = body.decode().replace("\r\n ", "").replace("\r\n\t", "")
    found: dict[str, list[str]] = {}
    for block in text.split("BEGIN:VEVENT\r\n")[1:]:
        lines = block.split("END:VEVENT", 1)[0].split("\r\n")
        uid = next((line[4:] for line in lines if line.startswith("UID:")), "")
        found[uid] = lines
    return found


def feed_problems(body: bytes, seeded: dict) -> list[str]:
    """What is wrong with the feed as served before any load, compared with what was seeded."""
    events = vevents(body)
    cancelled = sum("STATUS:CANCELLED" in lines for lines in events.values())
    all_day = sum(
        any(line.startswith("DTSTART;VALUE=DATE:") for line in lines)
        for lines in events.values()
        if "STATUS:CANCELLED" not in lines
    )
    problems = []
    if not body.startswith(b"BEGIN:VCALENDAR\r\n") or not body.endswith(b"END:VCALENDAR\r\n"):
        problems.append("the feed is not one VCALENDAR")
    if len(events) - cancelled != seeded["occurrences"] or cancelled != seeded["cancelled"]:
        problems.append(
            f"the feed has {len(events) - cancelled} scheduled and {cancelled} cancelled "
            f"entries; seeded {seeded['occurrences']} and {seeded['cancelled']}"
        )
    if all_day != seeded["all_day"]:
        problems.append(
            f"the feed has {all_day} scheduled all-day entries; seeded {seeded['all_day']}"
        )
    return problems


def has_moved(body: bytes, occurrence_id: int, dtstart: str) -> bool:
    """Whether the feed shows the occurrence at its new start (local Copenhagen time)."""
    events = vevents(body)
    uid = next((uid for uid in events if uid.startswith(f"occurrence-{occurrence_id}@")), "")
    return f"DTSTART;TZID=Europe/Copenhagen:{dtstart}" in events.get(uid, [])


# ---------------------------------------------------------------- checks before the load


def check_responses(base: str, env: dict[str, str], etag: str, size: int) -> list[str]:
    """On every worker: the feed without a validator is 200 with the same bytes and ETag; with
    If-None-Match of that ETag it is 304 with no body; the reference is 200 of the same size."""
    problems = []
    connections = workers(base, env)
    for pid, connection in connections.items():
        status, headers, body = get(connection, FEED)
        if status != 200 or len(body) != size or headers.get("etag") != etag:
            problems.append(
                f"pid {pid}: GET {FEED} gave {status}, {len(body)} bytes, ETag "
                f"{headers.get('etag')} (expected 200, {size} bytes, ETag {etag})"
            )
        status, headers, body = get(connection, FEED, etag)
        if status != 304 or body or headers.get("etag") != etag:
            problems.append(
                f"pid {pid}: GET {FEED} with If-None-Match {etag} gave {status}, "
                f"{len(body)} bytes (expected 304, no body)"
            )
        status, headers, body = get(connection, f"/bench/fixed-ics-{size}")
        calendar = headers.get("content-type", "").startswith("text/calendar")
        if status != 200 or len(body) != size or not calendar:
            problems.append(
                f"pid {pid}: the reference gave {status}, {len(body)} bytes, "
                f"{headers.get('content-type')} (expected 200, {size} bytes, text/calendar)"
            )
    close(connections)
    return problems


def wrk_problems(result: Result, expected_bytes: int, feed_size: int) -> list[str]:
    """What wrk saw that the expected responses do not allow: error lines ("Non-2xx or 3xx",
    socket errors), and bytes read that say some responses were not the expected one.

    wrk counts only statuses from 400 as errors, so a 200 among 304s shows only in the bytes it
    read: every response should be `expected_bytes` (status line, headers and body, as measured
    before the load) give or take HEADER_SLACK, and a stray 200 carries the whole feed. wrk
    prints the bytes rounded to 2 decimals of its unit (KB, MB, GB): that is allowed for.
    """
    problems = [f"{result.label}: wrk reported {result.problems}"] if result.problems else []
    if result.responses == 0:
        return [*problems, f"{result.label}: wrk read no responses"]
    rounding = 0.005 * 1024 ** int(math.log(max(result.bytes_read, 1), 1024))
    difference = result.bytes_read - result.responses * expected_bytes
    if abs(difference) > rounding + result.responses * HEADER_SLACK:
        problems.append(
            f"{result.label}: {result.bytes_read / result.responses:.0f} bytes per response, "
            f"expected {expected_bytes} ± {HEADER_SLACK}: {difference:+.0f} bytes in all, the "
            f"size of {abs(difference) / feed_size:.1f} feeds (not the responses expected)"
        )
    return problems


# ---------------------------------------------------------------- freshness


def freshness(base: str, env: dict[str, str], etag: str) -> tuple[float, dict, list[str]]:
    """Seconds from the commit of an occurrence's move (in another process) until every worker
    serves it; per worker, when it first did; and what was wrong on the way.

    Each worker is polled as a subscribed calendar polls: If-None-Match with the old ETag, so a
    stale worker answers 304 and a fresh one 200 with the moved occurrence. Afterwards, every
    worker must answer the old ETag with 200 and the new one with 304.
    """
    connections = workers(base, env)
    problems = []
    for pid, connection in connections.items():  # both workers hold the feed in their cache now
        status, _, _ = get(connection, FEED, etag)
        if status != 304:
            problems.append(f"pid {pid}: {status} for the current ETag before the edit")
    moved = run_json(
        [sys.executable, "-m", "bench.seeding", "move", MOVED_EVENT, str(MOVE_MINUTES)], env
    )
    committed_at, occurrence_id, dtstart = (
        moved["committed_at"],
        moved["occurrence_id"],
        moved["dtstart"],
    )
    seen: dict[int, float] = {}
    new_etags: dict[int, str] = {}
    while len(seen) < len(connections):
        if time.time() - committed_at > FRESHNESS_LIMIT_SECONDS:
            break
        for pid, connection in connections.items():
            if pid in seen:
                continue
            status, headers, body = get(connection, FEED, etag)
            if status == 200 and has_moved(body, occurrence_id, dtstart):
                seen[pid] = time.time() - committed_at
                new_etags[pid] = headers.get("etag", "")
            elif status not in (200, 304):
                problems.append(f"pid {pid}: {status} while polling")
        time.sleep(0.05)
    if len(set(new_etags.values())) > 1:
        problems.append(f"the workers disagree on the new ETag: {new_etags}")
    for pid, connection in connections.items():
        old_status, _, _ = get(connection, FEED, etag)
        new_status, _, _ = get(connection, FEED, new_etags.get(pid, etag))
        if old_status != 200:
            problems.append(f"pid {pid}: {old_status} for the old ETag after the edit (not 200)")
        if pid in new_etags and new_status != 304:
            problems.append(f"pid {pid}: {new_status} for the new ETag (not 304)")
    close(connections)
    worst = max(seen.values()) if len(seen) == len(connections) else float("inf")
    detail = {f"pid {pid}": round(seconds, 2) for pid, seconds in sorted(seen.items())}
    return worst, detail, problems


# ---------------------------------------------------------------- report


def table(results: list[Result], references: list[Result], reference_rps: float) -> list[str]:
    lines = [
        f"{'path':<38} {'bytes':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs ref':>8} "
        f"{'read/resp':>10}"
    ]
    for result in results:
        ratio = (
            f"{result.requests_per_second / reference_rps:.1%}" if result not in references else "—"
        )
        average = result.bytes_read / result.responses if result.responses else 0
        lines.append(
            f"{result.label:<38} {result.size:>7} {result.requests_per_second:>9.1f} "
            f"{result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {ratio:>8} {average:>10.0f}"
        )
    return lines


def verdict(ok: bool, text: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}: {text}")
    return ok


def run(args: argparse.Namespace, workdir: Path) -> bool:
    for line in machine():
        print(line)
    env = dict(os.environ)
    env.pop("BENCH_FIXED_BYTES", None)
    env.pop("BENCH_FIXED_CALENDAR_BYTES", None)
    env["DATABASE_URL"] = args.database or f"sqlite://{workdir / 'bench.sqlite3'}"
    env["PYTHONPATH"] = str(ROOT)
    print(f"database: {env['DATABASE_URL'].split('://', 1)[0]}", end="")
    print(f", page cache {env.get('PAGE_CACHE_SECONDS', '2 (default)')} s")
    started = time.monotonic()
    seeded = migrate_and_seed(env, "seed-feed", str(EVENTS))
    print(
        f"seeded: {seeded['events']} published events, {seeded['occurrences']} scheduled "
        f"occurrences ({seeded['all_day']} all-day) and {seeded['cancelled']} cancelled, "
        f"{seeded['venues']} venues ({time.monotonic() - started:.1f} s)"
    )
    if seeded["occurrences"] != OCCURRENCES:
        raise SystemExit(f"seeded {seeded['occurrences']} occurrences, not {OCCURRENCES}")
    log = workdir / "uvicorn.log"

    # The size first: the reference feed is built at start-up from BENCH_FIXED_CALENDAR_BYTES.
    with server(env, log) as base:
        connection = next(iter(workers(base, env).values()))
        status, headers, body = get(connection, FEED)
        connection.close()
    if status != 200:
        raise SystemExit(f"{FEED} answered {status}")
    problems = feed_problems(body, seeded)
    if problems:
        raise SystemExit("the feed does not hold what was seeded: " + "; ".join(problems))
    size, etag = len(body), headers["etag"]
    env["BENCH_FIXED_CALENDAR_BYTES"] = str(size)
    print(f"feed: {FEED}, {size} bytes, {body.count(b'BEGIN:VEVENT')} entries, ETag {etag}")
    print(
        f"load: wrk -t2 -c{args.connections} -d{args.duration}s --latency, after a "
        f"{WARM_UP_SECONDS} s warm-up, one URL at a time; 127.0.0.1 only"
    )
    print()

    raw: list[str] = []
    with server(env, log) as base:
        problems = check_responses(base, env, etag, size)
        expected_bytes = {  # whole responses, to check what wrk read
            "reference": response_bytes(base, f"/bench/fixed-ics-{size}"),
            "full": response_bytes(base, FEED),
            "not modified": response_bytes(base, FEED, f"If-None-Match: {etag}"),
        }
        if problems:  # measuring the wrong responses would say nothing
            print("\n".join(f"FAIL: {problem}" for problem in problems))
            return False
        # The reference before and after the feed: its mean is what the feed is compared with,
        # and a difference between the two says the machine's other load changed meanwhile.
        reference_path = f"/bench/fixed-ics-{size}"
        before = measure(base, f"reference {size} B (before)", reference_path, size, args, raw)
        full = measure(base, "feed (200)", FEED, size, args, raw)
        not_modified = measure(
            base, "feed, If-None-Match (304)", FEED, 0, args, raw, [f"If-None-Match: {etag}"]
        )
        after = measure(base, f"reference {size} B (after)", reference_path, size, args, raw)
        fresh_seconds, fresh_detail, fresh_problems = freshness(base, env, etag)

    references = [before, after]
    reference_rps = (before.requests_per_second + after.requests_per_second) / 2
    print("\n".join(table([before, full, not_modified, after], references, reference_rps)))
    print(
        f"(vs ref: against the mean of the two reference runs, {reference_rps:.1f} req/s; "
        "bytes: body per response; read/resp: what wrk read per response, headers included)"
    )
    drift = abs(before.requests_per_second - after.requests_per_second) / reference_rps
    if drift > REFERENCE_DRIFT:
        print(
            f"WARNING: the reference moved by {drift:.0%} between its two runs: other work on "
            "the machine changed during the measurement, so the ratios are unreliable; run again"
        )
    print()
    passed = True
    for problem in [
        *wrk_problems(before, expected_bytes["reference"], size),
        *wrk_problems(full, expected_bytes["full"], size),
        *wrk_problems(not_modified, expected_bytes["not modified"], size),
        *wrk_problems(after, expected_bytes["reference"], size),
    ]:
        passed = verdict(False, problem)
    for result, target in ((full, TARGET_FULL), (not_modified, TARGET_NOT_MODIFIED)):
        ratio = result.requests_per_second / reference_rps
        passed &= verdict(
            ratio >= target,
            f"{result.label} at {ratio:.1%} of the same-size reference (target ≥ {target:.0%})",
        )
    cache = float(env.get("PAGE_CACHE_SECONDS", "2"))
    shown = "never" if fresh_seconds == float("inf") else f"after {fresh_seconds:.2f} s"
    passed &= verdict(
        fresh_seconds <= cache + 3,
        f"an organiser's move of an occurrence (other process) in the feed from every worker "
        f"{shown} (target ≤ {cache + 3:.0f} s: cache {cache:g} s + 3)",
    )
    print(f"    first seen: {json.dumps(fresh_detail)}")
    passed &= verdict(
        not fresh_problems,
        "after the edit every worker answers the old ETag with 200 and the new one with 304"
        + "".join(f"\n    {problem}" for problem in fresh_problems),
    )
    print(f"busy:    {load_average()} (after the run)")
    if args.keep:
        (workdir / "wrk.txt").write_text("\n".join(raw))
        print(f"\nkept {workdir} (database, uvicorn.log, wrk.txt)")
    return passed


def main() -> None:
    wrk_main(__doc__.split("\n\n")[0], "feeds", run)


if __name__ == "__main__":
    main()
