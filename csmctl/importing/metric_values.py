"""Importing custom metrics: rows of account, date, name, value; upsert on (account, name, date)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from csmctl.domain import metric_values as domain
from csmctl.domain.accounts import name_key
from csmctl.errors import CsmctlError, Problem
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
        from csmctl.store.accounts import resolve_account
        from csmctl.store.models import Account, MetricValue

        conn = session.connection()
        accounts, values = Account.__table__, MetricValue.__table__
        # One read of the book's keys; only refs that miss (prefixes, typos) go to resolve_account.
        known: dict[str, int] = {}
        for id_, key, external in conn.execute(
            sa.select(accounts.c.id, accounts.c.name_key, accounts.c.external_id)
        ):
            known[f"#{id_}"] = id_
            known[key] = id_
            if external:
                known[f"ext:{external}"] = id_
        problems: list[Problem] = []
        resolved: list[tuple[Parsed, int]] = []
        for item in rows:
            ref = item.values["account"]
            id_ = known.get(name_key(ref)) or known.get(f"ext:{ref}") or known.get(f"#{ref.lstrip('#')}")
            if id_ is None:
                try:
                    id_ = resolve_account(session, ref).id
                except CsmctlError as error:
                    problems.append(
                        ctx.problem(item.row, error.message, field="account", value=ref, hint=error.hint)
                    )
                    continue
                known[name_key(ref)] = id_
            resolved.append((item, id_))
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
