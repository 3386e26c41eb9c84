"""What the browser test modules share: Playwright's `expect`, and small page readers."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - only without the dev dependencies
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

__all__ = ["card_titles", "event_path", "expect", "html_lang"]

LANGUAGES = ("uk", "da", "en")


def html_lang(page: Any) -> str | None:
    return page.locator("html").get_attribute("lang")


def card_titles(page: Any) -> list[str]:
    """The titles of the event cards listed on the page, in order."""
    return [title.strip() for title in page.locator(".card .card-title a").all_inner_texts()]


def event_path(language: str) -> re.Pattern[str]:
    return re.compile(rf"/{language}/events/[a-z0-9-]+$")
