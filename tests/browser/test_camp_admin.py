"""The camp's organiser and staff pages in a browser: an admin reads the applications overview
and filters it; camp staff open a week's roster on a 360 px phone, check a child in and out,
and open the printable roster. Every page on the way is axe-clean (WCAG 2.1 A and AA).

The camp comes from tests/browser/camp_seed.py (a draft camp of its own, written into the
server's database), the camp-staff account from `venskab create-organiser`, as an operator
makes one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid

import pytest

from tests.browser.accounts import ADMIN_EMAIL, ORGANISER_EMAIL, PASSWORD
from tests.browser.conftest import BIN, ROOT
from tests.browser.support import expect, sign_in
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scrolling

pytestmark = pytest.mark.browser

STAFF_EMAIL = "camp-staff@venskab.example"


def _env(server) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST"))},
        "DATABASE_URL": server.database_url,
        "VENSKAB_ENV": "test",
        "SECRET_KEY": "browser-test-secret-key-" + "x" * 32,
    }


@pytest.fixture(scope="module")
def camp(server) -> dict:
    """A camp with placed and waiting children, and a camp-staff account."""
    tag = uuid.uuid4().hex[:8]
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.browser.camp_seed", tag],
        cwd=ROOT,
        env=_env(server),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    subprocess.run(
        [str(BIN / "venskab"), "create-organiser", STAFF_EMAIL, "--role", "camp-staff"],
        cwd=ROOT,
        env=_env(server),
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # a second module run finds the account there already
    )
    return {**ids, "title": f"Browser camp {tag}"}


def test_the_applications_overview_is_accessible_and_filters(page, audit, camp):
    sign_in(page, ADMIN_EMAIL)
    page.get_by_role("navigation", name="Organiser").get_by_role("link", name="Summer camp").click()
    expect(page.get_by_role("heading", level=1, name="Summer camp")).to_be_visible()
    audit(page)
    page.get_by_role(
        "link", name=re.compile(rf"^Applications and placements ?: {camp['title']}$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(camp["title"])
    expect(page.get_by_text("Placed: 3", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Petro Waiting")).to_be_visible()
    audit(page)

    page.get_by_label("Place", exact=True).select_option("waitlisted")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_have_text("1 child shown.")
    expect(page.get_by_role("cell", name="Petro Waiting")).to_be_visible()
    expect(page.get_by_role("cell", name="Марія Коваленко")).to_have_count(0)
    audit(page)

    page.get_by_role("link", name="Move Petro Waiting").click()
    expect(
        page.get_by_role("heading", level=1, name="Move a child to another week")
    ).to_be_visible()
    audit(page)

    page.goto(f"/en/organiser/camps/{camp['event']}/settings")
    audit(page)
    page.get_by_label("Children per application").fill("9")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Children per application")).to_have_attribute("aria-invalid", "true")
    audit(page)


def test_camp_staff_use_the_roster_on_a_phone(new_context, audit, camp):
    page = new_context(**PHONE).new_page()
    sign_in(page, STAFF_EMAIL)
    page.get_by_role("link", name="The camp weeks' rosters and check-in").click()
    audit(page)
    assert_no_sideways_scrolling(page)
    page.goto(f"/en/organiser/camp-sessions/{camp['week']}/roster")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Roster")
    expect(page.get_by_text("EpiPen", exact=False).first).to_be_visible()
    assert_no_sideways_scrolling(page)
    audit(page)

    child = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Søren Ærø Hansen")
    )
    child.get_by_role("button", name="Check in Søren Ærø Hansen").click()
    expect(page.get_by_role("status")).to_have_text("Checked in.")
    expect(child.get_by_text(f"checked in by {STAFF_EMAIL}")).to_be_visible()
    assert_no_sideways_scrolling(page)
    audit(page)
    child.get_by_role("button", name="Check out Søren Ærø Hansen").click()
    expect(page.get_by_role("status")).to_have_text("Checked out.")
    child.get_by_role("button", name="Undo check-out Søren Ærø Hansen").click()
    expect(page.get_by_role("status")).to_have_text("The check-out was undone.")
    child.get_by_role("button", name="Undo check-in Søren Ærø Hansen").click()
    expect(child.get_by_text("Not checked in")).to_be_visible()

    page.get_by_role("link", name="Printable roster").click()
    expect(page.get_by_role("table")).to_be_visible()
    audit(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("rowheader", name=re.compile("^Søren Ærø Hansen"))).to_be_visible()


def test_organisers_are_kept_from_the_roster(page, audit, camp):
    sign_in(page, ORGANISER_EMAIL)
    response = page.goto(f"/en/organiser/camp-sessions/{camp['week']}/roster")
    assert response is not None and response.status == 403
    expect(page.get_by_text("EpiPen")).to_have_count(0)
    audit(page)
