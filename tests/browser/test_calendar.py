"""The calendar side in a real browser: subscribing and adding dates, axe-clean, without JS."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import LANGUAGES, event_path, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_calendar_page_offers_every_feed_without_javascript(language, static_page, page, audit):
    static_page.goto(f"/{language}/")
    static_page.locator(f'.main-nav a[href="/{language}/calendar"]').click()
    expect(static_page).to_have_url(re.compile(rf"/{language}/calendar$"))
    feeds = static_page.locator("section.feed")
    assert feeds.count() == 6  # the whole programme and five categories
    for index in range(feeds.count()):
        feed = feeds.nth(index)
        https = feed.locator("input[type=url]").input_value()
        assert https.endswith(".ics") and f"/{language}/calendar/" in https
        webcal = feed.locator('a[href^="webcal://"]').get_attribute("href")
        assert webcal == "webcal://" + https.split("://", 1)[1]
        google = feed.locator('a[href^="https://calendar.google.com/"]').get_attribute("href")
        assert "cid=webcal" in google
    advertised = static_page.locator('head link[rel="alternate"][type="text/calendar"]')
    assert advertised.count() == 6
    page.goto(f"/{language}/calendar")
    audit(page)


def test_event_page_adds_a_date_to_the_calendar(static_page, page, audit):
    static_page.goto("/uk/programme?category=film")
    static_page.locator(".card .card-title a").first.click()
    expect(static_page).to_have_url(event_path("uk"))
    first = static_page.locator(".occurrence .add-to-calendar").first
    ics = first.locator('a[type="text/calendar"]')
    href = ics.get_attribute("href")
    assert href is not None and href.endswith(".ics")
    response = static_page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    body = response.text()
    assert "BEGIN:VEVENT" in body and "TZID=Europe/Copenhagen" in body
    link = static_page.locator(f'head link[rel="alternate"][type="text/calendar"][href="{href}"]')
    expect(link).to_have_count(1)
    page.goto(static_page.url)
    audit(page)
