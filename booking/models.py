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
    # A camp family's registration (its children point at it): the manage link goes to the
    # application.
    camp_application = fields.ForeignKeyField(
        "venskab.CampApplication",
        related_name="registrations",
        null=True,
        on_delete=fields.SET_NULL,
    )
    # Retention: name, email, phone and needs were erased then (the seat counts stay).
    erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "registration"
        indexes = (("occurrence_id", "status"),)

    def __str__(self) -> str:
        return f"registration {self.id}"


# ---------------------------------------------------------------- the summer camp
#
# A camp is an event of category camp; its sessions (weeks) are its occurrences, with an age
# range and a capacity counted in children. A family applies once for all its children. A child
# is placed by a Registration of its session: the registration's seats are the children it
# places together (siblings kept together share one registration, so the waitlist offers them
# only when all fit, by the same rule as any party).


class AllocationRule(StrEnum):
    FIRST_COME = "first-come"  # placed at once, in the order applications arrive
    LOTTERY = "lottery"  # collected during the window, then drawn by lot


class Camp(Model):
    """A camp's own settings: how places are allocated and when families may apply and edit."""

    id = fields.IntField(primary_key=True)
    event = fields.OneToOneField("venskab.Event", related_name="camp", on_delete=fields.CASCADE)
    allocation = fields.CharEnumField(
        AllocationRule, max_length=12, default=AllocationRule.FIRST_COME
    )
    applications_open_at = fields.DatetimeField(null=True)
    applications_close_at = fields.DatetimeField(null=True)
    # Families may change contact and medical details until then (None: until the camp starts).
    edits_close_at = fields.DatetimeField(null=True)
    max_children = fields.IntField(default=6, db_default=6)
    drawn_at = fields.DatetimeField(null=True)  # lottery: when the draw was applied (once)

    class Meta:
        table = "camp"

    def __str__(self) -> str:
        return f"camp {self.id}"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"  # lottery: waiting for the draw
    ALLOCATED = "allocated"  # its children are placed or waitlisted
    WITHDRAWN = "withdrawn"  # the family withdrew every child
    DELETED = "deleted"  # the family deleted it: personal data erased at once


class CampApplication(Model):
    """One family's application: guardians, emergency contact, consents and children."""

    id = fields.IntField(primary_key=True)
    camp: fields.ForeignKeyRelation[Camp] = fields.ForeignKeyField(
        "venskab.Camp", related_name="applications", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(ApplicationStatus, max_length=12, db_index=True)
    guardian_name = fields.CharField(max_length=200)
    guardian_email = fields.CharField(max_length=254, db_index=True)  # stored lower-case
    guardian_phone = fields.CharField(max_length=40)
    guardian_address = fields.CharField(max_length=500)
    language = fields.CharField(max_length=2)  # preferred language: messages and the staff's
    second_guardian_name = fields.CharField(max_length=200, default="")
    second_guardian_phone = fields.CharField(max_length=40, default="")
    second_guardian_email = fields.CharField(max_length=254, default="")
    emergency_name = fields.CharField(max_length=200)
    emergency_phone = fields.CharField(max_length=40)
    emergency_relation = fields.CharField(max_length=100, default="")
    consent_data = fields.BooleanField()  # required to apply, kept as the record of consent
    consent_photos = fields.BooleanField(default=False)
    consent_emergency_treatment = fields.BooleanField(default=False)
    keep_siblings_together = fields.BooleanField(default=True)
    idempotency_key = fields.CharField(max_length=64, unique=True)
    token_nonce = fields.CharField(max_length=32)  # the manage link is an HMAC of it
    submitted_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True)
    # Retention (venskab purge) or the family's own deletion: what was erased, and when.
    medical_erased_at = fields.DatetimeField(null=True)
    personal_erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "camp_application"

    def __str__(self) -> str:
        return f"camp application {self.id}"


class Swimming(StrEnum):
    CANNOT = "cannot"
    WITH_AID = "with-aid"  # with armbands or a float
    BEGINNER = "beginner"  # a few metres alone
    CONFIDENT = "confident"  # 25 metres or more


class LanguageLevel(StrEnum):
    NONE = "none"
    SOME = "some"
    GOOD = "good"
    FLUENT = "fluent"


class Child(Model):
    """A child of an application: who they are, what staff must know, and where they are placed."""

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[CampApplication] = fields.ForeignKeyField(
        "venskab.CampApplication", related_name="children", on_delete=fields.CASCADE
    )
    number = fields.IntField()  # 1, 2, … as the family listed them
    name = fields.CharField(max_length=200)
    date_of_birth = fields.DateField(null=True)  # None once erased
    # Session (occurrence) ids, most wanted first.
    preferences = fields.JSONField(default=list)
    allergies_diet = fields.TextField(default="")
    medical_notes = fields.TextField(default="")
    medication = fields.TextField(default="")
    swimming = fields.CharEnumField(Swimming, max_length=12, default=Swimming.CANNOT)
    danish_level = fields.CharEnumField(LanguageLevel, max_length=8, default=LanguageLevel.NONE)
    english_level = fields.CharEnumField(LanguageLevel, max_length=8, default=LanguageLevel.NONE)
    # The registration that places (or waitlists) the child: shared by siblings kept together.
    registration: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "venskab.Registration", related_name="children", null=True, on_delete=fields.SET_NULL
    )
    withdrawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "child"
        unique_together = (("application", "number"),)

    def __str__(self) -> str:
        return f"child {self.id}"


class CampAttendance(Model):
    """A child's arrival and departure on one camp day, as the staff recorded them."""

    id = fields.IntField(primary_key=True)
    child: fields.ForeignKeyRelation[Child] = fields.ForeignKeyField(
        "venskab.Child", related_name="attendance", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    checked_in_at = fields.DatetimeField(null=True)
    checked_out_at = fields.DatetimeField(null=True)
    checked_in_by = fields.CharField(max_length=254, default="")
    checked_out_by = fields.CharField(max_length=254, default="")

    class Meta:
        table = "camp_attendance"
        unique_together = (("child", "day"),)


class CampDraw(Model):
    """A lottery draw as run: the seed, a hash of the applications it drew from, the result."""

    id = fields.IntField(primary_key=True)
    camp: fields.ForeignKeyRelation[Camp] = fields.ForeignKeyField(
        "venskab.Camp", related_name="draws", on_delete=fields.CASCADE
    )
    seed = fields.CharField(max_length=100)
    input_hash = fields.CharField(max_length=64)  # sha256 of the canonical application list
    # [{"application": id, "children": [ids], "session": id or None, "waitlisted": bool}, …]
    # in draw order.
    result = fields.JSONField(default=list)
    applications = fields.IntField()
    drawn_by = fields.CharField(max_length=254)  # the organiser's email, or "command line"
    drawn_at = fields.DatetimeField()

    class Meta:
        table = "camp_draw"
