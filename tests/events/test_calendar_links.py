"""events/calendar_links.py: links that put an occurrence or a feed into people's calendars.
Pure URL building: no database."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from events.calendar_links import (
    google_event_url,
    google_subscribe_url,
    outlook_event_url,
    outlook_subscribe_url,
    webcal_url,
)
from events.ical import CalendarEntry

CPH = ZoneInfo("Europe/Copenhagen")
CHANGED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
FEED = "https://venskab.example/uk/calendar/programme.ics"


@pytest.fixture(autouse=True)
def empty_database():
    """These tests need no tables: the conftest fixture that empties them is not used here."""
    yield


def entry(**values) -> CalendarEntry:
    defaults = {
        "uid": "occurrence-1@venskab.example",
        "title": "Кінопоказ «Тіні забутих предків» & Ærø",
        "description": "Фільм з данськими субтитрами.\n\nhttps://venskab.example/uk/events/film",
        "location": "Kulturhuset, Islands Brygge 18, 2300 København S",
        "url": "https://venskab.example/uk/events/film",
        "starts_at": datetime(2027, 7, 5, 19, 0, tzinfo=CPH),
        "ends_at": datetime(2027, 7, 5, 21, 0, tzinfo=CPH),
        "all_day": False,
        "cancelled": False,
        "sequence": 0,
        "last_modified": CHANGED,
        "created": CHANGED,
    }
    return CalendarEntry(**{**defaults, **values})


EXHIBITION = {
    "starts_at": datetime(2027, 10, 20, tzinfo=CPH),
    "ends_at": datetime(2027, 11, 6, tzinfo=CPH),  # exclusive: the last day is 5 November
    "all_day": True,
}


def query(url: str) -> dict[str, str]:
    """The query of a URL, each parameter given once."""
    values = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(value) == 1 for value in values.values()), values
    return {name: value[0] for name, value in values.items()}


def address(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# ---------------------------------------------------------------- Google Calendar


def test_google_event_link_is_a_template_with_utc_times_for_a_summer_evening():
    url = google_event_url(entry())
    assert address(url) == "https://calendar.google.com/calendar/render"
    assert query(url) == {
        "action": "TEMPLATE",
        "text": "Кінопоказ «Тіні забутих предків» & Ærø",
        "dates": "20270705T170000Z/20270705T190000Z",
        "details": "Фільм з данськими субтитрами.\n\nhttps://venskab.example/uk/events/film",
        "location": "Kulturhuset, Islands Brygge 18, 2300 København S",
        "ctz": "Europe/Copenhagen",
    }


def test_google_event_link_uses_utc_times_in_winter_too():
    winter = entry(
        starts_at=datetime(2027, 1, 12, 19, 0, tzinfo=CPH),
        ends_at=datetime(2027, 1, 12, 21, 30, tzinfo=CPH),
    )
    assert query(google_event_url(winter))["dates"] == "20270112T180000Z/20270112T203000Z"


def test_google_event_link_for_all_day_uses_dates_with_exclusive_end():
    params = query(google_event_url(entry(**EXHIBITION)))
    assert params["dates"] == "20271020/20271106"
    assert params["action"] == "TEMPLATE"
    assert params["ctz"] == "Europe/Copenhagen"


def test_google_subscribe_link_encodes_the_webcal_url_as_cid():
    url = google_subscribe_url(FEED)
    assert address(url) == "https://calendar.google.com/calendar/render"
    assert query(url) == {"cid": "webcal://venskab.example/uk/calendar/programme.ics"}
    assert "cid=webcal%3A%2F%2Fvenskab.example%2Fuk%2Fcalendar%2Fprogramme.ics" in url


# ---------------------------------------------------------------- Outlook


def test_outlook_event_link_composes_with_utc_start_and_end():
    url = outlook_event_url(entry())
    assert address(url) == "https://outlook.live.com/calendar/0/deeplink/compose"
    params = query(url)
    assert params["path"] == "/calendar/action/compose"
    assert params["rru"] == "addevent"
    assert params["subject"] == "Кінопоказ «Тіні забутих предків» & Ærø"
    assert datetime.fromisoformat(params["startdt"]) == datetime(2027, 7, 5, 17, 0, tzinfo=UTC)
    assert datetime.fromisoformat(params["enddt"]) == datetime(2027, 7, 5, 19, 0, tzinfo=UTC)
    assert datetime.fromisoformat(params["startdt"]).utcoffset().total_seconds() == 0
    assert params["allday"] == "false"
    assert params["location"] == "Kulturhuset, Islands Brygge 18, 2300 København S"
    assert params["body"].startswith("Фільм з данськими субтитрами.")


def test_outlook_event_link_for_all_day_gives_dates_and_allday():
    params = query(outlook_event_url(entry(**EXHIBITION)))
    assert params["startdt"] == "2027-10-20"
    assert params["enddt"] == "2027-11-06"
    assert params["allday"] == "true"


def test_outlook_subscribe_link_adds_the_https_feed_with_its_name():
    url = outlook_subscribe_url(FEED, "Програма Копенгаген–Київ")
    assert address(url) == "https://outlook.live.com/calendar/0/addfromweb"
    assert query(url) == {"url": FEED, "name": "Програма Копенгаген–Київ"}


# ---------------------------------------------------------------- webcal


def test_webcal_url_swaps_the_scheme_and_keeps_the_rest():
    assert webcal_url(FEED) == "webcal://venskab.example/uk/calendar/programme.ics"
    assert webcal_url("http://127.0.0.1:8000/da/calendar/film.ics") == (
        "webcal://127.0.0.1:8000/da/calendar/film.ics"
    )
