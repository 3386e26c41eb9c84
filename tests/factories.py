"""Factories with keyword defaults: a test names only what its rule is about."""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime, timedelta

from tortoise import timezone

from booking.registrations import RegistrationForm
from events.models import (
    Audience,
    Category,
    Event,
    EventStatus,
    EventText,
    Occurrence,
    OccurrenceStatus,
    Venue,
)
from venskab.models import Organiser, Role
from venskab.security import hash_password

_numbers = itertools.count(1)
PASSWORD = "correct horse battery"
_password_hash = hash_password(PASSWORD)


async def make_venue(**values) -> Venue:
    n = next(_numbers)
    defaults = {
        "slug": f"venue-{n}",
        "name": f"Kulturhuset {n}",
        "address": f"Islands Brygge {n}, 2300 København S",
        "map_url": "https://www.openstreetmap.org/?mlat=55.66&mlon=12.57",
        "step_free": True,
        "accessibility_notes": {"en": "Lift to all floors."},
    }
    return await Venue.create(**{**defaults, **values})


async def make_event(
    *,
    texts: dict[str, str] | None = None,
    status: EventStatus = EventStatus.PUBLISHED,
    **values,
) -> Event:
    """An event; `texts` maps language → title (summaries are derived)."""
    n = next(_numbers)
    defaults = {
        "slug": f"event-{n}",
        "category": Category.FILM,
        "audience": Audience.EVERYONE,
        "spoken_language": "uk",
        "subtitles_language": "da",
        "price_ore": 0,
    }
    event = await Event.create(status=status, **{**defaults, **values})
    for language, title in (texts or {"en": f"Event {n}", "uk": f"Захід {n}"}).items():
        await EventText.create(
            event=event, language=language, title=title, summary=f"{title}: summary"
        )
    return event


async def make_occurrence(
    event: Event | None = None,
    *,
    starts_at: datetime | None = None,
    duration: timedelta = timedelta(hours=2),
    venue: Venue | None = None,
    **values,
) -> Occurrence:
    event = event or await make_event()
    venue = venue or await make_venue()
    starts_at = starts_at or timezone.now() + timedelta(days=3)
    defaults = {
        "capacity": 50,
        "status": OccurrenceStatus.SCHEDULED,
        "ends_at": starts_at + duration,
    }
    return await Occurrence.create(
        event=event, venue=venue, starts_at=starts_at, **{**defaults, **values}
    )


async def make_organiser(*, role: Role = Role.ORGANISER, **values) -> Organiser:
    n = next(_numbers)
    defaults = {"email": f"organiser{n}@venskab.example", "name": f"Organiser {n}"}
    return await Organiser.create(role=role, password_hash=_password_hash, **{**defaults, **values})


def registration_form(**values) -> RegistrationForm:
    """A valid registration form; name the fields a test is about."""
    n = next(_numbers)
    defaults = {
        "name": f"Олена Коваленко {n}",
        "email": f"family{n}@example.org",
        "seats": 1,
        "consent": True,
        "language": "uk",
        "idempotency_key": secrets.token_urlsafe(24),
    }
    return RegistrationForm(**{**defaults, **values})
