"""An organiser at a desktop browser: sign in, create an event with its texts, add a date,
publish it, and find it in the public programme. Every organiser page on the way is axe-clean,
the form with errors included. Fields are found by their labels, as a screen reader finds them.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.accounts import ADMIN_EMAIL, ORGANISER_EMAIL
from tests.browser.support import card_titles, expect, html_lang, sign_in

pytestmark = pytest.mark.browser

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def notice(page):
    return page.get_by_role("status")


def test_organiser_publishes_an_event_that_appears_in_the_programme(page, audit):
    tag = uuid.uuid4().hex[:8]
    titles = {
        "English": f"Browser test evening {tag}",
        "Dansk": f"Browsertestaften {tag}",
        "Українська": f"Тестовий вечір {tag}",
    }

    sign_in(page, ORGANISER_EMAIL, audit)
    audit(page)
    page.get_by_role("navigation", name="Organiser").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1, name="Events")).to_be_visible()
    audit(page)
    page.get_by_role("link", name="New event").click()
    expect(page.get_by_role("heading", level=1, name="New event")).to_be_visible()
    audit(page)

    # Sent empty first: the form comes back with an error summary, which must be accessible too.
    page.get_by_role("button", name="Create the event").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Category")).to_have_attribute("aria-invalid", "true")
    audit(page)

    page.get_by_label("Category").select_option(label="Film screening")
    page.get_by_label("Audience", exact=True).select_option(label="Families")
    page.get_by_label("Spoken language", exact=True).select_option(label="Ukrainian")
    page.get_by_label("Subtitles", exact=True).select_option(label="Danish")
    page.get_by_label("Price in kroner", exact=True).fill("0")
    page.get_by_label("Web address", exact=True).fill(f"browser-test-{tag}")
    for language, title in titles.items():
        texts = page.get_by_role("group", name=language, exact=True)
        texts.get_by_label("Title", exact=True).fill(title)
        texts.get_by_label("Summary", exact=True).fill(f"{title}: a short film and a conversation.")
    english = page.get_by_role("group", name="English", exact=True)
    english.get_by_label("Description", exact=True).fill("First paragraph.\n\nSecond paragraph.")
    page.get_by_role("button", name="Create the event").click()

    expect(page).to_have_url(re.compile(r"/en/organiser/events/\d+\?done=created$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(titles["English"])
    expect(notice(page)).to_contain_text("created")
    audit(page)

    page.get_by_role("link", name="Add a date").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add a date")
    audit(page)
    day = (datetime.now(COPENHAGEN) + timedelta(days=5)).date().isoformat()
    starts = page.get_by_role("group", name=re.compile(r"^Starts"))
    starts.get_by_label("Date", exact=True).fill(day)
    starts.get_by_label("Time", exact=True).fill("18:00")
    page.get_by_role("group", name=re.compile(r"^Ends")).get_by_label("Time", exact=True).fill(
        "20:00"
    )
    venue = page.get_by_label("Venue", exact=True)
    venue_name = venue.locator("option").nth(1).inner_text().strip()
    venue.select_option(label=venue_name)
    page.get_by_label("Capacity", exact=True).fill("40")
    page.get_by_role("button", name="Add the date").click()

    expect(notice(page)).to_contain_text("The date was added")
    dates = page.get_by_role("table", name="Dates")
    expect(dates.get_by_role("row")).to_have_count(2)  # the header and the new date
    expect(dates).to_contain_text(venue_name)

    page.get_by_role("button", name="Publish").click()
    expect(notice(page)).to_contain_text("published")
    audit(page)

    page.goto("/en/programme")
    assert titles["English"] in card_titles(page)
    page.goto("/uk/programme")
    assert titles["Українська"] in card_titles(page)
    page.locator(".card .card-title").get_by_role("link", name=titles["Українська"]).click()
    expect(page.locator("h1")).to_have_text(titles["Українська"])
    assert html_lang(page) == "uk"
    expect(page.locator(".occurrence-venue")).to_contain_text(venue_name)


ADMIN_PAGES = [
    ("/en/organiser/events", "Events"),
    ("/en/organiser/events/new", "New event"),
    ("/en/organiser/venues", "Venues"),
    ("/en/organiser/venues/new", None),
    ("/en/organiser/accounts", "Organiser accounts"),
    ("/en/organiser/accounts/new", None),
]


def test_admin_pages_pass_axe(page, audit):
    sign_in(page, ADMIN_EMAIL)
    audit(page)
    for path, heading in ADMIN_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        audit(page)


def test_a_wrong_password_is_refused_accessibly(page, audit):
    page.goto("/en/organiser/login")
    page.get_by_label("Email", exact=True).fill(ADMIN_EMAIL)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("not right")
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    audit(page)
