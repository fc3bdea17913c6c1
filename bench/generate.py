"""A deterministic synthetic book for benchmarks and tests.

    python bench/generate.py PATH [--accounts 100000]

At the default size: 100k accounts across tiers and currencies, 300k contacts, 1M touchpoints over
two years, 10k onboarding checklists with 200k tasks, 50k renewal outcomes. Other sizes scale in
proportion. Seeded: the same arguments give the same book. Rows go in with bulk Core inserts
(executemany in chunks), never ORM objects one by one.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from csmctl.domain.accounts import name_key
from csmctl.domain.predicates import owner_key

TIERS = [("strategic", 0.02), ("enterprise", 0.13), ("mid-market", 0.35), ("smb", 0.4), ("scaled", 0.1)]
CURRENCIES = [("USD", 0.6), ("EUR", 0.2), ("GBP", 0.1), ("JPY", 0.05), ("CAD", 0.05)]
STAGES = ["onboarding", "adoption", "expansion", "renewal", "at-risk"]
WORDS = [
    "North",
    "Blue",
    "Quantum",
    "Summit",
    "Harbor",
    "Pine",
    "Vector",
    "Atlas",
    "Nimbus",
    "Cedar",
    "Orbit",
    "Lumen",
    "Granite",
    "Swift",
    "Echo",
    "Maple",
    "Iron",
    "Coral",
    "Delta",
    "Nova",
]
KINDS = ["Logistics", "Health", "Retail", "Labs", "Systems", "Foods", "Energy", "Media", "Bank", "Works"]
TOUCH_KINDS = ["call", "email", "meeting", "qbr", "note", "support", "email", "call"]
SENTIMENTS = [None, "positive", "neutral", "negative", "positive", "neutral"]
OWNERS = [f"CSM {i:02d}" for i in range(40)]
TASKS = [
    "Sales handoff",
    "Research goals",
    "Kickoff call",
    "Implementation plan",
    "Admin training",
    "Integrations",
    "Data import",
    "User training",
    "First value milestone",
    "30-day check-in",
    "60-day check-in",
    "90-day check-in",
    "Success plan review",
    "Executive alignment",
    "Usage review",
    "Support walkthrough",
    "Reporting setup",
    "Security review",
    "Go-live",
    "Handoff to adoption",
]
CHUNK = 20_000
TODAY = date(2026, 11, 23)


def sizes(accounts: int) -> dict[str, int]:
    return {
        "accounts": accounts,
        "contacts": accounts * 3,
        "touchpoints": accounts * 10,
        "checklists": max(1, accounts // 10),
        "tasks": max(1, accounts // 10) * len(TASKS),
        "renewal_events": accounts // 2,
    }


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _accounts(rng, n, now) -> Iterator[dict]:
    for i in range(1, n + 1):
        name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i:06d}"
        currency = _pick(rng, CURRENCIES)
        renewal = TODAY + timedelta(days=rng.randint(-60, 365))
        owner = rng.choice(OWNERS)
        yield {
            "id": i,
            "name": name,
            "name_key": name_key(name),
            "domain": f"acct{i}.example",
            "owner": owner,
            "owner_key": owner_key(owner),
            "tier": _pick(rng, TIERS),
            "segment": rng.choice(KINDS).lower(),
            "stage": rng.choice(STAGES),
            "stage_since": TODAY - timedelta(days=rng.randint(0, 400)),
            "arr_minor": rng.randint(5, 2000) * 1000 * (100 if currency != "JPY" else 150),
            "currency": currency,
            "contract_start": renewal - timedelta(days=365),
            "renewal_date": renewal,
            "term_months": 12,
            "auto_renew": rng.random() < 0.3,
            "notice_days": rng.choice([None, 30, 60, 90]),
            "nps": rng.choice([None, -10, 20, 40, 70]),
            "csat": rng.choice([None, 70, 85, 95]),
            "cadence_days": None,
            "tags": rng.choice(["", ",renewal-risk,", ",reference,", ""]),
            "notes": None,
            "external_id": f"EXT-{i}",
            "archived": rng.random() < 0.03,
            "created_at": now,
            "updated_at": now,
        }


def _contacts(rng, n, accounts, now) -> Iterator[dict]:
    for j in range(1, n + 1):
        account_id = rng.randint(1, accounts)
        yield {
            "id": j,
            "account_id": account_id,
            "name": f"Person {j}",
            "email": f"p{j}@acct{account_id}.example",
            "phone": None,
            "role": rng.choice(["VP Ops", "Admin", "CFO", "Lead"]),
            "champion": rng.random() < 0.2,
            "exec_sponsor": rng.random() < 0.1,
            "notes": None,
            "created_at": now,
        }


def _touchpoints(rng, n, accounts) -> Iterator[dict]:
    start = datetime.combine(TODAY - timedelta(days=730), time(9), tzinfo=UTC)
    for k in range(1, n + 1):
        when = start + timedelta(minutes=rng.randint(0, 730 * 24 * 60))
        follow = rng.random() < 0.1
        follow_date = (when + timedelta(days=rng.randint(1, 21))).date() if follow else None
        yield {
            "id": k,
            "account_id": rng.randint(1, accounts),
            "kind": rng.choice(TOUCH_KINDS),
            "occurred_at": when,
            "summary": f"Synthetic touchpoint {k}",
            "sentiment": rng.choice(SENTIMENTS),
            "follow_up_date": follow_date,
            "follow_up_text": "Send the recap" if follow else None,
            "follow_up_done": bool(follow and follow_date < TODAY - timedelta(days=14)),
            "follow_up_done_on": None,
            "tags": "",
            "planned": False,
            "created_at": when,
        }


def _checklists(rng, n, accounts, now) -> tuple[list[dict], list[dict]]:
    checklists, tasks = [], []
    task_id = 0
    for c in range(1, n + 1):
        anchor = TODAY - timedelta(days=rng.randint(0, 200))
        checklists.append(
            {
                "id": c,
                "account_id": rng.randint(1, accounts),
                "playbook": "standard",
                "anchor": anchor,
                "status": "active",
                "started_at": now,
                "completed_on": None,
            }
        )
        for position, name in enumerate(TASKS, start=1):
            task_id += 1
            due = anchor + timedelta(days=position * 5)
            done = due < TODAY and rng.random() < 0.7
            tasks.append(
                {
                    "id": task_id,
                    "checklist_id": c,
                    "position": position,
                    "name": name,
                    "phase": None,
                    "description": None,
                    "owner_role": "CSM",
                    "due": due,
                    "status": "done" if done else "open",
                    "done_on": due if done else None,
                    "notes": None,
                    "milestone": name == "First value milestone",
                    "first_value": name == "First value milestone",
                    "depends_on": "",
                }
            )
    return checklists, tasks


def _renewals(rng, n, accounts, now) -> Iterator[dict]:
    outcomes = [("renewed", 0.6), ("expanded", 0.2), ("contracted", 0.1), ("churned", 0.1)]
    for r in range(1, n + 1):
        outcome = _pick(rng, outcomes)
        before = rng.randint(5, 2000) * 100_000
        after = {
            "renewed": before,
            "expanded": int(before * 1.2),
            "contracted": int(before * 0.8),
            "churned": 0,
        }[outcome]
        yield {
            "id": r,
            "account_id": rng.randint(1, accounts),
            "date": TODAY - timedelta(days=rng.randint(0, 730)),
            "outcome": outcome,
            "arr_before_minor": before,
            "arr_after_minor": after,
            "currency": "USD",
            "term_months": 12,
            "renewal_date_before": None,
            "notes": None,
            "created_at": now,
        }


def _insert(conn, table, rows) -> int:
    from sqlalchemy import insert

    batch, count = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            conn.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        count += len(batch)
    return count


def generate(path: Path, *, accounts: int = 100_000, seed: int = 7) -> dict[str, int]:
    from csmctl.store.database import Database
    from csmctl.store.models import Account, Checklist, ChecklistTask, Contact, RenewalEvent, Touchpoint

    size = sizes(accounts)
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    db = Database(str(path))
    with db.write() as session:
        conn = session.connection()
        _insert(conn, Account.__table__, _accounts(rng, accounts, now))
        _insert(conn, Contact.__table__, _contacts(rng, size["contacts"], accounts, now))
        _insert(conn, Touchpoint.__table__, _touchpoints(rng, size["touchpoints"], accounts))
        checklists, tasks = _checklists(rng, size["checklists"], accounts, now)
        _insert(conn, Checklist.__table__, checklists)
        _insert(conn, ChecklistTask.__table__, tasks)
        _insert(conn, RenewalEvent.__table__, _renewals(rng, size["renewal_events"], accounts, now))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    db.dispose()
    return size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.path.exists():
        sys.exit(f"{args.path} exists; give a new path")
    print(generate(args.path, accounts=args.accounts, seed=args.seed))


if __name__ == "__main__":
    main()
