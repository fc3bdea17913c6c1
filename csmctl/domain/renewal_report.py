"""The renewal report's content: buckets, notice deadlines, recent outcomes and the period's
metrics, as one plain dict that every template (md, html, txt, csv, json) renders.

Pure: rows in, context out. The context keys are documented in docs/json.md (the json template
prints it as is), so a user's own template can rely on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any, Protocol

from csmctl.domain import metrics as m
from csmctl.domain.money import totals_by_currency, unknown_note
from csmctl.domain.periods import Period
from csmctl.domain.renewals import (
    AUTO_RENEWED_STATUS,
    BUCKETS,
    FINDING_TESTS,
    NOTICE_WARNING_DAYS,
    bucket_heads,
    iter_renewals,
    ledger_row,
)

RECENT_DAYS = 30  # outcomes recorded this recently are listed in the report


def entries_from_ledger(rows: Iterable[Mapping[str, Any]], by: str | None = None) -> list[m.Entry]:
    return [_entry(r, by) for r in rows]


def _entry(r: Mapping[str, Any], by: str | None = None) -> m.Entry:
    return m.Entry(
        r["account_id"],
        r["name"],
        r["date"],
        r["outcome"],
        int(r["arr_before_minor"]),
        int(r["arr_after_minor"]),
        r["currency"],
        _group(r, by),
    )


def pending_from_accounts(rows: Iterable[Mapping[str, Any]], by: str | None = None) -> list[m.Pending]:
    return [
        m.Pending(
            r["id"],
            r["name"],
            r["renewal_date"],
            None if r["arr_minor"] is None else int(r["arr_minor"]),
            r["currency"],
            bool(r["auto_renew"]),
            _group(r, by),
        )
        for r in rows
    ]


def _group(row: Mapping[str, Any], by: str | None) -> str | None:
    if by is None:
        return None
    return row.get(by) or f"(no {by})"


def pending_window(period: Period, today: date) -> tuple[date, date] | None:
    """The part of the period in which an unrecorded renewal date counts as pending (before today)."""
    end = min(period.end, today - timedelta(days=1))
    return (period.start, end) if end >= period.start else None


def recent_window(period: Period, today: date) -> tuple[date, date] | None:
    """The part of the period whose recorded outcomes the report lists: its last ``RECENT_DAYS``
    days up to today."""
    start = max(period.start, today - timedelta(days=RECENT_DAYS - 1))
    end = min(period.end, today)
    return (start, end) if end >= start else None


def metric_record(metrics: m.Metrics) -> dict[str, Any]:
    return _with_percents(metrics.record())


def _with_percents(record: dict[str, Any]) -> dict[str, Any]:
    for key in ("logo_churn", "renewal_rate", "grr", "nrr"):
        record[f"{key}_pct"] = m.percent(record[key])
    return record


class Rows(Protocol):
    """Where the report keeps a list of renewals: a ``list``, or a spool that spills past a bound
    (``csmctl.spool.Pool``). Templates use it as a list: ``len``, truth, read more than once."""

    def append(self, item: dict[str, Any], /) -> None: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[dict[str, Any]]: ...


class _Tally:
    """A count where the report needs no rows (overdue and risk show only as numbers)."""

    def __init__(self) -> None:
        self.count = 0

    def append(self, _item: object, /) -> None:
        self.count += 1

    def __len__(self) -> int:
        return self.count


def build_report(
    *,
    today: date,
    period: Period,
    within_days: int,
    owner: str | None,
    accounts: Iterable[Mapping[str, Any]],
    ledger_totals: Iterable[m.LedgerTotals],
    recent: Iterable[Mapping[str, Any]],
    pending: Mapping[str, int],
    health: Mapping[int, str] | None = None,
    fail_on: Iterable[str] = (),
    notice_warning_days: int = NOTICE_WARNING_DAYS,
    risks: Mapping[int, int] | None = None,
    new_rows: Callable[[], Rows] = list,
    new_sublist: Callable[[], Rows] | None = None,
    new_outcomes: Callable[[], Rows] | None = None,
) -> dict[str, Any]:
    """The report's context. ``accounts`` must come ordered by renewal date (``store.renewals``'
    ``renewal_query``): the renewals are read once, in listing order, straight into their bucket
    (a ``new_rows()`` each) and lists of some of them (notices, at risk, unconfirmed: a
    ``new_sublist()`` each, ``new_rows`` when not given), the summary counted on the way, so a
    caller that gives spilling lists holds a bounded part of the book whatever its size. The recent
    outcomes go to a ``new_outcomes()`` (``new_rows`` when not given): they are not renewal rows,
    so a caller whose renewal lists spill in a renewal row's packed form gives them their own."""
    new_sublist = new_sublist or new_rows
    # ``ledger_totals``: the period's ledger summed per currency, ``pending``: the contracts due in the
    # period with no outcome, counted per currency (neither held per event or per contract);
    # ``recent``: the events of ``recent_window`` in full, newest first as listed (a ``new_outcomes()``:
    # a few weeks of a big book's ledger is thousands of events).
    outcomes = (new_outcomes or new_rows)()
    for row in recent:
        outcomes.append(ledger_row(row))
    metric_rows = [_with_percents(r) for r in m.records_from_totals(ledger_totals, pending)]
    by_key = {key: new_rows() for key, _, _ in BUCKETS}
    found: dict[str, Rows | _Tally] = {
        key: new_sublist() if key in ("notice", "at-risk") else _Tally() for key in FINDING_TESTS
    }
    tests = [(found[key].append, test) for key, test in FINDING_TESTS.items()]
    unconfirmed = new_sublist()
    # per (renewal date, currency): renewals, known ARR, renewals with a known ARR (bucket_heads)
    days: dict[tuple[date, str], list[int]] = {}
    show_health = False
    for r in iter_renewals(accounts, today, health, notice_warning_days, risks):
        by_key[r["bucket"]].append(r)
        for append, test in tests:
            if test(r):
                append(r)
        if r["status"] == AUTO_RENEWED_STATUS:
            unconfirmed.append(r)
        show_health = show_health or bool(r["health_band"])
        money = r["arr"]
        day = days.get((r["renewal_date"], r["currency"]))
        if day is None:
            day = days[r["renewal_date"], r["currency"]] = [0, 0, 0]
        day[0] += 1
        if money is not None:
            day[1] += money.amount_minor
            day[2] += 1
    heads = bucket_heads(
        ((d, c, n, known_sum, known) for (d, c), (n, known_sum, known) in days.items()), today
    )
    asked = list(fail_on)
    # The report's totals from the buckets' (every renewal is in one bucket).
    totals = totals_by_currency([money for b in heads for money in b.totals.values()])
    unknown = sum(b.unknown_arr_count for b in heads)
    return {
        "title": "Renewal report",
        "as_of": today,
        "owner": owner,
        "within_days": within_days,
        "notice_warning_days": notice_warning_days,
        "recent_days": RECENT_DAYS,
        "period": period.as_dict(),
        "summary": {
            "renewals": sum(b.count for b in heads),
            "overdue": len(found["overdue"]),
            "auto_renewed": len(unconfirmed),
            "notice": len(found["notice"]),
            "at_risk": len(found["at-risk"]),
            "with_risks": len(found["risk"]),
            "totals": list(totals.values()),
            "unknown_arr_count": unknown,
            "unknown_arr_note": unknown_note(unknown),
        },
        "show_health": show_health,
        "show_risks": bool(len(found["risk"])),
        "buckets": [b.as_dict(by_key[b.key]) for b in heads],
        "notices": found["notice"],
        "unconfirmed": unconfirmed,
        "at_risk": found["at-risk"],
        "outcomes": outcomes,
        "metrics": metric_rows,
        "fail_on": asked,
        "failed": [key for key in asked if len(found[key])],
    }
