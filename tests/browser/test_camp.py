"""Applying for the summer camp as a family does it: three children, in Ukrainian, on a
360 px phone without JavaScript (the number of children chosen first, a child added on the
way, Enter sending the form), then the application's page. The camp page, the form (also with
its errors) and the application's pages are axe-clean (WCAG 2.1 A and AA).

The camp is the demo's; its application window is opened by tests/browser/camp_window.py, as
an organiser would. Fields are found by their ids and states by data attributes: the
Ukrainian translations of these pages are written after the pages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import date

import pytest

from tests.browser.conftest import ROOT
from tests.browser.support import expect, html_lang
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scrolling

pytestmark = pytest.mark.browser

APPLICATION = re.compile(r"/uk/camp/applications/[0-9]+-[A-Za-z0-9_-]{32}(\?done=\w+)?$")


@pytest.fixture(scope="module")
def demo_camp(server) -> dict:
    """The demo camp, open for applications: its slug and its weeks' ids in date order."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST"))},
        "DATABASE_URL": server.database_url,
        "VENSKAB_ENV": "test",
        "SECRET_KEY": "browser-test-secret-key-" + "x" * 32,
    }
    opened = subprocess.run(
        [sys.executable, "-m", "tests.browser.camp_window"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(opened.stdout.strip().splitlines()[-1])


def phone(new_context, javascript: bool = False):
    return new_context(**PHONE, java_script_enabled=javascript).new_page()


def born(age: int) -> str:
    """A date of birth that makes a child `age` in July (the demo camp's weeks)."""
    return date(date.today().year + 1 - age, 3, 14).isoformat()


def fill_family(page, email: str) -> None:
    page.locator("#f-guardian_name").fill("Оксана Шевченко")
    page.locator("#f-guardian_email").fill(email)
    page.locator("#f-guardian_phone").fill("+45 22 31 40 17")
    page.locator("#f-guardian_address").fill("Amagerbrogade 112, 2300 København S")
    page.locator("#f-emergency_name").fill("Ірина Бондар")
    page.locator("#f-emergency_phone").fill("+45 28 64 19 03")


def fill_child(page, number: int, name: str, age: int, weeks: list[int]) -> None:
    prefix = f"#f-child-{number}-"
    page.locator(f"{prefix}name").fill(name)
    page.locator(f"{prefix}date_of_birth").fill(born(age))
    page.locator(f"{prefix}preferences").select_option(str(weeks[0]))
    if len(weeks) > 1:
        page.locator(f"{prefix}preference-2").select_option(str(weeks[1]))
    page.locator(f"{prefix}allergies_diet").fill("Горіхи")
    page.locator(f"{prefix}swimming").select_option("beginner")
    page.locator(f"{prefix}danish_level").select_option("some")
    page.locator(f"{prefix}english_level").select_option("none")


def consent(page) -> None:
    page.locator("#f-consent_data").check()
    page.locator("#f-consent_photos-no").check()
    page.locator("#f-consent_emergency_treatment").check()  # the first radio: yes


def send(page) -> None:
    page.locator("form.camp-form p.button-row button[value=send]").click()


def children(page):
    return page.locator("fieldset.child")


def test_a_family_with_three_children_applies_in_ukrainian_on_a_phone_without_javascript(
    new_context, demo_camp
):
    page = phone(new_context)
    slug, weeks = demo_camp["slug"], demo_camp["weeks"]
    page.goto(f"/uk/camp/{slug}")
    assert html_lang(page) == "uk"
    expect(page.locator("[data-window=open]")).to_be_visible()
    assert_no_sideways_scrolling(page)
    page.locator(f'main a[href="/uk/camp/{slug}/apply"]').click()

    # Two children first, then a third added further down: what was typed stays.
    page.locator("#f-count").select_option("2")
    page.locator("form.count-form button").click()
    expect(children(page)).to_have_count(2)
    assert_no_sideways_scrolling(page)
    fill_family(page, f"family-{uuid.uuid4().hex[:8]}@example.org")
    fill_child(page, 1, "Марія Шевченко", 8, [weeks[3], weeks[0]])
    fill_child(page, 2, "Богдан Шевченко", 10, [weeks[3], weeks[1]])
    page.locator("button[value=add]").click()
    expect(children(page)).to_have_count(3)
    expect(page.locator("#f-child-1-name")).to_have_value("Марія Шевченко")
    expect(page.locator("#f-guardian_address")).to_have_value("Amagerbrogade 112, 2300 København S")
    expect(page.locator("#f-child-2-preferences")).to_have_value(str(weeks[3]))
    assert_no_sideways_scrolling(page)
    fill_child(page, 3, "Олена Шевченко", 12, [weeks[3], weeks[2]])
    consent(page)
    page.locator("#f-keep_siblings_together").check()
    page.locator("#f-guardian_name").press("Enter")  # Enter sends: it adds no child

    expect(page).to_have_url(APPLICATION)
    assert html_lang(page) == "uk"
    states = page.locator("[data-state]")
    expect(states).to_have_count(3)
    for n in range(3):
        expect(states.nth(n)).to_have_attribute("data-state", "placed")
    expect(page.locator("main")).to_contain_text("Богдан Шевченко")
    assert_no_sideways_scrolling(page)

    page.goto(page.url.split("?", 1)[0])  # the link from the email, later
    page.locator('a[href*="/withdraw?child="]').first.click()
    assert_no_sideways_scrolling(page)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"\?done=withdrawn$"))
    expect(page.locator("[data-state=withdrawn]")).to_have_count(1)
    expect(page.locator("[data-state=placed]")).to_have_count(2)
    assert_no_sideways_scrolling(page)


def test_the_camp_pages_are_axe_clean_on_a_phone_errors_included(new_context, audit, demo_camp):
    page = phone(new_context, javascript=True)
    slug, weeks = demo_camp["slug"], demo_camp["weeks"]
    page.goto(f"/uk/camp/{slug}")
    audit(page)

    page.goto(f"/uk/camp/{slug}/apply?children=2")
    audit(page)
    send(page)  # empty: every error
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#f-child-2-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-child-1-preferences")).to_have_attribute("aria-invalid", "true")
    assert_no_sideways_scrolling(page)
    audit(page)

    fill_family(page, "axe-camp-family@example.org")
    fill_child(page, 1, "Марія Шевченко", 8, [weeks[0]])
    fill_child(page, 2, "Петро Шевченко", 12, [weeks[2]])
    page.locator("#f-keep_siblings_together").uncheck()
    consent(page)
    send(page)
    expect(page).to_have_url(APPLICATION)
    audit(page)

    home = page.url.split("?", 1)[0]
    for link in ("/withdraw?child=all", "/delete"):
        page.goto(home + link)
        expect(page.locator("h1")).to_be_visible()
        assert_no_sideways_scrolling(page)
        audit(page)
    page.goto(home)
    page.locator('a[href*="/children/"]').first.click()
    assert_no_sideways_scrolling(page)
    audit(page)
    page.goto(home + "/contact")
    audit(page)
    page.locator("#f-emergency_phone").fill("ring")
    page.locator("form.booking-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#f-emergency_phone")).to_have_attribute("aria-invalid", "true")
    assert_no_sideways_scrolling(page)
    audit(page)

    page.goto(home + "/delete")
    page.locator("form button.danger").click()
    expect(page.locator("[data-application=deleted]")).to_be_visible()
    audit(page)
