"""The outbox: mail is written in the caller's transaction and sent afterwards by the worker.

`enqueue()` renders a message in the registrant's language and stores it as a row, so the
message exists exactly when the change that caused it commits: a registration that rolls back
sends nothing, and nothing is lost when the mail server is down. `send_due()` (the worker's
`outbox` job) claims due rows and hands them to venskab/delivery.py (SMTP, or without
SMTP_URL a folder), retrying with backoff.

Delivery is at least once: a worker that dies between handing a message to the server and
marking it sent sends it again when its claim runs out. The Message-ID is derived from the row
id, so such a duplicate carries the same Message-ID as the first copy. See docs/messages.md.

Rendered when sent: `enqueue_later()` (and `enqueue_later_many()` for many in one INSERT)
stores a message with its template, language, recipient, dedupe key and small JSON `params`
(ids, and values such as a waitlist position: never rendered text), in the caller's
transaction. The module that owns the message registers a renderer for its template
(`@mail.renderer("camp/result")`: params and language → context and attachments), and the
process that sends must have imported that module (venskab/worker.py composes them, this
module imports none). Just before the first attempt to send it, the sender renders the
message and stores subject, bodies and attachments on the row, so the copy kept (the
family's "my data", the operators' view of the outbox) and a second copy after a crash are
what was sent. The rule for what such a message says:

- It shows the state at send time (names, dates, titles, links as they are then), except
  the values frozen in params when it was written. Freeze what the message reports about
  the moment it was written, which later changes must not rewrite: the draw's outcome per
  child (week, placed or waiting, position) is frozen at the draw, so a withdrawal or a
  promotion before sending does not change what the draw said.
- Recipient and language are fixed when it is written.
- A renderer that finds what the message is about gone raises `Unrenderable` (Tortoise's
  DoesNotExist counts as such): the message is marked failed at once with the error, the
  others are sent. Any other renderer error (a bug, the database) is retried like a failed
  delivery, with backoff, and fails after MAX_ATTEMPTS. The worker never stops on it.
"""

from __future__ import annotations

import base64
import logging
import os
import random
import re
import secrets
import socket
import textwrap
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import urlsplit

from tortoise import timezone
from tortoise.connection import get_connection
from tortoise.exceptions import DoesNotExist, IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from venskab import delivery, i18n, settings, web
from venskab.models import OutboxMessage

log = logging.getLogger("venskab.mail")

# Tuning that would move to venskab/settings.py as environment variables if it ever needs to
# differ between installations (settings.py is edited elsewhere, so these live here for now).
# Retries wait 30 s, 1, 2, 4, ... 32 min, then an hour each (±20 %): the 30th attempt comes
# about a day after the first. After it the message is marked failed and logged.
MAX_ATTEMPTS = 30
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
# A worker's claim on the messages it took. It stops sending a batch at half of it, so a slow
# server never lets a second worker take (and send) a message the first is still sending:
# the other half outlasts one message's SMTP exchange even when every step nears its timeout.
# A worker that dies leaves its messages for this long.
CLAIM_SECONDS = 600
BATCH = 50

_text_environment = web.environment.overlay(autoescape=False)
# name@domain with nothing an address parser would read otherwise: _check_address accepts it.
_PLAIN_ADDRESS = re.compile(r"[^\s@<>()\[\],;:\\\"]+@[^\s@<>()\[\],;:\\\"]+\Z")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=PUBLISH; charset=utf-8"
    data: bytes


# ---------------------------------------------------------------- enqueue


async def enqueue(
    *,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
    send_after: datetime | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Render templates/mail/{template}.subject.txt, .txt and .html in `language` and store
    the message in the outbox, inside the caller's transaction (it only writes a row).

    A second enqueue with the same dedupe_key is a no-op returning None (a reminder is sent
    once). send_after delays the message (it is never sent before then).
    """
    _check_address(to)
    if dedupe_key is not None and await OutboxMessage.exists(dedupe_key=dedupe_key):
        return None
    values = _values(to, language, template, context, attachments, send_after, dedupe_key)
    if dedupe_key is None:
        return await OutboxMessage.create(**values)
    try:
        # A savepoint inside the caller's transaction: a concurrent twin with the same key
        # (a unique violation) must not abort the change that caused the message.
        async with in_transaction():
            return await OutboxMessage.create(**values)
    except IntegrityError:
        return None


def message(
    *,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage:
    """The row enqueue() would store, rendered but not saved: for a caller that writes it in
    one statement with the change that caused it (venskab/rows.py insert_together). The
    caller saves it in that change's transaction."""
    _check_address(to)
    return OutboxMessage(**_values(to, language, template, context, attachments, None, None))


def _values(
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment],
    send_after: datetime | None,
    dedupe_key: str | None,
) -> dict[str, Any]:
    rendered = _rendered(template, language, context, attachments)
    now = timezone.now()
    return {
        "to_address": to,
        "language": language,
        "template": template,
        **rendered,
        "dedupe_key": dedupe_key,
        "created_at": now,
        "send_after": send_after,
        "next_attempt_at": max(now, send_after) if send_after else now,
    }


def _rendered(
    template: str, language: str, context: dict[str, Any], attachments: Sequence[Attachment]
) -> dict[str, Any]:
    """The row's subject, bodies and attachments."""
    attached = [attachment.filename for attachment in attachments]
    subject, text, html = render(template, language, {**context, "attached": attached})
    return {
        "subject": subject,
        "text_body": text,
        "html_body": html,
        "attachments": [_stored(attachment) for attachment in attachments],
    }


def render(template: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a mail template, rendered in `language` (gettext and
    the date and money filters follow the language while rendering)."""
    if language not in settings.LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    token = i18n.current_language.set(language)
    try:
        values = {
            "lang": language,
            "base_url": settings.BASE_URL,
            "site_url": f"{settings.BASE_URL}/{language}/",
            **context,
        }
        subject = _text_environment.get_template(f"mail/{template}.subject.txt").render(values)
        values["subject"] = " ".join(subject.split())  # one line, whatever the template did
        text = _text_environment.get_template(f"mail/{template}.txt").render(values)
        html = web.environment.get_template(f"mail/{template}.html").render(values)
    finally:
        i18n.current_language.reset(token)
    return values["subject"], tidy_text(text), html


def tidy_text(text: str) -> str:
    """Plain text that reads well in any client: no runs of blank lines, no trailing spaces,
    lines wrapped at 76 characters (never inside a link)."""
    lines = []
    for line in text.splitlines():
        line = line if line == "-- " else line.rstrip()  # "-- " is the signature separator
        if len(line) <= 76:
            lines.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        lines.extend(
            textwrap.wrap(
                line,
                width=76,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _check_address(to: str) -> None:
    """One plain address: a line break here would let text into the message headers."""
    if "\n" in to or "\r" in to or "@" not in parseaddr(to)[1]:
        raise ValueError(f"not an email address: {to!r}")


def _stored(attachment: Attachment) -> dict[str, str]:
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "data_b64": base64.b64encode(attachment.data).decode("ascii"),
    }


# ---------------------------------------------------------------- rendered when sent

# params and language → the template's context and attachments, awaited just before sending.
Renderer = Callable[
    [Mapping[str, Any], str], Awaitable[tuple[dict[str, Any], Sequence[Attachment]]]
]
_renderers: dict[str, Renderer] = {}


class Unrenderable(Exception):
    """What a message rendered when sent is about is gone (the application was deleted, say):
    it can never be written, so it fails at once rather than being retried."""


def renderer(template: str) -> Callable[[Renderer], Renderer]:
    """Register, as a decorator, the function that renders `template`'s messages written with
    enqueue_later: called with the message's params and language just before it is sent."""

    def register(function: Renderer) -> Renderer:
        _renderers[template] = function
        return function

    return register


def renderable() -> frozenset[str]:
    """The templates this process can render when sending (its renderers, registered)."""
    return frozenset(_renderers)


@dataclass(frozen=True)
class Later:
    """A message to write now and render when it is sent (enqueue_later_many)."""

    to: str
    language: str
    template: str
    params: Mapping[str, Any]  # JSON: ids and frozen values, no rendered text
    dedupe_key: str | None = None
    send_after: datetime | None = None


async def enqueue_later(
    *,
    to: str,
    language: str,
    template: str,
    params: Mapping[str, Any],
    send_after: datetime | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Store a message to be rendered when it is sent (see the module's docstring for what it
    then shows): one INSERT in the caller's transaction, no template rendered now.

    A message whose dedupe_key is already in the outbox is not written (returns None), and
    that does not undo the caller's transaction."""
    row = _later_row(Later(to, language, template, params, dedupe_key, send_after))
    if dedupe_key is None:
        await row.save(force_create=True)
        return row
    try:
        async with in_transaction():  # a savepoint: see enqueue()
            await row.save(force_create=True)
    except IntegrityError:
        return None
    return row


async def enqueue_later_many(messages: Iterable[Later]) -> int:
    """enqueue_later() for many messages in one bulk INSERT, in the caller's transaction (a
    draw's result mails). Messages whose dedupe_key is already in the outbox are skipped.
    Returns how many were given."""
    rows = [_later_row(message) for message in messages]
    if rows:
        keyed = any(row.dedupe_key is not None for row in rows)
        await OutboxMessage.bulk_create(rows, ignore_conflicts=keyed)
    return len(rows)


def later_message(message: Later) -> OutboxMessage:
    """The row enqueue_later() would store, not saved: for a caller that writes it in one
    statement with the change that caused it (booking/registrations.py). The caller saves
    it in that change's transaction."""
    return _later_row(message)


def _later_row(message: Later) -> OutboxMessage:
    if not _PLAIN_ADDRESS.match(message.to):  # the common case, without the parser's cost
        _check_address(message.to)
    if message.language not in settings.LANGUAGES:
        raise ValueError(f"unknown language {message.language!r}")
    if message.template not in _renderers:
        raise ValueError(f"no renderer is registered for {message.template!r}")
    now = timezone.now()
    send_after = message.send_after
    return OutboxMessage(
        to_address=message.to,
        language=message.language,
        template=message.template,
        subject="",
        text_body="",
        html_body="",
        attachments=[],
        params=dict(message.params),
        dedupe_key=message.dedupe_key,
        created_at=now,
        send_after=send_after,
        next_attempt_at=max(now, send_after) if send_after else now,
    )


def needs_rendering(message: OutboxMessage) -> bool:
    return message.params is not None and message.rendered_at is None


async def render_stored(message: OutboxMessage, now: datetime) -> None:
    """Render a message written with enqueue_later by its template's renderer and store
    subject, bodies and attachments on its row (and on `message`). Raises Unrenderable when
    what it is about is gone, LookupError when this process has no renderer for it."""
    function = _renderers.get(message.template)
    if function is None:
        raise LookupError(f"no renderer is registered for {message.template!r} in this process")
    try:
        context, attachments = await function(message.params, message.language)
    except DoesNotExist as error:
        raise Unrenderable(str(error)) from error
    values = {
        **_rendered(message.template, message.language, context, attachments),
        "rendered_at": now,
    }
    await OutboxMessage.filter(id=message.id).update(**values)
    for name, value in values.items():
        setattr(message, name, value)


# ---------------------------------------------------------------- the MIME message


def message_id(outbox_id: int) -> str:
    """Stable per outbox row, so a copy sent twice after a crash is recognisable."""
    host = urlsplit(settings.BASE_URL).hostname or "venskab.invalid"
    return f"<outbox-{outbox_id}@{host}>"


def build_mime(message: OutboxMessage) -> EmailMessage:
    """The full message: text and HTML alternatives, then the attachments, all UTF-8."""
    mime = EmailMessage(policy=policy.SMTP)
    mime["From"] = settings.MAIL_FROM
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(message.created_at)
    mime["Message-ID"] = message_id(message.id)
    # RFC 3834: machine-sent, so out-of-office robots do not answer it.
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body, charset="utf-8")
    mime.add_alternative(message.html_body, subtype="html", charset="utf-8")
    for stored in message.attachments:
        content_type = policy.default.header_factory("Content-Type", stored["content_type"])
        mime.add_attachment(
            base64.b64decode(stored["data_b64"]),
            maintype=content_type.maintype,
            subtype=content_type.subtype,
            filename=stored["filename"],
            params=dict(content_type.params),
        )
    # Last: set_content() and add_attachment() move or drop Content-* headers set before.
    mime["Content-Language"] = message.language
    return mime


# ---------------------------------------------------------------- sending


async def send_due(now: datetime, *, limit: int = BATCH) -> int:
    """Claim up to `limit` due messages and send them; returns how many were sent.

    A message is claimed by one worker at a time (see _claim), sent, then marked sent. A
    failure is recorded and the message waits for its next attempt.
    """
    ids = await _claim(now, limit, _worker_name())
    if not ids:
        return 0
    messages = await OutboxMessage.filter(id__in=ids).order_by("id")
    deadline = time.monotonic() + CLAIM_SECONDS / 2
    sent = 0
    async with delivery.transport() as deliver:
        for index, message in enumerate(messages):
            if time.monotonic() > deadline:
                await _release(messages[index:])
                break
            if needs_rendering(message):
                try:
                    await render_stored(message, now)
                except Exception as error:  # recorded: failed at once, or retried (see top)
                    await _record_failure(message, now, error)
                    continue
            try:
                await deliver(message, build_mime(message))
            except delivery.ServerUnavailable as error:
                for waiting in messages[index:]:
                    await _record_failure(waiting, now, error)
                break
            except Exception as error:  # every failure is recorded and retried
                await _record_failure(message, now, error)
            else:
                await OutboxMessage.filter(id=message.id).update(sent_at=now, claimed_until=None)
                sent += 1
    return sent


_CLAIM_SQL = """
UPDATE "outbox_message" SET "claimed_until" = $3, "claimed_by" = $4
WHERE "id" IN (
    SELECT "id" FROM "outbox_message"
    WHERE "sent_at" IS NULL AND "failed_at" IS NULL AND "next_attempt_at" <= $1
      AND ("claimed_until" IS NULL OR "claimed_until" < $1)
    ORDER BY "id" LIMIT $2
    FOR UPDATE SKIP LOCKED)
RETURNING "id"
"""


def _due(now: datetime) -> Q:
    return Q(sent_at=None, failed_at=None, next_attempt_at__lte=now) & (
        Q(claimed_until=None) | Q(claimed_until__lt=now)
    )


async def _claim(now: datetime, limit: int, worker: str) -> list[int]:
    """Take due messages for this worker until now + CLAIM_SECONDS.

    PostgreSQL: one statement with FOR UPDATE SKIP LOCKED, so any number of workers each
    take different messages without waiting on each other. SQLite: read and mark in one
    transaction. Tortoise runs one SQLite transaction at a time per process, which is enough
    for the single worker a SQLite installation runs (docs/messages.md).
    """
    until = now + timedelta(seconds=CLAIM_SECONDS)
    connection = get_connection("default")
    if connection.capabilities.dialect == "postgres":
        rows = await connection.execute_query_dict(_CLAIM_SQL, [now, limit, until, worker])
        return sorted(row["id"] for row in rows)
    async with in_transaction():
        ids = (
            await OutboxMessage.filter(_due(now))
            .order_by("id")
            .limit(limit)
            .values_list("id", flat=True)
        )
        if not ids:
            return []
        await OutboxMessage.filter(_due(now), id__in=ids).update(
            claimed_until=until, claimed_by=worker
        )
        return sorted(await OutboxMessage.filter(claimed_by=worker).values_list("id", flat=True))


async def _release(messages: Sequence[OutboxMessage]) -> None:
    """Give back what this worker will not send now, so the next round takes it at once."""
    ids = [message.id for message in messages]
    await OutboxMessage.filter(id__in=ids, sent_at=None).update(claimed_until=None)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 30 s, 1 min, 2 min, ... capped at an
    hour, with ±20 % jitter so messages that failed together do not retry together."""
    seconds = min(FIRST_RETRY_SECONDS * 2 ** min(attempts - 1, 20), MAX_RETRY_SECONDS)
    return timedelta(seconds=min(seconds * random.uniform(0.8, 1.2), MAX_RETRY_SECONDS))


async def _record_failure(message: OutboxMessage, now: datetime, error: Exception) -> None:
    attempts = message.attempts + 1
    reason = f"{type(error).__name__}: {error}"[:2000]
    changes: dict[str, Any] = {"attempts": attempts, "last_error": reason, "claimed_until": None}
    permanent = delivery.is_permanent(error) or isinstance(error, Unrenderable)
    if attempts >= MAX_ATTEMPTS or permanent:
        changes["failed_at"] = now
        # The row says to whom: logs keep no addresses.
        log.error(
            "mail %s (%s) failed for good after %d attempt(s): %s",
            message.id,
            message.template,
            attempts,
            reason,
        )
    else:
        changes["next_attempt_at"] = now + retry_delay(attempts)
        log.warning(
            "mail %s (%s) not sent, attempt %d, next at %s: %s",
            message.id,
            message.template,
            attempts,
            changes["next_attempt_at"],
            reason,
        )
    await OutboxMessage.filter(id=message.id).update(**changes)


def _worker_name() -> str:
    """Unique per send_due call: two calls in one process must not share claims."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


async def delete_sent_before(cutoff: datetime) -> int:
    """Forget messages sent or given up before `cutoff`: they hold names and addresses
    (for the retention job)."""
    return await OutboxMessage.filter(Q(sent_at__lt=cutoff) | Q(failed_at__lt=cutoff)).delete()
