"""Venues, events with their texts per language, and dated occurrences.

Times are stored in UTC; money is integer øre. Capacity is a limit, never a counter: seats taken
are derived from registration rows (booking/capacity.py), so nothing here drifts.

Model docstrings become SQL table comments, and Tortoise's migration runner splits SQL on
semicolons: keep semicolons out of model docstrings.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Category(StrEnum):
    EXHIBITION = "exhibition"
    FILM = "film"
    WORKSHOP = "workshop"
    VETERANS = "veterans"
    CAMP = "camp"


class Audience(StrEnum):
    EVERYONE = "everyone"
    FAMILIES = "families"
    CHILDREN = "children"
    ADULTS = "adults"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class OccurrenceStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Venue(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=200)
    address = fields.CharField(max_length=300)
    map_url = fields.CharField(max_length=500, default="")
    step_free = fields.BooleanField(default=False, db_default=False)
    hearing_loop = fields.BooleanField(default=False, db_default=False)
    # Accessibility notes per language code: {"uk": "...", "da": "...", "en": "..."}.
    accessibility_notes = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "venue"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    category = fields.CharEnumField(Category, max_length=20, db_index=True)
    audience = fields.CharEnumField(Audience, max_length=20, default=Audience.EVERYONE)
    # ISO 639-1 code of what is spoken ("" when nothing is, e.g. an exhibition).
    spoken_language = fields.CharField(max_length=2, default="")
    subtitles_language = fields.CharField(max_length=2, default="")
    poster_url = fields.CharField(max_length=500, default="")
    price_ore = fields.IntField(default=0, db_default=0)
    status = fields.CharEnumField(
        EventStatus, max_length=12, default=EventStatus.DRAFT, db_index=True
    )
    owner = fields.ForeignKeyField(
        "venskab.Organiser", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    # Set when first published: a withdrawn event that was once public stays in calendar
    # feeds, marked cancelled, so subscribers' calendars learn of it.
    published_at = fields.DatetimeField(null=True)
    # When a published event was cancelled or taken back to draft: its dates stay in feeds,
    # marked cancelled, for 30 days from then (later edits must not restart that time).
    withdrawn_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    texts: fields.ReverseRelation[EventText]
    occurrences: fields.ReverseRelation[Occurrence]

    class Meta:
        table = "event"

    def __str__(self) -> str:
        return self.slug


class EventText(Model):
    """The words of an event in one language. Every event has at least one."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "venskab.Event", related_name="texts", on_delete=fields.CASCADE
    )
    language = fields.CharField(max_length=2)
    title = fields.CharField(max_length=200)
    summary = fields.CharField(max_length=500, default="")
    description = fields.TextField(default="")
    poster_alt = fields.CharField(max_length=300, default="")

    class Meta:
        table = "event_text"
        unique_together = (("event", "language"),)


class Occurrence(Model):
    """One dated instance of an event: a showing, an exhibition run or a camp session (week)."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "venskab.Event", related_name="occurrences", on_delete=fields.CASCADE
    )
    venue: fields.ForeignKeyNullableRelation[Venue] = fields.ForeignKeyField(
        "venskab.Venue", related_name="occurrences", null=True, on_delete=fields.RESTRICT
    )
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField(db_index=True)
    all_day = fields.BooleanField(default=False, db_default=False)
    capacity = fields.IntField(null=True)  # None: drop-in, no registration
    registration_opens_at = fields.DatetimeField(null=True)
    registration_closes_at = fields.DatetimeField(null=True)
    max_seats_per_registration = fields.IntField(default=4, db_default=4)
    waitlist_enabled = fields.BooleanField(default=True, db_default=True)
    # A party promoted from the waitlist must confirm within this many hours (0: it is
    # confirmed at once).
    offer_hours = fields.IntField(default=24, db_default=24)
    status = fields.CharEnumField(
        OccurrenceStatus, max_length=12, default=OccurrenceStatus.SCHEDULED
    )
    cancelled_at = fields.DatetimeField(null=True)
    # Camp sessions: age range on the first day, and their own fee (None: the event's price).
    min_age = fields.IntField(null=True)
    max_age = fields.IntField(null=True)
    fee_ore = fields.IntField(null=True)
    # iCalendar SEQUENCE: raised on every edit of the occurrence or its event's text.
    sequence = fields.IntField(default=0, db_default=0)
    # Written first by every transaction that can reduce availability: the row lock.
    lock_version = fields.IntField(default=0, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "occurrence"
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"occurrence {self.id}"
