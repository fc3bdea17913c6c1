"""Plays against the book: each account's facts, the firings (one per play, account and
episode), the actions, and the history behind `play history` / `play stats`.

Facts come from the computations the rest of csmctl already uses, never a second copy of a rule:
health from ``store.health`` (scores, snapshots), the last contact from `stale`'s own
``predicates.newest_contact`` (``contact_clause``), the notice deadline from
``domain.accounts.notice_deadline``, onboarding state from ``domain.onboarding.state_of`` (the rule
``assess`` applies), cadence from the settings' ``Rules``; tests/agreement/test_plays_agree.py
holds them to the commands. Only the fact groups the plays read are gathered, each as one
set-based query. Each condition is compiled once per run (``conditions.compile_test``);
``evaluate`` runs only where it fired, for the reasons (``conditions.compile_reasons``, once per
combination of the facts a condition reads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from csmctl.documents.play import Play, due_on, episode_key
from csmctl.domain import conditions
from csmctl.domain.touchpoints import Rules
from csmctl.errors import InvalidValue
from csmctl.store.health import ACCOUNT_COLUMNS, A, T, snapshot_before
from csmctl.store.models import Contact
from csmctl.store.rows import dict_rows
from csmctl.store.tables import play_firing as F

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


def account_facts(
    session: Session, ids: sa.Select, today: date, needed: set[str], book: Book
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """[(account row, {fact: value})] for every account in scope, sorted by name."""
    from csmctl.domain.accounts import days_to, notice_deadline
    from csmctl.domain.fields import load_tags
    from csmctl.domain.today import FALL_WINDOW_DAYS

    groups = _groups(needed)
    query = (
        sa.select(*ACCOUNT_COLUMNS, A.c.tags, A.c.stage_since).where(A.c.id.in_(ids)).order_by(A.c.name_key)
    )
    rows = list(dict_rows(session.connection(), query))
    earlier = (
        snapshot_before(
            session, ids, today, on_or_after=today - timedelta(days=FALL_WINDOW_DAYS), earliest=True
        )
        if "health.drop_30d" in needed
        else {}
    )
    # Scoring is the costly part: when only the drop is asked for, score only the accounts that
    # have a snapshot to drop from.
    scored = rows if needed & {"health.score", "health.band"} else [r for r in rows if r["id"] in earlier]
    health: dict[int, Any] = {}
    last_contact: dict[int, date | None] = {}
    if "health" in groups and scored:
        from csmctl.store.health import assess

        for item in assess(session, ids, today, book.profiles, book.rules, accounts=scored):
            health[item.account["id"]] = item.result
            last_contact[item.account["id"]] = item.facts.last_contact
    if "contact" in groups and len(health) < len(rows):
        last_contact = _last_contact(session, ids, today, book.rules)
    recorded = _recorded(session, ids, today) if "renewal.recorded" in needed else set()
    champion = _last_with(session, today, book.rules, Contact.champion) if "champion" in groups else {}
    sponsor = _last_with(session, today, book.rules, Contact.exec_sponsor) if "sponsor" in groups else {}
    onboarding = _onboarding(session, ids, today, book.stuck_days) if "onboarding" in groups else {}
    metrics_now, metrics_then = _metrics(session, ids, today, needed)
    with_notice, with_cadence, with_contact = (
        "notice.days" in needed,
        "cadence" in needed,
        "contact" in groups,
    )
    # Both rules are pure in a few inputs that a book shares across many accounts: each is
    # computed once per distinct input rather than once per account.
    notice_days: dict[tuple[date | None, int | None], int | None] = {}
    cadences: dict[tuple[str | None, int | None], int] = {}
    with_onboarding = "onboarding" in groups
    tag_facts = [(name, name[4:]) for name in needed if name.startswith("tag.")]
    metric_facts = [(name, *name[7:].rsplit(".", 1)) for name in needed if name.startswith("metric.")]
    out = []
    for row in rows:
        aid = row["id"]
        facts: dict[str, Any] = {
            "renewal.days": days_to(row["renewal_date"], today),
            "renewal.recorded": aid in recorded,
            "nps": row["nps"],
            "csat": row["csat"],
            "stage": row["stage"],
            "tier": row["tier"],
            "auto_renew": bool(row["auto_renew"]),
        }
        if with_notice:  # the two facts that cost a calendar computation per account
            given = (row["renewal_date"], row["notice_days"])
            if given not in notice_days:
                notice_days[given] = days_to(notice_deadline(*given), today) if given[1] else None
            facts["notice.days"] = notice_days[given]
        if with_cadence:
            given = (row["tier"], row["cadence_days"])
            if given not in cadences:
                cadences[given] = book.rules.cadence_for(*given)
            facts["cadence"] = cadences[given]
        if aid in health:
            result = health[aid]
            facts["health.score"], facts["health.band"] = result.rounded, result.band
            if aid in earlier and result.rounded is not None:
                facts["health.drop_30d"] = earlier[aid][1] - result.rounded
        if with_contact:
            facts["contact.days_since"] = _days_since(last_contact.get(aid), today)
        if aid in champion:
            facts["champion.days_since"] = _days_since(champion[aid], today)
        if aid in sponsor:
            facts["sponsor.days_since"] = _days_since(sponsor[aid], today)
        if with_onboarding:
            state, progress = onboarding.get(aid, ("none", None))
            facts["onboarding.state"], facts["onboarding.progress"] = state, progress
        if tag_facts:
            tags = set(load_tags(row["tags"]))
            for name, tag in tag_facts:
                facts[name] = tag in tags
        for name, metric, measure in metric_facts:
            now = metrics_now.get(aid, {}).get(metric)
            if measure == "value":
                facts[name] = now
            else:
                then = metrics_then.get(aid, {}).get(metric)
                facts[name] = None if now is None or not then else round((now - then) / abs(then) * 100, 1)
        out.append((row, facts))
    return out


def _days_since(day: date | None, today: date) -> float | int:
    return conditions.NEVER if day is None else (today - day).days


def _recorded(session: Session, ids: sa.Select, today: date) -> set[int]:
    from csmctl.store.tables import renewal_event as R

    query = sa.select(R.c.account_id).where(
        R.c.account_id.in_(ids), R.c.date <= today, R.c.date > today - timedelta(days=RECORDED_WITHIN_DAYS)
    )
    return {row[0] for row in session.connection().execute(query)}


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
    for contact_id, last in conn.execute(query):
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
    return {aid: as_date(last) for aid, last in session.connection().execute(query)}


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
    facts: Sequence[tuple[dict[str, Any], dict[str, Any]]],
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
    fired, ended = [], []
    holds = conditions.compile_test(play.condition, today)
    reasons = conditions.compile_reasons(play.condition, today)  # evaluated only where it fired
    by_condition = play.episode == "condition"
    # The episode key depends on the account only through its renewal date (``episode_key``).
    keys: dict[date | None, str] = {}
    for row, values in facts:
        ok = holds(values)
        aid = row["id"]
        if by_condition:
            if not ok:
                if aid in open_:
                    ended.append(aid)
                continue
            if aid in open_:
                continue
        elif not ok:
            continue
        renewal = row["renewal_date"]
        key = keys.get(renewal)
        if key is None:
            key = keys[renewal] = episode_key(play, renewal, today)
        if (aid, key) in seen:
            continue
        fired.append(Fired(name, aid, row["name"], row["owner"], key, reasons(values)))
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
        accounts = {row["id"]: row for row, _ in facts}
        _fire(session, play, fired, accounts, today=today, now=now, rules=rules, playbook=playbook)
    if fired:
        session.connection().execute(
            sa.insert(F),
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
    accounts: dict[int, dict[str, Any]],
    *,
    today: date,
    now: datetime,
    rules: Rules,
    playbook,
) -> None:
    """Every firing's actions, in bulk: one insert of the follow-ups (as touchpoints of a kind
    that is not contact), one update of the accounts whose tags or stage changed. ``accounts``
    are the run's rows, kept current so that a later play sees an earlier one's changes."""
    from csmctl.domain.fields import load_tags, store_tags
    from csmctl.domain.touchpoints import moment

    texts = [planned_action(a, today) for a in play.actions]
    risks = _open_risks(session, today) if any(a.kind == "open_risk" for a in play.actions) else {}
    changed: dict[int, dict[str, Any]] = {}
    follow_ups: list[tuple[Fired, int, Any]] = []
    for item in items:
        row = accounts[item.account_id]
        for index, action in enumerate(play.actions):
            kind, done = action.kind, texts[index]
            if kind == "follow_up":
                follow_ups.append((item, index, action.follow_up))
            elif kind in ("add_tag", "remove_tag"):
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
        rows = [
            {
                "account_id": item.account_id,
                "kind": kind,
                "occurred_at": occurred,
                "summary": f"Play {item.play} ({play.title}): {item.why}",
                "sentiment": None,
                "follow_up_date": max(due_on(follow_up, today), today),
                "follow_up_text": follow_up.text,
                "follow_up_done": False,
                "follow_up_done_on": None,
                "tags": "",
                "planned": False,
                "created_at": now,
            }
            for item, _, follow_up in follow_ups
        ]
        ids = conn.execute(sa.insert(T).returning(T.c.id, sort_by_parameter_order=True), rows).scalars().all()
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
