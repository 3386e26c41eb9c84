"""Signing in and out of the organiser area."""

from __future__ import annotations

from tests.client_helpers import post_form, sign_in
from tests.factories import PASSWORD, make_organiser
from venskab import settings
from venskab.models import OrganiserSession, Role
from venskab.security import SESSION_COOKIE


async def test_sign_in_through_the_form_opens_the_start_page(client):
    organiser = await make_organiser(email="olena@venskab.example")
    await sign_in(client, organiser)
    page = await client.get("/en/organiser/")
    assert page.status_code == 200
    assert "olena@venskab.example" in page.text


async def test_session_cookie_is_http_only_and_same_site_lax(client):
    organiser = await make_organiser()
    response = await sign_in(client, organiser)
    cookie = next(
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # BASE_URL is http:// in tests; https adds Secure
    assert not settings.secure_cookies()


async def test_wrong_password_shows_the_form_again_with_400(client):
    organiser = await make_organiser()
    response = await post_form(
        client, "/en/organiser/login", {"email": organiser.email, "password": "wrong"}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_login_is_throttled_after_too_many_failures(client):
    organiser = await make_organiser()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = await post_form(
            client, "/da/organiser/login", {"email": organiser.email, "password": "wrong"}
        )
        assert response.status_code == 400
    # Even the right password is refused now, on a page in the reader's language.
    response = await post_form(
        client, "/da/organiser/login", {"email": organiser.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert response.headers["retry-after"] == str(settings.LOGIN_WINDOW_SECONDS)
    assert '<html lang="da">' in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_deactivated_account_cannot_sign_in(client):
    organiser = await make_organiser(is_active=False)
    response = await post_form(
        client, "/en/organiser/login", {"email": organiser.email, "password": PASSWORD}
    )
    assert response.status_code == 400


async def test_sign_out_ends_the_session_in_the_database(client):
    organiser = await make_organiser()
    await sign_in(client, organiser)
    assert await OrganiserSession.filter(organiser=organiser).count() == 1
    response = await post_form(client, "/en/organiser/logout")
    assert response.status_code == 303
    assert await OrganiserSession.filter(organiser=organiser).count() == 0
    assert (await client.get("/en/organiser/")).status_code == 303


async def test_login_returns_to_the_page_asked_for(client):
    organiser = await make_organiser(role=Role.ADMIN)
    first = await client.get("/en/organiser/venues")
    assert first.status_code == 303
    assert first.headers["location"] == "/en/organiser/login?next=/en/organiser/venues"
    response = await post_form(
        client,
        "/en/organiser/login",
        {"email": organiser.email, "password": PASSWORD, "next": "/en/organiser/venues"},
    )
    assert response.headers["location"] == "/en/organiser/venues"


async def test_login_never_redirects_off_site(client):
    organiser = await make_organiser()
    response = await post_form(
        client,
        "/en/organiser/login",
        {"email": organiser.email, "password": PASSWORD, "next": "//evil.example/"},
    )
    assert response.headers["location"] == "/en/organiser/"
