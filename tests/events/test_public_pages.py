"""The public programme through HTTP: languages, filters, event and venue pages."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from events.models import Category, EventStatus
from tests.factories import make_event, make_occurrence, make_venue


async def test_root_redirects_by_accept_language(client):
    for header, language in [
        ("uk-UA,uk;q=0.9", "uk"),
        ("da-DK", "da"),
        ("fr", "en"),
        ("ru-RU,ru;q=0.9", "uk"),
    ]:
        response = await client.get("/", headers={"Accept-Language": header})
        assert response.status_code == 302
        assert response.headers["location"] == f"/{language}/"


async def test_programme_lists_published_events_only(client):
    shown = await make_event(texts={"en": "Shown film", "uk": "Показаний фільм"})
    hidden = await make_event(texts={"en": "Draft film"}, status=EventStatus.DRAFT)
    await make_occurrence(shown)
    await make_occurrence(hidden)
    response = await client.get("/en/programme")
    assert response.status_code == 200
    assert "Shown film" in response.text
    assert "Draft film" not in response.text
    assert "Показаний фільм" in (await client.get("/uk/programme")).text


async def test_running_exhibition_stays_listed_until_it_ends(client):
    exhibition = await make_event(category=Category.EXHIBITION, texts={"en": "Long show"})
    await make_occurrence(
        exhibition,
        starts_at=timezone.now() - timedelta(days=20),
        duration=timedelta(days=40),
        all_day=True,
    )
    assert "Long show" in (await client.get("/en/programme")).text


async def test_missing_translation_falls_back_visibly(client):
    event = await make_event(texts={"en": "Only in English"})
    await make_occurrence(event)
    page = (await client.get(f"/uk/events/{event.slug}")).text
    assert "Only in English" in page
    assert 'lang="en"' in page
    assert "English" in page  # the fallback's language is named


async def test_unknown_event_is_a_translated_404(client):
    response = await client.get("/da/events/no-such-event")
    assert response.status_code == 404
    assert 'lang="da"' in response.text


async def test_unknown_language_is_404(client):
    response = await client.get("/fr/programme")
    assert response.status_code == 404


async def test_nonsense_filters_are_ignored_with_a_notice(client):
    response = await client.get("/en/programme?category=nonsense&from=yesterday&free=maybe")
    assert response.status_code == 200
    assert "ignored" in response.text


async def test_category_filter(client):
    film = await make_event(category=Category.FILM, texts={"en": "A film"})
    workshop = await make_event(category=Category.WORKSHOP, texts={"en": "A workshop"})
    await make_occurrence(film)
    await make_occurrence(workshop)
    page = (await client.get("/en/programme?category=workshop")).text
    assert "A workshop" in page
    assert "A film" not in page


async def test_venue_page_shows_accessibility_and_map(client):
    venue = await make_venue(hearing_loop=True)
    response = await client.get(f"/en/venues/{venue.slug}")
    assert response.status_code == 200
    assert "Hearing loop" in response.text
    assert venue.map_url in response.text.replace("&amp;", "&")


async def test_security_headers_on_every_page(client):
    response = await client.get("/en/programme")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


async def test_healthz_checks_the_database(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_programme_pages_through_many_events(client):
    start = timezone.now() + timedelta(days=1)
    for n in range(45):
        event = await make_event(texts={"en": f"Numbered event {n:02d}"})
        await make_occurrence(event, starts_at=start + timedelta(hours=n))
    first = (await client.get("/en/programme")).text
    second = (await client.get("/en/programme?page=2")).text
    assert "Numbered event 00" in first and "Numbered event 39" in first
    assert "Numbered event 40" not in first
    assert "Numbered event 40" in second and "Numbered event 44" in second
    assert "45 events" in first
    beyond = await client.get("/en/programme?page=99")
    assert beyond.status_code == 200 and "Numbered event 44" in beyond.text


async def test_no_fallback_note_when_the_text_is_in_the_readers_language(client):
    event = await make_event(texts={"en": "Film", "uk": "Фільм", "da": "Film"})
    await make_occurrence(event)
    for language in ("uk", "da", "en"):
        page = (await client.get(f"/{language}/events/{event.slug}")).text
        assert "fallback-note" not in page
        assert "fallback-note" not in (await client.get(f"/{language}/programme")).text
