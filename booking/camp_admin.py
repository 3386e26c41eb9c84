"""Organiser pages for the summer camp: the camps list, a camp's settings, the overview of
applications with each child's placement and the fill of each session, moving a child, and the
lottery draw with its records. The camp staff's roster is booking/camp_roster_admin.py, whose
routes are composed here.

Thin, like booking/admin.py: read the form, call booking/camp_staff.py, redirect (POST → 303 →
GET) or show the page again with 4xx. Who may do what:
- camps list: everyone signed in (organisers see their own camps, staff and admins all);
- settings, applications, moving a child, running the draw: admins, and the organiser who
  owns the camp event (others 403);
- recorded draws: admins.
Nothing here shows a child's medical or safety fields. The whole mount sits behind
venskab.admin.OrganiserRequired.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import timezone
from tortoise.transactions import in_transaction

from booking import audit, camp_roster_admin, camp_staff, lottery
from booking import camp as camp_rules
from booking.admin import message_of
from booking.camp_pages import back, camp_organiser, number, page, title_of
from booking.camp_staff import Placement
from booking.models import AllocationRule, ApplicationStatus, Camp, CampApplication, CampDraw
from events.forms import FormReader
from events.models import Event, Occurrence
from venskab import i18n, security, web
from venskab.errors import Conflict, Forbidden, Invalid, NotFound
from venskab.i18n import N_, current_language
from venskab.models import Organiser, Role

SETTINGS_FIELDS = ("applications_open_at", "applications_close_at", "edits_close_at")


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


GET_POST = ["GET", "POST"]
routes = [
    Route("/camps", camps, name="organiser-camps"),
    Route("/camps/{event_id:id}/settings", camp_settings, methods=GET_POST),
    Route("/camps/{event_id:id}/applications", applications, name="organiser-camp-applications"),
    Route("/camps/{event_id:id}/children/{child_id:id}/move", move_child, methods=GET_POST),
    Route("/camps/{event_id:id}/draw", run_draw, methods=GET_POST),
    Route("/camps/{event_id:id}/draws", draws),
    Route("/camps/{event_id:id}/draws/{draw_id:id}", draw_detail),
    *camp_roster_admin.routes,
]
