"""The camp staff's pages: a session's roster with the children's safety data (on screen with
the day's check-in and check-out, printed, as CSV). Camp staff and admins only: organisers get
403 (they see placements, never the children's safety data). Every view, print and export is
logged by booking/camp_roster.py in the transaction that reads the data.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import timezone

from booking import camp_roster
from booking.admin import cell, message_of
from booking.camp_pages import (
    LEVEL_NAMES,
    SWIMMING_NAMES,
    back,
    camp_staff_member,
    page,
    title_of,
)
from booking.camp_roster import Attendance
from events.models import Occurrence
from venskab import i18n, security, web
from venskab.errors import Conflict
from venskab.i18n import N_

# ---------------------------------------------------------------- the roster


def roster_path(session_id: int) -> str:
    return f"camp-sessions/{session_id}/roster"


def chosen_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


async def roster(request: Request) -> Response:
    """The children placed in a session with their safety data and the day's check-in and
    check-out. Logged on every view."""
    member = camp_staff_member(request)
    session = await camp_roster.camp_session(request.path_params["occurrence_id"])
    listing = await camp_roster.roster(
        session,
        timezone.now(),
        actor=member,
        day=chosen_day(request.query_params.get("day")),
    )
    return await _roster_page(request, session, listing)


async def _roster_page(
    request: Request,
    session: Occurrence,
    listing: camp_roster.Roster,
    problem: str = "",
    status_code: int = 200,
    template: str = "admin/camp/roster.html",
) -> Response:
    today = timezone.now().astimezone(web.LOCAL).date()
    return page(
        request,
        template,
        status_code,
        session=session,
        text=await title_of(session.event),
        roster=listing,
        today=today,
        problem=problem,
    )


async def roster_print(request: Request) -> Response:
    """The roster as a table for paper. Logged as printed."""
    member = camp_staff_member(request)
    session = await camp_roster.camp_session(request.path_params["occurrence_id"])
    listing = await camp_roster.roster(
        session, timezone.now(), actor=member, action=camp_roster.PRINTED
    )
    return await _roster_page(request, session, listing, template="admin/camp/roster_print.html")


async def roster_csv(request: Request) -> Response:
    """The roster as CSV, UTF-8 with a byte-order mark (Excel shows Cyrillic and æøå).
    Not cached; logged as exported."""
    member = camp_staff_member(request)
    session = await camp_roster.camp_session(request.path_params["occurrence_id"])
    listing = await camp_roster.roster(
        session, timezone.now(), actor=member, action=camp_roster.EXPORTED
    )
    gettext = i18n.gettext
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext(name)
            for name in (
                N_("Child"),
                N_("Date of birth"),
                N_("Age on the first day"),
                N_("Allergies and diet"),
                N_("Medical information"),
                N_("Medication"),
                N_("Swimming"),
                N_("Photo consent"),
                N_("Emergency treatment consent"),
                N_("Emergency contact"),
                N_("Emergency contact's relation"),
                N_("Emergency contact's phone"),
                N_("Parent or guardian"),
                N_("Guardian's phone"),
                N_("Second guardian's phone"),
                N_("Danish"),
                N_("English"),
                N_("Family's language"),
            )
        ]
    )
    for row in listing.rows:
        child, family = row.child, row.application
        writer.writerow(
            [
                cell(child.name),
                child.date_of_birth.isoformat() if child.date_of_birth else "",
                "" if row.age is None else row.age,
                cell(child.allergies_diet),
                cell(child.medical_notes),
                cell(child.medication),
                gettext(SWIMMING_NAMES[child.swimming]),
                gettext("Yes") if family.consent_photos else gettext("No"),
                gettext("Yes") if family.consent_emergency_treatment else gettext("No"),
                cell(family.emergency_name),
                cell(family.emergency_relation),
                cell(family.emergency_phone),
                cell(family.guardian_name),
                cell(family.guardian_phone),
                cell(family.second_guardian_phone),
                gettext(LEVEL_NAMES[child.danish_level]),
                gettext(LEVEL_NAMES[child.english_level]),
                i18n.LANGUAGE_NAMES.get(family.language, family.language),
            ]
        )
    filename = f"camp-roster-{session.id}-{camp_roster.session_days(session)[0].isoformat()}.csv"
    return Response(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def attendance(request: Request) -> Response:
    """Check a child in or out for a day, or undo it; back to the roster at the child."""
    member = camp_staff_member(request)
    session = await camp_roster.camp_session(request.path_params["occurrence_id"])
    child_id = request.path_params["child_id"]
    form = await security.read_form(request)
    raw_action, raw_day = str(form.get("action", "")), str(form.get("day", ""))
    day = chosen_day(raw_day)
    now = timezone.now()
    try:
        if raw_action not in set(Attendance) or day is None:
            raise Conflict(N_("Choose check in or check out for a day of this camp week."))
        _, changed = await camp_roster.record_attendance(
            session, child_id, day, Attendance(raw_action), now, actor=member
        )
    except Conflict as error:
        listing = await camp_roster.roster(session, now, actor=member, day=day)
        return await _roster_page(request, session, listing, message_of(error), 409)
    notice = raw_action if changed else "unchanged"
    return back(roster_path(session.id), notice, f"c-{child_id}", day=day.isoformat())


routes = [
    Route("/camp-sessions/{occurrence_id:id}/roster", roster, name="organiser-camp-roster"),
    Route("/camp-sessions/{occurrence_id:id}/roster/print", roster_print),
    Route("/camp-sessions/{occurrence_id:id}/roster.csv", roster_csv),
    Route(
        "/camp-sessions/{occurrence_id:id}/children/{child_id:id}/attendance",
        attendance,
        methods=["POST"],
    ),
]
