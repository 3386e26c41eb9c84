"""The audit log: who did what to which registration or date, and when.

Write an entry inside the transaction of the change it records, so the log holds an entry
exactly when the change committed. Keep personal data out of `detail` (ids and figures, not
names): the log outlives the registrations that retention erases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from venskab.models import AuditEntry, Organiser

PAGE_SIZE = 50

# The actions organisers take on registrations and dates (AuditEntry.action).
CHECKED_IN = "check-in"
CHECK_IN_UNDONE = "check-in-undone"
PROMOTED = "promoted"
CAPACITY_CHANGED = "capacity-changed"
OCCURRENCE_CANCELLED = "occurrence-cancelled"
MESSAGE_SENT = "message-sent"
ATTENDEES_EXPORTED = "attendees-exported"
# The summer camp: organisers' changes, and every view and export of children's data (the
# detail names the session and counts, never a child).
CAMP_SETTINGS_CHANGED = "camp-settings-changed"
CAMP_CHILD_MOVED = "camp-child-moved"
CAMP_APPLICATIONS_VIEWED = "camp-applications-viewed"
CAMP_ROSTER_VIEWED = "camp-roster-viewed"
CAMP_ROSTER_PRINTED = "camp-roster-printed"
CAMP_ROSTER_EXPORTED = "camp-roster-exported"
CAMP_CHECKED_IN = "camp-check-in"
CAMP_CHECKED_OUT = "camp-check-out"
CAMP_CHECK_IN_UNDONE = "camp-check-in-undone"
CAMP_CHECK_OUT_UNDONE = "camp-check-out-undone"
CAMP_DRAW_RUN = "camp-draw-run"
CAMP_APPLICATION_DELETED = "camp-application-deleted"  # by the family, through its link
# Retention (venskab purge) erased personal data: the detail holds counts only.
DATA_ERASED = "data-erased"


async def record(
    actor: Organiser | None, action: str, subject: str, detail: dict[str, Any], now: datetime
) -> AuditEntry:
    """One entry. `subject` names what was acted on, e.g. "registration 42"."""
    return await AuditEntry.create(
        at=now,
        actor=actor,
        actor_email=actor.email if actor is not None else "",
        action=action[:60],
        subject=subject[:120],
        detail=detail,
    )


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    number: int  # 1-based
    pages: int
    total: int


async def page(number: int, size: int = PAGE_SIZE) -> AuditPage:
    """One page of the log, newest first (a page past the end shows the last one)."""
    total = await AuditEntry.all().count()
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    entries = await AuditEntry.all().order_by("-at", "-id").offset((number - 1) * size).limit(size)
    return AuditPage(entries, number, pages, total)
