""" "Resend my links": one mail for a known address, none for an unknown one, and the same
answer for both, so the page tells no one who has registered."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from booking import registrations
from tests.booking.test_pages_support import register
from tests.client_helpers import post_form
from tests.factories import make_event, make_occurrence, registration_form
from venskab.models import OutboxMessage

RESEND = "/uk/bookings/resend"


async def links_mails() -> list[OutboxMessage]:
    return await OutboxMessage.filter(template="booking/links").order_by("id")


async def test_known_and_unknown_addresses_get_the_same_answer_and_only_one_gets_mail(client):
    occurrence = await make_occurrence(capacity=10)
    manage = await register(client, occurrence.id, email="olena@example.org")

    known = await post_form(client, RESEND, {"email": " Olena@Example.org "})
    unknown = await post_form(client, RESEND, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"] == f"{RESEND}?done=sent"
    after_known = await client.get(known.headers["location"])
    after_unknown = await client.get(unknown.headers["location"])
    assert after_known.text == after_unknown.text

    [mail] = await links_mails()
    assert mail.to_address == "olena@example.org" and mail.language == "uk"
    assert manage in mail.text_body


async def test_the_links_mail_lists_only_upcoming_registrations_that_still_stand(client):
    now = timezone.now()
    coming = await make_occurrence(await make_event(texts={"uk": "Кінопоказ"}), capacity=10)
    over = await make_occurrence(
        await make_event(texts={"uk": "Минулий захід"}),
        capacity=10,
        starts_at=now - timedelta(days=2),
    )
    dropped = await make_occurrence(await make_event(texts={"uk": "Скасований"}), capacity=10)
    for occurrence in (over, dropped):
        await registrations.register(
            occurrence.id, registration_form(email="olena@example.org"), now - timedelta(days=3)
        )
    cancelled = await registrations.Registration.get(occurrence_id=dropped.id)
    await registrations.cancel(cancelled, now)
    await registrations.register(coming.id, registration_form(email="olena@example.org"), now)

    await post_form(client, RESEND, {"email": "olena@example.org"})
    [mail] = await links_mails()
    assert "Кінопоказ" in mail.text_body
    assert "Минулий захід" not in mail.text_body and "Скасований" not in mail.text_body


async def test_an_address_without_upcoming_registrations_is_told_there_are_none(client):
    occurrence = await make_occurrence(capacity=10)
    manage = await register(client, occurrence.id, email="olena@example.org")
    await post_form(client, f"{manage}/cancel")
    await post_form(client, RESEND, {"email": "olena@example.org"})
    [mail] = await links_mails()
    assert manage not in mail.text_body


async def test_an_invalid_address_comes_back_marked_in_the_readers_language(client):
    response = await post_form(client, RESEND, {"email": "olena at example"})
    assert response.status_code == 400
    assert "Вкажіть адресу електронної пошти, наприклад name@example.com." in response.text
    assert 'value="olena at example"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert await links_mails() == []


async def test_more_than_5_resends_in_an_hour_from_one_address_get_429(client):
    for n in range(5):
        response = await post_form(client, RESEND, {"email": f"person{n}@example.org"})
        assert response.status_code == 303
    response = await post_form(client, RESEND, {"email": "person5@example.org"})
    assert response.status_code == 429
    assert "Забагато спроб" in response.text


async def test_resending_needs_the_csrf_token(client):
    response = await client.post(RESEND, data={"email": "olena@example.org"})
    assert response.status_code == 403
