"""Risks and their stage history. Functions take a Session; the caller's transaction covers a
change (the risk row and its history entry are written together or not at all). The reads
(``risk_rows``, ``stage_entries``, ``open_on``) select from the Core tables and also take a plain
connection (``Database.rows()``, the lean read path: no SQLModel import).

``open_risk`` is the entry point other features call (plays open risks too).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl.domain import risks as rules
from csmctl.domain.accounts import utcnow
from csmctl.errors import InvalidValue, NotFound
from csmctl.store.predicates import owner_clause
from csmctl.store.rows import dict_rows
from csmctl.store.tables import account as A
from csmctl.store.tables import risk as R
from csmctl.store.tables import risk_stage as H

if TYPE_CHECKING:
    from sqlmodel import Session

    from csmctl.store.database import Reader
    from csmctl.store.models import Risk


def open_risk(
    session: Session,
    account_id: int,
    reason: str,
    severity: str = rules.DEFAULT_SEVERITY,
    note: str | None = None,
    as_of: date | None = None,
) -> Risk:
    """Open a risk in the first stage (at-risk) on ``as_of``. ``reason`` must already be a code
    from the taxonomy (``Taxonomy.get(...).code``); severity one of low/medium/high."""
    from csmctl.store.models import Risk, RiskStage

    if severity not in rules.SEVERITIES:
        raise InvalidValue(f"Unknown severity {severity!r}.", f"Use one of: {', '.join(rules.SEVERITIES)}.")
    day = as_of or date.today()
    stage = rules.OPEN_STAGES[0]
    risk = Risk(
        account_id=account_id,
        reason=reason,
        severity=severity,
        stage=stage,
        note=note,
        opened_on=day,
        created_at=utcnow(),
    )
    session.add(risk)
    session.flush()
    session.add(RiskStage(risk_id=risk.id, stage=stage, entered_on=day, note=note))
    return risk


def get_risk(session: Session, risk_id: int) -> Risk:
    from csmctl.store.models import Risk

    risk = session.get(Risk, risk_id)
    if risk is None:
        raise NotFound(f"No risk with id {risk_id}.", "List risks with `csmctl risk list`.")
    return risk


def _enter(session: Session, risk: Risk, stage: str, day: date, note: str | None) -> None:
    from csmctl.store.models import RiskStage

    last = session.execute(sa.select(sa.func.max(H.c.entered_on)).where(H.c.risk_id == risk.id)).scalar()
    if last is not None and day < last:
        raise InvalidValue(
            f"Risk {risk.id} entered its current stage on {last.isoformat()}, after {day.isoformat()}.",
            "A stage change cannot go back in time: use a later --as-of.",
        )
    risk.stage = stage
    session.add(risk)
    session.add(RiskStage(risk_id=risk.id, stage=stage, entered_on=day, note=note))


def move_risk(session: Session, risk_id: int, stage: str, day: date, note: str | None = None) -> Risk:
    risk = get_risk(session, risk_id)
    rules.check_move(risk.stage, stage, risk_id)
    _enter(session, risk, stage, day, note)
    return risk


def close_risk(session: Session, risk_id: int, outcome: str, day: date, note: str | None = None) -> Risk:
    if outcome not in rules.OUTCOMES:
        raise InvalidValue(f"Unknown outcome {outcome!r}.", f"Use one of: {', '.join(rules.OUTCOMES)}.")
    risk = get_risk(session, risk_id)
    if risk.stage in rules.OUTCOMES:
        raise InvalidValue(f"Risk {risk_id} is already closed ({risk.stage}).")
    _enter(session, risk, outcome, day, note)
    risk.closed_on = day
    return risk


def history(session: Session, risk_id: int) -> list[tuple[str, date]]:
    query = (
        sa.select(H.c.stage, H.c.entered_on).where(H.c.risk_id == risk_id).order_by(H.c.entered_on, H.c.id)
    )
    return [(row.stage, row.entered_on) for row in session.execute(query)]


def risk_rows(
    session: Reader,
    *,
    owner: str | None = None,
    reason: str | None = None,
    stage: str | None = None,
    open_only: bool = False,
    account_id: int | None = None,
    as_of: date | None = None,
    ids: sa.Select | None = None,
) -> Iterator[dict[str, Any]]:
    """Risks with their account's name and owner, newest first. ``as_of`` hides risks opened
    after it (a report as of a past day does not see the future)."""
    query = (
        sa.select(
            R.c.id,
            R.c.account_id,
            A.c.name.label("account"),
            A.c.owner,
            R.c.reason,
            R.c.severity,
            R.c.stage,
            R.c.opened_on,
            R.c.closed_on,
            R.c.note,
        )
        .join(A, A.c.id == R.c.account_id)
        .where(owner_clause(A.c.owner_key, owner))
    )
    if reason:
        # a primary reason matches its contributing ones too
        query = query.where(sa.or_(R.c.reason == reason, R.c.reason.like(f"{reason}/%")))
    if stage:
        query = query.where(R.c.stage == stage)
    if open_only:
        query = query.where(R.c.stage.in_(rules.OPEN_STAGES))
    if account_id is not None:
        query = query.where(R.c.account_id == account_id)
    if ids is not None:
        query = query.where(R.c.account_id.in_(ids))
    if as_of is not None:
        query = query.where(R.c.opened_on <= as_of)
    query = query.order_by(R.c.opened_on.desc(), R.c.id.desc())
    yield from dict_rows(session, query)


def stage_entries(session: Reader, risk_ids: list[int]) -> dict[int, list[tuple[str, date]]]:
    """Stage histories of many risks in one query."""
    out: dict[int, list[tuple[str, date]]] = {i: [] for i in risk_ids}
    if not risk_ids:
        return out
    query = (
        sa.select(H.c.risk_id, H.c.stage, H.c.entered_on)
        .where(H.c.risk_id.in_(risk_ids))
        .order_by(H.c.risk_id, H.c.entered_on, H.c.id)
    )
    for row in session.execute(query):
        out[row.risk_id].append((row.stage, row.entered_on))
    return out


def listing(
    session: Session,
    taxonomy: rules.Taxonomy,
    as_of: date,
    *,
    owner: str | None = None,
    reason: str | None = None,
    stage: str | None = None,
    open_only: bool = False,
    account_id: int | None = None,
) -> list[dict[str, Any]]:
    """Risks as seen on ``as_of`` (the stage they were in then), filtered by that stage."""
    rows = list(risk_rows(session, owner=owner, reason=reason, account_id=account_id, as_of=as_of))
    histories = stage_entries(session, [r["id"] for r in rows])
    out = []
    for row in rows:
        record = rules.public_risk(row, histories[row["id"]], taxonomy, as_of)
        if record is None:
            continue
        if stage and record["stage"] != stage:
            continue
        if open_only and record["stage"] not in rules.OPEN_STAGES:
            continue
        out.append(record)
    return out


def detail(session: Session, risk_id: int, taxonomy: rules.Taxonomy, as_of: date) -> dict[str, Any]:
    """One risk with its stage history (days in each stage), as of ``as_of``."""
    risk = get_risk(session, risk_id)
    row = next(r for r in risk_rows(session, account_id=risk.account_id) if r["id"] == risk_id)
    entries = history(session, risk_id)
    record = rules.public_risk(row, entries, taxonomy, as_of)
    if record is None:
        raise NotFound(
            f"Risk {risk_id} was opened on {row['opened_on'].isoformat()}, after {as_of.isoformat()}."
        )
    seen = [(s, d) for s, d in entries if d <= as_of]
    record["stages"] = [
        {"stage": s.stage, "entered": s.entered, "left": s.left, "days": s.days}
        for s in rules.stage_spans(seen, as_of)
    ]
    return record


def open_on(
    session: Reader, day: date, *, owner: str | None = None, ids: sa.Select | None = None
) -> list[dict[str, Any]]:
    """Risks open on ``day`` (their stage then is an open one), each row with that ``stage``:
    what book, today, brief and the renewal report count."""
    rows = list(risk_rows(session, owner=owner, as_of=day, ids=ids))
    histories = stage_entries(session, [r["id"] for r in rows])
    out = []
    for row in rows:
        stage = rules.stage_on(histories[row["id"]], day)
        if stage in rules.OPEN_STAGES:
            out.append({**row, "stage": stage})
    return out
