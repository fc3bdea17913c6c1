"""A deterministic synthetic book for benchmarks and tests: ``python bench/generate.py PATH --accounts N``.

Seeded, so the same arguments give the same book. Rows go in with bulk Core inserts (executemany),
not ORM objects one by one. Later capabilities add their tables here (touchpoints, tasks, ...).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

TIERS = [("strategic", 0.02), ("enterprise", 0.13), ("mid-market", 0.35), ("smb", 0.4), ("scaled", 0.1)]
CURRENCIES = [("USD", 0.6), ("EUR", 0.2), ("GBP", 0.1), ("JPY", 0.05), ("CAD", 0.05)]
STAGES = ["onboarding", "adoption", "expansion", "renewal", "at-risk"]
WORDS = ["North", "Blue", "Quantum", "Summit", "Harbor", "Pine", "Vector", "Atlas", "Nimbus", "Cedar",
         "Orbit", "Lumen", "Granite", "Swift", "Echo", "Maple", "Iron", "Coral", "Delta", "Nova"]
KINDS = ["Logistics", "Health", "Retail", "Labs", "Systems", "Foods", "Energy", "Media", "Bank", "Works"]
OWNERS = [f"CSM {i:02d}" for i in range(40)]


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def generate(path: Path, *, accounts: int, contacts_per_account: float = 3.0, seed: int = 7,
             today: date = date(2026, 11, 23)) -> dict[str, int]:
    from sqlalchemy import insert

    from csmctl.store.database import Database
    from csmctl.store.models import Account, Contact, RenewalEvent

    rng = random.Random(seed)
    db = Database(str(path))
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    account_rows, contact_rows = [], []
    for i in range(1, accounts + 1):
        name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i:06d}"
        tier = _pick(rng, TIERS)
        currency = _pick(rng, CURRENCIES)
        arr = rng.randint(5, 2000) * 1000 * (100 if currency != "JPY" else 150)
        renewal = today + timedelta(days=rng.randint(-60, 365))
        account_rows.append({
            "id": i, "name": name, "name_key": name.casefold(), "domain": f"acct{i}.example",
            "owner": rng.choice(OWNERS), "tier": tier, "segment": rng.choice(KINDS).lower(),
            "stage": rng.choice(STAGES), "stage_since": today - timedelta(days=rng.randint(0, 400)),
            "arr_minor": arr, "currency": currency, "contract_start": renewal - timedelta(days=365),
            "renewal_date": renewal, "term_months": 12, "auto_renew": rng.random() < 0.3,
            "notice_days": rng.choice([None, 30, 60, 90]), "nps": rng.choice([None, -10, 20, 40, 70]),
            "csat": rng.choice([None, 70, 85, 95]), "cadence_days": None,
            "tags": rng.choice(["", ",renewal-risk,", ",reference,", ""]), "notes": None,
            "external_id": f"EXT-{i}", "archived": rng.random() < 0.03, "created_at": now, "updated_at": now,
        })
    # The renewal ledger: each account's last renewal, when it fell in the past year.
    event_rows = []
    for row in account_rows:
        previous = row["renewal_date"] - timedelta(days=365)
        if previous > today - timedelta(days=365) and previous <= today:
            before = row["arr_minor"]
            outcome = rng.choices(["renewed", "expanded", "contracted", "churned"], [6, 2, 1, 1])[0]
            after = {"renewed": before, "expanded": before * 12 // 10, "contracted": before * 8 // 10,
                     "churned": 0}[outcome]
            event_rows.append({
                "account_id": row["id"], "date": previous, "outcome": outcome, "arr_before_minor": before,
                "arr_after_minor": after, "currency": row["currency"], "term_months": 12,
                "renewal_date_before": previous, "notes": None, "created_at": now,
            })
    target_contacts = int(accounts * contacts_per_account)
    for j in range(1, target_contacts + 1):
        account_id = rng.randint(1, accounts)
        contact_rows.append({
            "id": j, "account_id": account_id, "name": f"Person {j}", "email": f"p{j}@acct{account_id}.example",
            "phone": None, "role": rng.choice(["VP Ops", "Admin", "CFO", "Lead"]), "champion": rng.random() < 0.2,
            "exec_sponsor": rng.random() < 0.1, "notes": None, "created_at": now,
        })
    with db.write() as session:
        conn = session.connection()
        for start in range(0, len(account_rows), 20_000):
            conn.execute(insert(Account.__table__), account_rows[start:start + 20_000])
        for start in range(0, len(contact_rows), 20_000):
            conn.execute(insert(Contact.__table__), contact_rows[start:start + 20_000])
        for start in range(0, len(event_rows), 20_000):
            conn.execute(insert(RenewalEvent.__table__), event_rows[start:start + 20_000])
    db.dispose()
    return {"accounts": accounts, "contacts": target_contacts, "renewal_events": len(event_rows)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--contacts-per-account", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.path.exists():
        sys.exit(f"{args.path} exists; give a new path")
    print(generate(args.path, accounts=args.accounts, contacts_per_account=args.contacts_per_account, seed=args.seed))


if __name__ == "__main__":
    main()
