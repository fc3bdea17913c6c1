"""The SQL translation of each shared predicate in ``csmctl.domain.predicates``, one beside
each: queries import these clauses and never re-spell the rule. A change to a rule changes both
halves here and in the domain module, and ``tests/agreement/`` checks they still agree."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from csmctl.domain.predicates import owner_key


def end_of(day: date) -> datetime:
    """The first moment after ``day`` (UTC): ``occurred_at < end_of(today)`` is 'by today'."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def owner_clause(owner_key_column: Any, wanted: str | None) -> Any:
    """``domain.predicates.owner_matches`` on the stored, indexed ``account.owner_key``."""
    key = owner_key(wanted) if wanted else None
    return sa.true() if key is None else owner_key_column == key


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
