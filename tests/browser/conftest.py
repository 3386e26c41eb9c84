"""Browser tests: Debian's chromium, driven by Playwright, against a real uvicorn server.

The server runs in a subprocess on its own database (a temporary SQLite file, or a PostgreSQL
database created next to VENSKAB_TEST_DB), built the way an operator builds one: `venskab
migrate`, `venskab seed-demo`, `venskab create-organiser`. One browser per session, a new
context per test. Without chromium or axe-core the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.browser.accounts import ADMIN_EMAIL, ORGANISER_EMAIL, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# ---------------------------------------------------------------- the in-process suite's fixtures


@pytest.fixture(scope="session")
def database_schema() -> None:
    """The browser suite talks to its own server: the in-process database is not needed."""


@pytest.fixture
def empty_database() -> None:
    """Overrides tests/conftest.py's per-test truncation, which has nothing to do here."""


# ---------------------------------------------------------------- availability


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        _unavailable(f"{AXE_SCRIPT} is missing: run `npm ci` in the repository root")
    return AXE_SCRIPT.read_text(encoding="utf-8")


# Package scope, not session: while Playwright's sync API is alive it marks an event loop as
# running in this thread, and the in-process suite's async tests that follow could not run.
@pytest.fixture(scope="package")
def browser(axe_source: str) -> Iterator:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: `apt-get install chromium` (Debian's package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (requirements-dev.lock)")
    with sync_playwright() as playwright:
        # Debian's chromium, never a downloaded one: there is no `playwright install` here.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ---------------------------------------------------------------- the server


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str
    log: Path

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_postgres(admin_url: str, statement: str) -> None:
    """One statement on the maintenance connection, in a thread of its own: Playwright's sync
    API marks its event loop as running in this thread, so no other loop may run here."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, run()).result()


def _commands(commands: list[tuple[list[str], str]], env: dict[str, str], log: Path) -> None:
    """Run `venskab` commands (argv, stdin) side by side; fail the session if one fails."""
    started = [
        (
            args,
            subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            ),
            stdin,
        )
        for args, stdin in commands
    ]
    failed = []
    for args, process, stdin in started:
        output, _ = process.communicate(stdin, timeout=120)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(args)}\n{output}\n")
        if process.returncode != 0:
            failed.append(f"{' '.join(args)} failed:\n{output}")
    if failed:
        pytest.fail("\n".join(failed), pytrace=False)


def _wait_healthy(url: str, process: subprocess.Popen, server_log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"uvicorn exited early:\n{server_log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"uvicorn did not become healthy:\n{server_log.read_text()}", pytrace=False)


@pytest.fixture(scope="package")
def server(browser) -> Iterator[Server]:
    """uvicorn on a free port, on a database of its own with demo data and two accounts."""
    workdir = Path(tempfile.mkdtemp(prefix="venskab-browser-"))
    choice = os.environ.get("VENSKAB_TEST_DB", "sqlite")
    admin_url = ""
    if choice.startswith(("postgres://", "postgresql://")):
        admin_url = choice
        name = f"venskab_browser_{uuid.uuid4().hex[:10]}"
        database_url = urlunsplit(urlsplit(choice)._replace(path=f"/{name}"))
    else:
        database_url = f"sqlite://{workdir / 'browser.sqlite3'}"
    # An explicit environment: tests/conftest.py set DATABASE_URL for the in-process suite.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST"))},
        "DATABASE_URL": database_url,
        "PAGE_CACHE_SECONDS": "0",
        "VENSKAB_ENV": "test",
        "SECRET_KEY": "browser-test-secret-key-" + "x" * 32,
        "PYTHONUNBUFFERED": "1",
    }
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env["BASE_URL"] = url
    log = workdir / "setup.log"
    server_log = workdir / "uvicorn.log"
    venskab = str(BIN / "venskab")
    process: subprocess.Popen | None = None
    created = False
    try:
        if admin_url:
            _run_postgres(admin_url, f'CREATE DATABASE "{name}"')
            created = True
        _commands([([venskab, "migrate"], "")], env, log)
        # Independent of each other: side by side, to keep the suite fast.
        _commands(
            [
                ([venskab, "seed-demo"], ""),
                *(
                    ([venskab, "create-organiser", email, "--role", role], PASSWORD + "\n")
                    for email, role in ((ADMIN_EMAIL, "admin"), (ORGANISER_EMAIL, "organiser"))
                ),
            ],
            env,
            log,
        )
        with server_log.open("w") as out:
            command = [str(BIN / "uvicorn"), "venskab.app:app", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--no-access-log"]
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_healthy(url, process, server_log)
        yield Server(url=url, database_url=database_url, log=server_log)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if created:
            _run_postgres(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------- contexts and pages


# Contexts with JavaScript off: axe cannot run there (its timers never fire: it would hang).
static_contexts: set[int] = set()


@pytest.fixture
def new_context(browser, server: Server) -> Iterator[Callable]:
    """Make browser contexts on the test server (closed after the test): new_context(**options)."""
    made = []

    def make(**options):
        context = browser.new_context(base_url=server.url, **options)
        context.set_default_timeout(10_000)
        made.append(context)
        if options.get("java_script_enabled") is False:
            static_contexts.add(id(context))
        return context

    yield make
    for context in made:
        static_contexts.discard(id(context))
        context.close()


@pytest.fixture
def page(new_context):
    """A page in an ordinary desktop context with JavaScript on."""
    return new_context().new_page()


@pytest.fixture
def static_page(new_context):
    """A page in a context with JavaScript disabled: what works here works without JS."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def audit(axe_source: str, server: Server) -> Callable:
    """audit(page): assert that axe-core finds no WCAG 2.1 A/AA violation on the page."""
    from tests.browser.axe import assert_accessible

    def check(page) -> None:
        if id(page.context) in static_contexts:
            raise AssertionError("audit() needs a page with JavaScript on; axe cannot run here")
        assert_accessible(page, axe_source)

    return check


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test's report ends with the server's log (tracebacks of 500s)."""
    report = yield
    server = item.funcargs.get("server") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, Server):
        report.sections.append(("uvicorn log (last lines)", server.log_tail()))
    return report
