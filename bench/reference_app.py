"""The application exactly as the Procfile serves it, plus fixed-size reference pages.

`uvicorn bench.reference_app:app` serves every route of `venskab.app` through the same
middleware, exception handlers and lifespan, and adds:

- `/bench/fixed-<N>`: a constant HTML body of exactly N bytes, for each N listed (comma
  separated) in BENCH_FIXED_BYTES. This is the reference a page is compared with: the same app,
  the same size, no work.
- `/bench/fixed-ics-<N>`: the same for a calendar feed, a constant text/calendar body of exactly
  N bytes, for each N in BENCH_FIXED_CALENDAR_BYTES.
- `/bench/pid`: the answering worker's process id, so a client holding one keep-alive
  connection knows which process answers its other requests on that connection.
"""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from venskab.app import create_app

CALENDAR_TYPE = "text/calendar; charset=utf-8"  # as events/calendar_views.py serves feeds
HEAD = b"<!doctype html>\n<html lang=en><head><title>fixed</title></head><body><p>"
TAIL = b"</p></body></html>\n"


def fixed_body(size: int) -> bytes:
    """A valid HTML document of exactly `size` bytes (or the bare frame when size is smaller)."""
    filler = max(0, size - len(HEAD) - len(TAIL))
    line = b"Venskab reference page. " * 4 + b"\n"
    padding = (line * (filler // len(line) + 1))[:filler]
    return HEAD + padding + TAIL


def fixed_route(size: int) -> Route:
    body = fixed_body(size)

    async def fixed(request: Request) -> Response:
        return HTMLResponse(body)

    return Route(f"/bench/fixed-{size}", fixed)


ICS_HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Venskab//bench reference//EN\r\n"
ICS_TAIL = b"END:VCALENDAR\r\n"
ICS_LINE = b"X-BENCH-PADDING:" + b"Venskab reference feed " * 2 + b"\r\n"  # 64 bytes


def fixed_calendar(size: int) -> bytes:
    """An iCalendar file of exactly `size` bytes: X- padding lines, each under the 75-octet
    limit (or the bare frame when size is smaller)."""
    filler = max(0, size - len(ICS_HEAD) - len(ICS_TAIL))
    lines, rest = divmod(filler, len(ICS_LINE))
    padding = ICS_LINE * lines
    if rest >= 8:  # one shorter line of exactly `rest` bytes
        padding += b"X-B:" + b"x" * (rest - 6) + b"\r\n"
    elif rest and lines:  # the last line `rest` (< 8) bytes longer: still under 75 octets
        padding = padding[:-2] + b"x" * rest + b"\r\n"
    elif rest:  # too small for a line; only in a file smaller than the frame and one line
        padding = b" " * rest
    return ICS_HEAD + padding + ICS_TAIL


def fixed_calendar_route(size: int) -> Route:
    body = fixed_calendar(size)

    async def fixed(request: Request) -> Response:
        return Response(body, media_type=CALENDAR_TYPE)

    return Route(f"/bench/fixed-ics-{size}", fixed)


async def pid(request: Request) -> Response:
    return PlainTextResponse(str(os.getpid()))


def sizes_from_environment(name: str = "BENCH_FIXED_BYTES") -> list[int]:
    raw = os.environ.get(name, "")
    return [int(part) for part in raw.split(",") if part.strip()]


app = create_app()
# In front, so the reference is found first; /bench/pid last, out of the pages' way.
app.router.routes[0:0] = [
    *(fixed_route(size) for size in sizes_from_environment()),
    *(fixed_calendar_route(size) for size in sizes_from_environment("BENCH_FIXED_CALENDAR_BYTES")),
]
app.router.routes.append(Route("/bench/pid", pid))
