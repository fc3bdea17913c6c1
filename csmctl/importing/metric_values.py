"""Importing custom metrics: rows of account, date, name, value; upsert on (account, name, date)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from csmctl.domain import metric_values as domain
from csmctl.errors import Problem
from csmctl.importing.reader import Row
from csmctl.importing.runner import ImportReport, Parsed, RowContext
from csmctl.store.bulk import bulk_insert

ALIASES = {
    "account name": "account",
    "company": "account",
    "customer": "account",
    "account id": "account",
    "day": "date",
    "as of": "date",
    "metric": "name",
    "metric name": "name",
    "measure": "name",
    "amount": "value",
    "count": "value",
}


class MetricImporter:
    entity = "metric values"
    fields = domain.FIELDS
    aliases = ALIASES
    presets: Mapping[str, Mapping[str, str]] = {}
    required = ("account", "date", "name", "value")

    def parse(
        self, values: Mapping[str, Any], row: Row, ctx: RowContext, today: date
    ) -> tuple[dict[str, Any], list[Problem]]:
        parsed, problems = domain.parse_metric_fields(values, today=today)
        return ctx.with_account(row, values, parsed, problems)

    def write(
        self,
        session: Any,
        rows: list[Parsed],
        ctx: RowContext,
        *,
        policy: str,
        today: date,
        now: datetime,
        report: ImportReport,
        advance: Callable[[int], None],
    ) -> list[Problem]:
        from csmctl.store.account_ref import find_accounts
        from csmctl.store.models import MetricValue

        conn = session.connection()
        values = MetricValue.__table__
        # The batch's accounts in a few queries, by find_account's rule (id, name, CRM id, prefix).
        found = find_accounts(conn, [item.values["account"] for item in rows])
        problems: list[Problem] = []
        resolved: list[tuple[Parsed, int]] = []
        for item in rows:
            ref = item.values["account"]
            account = found[ref]
            if not isinstance(account, tuple):
                problems.append(
                    ctx.problem(item.row, account.message, field="account", value=ref, hint=account.hint)
                )
                continue
            resolved.append((item, account[0]))
        if problems:
            return problems
        ids = sorted({id_ for _, id_ in resolved})
        names = sorted({item.values["name"] for item, _ in resolved})
        existing: dict[tuple[int, str, date], tuple[int, float]] = {}
        for chunk in range(0, len(ids), 500):
            query = sa.select(
                values.c.id, values.c.account_id, values.c.name, values.c.date, values.c.value
            ).where(values.c.account_id.in_(ids[chunk : chunk + 500]), values.c.name.in_(names))
            for id_, account_id, name, day, value in conn.execute(query):
                existing[(account_id, name, day)] = (id_, value)
        seen: dict[tuple[int, str, date], int | None] = {}
        inserts, updates = [], []
        for item, account_id in resolved:
            key = (account_id, item.values["name"], item.values["date"])
            if key in seen:
                earlier = seen[key]
                problems.append(
                    ctx.problem(
                        item.row,
                        "the same account, metric and date appear earlier in the file"
                        + (f" (line {earlier})" if earlier else ""),
                        field="date",
                        value=item.values["date"].isoformat(),
                    )
                )
                continue
            seen[key] = item.row.line
            if key not in existing:
                inserts.append(
                    {"account_id": account_id, "name": key[1], "date": key[2], "value": item.values["value"]}
                )
                report.count("created")
            elif policy == "fail":
                problems.append(
                    ctx.problem(
                        item.row,
                        "a value for this account, metric and date exists",
                        field="date",
                        value=key[2].isoformat(),
                        hint="use --on-conflict update or skip",
                    )
                )
            elif policy == "skip":
                report.count("skipped")
            elif existing[key][1] == item.values["value"]:
                report.count("unchanged")
            else:
                updates.append({"row_id": existing[key][0], "new_value": item.values["value"]})
                report.count("updated")
            advance(1)
        if problems:
            return problems
        if inserts:
            bulk_insert(conn, values, inserts)
        if updates:
            conn.execute(
                sa.update(values)
                .where(values.c.id == sa.bindparam("row_id"))
                .values(value=sa.bindparam("new_value")),
                updates,
            )
        return []
