"""The camp staff's side of a session (week): the roster of the children placed in it, with
what staff must know to keep them safe, and the daily check-in and check-out.

Children's safety data is shown only to camp staff and admins (the web layer decides), and
every read of it (the roster on screen, printed or exported) writes its audit entry in the
transaction that reads it: the data cannot be had without the log saying who, which
session and when. The log's detail holds ids and counts, never a child's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tortoise.transactions import in_transaction

from booking import audit, camp
from booking.models import CampApplication, CampAttendance, Child, RegistrationStatus
from events.models import Category, Occurrence
from events.services import LOCAL
from venskab.errors import Conflict, NotFound
from venskab.i18n import N_
from venskab.models import Organiser

# How a read of the roster is logged.
VIEWED = audit.CAMP_ROSTER_VIEWED
PRINTED = audit.CAMP_ROSTER_PRINTED
EXPORTED = audit.CAMP_ROSTER_EXPORTED


async def camp_session(session_id: int) -> Occurrence:
    """A session of a camp (an occurrence of a camp event with a capacity), else NotFound."""
    session = await Occurrence.get_or_none(
        id=session_id, event__category=Category.CAMP, capacity__not_isnull=True
    ).select_related("event", "venue")
    if session is None:
        raise NotFound(N_("We could not find that camp week."))
    return session


def session_days(session: Occurrence) -> list[date]:
    """The Copenhagen dates the session runs on, first to last."""
    first = session.starts_at.astimezone(LOCAL).date()
    last = (session.ends_at - timedelta(microseconds=1)).astimezone(LOCAL).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def default_day(session: Occurrence, now: datetime) -> date:
    """Today while the session runs, else its first day (before) or last day (after)."""
    days = session_days(session)
    today = now.astimezone(LOCAL).date()
    return min(max(today, days[0]), days[-1])


# ---------------------------------------------------------------- the roster


@dataclass(frozen=True)
class RosterRow:
    child: Child
    application: CampApplication  # guardians, emergency contact, photo consent
    age: int | None  # on the session's first day (None once erased)
    attendance: CampAttendance | None  # on the roster's day


@dataclass
class Roster:
    session: Occurrence
    days: list[date]
    day: date
    rows: list[RosterRow]

    @property
    def checked_in(self) -> int:
        return sum(1 for row in self.rows if row.attendance and row.attendance.checked_in_at)

    @property
    def checked_out(self) -> int:
        return sum(1 for row in self.rows if row.attendance and row.attendance.checked_out_at)


def _placed(session: Occurrence):
    """The children placed in the session: on its confirmed registrations, not withdrawn."""
    return Child.filter(
        registration__occurrence_id=session.id,
        registration__status=RegistrationStatus.CONFIRMED,
        withdrawn_at__isnull=True,
    )


async def roster(
    session: Occurrence,
    now: datetime,
    *,
    actor: Organiser | None,
    action: str = VIEWED,
    day: date | None = None,
) -> Roster:
    """Each child placed in the session, by name, with the day's attendance. Logged as
    `action` (VIEWED, PRINTED or EXPORTED) in the same transaction."""
    days = session_days(session)
    if day not in days:
        day = default_day(session, now)
    async with in_transaction():
        children = await _placed(session).select_related("application").order_by("name", "id")
        detail = {"occurrence": session.id, "children": len(children)}
        if action == VIEWED:
            detail["day"] = day.isoformat()
        await audit.record(actor, action, f"occurrence {session.id}", detail, now)
        attendance = {
            a.child_id: a  # type: ignore[attr-defined]
            for a in await CampAttendance.filter(child_id__in=[c.id for c in children], day=day)
        }
    first = camp.first_day(session)
    rows = [
        RosterRow(
            child=child,
            application=child.application,
            age=camp.age_on(child.date_of_birth, first) if child.date_of_birth else None,
            attendance=attendance.get(child.id),
        )
        for child in sorted(children, key=lambda c: (c.name.casefold(), c.id))
    ]
    return Roster(session, days, day, rows)


# ---------------------------------------------------------------- check-in and check-out


class Attendance(StrEnum):
    CHECK_IN = "check-in"
    CHECK_OUT = "check-out"
    UNDO_CHECK_IN = "undo-check-in"
    UNDO_CHECK_OUT = "undo-check-out"


_ACTIONS = {
    Attendance.CHECK_IN: audit.CAMP_CHECKED_IN,
    Attendance.CHECK_OUT: audit.CAMP_CHECKED_OUT,
    Attendance.UNDO_CHECK_IN: audit.CAMP_CHECK_IN_UNDONE,
    Attendance.UNDO_CHECK_OUT: audit.CAMP_CHECK_OUT_UNDONE,
}


async def record_attendance(
    session: Occurrence,
    child_id: int,
    day: date,
    action: Attendance,
    now: datetime,
    *,
    actor: Organiser | None,
) -> tuple[CampAttendance, bool]:
    """Check a placed child in or out on a day of the session that has begun, or undo it.
    Repeating a step changes nothing (the first time and who recorded it stay); a check-out
    needs a check-in, and a check-in with a check-out is undone after it. Returns the day's
    record and whether this call changed it (then it is in the audit log)."""
    if day not in session_days(session):
        raise Conflict(N_("That day is not a day of this camp week."))
    if day > now.astimezone(LOCAL).date():
        raise Conflict(N_("That camp day has not begun yet."))
    async with in_transaction():
        child = await _placed(session).get_or_none(id=child_id)
        if child is None:
            raise NotFound(N_("This child is not placed in this camp week."))
        record, _ = await CampAttendance.get_or_create(child=child, day=day)
        changed = await _apply(record, action, now, actor.email if actor else "")
        if changed:
            detail = {"occurrence": session.id, "day": day.isoformat()}
            await audit.record(actor, _ACTIONS[action], f"child {child.id}", detail, now)
        await record.refresh_from_db()
    return record, changed


async def _apply(record: CampAttendance, action: Attendance, now: datetime, by: str) -> bool:
    """One conditional update: only a row in the state the step starts from changes, so two
    staff pressing the same button record it once."""
    rows = CampAttendance.filter(id=record.id)
    if action == Attendance.CHECK_IN:
        done = await rows.filter(checked_in_at=None).update(checked_in_at=now, checked_in_by=by)
    elif action == Attendance.CHECK_OUT:
        done = await rows.filter(checked_in_at__not_isnull=True, checked_out_at=None).update(
            checked_out_at=now, checked_out_by=by
        )
    elif action == Attendance.UNDO_CHECK_OUT:
        done = await rows.filter(checked_out_at__not_isnull=True).update(
            checked_out_at=None, checked_out_by=""
        )
    else:
        done = await rows.filter(checked_in_at__not_isnull=True, checked_out_at=None).update(
            checked_in_at=None, checked_in_by=""
        )
    if done:
        return True
    await record.refresh_from_db()
    if action == Attendance.CHECK_OUT and record.checked_in_at is None:
        raise Conflict(N_("Check the child in before checking them out."))
    if action == Attendance.UNDO_CHECK_IN and record.checked_out_at is not None:
        raise Conflict(N_("Undo the check-out first."))
    return False
