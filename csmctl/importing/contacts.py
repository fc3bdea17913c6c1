"""Importing contacts: each row names its account; upsert by email, else by name, per account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from csmctl.domain import contacts as domain
from csmctl.errors import CsmctlError, Problem
from csmctl.importing.presets import Preset
from csmctl.importing.reader import Row
from csmctl.importing.runner import ImportReport, Parsed, RowContext

# A CRM exports a person's name in two columns; they make the name when no name column is given.
FIELDS = {"account": "account", **domain.FIELDS, "first_name": "first name", "last_name": "last name"}
ALIASES = {
    "account name": "account",
    "company": "account",
    "company name": "account",
    "full name": "name",
    "first name": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "surname": "last_name",
    "family name": "last_name",
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
    "hubspot": Preset(
        "hubspot",
        "HubSpot: Contacts > Export (with the associated company)",
        columns={
            "Associated Company": "account",
            "Company Name": "",  # the contact's own text property; the association is the truth
            "Email": "email",
            "Job Title": "role",
            "Phone Number": "phone",
            "Record ID": "",
            "Contact owner": "",
            "Lifecycle Stage": "",
            "Create Date": "",
            "Last Activity Date": "",
        },
    ),
}


class ContactImporter:
    entity = "contacts"
    fields = FIELDS
    aliases = ALIASES
    presets = PRESETS
    required = ("account", ("name", "first_name", "last_name"))
    field_types = {
        "account": "account name, id or external id (required)",
        **domain.FIELD_TYPES,
        "name": "text, required (or first_name and last_name)",
        "first_name": "text: with last_name, the name when there is no name column",
        "last_name": "text",
    }

    def parse(
        self, values: Mapping[str, Any], row: Row, ctx: RowContext, today: date
    ) -> tuple[dict[str, Any], list[Problem]]:
        values = dict(values)
        first, last = values.pop("first_name", None), values.pop("last_name", None)
        if "name" not in values and (first is not None or last is not None):
            values["name"] = " ".join(
                str(part).strip() for part in (first, last) if part and str(part).strip()
            )
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
