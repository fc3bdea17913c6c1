"""Importing touchpoints: each row names its account (and optionally contacts at it).

A row that matches an existing touchpoint (same account, kind, moment and summary) is that
touchpoint: re-importing a file, or an export, changes nothing. The rules (kinds, a follow-up not
before its touchpoint, no unplanned future touchpoint) are the ones `csmctl touch` applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from csmctl.domain import fields
from csmctl.domain import touchpoints as domain
from csmctl.errors import CsmctlError, Problem
from csmctl.importing.presets import Preset
from csmctl.importing.reader import Row
from csmctl.importing.runner import ImportReport, Parsed, RowContext

FIELDS = {"account": "account", **domain.FIELDS}
ALIASES = {
    "account name": "account",
    "company": "account",
    "company name": "account",
    "customer": "account",
    "type": "kind",
    "activity type": "kind",
    "channel": "kind",
    "when": "occurred_at",
    "date": "occurred_at",
    "occurred": "occurred_at",
    "activity date": "occurred_at",
    "notes": "summary",
    "description": "summary",
    "subject": "summary",
    "body": "summary",
    "with": "contacts",
    "contact": "contacts",
    "attendees": "contacts",
    "participants": "contacts",
    "mood": "sentiment",
    "follow up": "follow_up_date",
    "follow up date": "follow_up_date",
    "next step date": "follow_up_date",
    "follow up text": "follow_up_text",
    "next step": "follow_up_text",
    "tag": "tags",
}
PRESETS = {
    "hubspot": Preset(
        "hubspot",
        "HubSpot: Activities > Export (calls, emails, meetings, notes)",
        columns={
            "Associated Company": "account",
            "Activity type": "kind",
            "Activity date": "occurred_at",
            "Body": "summary",
            "Associated Contact": "contacts",
            "Activity ID": "",
            "Create date": "",
        },
    ),
    "salesforce": Preset(
        "salesforce",
        "Salesforce: an Activities report",
        columns={
            "Account Name": "account",
            "Task Subtype": "kind",
            "Date": "occurred_at",
            "Comments": "summary",
            "Name": "contacts",
            "Subject": "",
            "Activity ID": "",
        },
    ),
}


class TouchpointImporter:
    entity = "touchpoints"
    fields = FIELDS
    aliases = ALIASES
    presets = PRESETS
    required = ("account", "occurred_at", "summary")

    def __init__(self, rules: domain.Rules | None = None) -> None:
        self.rules = rules or domain.Rules()

    def parse(
        self, values: Mapping[str, Any], row: Row, ctx: RowContext, today: date
    ) -> tuple[dict[str, Any], list[Problem]]:
        # Imported dates without a time go in at noon UTC, the same on every run.
        noon = datetime.combine(today, domain.NOON, tzinfo=UTC)
        given = dict(values)
        if fields.blank(given.get("kind")):
            given["kind"] = self.rules.default_kind
        parsed, problems = domain.parse_fields(given, self.rules, today=today, now=noon)
        problems += domain.check_touchpoint(parsed, today=today)
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
        import sqlalchemy as sa

        from csmctl.store.account_ref import find_accounts
        from csmctl.store.bulk import bulk_insert
        from csmctl.store.tables import touchpoint as table
        from csmctl.store.touchpoint_log import (
            add_touchpoint,
            new_touchpoint_row,
            resolve_contacts,
            set_contacts,
        )
        from csmctl.store.touchpoints import apply_values, contacts_of, same_touchpoints, stored_moment

        # The batch in a few queries: its accounts, then the touchpoints its rows could be. New
        # touchpoints wait in `inserts` (one bulk insert); one with contacts, or a later row that
        # is the same touchpoint (a repeat in the file), writes them first, so ids come out as a
        # row-by-row import gave them.
        conn = session.connection()
        found = find_accounts(conn, [item.values["account"] for item in rows])
        known = same_touchpoints(
            conn,
            [
                (account[0], v["kind"], v["occurred_at"], v["summary"])
                for v in (item.values for item in rows)
                if isinstance(account := found[v["account"]], tuple)
            ],
        )
        stored = stored_moment(conn.dialect)
        inserts: list[dict[str, Any]] = []
        problems: list[Problem] = []
        for item in rows:
            values, row = dict(item.values), item.row
            ref = values.pop("account")
            account = found[ref]
            if not isinstance(account, tuple):
                problems.append(
                    ctx.problem(row, account.message, field="account", value=ref, hint=account.hint)
                )
                continue
            owner: Any = SimpleNamespace(id=account[0], name=account[1])
            try:
                people = resolve_contacts(session, owner, values.pop("contacts", []))
            except CsmctlError as error:
                problems.append(ctx.problem(row, error.message, field="contacts", hint=error.hint))
                continue
            key = (owner.id, values["kind"], stored(values["occurred_at"]), values["summary"])
            existing = known.get(key)
            if existing is not None and existing.id is None:  # one of this batch's new touchpoints
                bulk_insert(conn, table, inserts)
                inserts = []
                existing.id = conn.execute(
                    sa.select(sa.func.min(table.c.id)).where(
                        table.c.account_id == owner.id,
                        table.c.kind == values["kind"],
                        table.c.occurred_at == values["occurred_at"],
                        table.c.summary == values["summary"],
                    )
                ).scalar_one()
            if existing is None:
                if people:  # its links need its id
                    bulk_insert(conn, table, inserts)
                    inserts = []
                    known[key] = SimpleNamespace(**add_touchpoint(session, owner, values, people, now=now))
                else:
                    new = new_touchpoint_row(owner.id, values, now=now)
                    inserts.append(new)
                    known[key] = SimpleNamespace(id=None, **new)
                report.count("created")
            elif policy == "fail":
                problems.append(
                    ctx.problem(
                        row,
                        f"the touchpoint already exists (id {existing.id})",
                        field="summary",
                        hint="use --on-conflict update or skip",
                    )
                )
            elif policy == "skip":
                report.count("skipped")
            else:
                before = _columns(existing)
                after = SimpleNamespace(**before)
                changed = apply_values(after, values)
                if values.get("follow_up_done") and after.follow_up_done_on is None:
                    after.follow_up_done_on = after.follow_up_date
                linked = contacts_of(session, [existing.id]).get(existing.id, []) if people else []
                if people and sorted(c.id for c in people) != sorted(c.id for c in linked):
                    set_contacts(session, after, people)
                    changed.append("contacts")
                columns = {k: v for k, v in vars(after).items() if k in before and v is not before[k]}
                if columns:
                    conn.execute(sa.update(table).where(table.c.id == existing.id).values(columns))
                known[key] = after
                report.count("updated" if changed else "unchanged")
        advance(len(rows))  # once a batch: a terminal's progress bar costs a lock and a redraw a call
        bulk_insert(conn, table, inserts)
        return problems


def _columns(touchpoint: Any) -> dict[str, Any]:
    """A touchpoint's columns, from a row read this batch or one this batch wrote."""
    if hasattr(touchpoint, "_mapping"):
        return {k: v for k, v in touchpoint._mapping.items() if k != "stored_at"}
    return dict(vars(touchpoint))
