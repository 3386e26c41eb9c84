"""The demo programme: what `venskab seed-demo` promises, at any time of year."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from markupsafe import escape
from tortoise import timezone

from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    Registration,
)
from events.models import (
    Category,
    Event,
    EventStatus,
    EventText,
    Occurrence,
    OccurrenceStatus,
    Venue,
)
from events.services import LOCAL
from venskab import demo, settings
from venskab.models import OutboxMessage
from venskab.settings import LANGUAGES

# Seeding at several moments of the year: the rules must hold whatever `now` is.
MOMENTS = [
    datetime(2026, 11, 27, 9, 0, tzinfo=UTC),  # before Christmas: dates must skip the holidays
    datetime(2027, 3, 20, 12, 0, tzinfo=UTC),  # a week before the spring clock change
    datetime(2027, 5, 31, 21, 30, tzinfo=UTC),  # 23:30 in Copenhagen, last day before June
    datetime(2027, 7, 10, 8, 0, tzinfo=UTC),  # camp season: the camp is next summer's
    datetime(2027, 10, 30, 23, 30, tzinfo=UTC),  # the night of the autumn clock change
]


async def published(category: Category) -> list[Event]:
    return await Event.filter(category=category, status=EventStatus.PUBLISHED)


async def occurrences_of(event: Event) -> list[Occurrence]:
    return await Occurrence.filter(event=event).order_by("starts_at")


def local(value: datetime) -> datetime:
    return value.astimezone(LOCAL)


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
async def seeded(now: datetime) -> str:
    return await demo.seed(now)


async def test_seeding_reports_what_it_made_in_one_line(seeded):
    assert "\n" not in seeded
    assert seeded.startswith("Demo programme loaded: 4 venues, 13 events")
    assert "3 exhibitions, 4 films, 3 workshops" in seeded
    assert "(1 cancelled)" in seeded


async def test_four_venues_with_maps_and_accessibility_in_every_language(seeded):
    venues = await Venue.all()
    assert len(venues) == 4
    for venue in venues:
        assert venue.map_url.startswith("https://www.openstreetmap.org/")
        assert "København" in venue.address
        assert set(venue.accessibility_notes) == set(LANGUAGES)
    assert any(venue.hearing_loop for venue in venues)
    assert any(not venue.hearing_loop for venue in venues)


async def test_exhibitions_are_all_day_multi_week_drop_in(seeded):
    exhibitions = await published(Category.EXHIBITION)
    assert len(exhibitions) >= 3
    for exhibition in exhibitions:
        [run] = await occurrences_of(exhibition)
        assert run.all_day
        assert run.capacity is None
        # Stored from local midnight of the first day to local midnight after the last.
        assert local(run.starts_at).time() == time(0, 0)
        assert local(run.ends_at).time() == time(0, 0)
        assert (local(run.ends_at).date() - local(run.starts_at).date()).days >= 21


async def test_one_exhibition_runs_across_a_clock_change(seeded):
    offsets = []
    for exhibition in await published(Category.EXHIBITION):
        [run] = await occurrences_of(exhibition)
        offsets.append(local(run.starts_at).utcoffset() != local(run.ends_at).utcoffset())
    assert any(offsets)


async def test_one_exhibition_is_already_running(seeded, now):
    runs = [(await occurrences_of(e))[0] for e in await published(Category.EXHIBITION)]
    assert any(run.starts_at < now < run.ends_at for run in runs)


async def test_films_have_several_showings_with_subtitles_and_seats(seeded):
    films = await published(Category.FILM)
    assert len(films) >= 4
    for film in films:
        assert film.spoken_language and film.subtitles_language
        assert film.spoken_language != film.subtitles_language
        showings = await occurrences_of(film)
        assert 2 <= len(showings) <= 4
        for showing in showings:
            assert not showing.all_day
            assert 60 <= showing.capacity <= 120
            assert 4 <= showing.max_seats_per_registration <= 6
            assert showing.registration_opens_at < showing.registration_closes_at
            assert showing.registration_closes_at <= showing.starts_at
    assert sorted(film.price_ore for film in films) == [0, 0, 0, 6000]


async def test_evening_screenings_are_at_local_evening_times(seeded):
    trains = await Event.get(slug="the-night-trains")
    for showing in await occurrences_of(trains):
        assert local(showing.starts_at).time() == time(19, 0)


async def test_exactly_one_film_showing_is_cancelled(seeded, now):
    cancelled = await Occurrence.filter(status=OccurrenceStatus.CANCELLED).select_related("event")
    assert len(cancelled) == 1
    assert cancelled[0].event.category == Category.FILM
    assert cancelled[0].cancelled_at == now
    assert cancelled[0].sequence >= 1


async def test_three_knowledge_exchange_workshops_and_a_veterans_item(seeded):
    workshops = await published(Category.WORKSHOP)
    slugs = {workshop.slug for workshop in workshops}
    assert {"pocket-parks-and-climate-adaptation", "quieter-cities-noise-management"} <= slugs
    assert "digital-city-services" in slugs
    veterans = await published(Category.VETERANS)
    assert len(veterans) == 1
    for event in [*workshops, *veterans]:
        [meeting] = await occurrences_of(event)
        assert meeting.capacity
        assert meeting.registration_opens_at < meeting.registration_closes_at < meeting.starts_at


async def test_one_draft_event(seeded):
    drafts = await Event.filter(status=EventStatus.DRAFT)
    assert [draft.slug for draft in drafts] == ["water-management-study-visit"]


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.date().isoformat())
async def test_camp_has_weekly_july_sessions_with_age_ranges(moment):
    await demo.seed(moment)
    [camp] = await published(Category.CAMP)
    assert camp.audience.value == "children"
    sessions = await occurrences_of(camp)
    assert len(sessions) >= 3
    assert sum(1 for s in sessions if s.fee_ore == 0) >= 3
    year = local(sessions[0].starts_at).year
    assert camp.slug == f"summer-camp-{year}"
    assert local(sessions[0].starts_at).date() > local(moment).date()
    for session in sessions:
        starts, ends = local(session.starts_at), local(session.ends_at)
        assert not session.all_day
        assert (starts.month, starts.weekday(), starts.time()) == (7, 0, time(9, 0))
        assert ends - starts == timedelta(days=4, hours=7)  # Friday 16:00
        assert session.min_age is not None and session.max_age is not None
        assert session.min_age < session.max_age
        assert session.capacity and session.fee_ore is not None
        assert session.registration_opens_at == sessions[0].registration_opens_at
        assert session.registration_closes_at < session.starts_at
    text = await EventText.get(event=camp, language="uk")
    assert str(year) in text.title
    assert "{" not in text.description


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.date().isoformat())
async def test_dated_events_avoid_public_holidays(moment):
    await demo.seed(moment)
    meetings = await Occurrence.filter(all_day=False).select_related("event")
    for occurrence in meetings:
        assert not demo.is_holiday(local(occurrence.starts_at).date()), occurrence.event.slug
        assert occurrence.ends_at > occurrence.starts_at


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.date().isoformat())
async def test_every_published_event_is_upcoming(moment):
    await demo.seed(moment)
    for event in await Event.filter(status=EventStatus.PUBLISHED):
        assert await Occurrence.filter(
            event=event, status=OccurrenceStatus.SCHEDULED, ends_at__gt=moment
        ).exists(), event.slug


async def test_texts_in_three_languages_except_the_deliberate_fallback(seeded):
    missing = {}
    for event in await Event.filter(status=EventStatus.PUBLISHED).prefetch_related("texts"):
        texts = {text.language: text for text in event.texts}
        if set(texts) != set(LANGUAGES):
            missing[event.slug] = set(LANGUAGES) - set(texts)
        for text in texts.values():
            assert text.title and text.summary and text.poster_alt, (event.slug, text.language)
            assert 2 <= len(text.description.split("\n\n")) <= 3, (event.slug, text.language)
    assert missing == {"fox-hedgehog-and-friends": {"da"}}


async def test_every_poster_exists(seeded):
    for event in await Event.exclude(poster_url=""):
        path = settings.ROOT / event.poster_url.removeprefix("/")
        assert path.is_file(), event.poster_url
        assert path.read_text().startswith("<svg")


async def test_seeding_twice_changes_nothing(seeded, now):
    counts = [await Event.all().count(), await Occurrence.all().count(), await Venue.all().count()]
    message = await demo.seed(now + timedelta(days=1))
    assert "nothing was changed" in message
    assert [
        await Event.all().count(),
        await Occurrence.all().count(),
        await Venue.all().count(),
    ] == counts


async def test_seeding_leaves_an_existing_programme_alone(now):
    await Event.create(slug="real-event", category=Category.FILM)
    assert "nothing was changed" in await demo.seed(now)
    assert await Event.all().count() == 1
    assert await Venue.all().count() == 0


async def test_programme_pages_show_the_demo(client, seeded):
    english = await client.get("/en/programme")
    ukrainian = await client.get("/uk/programme")
    assert english.status_code == ukrainian.status_code == 200
    for event in await Event.filter(status=EventStatus.PUBLISHED):
        for language, page in (("en", english), ("uk", ukrainian)):
            text = await EventText.get(event=event, language=language)
            assert escape(text.title) in page.text, (event.slug, language)
    draft = await EventText.get(event__slug="water-management-study-visit", language="en")
    assert escape(draft.title) not in english.text


async def test_every_demo_event_page_renders(client, seeded):
    for event in await Event.filter(status=EventStatus.PUBLISHED):
        for language in LANGUAGES:
            response = await client.get(f"/{language}/events/{event.slug}")
            assert response.status_code == 200, (event.slug, language)
            assert event.poster_url in response.text


async def test_danish_readers_see_the_english_text_of_the_untranslated_film(client, seeded):
    page = (await client.get("/da/events/fox-hedgehog-and-friends")).text
    assert "Fox, Hedgehog and Friends" in page
    assert 'lang="en"' in page
    assert "fallback-note" in page


async def test_camp_page_shows_the_age_ranges(client, seeded):
    [camp] = await published(Category.CAMP)
    page = (await client.get(f"/en/events/{camp.slug}")).text
    for ages in ("7–10", "9–12", "11–14"):
        assert ages in page


async def test_fully_translated_event_shows_no_fallback_note(client, seeded):
    page = (await client.get("/uk/events/the-night-trains")).text
    assert "fallback-note" not in page


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.date().isoformat())
async def test_the_camp_takes_applications_first_come_in_its_registration_window(moment):
    await demo.seed(moment)
    [event] = await published(Category.CAMP)
    camp = await Camp.get(event=event)
    first = (await occurrences_of(event))[0]
    assert camp.allocation == AllocationRule.FIRST_COME
    assert camp.applications_open_at == first.registration_opens_at
    assert camp.applications_close_at == first.registration_closes_at
    assert camp.applications_close_at < camp.edits_close_at < first.starts_at
    # Demo families applied on the opening morning and were placed; they get no mail.
    applications = await CampApplication.filter(camp=camp)
    assert len(applications) == 3
    assert all(a.status == ApplicationStatus.ALLOCATED for a in applications)
    assert await Registration.filter(camp_application__camp=camp).count() >= 3
    assert await OutboxMessage.all().count() == 0


async def test_the_demo_camp_page_lists_its_four_weeks(client):
    await demo.seed(datetime(2027, 3, 20, 12, 0, tzinfo=UTC))
    [event] = await published(Category.CAMP)
    page = (await client.get(f"/en/camp/{event.slug}")).text
    assert "Week 4" in page and "Ages 7–14" in page
