"""Plays against the book: each account's facts, the firings (one per play, account and
episode), the actions, and the history behind `play history` / `play stats`.

Facts come from the computations the rest of csmctl already uses, never a second copy of a rule:
health from ``store.health`` (scores, snapshots), the last contact from `stale`'s own
``predicates.newest_contact`` (``contact_clause``), the notice deadline from
``domain.accounts.notice_deadline``, onboarding state from ``domain.onboarding.state_of`` (the rule
``assess`` applies), cadence from the settings' ``Rules``; tests/agreement/test_plays_agree.py
holds them to the commands. Only the fact groups the plays read are gathered, each as one
set-based query, and kept as columns (one list per fact, ``BookFacts``). Each condition is
compiled once per run and answered for the whole book at once (``conditions.compile_columns``);
``evaluate`` runs only where it fired, for the reasons (``conditions.compile_column_reasons``,
once per combination of the facts a condition reads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import compress
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from csmctl.documents.play import Play, due_on, episode_key
from csmctl.domain import conditions
from csmctl.domain.touchpoints import Rules
from csmctl.errors import Conflict, InvalidValue
from csmctl.store.health import ACCOUNT_COLUMNS, snapshot_before
from csmctl.store.models import Contact
from csmctl.store.rows import dict_rows
from csmctl.store.tables import account as A
from csmctl.store.tables import play_firing as F
from csmctl.store.tables import touchpoint as T

RISK_OPENED = "risk #"  # how a firing's actions record a risk it opened (`play stats` counts them)
RECORDED_WITHIN_DAYS = 90  # renewal.recorded: an outcome this recent (domain.health's renewal window)


@dataclass
class Book:
    """What fact gathering needs from the settings."""

    profiles: Any  # health profiles (store.health.assess)
    rules: Rules
    stuck_days: int


def _groups(needed: Iterable[str]) -> set[str]:
    return {name.split(".")[0] for name in needed}


# What fact gathering reads of each account, in the order account_facts unpacks it.
FACT_COLUMNS = (
    A.c.id,
    A.c.name,
    A.c.owner,
    A.c.renewal_date,
    A.c.notice_days,
    A.c.tier,
    A.c.cadence_days,
    A.c.nps,
    A.c.csat,
    A.c.stage,
    A.c.auto_renew,
)


@dataclass
class BookFacts:
    """The accounts in scope (sorted by name) and their facts as columns: ``columns[fact][i]`` is
    the fact of the account ``ids[i]`` (None: unknown), only for the facts the plays read."""

    scope: sa.Select
    ids: list[int]
    names: list[str]
    owners: list[str | None]
    renewals: list[date | None]
    columns: dict[str, list[Any]]
    accounts: dict[int, dict[str, Any]] = field(default_factory=dict)
    stored: dict[int, dict[str, Any]] | None = None

    def account(self, session: Session, aid: int) -> dict[str, Any]:
        """The account's tags, stage and stage_since for an action to change, kept current across
        the run's plays (a later play's actions see an earlier one's changes). Read for the whole
        scope when an action first asks: a dry run never does."""
        row = self.accounts.get(aid)
        if row is None:
            if self.stored is None:
                query = self.scope.with_only_columns(A.c.id, A.c.tags, A.c.stage, A.c.stage_since)
                self.stored = {r["id"]: r for r in dict_rows(session.connection(), query)}
            row = self.accounts[aid] = self.stored.pop(aid)
        return row


def account_facts(session: Session, ids: sa.Select, today: date, needed: set[str], book: Book) -> BookFacts:
    """Every account in scope (``ids``: ``store.health.scope``) with the facts in ``needed``."""
    from csmctl.domain.accounts import days_to, notice_deadline
    from csmctl.domain.fields import load_tags
    from csmctl.domain.today import FALL_WINDOW_DAYS

    groups = _groups(needed)
    earlier = (
        snapshot_before(
            session, ids, today, on_or_after=today - timedelta(days=FALL_WINDOW_DAYS), earliest=True
        )
        if "health.drop_30d" in needed
        else {}
    )
    tag_facts = [(name, name[4:]) for name in needed if name.startswith("tag.")]
    # The scope's own query with the columns read here (no id subquery); the account row as well
    # for the accounts health scores: all of them, or (for the drop alone) those with a snapshot
    # to drop from. Read in batches into columns, each repeated value kept once: a large book's
    # rows never sit in memory all at once.
    read = FACT_COLUMNS + ((A.c.tags,) if tag_facts else ())
    every = bool(needed & {"health.score", "health.band"})
    scoring = "health" in groups and bool(every or earlier)
    if scoring:
        read += tuple(c for c in ACCOUNT_COLUMNS if c.key not in {f.key for f in read})
    keys = [c.key for c in read]
    kept = len(FACT_COLUMNS) + (1 if tag_facts else 0)
    values: list[list[Any]] = [[] for _ in range(kept)]
    # The columns whose values repeat across a book (not ids, names or small numbers)
    repeats = {"owner", "renewal_date", "tier", "stage", "tags"}
    shared: list[Callable[[Any, Any], Any] | None] = [
        {}.setdefault if c.key in repeats else None for c in read[:kept]
    ]
    scored: list[dict[str, Any]] = []
    result = session.connection().execute(ids.with_only_columns(*read).order_by(A.c.name_key))
    for batch in result.partitions(5000):
        for column, once, cells in zip(values, shared, zip(*batch, strict=True), strict=False):
            column.extend(cells if once is None else map(once, cells, cells))
        if scoring:
            scored += [dict(zip(keys, row, strict=True)) for row in batch if every or row[0] in earlier]
    account_ids, names, owners, renewals, notice, tiers, cadence_days, nps, csat, stages, auto = values[:11]
    tags = values[11] if tag_facts else []
    del shared, values
    n = len(account_ids)
    out = BookFacts(ids, account_ids, names, owners, renewals, {})
    columns = out.columns
    health: dict[int, Any] = {}
    last_contact: dict[int, date | None] = {}
    if scored:  # scoring is the costly part
        from csmctl.store.health import assess

        # only the score, the band and the last contact are read: no inputs explained
        for item in assess(session, ids, today, book.profiles, book.rules, accounts=scored, explain=False):
            health[item.account["id"]] = item.result
            last_contact[item.account["id"]] = item.facts.last_contact
        del scored
    results = [health.get(aid) for aid in account_ids]
    if "health.score" in needed or "health.band" in needed:
        columns["health.score"] = [None if r is None else r.rounded for r in results]
        columns["health.band"] = [None if r is None else r.band for r in results]
    if "health.drop_30d" in needed:
        columns["health.drop_30d"] = [
            None if r is None or r.rounded is None or aid not in earlier else earlier[aid][1] - r.rounded
            for aid, r in zip(account_ids, results, strict=True)
        ]
    if "contact" in groups:
        if len(health) < n:
            last_contact = _last_contact(session, ids, today, book.rules)
        columns["contact.days_since"] = _days_column([last_contact.get(aid) for aid in account_ids], today)
    if "renewal.days" in needed:
        # Pure in one date a book shares across many accounts: computed once per distinct date.
        days = {day: days_to(day, today) for day in dict.fromkeys(renewals)}
        columns["renewal.days"] = [days[day] for day in renewals]
    if "renewal.recorded" in needed:
        recorded = _recorded(session, ids, today)
        columns["renewal.recorded"] = [aid in recorded for aid in account_ids]
    if "notice.days" in needed:  # a calendar computation: once per distinct (renewal, notice days)
        pairs = list(zip(renewals, notice, strict=True))
        deadlines = {
            pair: days_to(notice_deadline(*pair), today) if pair[1] else None for pair in dict.fromkeys(pairs)
        }
        columns["notice.days"] = [deadlines[pair] for pair in pairs]
    if "cadence" in needed:
        pairs = list(zip(tiers, cadence_days, strict=True))
        cadences = {pair: book.rules.cadence_for(*pair) for pair in dict.fromkeys(pairs)}
        columns["cadence"] = [cadences[pair] for pair in pairs]
    for name, values in (("nps", nps), ("csat", csat), ("stage", stages), ("tier", tiers)):
        if name in needed:
            columns[name] = values
    if "auto_renew" in needed:
        columns["auto_renew"] = [bool(v) for v in auto]
    for group, flag in (("champion", Contact.champion), ("sponsor", Contact.exec_sponsor)):
        if group in groups:
            last = _last_with(session, today, book.rules, flag)
            columns[f"{group}.days_since"] = _days_column(
                [last.get(aid, _NONE) for aid in account_ids], today
            )
    if "onboarding" in groups:
        onboarding = _onboarding(session, ids, today, book.stuck_days)
        states = [onboarding.get(aid, ("none", None)) for aid in account_ids]
        columns["onboarding.state"] = [state for state, _ in states]
        columns["onboarding.progress"] = [progress for _, progress in states]
    if tag_facts:
        sets = [set(load_tags(stored)) for stored in tags]
        for name, tag in tag_facts:
            columns[name] = [tag in held for held in sets]
    metrics_now, metrics_then = _metrics(session, ids, today, needed)
    for name in needed:
        if name.startswith("metric."):
            metric, measure = name[7:].rsplit(".", 1)
            now = [metrics_now.get(aid, {}).get(metric) for aid in account_ids]
            if measure == "value":
                columns[name] = now
            else:
                then = [metrics_then.get(aid, {}).get(metric) for aid in account_ids]
                columns[name] = [
                    None if a is None or not b else round((a - b) / abs(b) * 100, 1)
                    for a, b in zip(now, then, strict=True)
                ]
    return out


_NONE = object()  # an account without the flagged contact: the fact is unknown, not "never"


def _days_column(days: list[Any], today: date) -> list[Any]:
    """Days since each date (NEVER for None: never in contact; None for ``_NONE``), once per
    distinct date."""
    since = {day: None if day is _NONE else _days_since(day, today) for day in dict.fromkeys(days)}
    return [since[day] for day in days]


def _days_since(day: date | None, today: date) -> float | int:
    return conditions.NEVER if day is None else (today - day).days


def _recorded(session: Session, ids: sa.Select, today: date) -> set[int]:
    from csmctl.store.tables import renewal_event as R

    query = sa.select(R.c.account_id).where(
        R.c.account_id.in_(ids), R.c.date <= today, R.c.date > today - timedelta(days=RECORDED_WITHIN_DAYS)
    )
    return set(session.connection().execute(query).scalars().all())


def _last_with(session: Session, today: date, rules: Rules, flag) -> dict[int, date | None]:
    """account -> the last contact (``contact_clause``) with one of its flagged contacts (None:
    never), for every account that has such a contact (callers read the accounts in scope).
    Two plain reads joined here: the flagged contacts (a straight scan) and the last contact per
    linked contact (links and touchpoints only). One three-table join let SQLite's planner pick
    a nested scan of the touchpoints per contact on some books (minutes at 10k accounts)."""
    from csmctl.store.predicates import contact_clause
    from csmctl.store.rows import as_date
    from csmctl.store.tables import contact as C
    from csmctl.store.tables import touchpoint_contact as L

    conn = session.connection()
    owner_of = dict(conn.execute(sa.select(C.c.id, C.c.account_id).where(C.c[flag.key] == sa.true())).all())
    out: dict[int, date | None] = dict.fromkeys(owner_of.values())
    query = (
        sa.select(L.c.contact_id, sa.func.max(T.c.occurred_at))
        .select_from(L.join(T, T.c.id == L.c.touchpoint_id))
        .where(contact_clause(rules.non_contact, today))
        .group_by(L.c.contact_id)
    )
    for contact_id, last in conn.execute(query).all():
        account_id = owner_of.get(contact_id)
        if account_id is not None:
            day, seen = as_date(last), out[account_id]
            out[account_id] = day if seen is None or (day is not None and day > seen) else seen
    return out


def _last_contact(session: Session, ids: sa.Select, today: date, rules: Rules) -> dict[int, date | None]:
    """account -> its last contact: `stale`'s own rule (``predicates.newest_contact``), in scope."""
    from csmctl.store.predicates import newest_contact
    from csmctl.store.rows import as_date

    query = sa.select(A.c.id, newest_contact(A.c.id, rules.non_contact, today)).where(A.c.id.in_(ids))
    # .all(): one fetchall, not a fetchone per account as iterating the result does
    return {aid: as_date(last) for aid, last in session.connection().execute(query).all()}


def _onboarding(session: Session, ids: sa.Select, today: date, stuck_days: int) -> dict[int, tuple[str, int]]:
    from csmctl.store.checklists import checklist_states

    states = checklist_states(session, ids, today, stuck_days)
    return {aid: (conditions.word(state), percent) for aid, (state, percent) in states.items()}


def _metrics(session: Session, ids: sa.Select, today: date, needed: set[str]):
    from csmctl.store.health import latest_metrics

    names = {n[7:].rsplit(".", 1)[0] for n in needed if n.startswith("metric.")}
    if not names:
        return {}, {}
    then = {n[7:].rsplit(".", 1)[0] for n in needed if n.startswith("metric.") and n.endswith(".change_30d")}
    return (
        latest_metrics(session, ids, today, names),
        latest_metrics(session, ids, today - timedelta(days=30), then) if then else {},
    )


# -- firing --------------------------------------------------------------------------------------


@dataclass(slots=True)  # one per firing: 95k of them on a large book
class Fired:
    play: str
    account_id: int
    account: str
    owner: str | None
    episode: str
    why: str
    actions: list[str] = field(default_factory=list)
    follow_up_id: int | None = None


def follow_up_kind(rules: Rules) -> str:
    """Plays log their follow-ups as a touchpoint that is not contact (``note`` by default)."""
    for kind in ("note", *rules.kinds):
        if kind in rules.kinds and not rules.counts_as_contact(kind, planned=False):
            return kind
    raise InvalidValue(
        "Plays log their follow-ups as a touchpoint kind that is not contact, and none is configured.",
        "Add one to [touchpoints] non_contact_kinds in config.toml (the default is note).",
    )


def _episodes(session: Session, play: str) -> tuple[set[int], set[tuple[int, str]]]:
    """(accounts with an open condition episode, every (account, episode) already fired)."""
    query = sa.select(F.c.account_id, F.c.episode, F.c.ended_on).where(F.c.play == play)
    open_, seen = set(), set()
    for account_id, episode, ended in session.connection().execute(query):
        seen.add((account_id, episode))
        if ended is None and episode.startswith("since:"):
            open_.add(account_id)
    return open_, seen


def run_play(
    session: Session,
    name: str,
    play: Play,
    facts: BookFacts,
    *,
    today: date,
    now: datetime,
    rules: Rules,
    playbook: Callable[[str], Any],
    dry_run: bool = False,
) -> list[Fired]:
    """Evaluate one play over the gathered facts; fire (actions + a play_firing row) where its
    condition holds and its episode has not fired yet; close condition episodes that ended."""
    open_, seen = _episodes(session, name)
    ids, columns = facts.ids, facts.columns
    holds = conditions.compile_columns(play.condition, today)(columns, len(ids))
    reasons = conditions.compile_column_reasons(play.condition, today, columns, len(ids))  # where it fired
    by_condition = play.episode == "condition"
    ended = (
        [aid for aid, ok in zip(ids, holds, strict=True) if not ok and aid in open_] if by_condition else []
    )
    fired = []
    # The episode key depends on the account only through its renewal date (``episode_key``).
    keys: dict[date | None, str] = {}
    for index in compress(range(len(ids)), holds):
        aid = ids[index]
        if by_condition and aid in open_:
            continue
        renewal = facts.renewals[index]
        key = keys.get(renewal)
        if key is None:
            key = keys[renewal] = episode_key(play, renewal, today)
        if (aid, key) in seen:
            continue
        fired.append(Fired(name, aid, facts.names[index], facts.owners[index], key, reasons(index)))
    if dry_run:
        texts = [planned_action(a, today) for a in play.actions]
        for item in fired:
            item.actions = list(texts)
        return fired
    if ended:
        session.connection().execute(
            sa.update(F)
            .where(F.c.play == name, F.c.account_id.in_(ended), F.c.ended_on.is_(None))
            .values(ended_on=today)
        )
    if fired:
        from csmctl.store.bulk import bulk_insert

        _fire(session, play, fired, facts, today=today, now=now, rules=rules, playbook=playbook)
        bulk_insert(
            session.connection(),
            F,
            [
                {
                    "play": i.play,
                    "account_id": i.account_id,
                    "episode": i.episode,
                    "fired_on": today,
                    "fired_at": now,
                    "reason": i.why,
                    "actions": json.dumps(i.actions),
                    "touchpoint_id": i.follow_up_id,
                    "ended_on": None,
                }
                for i in fired
            ],
        )
    return fired


def planned_action(action, today: date | None) -> str:
    """What an action does, in words (its due date from ``today``, or its offset without one)."""
    kind = action.kind
    if kind == "follow_up":
        due = action.follow_up.due if today is None else due_on(action.follow_up, today).isoformat()
        return f"follow-up due {due}: {action.follow_up.text}"
    if kind == "add_tag":
        return "tag " + " ".join(f"+{t}" for t in action.add_tag)
    if kind == "remove_tag":
        return "tag " + " ".join(f"-{t}" for t in action.remove_tag)
    if kind == "set_stage":
        return f"stage {action.set_stage}"
    if kind == "open_risk":
        return f"risk {action.open_risk.reason} ({action.open_risk.severity})"
    return f"playbook {action.start_playbook}"


def _fire(
    session: Session,
    play: Play,
    items: Sequence[Fired],
    facts: BookFacts,
    *,
    today: date,
    now: datetime,
    rules: Rules,
    playbook,
) -> None:
    """Every firing's actions, in bulk: one insert of the follow-ups (as touchpoints of a kind
    that is not contact), one update of the accounts whose tags or stage changed (from
    ``facts.account``, kept current so that a later play sees an earlier one's changes)."""
    from csmctl.domain.fields import load_tags, store_tags
    from csmctl.domain.touchpoints import moment

    texts = [planned_action(a, today) for a in play.actions]
    risks = _open_risks(session, today) if any(a.kind == "open_risk" for a in play.actions) else {}
    changed: dict[int, dict[str, Any]] = {}
    follow_ups: list[tuple[Fired, int, Any]] = []
    for item in items:
        for index, action in enumerate(play.actions):
            kind, done = action.kind, texts[index]
            if kind == "follow_up":
                follow_ups.append((item, index, action.follow_up))
                item.actions.append(done)
                continue
            changes = kind in ("add_tag", "remove_tag", "set_stage")
            row = facts.account(session, item.account_id) if changes else {}
            if kind in ("add_tag", "remove_tag"):
                tags = set(load_tags(row["tags"]))
                tags = (
                    tags | set(action.add_tag) if kind == "add_tag" else tags - set(action.remove_tag or ())
                )
                row["tags"] = store_tags(tags)
                changed[item.account_id] = row
            elif kind == "set_stage" and row["stage"] != action.set_stage:
                row["stage"], row["stage_since"] = action.set_stage, today
                changed[item.account_id] = row
            elif kind == "set_stage":
                done += " (already)"
            elif kind == "open_risk":
                done = _open_risk(session, item, action.open_risk, risks, today)
            elif kind == "start_playbook":
                done = (
                    _start_playbook(session, item.account_id, action.start_playbook, playbook, today, now)
                    or done
                )
            item.actions.append(done)
    conn = session.connection()
    if follow_ups:
        kind, occurred = follow_up_kind(rules), moment(today, today=today, now=now)
        due = {
            index: max(due_on(a.follow_up, today), today)
            for index, a in enumerate(play.actions)
            if a.follow_up
        }
        rows = [
            {
                "account_id": item.account_id,
                "kind": kind,
                "occurred_at": occurred,
                "summary": f"Play {item.play} ({play.title}): {item.why}",
                "sentiment": None,
                "follow_up_date": due[index],
                "follow_up_text": follow_up.text,
                "follow_up_done": False,
                "follow_up_done_on": None,
                "tags": "",
                "planned": False,
                "created_at": now,
            }
            for item, index, follow_up in follow_ups
        ]
        ids = _insert_ids(conn, T, rows)
        for (item, index, _), touchpoint_id in zip(follow_ups, ids, strict=True):
            item.follow_up_id = touchpoint_id
            item.actions[index] = f"follow-up #{touchpoint_id} " + item.actions[index].removeprefix(
                "follow-up "
            )
    if changed:
        conn.execute(
            sa.update(A)
            .where(A.c.id == sa.bindparam("row_id"))
            .values(
                tags=sa.bindparam("new_tags"),
                stage=sa.bindparam("new_stage"),
                stage_since=sa.bindparam("new_since"),
                updated_at=now,
            ),
            [
                {"row_id": aid, "new_tags": r["tags"], "new_stage": r["stage"], "new_since": r["stage_since"]}
                for aid, r in changed.items()
            ],
        )


def _insert_ids(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> Sequence[int]:
    """Insert ``rows``; their new ids, in the order of ``rows``. PostgreSQL returns them in order
    from batched inserts (``sort_by_parameter_order``); SQLite cannot, and SQLAlchemy then runs one
    INSERT per row (95k statements for a large book). There, the write transaction holds the
    lock (BEGIN IMMEDIATE) and each row of one executemany gets a larger rowid than every row
    before it: the ids above the largest before the insert, in id order, are the rows' ids."""
    if conn.dialect.name != "sqlite":
        return (
            conn.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
            .scalars()
            .all()
        )
    from csmctl.store.bulk import bulk_insert

    before = conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    bulk_insert(conn, table, rows)
    ids = conn.execute(sa.select(table.c.id).where(table.c.id > before).order_by(table.c.id)).scalars().all()
    if len(ids) != len(rows):  # another writer in between: the lock says it cannot happen
        raise Conflict(
            f"Another writer added to {table.name} during the play run.",
            "Nothing was written; run it again.",
        )
    return ids


def _open_risks(session: Session, today: date) -> dict[tuple[int, str], int]:
    """(account, primary reason) -> the id of a risk open on ``today`` (``store.risks.open_on``)."""
    from csmctl.domain.risks import primary_reason
    from csmctl.store.risks import open_on

    return {(r["account_id"], primary_reason(r["reason"])): r["id"] for r in open_on(session, today)}


def _open_risk(session: Session, item: Fired, action, risks: dict[tuple[int, str], int], today: date) -> str:
    """Open the action's risk (``store.risks.open_risk``) unless the account already has an open
    risk with the same primary reason: a play tracks a risk, it does not pile up copies of it."""
    from csmctl.domain.risks import primary_reason
    from csmctl.store.risks import open_risk

    key = (item.account_id, primary_reason(action.reason))
    if key in risks:
        return f"risk {action.reason} (skipped: risk #{risks[key]} is open)"
    note = f"Play {item.play}: {item.why}" + (f". {action.note}" if action.note else "")
    risk = open_risk(session, item.account_id, action.reason, action.severity, note, today)
    risks[key] = int(risk.id)  # flushed: it has its id
    return f"{RISK_OPENED}{risk.id} {action.reason} ({action.severity})"


def _start_playbook(
    session: Session, account_id: int, name: str, playbook, today: date, now: datetime
) -> str | None:
    from csmctl.domain.playbook import expand
    from csmctl.store.checklists import active_checklist, start_checklist
    from csmctl.store.models import Account

    account = session.get(Account, account_id)
    existing = active_checklist(session, account)
    if existing is not None:
        return f"playbook {name} (skipped: {existing.playbook} is active)"
    book = playbook(name)
    start_checklist(session, account, playbook=name, anchor=today, planned=expand(book, today), now=now)
    return None


# -- history and stats ---------------------------------------------------------------------------


def history(
    session: Session, *, account_id: int | None = None, play: str | None = None, today: date
) -> list[dict[str, Any]]:
    query = (
        sa.select(
            F.c.id,
            F.c.play,
            F.c.account_id,
            A.c.name.label("account"),
            F.c.episode,
            F.c.fired_on,
            F.c.ended_on,
            F.c.reason,
            F.c.actions,
            F.c.touchpoint_id,
            T.c.follow_up_date,
            T.c.follow_up_done,
            T.c.follow_up_done_on,
        )
        .join(A, A.c.id == F.c.account_id)
        .outerjoin(T, T.c.id == F.c.touchpoint_id)
        .where(F.c.fired_on <= today)
        .order_by(F.c.fired_on.desc(), F.c.play, A.c.name_key)
    )
    if account_id is not None:
        query = query.where(F.c.account_id == account_id)
    if play is not None:
        query = query.where(F.c.play == play)
    out = []
    for row in session.connection().execute(query):
        record = dict(row._mapping)
        record["actions"] = json.loads(record["actions"] or "[]")
        record["follow_up"] = _follow_up_state(record, today)
        out.append(record)
    return out


def _follow_up_state(record: dict[str, Any], today: date) -> str | None:
    from csmctl.domain.predicates import followup_done_by

    if record["touchpoint_id"] is None:
        return None
    if followup_done_by(bool(record["follow_up_done"]), record["follow_up_done_on"], today):
        return "done"
    return "overdue" if record["follow_up_date"] and record["follow_up_date"] < today else "open"


def stats(session: Session, *, today: date) -> list[dict[str, Any]]:
    """Per play: fired, risks opened, follow-ups made, follow-ups done, and the share acted on."""
    out: dict[str, dict[str, Any]] = {}
    for record in history(session, today=today):
        item = out.setdefault(
            record["play"],
            {"play": record["play"], "fired": 0, "risks": 0, "follow_ups": 0, "done": 0, "acted_on": None},
        )
        item["fired"] += 1
        item["risks"] += sum(a.startswith(RISK_OPENED) for a in record["actions"])
        if record["follow_up"] is not None:
            item["follow_ups"] += 1
            item["done"] += record["follow_up"] == "done"
    for item in out.values():
        if item["follow_ups"]:
            item["acted_on"] = round(100 * item["done"] / item["follow_ups"])
    return sorted(out.values(), key=lambda i: i["play"])


def firing_play(session: Session, touchpoint_ids: Iterable[int]) -> dict[int, str]:
    """touchpoint id -> the play whose follow-up it is (for `today`)."""
    ids = list(touchpoint_ids)
    if not ids:
        return {}
    query = sa.select(F.c.touchpoint_id, F.c.play).where(F.c.touchpoint_id.in_(ids))
    return dict(session.connection().execute(query).all())
