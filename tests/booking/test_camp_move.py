"""An organiser moves a child from one camp week to another: in one transaction holding both
weeks' locks, within capacity and the child's age, out of its siblings' registration, with the
week it left promoting its waitlist (and telling the family), and in the audit log."""

from __future__ import annotations

import asyncio

import pytest
from tortoise import timezone

from booking import camp_staff, capacity
from booking.models import ApplicationStatus, Child, Registration, RegistrationStatus
from tests.booking.test_camp_staff_support import make_child, make_family, owned_camp
from tests.client_helpers import post_form, sign_in
from tests.factories import make_organiser
from venskab import settings
from venskab.errors import Conflict, NotFound
from venskab.models import AuditEntry, OutboxMessage

Status = RegistrationStatus
YOUNG, OLDER, MIXED = (6, 9), (10, 13), (6, 13)


async def registration_of(child: Child) -> Registration | None:
    child = await Child.get(id=child.id).select_related("registration")
    return child.registration


async def test_a_moved_child_leaves_its_siblings_registration_and_gets_a_place_of_its_own():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED])
    family = await make_family(camp)
    anna = await make_child(family, young, age=7)
    boris = await make_child(family, young, age=8, registration=anna.registration)
    moved = await camp_staff.move_child(boris.id, mixed.id, timezone.now(), actor=None)
    stays = await registration_of(anna)
    assert (stays.occurrence_id, stays.status, stays.seats) == (young.id, Status.CONFIRMED, 1)
    new = await registration_of(boris)
    assert new.id == moved.registration.id != stays.id
    assert (new.occurrence_id, new.status, new.seats) == (mixed.id, Status.CONFIRMED, 1)
    assert new.camp_application_id == family.id
    assert (await Child.get(id=boris.id)).withdrawn_at is None
    now = timezone.now()
    assert (await capacity.availability(young, now)).confirmed == 1
    assert (await capacity.availability(mixed, now)).confirmed == 1


async def test_the_family_is_told_of_the_move_in_its_language():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED])
    family = await make_family(camp)
    child = await make_child(family, young, age=7)
    await camp_staff.move_child(child.id, mixed.id, timezone.now(), actor=None)
    message = await OutboxMessage.get(template="camp/moved")
    assert message.to_address == family.guardian_email and message.language == family.language
    assert child.name in message.subject and child.name in message.text_body


async def test_moving_the_last_child_off_a_registration_cancels_it():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED])
    child = await make_child(await make_family(camp), young)
    old = await registration_of(child)
    await camp_staff.move_child(child.id, mixed.id, timezone.now(), actor=None)
    old = await Registration.get(id=old.id)
    assert old.status == Status.CANCELLED and old.cancelled_at is not None
    assert (await capacity.availability(young, timezone.now())).taken == 0


async def test_a_full_week_refuses_the_move_and_nothing_changes():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED], capacity=1)
    child = await make_child(await make_family(camp), young)
    await make_child(await make_family(camp), mixed)
    before = await registration_of(child)
    with pytest.raises(Conflict) as refused:
        await camp_staff.move_child(child.id, mixed.id, timezone.now(), actor=None)
    assert "full" in refused.value.message
    after = await registration_of(child)
    assert (after.id, after.status, after.seats) == (before.id, Status.CONFIRMED, 1)
    assert (await capacity.availability(mixed, timezone.now())).confirmed == 1
    assert not await AuditEntry.exists()


async def test_the_childs_age_on_the_first_day_must_fit_the_week():
    camp, (young, older, _), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED])
    child = await make_child(await make_family(camp), young, age=7)
    with pytest.raises(Conflict) as refused:
        await camp_staff.move_child(child.id, older.id, timezone.now(), actor=None)
    assert refused.value.params == {"low": 10, "high": 13}
    assert (await registration_of(child)).occurrence_id == young.id


async def test_the_week_left_lets_in_its_waitlist_and_the_family_is_told():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED], capacity=1)
    leaving = await make_child(await make_family(camp), young)
    waiting_family = await make_family(camp)
    waiting = await make_child(waiting_family, young, Status.WAITLISTED)
    moved = await camp_staff.move_child(leaving.id, mixed.id, timezone.now(), actor=None)
    offered = await registration_of(waiting)
    assert offered.status == Status.OFFERED  # the week has an offer window: confirm by then
    assert [r.id for r in moved.promoted] == [offered.id]
    [mail] = await OutboxMessage.filter(template="camp/offered")
    assert mail.to_address == waiting_family.guardian_email


async def test_the_target_weeks_own_waitlist_goes_first():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED], capacity=1)
    child = await make_child(await make_family(camp), young)
    # A place is free in the mixed week, but a family waits for it (the rule would have let
    # it in at the next change): it gets it, and the move is refused.
    queued = await make_child(await make_family(camp), mixed, Status.WAITLISTED)
    with pytest.raises(Conflict):
        await camp_staff.move_child(child.id, mixed.id, timezone.now(), actor=None)
    # Refused: the whole transaction is undone, the queue's promotion included.
    assert (await registration_of(queued)).status == Status.WAITLISTED


async def test_a_waiting_child_moved_to_a_week_with_room_gets_the_place():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED], capacity=1)
    await make_child(await make_family(camp), young)
    waiting = await make_child(await make_family(camp), young, Status.WAITLISTED)
    await camp_staff.move_child(waiting.id, mixed.id, timezone.now(), actor=None)
    placed = await registration_of(waiting)
    assert (placed.occurrence_id, placed.status) == (mixed.id, Status.CONFIRMED)
    assert (await capacity.availability(young, timezone.now())).waitlisted == 0


async def test_only_a_child_with_a_place_or_in_a_queue_can_be_moved():
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED])
    drawing = await make_family(camp, status=ApplicationStatus.SUBMITTED)
    not_drawn = await make_child(drawing, None, preferences=[young])
    gone = await make_child(await make_family(camp), young, withdrawn_at=timezone.now())
    placed = await make_child(await make_family(camp), young)
    now = timezone.now()
    for child in (not_drawn, gone):
        with pytest.raises(Conflict):
            await camp_staff.move_child(child.id, mixed.id, now, actor=None)
    with pytest.raises(Conflict):
        await camp_staff.move_child(placed.id, young.id, now, actor=None)  # already there
    _, (elsewhere, *_), _ = await owned_camp()
    with pytest.raises(NotFound):
        await camp_staff.move_child(placed.id, elsewhere.id, now, actor=None)


async def test_the_move_is_in_the_audit_log_with_ids_only():
    organiser = await make_organiser()
    camp, (young, _, mixed), _ = await owned_camp(organiser, ages=[YOUNG, OLDER, MIXED])
    child = await make_child(await make_family(camp), young)
    old = await registration_of(child)
    moved = await camp_staff.move_child(child.id, mixed.id, timezone.now(), actor=organiser)
    entry = await AuditEntry.get(action="camp-child-moved")
    assert (entry.actor_id, entry.subject) == (organiser.id, f"child {child.id}")
    assert entry.detail == {
        "application": child.application_id,
        "from": young.id,
        "to": mixed.id,
        "from_registration": old.id,
        "to_registration": moved.registration.id,
        "promoted": [],
    }
    assert child.name not in str(entry.detail)


async def test_the_owner_moves_a_child_through_the_page(client):
    owner = await make_organiser()
    camp, (young, older, mixed), _ = await owned_camp(owner, ages=[YOUNG, OLDER, MIXED])
    child = await make_child(await make_family(camp), young, age=7, name="Марія Move")
    await sign_in(client, owner)
    url = f"/en/organiser/camps/{camp.event_id}/children/{child.id}/move"
    page = (await client.get(url)).text
    assert "Марія Move" in page and f'value="{mixed.id}"' in page
    assert f'value="{young.id}"' not in page  # where she is already
    assert "(age does not fit)" in page  # the older week is listed, marked
    refused = await post_form(client, url, {"session": str(older.id)})
    assert refused.status_code == 409 and "does not fit" in refused.text
    response = await post_form(client, url, {"session": str(mixed.id)})
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/en/organiser/camps/{camp.event_id}/applications?done=moved#c-{child.id}"
    )
    assert (await registration_of(child)).occurrence_id == mixed.id
    assert (await post_form(client, url, {"session": "nonsense"})).status_code == 400


# ---------------------------------------------------------------- races (PostgreSQL)


@pytest.mark.parametrize("lock", [True, False], ids=["locked", "control-without-lock"])
async def test_concurrent_moves_never_overfill_the_target_week(backend, monkeypatch, lock):
    if backend != "postgres":
        pytest.skip("concurrent transactions need PostgreSQL's connection pool")
    monkeypatch.setattr(settings, "CAPACITY_LOCK", lock)
    camp, (young, _, mixed), _ = await owned_camp(ages=[YOUNG, OLDER, MIXED], capacity=6)
    await make_child(await make_family(camp), mixed)
    await make_child(await make_family(camp), mixed)
    await make_child(await make_family(camp), mixed)
    await make_child(await make_family(camp), mixed)
    await make_child(await make_family(camp), mixed)  # one place left in the mixed week
    movers = [await make_child(await make_family(camp), young) for _ in range(6)]
    now = timezone.now()
    results = await asyncio.gather(
        *(camp_staff.move_child(c.id, mixed.id, now, actor=None) for c in movers),
        return_exceptions=True,
    )
    moved = [r for r in results if isinstance(r, camp_staff.Moved)]
    confirmed = (await capacity.availability(mixed, timezone.now())).confirmed
    if lock:
        assert len(moved) == 1 and confirmed == 6
        assert all(isinstance(r, (camp_staff.Moved, Conflict)) for r in results), results
    else:
        assert confirmed > 6  # the control: without the lock the week overfills
