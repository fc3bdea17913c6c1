"""Copying a whole book to another database (SQLite <-> PostgreSQL) in one transaction.

The target is opened like any book (created and migrated when new, refused when it is not
csmctl's or is newer than this csmctl). Every table is copied in dependency order with its ids,
inside one write transaction on the target: row counts are verified against the source's
snapshot before the commit, and PostgreSQL's id sequences are moved past the copied ids, so the
next ``account add`` on the copy does not collide. Any failure rolls the target back untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from csmctl import errors
from csmctl.store.database import Database, sqlite_path

BATCH = 1000


@dataclass
class CopyReport:
    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    replaced: int = 0  # rows deleted from the target first (--force)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def records(self) -> list[dict]:
        return [{"table": table, "rows": count} for table, count in self.rows.items()]


def book_tables() -> list[sa.Table]:
    """Every csmctl table except the schema marker, parents before children."""
    from csmctl.store.tables import metadata

    return [table for table in metadata.sorted_tables if table.name != "csmctl_schema"]


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def same_database(source: Database, target: str) -> bool:
    """True when ``target`` is the source's file: the same path, a symlink, or a hard link
    (the same inode: copying into it would delete the book it reads)."""
    path = sqlite_path(target)
    if source.path is not None and path is not None:
        try:
            if Path(path).exists():
                return os.path.samefile(source.path, path)
            return source.path.resolve() == Path(path).resolve()
        except OSError:
            return False
    return source.target == target


def copy_book(
    source: Database,
    target: Database,
    *,
    force: bool = False,
    advance: Callable[[int], None] = lambda n: None,
) -> CopyReport:
    """Copy every row of ``source`` into ``target``; refuse a non-empty target unless ``force``."""
    tables = book_tables()
    report = CopyReport(source=source.display, target=target.display)
    with source.read() as reading, target.write() as writing:
        src = reading.connection()
        dst = writing.connection()
        existing = {table.name: _count(dst, table) for table in tables}
        report.replaced = sum(existing.values())
        if report.replaced and not force:
            held = ", ".join(f"{n} {name}" for name, n in existing.items() if n)
            raise errors.Conflict(
                f"{target.display} already holds a book ({held}); nothing was copied.",
                "Pass --force to replace everything in it, or copy to an empty database.",
            )
        for table in reversed(tables):
            if existing[table.name]:
                dst.execute(sa.delete(table))
        for table in tables:
            order = list(table.primary_key.columns)
            result = src.execution_options(yield_per=BATCH).execute(sa.select(table).order_by(*order))
            copied = 0
            for batch in result.partitions(BATCH):
                dst.execute(sa.insert(table), [dict(row._mapping) for row in batch])
                copied += len(batch)
                advance(len(batch))
            report.rows[table.name] = copied
        _verify(src, dst, tables, report)
        if target.dialect == "postgresql":
            _reset_sequences(dst, tables)
    return report


def _verify(src: sa.Connection, dst: sa.Connection, tables: list[sa.Table], report: CopyReport) -> None:
    """Row counts in the target (inside the copy's transaction) against the source's snapshot."""
    for table in tables:
        expected, found = _count(src, table), _count(dst, table)
        if expected != found or found != report.rows[table.name]:
            raise errors.DatabaseError(
                f"Copy check failed for {table.name}: {expected} rows in the source, "
                f"{found} in the target; nothing was written.",
                "Run `csmctl db check` on both databases and try again.",
            )


def _reset_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Move each serial id's sequence past the highest copied id (ids were copied explicitly)."""
    for table in tables:
        if "id" not in table.c or [c.name for c in table.primary_key.columns] != ["id"]:
            continue
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            ),
            {"table": table.name},
        )


def copy_to(
    source: Database,
    to: str,
    *,
    force: bool = False,
    advance: Callable[[int], None] = lambda n: None,
) -> CopyReport:
    """Open (or create) the target ``to`` and copy into it; a SQLite file this call created is
    removed again when the copy fails, so a failed copy leaves nothing behind."""
    path = sqlite_path(to)
    created = path is not None and not path.exists()
    try:
        target = Database(to)
        try:
            return copy_book(source, target, force=force, advance=advance)
        finally:
            target.dispose()
    except BaseException:
        if created and path is not None:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise


def total_rows(source: Database) -> int:
    with source.read() as session:
        conn = session.connection()
        return sum(_count(conn, table) for table in book_tables())
