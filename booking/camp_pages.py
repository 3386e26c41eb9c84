"""What the camp's organiser and staff pages share: the notices after a redirect, the names
of placements, rules, swimming and language levels, how a session is named, and who may open
which page (booking/camp_admin.py for organisers, booking/camp_roster_admin.py for staff).
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_interval
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from booking import camp as camp_rules
from booking import camp_labels, camp_roster
from booking.camp_staff import Placement
from booking.models import AllocationRule, ApplicationStatus
from events import services
from events.models import Event, EventText, Occurrence
from venskab import i18n, security, web
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
APPLICATION_NAMES = {
    ApplicationStatus.SUBMITTED: N_("Submitted, waiting for the draw"),
    ApplicationStatus.ALLOCATED: N_("Allocated"),
    ApplicationStatus.WITHDRAWN: N_("Withdrawn by the family"),
    ApplicationStatus.DELETED: N_("Deleted by the family"),
}
ALLOCATION_NAMES = {
    AllocationRule.FIRST_COME: N_("First come, first served"),
    AllocationRule.LOTTERY: N_("Lottery after the application window"),
}
SWIMMING_NAMES = camp_labels.SWIMMING
LEVEL_NAMES = camp_labels.LEVELS


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return web.organiser_page(
        request,
        template,
        NOTICES,
        status_code,
        section="camp",
        placement_names=PLACEMENT_NAMES,
        allocation_names=ALLOCATION_NAMES,
        application_names=APPLICATION_NAMES,
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
