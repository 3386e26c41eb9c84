"""The public programme in a real browser: every language, without JavaScript, axe-clean."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.browser.support import LANGUAGES, card_titles, event_path, expect, html_lang

pytestmark = pytest.mark.browser


def path_of(page) -> str:
    """The page's path and query, as the language switcher must keep them."""
    url = urlsplit(page.url)
    return f"{url.path}?{url.query}" if url.query else url.path


def assert_switcher_keeps_page(page, language: str) -> None:
    """Each other language's link leads to this same page (same path and query)."""
    here = path_of(page)
    rest = here[len(language) + 1 :]
    switcher = page.locator(".language-switcher")
    expect(switcher.locator(f'[aria-current="true"][lang="{language}"]')).to_have_count(1)
    for other in LANGUAGES:
        if other != language:
            link = switcher.locator(f'a[hreflang="{other}"]')
            expect(link).to_have_attribute("href", f"/{other}{rest}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_work_without_javascript_in_each_language(language, static_page, page, audit):
    """Home → programme → an event → its venue → a missing page, by clicking, with JS off;
    then every page visited passes axe (in a context where axe can run)."""
    visited: list[str] = []

    def arrived(pattern: str) -> None:
        expect(static_page).to_have_url(re.compile(pattern))
        assert html_lang(static_page) == language
        expect(static_page.locator("h1")).to_be_visible()
        assert_switcher_keeps_page(static_page, language)
        visited.append(path_of(static_page))

    static_page.goto(f"/{language}/")
    arrived(rf"/{language}/$")
    static_page.locator(f'.main-nav a[href="/{language}/programme"]').click()
    arrived(rf"/{language}/programme$")
    assert card_titles(static_page), "the demo programme lists events"
    static_page.locator(".card .card-title a").first.click()
    arrived(event_path(language).pattern)
    static_page.locator(".occurrence-venue a").first.click()
    arrived(rf"/{language}/venues/[a-z0-9-]+$")

    response = static_page.goto(f"/{language}/no-such-page")
    assert response is not None and response.status == 404
    arrived(rf"/{language}/no-such-page$")

    for path in visited:
        page.goto(path)
        assert html_lang(page) == language
        audit(page)


def test_language_switcher_leads_to_the_same_event(static_page):
    static_page.goto("/uk/programme")
    static_page.locator(".card .card-title a").first.click()
    expect(static_page).to_have_url(event_path("uk"))
    slug = urlsplit(static_page.url).path.rsplit("/", 1)[1]

    static_page.locator(".language-switcher").get_by_role("link", name="Dansk").click()

    expect(static_page).to_have_url(re.compile(rf"/da/events/{slug}$"))
    assert html_lang(static_page) == "da"
    expect(static_page.locator(".language-switcher [aria-current]")).to_have_text("Dansk")


def test_opening_an_event_from_the_programme_by_its_title(page, audit):
    page.goto("/en/programme")
    titles = card_titles(page)
    chosen = titles[min(2, len(titles) - 1)]

    page.locator(".card .card-title").get_by_role("link", name=chosen, exact=True).click()

    expect(page).to_have_url(event_path("en"))
    expect(page.locator("h1")).to_have_text(chosen)
    expect(page.get_by_role("heading", level=2, name="Dates")).to_be_visible()
    audit(page)


def _cards_by_category(page, labels: list[str]) -> Counter[str]:
    """How many listed cards belong to each category (by the name their meta line starts with)."""
    found: Counter[str] = Counter()
    for meta in page.locator(".card .card-meta").all_inner_texts():
        for label in labels:
            if meta.startswith(label):
                found[label] += 1
    return found


def _assert_all_in_category(page, label: str) -> None:
    metas = page.locator(".card .card-meta").all_inner_texts()
    assert metas, f"no events listed for {label}"
    assert all(meta.startswith(label) for meta in metas), metas


def test_filtering_the_programme_without_javascript(static_page):
    """The filter form (choose, submit) and the category links both narrow the list."""
    page = static_page
    page.goto("/en/programme")
    everything = card_titles(page)
    category = page.get_by_label("Category")
    options = {
        text.strip(): value
        for text, value in zip(
            category.locator("option").all_inner_texts(),
            [o.get_attribute("value") for o in category.locator("option").all()],
            strict=True,
        )
        if value
    }
    counts = _cards_by_category(page, list(options))
    narrowing = [label for label, n in counts.most_common() if 0 < n < len(everything)]
    assert len(narrowing) >= 2, f"need two categories with some but not all events: {counts}"
    first, second = narrowing[:2]

    category.select_option(label=first)
    page.get_by_role("button", name="Show events").click()

    expect(page).to_have_url(re.compile(rf"/en/programme\?(.*&)?category={options[first]}"))
    expect(page.get_by_label("Category")).to_have_value(options[first])
    assert len(card_titles(page)) == counts[first]
    _assert_all_in_category(page, first)

    categories = page.get_by_role("navigation", name="Categories")
    categories.get_by_role("link", name=second, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/en/programme\?category={options[second]}$"))
    current = categories.get_by_role("link", name=second, exact=True)
    expect(current).to_have_attribute("aria-current", "page")
    assert len(card_titles(page)) == counts[second]
    _assert_all_in_category(page, second)

    categories.get_by_role("link", name="All events").click()
    assert card_titles(page) == everything


def test_keyboard_users_can_skip_to_the_content(page):
    """The first Tab shows the skip link; following it puts the focus on the main content."""
    page.goto("/uk/programme")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused link is on screen"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/uk/programme#main$"))
    expect(page.locator("main#main")).to_be_focused()
