"""The only module that locks an occurrence and counts its seats.

How a seat is never given twice (DESIGN.md "Capacity"):
- Availability is derived from registration rows: confirmed seats, plus held and offered seats
  whose expires_at is still ahead. An expired hold frees its seats the moment it expires.
- Every transaction that can reduce availability first writes the occurrence row
  (lock_version + 1). On PostgreSQL that takes the row lock, on SQLite the database write lock,
  so counting and inserting happen one transaction at a time per occurrence, in every process.
  select_for_update() would not do: SQLite ignores it.
- Several occurrences are locked in ascending id order, so two transactions never wait on
  each other in a circle.
- A lock not granted within LOCK_TIMEOUT (or a deadlock) becomes `Busy`: a "busy, please try
  again" page with 503, never a 500.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import OperationalError
from tortoise.expressions import F, Q
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from booking.models import Registration, RegistrationStatus
from events.models import Event, Occurrence
from venskab import settings
from venskab.errors import Busy, NotFound
from venskab.i18n import N_

LOCK_TIMEOUT = "5s"
RESERVING = (RegistrationStatus.HELD, RegistrationStatus.OFFERED)


@dataclass(frozen=True)
class Availability:
    """Seats of one occurrence at one moment. capacity None: drop-in, nothing is counted."""

    capacity: int | None
    confirmed: int = 0
    held: int = 0  # held for payment or offered from the waitlist, not yet expired
    waitlisted: int = 0  # seats asked for by parties in the queue

    @property
    def taken(self) -> int:
        return self.confirmed + self.held

    @property
    def free(self) -> int:
        """Seats no one holds (the queue may have a claim on them)."""
        return max(0, (self.capacity or 0) - self.taken)

    @property
    def available(self) -> int:
        """What a newcomer can count on: free seats less what the queue is waiting for."""
        return max(0, self.free - self.waitlisted)


def seats_counted(now: datetime) -> Q:
    """Registrations whose seats count: confirmed, held or offered until they expire, and the
    queue."""
    return (
        Q(status=RegistrationStatus.CONFIRMED)
        | Q(status__in=RESERVING, expires_at__gt=now)
        | Q(status=RegistrationStatus.WAITLISTED)
    )


async def availabilities(
    occurrences: Iterable[Occurrence], now: datetime
) -> dict[int, Availability]:
    """Availability of many occurrences in one query (pages, dashboard, API)."""
    by_id = {occurrence.id: occurrence for occurrence in occurrences}
    totals: dict[int, dict[str, int]] = {occurrence_id: {} for occurrence_id in by_id}
    rows = (
        await Registration.filter(seats_counted(now), occurrence_id__in=list(by_id))
        .annotate(total=Sum("seats"))
        .group_by("occurrence_id", "status")
        .values("occurrence_id", "status", "total")
    )
    for row in rows:
        totals[row["occurrence_id"]][str(row["status"])] = int(row["total"] or 0)
    return {
        occurrence_id: Availability(
            capacity=occurrence.capacity,
            confirmed=totals[occurrence_id].get(RegistrationStatus.CONFIRMED, 0),
            held=sum(totals[occurrence_id].get(status, 0) for status in RESERVING),
            waitlisted=totals[occurrence_id].get(RegistrationStatus.WAITLISTED, 0),
        )
        for occurrence_id, occurrence in by_id.items()
    }


async def availability(occurrence: Occurrence, now: datetime) -> Availability:
    return (await availabilities([occurrence], now))[occurrence.id]


@contextlib.asynccontextmanager
async def locked(occurrence_ids: Iterable[int]) -> AsyncIterator[list[Occurrence]]:
    """A transaction holding the lock of each occurrence, taken first and in id order.

    Yields the occurrences as read after locking. Raises NotFound for an unknown id and Busy
    when a lock is not granted in time.
    """
    ids = sorted(set(occurrence_ids))
    async with _locking(ids):
        occurrences = await Occurrence.filter(id__in=ids).select_related("event")
        if len(occurrences) != len(ids):
            raise NotFound(N_("We could not find that event."))
        yield sorted(occurrences, key=lambda occurrence: occurrence.id)


@dataclass(frozen=True)
class Tally:
    """An occurrence's seats and queue, counted under its lock in one query."""

    seats: Availability
    waiting: int  # parties in the queue (rows, not seats)
    last_queued_at: datetime | None  # the end of the queue
    lapsed: int  # holds and offers past their time whose status still says held or offered
    # The registration a form key already made (any date's), read in the same query: None,
    # or (registration id, its occurrence id).
    keyed: tuple[int, int] | None = None
    # PostgreSQL: the id a registration made now takes, drawn under the lock (so ids keep the
    # order the lock was granted in) in the same query; None elsewhere.
    next_registration_id: int | None = None


@contextlib.asynccontextmanager
async def locked_tally(
    occurrence: Occurrence, now: datetime, form_key: str | None = None
) -> AsyncIterator[Tally]:
    """locked() for one occurrence the caller read (with its event) before waiting: the
    fewest statements while holding the lock, for the rush on a popular date.

    After locking, one query re-reads the occurrence's own row and its event's onto
    `occurrence` and `occurrence.event` (what an organiser may have changed meanwhile:
    capacity, status, waitlist, windows, the event's status and price) and counts
    its seats and queue, and finds the registration `form_key` made, if any (Tally.keyed).
    Raises NotFound when the occurrence is gone, Busy as locked() does.
    """
    async with _locking([occurrence.id]) as connection:
        yield await _tally(connection, occurrence, now, form_key)


# One pass over the occurrence's registrations, joined to its row (read after the lock, so
# what an organiser changed before it was granted is seen). Plain SQL: this runs while the
# lock is held, and building it through the ORM costs more than running it.
_TALLY_SQL = """
SELECT o.*,
    SUM(CASE WHEN r.status = {confirmed} THEN r.seats END) AS "_confirmed",
    SUM(CASE WHEN r.status IN ({held}, {offered}) AND r.expires_at > {now} THEN r.seats END)
        AS "_held",
    SUM(CASE WHEN r.status = {waitlisted} THEN r.seats END) AS "_waitlisted",
    COUNT(CASE WHEN r.status = {waitlisted} THEN r.id END) AS "_waiting",
    MAX(CASE WHEN r.status = {waitlisted} THEN r.queued_at END) AS "_last_queued_at",
    COUNT(CASE WHEN r.status IN ({held}, {offered}) AND r.expires_at <= {now} THEN r.id END)
        AS "_lapsed",
    (SELECT k.id FROM "{registration}" k WHERE k.idempotency_key = {key}) AS "_keyed_id",
    (SELECT k.occurrence_id FROM "{registration}" k WHERE k.idempotency_key = {key})
        AS "_keyed_occurrence_id",
    {next_id} AS "_next_id",
    {event_columns}
FROM "{occurrence}" o JOIN "{event}" e ON e.id = o.event_id
    LEFT JOIN "{registration}" r ON r.occurrence_id = o.id
WHERE o.id = {id}
GROUP BY o.id, e.id
"""


def _tally_sql(dialect: str) -> str:
    """The tally in the dialect's placeholders ($1… or ?, in the order of _tally_values)."""
    names = ["confirmed", "held", "offered", "now", "waitlisted", "id", "key"]
    marks = {name: f"${n}" if dialect == "postgres" else f"?{n}" for n, name in enumerate(names, 1)}
    registration = Registration._meta.db_table
    next_id = f"nextval(pg_get_serial_sequence('{registration}', 'id'))"
    event_columns = ", ".join(
        f'e."{column}" AS "_event_{column}"' for column in _event_columns().values()
    )
    return _TALLY_SQL.format(
        occurrence=Occurrence._meta.db_table,
        event=Event._meta.db_table,
        event_columns=event_columns,
        registration=registration,
        next_id=next_id if dialect == "postgres" else "NULL",
        **marks,
    )


def _tally_values(occurrence_id: int, now: datetime, form_key: str | None) -> list:
    return [
        RegistrationStatus.CONFIRMED.value,
        RegistrationStatus.HELD.value,
        RegistrationStatus.OFFERED.value,
        now,
        RegistrationStatus.WAITLISTED.value,
        occurrence_id,
        form_key,
    ]


async def _tally(
    connection: BaseDBAsyncClient, occurrence: Occurrence, now: datetime, form_key: str | None
) -> Tally:
    dialect = connection.capabilities.dialect
    sql = _TALLY_BY_DIALECT.get(dialect) or _TALLY_BY_DIALECT.setdefault(
        dialect, _tally_sql(dialect)
    )
    rows = await connection.execute_query_dict(sql, _tally_values(occurrence.id, now, form_key))
    if not rows:
        raise NotFound(N_("We could not find that event."))
    row = rows[0]
    meta = Occurrence._meta
    for name, column in meta.fields_db_projection.items():
        setattr(occurrence, name, meta.fields_map[name].to_python_value(row[column]))
    event = occurrence.event
    for name, column in _event_columns().items():
        setattr(event, name, Event._meta.fields_map[name].to_python_value(row[f"_event_{column}"]))
    last_queued_at = Registration._meta.fields_map["queued_at"].to_python_value(
        row["_last_queued_at"]
    )
    return Tally(
        seats=Availability(
            capacity=occurrence.capacity,
            confirmed=int(row["_confirmed"] or 0),
            held=int(row["_held"] or 0),
            waitlisted=int(row["_waitlisted"] or 0),
        ),
        waiting=int(row["_waiting"] or 0),
        last_queued_at=last_queued_at,
        lapsed=int(row["_lapsed"] or 0),
        keyed=None
        if row["_keyed_id"] is None
        else (int(row["_keyed_id"]), int(row["_keyed_occurrence_id"])),
        next_registration_id=None if row["_next_id"] is None else int(row["_next_id"]),
    )


_TALLY_BY_DIALECT: dict[str, str] = {}


def _event_columns() -> dict[str, str]:
    """The event's own columns (field name → column), re-read with the occurrence's."""
    return {
        name: column
        for name, column in Event._meta.fields_db_projection.items()
        if name != Event._meta.pk_attr
    }


@contextlib.asynccontextmanager
async def _locking(ids: list[int]) -> AsyncIterator[BaseDBAsyncClient]:
    """The transaction, its lock timeout and the locks (ids sorted), with lock failures
    turned into Busy."""
    try:
        async with in_transaction() as connection:
            await _take_locks(connection, ids)
            yield connection
    except OperationalError as error:
        # SQLite: "database is locked" after busy_timeout.
        if "locked" in str(error).lower():
            raise Busy from error
        raise
    except Exception as error:
        if _is_lock_failure(error):
            raise Busy from error
        raise


async def _take_locks(connection: BaseDBAsyncClient, ids: list[int]) -> None:
    """On PostgreSQL the lock timeout and every lock in one round trip (a script of plain
    statements: the ids are integers), so the lock is held for one round trip less."""
    lock = settings.CAPACITY_LOCK  # only the race tests' control twin turns it off
    if connection.capabilities.dialect == "postgres":
        table = Occurrence._meta.db_table
        script = [f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"]
        if lock:
            script += [
                f'UPDATE "{table}" SET "lock_version" = "lock_version" + 1 WHERE "id" = {int(i)}'  # noqa: S608
                for i in ids
            ]
        async with connection.acquire_connection() as raw:
            await raw.execute(";\n".join(script))
        return
    for occurrence_id in ids if lock else ():
        await Occurrence.filter(id=occurrence_id).update(lock_version=F("lock_version") + 1)


def _is_lock_failure(error: BaseException) -> bool:
    """asyncpg's lock timeout, deadlock and serialisation failures (Tortoise passes them raw)."""
    try:
        from asyncpg.exceptions import LockNotAvailableError, TransactionRollbackError
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(error, LockNotAvailableError | TransactionRollbackError)
