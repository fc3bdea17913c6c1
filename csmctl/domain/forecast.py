"""Renewal forecasts: categories, likelihoods, the per-currency roll-up and forecast accuracy.

Each upcoming renewal has a category (commit, probable, upside, at-risk, lost), an expected
amount (the current ARR unless someone entered a contraction or expansion) and a likelihood in
whole percent (a default per category, overridable per renewal). The roll-up, per currency:

- available to renew: the current ARR of the renewals in scope;
- committed: what the commit renewals keep of it (``min(expected, ARR)``: expansion is not
  committed renewal), so committed <= available;
- weighted: the sum of likelihood x expected;
- best case: every expected amount except the lost ones. Lost renewals have likelihood 0, so
  weighted <= best case.

Accuracy compares a snapshot taken N days before a renewal (the latest one on or before that
day, and always before the outcome) with the recorded outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from csmctl.domain.money import Money
from csmctl.errors import InvalidValue

CATEGORIES = ("commit", "probable", "upside", "at-risk", "lost")
DEFAULT_LIKELIHOOD = {"commit": 95, "probable": 75, "upside": 40, "at-risk": 20, "lost": 0}
DEFAULT_CATEGORY = "probable"
ACCURACY_OFFSETS = (90, 60, 30)
BY = ("owner", "tier", "category")


def check_category(value: str) -> str:
    key = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    if key not in CATEGORIES:
        raise InvalidValue(f"Unknown forecast category {value!r}.", f"Use one of: {', '.join(CATEGORIES)}.")
    return key


def check_likelihood(value: int, *, what: str = "likelihood") -> int:
    if not 0 <= int(value) <= 100:
        raise InvalidValue(f"Invalid {what} {value!r}.", "Use a whole percent from 0 to 100.")
    return int(value)


def likelihoods(settings: Mapping[str, Any] | None) -> dict[str, int]:
    """Default likelihood per category, with ``[forecast.likelihood]`` from config.toml on top.
    Lost is always 0 (a lost renewal brings nothing)."""
    out = dict(DEFAULT_LIKELIHOOD)
    for key, value in (settings or {}).items():
        category = check_category(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(f"Setting forecast.likelihood.{key} must be a whole percent (0-100).")
        out[category] = check_likelihood(value, what=f"forecast.likelihood.{key}")
    out["lost"] = 0
    return out


class Line(NamedTuple):
    """One renewal's forecast (amounts in minor units of ``currency``). A tuple: `forecast` and
    `book` build one per renewal of a quarter or of the next 90 days (a frozen dataclass's
    __init__ cost three times as much)."""

    account_id: int
    account: str
    owner: str | None
    tier: str | None
    renewal_date: date
    currency: str
    arr: int
    category: str
    expected: int
    likelihood: int

    @property
    def weighted(self) -> int:
        return self.expected * self.likelihood // 100

    @property
    def committed(self) -> int:
        return min(self.expected, self.arr) if self.category == "commit" else 0

    @property
    def best_case(self) -> int:
        return 0 if self.category == "lost" else self.expected


def line(row: Mapping[str, Any], defaults: Mapping[str, int]) -> Line:
    """A forecast line from an account row joined with its (optional) forecast row: no forecast
    row means the default category, the current ARR and the category's default likelihood."""
    category = row.get("category") or DEFAULT_CATEGORY
    expected = row.get("expected_minor")
    likelihood = row.get("likelihood")
    return Line(
        account_id=row["id"],
        account=row["name"],
        owner=row.get("owner"),
        tier=row.get("tier"),
        renewal_date=row["renewal_date"],
        currency=row["currency"],
        arr=row["arr_minor"],
        category=category,
        expected=row["arr_minor"] if expected is None else expected,
        likelihood=0 if category == "lost" else (defaults[category] if likelihood is None else likelihood),
    )


@dataclass
class Rollup:
    group: str | None
    currency: str
    renewals: int = 0
    available: int = 0
    committed: int = 0
    weighted: int = 0
    best_case: int = 0
    by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    def add(self, item: Line) -> None:
        self.renewals += 1
        self.available += item.arr
        self.committed += item.committed
        self.weighted += item.weighted
        self.best_case += item.best_case
        self.by_category[item.category] += item.expected

    def record(self) -> dict[str, Any]:
        def money(amount: int) -> Money:
            return Money(amount, self.currency)

        return {
            "group": self.group,
            "currency": self.currency,
            "renewals": self.renewals,
            "available": money(self.available),
            "committed": money(self.committed),
            "weighted": money(self.weighted),
            "best_case": money(self.best_case),
            "by_category": {k: money(v) for k, v in self.by_category.items()},
        }


def group_key(item: Line, by: str | None) -> str | None:
    if by is None:
        return None
    if by == "category":
        return item.category
    value = item.owner if by == "owner" else item.tier
    return value or "(none)"


def rollup(lines: Iterable[Line], by: str | None = None) -> list[Rollup]:
    """Totals per (group, currency): amounts in different currencies are never added; lines
    whose ARR is unknown are left out (the caller says how many)."""
    out: dict[tuple[str, str], Rollup] = {}
    for item in lines:
        if item.arr is None or item.expected is None:
            continue
        group = group_key(item, by)
        key = (group or "", item.currency)
        if key not in out:
            out[key] = Rollup(group, item.currency)
        out[key].add(item)
    return [out[k] for k in sorted(out)]


# -- accuracy ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A frozen forecast line: what was expected for an account's renewal on ``taken``."""

    account_id: int
    taken: date
    renewal_date: date
    category: str
    expected: int
    likelihood: int
    currency: str


@dataclass(frozen=True)
class Outcome:
    account_id: int
    account: str
    owner: str | None
    recorded: date  # when the outcome was recorded (the ledger's date)
    renewal_date: date  # the contract date the outcome closed (renewal_date_before)
    arr_after: int
    currency: str


def snapshot_at(snapshots: Iterable[Snapshot], outcome: Outcome, days_out: int) -> Snapshot | None:
    """The latest snapshot of this renewal taken on or before ``days_out`` days ahead of it, and
    strictly before the outcome was recorded (a forecast made after the fact is not a forecast)."""
    cutoff = outcome.renewal_date - timedelta(days=days_out)
    best: Snapshot | None = None
    for snap in snapshots:
        if snap.account_id != outcome.account_id or snap.renewal_date != outcome.renewal_date:
            continue
        if snap.taken > cutoff or snap.taken >= outcome.recorded:
            continue
        if best is None or snap.taken > best.taken:
            best = snap
    return best


def accuracy_rows(
    outcomes: Iterable[Outcome], snapshots: Iterable[Snapshot], offsets: Iterable[int] = ACCURACY_OFFSETS
) -> list[dict[str, Any]]:
    """One row per outcome and offset that had a snapshot: forecast vs actual, and the error."""
    snaps = list(snapshots)
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        for days_out in offsets:
            snap = snapshot_at(snaps, outcome, days_out)
            if snap is None or snap.currency != outcome.currency:
                continue
            rows.append(
                {
                    "account_id": outcome.account_id,
                    "account": outcome.account,
                    "owner": outcome.owner,
                    "renewal_date": outcome.renewal_date,
                    "days_out": days_out,
                    "snapshot_date": snap.taken,
                    "category": snap.category,
                    "forecast": Money(snap.expected, snap.currency),
                    "actual": Money(outcome.arr_after, outcome.currency),
                    "error": Money(outcome.arr_after - snap.expected, outcome.currency),
                }
            )
    return rows


def accuracy_summary(rows: Iterable[Mapping[str, Any]], by: str = "owner") -> list[dict[str, Any]]:
    """Per (group, days out, currency): forecast and actual totals, and accuracy in percent
    (100 - absolute error / actual; 100 when both are zero)."""
    totals: dict[tuple[str, int, str], list[int]] = {}
    for row in rows:
        group = (row["owner"] if by == "owner" else row["category"]) or "(none)"
        key = (group, row["days_out"], row["actual"].currency)
        acc = totals.setdefault(key, [0, 0, 0, 0])
        acc[0] += 1
        acc[1] += row["forecast"].amount_minor
        acc[2] += row["actual"].amount_minor
        acc[3] += abs(row["actual"].amount_minor - row["forecast"].amount_minor)
    out = []
    for (group, days_out, currency), (count, forecast, actual, abs_error) in sorted(
        totals.items(), key=lambda kv: (kv[0][0], -kv[0][1], kv[0][2])
    ):
        out.append(
            {
                "group": group,
                "days_out": days_out,
                "currency": currency,
                "renewals": count,
                "forecast": Money(forecast, currency),
                "actual": Money(actual, currency),
                "accuracy_pct": accuracy_pct(abs_error, actual),
            }
        )
    return out


def accuracy_pct(abs_error: int, actual: int) -> int:
    if actual == 0:
        return 100 if abs_error == 0 else 0
    return max(0, round(100 - 100 * abs_error / actual))
