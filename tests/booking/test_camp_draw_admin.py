"""The lottery from the organiser pages: after the window closes the camp's organiser runs the
draw with a seed (a random one suggested), once; admins read each recorded draw (seed, input
hash, the result in draw order with ids, never names)."""

from __future__ import annotations

import re
from datetime import timedelta

from tortoise import timezone

from booking.models import AllocationRule, ApplicationStatus, Camp, CampDraw, Child
from tests.booking.test_camp_staff_support import make_child, make_family, owned_camp, signed_in
from tests.client_helpers import post_form, sign_in
from tests.factories import make_organiser
from venskab.models import AuditEntry, OutboxMessage, Role


async def closed_lottery(owner=None, *, closes=timedelta(hours=-1), families: int = 3):
    """A lottery camp whose window closed an hour ago, with families waiting for the draw."""
    camp, sessions, _ = await owned_camp(
        owner,
        allocation=AllocationRule.LOTTERY,
        opens=timedelta(days=-10),
        applications_close_at=timezone.now() + closes,
    )
    young = sessions[0]
    children = []
    for n in range(families):
        family = await make_family(camp, status=ApplicationStatus.SUBMITTED)
        children.append(await make_child(family, None, preferences=[young], name=f"Lot Child {n}"))
    return camp, sessions, children


def seed_suggested(page: str) -> str:
    match = re.search(r'id="f-seed" name="seed" type="text" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


async def test_the_organiser_runs_the_draw_once_with_a_seed(client):
    owner = await make_organiser()
    camp, _, children = await closed_lottery(owner)
    await sign_in(client, owner)
    url = f"/en/organiser/camps/{camp.event_id}/draw"
    page = (await client.get(url)).text
    assert len(seed_suggested(page)) >= 8  # a random suggestion, different each time
    assert seed_suggested((await client.get(url)).text) != seed_suggested(page)
    response = await post_form(client, url, {"seed": "open meeting 2027-06-02: 4711"})
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/en/organiser/camps/{camp.event_id}/applications?done=drawn"
    )
    record = await CampDraw.get(camp_id=camp.id)
    assert record.seed == "open meeting 2027-06-02: 4711"
    assert record.drawn_by == owner.email and record.applications == 3
    assert all([c.registration_id for c in await Child.filter(id__in=[c.id for c in children])])
    entry = await AuditEntry.get(action="camp-draw-run")
    assert entry.detail == {"draw": record.id, "applications": 3}
    assert await OutboxMessage.filter(template="camp/result").count() == 3
    again = await post_form(client, url, {"seed": "another"})
    assert again.status_code == 409 and "only once" in again.text
    assert await CampDraw.filter(camp_id=camp.id).count() == 1


async def test_before_the_window_closes_there_is_no_draw_button(client):
    owner = await make_organiser()
    camp, _, _ = await closed_lottery(owner, closes=timedelta(days=1))
    await sign_in(client, owner)
    url = f"/en/organiser/camps/{camp.event_id}/draw"
    page = (await client.get(url)).text
    assert "after the application window has closed" in page and 'name="seed"' not in page
    assert (await post_form(client, url, {"seed": "early"})).status_code == 409
    assert not await CampDraw.exists()
    assert (await Camp.get(id=camp.id)).drawn_at is None


async def test_an_empty_seed_is_asked_for_again(client):
    owner = await make_organiser()
    camp, _, _ = await closed_lottery(owner)
    await sign_in(client, owner)
    response = await post_form(client, f"/en/organiser/camps/{camp.event_id}/draw", {"seed": " "})
    assert response.status_code == 400
    assert 'href="#f-seed"' in response.text
    assert not await CampDraw.exists()


async def test_a_first_come_camp_has_no_draw(client):
    owner = await make_organiser()
    camp, _, _ = await owned_camp(owner)
    await sign_in(client, owner)
    page = (await client.get(f"/en/organiser/camps/{camp.event_id}/draw")).text
    assert "there is no draw" in page and 'name="seed"' not in page


async def test_admins_read_each_draw_with_ids_and_never_names(client):
    owner = await make_organiser()
    camp, _, children = await closed_lottery(owner)
    await sign_in(client, owner)
    await post_form(client, f"/en/organiser/camps/{camp.event_id}/draw", {"seed": "s-1"})
    record = await CampDraw.get(camp_id=camp.id)
    assert (await client.get(f"/en/organiser/camps/{camp.event_id}/draws")).status_code == 403
    client.cookies.clear()
    await signed_in(client, Role.ADMIN)
    listing = (await client.get(f"/en/organiser/camps/{camp.event_id}/draws")).text
    assert "s-1" in listing and record.input_hash in listing and owner.email in listing
    detail_url = f"/en/organiser/camps/{camp.event_id}/draws/{record.id}"
    assert f'href="{detail_url}"' in listing
    detail = (await client.get(detail_url)).text
    assert record.input_hash in detail and "s-1" in detail
    order = [entry["application"] for entry in record.result]
    cells = re.findall(r'<th scope="row">(\d+)</th>\s*<td>(\d+)</td>', detail)
    assert [int(application) for _, application in cells] == order
    assert "Children placed" in detail
    assert not any(child.name in detail for child in children)
    other, _, _ = await owned_camp()
    wrong = f"/en/organiser/camps/{other.event_id}/draws/{record.id}"
    assert (await client.get(wrong)).status_code == 404
