"""What commands that hold a whole book in memory, or write many rows at once, share."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

WRITE_CACHE_KIB = 4096  # SQLite page cache of a long write's connection (SQLite's default: 2000)


def roomy_cache(conn: Any) -> None:
    """A bigger page cache for a connection about to write many rows in one transaction (an
    import): with SQLite's default 2 MB, the pages of the table and its five indexes no longer fit
    at ~20k accounts, and every batch spilled dirty pages and read them back (a fifth of the time
    `executemany` took at 100k rows, most of the system time). Bounded (+2 MB), so memory stays
    flat in the file's size; it ends with the connection (the book's pool keeps none)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")


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


class SeenKeys:
    """The keys a long write has seen so far, each with the line it was first seen on, kept in a
    temporary table of this connection (SQLite's temp store, whose page cache is bounded; a
    session temp table on PostgreSQL, dropped at commit) rather than in dicts that grow with the
    file: at 300k rows an import's two maps were ~70 MB. Checked and added a batch at a time.
    ``kind`` keeps several key spaces (names, external ids) apart in the one table."""

    TABLE = "csmctl_import_seen"

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._ph = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        if conn.dialect.name == "sqlite":
            # A temp table outlives a commit on SQLite: a connection kept open (a pool other than
            # the book's NullPool) may hold the last import's. WITHOUT ROWID: the key is stored once, in the primary key's b-tree.
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{self.TABLE}")
            tail = " WITHOUT ROWID"
        else:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS pg_temp.{self.TABLE}")
            tail = " ON COMMIT DROP"
        conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {self.TABLE} (kind INTEGER NOT NULL, key TEXT NOT NULL,"
            f" line INTEGER NOT NULL, PRIMARY KEY (kind, key)){tail}"
        )

    def lines(self, kind: int, keys: list[str]) -> dict[str, int]:
        """key -> line for those of ``keys`` seen before (under ``kind``)."""
        found: dict[str, int] = {}
        step = 900  # bind parameters a statement, well below SQLite's and PostgreSQL's limits
        for start in range(0, len(keys), step):
            chunk = keys[start : start + step]
            marks = ", ".join([self._ph] * len(chunk))
            found.update(
                self._conn.exec_driver_sql(
                    f"SELECT key, line FROM {self.TABLE} WHERE kind = {self._ph} AND key IN ({marks})",
                    (kind, *chunk),
                ).fetchall()
            )
        return found

    def add(self, kind: int, lines: dict[str, int]) -> None:
        """Remember ``lines`` (key -> line) under ``kind``; none of the keys is there yet."""
        if lines:
            self._conn.exec_driver_sql(
                f"INSERT INTO {self.TABLE} (kind, key, line) VALUES ({self._ph}, {self._ph}, {self._ph})",
                [(kind, key, line) for key, line in lines.items()],
            )
