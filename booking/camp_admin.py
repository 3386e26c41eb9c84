"""Organiser pages for the summer camp: the camps list, a camp's settings, the overview of
applications with each child's placement and the fill of each session, moving a child, the
lottery draw and its records; and the camp staff's roster of a session (on screen, printed,
as CSV) with the daily check-in and check-out.

Thin, like booking/admin.py: read the form, call booking/camp_staff.py or camp_roster.py,
redirect (POST → 303 → GET) or show the page again with 4xx. Who may do what:
- camps list: everyone signed in (organisers see their own camps, staff and admins all);
- settings, applications, moving a child, running the draw: admins, and the organiser who
  owns the camp event (others 403);
- recorded draws: admins;
- the roster, its print and CSV, check-in and check-out: camp staff and admins (organisers
  403: they see placements, never the children's safety data).
The whole mount sits behind venskab.admin.OrganiserRequired.
"""

from __future__ import annotations

import csv
import io
import secrets
from datetime import date
from typing import Any

from babel.dates import format_interval
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from tortoise import timezone
from tortoise.transactions import in_transaction

from booking import audit, camp_roster, camp_staff, lottery
from booking import camp as camp_rules
from booking.admin import cell, message_of
from booking.camp_roster import Attendance
from booking.camp_staff import Placement
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    CampDraw,
    LanguageLevel,
    Swimming,
)
from events import services
from events.forms import FormReader
from events.models import Event, EventText, Occurrence
from venskab import i18n, security, web
from venskab.errors import Conflict, Forbidden, Invalid, NotFound
from venskab.i18n import N_, current_language
from venskab.models import Organiser, Role

NOTICES = {
    "settings-saved": N_("The camp settings were saved."),
    "moved": N_("The child was moved. Anyone let in from the waitlist has been told by email."),
    "drawn": N_("The draw was run. Every family has been told its result by email."),
    "check-in": N_("Checked in."),
    "check-out": N_("Checked out."),
    "undo-check-in": N_("The check-in was undone."),
    "undo-check-out": N_("The check-out was undone."),
    "unchanged": N_("This was already recorded. Nothing changed."),
}

PLACEMENT_NAMES = {
    Placement.PLACED: N_("Placed"),
    Placement.OFFERED: N_("Offered a place, not yet confirmed"),
    Placement.WAITLISTED: N_("On the waitlist"),
    Placement.AWAITING_DRAW: N_("Waiting for the draw"),
    Placement.NOT_PLACED: N_("Not placed"),
    Placement.WITHDRAWN: N_("Withdrawn"),
}
ALLOCATION_NAMES = {
    AllocationRule.FIRST_COME: N_("First come, first served"),
    AllocationRule.LOTTERY: N_("Lottery after the application window"),
}
SWIMMING_NAMES = {
    Swimming.CANNOT: N_("Cannot swim yet"),
    Swimming.WITH_AID: N_("Swims with armbands or a float"),
    Swimming.BEGINNER: N_("Swims a few metres alone"),
    Swimming.CONFIDENT: N_("Swims 25 metres or more"),
}
LEVEL_NAMES = {
    LanguageLevel.NONE: N_("None"),
    LanguageLevel.SOME: N_("Some"),
    LanguageLevel.GOOD: N_("Good"),
    LanguageLevel.FLUENT: N_("Fluent"),
}
SETTINGS_FIELDS = ("applications_open_at", "applications_close_at", "edits_close_at")


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return web.organiser_page(
        request,
        template,
        NOTICES,
        status_code,
        section="camp",
        placement_names=PLACEMENT_NAMES,
        allocation_names=ALLOCATION_NAMES,
        swimming_names=SWIMMING_NAMES,
        level_names=LEVEL_NAMES,
        session_label=session_label,
        **context,
    )


def back(path: str, notice: str, fragment: str = "", **query: Any) -> RedirectResponse:
    url = web.lang_url(f"organiser/{path}", **query, done=notice)
    return RedirectResponse(f"{url}#{fragment}" if fragment else url, status_code=303)


def session_label(session: Occurrence) -> str:
    """A session as organisers name it: its days and ages, e.g. "5–9 Jul 2027, ages 7–10"."""
    days = camp_roster.session_days(session)
    locale = i18n.BABEL_LOCALES[current_language.get()]
    span = format_interval(days[0], days[-1], "yMMMd", locale=locale)
    if session.min_age is None and session.max_age is None:
        return span
    low = session.min_age if session.min_age is not None else 0
    high = session.max_age if session.max_age is not None else camp_rules.OLDEST_AGE
    return i18n.gettext("%(days)s, ages %(low)s–%(high)s") % {
        "days": span,
        "low": low,
        "high": high,
    }


def number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 9 else None


# ---------------------------------------------------------------- who may do what


def camp_organiser(request: Request) -> Organiser:
    """Admins and organisers; camp staff get 403."""
    return security.require_role(request, Role.ORGANISER)


def camp_staff_member(request: Request) -> Organiser:
    """Camp staff and admins; organisers get 403."""
    return security.require_role(request, Role.CAMP_STAFF)


async def title_of(event: Event) -> EventText | None:
    return services.pick_text(await EventText.filter(event_id=event.id), current_language.get())


async def editable_camp(request: Request, organiser: Organiser) -> tuple[Event, Camp]:
    """The camp in the path, if this organiser runs it (else 403)."""
    event = await camp_staff.camp_event(request.path_params["event_id"])
    if not security.can_edit_event(organiser, event.owner_id):  # type: ignore[attr-defined]
        raise Forbidden(N_("You can only manage camps you organise."))
    return event, await camp_rules.camp_for_event(event)


# ---------------------------------------------------------------- the camps


async def camps(request: Request) -> Response:
    """The camps with their sessions: fill and links for organisers, rosters for staff."""
    organiser = security.require_role(request, Role.ORGANISER, Role.CAMP_STAFF)
    owner_id = organiser.id if organiser.role == Role.ORGANISER else None
    summaries = await camp_staff.camps_for(owner_id, current_language.get(), timezone.now())
    return page(request, "admin/camp/camps.html", summaries=summaries)


# ---------------------------------------------------------------- settings


def settings_values(camp: Camp) -> dict[str, str]:
    values = {"allocation": camp.allocation.value, "max_children": str(camp.max_children)}
    for name in SETTINGS_FIELDS:
        moment = getattr(camp, name)
        local = moment.astimezone(web.LOCAL) if moment else None
        values[name] = local.date().isoformat() if local else ""
        values[f"{name}_time"] = local.strftime("%H:%M") if local else ""
    return values


def read_settings(form: Any) -> tuple[camp_staff.SettingsInput | None, FormReader]:
    reader = FormReader(form)
    allocation = reader.text("allocation", 20)
    moments = {name: reader.local_datetime(name, required=False) for name in SETTINGS_FIELDS}
    max_children = reader.whole_number("max_children", maximum=99)
    if allocation not in set(AllocationRule):
        reader.errors["allocation"] = N_("Choose how places are allocated.")
    if max_children is None and "max_children" not in reader.errors:
        reader.errors["max_children"] = N_("Allow from 1 to 6 children per application.")
    if reader.errors or max_children is None:
        return None, reader
    return camp_staff.SettingsInput(
        AllocationRule(allocation), max_children=max_children, **moments
    ), reader


async def camp_settings(request: Request) -> Response:
    organiser = camp_organiser(request)
    event, camp = await editable_camp(request, organiser)
    values, errors, problem, status_code = settings_values(camp), {}, "", 200
    if request.method == "POST":
        data, reader = read_settings(await security.read_form(request))
        values, errors = reader.values, dict(reader.errors)
        try:
            if data is None:
                raise Invalid(errors)
            await camp_staff.save_settings(camp.id, data, timezone.now(), actor=organiser)
        except Invalid as error:
            errors, status_code = error.errors, 400
        except Conflict as error:
            problem, status_code = message_of(error), 409
        else:
            return back(f"camps/{event.id}/settings", "settings-saved")
    applied = await CampApplication.filter(camp_id=camp.id).count()
    return page(
        request,
        "admin/camp/settings.html",
        status_code,
        event=event,
        camp=camp,
        text=await title_of(event),
        sessions=await camp_staff.camp_sessions(camp),
        applied=applied,
        values=values,
        errors=errors,
        problem=problem,
    )


# ---------------------------------------------------------------- applications


async def applications(request: Request) -> Response:
    """Every child with its placement, the fill of each session; filters by session and
    placement. Placement data only: no medical or safety field is on this page."""
    organiser = camp_organiser(request)
    event, camp = await editable_camp(request, organiser)
    query = request.query_params
    session_id = number(query.get("session"))
    state = query.get("placement", "")
    placement = Placement(state) if state in set(Placement) else None
    now = timezone.now()
    listing = await camp_staff.overview(
        camp,
        now,
        session_id=session_id,
        placement=placement,
        page=number(query.get("page")) or 1,
    )
    await camp_staff.record_overview_view(
        camp, f"camp {camp.id}", len(listing.rows), now, actor=organiser
    )
    return page(
        request,
        "admin/camp/applications.html",
        event=event,
        camp=camp,
        text=await title_of(event),
        listing=listing,
        session_id=session_id,
        placement=placement.value if placement else "",
    )


async def move_child(request: Request) -> Response:
    """Choose another session for one child; the move keeps every capacity rule."""
    organiser = camp_organiser(request)
    event, camp = await editable_camp(request, organiser)
    child_id = request.path_params["child_id"]
    now = timezone.now()
    values: dict[str, str] = {}
    problem, status_code = "", 200
    if request.method == "POST":
        form = await security.read_form(request)
        values = {"session": str(form.get("session", ""))[:12]}
        target = number(values["session"])
        await camp_staff.child_row(camp, child_id, now)  # 404 unless it is this camp's
        try:
            if target is None:
                raise Invalid({"session": N_("Choose a camp week.")})
            await camp_staff.move_child(child_id, target, now, actor=organiser)
        except Invalid as error:
            problem, status_code = i18n.gettext(error.errors["session"]), 400
        except Conflict as error:
            problem, status_code = message_of(error), 409
        else:
            return back(f"camps/{event.id}/applications", "moved", f"c-{child_id}")
    row = await camp_staff.child_row(camp, child_id, now)
    await camp_staff.record_overview_view(camp, f"child {child_id}", 1, now, actor=organiser)
    born = row.child.date_of_birth
    choices = [
        (fill, born is not None and camp_rules.eligible(born, fill.session))
        for fill in await camp_staff.session_fills(await camp_staff.camp_sessions(camp), now)
        if row.session is None or fill.session.id != row.session.id
    ]
    return page(
        request,
        "admin/camp/move.html",
        status_code,
        event=event,
        camp=camp,
        text=await title_of(event),
        row=row,
        choices=choices,
        values=values,
        problem=problem,
    )


# ---------------------------------------------------------------- the lottery


async def run_draw(request: Request) -> Response:
    """After the window closes: the draw, with a seed the organiser may choose (a random
    one is suggested)."""
    organiser = camp_organiser(request)
    event, camp = await editable_camp(request, organiser)
    now = timezone.now()
    values = {"seed": secrets.token_hex(6)}
    errors: dict[str, str] = {}
    problem, status_code = "", 200
    if request.method == "POST":
        form = await security.read_form(request)
        values = {"seed": str(form.get("seed", ""))[:200]}
        try:
            async with in_transaction():
                record = await lottery.run_draw(camp, values["seed"], organiser.email, now)
                detail = {"draw": record.id, "applications": record.applications}
                await audit.record(organiser, audit.CAMP_DRAW_RUN, f"camp {camp.id}", detail, now)
        except Invalid as error:
            errors, status_code = error.errors, 400
        except Conflict as error:
            problem, status_code = message_of(error), 409
        else:
            return back(f"camps/{event.id}/applications", "drawn")
        camp = await Camp.get(id=camp.id)
    drawable = ""
    try:
        lottery.check_drawable(camp, now)
    except Conflict as error:
        drawable = message_of(error)
    return page(
        request,
        "admin/camp/draw.html",
        status_code,
        event=event,
        camp=camp,
        text=await title_of(event),
        submitted=await CampApplication.filter(
            camp_id=camp.id, status=ApplicationStatus.SUBMITTED
        ).count(),
        not_drawable=drawable,
        values=values,
        errors=errors,
        problem=problem,
    )


async def draws(request: Request) -> Response:
    """The draws run for a camp (admins): seed, input hash, who and when."""
    security.require_role(request, Role.ADMIN)
    event = await camp_staff.camp_event(request.path_params["event_id"])
    camp = await camp_rules.camp_for_event(event)
    records = await CampDraw.filter(camp_id=camp.id).order_by("-drawn_at", "-id")
    return page(
        request,
        "admin/camp/draws.html",
        event=event,
        camp=camp,
        text=await title_of(event),
        records=records,
    )


async def draw_detail(request: Request) -> Response:
    """One draw's record in draw order: application and child ids, never names."""
    security.require_role(request, Role.ADMIN)
    event = await camp_staff.camp_event(request.path_params["event_id"])
    camp = await camp_rules.camp_for_event(event)
    record = await CampDraw.get_or_none(id=request.path_params["draw_id"], camp_id=camp.id)
    if record is None:
        raise NotFound(N_("We could not find that draw."))
    sessions = await Occurrence.filter(event_id=event.id)
    return page(
        request,
        "admin/camp/draw_detail.html",
        event=event,
        camp=camp,
        text=await title_of(event),
        record=record,
        sessions={s.id: s for s in sessions},
        tally=lottery.tally(record.result),
    )


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


GET_POST = ["GET", "POST"]
routes = [
    Route("/camps", camps, name="organiser-camps"),
    Route("/camps/{event_id:id}/settings", camp_settings, methods=GET_POST),
    Route("/camps/{event_id:id}/applications", applications, name="organiser-camp-applications"),
    Route("/camps/{event_id:id}/children/{child_id:id}/move", move_child, methods=GET_POST),
    Route("/camps/{event_id:id}/draw", run_draw, methods=GET_POST),
    Route("/camps/{event_id:id}/draws", draws),
    Route("/camps/{event_id:id}/draws/{draw_id:id}", draw_detail),
    Route("/camp-sessions/{occurrence_id:id}/roster", roster, name="organiser-camp-roster"),
    Route("/camp-sessions/{occurrence_id:id}/roster/print", roster_print),
    Route("/camp-sessions/{occurrence_id:id}/roster.csv", roster_csv),
    Route(
        "/camp-sessions/{occurrence_id:id}/children/{child_id:id}/attendance",
        attendance,
        methods=["POST"],
    ),
]
