"""Languages: gettext catalogues for uk, da and en, and the language of the current request.

The .po files are the single source of truth: they are compiled in memory at start-up, so there
is no build step and no stale .mo file. The request's language lives in a ContextVar that the
LanguageMiddleware sets from the URL prefix (/uk/, /da/, /en/) or, elsewhere, Accept-Language.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.types import ASGIApp, Receive, Scope, Send

from venskab.settings import DEFAULT_LANGUAGE, LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
# Babel locale identifiers used for dates and numbers in each interface language.
BABEL_LOCALES = {"uk": "uk_UA", "da": "da_DK", "en": "en_GB"}
# Each language's own name, as shown in the language switcher.
LANGUAGE_NAMES = {"uk": "Українська", "da": "Dansk", "en": "English"}

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> Translations:
    """The compiled catalogue of one language (English is the source language)."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return Translations()
    with po_path.open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current_language.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks an English msgid for extraction where it is defined; it is translated where it
    is shown (templates call `_()` on it, error pages call gettext)."""
    return message


def negotiate(accept_language: str) -> str:
    """The best of our languages for an Accept-Language header (Ukrainian, Danish, English)."""
    wanted = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((quality, tag.replace("_", "-")))
    ordered = [tag for quality, tag in sorted(wanted, key=lambda w: -w[0]) if quality > 0]
    # Russian-speaking Ukrainians often browse with ru set: Ukrainian serves them better than
    # English does.
    ordered = ["uk" if tag.lower().startswith("ru") else tag for tag in ordered]
    found = Locale.negotiate(ordered, list(LANGUAGES), sep="-")
    return str(found.language) if found else DEFAULT_LANGUAGE


def language_from_path(path: str) -> str | None:
    """The language named by the first path segment, if it is one of ours."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGES else None


class LanguageMiddleware:
    """Sets the request's language: the URL prefix wins, then Accept-Language."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = language_from_path(scope["path"])
        if language is None:
            headers = dict(scope["headers"])
            language = negotiate(headers.get(b"accept-language", b"").decode("latin-1"))
        scope.setdefault("state", {})["language"] = language
        token = current_language.set(language)
        try:
            await self.app(scope, receive, send)
        finally:
            current_language.reset(token)
