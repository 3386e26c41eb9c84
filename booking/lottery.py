"""The camp lottery: how places are drawn when a camp allocates by lot.

The rule, in plain words:

1. Families apply during the application window. Nothing is decided while it is open: the
   moment an application arrives makes no difference.
2. After the window closes, an organiser runs the draw once, with a seed: a short text chosen
   in public after the window closed (for example the date and a number drawn at the camp's
   open meeting), so nobody can know the order beforehand.
3. Every family's children who asked to be kept together (the default) are drawn as one unit:
   they get places together or wait together. A child whose family did not ask for that is a
   unit alone.
4. The units are put in a random order that depends only on the seed and the applications:
   the units are listed by application number (then by their children's numbers), and that
   list is shuffled by Python's random module seeded with the seed text
   (`random.Random(seed).shuffle`). The same seed and the same applications always give the
   same order and the same result.
5. In that order, each unit gets the highest of its chosen weeks (most wanted first, for
   siblings the weeks they all chose and may all go to) that still has room for all of it.
6. A unit for which no chosen week has room joins the waitlist of its first choice. The
   waitlists are in draw order: whoever was drawn earlier is ahead.
7. What is recorded, and shown to admins: the seed, a fingerprint of the applications drawn
   from (the SHA-256 of the list of units as JSON, see `input_hash`), and the result in draw
   order (application, children, their weeks, where they went) with numbers only, no names.
   Anyone with the record can check it: the fingerprint of the recorded units must match, and
   drawing them again with the seed must give the recorded result.

`draw()` is the rule itself, with no database: tests/booking/test_lottery.py checks it for any
input. `run_draw()` applies it to a camp, once, in one locked transaction (booking/capacity.py),
placing children through booking/camp.py (all units in one bulk insert) and writing each
family's result mail (one bulk insert; rendered when sent, with each child's outcome frozen at
the draw: booking/camp_messages.py).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking import camp as camp_rules
from booking import camp_messages, capacity
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    CampDraw,
    Child,
)
from events.models import Occurrence, OccurrenceStatus
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_

SEED_LIMIT = 100  # CampDraw.seed


# ---------------------------------------------------------------- the rule (pure)


@dataclass(frozen=True)
class Unit:
    """Children drawn as one: siblings kept together, or a single child."""

    application: int
    children: tuple[int, ...]  # child ids, in the family's order
    candidates: tuple[int, ...]  # session ids the whole unit may go to, most wanted first

    @property
    def key(self) -> tuple[int, tuple[int, ...]]:
        return (self.application, self.children)

    @property
    def size(self) -> int:
        return len(self.children)


@dataclass(frozen=True)
class Drawn:
    """Where a unit went: placed in `session`, waiting in `session`'s queue, or (session None)
    nowhere, when it has no candidate or its first choice keeps no waitlist."""

    unit: Unit
    session: int | None
    waitlisted: bool = False

    @property
    def placed(self) -> bool:
        return self.session is not None and not self.waitlisted

    def record(self) -> dict[str, Any]:
        """As CampDraw.result holds it: ids only."""
        return {
            "application": self.unit.application,
            "children": list(self.unit.children),
            "candidates": list(self.unit.candidates),
            "session": self.session,
            "waitlisted": self.waitlisted,
        }


def draw_order(units: Iterable[Unit], seed: str) -> list[Unit]:
    """The units in draw order: sorted by key, then shuffled by random.Random(seed)."""
    ordered = sorted(units, key=lambda unit: unit.key)
    if len({unit.key for unit in ordered}) != len(ordered):
        raise ValueError("each unit must appear once")
    random.Random(seed).shuffle(ordered)
    return ordered


def draw(
    units: Iterable[Unit],
    free_places: Mapping[int, int],
    seed: str,
    *,
    waitlists: Collection[int] | None = None,
) -> list[Drawn]:
    """Draw the units (rule 4–6 above), in draw order. `free_places`: places free per session
    id (a session missing has none). `waitlists`: the sessions that keep a waitlist (None:
    every session)."""
    free = dict(free_places)
    result = []
    for unit in draw_order(units, seed):
        chosen = next((s for s in unit.candidates if free.get(s, 0) >= unit.size), None)
        if chosen is not None:
            free[chosen] -= unit.size
            result.append(Drawn(unit, chosen))
        elif unit.candidates and (waitlists is None or unit.candidates[0] in waitlists):
            result.append(Drawn(unit, unit.candidates[0], waitlisted=True))
        else:
            result.append(Drawn(unit, None))
    return result


def input_hash(units: Iterable[Unit]) -> str:
    """SHA-256 (hex) of the units as compact JSON, sorted: [[application, [children],
    [candidates]], …] with separators "," and ":"; the same however the units are ordered."""
    rows = sorted([u.application, list(u.children), list(u.candidates)] for u in units)
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def recorded_units(record: Sequence[Mapping[str, Any]]) -> list[Unit]:
    """The units a draw used, from its recorded result (to check the hash and replay it)."""
    return [
        Unit(entry["application"], tuple(entry["children"]), tuple(entry["candidates"]))
        for entry in record
    ]


# ---------------------------------------------------------------- running it for a camp


def check_drawable(camp: Camp, now: datetime) -> None:
    """A camp may be drawn when it allocates by lot, its window has closed, and it was not
    drawn before."""
    if camp.allocation != AllocationRule.LOTTERY:
        raise Conflict(N_("This camp places children first come, first served: there is no draw."))
    if camp.drawn_at is not None:
        raise Conflict(N_("The draw for this camp has already been run. It runs only once."))
    if camp.applications_close_at is None or now < camp.applications_close_at:
        raise Conflict(N_("The draw can only be run after the application window has closed."))


def clean_seed(seed: str) -> str:
    seed = seed.strip()
    if not seed or len(seed) > SEED_LIMIT:
        raise Invalid({"seed": N_("Enter a seed of 1 to 100 characters.")})
    return seed


async def run_draw(camp: Camp, seed: str, drawn_by: str, now: datetime) -> CampDraw:
    """Draw the camp's submitted applications and apply the result in one transaction holding
    every session's lock: places confirmed, the rest queued in draw order, applications
    allocated, the draw recorded, each family's result mail written to the outbox. Once."""
    check_drawable(camp, now)
    seed = clean_seed(seed)
    sessions = await camp_rules.sessions_of(camp)
    async with capacity.locked(s.id for s in sessions) as locked:
        # Once, even when two organisers press the button together: the second waits for the
        # first's row lock, then finds drawn_at set.
        if not await Camp.filter(id=camp.id, drawn_at=None).update(drawn_at=now):
            raise Conflict(N_("The draw for this camp has already been run. It runs only once."))
        # As read under the lock: a session cancelled meanwhile takes nobody.
        by_id = {
            s.id: s
            for s in locked
            if s.status == OccurrenceStatus.SCHEDULED and s.capacity is not None
        }
        applications = await CampApplication.filter(
            camp_id=camp.id, status=ApplicationStatus.SUBMITTED
        ).order_by("id")
        children = await Child.filter(
            application_id__in=[a.id for a in applications], withdrawn_at=None
        ).order_by("application_id", "number")
        units = units_for(applications, children, by_id)
        free = {
            session_id: seats.available
            for session_id, seats in (await capacity.availabilities(by_id.values(), now)).items()
        }
        waitlists = {session.id for session in by_id.values() if session.waitlist_enabled}
        result = draw(units, free, seed, waitlists=waitlists)
        outcomes = await _apply(result, applications, children, by_id, now)
        record = await CampDraw.create(
            camp_id=camp.id,
            seed=seed,
            input_hash=input_hash(units),
            result=[drawn.record() for drawn in result],
            applications=len(applications),
            drawn_by=drawn_by,
            drawn_at=now,
        )
        await camp_messages.results(record, applications, outcomes)
    camp.drawn_at = now
    return record


def units_for(
    applications: Sequence[CampApplication],
    children: Sequence[Child],
    sessions: dict[int, Occurrence],
) -> list[Unit]:
    """Each application's waiting children as units (booking/camp.py: units_of), with the
    sessions the whole unit may go to (shared_preferences)."""
    by_application: dict[int, list[Child]] = {}
    for child in children:
        by_application.setdefault(child.application_id, []).append(child)  # type: ignore[attr-defined]
    units = []
    for application in applications:
        own = by_application.get(application.id, [])
        for unit in camp_rules.units_of(own, application.keep_siblings_together):
            units.append(
                Unit(
                    application.id,
                    tuple(child.id for child in unit),
                    tuple(camp_rules.shared_preferences(unit, sessions)),
                )
            )
    return units


async def _apply(
    result: Sequence[Drawn],
    applications: Sequence[CampApplication],
    children: Sequence[Child],
    sessions: Mapping[int, Occurrence],
    now: datetime,
) -> dict[int, list[camp_messages.Outcome]]:
    """Registrations in draw order (so each queue is in draw order), then every application
    allocated. Returns each child's outcome per application id, for its result mail."""
    application_by_id = {application.id: application for application in applications}
    child_by_id = {child.id: child for child in children}
    going = [drawn for drawn in result if drawn.session is not None]
    enrolled = await camp_rules.enrol_many(
        [
            camp_rules.Enrolment(
                application_by_id[drawn.unit.application],
                [child_by_id[child_id] for child_id in drawn.unit.children],
                sessions[drawn.session],
                wait=drawn.waitlisted,
            )
            for drawn in going
            if drawn.session is not None
        ],
        now,
    )
    where = {drawn.unit.key: done for drawn, done in zip(going, enrolled, strict=True)}
    outcomes: dict[int, list[camp_messages.Outcome]] = {}
    for drawn in result:
        done = where.get(drawn.unit.key)
        for child_id in drawn.unit.children:
            outcome = camp_messages.Outcome(child_id)
            if done is not None:
                registration = done.registration
                outcome = camp_messages.Outcome(
                    child_id,
                    registration.occurrence_id,  # type: ignore[attr-defined]
                    registration.id,
                    str(registration.status),
                    done.position,
                )
            outcomes.setdefault(drawn.unit.application, []).append(outcome)
    await CampApplication.filter(id__in=list(application_by_id)).update(
        status=ApplicationStatus.ALLOCATED
    )
    for application in applications:
        application.status = ApplicationStatus.ALLOCATED
    return outcomes


# ---------------------------------------------------------------- what a draw did


@dataclass
class Tally:
    """Children and units (families, or single children) a draw put in one session."""

    placed_children: int = 0
    placed_units: int = 0
    waitlisted_children: int = 0
    waitlisted_units: int = 0


def tally(result: Iterable[Mapping[str, Any]]) -> dict[int | None, Tally]:
    """Per session id, from a recorded result. Units placed nowhere count as waiting, under
    None."""
    counts: dict[int | None, Tally] = {}
    for entry in result:
        found = counts.setdefault(entry["session"], Tally())
        if entry["session"] is not None and not entry["waitlisted"]:
            found.placed_children += len(entry["children"])
            found.placed_units += 1
        else:
            found.waitlisted_children += len(entry["children"])
            found.waitlisted_units += 1
    return counts


async def camp_by_slug(slug: str) -> Camp:
    camp = await Camp.get_or_none(event__slug=slug)
    if camp is None:
        raise NotFound(N_("We could not find that camp."))
    return camp


async def describe(record: CampDraw) -> list[str]:
    """The draw in a few lines (the command line's answer): seed, hash, counts per session."""
    counts = tally(record.result)
    sessions = await Occurrence.filter(id__in=[s for s in counts if s is not None]).order_by(
        "starts_at", "id"
    )
    children = sum(len(entry["children"]) for entry in record.result)
    lines = [
        f"applications drawn: {record.applications} ({children} children in "
        f"{len(record.result)} units)",
        f"seed: {record.seed}",
        f"input hash (sha256): {record.input_hash}",
    ]
    for session in sessions:
        found = counts[session.id]
        lines.append(
            f"session {session.id} ({camp_rules.first_day(session).isoformat()}, ages "
            f"{session.min_age}-{session.max_age}, {session.capacity} places): "
            f"placed {found.placed_children} children ({found.placed_units} units), "
            f"waitlisted {found.waitlisted_children} children ({found.waitlisted_units} units)"
        )
    if None in counts:
        lines.append(
            f"not placed (no chosen week open, or no waitlist): "
            f"{counts[None].waitlisted_children} children ({counts[None].waitlisted_units} units)"
        )
    return lines
