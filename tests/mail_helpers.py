"""A real SMTP server on loopback for the mail tests (aiosmtpd), which can be taken down and
brought back on the same port, and a sample context for every mail template."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import SimpleNamespace
from typing import Any

from aiosmtpd.controller import Controller

REFUSED = "refused@venskab.example"  # the server answers 550 for this recipient


def free_port() -> int:
    """A port nothing listens on (until a test starts a server there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def count_by_message_id(self) -> Counter[str]:
        return Counter(str(message["Message-ID"]) for message in self.messages)


class MailServer:
    """aiosmtpd on 127.0.0.1:<port>; stop() takes it down, start() brings it back."""

    def __init__(self, **smtp_options: Any) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.smtp_options = smtp_options
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.smtp_options
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def wait_for(self, count: int, seconds: float = 10.0) -> list[EmailMessage]:
        deadline = asyncio.get_running_loop().time() + seconds
        while len(self.inbox.messages) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{len(self.inbox.messages)} of {count} messages arrived")
            await asyncio.sleep(0.02)
        return self.inbox.messages


# ---------------------------------------------------------------- template contexts

OCCURRENCE = SimpleNamespace(
    starts_at=datetime(2026, 12, 5, 18, 0, tzinfo=UTC),
    ends_at=datetime(2026, 12, 5, 20, 0, tzinfo=UTC),
    all_day=False,
)
VENUE = SimpleNamespace(
    name="Kulturhuset Islands Brygge",
    address="Islands Brygge 18, 2300 København S",
    map_url="https://www.openstreetmap.org/?mlat=55.66&mlon=12.57",
)


def booking_context(**values: Any) -> dict[str, Any]:
    """What the booking code passes for one registration (each template's comment says which
    keys it reads)."""
    context: dict[str, Any] = {
        "registration": SimpleNamespace(name="Оксана Коваленко", seats=2, status="confirmed"),
        "event_title": "Кінопоказ «Тихі думки»",
        "occurrence": OCCURRENCE,
        "venue": VENUE,
        "manage_url": "https://venskab.example/uk/registrations/secret-token",
        "event_url": "https://venskab.example/uk/events/film",
        "position": 3,
        "confirm_by": OCCURRENCE.starts_at - timedelta(days=2),
        "note": "The cinema has no heating.\nWe are sorry.",
    }
    context["registrations"] = [
        {"event_title": "Кінопоказ", "occurrence": OCCURRENCE, "manage_url": "https://x/1"},
        {"event_title": "Workshop", "when": "5. december", "manage_url": "https://x/2"},
    ]
    return {**context, **values}


TEMPLATES = (
    "booking/confirmed",
    "booking/waitlisted",
    "booking/offered",
    "booking/promoted_confirmed",
    "booking/reminder",
    "booking/cancelled_by_you",
    "booking/cancelled_by_organiser",
    "booking/links",
)


# ---------------------------------------------------------------- rendered when sent


async def render_outbox() -> None:
    """Render, as the worker does before its first attempt to send, every message written
    with mail.enqueue_later that is not rendered yet (registrations' mails, the draw's
    results), so a test can read its subject, bodies and attachments. Nothing is sent."""
    from tortoise import timezone

    from venskab import mail
    from venskab.models import OutboxMessage

    for message in await OutboxMessage.filter(rendered_at=None, params__not_isnull=True):
        await mail.render_stored(message, timezone.now())
