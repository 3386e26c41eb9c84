"""What organisers do to registrations: check people in at the door, move a party up from the
waitlist by hand, change capacity, cancel a date with everyone on it, and write to everyone
registered. Each is one transaction that also writes its audit entry (booking/audit.py), so
the log holds an entry exactly when the change committed.

Who may do it (an admin, or the organiser of the event) is decided by the caller; `actor` is
only recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from booking import audit, capacity, messages, registrations, waitlist
from booking.models import Registration, RegistrationStatus
from events import services
from events.models import Occurrence, OccurrenceStatus
from venskab.errors import Conflict, Invalid, NotFound
from venskab.i18n import N_
from venskab.models import Organiser, OutboxMessage
from venskab.settings import LANGUAGES

Status = RegistrationStatus
LIVE = (Status.CONFIRMED, Status.HELD, Status.OFFERED, Status.WAITLISTED)
MESSAGE_MAX_LENGTH = 2000
MESSAGE_TEMPLATE = "booking/organiser_message"


def _subject(registration: Registration) -> str:
    return f"registration {registration.id}"


async def _registration(registration_id: int) -> Registration:
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound(N_("We could not find that registration."))
    return registration


# ---------------------------------------------------------------- check-in


async def check_in(
    registration_id: int, now: datetime, *, actor: Organiser | None = None
) -> tuple[Registration, bool]:
    """Mark a confirmed party as arrived. A second scan keeps the first time and changes
    nothing: returns the registration and whether this call checked it in."""
    async with in_transaction():
        registration = await _registration(registration_id)
        if registration.status != Status.CONFIRMED:
            raise Conflict(N_("Only confirmed registrations can be checked in."))
        changed = await Registration.filter(
            id=registration.id, status=Status.CONFIRMED, checked_in_at=None
        ).update(checked_in_at=now)
        if changed:
            detail = {"occurrence": registration.occurrence_id}  # type: ignore[attr-defined]
            await audit.record(actor, audit.CHECKED_IN, _subject(registration), detail, now)
        await registration.refresh_from_db()
        return registration, bool(changed)


async def undo_check_in(
    registration_id: int, now: datetime, *, actor: Organiser | None = None
) -> Registration:
    """Take back a check-in made by mistake."""
    async with in_transaction():
        registration = await _registration(registration_id)
        changed = await Registration.filter(
            id=registration.id, checked_in_at__not_isnull=True
        ).update(checked_in_at=None)
        if changed:
            detail = {"occurrence": registration.occurrence_id}  # type: ignore[attr-defined]
            await audit.record(actor, audit.CHECK_IN_UNDONE, _subject(registration), detail, now)
        await registration.refresh_from_db()
        return registration


# ---------------------------------------------------------------- the waitlist by hand


async def promote_manually(
    registration_id: int, now: datetime, *, actor: Organiser | None = None
) -> Registration:
    """An organiser lets a waiting party in out of turn, when its seats fit the free seats.

    The waitlist rule is applied first (as any change would), so seats that freed up since
    the last change go to whom the rule says; then the chosen party gets an offer, or is
    confirmed at once when the date has no offer window, and is told by email. Parties it
    passed are not counted as passed: the organiser, not the rule, decided.
    """
    occurrence_id = (await _registration(registration_id)).occurrence_id  # type: ignore[attr-defined]
    async with capacity.locked([occurrence_id]) as (occurrence,):
        current = await Registration.get(id=registration_id)
        if occurrence.status == OccurrenceStatus.CANCELLED:
            raise Conflict(N_("This date has been cancelled."))
        if current.status != Status.WAITLISTED:
            raise Conflict(N_("This party is no longer on the waitlist."))
        by_rule = await waitlist.promote(occurrence, now)
        await messages.promoted(by_rule, occurrence)
        if current.id not in {r.id for r in by_rule}:
            seats = await capacity.availability(occurrence, now)
            if current.seats > seats.free:
                raise Conflict(
                    N_("Not enough free places: this party needs %(seats)s, %(free)s are free."),
                    seats=current.seats,
                    free=seats.free,
                )
            await waitlist._promote_one(current, occurrence, now)
            await messages.promoted([current], occurrence)
        promoted = await Registration.get(id=registration_id)
        detail = {
            "occurrence": occurrence.id,
            "seats": promoted.seats,
            "status": promoted.status.value,
            "also_by_rule": [r.id for r in by_rule if r.id != promoted.id],
        }
        await audit.record(actor, audit.PROMOTED, _subject(promoted), detail, now)
        return promoted


# ---------------------------------------------------------------- the date


async def change_capacity(
    occurrence_id: int, new_capacity: int, now: datetime, *, actor: Organiser | None = None
) -> list[Registration]:
    """registrations.set_capacity with its audit entry, in one transaction. Returns the
    parties promoted from the waitlist (already told by email)."""
    async with in_transaction():
        before = await Occurrence.get_or_none(id=occurrence_id).values_list("capacity", flat=True)
        promoted = await registrations.set_capacity(occurrence_id, new_capacity, now)
        detail = {"from": before, "to": new_capacity, "promoted": [r.id for r in promoted]}
        await audit.record(
            actor, audit.CAPACITY_CHANGED, f"occurrence {occurrence_id}", detail, now
        )
        return promoted


def _check_note(note: str, field: str) -> None:
    if len(note) > MESSAGE_MAX_LENGTH:
        raise Invalid({field: N_("This is too long. Please shorten it.")})


async def cancel_occurrence(
    occurrence_id: int, note: str, now: datetime, *, actor: Organiser | None = None
) -> list[Registration]:
    """Cancel the date and every registration on it, and tell each party by email (with the
    organiser's note), in one transaction. Nobody is promoted from the waitlist on the way.

    Repeating it on a cancelled date cancels whatever registrations are still live.
    """
    _check_note(note, "note")
    async with capacity.locked([occurrence_id]) as (occurrence,):
        await services.cancel_occurrence(occurrence, now)
        await waitlist.expire_lapsed(occurrence, now)
        live = await Registration.filter(occurrence_id=occurrence.id, status__in=LIVE).order_by(
            "id"
        )
        for registration in live:
            registration.status = Status.CANCELLED
            registration.cancelled_at = now
            registration.expires_at = None
            await registration.save(update_fields=["status", "cancelled_at", "expires_at"])
            await messages.cancelled_by_organiser(registration, occurrence, note)
        detail = {"registrations": [r.id for r in live], "note": note}
        subject = f"occurrence {occurrence.id}"
        await audit.record(actor, audit.OCCURRENCE_CANCELLED, subject, detail, now)
        return live


# ---------------------------------------------------------------- writing to everyone


def _recipients(occurrence_id: int, now: datetime):
    """Everyone whose registration still stands: confirmed, held or offered until it
    expires, and the waitlist."""
    return Registration.filter(capacity.seats_counted(now), occurrence_id=occurrence_id)


async def recipient_count(occurrence_id: int, now: datetime) -> int:
    return await _recipients(occurrence_id, now).count()


def texts_for(language: str, texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """What one registrant reads: the text in their language, else every text written."""
    if texts.get(language):
        return [(language, texts[language])]
    return [(code, texts[code]) for code in LANGUAGES if texts.get(code)]


def validate_message(texts: Mapping[str, str], key: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for code in LANGUAGES:
        if len(texts.get(code, "")) > MESSAGE_MAX_LENGTH:
            errors[f"message_{code}"] = N_("This is too long. Please shorten it.")
    if not any(texts.get(code, "").strip() for code in LANGUAGES):
        errors[f"message_{LANGUAGES[0]}"] = N_("Write the message in at least one language.")
    if not registrations.KEY_PATTERN.match(key):
        errors[""] = N_("This form has expired. Please reload the page and try again.")
    return errors


async def message_everyone(
    occurrence_id: int,
    texts: Mapping[str, str],
    key: str,
    now: datetime,
    *,
    actor: Organiser | None = None,
) -> int | None:
    """One email to each registration that stands, in its registrant's language, with their
    manage link. `texts` maps language → the organiser's words. `key` is the form's one-time
    key: sending the same form twice writes no second round (None). Returns how many were
    written."""
    texts = {code: texts.get(code, "").strip() for code in LANGUAGES}
    errors = validate_message(texts, key)
    if errors:
        raise Invalid(errors)
    prefix = f"organiser-message-{key}-"
    async with in_transaction():
        occurrence = await services.occurrence_by_id(occurrence_id)
        if await OutboxMessage.exists(dedupe_key__startswith=prefix):
            return None
        recipients = await _recipients(occurrence_id, now).order_by("id")
        for registration in recipients:
            context = await messages._context(registration, occurrence)
            await messages._send(
                registration,
                MESSAGE_TEMPLATE,
                {**context, "messages": texts_for(registration.language, texts)},
                dedupe_key=f"{prefix}{registration.id}",
            )
        detail = {
            "recipients": len(recipients),
            "text": {code: text for code, text in texts.items() if text},
        }
        await audit.record(actor, audit.MESSAGE_SENT, f"occurrence {occurrence_id}", detail, now)
        return len(recipients)


# ---------------------------------------------------------------- what organisers see


@dataclass(frozen=True)
class Fill:
    """How full one occurrence is, for the dashboard's bars. capacity None: drop-in."""

    capacity: int | None
    confirmed: int
    held: int
    waitlisted: int
    checked_in: int  # parties
    checked_in_seats: int

    @property
    def taken(self) -> int:
        return self.confirmed + self.held

    @property
    def free(self) -> int:
        return max(0, (self.capacity or 0) - self.taken)

    def share(self, seats: int) -> float:
        """Seats as a percentage of the bar, which is long enough for capacity and queue."""
        scale = max(self.capacity or 0, self.taken + self.waitlisted, 1)
        return round(100 * seats / scale, 2)


async def checked_in_counts(occurrence_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(parties, seats) checked in per occurrence, in one query."""
    ids = list(occurrence_ids)
    rows = (
        await Registration.filter(
            occurrence_id__in=ids, status=Status.CONFIRMED, checked_in_at__not_isnull=True
        )
        .annotate(parties=Count("id"), places=Sum("seats"))
        .group_by("occurrence_id")
        .values("occurrence_id", "parties", "places")
    )
    counts = dict.fromkeys(ids, (0, 0))
    for row in rows:
        counts[row["occurrence_id"]] = (int(row["parties"]), int(row["places"] or 0))
    return counts


async def fills(occurrences: Iterable[Occurrence], now: datetime) -> dict[int, Fill]:
    """Capacity, confirmed, held, waitlisted (in seats) and checked in (parties and seats),
    per occurrence, in two queries."""
    occurrences = list(occurrences)
    if not occurrences:
        return {}
    seats = await capacity.availabilities(occurrences, now)
    arrived = await checked_in_counts(occurrence.id for occurrence in occurrences)
    return {
        occurrence_id: Fill(
            capacity=a.capacity,
            confirmed=a.confirmed,
            held=a.held,
            waitlisted=a.waitlisted,
            checked_in=arrived[occurrence_id][0],
            checked_in_seats=arrived[occurrence_id][1],
        )
        for occurrence_id, a in seats.items()
    }


@dataclass(frozen=True)
class Waiting:
    registration: Registration
    position: int  # in the whole queue, whatever the search
    fits: bool  # its seats fit the free seats: it can be promoted by hand


@dataclass
class AttendeeList:
    confirmed: list[Registration]
    offered: list[Registration]
    held: list[Registration]
    waitlist: list[Waiting]
    ended: list[Registration]  # cancelled, and holds and offers that ran out
    fill: Fill

    @property
    def found(self) -> int:
        lists = (self.confirmed, self.offered, self.held, self.waitlist, self.ended)
        return sum(len(part) for part in lists)


def state_of(registration: Registration, now: datetime) -> Status:
    """The status as it stands at `now`: a hold or offer whose time ran out is expired even
    before a later change tidies its row."""
    reserving = registration.status in capacity.RESERVING
    if reserving and registration.expires_at is not None and registration.expires_at <= now:
        return Status.EXPIRED
    return registration.status


def matches(registration: Registration, query: str) -> bool:
    """Case-insensitive in any script (SQLite's LIKE folds ASCII only, so this is Python)."""
    needle = query.casefold()
    return needle in registration.name.casefold() or needle in registration.email.casefold()


async def attendee_list(occurrence: Occurrence, query: str, now: datetime) -> AttendeeList:
    """The registrations of one occurrence by state, those matching `query` (name or email)
    when one is given. Confirmed by name; the waitlist in queue order with positions."""
    fill = (await fills([occurrence], now))[occurrence.id]
    rows = await Registration.filter(occurrence_id=occurrence.id).order_by("created_at", "id")
    queue = sorted(
        (r for r in rows if r.status == Status.WAITLISTED), key=lambda r: (r.queued_at, r.id)
    )
    positions = {r.id: number for number, r in enumerate(queue, start=1)}
    query = query.strip()
    shown = [r for r in rows if not query or matches(r, query)]

    def in_state(status: Status) -> list[Registration]:
        return [r for r in shown if state_of(r, now) == status]

    confirmed = sorted(in_state(Status.CONFIRMED), key=lambda r: (r.name.casefold(), r.id))
    live = set(LIVE)
    return AttendeeList(
        confirmed=confirmed,
        offered=in_state(Status.OFFERED),
        held=in_state(Status.HELD),
        waitlist=[
            Waiting(r, positions[r.id], r.seats <= fill.free)
            for r in sorted(in_state(Status.WAITLISTED), key=lambda r: positions[r.id])
        ],
        ended=[r for r in shown if state_of(r, now) not in live],
        fill=fill,
    )


async def export_rows(
    occurrence: Occurrence, now: datetime, *, actor: Organiser | None = None
) -> list[tuple[Registration, Status, int | None]]:
    """Every registration of the occurrence for the CSV export, with waitlist positions.
    The export itself is logged: it carries personal data out of the platform."""
    listing = await attendee_list(occurrence, "", now)
    detail = {"registrations": listing.found}
    await audit.record(actor, audit.ATTENDEES_EXPORTED, f"occurrence {occurrence.id}", detail, now)
    positions = {w.registration.id: w.position for w in listing.waitlist}
    ordered = [
        *listing.confirmed,
        *listing.offered,
        *listing.held,
        *(w.registration for w in listing.waitlist),
        *listing.ended,
    ]
    return [(r, state_of(r, now), positions.get(r.id)) for r in ordered]
