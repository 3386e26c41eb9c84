"""The waitlist: who gets seats when seats are free, fairly both ways.

The rule (pinned by tests/booking/test_waitlist.py):
1. Parties are served in the order they joined. A party is never split: it gets all its seats
   or none.
2. A party that does not fit may be passed by smaller parties behind it that do fit, so free
   seats are not left empty while a family of five waits for five.
3. But only MAX_TIMES_PASSED times. After that nobody behind it is served until it fits, so a
   large family is not starved by a stream of single seats.
A newcomer is a party at the end of the queue, under the same rule: while anyone waits, a
newcomer is admitted only by passing the waiting parties, within their bound.

Promotion runs in the same locked transaction as whatever freed the seats (cancellation,
expiry, a raised capacity), so a freed seat goes to the queue, never to whoever reloads first.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

from booking.capacity import RESERVING, availability
from booking.models import Registration, RegistrationStatus
from events.models import Occurrence, OccurrenceStatus

MAX_TIMES_PASSED = 3
NEWCOMER = "newcomer"  # the party asking now, at the end of the queue


@dataclass(frozen=True)
class Party:
    key: Hashable
    seats: int
    times_passed: int = 0


@dataclass(frozen=True)
class Decision:
    admitted: list[Hashable]  # in queue order
    times_passed: dict[Hashable, int]  # new counts of the parties that were passed


def choose(free: int, queue: Sequence[Party]) -> Decision:
    """Which parties of `queue` (in order) get seats out of `free`. Pure: see the rule above."""
    admitted: list[Hashable] = []
    passed: dict[Hashable, int] = {}
    waiting: list[Party] = []  # parties ahead that did not fit
    for party in queue:
        if free == 0:
            break  # nobody further can be served (parties ask for one seat or more)
        if any(passed.get(w.key, w.times_passed) >= MAX_TIMES_PASSED for w in waiting):
            break
        if party.seats <= free:
            admitted.append(party.key)
            free -= party.seats
            for ahead in waiting:
                passed[ahead.key] = passed.get(ahead.key, ahead.times_passed) + 1
        else:
            waiting.append(party)
    return Decision(admitted, passed)


async def last_queued_at(occurrence: Occurrence) -> datetime | None:
    latest = (
        await Registration.filter(occurrence_id=occurrence.id, status=RegistrationStatus.WAITLISTED)
        .order_by("-queued_at")
        .limit(1)
        .values_list("queued_at", flat=True)
    )
    return latest[0] if latest else None


async def queue_end(occurrence: Occurrence) -> tuple[int, datetime | None]:
    """How many parties wait in the occurrence's queue, and the latest queued_at among them
    (None: nobody waits), in one query: for a caller adding many parties at its end."""
    queued = await Registration.filter(
        occurrence_id=occurrence.id, status=RegistrationStatus.WAITLISTED
    ).values_list("queued_at", flat=True)
    return len(queued), max((q for q in queued if q is not None), default=None)


async def queue_of(occurrence: Occurrence) -> list[Registration]:
    return await Registration.filter(
        occurrence_id=occurrence.id, status=RegistrationStatus.WAITLISTED
    ).order_by("queued_at", "id")


def parties(queue: Sequence[Registration]) -> list[Party]:
    return [Party(r.id, r.seats, r.times_passed) for r in queue]


async def admits_newcomer(occurrence: Occurrence, seats: int, free: int) -> bool:
    """Whether a newcomer party of `seats` gets places out of `free` by the rule (the queue
    keeps its claim, within its bound). Records the passes it causes. Call under the lock."""
    if free < seats:
        return False  # it cannot be served: no need to read the queue
    queue = await queue_of(occurrence)
    decision = choose(free, [*parties(queue), Party(NEWCOMER, seats)])
    await record_passes(queue, decision)
    return NEWCOMER in decision.admitted


async def record_passes(queue: Sequence[Registration], decision: Decision) -> None:
    for registration in queue:
        count = decision.times_passed.get(registration.id)
        if count is not None and count != registration.times_passed:
            registration.times_passed = count
            await registration.save(update_fields=["times_passed"])


async def expire_lapsed(occurrence: Occurrence, now: datetime) -> int:
    """Holds and offers whose time ran out become expired (their seats stopped counting at
    expires_at already; this only tidies the status). Returns how many."""
    return await Registration.filter(
        occurrence_id=occurrence.id, status__in=RESERVING, expires_at__lte=now
    ).update(status=RegistrationStatus.EXPIRED)


async def position(registration: Registration) -> int | None:
    """1-based place in the queue, or None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Q(queued_at__lt=registration.queued_at) | Q(
        queued_at=registration.queued_at, id__lt=registration.id
    )
    count = await Registration.filter(
        ahead,
        occurrence_id=registration.occurrence_id,  # type: ignore[attr-defined]
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return count + 1


async def promote(occurrence: Occurrence, now: datetime) -> list[Registration]:
    """Give free seats to the queue by the rule. Call inside capacity.locked().

    Promoted parties get an offer to confirm within the occurrence's offer window, or are
    confirmed at once when it has none. Returns them (the caller tells them by mail).
    """
    await expire_lapsed(occurrence, now)
    if occurrence.status == OccurrenceStatus.CANCELLED or occurrence.capacity is None:
        return []  # nobody is promoted into a cancelled date
    seats = await availability(occurrence, now)
    if seats.free == 0 or seats.waitlisted == 0:
        return []  # the common case in a rush: no need to read the queue
    queue = await queue_of(occurrence)
    decision = choose(seats.free, parties(queue))
    await record_passes(queue, decision)
    promoted = [r for r in queue if r.id in set(decision.admitted)]
    for registration in promoted:
        await _promote_one(registration, occurrence, now)
    return promoted


async def _promote_one(registration: Registration, occurrence: Occurrence, now: datetime) -> None:
    if occurrence.offer_hours:
        registration.status = RegistrationStatus.OFFERED
        registration.expires_at = now + timedelta(hours=occurrence.offer_hours)
    else:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    await registration.save(update_fields=["status", "expires_at", "confirmed_at"])
