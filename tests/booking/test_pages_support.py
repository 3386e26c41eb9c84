"""What the registration page tests share: filling in the public form as a browser does.

No tests here (the name only keeps the module with the page tests it serves).
"""

from __future__ import annotations

import re

import httpx

from tests.client_helpers import csrf_token

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
TOKEN = re.compile(r"^/(uk|da|en)/bookings/([0-9]+-[A-Za-z0-9_-]{32})\?done=registered$")


def answers(**values: str) -> dict[str, str]:
    """A filled-in form; name the fields a test is about."""
    defaults = {
        "name": "Олена Коваленко",
        "email": "olena@example.org",
        "phone": "",
        "seats": "1",
        "accessibility_needs": "",
        "consent": "on",
    }
    return {**defaults, **values}


async def open_form(client: httpx.AsyncClient, occurrence_id: int, lang: str = "uk") -> str:
    """GET the form (which sets the CSRF cookie) and return its idempotency key."""
    response = await client.get(f"/{lang}/register/{occurrence_id}")
    assert response.status_code == 200, response.text
    found = KEY.search(response.text)
    assert found, "the form has no idempotency key"
    return found.group(1)


async def submit(
    client: httpx.AsyncClient,
    occurrence_id: int,
    lang: str = "uk",
    key: str | None = None,
    **values: str,
) -> httpx.Response:
    """Send the form as a browser would: CSRF token, the form's key, the answers."""
    if key is None:
        key = await open_form(client, occurrence_id, lang)
    token = await csrf_token(client, lang)
    data = {"csrf_token": token, "idempotency_key": key, **answers(**values)}
    return await client.post(f"/{lang}/register/{occurrence_id}", data=data)


async def register(
    client: httpx.AsyncClient, occurrence_id: int, lang: str = "uk", **values: str
) -> str:
    """Register through the form; returns the manage page's path (without the notice)."""
    response = await submit(client, occurrence_id, lang, **values)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert TOKEN.match(location), location
    return location.split("?", 1)[0]


def token_of(manage_path: str) -> str:
    return manage_path.rsplit("/", 1)[1]
