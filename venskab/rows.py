"""Writing new rows of several models in one round trip.

A registration and its confirmation mail are written while the occurrence is locked
(booking/registrations.py): every round trip there is a wait for the next person in the
queue. On PostgreSQL the rows go in one statement, a chain of data-modifying WITH queries.
"""

from __future__ import annotations

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
