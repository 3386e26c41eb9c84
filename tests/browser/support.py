"""What the browser test modules share: Playwright's `expect`, and small page readers."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.browser.accounts import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - only without the dev dependencies
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

__all__ = ["card_titles", "event_path", "expect", "html_lang", "sign_in"]

LANGUAGES = ("uk", "da", "en")


def html_lang(page: Any) -> str | None:
    return page.locator("html").get_attribute("lang")


def card_titles(page: Any) -> list[str]:
    """The titles of the event cards listed on the page, in order."""
    return [title.strip() for title in page.locator(".card .card-title a").all_inner_texts()]


def event_path(language: str) -> re.Pattern[str]:
    return re.compile(rf"/{language}/events/[a-z0-9-]+$")


def sign_in(page: Any, email: str, audit: Any = None) -> None:
    """Sign in at /en/organiser/login by the form's labels (auditing the form when asked)."""
    page.goto("/en/organiser/login")
    if audit:
        audit(page)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/en/organiser/$"))
    expect(page.get_by_role("heading", level=1, name="Organiser start")).to_be_visible()
