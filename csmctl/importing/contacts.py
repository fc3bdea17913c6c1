"""Importing contacts: each row names its account; upsert by email, else by name, per account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from csmctl.domain import contacts as domain
from csmctl.errors import CsmctlError, Problem
from csmctl.importing.reader import Row
from csmctl.importing.runner import ImportReport, Parsed, RowContext

FIELDS = {"account": "account", **domain.FIELDS}
ALIASES = {
    "account name": "account",
    "company": "account",
    "company name": "account",
    "full name": "name",
    "contact": "name",
    "contact name": "name",
    "email address": "email",
    "title": "role",
    "job title": "role",
    "phone number": "phone",
    "sponsor": "exec_sponsor",
    "executive sponsor": "exec_sponsor",
    "is champion": "champion",
}
PRESETS = {
    "hubspot": {
        "Associated Company": "account",
        "Email": "email",
        "Job Title": "role",
        "Phone Number": "phone",
        "Record ID": "",
    },
}


class ContactImporter:
    entity = "contacts"
    fields = FIELDS
    aliases = ALIASES
    presets = PRESETS
    required = ("account", "name")

    def parse(
        self, values: Mapping[str, Any], row: Row, ctx: RowContext, today: date
    ) -> tuple[dict[str, Any], list[Problem]]:
        parsed, problems = domain.parse_contact_fields(values)
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
        from csmctl.store.contacts import add_contact, same_contact

        problems: list[Problem] = []
        accounts: dict[str, Any] = {}
        for item in rows:
            values, row = dict(item.values), item.row
            ref = values.pop("account")
            try:
                account = accounts.get(ref) or resolve_account(session, ref)
            except CsmctlError as error:
                problems.append(ctx.problem(row, error.message, field="account", value=ref, hint=error.hint))
                continue
            accounts[ref] = account
            existing = same_contact(session, account, values)
            if existing is None:
                add_contact(session, account, values, now=now)
                report.count("created")
            elif policy == "fail":
                problems.append(
                    ctx.problem(
                        row,
                        f"the contact already exists (id {existing.id})",
                        field="name",
                        value=values["name"],
                        hint="use --on-conflict update or skip",
                    )
                )
            elif policy == "skip":
                report.count("skipped")
            else:
                changed = [k for k, v in values.items() if getattr(existing, k) != v]
                for key in changed:
                    setattr(existing, key, values[key])
                session.add(existing)
                report.count("updated" if changed else "unchanged")
            advance(1)
        return problems
