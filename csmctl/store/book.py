"""The inputs of `csmctl book`: a handful of set-based queries over the accounts in scope, each
already answered by another feature's store function (health facts, risks, forecast, ledger)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from csmctl.domain import forecast as fc
from csmctl.domain.book import RENEWAL_HORIZON_DAYS, AccountState
from csmctl.domain.periods import trailing_year
from csmctl.domain.touchpoints import Rules, staleness
from csmctl.store import health
from csmctl.store.forecast import forecast_rows
from csmctl.store.risks import open_on


def _account_rows(session: Session, ids: sa.Select) -> list[tuple[Any, ...]]:
    """(id, owner, tier, cadence_days, arr_minor, currency) of the accounts in scope."""
    A = health.A
    query = sa.select(A.c.id, A.c.owner, A.c.tier, A.c.cadence_days, A.c.arr_minor, A.c.currency).where(
        A.c.id.in_(ids)
    )
    return [tuple(r) for r in session.connection().execute(query)]


def gather(
    session: Session,
    today: date,
    owner: str | None,
    rules: Rules,
    likelihood: Mapping[str, int],
    *,
    by_owner: bool,
) -> tuple[list[AccountState], list[tuple[str | None, str]], list[fc.Line], list[tuple]]:
    """(account states, open risks as (owner, stage), forecast lines of the renewals in the next
    90 days, retention as (owner or None, currency, GRR %, NRR %) over the trailing year)."""
    from csmctl.domain import metrics as m
    from csmctl.domain.renewal_report import entries_from_ledger, pending_from_accounts, pending_window
    from csmctl.store.renewals import ledger_rows, renewal_rows

    # Set-based over the whole book: the touchpoint aggregate `stale` and health use, and the
    # bands of the latest health snapshots (scoring 100k accounts again would take a minute).
    ids = health.scope(owner=owner)
    touch = health.touchpoint_facts(session, ids, today, rules.non_contact)
    bands = health.bands_on(session, ids, today)
    accounts = []
    for row in _account_rows(session, ids):
        facts = touch.get(row[0])
        last = facts.last_contact if facts else None
        accounts.append(
            AccountState(
                owner=row[1],
                arr=row[4],
                currency=row[5],
                touched=not staleness(last, rules.cadence_for(row[2], row[3]), today).stale,
                overdue_follow_ups=facts.overdue_follow_ups if facts else 0,
                band=bands.get(row[0]),
            )
        )
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
        retention.append((result.group, result.currency, m.percent(ratios["grr"]), m.percent(ratios["nrr"])))
    return accounts, risks, lines, retention
