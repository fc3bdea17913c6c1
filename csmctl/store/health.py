"""Health inputs, snapshots, history and movers: set-based queries over a scope of accounts.

Every input is one aggregate query over all accounts in scope (never one query per account), so
scoring the whole book costs a handful of queries. The inputs read the touchpoint, checklist and
metric tables directly: each switches on as soon as rows exist there.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl.domain.health import (
    SENTIMENT_SCORES,
    SENTIMENT_WINDOW_DAYS,
    HealthFacts,
    HealthResult,
    score_account,
)
from csmctl.domain.touchpoints import Rules
from csmctl.store.database import connection_of
from csmctl.store.predicates import active_clause, end_of, followup_open_clause, start_of
from csmctl.store.rows import as_date, dict_rows
from csmctl.store.tables import account as A
from csmctl.store.tables import checklist as C
from csmctl.store.tables import checklist_task as K
from csmctl.store.tables import health_snapshot as H
from csmctl.store.tables import metric_value as M
from csmctl.store.tables import touchpoint as T

if TYPE_CHECKING:
    from sqlmodel import Session

    from csmctl.store.database import Reader

ACCOUNT_COLUMNS = (
    A.c.id,
    A.c.name,
    A.c.owner,
    A.c.tier,
    A.c.segment,
    A.c.stage,
    A.c.cadence_days,
    A.c.nps,
    A.c.csat,
    A.c.renewal_date,
    A.c.notice_days,
    A.c.auto_renew,
    A.c.arr_minor,
    A.c.currency,
)
ROW_BATCH = 1000  # rows a streamed read holds at a time (5,000 account rows held ~3 MB)


def scope(*, owner: str | None = None, account_id: int | None = None) -> sa.Select:
    """The active accounts a command is about, as an id subquery every input query reuses."""
    query = sa.select(A.c.id).where(active_clause(owner, narrowed=account_id is not None))
    if account_id is not None:
        query = query.where(A.c.id == account_id)
    return query


FEELINGS = sorted(SENTIMENT_SCORES)  # the order of sentiment_query's columns


NO_SENTIMENTS: Mapping[str, int] = MappingProxyType({})  # shared by the many accounts without any


@dataclass(slots=True)  # one per account of a whole book: no __dict__ each
class TouchFacts:
    last_contact: date | None
    count: int
    overdue_follow_ups: int
    sentiments: Mapping[str, int]


def touchpoint_query(
    ids: sa.Select, today: date, non_contact: Iterable[str], *, whole_book: bool = False
) -> sa.Select:
    """account -> last contact (``contact_clause``: the same fact `stale` reports) and touchpoints
    so far. Only index columns (``ix_touchpoint_account_recent``: account, moment, kind, planned),
    so SQLite reads the covering index alone, for a whole book as for one owner's accounts."""
    from csmctl.store.predicates import contact_clause

    real = contact_clause(non_contact, today)
    query = sa.select(T.c.account_id, sa.func.max(sa.case((real, T.c.occurred_at))), sa.func.count())
    query = query.where(T.c.occurred_at < end_of(today))
    return (query if whole_book else query.where(T.c.account_id.in_(ids))).group_by(T.c.account_id)


def sentiment_query(ids: sa.Select, today: date, *, whole_book: bool = False) -> sa.Select:
    """account -> counts of each sentiment (``FEELINGS`` order) over the last
    ``SENTIMENT_WINDOW_DAYS`` of logged touchpoints.

    ``whole_book``: ``ids`` is the whole book, so one plain scan of the table grouped by account
    is cheaper than walking the account index and looking up each recent row (the sentiment is
    not in the index). ``account_id + 0`` is the portable way to keep the planner off the index
    (SQLite has no hint syntax in SQLAlchemy); it groups the same ids. The scan then reads
    archived accounts' rows too rather than testing every row against ``ids``: the caller looks
    its accounts up and never sees them."""
    since = start_of(today - timedelta(days=SENTIMENT_WINDOW_DAYS))
    key = (T.c.account_id + 0) if whole_book else T.c.account_id
    return (
        sa.select(key, *[sa.func.sum(sa.case((T.c.sentiment == f, 1), else_=0)) for f in FEELINGS])
        .where(
            T.c.occurred_at >= since,
            T.c.occurred_at < end_of(today),
            T.c.planned == sa.false(),
            T.c.sentiment.in_(FEELINGS),
            *([] if whole_book else [key.in_(ids)]),
        )
        .group_by(key)
    )


def overdue_follow_up_query(ids: sa.Select, today: date, *, whole_book: bool = False) -> sa.Select:
    """account -> follow-ups open on ``today`` and due before it (``ix_touchpoint_followup``: the
    few open ones, never the whole table)."""
    query = sa.select(T.c.account_id, sa.func.count()).where(
        followup_open_clause(T, today), T.c.follow_up_date < today
    )
    return (query if whole_book else query.where(T.c.account_id.in_(ids))).group_by(T.c.account_id)


def touchpoint_facts(
    session: Reader,
    ids: sa.Select,
    today: date,
    non_contact: Iterable[str],
    *,
    whole_book: bool = False,
    overdue: Mapping[int, int] | None = None,
) -> dict[int, TouchFacts]:
    """Per account in scope with touchpoints: last contact, touchpoints so far, overdue
    follow-ups and recent sentiment counts. Three queries, each the cheapest shape for its
    fact (one aggregate over every column read the whole table: 2.5x slower on the 100k book).
    ``whole_book``: ``ids`` is every active account; the rows of archived ones come back too and
    are never looked up. ``overdue``: account -> overdue follow-ups when the caller has counted
    them already (`today` lists the open ones anyway), so one query fewer."""
    conn = connection_of(session)
    out = {
        aid: TouchFacts(as_date(last), int(n), 0, NO_SENTIMENTS)
        for aid, last, n in conn.execute(touchpoint_query(ids, today, non_contact, whole_book=whole_book))
    }
    if overdue is None:
        query = overdue_follow_up_query(ids, today, whole_book=whole_book)
        overdue = {aid: n for aid, n in conn.execute(query)}
    for aid, n in overdue.items():
        out[aid].overdue_follow_ups = int(n)
    for row in conn.execute(sentiment_query(ids, today, whole_book=whole_book)):
        out[row[0]].sentiments = {f: int(n) for f, n in zip(FEELINGS, row[1:], strict=True) if n}
    return out


def onboarding_facts(session: Reader, ids: sa.Select, today: date) -> dict[int, tuple[int, int, int]]:
    """account -> (tasks, done or skipped, open and overdue) over its active checklists."""
    from csmctl.store.predicates import overdue_task_clause

    overdue = overdue_task_clause(today)
    finished = K.c.status.in_(("done", "skipped"))
    query = (
        sa.select(
            C.c.account_id,
            sa.func.count(K.c.id),
            sa.func.sum(sa.case((finished, 1), else_=0)),
            sa.func.sum(sa.case((overdue, 1), else_=0)),
        )
        .select_from(C.join(K, K.c.checklist_id == C.c.id))
        .where(C.c.account_id.in_(ids), C.c.status == "active")
        .group_by(C.c.account_id)
    )
    return {
        row[0]: (int(row[1]), int(row[2] or 0), int(row[3] or 0))
        for row in connection_of(session).execute(query)
    }


def latest_metrics(
    session: Reader, ids: sa.Select, today: date, names: Iterable[str]
) -> dict[int, dict[str, float]]:
    names = sorted(set(names))
    if not names:
        return {}
    latest = (
        sa.select(M.c.account_id, M.c.name, sa.func.max(M.c.date).label("day"))
        .where(M.c.account_id.in_(ids), M.c.name.in_(names), M.c.date <= today)
        .group_by(M.c.account_id, M.c.name)
        .subquery()
    )
    query = sa.select(M.c.account_id, M.c.name, M.c.value).join(
        latest,
        sa.and_(M.c.account_id == latest.c.account_id, M.c.name == latest.c.name, M.c.date == latest.c.day),
    )
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for account_id, name, value in connection_of(session).execute(query):
        out[account_id][name] = float(value)
    return out


def snapshot_before(
    session: Reader, ids: sa.Select, day: date, *, on_or_after: date | None = None, earliest: bool = False
) -> dict[int, tuple[date, int]]:
    """account -> (date, score) of its latest snapshot before ``day`` (or the earliest one in
    [on_or_after, day) with ``earliest``)."""
    pick = sa.func.min(H.c.date) if earliest else sa.func.max(H.c.date)
    inner = sa.select(H.c.account_id, pick.label("day")).where(H.c.account_id.in_(ids), H.c.date < day)
    if on_or_after is not None:
        inner = inner.where(H.c.date >= on_or_after)
    sub = inner.group_by(H.c.account_id).subquery()
    query = sa.select(H.c.account_id, H.c.date, H.c.score).join(
        sub, sa.and_(H.c.account_id == sub.c.account_id, H.c.date == sub.c.day)
    )
    return {row[0]: (as_date(row[1]), int(row[2])) for row in connection_of(session).execute(query)}


@dataclass
class AccountHealth:
    account: dict[str, Any]  # id, name, owner, tier, segment, stage, renewal_date, ...
    facts: HealthFacts
    result: HealthResult
    previous: tuple[date, int] | None  # the last snapshot before today


def account_rows(session: Reader, ids: sa.Select, *, ordered: bool = True) -> Iterator[dict[str, Any]]:
    """The accounts in scope by name (in no set order without ``ordered``: a caller that adds
    them up saves the sort), one dict at a time as the cursor hands them over."""
    query = sa.select(*ACCOUNT_COLUMNS).where(A.c.id.in_(ids))
    yield from dict_rows(
        connection_of(session), query.order_by(A.c.name_key) if ordered else query, ROW_BATCH
    )


def risk_facts(
    session: Reader, ids: sa.Select, today: date, open_risks: Iterable[Mapping[str, Any]] | None = None
) -> dict[int, dict[str, int]]:
    """account -> severity -> risks open on ``today`` (the ``risks`` health input); ``open_risks``:
    the scope's `open_on` rows when the caller has read them already."""
    from csmctl.store.risks import open_on

    out: dict[int, dict[str, int]] = {}
    for row in open_on(session, today, ids=ids) if open_risks is None else open_risks:
        counts = out.setdefault(row["account_id"], {})
        counts[row["severity"]] = counts.get(row["severity"], 0) + 1
    return out


def gather_facts(
    session: Reader,
    ids: sa.Select,
    today: date,
    metric_names: Iterable[str],
    accounts: list[dict[str, Any]] | None = None,
    rules: Rules | None = None,
    *,
    whole_book: bool = False,
    ordered: bool = True,
    open_risks: Iterable[Mapping[str, Any]] | None = None,
    overdue_follow_ups: Mapping[int, int] | None = None,
) -> Iterator[tuple[dict[str, Any], HealthFacts]]:
    """Each account in scope with its facts, one at a time (the inputs are read up front, each in
    one query; ``whole_book`` and ``overdue_follow_ups``: see `touchpoint_facts`; ``ordered``: see
    `account_rows`; ``open_risks``: see `risk_facts`)."""
    touch = touchpoint_facts(
        session,
        ids,
        today,
        (rules or Rules()).non_contact,
        whole_book=whole_book,
        overdue=overdue_follow_ups,
    )
    onboarding = onboarding_facts(session, ids, today)
    metrics = latest_metrics(session, ids, today, metric_names)
    risks = risk_facts(session, ids, today, open_risks)
    # read last and streamed: a whole book's rows are never all held at once
    accounts = account_rows(session, ids, ordered=ordered) if accounts is None else accounts
    no_touch = TouchFacts(None, 0, 0, NO_SENTIMENTS)
    for row in accounts:
        aid = row["id"]
        tp = touch.get(aid) or no_touch
        tasks = onboarding.get(aid)
        yield (
            row,
            HealthFacts(
                account_id=aid,
                tier=row["tier"],
                segment=row["segment"],
                cadence_days=row["cadence_days"],
                last_contact=tp.last_contact,
                has_touchpoints=tp.count > 0,
                sentiments=tp.sentiments,
                nps=row["nps"],
                csat=row["csat"],
                onboarding_total=tasks[0] if tasks else None,
                onboarding_overdue=tasks[2] if tasks else 0,
                renewal_date=row["renewal_date"],
                overdue_follow_ups=tp.overdue_follow_ups,
                metrics=metrics.get(aid, {}),
                open_risks=risks.get(aid, {}),
            ),
        )


def assess(
    session: Reader,
    ids: sa.Select,
    today: date,
    profiles,
    rules: Rules | None = None,
    accounts: list[dict[str, Any]] | None = None,
    *,
    explain: bool = True,
) -> list[AccountHealth]:
    """Score every account in scope (sorted by name), with its last snapshot before today.
    ``rules`` are the settings' touchpoint rules (cadence, what counts as contact); ``accounts``
    the scope's rows when the caller has read them already (at least ``ACCOUNT_COLUMNS``);
    without ``explain`` the results have a score and band but no inputs (`score_account`)."""
    rules = rules or Rules()
    cadence = rules.cadence
    gathered = gather_facts(session, ids, today, profiles.metric_names(), accounts=accounts, rules=rules)
    previous = snapshot_before(session, ids, today)
    out = []
    for row, facts in gathered:
        profile = profiles.for_account(row["tier"], row["segment"])
        out.append(
            AccountHealth(
                row,
                facts,
                score_account(facts, profile, today, cadence, explain=explain),
                previous.get(row["id"]),
            )
        )
    return out


def write_snapshots(
    session: Session, ids: sa.Select, today: date, results: Iterable[HealthResult]
) -> tuple[int, int]:
    """Store today's scores; running again the same day replaces them. (written, replaced).
    An account with no data has no score, so nothing is stored for it (its history keeps a gap
    rather than a false 0)."""
    conn = session.connection()
    replaced = conn.execute(sa.delete(H).where(H.c.date == today, H.c.account_id.in_(ids))).rowcount or 0
    rows = [
        {
            "account_id": r.account_id,
            "date": today,
            "score": r.rounded,
            "band": r.band,
            "measures": json.dumps(r.measures(), sort_keys=True, default=str),
        }
        for r in results
        if not r.no_data
    ]
    if rows:
        conn.execute(sa.insert(H), rows)
    return len(rows), replaced


def history(session: Reader, account_id: int, since: date | None, today: date) -> list[dict[str, Any]]:
    query = sa.select(H.c.date, H.c.score, H.c.band).where(H.c.account_id == account_id, H.c.date <= today)
    if since is not None:
        query = query.where(H.c.date >= since)
    rows = connection_of(session).execute(query.order_by(H.c.date))
    return [{"date": as_date(d), "score": int(s), "band": b} for d, s, b in rows]


def movers(session: Reader, ids: sa.Select, since: date, today: date) -> list[dict[str, Any]]:
    """Per account: the first snapshot on or after ``since`` and the latest up to today."""
    first = snapshot_before(session, ids, today + timedelta(days=1), on_or_after=since, earliest=True)
    last = snapshot_before(session, ids, today + timedelta(days=1), on_or_after=since)
    names = {}
    if first:
        query = sa.select(A.c.id, A.c.name, A.c.owner, A.c.tier).where(A.c.id.in_(ids))
        names = {r[0]: r for r in connection_of(session).execute(query)}
    out = []
    for aid, (then_day, then_score) in first.items():
        now_day, now_score = last[aid]
        if now_day <= then_day or aid not in names:
            continue
        _, name, owner, tier = names[aid]
        out.append(
            {
                "account_id": aid,
                "account": name,
                "owner": owner,
                "tier": tier,
                "from_date": then_day,
                "from_score": then_score,
                "to_date": now_day,
                "to_score": now_score,
                "change": now_score - then_score,
            }
        )
    out.sort(key=lambda r: (r["change"], r["account"].casefold()))
    return out
