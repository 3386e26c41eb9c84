"""What the organiser registration-page tests share: registrations in any state, written
directly (so a test names the state its rule is about), and a signed-in organiser who runs
an event.

No tests here (the name only keeps the module with the tests it serves).
"""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime, timedelta

import httpx
from tortoise import timezone

from booking.models import Registration, RegistrationStatus
from events.models import Occurrence
from tests.client_helpers import sign_in
from tests.factories import make_event, make_occurrence, make_organiser
from venskab.models import OutboxMessage, Role

Status = RegistrationStatus
_numbers = itertools.count(1)


async def make_registration(
    occurrence: Occurrence,
    status: Status = Status.CONFIRMED,
    *,
    seats: int = 1,
    now: datetime | None = None,
    **values,
) -> Registration:
    """A registration in `status`: a waitlisted one is queued now (after those before it),
    held and offered ones reserve their seats for another hour."""
    now = now or timezone.now()
    n = next(_numbers)
    defaults = {
        "name": f"Олена Коваленко {n}",
        "email": f"family{n}@example.org",
        "language": "uk",
    }
    reserving = status in (Status.HELD, Status.OFFERED)
    return await Registration.create(
        occurrence=occurrence,
        status=status,
        seats=seats,
        idempotency_key=secrets.token_urlsafe(24),
        token_nonce=secrets.token_hex(16),
        created_at=now,
        confirmed_at=now if status == Status.CONFIRMED else None,
        queued_at=now if status == Status.WAITLISTED else None,
        expires_at=now + timedelta(hours=1) if reserving else None,
        **{**defaults, **values},
    )


async def organiser_with_date(
    client: httpx.AsyncClient, *, role: Role = Role.ORGANISER, lang: str = "en", **occurrence
):
    """A signed-in organiser (or admin) and a date of an event they own."""
    organiser = await make_organiser(role=role)
    event = await make_event(
        owner=organiser,
        texts={"en": "Film night", "uk": "Кіновечір"},
        published_at=timezone.now(),  # as publishing records it: the feeds show it
    )
    date = await make_occurrence(event, **occurrence)
    await sign_in(client, organiser, lang=lang)
    return organiser, date


async def outbox(template: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(template=template).order_by("id")
