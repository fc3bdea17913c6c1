"""Dates in and out: ISO 8601 plus the relative forms people type.

Accepted: ``2026-12-01``, ``today``, ``tomorrow``, ``yesterday``, and offsets from today.

One offset grammar for every flag and file (``--as-of``, due dates, ``--within``, ``--since``,
snooze, cadence, playbook task offsets): an optional sign, a whole number and a unit, ``d``
(days), ``w`` (weeks), ``m`` (calendar months), ``y`` (years) or ``bd`` (business days, Monday
to Friday); case and spaces do not matter, and a bare ``30d`` means ``+30d``. Month and year
offsets clamp to the end of a shorter month (Jan 31 + 1m = Feb 28/29). ``+0bd`` is the day
itself, or the next Monday on a weekend. Offsets reach at most about ten years either way.

Everything here takes ``today`` as an argument: no clock, so ``--as-of`` makes reports
reproducible.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from csmctl.errors import InvalidValue

ACCEPTED_OFFSETS = "+30d, -2w, +3m, +1y or +5bd (business days)"
ACCEPTED_DATES = f"YYYY-MM-DD, today, tomorrow, yesterday, or an offset like {ACCEPTED_OFFSETS}"

_OFFSET = re.compile(r"^([+-])?(\d{1,9})(bd|d|w|m|y)$")
# Bounds keep every offset inside the calendar: about ten years either way.
_LIMITS = {"d": 3660, "bd": 2610, "w": 522, "m": 120, "y": 10}
_NAMED = {"today": 0, "tomorrow": 1, "yesterday": -1}


@dataclass(frozen=True)
class Offset:
    """A signed distance in one unit (d, w, m, y or bd): the one parsed form of every offset."""

    amount: int
    unit: str

    def __str__(self) -> str:
        return f"{'-' if self.amount < 0 else '+'}{abs(self.amount)}{self.unit}"

    def after(self, day: date) -> date:
        if self.unit == "d":
            return add_days(day, self.amount)
        if self.unit == "w":
            return add_days(day, 7 * self.amount)
        if self.unit == "m":
            return add_months(day, self.amount)
        if self.unit == "y":
            return add_months(day, 12 * self.amount)
        return add_business_days(day, self.amount)

    def before(self, day: date) -> date:
        return Offset(-self.amount, self.unit).after(day)

    def calendar_days(self, *, what: str = "span") -> int:
        """Days in a day or week offset; months, years and business days have no fixed length."""
        if self.unit not in ("d", "w"):
            raise InvalidValue(
                f"Invalid {what} {str(self).lstrip('+')!r}: give it in days or weeks.", "Use e.g. 14d or 2w."
            )
        return self.amount * (7 if self.unit == "w" else 1)


def parse_offset(text: object, *, what: str = "offset") -> Offset:
    """``"+2w"`` -> Offset(2, "w"). An InvalidValue names ``what`` and the accepted forms."""
    raw = text if isinstance(text, str | int) and not isinstance(text, bool) else None
    compact = str(raw).strip().lower().replace(" ", "") if raw is not None else ""
    match = _OFFSET.match(compact)
    if not match:
        raise InvalidValue(f"Invalid {what} {text!r}.", f"Use {ACCEPTED_OFFSETS}.")
    sign, number, unit = match.groups()
    amount = int(number)
    if amount > _LIMITS[unit]:
        raise InvalidValue(
            f"Invalid {what} {text!r}: at most {_LIMITS[unit]}{unit} (about ten years).",
            f"Use {ACCEPTED_OFFSETS}.",
        )
    return Offset(-amount if sign == "-" else amount, unit)


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


def is_business_day(day: date) -> bool:
    return day.weekday() < 5


def add_business_days(day: date, count: int) -> date:
    """Count Monday-Friday days. 0 is ``day`` itself, rolled forward off a weekend."""
    step = 1 if count >= 0 else -1
    if count == 0:
        while not is_business_day(day):
            day += timedelta(days=1)
        return day
    # Whole weeks first (5 business days = 7 calendar days), then the rest one by one.
    weeks, rest = divmod(abs(count), 5)
    if weeks and is_business_day(day):
        day += timedelta(days=7 * weeks * step)
    else:
        rest += 5 * weeks
    while rest:
        day += timedelta(days=step)
        if is_business_day(day):
            rest -= 1
    return day


def parse_duration(text: object, *, what: str = "duration") -> Offset:
    """A span ahead or back (``--within 90d``, ``--since 2w``): an offset that is not negative."""
    offset = parse_offset(text, what=what)
    if offset.amount < 0:
        raise InvalidValue(f"Invalid {what} {text!r}: a span cannot be negative.", f"Use {ACCEPTED_OFFSETS}.")
    return offset


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
    if raw[:1] in "+-" or (raw[:1].isdigit() and raw[-1:].isalpha()):
        try:
            offset = parse_offset(raw, what=what)
        except InvalidValue as error:  # the same message; the hint lists every date form
            raise InvalidValue(error.message, f"Use {ACCEPTED_DATES}.") from None
        try:
            return offset.after(today)
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
