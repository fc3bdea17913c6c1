"""Importing contacts: each row names its account; upsert by email, else by name, per account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from csmctl.domain import contacts as domain
from csmctl.errors import Problem
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
    # write() needs rows only: the runner hands it a Core connection (no SQLModel/pydantic start-up)
    writes_rows = True
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
        conn: Any,
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
        from csmctl.store.contacts import (
            contact_key,
            contacts_of_accounts,
            matching_contact,
            new_contact_row,
        )
        from csmctl.store.tables import contact as table

        # The batch in a few queries: its accounts, then those accounts' contacts. New contacts
        # wait in `inserts` (one bulk insert); a later row that is the same person as one of them
        # (a repeat in the file) writes them first, so it sees the id a row-by-row import gave.
        found = find_accounts(conn, [item.values["account"] for item in rows])
        known = contacts_of_accounts(conn, [f[0] for f in found.values() if isinstance(f, tuple)])
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
            account_id = account[0]
            key = contact_key(values)
            existing = matching_contact(known[account_id], key)
            if existing is not None and existing.id is None:  # one of this batch's new contacts
                bulk_insert(conn, table, inserts)
                inserts = []
                known.update(contacts_of_accounts(conn, [account_id]))
                existing = matching_contact(known[account_id], key)
            if existing is None:
                new = new_contact_row(account_id, values, now=now)
                inserts.append(new)
                known[account_id].append(SimpleNamespace(id=None, **new))
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
                changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
                if changed:
                    conn.execute(sa.update(table).where(table.c.id == existing.id).values(changed))
                    mine = known[account_id]
                    mine[mine.index(existing)] = SimpleNamespace(**{**_columns(existing), **changed})
                report.count("updated" if changed else "unchanged")
        advance(len(rows))  # once a batch: a terminal's progress bar costs a lock and a redraw a call
        bulk_insert(conn, table, inserts)
        return problems


def _columns(contact: Any) -> dict[str, Any]:
    """A contact's columns, from a row read this batch or from an earlier row's update."""
    return dict(contact._mapping) if hasattr(contact, "_mapping") else dict(vars(contact))
