"""Withdrawing a child while something else changes the same family: the withdrawal reads the
children under the lock, so a stale copy never frees a sibling's place."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise import timezone

from booking import camp, lottery
from booking.models import AllocationRule, Child, Registration, RegistrationStatus
from tests.factories import application_input, child_input, make_camp


async def seats_match_children() -> None:
    """Every active registration counts exactly its children; withdrawn children hold none."""
    for registration in await Registration.filter(status__not=RegistrationStatus.CANCELLED):
        children = await Child.filter(registration=registration, withdrawn_at=None).count()
        assert registration.seats == children, registration
    assert (
        await Child.filter(withdrawn_at__not_isnull=True, registration_id__not_isnull=True).count()
        == 0
    )


async def test_withdrawing_a_child_twice_at_once_keeps_the_siblings_place():
    camp_row, (young, _, _) = await make_camp()
    now = timezone.now()
    form = application_input([child_input([young]), child_input([young])])
    application = (await camp.apply(camp_row, form, now)).application
    leaving, _staying = await camp.application_children(application)
    await asyncio.gather(  # a double click
        camp.withdraw_children(application, [leaving.id], now),
        camp.withdraw_children(application, [leaving.id], now),
    )
    registration = await Registration.get(camp_application_id=application.id)
    assert (registration.status, registration.seats) == (RegistrationStatus.CONFIRMED, 1)
    await seats_match_children()


@pytest.mark.parametrize("draw_first", [True, False], ids=["draw-first", "withdrawal-first"])
async def test_a_withdrawal_during_the_draw_leaves_no_place_to_the_withdrawn_child(draw_first):
    now = timezone.now()
    camp_row, (young, _, _) = await make_camp(
        allocation=AllocationRule.LOTTERY, applications_close_at=now + timedelta(hours=1)
    )
    form = application_input([child_input([young]), child_input([young])])
    application = (await camp.apply(camp_row, form, now)).application
    leaving = (await camp.application_children(application))[0]
    after = now + timedelta(hours=2)
    steps = [
        lottery.run_draw(camp_row, "seed", "admin@venskab.example", after),
        camp.withdraw_children(application, [leaving.id], after),
    ]
    await asyncio.gather(*(steps if draw_first else reversed(steps)))
    await seats_match_children()
