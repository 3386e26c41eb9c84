"""Cancelling a date with everyone on it (each told, nobody promoted, the feeds mark it
cancelled), and writing to everyone registered (one mail each, in their language)."""

from __future__ import annotations

import re

import pytest

from booking import organiser_actions
from booking.models import Registration, RegistrationStatus
from events.models import Occurrence, OccurrenceStatus
from tests.booking.test_admin_support import make_registration, organiser_with_date, outbox
from tests.client_helpers import post_form
from tests.mail_helpers import booking_context
from venskab import mail
from venskab.models import AuditEntry, OutboxMessage

Status = RegistrationStatus
KEY = re.compile(r'name="key" value="([^"]+)"')


async def test_cancelling_a_date_cancels_everyone_and_tells_each_once(client):
    organiser, date = await organiser_with_date(client, capacity=3)
    confirmed = await make_registration(date, seats=2, language="da")
    offered = await make_registration(date, Status.OFFERED, seats=1)
    waiting = await make_registration(date, Status.WAITLISTED, seats=1, language="en")
    gone = await make_registration(date, Status.CANCELLED)
    page = await client.get(f"/en/organiser/dates/{date.id}/cancel-registrations")
    assert "3 registrations will be cancelled" in page.text
    response = await post_form(
        client,
        f"/en/organiser/dates/{date.id}/cancel-registrations",
        {"note": "The cinema has no heating.\nWe are sorry."},
    )
    assert response.status_code == 303
    assert (await Occurrence.get(id=date.id)).status == OccurrenceStatus.CANCELLED
    for registration in (confirmed, offered, waiting):
        assert (await Registration.get(id=registration.id)).status == Status.CANCELLED
    mails = await outbox("booking/cancelled_by_organiser")
    assert sorted(m.to_address for m in mails) == sorted(
        r.email for r in (confirmed, offered, waiting)
    )
    assert {m.to_address: m.language for m in mails}[confirmed.email] == "da"
    assert all("The cinema has no heating." in m.text_body for m in mails)
    assert gone.email not in {m.to_address for m in mails}
    # Nobody was promoted into a cancelled date on the way.
    assert await OutboxMessage.exclude(template="booking/cancelled_by_organiser").count() == 0
    entry = await AuditEntry.get(action="occurrence-cancelled")
    assert entry.actor_id == organiser.id and entry.subject == f"occurrence {date.id}"
    assert sorted(entry.detail["registrations"]) == sorted([confirmed.id, offered.id, waiting.id])


async def test_a_cancelled_date_shows_cancelled_in_the_feed(client):
    _, date = await organiser_with_date(client)
    await make_registration(date)
    await post_form(client, f"/en/organiser/dates/{date.id}/cancel-registrations", {"note": ""})
    feed = (await client.get("/en/calendar/programme.ics")).text
    assert "STATUS:CANCELLED" in feed


async def test_cancelling_twice_tells_nobody_twice(client):
    _, date = await organiser_with_date(client)
    await make_registration(date)
    url = f"/en/organiser/dates/{date.id}/cancel-registrations"
    await post_form(client, url, {"note": ""})
    await post_form(client, url, {"note": ""})
    assert len(await outbox("booking/cancelled_by_organiser")) == 1


async def test_the_event_page_links_each_date_to_its_attendees_and_to_cancelling_them(client):
    _, date = await organiser_with_date(client)
    page = (await client.get(f"/en/organiser/events/{date.event_id}")).text
    assert f"/en/organiser/dates/{date.id}/attendees" in page
    assert f"/en/organiser/dates/{date.id}/cancel-registrations" in page


async def message_form(client, date) -> str:
    page = await client.get(f"/en/organiser/dates/{date.id}/message")
    assert page.status_code == 200
    return KEY.search(page.text).group(1)


async def test_a_message_goes_once_to_each_standing_registration_in_their_language(client):
    organiser, date = await organiser_with_date(client, capacity=3)
    ukrainian = await make_registration(date, language="uk")
    danish = await make_registration(date, Status.OFFERED, language="da")
    english = await make_registration(date, Status.WAITLISTED, language="en")
    await make_registration(date, Status.CANCELLED)
    key = await message_form(client, date)
    response = await post_form(
        client,
        f"/en/organiser/dates/{date.id}/message",
        {
            "key": key,
            "message_uk": "Вхід з двору.",
            "message_da": "Indgang fra gården.",
            "message_en": "",
        },
    )
    assert response.status_code == 303
    assert "done=message-sent" in response.headers["location"]
    mails = {m.to_address: m for m in await outbox("booking/organiser_message")}
    assert set(mails) == {ukrainian.email, danish.email, english.email}
    assert mails[ukrainian.email].language == "uk"
    assert '<html lang="uk"' in mails[ukrainian.email].html_body
    assert "Вхід з двору." in mails[ukrainian.email].text_body
    assert "Indgang fra gården." not in mails[ukrainian.email].text_body
    assert "Indgang fra gården." in mails[danish.email].text_body
    assert f"/da/bookings/{danish.id}-" in mails[danish.email].text_body  # their manage link
    # Written in neither of the English reader's languages: they get both texts.
    assert "Вхід з двору." in mails[english.email].text_body
    assert "Indgang fra gården." in mails[english.email].text_body
    entry = await AuditEntry.get(action="message-sent")
    assert entry.actor_id == organiser.id and entry.detail["recipients"] == 3


async def test_sending_the_same_form_twice_sends_one_round(client):
    _, date = await organiser_with_date(client)
    await make_registration(date)
    key = await message_form(client, date)
    url = f"/en/organiser/dates/{date.id}/message"
    await post_form(client, url, {"key": key, "message_en": "See you!"})
    again = await post_form(client, url, {"key": key, "message_en": "See you!"})
    assert "done=message-repeated" in again.headers["location"]
    assert len(await outbox("booking/organiser_message")) == 1


async def test_an_empty_message_is_refused(client):
    _, date = await organiser_with_date(client)
    await make_registration(date)
    key = await message_form(client, date)
    response = await post_form(
        client, f"/en/organiser/dates/{date.id}/message", {"key": key, "message_en": "  "}
    )
    assert response.status_code == 400
    assert "Write the message in at least one language." in response.text
    assert await OutboxMessage.all().count() == 0


@pytest.mark.parametrize(
    ("language", "texts", "expected"),
    [
        ("da", {"da": "Hej", "uk": "Привіт"}, [("da", "Hej")]),
        ("en", {"da": "Hej", "uk": "Привіт"}, [("uk", "Привіт"), ("da", "Hej")]),
    ],
)
def test_each_reader_gets_their_language_or_every_text(language, texts, expected):
    assert organiser_actions.texts_for(language, texts) == expected


async def test_with_nobody_registered_there_is_nobody_to_write_to(client):
    _, date = await organiser_with_date(client)
    await make_registration(date, Status.CANCELLED)
    page = (await client.get(f"/en/organiser/dates/{date.id}/message")).text
    assert "there is nobody to write to" in page
    assert 'name="key"' not in page


@pytest.mark.parametrize("language", ["uk", "da", "en"])
def test_the_organisers_message_renders_in_every_language(language):
    texts = [("da", "Indgang fra gården. " * 8), ("uk", "Вхід з <двору>.")]
    context = {**booking_context(messages=texts), "attached": []}
    subject, text, html = mail.render(organiser_actions.MESSAGE_TEMPLATE, language, context)
    assert subject and "\n" not in subject
    assert f'<html lang="{language}"' in html
    assert "Вхід з <двору>." in text and "Вхід з &lt;двору&gt;." in html
    assert '<blockquote lang="uk"' in html
    assert context["manage_url"] in text
    assert all(len(line) <= 76 or "://" in line for line in text.splitlines())
