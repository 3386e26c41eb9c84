"""Test set-up: one database backend per pytest process (STACK.md: never mix them).

VENSKAB_TEST_DB chooses it: unset or "sqlite" → a fresh SQLite file; a postgres:// URL → a fresh
database created next to the one named (dropped at the end). The schema is built by running the
project's migrations, so every test run also tests them. Each test starts from empty tables.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

_tmp = Path(tempfile.mkdtemp(prefix="venskab-test-"))
_choice = os.environ.get("VENSKAB_TEST_DB", "sqlite")
if _choice.startswith(("postgres://", "postgresql://")):
    _parts = urlsplit(_choice)
    ADMIN_DB_URL = _choice
    TEST_DB_NAME = f"venskab_test_{uuid.uuid4().hex[:10]}"
    DATABASE_URL = urlunsplit(_parts._replace(path=f"/{TEST_DB_NAME}"))
    BACKEND = "postgres"
else:
    ADMIN_DB_URL = ""
    TEST_DB_NAME = ""
    DATABASE_URL = f"sqlite://{_tmp / 'test.sqlite3'}"
    BACKEND = "sqlite"

# Settings are read once, at import: set the environment first (DESIGN.md, habit 4).
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("VENSKAB_ENV", "test")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 32)

import httpx  # noqa: E402
import pytest_asyncio  # noqa: E402
from tortoise import Tortoise  # noqa: E402
from tortoise.backends.base.executor import EXECUTOR_CACHE  # noqa: E402
from tortoise.contrib.test import truncate_all_models  # noqa: E402

from venskab import cli, settings, web  # noqa: E402
from venskab.app import create_app  # noqa: E402


def pytest_report_header() -> str:
    return f"venskab database backend: {BACKEND} ({DATABASE_URL})"


async def _create_postgres_database() -> None:
    import asyncpg

    admin = await asyncpg.connect(ADMIN_DB_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{TEST_DB_NAME}"')
    finally:
        await admin.close()


async def _drop_postgres_database() -> None:
    import asyncpg

    admin = await asyncpg.connect(ADMIN_DB_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture(scope="session", autouse=True)
async def database_schema() -> AsyncIterator[None]:
    """A fresh database with the schema built by the project's migrations."""
    if BACKEND == "postgres":
        await _create_postgres_database()
    EXECUTOR_CACHE.clear()
    await cli.migrate()
    await Tortoise.init(config=settings.TORTOISE_ORM)
    yield
    await Tortoise.close_connections()
    if BACKEND == "postgres":
        await _drop_postgres_database()


@pytest_asyncio.fixture(autouse=True)
async def empty_database(database_schema: None) -> AsyncIterator[None]:
    """Every test starts with empty tables and an empty page cache."""
    await truncate_all_models()
    web.page_cache.clear()
    yield


@pytest.fixture(scope="session")
def app():
    return create_app(with_database=False)


@pytest_asyncio.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture(scope="session")
def backend() -> str:
    return BACKEND
