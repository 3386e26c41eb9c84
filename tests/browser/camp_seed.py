"""Writes a camp for the camp organiser and staff browser tests into the browser server's
database: run as `python -m tests.browser.camp_seed TAG` with DATABASE_URL set to it. Prints
the ids as JSON.

A draft camp of its own (so the public pages and other tests' demo camp stay as they are): a
week that started yesterday with placed children, a later week with a waitlist, and a family
waiting for a place. Rows are written directly, with no mail.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from datetime import date, timedelta

from tortoise import Tortoise, timezone

from booking.models import (
    Camp,
    CampApplication,
    Child,
    LanguageLevel,
    Registration,
    RegistrationStatus,
    Swimming,
)
from events.models import Category, Event, EventStatus, EventText, Occurrence, Venue
from venskab import settings


async def _family(camp: Camp, n: int, **values) -> CampApplication:
    defaults = {
        "guardian_name": f"Оксана Шевченко {n}",
        "guardian_email": f"browser-camp-{n}@example.org",
        "guardian_phone": "+45 12 34 56 78",
        "guardian_address": "Amagerbrogade 1, 2300 København S",
        "emergency_name": "Іван Шевченко",
        "emergency_phone": "+45 87 65 43 21",
        "emergency_relation": "дядько",
        "language": "uk",
        "consent_data": True,
        "consent_photos": n % 2 == 0,
        "consent_emergency_treatment": True,
    }
    return await CampApplication.create(
        camp=camp,
        status="allocated",
        idempotency_key=secrets.token_urlsafe(24),
        token_nonce=secrets.token_hex(16),
        submitted_at=timezone.now(),
        **{**defaults, **values},
    )


async def _place(
    family: CampApplication, week: Occurrence, names: list[str], status: RegistrationStatus
) -> None:
    now = timezone.now()
    registration = await Registration.create(
        occurrence=week,
        status=status,
        seats=len(names),
        name=family.guardian_name,
        email=family.guardian_email,
        phone=family.guardian_phone,
        language=family.language,
        idempotency_key=f"camp-{secrets.token_urlsafe(24)}",
        token_nonce=secrets.token_hex(16),
        created_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        queued_at=now if status == RegistrationStatus.WAITLISTED else None,
        camp_application=family,
    )
    born = date(week.starts_at.year - 9, 1, 1)
    for number, name in enumerate(names, start=1):
        await Child.create(
            application=family,
            number=number,
            name=name,
            date_of_birth=born,
            preferences=[week.id],
            allergies_diet="Горіхи (анафілаксія): EpiPen у рюкзаку" if number == 1 else "",
            medical_notes="Астма" if number == 1 else "",
            medication="Сальбутамол за потреби" if number == 1 else "",
            swimming=Swimming.BEGINNER,
            danish_level=LanguageLevel.SOME,
            english_level=LanguageLevel.GOOD,
            registration=registration,
        )


async def seed(tag: str) -> dict[str, int]:
    await Tortoise.init(config=settings.TORTOISE_ORM)
    try:
        now = timezone.now()
        event = await Event.create(
            slug=f"browser-camp-{tag}",
            category=Category.CAMP,
            audience="children",
            status=EventStatus.DRAFT,
        )
        await EventText.create(
            event=event, language="en", title=f"Browser camp {tag}", summary="A test camp."
        )
        venue = await Venue.all().first()
        week = await Occurrence.create(
            event=event,
            venue=venue,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=3),
            capacity=4,
            min_age=6,
            max_age=12,
        )
        later = await Occurrence.create(
            event=event,
            venue=venue,
            starts_at=now + timedelta(days=30),
            ends_at=now + timedelta(days=34),
            capacity=1,
            min_age=6,
            max_age=12,
        )
        camp = await Camp.create(event=event, applications_open_at=now - timedelta(days=20))
        await _place(
            await _family(camp, 1),
            week,
            ["Марія Коваленко", "Олександр Коваленко-Шевченко"],
            RegistrationStatus.CONFIRMED,
        )
        await _place(await _family(camp, 2), week, ["Søren Ærø Hansen"], "confirmed")
        await _place(await _family(camp, 3), later, ["Ganna Later"], "confirmed")
        await _place(await _family(camp, 4), later, ["Petro Waiting"], "waitlisted")
        return {"event": event.id, "week": week.id, "later": later.id}
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(seed(sys.argv[1]))))
