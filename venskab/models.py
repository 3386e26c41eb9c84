"""Shared tables: organiser accounts, their sessions, rate-limit hits and the audit log."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    CAMP_STAFF = "camp-staff"


class Organiser(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200, default="")
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(Role, max_length=20, default=Role.ORGANISER)
    language = fields.CharField(max_length=2, default="da")
    is_active = fields.BooleanField(default=True, db_default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organiser"

    def __str__(self) -> str:
        return self.email


class OrganiserSession(Model):
    """A server-side login session. The cookie carries only a signed random token."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    organiser: fields.ForeignKeyRelation[Organiser] = fields.ForeignKeyField(
        "venskab.Organiser", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "organiser_session"


class RateLimitHit(Model):
    """One counted attempt. Limits are counted from rows, so they hold across processes."""

    id = fields.BigIntField(primary_key=True)
    bucket = fields.CharField(max_length=40)
    key = fields.CharField(max_length=300)
    at = fields.DatetimeField()

    class Meta:
        table = "rate_limit_hit"
        indexes = (("bucket", "key", "at"),)


class AuditEntry(Model):
    """Who did what, when: organiser actions and every view of children's data."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor: fields.ForeignKeyNullableRelation[Organiser] = fields.ForeignKeyField(
        "venskab.Organiser", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_email = fields.CharField(max_length=254, default="")
    action = fields.CharField(max_length=60)
    subject = fields.CharField(max_length=120, default="")
    detail = fields.JSONField(default=dict)

    class Meta:
        table = "audit_entry"


class OutboxMessage(Model):
    """An email in the outbox, waiting to be sent or sent (venskab/mail.py).

    Written in the transaction of the change that caused it, sent afterwards by the worker.
    Rendered when written (mail.enqueue), or from its params when sent (mail.enqueue_later).
    """

    id = fields.BigIntField(primary_key=True)
    to_address = fields.CharField(max_length=254)
    language = fields.CharField(max_length=2)
    template = fields.CharField(max_length=100)  # e.g. "booking/confirmed"
    # Empty until rendered, for a message rendered when sent.
    subject = fields.TextField()
    text_body = fields.TextField()
    html_body = fields.TextField()
    # [{"filename", "content_type", "data_b64"}]: the message is complete without other rows.
    attachments = fields.JSONField(default=list)
    # Rendered when sent (mail.enqueue_later): what its renderer is given, ids and the values
    # frozen when it was written. None: rendered when written (mail.enqueue).
    params = fields.JSONField(null=True)
    rendered_at = fields.DatetimeField(null=True)  # when a message with params was rendered
    # "reminder-<registration id>": a second enqueue with the same key adds nothing.
    dedupe_key = fields.CharField(max_length=200, unique=True, null=True)
    created_at = fields.DatetimeField()
    send_after = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0, db_default=0)
    next_attempt_at = fields.DatetimeField()
    # A worker's lease: while claimed_until is ahead, no other worker takes the message.
    claimed_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=100, default="", db_default="")
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    failed_at = fields.DatetimeField(null=True)  # given up after the last retry

    class Meta:
        table = "outbox_message"
        # The worker's question: unsent, not given up, due.
        indexes = (("sent_at", "failed_at", "next_attempt_at"),)

    def __str__(self) -> str:
        return f"outbox message {self.id} ({self.template} to {self.to_address})"
