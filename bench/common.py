"""What every benchmark here shares: the machine report, the database set-up, uvicorn started as
the Procfile starts it, wrk and its output, and one connection to each worker process.

The scripts (bench/pages.py, bench/feeds.py) import this; it measures nothing by itself.
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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
WARM_UP_SECONDS = 2


# ---------------------------------------------------------------- machine


def wrk_version() -> str:
    if shutil.which("wrk") is None:
        return "wrk (not installed)"
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (wrk.stdout + wrk.stderr).splitlines()[0].split(" [")[0]


def machine(load_generator: str | None = None) -> list[str]:
    """What the figures were measured on. load_generator: what sends the requests (wrk's
    version by default)."""
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    if load_generator is None:
        load_generator = wrk_version()
    loop = "uvloop" if _importable("uvloop") else "asyncio"
    http_impl = "httptools" if _importable("httptools") else "h11"
    return [
        f"machine: {os.cpu_count()} CPUs ({_nproc()} usable), {model}",
        f"python:  {platform.python_version()} ({sys.executable})",
        f"server:  uvicorn, 2 workers, loop {loop}, http {http_impl}; load: {load_generator}",
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


def migrate_and_seed(env: dict[str, str], *seed_args: str) -> dict:
    """`venskab migrate`, then `python -m bench.seeding <seed_args>` in its own process; the
    seeding's JSON summary."""
    migrate = subprocess.run(
        [str(BIN / "venskab"), "migrate"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if migrate.returncode != 0:
        raise SystemExit(f"venskab migrate failed:\n{migrate.stdout}{migrate.stderr}")
    return run_json([sys.executable, "-m", "bench.seeding", *seed_args], env)


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
        *("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", "--no-server-header"),
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
    responses: int = 0  # how many responses wrk read in the measured run
    bytes_read: float = 0.0  # and how many bytes in all (wrk rounds to 2 decimals of its unit)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
UNITS_BYTES = {"B": 1.0, "KB": 1024.0, "MB": 1024.0**2, "GB": 1024.0**3, "TB": 1024.0**4}


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


def parse_totals(output: str) -> tuple[int, float]:
    """Responses read and bytes read ("123 requests in 10.00s, 45.67MB read")."""
    found = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read", output)
    if found is None:
        return 0, 0.0
    return int(found.group(1)), float(found.group(2)) * UNITS_BYTES[found.group(3)]


def wrk(url: str, duration: int, connections: int, headers: Sequence[str] = ()) -> str:
    threads = str(min(2, connections))
    base = ["wrk", "-t", threads, "-c", str(connections)]
    for header in headers:
        base += ["-H", header]
    subprocess.run([*base, "-d", f"{WARM_UP_SECONDS}s", url], capture_output=True, check=True)
    done = subprocess.run(
        [*base, "-d", f"{duration}s", "--latency", url], capture_output=True, text=True, check=True
    )
    return done.stdout


def measure(
    base: str,
    label: str,
    path: str,
    size: int,
    args: argparse.Namespace,
    raw: list[str],
    headers: Sequence[str] = (),
) -> Result:
    output = wrk(base + path, args.duration, args.connections, headers)
    shown = "".join(f" -H '{header}'" for header in headers)
    raw.append(f"--- {label} {path}{shown}\n{output}")
    rps, p50, p99, problems = parse_wrk(output)
    responses, bytes_read = parse_totals(output)
    return Result(label, path, size, rps, p50, p99, problems, responses, bytes_read)


def wrk_main(description: str, name: str, run: Callable[[argparse.Namespace, Path], bool]) -> None:
    """The command line the wrk benchmarks share: options, a temporary directory, the exit
    code (1 when a target is missed)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--database", help="an empty PostgreSQL database (default: new SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not 1 <= args.duration <= 120 or not 1 <= args.connections <= 1000:
        parser.error("--duration 1–120 s and --connections 1–1000")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix=f"venskab-bench-{name}-"))
    try:
        passed = run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    raise SystemExit(0 if passed else 1)
