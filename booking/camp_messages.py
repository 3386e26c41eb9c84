"""What a camp family is told, written to the outbox inside the transaction of the change
(venskab/mail.py sends it later), in the family's language, with the application's link.

Templates: templates/mail/camp/{applied,result,offered,promoted,withdrawn,deleted}.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from booking import tokens, waitlist
from booking.models import CampApplication, Child, Registration, RegistrationStatus
from events.models import EventText, Occurrence
from events.services import pick_text
from venskab import mail
from venskab.settings import BASE_URL


def application_url(application: CampApplication) -> str:
    token = tokens.application_token(application)
    return f"{BASE_URL}/{application.language}/camp/applications/{token}"


async def _context(application: CampApplication) -> dict[str, Any]:
    """The application, its children with their placements, the camp's title in the
    family's language and the link."""
    await application.fetch_related("camp")
    texts = await EventText.filter(event_id=application.camp.event_id)  # type: ignore[attr-defined]
    text = pick_text(texts, application.language)
    children = (
        await Child.filter(application=application)
        .order_by("number")
        .select_related("registration", "registration__occurrence")
    )
    return {
        "application": application,
        "children": children,
        "camp_title": text.title if text else "",
        "application_url": application_url(application),
        "positions": await _positions(children),
        "weeks": await week_numbers(application.camp.event_id),  # type: ignore[attr-defined]
    }


async def week_numbers(event_id: int) -> dict[int, int]:
    """Each session's number as families read it ("week 2"), the earliest first. Cancelled
    sessions keep their number, so a family's week is never renumbered under them."""
    ids = (
        await Occurrence.filter(event_id=event_id, capacity__not_isnull=True)
        .order_by("starts_at", "id")
        .values_list("id", flat=True)
    )
    return {session_id: number for number, session_id in enumerate(ids, start=1)}


async def _positions(children: Sequence[Child]) -> dict[int, int]:
    """Waitlist position per waiting registration id."""
    positions = {}
    for child in children:
        registration = child.registration
        if registration is not None and registration.status == RegistrationStatus.WAITLISTED:
            position = await waitlist.position(registration)
            if position is not None:
                positions[registration.id] = position
    return positions


async def _send(application: CampApplication, template: str, context: dict[str, Any]) -> None:
    if not application.guardian_email:
        return  # erased: nobody to tell
    await mail.enqueue(
        to=application.guardian_email,
        language=application.language,
        template=template,
        context=context,
    )


async def applied(application: CampApplication, now: datetime) -> None:
    """Received: with each child's placement (first come) or when the draw will be."""
    await _send(application, "camp/applied", await _context(application))


async def result(application: CampApplication, now: datetime) -> None:
    """The lottery's result for this family: each child placed or waiting (position)."""
    await _send(application, "camp/result", await _context(application))


async def promoted(registrations: Sequence[Registration], now: datetime) -> None:
    """Places freed for a waiting family: an offer to confirm by a deadline, or confirmed."""
    for registration in registrations:
        application_id = registration.camp_application_id  # type: ignore[attr-defined]
        if application_id is None:
            continue
        application = await CampApplication.get(id=application_id)
        context = await _context(application)
        template = (
            "camp/offered" if registration.status == RegistrationStatus.OFFERED else "camp/promoted"
        )
        await _send(application, template, {**context, "registration": registration})


async def withdrawn(application: CampApplication, children: Sequence[Child], now: datetime) -> None:
    """Confirms which children were withdrawn."""
    await _send(
        application, "camp/withdrawn", {**await _context(application), "withdrawn": children}
    )


async def deleted(application: CampApplication, now: datetime) -> None:
    """Confirms the deletion, naming no child (the message outlives the data)."""
    await _send(
        application, "camp/deleted", {"camp_title": (await _context(application))["camp_title"]}
    )
