"""The organiser start page: links by role, and the organiser's next dates with capacity."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from events.models import EventStatus
from tests.client_helpers import sign_in
from tests.factories import make_event, make_occurrence, make_organiser
from venskab.models import Role


async def test_organiser_sees_their_own_next_dates_with_capacity(client):
    organiser = await make_organiser()
    mine = await make_event(owner=organiser, texts={"en": "My workshop"})
    await make_occurrence(mine, capacity=35)
    draft = await make_event(owner=organiser, texts={"en": "My draft"}, status=EventStatus.DRAFT)
    await make_occurrence(draft, capacity=None)
    past = await make_event(owner=organiser, texts={"en": "Last year's film"})
    await make_occurrence(past, starts_at=timezone.now() - timedelta(days=300))
    others = await make_event(owner=await make_organiser(), texts={"en": "Their concert"})
    await make_occurrence(others)
    await sign_in(client, organiser)
    page = (await client.get("/en/organiser/")).text
    assert "My workshop" in page
    assert "35 places" in page
    assert "My draft" in page  # dates are prepared before publishing
    assert "Drop-in, no registration" in page
    assert "Last year" not in page
    assert "Their concert" not in page
    assert "/en/organiser/accounts" not in page  # accounts are for admins


async def test_admin_start_page_covers_every_event_and_links_to_accounts(client):
    admin = await make_organiser(role=Role.ADMIN)
    await make_occurrence(await make_event(owner=await make_organiser(), texts={"en": "A talk"}))
    await sign_in(client, admin)
    page = (await client.get("/en/organiser/")).text
    assert "A talk" in page
    assert 'href="/en/organiser/accounts"' in page


async def test_cancelled_dates_are_not_coming_up(client):
    organiser = await make_organiser()
    event = await make_event(owner=organiser, texts={"en": "Called off"})
    await make_occurrence(event, status="cancelled")
    await sign_in(client, organiser)
    page = (await client.get("/en/organiser/")).text
    assert "Called off" not in page
    assert "None of your events has an upcoming date." in page


async def test_start_page_speaks_the_language_of_the_url(client):
    organiser = await make_organiser()
    await sign_in(client, organiser, lang="uk")
    for lang in ("uk", "da", "en"):
        page = await client.get(f"/{lang}/organiser/")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
