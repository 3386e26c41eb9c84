"""The `venskab` console command, run as real processes.

Each process gets its own database (a temporary SQLite file, or a scratch PostgreSQL database
when the suite runs with VENSKAB_TEST_DB=postgres://…): never the shared test database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from venskab import settings

VENSKAB = Path(sys.executable).parent / "venskab"
PASSWORD = "a-long-enough-password"
# Everything the platform reads from the environment; the subprocesses get only what we set.
PLATFORM_VARIABLES = ("VENSKAB_", "DATABASE_URL", "SECRET_KEY", "BASE_URL", "PAGE_CACHE_")


def environment(database_url: str, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_VARIABLES)}
    return {**env, "VENSKAB_ENV": "development", "DATABASE_URL": database_url, **values}


def run(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENSKAB), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.ROOT,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


# ---------------------------------------------------------------- databases of their own


def _postgres(statement: str, url: str, *, fetch: bool = False) -> int | None:
    import asyncpg

    async def go() -> int | None:
        connection = await asyncpg.connect(url)
        try:
            if fetch:
                return await connection.fetchval(statement)
            await connection.execute(statement)
            return None
        finally:
            await connection.close()

    return asyncio.run(go())


def count(database_url: str, table: str) -> int:
    """Rows in `table`, read directly, without the ORM of the test process."""
    query = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 (table names are literals here)
    if database_url.startswith("sqlite://"):
        with sqlite3.connect(database_url.removeprefix("sqlite://")) as connection:
            return connection.execute(query).fetchone()[0]
    result = _postgres(query, database_url, fetch=True)
    assert result is not None
    return result


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path / 'cli.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, sqlite_url: str, backend: str) -> Iterator[str]:
    """A SQLite file; on a PostgreSQL run also a scratch database, dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    if backend != "postgres":
        pytest.skip("runs with VENSKAB_TEST_DB=postgres://…")
    admin_url = os.environ["VENSKAB_TEST_DB"]
    name = f"venskab_cli_{uuid.uuid4().hex[:10]}"
    _postgres(f'CREATE DATABASE "{name}"', admin_url)
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin_url)


# ---------------------------------------------------------------- migrate, seed-demo


def test_migrate_twice_is_fine(database_url):
    env = environment(database_url)
    assert "migrations applied" in ok(run("migrate", env=env))
    applied = count(database_url, "tortoise_migrations")
    assert applied >= 1
    assert "migrations applied" in ok(run("migrate", env=env))
    assert count(database_url, "tortoise_migrations") == applied


def test_migrate_creates_the_folder_of_a_new_sqlite_file(tmp_path):
    url = f"sqlite://{tmp_path / 'var' / 'new.sqlite3'}"
    ok(run("migrate", env=environment(url)))
    assert (tmp_path / "var" / "new.sqlite3").is_file()


def test_seed_demo_loads_the_programme_once(database_url):
    env = environment(database_url)
    ok(run("migrate", env=env))
    first = ok(run("seed-demo", env=env))
    assert first.startswith("Demo programme loaded: 4 venues, 13 events")
    counts = {table: count(database_url, table) for table in ("venue", "event", "occurrence")}
    assert counts["event"] == 13
    second = ok(run("seed-demo", env=env))
    assert "nothing was changed" in second
    assert {table: count(database_url, table) for table in counts} == counts


# ---------------------------------------------------------------- create-organiser


def organisers(database_url: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database_url.removeprefix("sqlite://")) as connection:
        return connection.execute("SELECT email, role, password_hash FROM organiser").fetchall()


def test_create_organiser_reads_the_password_from_stdin(sqlite_url):
    env = environment(sqlite_url)
    ok(run("migrate", env=env))
    result = run(
        "create-organiser", "Admin@Venskab.example", "--role", "admin", env=env, stdin=PASSWORD
    )
    assert "organiser admin@venskab.example (admin) saved" in ok(result)
    [(email, role, password_hash)] = organisers(sqlite_url)
    assert (email, role) == ("admin@venskab.example", "admin")
    assert password_hash.startswith("$argon2")
    assert PASSWORD not in password_hash


def test_create_organiser_refuses_a_short_password(sqlite_url):
    env = environment(sqlite_url)
    ok(run("migrate", env=env))
    result = run("create-organiser", "admin@venskab.example", env=env, stdin="short\n")
    assert result.returncode != 0
    assert "at least 10 characters" in result.stderr
    assert organisers(sqlite_url) == []


def test_create_organiser_refuses_a_nonsense_email(sqlite_url):
    env = environment(sqlite_url)
    ok(run("migrate", env=env))
    result = run("create-organiser", "not-an-address", env=env, stdin=PASSWORD)
    assert result.returncode != 0
    assert "email address" in result.stderr
    assert organisers(sqlite_url) == []


# ---------------------------------------------------------------- check, production mode


def production(sqlite_url: str, **values: str) -> dict[str, str]:
    return environment(sqlite_url, VENSKAB_ENV="production", **values)


def good_production(sqlite_url: str) -> dict[str, str]:
    return production(
        sqlite_url,
        SECRET_KEY=secrets.token_hex(20),
        BASE_URL="https://venskab.example",
        SMTP_URL="smtp://mail.kk.dk:587?starttls=1",
        MAIL_FROM="Venskab <venskab@kk.dk>",
    )


def test_check_passes_in_development(sqlite_url):
    assert "configuration ok (development)" in ok(run("check", env=environment(sqlite_url)))


def test_check_fails_in_production_without_a_secret(sqlite_url):
    result = run("check", env=production(sqlite_url))
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr
    assert "BASE_URL" in result.stderr


def test_check_refuses_a_short_secret_and_a_plain_http_address(sqlite_url):
    env = production(sqlite_url, SECRET_KEY="too-short", BASE_URL="http://venskab.example")
    result = run("check", env=env)
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr
    assert "BASE_URL" in result.stderr


def test_check_fails_in_production_without_a_mail_server(sqlite_url):
    env = {**good_production(sqlite_url), "SMTP_URL": ""}
    result = run("check", env=env)
    assert result.returncode == 1
    assert "SMTP_URL" in result.stderr


def test_check_passes_in_production_with_a_secret_and_https_address(sqlite_url):
    assert "configuration ok (production)" in ok(run("check", env=good_production(sqlite_url)))


def import_app(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import venskab.app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.ROOT,
    )


def test_web_app_refuses_to_start_in_production_without_a_secret(sqlite_url):
    result = import_app(production(sqlite_url))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_web_app_starts_in_production_with_a_secret(sqlite_url):
    result = import_app(good_production(sqlite_url))
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- worker


def wait_for(path: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in path.read_text():
            return True
        time.sleep(0.05)
    return False


def test_worker_stops_cleanly_on_sigterm(sqlite_url, tmp_path):
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [str(VENSKAB), "worker"],
            env=environment(sqlite_url),
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=settings.ROOT,
        )
    try:
        assert wait_for(log, "worker started", seconds=30), log.read_text()
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0, log.read_text()
        assert time.monotonic() - started < 5
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert "worker stopped" in log.read_text()
