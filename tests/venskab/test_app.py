"""Application-wide behaviour: redirects, limits, error pages, production guard."""

from __future__ import annotations


async def test_organiser_shortcut_redirects_to_the_readers_language(client):
    response = await client.get("/organiser/", headers={"Accept-Language": "uk"})
    assert response.status_code == 302
    assert response.headers["location"] == "/uk/organiser/"


async def test_request_body_over_the_limit_is_413(client):
    response = await client.post(
        "/en/organiser/login",
        content=b"x" * 1_100_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


async def test_404_page_is_in_the_language_of_the_url(client):
    response = await client.get("/uk/events/missing")
    assert response.status_code == 404
    assert '<html lang="uk">' in response.text


async def test_404_outside_a_language_uses_accept_language(client):
    response = await client.get("/nowhere", headers={"Accept-Language": "da"})
    assert response.status_code == 404
    assert '<html lang="da">' in response.text


async def test_head_requests_work_on_pages(client):
    response = await client.head("/en/programme")
    assert response.status_code == 200
    assert response.content == b""


async def test_unknown_api_path_is_json_404(client):
    response = await client.get("/api/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
