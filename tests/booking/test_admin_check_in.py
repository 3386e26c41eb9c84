"""Check-in at the door: by scanning the QR code from the confirmation mail (its URL opens a
confirm page for a signed-in organiser), or by name on the attendee list; and undo."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from tortoise import timezone

from booking import messages, organiser_actions
from booking.models import Registration, RegistrationStatus
from tests.booking.test_admin_support import make_registration, organiser_with_date
from tests.client_helpers import post_form, sign_in
from tests.factories import make_event, make_occurrence, make_organiser
from venskab.errors import Conflict
from venskab.i18n import translations
from venskab.models import AuditEntry, Role

Status = RegistrationStatus
# The check-in page speaks the registration's language (the QR code's URL is /uk/…).
uk = translations("uk").gettext


def before_placeholder(msgid: str) -> str:
    return uk(msgid).split("%(", 1)[0]


def code_path(registration: Registration) -> str:
    """The path the QR code encodes (its URL without the host)."""
    return urlsplit(messages.checkin_url(registration)).path


async def test_the_qr_url_shows_who_it_is_and_checks_them_in(client):
    organiser, date = await organiser_with_date(client, lang="uk")
    guest = await make_registration(date, name="Олена Коваленко", seats=3)
    path = code_path(guest)
    assert path == f"/uk/organiser/check-in/{path.rsplit('/', 1)[1]}"
    page = await client.get(path)
    assert page.status_code == 200
    assert "Олена Коваленко" in page.text and "Кіновечір" in page.text
    assert 'name="action" value="check-in"' in page.text
    response = await post_form(client, path, {"action": "check-in"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?done=checked-in"
    assert (await Registration.get(id=guest.id)).checked_in_at is not None
    done = (await client.get(response.headers["location"])).text
    assert uk("Checked in.") in done and 'name="action" value="undo"' in done
    already = before_placeholder("Already checked in at %(time)s.")
    assert already not in done
    # Scanned again later: the door sees the code was used.
    assert already in (await client.get(path)).text
    entry = await AuditEntry.get(action="check-in")
    assert (entry.actor_id, entry.subject) == (organiser.id, f"registration {guest.id}")
    assert entry.detail == {"occurrence": date.id}


async def test_undo_takes_the_check_in_back(client):
    _, date = await organiser_with_date(client)
    guest = await make_registration(date, checked_in_at=timezone.now())
    response = await post_form(client, code_path(guest), {"action": "undo"})
    assert response.status_code == 303
    assert (await Registration.get(id=guest.id)).checked_in_at is None
    assert await AuditEntry.filter(action="check-in-undone").count() == 1


async def test_scanning_twice_keeps_the_first_time_and_says_so(client):
    _, date = await organiser_with_date(client)
    guest = await make_registration(date)
    await post_form(client, code_path(guest), {"action": "check-in"})
    first = (await Registration.get(id=guest.id)).checked_in_at
    response = await post_form(client, code_path(guest), {"action": "check-in"})
    assert response.headers["location"].endswith("?done=already-checked-in")
    assert (await Registration.get(id=guest.id)).checked_in_at == first
    assert await AuditEntry.filter(action="check-in").count() == 1


async def test_an_anonymous_scan_is_sent_to_sign_in_and_back(client):
    organiser = await make_organiser()
    date = await make_occurrence(await make_event(owner=organiser))
    guest = await make_registration(date)
    path = code_path(guest)
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/uk/organiser/login?next={path}"
    assert (await client.post(path, data={"action": "check-in"})).status_code == 403
    assert (await Registration.get(id=guest.id)).checked_in_at is None
    # Signing in from there lands on the check-in page.
    signed_in = await post_form(
        client,
        "/uk/organiser/login",
        {"email": organiser.email, "password": "correct horse battery", "next": path},
    )
    assert signed_in.headers["location"] == path


async def test_an_organiser_of_another_event_cannot_check_in(client):
    date = await make_occurrence(await make_event(owner=await make_organiser()))
    guest = await make_registration(date, name="Someone Else")
    await sign_in(client, await make_organiser(), lang="uk")
    page = await client.get(code_path(guest))
    assert page.status_code == 403 and "Someone Else" not in page.text
    assert (await post_form(client, code_path(guest), {"action": "check-in"})).status_code == 403
    response = await post_form(client, f"/en/organiser/registrations/{guest.id}/check-in")
    assert response.status_code == 403
    assert (await Registration.get(id=guest.id)).checked_in_at is None


async def test_camp_staff_cannot_check_in(client):
    date = await make_occurrence(await make_event())
    guest = await make_registration(date)
    await sign_in(client, await make_organiser(role=Role.CAMP_STAFF), lang="uk")
    assert (await client.get(code_path(guest))).status_code == 403


async def test_a_forged_or_stale_code_is_404(client):
    _, date = await organiser_with_date(client)
    guest = await make_registration(date)
    path = code_path(guest)
    forged = path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB")
    assert (await client.get(forged)).status_code == 404
    assert (await client.get("/en/organiser/check-in/nonsense")).status_code == 404


async def test_a_cancelled_registration_does_not_give_entry(client):
    _, date = await organiser_with_date(client)
    guest = await make_registration(date, Status.CANCELLED)
    page = await client.get(code_path(guest))
    assert page.status_code == 200
    refused = "Not confirmed: %(status)s. This registration does not give entry."
    assert uk(refused).split("%(status)s", 1)[1].strip() in page.text
    assert 'value="check-in"' not in page.text
    response = await post_form(client, code_path(guest), {"action": "check-in"})
    assert response.status_code == 409
    assert (await Registration.get(id=guest.id)).checked_in_at is None


async def test_check_in_by_name_from_the_list_keeps_the_search(client):
    _, date = await organiser_with_date(client)
    guest = await make_registration(date, name="Søren Ærø")
    found = (await client.get(f"/en/organiser/dates/{date.id}/attendees?q=søren")).text
    action = f"/en/organiser/registrations/{guest.id}/check-in"
    assert f'action="{action}"' in found
    response = await post_form(client, action, {"q": "søren"})
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/en/organiser/dates/{date.id}/attendees?q=s%C3%B8ren&done=checked-in#r-{guest.id}"
    )
    assert (await Registration.get(id=guest.id)).checked_in_at is not None
    page = (await client.get(response.headers["location"])).text
    assert "Checked in: 1 (1 registration)" in page
    assert f"/en/organiser/registrations/{guest.id}/undo-check-in" in page
    undo = await post_form(client, f"/en/organiser/registrations/{guest.id}/undo-check-in")
    assert undo.status_code == 303
    assert (await Registration.get(id=guest.id)).checked_in_at is None


async def test_only_confirmed_registrations_can_be_checked_in():
    date = await make_occurrence()
    waiting = await make_registration(date, Status.WAITLISTED)
    with pytest.raises(Conflict):
        await organiser_actions.check_in(waiting.id, timezone.now())
    assert (await Registration.get(id=waiting.id)).checked_in_at is None
