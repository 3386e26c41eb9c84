"""A lock not granted in time is a translated 'busy, please try again' (503), never a 500,
and nothing is written. PostgreSQL only: SQLite's equivalent is its busy timeout."""

from __future__ import annotations

import asyncpg
import pytest

from booking import capacity
from booking.models import Registration
from tests.booking.test_pages_support import submit
from tests.conftest import BACKEND, DATABASE_URL
from tests.factories import make_occurrence
from venskab.i18n import translations

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="lock_timeout is PostgreSQL's")


async def test_a_held_lock_gives_a_translated_503_and_writes_nothing(client, monkeypatch):
    occurrence = await make_occurrence(capacity=10)
    monkeypatch.setattr(capacity, "LOCK_TIMEOUT", "200ms")
    other = await asyncpg.connect(DATABASE_URL.split("?", 1)[0])
    try:
        holding = other.transaction()
        await holding.start()
        # Another transaction holds the occurrence's lock, as a slow booking would.
        await other.execute(
            "UPDATE occurrence SET lock_version = lock_version + 1 WHERE id = $1", occurrence.id
        )
        response = await submit(client, occurrence.id, "uk")
        await holding.rollback()
    finally:
        await other.close()
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert translations("uk").gettext("Busy, please try again.") in response.text
    assert await Registration.all().count() == 0
