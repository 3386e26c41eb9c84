"""Camp applications, first come first served: placing children through the capacity engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from booking import audit, camp, capacity
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Child,
    Registration,
    RegistrationStatus,
)
from tests.factories import application_input, child_input, make_camp
from venskab.errors import Conflict, Invalid
from venskab.models import AuditEntry

Status = RegistrationStatus


async def placements(application):
    children = await camp.application_children(application)
    return [
        (c.registration.occurrence_id, c.registration.status) if c.registration else None
        for c in children
    ]


async def test_siblings_kept_together_share_one_registration_in_their_best_common_week():
    camp_row, (young, _, mixed) = await make_camp()
    form = application_input(
        [child_input([young, mixed], age=7), child_input([mixed, young], age=8)]
    )
    applied = await camp.apply(camp_row, form, timezone.now())
    children = await camp.application_children(applied.application)
    assert children[0].registration_id == children[1].registration_id
    registration = children[0].registration
    assert registration.seats == 2 and registration.status == Status.CONFIRMED
    # ranks: young 0+1, mixed 1+0: a tie, broken by the first child's order
    assert registration.occurrence_id == young.id


async def test_siblings_who_do_not_fit_wait_together_as_one_entry():
    camp_row, [young] = await make_camp(ages=[(6, 9)], capacity=3)
    now = timezone.now()
    await camp.apply(camp_row, application_input([child_input([young]), child_input([young])]), now)
    family = application_input([child_input([young]), child_input([young])])
    applied = await camp.apply(camp_row, family, now)
    assert await placements(applied.application) == [(young.id, Status.WAITLISTED)] * 2
    seats = await capacity.availability(young, now)
    assert seats.confirmed == 2 and seats.waitlisted == 2


async def test_a_child_goes_to_the_next_preference_with_room():
    camp_row, (young, _, mixed) = await make_camp(capacity=1)
    now = timezone.now()
    await camp.apply(camp_row, application_input([child_input([young])]), now)
    applied = await camp.apply(camp_row, application_input([child_input([young, mixed])]), now)
    assert await placements(applied.application) == [(mixed.id, Status.CONFIRMED)]


async def test_siblings_apart_are_placed_one_by_one():
    camp_row, (young, older, _) = await make_camp()
    form = application_input(
        [child_input([young], age=7), child_input([older], age=12)], keep_siblings_together=False
    )
    applied = await camp.apply(camp_row, form, timezone.now())
    assert await placements(applied.application) == [
        (young.id, Status.CONFIRMED),
        (older.id, Status.CONFIRMED),
    ]


async def test_siblings_together_without_a_common_week_are_told_so():
    camp_row, (young, older, _) = await make_camp()
    form = application_input([child_input([young], age=7), child_input([older], age=12)])
    with pytest.raises(Invalid) as error:
        await camp.apply(camp_row, form, timezone.now())
    assert "keep_siblings_together" in error.value.errors
    assert await Child.all().count() == 0


async def test_a_week_outside_the_childs_age_is_refused_per_child():
    camp_row, (young, older, _) = await make_camp()
    form = application_input([child_input([young], age=7), child_input([older], age=7)])
    with pytest.raises(Invalid) as error:
        await camp.apply(camp_row, form, timezone.now())
    assert set(error.value.errors) == {"child-2-preferences"}


async def test_the_same_form_twice_makes_one_application():
    camp_row, (young, _, _) = await make_camp()
    form = application_input([child_input([young])])
    first = await camp.apply(camp_row, form, timezone.now())
    second = await camp.apply(camp_row, form, timezone.now())
    assert second.repeated and second.application.id == first.application.id
    assert await Registration.all().count() == 1


async def test_applications_before_the_window_opens_are_refused():
    camp_row, (young, _, _) = await make_camp(opens=timedelta(days=2))
    with pytest.raises(Conflict):
        await camp.apply(camp_row, application_input([child_input([young])]), timezone.now())


async def test_withdrawing_a_child_frees_its_place_and_promotes_the_next_family():
    camp_row, [young] = await make_camp(ages=[(6, 9)], capacity=2)
    now = timezone.now()
    first = await camp.apply(
        camp_row, application_input([child_input([young]), child_input([young])]), now
    )
    waiting = await camp.apply(camp_row, application_input([child_input([young])]), now)
    leaving = (await camp.application_children(first.application))[1]
    promoted = await camp.withdraw_children(first.application, [leaving.id], now)
    assert [r.camp_application_id for r in promoted] == [waiting.application.id]
    seats = await capacity.availability(young, now)
    assert seats.confirmed == 1 and seats.held == 1 and seats.waitlisted == 0


async def test_withdrawing_every_child_withdraws_the_application():
    camp_row, (young, _, _) = await make_camp()
    now = timezone.now()
    applied = await camp.apply(camp_row, application_input([child_input([young])]), now)
    children = await camp.application_children(applied.application)
    await camp.withdraw_children(applied.application, [c.id for c in children], now)
    await applied.application.refresh_from_db()
    assert applied.application.status == ApplicationStatus.WITHDRAWN
    assert (await capacity.availability(young, now)).taken == 0


async def test_deleting_erases_every_personal_field_and_keeps_the_counts():
    camp_row, (young, _, _) = await make_camp()
    now = timezone.now()
    applied = await camp.apply(camp_row, application_input([child_input([young])]), now)
    await camp.delete(applied.application, now)
    application = applied.application
    await application.refresh_from_db()
    assert application.status == ApplicationStatus.DELETED
    assert application.guardian_name == application.guardian_email == ""
    child = (await camp.application_children(application))[0]
    assert child.name == "" and child.date_of_birth is None and child.medical_notes == ""
    registration = await Registration.get(camp_application_id=application.id)
    assert registration.name == "" and registration.status == Status.CANCELLED


async def test_a_deletion_is_recorded_in_the_audit_log_without_names():
    camp_row, (young, *_) = await make_camp()
    now = timezone.now()
    applied = await camp.apply(camp_row, application_input([child_input([young])]), now)
    await camp.delete(applied.application, now)
    entry = await AuditEntry.get(action=audit.CAMP_APPLICATION_DELETED)
    assert entry.subject == f"camp application {applied.application.id}"
    assert entry.detail == {"children": 1} and entry.actor_id is None


async def test_no_application_is_taken_after_the_draw_even_if_the_window_reopens():
    camp_row, (young, *_) = await make_camp(allocation=AllocationRule.LOTTERY)
    camp_row.drawn_at = timezone.now() - timedelta(hours=1)
    await camp_row.save()
    with pytest.raises(Conflict):
        await camp.apply(camp_row, application_input([child_input([young])]), timezone.now())
