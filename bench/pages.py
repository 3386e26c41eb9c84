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
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
EVENTS = 200
TARGET = 0.10
WARM_UP_SECONDS = 2
FRESHNESS_LIMIT_SECONDS = 30.0


# ---------------------------------------------------------------- machine


def machine() -> list[str]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    wrk_version = (wrk.stdout + wrk.stderr).splitlines()[0].split(" [")[0]
    loop = "uvloop" if _importable("uvloop") else "asyncio"
    http_impl = "httptools" if _importable("httptools") else "h11"
    return [
        f"machine: {os.cpu_count()} CPUs ({_nproc()} usable), {model}",
        f"python:  {platform.python_version()} ({sys.executable})",
        f"server:  uvicorn, 2 workers, loop {loop}, http {http_impl}; load: {wrk_version}",
        f"busy:    {load_average()} (other work on the machine skews the figures)",
    ]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def _nproc() -> str:
    return subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()


def _importable(module: str) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, check=False
    )
    return probe.returncode == 0


# ---------------------------------------------------------------- database


def run_json(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare_database(env: dict[str, str]) -> dict:
    migrate = subprocess.run(
        [str(BIN / "venskab"), "migrate"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if migrate.returncode != 0:
        raise SystemExit(f"venskab migrate failed:\n{migrate.stdout}{migrate.stderr}")
    return run_json([sys.executable, "-m", "bench.seeding", "seed", str(EVENTS)], env)


# ---------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[str]:
    """uvicorn as the Procfile's web line starts it (loopback only), stopped with SIGTERM."""
    port = free_port()
    workers = env.get("WEB_CONCURRENCY", "2")
    args = [
        str(BIN / "uvicorn"),
        "bench.reference_app:app",
        *("--host", HOST, "--port", str(port), "--workers", workers),
        *("--proxy-headers", "--forwarded-allow-ips", "*", "--no-server-header"),
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"uvicorn exited early:\n{log.read_text()[-3000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base}/healthz", timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"uvicorn did not answer /healthz within 30 s:\n{log.read_text()[-3000:]}")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        return response.read()


# ---------------------------------------------------------------- load


@dataclass
class Result:
    label: str
    path: str
    size: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    problems: str


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> tuple[float, float, float, str]:
    """requests/s, p50 and p99 (ms) from `wrk --latency`, and any errors it reported."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    problems = [
        line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line
    ]
    return rps, p50, p99, "; ".join(problems)


def wrk(url: str, duration: int, connections: int) -> str:
    threads = str(min(2, connections))
    base = ["wrk", "-t", threads, "-c", str(connections)]
    subprocess.run([*base, "-d", f"{WARM_UP_SECONDS}s", url], capture_output=True, check=True)
    done = subprocess.run(
        [*base, "-d", f"{duration}s", "--latency", url], capture_output=True, text=True, check=True
    )
    return done.stdout


def measure(
    base: str, label: str, path: str, size: int, args: argparse.Namespace, raw: list[str]
) -> Result:
    output = wrk(base + path, args.duration, args.connections)
    raw.append(f"--- {label} {path}\n{output}")
    rps, p50, p99, problems = parse_wrk(output)
    return Result(label, path, size, rps, p50, p99, problems)


# ---------------------------------------------------------------- freshness


def connections_to_every_worker(port: int, workers: int) -> dict[int, http.client.HTTPConnection]:
    """One keep-alive connection per worker process: a connection stays with the process that
    accepted it, and /bench/pid says which one that is."""
    found: dict[int, http.client.HTTPConnection] = {}
    for _ in range(200):
        if len(found) == workers:
            break
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        connection.request("GET", "/bench/pid")
        pid = int(connection.getresponse().read())
        if pid in found:
            connection.close()
        else:
            found[pid] = connection
        time.sleep(0.01)
    return found


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--database", help="an empty PostgreSQL database (default: new SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not 1 <= args.duration <= 120 or not 1 <= args.connections <= 1000:
        parser.error("--duration 1–120 s and --connections 1–1000")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="venskab-bench-pages-"))
    try:
        passed = run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()
