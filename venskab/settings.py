"""Every environment variable the platform reads, read once and typed.

Tests set the environment before importing this module (DESIGN.md, habit 4).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from starlette.config import Config
from starlette.datastructures import Secret

ROOT = Path(__file__).resolve().parent.parent
config = Config(environ=os.environ)

ENV: str = config("VENSKAB_ENV", default="development")
PRODUCTION: bool = ENV == "production"
DEBUG: bool = config("DEBUG", cast=bool, default=False)

# A development-only key: production refuses to start with it (see production_problems()).
DEV_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"
SECRET_KEY: Secret = config("SECRET_KEY", cast=Secret, default=DEV_SECRET_KEY)
BASE_URL: str = config("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

DATABASE_URL: str = config("DATABASE_URL", default=f"sqlite://{ROOT / 'var' / 'venskab.sqlite3'}")

LANGUAGES: tuple[str, ...] = ("uk", "da", "en")
DEFAULT_LANGUAGE = "en"
TIMEZONE = "Europe/Copenhagen"

# Public pages are cached per process for this long; it bounds how stale a page can be after an
# organiser's edit, whichever process answers (the issue asks for "within a few seconds").
PAGE_CACHE_SECONDS: float = config("PAGE_CACHE_SECONDS", cast=float, default=2.0)
MAX_BODY_BYTES: int = config("MAX_BODY_BYTES", cast=int, default=1_000_000)

SESSION_MAX_AGE: int = config("SESSION_MAX_AGE", cast=int, default=12 * 3600)
LOGIN_MAX_FAILURES: int = config("LOGIN_MAX_FAILURES", cast=int, default=5)
LOGIN_WINDOW_SECONDS: int = config("LOGIN_WINDOW_SECONDS", cast=int, default=15 * 60)

# The capacity lock (booking/capacity.py). Only the race tests' control twin turns it off, to
# prove those tests can fail; production refuses to start without it.
CAPACITY_LOCK: bool = config("VENSKAB_CAPACITY_LOCK", cast=bool, default=True)

# Per client address: registrations per 10 minutes, "resend my links" per hour. Counted from
# rows, so they hold across processes. (Behind a proxy every client must have its own address:
# see --forwarded-allow-ips in the Procfile.)
REGISTRATION_RATE_LIMIT: int = config("REGISTRATION_RATE_LIMIT", cast=int, default=20)
RESEND_RATE_LIMIT: int = config("RESEND_RATE_LIMIT", cast=int, default=5)

# Retention (`venskab purge`, which the worker runs daily; docs/privacy.md), in days after a
# camp session or a date ends: children's medical fields first, then everything else that names
# or reaches a person. Counts (seats, sessions, statuses) stay, without names.
CAMP_MEDICAL_RETENTION_DAYS: int = config("CAMP_MEDICAL_RETENTION_DAYS", cast=int, default=30)
PERSONAL_RETENTION_DAYS: int = config("PERSONAL_RETENTION_DAYS", cast=int, default=90)

SMTP_URL: str = config("SMTP_URL", default="")
MAIL_FROM: str = config("MAIL_FROM", default="Venskab <noreply@venskab.example>")
STRIPE_SECRET_KEY: str = config("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET: str = config("STRIPE_WEBHOOK_SECRET", default="")


def secure_cookies() -> bool:
    """Cookies carry Secure whenever the site is served over https."""
    return urlsplit(BASE_URL).scheme == "https"


def _db_url_with_defaults(url: str) -> str:
    """PostgreSQL: a pool large enough for a web worker; SQLite: wait for the write lock."""
    scheme = url.split("://", 1)[0]
    sep = "&" if "?" in url else "?"
    if scheme in ("postgres", "postgresql", "asyncpg") and "maxsize=" not in url:
        return f"{url}{sep}minsize=1&maxsize=10"
    if scheme == "sqlite" and "busy_timeout" not in url:
        return f"{url}{sep}busy_timeout=10000"
    return url


async def _no_session_reset(connection: object) -> None:
    """asyncpg's pool resets every connection it takes back (`RESET ALL; UNLISTEN *; CLOSE
    ALL; SELECT pg_advisory_unlock_all()`): one more round trip after every query made outside
    a transaction, a third of a registration's round trips. Nothing here leaves session state
    behind (lock_timeout is SET LOCAL; no LISTEN, cursors or session advisory locks), so the
    pool is given this reset, which does nothing: asyncpg still rolls back a transaction left
    open before calling it."""


def _connection(url: str) -> str | dict:
    """The Tortoise connection for DATABASE_URL; PostgreSQL without the pool's reset."""
    url = _db_url_with_defaults(url)
    if url.split("://", 1)[0] not in ("postgres", "postgresql", "asyncpg"):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    expanded = expand_db_url(url)
    expanded["credentials"]["reset"] = _no_session_reset
    return expanded


MODEL_MODULES = ["venskab.models", "events.models", "booking.models"]

TORTOISE_ORM: dict = {
    "connections": {"default": _connection(DATABASE_URL)},
    "apps": {
        "venskab": {
            "models": MODEL_MODULES,
            "default_connection": "default",
            "migrations": "migrations",
        }
    },
    "use_tz": True,
    "timezone": "UTC",
}


def production_problems() -> list[str]:
    """What keeps this configuration from running in production (empty when fine)."""
    problems = []
    if str(SECRET_KEY) == DEV_SECRET_KEY or len(str(SECRET_KEY)) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not CAPACITY_LOCK:
        problems.append("VENSKAB_CAPACITY_LOCK must not be turned off")
    if min(CAMP_MEDICAL_RETENTION_DAYS, PERSONAL_RETENTION_DAYS) < 0:
        problems.append("CAMP_MEDICAL_RETENTION_DAYS and PERSONAL_RETENTION_DAYS must be 0 or more")
    if not SMTP_URL.startswith(("smtp://", "smtps://")):
        problems.append("SMTP_URL must name the mail server (smtp://… or smtps://…)")
    if "venskab.example" in MAIL_FROM:
        problems.append("MAIL_FROM must be the platform's real sender address")
    host = urlsplit(BASE_URL).hostname or ""
    if host in ("", "127.0.0.1", "localhost") or not BASE_URL.startswith("https://"):
        problems.append("BASE_URL must be the public https:// address of the site")
    return problems
