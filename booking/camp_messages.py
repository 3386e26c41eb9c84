"""What a camp family is told, written to the outbox inside the transaction of the change
(venskab/mail.py sends it later), in the family's language, with the application's link.

Templates: templates/mail/camp/{applied,result,offered,promoted,moved,withdrawn,deleted}.

The draw's result (camp/result) is rendered when it is sent (mail.enqueue_later: the draw
writes 3,000 of them in one insert, with every session locked). Frozen at the draw, in its
params: each child's outcome (week, placed or waiting, the registration, the waitlist
position then), so a withdrawal or a promotion before sending does not rewrite what the draw
said. As they are when it is sent: the names, the camp's title, the weeks' numbers and dates
and the link. A family that deleted its application before then is not written to (the
message fails, naming nobody). The other camp messages are rendered when written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking import tokens, waitlist
from booking.models import (
    ApplicationStatus,
    CampApplication,
    CampDraw,
    Child,
    Registration,
    RegistrationStatus,
)
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


@dataclass(frozen=True)
class Outcome:
    """Where the draw put a child, as its result mail reports it whatever happens next."""

    child: int
    session: int | None = None  # None: placed nowhere (no chosen week open, or no waitlist)
    registration: int | None = None
    status: str | None = None  # "confirmed" or "waitlisted"
    position: int | None = None  # waitlisted: the place in the queue at the draw


async def results(
    record: CampDraw,
    applications: Sequence[CampApplication],
    outcomes: Mapping[int, Sequence[Outcome]],
) -> None:
    """The lottery's result for each family (each child placed or waiting, with its
    position), all written in one insert and rendered when sent. Once per draw and family."""
    await mail.enqueue_later_many(
        mail.Later(
            to=application.guardian_email,
            language=application.language,
            template="camp/result",
            params={
                "draw": record.id,
                "application": application.id,
                "children": [vars(o) for o in outcomes.get(application.id, ())],
            },
            dedupe_key=f"camp-result-{record.id}-{application.id}",
        )
        for application in applications
        if application.guardian_email
    )


@dataclass(frozen=True)
class _Place:
    """A registration as the draw left it: what mail/camp/_parts reads of one."""

    id: int
    status: str
    occurrence: Occurrence
    expires_at: datetime | None = None


@dataclass(frozen=True)
class _AsDrawn:
    """A child as the draw left it: its name now, its outcome then."""

    name: str
    withdrawn_at: datetime | None
    registration: _Place | None


@mail.renderer("camp/result")
async def _render_result(
    params: Mapping[str, Any], language: str
) -> tuple[dict[str, Any], list[mail.Attachment]]:
    application = await CampApplication.get_or_none(id=params["application"]).select_related("camp")
    if application is None or application.status == ApplicationStatus.DELETED:
        raise mail.Unrenderable(f"camp application {params['application']} was deleted")
    if not application.guardian_email:
        raise mail.Unrenderable(f"camp application {application.id} was erased")
    outcomes = {entry["child"]: Outcome(**entry) for entry in params["children"]}
    children = await Child.filter(application=application).order_by("number")
    sessions = await Occurrence.in_bulk([o.session for o in outcomes.values() if o.session])
    drawn = []
    for child in children:
        outcome = outcomes.get(child.id)
        if outcome is None:  # withdrawn before the draw: not drawn
            drawn.append(_AsDrawn(child.name, child.withdrawn_at, None))
            continue
        place = None
        if outcome.session is not None and outcome.registration is not None:
            if outcome.session not in sessions:
                raise mail.Unrenderable(f"camp session {outcome.session} was deleted")
            place = _Place(outcome.registration, str(outcome.status), sessions[outcome.session])
        drawn.append(_AsDrawn(child.name, None, place))
    texts = await EventText.filter(event_id=application.camp.event_id)  # type: ignore[attr-defined]
    text = pick_text(texts, language)
    context = {
        "application": application,
        "children": drawn,
        "camp_title": text.title if text else "",
        "application_url": application_url(application),
        "positions": {o.registration: o.position for o in outcomes.values() if o.position},
        "weeks": await week_numbers(application.camp.event_id),  # type: ignore[attr-defined]
    }
    return context, []


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


async def moved(application: CampApplication, child: Child, now: datetime) -> None:
    """An organiser moved a child to another week: which one, and every child's place now."""
    await _send(application, "camp/moved", {**await _context(application), "moved": child})


async def deleted(application: CampApplication, now: datetime) -> None:
    """Confirms the deletion, naming no child (the message outlives the data)."""
    await _send(
        application, "camp/deleted", {"camp_title": (await _context(application))["camp_title"]}
    )
