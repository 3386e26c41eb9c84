"""A small phone (360 px wide): nothing scrolls sideways, and the pages stay axe-clean."""

from __future__ import annotations

import pytest

from tests.browser.support import LANGUAGES, card_titles, event_path, expect

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
            wide: [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > 360.5)
                .slice(0, 5)
                .map((el) => el.outerHTML.slice(0, 160)),
        })"""
    )
    assert widths["viewport"] == 360, widths
    assert widths["document"] <= 360, f"{page.url} scrolls sideways: {widths}"
    assert widths["body"] <= 360, f"{page.url} scrolls sideways: {widths}"


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

    page.locator(".card .card-title a").first.click()
    expect(page).to_have_url(event_path(language))
    assert_no_sideways_scrolling(page)
    audit(page)
