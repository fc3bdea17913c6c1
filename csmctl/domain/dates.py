"""Dates in and out: ISO 8601 plus the relative forms people type.

Accepted: ``2026-12-01``, ``today``, ``tomorrow``, ``yesterday``, and offsets from today such as
``+30d``, ``-2w``, ``+3m``, ``+1y`` (a bare ``30d`` means ``+30d``). Month and year offsets clamp
to the end of a shorter month (Jan 31 + 1m = Feb 28/29).

Everything here takes ``today`` as an argument: no clock, so ``--as-of`` makes reports
reproducible.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from csmctl.errors import InvalidValue

ACCEPTED_DATES = "YYYY-MM-DD, today, tomorrow, yesterday, or an offset like +30d, -2w, +3m, +1y"
ACCEPTED_DURATIONS = "a number and a unit: 30d, 2w, 3m or 1y"

_OFFSET = re.compile(r"^\s*([+-])?\s*(\d{1,5})\s*([dwmy])\s*$", re.IGNORECASE)
_NAMED = {"today": 0, "tomorrow": 1, "yesterday": -1}


@dataclass(frozen=True)
class Duration:
    """A calendar span: days and whole months (weeks are days, years are months)."""

    days: int = 0
    months: int = 0

    def after(self, start: date) -> date:
        return add_days(add_months(start, self.months), self.days)

    def before(self, start: date) -> date:
        return add_days(add_months(start, -self.months), -self.days)

    def __str__(self) -> str:
        if self.months and not self.days:
            if self.months % 12 == 0:
                return f"{self.months // 12}y"
            return f"{self.months}m"
        if self.days % 7 == 0 and self.days and not self.months:
            return f"{self.days // 7}w"
        if self.months:
            return f"{self.months}m{self.days}d"
        return f"{self.days}d"


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def add_months(day: date, months: int) -> date:
    """Add calendar months, clamping the day to the end of a shorter month."""
    if months == 0:
        return day
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year < 1 or year > 9999:
        raise InvalidValue(f"Date out of range: {day.isoformat()} {months:+d} months.")
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _parse_offset(text: str) -> tuple[int, int, str] | None:
    match = _OFFSET.match(text)
    if not match:
        return None
    sign, number, unit = match.groups()
    n = int(number) * (-1 if sign == "-" else 1)
    return n, n, unit.lower()


def parse_duration(text: str, *, what: str = "duration") -> Duration:
    """Parse ``30d``, ``2w``, ``3m``, ``1y`` (a leading ``+`` is allowed) into a Duration."""
    parsed = _parse_offset(str(text))
    if parsed is None or str(text).strip().startswith("-"):
        raise InvalidValue(f"Invalid {what} {text!r}.", f"Use {ACCEPTED_DURATIONS}.")
    n, _, unit = parsed
    return _duration(n, unit)


def _duration(n: int, unit: str) -> Duration:
    if unit == "d":
        return Duration(days=n)
    if unit == "w":
        return Duration(days=7 * n)
    if unit == "m":
        return Duration(months=n)
    return Duration(months=12 * n)


def parse_date(text: str | date, today: date, *, what: str = "date") -> date:
    """Parse a date as typed by a user, relative forms counted from ``today``."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = str(text).strip()
    lowered = raw.lower()
    if lowered in _NAMED:
        return add_days(today, _NAMED[lowered])
    parsed = _parse_offset(raw)
    if parsed is not None:
        n, _, unit = parsed
        try:
            if unit in "dw":
                return _duration(n, unit).after(today)
            return add_months(today, n if unit == "m" else 12 * n)
        except (OverflowError, InvalidValue):
            raise InvalidValue(f"Invalid {what} {raw!r}: out of range.") from None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    raise InvalidValue(f"Invalid {what} {raw!r}.", f"Use {ACCEPTED_DATES}.")


def check_not_future(day: date, today: date, *, what: str, hint: str) -> None:
    """One rule for recording what happened (a touchpoint, a task done, a renewal outcome): it
    cannot be on a later day than today (or the --as-of date)."""
    if day > today:
        raise InvalidValue(f"{what} {day.isoformat()} is in the future (today is {today.isoformat()}).", hint)
