"""Calendar over HTTP: subscription feeds, one occurrence's .ics, and the page that explains
how to subscribe. Thin: feeds.py chooses, ical.py writes, this names things in the reader's
language and answers polling clients with 304 while nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import timezone

from events import calendar_links, feeds, labels
from events.ical import CalendarEntry, CalendarInfo, build_calendar
from events.models import Category, Event, Occurrence
from venskab.errors import NotFound
from venskab.i18n import N_, current_language, gettext
from venskab.settings import BASE_URL
from venskab.web import cached, conditional, render, validated_response

CALENDAR_TYPE = "text/calendar; charset=utf-8"
PROGRAMME = "programme"


def feed_url(language: str, feed: str = PROGRAMME) -> str:
    """The absolute https (or http) address of a feed: what calendar apps fetch."""
    return f"{BASE_URL}/{language}/calendar/{feed}.ics"


def occurrence_ics_url(language: str, occurrence_id: int) -> str:
    return f"{BASE_URL}/{language}/calendar/occurrences/{occurrence_id}.ics"


def feed_name(category: Category | None) -> str:
    programme = gettext("Copenhagen–Kyiv programme")
    if category is None:
        return programme
    return f"{programme}: {gettext(labels.CATEGORY_NAMES[category])}"


def _info(category: Category | None, language: str) -> CalendarInfo:
    return CalendarInfo(
        name=feed_name(category),
        description=gettext(
            "Events of the Copenhagen–Kyiv friendship-city programme. Times are Copenhagen time."
        ),
        language=language,
        cancelled_prefix=gettext("Cancelled: "),
        url=f"{BASE_URL}/{language}/programme",
    )


@dataclass(frozen=True)
class FeedOffer:
    """One feed as the pages offer it: every way to subscribe."""

    key: str  # "programme" or a category: unique on a page
    name: str
    https: str
    webcal: str
    google: str
    outlook: str


def feed_offer(language: str, category: Category | None = None) -> FeedOffer:
    key = category.value if category else PROGRAMME
    url = feed_url(language, key)
    name = feed_name(category)
    return FeedOffer(
        key=key,
        name=name,
        https=url,
        webcal=calendar_links.webcal_url(url),
        google=calendar_links.google_subscribe_url(url),
        outlook=calendar_links.outlook_subscribe_url(url, name),
    )


def add_to_calendar(entry: CalendarEntry, language: str, occurrence_id: int) -> dict[str, str]:
    """The three ways to add one occurrence: .ics download, Google and Outlook links."""
    return {
        "ics": occurrence_ics_url(language, occurrence_id),
        "google": calendar_links.google_event_url(entry),
        "outlook": calendar_links.outlook_event_url(entry),
    }


def occurrence_links(
    event: Event, texts: list, occurrences: list[Occurrence], language: str
) -> dict[int, dict[str, str]]:
    """Add-to-calendar links for each occurrence of an event page, by occurrence id."""
    links = {}
    for occurrence in occurrences:
        occurrence.event = event
        entry = feeds.entry_for(occurrence, texts, language, base_url=BASE_URL)
        links[occurrence.id] = add_to_calendar(entry, language, occurrence.id)
    return links


# ---------------------------------------------------------------- views


async def programme_feed(request: Request) -> Response:
    """The whole programme, or one category, as a subscription feed in the URL's language."""
    name = request.path_params["feed"]
    category = None if name == PROGRAMME else _category(name)
    language = current_language.get()
    now = timezone.now()
    entries = await feeds.programme_entries(now, language, base_url=BASE_URL, category=category)
    body = build_calendar(entries, _info(category, language))
    return validated_response(body, CALENDAR_TYPE, await feeds.feeds_last_modified(now), {})


def _category(name: str) -> Category:
    try:
        return Category(name)
    except ValueError:
        raise NotFound(N_("We could not find that calendar.")) from None


async def occurrence_ics(request: Request) -> Response:
    """One occurrence as an .ics file, with the same UID as in the feeds."""
    language = current_language.get()
    occurrence_id = request.path_params["occurrence_id"]
    entry = await feeds.occurrence_entry(occurrence_id, language, base_url=BASE_URL)
    body = build_calendar([entry], _info(None, language))
    disposition = f'attachment; filename="venskab-{occurrence_id}.ics"'
    return validated_response(
        body, CALENDAR_TYPE, entry.last_modified, {"Content-Disposition": disposition}
    )


async def calendar_page(request: Request) -> Response:
    """Every feed in the reader's language, with how to subscribe in each calendar app."""
    language = current_language.get()
    offers = [feed_offer(language)] + [feed_offer(language, category) for category in Category]
    return render(
        request,
        "events/calendar.html",
        {"offers": offers, "feeds": [(offer.name, offer.https) for offer in offers]},
    )


routes = [
    Route("/calendar", cached(calendar_page), name="calendar"),
    Route(
        "/calendar/{feed}.ics",
        conditional(cached(programme_feed, lambda: feeds.feeds_version(timezone.now()))),
        name="feed",
    ),
    Route(
        "/calendar/occurrences/{occurrence_id:id}.ics",
        conditional(cached(occurrence_ics)),
        name="occurrence-ics",
    ),
]
