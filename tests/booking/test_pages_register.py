"""The registration form through HTTP: what it shows, what a valid, repeated, invalid or
refused submission does, the event page's "Register" button, CSRF and the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from booking.models import Registration, RegistrationStatus
from events.models import EventStatus, OccurrenceStatus
from tests.booking.test_pages_support import KEY, open_form, register, submit
from tests.factories import make_event, make_occurrence
from venskab.models import OutboxMessage
from venskab.security import CSRF_COOKIE

Status = RegistrationStatus


# ---------------------------------------------------------------- the form


@pytest.mark.parametrize("lang", ["uk", "da", "en"])
async def test_the_form_renders_in_each_language_with_a_fresh_key_each_time(client, lang):
    occurrence = await make_occurrence(capacity=10, max_seats_per_registration=3)
    first = await client.get(f"/{lang}/register/{occurrence.id}")
    second = await client.get(f"/{lang}/register/{occurrence.id}")
    assert first.status_code == second.status_code == 200
    assert f'<html lang="{lang}">' in first.text
    assert KEY.search(first.text).group(1) != KEY.search(second.text).group(1)
    assert CSRF_COOKIE in client.cookies
    assert 'name="csrf_token"' in first.text
    for field in ('autocomplete="name"', 'autocomplete="email"', 'autocomplete="tel"'):
        assert field in first.text
    assert first.text.count("<option") == 3  # places 1..max
    assert 'type="checkbox" value="on" required' in first.text
    assert f'href="/{lang}/privacy"' in first.text
    assert "public" not in first.headers.get("cache-control", "")


async def test_the_privacy_notice_says_what_is_stored_why_and_for_how_long(client):
    for lang in ("uk", "da", "en"):
        assert (await client.get(f"/{lang}/privacy")).status_code == 200
    page = (await client.get("/en/privacy")).text
    for heading in ("What we store", "Why", "Who sees it", "How long"):
        assert f"<h2>{heading}</h2>" in page


# ---------------------------------------------------------------- submitting


async def test_a_valid_registration_goes_to_its_manage_page_with_one_message(client):
    occurrence = await make_occurrence(capacity=10)
    manage = await register(client, occurrence.id, email="Olena@Example.org", seats="2")
    registration = await Registration.get(occurrence_id=occurrence.id)
    assert (registration.status, registration.seats) == (Status.CONFIRMED, 2)
    assert (registration.email, registration.language) == ("olena@example.org", "uk")
    messages = await OutboxMessage.all()
    assert [(m.template, m.to_address, m.language) for m in messages] == [
        ("booking/confirmed", "olena@example.org", "uk")
    ]
    page = await client.get(f"{manage}?done=registered")
    assert page.status_code == 200
    assert "olena@example.org" in page.text


async def test_the_same_form_sent_twice_makes_one_registration_and_the_same_answer(client):
    occurrence = await make_occurrence(capacity=10)
    key = await open_form(client, occurrence.id)
    first = await submit(client, occurrence.id, key=key)
    again = await submit(client, occurrence.id, key=key)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert await Registration.all().count() == 1
    assert await OutboxMessage.all().count() == 1


async def test_a_full_date_puts_the_newcomer_on_the_waitlist_with_their_position(client):
    occurrence = await make_occurrence(capacity=2, max_seats_per_registration=2)
    await register(client, occurrence.id, seats="2")
    form = await client.get(f"/en/register/{occurrence.id}")
    assert "Join the waitlist" in form.text
    first = await register(client, occurrence.id, "en", email="first@example.org")
    second = await register(client, occurrence.id, "en", email="second@example.org")
    assert "Your position on the waitlist: 1" in (await client.get(first)).text
    assert "Your position on the waitlist: 2" in (await client.get(second)).text
    assert await Registration.filter(status=Status.WAITLISTED).count() == 2
    templates = await OutboxMessage.all().order_by("id").values_list("template", flat=True)
    assert templates == ["booking/confirmed", "booking/waitlisted", "booking/waitlisted"]


async def test_invalid_fields_come_back_marked_with_every_value_kept_in_ukrainian(client):
    occurrence = await make_occurrence(capacity=10, max_seats_per_registration=4)
    response = await submit(
        client,
        occurrence.id,
        name="",
        email="not-an-email",
        phone="дзвоніть",
        seats="3",
        accessibility_needs="Потрібне місце для візка",
        consent="",
    )
    assert response.status_code == 400
    page = response.text
    assert "Вкажіть своє ім'я." in page
    assert "Вкажіть адресу електронної пошти, наприклад name@example.com." in page
    assert "Щоб зареєструватися, погодьтеся з повідомленням про конфіденційність." in page
    assert 'value="not-an-email"' in page and 'value="дзвоніть"' in page
    assert "Потрібне місце для візка</textarea>" in page
    assert '<option value="3" selected>' in page
    assert 'id="f-name" name="name" type="text" value=""' in page
    assert 'aria-describedby="f-name-error" aria-invalid="true"' in page
    assert 'aria-describedby="f-email-hint f-email-error" aria-invalid="true"' in page
    assert 'href="#f-email"' in page and 'href="#f-consent"' in page
    assert 'class="notice notice-error error-summary" role="alert"' in page
    assert 'tabindex="-1" autofocus' in page
    assert await Registration.all().count() == 0
    assert await OutboxMessage.all().count() == 0


async def test_more_places_than_allowed_are_refused_and_nothing_is_written(client):
    occurrence = await make_occurrence(capacity=10, max_seats_per_registration=4)
    response = await submit(client, occurrence.id, seats="5")
    assert response.status_code == 400
    assert "Виберіть кількість місць зі списку." in response.text
    assert await Registration.all().count() == 0
    assert await OutboxMessage.all().count() == 0


async def test_a_form_without_its_key_is_refused_as_expired(client):
    occurrence = await make_occurrence(capacity=10)
    await open_form(client, occurrence.id, "en")
    response = await submit(client, occurrence.id, "en", key="")
    assert response.status_code == 400
    assert "This form has expired. Please reload the page and try again." in response.text
    assert await Registration.all().count() == 0


# ---------------------------------------------------------------- refused


async def test_a_closed_registration_window_is_a_409_page_in_the_readers_language(client):
    now = timezone.now()
    occurrence = await make_occurrence(capacity=10, registration_closes_at=now - timedelta(hours=1))
    response = await submit(client, occurrence.id, key="kept-open-form-key-0123456789")
    assert response.status_code == 409
    assert "Реєстрацію закрито." in response.text
    assert await Registration.all().count() == 0
    page = await client.get(f"/uk/register/{occurrence.id}")
    assert page.status_code == 200
    assert "Реєстрацію закрито." in page.text and "<form" not in page.text


async def test_before_the_window_the_page_says_when_registration_opens(client):
    opens = timezone.now() + timedelta(days=2)
    occurrence = await make_occurrence(capacity=10, registration_opens_at=opens)
    page = await client.get(f"/en/register/{occurrence.id}")
    assert page.status_code == 200
    assert "Registration opens on" in page.text and "<form" not in page.text


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"capacity": None}, "This is a drop-in event: no registration is needed."),
        ({"status": OccurrenceStatus.CANCELLED}, "This date has been cancelled."),
        ({"capacity": 1, "waitlist_enabled": False, "full": True}, "Sorry, this date is full."),
    ],
)
async def test_dates_that_take_no_registration_say_why_and_refuse_it_with_409(
    client, values, message
):
    full = values.pop("full", False)
    occurrence = await make_occurrence(**values)
    if full:
        await register(client, occurrence.id, "en")
    page = await client.get(f"/en/register/{occurrence.id}")
    assert page.status_code == 200 and message in page.text and "<form" not in page.text
    refused = await submit(client, occurrence.id, "en", key="another-form-key-0123456789")
    assert refused.status_code == 409 and message in refused.text


async def test_a_priced_date_without_payments_says_payment_is_not_set_up(client):
    occurrence = await make_occurrence(event=await make_event(price_ore=5000), capacity=10)
    page = await client.get(f"/en/register/{occurrence.id}")
    assert "Online payment is not set up yet for this event." in page.text


async def test_unknown_and_unpublished_dates_are_not_found(client):
    draft = await make_occurrence(event=await make_event(status=EventStatus.DRAFT))
    assert (await client.get(f"/en/register/{draft.id}")).status_code == 404
    assert (await client.get("/en/register/999999")).status_code == 404
    refused = await submit(client, draft.id + 1000, "en", key="a-form-key-for-nothing-0123")
    assert refused.status_code == 404
    assert await Registration.all().count() == 0


# ---------------------------------------------------------------- protection


async def test_a_form_without_the_csrf_token_is_refused_with_403(client):
    occurrence = await make_occurrence(capacity=10)
    key = await open_form(client, occurrence.id)
    response = await client.post(
        f"/uk/register/{occurrence.id}", data={"idempotency_key": key, "name": "X"}
    )
    assert response.status_code == 403
    assert await Registration.all().count() == 0


async def test_more_than_20_registrations_in_10_minutes_from_one_address_get_429(client):
    occurrence = await make_occurrence(capacity=10)
    key = await open_form(client, occurrence.id)
    for _ in range(20):  # invalid or not, every attempt counts
        response = await submit(client, occurrence.id, key=key, name="")
        assert response.status_code == 400
    response = await submit(client, occurrence.id, key=key)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Забагато спроб. Зачекайте кілька хвилин і спробуйте ще раз." in response.text
    assert await Registration.all().count() == 0


# ---------------------------------------------------------------- the event page


async def test_the_event_page_offers_register_then_join_the_waitlist(client):
    occurrence = await make_occurrence(capacity=2, max_seats_per_registration=2)
    slug = (await occurrence.event).slug
    link = f'href="/en/register/{occurrence.id}"'
    page = (await client.get(f"/en/events/{slug}")).text
    assert link in page and ">Register<" in page
    await register(client, occurrence.id, seats="2")
    page = (await client.get(f"/en/events/{slug}")).text
    assert link in page and ">Join the waitlist<" in page


async def test_the_event_page_says_when_registration_opens_and_offers_no_drop_in_button(client):
    event = await make_event()
    opens = timezone.now() + timedelta(days=2)
    later = await make_occurrence(event, capacity=10, registration_opens_at=opens)
    drop_in = await make_occurrence(event, capacity=None)
    page = (await client.get(f"/en/events/{event.slug}")).text
    assert "Registration opens on" in page
    assert f"/en/register/{later.id}" not in page and f"/en/register/{drop_in.id}" not in page
