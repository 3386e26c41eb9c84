"""Writing rows in few round trips.

A registration and its confirmation mail are written while the occurrence is locked
(booking/registrations.py): every round trip there is a wait for the next person in the
queue. On PostgreSQL the rows go in one statement, a chain of data-modifying WITH queries.
The camp's draw points thousands of children at their registrations under every session's
lock (set_each): one statement on PostgreSQL too.
"""

from __future__ import annotations

from collections.abc import Mapping

from tortoise.connection import get_connection
from tortoise.models import Model


async def insert_together(*rows: Model) -> None:
    """Insert these new rows, in this order, in the caller's transaction: in one statement on
    PostgreSQL, one after the other with save() elsewhere. On PostgreSQL a primary key set
    beforehand is the one written, and one left None comes from the table's sequence (and
    stays None on the instance). A unique violation raises IntegrityError, as save() does."""
    connection = get_connection("default")
    if connection.capabilities.dialect != "postgres" or len(rows) < 2:
        for row in rows:
            await row.save(force_create=True)
        return
    inserts: list[str] = []
    values: list = []
    for row in rows:
        meta = row._meta
        columns, marks = [], []
        for name, column in meta.fields_db_projection.items():
            value = getattr(row, name)
            if name == meta.pk_attr and value is None:
                continue
            values.append(meta.fields_map[name].to_db_value(value, row))
            columns.append(f'"{column}"')
            marks.append(f"${len(values)}")
        inserts.append(
            f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) VALUES ({", ".join(marks)})'  # noqa: S608 - names from the models
        )
    *first, last = inserts
    chained = ", ".join(f"row{n} AS ({insert})" for n, insert in enumerate(first))
    await connection.execute_query(f"WITH {chained} {last}", values)
    for row in rows:
        row._saved_in_db = True  # as save() leaves it


async def set_each(model: type[Model], field: str, values: Mapping[int, int | None]) -> None:
    """Set an integer column (a foreign key, say) of many rows, each row (by primary key) to
    its own value, in the caller's transaction: one UPDATE from two arrays on PostgreSQL,
    one prepared UPDATE run per row elsewhere (executemany: SQLite loops in C)."""
    if not values:
        return
    meta = model._meta
    column = meta.fields_db_projection[field]
    pk = meta.fields_db_projection[meta.pk_attr]
    connection = get_connection("default")
    table = meta.db_table
    if connection.capabilities.dialect == "postgres":
        pairs = "unnest($1::bigint[], $2::bigint[]) AS v(id, value)"
        await connection.execute_query(
            f'UPDATE "{table}" SET "{column}" = v.value FROM {pairs} WHERE "{table}"."{pk}" = v.id',  # noqa: S608 - names from the models
            [list(values), list(values.values())],
        )
        return
    await connection.execute_many(
        f'UPDATE "{table}" SET "{column}" = ? WHERE "{pk}" = ?',  # noqa: S608 - names from the models
        [[value, key] for key, value in values.items()],
    )
