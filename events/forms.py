"""Organiser form values → the services' input dataclasses, and back again for editing.

Parsing only: what a typed value means (a price in kroner, a local date and time) is decided
here; whether it is allowed is decided in events/services.py. Each reader keeps every value as
typed, so a form with errors is shown again exactly as it was sent, and collects per-field
errors as English msgids (translated when the form is rendered).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from events.models import Event, EventText, Occurrence, Venue
from events.services import LOCAL, EventInput, OccurrenceInput, VenueInput
from venskab.i18n import N_
from venskab.settings import LANGUAGES

TEXT_FIELDS = {"title": 200, "summary": 500, "description": 20_000, "poster_alt": 300}
NUMBER = re.compile(r"^\d{1,9}$")
# Whole kroner up to 9,999,999 keeps øre inside a 32-bit integer column.
KRONER = re.compile(r"^(\d{1,7})(?:[.,](\d{1,2}))?$")
THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")
DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")
# Dates outside this range are typing mistakes, and year 1 cannot even be converted to UTC.
FIRST_YEAR, LAST_YEAR = 2000, 2100

# Ukrainian national transliteration (2010) and the Danish letters, for addresses (slugs).
TRANSLITERATION = str.maketrans(
    {
        **dict(zip("абвгґдезиіїйклмнопрстуфь", "abvhgdezyiiiklmnoprstuf'", strict=True)),
        "є": "ie",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ю": "iu",
        "я": "ia",
        "æ": "ae",
        "ø": "oe",
        "å": "aa",
    }
)


class FormReader:
    """Reads one submitted form: values as typed, and an error per field that cannot be read."""

    def __init__(self, form: Mapping[str, Any]) -> None:
        self._form = form
        self.values: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def text(self, name: str, max_length: int = 500) -> str:
        raw = self._form.get(name, "")
        value = raw.strip() if isinstance(raw, str) else ""
        self.values[name] = value
        if len(value) > max_length:
            self.errors[name] = N_("This is too long. Please shorten it.")
        return value

    def flag(self, name: str) -> bool:
        checked = bool(self._form.get(name))
        self.values[name] = "on" if checked else ""
        return checked

    def whole_number(
        self, name: str, *, default: int | None = None, maximum: int = 1_000_000_000
    ) -> int | None:
        """A whole number of 0 or more; `default` when left empty."""
        value = self.text(name, max_length=20)
        if not value:
            return default
        if not NUMBER.match(value) or int(value) > maximum:
            self.errors[name] = N_("Enter a whole number of 0 or more, e.g. 40.")
            return default
        return int(value)

    def kroner(self, name: str, *, default: int | None = 0) -> int | None:
        """An amount in kroner ("50", "50,00", "1.500,50") as øre; `default` when empty."""
        value = self.text(name, max_length=30)
        if not value:
            return default
        try:
            return parse_kroner(value)
        except ValueError:
            self.errors[name] = N_("Enter an amount in kroner, e.g. 50 or 50,00.")
            return default

    def local_datetime(
        self, name: str, *, required: bool, needs_time: bool = True, default_day: date | None = None
    ) -> datetime | None:
        """A Copenhagen date (field `name`) and time (`name`_time) as an aware datetime."""
        day_text = self.text(name, max_length=20)
        time_text = self.text(f"{name}_time", max_length=10)
        if not day_text and not time_text and not required:
            return None
        day = parse_day(day_text) if day_text else default_day
        if day is None:
            self.errors[name] = (
                N_("Enter a date, e.g. 2027-07-05.")
                if not day_text
                else N_("Enter a real date, e.g. 2027-07-05.")
            )
            return None
        if not needs_time:
            return datetime.combine(day, time.min, tzinfo=LOCAL)
        clock = parse_clock(time_text) if time_text else None
        if clock is None:
            self.errors[name] = (
                N_("Enter a time as well, e.g. 19:00.")
                if not time_text
                else N_("Enter a real time, e.g. 19:00.")
            )
            return None
        return datetime.combine(day, clock, tzinfo=LOCAL)


# ---------------------------------------------------------------- single values


def parse_kroner(text: str) -> int:
    """Kroner as typed in Denmark or elsewhere → øre. Raises ValueError when it is not money."""
    value = re.sub(r"\s+", "", text).lower()
    value = re.sub(r"(kr\.?|dkk)$", "", value)
    if THOUSANDS.match(value):  # "1.500" or "1.500,50": dots group thousands
        value = value.replace(".", "")
    match = KRONER.match(value)
    if not match:
        raise ValueError(text)
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(Decimal(whole) * 100 + Decimal(fraction))


def format_kroner(ore: int | None) -> str:
    """Øre as the form shows them: "50" for whole kroner, "50,50" otherwise."""
    if ore is None:
        return ""
    kroner, rest = divmod(ore, 100)
    return f"{kroner},{rest:02d}" if rest else str(kroner)


def parse_day(text: str) -> date | None:
    """ISO dates from date inputs, and day-first dates typed where those are not supported."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        match = DAY_FIRST.match(text)
        if not match:
            return None
        try:
            day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def parse_clock(text: str) -> time | None:
    match = CLOCK.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def slugify(text: str) -> str:
    """A web address from a title: Ukrainian transliterated, Danish letters spelt out."""
    value = text.lower().translate(TRANSLITERATION)
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", value.replace("'", "")).strip("-")
    if len(value) > 80:
        value = value[:80].rsplit("-", 1)[0]
    return value


# ---------------------------------------------------------------- events


def read_event(form: Mapping[str, Any], *, creating: bool) -> tuple[EventInput, FormReader]:
    """The event form. A new event without an address gets one made from its title."""
    reader = FormReader(form)
    slug = reader.text("slug", max_length=80)
    texts = {
        lang: {name: reader.text(f"{name}_{lang}", limit) for name, limit in TEXT_FIELDS.items()}
        for lang in LANGUAGES
    }
    if creating and not slug:
        title = next(
            (texts[lang]["title"] for lang in ("en", "da", "uk") if texts[lang]["title"]), ""
        )
        slug = reader.values["slug"] = slugify(title)
    data = EventInput(
        slug=slug,
        category=reader.text("category", 20),
        audience=reader.text("audience", 20),
        spoken_language=reader.text("spoken_language", 2),
        subtitles_language=reader.text("subtitles_language", 2),
        poster_url=reader.text("poster_url", 500),
        price_ore=reader.kroner("price") or 0,
        texts=texts,
    )
    return data, reader


def event_values(event: Event, texts: Mapping[str, EventText]) -> dict[str, str]:
    """The event form filled in from a stored event."""
    values = {
        "slug": event.slug,
        "category": event.category.value,
        "audience": event.audience.value,
        "spoken_language": event.spoken_language,
        "subtitles_language": event.subtitles_language,
        "poster_url": event.poster_url,
        "price": format_kroner(event.price_ore),
        "owner": str(event.owner_id or ""),  # type: ignore[attr-defined]
    }
    for lang in LANGUAGES:
        text = texts.get(lang)
        for name in TEXT_FIELDS:
            values[f"{name}_{lang}"] = getattr(text, name) if text else ""
    return values


# ---------------------------------------------------------------- occurrences


def read_occurrence(
    form: Mapping[str, Any], *, camp: bool
) -> tuple[OccurrenceInput | None, FormReader]:
    """The occurrence form, in Copenhagen time. None when a value could not be read.

    An all-day occurrence (an exhibition) needs only its first and last day; an empty end date
    means the same day as the start.
    """
    reader = FormReader(form)
    all_day = reader.flag("all_day")
    starts_at = reader.local_datetime("starts_at", required=True, needs_time=not all_day)
    # The end defaults to the start's day even when the start's time is still missing.
    first_day = starts_at.date() if starts_at else parse_day(reader.values["starts_at"])
    ends_at = reader.local_datetime(
        "ends_at", required=True, needs_time=not all_day, default_day=first_day
    )
    opens = reader.local_datetime("registration_opens_at", required=False)
    closes = reader.local_datetime("registration_closes_at", required=False)
    venue_id = reader.whole_number("venue")
    capacity = reader.whole_number("capacity")
    max_seats = reader.whole_number("max_seats_per_registration", default=4)
    waitlist = reader.flag("waitlist_enabled")
    min_age = max_age = fee_ore = None
    if camp:
        min_age = reader.whole_number("min_age", maximum=99)
        max_age = reader.whole_number("max_age", maximum=99)
        fee_ore = reader.kroner("fee", default=None)
    if reader.errors or starts_at is None or ends_at is None:
        return None, reader
    return (
        OccurrenceInput(
            venue_id=venue_id,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=all_day,
            capacity=capacity,
            registration_opens_at=opens,
            registration_closes_at=closes,
            max_seats_per_registration=max_seats if max_seats is not None else 4,
            waitlist_enabled=waitlist,
            min_age=min_age,
            max_age=max_age,
            fee_ore=fee_ore,
        ),
        reader,
    )


def _date_and_time(values: dict[str, str], name: str, moment: datetime | None) -> None:
    local = moment.astimezone(LOCAL) if moment else None
    values[name] = local.date().isoformat() if local else ""
    values[f"{name}_time"] = local.strftime("%H:%M") if local else ""


def occurrence_values(occurrence: Occurrence | None) -> dict[str, str]:
    """The occurrence form filled in from a stored occurrence (defaults for a new one)."""
    if occurrence is None:
        return {"max_seats_per_registration": "4", "waitlist_enabled": "on"}
    values = {
        "venue": str(occurrence.venue_id or ""),  # type: ignore[attr-defined]
        "all_day": "on" if occurrence.all_day else "",
        "capacity": "" if occurrence.capacity is None else str(occurrence.capacity),
        "max_seats_per_registration": str(occurrence.max_seats_per_registration),
        "waitlist_enabled": "on" if occurrence.waitlist_enabled else "",
        "min_age": "" if occurrence.min_age is None else str(occurrence.min_age),
        "max_age": "" if occurrence.max_age is None else str(occurrence.max_age),
        "fee": format_kroner(occurrence.fee_ore),
    }
    _date_and_time(values, "starts_at", occurrence.starts_at)
    _date_and_time(values, "ends_at", occurrence.ends_at)
    _date_and_time(values, "registration_opens_at", occurrence.registration_opens_at)
    _date_and_time(values, "registration_closes_at", occurrence.registration_closes_at)
    if occurrence.all_day:
        # Stored with the exclusive end calendars expect; the form shows the last day.
        last_day = occurrence.ends_at.astimezone(LOCAL) - timedelta(days=1)
        values.update(starts_at_time="", ends_at=last_day.date().isoformat(), ends_at_time="")
    return values


# ---------------------------------------------------------------- venues


def read_venue(form: Mapping[str, Any]) -> tuple[VenueInput, FormReader]:
    reader = FormReader(form)
    data = VenueInput(
        slug=reader.text("slug", 80),
        name=reader.text("name", 200),
        address=reader.text("address", 300),
        map_url=reader.text("map_url", 500),
        step_free=reader.flag("step_free"),
        hearing_loop=reader.flag("hearing_loop"),
        accessibility_notes={lang: reader.text(f"notes_{lang}", 2000) for lang in LANGUAGES},
    )
    if not data.slug and data.name:
        data.slug = reader.values["slug"] = slugify(data.name)
    return data, reader


def venue_values(venue: Venue) -> dict[str, str]:
    values = {
        "slug": venue.slug,
        "name": venue.name,
        "address": venue.address,
        "map_url": venue.map_url,
        "step_free": "on" if venue.step_free else "",
        "hearing_loop": "on" if venue.hearing_loop else "",
    }
    for lang in LANGUAGES:
        values[f"notes_{lang}"] = venue.accessibility_notes.get(lang, "")
    return values
