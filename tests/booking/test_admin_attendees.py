"""Organisers see how full each date is and who is coming: bars with their figures on the
start page, the attendee list by state with a search, and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from tortoise import timezone

from booking.models import RegistrationStatus
from tests.booking.test_admin_support import make_registration, organiser_with_date
from tests.client_helpers import sign_in
from tests.factories import make_event, make_occurrence, make_organiser
from venskab.models import AuditEntry, Role

Status = RegistrationStatus
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


async def test_start_page_draws_each_dates_fill_with_its_figures_in_words(client):
    _, date = await organiser_with_date(client, capacity=10)
    await make_registration(date, seats=2, checked_in_at=timezone.now())
    await make_registration(date, seats=1)
    await make_registration(date, Status.HELD, seats=2)
    await make_registration(date, Status.WAITLISTED, seats=4)
    await make_registration(date, Status.CANCELLED, seats=3)
    page = (await client.get("/en/organiser/")).text
    assert "5 of 10 places taken" in page
    assert "Confirmed: 3" in page
    assert "Held or offered: 2" in page
    assert "Waitlist: 4" in page
    assert "Checked in: 2 (1 registration)" in page
    assert "Free: 5" in page
    # The bar: SVG widths as attributes (a percentage of the capacity), never a style.
    assert '<rect class="fill-confirmed" x="0" y="0" width="30.0"' in page
    assert 'aria-hidden="true"' in page
    assert "style=" not in page
    assert f'href="/en/organiser/dates/{date.id}/attendees"' in page


async def test_a_drop_in_date_has_no_bar(client):
    await organiser_with_date(client, capacity=None)
    page = (await client.get("/en/organiser/")).text
    assert "Drop-in, no registration" in page
    assert "fill-bar" not in page


async def test_attendee_list_shows_each_state_and_the_waitlist_in_order(client):
    _, date = await organiser_with_date(client, capacity=4)
    await make_registration(date, name="Bo Confirmed", seats=2, accessibility_needs="Wheelchair")
    await make_registration(date, Status.OFFERED, name="Ida Offered", seats=1)
    await make_registration(date, Status.HELD, name="Ole Held", seats=1)
    first = await make_registration(date, Status.WAITLISTED, name="Anna First", seats=3)
    second = await make_registration(date, Status.WAITLISTED, name="Zoe Second", seats=1)
    await make_registration(date, Status.CANCELLED, name="Kim Cancelled")
    page = (await client.get(f"/en/organiser/dates/{date.id}/attendees")).text
    assert "Bo Confirmed" in page and "Wheelchair" in page
    assert "Ida Offered" in page and "Ole Held" in page
    assert page.index("Anna First") < page.index("Zoe Second")
    assert f'<tr id="r-{first.id}">\n      <td>1</td>' in page
    assert f'<tr id="r-{second.id}">\n      <td>2</td>' in page
    # Cancelled ones are folded away, but there.
    assert page.index("<details") < page.index("Kim Cancelled")
    assert page.count("<h1") == 1
    assert "style=" not in page and "<script" not in page
    assert '<th scope="col">' in page and '<th scope="row">' in page


@pytest.mark.parametrize("query", ["олена", "ОЛЕНА КОВАЛЕНКО", "olena.k@EXAMPLE"])
async def test_search_finds_by_name_or_email_in_any_case_and_script(client, query):
    _, date = await organiser_with_date(client)
    await make_registration(date, name="Олена Коваленко", email="olena.k@example.org")
    await make_registration(date, name="Søren Ærø", email="soren@example.dk")
    page = (await client.get(f"/en/organiser/dates/{date.id}/attendees", params={"q": query})).text
    assert "Олена Коваленко" in page
    assert "Søren Ærø" not in page
    assert "1 registration matches" in page


async def test_search_for_nobody_says_so(client):
    _, date = await organiser_with_date(client)
    await make_registration(date, name="Søren Ærø")
    page = await client.get(f"/en/organiser/dates/{date.id}/attendees?q=<b>nobody</b>")
    assert page.status_code == 200
    assert "0 registrations match" in page.text
    assert "<b>nobody</b>" not in page.text  # the query is escaped


async def test_csv_has_a_byte_order_mark_and_every_registration_in_utf8(client):
    organiser, date = await organiser_with_date(client, capacity=2)
    when = timezone.now().replace(microsecond=0)
    await make_registration(
        date,
        name="Олена Коваленко",
        email="olena@example.org",
        phone="+380 44 123 4567",
        seats=2,
        accessibility_needs="Trin-fri adgang, tak – æøå",
        checked_in_at=when,
    )
    await make_registration(date, Status.WAITLISTED, name="=HYPERLINK(evil)")
    response = await client.get(f"/en/organiser/dates/{date.id}/attendees.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Email",
        "Phone",
        "Places",
        "Status",
        "Waitlist position",
        "Accessibility needs",
        "Checked in at",
        "Registered at",
    ]
    olena, evil = rows[1], rows[2]
    assert olena[:5] == [
        "Олена Коваленко",
        "olena@example.org",
        "'+380 44 123 4567",
        "2",
        "Confirmed",
    ]
    assert olena[6] == "Trin-fri adgang, tak – æøå"
    assert olena[7] == when.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M")  # local time
    assert evil[0] == "'=HYPERLINK(evil)"  # never run as a formula
    assert evil[4:6] == ["On the waitlist", "1"]
    # Downloading personal data is logged.
    entry = await AuditEntry.get(action="attendees-exported")
    assert entry.actor_id == organiser.id and entry.subject == f"occurrence {date.id}"


async def test_csv_headers_follow_the_language_of_the_url(client):
    _, date = await organiser_with_date(client, lang="da")
    await make_registration(date, name="Søren")
    body = (await client.get(f"/da/organiser/dates/{date.id}/attendees.csv")).content
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Søren".encode() in body


async def test_an_organiser_cannot_see_another_organisers_attendees(client):
    other_event = await make_event(owner=await make_organiser())
    theirs = await make_occurrence(other_event)
    await make_registration(theirs, name="Private Person")
    await sign_in(client, await make_organiser())
    for path in ("attendees", "attendees.csv", "message", "cancel-registrations"):
        response = await client.get(f"/en/organiser/dates/{theirs.id}/{path}")
        assert response.status_code == 403, path
        assert "Private Person" not in response.text


async def test_camp_staff_cannot_see_attendees(client):
    date = await make_occurrence(await make_event())
    await sign_in(client, await make_organiser(role=Role.CAMP_STAFF))
    assert (await client.get(f"/en/organiser/dates/{date.id}/attendees")).status_code == 403
    assert (await client.get(f"/en/organiser/dates/{date.id}/attendees.csv")).status_code == 403


async def test_admins_see_every_dates_attendees(client):
    date = await make_occurrence(await make_event(owner=await make_organiser()))
    await make_registration(date, name="Somebody Else's Guest")
    await sign_in(client, await make_organiser(role=Role.ADMIN))
    page = await client.get(f"/en/organiser/dates/{date.id}/attendees")
    assert page.status_code == 200 and "Somebody Else&#39;s Guest" in page.text


async def test_an_unknown_date_is_404(client):
    await organiser_with_date(client)
    assert (await client.get("/en/organiser/dates/999999/attendees")).status_code == 404
    assert (await client.get("/en/organiser/dates/99999999999/attendees")).status_code == 404


async def test_an_offer_that_ran_out_shows_as_expired(client):
    _, date = await organiser_with_date(client)
    past = timezone.now() - timedelta(hours=3)
    await make_registration(date, Status.OFFERED, name="Late Larsen", now=past)
    page = (await client.get(f"/en/organiser/dates/{date.id}/attendees")).text
    assert page.index("<details") < page.index("Late Larsen")
    assert "Expired" in page
