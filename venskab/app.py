"""The application, assembled from plain lists: routes, middleware, exception handlers, lifespan.

This is what the Procfile's `web` process runs (`venskab.app:app`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.exceptions import OperationalError

from booking import camp_views
from booking import views as booking_views
from events import api as events_api
from events import calendar_views
from events import views as events_views
from venskab import admin, settings
from venskab.errors import Busy, DomainError, NotFound
from venskab.i18n import LanguageMiddleware, current_language, gettext
from venskab.security import CsrfFailed, SecurityHeadersMiddleware
from venskab.web import error_page, render

log = logging.getLogger("venskab")


async def choose_language(request: Request) -> Response:
    """`/` sends the reader to their language, chosen from Accept-Language."""
    return RedirectResponse(f"/{current_language.get()}/", status_code=302)


async def organiser_redirect(request: Request) -> Response:
    return RedirectResponse(f"/{current_language.get()}/organiser/", status_code=302)


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico whatever the page says."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


async def healthz(request: Request) -> Response:
    """200 when the database answers; 503 when it does not."""
    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1")
    except Exception:
        log.exception("health check failed")
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


# ---------------------------------------------------------------- errors


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _is_api(request):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    if exc.status_code == 404:
        return error_page(request, NotFound())
    messages = {
        400: "That request could not be understood.",
        405: "That request could not be understood.",
        413: "What you sent is too large.",
    }
    message = gettext(messages.get(exc.status_code, "Something went wrong."))
    return render(
        request, "error.html", {"status": exc.status_code, "message": message}, exc.status_code
    )


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if _is_api(request):
        return await events_api.api_error(request, exc)
    return error_page(request, exc)


async def csrf_failed(request: Request, exc: Exception) -> Response:
    message = gettext(
        "This form has expired or was changed. Please go back, reload the page and try again."
    )
    return render(request, "error.html", {"status": 403, "message": message}, 403)


async def database_busy(request: Request, exc: Exception) -> Response:
    """SQLite's "database is locked" after the busy timeout: ask the reader to try again."""
    if "locked" not in str(exc).lower():
        raise exc
    return error_page(request, Busy())


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    message = gettext("Something went wrong on our side. Please try again in a moment.")
    return render(request, "error.html", {"status": 500, "message": message}, 500)


# ---------------------------------------------------------------- assembly


def build_routes() -> list[Route | Mount]:
    return [
        Route("/", choose_language),
        Route("/healthz", healthz),
        Route("/favicon.ico", favicon),
        Route("/organiser", organiser_redirect),
        Route("/organiser/", organiser_redirect),
        Mount("/static", StaticFiles(directory=settings.ROOT / "static"), name="static"),
        Mount("/api", routes=events_api.routes),
        Mount(
            "/{lang:lang}",
            routes=[
                *events_views.routes,
                *calendar_views.routes,
                *booking_views.routes,
                *camp_views.routes,
                Mount("/organiser", routes=admin.routes, middleware=admin.middleware),
            ],
        ),
    ]


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    async with RegisterTortoise(app, config=settings.TORTOISE_ORM, generate_schemas=False):
        yield


def create_app(*, with_database: bool = True) -> Starlette:
    """The web application. Tests pass with_database=False and initialise the ORM themselves.

    In production mode it refuses to start with a development secret or base URL.
    """
    problems = settings.production_problems()
    if settings.PRODUCTION and problems:
        raise RuntimeError("refusing to start in production: " + "; ".join(problems))
    return Starlette(
        debug=settings.DEBUG,
        routes=build_routes(),
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(LanguageMiddleware),
        ],
        exception_handlers={
            HTTPException: http_error,
            DomainError: domain_error,
            CsrfFailed: csrf_failed,
            OperationalError: database_busy,
            500: server_error,
        },
        lifespan=lifespan if with_database else None,
        max_body_size=settings.MAX_BODY_BYTES,
    )


app = create_app()
