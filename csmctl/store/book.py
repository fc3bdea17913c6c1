"""The inputs of `csmctl book`: a handful of set-based queries over the accounts in scope, each
already answered by another feature's store function (health facts and scores, risks, forecast,
ledger), so each number agrees with the command it comes from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from csmctl.collector import cycles_collected_after
from csmctl.domain import forecast as fc
from csmctl.domain.book import RENEWAL_HORIZON_DAYS, AccountState
from csmctl.domain.health import band_of
from csmctl.domain.health_profile import ProfileSet
from csmctl.domain.periods import trailing_year
from csmctl.domain.touchpoints import Rules, staleness
from csmctl.store import health
from csmctl.store.forecast import forecast_rows
from csmctl.store.risks import open_on

if TYPE_CHECKING:
    from csmctl.store.database import Reader


def gather(
    session: Reader,
    today: date,
    owner: str | None,
    rules: Rules,
    likelihood: Mapping[str, int],
    profiles: ProfileSet,
    *,
    by_owner: bool,
) -> tuple[list[AccountState], list[tuple[str | None, str]], list[fc.Line], list[tuple]]:
    """(account states, open risks as (owner, stage), forecast lines of the renewals in the next
    90 days, retention as (owner or None, currency, GRR %, NRR %) over the trailing year)."""
    from csmctl.domain import metrics as m
    from csmctl.domain.renewal_report import entries_from_ledger, pending_from_accounts, pending_window
    from csmctl.store.renewals import ledger_rows, renewal_rows

    with cycles_collected_after():
        # Health is scored live with the same facts, sub-scores, weights and bands as `health
        # --owner` (a stored snapshot may be old or missing, and then the manager's red count would
        # disagree with what the CSM sees), one account at a time into a small tuple: the book needs
        # the band, not the explanations. The same facts give `stale`'s last contact and the
        # overdue follow-ups, so the touchpoints are read once for all three.
        facts = health.gather_facts(
            session,
            health.scope(owner=owner),
            today,
            profiles.metric_names(),
            rules=rules,
            whole_book=owner is None,
            ordered=False,  # added up per owner: the order of the accounts does not matter
        )
        accounts = [
            AccountState(
                owner=row["owner"],
                arr=row["arr_minor"],
                currency=row["currency"],
                touched=not staleness(
                    fact.last_contact, rules.cadence_for(row["tier"], row["cadence_days"]), today
                ).stale,
                overdue_follow_ups=fact.overdue_follow_ups,
                band=band_of(fact, profiles.for_account(row["tier"], row["segment"]), today, rules.cadence),
            )
            for row, fact in facts
        ]
        risks = [(row["owner"], row["stage"]) for row in open_on(session, today, owner=owner)]
        lines = [
            fc.line(r, likelihood)
            for r in forecast_rows(
                session, start=today, end=today + timedelta(days=RENEWAL_HORIZON_DAYS), owner=owner
            )
        ]
        span = trailing_year(today)
        window = pending_window(span, today)
        by = "owner" if by_owner else None
        entries = entries_from_ledger(ledger_rows(session, start=span.start, end=today, owner=owner), by)
        pending = pending_from_accounts(
            renewal_rows(session, since=window[0], until=window[1], owner=owner) if window else [], by
        )
        retention = []
        for result in m.compute(entries, pending):
            ratios = result.ratios()
            retention.append(
                (result.group, result.currency, m.percent(ratios["grr"]), m.percent(ratios["nrr"]))
            )
    return accounts, risks, lines, retention
