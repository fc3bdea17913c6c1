"""Metric value queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from csmctl.store.tables import metric_value as M


def list_metrics(
    session: Session, account_id: int, name: str | None, limit: int | None, today: date
) -> list[dict[str, Any]]:
    query = sa.select(M.c.date, M.c.name, M.c.value).where(M.c.account_id == account_id, M.c.date <= today)
    if name:
        query = query.where(M.c.name == name)
    query = query.order_by(M.c.date.desc(), M.c.name).limit(limit)
    return [{"date": d, "name": n, "value": float(v)} for d, n, v in session.connection().execute(query)]
