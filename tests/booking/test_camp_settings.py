"""A camp's settings, changed by its organiser or an admin: the allocation rule, the
application window, the deadline for changes and the children per application; validated,
and the rule fixed once families have applied."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from tortoise import timezone

from booking import camp_staff
from booking.camp_staff import SettingsInput
from booking.models import AllocationRule, Camp
from events.services import LOCAL
from tests.booking.test_camp_staff_support import make_child, make_family, owned_camp
from tests.client_helpers import post_form, sign_in
from tests.factories import make_organiser
from venskab.errors import Conflict, Invalid
from venskab.models import AuditEntry, Role

FIRST_COME, LOTTERY = AllocationRule.FIRST_COME, AllocationRule.LOTTERY
OPENS = datetime(2027, 3, 1, 10, 0, tzinfo=LOCAL)


def settings(**values) -> SettingsInput:
    defaults = {
        "allocation": LOTTERY,
        "applications_open_at": OPENS,
        "applications_close_at": OPENS + timedelta(days=30),
        "edits_close_at": OPENS + timedelta(days=60),
        "max_children": 4,
    }
    return SettingsInput(**{**defaults, **values})


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"applications_close_at": OPENS}, "applications_close_at"),
        ({"applications_close_at": OPENS - timedelta(hours=1)}, "applications_close_at"),
        ({"applications_open_at": None}, "applications_open_at"),
        ({"applications_close_at": None}, "applications_close_at"),  # a lottery needs an end
        ({"edits_close_at": OPENS - timedelta(days=1)}, "edits_close_at"),
        ({"max_children": 0}, "max_children"),
        ({"max_children": 7}, "max_children"),
    ],
)
def test_settings_that_cannot_work_are_refused_per_field(values, field):
    assert set(camp_staff.validate_settings(settings(**values))) == {field}


def test_first_come_may_stay_open_without_an_end():
    data = settings(allocation=FIRST_COME, applications_close_at=None, edits_close_at=None)
    assert camp_staff.validate_settings(data) == {}


async def test_saving_changes_the_camp_and_logs_what_changed():
    admin = await make_organiser(role=Role.ADMIN)
    camp, _, _ = await owned_camp()
    data = settings()
    await camp_staff.save_settings(camp.id, data, timezone.now(), actor=admin)
    stored = await Camp.get(id=camp.id)
    assert stored.allocation == LOTTERY and stored.max_children == 4
    assert stored.applications_open_at == OPENS
    assert stored.applications_close_at == OPENS + timedelta(days=30)
    entry = await AuditEntry.get(action="camp-settings-changed")
    assert entry.subject == f"camp {camp.id}" and entry.actor_id == admin.id
    assert entry.detail["allocation"] == "lottery" and entry.detail["max_children"] == 4
    # Saving the same again changes nothing and logs nothing.
    await camp_staff.save_settings(camp.id, data, timezone.now(), actor=admin)
    assert await AuditEntry.filter(action="camp-settings-changed").count() == 1


async def test_the_rule_is_fixed_once_a_family_has_applied():
    camp, (week, *_), _ = await owned_camp()
    await make_child(await make_family(camp), week)
    with pytest.raises(Conflict) as refused:
        await camp_staff.save_settings(camp.id, settings(), timezone.now(), actor=None)
    assert refused.value.params == {"n": 1}
    assert (await Camp.get(id=camp.id)).allocation == FIRST_COME
    # Everything else can still change.
    keep_rule = settings(allocation=FIRST_COME, max_children=2)
    await camp_staff.save_settings(camp.id, keep_rule, timezone.now(), actor=None)
    assert (await Camp.get(id=camp.id)).max_children == 2


async def test_the_window_is_fixed_once_the_draw_has_run():
    camp, _, _ = await owned_camp(allocation=LOTTERY, drawn_at=timezone.now())
    await Camp.filter(id=camp.id).update(
        applications_open_at=OPENS, applications_close_at=OPENS + timedelta(days=30)
    )
    later = settings(applications_close_at=OPENS + timedelta(days=40))
    with pytest.raises(Conflict):
        await camp_staff.save_settings(camp.id, later, timezone.now(), actor=None)
    await camp_staff.save_settings(camp.id, settings(max_children=3), timezone.now(), actor=None)
    assert (await Camp.get(id=camp.id)).max_children == 3


async def test_invalid_settings_raise_before_anything_is_written():
    camp, _, _ = await owned_camp()
    with pytest.raises(Invalid):
        await camp_staff.save_settings(
            camp.id, settings(max_children=9), timezone.now(), actor=None
        )
    assert not await AuditEntry.exists()


# ---------------------------------------------------------------- through the page


FORM = {
    "allocation": "lottery",
    "applications_open_at": "2027-03-01",
    "applications_open_at_time": "10:00",
    "applications_close_at": "2027-04-01",
    "applications_close_at_time": "12:00",
    "edits_close_at": "",
    "edits_close_at_time": "",
    "max_children": "5",
}


async def test_the_owner_saves_the_settings_in_copenhagen_time(client):
    owner = await make_organiser()
    camp, _, _ = await owned_camp(owner)
    await sign_in(client, owner)
    url = f"/en/organiser/camps/{camp.event_id}/settings"
    response = await post_form(client, url, FORM)
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}?done=settings-saved"
    stored = await Camp.get(id=camp.id)
    assert stored.allocation == LOTTERY and stored.max_children == 5
    assert stored.applications_open_at == datetime(2027, 3, 1, 10, 0, tzinfo=LOCAL)
    assert stored.edits_close_at is None
    page = (await client.get(response.headers["location"])).text
    assert "The camp settings were saved." in page
    assert 'value="2027-04-01"' in page and 'value="12:00"' in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"applications_close_at": "2027-02-01"}, "applications_close_at"),
        ({"applications_open_at": "2027-02-30"}, "applications_open_at"),
        ({"max_children": "seven"}, "max_children"),
        ({"max_children": "7"}, "max_children"),
        ({"allocation": "raffle"}, "allocation"),
    ],
)
async def test_the_form_comes_back_with_errors_and_what_was_typed(client, changes, field):
    owner = await make_organiser()
    camp, _, _ = await owned_camp(owner)
    await sign_in(client, owner)
    response = await post_form(
        client, f"/en/organiser/camps/{camp.event_id}/settings", {**FORM, **changes}
    )
    assert response.status_code == 400
    assert f'href="#f-{field}"' in response.text  # the error summary links to the field
    assert 'aria-invalid="true"' in response.text or field == "allocation"
    for value in changes.values():
        if field != "allocation":
            assert f'value="{value}"' in response.text
    assert (await Camp.get(id=camp.id)).allocation == FIRST_COME


async def test_changing_the_rule_after_applications_says_why(client):
    owner = await make_organiser()
    camp, (week, *_), _ = await owned_camp(owner)
    await make_child(await make_family(camp), week)
    await sign_in(client, owner)
    response = await post_form(client, f"/en/organiser/camps/{camp.event_id}/settings", FORM)
    assert response.status_code == 409
    assert "the allocation rule can no longer be changed" in response.text
    assert 'role="alert"' in response.text


async def test_an_organiser_who_does_not_run_the_camp_cannot_change_it(client):
    camp, _, _ = await owned_camp(await make_organiser())
    await sign_in(client, await make_organiser())
    url = f"/en/organiser/camps/{camp.event_id}/settings"
    assert (await client.get(url)).status_code == 403
    assert (await post_form(client, url, FORM)).status_code == 403
    assert (await Camp.get(id=camp.id)).allocation == FIRST_COME
