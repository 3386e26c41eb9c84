"""What the camp organiser and staff tests share: families and children written directly in
the state a test is about (placed, waiting, awaiting the draw), camps owned by an organiser,
a session running now (check-in happens on camp days), and signed-in people of each role.

No tests here (the name only keeps the module with the tests it serves).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx
from tortoise import timezone

from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    Child,
    Registration,
    RegistrationStatus,
    Swimming,
)
from events.models import Event, Occurrence
from tests.client_helpers import sign_in
from tests.factories import born_aged, make_camp, make_occurrence, make_organiser
from venskab.models import Organiser, Role

Status = RegistrationStatus
_numbers = itertools.count(1)

# The safety data every child made here carries: none of it may reach an organiser's page.
ALLERGY = "Арахіс, без глютену"
MEDICAL = "Астма: інгалятор у рюкзаку"
MEDICATION = "Сальбутамол 2 вдихи"
EMERGENCY_PHONE = "+45 99 88 77 66"
SAFETY_DATA = (ALLERGY, MEDICAL, MEDICATION, EMERGENCY_PHONE)


async def owned_camp(
    owner: Organiser | None = None, **values
) -> tuple[Camp, list[Occurrence], Organiser | None]:
    """make_camp, with its event owned by `owner`."""
    camp, sessions = await make_camp(**values)
    if owner is not None:
        await Event.filter(id=camp.event_id).update(owner_id=owner.id)
    return camp, sessions, owner


async def running_session(camp: Camp, *, capacity: int = 10, ages=(6, 13)) -> Occurrence:
    """A session of the camp that started yesterday and runs for five days."""
    event = await Event.get(id=camp.event_id)
    starts_at = timezone.now() - timedelta(days=1)
    return await make_occurrence(
        event,
        starts_at=starts_at,
        duration=timedelta(days=4, hours=7),
        capacity=capacity,
        min_age=ages[0],
        max_age=ages[1],
    )


async def make_family(
    camp: Camp, *, status: ApplicationStatus = ApplicationStatus.ALLOCATED, **values
) -> CampApplication:
    n = next(_numbers)
    defaults = {
        "guardian_name": f"Оксана Шевченко {n}",
        "guardian_email": f"parent{n}@example.org",
        "guardian_phone": "+45 12 34 56 78",
        "guardian_address": "Amagerbrogade 1, 2300 København S",
        "emergency_name": "Іван Шевченко",
        "emergency_phone": EMERGENCY_PHONE,
        "emergency_relation": "дядько",
        "language": "uk",
        "consent_data": True,
        "consent_photos": False,
        "consent_emergency_treatment": True,
    }
    return await CampApplication.create(
        camp=camp,
        status=status,
        idempotency_key=secrets.token_urlsafe(24),
        token_nonce=secrets.token_hex(16),
        submitted_at=timezone.now(),
        **{**defaults, **values},
    )


async def make_child(
    application: CampApplication,
    session: Occurrence | None,
    status: Status | None = Status.CONFIRMED,
    *,
    age: int = 8,
    preferences: Sequence[Occurrence] = (),
    registration: Registration | None = None,
    now: datetime | None = None,
    **values,
) -> Child:
    """A child of the family. With `session` and `status`: on a registration of its own in
    that state (or on `registration`, a sibling's, one seat more). Without: no place yet."""
    now = now or timezone.now()
    n = next(_numbers)
    number = await Child.filter(application=application).count() + 1
    wanted = list(preferences) or ([session] if session else [])
    if session is not None and status is not None and registration is None:
        reserving = status in (Status.HELD, Status.OFFERED)
        registration = await Registration.create(
            occurrence=session,
            status=status,
            seats=0,
            name=application.guardian_name,
            email=application.guardian_email,
            phone=application.guardian_phone,
            language=application.language,
            idempotency_key=f"camp-{secrets.token_urlsafe(24)}",
            token_nonce=secrets.token_hex(16),
            created_at=now,
            confirmed_at=now if status == Status.CONFIRMED else None,
            queued_at=now if status == Status.WAITLISTED else None,
            expires_at=now + timedelta(hours=24) if reserving else None,
            camp_application=application,
        )
    if registration is not None:
        registration.seats += 1
        await registration.save(update_fields=["seats"])
    defaults = {
        "name": f"Дитина {n}",
        "date_of_birth": born_aged(age, wanted[0]) if wanted else None,
        "preferences": [s.id for s in wanted],
        "allergies_diet": ALLERGY,
        "medical_notes": MEDICAL,
        "medication": MEDICATION,
        "swimming": Swimming.WITH_AID,
    }
    return await Child.create(
        application=application,
        number=number,
        registration=registration,
        **{**defaults, **values},
    )


async def signed_in(client: httpx.AsyncClient, role: Role | None) -> Organiser | None:
    """A signed-in person of `role` (None: nobody signs in)."""
    if role is None:
        return None
    person = await make_organiser(role=role)
    await sign_in(client, person)
    return person


LOTTERY = AllocationRule.LOTTERY
