"""Baseline for `csmctl forecast --quarter Q --by owner -f json`: the same query with the raw
sqlite3 module and the same per-owner, per-currency totals, printed as the same JSON (the bench
checks the outputs are equal). Start-up included.

    python bench/forecast_sqlite.py BOOK.db 2027-01-01 2027-03-31
"""

from __future__ import annotations

import json
import sqlite3
import sys

CATEGORIES = ("commit", "probable", "upside", "at-risk", "lost")
LIKELIHOOD = {"commit": 95, "probable": 75, "upside": 40, "at-risk": 20, "lost": 0}
SPARK = "▁▂▃▄▅▆▇█"


def spark(values):
    low, high = 0, max(values)
    if high - low < 1:
        middle = (high + low) / 2
        low, high = middle - 0.5, middle + 0.5
    return "".join(SPARK[max(0, min(7, int((v - low) / (high - low) * 7 + 0.5)))] for v in values)


def main() -> None:
    book, start, end = sys.argv[1:4]
    conn = sqlite3.connect(book)
    rows = conn.execute(
        "SELECT a.owner, a.currency, a.arr_minor, f.category, f.expected_minor, f.likelihood FROM account a"
        " LEFT JOIN forecast f ON f.account_id = a.id AND f.renewal_date = a.renewal_date"
        " WHERE a.archived = 0 AND a.renewal_date IS NOT NULL AND a.renewal_date >= ? AND a.renewal_date <= ?",
        (start, end),
    )
    totals: dict[tuple[str, str], list] = {}
    for owner, currency, arr, category, expected, likelihood in rows:
        category = category or "probable"
        expected = arr if expected is None else expected
        likelihood = 0 if category == "lost" else (LIKELIHOOD[category] if likelihood is None else likelihood)
        t = totals.setdefault((owner or "(none)", currency), [0, 0, 0, 0, 0, dict.fromkeys(CATEGORIES, 0)])
        t[0] += 1
        t[1] += arr
        t[2] += min(expected, arr) if category == "commit" else 0
        t[3] += expected * likelihood // 100
        t[4] += 0 if category == "lost" else expected
        t[5][category] += expected
    out = []
    for (owner, currency), (n, available, committed, weighted, best, by_cat) in sorted(totals.items()):
        money = lambda v, c=currency: {"amount_minor": v, "currency": c}  # noqa: E731
        out.append(
            {
                "group": owner,
                "currency": currency,
                "renewals": n,
                "available": money(available),
                "committed": money(committed),
                "weighted": money(weighted),
                "best_case": money(best),
                "by_category": {k: money(v) for k, v in by_cat.items()},
                "mix": spark(list(by_cat.values())),
            }
        )
    encode = json.JSONEncoder(ensure_ascii=False).encode
    sys.stdout.write("[" + ",".join("\n  " + encode(r) for r in out) + ("\n]\n" if out else "]\n"))


if __name__ == "__main__":
    main()
