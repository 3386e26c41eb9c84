"""Messages rendered when sent (venskab/mail.py: enqueue_later): written as a row with params in
the caller's transaction, rendered by their template's registered renderer just before the
first attempt to send them, stored as sent; a renderer that fails never stops the worker."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from tortoise import timezone
from tortoise.transactions import in_transaction

from tests.mail_helpers import MailServer, booking_context
from venskab import mail, settings
from venskab.models import OutboxMessage

TEMPLATE = "booking/waitlisted"  # a real template: title, registration, position, links
ICS = mail.Attachment("event.ics", "text/calendar; charset=utf-8", b"BEGIN:VCALENDAR\r\n")


class World:
    """What the renderer reads when it runs: the state at send time."""

    title = "Кінопоказ «Тихі думки»"
    gone: set[int] = set()
    broken = False
    calls = 0


@pytest.fixture(autouse=True)
def renderer():
    """A renderer for TEMPLATE, registered for these tests only."""
    World.title, World.gone, World.broken, World.calls = "Кінопоказ «Тихі думки»", set(), False, 0

    async def render_waitlisted(
        params: Mapping[str, Any], language: str
    ) -> tuple[dict[str, Any], list[mail.Attachment]]:
        World.calls += 1
        if params["registration"] in World.gone:
            raise mail.Unrenderable(f"registration {params['registration']} was deleted")
        if World.broken:
            raise RuntimeError("the renderer has a bug")
        context = booking_context(event_title=World.title, position=params["position"])
        return context, [ICS]

    mail.renderer(TEMPLATE)(render_waitlisted)
    yield
    mail._renderers.pop(TEMPLATE, None)


@pytest.fixture
def server(monkeypatch):
    smtp = MailServer()
    smtp.start()
    monkeypatch.setattr(settings, "SMTP_URL", smtp.url)
    yield smtp
    smtp.stop()


@pytest.fixture
def down_server(monkeypatch):
    smtp = MailServer()
    monkeypatch.setattr(settings, "SMTP_URL", smtp.url)
    yield smtp
    smtp.stop()


def soon(seconds: float = 1):
    return timezone.now() + timedelta(seconds=seconds)


async def waitlisted(registration: int = 7, position: int = 3, **values):
    return await mail.enqueue_later(
        to=values.pop("to", "oksana@example.org"),
        language=values.pop("language", "uk"),
        template=TEMPLATE,
        params={"registration": registration, "position": position},
        **values,
    )


# ---------------------------------------------------------------- writing


async def test_a_message_to_render_later_is_a_row_with_params_and_no_text():
    async with in_transaction():
        message = await waitlisted()
    stored = await OutboxMessage.get(id=message.id)
    assert stored.params == {"registration": 7, "position": 3}
    assert (stored.subject, stored.text_body, stored.html_body, stored.attachments) == (
        "",
        "",
        "",
        [],
    )
    assert stored.rendered_at is None and stored.sent_at is None
    assert World.calls == 0  # nothing rendered while the caller's transaction is open


async def test_a_message_to_render_later_in_a_transaction_that_rolls_back_does_not_exist():
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await waitlisted()
            raise RuntimeError("the change failed after the mail was written")
    assert await OutboxMessage.all().count() == 0


async def test_a_second_message_with_the_same_dedupe_key_adds_nothing_and_keeps_the_change():
    assert await waitlisted(dedupe_key="waitlisted-7") is not None
    async with in_transaction():
        assert await waitlisted(dedupe_key="waitlisted-7") is None
        kept = await waitlisted(registration=8)
    assert kept is not None
    assert await OutboxMessage.all().count() == 2


async def test_many_are_written_together_and_a_known_dedupe_key_is_skipped():
    await waitlisted(registration=1, dedupe_key="waitlisted-1")
    later = [
        mail.Later(
            f"family{n}@example.org",
            "da",
            TEMPLATE,
            {"registration": n, "position": n},
            dedupe_key=f"waitlisted-{n}",
        )
        for n in range(1, 6)
    ]
    async with in_transaction():
        assert await mail.enqueue_later_many(later) == 5
    rows = await OutboxMessage.all().order_by("id")
    assert [r.dedupe_key for r in rows] == [f"waitlisted-{n}" for n in range(1, 6)]
    assert rows[0].to_address == "oksana@example.org"  # the first one, kept
    assert [r.params["position"] for r in rows[1:]] == [2, 3, 4, 5]


async def test_a_template_without_a_renderer_or_a_bad_address_is_refused_when_written():
    with pytest.raises(ValueError, match="no renderer"):
        await mail.enqueue_later(
            to="a@example.org", language="uk", template="booking/links", params={}
        )
    with pytest.raises(ValueError, match="not an email address"):
        await waitlisted(to="a@example.org\r\nBcc: everyone@example.org")
    with pytest.raises(ValueError):
        await mail.enqueue_later_many([mail.Later("a@example.org", "xx", TEMPLATE, {})])
    assert await OutboxMessage.all().count() == 0


# ---------------------------------------------------------------- sending


async def test_it_shows_the_state_at_send_time_and_the_values_frozen_in_params(server):
    message = await waitlisted(position=3)
    World.title = "Кінопоказ «Нові думки»"  # changed after the message was written
    now = soon()
    assert await mail.send_due(now) == 1
    [received] = await server.wait_for(1)
    assert "Кінопоказ «Нові думки»" in received["Subject"]
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert "3" in text and "Кінопоказ «Нові думки»" in text
    assert [part.get_filename() for part in received.iter_attachments()] == ["event.ics"]
    # What was sent is kept on the row, as for a message rendered when written.
    stored = await OutboxMessage.get(id=message.id)
    assert "Кінопоказ «Нові думки»" in stored.subject
    assert stored.text_body.splitlines() == text.splitlines()
    assert '<html lang="uk"' in stored.html_body
    assert [a["filename"] for a in stored.attachments] == ["event.ics"]
    assert (stored.rendered_at, stored.sent_at) == (now, now)
    assert stored.params == {"registration": 7, "position": 3}


async def test_a_retry_sends_what_was_rendered_first(down_server):
    await waitlisted()
    assert await mail.send_due(soon()) == 0  # rendered, then the server was down
    stored = await OutboxMessage.get()
    assert stored.rendered_at is not None and stored.attempts == 1
    assert "«Тихі думки»" in stored.subject
    World.title = "Something else"
    down_server.start()
    assert await mail.send_due(soon(3600)) == 1
    [received] = await down_server.wait_for(1)
    assert "«Тихі думки»" in received["Subject"]
    assert "Something else" not in received.as_string()
    assert World.calls == 1


async def test_a_message_whose_subject_is_gone_fails_at_once_and_the_others_are_sent(server):
    gone = await waitlisted(registration=7)
    await waitlisted(registration=8, to="other@example.org")
    World.gone.add(7)
    now = soon()
    assert await mail.send_due(now) == 1
    [received] = await server.wait_for(1)
    assert received["To"] == "other@example.org"
    stored = await OutboxMessage.get(id=gone.id)
    assert stored.failed_at == now and stored.sent_at is None
    assert "Unrenderable" in stored.last_error and "registration 7 was deleted" in stored.last_error
    assert stored.subject == "" and stored.rendered_at is None
    assert await mail.send_due(soon(48 * 3600)) == 0  # never tried again
    assert World.calls == 2


async def test_a_failing_renderer_is_retried_with_backoff_then_given_up(server, monkeypatch):
    await waitlisted()
    World.broken = True
    now = soon()
    assert await mail.send_due(now) == 0
    stored = await OutboxMessage.get()
    assert stored.failed_at is None and stored.attempts == 1
    assert "RuntimeError: the renderer has a bug" in stored.last_error
    assert stored.next_attempt_at > now
    monkeypatch.setattr(mail, "MAX_ATTEMPTS", 2)
    later = stored.next_attempt_at + timedelta(seconds=1)
    assert await mail.send_due(later) == 0
    stored = await OutboxMessage.get()
    assert stored.failed_at == later and stored.attempts == 2
    assert server.inbox.messages == []


async def test_the_worker_job_survives_a_failing_renderer(server):
    from venskab import worker

    await waitlisted(registration=7)
    await waitlisted(registration=8, to="other@example.org")
    World.gone.add(7)
    await worker.send_outbox(soon())  # does not raise
    assert [m["To"] for m in await server.wait_for(1)] == ["other@example.org"]


# ---------------------------------------------------------------- composition


def test_the_worker_registers_the_renderers_and_the_outbox_imports_none():
    """venskab/mail.py imports no domain module (the rings); the worker composes them."""
    code = (
        "from venskab import mail\n"
        "assert not mail.renderable(), mail.renderable()\n"
        "from venskab import worker\n"
        "worker.load_renderers()\n"
        "print(sorted(mail.renderable()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "camp/result" in done.stdout
