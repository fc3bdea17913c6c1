"""The rows behind `csmctl today`: a few set-based queries over the accounts in scope.

Follow-ups and onboarding tasks come through their (status, due date) indexes; renewals, notice
deadlines, staleness and health reuse one pass of the health inputs (store.health.gather_facts),
streamed: each account is scored and turned into items as its row arrives, and only the lines
shown are held (`domain.today.first`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl.domain.health import score_account
from csmctl.domain.risks import DEFAULT_QUIET_DAYS
from csmctl.domain.today import FALL_WINDOW_DAYS, NOTICE_WINDOW_DAYS, Item, candidates, first
from csmctl.domain.touchpoints import Rules, followup_bucket
from csmctl.store.database import connection_of
from csmctl.store.health import ROW_BATCH, gather_facts, snapshot_before
from csmctl.store.predicates import followup_open_clause
from csmctl.store.rows import dict_rows
from csmctl.store.tables import account as A
from csmctl.store.tables import checklist as C
from csmctl.store.tables import checklist_task as K
from csmctl.store.tables import play_firing as P
from csmctl.store.tables import touchpoint as T

if TYPE_CHECKING:
    from csmctl.store.database import Reader


def open_follow_ups(session: Reader, ids: sa.Select, today: date) -> Iterator[dict[str, Any]]:
    return dict_rows(connection_of(session), open_follow_ups_query(ids, today), ROW_BATCH)


def open_follow_ups_query(ids: sa.Select, today: date) -> sa.Select:
    """The open follow-ups due by ``today`` of the accounts ``ids``, each with the play that made
    it (found through ``ix_play_firing_touchpoint``, m009), if any."""
    return (
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


def due_tasks(session: Reader, ids: sa.Select, today: date) -> Iterator[dict[str, Any]]:
    query = (
        sa.select(
            K.c.id, K.c.position, K.c.name, K.c.due, C.c.account_id, A.c.name.label("account"), A.c.owner
        )
        .select_from(K.join(C, C.c.id == K.c.checklist_id).join(A, A.c.id == C.c.account_id))
        .where(K.c.status == "open", K.c.due <= today, C.c.status == "active", C.c.account_id.in_(ids))
    )
    return dict_rows(connection_of(session), query, ROW_BATCH)


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
    *,
    limit: int | None = None,
) -> tuple[list[Item], int]:
    """The first ``limit`` items of the queue ranked (all without a limit) and how many there are.
    The accounts stream through: each is scored (score and band alone, as `assess` without
    ``explain`` does) and turned into items as its row arrives, and only ``limit`` items are
    held, so an owner's whole book costs no memory per account."""
    from csmctl.store.risks import open_on

    rules = rules or Rules()
    cadence = rules.cadence
    risks = open_on(session, today, ids=ids)  # read once: a health input and the queue's own items
    earlier = snapshot_before(
        session, ids, today, on_or_after=today - timedelta(days=FALL_WINDOW_DAYS), earliest=True
    )
    follow_ups = list(open_follow_ups(session, ids, today))  # the owner's open ones due by today: few
    overdue: dict[int, int] = {}  # the health input, counted from them rather than read again
    for row in {r["id"]: r for r in follow_ups}.values():  # a touchpoint once, whatever joins to it
        if followup_bucket(row["follow_up_date"], today) == "overdue":
            overdue[row["account_id"]] = overdue.get(row["account_id"], 0) + 1
    gathered = gather_facts(
        session,
        ids,
        today,
        profiles.metric_names(),
        rules=rules,
        open_risks=risks,
        overdue_follow_ups=overdue,
        ordered=False,  # first() ranks the lines itself (names are unique: no tie to break)
    )

    def accounts() -> Iterator[dict[str, Any]]:
        for row, facts in gathered:
            profile = profiles.for_account(row["tier"], row["segment"])
            result = score_account(facts, profile, today, cadence, explain=False)
            row["last_contact"] = facts.last_contact
            row["cadence"] = rules.cadence_for(row["tier"], row["cadence_days"])
            row["score"], row["band"] = result.rounded, result.band
            row["earlier_score"] = earlier[row["id"]][1] if row["id"] in earlier else None
            yield row

    return first(
        candidates(
            today,
            follow_ups=follow_ups,
            tasks=due_tasks(session, ids, today),
            accounts=accounts(),
            book_has_contact=book_has_contact(session, rules.non_contact, today),
            notice_window=notice_window,
            risks=risks,
            quiet_days=quiet_days,
        ),
        limit,
    )
