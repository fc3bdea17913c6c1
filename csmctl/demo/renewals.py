"""Demo renewals: a year of recorded outcomes (two of them churns) and an auto-renewal to confirm,
so `csmctl metric retention` and `csmctl report renewals` show real numbers.

It writes the ledger behind the demo book's current ARR and renewal dates, and adds two former
customers (archived, so the active book stays as the accounts step made it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from csmctl.domain.dates import add_days, add_months
from csmctl.domain.money import Money, minor_exponent

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.demo import DemoContext

# Former customers, lost at their last renewal: name, domain, tier, currency, ARR, owner, days ago,
# reason code.
CHURNED = [
    (
        "Datum Corporation",
        "datum.example",
        "mid-market",
        "USD",
        62_000,
        "Dana Reyes",
        140,
        "budget/cost-cutting",
    ),
    ("Wingtip Toys", "wingtiptoys.example", "smb", "GBP", 9_800, "Marco Bianchi", 20, "competitor/cheaper"),
]
CONTRACTION_REASONS = ("adoption/low-usage", "budget/price-increase", "product-fit/missing-feature")
# Past its date with no recorded outcome and renewing itself: listed as "auto-renewed?".
AUTO_RENEWS = "Contoso Health"


def fill(ctx: DemoContext) -> str:
    from sqlmodel import select

    from csmctl.domain.accounts import name_key
    from csmctl.domain.renewals import plan_outcome
    from csmctl.store.accounts import add_account
    from csmctl.store.models import Account, RenewalEvent
    from csmctl.store.renewals import record_outcome

    rng, today = ctx.rng, ctx.today
    events = churned = 0
    for account in ctx.accounts:
        if account.name == AUTO_RENEWS:
            account.auto_renew = True
            ctx.session.add(account)
        previous = add_months(account.renewal_date, -account.term_months) if account.renewal_date else None
        if previous is None or not add_days(today, -365) < previous <= today:
            continue
        # Renewed during the last year: the ledger ends at today's ARR.
        after = account.arr_minor
        outcome = rng.choices(["renewed", "expanded", "contracted"], weights=[5, 3, 1])[0]
        factor = Decimal(
            rng.choice(["1.08", "1.15", "1.25"]) if outcome == "expanded" else rng.choice(["0.9", "0.8"])
        )
        step = 100 * 10 ** minor_exponent(account.currency)  # whole hundreds, like real price lists
        before = after if outcome == "renewed" else int(round(Decimal(after) / factor / step)) * step
        ctx.session.add(
            RenewalEvent(
                account_id=account.id,
                date=add_days(previous, -rng.randint(0, 12)),
                outcome=outcome,
                arr_before_minor=before,
                arr_after_minor=after,
                currency=account.currency,
                term_months=account.term_months,
                renewal_date_before=previous,
                created_at=ctx.now,
                reason=CONTRACTION_REASONS[events % len(CONTRACTION_REASONS)]
                if outcome == "contracted"
                else None,
            )
        )
        events += 1
    taken = set(ctx.session.exec(select(Account.name_key)).all())
    for name, domain, tier, currency, arr, owner, days_ago, reason in CHURNED:
        if name_key(name) in taken:
            continue
        renewal = add_days(today, -days_ago)
        account = add_account(
            ctx.session,
            {
                "name": name,
                "domain": domain,
                "tier": tier,
                "currency": currency,
                "owner": owner,
                "arr": Money.from_major(arr, currency),
                "stage": "at-risk",
                "renewal_date": renewal,
                "contract_start": add_months(renewal, -12),
                "term_months": 12,
                "notice_days": 30,
                "tags": ["renewal-risk"],
            },
            today=today,
            now=ctx.now,
        )
        plan = plan_outcome(
            outcome="churned",
            on=renewal,
            today=today,
            arr_before=Money(account.arr_minor, currency),
            arr_after=None,
            term_months=None,
            renewal_date=renewal,
            account_term=12,
        )
        record_outcome(
            ctx.session,
            account,
            plan,
            today=today,
            now=ctx.now,
            notes="Budget cut; chose a cheaper tool.",
            reason=reason,
        )
        events, churned = events + 1, churned + 1
    ctx.session.flush()
    return f"{events} renewal outcomes over the last year ({churned} churned)"
