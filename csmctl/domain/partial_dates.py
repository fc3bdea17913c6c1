"""Dates as JSON Resume writes them: a year, a month or a day (``2020``, ``2020-03``, ``2020-03-15``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as JSON Resume allows."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def months(self) -> int:
        """The first month covered, counted from year 0 (for gap and duration arithmetic)."""
        return self.year * 12 + (self.month or 1) - 1

    def last_month(self) -> int:
        """The last month covered: a year alone runs to its December."""
        return self.year * 12 + (self.month or 12) - 1

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text


def parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):  # YAML turns 2020-03-01 into a date
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:  # YAML: 2020
        return PartialDate(value)
    if not isinstance(value, str):
        raise ValueError("should be a date as text: YYYY, YYYY-MM or YYYY-MM-DD")
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError("is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-03)")
    year = int(match[1])  # the pattern requires the year
    month, day = (int(g) if g else None for g in match.groups()[1:])
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError("is not a real calendar date") from None
    return PartialDate(year, month, day)
