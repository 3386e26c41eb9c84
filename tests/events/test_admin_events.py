"""Organisers create, edit, publish and cancel events through the organiser pages."""

from __future__ import annotations

import re

from events.models import Category, Event, EventStatus, EventText, Occurrence
from tests.client_helpers import post_form, sign_in
from tests.factories import make_event, make_occurrence, make_organiser
from venskab.models import Role


def event_form(**values: str) -> dict[str, str]:
    """A valid new-event form; tests override what their rule is about."""
    form = {
        "slug": "kyiv-film-night",
        "category": "film",
        "audience": "everyone",
        "spoken_language": "uk",
        "subtitles_language": "da",
        "poster_url": "",
        "price": "50,00",
        "title_en": "Kyiv film night",
        "summary_en": "A film from Kyiv.",
        "description_en": "First paragraph.\n\nSecond paragraph.",
        "title_uk": "Київський кіновечір",
        "title_da": "",
    }
    return {**form, **values}


def created_event_id(response) -> int:
    assert response.status_code == 303, response.text
    match = re.search(r"/organiser/events/(\d+)\?done=created$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


async def signed_in_organiser(client, role: Role = Role.ORGANISER, lang: str = "en"):
    organiser = await make_organiser(role=role)
    await sign_in(client, organiser, lang=lang)
    return organiser


async def test_created_event_is_a_draft_owned_by_its_organiser(client):
    organiser = await signed_in_organiser(client)
    event_id = created_event_id(await post_form(client, "/en/organiser/events/new", event_form()))
    event = await Event.get(id=event_id)
    assert event.status == EventStatus.DRAFT
    assert event.owner_id == organiser.id
    assert event.price_ore == 5000
    assert event.category == Category.FILM
    texts = {text.language: text for text in await EventText.filter(event=event)}
    assert set(texts) == {"en", "uk"}  # an empty language is not stored
    assert texts["uk"].title == "Київський кіновечір"
    assert texts["en"].description == "First paragraph.\n\nSecond paragraph."


async def test_create_publish_shows_in_programme_and_unpublish_hides_it(client):
    await signed_in_organiser(client)
    event_id = created_event_id(await post_form(client, "/en/organiser/events/new", event_form()))
    await make_occurrence(await Event.get(id=event_id))
    assert "Kyiv film night" not in (await client.get("/en/programme")).text

    published = await post_form(
        client, f"/en/organiser/events/{event_id}/status", {"status": "published"}
    )
    assert published.status_code == 303
    assert published.headers["location"] == f"/en/organiser/events/{event_id}?done=published"
    assert "Kyiv film night" in (await client.get("/en/programme")).text

    await post_form(client, f"/en/organiser/events/{event_id}/status", {"status": "draft"})
    assert (await Event.get(id=event_id)).status == EventStatus.DRAFT
    assert "Kyiv film night" not in (await client.get("/en/programme")).text


async def test_notice_after_publishing_is_shown_on_the_event_page(client):
    organiser = await signed_in_organiser(client)
    event = await make_event(owner=organiser, status=EventStatus.DRAFT)
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/status", {"status": "published"}
    )
    page = await client.get(response.headers["location"])
    assert "The event is published" in page.text
    assert 'role="status"' in page.text


async def test_unknown_status_is_refused_with_400(client):
    organiser = await signed_in_organiser(client)
    event = await make_event(owner=organiser, status=EventStatus.DRAFT)
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/status", {"status": "deleted"}
    )
    assert response.status_code == 400
    assert (await Event.get(id=event.id)).status == EventStatus.DRAFT


async def test_cancelling_an_event_is_confirmed_first_and_keeps_it_listed(client):
    organiser = await signed_in_organiser(client)
    event = await make_event(owner=organiser, texts={"en": "Noise workshop"})
    await make_occurrence(event)
    confirm = await client.get(f"/en/organiser/events/{event.id}/cancel")
    assert confirm.status_code == 200
    assert (await Event.get(id=event.id)).status == EventStatus.PUBLISHED  # GET changes nothing
    response = await post_form(client, f"/en/organiser/events/{event.id}/cancel")
    assert response.status_code == 303
    assert (await Event.get(id=event.id)).status == EventStatus.CANCELLED
    public = await client.get(f"/en/events/{event.slug}")
    assert "This event has been cancelled." in public.text


async def test_publishing_raises_every_occurrence_sequence_for_calendars(client):
    organiser = await signed_in_organiser(client)
    event = await make_event(owner=organiser, status=EventStatus.DRAFT)
    occurrence = await make_occurrence(event)
    await post_form(client, f"/en/organiser/events/{event.id}/status", {"status": "published"})
    assert (await Occurrence.get(id=occurrence.id)).sequence == occurrence.sequence + 1


async def test_organiser_cannot_edit_another_organisers_event(client):
    other = await make_organiser()
    event = await make_event(owner=other, texts={"en": "Not yours"})
    await signed_in_organiser(client)
    assert (await client.get(f"/en/organiser/events/{event.id}")).status_code == 403
    assert (await client.get(f"/en/organiser/events/{event.id}/edit")).status_code == 403
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/edit", event_form(slug=event.slug)
    )
    assert response.status_code == 403
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/status", {"status": "draft"}
    )
    assert response.status_code == 403
    assert (await client.get(f"/en/organiser/events/{event.id}/dates/new")).status_code == 403
    unchanged = await Event.get(id=event.id)
    assert unchanged.status == EventStatus.PUBLISHED
    assert (await EventText.get(event=event, language="en")).title == "Not yours"


async def test_organiser_cannot_change_another_organisers_dates(client):
    occurrence = await make_occurrence(await make_event(owner=await make_organiser()))
    await signed_in_organiser(client)
    assert (await client.get(f"/en/organiser/dates/{occurrence.id}/edit")).status_code == 403
    response = await post_form(client, f"/en/organiser/dates/{occurrence.id}/cancel")
    assert response.status_code == 403
    assert (await Occurrence.get(id=occurrence.id)).status == "scheduled"


async def test_event_list_shows_organisers_only_their_own_events(client):
    organiser = await signed_in_organiser(client)
    await make_event(owner=organiser, texts={"en": "My exhibition"})
    await make_event(owner=await make_organiser(), texts={"en": "Someone else's film"})
    page = await client.get("/en/organiser/events")
    assert page.status_code == 200
    assert "My exhibition" in page.text
    assert "Someone else" not in page.text


async def test_admin_sees_every_event_with_status_and_next_date(client):
    await signed_in_organiser(client, Role.ADMIN)
    draft = await make_event(owner=await make_organiser(), texts={"en": "Draft talk"})
    draft.status = EventStatus.DRAFT
    await draft.save()
    await make_occurrence(draft)
    await make_event(texts={"en": "Ownerless film"}, status=EventStatus.CANCELLED)
    page = (await client.get("/en/organiser/events")).text
    assert "Draft talk" in page
    assert "Ownerless film" in page
    assert "Draft" in page
    assert "Cancelled" in page
    assert "No upcoming date" in page  # the cancelled film has no dates


async def test_editing_keeps_texts_in_each_language(client):
    organiser = await signed_in_organiser(client)
    event = await make_event(owner=organiser, texts={"en": "Old title", "uk": "Стара назва"})
    form = await client.get(f"/en/organiser/events/{event.id}/edit")
    assert 'value="Стара назва"' in form.text
    response = await post_form(
        client,
        f"/en/organiser/events/{event.id}/edit",
        event_form(slug=event.slug, title_en="New title", title_uk="", title_da="Ny titel"),
    )
    assert response.status_code == 303
    texts = {text.language: text.title for text in await EventText.filter(event=event)}
    assert texts == {"en": "New title", "da": "Ny titel"}


async def test_validation_errors_rerender_the_form_with_400_and_values_kept(client):
    await signed_in_organiser(client)
    response = await post_form(
        client,
        "/en/organiser/events/new",
        event_form(slug="Not A Slug", title_en="", title_uk="", summary_en="Kept summary"),
    )
    assert response.status_code == 400
    page = response.text
    assert 'value="Not A Slug"' in page
    assert "Kept summary" in page
    assert 'value="50,00"' in page
    assert 'class="notice notice-error error-summary" role="alert"' in page
    # Each failing field is marked and points at its message.
    assert re.search(r'id="f-slug"[^>]*aria-describedby="f-slug-hint f-slug-error"', page)
    assert re.search(r'id="f-slug"[^>]*aria-invalid="true"', page)
    assert 'id="f-slug-error"' in page
    assert 'class="field field-error"' in page
    assert 'href="#f-title_uk"' in page  # the summary links to the field
    assert 'aria-invalid="true"' in page.split('id="f-title_uk"')[1].split(">")[0]
    assert await Event.all().count() == 0


async def test_bad_price_is_a_400_with_the_form_not_a_500(client):
    await signed_in_organiser(client)
    for price in ("abc", "-5", "50,123", "99999999999"):
        response = await post_form(client, "/en/organiser/events/new", event_form(price=price))
        assert response.status_code == 400, price
        assert f'value="{price}"' in response.text
        assert "Enter an amount in kroner" in response.text
    assert await Event.all().count() == 0


async def test_price_accepts_danish_and_english_notation(client):
    await signed_in_organiser(client)
    for n, (typed, ore) in enumerate(
        [("50", 5000), ("50,50", 5050), ("50.5", 5050), ("1.500", 150000), ("", 0)]
    ):
        form = event_form(slug=f"price-{n}", price=typed)
        event_id = created_event_id(await post_form(client, "/en/organiser/events/new", form))
        assert (await Event.get(id=event_id)).price_ore == ore, typed


async def test_event_without_any_title_is_refused(client):
    await signed_in_organiser(client)
    response = await post_form(
        client, "/en/organiser/events/new", event_form(title_en="", title_uk="", summary_en="")
    )
    assert response.status_code == 400
    assert "Give the event a title in at least one language." in response.text


async def test_empty_address_is_made_from_the_title(client):
    await signed_in_organiser(client)
    form = event_form(
        slug="", title_en="", summary_en="", description_en="", title_uk="Київ: літній табір"
    )
    event_id = created_event_id(await post_form(client, "/en/organiser/events/new", form))
    assert (await Event.get(id=event_id)).slug == "kyiv-litnii-tabir"


async def test_address_already_taken_is_a_field_error(client):
    await make_event(slug="kyiv-film-night")
    await signed_in_organiser(client)
    response = await post_form(client, "/en/organiser/events/new", event_form())
    assert response.status_code == 400
    assert "Another event already uses this address." in response.text


async def test_overlong_text_is_a_400_not_a_database_error(client):
    await signed_in_organiser(client)
    response = await post_form(
        client, "/en/organiser/events/new", event_form(poster_alt_en="x" * 301)
    )
    assert response.status_code == 400
    assert await Event.all().count() == 0


async def test_admin_can_hand_an_event_to_another_organiser(client):
    await signed_in_organiser(client, Role.ADMIN)
    colleague = await make_organiser()
    event = await make_event()
    response = await post_form(
        client,
        f"/en/organiser/events/{event.id}/edit",
        event_form(slug=event.slug, owner=str(colleague.id)),
    )
    assert response.status_code == 303
    assert (await Event.get(id=event.id)).owner_id == colleague.id


async def test_camp_staff_cannot_own_events(client):
    await signed_in_organiser(client, Role.ADMIN)
    staff = await make_organiser(role=Role.CAMP_STAFF)
    response = await post_form(client, "/en/organiser/events/new", event_form(owner=str(staff.id)))
    assert response.status_code == 400
    assert "Choose an organiser from the list." in response.text


async def test_organiser_cannot_give_their_event_away(client):
    organiser = await signed_in_organiser(client)
    other = await make_organiser()
    event_id = created_event_id(
        await post_form(client, "/en/organiser/events/new", event_form(owner=str(other.id)))
    )
    assert (await Event.get(id=event_id)).owner_id == organiser.id


async def test_event_form_is_served_in_each_language(client):
    await signed_in_organiser(client, lang="uk")
    for lang in ("uk", "da", "en"):
        page = await client.get(f"/{lang}/organiser/events/new")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
        for code in ("uk", "da", "en"):
            assert f'<fieldset lang="{code}" class="language-texts">' in page.text


async def test_admin_editing_an_ownerless_event_keeps_it_ownerless(client):
    await signed_in_organiser(client, Role.ADMIN)
    event = await make_event(owner=None)
    form = await client.get(f"/en/organiser/events/{event.id}/edit")
    owner_select = form.text.split('name="owner"')[1].split("</select>")[0]
    assert "selected" not in owner_select  # so the blank first option, "nobody", is shown
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/edit", event_form(slug=event.slug, owner="")
    )
    assert response.status_code == 303
    assert (await Event.get(id=event.id)).owner_id is None
