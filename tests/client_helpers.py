"""Driving forms through HTTP as a browser does: with the CSRF cookie and token.

`sign_in` goes through the real login form: GET the page (which sets the CSRF cookie), then
POST it with the token.
"""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD
from venskab.models import Organiser
from venskab.security import CSRF_COOKIE


async def csrf_token(client: httpx.AsyncClient, lang: str = "en") -> str:
    """The browser's CSRF token, fetched from a page that sets it when there is none yet."""
    if CSRF_COOKIE not in client.cookies:
        await client.get(f"/{lang}/organiser/login")
    return client.cookies[CSRF_COOKIE]


async def post_form(
    client: httpx.AsyncClient, url: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """POST a form the way the organiser pages do: with this browser's CSRF token."""
    lang = url.split("/")[1]
    return await client.post(
        url, data={"csrf_token": await csrf_token(client, lang), **(data or {})}
    )


async def sign_in(
    client: httpx.AsyncClient, organiser: Organiser, lang: str = "en", password: str = PASSWORD
) -> httpx.Response:
    response = await post_form(
        client, f"/{lang}/organiser/login", {"email": organiser.email, "password": password}
    )
    assert response.status_code == 303, response.text
    return response
