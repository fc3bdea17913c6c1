"""Demo health: a few weeks of usage and ticket metrics and weekly health snapshots, with a few
accounts sliding, so `health history`, `health movers` and the trend arrows show something."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.demo import DemoContext

WEEKS = 6
SLIDING = ("Contoso Health", "Fabrikam Retail", "Tailspin Travel", "Litware Labs")


def fill(ctx: DemoContext) -> str:
    import json
    import random

    import sqlalchemy as sa

    from csmctl.domain.health_profile import parse_profiles
    from csmctl.store import health as store
    from csmctl.store.models import HealthSnapshot, MetricValue

    # Its own generator: the history stays the same whatever the steps before it draw.
    rng, today = random.Random(7_2026), ctx.today
    ids = [a.id for a in ctx.accounts]
    if not ids:
        return "no health history (no demo accounts)"
    conn = ctx.session.connection()
    metrics = []
    for account in ctx.accounts:
        sliding = account.name in SLIDING
        usage = rng.randint(55, 90)
        for week in range(WEEKS + 2, -1, -1):
            day = today - timedelta(days=7 * week + 1)
            drift = -rng.randint(3, 7) if sliding else rng.randint(-3, 3)
            usage = max(5, min(100, usage + drift))
            metrics.append({"account_id": account.id, "name": "usage", "date": day, "value": float(usage)})
        tickets = rng.randint(4, 9) if sliding else rng.randint(0, 3)
        metrics.append(
            {
                "account_id": account.id,
                "name": "tickets",
                "date": today - timedelta(days=1),
                "value": float(tickets),
            }
        )
    conn.execute(sa.insert(MetricValue.__table__), metrics)
    ctx.session.flush()
    profiles = ctx.profiles or parse_profiles()[0]
    scope = store.scope().where(store.A.c.id.in_(ids))
    current = {
        a.account["id"]: a.result.rounded
        for a in store.assess(ctx.session, scope, today, profiles, ctx.rules)
    }
    bands = profiles.default.bands
    snapshots = []
    for account in ctx.accounts:
        now = current.get(account.id)
        if now is None:
            continue
        drop = rng.randint(20, 30) if account.name in SLIDING else 0
        for week in range(WEEKS, 0, -1):
            noise = rng.randint(-4, 4) if not drop else rng.randint(-2, 2)
            score = max(0, min(100, now + round(drop * week / WEEKS) + noise))
            snapshots.append(
                {
                    "account_id": account.id,
                    "date": today - timedelta(days=7 * week),
                    "score": score,
                    "band": bands.of(score),
                    "measures": json.dumps({"demo": True}),
                }
            )
    conn.execute(sa.insert(HealthSnapshot.__table__), snapshots)
    return f"{len(metrics)} metric values and {len(snapshots)} weekly health snapshots"
