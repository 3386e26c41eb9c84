"""Organisers add, edit and cancel the dates (occurrences) of their events."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from events.models import Category, Occurrence, OccurrenceStatus
from tests.client_helpers import post_form, sign_in
from tests.factories import make_event, make_occurrence, make_organiser, make_venue


def date_form(venue_id: int | str = "", **values: str) -> dict[str, str]:
    form = {
        "venue": str(venue_id),
        "starts_at": "2027-07-05",
        "starts_at_time": "19:00",
        "ends_at": "",
        "ends_at_time": "21:30",
        "capacity": "40",
        "max_seats_per_registration": "4",
        "waitlist_enabled": "on",
        "registration_opens_at": "",
        "registration_opens_at_time": "",
        "registration_closes_at": "",
        "registration_closes_at_time": "",
    }
    return {**form, **values}


async def own_event(client, **values):
    organiser = await make_organiser()
    await sign_in(client, organiser)
    return await make_event(owner=organiser, **values)


async def test_date_is_entered_in_copenhagen_time_and_stored_in_utc(client):
    event = await own_event(client)
    venue = await make_venue()
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/dates/new", date_form(venue.id)
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/en/organiser/events/{event.id}?done=date-added"
    occurrence = await Occurrence.get(event=event)
    # July: Copenhagen is UTC+2; an empty end date means the day it starts.
    assert occurrence.starts_at == datetime(2027, 7, 5, 17, 0, tzinfo=UTC)
    assert occurrence.ends_at == datetime(2027, 7, 5, 19, 30, tzinfo=UTC)
    assert occurrence.venue_id == venue.id
    assert occurrence.capacity == 40
    assert occurrence.waitlist_enabled is True


async def test_winter_date_uses_winter_time(client):
    event = await own_event(client)
    await post_form(
        client,
        f"/en/organiser/events/{event.id}/dates/new",
        date_form(starts_at="2027-01-12", starts_at_time="10:00", ends_at_time="12:00"),
    )
    occurrence = await Occurrence.get(event=event)
    assert occurrence.starts_at == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


async def test_all_day_exhibition_needs_only_days(client):
    event = await own_event(client, category=Category.EXHIBITION)
    form = date_form(
        starts_at="2027-06-01",
        starts_at_time="",
        ends_at="2027-06-30",
        ends_at_time="",
        all_day="on",
        capacity="",
    )
    response = await post_form(client, f"/en/organiser/events/{event.id}/dates/new", form)
    assert response.status_code == 303, response.text
    occurrence = await Occurrence.get(event=event)
    assert occurrence.all_day
    assert occurrence.capacity is None  # drop-in
    # From local midnight of the first day to local midnight after the last (exclusive end).
    assert occurrence.starts_at == datetime(2027, 5, 31, 22, 0, tzinfo=UTC)
    assert occurrence.ends_at == datetime(2027, 6, 30, 22, 0, tzinfo=UTC)
    # The edit form shows the last day, not the exclusive end.
    page = await client.get(f"/en/organiser/dates/{occurrence.id}/edit")
    assert 'name="ends_at" type="date" value="2027-06-30"' in page.text


async def test_registration_window_is_stored(client):
    event = await own_event(client)
    form = date_form(
        registration_opens_at="2027-06-01",
        registration_opens_at_time="09:00",
        registration_closes_at="2027-07-04",
        registration_closes_at_time="23:59",
    )
    await post_form(client, f"/en/organiser/events/{event.id}/dates/new", form)
    occurrence = await Occurrence.get(event=event)
    assert occurrence.registration_opens_at == datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
    assert occurrence.registration_closes_at == datetime(2027, 7, 4, 21, 59, tzinfo=UTC)


async def test_unreadable_dates_and_numbers_are_400_with_messages(client):
    event = await own_event(client)
    cases = [
        ({"starts_at": "tomorrow"}, "Enter a real date"),
        ({"starts_at": "2027-02-30"}, "Enter a real date"),
        ({"starts_at": "0001-01-01"}, "Enter a real date"),
        ({"starts_at": ""}, "Enter a date"),
        ({"starts_at_time": "25:00"}, "Enter a real time"),
        ({"starts_at_time": ""}, "Enter a time as well"),
        ({"capacity": "-5"}, "Enter a whole number"),
        ({"capacity": "lots"}, "Enter a whole number"),
        ({"capacity": "99999999999999999999"}, "Enter a whole number"),
        ({"max_seats_per_registration": "2.5"}, "Enter a whole number"),
        ({"venue": "not-a-number"}, "Enter a whole number"),
        ({"registration_opens_at_time": "09:00"}, "Enter a date"),
    ]
    for values, message in cases:
        response = await post_form(
            client, f"/en/organiser/events/{event.id}/dates/new", date_form(**values)
        )
        assert response.status_code == 400, values
        assert message in response.text, values
        for name, typed in values.items():
            if name != "venue":  # a select can only show the venues there are
                kept = f'name="{name}" type="[a-z]+" value="{re.escape(typed)}"'
                assert re.search(kept, response.text), values
    assert await Occurrence.filter(event=event).count() == 0


async def test_end_before_start_is_refused(client):
    event = await own_event(client)
    response = await post_form(
        client,
        f"/en/organiser/events/{event.id}/dates/new",
        date_form(ends_at_time="18:00"),
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.text
    assert 'id="f-ends_at-error"' in response.text


async def test_rules_of_the_service_show_as_field_errors(client):
    event = await own_event(client)
    cases = [
        ({"capacity": "0"}, "Enter a capacity from 1 to 100,000"),
        ({"max_seats_per_registration": "0"}, "Enter a number from 1 to 50."),
        ({"venue": "999999"}, "Choose a venue from the list."),
        (
            {
                "registration_opens_at": "2027-06-02",
                "registration_opens_at_time": "09:00",
                "registration_closes_at": "2027-06-01",
                "registration_closes_at_time": "09:00",
            },
            "Registration must close after it opens.",
        ),
    ]
    for values, message in cases:
        response = await post_form(
            client, f"/en/organiser/events/{event.id}/dates/new", date_form(**values)
        )
        assert response.status_code == 400, values
        assert message in response.text, values


async def test_camp_session_has_ages_and_its_own_fee(client):
    event = await own_event(client, category=Category.CAMP)
    form = date_form(min_age="8", max_age="12", fee="1.500,00", capacity="30")
    page = await client.get(f"/en/organiser/events/{event.id}/dates/new")
    assert 'name="min_age"' in page.text
    response = await post_form(client, f"/en/organiser/events/{event.id}/dates/new", form)
    assert response.status_code == 303, response.text
    occurrence = await Occurrence.get(event=event)
    assert (occurrence.min_age, occurrence.max_age, occurrence.fee_ore) == (8, 12, 150000)


async def test_camp_ages_out_of_order_are_refused(client):
    event = await own_event(client, category=Category.CAMP)
    response = await post_form(
        client,
        f"/en/organiser/events/{event.id}/dates/new",
        date_form(min_age="12", max_age="8"),
    )
    assert response.status_code == 400
    assert "The maximum age cannot be below the minimum age." in response.text


async def test_camp_fee_and_ages_must_be_readable(client):
    event = await own_event(client, category=Category.CAMP)
    for values, message in [
        ({"fee": "abc"}, "Enter an amount in kroner"),
        ({"fee": "-100"}, "Enter an amount in kroner"),
        ({"min_age": "100"}, "Enter a whole number"),
    ]:
        response = await post_form(
            client, f"/en/organiser/events/{event.id}/dates/new", date_form(**values)
        )
        assert response.status_code == 400, values
        assert message in response.text, values
    assert await Occurrence.filter(event=event).count() == 0


async def test_non_camp_events_have_no_age_fields(client):
    event = await own_event(client, category=Category.FILM)
    page = await client.get(f"/en/organiser/events/{event.id}/dates/new")
    assert 'name="min_age"' not in page.text
    await post_form(
        client, f"/en/organiser/events/{event.id}/dates/new", date_form(min_age="8", fee="100")
    )
    occurrence = await Occurrence.get(event=event)
    assert occurrence.min_age is None and occurrence.fee_ore is None


async def test_editing_a_date_raises_its_sequence_for_calendars(client):
    event = await own_event(client)
    occurrence = await make_occurrence(event, capacity=10)
    page = await client.get(f"/en/organiser/dates/{occurrence.id}/edit")
    assert 'value="10"' in page.text
    response = await post_form(
        client,
        f"/en/organiser/dates/{occurrence.id}/edit",
        date_form(occurrence.venue_id, capacity="25"),
    )
    assert response.status_code == 303
    saved = await Occurrence.get(id=occurrence.id)
    assert saved.capacity == 25
    assert saved.sequence == occurrence.sequence + 1


async def test_cancelling_a_date_is_confirmed_and_keeps_it_visible(client):
    event = await own_event(client, texts={"en": "Pocket parks"})
    occurrence = await make_occurrence(event, starts_at=datetime.now(UTC) + timedelta(days=5))
    confirm = await client.get(f"/en/organiser/dates/{occurrence.id}/cancel")
    assert confirm.status_code == 200
    assert (await Occurrence.get(id=occurrence.id)).status == OccurrenceStatus.SCHEDULED
    response = await post_form(client, f"/en/organiser/dates/{occurrence.id}/cancel")
    assert response.status_code == 303
    cancelled = await Occurrence.get(id=occurrence.id)
    assert cancelled.status == OccurrenceStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert "Cancelled" in (await client.get(f"/en/events/{event.slug}")).text


async def test_unknown_date_is_404(client):
    await own_event(client)
    assert (await client.get("/en/organiser/dates/987654/edit")).status_code == 404
    assert (await client.get("/en/organiser/events/987654")).status_code == 404


async def test_missing_start_time_does_not_blame_the_empty_end_date(client):
    event = await own_event(client)
    response = await post_form(
        client, f"/en/organiser/events/{event.id}/dates/new", date_form(starts_at_time="")
    )
    assert response.status_code == 400
    assert 'id="f-starts_at-error"' in response.text
    assert 'id="f-ends_at-error"' not in response.text
