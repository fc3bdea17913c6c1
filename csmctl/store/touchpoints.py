"""Touchpoint queries: log, list, the last contact per account, open follow-ups, the timeline.

Functions take a Session; the caller owns the transaction. Portfolio queries are set-based:
contacts of a page of touchpoints are fetched with one ``IN`` query per chunk. The last contact
per account (``stale``) is ``store.stale`` on the lean read path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from csmctl import errors
from csmctl.domain import fields
from csmctl.store import tables
from csmctl.store.models import (
    Account,
    Checklist,
    ChecklistTask,
    Contact,
    RenewalEvent,
    Touchpoint,
    TouchpointContact,
)
from csmctl.store.predicates import end_of, followup_open_clause, owner_clause

# Logging a touchpoint is Core (store/touchpoint_log.py); edit and import use the same functions.
from csmctl.store.touchpoint_log import add_touchpoint as add_touchpoint
from csmctl.store.touchpoint_log import resolve_contacts as resolve_contacts
from csmctl.store.touchpoint_log import set_contacts

_CHUNK = 500
# Columns a touchpoint update may set directly.
_PLAIN = (
    "kind",
    "occurred_at",
    "summary",
    "sentiment",
    "follow_up_date",
    "follow_up_text",
    "follow_up_done",
    "follow_up_done_on",
    "planned",
)


def public_touchpoint(
    tp: Touchpoint, account_name: str | None, contacts: Sequence[Contact] = ()
) -> dict[str, Any]:
    """The stable JSON shape of a touchpoint (docs/json.md)."""
    return {
        "id": tp.id,
        "account_id": tp.account_id,
        "account": account_name,
        "kind": tp.kind,
        "occurred_at": tp.occurred_at,
        "date": tp.occurred_at.date(),
        "summary": tp.summary,
        "sentiment": tp.sentiment,
        "contacts": [{"id": c.id, "name": c.name} for c in contacts],
        "follow_up_date": tp.follow_up_date,
        "follow_up_text": tp.follow_up_text,
        "follow_up_done": bool(tp.follow_up_done),
        "follow_up_done_on": tp.follow_up_done_on,
        "tags": fields.load_tags(tp.tags),
        "planned": bool(tp.planned),
    }


def get_touchpoint(session: Session, ref: int | str) -> Touchpoint:
    text = str(ref).strip().lstrip("#")
    found = session.get(Touchpoint, int(text)) if text.isdigit() else None
    if found is None:
        raise errors.NotFound(f"No touchpoint with id {ref}.", "List them with `csmctl touchpoint list`.")
    return found


def contacts_of(session: Session, ids: Sequence[int]) -> dict[int, list[Contact]]:
    """Touchpoint id -> its contacts, one query per chunk of ids."""
    out: dict[int, list[Contact]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = session.exec(
            select(TouchpointContact.touchpoint_id, Contact)
            .join(Contact, Contact.id == TouchpointContact.contact_id)
            .where(col(TouchpointContact.touchpoint_id).in_(chunk))
            .order_by(Contact.name)
        ).all()
        for tp_id, contact in rows:
            out.setdefault(tp_id, []).append(contact)
    return out


def stored_moment(dialect: Any) -> Any:
    """``occurred_at`` as the database compares it and the driver returns it: on SQLite the text
    SQLAlchemy stores (the wall time without its zone), on PostgreSQL the naive UTC moment
    (``store.database`` loads timestamptz so). The key of ``same_touchpoints``, so it matches
    exactly what an ``occurred_at = :value`` query matches."""
    process = tables.touchpoint.c.occurred_at.type.dialect_impl(dialect).bind_processor(dialect)
    return process or _naive


def same_touchpoints(
    conn: Any, keys: Iterable[tuple[int, str, datetime, str]]
) -> dict[tuple[int, str, Any, str], Any]:
    """For (account id, kind, occurred_at, summary) keys: (account id, kind, ``stored_moment``,
    summary) -> the first touchpoint (by id) with them, what an import's batch matches its rows
    against (a row the same as a touchpoint is that touchpoint). The accounts' (id, kind, moment)
    come from the covering index alone; only the touchpoints that match those are read whole."""
    T = tables.touchpoint
    stored = stored_moment(conn.dialect)
    wanted = {(account_id, kind, stored(at)) for account_id, kind, at, _ in keys}
    accounts = sorted({key[0] for key in wanted})
    raw = sa.type_coerce(T.c.occurred_at, sa.types.NullType())  # as the driver hands it over
    at = raw.label("stored_at")
    candidates: list[int] = []
    if not wanted:
        return {}
    # Only the batch's span of moments, compared as stored (raw values, raw bounds)
    span = raw.between(
        sa.bindparam("first", min(key[2] for key in wanted), type_=sa.types.NullType()),
        sa.bindparam("last", max(key[2] for key in wanted), type_=sa.types.NullType()),
    )
    for start in range(0, len(accounts), _CHUNK):
        query = sa.select(T.c.id, T.c.account_id, T.c.kind, at).where(
            T.c.account_id.in_(accounts[start : start + _CHUNK]), span
        )
        candidates += [row[0] for row in conn.execute(query).all() if (row[1], row[2], row[3]) in wanted]
    candidates.sort()
    out: dict[tuple[int, str, Any, str], Any] = {}
    for start in range(0, len(candidates), _CHUNK):
        query = sa.select(T, at).where(T.c.id.in_(candidates[start : start + _CHUNK])).order_by(T.c.id)
        for row in conn.execute(query):
            out.setdefault((row.account_id, row.kind, row.stored_at, row.summary), row)
    return out


def current_values(tp: Touchpoint) -> dict[str, Any]:
    """A touchpoint's values in the shape ``domain.touchpoints.check_touchpoint`` reads."""
    occurred = tp.occurred_at if tp.occurred_at.tzinfo else tp.occurred_at.replace(tzinfo=UTC)
    return {
        "kind": tp.kind,
        "occurred_at": occurred,
        "summary": tp.summary,
        "sentiment": tp.sentiment,
        "follow_up_date": tp.follow_up_date,
        "follow_up_text": tp.follow_up_text,
        "follow_up_done": tp.follow_up_done,
        "planned": tp.planned,
        "tags": fields.load_tags(tp.tags),
    }


def _naive(value: Any) -> Any:
    """Moments compare in UTC without their zone (SQLite hands them back naive)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def apply_values(tp: Touchpoint, values: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        if name == "tags":
            stored = fields.store_tags(value)
            if stored != tp.tags:
                tp.tags = stored
                changed.append(name)
        elif name in _PLAIN and _naive(getattr(tp, name)) != _naive(value):
            setattr(tp, name, value)
            changed.append(name)
    return changed


def edit_touchpoint(
    session: Session, tp: Touchpoint, values: Mapping[str, Any], contacts: Sequence[Any] | None = None
) -> list[str]:
    """Apply checked values (``domain.touchpoints.check_touchpoint`` on the merged values) and,
    when given, replace the contacts. Removing the follow-up date forgets its done state too.
    Returns what changed."""
    values = dict(values)
    if "follow_up_date" in values and values["follow_up_date"] is None:
        values.update(follow_up_done=False, follow_up_done_on=None)
    changed = apply_values(tp, values)
    if contacts is not None:
        linked = contacts_of(session, [tp.id]).get(tp.id, []) if tp.id is not None else []
        before = [c.id for c in linked]
        if sorted(before) != sorted(c.id for c in contacts):
            set_contacts(session, tp, contacts)
            changed.append("contacts")
    session.add(tp)
    session.flush()
    return [c for c in changed if c != "follow_up_done_on"]


def delete_touchpoint(session: Session, tp: Touchpoint) -> None:
    """Delete a touchpoint with its follow-up and its links to contacts."""
    session.exec(sa.delete(TouchpointContact).where(TouchpointContact.touchpoint_id == tp.id))
    session.delete(tp)
    session.flush()


def _with_followup(session: Session, ref: int | str) -> Touchpoint:
    tp = get_touchpoint(session, ref)
    if tp.follow_up_date is None:
        raise errors.InvalidValue(
            f"Touchpoint {tp.id} has no follow-up.",
            f"Add one with `csmctl touchpoint edit {tp.id} --follow-up DATE`.",
        )
    return tp


def complete_followup(session: Session, ref: int | str, *, on: date) -> tuple[Touchpoint, bool]:
    """Mark a touchpoint's follow-up done on ``on``. Idempotent: a follow-up already done is
    left as it is (its done date kept) and ``False`` says nothing changed."""
    tp = _with_followup(session, ref)
    if tp.follow_up_done:
        return tp, False
    tp.follow_up_done, tp.follow_up_done_on = True, on
    session.add(tp)
    session.flush()
    return tp, True


def snooze_followup(session: Session, ref: int | str, until: date, *, today: date) -> tuple[Touchpoint, bool]:
    """Move an open follow-up to ``until`` (not before today nor the touchpoint). Idempotent:
    snoozing to the date it already has changes nothing and returns ``False``."""
    from csmctl.domain.touchpoints import snooze_date

    tp = _with_followup(session, ref)
    if tp.follow_up_done:
        raise errors.InvalidValue(
            f"The follow-up of touchpoint {tp.id} is done: there is nothing to snooze.",
            f"Give it a new date with `csmctl touchpoint edit {tp.id} --follow-up DATE`.",
        )
    new_due = snooze_date(until, tp.occurred_at.date(), today)
    if new_due == tp.follow_up_date:
        return tp, False
    tp.follow_up_date = new_due
    session.add(tp)
    session.flush()
    return tp, True


# -- listings -----------------------------------------------------------------------------------


@dataclass
class TouchpointFilter:
    account_id: int | None = None
    kinds: Sequence[str] = ()
    owner: str | None = None
    since: date | None = None
    until: date | None = None
    sentiment: str | None = None
    tag: str | None = None
    limit: int | None = None
    oldest_first: bool = False


def list_touchpoints(session: Session, flt: TouchpointFilter) -> list[dict[str, Any]]:
    query = select(Touchpoint, Account.name).join(Account, Account.id == Touchpoint.account_id)
    if flt.account_id is not None:
        query = query.where(Touchpoint.account_id == flt.account_id)
    if flt.kinds:
        query = query.where(col(Touchpoint.kind).in_(list(flt.kinds)))
    if flt.owner:
        query = query.where(owner_clause(tables.account.c.owner_key, flt.owner))
    if flt.since:
        query = query.where(Touchpoint.occurred_at >= datetime.combine(flt.since, time(0), tzinfo=UTC))
    if flt.until:
        query = query.where(Touchpoint.occurred_at < end_of(flt.until))
    if flt.sentiment:
        query = query.where(Touchpoint.sentiment == flt.sentiment)
    if flt.tag:
        query = query.where(col(Touchpoint.tags).like(f"%,{flt.tag},%"))
    order = (Touchpoint.occurred_at, Touchpoint.id)
    query = query.order_by(*(order if flt.oldest_first else [col(c).desc() for c in order]))
    if flt.limit:
        query = query.limit(flt.limit)
    rows = session.exec(query).all()
    people = contacts_of(session, [tp.id for tp, _ in rows])
    return [public_touchpoint(tp, name, people.get(tp.id, [])) for tp, name in rows]


def export_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Touchpoints oldest first in the import shape (``contacts`` = the contacts' names)."""
    from csmctl.domain.touchpoints import EXPORT_COLUMNS

    for record in list_touchpoints(session, TouchpointFilter(oldest_first=True)):
        record["contacts"] = [c["name"] for c in record["contacts"]]
        yield {key: record[key] for key in EXPORT_COLUMNS}


# -- follow-ups ---------------------------------------------------------------------------------


def open_followups(
    session: Session,
    today: date,
    *,
    horizon: date | None = None,
    owner: str | None = None,
    account_id: int | None = None,
) -> list[dict[str, Any]]:
    """Follow-ups open as of ``today`` (done later counts as open), due by ``horizon``."""
    query = (
        select(Touchpoint, Account.name, Account.owner)
        .join(Account, Account.id == Touchpoint.account_id)
        .where(followup_open_clause(tables.touchpoint, today))
        .where(Account.archived == sa.false())
    )
    # Always a range on follow_up_date (date.max for "all"): that keeps the index usable.
    query = query.where(col(Touchpoint.follow_up_date) <= (horizon or date.max))
    if owner:
        query = query.where(owner_clause(tables.account.c.owner_key, owner))
    if account_id is not None:
        query = query.where(Touchpoint.account_id == account_id)
    query = query.order_by(Touchpoint.follow_up_date, Touchpoint.id)
    return [
        {
            "id": tp.id,
            "account_id": tp.account_id,
            "account": name,
            "owner": acct_owner,
            "due": tp.follow_up_date,
            "text": tp.follow_up_text,
            "kind": tp.kind,
            "touchpoint_date": tp.occurred_at.date(),
            "summary": tp.summary,
        }
        for tp, name, acct_owner in session.exec(query).all()
    ]


# -- timeline -----------------------------------------------------------------------------------


def timeline(session: Session, account: Account, *, today: date) -> list[dict[str, Any]]:
    """Touchpoints, follow-ups, onboarding and renewal events of one account, in date order."""
    from csmctl.domain.predicates import followup_done_by

    events: list[dict[str, Any]] = []
    touchpoints = list_touchpoints(session, TouchpointFilter(account_id=account.id, oldest_first=True))
    for tp in touchpoints:
        planned = " (planned)" if tp["planned"] else ""
        events.append(
            {
                "date": tp["date"],
                "type": tp["kind"] + planned,
                "id": tp["id"],
                "summary": tp["summary"],
                "with": [c["name"] for c in tp["contacts"]],
                "sentiment": tp["sentiment"],
            }
        )
        if tp["follow_up_date"]:
            done = followup_done_by(tp["follow_up_done"], tp["follow_up_done_on"], today)
            events.append(
                {
                    "date": tp["follow_up_done_on"]
                    if done and tp["follow_up_done_on"]
                    else tp["follow_up_date"],
                    "type": "follow-up done" if done else "follow-up due",
                    "id": tp["id"],
                    "summary": tp["follow_up_text"] or f"follow up on: {tp['summary']}",
                    "with": [],
                    "sentiment": None,
                }
            )
    for event in session.exec(select(RenewalEvent).where(RenewalEvent.account_id == account.id)).all():
        events.append(
            {
                "date": event.date,
                "type": f"renewal {event.outcome}",
                "id": event.id,
                "summary": event.notes or "",
                "with": [],
                "sentiment": None,
            }
        )
    for checklist in session.exec(select(Checklist).where(Checklist.account_id == account.id)).all():
        events.append(
            {
                "date": checklist.anchor,
                "type": "onboarding started",
                "id": checklist.id,
                "summary": checklist.playbook,
                "with": [],
                "sentiment": None,
            }
        )
        tasks = session.exec(
            select(ChecklistTask).where(
                ChecklistTask.checklist_id == checklist.id, ChecklistTask.milestone == sa.true()
            )
        ).all()
        for task in tasks:
            if task.done_on is not None:
                events.append(
                    {
                        "date": task.done_on,
                        "type": "milestone done",
                        "id": task.id,
                        "summary": task.name,
                        "with": [],
                        "sentiment": None,
                    }
                )
    if account.renewal_date is not None and account.renewal_date >= today:
        events.append(
            {
                "date": account.renewal_date,
                "type": "renewal date",
                "id": None,
                "summary": "contract renews",
                "with": [],
                "sentiment": None,
            }
        )
    order = {"renewal date": 2, "follow-up due": 1, "follow-up done": 1}
    events.sort(key=lambda e: (e["date"], order.get(e["type"], 0)))
    return events
