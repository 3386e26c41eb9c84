"""The summer camp: a family applies once for all its children, who are placed in sessions
(weeks) through the capacity engine (booking/capacity.py) and its waitlist.

The rules:
- A child may go to a session when their age on its first day (Copenhagen date) is inside the
  session's range. Every session a child asks for must be one they may go to.
- Siblings kept together (the default) form one unit: they are placed in one session, the
  highest in their shared preferences that has room for all of them, by one registration whose
  seats are the children; or they wait together as one family-sized waitlist entry in their
  first shared choice, offered only when all fit. Otherwise each child is a unit of its own.
- First come, first served: an application is placed in the transaction that stores it, with
  every session it asks for locked. Lottery: it waits for the draw (booking/lottery.py), which
  places units by the same rule in a seeded random order.
- Withdrawing a child frees its place in the same transaction and promotes the waitlist.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from booking import audit, camp_messages, capacity, waitlist
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    Camp,
    CampApplication,
    Child,
    LanguageLevel,
    Registration,
    RegistrationStatus,
    Swimming,
)
from events.models import Event, EventStatus, Occurrence, OccurrenceStatus
from events.services import LOCAL
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_
from venskab.rows import set_each

NAME_LIMIT = 200
TEXT_LIMIT = 2000
OLDEST_AGE = 18  # no camp takes anyone older: a birth date before that is a typo
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ACTIVE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.HELD,
)


# ---------------------------------------------------------------- what a family submits


@dataclass(frozen=True)
class ChildInput:
    name: str
    date_of_birth: date | None  # None: missing or not a real date
    preferences: tuple[int, ...]  # session ids, most wanted first
    allergies_diet: str = ""
    medical_notes: str = ""
    medication: str = ""
    swimming: Swimming = Swimming.CANNOT
    danish_level: LanguageLevel = LanguageLevel.NONE
    english_level: LanguageLevel = LanguageLevel.NONE


@dataclass(frozen=True)
class ContactInput:
    """What a family may change after applying (until the camp's edit deadline)."""

    guardian_name: str
    guardian_email: str
    guardian_phone: str
    guardian_address: str
    emergency_name: str
    emergency_phone: str
    emergency_relation: str = ""
    second_guardian_name: str = ""
    second_guardian_phone: str = ""
    second_guardian_email: str = ""


@dataclass(frozen=True)
class ApplicationInput:
    contact: ContactInput
    children: tuple[ChildInput, ...]
    language: str
    idempotency_key: str
    consent_data: bool
    consent_photos: bool = False
    consent_emergency_treatment: bool = False
    keep_siblings_together: bool = True


@dataclass(frozen=True)
class MedicalInput:
    """A child's safety details, editable until the deadline."""

    allergies_diet: str
    medical_notes: str
    medication: str
    swimming: Swimming


# ---------------------------------------------------------------- sessions and ages


def first_day(session: Occurrence) -> date:
    return session.starts_at.astimezone(LOCAL).date()


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def eligible(date_of_birth: date, session: Occurrence) -> bool:
    age = age_on(date_of_birth, first_day(session))
    low = session.min_age if session.min_age is not None else 0
    high = session.max_age if session.max_age is not None else OLDEST_AGE
    return low <= age <= high


async def camp_for_event(event: Event) -> Camp:
    """The camp's settings row (made with defaults the first time)."""
    camp, _ = await Camp.get_or_create(event=event)
    return camp


async def public_camp(slug: str) -> tuple[Camp, Event]:
    event = await Event.get_or_none(slug=slug, status=EventStatus.PUBLISHED)
    if event is None or event.category != "camp":
        raise NotFound(N_("We could not find that camp."))
    return await camp_for_event(event), event


async def sessions_of(camp: Camp) -> list[Occurrence]:
    """The sessions a family can choose: scheduled occurrences with a capacity."""
    return await Occurrence.filter(
        event_id=camp.event_id,  # type: ignore[attr-defined]
        status=OccurrenceStatus.SCHEDULED,
        capacity__not_isnull=True,
    ).order_by("starts_at", "id")


def check_open(camp: Camp, now: datetime) -> None:
    if camp.applications_open_at is None or now < camp.applications_open_at:
        raise Conflict(N_("Applications for the camp have not opened yet."))
    if camp.applications_close_at is not None and now >= camp.applications_close_at:
        raise Conflict(N_("Applications for the camp have closed."))
    if camp.drawn_at is not None:  # a window reopened after the draw: nothing would place it
        raise Conflict(N_("Applications for the camp have closed."))


def edits_open(camp: Camp, sessions: Sequence[Occurrence], now: datetime) -> bool:
    """Families may change their details until the deadline, or until the camp starts."""
    if camp.edits_close_at is not None:
        return now < camp.edits_close_at
    return any(session.starts_at > now for session in sessions)


# ---------------------------------------------------------------- validation


def validate(form: ApplicationInput, camp: Camp, sessions: Sequence[Occurrence]) -> dict[str, str]:
    """Errors per field: contact fields by name, a child's as "child-N-field" (N from 1)."""
    errors = validate_contact(form.contact)
    if not form.consent_data:
        errors["consent_data"] = N_("Please agree to the processing of your data to apply.")
    if not KEY_PATTERN.match(form.idempotency_key):
        errors[""] = N_("This form has expired. Please reload the page and try again.")
    if not 1 <= len(form.children) <= camp.max_children:
        errors["children"] = N_("Add at least one child (at most six per application).")
    by_id = {session.id: session for session in sessions}
    for number, child in enumerate(form.children, start=1):
        errors |= {f"child-{number}-{k}": v for k, v in validate_child(child, by_id).items()}
    together = form.keep_siblings_together and len(form.children) > 1
    if together and not errors and not shared_preferences(form.children, by_id):
        errors["keep_siblings_together"] = N_(
            "Your children have no camp week in common. Choose a week they can all join, "
            "or untick “keep siblings together”."
        )
    return errors


def validate_contact(contact: ContactInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    required = {
        "guardian_name": contact.guardian_name,
        "guardian_address": contact.guardian_address,
        "emergency_name": contact.emergency_name,
    }
    for name, value in required.items():
        if not value or len(value) > NAME_LIMIT * 2:
            errors[name] = N_("Please fill in this field.")
    for name, value in {
        "guardian_email": contact.guardian_email,
        "second_guardian_email": contact.second_guardian_email,
    }.items():
        if (value or name == "guardian_email") and (
            not EMAIL_PATTERN.match(value) or len(value) > 254
        ):
            errors[name] = N_("Enter an email address like name@example.com.")
    for name, value in {
        "guardian_phone": contact.guardian_phone,
        "emergency_phone": contact.emergency_phone,
        "second_guardian_phone": contact.second_guardian_phone,
    }.items():
        if (value or name != "second_guardian_phone") and not PHONE_PATTERN.match(value):
            errors[name] = N_("Enter a phone number with digits only, e.g. +45 12 34 56 78.")
    for name, value in {
        "second_guardian_name": contact.second_guardian_name,
        "emergency_relation": contact.emergency_relation,
    }.items():
        if len(value) > NAME_LIMIT:
            errors[name] = N_("This is too long. Please shorten it.")
    return errors


def validate_child(child: ChildInput, sessions: dict[int, Occurrence]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not child.name or len(child.name) > NAME_LIMIT:
        errors["name"] = N_("Enter the child's name.")
    errors |= validate_medical(
        MedicalInput(child.allergies_diet, child.medical_notes, child.medication, child.swimming)
    )
    if child.date_of_birth is None:
        errors["date_of_birth"] = N_("Enter a real date of birth, e.g. 2015-06-30.")
        if not child.preferences:  # said now too, so the family fixes both at once
            errors["preferences"] = N_("Choose at least one camp week.")
        return errors
    if not child.preferences:
        errors["preferences"] = N_("Choose at least one camp week.")
    elif len(set(child.preferences)) != len(child.preferences) or any(
        session_id not in sessions for session_id in child.preferences
    ):
        errors["preferences"] = N_("Choose each camp week from the list, at most once.")
    elif not all(eligible(child.date_of_birth, sessions[s]) for s in child.preferences):
        errors["preferences"] = N_(
            "The child's age on the first day does not fit every week chosen. "
            "Choose only weeks for the child's age."
        )
    if child.date_of_birth.year < 1900 or any(
        age_on(child.date_of_birth, first_day(s)) < 0 for s in sessions.values()
    ):
        errors["date_of_birth"] = N_("Enter a real date of birth, e.g. 2015-06-30.")
    return errors


def validate_medical(medical: MedicalInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("allergies_diet", "medical_notes", "medication"):
        if len(getattr(medical, name)) > TEXT_LIMIT:
            errors[name] = N_("This is too long. Please shorten it.")
    return errors


# ---------------------------------------------------------------- units and their choices


class _Wants(Protocol):
    """What placement needs of a child: its preferences and date of birth."""

    @property
    def preferences(self) -> Sequence[int]: ...

    @property
    def date_of_birth(self) -> date | None: ...


def shared_preferences(children: Sequence[_Wants], sessions: dict[int, Occurrence]) -> list[int]:
    """Sessions every child of a unit asked for (and may go to), best first: by the sum of
    the children's ranks, ties by the first child's order."""
    common = set(children[0].preferences)
    for child in children[1:]:
        common &= set(child.preferences)
    usable = [
        s
        for s in common
        if s in sessions
        and all(
            c.date_of_birth is not None and eligible(c.date_of_birth, sessions[s]) for c in children
        )
    ]
    first = list(children[0].preferences)
    return sorted(
        usable, key=lambda s: (sum(list(c.preferences).index(s) for c in children), first.index(s))
    )


def units_of(children: Sequence[Child], keep_together: bool) -> list[list[Child]]:
    """The children placed as one: all of them, or each on its own. Children already placed,
    waiting or withdrawn are left out."""
    waiting = [c for c in children if c.registration_id is None and c.withdrawn_at is None]  # type: ignore[attr-defined]
    if keep_together and len(waiting) > 1:
        return [waiting]
    return [[child] for child in waiting]


# ---------------------------------------------------------------- applying


@dataclass
class Applied:
    application: CampApplication
    repeated: bool = False  # the same form was submitted before: nothing new was written


async def apply(camp: Camp, form: ApplicationInput, now: datetime) -> Applied:
    """Store an application with its children. First come, first served: place them in the
    same transaction. The same idempotency key always gives the same application."""
    existing = await CampApplication.get_or_none(idempotency_key=form.idempotency_key)
    if existing is not None:
        if existing.camp_id != camp.id:  # type: ignore[attr-defined]
            raise Invalid({"": N_("This form has expired. Please reload the page and try again.")})
        return Applied(existing, repeated=True)
    check_open(camp, now)
    sessions = await sessions_of(camp)
    errors = validate(form, camp, sessions)
    if errors:
        raise Invalid(errors)
    wanted = {s for child in form.children for s in child.preferences}
    try:
        if camp.allocation == AllocationRule.FIRST_COME:
            async with capacity.locked(wanted) as locked:
                application = await _store(camp, form, now, ApplicationStatus.ALLOCATED)
                children = await application.children.all().order_by("number")
                await place(application, children, {s.id: s for s in locked}, now)
                await camp_messages.applied(application, now)
        else:
            async with in_transaction():
                application = await _store(camp, form, now, ApplicationStatus.SUBMITTED)
                await camp_messages.applied(application, now)
    except IntegrityError:
        # A twin of this form committed first (a double click): answer with its application.
        twin = await CampApplication.get_or_none(idempotency_key=form.idempotency_key)
        if twin is None or twin.camp_id != camp.id:  # type: ignore[attr-defined]
            raise
        return Applied(twin, repeated=True)
    return Applied(application)


async def _store(
    camp: Camp, form: ApplicationInput, now: datetime, status: ApplicationStatus
) -> CampApplication:
    contact = form.contact
    application = await CampApplication.create(
        camp=camp,
        status=status,
        guardian_name=contact.guardian_name,
        guardian_email=contact.guardian_email.lower(),
        guardian_phone=contact.guardian_phone,
        guardian_address=contact.guardian_address,
        second_guardian_name=contact.second_guardian_name,
        second_guardian_phone=contact.second_guardian_phone,
        second_guardian_email=contact.second_guardian_email.lower(),
        emergency_name=contact.emergency_name,
        emergency_phone=contact.emergency_phone,
        emergency_relation=contact.emergency_relation,
        language=form.language,
        consent_data=form.consent_data,
        consent_photos=form.consent_photos,
        consent_emergency_treatment=form.consent_emergency_treatment,
        keep_siblings_together=form.keep_siblings_together,
        idempotency_key=form.idempotency_key,
        token_nonce=secrets.token_hex(16),
        submitted_at=now,
    )
    await Child.bulk_create(
        [
            Child(
                application=application,
                number=number,
                name=child.name,
                date_of_birth=child.date_of_birth,
                preferences=list(child.preferences),
                allergies_diet=child.allergies_diet,
                medical_notes=child.medical_notes,
                medication=child.medication,
                swimming=child.swimming,
                danish_level=child.danish_level,
                english_level=child.english_level,
            )
            for number, child in enumerate(form.children, start=1)
        ]
    )
    return application


# ---------------------------------------------------------------- placing


@dataclass
class Placement:
    """Where one unit went: a session (placed) or the queue of its first choice."""

    children: list[Child]
    registration: Registration | None  # None: no session it asked for takes a waitlist
    promoted: list[Registration] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        return (
            self.registration is not None
            and self.registration.status == RegistrationStatus.CONFIRMED
        )


async def place(
    application: CampApplication,
    children: Sequence[Child],
    sessions: dict[int, Occurrence],
    now: datetime,
) -> list[Placement]:
    """Place the application's waiting units (first come, first served). Call inside
    capacity.locked() holding every session the children asked for."""
    placements = []
    for unit in units_of(children, application.keep_siblings_together):
        choices = shared_preferences(unit, sessions)
        chosen = None
        for session_id in choices:
            free = (await capacity.availability(sessions[session_id], now)).free
            if await waitlist.admits_newcomer(sessions[session_id], len(unit), free):
                chosen = session_id
                break
        if chosen is not None:
            registration = await enrol(application, unit, sessions[chosen], now)
        elif choices and sessions[choices[0]].waitlist_enabled:
            registration = await enrol(application, unit, sessions[choices[0]], now, wait=True)
        else:
            registration = None
        placements.append(Placement(list(unit), registration))
    return placements


async def enrol(
    application: CampApplication,
    unit: Sequence[Child],
    session: Occurrence,
    now: datetime,
    *,
    wait: bool = False,
) -> Registration:
    """One registration for the unit in the session, confirmed or waiting (at the end of the
    queue). Call inside capacity.locked() holding the session."""
    queued_at = None
    if wait:
        latest = await waitlist.last_queued_at(session)
        queued_at = max(now, latest) if latest else now
    registration = await Registration.create(
        occurrence=session,
        status=RegistrationStatus.WAITLISTED if wait else RegistrationStatus.CONFIRMED,
        seats=len(unit),
        name=application.guardian_name,
        email=application.guardian_email,
        phone=application.guardian_phone,
        language=application.language,
        idempotency_key=f"camp-{secrets.token_urlsafe(24)}",
        token_nonce=secrets.token_hex(16),
        created_at=now,
        confirmed_at=None if wait else now,
        queued_at=queued_at,
        camp_application=application,
    )
    await Child.filter(id__in=[child.id for child in unit]).update(registration_id=registration.id)
    for child in unit:
        child.registration = registration
    return registration


@dataclass(frozen=True)
class Enrolment:
    """A unit for enrol_many(): its children in one registration of `session`, confirmed or
    waiting."""

    application: CampApplication
    children: Sequence[Child]
    session: Occurrence
    wait: bool = False


@dataclass(frozen=True)
class Enrolled:
    registration: Registration
    position: int | None  # waiting: 1-based place in the queue when enrolled, else None


async def enrol_many(enrolments: Sequence[Enrolment], now: datetime) -> list[Enrolled]:
    """enrol() for many units (the draw), in the order given: the registrations written in one
    bulk insert in that order, so their ids, and so each queue (queued_at, then id), follow
    it; each queue's end read once; the children pointed at their registrations in a few
    statements. Call inside capacity.locked() holding every session."""
    if not enrolments:
        return []
    ends: dict[int, tuple[int, datetime]] = {}
    for session in {e.session.id: e.session for e in enrolments if e.wait}.values():
        waiting, latest = await waitlist.queue_end(session)
        ends[session.id] = (waiting, max(now, latest) if latest else now)
    batch = f"camp-{secrets.token_hex(12)}-"  # the rows' idempotency keys, to read the ids
    rows, positions = [], []
    for number, enrolment in enumerate(enrolments):
        queued_at, position = None, None
        if enrolment.wait:
            waiting, queued_at = ends[enrolment.session.id]
            position = waiting + 1
            ends[enrolment.session.id] = (position, queued_at)
        positions.append(position)
        rows.append(_registration(enrolment, f"{batch}{number:06d}", queued_at, now))
    await Registration.bulk_create(rows)
    ids = dict(
        await Registration.filter(
            occurrence_id__in=list({e.session.id for e in enrolments}),
            idempotency_key__startswith=batch,
        ).values_list("idempotency_key", "id")
    )
    placed: dict[int, int | None] = {}
    for row, enrolment in zip(rows, enrolments, strict=True):
        row.id = ids[row.idempotency_key]
        row._saved_in_db = True
        for child in enrolment.children:
            child.registration = row
            placed[child.id] = row.id
    await set_each(Child, "registration_id", placed)
    return [Enrolled(row, position) for row, position in zip(rows, positions, strict=True)]


def _registration(
    enrolment: Enrolment, key: str, queued_at: datetime | None, now: datetime
) -> Registration:
    application, wait = enrolment.application, enrolment.wait
    return Registration(
        occurrence=enrolment.session,
        status=RegistrationStatus.WAITLISTED if wait else RegistrationStatus.CONFIRMED,
        seats=len(enrolment.children),
        name=application.guardian_name,
        email=application.guardian_email,
        phone=application.guardian_phone,
        language=application.language,
        idempotency_key=key,
        token_nonce=secrets.token_hex(16),
        created_at=now,
        confirmed_at=None if wait else now,
        queued_at=queued_at,
        camp_application=application,
    )


# ---------------------------------------------------------------- the family's changes


async def application_children(application: CampApplication) -> list[Child]:
    return (
        await application.children.all()
        .order_by("number")
        .select_related("registration", "registration__occurrence")
    )


async def withdraw_children(
    application: CampApplication, child_ids: Iterable[int], now: datetime, *, tell: bool = True
) -> list[Registration]:
    """Withdraw these children (all of them: the whole application). Their places are freed
    and the waitlists promoted in one transaction. Returns who was promoted."""
    ids = list(child_ids)
    async with _locked_for(application, ids) as locked:
        return await _withdraw(application, ids, locked, now, tell=tell)


@contextlib.asynccontextmanager
async def _locked_for(
    application: CampApplication, child_ids: Iterable[int]
) -> AsyncIterator[list[Occurrence]]:
    """capacity.locked() over where each of these children is placed or, not placed yet,
    every week it chose (the draw may place it meanwhile)."""
    children = await Child.filter(
        application=application, id__in=list(child_ids), withdrawn_at=None
    ).select_related("registration")
    sessions = {
        s
        for c in children
        for s in ([c.registration.occurrence_id] if c.registration else c.preferences)  # type: ignore[attr-defined]
    }
    async with capacity.locked(sessions) as locked:
        yield locked


async def _withdraw(
    application: CampApplication,
    child_ids: Iterable[int],
    locked: Sequence[Occurrence],
    now: datetime,
    *,
    tell: bool,
) -> list[Registration]:
    """Inside _locked_for(): read the children again (a twin request, a double click or the
    draw may have changed them since: a stale child would free a sibling's seat), release
    their places, promote the waitlists."""
    leaving = await Child.filter(
        application=application, id__in=list(child_ids), withdrawn_at=None
    ).order_by("number")
    if not leaving:
        return []
    for child in leaving:
        await _release(child, now)
    promoted: list[Registration] = []
    for session in locked:
        promoted += await waitlist.promote(session, now)
    await camp_messages.promoted(promoted, now)
    remaining = await Child.filter(application=application, withdrawn_at__isnull=True).count()
    if remaining == 0:
        application.status = ApplicationStatus.WITHDRAWN
        application.withdrawn_at = now
        await application.save(update_fields=["status", "withdrawn_at"])
    if tell:
        await camp_messages.withdrawn(application, leaving, now)
    return promoted


async def _release(child: Child, now: datetime) -> None:
    """The child leaves its registration: one seat fewer, or the registration cancelled when
    it was the last child on it. Call inside capacity.locked() holding its session."""
    registration_id = child.registration_id  # type: ignore[attr-defined]
    child.withdrawn_at = now
    child.registration = None  # type: ignore[assignment]
    await child.save(update_fields=["withdrawn_at", "registration_id"])
    await release_place(registration_id, now)


async def release_place(registration_id: int | None, now: datetime) -> None:
    """A child leaves this registration (withdrawn, or moved by an organiser): one seat fewer,
    or the registration cancelled when it was the last child on it. Call inside
    capacity.locked() holding its session."""
    if registration_id is None:
        return
    registration = await Registration.get(id=registration_id)
    if registration.status not in ACTIVE:
        return
    if registration.seats > 1:
        registration.seats -= 1
        await registration.save(update_fields=["seats"])
    else:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.expires_at = None
        await registration.save(update_fields=["status", "cancelled_at", "expires_at"])


async def confirm_offer(application: CampApplication, registration_id: int, now: datetime) -> None:
    """The family takes the places offered from the waitlist, before the deadline."""
    registration = await Registration.get_or_none(
        id=registration_id, camp_application_id=application.id
    )
    if registration is None:
        raise NotFound(N_("We could not find that offer."))
    async with capacity.locked([registration.occurrence_id]):  # type: ignore[attr-defined]
        current = await Registration.get(id=registration.id)
        if current.status == RegistrationStatus.CONFIRMED:
            return
        if current.status != RegistrationStatus.OFFERED or (
            current.expires_at is not None and current.expires_at <= now
        ):
            raise Conflict(N_("This offer has expired. The place went to the next on the list."))
        current.status = RegistrationStatus.CONFIRMED
        current.confirmed_at = now
        current.expires_at = None
        await current.save(update_fields=["status", "confirmed_at", "expires_at"])


async def update_contact(
    application: CampApplication, contact: ContactInput, now: datetime
) -> CampApplication:
    await _check_editable(application, now)
    errors = validate_contact(contact)
    if errors:
        raise Invalid(errors)
    async with in_transaction():
        for name, value in vars(contact).items():
            setattr(application, name, value.lower() if name.endswith("_email") else value)
        await application.save(update_fields=list(vars(contact)))
        await Registration.filter(camp_application_id=application.id).update(
            name=application.guardian_name,
            email=application.guardian_email,
            phone=application.guardian_phone,
        )
    return application


async def update_medical(
    application: CampApplication, child_id: int, medical: MedicalInput, now: datetime
) -> Child:
    await _check_editable(application, now)
    child = await Child.get_or_none(id=child_id, application=application, withdrawn_at=None)
    if child is None:
        raise NotFound(N_("We could not find that child in this application."))
    errors = validate_medical(medical)
    if errors:
        raise Invalid(errors)
    for name, value in vars(medical).items():
        setattr(child, name, value)
    await child.save(update_fields=list(vars(medical)))
    return child


async def _check_editable(application: CampApplication, now: datetime) -> None:
    if application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.DELETED):
        raise Conflict(N_("This application was withdrawn and can no longer be changed."))
    camp = await Camp.get(id=application.camp_id)  # type: ignore[attr-defined]
    if not edits_open(camp, await sessions_of(camp), now):
        raise Conflict(N_("The deadline for changes has passed. Please contact the camp team."))


async def delete(application: CampApplication, now: datetime) -> None:
    """The family deletes its application, in one transaction: its children withdrawn (places
    freed, waitlists promoted), every personal and medical field erased, and the deletion
    recorded in the audit log (ids and counts only). Counts stay, without names."""
    children = await Child.filter(application=application).values_list("id", flat=True)
    async with _locked_for(application, children) as locked:
        await _withdraw(application, children, locked, now, tell=False)
        await camp_messages.deleted(application, now)
        await erase_personal(application, now)
        application.status = ApplicationStatus.DELETED
        await application.save(update_fields=["status"])
        await audit.record(
            None,
            audit.CAMP_APPLICATION_DELETED,
            f"camp application {application.id}",
            {"children": len(children)},
            now,
        )


# ---------------------------------------------------------------- erasing


async def erase_medical(application: CampApplication, now: datetime) -> None:
    await Child.filter(application=application).update(
        allergies_diet="", medical_notes="", medication=""
    )
    # Erased earlier (retention's first step): keep that date, it is the record.
    application.medical_erased_at = application.medical_erased_at or now
    await application.save(update_fields=["medical_erased_at"])


async def erase_personal(application: CampApplication, now: datetime) -> None:
    """Everything that names or reaches a person: the family's, its children's and its
    registrations' fields. Sessions, seats and statuses stay for statistics."""
    await erase_medical(application, now)
    await Child.filter(application=application).update(name="", date_of_birth=None)
    erased = {
        "guardian_name": "",
        "guardian_email": "",
        "guardian_phone": "",
        "guardian_address": "",
        "second_guardian_name": "",
        "second_guardian_phone": "",
        "second_guardian_email": "",
        "emergency_name": "",
        "emergency_phone": "",
        "emergency_relation": "",
    }
    for name, value in erased.items():
        setattr(application, name, value)
    application.personal_erased_at = now
    await application.save(update_fields=[*erased, "personal_erased_at"])
    await Registration.filter(camp_application_id=application.id).update(
        name="", email="", phone="", accessibility_needs="", erased_at=now
    )
