"""The manager's view of the book: one row per CSM (or one for the whole book).

Pure: the CLI hands in what the store and the other rules already worked out (each account's
band, staleness and overdue follow-ups; open risks as of the day; forecast lines of the renewals
in the next 90 days; retention metrics per owner) and this adds them up per owner. Money stays
per currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from csmctl.domain.forecast import CATEGORIES, Line
from csmctl.domain.money import Money
from csmctl.domain.risks import OPEN_STAGES

RENEWAL_HORIZON_DAYS = 90
ALL = "(book)"
NO_OWNER = "(no owner)"


class AccountState(NamedTuple):  # one per account of the book: a tuple is the cheapest to build
    owner: str | None
    arr: int
    currency: str
    touched: bool  # contacted within its cadence
    overdue_follow_ups: int
    band: str | None


@dataclass
class OwnerBook:
    owner: str
    accounts: int = 0
    arr: dict[str, int] = field(default_factory=dict)
    touched: int = 0
    untouched: int = 0
    overdue_follow_ups: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    risks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPEN_STAGES, 0))
    renewals: int = 0
    renewal_available: dict[str, int] = field(default_factory=dict)
    renewal_weighted: dict[str, int] = field(default_factory=dict)
    renewal_by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    grr: dict[str, str] = field(default_factory=dict)
    nrr: dict[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        def money(table: Mapping[str, int]) -> list[Money]:
            return [Money(v, c) for c, v in sorted(table.items())]

        return {
            "owner": self.owner,
            "accounts": self.accounts,
            "arr": money(self.arr),
            "touched": self.touched,
            "untouched": self.untouched,
            "coverage_pct": round(100 * self.touched / self.accounts) if self.accounts else None,
            "overdue_follow_ups": self.overdue_follow_ups,
            "red": self.red,
            "yellow": self.yellow,
            "green": self.green,
            "open_risks": dict(self.risks),
            "renewals_90d": self.renewals,
            "renewals_90d_available": money(self.renewal_available),
            "renewals_90d_weighted": money(self.renewal_weighted),
            "renewals_90d_by_category": dict(self.renewal_by_category),
            "grr": dict(sorted(self.grr.items())),
            "nrr": dict(sorted(self.nrr.items())),
        }


def _add(table: dict[str, int], currency: str, amount: int | None) -> None:
    if amount is None:  # unknown ARR: left out of the totals, never counted as 0
        return
    table[currency] = table.get(currency, 0) + amount


def build(
    accounts: Iterable[AccountState],
    open_risks: Iterable[tuple[str | None, str]],
    renewals: Iterable[Line],
    retention: Iterable[tuple[str | None, str, str | None, str | None]],
    *,
    by_owner: bool,
) -> list[OwnerBook]:
    """Per owner (``by_owner``) or one row for the book. ``open_risks`` are (owner, stage);
    ``retention`` (owner, currency, GRR %, NRR %)."""
    books: dict[str, OwnerBook] = {}

    def book(owner: str | None) -> OwnerBook:
        key = (owner or NO_OWNER) if by_owner else ALL
        if key not in books:
            books[key] = OwnerBook(key)
        return books[key]

    for item in accounts:
        entry = book(item.owner)
        entry.accounts += 1
        _add(entry.arr, item.currency, item.arr)
        if item.touched:
            entry.touched += 1
        else:
            entry.untouched += 1
        entry.overdue_follow_ups += item.overdue_follow_ups
        entry.red += item.band == "red"
        entry.yellow += item.band == "yellow"
        entry.green += item.band == "green"
    for owner, stage in open_risks:
        book(owner).risks[stage] += 1
    for line in renewals:
        entry = book(line.owner)
        entry.renewals += 1
        _add(entry.renewal_available, line.currency, line.arr)
        _add(entry.renewal_weighted, line.currency, None if line.expected is None else line.weighted)
        entry.renewal_by_category[line.category] += 1
    for owner, currency, grr, nrr in retention:
        entry = book(owner)
        if grr is not None:
            entry.grr[currency] = grr
        if nrr is not None:
            entry.nrr[currency] = nrr
    return [books[k] for k in sorted(books, key=str.casefold)]
