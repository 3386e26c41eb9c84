"""The one Jinja2 environment, render helpers, and the mapping of domain errors to pages.

Templates get translations (gettext, newstyle), local-time and money filters, and URL helpers
that keep the reader's language. Nothing here decides business rules.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from datetime import date, datetime, timedelta
from email.utils import formatdate, parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from events import labels
from venskab import i18n, settings
from venskab.errors import (
    Busy,
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
)
from venskab.security import csrf_token
from venskab.settings import LANGUAGES, PAGE_CACHE_SECONDS, ROOT, TIMEZONE

LOCAL = ZoneInfo(TIMEZONE)
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    Invalid: 400,
    Conflict: 409,
    Forbidden: 403,
    TooManyRequests: 429,
    Busy: 503,
}


# ---------------------------------------------------------------- filters


def _locale() -> str:
    return i18n.BABEL_LOCALES[i18n.current_language.get()]


# Dates and times use each locale's own full forms (CLDR via Babel): "lørdag den 28. november
# 2026 19.00", "субота, 28 листопада 2026 р., 19:00", "Saturday, 28 November 2026, 19:00".


def local_datetime(value: datetime) -> str:
    combine = Locale.parse(_locale()).datetime_formats["full"]
    return combine.format(local_time(value), local_date(value))


def local_date(value: datetime | date) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date()
    return format_date(value, "full", locale=_locale())


def local_time(value: datetime) -> str:
    return format_time(value, "short", tzinfo=LOCAL, locale=_locale())


def iso_local(value: datetime) -> str:
    """Machine-readable local time for <time datetime="...">."""
    return value.astimezone(LOCAL).isoformat(timespec="minutes")


def when(occurrence: Any) -> str:
    """An occurrence's dates in the reader's language: a day range for all-day ones."""
    return _when(occurrence.starts_at, occurrence.ends_at, occurrence.all_day, _locale())


@functools.lru_cache(maxsize=4096)
def _when(starts: datetime, ends: datetime, all_day: bool, locale: str) -> str:
    """when() for given values (Babel's formatting is slow, and every page and message about
    one date formats the same values: a rush writes hundreds of messages about one date)."""
    starts, ends = starts.astimezone(LOCAL), ends.astimezone(LOCAL)
    if all_day:
        last_day = (ends - timedelta(days=1)).date()
        if last_day <= starts.date():
            return local_date(starts)
        return format_interval(starts.date(), last_day, "yMMMMd", locale=_locale())
    if starts.date() == ends.date():
        return f"{local_datetime(starts)}–{local_time(ends)}"
    return f"{local_datetime(starts)} – {local_datetime(ends)}"


def money(ore: int) -> str:
    """Øre as kroner in the reader's format; whole kroner without decimals."""
    if ore == 0:
        return i18n.gettext("Free")
    kroner = ore / 100
    pattern = "#,##0 ¤" if ore % 100 == 0 else "#,##0.00 ¤"
    return format_currency(kroner, "DKK", format=pattern, locale=_locale(), currency_digits=False)


# ---------------------------------------------------------------- URLs


def lang_url(path: str, language: str | None = None, **query: Any) -> str:
    """A path under the reader's (or the given) language prefix, with an optional query."""
    language = language or i18n.current_language.get()
    url = f"/{language}/{path.lstrip('/')}"
    clean = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(clean)}" if clean else url


def switch_language_url(request: Request, language: str) -> str:
    """The same page in another language (the query string kept)."""
    path = request.url.path
    current = i18n.language_from_path(path)
    path = f"/{language}{path[len(current) + 1 :]}" if current else f"/{language}/"
    query = request.url.query
    return f"{path}?{query}" if query else path


# ---------------------------------------------------------------- path convertors
# Registered here, before any module defines its routes with {lang:lang} or {x:id}.


class LanguageConvertor(Convertor[str]):
    regex = "|".join(LANGUAGES)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class IdConvertor(Convertor[int]):
    """Row ids: at most 9 digits, so a huge number is a 404, not an integer overflow (a 500
    on PostgreSQL, whose INTEGER stops at 2**31 - 1)."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("lang", LanguageConvertor())
register_url_convertor("id", IdConvertor())


# ---------------------------------------------------------------- environment


def retention_days() -> dict[str, int]:
    """The periods `venskab purge` applies, as consents and the privacy notice state them."""
    return {
        "medical": settings.CAMP_MEDICAL_RETENTION_DAYS,
        "personal": settings.PERSONAL_RETENTION_DAYS,
    }


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    env.filters.update(
        local_datetime=local_datetime,
        local_date=local_date,
        local_time=local_time,
        iso_local=iso_local,
        when=when,
        money=money,
    )
    env.globals.update(
        LANGUAGES=LANGUAGES,
        LANGUAGE_NAMES=i18n.LANGUAGE_NAMES,
        lang_url=lang_url,
        switch_language_url=switch_language_url,
        current_language=i18n.current_language.get,
        CATEGORY_NAMES=labels.CATEGORY_NAMES,
        AUDIENCE_NAMES=labels.AUDIENCE_NAMES,
        retention_days=retention_days,
    )
    return env


environment = build_environment()
templates = Jinja2Templates(env=environment)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the request's language."""
    context = {"lang": i18n.current_language.get(), **(context or {})}
    return templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=headers
    )


def organiser_page(
    request: Request,
    template: str,
    notices: dict[str, str],
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """An organiser page: the signed-in organiser, a CSRF token, and the notice that the
    `done` query parameter names (unknown keys show nothing)."""
    return render(
        request,
        template,
        {
            "organiser": request.scope["state"].get("organiser"),
            "csrf_token": csrf_token(request),
            "notice": notices.get(request.query_params.get("done", "")),
            **context,
        },
        status_code=status_code,
    )


def after_write(path: str, notice: str) -> RedirectResponse:
    """After an organiser's write: POST → 303 → GET with a notice. This process's page cache
    is cleared so the change shows at once here (other processes within PAGE_CACHE_SECONDS)."""
    page_cache.clear()
    return RedirectResponse(lang_url(f"organiser/{path}", done=notice), status_code=303)


def error_page(request: Request, error: DomainError) -> HTMLResponse:
    """The page for a domain error, with the status its kind maps to."""
    status = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind)), 400)
    headers = {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, Busy):
        headers["Retry-After"] = "2"
    message = i18n.gettext(error.message)
    if error.params:
        message %= error.params
    return render(
        request, "error.html", {"status": status, "message": message}, status, headers=headers
    )


# ---------------------------------------------------------------- conditional responses


def entity_tag(body: bytes) -> str:
    """A strong ETag: the hash of the exact bytes, the same in every process."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def validated_response(
    body: bytes, media_type: str, last_modified: datetime | None, headers: dict[str, str]
) -> Response:
    """A response that polling clients can revalidate: ETag, Last-Modified, no-cache (clients
    ask every time, and get 304 while nothing changed)."""
    validators = {"ETag": entity_tag(body), "Cache-Control": "no-cache"}
    if last_modified is not None:
        # HTTP dates have whole seconds: an edit later in the same second would carry the same
        # date. So the date is rounded up, and only sent once that second is over.
        second = math.ceil(last_modified.timestamp())
        if second <= time.time():
            validators["Last-Modified"] = formatdate(second, usegmt=True)
    return Response(body, media_type=media_type, headers={**validators, **headers})


def _unquoted_tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def is_not_modified(request: Request, response: Response) -> bool:
    """RFC 9110 §13.1: If-None-Match wins (weak comparison); If-Modified-Since only without
    it, and only for exact-second timestamps no earlier than Last-Modified."""
    etag = response.headers.get("etag")
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = _unquoted_tags(if_none_match)
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    since, modified = (
        request.headers.get("if-modified-since"),
        response.headers.get("last-modified"),
    )
    if not since or not modified:
        return False
    try:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date: send the full response


def conditional(
    view: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """Answer 304 Not Modified when the client's copy is current."""

    async def conditional_view(request: Request) -> Response:
        response = await view(request)
        if response.status_code == 200 and is_not_modified(request, response):
            keep = ("etag", "last-modified", "cache-control")
            return Response(
                status_code=304, headers={k: v for k, v in response.headers.items() if k in keep}
            )
        return response

    conditional_view.__name__ = view.__name__
    conditional_view.__doc__ = view.__doc__
    return conditional_view


# ---------------------------------------------------------------- page cache


Version = Callable[[], Awaitable[Hashable]]


class PageCache:
    """Rendered public pages, kept per process for a few seconds.

    The time-to-live bounds how long an organiser's edit can take to show, whichever process
    answers. When a page expires, one request revalidates it while the others are served the
    page it replaces (or, if there is none yet, wait for that one build): without this, every
    waiting request renders the same page at once and the event loop stalls for all of them.
    A page given a `version` (a cheap query that changes whenever the page would) is only
    rebuilt when the version moved: a 500 kB calendar feed costs ~0.4 s to build.
    Pages vary by path and query only, since public pages carry nothing personal.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._pages: dict[str, tuple[float, Response, Hashable]] = {}
        self._building: dict[str, asyncio.Future[Response | None]] = {}

    def clear(self) -> None:
        self._pages.clear()

    async def get_or_render(
        self,
        key: str,
        build: Callable[[], Awaitable[Response]],
        version: Version | None = None,
    ) -> Response:
        hit = self._pages.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return _copy(hit[1])
        pending = self._building.get(key)
        if pending is not None:
            if hit is not None:
                return _copy(hit[1])
            shared = await asyncio.shield(pending)
            return _copy(shared) if shared is not None else await build()
        return await self._rebuild(key, build, version)

    async def _rebuild(
        self, key: str, build: Callable[[], Awaitable[Response]], version: Version | None
    ) -> Response:
        future: asyncio.Future[Response | None] = asyncio.get_running_loop().create_future()
        self._building[key] = future
        response: Response | None = None
        try:
            current = await version() if version is not None else None
            hit = self._pages.get(key)
            if hit is not None and version is not None and hit[2] == current:
                response = hit[1]  # unchanged: keep the page, restart its time
            else:
                response = await build()
            return _copy(response)
        finally:
            del self._building[key]
            cacheable = response is not None and response.status_code == 200 and self.ttl > 0
            if cacheable:
                if len(self._pages) > 5000:  # bounded: filters make many keys
                    self._pages.clear()
                self._pages[key] = (time.monotonic(), response, current)  # type: ignore[assignment]
            future.set_result(response if cacheable else None)


def _copy(response: Response) -> Response:
    return Response(
        response.body,
        status_code=response.status_code,
        headers={k: v for k, v in response.headers.items() if k != "content-length"},
    )


page_cache = PageCache(PAGE_CACHE_SECONDS)


def cached(
    view: Callable[[Request], Awaitable[Response]], version: Version | None = None
) -> Callable[[Request], Awaitable[Response]]:
    """Serve a public GET view from the page cache (see PageCache for `version`)."""

    async def cached_view(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return await view(request)
        key = f"{request.url.path}?{request.url.query}"
        return await page_cache.get_or_render(key, lambda: view(request), version)

    cached_view.__name__ = view.__name__
    cached_view.__doc__ = view.__doc__
    return cached_view
