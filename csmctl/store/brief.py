"""Everything an account brief shows, gathered in a few queries as plain values for a template."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from csmctl.domain.accounts import days_to, notice_deadline, public_account
from csmctl.domain.health import public_health
from csmctl.domain.money import Money
from csmctl.domain.onboarding import OPEN, progress_percent
from csmctl.store.contacts import list_contacts
from csmctl.store.health import assess, scope
from csmctl.store.models import Account
from csmctl.store.predicates import end_of, followup_open_clause, start_of
from csmctl.store.tables import checklist as C
from csmctl.store.tables import checklist_task as K
from csmctl.store.tables import contact as CT
from csmctl.store.tables import renewal_event as R
from csmctl.store.tables import touchpoint as T
from csmctl.store.tables import touchpoint_contact as TC

LAST_TOUCHPOINTS = 5
NEXT_TASKS = 5


def touchpoints(
    session: Session, account_id: int, today: date, limit: int = LAST_TOUCHPOINTS
) -> list[dict[str, Any]]:
    until = end_of(today)
    query = (
        sa.select(T.c.id, T.c.kind, T.c.occurred_at, T.c.summary, T.c.sentiment)
        .where(T.c.account_id == account_id, T.c.occurred_at < until, T.c.planned == sa.false())
        .order_by(T.c.occurred_at.desc(), T.c.id.desc())
        .limit(limit)
    )
    rows = [dict(r._mapping) for r in session.connection().execute(query)]
    if rows:
        people: dict[int, list[str]] = {}
        query = (
            sa.select(TC.c.touchpoint_id, CT.c.name)
            .join(CT, CT.c.id == TC.c.contact_id)
            .where(TC.c.touchpoint_id.in_([r["id"] for r in rows]))
            .order_by(CT.c.name)
        )
        for row in session.connection().execute(query):
            people.setdefault(row[0], []).append(row[1])
        for row in rows:
            row["date"] = row["occurred_at"].date()
            row["with"] = people.get(row["id"], [])
    return rows


def open_follow_ups(session: Session, account_id: int, today: date) -> list[dict[str, Any]]:
    query = (
        sa.select(T.c.id, T.c.follow_up_date, T.c.follow_up_text, T.c.summary)
        .where(T.c.account_id == account_id, followup_open_clause(T, today))
        .order_by(T.c.follow_up_date, T.c.id)
    )
    return [
        {"id": i, "due": due, "text": text or summary, "overdue": due < today, "days": (due - today).days}
        for i, due, text, summary in session.connection().execute(query)
    ]


def onboarding(session: Session, account_id: int, today: date) -> dict[str, Any] | None:
    """The active checklist, else the latest one: progress and the next open tasks."""
    checklist = (
        session.connection()
        .execute(
            sa.select(C.c.id, C.c.playbook, C.c.anchor, C.c.status, C.c.completed_on)
            .where(C.c.account_id == account_id)
            .order_by(sa.case((C.c.status == "active", 0), else_=1), C.c.started_at.desc(), C.c.id.desc())
            .limit(1)
        )
        .first()
    )
    if checklist is None:
        return None
    tasks = [
        dict(r._mapping)
        for r in session.connection().execute(
            sa.select(
                K.c.position, K.c.name, K.c.due, K.c.status, K.c.done_on, K.c.milestone, K.c.first_value
            )
            .where(K.c.checklist_id == checklist.id)
            .order_by(K.c.position)
        )
    ]
    finished = [t for t in tasks if t["status"] != OPEN]
    open_tasks = [t for t in tasks if t["status"] == OPEN]
    for task in open_tasks:
        task["overdue"] = task["due"] < today
    first_value = next((t for t in tasks if t["first_value"]), None)
    return {
        "playbook": checklist.playbook,
        "anchor": checklist.anchor,
        "status": checklist.status,
        "completed_on": checklist.completed_on,
        "total": len(tasks),
        "finished": len(finished),
        "percent": progress_percent(len(finished), len(tasks)),
        "overdue": sum(1 for t in open_tasks if t["overdue"]),
        "next": open_tasks[:NEXT_TASKS],
        "first_value": first_value,
    }


def renewal_history(session: Session, account_id: int) -> list[dict[str, Any]]:
    query = (
        sa.select(
            R.c.date,
            R.c.outcome,
            R.c.arr_before_minor,
            R.c.arr_after_minor,
            R.c.currency,
            R.c.term_months,
            R.c.notes,
        )
        .where(R.c.account_id == account_id)
        .order_by(R.c.date.desc(), R.c.id.desc())
    )
    out = []
    for day, outcome, before, after, currency, term, notes in session.connection().execute(query):
        out.append(
            {
                "date": day,
                "outcome": outcome,
                "arr_before": Money(int(before), currency),
                "arr_after": Money(int(after), currency),
                "change": Money(int(after) - int(before), currency),
                "term_months": term,
                "notes": notes,
            }
        )
    return out


RHYTHM_MONTHS = 12
HEALTH_HISTORY_DAYS = 180


def rhythm(
    session: Session, account_id: int, today: date, months: int = RHYTHM_MONTHS
) -> list[tuple[str, int]]:
    """Touchpoints logged per calendar month over the last ``months`` months, oldest first."""
    from csmctl.domain.dates import add_months

    first = add_months(today.replace(day=1), -(months - 1))
    labels = [add_months(first, i).strftime("%Y-%m") for i in range(months)]
    counts = dict.fromkeys(labels, 0)
    query = sa.select(T.c.occurred_at).where(
        T.c.account_id == account_id,
        T.c.planned == sa.false(),
        T.c.occurred_at >= start_of(first),
        T.c.occurred_at < end_of(today),
    )
    for (moment,) in session.connection().execute(query):
        key = moment.strftime("%Y-%m")
        if key in counts:
            counts[key] += 1
    return list(counts.items())


def brief_context(
    session: Session, account: Account, today: date, profiles, rules=None, taxonomy=None
) -> dict[str, Any]:
    from csmctl.domain.risks import parse_taxonomy
    from csmctl.store.health import history
    from csmctl.store.risks import listing

    record = public_account(account.model_dump())
    record["notice_deadline"] = notice_deadline(record["renewal_date"], record["notice_days"])
    record["days_to_renewal"] = days_to(record["renewal_date"], today)
    record["days_to_notice"] = days_to(record["notice_deadline"], today)
    assessed = assess(session, scope(account_id=account.id), today, profiles, rules)
    health = None
    if assessed:
        item = assessed[0]
        health = public_health(item.account, item.result, item.previous)
        health["last_contact"] = item.facts.last_contact
    contacts = list_contacts(session, account.id)
    return {
        "today": today,
        "account": record,
        "health": health,
        "contacts": contacts,
        "champions": [c for c in contacts if c["champion"] or c["exec_sponsor"]],
        "touchpoints": touchpoints(session, account.id, today),
        "follow_ups": open_follow_ups(session, account.id, today),
        "onboarding": onboarding(session, account.id, today),
        "renewals": renewal_history(session, account.id),
        "risks": listing(
            session, taxonomy or parse_taxonomy(None), today, account_id=account.id, open_only=True
        ),
        "health_history": history(session, account.id, today - timedelta(days=HEALTH_HISTORY_DAYS), today),
        "rhythm": rhythm(session, account.id, today),
    }
