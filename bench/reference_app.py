"""The application exactly as the Procfile serves it, plus fixed-size reference pages.

`uvicorn bench.reference_app:app` serves every route of `venskab.app` through the same
middleware, exception handlers and lifespan, and adds:

- `/bench/fixed-<N>`: a constant HTML body of exactly N bytes, for each N listed (comma
  separated) in BENCH_FIXED_BYTES. This is the reference a page is compared with: the same app,
  the same size, no work.
- `/bench/pid`: the answering worker's process id, so a client holding one keep-alive
  connection knows which process answers its other requests on that connection.
"""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from venskab.app import create_app

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


async def pid(request: Request) -> Response:
    return PlainTextResponse(str(os.getpid()))


def sizes_from_environment() -> list[int]:
    raw = os.environ.get("BENCH_FIXED_BYTES", "")
    return [int(part) for part in raw.split(",") if part.strip()]


app = create_app()
# In front, so the reference is found first; /bench/pid last, out of the pages' way.
app.router.routes[0:0] = [fixed_route(size) for size in sizes_from_environment()]
app.router.routes.append(Route("/bench/pid", pid))
