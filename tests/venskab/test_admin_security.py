"""The organiser area refuses whoever should not be there: anonymous visitors, forged sessions,
forms without their CSRF token, and roles that do not cover the page."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from tests.client_helpers import post_form, sign_in
from tests.factories import make_event, make_occurrence, make_organiser, make_venue
from venskab.models import Role
from venskab.security import CSRF_COOKIE, SESSION_COOKIE

PARAM = re.compile(r"{(\w+)(?::(\w+))?}")


def organiser_paths(app, ids: dict[str, int] | None = None) -> list[tuple[str, set[str]]]:
    """Every route under /{lang}/organiser but the login page, with its methods.

    Path parameters are filled in from `ids` by name, else with a dummy value of their type.
    """
    ids = ids or {}

    def fill(match: re.Match) -> str:
        name, kind = match.group(1), match.group(2) or "str"
        if name == "lang":
            return "en"
        return str(ids.get(name, 1 if kind in ("int", "id") else "x"))

    found: list[tuple[str, set[str]]] = []

    def walk(routes, prefix: str) -> None:
        for route in routes:
            if isinstance(route, Mount):
                walk(route.routes, prefix + route.path)
            elif isinstance(route, Route):
                found.append((prefix + route.path, set(route.methods or [])))

    walk(app.routes, "")
    paths = []
    for path, methods in found:
        if not path.startswith("/{lang:lang}/organiser/") or path.endswith("/login"):
            continue
        paths.append((PARAM.sub(fill, path), methods))
    return paths


def test_route_walk_finds_the_organiser_routes(app):
    paths = {path for path, _ in organiser_paths(app)}
    # The walk must see the routes of every package mounted in the organiser area.
    assert {"/en/organiser/", "/en/organiser/logout", "/en/organiser/events/1/edit"} <= paths
    assert "/en/organiser/accounts/1/password" in paths
    assert len(paths) >= 15


async def test_every_organiser_route_refuses_anonymous_visitors(app, client):
    # Real rows behind the ids, so a forgotten guard would show a page, not a 404.
    owner = await make_organiser()
    event = await make_event(owner=owner)
    occurrence = await make_occurrence(event)
    ids = {
        "event_id": event.id,
        "occurrence_id": occurrence.id,
        "venue_id": (await make_venue()).id,
        "organiser_id": owner.id,
    }
    for path, methods in organiser_paths(app, ids):
        for lang in ("uk", "da", "en"):
            url = path.replace("/en/", f"/{lang}/", 1)
            response = await client.get(url)
            assert response.status_code == 303, (url, response.status_code)
            assert response.headers["location"].startswith(f"/{lang}/organiser/login"), url
            for method in ("POST", "PUT", "DELETE"):
                response = await client.request(method, url, data={"csrf_token": "x"})
                assert response.status_code == 403, (method, url, response.status_code)
        assert methods  # every route answers at least one method


async def test_tampered_session_cookie_is_refused_with_403(client):
    organiser = await make_organiser()
    await sign_in(client, organiser)
    genuine = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, genuine[:-3] + ("abc" if genuine[-3:] != "abc" else "xyz"))
    response = await client.get("/en/organiser/")
    assert response.status_code == 403
    # The forged cookie is cleared, so the next request starts clean.
    assert f"{SESSION_COOKIE}=;" in response.headers["set-cookie"]


async def test_post_without_csrf_token_is_refused_with_403(client):
    organiser = await make_organiser()
    await sign_in(client, organiser)
    response = await client.post("/en/organiser/venues/new", data={"name": "No token"})
    assert response.status_code == 403
    assert "expired" in response.text


async def test_post_with_wrong_csrf_token_is_refused_with_403(client):
    organiser = await make_organiser()
    await sign_in(client, organiser)
    assert CSRF_COOKIE in client.cookies
    response = await client.post(
        "/en/organiser/venues/new", data={"name": "Forged", "csrf_token": "not-the-token"}
    )
    assert response.status_code == 403


async def test_login_form_itself_needs_its_csrf_token(client):
    organiser = await make_organiser()
    response = await client.post(
        "/en/organiser/login", data={"email": organiser.email, "password": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/en/organiser/events", "/en/organiser/events/new", "/en/organiser/venues"],
)
async def test_camp_staff_cannot_open_event_pages(client, path):
    staff = await make_organiser(role=Role.CAMP_STAFF)
    await sign_in(client, staff)
    response = await client.get(path)
    assert response.status_code == 403


async def test_camp_staff_cannot_edit_an_event_even_by_posting(client):
    staff = await make_organiser(role=Role.CAMP_STAFF)
    event = await make_event(owner=staff)
    await sign_in(client, staff)
    assert (await client.get(f"/en/organiser/events/{event.id}/edit")).status_code == 403
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/status", {"status": "draft"}
    )
    assert response.status_code == 403


async def test_camp_staff_see_the_start_page_without_event_links(client):
    staff = await make_organiser(role=Role.CAMP_STAFF)
    await sign_in(client, staff)
    page = await client.get("/en/organiser/")
    assert page.status_code == 200
    assert "/en/organiser/events" not in page.text


async def test_organiser_cannot_open_account_pages(client):
    organiser = await make_organiser(role=Role.ORGANISER)
    await sign_in(client, organiser)
    assert (await client.get("/en/organiser/accounts")).status_code == 403
    response = await post_form(
        client,
        "/en/organiser/accounts/new",
        {"email": "new@venskab.example", "role": "admin", "password": "a-long-password"},
    )
    assert response.status_code == 403


async def test_forbidden_page_is_translated(client):
    staff = await make_organiser(role=Role.CAMP_STAFF)
    await sign_in(client, staff, lang="uk")
    response = await client.get("/uk/organiser/events")
    assert response.status_code == 403
    assert '<html lang="uk">' in response.text


async def test_organiser_pages_carry_no_inline_scripts_or_styles(client):
    admin = await make_organiser(role=Role.ADMIN)
    event = await make_event(owner=admin)
    occurrence = await make_occurrence(event)
    await sign_in(client, admin)
    for path in (
        "/en/organiser/",
        "/en/organiser/events",
        f"/en/organiser/events/{event.id}",
        f"/en/organiser/events/{event.id}/edit",
        f"/en/organiser/dates/{occurrence.id}/edit",
        "/en/organiser/venues/new",
        "/en/organiser/accounts",
        f"/en/organiser/accounts/{admin.id}",
    ):
        page = (await client.get(path)).text
        assert "<script" not in page, path
        assert "style=" not in page, path
        assert page.count("<h1") == 1, path


async def test_ids_too_large_for_the_database_are_404_not_500(client):
    await sign_in(client, await make_organiser(role=Role.ADMIN))
    for path in (
        "/en/organiser/events/99999999999",
        "/en/organiser/events/99999999999/edit",
        "/en/organiser/dates/99999999999/edit",
        "/en/organiser/venues/99999999999/edit",
        "/en/organiser/accounts/99999999999",
    ):
        assert (await client.get(path)).status_code == 404, path
