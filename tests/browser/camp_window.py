"""Opens the demo camp's application window in the browser server's database, as an organiser
would in the camp's settings: run as `python -m tests.browser.camp_window` with DATABASE_URL
set to it. Prints the camp's slug and its weeks' ids (in date order) as JSON.

The demo's window opens on 1 March (venskab/demo.py), and the browser tests run on any day.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from tortoise import Tortoise, timezone

from booking.models import Camp
from events.models import Category, Event, EventStatus, Occurrence
from venskab import settings


async def open_window() -> dict:
    await Tortoise.init(config=settings.TORTOISE_ORM)
    try:
        now = timezone.now()
        event = await Event.get(category=Category.CAMP, status=EventStatus.PUBLISHED)
        await Camp.filter(event=event).update(
            applications_open_at=now - timedelta(days=1),
            applications_close_at=now + timedelta(days=30),
            edits_close_at=now + timedelta(days=40),
        )
        weeks = await Occurrence.filter(event=event).order_by("starts_at", "id")
        return {"slug": event.slug, "weeks": [week.id for week in weeks]}
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(open_window())))
