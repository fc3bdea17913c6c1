"""Baseline for `csmctl report renewals -f json -o FILE`: the report's whole context (docs/json.md)
as the same bytes, from sqlite3 and json alone: the three queries of the md baseline, the context
built as plain dicts (renewals, notices, unconfirmed auto-renewals, recent outcomes, retention
metrics with their 4-place ratios and percents) and written with json.dumps(indent=2).

    python bench/baselines/report_json.py BOOK.db OUT.json [--as-of 2026-11-23]
"""

import json
from datetime import timedelta

from common import BUCKETS, args, metric_records, money, report_inputs, totals


def main() -> None:
    book, today, rest = args()
    start, rows, ledger, pending = report_inputs(book, today)
    by_key: dict[str, list[dict]] = {key: [] for key, _, _, _ in BUCKETS}
    for r in rows:
        by_key[r["bucket"]].append(r)
    buckets = []
    for key, label, _, _ in BUCKETS:
        sums, unknown = totals(by_key[key])
        buckets.append(
            {
                "key": key,
                "label": label,
                "count": len(by_key[key]),
                "totals": [money(v, c) for c, v in sums.items()],
                "unknown_arr_count": unknown,
                "renewals": by_key[key],
            }
        )
    recent_from = (today - timedelta(days=29)).isoformat()
    outcomes = [
        {
            "id": id_,
            "account_id": account_id,
            "account": name,
            "owner": owner,
            "tier": tier,
            "date": day,
            "outcome": outcome,
            "arr_before": money(before, currency),
            "arr_after": money(after, currency),
            "change": money(after - before, currency),
            "term_months": term,
            "renewal_date_before": renewal_before,
            "notes": notes,
            "reason": reason,
        }
        for (
            id_,
            account_id,
            day,
            outcome,
            before,
            after,
            currency,
            term,
            renewal_before,
            notes,
            reason,
            name,
            owner,
            tier,
        ) in ledger
        if day >= recent_from
    ][::-1]
    metrics = metric_records(ledger, pending)
    sums, unknown = totals(rows)
    unconfirmed = [r for r in rows if r["status"] == "auto-renewed?"]
    at_risk = [r for r in rows if r["at_risk"]]
    report = {
        "title": "Renewal report",
        "as_of": today.isoformat(),
        "owner": None,
        "within_days": 120,
        "notice_warning_days": 14,
        "recent_days": 30,
        "period": {"label": f"{start}..{today}", "start": start.isoformat(), "end": today.isoformat()},
        "summary": {
            "renewals": len(rows),
            "overdue": sum(1 for r in rows if r["status"] != "upcoming"),
            "auto_renewed": len(unconfirmed),
            "notice": sum(1 for r in rows if r["notice_flag"]),
            "at_risk": len(at_risk),
            "with_risks": 0,
            "totals": [money(v, c) for c, v in sums.items()],
            "unknown_arr_count": unknown,
            "unknown_arr_note": None
            if not unknown
            else f"{unknown} account{'' if unknown == 1 else 's'} with unknown ARR left out",
        },
        "show_health": False,
        "show_risks": False,
        "buckets": buckets,
        "notices": [r for r in rows if r["notice_flag"]],
        "unconfirmed": unconfirmed,
        "at_risk": at_risk,
        "outcomes": outcomes,
        "metrics": metrics,
        "fail_on": [],
        "failed": [],
    }
    with open(rest[0], "w", encoding="utf-8", newline="") as handle:
        handle.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
