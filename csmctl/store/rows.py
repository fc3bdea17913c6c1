"""Plain rows out of Core queries: what every lean read shares (dicts or tuples per row, dates
however the dialect hands them back)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlalchemy as sa

    from csmctl.store.database import Reader


def dict_rows(reader: Reader, query: sa.Select, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Rows as plain dicts, fetched in batches (cheaper than a RowMapping per row)."""
    result = reader.execute(query)
    keys = list(result.keys())
    while rows := result.fetchmany(batch):
        for row in rows:
            yield dict(zip(keys, row, strict=True))


def tuple_rows(reader: Reader, query: sa.Select, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Rows as the result's own tuples (the columns in the query's order), fetched in batches."""
    result = reader.execute(query)
    while rows := result.fetchmany(batch):
        yield from rows


def as_date(value: Any) -> date | None:
    """A stored date or datetime as a date (None stays None; text from a dialect that hands it back)."""
    if value is None:
        return None
    if type(value) is str:  # SQLite's stored text: the stored moment's date, as .date() gives
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()
