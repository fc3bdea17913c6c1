"""Importing touchpoints: each row names its account (and optionally contacts at it).

A row that matches an existing touchpoint (same account, kind, moment and summary) is that
touchpoint: re-importing a file, or an export, changes nothing. The rules (kinds, a follow-up not
before its touchpoint, no unplanned future touchpoint) are the ones `csmctl touch` applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
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
        from sqlmodel import select

        from csmctl.store.accounts import resolve_account
        from csmctl.store.models import Touchpoint
        from csmctl.store.touchpoints import add_touchpoint, apply_values, resolve_contacts, set_contacts

        problems: list[Problem] = []
        accounts: dict[str, Any] = {}
        for item in rows:
            values, row = dict(item.values), item.row
            ref = values.pop("account")
            try:
                account = accounts.get(ref) or resolve_account(session, ref)
                accounts[ref] = account
                people = resolve_contacts(session, account, values.pop("contacts", []))
            except CsmctlError as error:
                field = "account" if ref not in accounts else "contacts"
                problems.append(
                    ctx.problem(
                        row,
                        error.message,
                        field=field,
                        value=ref if field == "account" else None,
                        hint=error.hint,
                    )
                )
                continue
            existing = session.exec(
                select(Touchpoint).where(
                    Touchpoint.account_id == account.id,
                    Touchpoint.kind == values["kind"],
                    Touchpoint.occurred_at == values["occurred_at"],
                    Touchpoint.summary == values["summary"],
                )
            ).first()
            if existing is None:
                add_touchpoint(session, account, values, people, now=now)
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
                changed = apply_values(existing, values)
                if values.get("follow_up_done") and existing.follow_up_done_on is None:
                    existing.follow_up_done_on = existing.follow_up_date
                if people and sorted(c.id for c in people) != sorted(_contact_ids(session, existing.id)):
                    set_contacts(session, existing, people)
                    changed.append("contacts")
                session.add(existing)
                report.count("updated" if changed else "unchanged")
            advance(1)
        return problems


def _contact_ids(session: Any, touchpoint_id: int) -> list[int]:
    from sqlmodel import select

    from csmctl.store.models import TouchpointContact

    return list(
        session.exec(
            select(TouchpointContact.contact_id).where(TouchpointContact.touchpoint_id == touchpoint_id)
        ).all()
    )
