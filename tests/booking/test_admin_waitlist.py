"""Organisers move the waitlist: a party let in by hand (out of turn, when it fits), and
capacity raised (the waitlist moves up and is told) or lowered (never below what is taken)."""

from __future__ import annotations

import pytest
from tortoise import timezone

from booking import organiser_actions
from booking.models import Registration, RegistrationStatus
from events.models import Occurrence
from tests.booking.test_admin_support import make_registration, organiser_with_date, outbox
from tests.client_helpers import post_form, sign_in
from tests.factories import make_event, make_occurrence, make_organiser
from venskab.errors import Conflict
from venskab.models import AuditEntry

Status = RegistrationStatus


async def full_date_with_queue(client, **occurrence):
    """Capacity 4, three taken, one place free. At the head of the queue a party of two that
    has been passed as often as the rule allows, so the party of one behind it cannot pass
    it again by itself: only an organiser can let it in."""
    organiser, date = await organiser_with_date(client, capacity=4, **occurrence)
    await make_registration(date, seats=3)
    head = await make_registration(date, Status.WAITLISTED, seats=2, times_passed=3)
    behind = await make_registration(date, Status.WAITLISTED, seats=1, language="da")
    return organiser, date, head, behind


async def test_a_party_behind_the_head_is_let_in_by_hand_when_it_fits(client):
    organiser, _, head, behind = await full_date_with_queue(client)
    response = await post_form(
        client, f"/en/organiser/registrations/{behind.id}/promote", {"q": ""}
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"done=promoted#r-{behind.id}")
    promoted = await Registration.get(id=behind.id)
    assert promoted.status == Status.OFFERED and promoted.expires_at is not None
    assert (await Registration.get(id=head.id)).status == Status.WAITLISTED
    [mail] = await outbox("booking/offered")
    assert (mail.to_address, mail.language) == (behind.email, "da")
    entry = await AuditEntry.get(action="promoted")
    assert (entry.actor_id, entry.subject) == (organiser.id, f"registration {behind.id}")


async def test_a_date_without_an_offer_window_confirms_the_party_at_once(client):
    *_, behind = await full_date_with_queue(client, offer_hours=0)
    await post_form(client, f"/en/organiser/registrations/{behind.id}/promote")
    assert (await Registration.get(id=behind.id)).status == Status.CONFIRMED
    assert len(await outbox("booking/promoted_confirmed")) == 1


async def test_a_party_that_does_not_fit_is_refused_and_nothing_changes(client):
    _, _, head, _ = await full_date_with_queue(client)
    response = await post_form(client, f"/en/organiser/registrations/{head.id}/promote")
    assert response.status_code == 409
    assert "Not enough free places: this party needs 2, 1 are free." in response.text
    assert (await Registration.get(id=head.id)).status == Status.WAITLISTED
    assert await AuditEntry.all().count() == 0
    assert len(await outbox("booking/offered")) == 0


async def test_the_list_offers_let_in_only_to_parties_that_fit(client):
    _, date, head, behind = await full_date_with_queue(client)
    page = (await client.get(f"/en/organiser/dates/{date.id}/attendees")).text
    assert f"/en/organiser/registrations/{behind.id}/promote" in page
    assert f"/en/organiser/registrations/{head.id}/promote" not in page


async def test_only_a_waiting_party_can_be_let_in():
    date = await make_occurrence(capacity=5)
    confirmed = await make_registration(date)
    with pytest.raises(Conflict):
        await organiser_actions.promote_manually(confirmed.id, timezone.now())


async def test_another_organisers_waitlist_is_out_of_reach(client):
    date = await make_occurrence(await make_event(owner=await make_organiser()), capacity=1)
    waiting = await make_registration(date, Status.WAITLISTED)
    await sign_in(client, await make_organiser())
    response = await post_form(client, f"/en/organiser/registrations/{waiting.id}/promote")
    assert response.status_code == 403
    assert (await Registration.get(id=waiting.id)).status == Status.WAITLISTED


async def test_raising_capacity_lets_the_waitlist_in_and_tells_them(client):
    organiser, date = await organiser_with_date(client, capacity=2, offer_hours=0)
    await make_registration(date, seats=2)
    waiting = await make_registration(date, Status.WAITLISTED, seats=2)
    response = await post_form(client, f"/en/organiser/dates/{date.id}/capacity", {"capacity": "4"})
    assert response.status_code == 303
    assert "done=capacity-saved" in response.headers["location"]
    assert (await Occurrence.get(id=date.id)).capacity == 4
    assert (await Registration.get(id=waiting.id)).status == Status.CONFIRMED
    [mail] = await outbox("booking/promoted_confirmed")
    assert mail.to_address == waiting.email
    entry = await AuditEntry.get(action="capacity-changed")
    assert entry.detail == {"from": 2, "to": 4, "promoted": [waiting.id]}
    assert entry.actor_id == organiser.id and entry.subject == f"occurrence {date.id}"


async def test_lowering_below_what_is_taken_is_refused_and_nothing_changes(client):
    _, date = await organiser_with_date(client, capacity=10)
    await make_registration(date, seats=3)
    await make_registration(date, Status.HELD, seats=2)
    response = await post_form(client, f"/en/organiser/dates/{date.id}/capacity", {"capacity": "4"})
    assert response.status_code == 400
    assert "The capacity cannot be lower than the places taken." in response.text
    assert 'aria-invalid="true"' in response.text and 'value="4"' in response.text
    assert (await Occurrence.get(id=date.id)).capacity == 10
    assert await AuditEntry.all().count() == 0


async def test_lowering_to_exactly_what_is_taken_is_allowed(client):
    _, date = await organiser_with_date(client, capacity=10)
    await make_registration(date, seats=3)
    response = await post_form(client, f"/en/organiser/dates/{date.id}/capacity", {"capacity": "3"})
    assert response.status_code == 303
    assert (await Occurrence.get(id=date.id)).capacity == 3


@pytest.mark.parametrize("typed", ["", "many", "-1", "1e3"])
async def test_a_capacity_that_is_not_a_whole_number_is_refused(client, typed):
    _, date = await organiser_with_date(client, capacity=10)
    response = await post_form(
        client, f"/en/organiser/dates/{date.id}/capacity", {"capacity": typed}
    )
    assert response.status_code == 400
    assert (await Occurrence.get(id=date.id)).capacity == 10
