"""events/feeds.py: which occurrences each calendar feed holds, and how edits reach calendars.

Written through the services, as organisers write; `now` is passed explicitly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tortoise import timezone

from events.feeds import (
    FEED_MEMORY,
    feeds_last_modified,
    occurrence_entry,
    programme_entries,
)
from events.ical import CalendarEntry, CalendarInfo, build_calendar
from events.models import Category, Event, EventStatus, Occurrence, Venue
from events.services import (
    EventInput,
    OccurrenceInput,
    VenueInput,
    assign_event_owner,
    cancel_occurrence,
    save_event,
    save_occurrence,
    save_venue,
    set_event_status,
)
from tests.events.test_ical import seen_by_both
from tests.factories import make_event, make_occurrence, make_organiser, make_venue
from venskab.errors import NotFound
from venskab.i18n import current_language, gettext

BASE = "https://venskab.example"
CPH = ZoneInfo("Europe/Copenhagen")


# ---------------------------------------------------------------- helpers


async def publish(**values) -> Event:
    """An event made public the way organisers do it (which records published_at)."""
    event = await make_event(status=EventStatus.DRAFT, **values)
    return await set_event_status(event, EventStatus.PUBLISHED)


async def feed(
    now: datetime, language: str = "en", category: Category | None = None
) -> dict[str, CalendarEntry]:
    entries = await programme_entries(now, language, base_url=BASE, category=category)
    return {entry.uid: entry for entry in entries}


def uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.id}@venskab.example"


async def backdate(moment: datetime) -> None:
    """Every event and occurrence last changed at `moment` (as if edited long ago)."""
    await Occurrence.all().update(updated_at=moment)
    await Event.all().update(updated_at=moment)


def translated(language: str, message: str) -> str:
    token = current_language.set(language)
    try:
        return gettext(message)
    finally:
        current_language.reset(token)


def event_input(event: Event, texts: dict[str, str]) -> EventInput:
    """The event's own settings with new titles (language → title)."""
    return EventInput(
        slug=event.slug,
        category=event.category.value,
        audience=event.audience.value,
        spoken_language=event.spoken_language,
        subtitles_language=event.subtitles_language,
        price_ore=event.price_ore,
        texts={language: {"title": title} for language, title in texts.items()},
    )


def occurrence_input(occurrence: Occurrence, **changes) -> OccurrenceInput:
    values = {
        "venue_id": occurrence.venue_id,  # type: ignore[attr-defined]
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "all_day": occurrence.all_day,
        "capacity": occurrence.capacity,
    }
    return OccurrenceInput(**{**values, **changes})


def venue_input(venue: Venue, **changes) -> VenueInput:
    values = {"slug": venue.slug, "name": venue.name, "address": venue.address}
    return VenueInput(**{**values, **changes})


# ---------------------------------------------------------------- which feed holds what


async def test_programme_feed_holds_every_category_and_a_category_feed_only_its_own():
    now = timezone.now()
    film = await make_occurrence(await publish(category=Category.FILM))
    workshop = await make_occurrence(await publish(category=Category.WORKSHOP))
    exhibition = await make_occurrence(
        await publish(category=Category.EXHIBITION), all_day=True, duration=timedelta(days=14)
    )
    assert set(await feed(now)) == {uid(film), uid(workshop), uid(exhibition)}
    assert set(await feed(now, category=Category.FILM)) == {uid(film)}
    assert set(await feed(now, category=Category.WORKSHOP)) == {uid(workshop)}
    assert set(await feed(now, category=Category.CAMP)) == set()
    (entry,) = (await feed(now, category=Category.EXHIBITION)).values()
    assert entry.categories == ("exhibition",)


async def test_feed_language_picks_the_events_text_and_falls_back_when_missing():
    now = timezone.now()
    both = await make_occurrence(await publish(texts={"en": "Film night", "uk": "Кіновечір"}))
    english = await make_occurrence(await publish(texts={"en": "Only in English"}))
    danish = await make_occurrence(await publish(texts={"da": "Kun på dansk: æøå"}))
    ukrainian = await make_occurrence(await publish(texts={"uk": "Лише українською"}))
    uk = await feed(now, "uk")
    assert uk[uid(both)].title == "Кіновечір"
    assert uk[uid(english)].title == "Only in English"
    assert uk[uid(danish)].title == "Kun på dansk: æøå"
    en = await feed(now, "en")
    assert en[uid(both)].title == "Film night"
    assert en[uid(danish)].title == "Kun på dansk: æøå"
    assert en[uid(ukrainian)].title == "Лише українською"


async def test_entry_links_to_the_event_page_in_the_feeds_language_and_names_the_venue():
    now = timezone.now()
    venue = await make_venue(
        name="Kulturhuset Islands Brygge", address="Islands Brygge 18, 2300 København S"
    )
    event = await publish(texts={"uk": "Кіновечір", "en": "Film night"})
    occurrence = await make_occurrence(event, venue=venue)
    entry = (await feed(now, "uk"))[uid(occurrence)]
    assert entry.url == f"{BASE}/uk/events/{event.slug}"
    assert entry.description == f"Кіновечір: summary\n\n{BASE}/uk/events/{event.slug}"
    assert entry.location == "Kulturhuset Islands Brygge, Islands Brygge 18, 2300 København S"
    assert (entry.starts_at, entry.ends_at) == (occurrence.starts_at, occurrence.ends_at)
    assert not entry.cancelled and not entry.all_day


async def test_never_published_draft_never_appears():
    now = timezone.now()
    draft = await make_event(status=EventStatus.DRAFT, texts={"en": "Secret plans"})
    scheduled = await make_occurrence(draft)
    cancelled = await make_occurrence(draft)
    await cancel_occurrence(cancelled, now)
    assert await feed(now) == {}
    await set_event_status(draft, EventStatus.CANCELLED)
    assert await feed(now) == {}
    for occurrence in (scheduled, cancelled):
        with pytest.raises(NotFound):
            await occurrence_entry(occurrence.id, "en", base_url=BASE)


async def test_occurrences_that_ended_within_30_days_are_kept_and_older_ones_dropped():
    now = timezone.now()
    event = await publish()
    recent = await make_occurrence(event, starts_at=now - timedelta(days=29, hours=2))
    old = await make_occurrence(event, starts_at=now - timedelta(days=31, hours=2))
    running = await make_occurrence(
        event, starts_at=now - timedelta(days=40), duration=timedelta(days=50), all_day=True
    )
    coming = await make_occurrence(event, starts_at=now + timedelta(days=2))
    assert set(await feed(now)) == {uid(recent), uid(running), uid(coming)}
    assert not any(entry.cancelled for entry in (await feed(now)).values())
    # A day later than 30 days after its end, the recent one has gone too.
    assert uid(recent) not in await feed(recent.ends_at + FEED_MEMORY + timedelta(seconds=1))
    assert uid(recent) in await feed(recent.ends_at + FEED_MEMORY - timedelta(seconds=1))
    assert uid(old) in await feed(old.ends_at + FEED_MEMORY - timedelta(seconds=1))  # only age


async def test_cancelled_occurrence_is_kept_for_30_days_after_cancellation_marked_cancelled():
    now = timezone.now()
    event = await publish(texts={"uk": "Кіновечір", "da": "Filmaften"})
    occurrence = await make_occurrence(event, starts_at=now + timedelta(days=60))
    other = await make_occurrence(event, starts_at=now + timedelta(days=61))
    cancelled_at = now - timedelta(days=1)
    await cancel_occurrence(occurrence, cancelled_at)
    for later in (now, cancelled_at + timedelta(days=29)):
        uk = await feed(later, "uk")
        assert uk[uid(occurrence)].cancelled
        assert not uk[uid(other)].cancelled
    assert uid(occurrence) not in await feed(cancelled_at + timedelta(days=31))
    assert uid(other) in await feed(cancelled_at + timedelta(days=31))

    prefix = translated("uk", "Cancelled: ")
    assert prefix == "Скасовано: "
    info = CalendarInfo(name="Програма", description="", language="uk", cancelled_prefix=prefix)
    events = seen_by_both(build_calendar((await feed(now, "uk")).values(), info))
    assert events[uid(occurrence)]["status"] == "CANCELLED"
    assert events[uid(occurrence)]["summary"] == "Скасовано: Кіновечір"
    assert events[uid(other)]["status"] == "CONFIRMED"
    assert events[uid(other)]["summary"] == "Кіновечір"
    assert translated("da", "Cancelled: ") == "Aflyst: "


async def test_cancelled_events_occurrences_appear_cancelled_for_30_days():
    now = timezone.now()
    event = await publish()
    first = await make_occurrence(event, starts_at=now + timedelta(days=3))
    second = await make_occurrence(event, starts_at=now + timedelta(days=10))
    await set_event_status(event, EventStatus.CANCELLED)
    entries = await feed(now)
    assert set(entries) == {uid(first), uid(second)}
    assert all(entry.cancelled for entry in entries.values())
    assert set(await feed(now + timedelta(days=29))) == {uid(first), uid(second)}
    assert await feed(now + timedelta(days=31)) == {}


async def test_once_published_event_that_is_unpublished_appears_cancelled():
    now = timezone.now()
    event = await publish()
    occurrence = await make_occurrence(event)
    assert not (await feed(now))[uid(occurrence)].cancelled
    await set_event_status(event, EventStatus.DRAFT)
    assert (await feed(now))[uid(occurrence)].cancelled
    assert (await occurrence_entry(occurrence.id, "en", base_url=BASE)).cancelled
    assert await feed(now + timedelta(days=31)) == {}


async def test_withdrawing_an_event_does_not_bring_back_occurrences_that_already_left_the_feed():
    now = timezone.now()
    event = await publish()
    long_past = await make_occurrence(event, starts_at=now - timedelta(days=90))
    coming = await make_occurrence(event, starts_at=now + timedelta(days=5))
    assert set(await feed(now)) == {uid(coming)}
    await set_event_status(event, EventStatus.CANCELLED)
    assert set(await feed(now)) == {uid(coming)}, "an occurrence from 90 days ago came back"
    assert uid(long_past) not in await feed(now)


async def test_reassigning_a_withdrawn_event_does_not_bring_its_occurrences_back():
    now = timezone.now()
    event = await publish()
    occurrence = await make_occurrence(event, starts_at=now + timedelta(days=90))
    await set_event_status(event, EventStatus.CANCELLED)
    sixty_days_ago = now - timedelta(days=60)
    await Event.all().update(updated_at=sixty_days_ago, withdrawn_at=sixty_days_ago)
    assert await feed(now) == {}
    organiser = await make_organiser()
    await assign_event_owner(await Event.get(id=event.id), organiser.id)
    assert uid(occurrence) not in await feed(now), "a cancellation from 60 days ago came back"


# ---------------------------------------------------------------- edits reach calendars


async def test_editing_the_event_text_raises_sequence_and_last_modified_of_its_occurrences_only():
    now = timezone.now()
    earlier = (now - timedelta(days=1)).replace(microsecond=0)
    edited = await publish(texts={"en": "Old title"})
    untouched = await publish(texts={"en": "Other event"})
    mine = [await make_occurrence(edited), await make_occurrence(edited)]
    theirs = await make_occurrence(untouched)
    await backdate(earlier)
    before = await feed(now)
    await save_event(event_input(edited, {"en": "New title"}), owner_id=None, event=edited)
    after = await feed(now)
    assert set(after) == set(before)
    for occurrence in mine:
        assert after[uid(occurrence)].title == "New title"
        assert after[uid(occurrence)].sequence == before[uid(occurrence)].sequence + 1
        assert after[uid(occurrence)].last_modified > earlier
    assert after[uid(theirs)] == before[uid(theirs)]
    assert after[uid(theirs)].last_modified == earlier


async def test_editing_an_occurrence_raises_sequence_and_last_modified_of_that_occurrence_only():
    now = timezone.now()
    earlier = (now - timedelta(days=1)).replace(microsecond=0)
    event = await publish()
    edited = await make_occurrence(event, starts_at=now + timedelta(days=4))
    sibling = await make_occurrence(event, starts_at=now + timedelta(days=5))
    await backdate(earlier)
    before = await feed(now)
    later_start = edited.starts_at + timedelta(hours=1)
    await save_occurrence(
        event,
        occurrence_input(edited, starts_at=later_start, ends_at=later_start + timedelta(hours=2)),
        edited,
    )
    after = await feed(now)
    assert after[uid(edited)].sequence == before[uid(edited)].sequence + 1
    assert after[uid(edited)].last_modified > earlier
    assert after[uid(edited)].starts_at == later_start
    assert after[uid(sibling)] == before[uid(sibling)]


async def test_editing_a_venue_raises_sequence_and_last_modified_of_its_occurrences_only():
    now = timezone.now()
    earlier = (now - timedelta(days=1)).replace(microsecond=0)
    venue = await make_venue(name="Kulturhuset")
    elsewhere = await make_venue(name="Biografen")
    first, second = await publish(), await publish()
    here = [await make_occurrence(first, venue=venue), await make_occurrence(second, venue=venue)]
    there = await make_occurrence(first, venue=elsewhere)
    await backdate(earlier)
    before = await feed(now)
    await save_venue(venue_input(venue, name="Kulturhuset Amager"), venue)
    after = await feed(now)
    for occurrence in here:
        assert after[uid(occurrence)].sequence == before[uid(occurrence)].sequence + 1
        assert after[uid(occurrence)].last_modified > earlier
        assert after[uid(occurrence)].location.startswith("Kulturhuset Amager, ")
    assert after[uid(there)] == before[uid(there)]


async def test_cancelling_raises_sequence_and_last_modified_of_the_cancelled_occurrence_only():
    now = timezone.now()
    earlier = (now - timedelta(days=1)).replace(microsecond=0)
    event = await publish()
    cancelled, kept = await make_occurrence(event), await make_occurrence(event)
    await backdate(earlier)
    before = await feed(now)
    await cancel_occurrence(cancelled, now)
    after = await feed(now)
    assert after[uid(cancelled)].sequence == before[uid(cancelled)].sequence + 1
    assert after[uid(cancelled)].last_modified > earlier
    assert after[uid(kept)] == before[uid(kept)]


async def test_uids_stay_the_same_across_edits():
    now = timezone.now()
    venue = await make_venue()
    event = await publish(texts={"en": "Film"})
    occurrence = await make_occurrence(event, venue=venue)
    original = await feed(now)
    assert set(original) == {f"occurrence-{occurrence.id}@venskab.example"}
    await save_event(event_input(event, {"en": "Film, renamed"}), owner_id=None, event=event)
    occurrence = await Occurrence.get(id=occurrence.id)  # as the edit form loads it
    await save_occurrence(event, occurrence_input(occurrence, capacity=80), occurrence)
    await save_venue(venue_input(venue, address="Amagerbrogade 1, 2300 København S"), venue)
    await set_event_status(event, EventStatus.CANCELLED)
    final = await feed(now)
    assert set(final) == set(original)
    assert final[uid(occurrence)].sequence == 4
    assert (await occurrence_entry(occurrence.id, "en", base_url=BASE)).uid == uid(occurrence)


# ---------------------------------------------------------------- what clients read


async def test_feed_from_the_database_reads_the_same_in_icaljs_and_icalendar():
    """Summer and winter screenings, an exhibition across the October clock change, an
    edited and a cancelled occurrence: written by the services, read by both parsers."""
    now = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    venue = await make_venue(
        name="Kulturhuset Islands Brygge", address="Islands Brygge 18, 2300 København S"
    )
    films = await publish(
        texts={"uk": "Кінопоказ «Тіні забутих предків»", "da": "Filmaften på Ærø"}
    )
    exhibition = await publish(
        category=Category.EXHIBITION, texts={"uk": "Виставка: Київ — Østerbro"}
    )

    async def occurrence(event: Event, start: datetime, end: datetime, all_day=False):
        data = OccurrenceInput(venue_id=venue.id, starts_at=start, ends_at=end, all_day=all_day)
        return await save_occurrence(event, data)

    summer = await occurrence(
        films, datetime(2027, 7, 5, 19, 0, tzinfo=CPH), datetime(2027, 7, 5, 21, 0, tzinfo=CPH)
    )
    winter = await occurrence(
        films, datetime(2027, 1, 12, 19, 0, tzinfo=CPH), datetime(2027, 1, 12, 21, 0, tzinfo=CPH)
    )
    edited = await occurrence(
        films, datetime(2027, 5, 1, 19, 0, tzinfo=CPH), datetime(2027, 5, 1, 21, 0, tzinfo=CPH)
    )
    cancelled = await occurrence(
        films, datetime(2027, 6, 1, 19, 0, tzinfo=CPH), datetime(2027, 6, 1, 21, 0, tzinfo=CPH)
    )
    days = await occurrence(
        exhibition,
        datetime(2027, 10, 20, tzinfo=CPH),
        datetime(2027, 11, 5, tzinfo=CPH),  # the last day
        all_day=True,
    )
    info = CalendarInfo(
        name="Програма Копенгаген–Київ",
        description="",
        language="uk",
        cancelled_prefix=translated("uk", "Cancelled: "),
    )
    await backdate(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    before = seen_by_both(build_calendar((await feed(now, "uk")).values(), info))

    moved = datetime(2027, 5, 1, 20, 0, tzinfo=CPH)
    data = occurrence_input(edited, starts_at=moved, ends_at=moved + timedelta(hours=2))
    await save_occurrence(films, data, edited)
    await cancel_occurrence(cancelled, now)
    events = seen_by_both(build_calendar((await feed(now, "uk")).values(), info))

    assert set(events) == {uid(o) for o in (summer, winter, edited, cancelled, days)}
    assert (events[uid(summer)]["start"], events[uid(summer)]["end"]) == (
        "2027-07-05T17:00:00.000Z",
        "2027-07-05T19:00:00.000Z",
    )
    assert events[uid(winter)]["start"] == "2027-01-12T18:00:00.000Z"
    assert events[uid(summer)]["summary"] == "Кінопоказ «Тіні забутих предків»"
    assert events[uid(summer)]["location"] == (
        "Kulturhuset Islands Brygge, Islands Brygge 18, 2300 København S"
    )
    assert events[uid(days)]["isAllDay"] is True
    assert (events[uid(days)]["start"], events[uid(days)]["end"]) == ("2027-10-20", "2027-11-06")
    assert events[uid(days)]["summary"] == "Виставка: Київ — Østerbro"
    assert events[uid(edited)]["start"] == "2027-05-01T18:00:00.000Z"
    assert events[uid(edited)]["sequence"] > before[uid(edited)]["sequence"]
    assert events[uid(edited)]["lastModified"] > before[uid(edited)]["lastModified"]
    assert events[uid(cancelled)]["status"] == "CANCELLED"
    assert events[uid(cancelled)]["summary"] == "Скасовано: Кінопоказ «Тіні забутих предків»"
    assert events[uid(cancelled)]["sequence"] > before[uid(cancelled)]["sequence"]
    assert events[uid(summer)] == before[uid(summer)]
    da = seen_by_both(build_calendar((await feed(now, "da")).values(), info))
    assert da[uid(summer)]["summary"] == "Filmaften på Ærø"
    assert da[uid(days)]["summary"] == "Виставка: Київ — Østerbro"  # no Danish text: fallback


# ---------------------------------------------------------------- when feeds last changed


async def test_feeds_last_modified_changes_on_every_kind_of_edit():
    now = timezone.now()
    earlier = (now - timedelta(days=1)).replace(microsecond=0)
    venue = await make_venue()
    event = await publish(texts={"en": "Film"})
    occurrence = await make_occurrence(event, venue=venue)
    draft = await make_event(status=EventStatus.DRAFT)
    draft_occurrence = await make_occurrence(draft, venue=venue)

    async def add_occurrence():
        data = occurrence_input(occurrence, starts_at=now + timedelta(days=9))
        data.ends_at = data.starts_at + timedelta(hours=2)
        await save_occurrence(event, data)

    edits = {
        "event text": lambda: save_event(
            event_input(event, {"en": "Film, new title"}), owner_id=None, event=event
        ),
        "occurrence": lambda: save_occurrence(
            event, occurrence_input(occurrence, capacity=99), occurrence
        ),
        "venue": lambda: save_venue(venue_input(venue, name="Nyt navn"), venue),
        "new occurrence": add_occurrence,
        "publishing": lambda: set_event_status(draft, EventStatus.PUBLISHED),
        "cancelling an occurrence": lambda: cancel_occurrence(draft_occurrence, now),
        "cancelling an event": lambda: set_event_status(event, EventStatus.CANCELLED),
    }
    for name, edit in edits.items():
        await backdate(earlier)
        assert await feeds_last_modified(now) == earlier, name
        await edit()
        assert await feeds_last_modified(now) > earlier, name


async def test_feeds_last_modified_moves_when_an_entry_ages_out():
    now = timezone.now()
    earlier = (now - timedelta(days=100)).replace(microsecond=0)
    event = await publish()
    ended = await make_occurrence(event, starts_at=now - timedelta(days=20))
    await backdate(earlier)
    still_in = ended.ends_at + FEED_MEMORY - timedelta(minutes=1)
    aged_out = ended.ends_at + FEED_MEMORY + timedelta(minutes=1)
    assert uid(ended) in await feed(still_in)
    assert await feeds_last_modified(still_in) == earlier
    assert uid(ended) not in await feed(aged_out)
    assert await feeds_last_modified(aged_out) == ended.ends_at + FEED_MEMORY


async def test_feeds_last_modified_moves_when_a_cancellation_ages_out():
    now = timezone.now()
    earlier = (now - timedelta(days=100)).replace(microsecond=0)
    cancelled_at = (now - timedelta(days=10)).replace(microsecond=0)
    event = await publish()
    occurrence = await make_occurrence(event, starts_at=now + timedelta(days=90))
    await cancel_occurrence(occurrence, cancelled_at)
    await backdate(earlier)
    assert await feeds_last_modified(cancelled_at + timedelta(days=29)) == earlier
    aged_out = cancelled_at + timedelta(days=31)
    assert uid(occurrence) not in await feed(aged_out)
    assert await feeds_last_modified(aged_out) == cancelled_at + FEED_MEMORY


async def test_feeds_last_modified_moves_when_a_withdrawn_event_ages_out():
    now = timezone.now()
    earlier = (now - timedelta(days=100)).replace(microsecond=0)
    withdrawn_at = (now - timedelta(days=10)).replace(microsecond=0)
    event = await publish()
    occurrence = await make_occurrence(event, starts_at=now + timedelta(days=90))
    await set_event_status(event, EventStatus.DRAFT)
    await Occurrence.all().update(updated_at=earlier)
    await Event.all().update(updated_at=withdrawn_at, withdrawn_at=withdrawn_at)
    assert uid(occurrence) in await feed(withdrawn_at + timedelta(days=29))
    assert await feeds_last_modified(withdrawn_at + timedelta(days=29)) == earlier
    aged_out = withdrawn_at + timedelta(days=31)
    assert uid(occurrence) not in await feed(aged_out)
    assert await feeds_last_modified(aged_out) == withdrawn_at + FEED_MEMORY


async def test_all_day_occurrence_is_stored_and_fed_from_first_day_to_the_day_after_the_last():
    now = timezone.now()
    venue = await make_venue()
    event = await publish(category=Category.EXHIBITION)
    data = OccurrenceInput(
        venue_id=venue.id,
        starts_at=datetime(2027, 10, 20, tzinfo=CPH),
        ends_at=datetime(2027, 11, 5, tzinfo=CPH),
        all_day=True,
    )
    occurrence = await save_occurrence(event, data)
    entry = (await feed(now))[uid(occurrence)]
    assert entry.all_day
    assert entry.starts_at.astimezone(CPH) == datetime(2027, 10, 20, tzinfo=CPH)
    assert entry.ends_at.astimezone(CPH) == datetime(2027, 11, 6, tzinfo=CPH)
    assert entry.ends_at.astimezone(CPH).date() == date(2027, 11, 6)


async def test_feeds_version_moves_on_every_change_a_feed_would_show():
    from events.feeds import feeds_version

    now = timezone.now()
    event = await publish(texts={"en": "Before"})
    occurrence = await make_occurrence(event)
    first = await feeds_version(now)
    assert await feeds_version(now) == first
    await save_event(event_input(event, {"en": "After"}), owner_id=None, event=event)
    second = await feeds_version(now)
    assert second != first
    await cancel_occurrence(occurrence, now)
    assert await feeds_version(now) != second
