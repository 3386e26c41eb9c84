"""Public pages against the same app serving a fixed page of the same size.

Seeds 200 published events into a fresh database, starts the app as the Procfile does
(uvicorn, 2 workers), and measures with wrk, in one run: the programme page, an event page and,
as references, the same app answering a constant HTML body of each page's size. Then an
organiser's edit is made from another process, and the seconds until every worker shows it are
printed. Target: each page at least 10% of its reference's requests/s; the edit visible within a
few seconds (PAGE_CACHE_SECONDS, 2 by default).

    .venv/bin/python bench/pages.py [--duration 10] [--connections 32] [--database URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script (bench/pages.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    WARM_UP_SECONDS,
    Result,
    connections_to_every_worker,
    fetch,
    machine,
    measure,
    migrate_and_seed,
    run_json,
    server,
    wrk_main,
)

EVENTS = 200
TARGET = 0.10
FRESHNESS_LIMIT_SECONDS = 30.0


def prepare_database(env: dict[str, str]) -> dict:
    return migrate_and_seed(env, "seed", str(EVENTS))


# ---------------------------------------------------------------- freshness


def freshness(base: str, env: dict[str, str], slug: str, paths: list[str]) -> tuple[float, dict]:
    """Seconds from the commit of an edit (in another process) until every worker, on every
    path, serves the new title; and per worker and path, when it first did."""
    port = int(base.rsplit(":", 1)[1])
    workers = int(env.get("WEB_CONCURRENCY", "2"))
    connections = connections_to_every_worker(port, workers)
    if len(connections) < workers:
        raise SystemExit(f"reached only {len(connections)} of {workers} workers")
    for connection in connections.values():
        for path in paths:  # both workers hold the old page in their cache now
            connection.request("GET", path)
            connection.getresponse().read()
    new_title = f"Edited title {int(time.time())}"
    committed_at = run_json(
        [sys.executable, "-m", "bench.seeding", "retitle", slug, new_title], env
    )["committed_at"]
    seen: dict[tuple[int, str], float] = {}
    while len(seen) < len(connections) * len(paths):
        if time.time() - committed_at > FRESHNESS_LIMIT_SECONDS:
            break
        for pid, connection in connections.items():
            for path in paths:
                if (pid, path) in seen:
                    continue
                connection.request("GET", path)
                body = connection.getresponse().read()
                if new_title.encode() in body:
                    seen[(pid, path)] = time.time() - committed_at
        time.sleep(0.05)
    for connection in connections.values():
        connection.close()
    worst = max(seen.values()) if len(seen) == len(connections) * len(paths) else float("inf")
    return worst, {f"pid {pid} {path}": round(s, 2) for (pid, path), s in sorted(seen.items())}


# ---------------------------------------------------------------- report


def table(results: list[Result], references: dict[int, Result]) -> list[str]:
    lines = [
        f"{'page':<26} {'path':<34} {'bytes':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'vs ref':>8}"
    ]
    for result in results:
        reference = references.get(result.size)
        ratio = (
            f"{result.requests_per_second / reference.requests_per_second:.1%}"
            if reference and reference is not result
            else "—"
        )
        lines.append(
            f"{result.label:<26} {result.path:<34} {result.size:>7} "
            f"{result.requests_per_second:>9.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f} "
            f"{ratio:>8}"
        )
        if result.problems:
            lines.append(f"    wrk reported: {result.problems}")
    return lines


def run(args: argparse.Namespace, workdir: Path) -> bool:
    for line in machine():
        print(line)
    env = dict(os.environ)
    env.pop("BENCH_FIXED_BYTES", None)
    env["DATABASE_URL"] = args.database or f"sqlite://{workdir / 'bench.sqlite3'}"
    env["PYTHONPATH"] = str(ROOT)
    print(f"database: {env['DATABASE_URL'].split('://', 1)[0]}", end="")
    print(f", page cache {env.get('PAGE_CACHE_SECONDS', '2 (default)')} s")
    started = time.monotonic()
    seeded = prepare_database(env)
    print(
        f"seeded: {seeded['events']} published events, {seeded['occurrences']} upcoming "
        f"occurrences, {seeded['venues']} venues ({time.monotonic() - started:.1f} s)"
    )
    log = workdir / "uvicorn.log"
    programme, slug = "/en/programme", "bench-event-001"
    event = f"/en/events/{slug}"

    # Sizes first: the reference pages are built at start-up from BENCH_FIXED_BYTES.
    with server(env, log) as base:
        programme_body, event_body = fetch(base + programme), fetch(base + event)
    if b"200 events" not in programme_body or slug.encode() not in programme_body:
        raise SystemExit("the programme page does not list the seeded events")
    sizes = {programme: len(programme_body), event: len(event_body)}
    env["BENCH_FIXED_BYTES"] = ",".join(str(size) for size in sizes.values())
    print(
        f"load: wrk -t2 -c{args.connections} -d{args.duration}s --latency, after a "
        f"{WARM_UP_SECONDS} s warm-up, one URL at a time; 127.0.0.1 only"
    )
    print()

    raw: list[str] = []
    references: dict[int, Result] = {}
    results: list[Result] = []
    with server(env, log) as base:
        for size in sorted(set(sizes.values()), reverse=True):
            references[size] = measure(
                base, f"reference {size} B", f"/bench/fixed-{size}", size, args, raw
            )
        results.append(measure(base, "programme page", programme, sizes[programme], args, raw))
        results.append(measure(base, "event page", event, sizes[event], args, raw))
        fresh_seconds, fresh_detail = freshness(base, env, slug, [programme, event])

    print("\n".join(table([*references.values(), *results], references)))
    print()
    passed = True
    for result in results:
        ratio = result.requests_per_second / references[result.size].requests_per_second
        ok = ratio >= TARGET
        passed &= ok
        print(
            f"{'PASS' if ok else 'FAIL'}: {result.label} at {ratio:.1%} of the same-size "
            f"reference (target ≥ {TARGET:.0%})"
        )
    cache = float(env.get("PAGE_CACHE_SECONDS", "2"))
    fresh_ok = fresh_seconds <= cache + 3
    passed &= fresh_ok
    shown = "never" if fresh_seconds == float("inf") else f"after {fresh_seconds:.2f} s"
    print(
        f"{'PASS' if fresh_ok else 'FAIL'}: an organiser's edit (other process) visible on both "
        f"pages from every worker {shown} (target ≤ {cache + 3:.0f} s: cache {cache:g} s + 3)"
    )
    print(f"    first seen: {json.dumps(fresh_detail, ensure_ascii=False)}")
    if args.keep:
        (workdir / "wrk.txt").write_text("\n".join(raw))
        print(f"\nkept {workdir} (database, uvicorn.log, wrk.txt)")
    return passed


def main() -> None:
    wrk_main(__doc__.split("\n\n")[0], "pages", run)


if __name__ == "__main__":
    main()
