"""Reporting periods: ``2026-Q3``, ``2026-09``, ``2026``, ``FROM..TO`` (both days included)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from csmctl.domain.dates import add_days, add_months, parse_date
from csmctl.errors import InvalidValue

ACCEPTED_PERIODS = "2026-Q3, 2026-09, 2026, or FROM..TO (e.g. 2026-01-01..2026-06-30 or -90d..today)"

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "start": self.start, "end": self.end}


def trailing_year(today: date) -> Period:
    """The default period: the twelve months up to and including today."""
    start = add_days(add_months(today, -12), 1)
    return Period(start, today, f"{start.isoformat()}..{today.isoformat()}")


def parse_period(text: str | None, today: date) -> Period:
    if text is None or not str(text).strip():
        return trailing_year(today)
    raw = str(text).strip()

    def bad(extra: str = "") -> InvalidValue:
        return InvalidValue(f"Invalid period {raw!r}{extra}.", f"Use {ACCEPTED_PERIODS}.")

    if ".." in raw:
        first, _, last = raw.partition("..")
        if not first.strip() or not last.strip():
            raise bad()
        try:
            start = parse_date(first, today, what="period start")
            end = parse_date(last, today, what="period end")
        except InvalidValue:
            raise bad() from None
        if end < start:
            raise bad(": it ends before it starts")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    if match := _QUARTER.match(raw):
        year, quarter = int(match[1]), int(match[2])
        start = date(year, 3 * quarter - 2, 1)
        end = add_days(add_months(start, 3), -1)
        return Period(start, end, f"{year}-Q{quarter}")
    if match := _MONTH.match(raw):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < 1:
            raise bad()
        return Period(
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
            f"{year:04d}-{month:02d}",
        )
    if match := _YEAR.match(raw):
        year = int(match[1])
        if year < 1:
            raise bad()
        return Period(date(year, 1, 1), date(year, 12, 31), f"{year:04d}")
    raise bad()
