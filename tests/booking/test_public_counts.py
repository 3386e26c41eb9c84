"""Seat counts where people look: the event page and the API."""

from __future__ import annotations

from tortoise import timezone

from booking.registrations import register
from tests.factories import make_occurrence, registration_form


async def test_event_page_says_places_left_then_full_with_waitlist(client):
    occurrence = await make_occurrence(capacity=3, max_seats_per_registration=3)
    slug = (await occurrence.event).slug
    await register(occurrence.id, registration_form(seats=2), timezone.now())
    assert "1 place left" in (await client.get(f"/en/events/{slug}")).text
    await register(occurrence.id, registration_form(seats=1), timezone.now())
    page = (await client.get(f"/en/events/{slug}")).text
    assert "Full – join the waitlist" in page
    assert "місць немає" in (await client.get(f"/uk/events/{slug}")).text.lower()


async def test_api_occurrence_reports_confirmed_held_waitlisted_available(client):
    occurrence = await make_occurrence(capacity=3, max_seats_per_registration=3)
    now = timezone.now()
    await register(occurrence.id, registration_form(seats=2), now)
    await register(occurrence.id, registration_form(seats=3), now)
    body = (await client.get(f"/api/occurrences/{occurrence.id}")).json()
    assert body["capacity"] == 3
    assert (body["confirmed"], body["held"], body["waitlisted"]) == (2, 0, 3)
    assert body["available"] == 0
