"""Publishing rules: what is on, and every write to events, occurrences and venues.

No HTTP here. Time-dependent functions take `now` (DESIGN.md, habit 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise import timezone
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from events.models import (
    Audience,
    Category,
    Event,
    EventStatus,
    EventText,
    Occurrence,
    OccurrenceStatus,
    Venue,
)
from venskab.errors import Invalid, NotFound
from venskab.i18n import N_
from venskab.settings import LANGUAGES, TIMEZONE

LOCAL = ZoneInfo(TIMEZONE)
# When a text is missing in the reader's language, show another, in this order.
FALLBACK_ORDER = ("en", "da", "uk")
SPOKEN_LANGUAGES = ("uk", "da", "en", "ru")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# ---------------------------------------------------------------- reading


def pick_text(texts: Iterable[EventText], language: str) -> EventText | None:
    """The text in `language`, else the first that exists in FALLBACK_ORDER."""
    by_language = {text.language: text for text in texts}
    for candidate in (language, *FALLBACK_ORDER):
        if candidate in by_language:
            return by_language[candidate]
    return None


async def texts_by_event(event_ids: Iterable[int]) -> dict[int, list[EventText]]:
    """The texts of several events in one query, by event id."""
    texts: dict[int, list[EventText]] = {}
    for text in await EventText.filter(event_id__in=set(event_ids)):
        texts.setdefault(text.event_id, []).append(text)  # type: ignore[attr-defined]
    return texts


@dataclass(frozen=True)
class ProgrammeFilter:
    """The filters of the programme page and the API, already validated."""

    category: Category | None = None
    audience: Audience | None = None
    spoken_language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    free_only: bool = False
    venue_id: int | None = None  # the venue page's list, not a public query parameter

    def as_query(self) -> dict[str, str]:
        query: dict[str, str] = {}
        if self.category:
            query["category"] = self.category.value
        if self.audience:
            query["audience"] = self.audience.value
        if self.spoken_language:
            query["language"] = self.spoken_language
        if self.date_from:
            query["from"] = self.date_from.isoformat()
        if self.date_to:
            query["to"] = self.date_to.isoformat()
        if self.free_only:
            query["free"] = "1"
        return query


def parse_filter(params: dict[str, str]) -> tuple[ProgrammeFilter, list[str]]:
    """Validated filters and the names of those that made no sense (they are ignored)."""
    ignored: list[str] = []

    def choice(name: str, options: Sequence[str]) -> str | None:
        value = params.get(name, "").strip()
        if not value:
            return None
        if value not in options:
            ignored.append(name)
            return None
        return value

    def day(name: str) -> date | None:
        value = params.get(name, "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            ignored.append(name)
            return None

    category = choice("category", [c.value for c in Category])
    audience = choice("audience", [a.value for a in Audience])
    spoken = choice("language", SPOKEN_LANGUAGES)
    date_from, date_to = day("from"), day("to")
    if date_from and date_to and date_to < date_from:
        ignored.append("to")
        date_to = None
    free = params.get("free", "").strip()
    if free not in ("", "0", "1", "on", "true"):
        ignored.append("free")
    found = ProgrammeFilter(
        category=Category(category) if category else None,
        audience=Audience(audience) if audience else None,
        spoken_language=spoken,
        date_from=date_from,
        date_to=date_to,
        free_only=free in ("1", "on", "true"),
    )
    return found, ignored


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL)


@dataclass
class ProgrammeEntry:
    """An event as the programme lists it: with its texts and the occurrences still to come."""

    event: Event
    texts: list[EventText]
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def next_occurrence(self) -> Occurrence:
        return self.occurrences[0]


def _upcoming_query(now: datetime, programme_filter: ProgrammeFilter) -> QuerySet[Occurrence]:
    """Scheduled occurrences of published events that have not ended, filtered.

    An exhibition that started last month and runs until next week is still on: occurrences
    are selected by their end, not their start.
    """
    query = Occurrence.filter(
        status=OccurrenceStatus.SCHEDULED,
        ends_at__gt=now,
        event__status=EventStatus.PUBLISHED,
    )
    if programme_filter.category:
        query = query.filter(event__category=programme_filter.category)
    if programme_filter.audience:
        # "Everyone" events suit every audience.
        query = query.filter(
            Q(event__audience=programme_filter.audience) | Q(event__audience=Audience.EVERYONE)
        )
    if programme_filter.spoken_language:
        language = programme_filter.spoken_language
        query = query.filter(
            Q(event__spoken_language=language) | Q(event__subtitles_language=language)
        )
    if programme_filter.free_only:
        query = query.filter(event__price_ore=0)
    if programme_filter.venue_id is not None:
        query = query.filter(venue_id=programme_filter.venue_id)
    if programme_filter.date_from:
        query = query.filter(ends_at__gt=local_day_start(programme_filter.date_from))
    if programme_filter.date_to:
        next_day = programme_filter.date_to + timedelta(days=1)
        query = query.filter(starts_at__lt=local_day_start(next_day))
    return query.order_by("starts_at", "id")


async def upcoming(now: datetime, programme_filter: ProgrammeFilter) -> list[ProgrammeEntry]:
    """Every event that is on or coming (by the filter), soonest first, with its occurrences."""
    query = _upcoming_query(now, programme_filter)
    return await _group_by_event(await query.select_related("event", "venue"))


@dataclass
class ProgrammePage:
    entries: list[ProgrammeEntry]
    total: int  # events matching the filter, on all pages
    page: int
    pages: int


async def upcoming_page(
    now: datetime, programme_filter: ProgrammeFilter, page: int, page_size: int
) -> ProgrammePage:
    """One page of `upcoming`: the page's events are chosen from a light query of ids, so
    only they are loaded in full (a programme of hundreds of events stays fast)."""
    query = _upcoming_query(now, programme_filter)
    event_ids = list(dict.fromkeys(await query.values_list("event_id", flat=True)))
    pages = max(1, -(-len(event_ids) // page_size))
    page = min(max(1, page), pages)
    shown = event_ids[(page - 1) * page_size : page * page_size]
    occurrences = await query.filter(event_id__in=shown).select_related("event", "venue")
    entries = await _group_by_event(occurrences)
    return ProgrammePage(entries, len(event_ids), page, pages)


async def _group_by_event(occurrences: list[Occurrence]) -> list[ProgrammeEntry]:
    entries: dict[int, ProgrammeEntry] = {}
    for occurrence in occurrences:
        entry = entries.get(occurrence.event.id)
        if entry is None:
            entry = entries[occurrence.event.id] = ProgrammeEntry(occurrence.event, [])
        entry.occurrences.append(occurrence)
    texts = await EventText.filter(event_id__in=list(entries))
    for text in texts:
        entries[text.event_id].texts.append(text)  # type: ignore[attr-defined]
    return list(entries.values())


async def published_event(slug: str) -> tuple[Event, list[EventText], list[Occurrence]]:
    """A published (or cancelled) event with its texts and every occurrence, past ones too."""
    event = await Event.get_or_none(
        slug=slug, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
    )
    if event is None:
        raise NotFound(N_("We could not find that event."))
    texts = await EventText.filter(event=event)
    occurrences = await Occurrence.filter(event=event).select_related("venue")
    return event, texts, occurrences


async def public_occurrence(occurrence_id: int) -> Occurrence:
    occurrence = await Occurrence.get_or_none(
        id=occurrence_id,
        event__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
    ).select_related("event", "venue")
    if occurrence is None:
        raise NotFound(N_("We could not find that event."))
    return occurrence


async def venue_by_slug(slug: str) -> Venue:
    venue = await Venue.get_or_none(slug=slug)
    if venue is None:
        raise NotFound(N_("We could not find that venue."))
    return venue


# ---------------------------------------------------------------- writing


@dataclass
class EventInput:
    """What an organiser submits for an event. Texts: language → (title, summary, ...)."""

    slug: str
    category: str
    audience: str = Audience.EVERYONE.value
    spoken_language: str = ""
    subtitles_language: str = ""
    poster_url: str = ""
    price_ore: int = 0
    texts: dict[str, dict[str, str]] = field(default_factory=dict)


def validate_event(data: EventInput) -> dict[str, str]:
    """Field errors of an event form (empty when it can be saved)."""
    errors: dict[str, str] = {}
    if not SLUG_PATTERN.match(data.slug) or len(data.slug) > 80:
        errors["slug"] = N_("Use lower-case letters, digits and hyphens, e.g. summer-film-night.")
    if data.category not in {c.value for c in Category}:
        errors["category"] = N_("Choose a category.")
    if data.audience not in {a.value for a in Audience}:
        errors["audience"] = N_("Choose an audience.")
    for name in ("spoken_language", "subtitles_language"):
        if getattr(data, name) not in ("", *SPOKEN_LANGUAGES):
            errors[name] = N_("Choose a language from the list.")
    if data.price_ore < 0 or data.price_ore > 10_000_000:
        errors["price"] = N_("Enter a price between 0 and 100,000 kr.")
    if len(data.poster_url) > 500:
        errors["poster_url"] = N_("This is too long. Please shorten it.")
    elif data.poster_url and not (
        data.poster_url.startswith("/static/") or data.poster_url.startswith("https://")
    ):
        errors["poster_url"] = N_("Use an https:// address or a /static/ path.")
    titled = [lang for lang, text in data.texts.items() if text.get("title", "").strip()]
    if not titled:
        errors["title_" + LANGUAGES[0]] = N_("Give the event a title in at least one language.")
    for lang, text in data.texts.items():
        if lang not in LANGUAGES:
            continue
        if len(text.get("title", "")) > 200:
            errors[f"title_{lang}"] = N_("Keep the title under 200 characters.")
        if len(text.get("summary", "")) > 500:
            errors[f"summary_{lang}"] = N_("Keep the summary under 500 characters.")
        if len(text.get("poster_alt", "")) > 300:
            errors[f"poster_alt_{lang}"] = N_("This is too long. Please shorten it.")
        has_other = any(text.get(k, "").strip() for k in ("summary", "description"))
        if has_other and not text.get("title", "").strip():
            errors[f"title_{lang}"] = N_("A text in this language needs a title.")
    return errors


async def save_event(
    data: EventInput, *, owner_id: int | None, event: Event | None = None
) -> Event:
    """Create or update an event and its texts in one transaction.

    Raises Invalid with per-field messages. Editing the words raises every occurrence's
    SEQUENCE, so calendars that subscribed pick up the change.
    """
    errors = validate_event(data)
    clash = Event.filter(slug=data.slug)
    if event is not None:
        clash = clash.exclude(id=event.id)
    if "slug" not in errors and await clash.exists():
        errors["slug"] = N_("Another event already uses this address.")
    if errors:
        raise Invalid(errors)
    async with in_transaction():
        if event is None:
            event = await Event.create(
                slug=data.slug,
                category=Category(data.category),
                audience=Audience(data.audience),
                spoken_language=data.spoken_language,
                subtitles_language=data.subtitles_language,
                poster_url=data.poster_url,
                price_ore=data.price_ore,
                owner_id=owner_id,
            )
        else:
            event.slug = data.slug
            event.category = Category(data.category)
            event.audience = Audience(data.audience)
            event.spoken_language = data.spoken_language
            event.subtitles_language = data.subtitles_language
            event.poster_url = data.poster_url
            event.price_ore = data.price_ore
            await event.save()
        await _save_texts(event, data.texts)
        await _revise_occurrences(Occurrence.filter(event=event))
    return event


async def _revise_occurrences(occurrences: QuerySet[Occurrence], **changes: object) -> None:
    """What calendars show of these occurrences changed: apply `changes` and raise SEQUENCE
    and LAST-MODIFIED. (A queryset update does not touch auto_now fields: set here.)"""
    await occurrences.update(**changes, sequence=F("sequence") + 1, updated_at=timezone.now())


async def _save_texts(event: Event, texts: dict[str, dict[str, str]]) -> None:
    for lang in LANGUAGES:
        text = texts.get(lang, {})
        title = text.get("title", "").strip()
        if not title:
            await EventText.filter(event=event, language=lang).delete()
            continue
        values = {
            "title": title,
            "summary": text.get("summary", "").strip(),
            "description": text.get("description", "").strip(),
            "poster_alt": text.get("poster_alt", "").strip(),
        }
        await EventText.update_or_create(defaults=values, event=event, language=lang)


async def set_event_status(event: Event, status: EventStatus) -> Event:
    """Publish, unpublish (back to draft) or cancel an event."""
    async with in_transaction():
        now = timezone.now()
        was_public = event.status == EventStatus.PUBLISHED
        event.status = status
        if status == EventStatus.PUBLISHED:
            event.published_at = event.published_at or now
            event.withdrawn_at = None
        elif was_public:
            event.withdrawn_at = now
        await event.save(update_fields=["status", "published_at", "withdrawn_at", "updated_at"])
        await _revise_occurrences(Occurrence.filter(event=event))
    return event


@dataclass
class OccurrenceInput:
    """What an organiser submits for an occurrence, in local (Copenhagen) time."""

    venue_id: int | None
    starts_at: datetime
    ends_at: datetime
    all_day: bool = False
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    max_seats_per_registration: int = 4
    waitlist_enabled: bool = True
    min_age: int | None = None
    max_age: int | None = None
    fee_ore: int | None = None


def validate_occurrence(data: OccurrenceInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.ends_at <= data.starts_at and not data.all_day:
        errors["ends_at"] = N_("The end must be after the start.")
    if data.all_day and data.ends_at.date() < data.starts_at.date():
        errors["ends_at"] = N_("The last day cannot be before the first day.")
    if data.capacity is not None and not 1 <= data.capacity <= 100_000:
        errors["capacity"] = N_(
            "Enter a capacity from 1 to 100,000, or leave it empty for drop-in."
        )
    if not 1 <= data.max_seats_per_registration <= 50:
        errors["max_seats_per_registration"] = N_("Enter a number from 1 to 50.")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = N_("Registration must close after it opens.")
    for name in ("min_age", "max_age"):
        age = getattr(data, name)
        if age is not None and not 0 <= age <= 99:
            errors[name] = N_("Enter an age from 0 to 99.")
    if data.min_age is not None and data.max_age is not None and data.max_age < data.min_age:
        errors["max_age"] = N_("The maximum age cannot be below the minimum age.")
    if data.fee_ore is not None and data.fee_ore < 0:
        errors["fee"] = N_("Enter a fee of 0 or more.")
    return errors


def _stored_span(data: OccurrenceInput) -> tuple[datetime, datetime]:
    """All-day occurrences are stored from local midnight of the first day to local
    midnight after the last day (the exclusive end calendars expect)."""
    if not data.all_day:
        return data.starts_at, data.ends_at
    first = local_day_start(data.starts_at.date())
    after_last = local_day_start(data.ends_at.date() + timedelta(days=1))
    return first, after_last


async def save_occurrence(
    event: Event, data: OccurrenceInput, occurrence: Occurrence | None = None
) -> Occurrence:
    """Create or edit an occurrence. Each edit raises its SEQUENCE for calendar clients."""
    errors = validate_occurrence(data)
    if data.venue_id is not None and not await Venue.exists(id=data.venue_id):
        errors["venue"] = N_("Choose a venue from the list.")
    if errors:
        raise Invalid(errors)
    starts_at, ends_at = _stored_span(data)
    values = {
        "venue_id": data.venue_id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": data.all_day,
        "capacity": data.capacity,
        "registration_opens_at": data.registration_opens_at,
        "registration_closes_at": data.registration_closes_at,
        "max_seats_per_registration": data.max_seats_per_registration,
        "waitlist_enabled": data.waitlist_enabled,
        "min_age": data.min_age,
        "max_age": data.max_age,
        "fee_ore": data.fee_ore,
    }
    if occurrence is None:
        return await Occurrence.create(event=event, **values)
    # An update in the database, not a save of the loaded row: a concurrent edit of the event
    # (SEQUENCE + 1) or a booking (lock_version) must not be overwritten.
    await _revise_occurrences(Occurrence.filter(id=occurrence.id), **values)
    await occurrence.refresh_from_db()
    return occurrence


async def cancel_occurrence(occurrence: Occurrence, now: datetime) -> Occurrence:
    """Cancel an occurrence. It stays in feeds, marked cancelled, so calendars remove it."""
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return occurrence
    await _revise_occurrences(
        Occurrence.filter(id=occurrence.id), status=OccurrenceStatus.CANCELLED, cancelled_at=now
    )
    await occurrence.refresh_from_db()
    return occurrence


@dataclass
class VenueInput:
    slug: str
    name: str
    address: str
    map_url: str = ""
    step_free: bool = False
    hearing_loop: bool = False
    accessibility_notes: dict[str, str] = field(default_factory=dict)


async def save_venue(data: VenueInput, venue: Venue | None = None) -> Venue:
    errors: dict[str, str] = {}
    if not SLUG_PATTERN.match(data.slug) or len(data.slug) > 80:
        errors["slug"] = N_("Use lower-case letters, digits and hyphens, e.g. summer-film-night.")
    if not data.name.strip():
        errors["name"] = N_("Enter the venue's name.")
    if not data.address.strip():
        errors["address"] = N_("Enter the venue's address.")
    if data.map_url and not data.map_url.startswith("https://"):
        errors["map_url"] = N_("Use an https:// address.")
    clash = Venue.filter(slug=data.slug)
    if venue is not None:
        clash = clash.exclude(id=venue.id)
    if "slug" not in errors and await clash.exists():
        errors["slug"] = N_("Another venue already uses this address.")
    if errors:
        raise Invalid(errors)
    values = {
        "slug": data.slug,
        "name": data.name.strip(),
        "address": data.address.strip(),
        "map_url": data.map_url.strip(),
        "step_free": data.step_free,
        "hearing_loop": data.hearing_loop,
        "accessibility_notes": {
            lang: note.strip()
            for lang, note in data.accessibility_notes.items()
            if lang in LANGUAGES and note.strip()
        },
    }
    if venue is None:
        return await Venue.create(**values)
    async with in_transaction():
        venue.update_from_dict(values)
        await venue.save()
        # The venue's name and address are the calendar entries' LOCATION.
        await _revise_occurrences(Occurrence.filter(venue=venue))
    return venue


# ---------------------------------------------------------------- organiser-side queries
# What the organiser pages list. `owner_id=None` means every event (an admin's view); access
# itself is decided by the caller with security.can_edit_event.


@dataclass
class EventSummary:
    """One row of the organiser's event list."""

    event: Event
    text: EventText | None
    next_occurrence: Occurrence | None
    occurrence_count: int


async def events_for_owner(
    owner_id: int | None, language: str, now: datetime
) -> list[EventSummary]:
    """Events `owner_id` owns (all events when None), newest first, with their next date."""
    query = Event.all() if owner_id is None else Event.filter(owner_id=owner_id)
    events = await query.select_related("owner").order_by("-created_at", "-id")
    ids = [event.id for event in events]
    texts: dict[int, list[EventText]] = {event_id: [] for event_id in ids}
    for text in await EventText.filter(event_id__in=ids):
        texts[text.event_id].append(text)  # type: ignore[attr-defined]
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    next_dates: dict[int, Occurrence] = {}
    for occurrence in await Occurrence.filter(event_id__in=ids).order_by("starts_at", "id"):
        event_id = occurrence.event_id  # type: ignore[attr-defined]
        counts[event_id] += 1
        upcoming_one = occurrence.status == OccurrenceStatus.SCHEDULED and occurrence.ends_at > now
        if upcoming_one and event_id not in next_dates:
            next_dates[event_id] = occurrence
    return [
        EventSummary(
            event=event,
            text=pick_text(texts[event.id], language),
            next_occurrence=next_dates.get(event.id),
            occurrence_count=counts[event.id],
        )
        for event in events
    ]


async def event_with_texts(event_id: int) -> tuple[Event, dict[str, EventText]]:
    """An event of any status with its texts by language (NotFound when there is none)."""
    event = await Event.get_or_none(id=event_id).select_related("owner")
    if event is None:
        raise NotFound(N_("We could not find that event."))
    texts = {text.language: text for text in await EventText.filter(event=event)}
    return event, texts


async def occurrences_of(event: Event) -> list[Occurrence]:
    """Every occurrence of an event, cancelled and past ones too, in date order."""
    return await Occurrence.filter(event=event).select_related("venue").order_by("starts_at", "id")


async def occurrence_by_id(occurrence_id: int) -> Occurrence:
    occurrence = await Occurrence.get_or_none(id=occurrence_id).select_related("event", "venue")
    if occurrence is None:
        raise NotFound(N_("We could not find that date."))
    return occurrence


async def venue_by_id(venue_id: int) -> Venue:
    venue = await Venue.get_or_none(id=venue_id)
    if venue is None:
        raise NotFound(N_("We could not find that venue."))
    return venue


@dataclass
class UpcomingRow:
    """An occurrence on the organiser's start page, with its event's text."""

    occurrence: Occurrence
    text: EventText | None


async def upcoming_for_owner(
    owner_id: int | None, language: str, now: datetime, limit: int = 10
) -> list[UpcomingRow]:
    """The next scheduled occurrences of `owner_id`'s events (all events when None).

    Drafts are included: an organiser prepares dates before publishing.
    """
    query = Occurrence.filter(
        status=OccurrenceStatus.SCHEDULED,
        ends_at__gt=now,
        event__status__in=[EventStatus.DRAFT, EventStatus.PUBLISHED],
    )
    if owner_id is not None:
        query = query.filter(event__owner_id=owner_id)
    occurrences = (
        await query.select_related("event", "venue").order_by("starts_at", "id").limit(limit)
    )
    event_ids = {occurrence.event.id for occurrence in occurrences}
    texts: dict[int, list[EventText]] = {event_id: [] for event_id in event_ids}
    for text in await EventText.filter(event_id__in=list(event_ids)):
        texts[text.event_id].append(text)  # type: ignore[attr-defined]
    return [
        UpcomingRow(occurrence, pick_text(texts[occurrence.event.id], language))
        for occurrence in occurrences
    ]


async def owner_errors(owner_id: int | None) -> dict[str, str]:
    """An event's owner must be an active organiser or admin (camp staff own no events)."""
    from venskab.models import Organiser, Role  # kept here: this section is appended

    if owner_id is None:
        return {}
    if not await Organiser.exists(
        id=owner_id, is_active=True, role__in=[Role.ADMIN, Role.ORGANISER]
    ):
        return {"owner": N_("Choose an organiser from the list.")}
    return {}


async def assign_event_owner(event: Event, owner_id: int | None) -> Event:
    """Hand an event to another organiser (admins decide this; the view checks the role)."""
    errors = await owner_errors(owner_id)
    if errors:
        raise Invalid(errors)
    if event.owner_id != owner_id:  # type: ignore[attr-defined]
        event.owner_id = owner_id  # type: ignore[attr-defined]
        await event.save(update_fields=["owner_id", "updated_at"])
    return event
