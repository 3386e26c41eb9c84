"""The manage page behind the secret link: what it shows, cancelling, confirming an offer,
the .ics, the personal feed and "download my data"; forged links are 404."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from icalendar import Calendar
from tortoise import timezone

from booking import registrations, tokens
from booking.models import Registration, RegistrationStatus
from events.feeds import occurrence_uid
from tests.booking.test_pages_support import register, token_of
from tests.client_helpers import post_form
from tests.factories import make_event, make_occurrence, registration_form
from venskab.models import OutboxMessage
from venskab.settings import BASE_URL

Status = RegistrationStatus
HOST = BASE_URL.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]


async def registration_of(manage_path: str) -> Registration:
    return await tokens.by_manage_token(token_of(manage_path))


def uids(body: bytes) -> set[str]:
    return {str(event["UID"]) for event in Calendar.from_ical(body).walk("VEVENT")}


# ---------------------------------------------------------------- the page


async def test_the_manage_page_shows_the_booking_and_keeps_its_address_private(client):
    event = await make_event(texts={"uk": "Кінопоказ «Тихі думки»", "en": "Quiet Thoughts"})
    occurrence = await make_occurrence(event, capacity=10)
    manage = await register(client, occurrence.id, seats="2", phone="+45 12 34 56 78")
    response = await client.get(manage)
    assert response.status_code == 200
    page = response.text
    assert "Кінопоказ «Тихі думки»" in page
    assert (await occurrence.venue).name in page
    assert "+45 12 34 56 78" in page
    assert '<svg role="img"' in page and "<title>" in page  # the check-in code
    token = token_of(manage)
    for link in (f"/uk/bookings/{token}/booking.ics", f"/uk/bookings/{token}/data.json"):
        assert f'href="{link}"' in page
    assert f"/uk/calendar/mine/{token}.ics" in page
    assert f'href="/uk/bookings/{token}/cancel"' in page
    assert "calendar.google.com" in page and "outlook.live.com" in page
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_the_page_speaks_the_readers_language(client):
    occurrence = await make_occurrence(capacity=10)
    manage = await register(client, occurrence.id, "en", seats="2")
    page = (await client.get(manage)).text
    assert "You are registered" in page and "2 places are confirmed for you." in page


@pytest.mark.parametrize("suffix", ["", "/booking.ics", "/data.json", "/cancel"])
async def test_forged_and_unknown_links_are_not_found(client, suffix):
    occurrence = await make_occurrence(capacity=10)
    real = token_of(await register(client, occurrence.id))
    registration_id, mac = real.split("-", 1)
    forged = [
        f"{registration_id}-{'A' * 32}",
        f"{int(registration_id) + 1}-{mac}",
        "nonsense",
        f"{'9' * 12}-{mac}",
    ]
    for token in forged:
        assert (await client.get(f"/uk/bookings/{token}{suffix}")).status_code == 404, token
    assert (await client.get(f"/uk/calendar/mine/{forged[0]}.ics")).status_code == 404


# ---------------------------------------------------------------- cancelling


async def test_cancelling_asks_first_then_frees_the_places_for_the_waitlist(client):
    occurrence = await make_occurrence(capacity=2, max_seats_per_registration=2, offer_hours=0)
    first = await register(client, occurrence.id, "en", seats="2", email="first@example.org")
    waiting = await register(client, occurrence.id, "en", seats="2", email="next@example.org")
    assert (await registration_of(waiting)).status == Status.WAITLISTED

    asked = await client.get(f"{first}/cancel")
    assert asked.status_code == 200 and "Cancel your registration?" in asked.text
    assert asked.headers["referrer-policy"] == "no-referrer"
    assert (await registration_of(first)).status == Status.CONFIRMED  # asking changes nothing

    response = await post_form(client, f"{first}/cancel")
    assert response.status_code == 303
    assert response.headers["location"] == f"{first}?done=cancelled"
    assert "This registration is cancelled" in (await client.get(first)).text
    assert (await registration_of(first)).status == Status.CANCELLED
    assert (await registration_of(waiting)).status == Status.CONFIRMED
    assert "You are registered" in (await client.get(waiting)).text
    templates = await OutboxMessage.filter(template__in=["booking/cancelled_by_you"]).count()
    assert templates == 1
    assert await OutboxMessage.filter(template="booking/promoted_confirmed").count() == 1


async def test_cancelling_needs_the_csrf_token(client):
    occurrence = await make_occurrence(capacity=2)
    manage = await register(client, occurrence.id)
    response = await client.post(f"{manage}/cancel", data={})
    assert response.status_code == 403
    assert (await registration_of(manage)).status == Status.CONFIRMED


# ---------------------------------------------------------------- offers


async def test_an_offer_from_the_waitlist_is_confirmed_on_the_manage_page(client):
    occurrence = await make_occurrence(capacity=1, offer_hours=24)
    first = await register(client, occurrence.id, "en", email="first@example.org")
    waiting = await register(client, occurrence.id, "en", email="next@example.org")
    await post_form(client, f"{first}/cancel")
    page = (await client.get(waiting)).text
    assert "Places have become free for you" in page and "Please confirm by" in page
    assert f'action="{waiting}/confirm"' in page

    response = await post_form(client, f"{waiting}/confirm")
    assert response.status_code == 303
    assert response.headers["location"] == f"{waiting}?done=confirmed"
    assert (await registration_of(waiting)).status == Status.CONFIRMED
    assert "You are registered" in (await client.get(waiting)).text


async def test_an_expired_offer_says_so_and_cannot_be_confirmed(client):
    occurrence = await make_occurrence(capacity=1, offer_hours=24)
    first = await register(client, occurrence.id, "en", email="first@example.org")
    waiting = await register(client, occurrence.id, "en", email="next@example.org")
    await post_form(client, f"{first}/cancel")
    offered = await registration_of(waiting)
    offered.expires_at = timezone.now() - timedelta(minutes=1)
    await offered.save(update_fields=["expires_at"])
    assert "This offer has expired" in (await client.get(waiting)).text
    response = await post_form(client, f"{waiting}/confirm")
    assert response.status_code == 409
    assert (await registration_of(waiting)).status == Status.OFFERED


# ---------------------------------------------------------------- downloads


async def test_the_ics_download_has_the_public_uid_and_the_title_in_the_page_language(client):
    event = await make_event(texts={"uk": "Кінопоказ", "en": "Film night"})
    occurrence = await make_occurrence(event, capacity=10)
    manage = await register(client, occurrence.id)
    response = await client.get(f"{manage}/booking.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert uids(response.content) == {occurrence_uid(occurrence.id, HOST)}
    assert "SUMMARY:Кінопоказ" in response.text


async def test_my_data_is_everything_stored_about_the_registration_as_json(client):
    occurrence = await make_occurrence(capacity=10)
    manage = await register(
        client,
        occurrence.id,
        seats="2",
        phone="+45 12 34 56 78",
        accessibility_needs="Місце для візка",
    )
    response = await client.get(f"{manage}/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.content)
    stored = data["registration"]
    assert stored["name"] == "Олена Коваленко" and stored["email"] == "olena@example.org"
    assert stored["phone"] == "+45 12 34 56 78" and stored["seats"] == 2
    assert stored["accessibility_needs"] == "Місце для візка"
    assert stored["status"] == "confirmed" and stored["language"] == "uk"
    assert data["event"]["starts_at"] == occurrence.starts_at.isoformat()
    assert [m["subject"] for m in data["emails_to_this_address"]]
    assert "token_nonce" not in response.text


async def test_the_personal_feed_holds_every_active_registration_under_the_email(client):
    now = timezone.now()
    mine = [await make_occurrence(await make_event(published_at=now), capacity=10) for _ in "abc"]
    manage = await register(client, mine[0].id, email="olena@example.org")
    await registrations.register(mine[1].id, registration_form(email="OLENA@example.org"), now)
    dropped = await registrations.register(
        mine[2].id, registration_form(email="olena@example.org"), now
    )
    await registrations.cancel(dropped.registration, now)
    await registrations.register(mine[2].id, registration_form(email="someone@example.org"), now)

    url = f"/uk/calendar/mine/{token_of(manage)}.ics"
    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert uids(response.content) == {occurrence_uid(o.id, HOST) for o in mine[:2]}
    public = await client.get("/uk/calendar/programme.ics")
    assert uids(response.content) <= uids(public.content)

    again = await client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
