"""`csmctl demo`: a realistic sample book, the same for the same --as-of date.

Each capability adds its own step module (accounts now; touchpoints, onboarding, renewals...
later) to STEPS. A step gets the write session, today, a seeded random generator and the
accounts created so far, and returns a one-line summary.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from csmctl.demo import accounts, health, onboarding, renewals, risks, touchpoints

SEED = 20261123


@dataclass
class DemoContext:
    session: Any
    today: date
    now: datetime
    rng: random.Random
    accounts: list[Any] = field(default_factory=list)  # store.models.Account, in creation order
    rules: Any = None  # domain.touchpoints.Rules from the settings (cadence, contact kinds)
    profiles: Any = None  # the settings' health ProfileSet (built-in when None)


Step = Callable[[DemoContext], str]
STEPS: list[Step] = [
    accounts.fill,
    onboarding.fill,
    renewals.fill,
    touchpoints.fill,
    risks.fill,
    health.fill,
]  # health last: it scores what the others wrote

NEXT_COMMANDS = [
    ("csmctl account list", "the book, one line per account"),
    ("csmctl account list --renewing-within 90d --sort renewal", "what renews next"),
    ('csmctl account show "Northwind Logistics"', "one account with its contacts"),
    ("csmctl onboard status", "onboardings: On Track, Behind, Stuck"),
    ("csmctl renewal list", "renewals by window, with notice deadlines"),
    ("csmctl metric retention --explain", "retention over the last 12 months, with the arithmetic"),
    ("csmctl stale", "accounts not contacted within their cadence"),
    ("csmctl follow-up list", "follow-ups overdue, due today and this week"),
    ("csmctl today", "what needs you now, most urgent first"),
    ('csmctl health "Contoso Health" --explain', "a health score and every input behind it"),
    ("csmctl health movers --since 30d", "whose health dropped"),
    ("csmctl risk list --open", "risks being worked, with days in their stage"),
    ("csmctl forecast --by category", "this quarter's renewals: committed, weighted, best case"),
    ("csmctl book --by owner -o book.html", "the manager's page, with charts"),
]


def is_demo_book(database: Any) -> bool:
    """True when the book holds accounts and every one of them is the demo's: running the demo
    again there is a repeat, not a clash with real data."""
    from sqlmodel import select

    from csmctl.domain.accounts import name_key
    from csmctl.store.models import Account

    ours = {name_key(row[0]) for row in [*accounts.BOOK, *renewals.CHURNED]}
    with database.read() as session:
        keys = set(session.exec(select(Account.name_key)).all())
    return bool(keys) and keys <= ours


def fill(database: Any, *, today: date, now: datetime, rules: Any = None, profiles: Any = None) -> list[str]:
    """Write the sample in one transaction; returns the steps' summaries. ``rules`` and
    ``profiles`` are the settings' policy, so the sample is stale/healthy by the same rules the
    commands use on it."""
    from csmctl.domain.touchpoints import Rules

    with database.write() as session:
        ctx = DemoContext(session, today, now, random.Random(SEED), rules=rules or Rules(), profiles=profiles)
        return [step(ctx) for step in STEPS]
