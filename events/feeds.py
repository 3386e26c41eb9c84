"""What each calendar feed holds, read from the database and turned into calendar entries.

No HTTP and no translation here: the caller names the feed's language and passes the words
that are not event text (the feed's name, the "Cancelled: " prefix). events/ical.py writes the
bytes.

A feed keeps, besides what is coming:
- occurrences that ended in the last FEED_MEMORY (people look back at what they attended),
- cancelled occurrences, and every occurrence of a cancelled or withdrawn event, for
  FEED_MEMORY after the cancellation, marked STATUS:CANCELLED so subscribed calendars show it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from events.ical import CalendarEntry
from events.models import Category, Event, EventStatus, EventText, Occurrence, OccurrenceStatus
from events.services import pick_text, texts_by_event
from venskab.errors import NotFound
from venskab.i18n import N_

FEED_MEMORY = timedelta(days=30)
WITHDRAWN = (EventStatus.CANCELLED, EventStatus.DRAFT)


def occurrence_uid(occurrence_id: int, host: str) -> str:
    """Stable for the life of the occurrence: calendars update the entry instead of adding."""
    return f"occurrence-{occurrence_id}@{host}"


def _in_feed(now: datetime) -> Q:
    since = now - FEED_MEMORY
    live = Q(status=OccurrenceStatus.SCHEDULED, event__status=EventStatus.PUBLISHED) & Q(
        ends_at__gt=since
    )
    cancelled = Q(status=OccurrenceStatus.CANCELLED, cancelled_at__gt=since)
    withdrawn = Q(event__status__in=WITHDRAWN, event__withdrawn_at__gt=since, ends_at__gt=since)
    # Only events that were ever public: a draft's dates never reached anyone's calendar.
    return Q(event__published_at__isnull=False) & (live | cancelled | withdrawn)


def is_cancelled(occurrence: Occurrence) -> bool:
    event: Event = occurrence.event
    return occurrence.status == OccurrenceStatus.CANCELLED or event.status in WITHDRAWN


async def programme_entries(
    now: datetime,
    language: str,
    *,
    base_url: str,
    category: Category | None = None,
) -> list[CalendarEntry]:
    """The entries of the programme feed (or one category's), texts in `language`."""
    query = Occurrence.filter(_in_feed(now))
    if category is not None:
        query = query.filter(event__category=category)
    occurrences = await query.select_related("event", "venue")
    texts = await texts_by_event(o.event.id for o in occurrences)
    return [
        entry_for(o, texts.get(o.event.id, []), language, base_url=base_url) for o in occurrences
    ]


async def occurrence_entry(occurrence_id: int, language: str, *, base_url: str) -> CalendarEntry:
    """One occurrence of a public (or once public) event, for an .ics download."""
    occurrence = await Occurrence.get_or_none(
        id=occurrence_id, event__published_at__isnull=False
    ).select_related("event", "venue")
    if occurrence is None:
        raise NotFound(N_("We could not find that event."))
    texts = await EventText.filter(event_id=occurrence.event.id)
    return entry_for(occurrence, texts, language, base_url=base_url)


def entry_for(
    occurrence: Occurrence, texts: list[EventText], language: str, *, base_url: str
) -> CalendarEntry:
    """An occurrence as a calendar entry, in `language` where the event has that text."""
    event: Event = occurrence.event
    text = pick_text(texts, language)
    url = f"{base_url}/{language}/events/{event.slug}"
    venue = occurrence.venue
    summary = text.summary if text else ""
    return CalendarEntry(
        uid=occurrence_uid(occurrence.id, _host(base_url)),
        title=text.title if text else event.slug,
        description=f"{summary}\n\n{url}" if summary else url,
        location=f"{venue.name}, {venue.address}" if venue else "",
        url=url,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        all_day=occurrence.all_day,
        cancelled=is_cancelled(occurrence),
        sequence=occurrence.sequence,
        last_modified=occurrence.updated_at,
        created=occurrence.created_at,
        categories=(event.category.value,),
    )


def _host(base_url: str) -> str:
    return base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


async def feeds_last_modified(now: datetime) -> datetime | None:
    """When any feed last changed: the latest edit of any occurrence (edits of events and
    venues touch their occurrences), or the latest moment an occurrence left the feeds by
    ageing out. Conservative on purpose: If-Modified-Since gets 304 only when nothing changed.
    """
    since = now - FEED_MEMORY
    moments = [
        await _latest(Occurrence.all(), "updated_at"),
        _plus(await _latest(Occurrence.filter(ends_at__lte=since), "ends_at")),
        _plus(await _latest(Occurrence.filter(cancelled_at__lte=since), "cancelled_at")),
        _plus(
            await _latest(
                Event.filter(status__in=WITHDRAWN, withdrawn_at__lte=since),
                "withdrawn_at",
            )
        ),
    ]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


async def feeds_version(now: datetime) -> tuple:
    """Changes whenever any feed's bytes would: the last change or ageing-out moment, plus
    the number of occurrences and the sum of their SEQUENCEs (every edit raises one, so an
    edit is seen even if its clock lagged)."""
    totals = (
        await Occurrence.all()
        .annotate(count=Count("id"), sequences=Sum("sequence"))
        .values("count", "sequences")
    )
    row = totals[0] if totals else {}
    return (await feeds_last_modified(now), row.get("count"), row.get("sequences"))


async def _latest(query, field: str) -> datetime | None:
    values = await query.order_by(f"-{field}").limit(1).values_list(field, flat=True)
    return values[0] if values else None


def _plus(moment: datetime | None) -> datetime | None:
    return moment + FEED_MEMORY if moment is not None else None
