"""The outbox (venskab/mail.py): written in the caller's transaction, sent over real SMTP on
loopback (aiosmtpd), with retries while the server is down and never twice to the same
recipient, whatever the number of senders."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy

import pytest
from babel.messages.extract import extract_from_dir
from tortoise import timezone
from tortoise.transactions import in_transaction

from tests.mail_helpers import REFUSED, TEMPLATES, MailServer, booking_context
from venskab import delivery, i18n, mail, settings
from venskab.models import OutboxMessage

ICS = mail.Attachment(
    "event.ics",
    "text/calendar; method=PUBLISH; charset=utf-8",
    b"BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n",
)
QR = mail.Attachment("checkin-qr.png", "image/png", b"\x89PNG\r\n\x1a\n fake image bytes")


@pytest.fixture
def server(monkeypatch):
    """A running SMTP server; the code under test reads settings.SMTP_URL when it sends."""
    smtp = MailServer()
    smtp.start()
    monkeypatch.setattr(settings, "SMTP_URL", smtp.url)
    yield smtp
    smtp.stop()


@pytest.fixture
def down_server(monkeypatch):
    """A server that is down (nothing listens on its port) until the test starts it."""
    smtp = MailServer()
    monkeypatch.setattr(settings, "SMTP_URL", smtp.url)
    yield smtp
    smtp.stop()


def soon(seconds: float = 1) -> datetime:
    """A moment just after now: messages enqueued until now are due."""
    return timezone.now() + timedelta(seconds=seconds)


async def confirmation(to: str = "oksana@example.org", language: str = "uk", **values):
    return await mail.enqueue(
        to=to,
        language=language,
        template="booking/confirmed",
        context=booking_context(),
        attachments=[QR, ICS],
        **values,
    )


# ---------------------------------------------------------------- enqueue and transactions


async def test_a_message_enqueued_in_a_transaction_that_rolls_back_does_not_exist():
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await confirmation()
            raise RuntimeError("the registration failed after the mail was enqueued")
    assert await OutboxMessage.all().count() == 0


async def test_a_message_enqueued_in_a_transaction_that_commits_exists_once():
    async with in_transaction():
        message = await confirmation()
    assert message is not None
    stored = await OutboxMessage.get(id=message.id)
    assert (stored.to_address, stored.language, stored.template) == (
        "oksana@example.org",
        "uk",
        "booking/confirmed",
    )
    assert [a["filename"] for a in stored.attachments] == ["checkin-qr.png", "event.ics"]
    assert await OutboxMessage.all().count() == 1


async def test_a_second_enqueue_with_the_same_dedupe_key_adds_nothing():
    first = await confirmation(dedupe_key="reminder-7")
    second = await confirmation(dedupe_key="reminder-7")
    assert first is not None
    assert second is None
    assert await OutboxMessage.all().count() == 1


async def test_a_duplicate_dedupe_key_does_not_undo_the_callers_transaction(monkeypatch):
    await confirmation(dedupe_key="reminder-8")

    async def absent(*args, **kwargs) -> bool:
        return False

    async with in_transaction():
        # A twin committed after the pre-check: the insert itself meets the unique key.
        monkeypatch.setattr(OutboxMessage, "exists", absent)
        assert await confirmation(dedupe_key="reminder-8") is None
        monkeypatch.undo()
        kept = await confirmation(to="other@example.org")
    assert kept is not None
    assert await OutboxMessage.all().count() == 2


async def test_an_address_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="not an email address"):
        await confirmation(to="a@example.org\r\nBcc: everyone@example.org")
    with pytest.raises(ValueError, match="not an email address"):
        await confirmation(to="no-at-sign")


async def test_send_after_holds_a_message_back(server):
    await confirmation(send_after=timezone.now() + timedelta(hours=1))
    assert await mail.send_due(soon()) == 0
    assert await mail.send_due(soon(3601)) == 1


# ---------------------------------------------------------------- the message on the wire


async def test_a_sent_message_has_a_utf8_subject_text_html_and_attachments(server):
    message = await confirmation(language="uk")
    assert await mail.send_due(soon()) == 1
    [received] = await server.wait_for(1)
    assert received["Subject"] == message.subject
    assert "Кінопоказ «Тихі думки»" in received["Subject"]
    assert received["To"] == "oksana@example.org"
    assert received["Content-Language"] == "uk"
    assert received["Auto-Submitted"] == "auto-generated"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert "Оксана Коваленко" in text.get_content()
    assert '<html lang="uk"' in html.get_content()
    attachments = {part.get_filename(): part for part in received.iter_attachments()}
    assert attachments["checkin-qr.png"].get_content() == QR.data
    calendar = attachments["event.ics"]
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "PUBLISH"
    assert calendar.get_payload(decode=True) == ICS.data
    [(sender, recipients)] = server.inbox.envelopes
    assert (sender, recipients) == ("noreply@venskab.example", ["oksana@example.org"])


async def test_the_message_id_is_derived_from_the_outbox_row_and_the_site(server):
    message = await confirmation()
    await mail.send_due(soon())
    [received] = await server.wait_for(1)
    host = settings.BASE_URL.split("://", 1)[1].split(":")[0].split("/")[0]
    assert received["Message-ID"] == f"<outbox-{message.id}@{host}>"
    assert (
        mail.build_mime(await OutboxMessage.get(id=message.id))["Message-ID"]
        == (received["Message-ID"])
    )


async def test_a_sent_message_is_marked_sent_and_not_sent_again(server):
    await confirmation()
    now = soon()
    assert await mail.send_due(now) == 1
    stored = await OutboxMessage.get()
    assert stored.sent_at == now
    assert stored.claimed_until is None
    assert await mail.send_due(soon(3600)) == 0
    assert len(server.inbox.messages) == 1


# ---------------------------------------------------------------- the server is down


async def test_while_the_server_is_down_messages_wait_with_backoff(down_server):
    await confirmation()
    await confirmation(to="second@example.org")
    now = soon()
    assert await mail.send_due(now) == 0
    for stored in await OutboxMessage.all():
        assert stored.sent_at is None and stored.failed_at is None
        assert stored.attempts == 1
        assert "Connect" in stored.last_error or "refused" in stored.last_error.lower()
        delay = (stored.next_attempt_at - now).total_seconds()
        assert 0.8 * mail.FIRST_RETRY_SECONDS <= delay <= 1.2 * mail.FIRST_RETRY_SECONDS
    # Not before its time, even once the server is back.
    down_server.start()
    assert await mail.send_due(now + timedelta(seconds=5)) == 0
    assert down_server.inbox.messages == []


async def test_when_the_server_is_back_every_message_arrives_exactly_once(down_server):
    sent = [await confirmation(to=f"family{n}@example.org") for n in range(5)]
    now = soon()
    for _ in range(3):  # three rounds while it is down
        await mail.send_due(now)
        now += timedelta(seconds=mail.MAX_RETRY_SECONDS)
    assert {m.attempts for m in await OutboxMessage.all()} == {3}
    down_server.start()
    assert await mail.send_due(now) == 5
    assert await mail.send_due(now + timedelta(days=1)) == 0
    counts = down_server.inbox.count_by_message_id()
    assert counts == {mail.message_id(message.id): 1 for message in sent}


async def test_a_message_that_keeps_failing_is_marked_failed_after_the_last_attempt(
    down_server, caplog
):
    await confirmation()
    now = soon()
    for _ in range(mail.MAX_ATTEMPTS - 1):
        await mail.send_due(now)
        now += timedelta(seconds=mail.MAX_RETRY_SECONDS)
    stored = await OutboxMessage.get()
    assert (stored.attempts, stored.failed_at) == (mail.MAX_ATTEMPTS - 1, None)
    await mail.send_due(now)
    stored = await OutboxMessage.get()
    assert stored.attempts == mail.MAX_ATTEMPTS
    assert stored.failed_at == now
    assert "failed for good" in caplog.text
    down_server.start()
    assert await mail.send_due(now + timedelta(days=7)) == 0
    assert down_server.inbox.messages == []


async def test_the_retries_span_about_a_day():
    """The server may be down overnight: the last attempt comes about a day after the first."""
    waits = [mail.retry_delay(n).total_seconds() for n in range(1, mail.MAX_ATTEMPTS)]
    assert 0.8 * 30 <= waits[0] <= 1.2 * 30
    assert max(waits) <= mail.MAX_RETRY_SECONDS
    assert 18 * 3600 <= sum(waits) <= 30 * 3600


async def test_a_recipient_refused_for_good_fails_at_once_and_the_others_go(server):
    await confirmation(to=REFUSED)
    await confirmation(to="fine@example.org")
    assert await mail.send_due(soon()) == 1
    refused = await OutboxMessage.get(to_address=REFUSED)
    assert refused.failed_at is not None
    assert refused.attempts == 1
    assert "550" in refused.last_error
    assert [m["To"] for m in server.inbox.messages] == ["fine@example.org"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_credentials_in_the_url_are_used_to_log_in(monkeypatch):
    logins = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    smtp = MailServer(authenticator=authenticate, auth_require_tls=False, auth_required=True)
    smtp.start()
    try:
        monkeypatch.setattr(
            settings, "SMTP_URL", f"smtp://venskab:p%40ss%3Aword@127.0.0.1:{smtp.port}"
        )
        await confirmation()
        assert await mail.send_due(soon()) == 1
        assert logins == [(b"venskab", b"p@ss:word")]
    finally:
        smtp.stop()


# ---------------------------------------------------------------- several senders


async def test_a_claim_that_is_never_finished_is_taken_over_after_it_runs_out(server):
    """A worker that died after claiming: its messages wait for the claim, then go."""
    await confirmation()
    now = soon()
    assert len(await mail._claim(now, 10, "a-worker-that-dies")) == 1
    assert await mail.send_due(now) == 0
    assert await mail.send_due(now + timedelta(seconds=mail.CLAIM_SECONDS + 1)) == 1


async def test_a_batch_that_outlives_half_its_claim_gives_the_rest_back(server, monkeypatch):
    await confirmation()
    await confirmation(to="second@example.org")
    monkeypatch.setattr(mail, "CLAIM_SECONDS", -1)  # half the claim is over before it starts
    now = soon()
    assert await mail.send_due(now) == 0
    assert {(m.claimed_until, m.attempts) for m in await OutboxMessage.all()} == {(None, 0)}
    monkeypatch.undo()
    assert await mail.send_due(now) == 2


async def read_without_claiming(now: datetime, limit: int, worker: str) -> list[int]:
    """The control twin's claim: it only reads what is due, as a naive sender would."""
    due = OutboxMessage.filter(mail._due(now)).order_by("id").limit(limit)
    return list(await due.values_list("id", flat=True))


@pytest.mark.parametrize("claiming", [True, False], ids=["claimed", "control-without-claims"])
async def test_concurrent_senders_in_one_process_never_deliver_a_message_twice(
    server, monkeypatch, claiming
):
    if not claiming:
        monkeypatch.setattr(mail, "_claim", read_without_claiming)
    sent = [await confirmation(to=f"family{n}@example.org") for n in range(40)]
    now = soon()

    async def sender() -> int:
        total = 0
        while count := await mail.send_due(now, limit=3):
            total += count
        return total

    totals = await asyncio.gather(*(sender() for _ in range(4)))
    counts = server.inbox.count_by_message_id()
    assert set(counts) == {mail.message_id(m.id) for m in sent}
    if claiming:
        assert sum(totals) == 40
        assert set(counts.values()) == {1}
    else:  # the control twin: the same race without claims sends twice, so the test can fail
        assert max(counts.values()) > 1


SENDER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, time
    from datetime import datetime
    from tortoise import Tortoise
    from venskab import mail, settings
    from venskab.models import OutboxMessage

    async def read_without_claiming(now, limit, worker):
        due = OutboxMessage.filter(mail._due(now)).order_by("id").limit(limit)
        return list(await due.values_list("id", flat=True))

    async def main():
        now, start_at = datetime.fromisoformat(sys.argv[1]), float(sys.argv[2])
        if sys.argv[3] == "no":
            mail._claim = read_without_claiming
        await Tortoise.init(config=settings.TORTOISE_ORM)
        await asyncio.sleep(max(0.0, start_at - time.time()))  # both processes start together
        total = 0
        try:
            while count := await mail.send_due(now, limit=5):
                total += count
        finally:
            await Tortoise.close_connections()
        print(total)

    asyncio.run(main())
    """
)


async def senders(server: MailServer, count: int, now: datetime, claiming: bool) -> list[int]:
    """Run `count` sender processes against the test database; what each of them sent."""
    env = {**os.environ, "SMTP_URL": server.url}
    start_at = str(time.time() + 3)
    processes = [
        await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", SENDER_SCRIPT, now.isoformat(), start_at),
            "yes" if claiming else "no",
            env=env,
            cwd=settings.ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(count)
    ]
    outputs = await asyncio.gather(*(process.communicate() for process in processes))
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()
    return [int(stdout) for stdout, _ in outputs]


@pytest.mark.parametrize("claiming", [True, False], ids=["claimed", "control-without-claims"])
async def test_two_worker_processes_never_deliver_a_message_twice(server, backend, claiming):
    if backend != "postgres":
        pytest.skip("several workers need PostgreSQL (SQLite runs one worker)")
    sent = [await confirmation(to=f"family{n}@example.org") for n in range(150)]
    totals = await senders(server, 2, soon(), claiming)
    counts = server.inbox.count_by_message_id()
    assert set(counts) == {mail.message_id(m.id) for m in sent}
    if claiming:
        assert sum(totals) == 150
        assert set(counts.values()) == {1}
    else:  # the control twin: the same race without claims sends twice, so the test can fail
        assert max(counts.values()) > 1


# ---------------------------------------------------------------- development: a folder


async def test_without_smtp_url_messages_are_written_as_eml_files(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "SMTP_URL", "")
    monkeypatch.setattr(delivery, "OUTBOX_FOLDER", tmp_path / "outbox")
    message = await confirmation()
    assert await mail.send_due(soon()) == 1
    path = tmp_path / "outbox" / f"{message.id}-booking-confirmed.eml"
    written = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert written["Subject"] == message.subject
    assert {p.get_filename() for p in written.iter_attachments()} == {
        "checkin-qr.png",
        "event.ics",
    }
    assert (await OutboxMessage.get()).sent_at is not None
    assert list((tmp_path / "outbox").iterdir()) == [path]


# ---------------------------------------------------------------- SMTP_URL forms


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://localhost", ("localhost", 25, None, None, False, False)),
        ("smtp://u:p@mail.example:2525", ("mail.example", 2525, "u", "p", False, False)),
        ("smtp://u:p@mail.example?starttls=1", ("mail.example", 587, "u", "p", False, True)),
        ("smtps://u%40x:p%2Fw@mail.example", ("mail.example", 465, "u@x", "p/w", True, False)),
    ],
)
def test_smtp_url_forms(url, expected):
    server = delivery.SmtpServer.from_url(url)
    assert (
        server.hostname,
        server.port,
        server.username,
        server.password,
        server.use_tls,
        server.start_tls,
    ) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "mail.example:25"])
def test_a_nonsense_smtp_url_is_refused(url):
    with pytest.raises(ValueError, match="SMTP_URL"):
        delivery.SmtpServer.from_url(url)


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize("language", ["uk", "da", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_mail_template_renders_in_every_language(template, language):
    subject, text, html = mail.render(template, language, {**booking_context(), "attached": []})
    assert subject and "\n" not in subject
    assert f'<html lang="{language}"' in html
    assert f"{settings.BASE_URL}/{language}/" in text
    assert all(len(line) <= 76 or "://" in line for line in text.splitlines())


def test_dates_are_written_in_the_mails_language():
    _, danish, _ = mail.render("booking/confirmed", "da", {**booking_context(), "attached": []})
    _, ukrainian, _ = mail.render("booking/confirmed", "uk", {**booking_context(), "attached": []})
    assert "lørdag den 5. december 2026" in danish
    assert "грудня 2026" in ukrainian
    assert "19.00" in danish  # 18:00 UTC is 19:00 in Copenhagen in winter


def test_rendering_leaves_the_callers_language_alone():
    token = i18n.current_language.set("da")
    try:
        mail.render("booking/waitlisted", "uk", {**booking_context(), "attached": []})
        assert i18n.current_language.get() == "da"
    finally:
        i18n.current_language.reset(token)


def test_html_is_escaped_and_plain_text_is_not():
    context = {**booking_context(event_title="Film <b>&</b> talk"), "attached": []}
    subject, text, html = mail.render("booking/confirmed", "en", context)
    assert "Film <b>&</b> talk" in subject
    assert "Film <b>&</b> talk" in text
    assert "Film &lt;b&gt;&amp;&lt;/b&gt; talk" in html
    assert "<b>&</b>" not in html


def test_attachments_are_mentioned_only_when_attached():
    bare = {**booking_context(), "attached": []}
    both = {**booking_context(), "attached": ["checkin-qr.png", "event.ics"]}
    _, without, _ = mail.render("booking/confirmed", "en", bare)
    _, with_them, _ = mail.render("booking/confirmed", "en", both)
    assert "checkin-qr.png" not in without and "calendar file" not in without
    assert "checkin-qr.png" in with_them and "(event.ics)" in with_them


def test_a_resend_of_links_lists_each_registration():
    _, text, _ = mail.render("booking/links", "en", {**booking_context(), "attached": []})
    assert "https://x/1" in text and "https://x/2" in text
    assert text.index("Кінопоказ") < text.index("Workshop")
    _, none, _ = mail.render("booking/links", "en", {"registrations": [], "attached": []})
    assert "no upcoming registrations" in none


def _msgids(pattern: str) -> set[str]:
    """The msgids babel extracts from mail templates matching `pattern`."""
    mail_folder = settings.ROOT / "templates" / "mail"
    found = extract_from_dir(
        str(mail_folder),
        method_map=[(pattern, "jinja2")],
        options_map={pattern: {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
    )
    return {m[0] if isinstance(m, tuple) else m for _, _, m, _, _ in found}


def test_every_string_of_the_text_mails_is_also_in_an_html_mail():
    """`make messages` extracts templates/**.html: a string only in a .txt mail would never
    reach the translators."""
    assert _msgids("**.txt") - _msgids("**.html") == set()


# ---------------------------------------------------------------- retention


async def test_sent_and_failed_messages_can_be_forgotten(server):
    old, recent = await confirmation(), await confirmation(to="recent@example.org")
    waiting = await confirmation(to="waiting@example.org")
    await OutboxMessage.filter(id=old.id).update(sent_at=timezone.now() - timedelta(days=100))
    await OutboxMessage.filter(id=recent.id).update(sent_at=timezone.now())
    assert await mail.delete_sent_before(timezone.now() - timedelta(days=90)) == 1
    assert {m.id for m in await OutboxMessage.all()} == {recent.id, waiting.id}


def test_the_organisers_note_is_quoted_and_escaped():
    context = {**booking_context(note="Closed <today>.\nSorry."), "attached": []}
    _, text, html = mail.render("booking/cancelled_by_organiser", "en", context)
    assert "Closed <today>.\nSorry." in text
    assert "Closed &lt;today&gt;.\nSorry." in html
    _, without, _ = mail.render("booking/cancelled_by_organiser", "en", {**context, "note": ""})
    assert "Message from the organiser" not in without
