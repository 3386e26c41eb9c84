"""The read-only JSON API and its OpenAPI description."""

from __future__ import annotations

from events.api import OPENAPI
from events.models import Category, EventStatus
from tests.factories import make_event, make_occurrence


async def test_events_lists_published_upcoming_with_texts_and_occurrences(client):
    event = await make_event(texts={"uk": "Кіно", "da": "Film", "en": "Film night"})
    occurrence = await make_occurrence(event, capacity=80)
    await make_occurrence(await make_event(status=EventStatus.DRAFT))
    body = (await client.get("/api/events")).json()
    assert [e["slug"] for e in body["events"]] == [event.slug]
    listed = body["events"][0]
    assert listed["category"] == "film"
    assert listed["texts"]["uk"]["title"] == "Кіно"
    assert listed["occurrences"][0]["id"] == occurrence.id
    assert listed["occurrences"][0]["capacity"] == 80
    required = OPENAPI["components"]["schemas"]["Occurrence"]["required"]
    assert set(required) <= set(listed["occurrences"][0])


async def test_events_filters_like_the_page(client):
    await make_occurrence(await make_event(category=Category.FILM, price_ore=5000))
    workshop = await make_event(category=Category.WORKSHOP)
    await make_occurrence(workshop)
    body = (await client.get("/api/events?category=workshop&free=1")).json()
    assert [e["slug"] for e in body["events"]] == [workshop.slug]


async def test_bad_filter_is_a_json_400(client):
    response = await client.get("/api/events?from=not-a-date")
    assert response.status_code == 400
    assert response.json()["fields"] == {"from": "This filter value is not valid."}


async def test_event_by_slug_and_unknown_slug(client):
    event = await make_event()
    await make_occurrence(event)
    assert (await client.get(f"/api/events/{event.slug}")).json()["slug"] == event.slug
    missing = await client.get("/api/events/nope")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not found"}


async def test_draft_events_are_not_in_the_api(client):
    draft = await make_event(status=EventStatus.DRAFT)
    occurrence = await make_occurrence(draft)
    assert (await client.get(f"/api/events/{draft.slug}")).status_code == 404
    assert (await client.get(f"/api/occurrences/{occurrence.id}")).status_code == 404


async def test_occurrence_reports_capacity(client):
    occurrence = await make_occurrence(capacity=12)
    body = (await client.get(f"/api/occurrences/{occurrence.id}")).json()
    assert body["capacity"] == 12
    assert body["status"] == "scheduled"


async def test_openapi_describes_every_api_route(client, app):
    spec = (await client.get("/api/openapi.json")).json()
    assert spec["openapi"].startswith("3.")
    api_mount = next(r for r in app.routes if getattr(r, "path", "") == "/api")
    served = {
        "/api" + r.path.replace(":id", "") for r in api_mount.routes if r.path != "/openapi.json"
    }
    assert served == set(spec["paths"])


async def test_ids_beyond_the_column_range_are_404_not_500(client):
    for path in ("/api/occurrences/99999999999", "/api/occurrences/2147483648"):
        response = await client.get(path)
        assert response.status_code == 404, path
