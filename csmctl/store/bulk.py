"""What commands that hold a whole book in memory, or write many rows at once, share."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """A command that keeps several small objects per account alive until it is done (scoring a
    whole book for `book`, the facts and firings of `play run`) would have the cycle collector
    walk them again and again as it allocates (a third of the CPU on 100k accounts). Their code
    makes no reference cycles: collection waits until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def bulk_insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """``conn.execute(sa.insert(table), rows)`` for rows that all have the same keys, as one
    DB-API ``executemany`` of tuples: each column's bind processor (dates as SQLite stores them...)
    is looked up once per batch, not per row and cell, which was half the cost of writing an
    import. Columns left out get their Python-side defaults the ordinary way (the slow path)."""
    import sqlalchemy as sa

    if not rows:
        return
    keys = list(rows[0])
    missing_defaults = [c for c in table.columns if c.key not in keys and c.default is not None]
    compiled = sa.insert(table).compile(dialect=conn.dialect, column_keys=keys)
    if missing_defaults or not compiled.positional:
        conn.execute(sa.insert(table), rows)
        return
    # positiontup: the bind names in the order of the statement's placeholders
    order = [compiled.binds[name].key for name in compiled.positiontup]
    processors = [table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for key in order]
    take = itemgetter(*order)
    params: list[Any] = [(take(row),) for row in rows] if len(order) == 1 else list(map(take, rows))
    converted = [(i, p) for i, p in enumerate(processors) if p is not None]
    if converted:
        # Column by column: an import repeats a column's values (the same `now` in every row, a
        # few hundred dates, two booleans), so each distinct value is converted once (the
        # processors are pure) and the batch is rebuilt in C (zip, map).
        columns = list(zip(*params, strict=True))
        for i, process in converted:
            column = columns[i]
            try:
                done = {value: process(value) for value in set(column) if value is not None}
            except TypeError:  # a value that cannot be hashed: each is converted
                columns[i] = tuple(None if value is None else process(value) for value in column)
                continue
            done[None] = None
            columns[i] = tuple(map(done.__getitem__, column))
        params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(compiled.string, params)
