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
import contextvars
import json
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
    async with _transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            row = await _lock_and_tally_postgres(connection, occurrence.id, now, form_key)
        else:
            await _take_locks(connection, [occurrence.id])
            row = await _tally_row(connection, occurrence.id, now, form_key)
        yield _read_tally(occurrence, row)


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
    return _TALLY_SQL.format(
        occurrence=Occurrence._meta.db_table,
        event=Event._meta.db_table,
        event_columns=_event_columns_sql(),
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


async def _tally_row(
    connection: BaseDBAsyncClient, occurrence_id: int, now: datetime, form_key: str | None
) -> dict | None:
    dialect = connection.capabilities.dialect
    sql = _TALLY_BY_DIALECT.get(dialect) or _TALLY_BY_DIALECT.setdefault(
        dialect, _tally_sql(dialect)
    )
    rows = await connection.execute_query_dict(sql, _tally_values(occurrence_id, now, form_key))
    return rows[0] if rows else None


# PostgreSQL: the lock and the tally in one round trip. A function, because each statement in
# it reads what was committed before it started: the tally, run after the UPDATE was granted
# the lock, sees the previous holder's rows (one statement doing both would count from before
# the wait). It lives in the session's own temporary schema, made on first use on each
# connection: it is a way of sending two statements at once, not part of the schema.
_FUNCTION = "pg_temp.venskab_lock_and_tally"
_FUNCTION_READY: dict[int, object] = {}  # the connections that have it, by their settings
_FUNCTION_MADE: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "venskab_function_made", default=None
)


def _function_sql() -> str:
    literal = {status.name.lower(): f"'{status.value}'" for status in RegistrationStatus}
    registration = Registration._meta.db_table
    tally = _TALLY_SQL.format(
        occurrence=Occurrence._meta.db_table,
        event=Event._meta.db_table,
        event_columns=_event_columns_sql(),
        registration=registration,
        next_id=f"nextval(pg_get_serial_sequence('{registration}', 'id'))",
        confirmed=literal["confirmed"],
        held=literal["held"],
        offered=literal["offered"],
        waitlisted=literal["waitlisted"],
        now="p_now",
        id="p_id",
        key="p_key",
    )
    # Names from the models, statuses from their enum: nothing here comes from outside.
    return f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}(
    p_id integer, p_lock boolean, p_timeout text, p_now timestamptz, p_key text
) RETURNS json LANGUAGE plpgsql VOLATILE AS $tally$
BEGIN
    PERFORM set_config('lock_timeout', p_timeout, true);
    IF p_lock THEN
        UPDATE "{Occurrence._meta.db_table}" SET "lock_version" = "lock_version" + 1
        WHERE "id" = p_id;
    END IF;
    RETURN (SELECT row_to_json(t) FROM ({tally}) t);
END
$tally$"""  # noqa: S608


async def _lock_and_tally_postgres(
    connection: BaseDBAsyncClient, occurrence_id: int, now: datetime, form_key: str | None
) -> dict | None:
    async with connection.acquire_connection() as raw:
        session = raw.get_settings()
        if id(session) not in _FUNCTION_READY:
            await raw.execute(_function_sql())  # in this transaction: undone if it rolls back
            if len(_FUNCTION_READY) > 1000:  # connections come and go: forget the old ones
                _FUNCTION_READY.clear()
            _FUNCTION_READY[id(session)] = session  # held, so its id is not reused
            made = _FUNCTION_MADE.get()
            if made is not None:
                made.append(id(session))
        found = await raw.fetchval(
            f"SELECT {_FUNCTION}($1, $2, $3, $4, $5)",
            occurrence_id,
            settings.CAPACITY_LOCK,  # only the race tests' control twin turns it off
            LOCK_TIMEOUT,
            now,
            form_key,
        )
    return json.loads(found) if found is not None else None


def _read_tally(occurrence: Occurrence, row: dict | None) -> Tally:
    if row is None:
        raise NotFound(N_("We could not find that event."))
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


def _event_columns_sql() -> str:
    return ", ".join(f'e."{column}" AS "_event_{column}"' for column in _event_columns().values())


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
    async with _transaction() as connection:
        await _take_locks(connection, ids)
        yield connection


@contextlib.asynccontextmanager
async def _transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction whose lock failures become Busy."""
    made: list = []
    token = _FUNCTION_MADE.set(made)
    try:
        async with in_transaction() as connection:
            yield connection
    except BaseException as error:
        for session in made:  # rolled back with the transaction: make it again next time
            _FUNCTION_READY.pop(session, None)
        if isinstance(error, OperationalError) and "locked" in str(error).lower():
            raise Busy from error  # SQLite: "database is locked" after busy_timeout
        if _is_lock_failure(error):
            raise Busy from error
        raise
    finally:
        _FUNCTION_MADE.reset(token)


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
