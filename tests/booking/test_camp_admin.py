"""Organisers and camp staff at the camp's pages: each role sees exactly what it should, the
applications overview shows placements (never safety data) with each week's fill in bars and
words, and filters by week and place."""

from __future__ import annotations

import pytest
from tortoise import timezone

from booking.models import ApplicationStatus, RegistrationStatus
from tests.booking.test_camp_staff_support import (
    SAFETY_DATA,
    make_child,
    make_family,
    owned_camp,
    running_session,
    signed_in,
)
from tests.client_helpers import post_form, sign_in
from tests.factories import make_organiser
from venskab.models import AuditEntry, Role

Status = RegistrationStatus

ANONYMOUS, STAFF, OTHER, OWNER, ADMIN = "anonymous", "camp-staff", "other", "owner", "admin"
ROLES = (ANONYMOUS, STAFF, OTHER, OWNER, ADMIN)
# What each kind of page answers each role (GET). Anonymous visitors are sent to sign in.
MATRIX = {
    "camps": {ANONYMOUS: 303, STAFF: 200, OTHER: 200, OWNER: 200, ADMIN: 200},
    "settings": {ANONYMOUS: 303, STAFF: 403, OTHER: 403, OWNER: 200, ADMIN: 200},
    "applications": {ANONYMOUS: 303, STAFF: 403, OTHER: 403, OWNER: 200, ADMIN: 200},
    "move": {ANONYMOUS: 303, STAFF: 403, OTHER: 403, OWNER: 200, ADMIN: 200},
    "draw": {ANONYMOUS: 303, STAFF: 403, OTHER: 403, OWNER: 200, ADMIN: 200},
    "draws": {ANONYMOUS: 303, STAFF: 403, OTHER: 403, OWNER: 403, ADMIN: 200},
    "roster": {ANONYMOUS: 303, STAFF: 200, OTHER: 403, OWNER: 403, ADMIN: 200},
    "print": {ANONYMOUS: 303, STAFF: 200, OTHER: 403, OWNER: 403, ADMIN: 200},
    "csv": {ANONYMOUS: 303, STAFF: 200, OTHER: 403, OWNER: 403, ADMIN: 200},
}


async def camp_with_children(client, role: str):
    """A camp owned by an organiser, a running week with a placed child and a waiting one,
    and the person of `role` signed in."""
    owner = await make_organiser()
    camp, (week, *_), _ = await owned_camp(owner)
    running = await running_session(camp, capacity=1)
    family = await make_family(camp)
    placed = await make_child(family, running)
    waiting = await make_child(await make_family(camp), week, Status.WAITLISTED)
    if role == OWNER:
        await sign_in(client, owner)
    elif role != ANONYMOUS:
        await signed_in(
            client, {STAFF: Role.CAMP_STAFF, OTHER: Role.ORGANISER, ADMIN: Role.ADMIN}[role]
        )
    return camp, running, placed, waiting


def urls(camp, session, child) -> dict[str, str]:
    event, base = camp.event_id, f"/en/organiser/camp-sessions/{session.id}"
    return {
        "camps": "/en/organiser/camps",
        "settings": f"/en/organiser/camps/{event}/settings",
        "applications": f"/en/organiser/camps/{event}/applications",
        "move": f"/en/organiser/camps/{event}/children/{child.id}/move",
        "draw": f"/en/organiser/camps/{event}/draw",
        "draws": f"/en/organiser/camps/{event}/draws",
        "roster": f"{base}/roster",
        "print": f"{base}/roster/print",
        "csv": f"{base}/roster.csv",
    }


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reaches_exactly_its_pages(client, role):
    camp, session, child, _ = await camp_with_children(client, role)
    answers = {
        name: (await client.get(url)).status_code
        for name, url in urls(camp, session, child).items()
    }
    assert answers == {name: expected[role] for name, expected in MATRIX.items()}


@pytest.mark.parametrize("role", ROLES)
async def test_safety_data_reaches_only_camp_staff_and_admins(client, role):
    camp, session, child, _ = await camp_with_children(client, role)
    shown = ""
    for url in urls(camp, session, child).values():
        response = await client.get(url)
        if response.status_code == 200:
            shown += response.content.decode("utf-8-sig")
    sees_safety_data = [data in shown for data in SAFETY_DATA]
    assert sees_safety_data == [role in (STAFF, ADMIN)] * len(SAFETY_DATA)
    if role in (OWNER, ADMIN):  # placements, for those who run the camp
        assert child.name in shown and "Placed" in shown and "On the waitlist" in shown


@pytest.mark.parametrize("role", ROLES)
async def test_writes_are_refused_to_roles_without_the_page(client, role):
    camp, session, child, _ = await camp_with_children(client, role)
    event = camp.event_id
    writes = {
        f"/en/organiser/camps/{event}/settings": {"allocation": "lottery"},
        f"/en/organiser/camps/{event}/children/{child.id}/move": {"session": str(session.id)},
        f"/en/organiser/camps/{event}/draw": {"seed": "x"},
        f"/en/organiser/camp-sessions/{session.id}/children/{child.id}/attendance": {
            "action": "check-in",
            "day": timezone.now().date().isoformat(),
        },
    }
    allowed = {
        ANONYMOUS: set(),
        STAFF: {"attendance"},
        OTHER: set(),
        OWNER: {"settings", "move", "draw"},
        ADMIN: {"settings", "move", "draw", "attendance"},
    }[role]
    for url, data in writes.items():
        kind = url.rsplit("/", 1)[1]
        status = (await post_form(client, url, data)).status_code
        if kind in allowed:
            assert status != 403, url
        else:
            assert status == 403, url


async def test_anonymous_visitors_are_sent_to_sign_in_and_back(client):
    _, session, _, _ = await camp_with_children(client, ANONYMOUS)
    response = await client.get(f"/en/organiser/camp-sessions/{session.id}/roster")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/en/organiser/login?next=/en/organiser/camp-sessions/{session.id}/roster"
    )
    assert await AuditEntry.all().count() == 0


async def test_an_unknown_camp_or_a_child_of_another_camp_is_not_found(client):
    _, session, child, _ = await camp_with_children(client, ADMIN)
    other, _, _ = await owned_camp()
    assert (await client.get("/en/organiser/camps/999999/applications")).status_code == 404
    move = f"/en/organiser/camps/{other.event_id}/children/{child.id}/move"
    assert (await client.get(move)).status_code == 404
    assert (await post_form(client, move, {"session": str(session.id)})).status_code == 404
    assert (await client.get("/en/organiser/camp-sessions/999999/roster")).status_code == 404


# ---------------------------------------------------------------- the camps list


async def test_organisers_see_their_own_camps_and_staff_see_every_roster(client):
    owner = await make_organiser()
    mine, _, _ = await owned_camp(owner)
    theirs, _, _ = await owned_camp(await make_organiser())
    running = await running_session(theirs)
    await sign_in(client, owner)
    page = (await client.get("/en/organiser/camps")).text
    assert f"/en/organiser/camps/{mine.event_id}/applications" in page
    assert f"/camps/{theirs.event_id}/" not in page
    assert "/roster" not in page
    client.cookies.clear()
    await signed_in(client, Role.CAMP_STAFF)
    page = (await client.get("/en/organiser/camps")).text
    assert f"/en/organiser/camp-sessions/{running.id}/roster" in page
    assert "/applications" not in page and "/settings" not in page


async def test_the_organiser_area_links_to_the_camp_for_every_role(client):
    await signed_in(client, Role.CAMP_STAFF)
    page = (await client.get("/en/organiser/")).text
    assert 'href="/en/organiser/camps"' in page


# ---------------------------------------------------------------- the overview


async def test_the_overview_draws_each_weeks_fill_with_its_figures_in_words(client):
    owner = await make_organiser()
    camp, (week, _, _), _ = await owned_camp(owner, capacity=4)
    family = await make_family(camp)
    first = await make_child(family, week)
    await make_child(family, week, registration=first.registration)
    await make_child(await make_family(camp), week, Status.OFFERED)
    await make_child(await make_family(camp), week, Status.WAITLISTED)
    await sign_in(client, owner)
    page = (await client.get(f"/en/organiser/camps/{camp.event_id}/applications")).text
    assert "3 of 4 places taken" in page
    assert "Placed: 2" in page and "Offered, not yet confirmed: 1" in page
    assert "Waitlist: 1" in page and "Free: 1" in page
    assert '<rect class="fill-confirmed" x="0" y="0" width="50.0"' in page
    assert 'aria-hidden="true"' in page
    assert "style=" not in page and "<script" not in page
    assert page.count("<h1") == 1


async def test_the_overview_names_each_childs_place(client):
    owner = await make_organiser()
    camp, (week, older, _), _ = await owned_camp(owner)
    placed = await make_child(await make_family(camp), week, name="Марія Placed")
    offered = await make_child(await make_family(camp), week, Status.OFFERED, name="Олег Offered")
    await make_child(await make_family(camp), older, Status.WAITLISTED, age=11, name="Ida First")
    second = await make_child(
        await make_family(camp), older, Status.WAITLISTED, age=11, name="Bo Second"
    )
    drawing = await make_family(camp, status=ApplicationStatus.SUBMITTED)
    waiting = await make_child(drawing, None, preferences=[week], name="Яна Draw")
    gone = await make_child(
        await make_family(camp), None, name="Kim Gone", withdrawn_at=timezone.now()
    )
    await sign_in(client, owner)
    page = (await client.get(f"/en/organiser/camps/{camp.event_id}/applications")).text

    def row(child) -> str:
        start = page.index(f'<tr id="c-{child.id}">')
        return page[start : page.index("</tr>", start)]

    assert "Placed" in row(placed) and "Move" in row(placed)
    assert "Offered a place, not yet confirmed" in row(offered)
    assert "On the waitlist" in row(second) and "Position 2" in row(second)
    assert "Waiting for the draw" in row(waiting) and "Move" not in row(waiting)
    assert "Withdrawn" in row(gone)
    assert "First choice of children waiting for the draw: 1" in page


async def test_the_overview_filters_by_week_and_by_place(client):
    owner = await make_organiser()
    camp, (week, older, _), _ = await owned_camp(owner)
    await make_child(await make_family(camp), week, name="Anna Young")
    await make_child(await make_family(camp), older, age=11, name="Bo Older")
    await make_child(await make_family(camp), older, Status.WAITLISTED, age=11, name="Ida Waits")
    await sign_in(client, owner)
    base = f"/en/organiser/camps/{camp.event_id}/applications"
    page = (await client.get(base, params={"session": older.id})).text
    assert "Bo Older" in page and "Ida Waits" in page and "Anna Young" not in page
    page = (await client.get(base, params={"session": older.id, "placement": "waitlisted"})).text
    assert "Ida Waits" in page and "Bo Older" not in page
    assert "1 child shown." in page
    # Unknown filters are ignored, not an error.
    assert (
        await client.get(base, params={"placement": "nonsense", "session": "x"})
    ).status_code == 200


async def test_looking_at_the_children_is_logged_without_names(client):
    owner = await make_organiser()
    camp, (week, _, _), _ = await owned_camp(owner)
    child = await make_child(await make_family(camp), week)
    await sign_in(client, owner)
    await client.get(f"/en/organiser/camps/{camp.event_id}/applications")
    entry = await AuditEntry.get(action="camp-applications-viewed")
    assert (entry.actor_id, entry.subject) == (owner.id, f"camp {camp.id}")
    assert child.name not in str(entry.detail)


async def test_the_overview_says_each_applications_status(client):
    owner = await make_organiser()
    camp, (week, _, _), _ = await owned_camp(owner)
    drawing = await make_child(
        await make_family(camp, status=ApplicationStatus.SUBMITTED), None, preferences=[week]
    )
    placed = await make_child(await make_family(camp), week)
    await sign_in(client, owner)
    page = (await client.get(f"/en/organiser/camps/{camp.event_id}/applications")).text
    row = page[page.index(f'<tr id="c-{drawing.id}">') :]
    assert "Submitted, waiting for the draw" in row[: row.index("</tr>")]
    row = page[page.index(f'<tr id="c-{placed.id}">') :]
    assert "Allocated" in row[: row.index("</tr>")]
