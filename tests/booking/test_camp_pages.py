"""The family's side of the camp through HTTP: the camp page, the application form without
JavaScript (child blocks added and removed by posting back), errors per child with every value
kept, refused and tampered submissions, and the application's page behind its link:
withdrawing, confirming an offer, changing details until the deadline, my data, deleting."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from tortoise import timezone

from booking import camp
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    Child,
    Registration,
    RegistrationStatus,
)
from events.models import Category
from tests.client_helpers import csrf_token
from tests.factories import born_aged, make_camp, make_event, make_occurrence
from venskab import i18n
from venskab.models import OutboxMessage

OFFER = "A place in week %(week)s (%(dates)s) is free: please confirm it by %(deadline)s."


def uk(message: str) -> str:
    """A msgid as the Ukrainian pages say it (the text before its first placeholder)."""
    token = i18n.current_language.set("uk")
    try:
        return i18n.gettext(message).split("%(")[0]
    finally:
        i18n.current_language.reset(token)


KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
APPLIED = re.compile(r"^/(uk|da|en)/camp/applications/([0-9]+-[A-Za-z0-9_-]{32})\?done=applied$")
Status = RegistrationStatus


# ---------------------------------------------------------------- filling in the form


def child(session, age: int = 8, **values: str) -> dict[str, str]:
    """One child's answers, wanting `session` first; name the fields a test is about."""
    defaults = {
        "name": "Марія Шевченко",
        "date_of_birth": born_aged(age, session).isoformat(),
        "preference-1": str(session.id),
        "preference-2": "",
        "preference-3": "",
        "allergies_diet": "Горіхи",
        "medical_notes": "Астма, інгалятор у рюкзаку",
        "medication": "",
        "swimming": "beginner",
        "danish_level": "some",
        "english_level": "none",
    }
    return {**defaults, **values}


def answers(children: list[dict[str, str]], **values: str) -> dict[str, str]:
    """A filled-in application for these children (child(...) each)."""
    data = {
        "guardian_name": "Оксана Шевченко",
        "guardian_email": "oksana@example.org",
        "guardian_phone": "+45 12 34 56 78",
        "guardian_address": "Amagerbrogade 1, 2300 København S",
        "language": "uk",
        "second_guardian_name": "",
        "second_guardian_phone": "",
        "second_guardian_email": "",
        "emergency_name": "Іван Шевченко",
        "emergency_phone": "+45 87 65 43 21",
        "emergency_relation": "дядько",
        "keep_siblings_together": "on",
        "consent_data": "on",
        "consent_photos": "yes",
        "consent_emergency_treatment": "no",
        "children": str(len(children)),
    }
    for number, answers_of_child in enumerate(children, start=1):
        data |= {f"child-{number}-{key}": value for key, value in answers_of_child.items()}
    return {**data, **values}


async def open_form(client, slug: str, lang: str = "uk") -> str:
    response = await client.get(f"/{lang}/camp/{slug}/apply")
    assert response.status_code == 200, response.text
    return KEY.search(response.text).group(1)


async def post(client, slug: str, data: dict[str, str], lang: str = "uk", key: str | None = None):
    """Send the form as a browser does: CSRF token, the form's key, the answers."""
    if key is None:
        key = await open_form(client, slug, lang)
    token = await csrf_token(client, lang)
    form = {"csrf_token": token, "idempotency_key": key, **data}
    return await client.post(f"/{lang}/camp/{slug}/apply", data=form)


async def apply(client, slug: str, data: dict[str, str], lang: str = "uk") -> str:
    """Apply through the form; returns the application page's path."""
    response = await post(client, slug, data, lang)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert APPLIED.match(location), location
    return location.split("?", 1)[0]


async def send(client, path: str, data: dict[str, str] | None = None, lang: str = "uk"):
    """POST one of the application page's forms."""
    return await client.post(
        path, data={"csrf_token": await csrf_token(client, lang), **(data or {})}
    )


async def camp_with(**values):
    camp_row, sessions = await make_camp(**values)
    return camp_row, sessions, (await camp_row.event).slug


async def nothing_written() -> bool:
    return (
        await CampApplication.all().count() == 0
        and await Child.all().count() == 0
        and await Registration.all().count() == 0
        and await OutboxMessage.all().count() == 0
    )


# ---------------------------------------------------------------- the camp page


async def test_the_camp_page_shows_weeks_ages_places_fee_and_the_rule(client):
    _, _, slug = await camp_with(capacity=10)
    page = await client.get(f"/en/camp/{slug}")
    assert page.status_code == 200
    text = page.text
    assert 'id="week-1"' in text and 'id="week-3"' in text
    assert "Ages 6–9" in text and "Ages 10–13" in text
    assert "10 places left" in text and "Free" in text
    assert "First come, first served." in text
    assert "Siblings are kept together if you ask for it" in text
    assert f'href="/en/camp/{slug}/apply"' in text
    assert 'data-window="open"' in text


async def test_a_lottery_camp_says_when_the_draw_is_and_that_siblings_are_drawn_together(client):
    closes = timezone.now() + timedelta(days=5)
    _, _, slug = await camp_with(allocation=AllocationRule.LOTTERY, applications_close_at=closes)
    text = (await client.get(f"/en/camp/{slug}")).text
    assert "By lot." in text
    assert "The draw takes place after applications close on" in text
    assert "siblings are drawn together as one" in text


async def test_before_the_window_the_camp_page_says_when_applications_open(client):
    _, _, slug = await camp_with(opens=timedelta(days=3))
    text = (await client.get(f"/en/camp/{slug}")).text
    assert 'data-window="soon"' in text and "Applications open on" in text
    assert f"/en/camp/{slug}/apply" not in text
    form = await client.get(f"/en/camp/{slug}/apply")
    assert form.status_code == 200 and 'method="post"' not in form.text
    assert "Applications open on" in form.text


async def test_after_the_window_the_camp_page_says_it_is_closed(client):
    closed = timezone.now() - timedelta(hours=1)
    _, _, slug = await camp_with(applications_close_at=closed)
    text = (await client.get(f"/en/camp/{slug}")).text
    assert 'data-window="closed"' in text and "Applications for the camp have closed." in text


async def test_only_published_camps_have_a_camp_page(client):
    film = await make_event()
    assert (await client.get(f"/en/camp/{film.slug}")).status_code == 404
    page = await client.get("/uk/camp/no-such-camp")
    assert page.status_code == 404 and '<html lang="uk">' in page.text


async def test_the_camps_event_and_the_home_page_lead_to_the_camp_page(client):
    _, _, slug = await camp_with()
    event_page = (await client.get(f"/en/events/{slug}")).text
    assert f'href="/en/camp/{slug}"' in event_page
    assert "/en/register/" not in event_page
    home = (await client.get("/en/")).text
    assert f'href="/en/camp/{slug}"' in home


async def test_a_camp_week_is_not_registered_seat_by_seat(client):
    _, (young, _, _), slug = await camp_with()
    page = await client.get(f"/en/register/{young.id}")
    assert page.status_code == 303 and page.headers["location"] == f"/en/camp/{slug}"
    token = await csrf_token(client, "en")
    data = {"csrf_token": token, "idempotency_key": "k" * 24, "name": "X", "email": "x@y.dk"}
    posted = await client.post(f"/en/register/{young.id}", data=data)
    assert posted.status_code == 303 and posted.headers["location"] == f"/en/camp/{slug}"
    assert await Registration.all().count() == 0


# ---------------------------------------------------------------- the form without JavaScript


@pytest.mark.parametrize("lang", ["uk", "da", "en"])
async def test_the_form_renders_in_each_language_with_one_child_and_a_fresh_key(client, lang):
    _, sessions, slug = await camp_with()
    first = await client.get(f"/{lang}/camp/{slug}/apply")
    second = await client.get(f"/{lang}/camp/{slug}/apply")
    assert first.status_code == 200
    page = first.text
    assert f'<html lang="{lang}">' in page
    assert KEY.search(page).group(1) != KEY.search(second.text).group(1)
    assert 'name="csrf_token"' in page and 'name="children" value="1"' in page
    assert page.count('<fieldset class="child"') == 1
    assert f'value="{lang}" required checked' in page  # messages in the page's language
    for session in sessions:  # each choice lists every week
        assert page.count(f'<option value="{session.id}"') == 3
    for field in ("allergies_diet", "medical_notes", "medication", "swimming", "date_of_birth"):
        assert f'aria-describedby="f-child-1-{field}-hint"' in page
    assert 'aria-describedby="f-consent_photos-hint"' in page
    assert "public" not in first.headers.get("cache-control", "")


async def test_the_number_of_children_shows_that_many_blocks(client):
    _, _, slug = await camp_with()
    page = (await client.get(f"/en/camp/{slug}/apply?children=3")).text
    assert page.count('<fieldset class="child"') == 3
    assert 'name="keep_siblings_together" type="checkbox" value="on" checked' in page
    for nonsense in ("9", "0", "abc"):
        page = (await client.get(f"/en/camp/{slug}/apply?children={nonsense}")).text
        assert page.count('<fieldset class="child"') == 1


async def test_adding_a_child_posts_back_and_keeps_every_value(client):
    _, (young, _, _), slug = await camp_with()
    data = answers([child(young, name="Марія", medical_notes="Астма\nінгалятор")])
    data |= {"action": "add", "guardian_phone": "дзвоніть"}
    response = await post(client, slug, data)
    assert response.status_code == 200
    page = response.text
    assert page.count('<fieldset class="child"') == 2
    assert f'formaction="/uk/camp/{slug}/apply#child-3"' in page  # the next block's place
    assert 'name="children" value="2"' in page
    assert 'name="child-1-name" type="text" value="Марія"' in page
    assert "Астма\nінгалятор</textarea>" in page
    assert 'value="дзвоніть"' in page
    assert f'<option value="{young.id}" selected>' in page
    assert 'name="child-2-name" type="text" value=""' in page
    assert "aria-invalid" not in page  # not sent yet: no errors
    assert await nothing_written()


async def test_removing_a_child_moves_the_ones_after_it_up(client):
    _, (young, _, _), slug = await camp_with()
    names = ["Марія", "Петро", "Оля"]
    data = answers([child(young, name=name) for name in names]) | {"action": "remove-2"}
    page = (await post(client, slug, data)).text
    assert page.count('<fieldset class="child"') == 2
    assert 'name="child-1-name" type="text" value="Марія"' in page
    assert 'name="child-2-name" type="text" value="Оля"' in page
    assert "Петро" not in page
    assert await nothing_written()


async def test_at_most_six_children_can_be_added(client):
    _, (young, _, _), slug = await camp_with()
    six = answers([child(young) for _ in range(6)]) | {"action": "add"}
    page = (await post(client, slug, six)).text
    assert page.count('<fieldset class="child"') == 6
    assert 'value="add"' not in page


# ---------------------------------------------------------------- applying


async def test_a_family_applies_and_lands_on_its_application_page_with_one_message(client):
    _, (young, _, mixed), slug = await camp_with()
    data = answers(
        [child(young, name="Марія", age=7), child(mixed, name="Петро", age=12)],
        keep_siblings_together="",
        guardian_email="Oksana@Example.org",
    )
    path = await apply(client, slug, data)
    application = await CampApplication.get()
    assert (application.guardian_email, application.language) == ("oksana@example.org", "uk")
    assert application.consent_photos and not application.consent_emergency_treatment
    children = await camp.application_children(application)
    assert [c.registration.occurrence_id for c in children] == [young.id, mixed.id]
    assert [c.registration.status for c in children] == [Status.CONFIRMED] * 2
    assert children[0].medical_notes == "Астма, інгалятор у рюкзаку"
    messages = await OutboxMessage.all()
    assert [(m.template, m.to_address) for m in messages] == [
        ("camp/applied", "oksana@example.org")
    ]
    page = await client.get(f"{path}?done=applied")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.text.count('data-state="placed"') == 2
    assert page.text.count(uk("Placed in week %(week)s: %(dates)s.")) == 2
    assert "Марія" in page.text and "oksana@example.org" in page.text


async def test_the_same_form_sent_twice_makes_one_application(client):
    _, (young, _, _), slug = await camp_with()
    key = await open_form(client, slug)
    data = answers([child(young)])
    first = await post(client, slug, data, key=key)
    again = await post(client, slug, data, key=key)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert await CampApplication.all().count() == 1
    assert await Registration.all().count() == 1
    assert await OutboxMessage.all().count() == 1


async def test_siblings_who_do_not_fit_wait_together_and_see_their_position(client):
    _, [young], slug = await camp_with(ages=[(6, 9)], capacity=2)
    await apply(client, slug, answers([child(young), child(young)]))
    path = await apply(client, slug, answers([child(young), child(young)], language="en"))
    page = (await client.get(path)).text
    assert page.count('data-state="waitlisted"') == 2
    assert page.count('data-position="1"') == 2


async def test_errors_come_back_per_child_with_every_value_kept(client):
    _, (young, older, _), slug = await camp_with()
    data = answers(
        [
            child(young, name="", allergies_diet="Лактоза"),
            child(older, name="Петро", age=7, medication="Сироп"),
        ],
        guardian_email="not-an-email",
        consent_data="",
        keep_siblings_together="",
    )
    response = await post(client, slug, data)
    assert response.status_code == 400
    page = response.text
    assert '<html lang="uk">' in page
    assert 'class="notice notice-error error-summary" role="alert"' in page
    for field in ("f-child-1-name", "f-child-2-preferences", "f-guardian_email", "f-consent_data"):
        assert f'href="#{field}"' in page
    assert 'id="f-child-1-name" name="child-1-name" type="text" value=""' in page
    assert 'aria-describedby="f-child-2-preferences-hint f-child-2-preferences-error"' in page
    assert page.count('aria-invalid="true"') >= 4
    assert "Лактоза</textarea>" in page and "Сироп</textarea>" in page
    assert 'value="Петро"' in page and 'value="not-an-email"' in page
    too_old = "The child's age on the first day does not fit every week chosen. "
    assert uk(too_old + "Choose only weeks for the child's age.") in page
    assert await nothing_written()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"child-1-preference-1": "999999"}, "child-1-preferences"),
        ({"child-1-preference-1": "week-one"}, "child-1-preferences"),
        ({"child-1-date_of_birth": "2019-02-30"}, "child-1-date_of_birth"),
        ({"child-1-date_of_birth": "2999-01-01"}, "child-1-date_of_birth"),
        ({"child-1-swimming": "like-a-fish"}, "child-1-swimming"),
        ({"language": "ru"}, "language"),
        ({"consent_photos": ""}, "consent_photos"),
    ],
)
async def test_a_tampered_or_impossible_answer_is_refused_and_nothing_is_written(
    client, change, field
):
    _, (young, _, _), slug = await camp_with()
    response = await post(client, slug, answers([child(young, name="Марія")]) | change)
    assert response.status_code == 400
    assert f'href="#f-{field}"' in response.text
    assert 'value="Марія"' in response.text
    assert await nothing_written()


async def test_seven_children_are_refused_and_nothing_is_written(client):
    _, (young, _, _), slug = await camp_with()
    data = answers([child(young, name=f"Дитина {n}") for n in range(1, 8)])
    response = await post(client, slug, data)
    assert response.status_code == 400
    assert uk("Add at least one child (at most six per application).") in response.text
    assert 'value="Дитина 7"' in response.text
    assert await nothing_written()


async def test_a_closed_window_is_a_409_with_the_input_kept(client):
    closed = timezone.now() - timedelta(minutes=1)
    camp_row, (young, _, _), slug = await camp_with()
    key = await open_form(client, slug)
    await Camp.filter(id=camp_row.id).update(applications_close_at=closed)
    response = await post(client, slug, answers([child(young, name="Марія")]), key=key)
    assert response.status_code == 409
    assert uk("Applications for the camp have closed.") in response.text
    assert 'value="Марія"' in response.text
    assert await nothing_written()


async def test_a_form_without_the_csrf_token_is_refused(client):
    _, (young, _, _), slug = await camp_with()
    key = await open_form(client, slug)
    data = {"idempotency_key": key, **answers([child(young)])}
    response = await client.post(f"/uk/camp/{slug}/apply", data=data)
    assert response.status_code == 403
    assert await nothing_written()


async def test_more_than_20_applications_in_10_minutes_from_one_address_get_429(client):
    _, (young, _, _), slug = await camp_with()
    key = await open_form(client, slug)
    invalid = answers([child(young, name="")])
    for _ in range(20):
        assert (await post(client, slug, invalid, key=key)).status_code == 400
    response = await post(client, slug, answers([child(young)]), key=key)
    assert response.status_code == 429
    assert await nothing_written()


# ---------------------------------------------------------------- the application's page


async def test_an_unknown_or_tampered_link_is_a_translated_404(client):
    _, (young, _, _), slug = await camp_with()
    path = await apply(client, slug, answers([child(young)]))
    application_id = path.rsplit("/", 1)[1].split("-", 1)[0]
    tampered = f"/uk/camp/applications/{application_id}-{'A' * 32}"
    for bad in (tampered, "/uk/camp/applications/nonsense", f"{tampered}/data.json"):
        response = await client.get(bad)
        assert response.status_code == 404, bad
        assert '<html lang="uk">' in response.text
    refused = await send(client, f"{tampered}/delete")
    assert refused.status_code == 404
    assert (await CampApplication.get()).status == ApplicationStatus.ALLOCATED


async def test_withdrawing_one_child_asks_first_and_promotes_the_waiting_family(client):
    _, [young], slug = await camp_with(ages=[(6, 9)], capacity=2)
    first = await apply(client, slug, answers([child(young, name="Іра"), child(young, name="Оля")]))
    waiting = await apply(client, slug, answers([child(young, name="Тарас")], language="en"))
    leaving = await Child.get(name="Оля")
    ask = await client.get(f"{first}/withdraw?child={leaving.id}")
    assert ask.status_code == 200 and "Оля" in ask.text and "Іра" not in ask.text
    response = await send(client, f"{first}/withdraw", {"child": str(leaving.id)})
    assert response.status_code == 303 and response.headers["location"].endswith("done=withdrawn")
    page = (await client.get(first)).text
    assert 'data-state="withdrawn"' in page and 'data-state="placed"' in page
    offered = (await client.get(waiting)).text
    assert (
        'data-state="offered"' in offered
        and uk("A place in week %(week)s (%(dates)s) is free: please confirm it by %(deadline)s.")
        in offered
    )
    registration = await Registration.get(camp_application__children__name="Тарас")
    confirmed = await send(client, f"{waiting}/confirm", {"registration": str(registration.id)})
    assert confirmed.status_code == 303
    assert 'data-state="placed"' in (await client.get(waiting)).text
    templates = set(await OutboxMessage.all().values_list("template", flat=True))
    assert {"camp/withdrawn", "camp/offered"} <= templates


async def test_withdrawing_every_child_withdraws_the_application(client):
    _, (young, _, _), slug = await camp_with()
    path = await apply(client, slug, answers([child(young), child(young)]))
    assert (await client.get(f"{path}/withdraw?child=all")).status_code == 200
    assert (await send(client, f"{path}/withdraw", {"child": "all"})).status_code == 303
    page = (await client.get(path)).text
    assert 'data-application="withdrawn"' in page
    assert (await CampApplication.get()).status == ApplicationStatus.WITHDRAWN
    assert await Registration.filter(status=Status.CONFIRMED).count() == 0


async def test_withdrawing_a_child_of_another_family_is_not_found(client):
    _, (young, _, _), slug = await camp_with()
    mine = await apply(client, slug, answers([child(young)]))
    await apply(client, slug, answers([child(young, name="Чужа дитина")]))
    other = await Child.get(name="Чужа дитина")
    assert (await client.get(f"{mine}/withdraw?child={other.id}")).status_code == 404
    assert (await send(client, f"{mine}/withdraw", {"child": str(other.id)})).status_code == 404
    assert await Child.filter(withdrawn_at__isnull=False).count() == 0


async def test_details_can_be_changed_until_the_deadline_and_not_after(client):
    deadline = timezone.now() + timedelta(days=3)
    camp_row, (young, _, _), slug = await camp_with(edits_close_at=deadline)
    path = await apply(client, slug, answers([child(young)]))
    kid = await Child.get()
    page = (await client.get(path)).text
    assert f'href="{path}/contact"' in page and f'href="{path}/children/{kid.id}"' in page

    form = await client.get(f"{path}/contact")
    assert form.status_code == 200 and 'value="+45 12 34 56 78"' in form.text
    contact = {
        key: value
        for key, value in answers([]).items()
        if key.startswith(("guardian", "second", "emergency"))
    }
    saved = await send(client, f"{path}/contact", contact | {"guardian_phone": "+45 11 22 33 44"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=contact-saved")
    medical = {
        "allergies_diet": "",
        "medical_notes": "Epilepsi",
        "medication": "",
        "swimming": "confident",
    }
    saved = await send(client, f"{path}/children/{kid.id}", medical)
    assert saved.status_code == 303
    kid = await Child.get()
    assert (kid.medical_notes, kid.swimming) == ("Epilepsi", "confident")
    assert (await CampApplication.get()).guardian_phone == "+45 11 22 33 44"
    assert (await Registration.get()).phone == "+45 11 22 33 44"

    await Camp.filter(id=camp_row.id).update(edits_close_at=timezone.now() - timedelta(minutes=1))
    assert (await client.get(f"{path}/contact")).status_code == 409
    late = await send(client, f"{path}/contact", contact | {"guardian_phone": "+45 99 99 99 99"})
    assert late.status_code == 409
    late = await send(client, f"{path}/children/{kid.id}", medical | {"medical_notes": "x"})
    assert late.status_code == 409
    assert (await CampApplication.get()).guardian_phone == "+45 11 22 33 44"
    assert (await Child.get()).medical_notes == "Epilepsi"
    page = (await client.get(path)).text
    assert (
        f"{path}/contact" not in page
        and uk("The deadline for changes has passed. Please contact the camp team.") in page
    )


async def test_a_wrong_change_comes_back_marked_with_the_values_kept(client):
    _, (young, _, _), slug = await camp_with()
    path = await apply(client, slug, answers([child(young)]))
    contact = {
        key: value
        for key, value in answers([]).items()
        if key.startswith(("guardian", "second", "emergency"))
    }
    response = await send(client, f"{path}/contact", contact | {"emergency_phone": "ring"})
    assert response.status_code == 400
    assert 'value="ring"' in response.text and 'href="#f-emergency_phone"' in response.text
    kid = await Child.get()
    bad = {"allergies_diet": "Горіхи", "medical_notes": "", "medication": "", "swimming": "?"}
    response = await send(client, f"{path}/children/{kid.id}", bad)
    assert response.status_code == 400 and "Горіхи</textarea>" in response.text
    assert (await CampApplication.get()).emergency_phone == "+45 87 65 43 21"


async def test_my_data_holds_everything_stored_about_the_family(client):
    _, (young, _, _), slug = await camp_with()
    path = await apply(client, slug, answers([child(young, name="Марія")]))
    response = await client.get(f"{path}/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert data["application"]["guardian_email"] == "oksana@example.org"
    assert data["application"]["emergency_name"] == "Іван Шевченко"
    assert data["application"]["consent_photos"] is True
    [kid] = data["children"]
    assert kid["name"] == "Марія" and kid["medical_notes"] == "Астма, інгалятор у рюкзаку"
    assert kid["place"]["state"] == "placed" and kid["place"]["week"] == 1
    assert kid["preferences"] == [{"session": young.id, "week": 1}]
    assert [m["subject"] for m in data["emails_to_this_address"]]
    application = await CampApplication.get()
    assert application.token_nonce not in response.text


async def test_deleting_asks_first_then_erases_everything_and_frees_the_places(client):
    _, [young], slug = await camp_with(ages=[(6, 9)], capacity=1)
    path = await apply(client, slug, answers([child(young, name="Марія")]))
    waiting = await apply(client, slug, answers([child(young, name="Тарас")]))
    ask = await client.get(f"{path}/delete")
    assert ask.status_code == 200 and 'action="' + path + '/delete"' in ask.text
    response = await send(client, f"{path}/delete")
    assert response.status_code == 303 and response.headers["location"] == path
    page = await client.get(path)
    assert page.status_code == 200 and 'data-application="deleted"' in page.text
    assert "Марія" not in page.text and "oksana" not in page.text
    application = await CampApplication.get(id=int(path.rsplit("/", 1)[1].split("-")[0]))
    assert application.status == ApplicationStatus.DELETED
    assert application.guardian_email == "" and application.emergency_phone == ""
    assert await Child.filter(application=application, name="Марія").count() == 0
    assert 'data-state="offered"' in (await client.get(waiting)).text
    assert await OutboxMessage.filter(template="camp/deleted").count() == 1


async def test_a_lottery_application_waits_for_the_draw(client):
    _, (young, _, _), slug = await camp_with(allocation=AllocationRule.LOTTERY)
    path = await apply(client, slug, answers([child(young)]))
    page = (await client.get(path)).text
    assert 'data-state="draw"' in page and uk("Waiting for the draw.") in page
    assert await Registration.all().count() == 0


async def test_an_occurrence_of_another_category_is_still_registered_seat_by_seat(client):
    event = await make_event(category=Category.FILM)
    occurrence = await make_occurrence(event, capacity=5)
    assert (await client.get(f"/en/register/{occurrence.id}")).status_code == 200
