"""What organisers do with a camp: its settings, the overview of applications and where each
child is placed, and moving a child from one session (week) to another.

The camp staff's side (the roster with the children's safety data, check-in and check-out) is
booking/camp_roster.py. Who may do what is decided by the caller (the web layer); `actor` is
only recorded. Nothing here shows a child's medical or safety fields: the overview is
placement data, which every organiser of the camp may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from booking import audit, camp, camp_messages, capacity, waitlist
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    Child,
    Registration,
    RegistrationStatus,
)
from events import services
from events.models import Category, Event, EventText, Occurrence, OccurrenceStatus
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_
from venskab.models import Organiser

Status = RegistrationStatus
MAX_CHILDREN = 6  # the family form has room for six
PAGE_SIZE = 100  # children per page of the overview


# ---------------------------------------------------------------- camps and their sessions


async def camp_event(event_id: int) -> Event:
    """The camp event with this id (any status), else NotFound."""
    event = await Event.get_or_none(id=event_id, category=Category.CAMP)
    if event is None:
        raise NotFound(N_("We could not find that camp."))
    return event


async def camp_sessions(camp_row: Camp) -> list[Occurrence]:
    """Every session of the camp with a capacity, cancelled ones too (they still have children
    to account for), in date order."""
    return await Occurrence.filter(
        event_id=camp_row.event_id,  # type: ignore[attr-defined]
        capacity__not_isnull=True,
    ).order_by("starts_at", "id")


@dataclass(frozen=True)
class SessionFill:
    """How full one session is, in children. Placed: confirmed. Offered: a place offered from
    the waitlist (or held) and not yet expired. First choice: children waiting for the draw
    who want this session most."""

    session: Occurrence
    capacity: int
    placed: int
    offered: int
    waiting: int
    first_choice: int = 0

    @property
    def taken(self) -> int:
        return self.placed + self.offered

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    def share(self, children: int) -> float:
        """Children as a percentage of the bar, long enough for capacity and queue."""
        scale = max(self.capacity, self.taken + self.waiting, 1)
        return round(100 * children / scale, 2)


async def session_fills(
    sessions: Iterable[Occurrence], now: datetime, first_choices: dict[int, int] | None = None
) -> list[SessionFill]:
    sessions = list(sessions)
    seats = await capacity.availabilities(sessions, now)
    first_choices = first_choices or {}
    return [
        SessionFill(
            session=session,
            capacity=session.capacity or 0,
            placed=seats[session.id].confirmed,
            offered=seats[session.id].held,
            waiting=seats[session.id].waitlisted,
            first_choice=first_choices.get(session.id, 0),
        )
        for session in sessions
    ]


@dataclass
class CampSummary:
    """A camp as the organisers' camp list shows it."""

    event: Event
    text: EventText | None
    camp: Camp
    fills: list[SessionFill]
    applications: int


async def camps_for(owner_id: int | None, language: str, now: datetime) -> list[CampSummary]:
    """The camps of this organiser (None: every camp), newest first, with each session's
    fill."""
    events = Event.filter(category=Category.CAMP)
    if owner_id is not None:
        events = events.filter(owner_id=owner_id)
    rows = await events.order_by("-id")
    texts = await services.texts_by_event(event.id for event in rows)
    summaries = []
    for event in rows:
        camp_row = await camp.camp_for_event(event)
        summaries.append(
            CampSummary(
                event=event,
                text=services.pick_text(texts.get(event.id, []), language),
                camp=camp_row,
                fills=await session_fills(await camp_sessions(camp_row), now),
                applications=await CampApplication.filter(camp_id=camp_row.id).count(),
            )
        )
    return summaries


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class SettingsInput:
    allocation: AllocationRule
    applications_open_at: datetime | None
    applications_close_at: datetime | None
    edits_close_at: datetime | None  # None: families may edit until the camp starts
    max_children: int


WINDOW = ("applications_open_at", "applications_close_at")


def settings_of(camp_row: Camp) -> SettingsInput:
    return SettingsInput(
        allocation=camp_row.allocation,
        applications_open_at=camp_row.applications_open_at,
        applications_close_at=camp_row.applications_close_at,
        edits_close_at=camp_row.edits_close_at,
        max_children=camp_row.max_children,
    )


def validate_settings(data: SettingsInput) -> dict[str, str]:
    """Errors per field: the window in order, a lottery with an end, 1–6 children."""
    errors: dict[str, str] = {}
    opens, closes = data.applications_open_at, data.applications_close_at
    if closes is not None and opens is None:
        errors["applications_open_at"] = N_("Set when applications open as well.")
    if opens is not None and closes is not None and closes <= opens:
        errors["applications_close_at"] = N_("Applications must close after they open.")
    if data.allocation == AllocationRule.LOTTERY and closes is None:
        errors["applications_close_at"] = N_(
            "A lottery needs a closing time: the draw is run after it."
        )
    if data.edits_close_at is not None and opens is not None and data.edits_close_at <= opens:
        errors["edits_close_at"] = N_("The deadline for changes must be after applications open.")
    if not 1 <= data.max_children <= MAX_CHILDREN:
        errors["max_children"] = N_("Allow from 1 to 6 children per application.")
    return errors


def _stamp(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


async def save_settings(
    camp_id: int, data: SettingsInput, now: datetime, *, actor: Organiser | None
) -> Camp:
    """Change a camp's settings, with an audit entry of what changed.

    The allocation rule is fixed once a family has applied (their application was placed, or
    kept for the draw, by the rule they applied under), and the window once the draw has run.
    The camp's sessions are locked meanwhile, so no first-come application lands between the
    check and the change.
    """
    errors = validate_settings(data)
    if errors:
        raise Invalid(errors)
    camp_row = await Camp.get_or_none(id=camp_id)
    if camp_row is None:
        raise NotFound(N_("We could not find that camp."))
    session_ids = [s.id for s in await camp_sessions(camp_row)]
    async with capacity.locked(session_ids):
        camp_row = await Camp.get(id=camp_id)
        applied = await CampApplication.filter(camp_id=camp_id).count()
        if data.allocation != camp_row.allocation and applied:
            raise Conflict(
                N_(
                    "Families have already applied (applications: %(n)s), so the allocation "
                    "rule can no longer be changed."
                ),
                n=applied,
            )
        before = settings_of(camp_row)
        changed = [name for name in vars(data) if getattr(data, name) != getattr(before, name)]
        if camp_row.drawn_at is not None and set(changed) & set(WINDOW):
            raise Conflict(
                N_("The draw has been run, so the application window can no longer be changed.")
            )
        if not changed:
            return camp_row
        for name in changed:
            setattr(camp_row, name, getattr(data, name))
        await camp_row.save(update_fields=changed)
        detail = {name: _stamp(getattr(data, name)) for name in changed}
        await audit.record(actor, audit.CAMP_SETTINGS_CHANGED, f"camp {camp_id}", detail, now)
    return camp_row


# ---------------------------------------------------------------- the overview


class Placement(StrEnum):
    """Where a child stands."""

    PLACED = "placed"
    OFFERED = "offered"  # a place offered from the waitlist, to be confirmed by a deadline
    WAITLISTED = "waitlisted"
    AWAITING_DRAW = "awaiting-draw"
    NOT_PLACED = "not-placed"  # no session it asked for had room or a waitlist, or an offer ran out
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ChildRow:
    child: Child
    application: CampApplication
    placement: Placement
    session: Occurrence | None  # where it is placed, offered a place or waiting
    position: int | None  # its family's place in the waitlist
    age: int | None  # on the first day of its session, else of its first choice
    wanted: list[Occurrence]  # its choices, most wanted first

    @property
    def movable(self) -> bool:
        return self.placement in (Placement.PLACED, Placement.OFFERED, Placement.WAITLISTED)


@dataclass
class Overview:
    camp: Camp
    sessions: list[Occurrence]
    fills: list[SessionFill]
    rows: list[ChildRow]  # this page's, after the filters
    found: int  # rows after the filters, all pages
    counts: dict[Placement, int]  # every child of the camp, by placement
    page: int
    pages: int
    applications: int


def placement_of(child: Child, application: CampApplication, now: datetime) -> Placement:
    registration = child.registration
    if child.withdrawn_at is not None:
        return Placement.WITHDRAWN
    if registration is None:
        if application.status == ApplicationStatus.SUBMITTED:
            return Placement.AWAITING_DRAW
        return Placement.NOT_PLACED
    if registration.status == Status.CONFIRMED:
        return Placement.PLACED
    if registration.status == Status.WAITLISTED:
        return Placement.WAITLISTED
    reserving = registration.status in capacity.RESERVING
    if reserving and registration.expires_at is not None and registration.expires_at > now:
        return Placement.OFFERED
    return Placement.NOT_PLACED


async def _positions(sessions: Iterable[Occurrence]) -> dict[int, int]:
    """Waitlist position per waiting registration id, every session's queue."""
    positions: dict[int, int] = {}
    for session in sessions:
        queue = await waitlist.queue_of(session)
        positions |= {r.id: n for n, r in enumerate(queue, start=1)}
    return positions


async def overview(
    camp_row: Camp,
    now: datetime,
    *,
    session_id: int | None = None,
    placement: Placement | None = None,
    page: int = 1,
) -> Overview:
    """Every child of the camp's applications with its placement, filtered by session (where
    it is, or a choice while it has no place) and by placement; a page at a time."""
    sessions = await camp_sessions(camp_row)
    by_id = {s.id: s for s in sessions}
    children = (
        await Child.filter(application__camp_id=camp_row.id)
        .select_related("application", "registration")
        .order_by("application_id", "number")
    )
    positions = await _positions(sessions)
    rows = [_row(child, by_id, positions, now) for child in children]
    first_choices: dict[int, int] = {}
    for row in rows:
        if row.placement == Placement.AWAITING_DRAW and row.child.preferences:
            first = row.child.preferences[0]
            first_choices[first] = first_choices.get(first, 0) + 1
    counts = {state: 0 for state in Placement}
    for row in rows:
        counts[row.placement] += 1
    shown = [
        row
        for row in rows
        if (placement is None or row.placement == placement)
        and (session_id is None or _concerns(row, session_id))
    ]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(1, page), pages)
    return Overview(
        camp=camp_row,
        sessions=sessions,
        fills=await session_fills(sessions, now, first_choices),
        rows=shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        found=len(shown),
        counts=counts,
        page=page,
        pages=pages,
        applications=len({row.application.id for row in rows}),
    )


def _row(
    child: Child, sessions: dict[int, Occurrence], positions: dict[int, int], now: datetime
) -> ChildRow:
    registration = child.registration
    session = sessions.get(registration.occurrence_id) if registration else None  # type: ignore[attr-defined]
    state = placement_of(child, child.application, now)
    if state in (Placement.WITHDRAWN, Placement.NOT_PLACED):
        session = None
    wanted = [sessions[s] for s in child.preferences if s in sessions]
    reference = session or (wanted[0] if wanted else None)
    age = None
    if child.date_of_birth is not None and reference is not None:
        age = camp.age_on(child.date_of_birth, camp.first_day(reference))
    position = positions.get(registration.id) if registration else None
    return ChildRow(child, child.application, state, session, position, age, wanted)


def _concerns(row: ChildRow, session_id: int) -> bool:
    if row.session is not None:
        return row.session.id == session_id
    return session_id in row.child.preferences


async def child_row(camp_row: Camp, child_id: int, now: datetime) -> ChildRow:
    """One child of this camp's applications, as the overview shows it."""
    child = await Child.get_or_none(id=child_id, application__camp_id=camp_row.id).select_related(
        "application", "registration"
    )
    if child is None:
        raise NotFound(N_("We could not find that child in this camp."))
    sessions = await camp_sessions(camp_row)
    return _row(child, {s.id: s for s in sessions}, await _positions(sessions), now)


async def record_overview_view(
    camp_row: Camp, subject: str, children: int, now: datetime, *, actor: Organiser | None
) -> None:
    """Children's names and ages are personal data: who looked at them is logged too."""
    detail = {"camp": camp_row.id, "children": children}
    await audit.record(actor, audit.CAMP_APPLICATIONS_VIEWED, subject, detail, now)


# ---------------------------------------------------------------- moving a child


@dataclass
class Moved:
    child: Child
    registration: Registration  # its new place
    promoted: list[Registration] = field(default_factory=list)  # told by email


async def move_child(
    child_id: int, target_id: int, now: datetime, *, actor: Organiser | None
) -> Moved:
    """Move a child who has a place (or waits for one) to another session of its camp, in one
    transaction holding both sessions' locks: refused when the child's age on the target's
    first day is outside its range or the target has no free place (after the target's own
    waitlist had its turn). The child leaves its registration (its siblings keep theirs),
    gets a confirmed registration of its own in the target, and the session it left promotes
    its waitlist; promoted families are told by email."""
    child = await Child.get_or_none(id=child_id).select_related("application", "registration")
    if child is None:
        raise NotFound(N_("We could not find that child in this camp."))
    application = child.application
    camp_row = await Camp.get(id=application.camp_id)  # type: ignore[attr-defined]
    registration = child.registration
    if child.withdrawn_at is not None or registration is None:
        raise Conflict(N_("Only a child who has a place, or waits for one, can be moved."))
    source_id = registration.occurrence_id  # type: ignore[attr-defined]
    if target_id == source_id:
        raise Conflict(N_("The child is already in this week."))
    if not await Occurrence.exists(
        id=target_id,
        event_id=camp_row.event_id,  # type: ignore[attr-defined]
        capacity__not_isnull=True,
    ):
        raise NotFound(N_("We could not find that camp week."))
    async with capacity.locked([source_id, target_id]) as locked:
        sessions = {s.id: s for s in locked}
        source, target = sessions[source_id], sessions[target_id]
        child = await Child.get(id=child_id).select_related("registration")
        current = child.registration
        if (
            current is None
            or current.id != registration.id
            or placement_of(child, application, now) not in _MOVABLE
        ):
            raise Conflict(N_("This child's place changed meanwhile. Please look again."))
        _check_target(child, target)
        by_rule = await waitlist.promote(target, now)
        if (await capacity.availability(target, now)).free < 1:
            raise Conflict(N_("This week is full: there is no free place for the child."))
        await camp.release_place(current.id, now)
        placed = await camp.enrol(application, [child], target, now)
        promoted = [*by_rule, *await waitlist.promote(source, now)]
        await camp_messages.promoted(promoted, now)
        await camp_messages.moved(application, child, now)
        detail = {
            "application": application.id,
            "from": source.id,
            "to": target.id,
            "from_registration": current.id,
            "to_registration": placed.id,
            "promoted": [r.id for r in promoted],
        }
        await audit.record(actor, audit.CAMP_CHILD_MOVED, f"child {child.id}", detail, now)
    return Moved(child, placed, promoted)


_MOVABLE = (Placement.PLACED, Placement.OFFERED, Placement.WAITLISTED)


def _check_target(child: Child, target: Occurrence) -> None:
    if target.status == OccurrenceStatus.CANCELLED:
        raise Conflict(N_("This week has been cancelled."))
    if child.date_of_birth is None or not camp.eligible(child.date_of_birth, target):
        raise Conflict(
            N_(
                "The child's age on the first day of this week does not fit its age range "
                "(%(low)s to %(high)s years)."
            ),
            low=target.min_age if target.min_age is not None else 0,
            high=target.max_age if target.max_age is not None else camp.OLDEST_AGE,
        )
