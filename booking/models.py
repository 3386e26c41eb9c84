"""Registrations: one row per party registering seats for an occurrence, whatever its state.

A registration moves through: held (seats reserved while paying) → confirmed, or waitlisted →
offered (seats reserved until a deadline) → confirmed, and from any of them to cancelled or
expired. Seats taken are derived from these rows (booking/capacity.py), never counted in a
column, so nothing drifts on cancellation, expiry or edit.

Model docstrings become SQL table comments, and the migration runner splits SQL on
semicolons: keep semicolons out of model docstrings.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class RegistrationStatus(StrEnum):
    HELD = "held"  # seats reserved until expires_at (payment)
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"  # in the queue, no seats yet
    OFFERED = "offered"  # promoted, seats reserved until expires_at, must be confirmed
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # a hold or offer whose time ran out


class Registration(Model):
    """A party's registration for one occurrence (seats, not single tickets)."""

    id = fields.IntField(primary_key=True)
    occurrence = fields.ForeignKeyField(
        "venskab.Occurrence", related_name="registrations", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(RegistrationStatus, max_length=12, db_index=True)
    seats = fields.IntField()
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254, db_index=True)  # stored lower-case
    phone = fields.CharField(max_length=40, default="")
    accessibility_needs = fields.CharField(max_length=1000, default="")
    language = fields.CharField(max_length=2)
    # The form's one-time key: a double click or a resend makes one registration.
    idempotency_key = fields.CharField(max_length=64, unique=True)
    # Random, never shown: the manage link is an HMAC of it under SECRET_KEY, so a copy of
    # the database alone opens no one's registration.
    token_nonce = fields.CharField(max_length=32)
    expires_at = fields.DatetimeField(null=True)  # held and offered only
    # Waitlist order, and how often smaller parties behind it were let past (the fairness
    # bound in booking/waitlist.py).
    queued_at = fields.DatetimeField(null=True)
    times_passed = fields.IntField(default=0, db_default=0)
    created_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    checked_in_at = fields.DatetimeField(null=True)
    reminder_sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "registration"
        indexes = (("occurrence_id", "status"),)

    def __str__(self) -> str:
        return f"registration {self.id}"
