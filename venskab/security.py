"""Organiser sessions and roles, CSRF, rate limits, passwords and security headers.

Sessions live in the database (so logout and deactivation take effect at once in every
process); the cookie carries only a signed random token. CSRF uses a double-submit cookie,
checked by `read_form`, the one way views read a submitted form. Rate limits are counted from
rows, so they hold across web processes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise import timezone
from tortoise.connection import get_connection

from venskab import settings
from venskab.errors import Forbidden, TooManyRequests
from venskab.i18n import N_
from venskab.models import Organiser, OrganiserSession, RateLimitHit, Role

SESSION_COOKIE = "venskab_session"
CSRF_COOKIE = "venskab_csrf"
CSRF_FIELD = "csrf_token"

_hasher = PasswordHasher()
_signer = URLSafeSerializer(str(settings.SECRET_KEY), salt="organiser-session")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# ---------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---------------------------------------------------------------- rate limits


async def count_hits(bucket: str, key: str, window: timedelta, now: datetime) -> int:
    return await RateLimitHit.filter(bucket=bucket, key=key, at__gt=now - window).count()


async def record_hit(bucket: str, key: str, now: datetime) -> None:
    await RateLimitHit.create(bucket=bucket, key=key, at=now)


# Count and record in one statement (one round trip on the busiest form): the hit is written
# only while fewer than the limit fall in the window.
_RATE_LIMIT_SQL = """
INSERT INTO "rate_limit_hit" ("bucket", "key", "at")
SELECT {bucket}, {key}, {now}
WHERE (SELECT COUNT(*) FROM "rate_limit_hit"
       WHERE "bucket" = {bucket} AND "key" = {key} AND "at" > {since}) < {limit}
RETURNING "id"
"""


def _rate_limit_sql(dialect: str) -> str:
    # PostgreSQL cannot tell the type of a parameter in a SELECT list: it is given.
    types = {"bucket": "varchar", "key": "varchar", "now": "timestamptz", "since": "timestamptz"}
    types["limit"] = "integer"
    marks = {
        name: f"${n}::{types[name]}" if dialect == "postgres" else f"?{n}"
        for n, name in enumerate(types, 1)
    }
    return _RATE_LIMIT_SQL.format(**marks)


_RATE_LIMIT_BY_DIALECT: dict[str, str] = {}


async def rate_limit(bucket: str, key: str, limit: int, window: timedelta, now: datetime) -> None:
    """Count one attempt; raise TooManyRequests when more than `limit` fall in `window`."""
    connection = get_connection("default")
    dialect = connection.capabilities.dialect
    sql = _RATE_LIMIT_BY_DIALECT.get(dialect) or _RATE_LIMIT_BY_DIALECT.setdefault(
        dialect, _rate_limit_sql(dialect)
    )
    if not await connection.execute_query_dict(sql, [bucket, key, now, now - window, limit]):
        raise TooManyRequests(retry_after=int(window.total_seconds()))


# ---------------------------------------------------------------- login


class LoginFailed(Exception):
    """Wrong email or password (deliberately not saying which)."""


async def authenticate(email: str, password: str, client: str, now: datetime) -> Organiser:
    """The organiser with these credentials. Throttled per email and per client address."""
    email = email.strip().lower()
    window = timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    limit = settings.LOGIN_MAX_FAILURES
    if (
        await count_hits("login-email", email, window, now) >= limit
        or await count_hits("login-client", client, window, now) >= limit * 4
    ):
        raise TooManyRequests(
            N_("Too many failed sign-in attempts. Please wait 15 minutes and try again."),
            retry_after=settings.LOGIN_WINDOW_SECONDS,
        )
    organiser = await Organiser.get_or_none(email=email, is_active=True)
    valid = verify_password(organiser.password_hash if organiser else _DUMMY_HASH, password)
    if organiser is None or not valid:
        await record_hit("login-email", email, now)
        await record_hit("login-client", client, now)
        raise LoginFailed
    return organiser


async def start_session(organiser: Organiser, now: datetime) -> str:
    """A new login session; returns the signed cookie value."""
    token = secrets.token_urlsafe(32)
    await OrganiserSession.create(
        token_hash=_digest(token),
        organiser=organiser,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.SESSION_MAX_AGE),
    )
    return _signer.dumps(token)


async def end_session(cookie_value: str) -> None:
    try:
        token = _signer.loads(cookie_value)
    except BadSignature:
        return
    await OrganiserSession.filter(token_hash=_digest(token)).delete()


class TamperedSession(Exception):
    """The session cookie's signature does not match: someone changed it."""


async def organiser_for_cookie(cookie_value: str, now: datetime) -> Organiser | None:
    """The signed-in organiser, None when the session ended, TamperedSession when forged."""
    try:
        token = _signer.loads(cookie_value)
    except BadSignature as error:
        raise TamperedSession from error
    session = await OrganiserSession.get_or_none(
        token_hash=_digest(str(token)), expires_at__gt=now
    ).select_related("organiser")
    if session is None or not session.organiser.is_active:
        return None
    return session.organiser


def session_cookie_header(value: str, max_age: int = settings.SESSION_MAX_AGE) -> str:
    """Set-Cookie for the session: HttpOnly, SameSite=Lax, Secure under https."""
    secure = "; Secure" if settings.secure_cookies() else ""
    return f"{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"


def has_role(organiser: Organiser, *roles: Role) -> bool:
    return organiser.role == Role.ADMIN or organiser.role in roles


def require_role(request: Request, *roles: Role) -> Organiser:
    """The signed-in organiser if they hold one of `roles` (admins hold all)."""
    organiser: Organiser | None = request.scope.get("state", {}).get("organiser")
    if organiser is None or not has_role(organiser, *roles):
        raise Forbidden
    return organiser


def can_edit_event(organiser: Organiser, owner_id: int | None) -> bool:
    return organiser.role == Role.ADMIN or (
        organiser.role == Role.ORGANISER and owner_id == organiser.id
    )


# ---------------------------------------------------------------- CSRF


def csrf_token(request: Request) -> str:
    """This browser's CSRF token; a new one is set as a cookie with the response."""
    state = request.scope.setdefault("state", {})
    token = request.cookies.get(CSRF_COOKIE) or state.get("new_csrf_token")
    if not token:
        token = state["new_csrf_token"] = secrets.token_urlsafe(32)
    return token


class CsrfFailed(Exception):
    pass


async def read_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token against the cookie."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfFailed
    return form


# ---------------------------------------------------------------- middleware


class SecurityHeadersMiddleware:
    """Adds the security headers to every response and the CSRF cookie where one was made."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
                if settings.secure_cookies():
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
                token = scope.get("state", {}).get("new_csrf_token")
                if token:
                    secure = "; Secure" if settings.secure_cookies() else ""
                    headers.append(
                        "Set-Cookie",
                        f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookies(scope: Scope) -> dict[str, str]:
    raw = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header: treat as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


class OrganiserSessionMiddleware:
    """Puts the signed-in organiser (or None) into request.state.organiser.

    A forged session cookie gets 403 and is cleared, so the next request starts clean.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        state["organiser"] = None
        cookie = _cookies(scope).get(SESSION_COOKIE)
        if cookie:
            try:
                state["organiser"] = await organiser_for_cookie(cookie, timezone.now())
            except TamperedSession:
                await _forbidden(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _forbidden(scope: Scope, receive: Receive, send: Send) -> None:
    from starlette.responses import PlainTextResponse

    from venskab.i18n import gettext

    response = PlainTextResponse(
        gettext("Your session could not be verified. Please sign in again."), status_code=403
    )
    response.headers.append("Set-Cookie", session_cookie_header("", max_age=0))
    await response(scope, receive, send)
