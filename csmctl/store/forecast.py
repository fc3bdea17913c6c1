"""Renewal forecasts: the per-renewal forecast row, its override history, daily snapshots and the
outcomes accuracy is measured against. Functions take a Session.

A forecast belongs to one renewal: (account, renewal date). When the account rolls to its next
renewal, the old forecast stays with the old date and the new renewal starts from the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl.domain import forecast as rules
from csmctl.domain.accounts import utcnow
from csmctl.domain.money import Money
from csmctl.errors import InvalidValue
from csmctl.store.predicates import owner_clause
from csmctl.store.rows import dict_rows
from csmctl.store.tables import account as A
from csmctl.store.tables import forecast as F
from csmctl.store.tables import forecast_override as OV
from csmctl.store.tables import forecast_snapshot as S
from csmctl.store.tables import renewal_event as E

if TYPE_CHECKING:  # a read (`forecast`, `book`) runs on a Core connection: no SQLModel, no ORM
    from sqlmodel import Session

    from csmctl.store.database import Reader
    from csmctl.store.models import Account

SNAPSHOT_HORIZON_DAYS = 366  # renewals this far ahead are frozen by `forecast snapshot`


def forecast_rows(
    session: Reader, *, start: date | None, end: date | None, owner: str | None = None
) -> Iterator[dict[str, Any]]:
    """Active accounts renewing in [start, end], each with its forecast row's fields (or None)."""
    query = (
        sa.select(
            A.c.id,
            A.c.name,
            A.c.owner,
            A.c.tier,
            A.c.renewal_date,
            A.c.arr_minor,
            A.c.currency,
            F.c.category,
            F.c.expected_minor,
            F.c.likelihood,
        )
        .select_from(A)
        .outerjoin(F, sa.and_(F.c.account_id == A.c.id, F.c.renewal_date == A.c.renewal_date))
        .where(A.c.archived == sa.false(), A.c.renewal_date.is_not(None))
        .where(owner_clause(A.c.owner_key, owner))
    )
    if start is not None:
        query = query.where(A.c.renewal_date >= start)
    if end is not None:
        query = query.where(A.c.renewal_date <= end)
    yield from dict_rows(session, query.order_by(A.c.renewal_date, A.c.name_key))


def set_forecast(
    session: Session,
    account: Account,
    day: date,
    *,
    category: str | None = None,
    expected: int | None = None,
    likelihood: int | None = None,
    who: str | None = None,
    why: str | None = None,
) -> list[dict[str, Any]]:
    """Change the forecast of the account's next renewal; every changed field is written to the
    override history (who, when, from -> to, why). Returns the changes."""
    if account.renewal_date is None:
        raise InvalidValue(
            f"{account.name} has no renewal date to forecast.",
            f'Set one with `csmctl account edit "{account.name}" --renewal DATE`.',
        )
    row = session.execute(
        sa.select(F).where(F.c.account_id == account.id, F.c.renewal_date == account.renewal_date)
    ).first()
    current = dict(row._mapping) if row else {}
    wanted = {"category": category, "expected_minor": expected, "likelihood": likelihood}
    changes = []
    for field, value in wanted.items():
        if value is None or current.get(field) == value:
            continue
        old = current.get(field)
        changes.append(
            {"field": _LABEL[field], "old": _shown(field, old, account), "new": _shown(field, value, account)}
        )
    if not changes:
        return []
    values = {k: v for k, v in wanted.items() if v is not None}
    if row is None:
        session.execute(
            sa.insert(F).values(
                account_id=account.id,
                renewal_date=account.renewal_date,
                category=values.get("category", rules.DEFAULT_CATEGORY),
                expected_minor=values.get("expected_minor"),
                likelihood=values.get("likelihood"),
                updated_on=day,
            )
        )
    else:
        session.execute(sa.update(F).where(F.c.id == current["id"]).values(**values, updated_on=day))
    now = utcnow()
    for change in changes:
        session.execute(
            sa.insert(OV).values(
                account_id=account.id,
                renewal_date=account.renewal_date,
                changed_on=day,
                who=who,
                field=change["field"],
                old=change["old"],
                new=change["new"],
                why=why,
                created_at=now,
            )
        )
    return changes


_LABEL = {"category": "category", "expected_minor": "amount", "likelihood": "likelihood"}


def _shown(field: str, value: Any, account: Account) -> str | None:
    """An override's from/to as people read it (``USD 950,000.00``, ``75%``)."""
    if value is None:
        return None
    if field == "expected_minor":
        return str(Money(value, account.currency))
    return f"{value}%" if field == "likelihood" else str(value)


def overrides(session: Session, account_id: int) -> list[dict[str, Any]]:
    query = (
        sa.select(OV.c.renewal_date, OV.c.changed_on, OV.c.who, OV.c.field, OV.c.old, OV.c.new, OV.c.why)
        .where(OV.c.account_id == account_id)
        .order_by(OV.c.changed_on, OV.c.id)
    )
    return [dict(r._mapping) for r in session.execute(query)]


def take_snapshot(session: Session, day: date, defaults: Mapping[str, int]) -> int:
    """Freeze the forecast of every renewal in the next year as of ``day``; once per day (a second
    run on the same day adds nothing). Returns how many lines were frozen."""
    taken = set(session.execute(sa.select(S.c.account_id).where(S.c.taken == day)).scalars())
    batch: list[dict[str, Any]] = []
    count = 0
    for row in forecast_rows(session, start=day, end=day + timedelta(days=SNAPSHOT_HORIZON_DAYS)):
        if row["id"] in taken:
            continue
        item = rules.line(row, defaults)
        if item.expected is None:  # unknown ARR and no expected amount: nothing to freeze
            continue
        batch.append(
            {
                "account_id": item.account_id,
                "taken": day,
                "renewal_date": item.renewal_date,
                "category": item.category,
                "expected_minor": item.expected,
                "likelihood": item.likelihood,
                "currency": item.currency,
            }
        )
        if len(batch) >= 1000:
            session.execute(sa.insert(S), batch)
            count += len(batch)
            batch.clear()
    if batch:
        session.execute(sa.insert(S), batch)
        count += len(batch)
    return count


def accuracy_inputs(
    session: Session, start: date, end: date, owner: str | None = None
) -> tuple[list[rules.Outcome], list[rules.Snapshot]]:
    """Outcomes of renewals dated in [start, end] (their contract date) and the snapshots of
    those renewals."""
    query = (
        sa.select(
            E.c.account_id,
            A.c.name,
            A.c.owner,
            E.c.date,
            E.c.renewal_date_before,
            E.c.arr_after_minor,
            E.c.currency,
        )
        .join(A, A.c.id == E.c.account_id)
        .where(E.c.renewal_date_before.is_not(None))
        .where(E.c.renewal_date_before >= start, E.c.renewal_date_before <= end)
        .where(owner_clause(A.c.owner_key, owner))
        .order_by(E.c.renewal_date_before, A.c.name_key)
    )
    outcomes = [
        rules.Outcome(
            r.account_id, r.name, r.owner, r.date, r.renewal_date_before, r.arr_after_minor, r.currency
        )
        for r in session.execute(query)
    ]
    if not outcomes:
        return [], []
    snaps = sa.select(S).where(S.c.renewal_date >= start, S.c.renewal_date <= end)
    snapshots = [
        rules.Snapshot(
            r.account_id, r.taken, r.renewal_date, r.category, r.expected_minor, r.likelihood, r.currency
        )
        for r in session.execute(snaps)
    ]
    return outcomes, snapshots
