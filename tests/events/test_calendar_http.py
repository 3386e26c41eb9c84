"""Calendar feeds and .ics files over HTTP, and the pages that offer them.

Polling clients get 304 while nothing changed, and the full calendar as soon as anything did.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

from tortoise import timezone

from events.models import Category, Event, EventStatus, Occurrence
from events.services import cancel_occurrence, save_event, set_event_status
from tests.events.test_feeds import event_input, publish
from tests.events.test_ical import parse_with_icaljs, seen_by_both
from tests.factories import make_event, make_occurrence
from venskab.settings import BASE_URL

CALENDAR_TYPE = "text/calendar; charset=utf-8"
FEED = "/en/calendar/programme.ics"


def uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.id}@{urlsplit(BASE_URL).hostname}"


def feed_url(language: str, feed: str = "programme") -> str:
    return f"{BASE_URL}/{language}/calendar/{feed}.ics"


def local_path(url: str) -> str:
    """The path of one of our absolute URLs, to fetch it through the test client."""
    assert url.startswith(BASE_URL + "/"), url
    return url[len(BASE_URL) :]


async def backdate(moment) -> None:
    await Occurrence.all().update(updated_at=moment)
    await Event.all().update(updated_at=moment)


class Links(HTMLParser):
    """The calendar <link>s of a page's head, its anchors and its read-only URL fields."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.calendars: list[dict[str, str]] = []
        self.anchors: list[str] = []
        self.inputs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("type") == "text/calendar":
            self.calendars.append(values)
        elif tag == "a" and "href" in values:
            self.anchors.append(values["href"])
        elif tag == "input" and "value" in values:
            self.inputs.append(values["value"])


async def calendar_links(client, path: str) -> list[dict[str, str]]:
    response = await client.get(path)
    assert response.status_code == 200
    links = Links(response.text).calendars
    for link in links:
        assert link["rel"] == "alternate"
        assert link["title"].strip()
        assert link["href"].startswith(("https://", "http://")), link
    return links


# ---------------------------------------------------------------- the feed's response


async def test_feed_is_text_calendar_in_utf8(client):
    await make_occurrence(await publish())
    response = await client.get(FEED)
    assert response.status_code == 200
    assert response.headers["content-type"] == CALENDAR_TYPE
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert "location" not in response.headers  # no redirects for calendar clients


async def test_etag_is_the_hash_of_the_exact_bytes_and_the_same_on_every_get(client):
    await make_occurrence(await publish())
    first, second = await client.get(FEED), await client.get(FEED)
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert len(tag.strip('"')) >= 32
    assert hashlib.sha256(first.content).hexdigest().startswith(tag.strip('"'))


async def test_an_edit_changes_the_etag(client):
    event = await publish(texts={"en": "Before"})
    await make_occurrence(event)
    before = await client.get(FEED)
    await save_event(event_input(event, {"en": "After"}), owner_id=None, event=event)
    after = await client.get(FEED)
    assert after.headers["etag"] != before.headers["etag"]
    assert b"SUMMARY:After" in after.content


async def test_if_none_match_with_the_current_etag_is_304_without_body(client):
    await make_occurrence(await publish())
    await backdate(timezone.now() - timedelta(hours=2))
    current = await client.get(FEED)
    response = await client.get(FEED, headers={"If-None-Match": current.headers["etag"]})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == current.headers["etag"]
    assert response.headers["last-modified"] == current.headers["last-modified"]
    listed = f'"0000", {current.headers["etag"]}'
    assert (await client.get(FEED, headers={"If-None-Match": listed})).status_code == 304


async def test_if_none_match_with_a_stale_etag_is_200(client):
    event = await publish(texts={"en": "Before"})
    await make_occurrence(event)
    stale = (await client.get(FEED)).headers["etag"]
    await save_event(event_input(event, {"en": "After"}), owner_id=None, event=event)
    response = await client.get(FEED, headers={"If-None-Match": stale})
    assert response.status_code == 200
    assert b"SUMMARY:After" in response.content


async def test_if_modified_since_last_modified_is_304_until_an_edit(client):
    event = await publish(texts={"en": "Before"})
    await make_occurrence(event)
    await backdate(timezone.now() - timedelta(hours=2))
    first = await client.get(FEED)
    last_modified = first.headers["last-modified"]
    unchanged = await client.get(FEED, headers={"If-Modified-Since": last_modified})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == first.headers["etag"]
    await save_event(event_input(event, {"en": "After"}), owner_id=None, event=event)
    # Last-Modified is sent once the edit's second is over: let two seconds pass.
    await backdate(timezone.now() - timedelta(seconds=2))
    changed = await client.get(FEED, headers={"If-Modified-Since": last_modified})
    assert changed.status_code == 200
    assert b"SUMMARY:After" in changed.content
    new = parsedate_to_datetime(changed.headers["last-modified"])
    assert new > parsedate_to_datetime(last_modified)


async def test_last_modified_waits_until_the_edits_second_is_over(client):
    """HTTP dates have whole seconds: a date sent now could hide a later edit in this same
    second from If-Modified-Since clients. The ETag covers the meantime."""
    await make_occurrence(await publish())
    # An edit whose second is not over yet, whatever the speed of this test.
    await backdate(timezone.now() + timedelta(seconds=30))
    fresh = await client.get(FEED)
    assert "last-modified" not in fresh.headers
    assert fresh.headers["etag"]
    await backdate(timezone.now() - timedelta(seconds=2))
    settled = await client.get(FEED)
    assert parsedate_to_datetime(settled.headers["last-modified"]) <= timezone.now()


async def test_if_none_match_takes_precedence_over_if_modified_since(client):
    event = await publish(texts={"en": "Before"})
    await make_occurrence(event)
    await backdate(timezone.now() - timedelta(hours=2))
    current = await client.get(FEED)
    long_ago = format_datetime(
        parsedate_to_datetime(current.headers["last-modified"]) - timedelta(days=365), usegmt=True
    )
    both_current_etag = {"If-None-Match": current.headers["etag"], "If-Modified-Since": long_ago}
    assert (await client.get(FEED, headers=both_current_etag)).status_code == 304
    stale_etag = {"If-None-Match": '"stale"', "If-Modified-Since": current.headers["last-modified"]}
    assert (await client.get(FEED, headers=stale_etag)).status_code == 200


async def test_head_answers_with_the_get_headers_and_no_body(client):
    await make_occurrence(await publish())
    await backdate(timezone.now() - timedelta(hours=2))
    get = await client.get(FEED)
    head = await client.head(FEED)
    assert head.status_code == 200
    assert head.content == b""
    for header in ("content-type", "etag", "last-modified", "cache-control"):
        assert head.headers[header] == get.headers[header], header
    conditional = await client.head(FEED, headers={"If-None-Match": get.headers["etag"]})
    assert conditional.status_code == 304


async def test_unknown_category_feed_is_404(client):
    assert (await client.get("/en/calendar/nonsense.ics")).status_code == 404
    assert (await client.get("/uk/calendar/FILM.ics")).status_code == 404
    for category in Category:
        assert (await client.get(f"/da/calendar/{category.value}.ics")).status_code == 200


async def test_category_feed_holds_only_its_category(client):
    film = await make_occurrence(await publish(category=Category.FILM, texts={"en": "A film"}))
    workshop = await make_occurrence(
        await publish(category=Category.WORKSHOP, texts={"en": "A workshop"})
    )
    films = seen_by_both((await client.get("/en/calendar/film.ics")).content)
    assert set(films) == {uid(film)}
    everything = seen_by_both((await client.get(FEED)).content)
    assert set(everything) == {uid(film), uid(workshop)}


async def test_feed_has_the_programme_name_and_the_cancelled_prefix_in_its_language(client):
    event = await publish(texts={"en": "Film night", "uk": "Кіновечір", "da": "Filmaften"})
    occurrence = await make_occurrence(event)
    await cancel_occurrence(occurrence, timezone.now())
    expected = {
        "en": ("Copenhagen–Kyiv programme", "Cancelled: Film night"),
        "uk": ("Програма Копенгаген–Київ", "Скасовано: Кіновечір"),
        "da": ("Program København–Kyiv", "Aflyst: Filmaften"),
    }
    for language, (name, summary) in expected.items():
        ics = (await client.get(f"/{language}/calendar/programme.ics")).content
        assert parse_with_icaljs(ics)["calendar"]["calname"] == name
        (event_seen,) = seen_by_both(ics).values()
        assert event_seen["status"] == "CANCELLED"
        assert event_seen["summary"] == summary
    film_feed = parse_with_icaljs((await client.get("/uk/calendar/film.ics")).content)
    assert film_feed["calendar"]["calname"] == "Програма Копенгаген–Київ: Кінопоказ"


async def test_cyrillic_and_danish_letters_survive_the_http_round_trip(client):
    title = "Кінопоказ «Тіні забутих предків» — Ærø, Østerbro og Åbenrå"
    occurrence = await make_occurrence(await publish(texts={"uk": title}))
    response = await client.get("/uk/calendar/programme.ics")
    response.content.decode("utf-8")
    events = seen_by_both(response.content)
    assert events[uid(occurrence)]["summary"] == title
    ics = seen_by_both((await client.get(f"/uk/calendar/occurrences/{occurrence.id}.ics")).content)
    assert ics[uid(occurrence)]["summary"] == title


async def test_feed_over_http_reads_the_same_in_icaljs_and_icalendar(client):
    now = timezone.now()
    timed = await make_occurrence(await publish(texts={"uk": "Кіновечір"}))
    days = await make_occurrence(
        await publish(category=Category.EXHIBITION, texts={"uk": "Виставка"}),
        starts_at=now - timedelta(days=3),
        duration=timedelta(days=20),
        all_day=True,
    )
    events = seen_by_both((await client.get("/uk/calendar/programme.ics")).content)
    assert events[uid(timed)]["start"] == timed.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert events[uid(days)]["isAllDay"] is True


# ---------------------------------------------------------------- one occurrence's .ics


async def test_occurrence_ics_is_an_attachment_with_the_uid_of_the_feed(client):
    occurrence = await make_occurrence(await publish(texts={"en": "Film night"}))
    response = await client.get(f"/en/calendar/occurrences/{occurrence.id}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == CALENDAR_TYPE
    assert response.headers["content-disposition"].startswith("attachment;")
    assert f"venskab-{occurrence.id}.ics" in response.headers["content-disposition"]
    (single,) = seen_by_both(response.content)
    assert single == uid(occurrence)
    assert uid(occurrence) in seen_by_both((await client.get(FEED)).content)
    assert uid(occurrence) in seen_by_both((await client.get("/da/calendar/film.ics")).content)
    etag = response.headers["etag"]
    again = await client.get(
        f"/en/calendar/occurrences/{occurrence.id}.ics", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304


async def test_draft_events_occurrence_ics_is_404(client):
    draft = await make_event(status=EventStatus.DRAFT)
    occurrence = await make_occurrence(draft)
    assert (await client.get(f"/en/calendar/occurrences/{occurrence.id}.ics")).status_code == 404
    assert (await client.get("/en/calendar/occurrences/999999.ics")).status_code == 404
    assert (await client.get("/en/calendar/occurrences/99999999999.ics")).status_code == 404


async def test_cancelled_events_occurrence_ics_says_cancelled(client):
    event = await publish(texts={"en": "Film night"})
    occurrence = await make_occurrence(event)
    await set_event_status(event, EventStatus.CANCELLED)
    response = await client.get(f"/en/calendar/occurrences/{occurrence.id}.ics")
    assert response.status_code == 200
    (seen,) = seen_by_both(response.content).values()
    assert seen["status"] == "CANCELLED"
    assert seen["summary"] == "Cancelled: Film night"


# ---------------------------------------------------------------- pages that offer feeds


async def test_event_page_advertises_each_upcoming_occurrences_ics_and_its_category_feed(client):
    now = timezone.now()
    event = await publish(category=Category.WORKSHOP, texts={"en": "Embroidery"})
    first = await make_occurrence(event, starts_at=now + timedelta(days=2))
    second = await make_occurrence(event, starts_at=now + timedelta(days=9))
    cancelled = await make_occurrence(event, starts_at=now + timedelta(days=16))
    past = await make_occurrence(event, starts_at=now - timedelta(days=5))
    await cancel_occurrence(cancelled, now)
    links = await calendar_links(client, f"/en/events/{event.slug}")
    hrefs = [link["href"] for link in links]
    assert sorted(hrefs) == sorted(
        [
            f"{BASE_URL}/en/calendar/occurrences/{first.id}.ics",
            f"{BASE_URL}/en/calendar/occurrences/{second.id}.ics",
            feed_url("en", "workshop"),
        ]
    )
    assert not any(f"/{cancelled.id}.ics" in href or f"/{past.id}.ics" in href for href in hrefs)
    assert all("Embroidery" in link["title"] for link in links[:2])
    for href in hrefs:
        response = await client.get(local_path(href))
        assert response.status_code == 200
        assert response.headers["content-type"] == CALENDAR_TYPE


async def test_cancelled_events_page_advertises_no_occurrence_ics_only_its_category_feed(client):
    """Its dates are cancelled (the page offers no add-to-calendar links for them), so the
    page head must not offer them to calendar apps either."""
    event = await publish(category=Category.FILM)
    await make_occurrence(event)
    await set_event_status(event, EventStatus.CANCELLED)
    links = await calendar_links(client, f"/en/events/{event.slug}")
    assert [link["href"] for link in links] == [feed_url("en", "film")]


async def test_programme_home_and_calendar_pages_advertise_feeds(client):
    await make_occurrence(await publish())
    assert [link["href"] for link in await calendar_links(client, "/en/programme")] == [
        feed_url("en")
    ]
    filtered = await calendar_links(client, "/uk/programme?category=film")
    assert [link["href"] for link in filtered] == [feed_url("uk", "film")]
    assert filtered[0]["title"] == "Програма Копенгаген–Київ: Кінопоказ"
    assert [link["href"] for link in await calendar_links(client, "/da/")] == [feed_url("da")]
    calendar_page = [link["href"] for link in await calendar_links(client, "/en/calendar")]
    assert calendar_page == [feed_url("en")] + [feed_url("en", c.value) for c in Category]


async def test_calendar_page_offers_webcal_google_and_https_for_every_feed(client):
    page = Links((await client.get("/uk/calendar")).text)
    for feed in ["programme", *(c.value for c in Category)]:
        https = feed_url("uk", feed)
        webcal = "webcal://" + https.split("://", 1)[1]
        assert webcal in page.anchors, feed
        google = [href for href in page.anchors if href.startswith("https://calendar.google.com/")]
        assert any(parse_qs(urlsplit(href).query).get("cid") == [webcal] for href in google)
        assert any(f"cid={quote(webcal, safe='')}" in href for href in google), feed
        assert https in page.inputs, feed
        assert (await client.get(local_path(https))).status_code == 200
