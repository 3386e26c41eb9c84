"""Every organiser action on registrations is in the audit log, written in the same
transaction as the change; admins read the log, newest first, a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from booking import audit, organiser_actions
from booking.models import Registration, RegistrationStatus
from events.models import Occurrence, OccurrenceStatus
from tests.booking.test_admin_support import make_registration
from tests.client_helpers import sign_in
from tests.factories import make_occurrence, make_organiser
from venskab.models import AuditEntry, OutboxMessage, Role

Status = RegistrationStatus


async def test_record_keeps_who_what_when_and_the_subject():
    admin = await make_organiser(role=Role.ADMIN)
    now = timezone.now()
    entry = await audit.record(admin, audit.CHECKED_IN, "registration 42", {"occurrence": 7}, now)
    stored = await AuditEntry.get(id=entry.id)
    assert (stored.actor_id, stored.actor_email) == (admin.id, admin.email)
    assert (stored.action, stored.subject, stored.detail) == (
        "check-in",
        "registration 42",
        {"occurrence": 7},
    )
    assert stored.at == now


async def test_admins_read_the_log_newest_first(client):
    admin = await make_organiser(role=Role.ADMIN)
    now = timezone.now()
    await audit.record(admin, audit.CHECKED_IN, "registration 1", {"occurrence": 5}, now)
    await audit.record(
        admin,
        audit.CAPACITY_CHANGED,
        "occurrence 5",
        {"from": 10, "to": 12, "promoted": [3]},
        now + timedelta(minutes=1),
    )
    await sign_in(client, admin)
    page = await client.get("/en/organiser/audit")
    assert page.status_code == 200
    assert page.text.index("Capacity changed") < page.text.index("Checked in")
    assert "From 10 to 12 places" in page.text
    assert admin.email in page.text
    assert 'href="/en/organiser/dates/5/attendees#r-1"' in page.text
    assert "style=" not in page.text and page.text.count("<h1") == 1


async def test_the_log_is_paginated(client):
    admin = await make_organiser(role=Role.ADMIN)
    start = timezone.now()
    for n in range(audit.PAGE_SIZE + 3):
        await audit.record(
            admin, audit.CHECKED_IN, f"registration {n}", {}, start + timedelta(seconds=n)
        )
    await sign_in(client, admin)
    first = (await client.get("/en/organiser/audit")).text
    assert f"registration {audit.PAGE_SIZE + 2}<" in first
    assert "registration 0<" not in first
    assert 'rel="next"' in first and "page 1 of 2" in first
    second = (await client.get("/en/organiser/audit?page=2")).text
    assert "registration 0<" in second and 'rel="prev"' in second
    assert (await client.get("/en/organiser/audit?page=999")).status_code == 200
    assert (await client.get("/en/organiser/audit?page=x")).status_code == 200


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.CAMP_STAFF])
async def test_only_admins_read_the_log(client, role):
    await audit.record(None, audit.CHECKED_IN, "registration 1", {}, timezone.now())
    await sign_in(client, await make_organiser(role=role))
    assert (await client.get("/en/organiser/audit")).status_code == 403


async def test_the_start_page_links_the_log_for_admins_only(client):
    await sign_in(client, await make_organiser(role=Role.ADMIN))
    assert 'href="/en/organiser/audit"' in (await client.get("/en/organiser/")).text


async def test_each_action_is_logged_once_with_its_actor():
    organiser = await make_organiser()
    now = timezone.now()
    date = await make_occurrence(capacity=2, offer_hours=0)
    guest = await make_registration(date)
    await make_registration(date, Status.WAITLISTED, seats=2, times_passed=3)
    behind = await make_registration(date, Status.WAITLISTED, seats=1)
    await organiser_actions.check_in(guest.id, now, actor=organiser)
    await organiser_actions.undo_check_in(guest.id, now, actor=organiser)
    await organiser_actions.promote_manually(behind.id, now, actor=organiser)
    await organiser_actions.change_capacity(date.id, 4, now, actor=organiser)
    await organiser_actions.message_everyone(date.id, {"en": "Hi"}, "k" * 24, now, actor=organiser)
    await organiser_actions.cancel_occurrence(date.id, "", now, actor=organiser)
    entries = await AuditEntry.all().order_by("id")
    assert [e.action for e in entries] == [
        "check-in",
        "check-in-undone",
        "promoted",
        "capacity-changed",
        "message-sent",
        "occurrence-cancelled",
    ]
    assert {e.actor_id for e in entries} == {organiser.id}


async def test_a_refused_change_leaves_no_entry():
    date = await make_occurrence(capacity=5)
    await make_registration(date, seats=4)
    with pytest.raises(Exception):  # noqa: B017 - the domain's Invalid; what matters is the log
        await organiser_actions.change_capacity(date.id, 2, timezone.now())
    assert await AuditEntry.all().count() == 0
    assert (await Occurrence.get(id=date.id)).capacity == 5


async def test_cancelling_a_date_is_one_transaction():
    """A mail that cannot be written undoes the whole cancellation: nobody is half told."""
    date = await make_occurrence()
    first = await make_registration(date)
    await make_registration(date, email="not-an-address")
    with pytest.raises(ValueError):
        await organiser_actions.cancel_occurrence(date.id, "", timezone.now())
    assert (await Occurrence.get(id=date.id)).status == OccurrenceStatus.SCHEDULED
    assert (await Registration.get(id=first.id)).status == Status.CONFIRMED
    assert await OutboxMessage.all().count() == 0
    assert await AuditEntry.all().count() == 0


async def test_promoting_by_hand_applies_the_rule_first():
    """Places freed by an offer that ran out go to the head of the queue as the rule says,
    before the organiser's pick is considered."""
    now = timezone.now()
    date = await make_occurrence(capacity=2, offer_hours=0)
    await make_registration(date, seats=1)
    await make_registration(date, Status.OFFERED, seats=1, now=now - timedelta(hours=2))
    head = await make_registration(date, Status.WAITLISTED, seats=1)
    behind = await make_registration(date, Status.WAITLISTED, seats=1)
    with pytest.raises(Exception, match="Not enough free places"):
        await organiser_actions.promote_manually(behind.id, now)
    # Refused, and rolled back whole: the head's promotion waits for the next change.
    assert (await Registration.get(id=head.id)).status == Status.WAITLISTED
    assert (await Registration.get(id=behind.id)).status == Status.WAITLISTED
