"""The read-only JSON API of the published programme, and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tortoise import timezone

from booking import capacity
from events import services
from events.models import Audience, Category, Event, EventText, Occurrence
from venskab.errors import Invalid, NotFound
from venskab.settings import BASE_URL, LANGUAGES
from venskab.web import cached


def occurrence_json(occurrence: Occurrence) -> dict[str, Any]:
    venue = occurrence.venue  # type: ignore[attr-defined]
    return {
        "id": occurrence.id,
        "starts_at": occurrence.starts_at.isoformat(),
        "ends_at": occurrence.ends_at.isoformat(),
        "all_day": occurrence.all_day,
        "capacity": occurrence.capacity,
        "status": occurrence.status.value,
        "venue": venue.slug if venue else None,
        "registration_opens_at": _iso(occurrence.registration_opens_at),
        "registration_closes_at": _iso(occurrence.registration_closes_at),
        "max_seats_per_registration": occurrence.max_seats_per_registration,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def event_json(event: Event, texts: list[EventText], occurrences: list[Occurrence]) -> dict:
    return {
        "slug": event.slug,
        "url": f"{BASE_URL}/en/events/{event.slug}",
        "category": event.category.value,
        "audience": event.audience.value,
        "spoken_language": event.spoken_language or None,
        "subtitles_language": event.subtitles_language or None,
        "price_ore": event.price_ore,
        "poster_url": event.poster_url or None,
        "status": event.status.value,
        "texts": {
            text.language: {
                "title": text.title,
                "summary": text.summary,
                "description": text.description,
                "poster_alt": text.poster_alt,
            }
            for text in texts
        },
        "occurrences": [occurrence_json(o) for o in occurrences],
    }


def _json(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status_code, headers={"Cache-Control": "max-age=30"})


async def list_events(request: Request) -> Response:
    chosen, ignored = services.parse_filter(dict(request.query_params))
    if ignored:
        raise Invalid({name: "This filter value is not valid." for name in ignored})
    entries = await services.upcoming(timezone.now(), chosen)
    return _json({"events": [event_json(e.event, e.texts, e.occurrences) for e in entries]})


async def get_event(request: Request) -> Response:
    event, texts, occurrences = await services.published_event(request.path_params["slug"])
    return _json(event_json(event, texts, occurrences))


async def get_occurrence(request: Request) -> Response:
    """One occurrence with its seats counted now (not cached: people refresh it to see)."""
    occurrence = await services.public_occurrence(request.path_params["id"])
    seats = await capacity.availability(occurrence, timezone.now())
    counted = {
        "confirmed": seats.confirmed,
        "held": seats.held,
        "waitlisted": seats.waitlisted,
        "available": seats.available if occurrence.capacity is not None else None,
    }
    return _json({**occurrence_json(occurrence), **counted, "event": occurrence.event.slug})


async def api_error(request: Request, exc: Exception) -> Response:
    """API errors are JSON: {"error": ..., "fields": {...}}."""
    if isinstance(exc, NotFound):
        return JSONResponse({"error": "not found"}, status_code=404)
    if isinstance(exc, Invalid):
        return JSONResponse({"error": "invalid filter", "fields": exc.errors}, status_code=400)
    raise exc


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


routes = [
    Route("/events", cached(list_events)),
    Route("/events/{slug}", cached(get_event)),
    Route("/occurrences/{id:id}", get_occurrence),
    Route("/openapi.json", openapi),
]


_occurrence_schema = {
    "type": "object",
    "required": ["id", "starts_at", "ends_at", "all_day", "capacity", "status"],
    "properties": {
        "id": {"type": "integer"},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {
            "type": "string",
            "format": "date-time",
            "description": "Exclusive: for all-day occurrences, midnight after the last day.",
        },
        "all_day": {"type": "boolean"},
        "capacity": {
            "type": ["integer", "null"],
            "description": "Places in all; null for drop-in events without registration.",
        },
        "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
        "venue": {"type": ["string", "null"]},
        "registration_opens_at": {"type": ["string", "null"], "format": "date-time"},
        "registration_closes_at": {"type": ["string", "null"], "format": "date-time"},
        "max_seats_per_registration": {"type": "integer"},
        "confirmed": {"type": "integer", "description": "Seats confirmed (single occurrence)."},
        "held": {
            "type": "integer",
            "description": "Seats held for payment or offered from the waitlist, not expired.",
        },
        "waitlisted": {"type": "integer", "description": "Seats asked for on the waitlist."},
        "available": {
            "type": ["integer", "null"],
            "description": "Seats a newcomer can have now; null for drop-in.",
        },
    },
}
_text_schema = {
    "type": "object",
    "properties": {
        key: {"type": "string"} for key in ("title", "summary", "description", "poster_alt")
    },
}
_event_schema = {
    "type": "object",
    "required": ["slug", "category", "texts", "occurrences"],
    "properties": {
        "slug": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "category": {"type": "string", "enum": [c.value for c in Category]},
        "audience": {"type": "string", "enum": [a.value for a in Audience]},
        "spoken_language": {"type": ["string", "null"]},
        "subtitles_language": {"type": ["string", "null"]},
        "price_ore": {"type": "integer", "description": "Price in øre (DKK/100); 0 is free."},
        "poster_url": {"type": ["string", "null"]},
        "status": {"type": "string"},
        "texts": {
            "type": "object",
            "description": "Texts by language code; at least one of " + ", ".join(LANGUAGES),
            "additionalProperties": {"$ref": "#/components/schemas/EventText"},
        },
        "occurrences": {"type": "array", "items": {"$ref": "#/components/schemas/Occurrence"}},
    },
}
_filters = [
    {
        "name": "category",
        "in": "query",
        "schema": {"type": "string", "enum": [c.value for c in Category]},
    },
    {
        "name": "audience",
        "in": "query",
        "schema": {"type": "string", "enum": [a.value for a in Audience]},
    },
    {
        "name": "language",
        "in": "query",
        "description": "Spoken or subtitle language",
        "schema": {"type": "string", "enum": list(services.SPOKEN_LANGUAGES)},
    },
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "free", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]}},
]
_not_found = {"description": "No such published item"}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Venskab programme API",
        "version": "1",
        "description": "The published programme of the Copenhagen–Kyiv friendship-city "
        "programme. Read-only, no authentication. Times are UTC (ISO 8601).",
    },
    "paths": {
        "/api/events": {
            "get": {
                "summary": "Published events with occurrences that have not ended",
                "parameters": _filters,
                "responses": {
                    "200": {
                        "description": "Events, soonest first",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "events": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Event"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "400": {"description": "A filter value is not valid"},
                },
            }
        },
        "/api/events/{slug}": {
            "get": {
                "summary": "One event with all its occurrences",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The event",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Event"}}
                        },
                    },
                    "404": _not_found,
                },
            }
        },
        "/api/occurrences/{id}": {
            "get": {
                "summary": "One occurrence with its capacity",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "The occurrence",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Occurrence"}
                            }
                        },
                    },
                    "404": _not_found,
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Event": _event_schema,
            "EventText": _text_schema,
            "Occurrence": _occurrence_schema,
        }
    },
}
