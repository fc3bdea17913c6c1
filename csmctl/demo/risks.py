"""Demo risks and forecasts: risks in every stage, forecast categories with overrides, and
snapshots before past renewals, so `book`, `forecast` and `forecast accuracy` show something real.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csmctl.domain.dates import add_days

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.demo import DemoContext

# account, reason, severity, note, [(stage, days ago)] - the first entry opens the risk
RISKS = [
    (
        "Fabrikam Retail",
        "adoption/low-usage",
        "high",
        "Weekly active users down 40% since the reorg.",
        [("at-risk", 40), ("plan-in-place", 25), ("saving", 8)],
    ),
    ("Tailspin Travel", "champion-left", "medium", "Our champion moved to a competitor.", [("at-risk", 12)]),
    (
        "Litware Labs",
        "budget/cost-cutting",
        "high",
        "CFO froze tool spend until Q2.",
        [("at-risk", 30), ("plan-in-place", 10)],
    ),
    (
        "Proseware Analytics",
        "competitor/cheaper",
        "medium",
        "Evaluated a cheaper tool; stayed after the roadmap review.",
        [("at-risk", 95), ("saving", 60), ("recovered", 30)],
    ),
    (
        "Trey Research",
        "support-experience/slow-response",
        "low",
        "Two P1 tickets slow to close.",
        [("at-risk", 70), ("recovered", 40)],
    ),
]
EXPANSION = 1.2  # upside renewals expect this much more than today's ARR


def fill(ctx: DemoContext) -> str:
    import random

    from sqlmodel import select

    from csmctl.domain import forecast as fc
    from csmctl.store.forecast import set_forecast, take_snapshot
    from csmctl.store.models import ForecastSnapshot, RenewalEvent
    from csmctl.store.risks import close_risk, move_risk, open_risk

    # its own generator: the steps after this one draw the same numbers as before it existed
    rng = random.Random(ctx.today.toordinal())
    today, session = ctx.today, ctx.session
    by_name = {a.name: a for a in ctx.accounts}
    risky: dict[int, str] = {}
    for name, reason, severity, note, path in RISKS:
        account = by_name.get(name)
        if account is None:
            continue
        (first, opened), *rest = path
        risk = open_risk(session, account.id, reason, severity, note, add_days(today, -opened))
        session.flush()
        for stage, ago in rest:
            day = add_days(today, -ago)
            if stage in ("recovered", "lost"):
                close_risk(session, risk.id, stage, day)
            else:
                move_risk(session, risk.id, stage, day)
        if rest[-1:] and rest[-1][0] in ("recovered", "lost"):
            continue
        risky[account.id] = severity

    # Forecasts of the renewals in the next year: a first call 95 days ago, then overrides.
    horizon = add_days(today, 365)
    upcoming = [a for a in ctx.accounts if a.renewal_date and today <= a.renewal_date <= horizon]
    for account in upcoming:
        owner = account.owner
        set_forecast(
            session, account, add_days(today, -95), category="probable", who=owner, why="First call."
        )
    take_snapshot(session, add_days(today, -90), fc.DEFAULT_LIKELIHOOD)
    take_snapshot(session, add_days(today, -60), fc.DEFAULT_LIKELIHOOD)
    changed = 0
    for account in upcoming:
        days = (account.renewal_date - today).days
        tags = account.tags or ""
        kind: dict[str, Any]
        if account.id in risky:
            kind = dict(category="at-risk", why=f"Open {risky[account.id]} risk.")
        elif "expansion-opportunity" in tags:
            kind = dict(category="upside", expected=int(account.arr_minor * EXPANSION), why="Adding seats.")
        elif days <= 120 and rng.random() < 0.7:
            kind = dict(category="commit", why="Verbal yes from the sponsor.")
        else:
            continue
        day = add_days(today, -rng.randint(20, 45))
        changed += bool(set_forecast(session, account, day, who=account.owner, **kind))
    take_snapshot(session, add_days(today, -30), fc.DEFAULT_LIKELIHOOD)
    take_snapshot(session, today, fc.DEFAULT_LIKELIHOOD)

    # Past renewals: what was forecast 95, 65 and 35 days before them, so accuracy has a history.
    past = session.exec(select(RenewalEvent).where(RenewalEvent.renewal_date_before.is_not(None))).all()
    held = {tuple(r) for r in session.exec(select(ForecastSnapshot.account_id, ForecastSnapshot.taken))}
    frozen = 0
    for event in past:
        due = event.renewal_date_before
        if not add_days(today, -180) <= due <= today:
            continue
        for ago in (95, 65, 35):
            taken = add_days(due, -ago)
            if taken >= event.date or (event.account_id, taken) in held:
                continue
            held.add((event.account_id, taken))
            churned = event.arr_after_minor == 0
            category = "at-risk" if churned and ago < 60 else rng.choice(["commit", "probable"])
            session.add(
                ForecastSnapshot(
                    account_id=event.account_id,
                    taken=taken,
                    renewal_date=due,
                    category=category,
                    expected_minor=event.arr_before_minor,
                    likelihood=fc.DEFAULT_LIKELIHOOD[category],
                    currency=event.currency,
                )
            )
            frozen += 1
    session.flush()
    return (
        f"{len(RISKS)} risks in several stages; forecasts for {len(upcoming)} renewals "
        f"({changed} overridden) and {frozen} snapshots of past ones"
    )
