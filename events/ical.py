"""Calendar bytes from calendar entries: pure (no database, no HTTP, no translation).

The one module that imports icalendar. What clients get wrong, and what this does about it:
- Times carry TZID=Europe/Copenhagen with a VTIMEZONE in RRULE form in the same file. The form
  icalendar generates (one multi-valued RDATE) is read by ical.js (Thunderbird) and vobject as
  its first value only, putting summer events an hour off.
- All-day entries are VALUE=DATE with an exclusive end, and TRANSP:TRANSPARENT so a six-week
  exhibition does not mark six weeks busy.
- DTSTAMP is the entry's last change, not "now": the same data gives the same bytes, so ETags
  stay valid between requests and processes.
- Entries come out sorted, so order never changes the bytes either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vRecur,
)

TZID = "Europe/Copenhagen"
LOCAL = ZoneInfo(TZID)
PRODID = "-//Venskab//Copenhagen-Kyiv friendship-city programme//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """One occurrence as a calendar shows it, already in the feed's language."""

    uid: str
    title: str
    description: str
    location: str
    url: str
    starts_at: datetime  # aware; all-day entries: local midnight of the first day
    ends_at: datetime  # aware; all-day entries: local midnight after the last day
    all_day: bool
    cancelled: bool
    sequence: int
    last_modified: datetime
    created: datetime
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarInfo:
    """The calendar's own header: name, description, language, how often to poll."""

    name: str
    description: str
    language: str
    cancelled_prefix: str  # e.g. "Cancelled: ", in the feed's language
    url: str = ""
    refresh: timedelta = timedelta(hours=1)


def build_calendar(entries: Iterable[CalendarEntry], info: CalendarInfo) -> bytes:
    """A complete iCalendar (RFC 5545) file with a VTIMEZONE when any entry is timed."""
    calendar = _calendar(info)
    ordered = sorted(entries, key=lambda entry: (entry.starts_at, entry.uid))
    if any(not entry.all_day for entry in ordered):
        calendar.add_component(copenhagen_timezone())
    for entry in ordered:
        calendar.add_component(_event(entry, info))
    return calendar.to_ical()


def _plain(value: str) -> str:
    """Header words without TEXT specials: clients do not unescape X-WR-CALNAME/CALDESC, so
    they must not need escaping (a comma or semicolon becomes a dash, a newline a space)."""
    value = " ".join(value.split())
    return value.replace("\\", "/").replace(";", " –").replace(",", " –")


def _calendar(info: CalendarInfo) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name, description = _plain(info.name), _plain(info.description)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TZID)
    if info.url:
        calendar.add("url", info.url)
    calendar.add("refresh-interval", info.refresh, parameters={"VALUE": "DURATION"})
    # X- properties default to TEXT in icalendar: write the duration form ("PT1H") ourselves.
    calendar.add("x-published-ttl", vDuration(info.refresh).to_ical().decode())
    return calendar


def _event(entry: CalendarEntry, info: CalendarInfo) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", _utc(entry.last_modified))
    event.add("created", _utc(entry.created))
    event.add("last-modified", _utc(entry.last_modified))
    event.add("sequence", entry.sequence)
    title = f"{info.cancelled_prefix}{entry.title}" if entry.cancelled else entry.title
    event.add("summary", title)
    if entry.all_day:
        event.add("dtstart", entry.starts_at.astimezone(LOCAL).date())
        event.add("dtend", entry.ends_at.astimezone(LOCAL).date())
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", entry.starts_at.astimezone(LOCAL))
        event.add("dtend", entry.ends_at.astimezone(LOCAL))
        event.add("transp", "OPAQUE")
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.categories:
        event.add("categories", list(entry.categories))
    return event


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)


def copenhagen_timezone() -> Timezone:
    """Europe/Copenhagen in the RRULE form every client reads (EU rules since 1996)."""
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("dtstart", datetime(1996, 3, 31, 2, 0))
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("dtstart", datetime(1996, 10, 27, 3, 0))
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone
