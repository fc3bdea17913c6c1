"""Baseline for `csmctl renewals --within 120d -f json`: the same bytes from sqlite3 and json alone
(one query on ix_account_renewal; buckets, notice deadlines and totals computed in the loop).

    python bench/baselines/renewals_json.py BOOK.db [--as-of 2026-11-23] [DAYS]
"""

import json
import sys

from common import BUCKETS, args, renewal, totals, window


def main() -> None:
    book, today, rest = args()
    days = int(rest[0]) if rest else 120
    by_key: dict[str, list[dict]] = {key: [] for key, _, _, _ in BUCKETS}
    by_key["121+"] = []
    for row in window(book, today, days):
        record = renewal(row, today)
        by_key[record["bucket"]].append(record)
    labels = {key: label for key, label, _, _ in BUCKETS} | {"121+": "Over 120 days"}
    buckets = []
    for key, rows in by_key.items():
        if not rows and key == "121+":
            continue
        sums, unknown = totals(rows)
        buckets.append(
            {
                "key": key,
                "label": labels[key],
                "count": len(rows),
                "totals": [{"amount_minor": v, "currency": c} for c, v in sums.items()],
                "unknown_arr_count": unknown,
                "renewals": rows,
            }
        )
    document = {
        "as_of": today.isoformat(),
        "within_days": days,
        "owner": None,
        "buckets": buckets,
        "unknown_arr_count": sum(b["unknown_arr_count"] for b in buckets),
    }
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
