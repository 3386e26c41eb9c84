"""Organisers keep the shared list of venues: address, map and accessibility."""

from __future__ import annotations

from events.models import Venue
from tests.client_helpers import post_form, sign_in
from tests.factories import make_organiser, make_venue
from venskab.models import Role


def venue_form(**values: str) -> dict[str, str]:
    form = {
        "name": "Kulturhuset Islands Brygge",
        "address": "Islands Brygge 18, 2300 København S",
        "slug": "",
        "map_url": "https://www.openstreetmap.org/?mlat=55.66&mlon=12.57",
        "step_free": "on",
        "notes_en": "Lift to all floors.",
        "notes_uk": "Ліфт на всі поверхи.",
        "notes_da": "",
    }
    return {**form, **values}


async def test_organiser_creates_a_venue_with_notes_per_language(client):
    await sign_in(client, await make_organiser())
    response = await post_form(client, "/en/organiser/venues/new", venue_form())
    assert response.status_code == 303
    assert response.headers["location"] == "/en/organiser/venues?done=venue-saved"
    venue = await Venue.get(slug="kulturhuset-islands-brygge")
    assert venue.step_free and not venue.hearing_loop
    assert venue.accessibility_notes == {"en": "Lift to all floors.", "uk": "Ліфт на всі поверхи."}
    listing = await client.get(response.headers["location"])
    assert "Kulturhuset Islands Brygge" in listing.text
    assert "The venue was saved." in listing.text


async def test_editing_a_venue_can_untick_its_hearing_loop(client):
    venue = await make_venue(hearing_loop=True)
    await sign_in(client, await make_organiser())
    page = await client.get(f"/en/organiser/venues/{venue.id}/edit")
    assert 'name="hearing_loop" type="checkbox" value="on" checked' in page.text
    response = await post_form(
        client, f"/en/organiser/venues/{venue.id}/edit", venue_form(slug=venue.slug)
    )
    assert response.status_code == 303
    assert not (await Venue.get(id=venue.id)).hearing_loop


async def test_invalid_venue_is_a_400_with_values_kept(client):
    await sign_in(client, await make_organiser())
    response = await post_form(
        client,
        "/en/organiser/venues/new",
        venue_form(name="", address="Somewhere 1", map_url="http://insecure.example/map"),
    )
    assert response.status_code == 400
    assert "Enter the venue's name." in response.text
    assert "Use an https:// address." in response.text
    assert 'value="Somewhere 1"' in response.text
    assert 'value="http://insecure.example/map"' in response.text
    assert await Venue.all().count() == 0


async def test_venue_address_already_taken_is_a_field_error(client):
    await make_venue(slug="kulturhuset-islands-brygge")
    await sign_in(client, await make_organiser())
    response = await post_form(client, "/en/organiser/venues/new", venue_form())
    assert response.status_code == 400
    assert "Another venue already uses this address." in response.text


async def test_camp_staff_cannot_change_venues(client):
    venue = await make_venue()
    await sign_in(client, await make_organiser(role=Role.CAMP_STAFF))
    response = await post_form(
        client, f"/en/organiser/venues/{venue.id}/edit", venue_form(name="Taken over")
    )
    assert response.status_code == 403
    assert (await Venue.get(id=venue.id)).name == venue.name
