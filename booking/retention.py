"""Retention: the personal data of past camps and dates is erased after a set period, while
the counts (sessions, seats, statuses, child rows without names) stay for statistics.

The rules:
- A camp application ends when the last session its children were placed or waitlisted in
  ends (any registration it ever had, so a child who left or was moved keeps the family's
  data no shorter). With no placement at all (a lottery not drawn, nothing with room), it ends
  with the camp's last session, and with no session left, when it was submitted.
- Its children's medical fields (allergies and diet, medical notes, medication) are erased
  `medical_after` its end, everything else that names or reaches a person `personal_after`
  its end (booking/camp.py: erase_medical, erase_personal). Attendance rows keep the times and
  the staff who checked a child in and out; the child row they point at no longer names anyone.
- A registration of a date (not a camp's: those follow their application) loses its name,
  email, phone and accessibility needs `personal_after` the date ended; its seats and status
  stay, so every count is unchanged.

Safe to run again and to run twice at once (several workers): every erasure is a conditional
UPDATE on "not erased yet" in its own short transaction, and only the run whose UPDATE
changed the row erases and counts it. On PostgreSQL the second UPDATE waits for the first's
row lock, then finds the row erased. Work is read in pages of BATCH rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from booking import camp
from booking.models import Camp, CampApplication, Registration
from events.models import Occurrence

BATCH = 200


@dataclass
class CampErased:
    medical: int = 0  # applications whose children's medical fields were erased in this run
    personal: int = 0  # applications erased entirely in this run


async def erase_camp_data(
    now: datetime, *, medical_after: timedelta, personal_after: timedelta, batch: int = BATCH
) -> CampErased:
    """Erase medical fields `medical_after` and all personal fields `personal_after` the end of
    each application (see the module's rules). A second run erases nothing new."""
    erased = CampErased()
    after = 0
    while True:
        page = (
            await CampApplication.filter(personal_erased_at=None, id__gt=after)
            .order_by("id")
            .limit(batch)
        )
        if not page:
            return erased
        after = page[-1].id
        ends = await application_ends(page)
        for application in page:
            end = ends[application.id]
            if end + personal_after <= now:
                medical, personal = await _erase_personal(application.id, now)
                erased.medical += medical
                erased.personal += personal
            elif application.medical_erased_at is None and end + medical_after <= now:
                erased.medical += await _erase_medical(application.id, now)


async def application_ends(applications: Sequence[CampApplication]) -> dict[int, datetime]:
    """When each application ends: its last session placed or waitlisted in, else its camp's
    last session, else when it was submitted."""
    ids = [application.id for application in applications]
    placed: dict[int, datetime] = {}
    rows = await Registration.filter(camp_application_id__in=ids).values_list(
        "camp_application_id", "occurrence__ends_at"
    )
    for application_id, ends_at in rows:
        placed[application_id] = max(ends_at, placed.get(application_id, ends_at))
    camp_ids = {application.camp_id for application in applications}  # type: ignore[attr-defined]
    events = dict(await Camp.filter(id__in=camp_ids).values_list("id", "event_id"))
    last_session: dict[int, datetime] = {}
    sessions = await Occurrence.filter(event_id__in=list(events.values())).values_list(
        "event_id", "ends_at"
    )
    for event_id, ends_at in sessions:
        last_session[event_id] = max(ends_at, last_session.get(event_id, ends_at))
    ends = {}
    for application in applications:
        camp_end = last_session.get(events.get(application.camp_id))  # type: ignore[attr-defined]
        ends[application.id] = placed.get(application.id) or camp_end or application.submitted_at
    return ends


async def _erase_medical(application_id: int, now: datetime) -> int:
    async with in_transaction():
        claimed = await CampApplication.filter(
            id=application_id, medical_erased_at=None, personal_erased_at=None
        ).update(medical_erased_at=now)
        if not claimed:
            return 0  # another run erased it first
        application = await CampApplication.get(id=application_id)
        await camp.erase_medical(application, now)
    return 1


async def _erase_personal(application_id: int, now: datetime) -> tuple[int, int]:
    """(medical erased now, personal erased now): 0 or 1 each."""
    async with in_transaction():
        claimed = await CampApplication.filter(id=application_id, personal_erased_at=None).update(
            personal_erased_at=now
        )
        if not claimed:
            return 0, 0
        medical = await CampApplication.filter(id=application_id, medical_erased_at=None).update(
            medical_erased_at=now
        )
        application = await CampApplication.get(id=application_id)
        await camp.erase_personal(application, now)
    return medical, 1


async def erase_registrations(now: datetime, *, after: timedelta, batch: int = BATCH) -> int:
    """Erase name, email, phone and accessibility needs of the registrations of dates that
    ended `after` ago or more (camp registrations follow their application). Seats and
    statuses stay. Returns how many registrations this run erased."""
    cutoff = now - after
    erased = 0
    while True:
        ids = (
            await Registration.filter(
                erased_at=None, camp_application_id=None, occurrence__ends_at__lte=cutoff
            )
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        )
        if not ids:
            return erased
        erased += await Registration.filter(id__in=list(ids), erased_at=None).update(
            name="", email="", phone="", accessibility_needs="", erased_at=now
        )
