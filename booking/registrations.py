"""Registering, confirming an offer, cancelling, and changing capacity: one locked
transaction each (booking/capacity.py), with the waitlist promoted in the same transaction
that freed the seats and the messages written to the outbox in it too.

"""

from __future__ import annotations

import copy
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from booking import capacity, messages, waitlist
from booking.models import Registration, RegistrationStatus
from events.models import EventStatus, EventText, Occurrence, OccurrenceStatus
from venskab import rows, settings
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_

# Registrations that still hold or wait for places.
ACTIVE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.HELD,
)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def current_status(registration: Registration, now: datetime) -> RegistrationStatus:
    """The status as the registrant lives it: a hold or offer past its time has expired,
    even before anything tidied its row (its seats stopped counting then)."""
    if (
        registration.status in capacity.RESERVING
        and registration.expires_at is not None
        and registration.expires_at <= now
    ):
        return RegistrationStatus.EXPIRED
    return registration.status


# ---------------------------------------------------------------- registering


@dataclass(frozen=True)
class RegistrationForm:
    """What a registrant submits (already stripped of surrounding white space)."""

    name: str
    email: str
    seats: int
    consent: bool
    language: str
    idempotency_key: str
    phone: str = ""
    accessibility_needs: str = ""


def validate(form: RegistrationForm, occurrence: Occurrence) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.name or len(form.name) > 200:
        errors["name"] = N_("Enter your name.")
    if not EMAIL_PATTERN.match(form.email) or len(form.email) > 254:
        errors["email"] = N_("Enter an email address like name@example.com.")
    if form.phone and not PHONE_PATTERN.match(form.phone):
        errors["phone"] = N_("Enter a phone number with digits only, e.g. +45 12 34 56 78.")
    if not 1 <= form.seats <= occurrence.max_seats_per_registration:
        errors["seats"] = N_("Choose a number of places from the list.")
    if len(form.accessibility_needs) > 1000:
        errors["accessibility_needs"] = N_("This is too long. Please shorten it.")
    if not form.consent:
        errors["consent"] = N_("Please agree to the privacy notice to register.")
    if not KEY_PATTERN.match(form.idempotency_key):
        errors[""] = N_("This form has expired. Please reload the page and try again.")
    return errors


def check_open(occurrence: Occurrence, now: datetime) -> None:
    """Refuse registration for what cannot take it now."""
    if occurrence.event.status != EventStatus.PUBLISHED:
        raise NotFound(N_("We could not find that event."))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise Conflict(N_("This date has been cancelled."))
    if occurrence.capacity is None:
        raise Conflict(N_("This is a drop-in event: no registration is needed."))
    if occurrence.ends_at <= now:
        raise Conflict(N_("This date is over."))
    if occurrence.registration_opens_at and now < occurrence.registration_opens_at:
        raise Conflict(N_("Registration has not opened yet."))
    if occurrence.registration_closes_at and now >= occurrence.registration_closes_at:
        raise Conflict(N_("Registration has closed."))
    if price_of(occurrence) > 0 and not settings.STRIPE_SECRET_KEY:
        raise Conflict(N_("Online payment is not set up yet for this event. Please contact us."))


def price_of(occurrence: Occurrence) -> int:
    """Øre per seat: a camp session's own fee, else the event's price."""
    if occurrence.fee_ore is not None:
        return occurrence.fee_ore
    return occurrence.event.price_ore


@dataclass
class Outcome:
    """A registration and who else the same transaction promoted from the waitlist."""

    registration: Registration
    promoted: list[Registration]
    repeated: bool = False  # the same form was submitted before: nothing new was written


async def register(occurrence_id: int, form: RegistrationForm, now: datetime) -> Outcome:
    """Confirm at once when seats are free (by the waitlist rule), else join the waitlist,
    else refuse as full. The same idempotency key always gives the same registration.

    Whatever does not need the lock is read before waiting for it (the date); the mail is
    rendered when sent (booking/messages.py), so under the lock it is one small row. What
    an organiser can change under the lock is checked again once it is held, in the query
    that counts the seats and finds the form's earlier registration.
    """
    occurrence, _ = await _date(occurrence_id)
    try:
        _check(occurrence, form, now)  # refused early, without waiting for the lock
    except (Conflict, Invalid, NotFound):
        existing = await _by_key(form.idempotency_key, occurrence_id)
        if existing is not None:  # the form was sent before: its registration stands
            return Outcome(existing, [], repeated=True)
        raise
    try:
        async with capacity.locked_tally(occurrence, now, form.idempotency_key) as tally:
            if tally.keyed is not None:  # the same form again: nothing new is written
                return await _repeated(tally.keyed, occurrence_id)
            _check(occurrence, form, now)
            return await _place_tallied(occurrence, form, now, tally)
    except IntegrityError:
        # The key was used meanwhile, for another date (one date's registrations wait for
        # each other's lock, so the same form twice at once is found by the tally).
        existing = await _by_key(form.idempotency_key, occurrence_id)
        if existing is not None:
            return Outcome(existing, [], repeated=True)
        raise _expired() from None


async def _repeated(keyed: tuple[int, int], occurrence_id: int) -> Outcome:
    registration_id, keyed_occurrence_id = keyed
    if keyed_occurrence_id != occurrence_id:
        raise _expired()  # a form replayed or tampered with: its registration not revealed
    return Outcome(await Registration.get(id=registration_id), [], repeated=True)


# The dates registered for, with their event, venue and texts, as read before the lock:
# kept per process for PAGE_CACHE_SECONDS, as public pages are. What decides a registration
# (the date's and the event's own rows) is read again under the lock by the tally; only the
# page's words may be that many seconds old (the mail reads them when it is sent).
_DATES: dict[int, tuple[float, Occurrence, list[EventText]]] = {}
_READING: set[int] = set()  # dates being read again: meanwhile the kept read still serves


async def _date(occurrence_id: int) -> tuple[Occurrence, list[EventText]]:
    """The date (a copy of its own: the tally writes onto it) and its event's texts."""
    found = _DATES.get(occurrence_id)
    fresh = found is not None and time.monotonic() - found[0] < settings.PAGE_CACHE_SECONDS
    if found is None or not (fresh or occurrence_id in _READING):
        _READING.add(occurrence_id)  # one reader per process; the others keep the old read
        try:
            found = await _read_date(occurrence_id)
        finally:
            _READING.discard(occurrence_id)
    _, occurrence, texts = found
    mine = copy.copy(occurrence)
    mine.event = copy.copy(occurrence.event)
    return mine, texts


async def _read_date(occurrence_id: int) -> tuple[float, Occurrence, list[EventText]]:
    occurrence = await Occurrence.get_or_none(id=occurrence_id).select_related("event", "venue")
    if occurrence is None:
        _DATES.pop(occurrence_id, None)
        raise NotFound(N_("We could not find that event."))
    texts = await EventText.filter(event_id=occurrence.event.id)
    if len(_DATES) > 1000:
        _DATES.clear()
    found = _DATES[occurrence_id] = (time.monotonic(), occurrence, texts)
    return found


async def kept_date(occurrence_id: int) -> Occurrence | None:
    """The date with its event as register() reads it before the lock (kept for
    PAGE_CACHE_SECONDS), or None when there is no such date: for what the page decides
    before registering (a camp week has its own form)."""
    try:
        occurrence, _ = await _date(occurrence_id)
    except NotFound:
        return None
    return occurrence


def _expired() -> Invalid:
    return Invalid({"": N_("This form has expired. Please reload the page and try again.")})


async def _by_key(key: str, occurrence_id: int) -> Registration | None:
    """The registration this form already made, if any. A key already used for another
    date is a form replayed or tampered with: refused, its registration not revealed."""
    existing = await Registration.get_or_none(idempotency_key=key)
    if existing is None or existing.occurrence_id == occurrence_id:  # type: ignore[attr-defined]
        return existing
    raise _expired()


def _check(occurrence: Occurrence, form: RegistrationForm, now: datetime) -> None:
    check_open(occurrence, now)
    errors = validate(form, occurrence)
    if errors:
        raise Invalid(errors)


async def _place_tallied(
    occurrence: Occurrence,
    form: RegistrationForm,
    now: datetime,
    tally: capacity.Tally,
) -> Outcome:
    """_place() from the tally, without reading the queue when the rule has nothing to do
    (the rush: seats free and nobody waiting, or no seat free), then the message."""
    seats = tally.seats
    if seats.free > 0 and seats.waitlisted > 0:  # free seats the queue may claim
        outcome = await _place(occurrence, form, now)
        position = await waitlist.position(outcome.registration)
        await messages.registered(outcome.registration, occurrence, position)
        await messages.promoted(outcome.promoted, occurrence)
        return outcome
    if tally.lapsed:
        await waitlist.expire_lapsed(occurrence, now)
    if seats.free >= form.seats:  # nobody waits: the newcomer is the whole queue
        status, queued_at, position = RegistrationStatus.CONFIRMED, None, None
    elif occurrence.waitlist_enabled:
        # Last in the queue: after everyone waiting (a later arrival may carry an earlier
        # clock, see _place).
        latest = tally.last_queued_at
        status = RegistrationStatus.WAITLISTED
        queued_at, position = (max(now, latest) if latest else now), tally.waiting + 1
    else:
        raise Conflict(N_("Sorry, this date is full."))
    registration = _new(occurrence, form, now, status, queued_at=queued_at)
    if tally.next_registration_id is None:
        await registration.save()
        await messages.registered(registration, occurrence, position)
    else:  # PostgreSQL: the registration and its message in one statement
        registration.id = tally.next_registration_id
        message = messages.registered_message(registration, position)
        await rows.insert_together(registration, message)
    return Outcome(registration, [])


async def _place(occurrence: Occurrence, form: RegistrationForm, now: datetime) -> Outcome:
    promoted = await waitlist.promote(occurrence, now)
    seats = await capacity.availability(occurrence, now)
    admitted = await waitlist.admits_newcomer(occurrence, form.seats, seats.free)
    queued_at = None
    if admitted:
        status = RegistrationStatus.CONFIRMED
    elif occurrence.waitlist_enabled:
        status = RegistrationStatus.WAITLISTED
        # The queue follows the order the lock was granted in: `now` was read before waiting
        # for it, so a later arrival may carry an earlier clock (ties go by id).
        latest = await waitlist.last_queued_at(occurrence)
        queued_at = max(now, latest) if latest else now
    else:
        raise Conflict(N_("Sorry, this date is full."))
    registration = await _create(occurrence, form, now, status, queued_at=queued_at)
    return Outcome(registration, promoted)


async def _create(
    occurrence: Occurrence,
    form: RegistrationForm,
    now: datetime,
    status: RegistrationStatus,
    *,
    queued_at: datetime | None = None,
) -> Registration:
    registration = _new(occurrence, form, now, status, queued_at=queued_at)
    await registration.save()
    return registration


def _new(
    occurrence: Occurrence,
    form: RegistrationForm,
    now: datetime,
    status: RegistrationStatus,
    *,
    queued_at: datetime | None = None,
) -> Registration:
    return Registration(
        occurrence=occurrence,
        status=status,
        seats=form.seats,
        name=form.name,
        email=form.email.lower(),
        phone=form.phone,
        accessibility_needs=form.accessibility_needs,
        language=form.language,
        idempotency_key=form.idempotency_key,
        token_nonce=secrets.token_hex(16),
        created_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        queued_at=queued_at,
    )


# ---------------------------------------------------------------- changing


async def confirm_offer(registration: Registration, now: datetime) -> Registration:
    """A party promoted from the waitlist takes its seats, before the offer expires."""
    async with capacity.locked([registration.occurrence_id]) as (occurrence,):  # type: ignore[attr-defined]
        current = await Registration.get(id=registration.id)
        if current.status == RegistrationStatus.CONFIRMED:
            return current
        if current.status != RegistrationStatus.OFFERED or (
            current.expires_at is not None and current.expires_at <= now
        ):
            raise Conflict(N_("This offer has expired. Your place went to the next on the list."))
        current.status = RegistrationStatus.CONFIRMED
        current.confirmed_at = now
        current.expires_at = None
        await current.save(update_fields=["status", "confirmed_at", "expires_at"])
        await messages.registered(current, occurrence, None)
        return current


async def cancel(
    registration: Registration, now: datetime, *, by_organiser: bool = False, note: str = ""
) -> Outcome:
    """Cancel a registration (by its holder or an organiser): its seats go to the waitlist
    in the same transaction."""
    async with capacity.locked([registration.occurrence_id]) as (occurrence,):  # type: ignore[attr-defined]
        current = await Registration.get(id=registration.id)
        if current.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED):
            return Outcome(current, [], repeated=True)
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.expires_at = None
        await current.save(update_fields=["status", "cancelled_at", "expires_at"])
        promoted = await waitlist.promote(occurrence, now)
        if by_organiser:
            await messages.cancelled_by_organiser(current, occurrence, note)
        else:
            await messages.cancelled_by_you(current, occurrence)
        await messages.promoted(promoted, occurrence)
        return Outcome(current, promoted)


async def set_capacity(
    occurrence_id: int, new_capacity: int | None, now: datetime
) -> list[Registration]:
    """Raise capacity (the waitlist is promoted) or lower it, never below the seats taken.
    A date with registrations cannot become drop-in (None); a drop-in date can get a limit."""
    async with capacity.locked([occurrence_id]) as (occurrence,):
        if new_capacity is None:
            active = Registration.filter(occurrence_id=occurrence.id).exclude(
                status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED]
            )
            if await active.exists():
                raise Invalid({"capacity": N_("This date has registrations: keep a capacity.")})
        elif occurrence.capacity is not None:
            seats = await capacity.availability(occurrence, now)
            if new_capacity < seats.taken:
                raise Invalid(
                    {"capacity": N_("The capacity cannot be lower than the places taken.")}
                )
        # Capacity is not in calendars: SEQUENCE and LAST-MODIFIED stay as they are.
        await Occurrence.filter(id=occurrence.id).update(capacity=new_capacity)
        occurrence.capacity = new_capacity
        promoted = await waitlist.promote(occurrence, now)
        await messages.promoted(promoted, occurrence)
        return promoted
