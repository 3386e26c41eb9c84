"""A small phone (360 px wide): nothing scrolls sideways, and the pages stay axe-clean.

Organisers check people in at the door on a phone, so their pages are held to the same rule
(wide tables scroll inside their own box, never the page).
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.accounts import ADMIN_EMAIL, ORGANISER_EMAIL
from tests.browser.support import LANGUAGES, card_titles, event_path, expect, sign_in

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def assert_no_sideways_scrolling(page) -> None:
    widths = page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            viewport: window.innerWidth,
            // The innermost elements that reach past 360 px: what to fix.
            wide: [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > 360.5)
                .filter((el) => ![...el.children].some(
                    (child) => child.getBoundingClientRect().right > 360.5))
                .slice(0, 5)
                .map((el) => el.outerHTML.slice(0, 160)),
        })"""
    )
    # On a phone the layout viewport grows to fit content that is too wide, so innerWidth
    # above 360 is itself the symptom.
    assert widths["document"] <= 360, f"{page.url} scrolls sideways: {widths}"
    assert widths["body"] <= 360, f"{page.url} scrolls sideways: {widths}"
    assert widths["viewport"] == 360, widths


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_programme_and_event_fit_a_360px_phone(language, new_context, audit):
    page = new_context(**PHONE).new_page()

    page.goto(f"/{language}/")
    assert_no_sideways_scrolling(page)
    audit(page)

    page.goto(f"/{language}/programme")
    assert card_titles(page)
    assert_no_sideways_scrolling(page)
    audit(page)

    events = [link.get_attribute("href") for link in page.locator(".card-title a").all()]
    page.locator(".card .card-title a").first.click()
    expect(page).to_have_url(event_path(language))
    assert_no_sideways_scrolling(page)
    audit(page)

    # Every other event too: one long word in one title is enough to widen a page.
    for path in events[1:]:
        page.goto(path)
        assert_no_sideways_scrolling(page)


def test_organiser_pages_fit_a_360px_phone(new_context):
    page = new_context(**PHONE).new_page()
    sign_in(page, ADMIN_EMAIL)
    assert_no_sideways_scrolling(page)
    for path in ("/en/organiser/events", "/en/organiser/venues", "/en/organiser/accounts"):
        page.goto(path)
        assert_no_sideways_scrolling(page)
    # Events' pages (a table of dates, the web address), then an account (its email is
    # the heading).
    page.goto("/en/organiser/events")
    events = [link.get_attribute("href") for link in page.locator("main tbody th a").all()]
    assert events
    for path in events[:4]:  # a few suffice: the long values are made deliberately below
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/en/organiser/events/\d+$"))
        assert_no_sideways_scrolling(page)
    # A new event owned by the organiser account: its email (there is no name) is shown on the
    # event's page, in the list of facts, and must wrap rather than widen the page.
    page.goto("/en/organiser/events/new")
    assert_no_sideways_scrolling(page)
    page.get_by_label("Category").select_option(label="Exhibition")
    owner = page.get_by_role("combobox", name="Organiser", exact=True)
    owner.select_option(owner.locator("option", has_text=ORGANISER_EMAIL).get_attribute("value"))
    english = page.get_by_role("group", name="English", exact=True)
    english.get_by_label("Title", exact=True).fill(f"Phone-sized check {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Create the event").click()
    expect(page).to_have_url(re.compile(r"/en/organiser/events/\d+\?done=created$"))
    assert_no_sideways_scrolling(page)
    page.goto("/en/organiser/accounts")
    page.locator("main table tbody").get_by_role("link", name=ADMIN_EMAIL).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_sideways_scrolling(page)
