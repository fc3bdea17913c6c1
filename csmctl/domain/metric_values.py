"""Custom health metrics (usage, tickets, logins): how a row of account, date, name, value parses
(not the retention metrics of `csmctl metric retention`, which live in domain/metrics.py)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from csmctl.domain import fields
from csmctl.errors import InvalidValue, Problem

FIELDS = {"account": "account", "date": "date", "name": "metric name", "value": "value"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")


def metric_name(value: object) -> str:
    raw = "" if fields.blank(value) else str(value).strip().lower().replace(" ", "_")
    if not _NAME.match(raw):
        raise InvalidValue(
            f"Invalid metric name {value!r}.",
            "Use letters, digits, '_', '.' or '-' (e.g. usage, open_tickets), at most 80.",
        )
    return raw


def metric_value(value: object) -> float:
    if isinstance(value, bool):
        raise InvalidValue(f"Invalid value {value!r}: not a number.")
    try:
        number = (
            float(str(value).strip().replace(",", "")) if not isinstance(value, int | float) else float(value)
        )
    except ValueError:
        raise InvalidValue(f"Invalid value {value!r}: not a number.") from None
    if not math.isfinite(number):
        raise InvalidValue(f"Invalid value {value!r}: not a finite number.")
    return number


def parse_metric_fields(values: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], list[Problem]]:
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, parse in (
        ("date", lambda v: fields.a_date(v, what="date", today=today)),
        ("name", metric_name),
        ("value", metric_value),
    ):
        value = values.get(key)
        if fields.blank(value):
            problems.append(Problem(f"the {FIELDS[key]} is missing", field=key))
            continue
        try:
            out[key] = parse(value)
        except InvalidValue as error:
            problems.append(Problem(error.message, field=key, hint=error.hint))
    if out.get("date") and out["date"] > today:
        problems.append(Problem(f"the date {out['date'].isoformat()} is in the future", field="date"))
    return out, problems
