"""Factories with keyword defaults: a test names only what its rule is about."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from tortoise import timezone

from booking.camp import ApplicationInput, ChildInput, ContactInput
from booking.camp import first_day as camp_first_day
from booking.models import AllocationRule, Camp, Swimming
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


# ---------------------------------------------------------------- the summer camp

CAMP_WEEKS = ((6, 9), (10, 13), (6, 13))  # default sessions' age ranges


async def make_camp(
    *,
    allocation: AllocationRule = AllocationRule.FIRST_COME,
    ages: Sequence[tuple[int, int]] = CAMP_WEEKS,
    capacity: int = 20,
    opens: timedelta = timedelta(days=-1),
    **values,
) -> tuple[Camp, list[Occurrence]]:
    """A published camp with one session (week) per age range, a week apart, starting a
    month ahead (first day a Monday is not needed), applications open since `opens` ago."""
    now = timezone.now()
    event = await make_event(category=Category.CAMP, texts={"en": "Summer camp", "uk": "Табір"})
    venue = await make_venue()
    sessions = []
    for n, (low, high) in enumerate(ages):
        starts_at = now + timedelta(days=30 + 7 * n)
        sessions.append(
            await make_occurrence(
                event,
                venue=venue,
                starts_at=starts_at,
                duration=timedelta(days=4, hours=7),
                capacity=capacity,
                min_age=low,
                max_age=high,
                max_seats_per_registration=6,
            )
        )
    camp = await Camp.create(
        event=event,
        allocation=allocation,
        applications_open_at=now + opens,
        **values,
    )
    return camp, sessions


def born_aged(age: int, session: Occurrence) -> date:
    """A date of birth that makes a child `age` on the session's first day (1 January)."""
    return date(camp_first_day(session).year - age, 1, 1)


def child_input(preferences: Sequence[Occurrence], age: int = 8, **values) -> ChildInput:
    n = next(_numbers)
    defaults = {
        "name": f"Дитина {n}",
        "date_of_birth": born_aged(age, preferences[0]),
        "preferences": tuple(s.id for s in preferences),
        "allergies_diet": "Горіхи",
        "medical_notes": "Астма, інгалятор",
        "medication": "Сальбутамол",
        "swimming": Swimming.BEGINNER,
    }
    return ChildInput(**{**defaults, **values})


def application_input(children: Sequence[ChildInput], **values) -> ApplicationInput:
    """A valid camp application for these children; name the fields a test is about."""
    n = next(_numbers)
    contact = ContactInput(
        guardian_name=f"Оксана Шевченко {n}",
        guardian_email=f"parent{n}@example.org",
        guardian_phone="+45 12 34 56 78",
        guardian_address="Amagerbrogade 1, 2300 København S",
        emergency_name="Іван Шевченко",
        emergency_phone="+45 87 65 43 21",
        emergency_relation="дядько",
    )
    defaults = {
        "contact": contact,
        "children": tuple(children),
        "language": "uk",
        "idempotency_key": secrets.token_urlsafe(24),
        "consent_data": True,
        "consent_photos": True,
        "consent_emergency_treatment": True,
    }
    return ApplicationInput(**{**defaults, **values})
