"""venskab/rows.py: new rows of several models written together (one statement on
PostgreSQL), with the same results and errors as saving them one by one."""

from __future__ import annotations

import pytest
from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from booking.models import Registration, RegistrationStatus
from tests.factories import make_occurrence
from venskab import mail
from venskab.models import OutboxMessage
from venskab.rows import insert_together


def new_registration(occurrence, key: str) -> Registration:
    return Registration(
        occurrence=occurrence,
        status=RegistrationStatus.CONFIRMED,
        seats=2,
        name="Олена",
        email="olena@example.org",
        language="uk",
        idempotency_key=key,
        token_nonce="n" * 32,
        created_at=timezone.now(),
    )


def new_message() -> OutboxMessage:
    attachment = mail.Attachment("a.txt", "text/plain", b"data")
    return mail.message(
        to="olena@example.org",
        language="uk",
        template="booking/links",
        context={"registrations": []},
        attachments=[attachment],
    )


async def test_rows_written_together_read_back_as_saved(backend):
    occurrence = await make_occurrence()
    registration, message = new_registration(occurrence, "k" * 20), new_message()
    registration.id = 424242
    async with in_transaction():
        await insert_together(registration, message)
    stored = await Registration.get(idempotency_key="k" * 20)
    if backend == "postgres":  # the id given is the one written (elsewhere save() picks it)
        assert stored.id == 424242
    assert (stored.occurrence_id, stored.status, stored.seats, stored.name) == (
        occurrence.id,
        RegistrationStatus.CONFIRMED,
        2,
        "Олена",
    )
    sent = await OutboxMessage.get(to_address="olena@example.org")
    assert sent.attachments == message.attachments and sent.subject == message.subject
    assert registration._saved_in_db


async def test_a_unique_violation_writes_neither_row():
    occurrence = await make_occurrence()
    await new_registration(occurrence, "same-key-" + "x" * 12).save()
    twin = new_registration(occurrence, "same-key-" + "x" * 12)
    twin.id = 434343
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await insert_together(twin, new_message())
    assert not await Registration.exists(id=434343)
    assert await OutboxMessage.all().count() == 0
