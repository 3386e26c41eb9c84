"""How a message leaves the outbox: over SMTP, or in development into a folder.

The only module that imports aiosmtplib. venskab/mail.py decides what to send and when;
this module only delivers one MIME message at a time and says whether a failure is worth
retrying. SMTP_URL is read when a batch starts, so tests can point it at their own server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from venskab import settings
from venskab.models import OutboxMessage

log = logging.getLogger("venskab.mail")

# Would move to venskab/settings.py if installations ever need other values.
# Development (no SMTP_URL): each message is written here as <id>-<template>.eml.
OUTBOX_FOLDER: Path = settings.ROOT / "var" / "outbox"
SMTP_TIMEOUT_SECONDS = 30  # per SMTP step (connect, each command)


class ServerUnavailable(Exception):
    """The mail server could not be reached or refused us: every message waits."""


@dataclass(frozen=True)
class SmtpServer:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool  # smtps://: TLS from the first byte
    start_tls: bool  # smtp://…?starttls=1: upgrade after connecting, or fail

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """smtp://user:pass@host:port, smtps://… (implicit TLS), ?starttls=1 (required
        STARTTLS). User and password are percent-decoded."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port")
        use_tls = parts.scheme == "smtps"
        start_tls = parse_qs(parts.query).get("starttls", ["0"])[-1] in ("1", "true", "yes")
        return cls(
            hostname=parts.hostname,
            port=parts.port or (465 if use_tls else 587 if start_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
            start_tls=start_tls and not use_tls,
        )


def describe() -> str:
    """Where mail goes, for the worker's start-up log line (no password)."""
    if not settings.SMTP_URL:
        return f"mail is written to {OUTBOX_FOLDER} (no SMTP_URL: development)"
    server = SmtpServer.from_url(settings.SMTP_URL)
    security = "TLS" if server.use_tls else "STARTTLS" if server.start_tls else "no TLS"
    return f"mail is sent to {server.hostname}:{server.port} ({security})"


Deliver = Callable[[OutboxMessage, EmailMessage], Awaitable[None]]


@contextlib.asynccontextmanager
async def transport() -> AsyncIterator[Deliver]:
    """A delivery function for one batch: over SMTP (one connection, opened when first
    needed), or to the development folder. SMTP_URL is read at call time (tests change it)."""
    if not settings.SMTP_URL:
        yield _write_to_folder
        return
    sender = _Smtp(SmtpServer.from_url(settings.SMTP_URL))
    try:
        yield sender.deliver
    finally:
        await sender.close()


async def _write_to_folder(message: OutboxMessage, mime: EmailMessage) -> None:
    path = OUTBOX_FOLDER / f"{message.id}-{message.template.replace('/', '-')}.eml"
    await asyncio.to_thread(_write_file, path, mime.as_bytes())
    log.info(
        "mail %s to %s [%s] %r written to %s",
        message.id,
        message.to_address,
        message.language,
        message.subject,
        path,
    )


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(path)  # a reader never sees half a message


class _Smtp:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self.client = aiosmtplib.SMTP(
            hostname=server.hostname,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            start_tls=server.start_tls,
            timeout=SMTP_TIMEOUT_SECONDS,
        )

    async def deliver(self, message: OutboxMessage, mime: EmailMessage) -> None:
        if not self.client.is_connected:
            try:
                await self.client.connect()
            except (aiosmtplib.SMTPException, OSError) as error:
                raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        try:
            await self.client.send_message(
                mime, sender=parseaddr(settings.MAIL_FROM)[1], recipients=[message.to_address]
            )
        except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused):
            raise  # the server answered (and aiosmtplib reset the envelope): go on
        except Exception:
            self.client.close()  # the connection is in doubt: the next message reconnects
            raise
        log.info("mail %s (%s) sent", message.id, message.template)

    async def close(self) -> None:
        if self.client.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await self.client.quit()


def is_permanent(error: Exception) -> bool:
    """The server refused this message for good (5xx for its recipient or its content):
    retrying for a day would change nothing."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= refused.code < 600 for refused in error.recipients)
    return (
        isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError)
        and 500 <= error.code < 600
    )
