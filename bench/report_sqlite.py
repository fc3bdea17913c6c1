"""Baseline for `csmctl report renewals -f md`: the same three queries with the raw sqlite3
module and a minimal Markdown table per bucket, written to a file. Start-up included.

    python bench/report_sqlite.py BOOK.db OUT.md [--as-of 2026-11-23]
"""

from __future__ import annotations

import sqlite3
import sys
from collections import defaultdict
from datetime import date, timedelta


def main() -> None:
    book, out = sys.argv[1], sys.argv[2]
    today = date.fromisoformat(sys.argv[4]) if len(sys.argv) > 4 else date(2026, 11, 23)
    until = today + timedelta(days=120)
    start = today.replace(year=today.year - 1) + timedelta(days=1)
    conn = sqlite3.connect(book)
    accounts = conn.execute(
        "SELECT id, name, owner, tier, stage, arr_minor, currency, renewal_date, auto_renew, notice_days,"
        " term_months, tags FROM account WHERE archived = 0 AND renewal_date IS NOT NULL AND renewal_date <= ?"
        " ORDER BY renewal_date, name_key",
        (until.isoformat(),),
    ).fetchall()
    ledger = conn.execute(
        "SELECT e.id, e.account_id, e.date, e.outcome, e.arr_before_minor, e.arr_after_minor, e.currency,"
        " e.term_months, e.renewal_date_before, e.notes, a.name, a.owner, a.tier FROM renewal_event e"
        " JOIN account a ON a.id = e.account_id WHERE e.date >= ? AND e.date <= ? ORDER BY e.date, e.id",
        (start.isoformat(), today.isoformat()),
    ).fetchall()
    pending = conn.execute(
        "SELECT id, arr_minor, currency FROM account WHERE archived = 0 AND renewal_date >= ? AND renewal_date <= ?",
        (start.isoformat(), (today - timedelta(days=1)).isoformat()),
    ).fetchall()
    buckets = defaultdict(list)
    for row in accounts:
        days = (date.fromisoformat(row[7]) - today).days
        key = (
            "overdue"
            if days < 0
            else "0-30"
            if days <= 30
            else "31-60"
            if days <= 60
            else "61-90"
            if days <= 90
            else "91-120"
        )
        notice = (date.fromisoformat(row[7]) - timedelta(days=row[9])).isoformat() if row[9] else ""
        buckets[key].append(
            f"| {row[1]} | {row[2] or ''} | {row[6]} {row[5] / 100:,.0f} | {row[7]} | {days} | {notice} |"
        )
    sums = defaultdict(lambda: [0, 0, 0])
    for row in ledger:
        s = sums[row[6]]
        s[0] += row[4]
        s[1] += row[5]
        s[2] += row[4] - row[5] if row[5] < row[4] else 0
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(f"# Renewal report {today}\n\n")
        for key in ("overdue", "0-30", "31-60", "61-90", "91-120"):
            handle.write(
                f"## {key} ({len(buckets[key])})\n\n| Account | Owner | ARR | Renewal | Days | Notice |\n"
            )
            handle.write("|---|---|---:|---|---:|---|\n" + "\n".join(buckets[key]) + "\n\n")
        for currency, (before, after, lost) in sorted(sums.items()):
            handle.write(f"- {currency}: GRR {(before - lost) / before:.1%}, NRR {after / before:.1%}\n")
        handle.write(f"\n{len(pending)} pending\n")


if __name__ == "__main__":
    main()
