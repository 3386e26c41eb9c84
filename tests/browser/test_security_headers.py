"""The Content-Security-Policy is sent, and the pages keep to it: no violation in the console."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.support import card_titles, expect

pytestmark = pytest.mark.browser


def watch_console(page) -> list[str]:
    """Console errors and uncaught page errors, as they happen."""
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type != "error":
            return
        problems.append(f"{page.url}: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def test_pages_send_the_csp_and_cause_no_console_errors(page):
    problems = watch_console(page)
    page.goto("/en/programme")
    page.locator(".card .card-title a").first.click()
    event_url = page.url
    paths = ["/en/", "/uk/programme", urlsplit(event_url).path, "/da/organiser/login"]
    venue = page.locator(".occurrence-venue a").first.get_attribute("href")
    paths.append(venue)

    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, path
        policy = response.headers.get("content-security-policy", "")
        directives = {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";") if d}
        assert directives.get("default-src") == "default-src 'self'", policy
        assert directives.get("script-src") == "script-src 'self'", policy
        assert directives.get("object-src") == "object-src 'none'", policy
        assert directives.get("frame-ancestors") == "frame-ancestors 'none'", policy
        assert response.headers.get("x-content-type-options") == "nosniff"
        # goto() returned after the load event: styles and posters have loaded or failed.

    assert problems == [], "\n".join(problems)


def test_csp_blocks_an_injected_inline_script_and_the_console_says_so(page):
    """The control twin: proves both that the policy is enforced and that the console is heard."""
    problems = watch_console(page)
    page.goto("/en/programme")
    assert card_titles(page)

    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.head.appendChild(script);
            return window.injected === true;
        }"""
    )

    assert ran is False
    expect(page.locator("h1")).to_be_visible()
    assert any("Content Security Policy" in problem for problem in problems), problems
