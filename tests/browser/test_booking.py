"""Registering as a family does it: on a 360 px phone, in Ukrainian, without JavaScript.
The form, the confirmation and manage page, cancelling, and the waitlist moving up when
someone cancels. The form (with its errors), the manage, cancel, resend and privacy pages are
axe-clean.

Dates come from the demo programme through the public API: free film showings open for
registration now, a different one per test. To fill a date, the waitlist test has an admin
lower its capacity to 2 in the organiser pages, as an organiser would: filling 60 or more
places through the form would take a dozen registrations from one address (every request here
comes from 127.0.0.1), and the per-address rate limit allows 20 in 10 minutes.

Fields are found by their ids and states by data attributes, not by their words: the
Ukrainian translations of these pages are written after the pages.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser import test_small_screens as screens
from tests.browser.accounts import ADMIN_EMAIL
from tests.browser.support import expect, html_lang, sign_in

pytestmark = pytest.mark.browser

MANAGE = re.compile(r"/uk/bookings/[0-9]+-[A-Za-z0-9_-]{32}(\?done=\w+)?$")
# Which open date each test uses, so that they do not meet whatever order they run in.
REGISTER, WAITLIST, AXE = 0, 1, 2


def open_dates(page) -> list[tuple[str, int]]:
    """(event slug, occurrence id) of free film showings that take registrations for at
    least another hour, in the API's order."""
    now = datetime.now(UTC)
    found = []
    for event in page.request.get("/api/events?category=film").json()["events"]:
        if event["price_ore"]:
            continue
        for occurrence in event["occurrences"]:
            opens, closes = (
                occurrence["registration_opens_at"],
                occurrence["registration_closes_at"],
            )
            if (
                occurrence["status"] == "scheduled"
                and occurrence["capacity"]
                and (opens is None or datetime.fromisoformat(opens) <= now)
                and (closes is None or datetime.fromisoformat(closes) > now + timedelta(hours=1))
            ):
                found.append((event["slug"], occurrence["id"]))
    assert len(found) > AXE, f"the demo programme has too few open film dates: {found}"
    return found


def phone(new_context, javascript: bool = False):
    return new_context(**screens.PHONE, java_script_enabled=javascript).new_page()


def fill_in(page, name: str, email: str, seats: str = "1") -> None:
    page.locator("#f-name").fill(name)
    page.locator("#f-email").fill(email)
    page.locator("#f-seats").select_option(seats)
    page.locator("#f-consent").check()
    page.locator("form.booking-form button[type=submit]").click()


def status(page):
    return page.locator(".booking-status")


def confirmed_places(page, occurrence_id: int) -> int:
    return page.request.get(f"/api/occurrences/{occurrence_id}").json()["confirmed"]


def cancel(page) -> None:
    """From the manage page: cancel, answer "yes" on the page that asks, and come back."""
    page.locator('a[href$="/cancel"]').click()
    expect(page).to_have_url(re.compile(r"/cancel$"))
    screens.assert_no_sideways_scrolling(page)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"\?done=cancelled$"))
    expect(status(page)).to_have_attribute("data-status", "cancelled")


def test_a_family_registers_and_cancels_on_a_phone_without_javascript(new_context):
    page = phone(new_context)
    slug, occurrence_id = open_dates(page)[REGISTER]
    before = confirmed_places(page, occurrence_id)

    page.goto(f"/uk/events/{slug}")
    page.locator(f"#occurrence-{occurrence_id} .register a").click()
    expect(page).to_have_url(re.compile(rf"/uk/register/{occurrence_id}$"))
    assert html_lang(page) == "uk"
    screens.assert_no_sideways_scrolling(page)

    fill_in(page, "Олена Коваленко", f"olena-{uuid.uuid4().hex[:8]}@example.org", seats="2")
    expect(page).to_have_url(MANAGE)
    expect(status(page)).to_have_attribute("data-status", "confirmed")
    expect(page.locator("figure svg[role=img] title")).to_have_count(1)  # check-in code
    expect(page.locator("h1")).to_be_visible()
    screens.assert_no_sideways_scrolling(page)
    assert confirmed_places(page, occurrence_id) == before + 2

    ics = page.request.get(page.locator('a[href$="/booking.ics"]').get_attribute("href"))
    assert ics.status == 200 and f"UID:occurrence-{occurrence_id}@" in ics.text()

    page.goto(page.url.split("?", 1)[0])  # the link from the email, later
    cancel(page)
    screens.assert_no_sideways_scrolling(page)
    assert confirmed_places(page, occurrence_id) == before


def test_cancelling_moves_the_waitlist_up_on_phones_without_javascript(page, new_context):
    slug, occurrence_id = open_dates(page)[WAITLIST]
    sign_in(page, ADMIN_EMAIL)
    page.goto(f"/en/organiser/dates/{occurrence_id}/edit")
    page.get_by_label("Capacity", exact=True).fill("2")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(r"done=date-saved$"))

    first = phone(new_context)
    first.goto(f"/uk/register/{occurrence_id}")
    fill_in(first, "Олена Коваленко", "first-family@example.org", seats="2")
    expect(status(first)).to_have_attribute("data-status", "confirmed")

    second = phone(new_context)
    second.goto(f"/uk/events/{slug}")
    second.locator(f"#occurrence-{occurrence_id} .register a").click()  # "join the waitlist"
    expect(second.locator("main .notice-warning")).to_be_visible()
    fill_in(second, "Андрій Шевченко", "second-family@example.org", seats="1")
    expect(status(second)).to_have_attribute("data-status", "waitlisted")
    expect(second.locator("[data-position]")).to_have_attribute("data-position", "1")
    screens.assert_no_sideways_scrolling(second)

    cancel(first)

    second.reload()
    state = status(second).get_attribute("data-status")
    assert state in ("offered", "confirmed"), state
    if state == "offered":  # the demo dates give 24 hours to take the places
        screens.assert_no_sideways_scrolling(second)
        second.locator("form[action$='/confirm'] button").click()
        expect(second).to_have_url(re.compile(r"\?done=confirmed$"))
    expect(status(second)).to_have_attribute("data-status", "confirmed")
    assert confirmed_places(second, occurrence_id) == 1


def test_the_booking_pages_are_axe_clean_on_a_phone_errors_included(new_context, audit):
    page = phone(new_context, javascript=True)
    _, occurrence_id = open_dates(page)[AXE]

    page.goto(f"/uk/register/{occurrence_id}")
    audit(page)
    page.locator("form.booking-form button[type=submit]").click()  # empty: every error
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#f-name")).to_have_attribute("aria-invalid", "true")
    screens.assert_no_sideways_scrolling(page)
    audit(page)
    page.locator("#f-seats").select_option("1")
    fill_in(page, "Олена Коваленко", "axe-family@example.org")
    expect(page).to_have_url(MANAGE)
    audit(page)
    page.locator('a[href$="/cancel"]').click()
    audit(page)

    page.goto("/uk/bookings/resend")
    audit(page)
    page.locator("#f-email").fill("not an address")
    page.locator("form.booking-form button[type=submit]").click()
    expect(page.locator("#f-email")).to_have_attribute("aria-invalid", "true")
    audit(page)
    page.locator("#f-email").fill("axe-family@example.org")
    page.locator("form.booking-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/uk/bookings/resend\?done=sent$"))
    expect(page.get_by_role("status")).to_be_visible()
    audit(page)

    page.goto("/uk/privacy")
    audit(page)
