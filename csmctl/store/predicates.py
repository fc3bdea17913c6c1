"""The SQL translation of each shared predicate in ``csmctl.domain.predicates``, one beside
each: queries import these clauses and never re-spell the rule. A change to a rule changes both
halves here and in the domain module, and ``tests/agreement/`` checks they still agree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from csmctl.domain.onboarding import OPEN
from csmctl.domain.predicates import owner_key
from csmctl.store.tables import account as A
from csmctl.store.tables import checklist_task
from csmctl.store.tables import touchpoint as T


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of ``day`` (touchpoint moments are stored in UTC):
    ``occurred_at >= start_of(since)`` is 'on or after since'."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def end_of(day: date) -> datetime:
    """The first moment after ``day`` (UTC): ``occurred_at < end_of(today)`` is 'by today'."""
    return start_of(day + timedelta(days=1))


def contact_clause(non_contact: Iterable[str], today: date) -> Any:
    """``domain.touchpoints.counts_as_contact`` as of ``today``: a logged (not planned) touchpoint
    up to the end of ``today`` of a kind not in ``non_contact``. Every query about contact (stale,
    health, today, brief, plays) uses this clause and nothing else."""
    return sa.and_(
        T.c.kind.notin_(sorted(set(non_contact))), T.c.planned == sa.false(), T.c.occurred_at < end_of(today)
    )


def newest_contact(account_id: Any, non_contact: Iterable[str], today: date) -> Any:
    """The newest touchpoint that counts as contact for ``account_id`` (a column or a value), as a
    scalar subquery: ``ORDER BY occurred_at DESC LIMIT 1`` walks ``ix_touchpoint_account_recent``
    backwards from the end of ``today`` and stops at the first entry whose ``kind``/``planned``
    (in the index: no table lookup) pass ``contact_clause``. A few index entries per account,
    where an aggregate reads every touchpoint of the book."""
    return (
        sa.select(T.c.occurred_at)
        .where(T.c.account_id == account_id, contact_clause(non_contact, today))
        .order_by(T.c.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def owner_clause(owner_key_column: Any, wanted: str | None) -> Any:
    """``domain.predicates.owner_matches`` on the stored, indexed ``account.owner_key``."""
    key = owner_key(wanted) if wanted else None
    return sa.true() if key is None else owner_key_column == key


def active_clause(owner: str | None = None, *, narrowed: bool = False) -> Any:
    """Active (not archived) accounts, of ``owner`` when given. When the owner (or a caller's
    account id: ``narrowed``) picks the rows, ``coalesce()`` keeps the planner on
    ``ix_account_owner_key`` or the primary key: on ``ix_account_renewal`` (archived first) it
    would read nearly the whole book."""
    if not owner and not narrowed:
        return A.c.archived == sa.false()
    return sa.and_(
        sa.func.coalesce(A.c.archived, sa.false()) == sa.false(), owner_clause(A.c.owner_key, owner)
    )


def followup_open_clause(touchpoint: Any, as_of: date) -> Any:
    """``domain.predicates.followup_open`` over the touchpoint table (``touchpoint.c``). Both
    branches of the OR start with ``follow_up_done``, so each can use ``ix_touchpoint_followup``."""
    c = touchpoint.c
    return sa.and_(
        c.follow_up_date.is_not(None),
        c.occurred_at < end_of(as_of),
        sa.or_(
            c.follow_up_done == sa.false(),
            sa.and_(c.follow_up_done == sa.true(), c.follow_up_done_on > as_of),
        ),
    )


def overdue_task_clause(today: date) -> Any:
    """``domain.onboarding.is_overdue`` over the task table: open and due before ``today``."""
    return sa.and_(checklist_task.c.status == OPEN, checklist_task.c.due < today)
