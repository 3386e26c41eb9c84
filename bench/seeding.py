"""Bench data through the project's own services, in its own process and database context.

    python -m bench.seeding seed 200       # venues and 200 published events; prints JSON
    python -m bench.seeding retitle SLUG T # an organiser's edit of the English title
    python -m bench.seeding seed-feed 300  # venues, 300 published events with 3-4 occurrences
    python -m bench.seeding move SLUG 17   # an organiser moves an occurrence by 17 minutes

DATABASE_URL must be set before this runs (settings read it once, at import).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import datetime, timedelta

from tortoise import timezone

from events import services
from events.models import Category, Event, EventStatus, EventText, Occurrence, OccurrenceStatus
from venskab.cli import database

VENUES = [
    ("kulturhuset-islands-brygge", "Kulturhuset", "Islands Brygge 18, 2300 København S"),
    ("vesterbro-bibliotek", "Vesterbro Bibliotek", "Lyrskovgade 4, 1758 København V"),
    ("cinemateket", "Cinemateket", "Gothersgade 55, 1123 København K"),
    ("kvarterhuset", "Kvarterhuset", "Jemtelandsgade 3, 2300 København S"),
    ("ukrainsk-hus", "Ukrainsk Hus", "Nørrebrogade 52, 2200 København N"),
]
# (category, English, Danish, Ukrainian) title stems.
KINDS = [
    (Category.FILM, "Film night", "Filmaften", "Кіновечір"),
    (Category.EXHIBITION, "Exhibition", "Udstilling", "Виставка"),
    (Category.WORKSHOP, "Workshop", "Værksted", "Майстерня"),
    (Category.VETERANS, "Veterans' meeting", "Veteranmøde", "Зустріч ветеранів"),
    (Category.FILM, "Documentary", "Dokumentar", "Документальний фільм"),
    (Category.WORKSHOP, "Language café", "Sprogcafé", "Мовне кафе"),
    (Category.CAMP, "Summer camp week", "Sommerlejr uge", "Тиждень літнього табору"),
]
AUDIENCES = ["everyone", "families", "children", "adults"]
DESCRIPTION = {
    "en": (
        "An evening for neighbours from Copenhagen and Kyiv: come as you are, bring a friend. "
        "There is tea and something sweet, and the hosts speak Ukrainian, Danish and English."
        "\n\nThe room is step-free and there is a quiet corner for children. Registration "
        "helps us plan, but drop-ins are welcome while there are seats."
    ),
    "da": (
        "En aften for naboer fra København og Kyiv: kom som du er, og tag en ven med. "
        "Der er te og noget sødt, og værterne taler ukrainsk, dansk og engelsk."
        "\n\nLokalet er uden trin, og der er et stille hjørne til børn. Tilmelding hjælper "
        "os med at planlægge, men alle er velkomne, så længe der er pladser."
    ),
    "uk": (
        "Вечір для сусідів з Копенгагена та Києва: приходьте як є, беріть із собою друзів. "
        "Буде чай і щось солодке, а господарі говорять українською, данською та англійською."
        "\n\nПриміщення без сходинок, є тихий куточок для дітей. Реєстрація допомагає нам "
        "планувати, але ми раді всім, поки є місця."
    ),
}


def event_input(n: int) -> services.EventInput:
    category, en, da, uk = KINDS[n % len(KINDS)]
    number = n + 1
    return services.EventInput(
        slug=f"bench-event-{number:03d}",
        category=category.value,
        audience=AUDIENCES[n % len(AUDIENCES)],
        spoken_language=["uk", "da", "en", ""][n % 4],
        subtitles_language=["da", "", "uk", ""][n % 4],
        price_ore=[0, 5000, 0, 12500][n % 4],
        texts={
            "en": {
                "title": f"{en} {number}",
                "summary": f"{en} {number}: an evening together, in three languages.",
                "description": DESCRIPTION["en"],
            },
            "da": {
                "title": f"{da} {number}",
                "summary": f"{da} {number}: en aften sammen, på tre sprog.",
                "description": DESCRIPTION["da"],
            },
            "uk": {
                "title": f"{uk} {number}",
                "summary": f"{uk} {number}: вечір разом, трьома мовами.",
                "description": DESCRIPTION["uk"],
            },
        },
    )


def occurrence_inputs(
    n: int, category: Category, venue_ids: list[int], now: datetime, count: int | None = None
) -> list[services.OccurrenceInput]:
    """1–3 (or `count`) upcoming occurrences a week apart; the first events are the soonest
    (they head the programme)."""
    local_now = now.astimezone(services.LOCAL).replace(minute=0, second=0, microsecond=0)
    first = local_now + timedelta(days=1 + n // 4, hours=(n % 4) * 3)
    found = []
    for k in range(1 + n % 3 if count is None else count):
        starts = first + timedelta(days=7 * k)
        venue_id = venue_ids[(n + k) % len(venue_ids)]
        if category == Category.EXHIBITION:
            found.append(
                services.OccurrenceInput(
                    venue_id, starts, starts + timedelta(days=20), all_day=True
                )
            )
        elif category == Category.CAMP:
            found.append(
                services.OccurrenceInput(
                    venue_id,
                    starts.replace(hour=9),
                    starts.replace(hour=9) + timedelta(days=4, hours=7),
                    capacity=40,
                    min_age=8,
                    max_age=14,
                    fee_ore=150000,
                )
            )
        else:
            found.append(
                services.OccurrenceInput(
                    venue_id, starts, starts + timedelta(hours=2), capacity=30 + 10 * (n % 8)
                )
            )
    return found


async def _venues() -> list[int]:
    """The bench venues in an empty database (refused when it already has events)."""
    if await Event.exists():
        raise SystemExit("error: the database already has events; bench an empty one")
    venue_ids = []
    for slug, name, address in VENUES:
        venue = await services.save_venue(
            services.VenueInput(
                slug=slug,
                name=name,
                address=address,
                step_free=True,
                accessibility_notes={"en": "Step-free entrance.", "da": "Niveaufri adgang."},
            )
        )
        venue_ids.append(venue.id)
    return venue_ids


async def seed(count: int) -> dict:
    async with database():
        venue_ids = await _venues()
        now = timezone.now()
        occurrences = 0
        for n in range(count):
            data = event_input(n)
            event = await services.save_event(data, owner_id=None)
            for occurrence in occurrence_inputs(n, Category(data.category), venue_ids, now):
                await services.save_occurrence(event, occurrence)
                occurrences += 1
            await services.set_event_status(event, EventStatus.PUBLISHED)
        return {"events": count, "occurrences": occurrences, "venues": len(venue_ids)}


async def seed_feed(count: int) -> dict:
    """`count` published events with 4 occurrences each for every third event and 3 for the
    others (300 events: 1,000 scheduled occurrences, exhibitions all-day), and on every 30th
    event one more occurrence, cancelled: it stays in the feed marked cancelled."""
    async with database():
        venue_ids = await _venues()
        now = timezone.now()
        scheduled = all_day = cancelled = 0
        for n in range(count):
            data = event_input(n)
            category = Category(data.category)
            event = await services.save_event(data, owner_id=None)
            inputs = occurrence_inputs(n, category, venue_ids, now, count=4 if n % 3 == 0 else 3)
            for occurrence in inputs:
                await services.save_occurrence(event, occurrence)
                scheduled += 1
                all_day += occurrence.all_day
            if n % 30 == 0:
                extra = occurrence_inputs(n, category, venue_ids, now, count=len(inputs) + 1)
                dropped = await services.save_occurrence(event, extra[-1])
                await services.cancel_occurrence(dropped, timezone.now())
                cancelled += 1
            await services.set_event_status(event, EventStatus.PUBLISHED)
        return {
            "events": count,
            "occurrences": scheduled,
            "all_day": all_day,
            "cancelled": cancelled,
            "venues": len(venue_ids),
        }


async def move(slug: str, minutes: int) -> dict:
    """An organiser's edit of the event's first scheduled timed occurrence: start and end
    `minutes` later, saved through the service. Returns its id and its new local DTSTART."""
    async with database():
        occurrence = (
            await Occurrence.filter(
                event__slug=slug, status=OccurrenceStatus.SCHEDULED, all_day=False
            )
            .order_by("starts_at", "id")
            .select_related("event")
            .first()
        )
        if occurrence is None:
            raise SystemExit(f"error: {slug} has no scheduled timed occurrence")
        shift = timedelta(minutes=minutes)
        starts_at = (occurrence.starts_at + shift).astimezone(services.LOCAL)
        data = services.OccurrenceInput(
            venue_id=occurrence.venue_id,  # type: ignore[attr-defined]
            starts_at=starts_at,
            ends_at=(occurrence.ends_at + shift).astimezone(services.LOCAL),
            all_day=False,
            capacity=occurrence.capacity,
            registration_opens_at=occurrence.registration_opens_at,
            registration_closes_at=occurrence.registration_closes_at,
            max_seats_per_registration=occurrence.max_seats_per_registration,
            waitlist_enabled=occurrence.waitlist_enabled,
            min_age=occurrence.min_age,
            max_age=occurrence.max_age,
            fee_ore=occurrence.fee_ore,
        )
        await services.save_occurrence(occurrence.event, data, occurrence)
        return {
            "committed_at": time.time(),
            "occurrence_id": occurrence.id,
            "dtstart": starts_at.strftime("%Y%m%dT%H%M%S"),
        }


async def retitle(slug: str, title: str) -> dict:
    """Edit the English title as an organiser would: the whole event saved through the service."""
    async with database():
        event = await Event.get(slug=slug)
        texts = {
            text.language: {
                "title": text.title,
                "summary": text.summary,
                "description": text.description,
                "poster_alt": text.poster_alt,
            }
            for text in await EventText.filter(event=event)
        }
        texts["en"]["title"] = title
        data = services.EventInput(
            slug=event.slug,
            category=event.category.value,
            audience=event.audience.value,
            spoken_language=event.spoken_language,
            subtitles_language=event.subtitles_language,
            poster_url=event.poster_url,
            price_ore=event.price_ore,
            texts=texts,
        )
        await services.save_event(data, owner_id=event.owner_id, event=event)  # type: ignore[attr-defined]
        return {"committed_at": time.time()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seeding")
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed")
    seed_parser.add_argument("count", type=int)
    retitle_parser = commands.add_parser("retitle")
    retitle_parser.add_argument("slug")
    retitle_parser.add_argument("title")
    seed_feed_parser = commands.add_parser("seed-feed")
    seed_feed_parser.add_argument("count", type=int)
    move_parser = commands.add_parser("move")
    move_parser.add_argument("slug")
    move_parser.add_argument("minutes", type=int)
    args = parser.parse_args()
    if args.command == "seed":
        result = asyncio.run(seed(args.count))
    elif args.command == "seed-feed":
        result = asyncio.run(seed_feed(args.count))
    elif args.command == "move":
        result = asyncio.run(move(args.slug, args.minutes))
    else:
        result = asyncio.run(retitle(args.slug, args.title))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
