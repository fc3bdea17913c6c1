"""Baseline for `csmctl stale -f json`: the same bytes from the sqlite3 module alone, with the
best query: each active account's newest contact as a correlated ORDER BY occurred_at DESC LIMIT 1
on ix_touchpoint_account_recent (account_id, occurred_at, kind, planned), a short backwards walk per account, where
csmctl's old aggregate scanned every touchpoint. The accounts are read in id order (``coalesce``
keeps the planner off ix_account_renewal), the index's own order: each walk starts next to the one
before, where renewal-date order made every one a random page read (1.9 against 0.6 s of SQLite on
the 300k book). Default policy: notes do not count, tier cadences.

    python bench/baselines/stale_json.py BOOK.db [--as-of 2026-11-23]
"""

import json
import sqlite3
import sys
from datetime import date, timedelta

from common import args

CADENCE = {"strategic": 14, "enterprise": 14, "mid-market": 30, "smb": 60, "scaled": 90}


def main() -> None:
    book, today, _ = args()
    end = f"{today + timedelta(days=1)} 00:00:00.000000"
    conn = sqlite3.connect(book)
    rows = conn.execute(
        "SELECT a.id, a.name, a.owner, a.tier, a.cadence_days, (SELECT t.occurred_at FROM touchpoint t"
        " WHERE t.account_id = a.id AND t.kind NOT IN ('note') AND t.planned = 0 AND t.occurred_at < ?"
        " ORDER BY t.occurred_at DESC LIMIT 1) FROM account a WHERE coalesce(a.archived, 0) = 0 ORDER BY a.id",
        (end,),
    )
    out = []
    for id_, name, owner, tier, own, last in rows:
        cadence = own or CADENCE.get(tier or "", 30)
        record = {"account_id": id_, "account": name, "owner": owner, "tier": tier, "cadence_days": cadence}
        if last is None:
            record.update(last_contact=None, due=None, days_since=None, days_over=None)
            out.append(((0, 0), name.casefold(), record))
            continue
        day = date.fromisoformat(last[:10])
        since = (today - day).days
        over = since - cadence
        if over > 0:
            record.update(
                last_contact=day.isoformat(),
                due=(day + timedelta(days=cadence)).isoformat(),
                days_since=since,
                days_over=over,
            )
            out.append(((1, -over), name.casefold(), record))
    out.sort(key=lambda entry: entry[:2])
    encode = json.JSONEncoder(ensure_ascii=False).encode
    body = ",\n  ".join(encode(record) for _, _, record in out)
    sys.stdout.write(f"[\n  {body}\n]\n" if out else "[]\n")


if __name__ == "__main__":
    main()
