"""Public pages of the programme: home, programme list, event, venue. Thin: read, render."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import timezone

from booking import capacity
from events import calendar_views, services
from events.models import Audience, Category, EventStatus, OccurrenceStatus
from venskab.i18n import current_language
from venskab.web import cached, render, when

PAGE_SIZE = 40


async def _seats_of_next(entries: list[services.ProgrammeEntry], now) -> dict:
    """Availability of each card's next occurrence, in one query."""
    return await capacity.availabilities([e.next_occurrence for e in entries], now)


def _entry_view(entry: services.ProgrammeEntry, language: str) -> dict:
    return {
        "event": entry.event,
        "text": services.pick_text(entry.texts, language),
        "occurrences": entry.occurrences,
    }


async def home(request: Request) -> Response:
    """What is on this week, and the summer camp."""
    now = timezone.now()
    language = current_language.get()
    week = services.ProgrammeFilter(date_from=now.date(), date_to=(now + timedelta(days=6)).date())
    week_entries = [
        entry
        for entry in await services.upcoming(now, week)
        if entry.event.category != Category.CAMP
    ]
    camp_entries = await services.upcoming(now, services.ProgrammeFilter(category=Category.CAMP))
    this_week = [_entry_view(entry, language) for entry in week_entries]
    camp = [_entry_view(entry, language) for entry in camp_entries]
    seats = await _seats_of_next(week_entries + camp_entries, now)
    return render(
        request,
        "events/home.html",
        {"this_week": this_week, "camp": camp, "seats": seats, "feeds": [_feed_link(language)]},
    )


async def programme(request: Request) -> Response:
    """The programme with filters; nonsense filter values are ignored with a notice."""
    now = timezone.now()
    language = current_language.get()
    chosen, ignored = services.parse_filter(dict(request.query_params))
    try:
        page_number = int(request.query_params.get("page", "1"))
    except ValueError:
        page_number, ignored = 1, [*ignored, "page"]
    page = await services.upcoming_page(now, chosen, page_number, PAGE_SIZE)
    return render(
        request,
        "events/programme.html",
        {
            "entries": [_entry_view(entry, language) for entry in page.entries],
            "seats": await _seats_of_next(page.entries, now),
            "total": page.total,
            "filter": chosen,
            "query": chosen.as_query(),
            "ignored": ignored,
            "page": page.page,
            "pages": page.pages,
            "categories": list(Category),
            "audiences": list(Audience),
            "spoken_languages": services.SPOKEN_LANGUAGES,
            "feed": calendar_views.feed_offer(language, chosen.category),
            "feeds": [_feed_link(language, chosen.category)],
        },
    )


async def event_page(request: Request) -> Response:
    """An event with every occurrence: upcoming ones to register for, past ones listed."""
    now = timezone.now()
    event, texts, occurrences = await services.published_event(request.path_params["slug"])
    language = current_language.get()
    upcoming = [o for o in occurrences if o.ends_at > now]
    past = [o for o in occurrences if o.ends_at <= now]
    text = services.pick_text(texts, language)
    title = text.title if text else event.slug
    links = calendar_views.occurrence_links(event, texts, upcoming, language)
    occurrence_feeds = [
        (f"{title} ({when(o)})", links[o.id]["ics"])
        for o in upcoming
        if o.status == OccurrenceStatus.SCHEDULED and event.status == EventStatus.PUBLISHED
    ]
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "text": text,
            "upcoming": upcoming,
            "past": past,
            "cancelled": event.status == EventStatus.CANCELLED,
            "calendar_links": links,
            "seats": await capacity.availabilities(upcoming, now),
            "programme_feed": calendar_views.feed_offer(language, event.category),
            "feeds": [*occurrence_feeds, _feed_link(language, event.category)],
        },
    )


def _feed_link(language: str, category: Category | None = None) -> tuple[str, str]:
    offer = calendar_views.feed_offer(language, category)
    return offer.name, offer.https


async def venue_page(request: Request) -> Response:
    venue = await services.venue_by_slug(request.path_params["slug"])
    now = timezone.now()
    entries = await services.upcoming(now, services.ProgrammeFilter(venue_id=venue.id))
    language = current_language.get()
    return render(
        request,
        "events/venue.html",
        {
            "venue": venue,
            "entries": [_entry_view(entry, language) for entry in entries],
            "seats": await _seats_of_next(entries, now),
        },
    )


routes = [
    Route("/", cached(home), name="home"),
    Route("/programme", cached(programme), name="programme"),
    Route("/events/{slug}", cached(event_page), name="event"),
    Route("/venues/{slug}", cached(venue_page), name="venue"),
]
