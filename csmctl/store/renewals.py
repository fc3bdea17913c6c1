"""Renewal queries and the renewal ledger (``renewal_event``). The reads take a Core
connection and select from ``store.tables`` (the lean read path: no SQLModel or ORM import);
``record_outcome`` writes through the caller's Session.

Set-based: one query over ``account`` (index ``ix_account_renewal``: archived, renewal_date)
for the renewal window, one over ``renewal_event`` (index ``ix_renewal_event_date``) for a
period. Never a query per account.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl import errors
from csmctl.store.predicates import active_clause, owner_clause
from csmctl.store.rows import dict_rows, tuple_rows
from csmctl.store.tables import account as _account
from csmctl.store.tables import renewal_event as _event

if TYPE_CHECKING:  # the ORM is for record_outcome only
    from sqlmodel import Session

    from csmctl.domain.metrics import LedgerTotals
    from csmctl.domain.renewals import Outcome
    from csmctl.store.database import Reader
    from csmctl.store.models import Account, RenewalEvent

_RENEWAL_COLUMNS = (
    "id",
    "name",
    "owner",
    "tier",
    "stage",
    "arr_minor",
    "currency",
    "renewal_date",
    "auto_renew",
    "notice_days",
    "term_months",
    "tags",
    "updated_at",  # when the account was last revised: a calendar event's SEQUENCE and DTSTAMP
)


_EVENT_COLUMNS = (
    "id",
    "account_id",
    "date",
    "outcome",
    "arr_before_minor",
    "arr_after_minor",
    "currency",
    "term_months",
    "renewal_date_before",
    "notes",
    "reason",
)


# What the report's window reads: every renewal column but updated_at (only a calendar needs it,
# and a datetime parsed per row is a tenth of the window query's cost).
_REPORT_COLUMNS = tuple(name for name in _RENEWAL_COLUMNS if name != "updated_at")


def renewal_query(
    *,
    until: date | None,
    owner: str | None = None,
    since: date | None = None,
    columns: tuple[str, ...] = _RENEWAL_COLUMNS,
    by_name: bool = True,
) -> sa.Select:
    """Active accounts with a renewal date on or before ``until`` (overdue ones included, or from
    ``since`` when given), by date then name (``by_name=False``: by date only, in the index's
    order with no sort step, for a reader that puts each date's renewals in order itself, as
    ``domain.renewals.iter_renewals`` does). With an owner, ``active_clause`` keeps the planner
    on ``ix_account_owner_key`` (one CSM's accounts) rather than the whole window's range."""
    table = _account
    query = sa.select(*[table.c[name] for name in columns]).where(
        active_clause(owner), table.c.renewal_date.is_not(None)
    )
    if until is not None:
        query = query.where(table.c.renewal_date <= until)
    if since is not None:
        query = query.where(table.c.renewal_date >= since)
    return query.order_by(table.c.renewal_date, *([table.c.name_key] if by_name else []))


def renewal_rows(
    connection: Reader,
    *,
    until: date | None,
    owner: str | None = None,
    since: date | None = None,
    columns: tuple[str, ...] = _RENEWAL_COLUMNS,
    by_name: bool = True,
) -> Iterator[dict[str, Any]]:
    """``renewal_query``'s rows as plain dicts."""
    query = renewal_query(until=until, owner=owner, since=since, columns=columns, by_name=by_name)
    yield from dict_rows(connection, query)


def renewal_tuples(
    connection: Reader, *, until: date | None, owner: str | None = None, columns: tuple[str, ...]
) -> Iterator[tuple[Any, ...]]:
    """``renewal_query``'s rows as tuples of ``columns``, by date only: what a table reads (a few
    columns, no dict per row; ``domain.renewals.table_buckets`` orders each date's)."""
    yield from tuple_rows(connection, renewal_query(until=until, owner=owner, columns=columns, by_name=False))


def renewal_day_totals(
    connection: Reader, *, until: date | None, owner: str | None = None
) -> Iterator[tuple[date, str, int, int | None, int]]:
    """Per renewal date and currency of ``renewal_query``'s window: (date, currency, renewals,
    sum of the known ARR or None, renewals whose ARR is known). A few hundred rows, whatever the
    book's size: what ``domain.renewals.bucket_heads`` needs before the renewals are streamed."""
    window = renewal_query(
        until=until, owner=owner, columns=("renewal_date", "currency", "arr_minor"), by_name=False
    ).subquery()
    query = sa.select(
        window.c.renewal_date,
        window.c.currency,
        sa.func.count(),
        sa.func.sum(window.c.arr_minor),
        sa.func.count(window.c.arr_minor),
    ).group_by(window.c.renewal_date, window.c.currency)
    for day, currency, count, known_sum, known in connection.execute(query):
        yield day, currency, count, None if known_sum is None else int(known_sum), known


def ledger_rows(
    connection: Reader,
    *,
    start: date | None = None,
    end: date | None = None,
    account_id: int | None = None,
    owner: str | None = None,
    newest_first: bool = False,
) -> Iterator[dict[str, Any]]:
    """Renewal events (oldest first, or newest first) joined with their account's name, owner and
    tier."""
    event, account = _event, _account
    query = (
        sa.select(
            *[event.c[name] for name in _EVENT_COLUMNS], account.c.name, account.c.owner, account.c.tier
        )
        .join(account, account.c.id == event.c.account_id)
        .where(owner_clause(account.c.owner_key, owner))
    )
    if start is not None:
        query = query.where(event.c.date >= start)
    if end is not None:
        query = query.where(event.c.date <= end)
    if account_id is not None:
        query = query.where(event.c.account_id == account_id)
    order = (event.c.date.desc(), event.c.id.desc()) if newest_first else (event.c.date, event.c.id)
    yield from dict_rows(connection, query.order_by(*order))


def ledger_totals_query(*, start: date, end: date, owner: str | None = None) -> sa.Select:
    """Renewal events from ``start`` to ``end`` (a range on ``ix_renewal_event_date``) summed per
    currency into ``domain.metrics.LedgerTotals``' columns: what the period's retention metrics
    count, a row per currency however long the ledger. No account is joined but to filter by
    owner. The CASEs are ``domain.metrics._is_churn`` and ``Metrics.terms`` in SQL (the report =
    ``metric retention`` agreement tests hold them together)."""
    event = _event
    before, after = event.c.arr_before_minor, event.c.arr_after_minor
    churn = sa.and_(after == 0, sa.or_(before > 0, event.c.outcome == "churned"))
    query = sa.select(
        event.c.currency,
        sa.func.count(),
        sa.func.sum(before),
        sa.func.sum(sa.case((churn, 0), (after > before, after - before), else_=0)),
        sa.func.sum(sa.case((churn, 0), (after < before, before - after), else_=0)),
        sa.func.sum(sa.case((churn, before), else_=0)),
        sa.func.sum(after),
        sa.func.sum(sa.case((churn, 1), else_=0)),
    ).where(event.c.date >= start, event.c.date <= end)
    if owner:
        query = query.join(_account, _account.c.id == event.c.account_id).where(
            owner_clause(_account.c.owner_key, owner)
        )
    return query.group_by(event.c.currency)


def ledger_totals(
    connection: Reader, *, start: date, end: date, owner: str | None = None
) -> Iterator[LedgerTotals]:
    """``ledger_totals_query``'s rows (PostgreSQL sums bigints as numeric: back to int)."""
    from csmctl.domain.metrics import LedgerTotals

    for currency, *numbers in connection.execute(ledger_totals_query(start=start, end=end, owner=owner)):
        yield LedgerTotals(currency, *(int(n) for n in numbers))


def pending_counts(
    connection: Reader, *, since: date, until: date, owner: str | None = None
) -> dict[str, int]:
    """Per currency, the contracts ``renewal_query`` finds from ``since`` to ``until``: the report's
    pending renewals (``domain.renewal_report.pending_window``), counted in SQL rather than held."""
    window = renewal_query(since=since, until=until, owner=owner, columns=("currency",)).order_by(None)
    counted = window.with_only_columns(_account.c.currency, sa.func.count()).group_by(_account.c.currency)
    return {currency: count for currency, count in connection.execute(counted)}


def record_outcome(
    session: Session,
    account: Account,
    outcome: Outcome,
    *,
    today: date,
    now: datetime,
    notes: str | None = None,
    reason: str | None = None,
) -> RenewalEvent:
    """Append the outcome to the ledger and roll (or archive) the account: the caller's one
    transaction covers both, so either both happen or neither."""
    from csmctl.store.models import RenewalEvent

    if account.archived:
        raise errors.Conflict(
            f"{account.name} is archived; its renewals are closed.",
            f"Bring it back first with `csmctl account unarchive {account.id}`.",
        )
    event_table = _event
    same_day = (
        session.connection()
        .execute(
            sa.select(sa.func.count())
            .select_from(event_table)
            .where(event_table.c.account_id == account.id, event_table.c.date == outcome.date)
        )
        .scalar()
    )
    if same_day:
        raise errors.Conflict(
            f"{account.name} already has a renewal outcome on {outcome.date.isoformat()}.",
            f"See `csmctl renewal history {account.id}`.",
        )
    event = RenewalEvent(
        account_id=account.id,
        date=outcome.date,
        outcome=outcome.outcome,
        arr_before_minor=outcome.arr_before.amount_minor,
        arr_after_minor=outcome.arr_after.amount_minor,
        currency=outcome.arr_before.currency,
        term_months=outcome.term_months,
        renewal_date_before=outcome.renewal_date_before,
        notes=notes,
        reason=reason,
        created_at=now,
    )
    session.add(event)
    if outcome.archive:
        account.archived = True
        if account.stage != "churned":
            account.stage, account.stage_since = "churned", outcome.date
    else:
        account.arr_minor = outcome.arr_after.amount_minor
        account.term_months = outcome.term_months
        account.contract_start = outcome.renewal_date_before or outcome.date
        account.renewal_date = outcome.new_renewal_date
    account.updated_at = now
    session.add(account)
    session.flush()
    return event


def load_report_rows(
    connection: Reader,
    *,
    today: date,
    until: date,
    period_start: date,
    period_end: date,
    pending_window: tuple[date, date] | None,
    recent_window: tuple[date, date] | None,
    owner: str | None = None,
) -> dict[str, Any]:
    """Everything the report needs: the renewal window (one query over accounts, streamed), the
    period's ledger summed per currency (one query over renewal_event), the recent outcomes in
    full (the same index, a few weeks of it, streamed) and the contracts due in the period with
    no outcome yet counted per currency (one more range query on the account index). Nothing
    here grows with the ledger or the overdue contracts but what is streamed: consume the
    streams inside the transaction."""
    return {
        # by date only: build_report puts each date's renewals in name order (iter_renewals), so
        # a SQL sort by name would be done twice (a temporary B-tree, ~12 % of the read at 300k)
        "accounts": renewal_rows(
            connection, until=until, owner=owner, columns=_REPORT_COLUMNS, by_name=False
        ),
        "totals": list(
            ledger_totals(connection, start=period_start, end=min(period_end, today), owner=owner)
        ),
        "recent": ledger_rows(
            connection, start=recent_window[0], end=recent_window[1], owner=owner, newest_first=True
        )
        if recent_window is not None
        else iter(()),
        "pending": pending_counts(connection, since=pending_window[0], until=pending_window[1], owner=owner)
        if pending_window is not None
        else {},
    }
