"""Baseline for `csmctl renewals --within 90d` in a pipe (plain-text table, NO_COLOR): the same
bytes from sqlite3 alone. Per bucket: a heading with the count and full-precision totals, then
the columns aligned to their widest cell (two spaces apart, money right-aligned, short amounts).

    python bench/baselines/renewals_table.py BOOK.db [--as-of 2026-11-23] [DAYS]
"""

import sys
from datetime import date, timedelta

from common import BUCKETS, args, bucket_of, cells, full, short, window

HEADERS = ("ACCOUNT", "OWNER", "ARR", "RENEWAL", "DAYS", "AUTO", "NOTICE BY", "NOTICE", "STATUS")
RIGHT = (False, False, True, False, True, False, False, False, False)
NOTICE = {"passed": "PASSED", "soon": "soon"}


def main() -> None:
    book, today, rest = args()
    days = int(rest[0]) if rest else 90
    by_key: dict[str, list[tuple]] = {}
    for _id, name, owner, _tier, _stage, arr, currency, renewal, auto, notice_days, _, _ in window(
        book, today, days
    ):
        day = date.fromisoformat(renewal)
        to_renewal = (day - today).days
        deadline = notice = ""
        if notice_days:
            due = day - timedelta(days=notice_days)
            deadline = due.isoformat()
            if to_renewal >= 0:
                to_notice = (due - today).days
                notice = "PASSED" if to_notice < 0 else "soon" if to_notice <= 14 else ""
        status = "" if to_renewal >= 0 else ("auto-renewed?" if auto else "overdue")
        by_key.setdefault(bucket_of(to_renewal), []).append(
            (
                name,
                owner or "",
                "unknown" if arr is None else short(arr, currency),
                renewal,
                str(to_renewal),
                "yes" if auto else "no",
                deadline,
                notice,
                status,
                arr,
                currency,
            )
        )
    out = []
    for key, label, _, _ in BUCKETS:
        rows = by_key.get(key)
        if not rows:
            continue
        if out:
            out.append("\n")
        sums: dict[str, int] = {}
        for row in rows:
            if row[9] is not None:
                sums[row[10]] = sums.get(row[10], 0) + row[9]
        heading = f"{label}: {len(rows)}"
        if sums:
            heading += " · " + ", ".join(full(v, c) for c, v in sorted(sums.items()))
        out.append(heading + "\n")
        table = [HEADERS, *(row[:9] for row in rows)]
        ascii_only = all(row[0].isascii() and row[1].isascii() for row in rows)
        width = len if ascii_only else cells
        widths = [max(width(row[i]) for row in table) for i in range(9)]
        for row in table:
            parts = [
                " " * (w - width(c)) + c if r else c + " " * (w - width(c))
                for c, w, r in zip(row, widths, RIGHT, strict=True)
            ]
            out.append("  ".join(parts).rstrip() + "\n")
    sys.stdout.write("".join(out))
    if not out:
        sys.stderr.write(f"No renewals in the next {days} days and none overdue.\n")


if __name__ == "__main__":
    main()
