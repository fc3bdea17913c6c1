"""The rows behind `csmctl today`: a few set-based queries over the accounts in scope.

Follow-ups and onboarding tasks come through their (status, due date) indexes; renewals, notice
deadlines, staleness and health reuse one pass of the health inputs (store.health.assess).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl.domain.risks import DEFAULT_QUIET_DAYS
from csmctl.domain.today import FALL_WINDOW_DAYS, NOTICE_WINDOW_DAYS, Item, build_queue
from csmctl.domain.touchpoints import Rules
from csmctl.store.database import connection_of
from csmctl.store.health import assess, snapshot_before
from csmctl.store.predicates import followup_open_clause
from csmctl.store.tables import account as A
from csmctl.store.tables import checklist as C
from csmctl.store.tables import checklist_task as K
from csmctl.store.tables import play_firing as P
from csmctl.store.tables import touchpoint as T

if TYPE_CHECKING:
    from csmctl.store.database import Reader


def open_follow_ups(session: Reader, ids: sa.Select, today: date) -> list[dict[str, Any]]:
    query = (
        sa.select(
            T.c.id,
            T.c.account_id,
            A.c.name.label("account"),
            A.c.owner,
            T.c.follow_up_date,
            T.c.follow_up_text,
            T.c.summary,
            P.c.play,
        )
        .join(A, A.c.id == T.c.account_id)
        .outerjoin(P, P.c.touchpoint_id == T.c.id)  # a play's follow-up says which play
        .where(
            followup_open_clause(T, today),
            T.c.follow_up_date <= today,
            T.c.account_id.in_(ids),
        )
    )
    return [dict(r._mapping) for r in connection_of(session).execute(query)]


def due_tasks(session: Reader, ids: sa.Select, today: date) -> list[dict[str, Any]]:
    query = (
        sa.select(
            K.c.id, K.c.position, K.c.name, K.c.due, C.c.account_id, A.c.name.label("account"), A.c.owner
        )
        .select_from(K.join(C, C.c.id == K.c.checklist_id).join(A, A.c.id == C.c.account_id))
        .where(K.c.status == "open", K.c.due <= today, C.c.status == "active", C.c.account_id.in_(ids))
    )
    return [dict(r._mapping) for r in connection_of(session).execute(query)]


def book_has_contact(session: Reader, non_contact, today: date) -> bool:
    from csmctl.store.predicates import contact_clause

    query = sa.select(T.c.id).where(contact_clause(non_contact, today)).limit(1)
    return connection_of(session).execute(query).first() is not None


def queue(
    session: Reader,
    ids: sa.Select,
    today: date,
    profiles,
    rules: Rules | None = None,
    notice_window: int = NOTICE_WINDOW_DAYS,
    quiet_days: int = DEFAULT_QUIET_DAYS,
) -> list[Item]:
    from csmctl.store.risks import open_on

    rules = rules or Rules()
    assessed = assess(session, ids, today, profiles, rules, explain=False)  # score and band alone
    earlier = snapshot_before(
        session, ids, today, on_or_after=today - timedelta(days=FALL_WINDOW_DAYS), earliest=True
    )
    accounts = []
    for item in assessed:
        row = dict(item.account)
        row["last_contact"] = item.facts.last_contact
        row["cadence"] = rules.cadence_for(row["tier"], row["cadence_days"])
        row["score"], row["band"] = item.result.rounded, item.result.band
        row["earlier_score"] = earlier[row["id"]][1] if row["id"] in earlier else None
        accounts.append(row)
    return build_queue(
        today,
        follow_ups=open_follow_ups(session, ids, today),
        tasks=due_tasks(session, ids, today),
        accounts=accounts,
        book_has_contact=book_has_contact(session, rules.non_contact, today),
        notice_window=notice_window,
        risks=open_on(session, today, ids=ids),
        quiet_days=quiet_days,
    )
