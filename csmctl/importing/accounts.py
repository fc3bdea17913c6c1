"""Importing accounts: upsert by external id, else by name; new rows go in as one bulk insert."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from csmctl.domain import accounts as domain
from csmctl.errors import Problem
from csmctl.importing.presets import Preset
from csmctl.importing.reader import Row
from csmctl.importing.runner import ImportReport, Parsed, RowContext
from csmctl.importing.values import Choice
from csmctl.store.bulk import SeenKeys, bulk_insert

_NAME, _EXTERNAL = 0, 1  # the key spaces of SeenKeys: name keys, external ids

# Headers seen in CRM exports and spreadsheets, beyond the field names themselves.
ALIASES = {
    "account": "name",
    "account name": "name",
    "company": "name",
    "company name": "name",
    "customer": "name",
    "id": "external_id",
    "crm id": "external_id",
    "record id": "external_id",
    "account id": "external_id",
    "website": "domain",
    "company domain name": "domain",
    "account owner": "owner",
    "csm": "owner",
    "customer success manager": "owner",
    "segment": "segment",
    "industry": "segment",
    "lifecycle stage": "stage",
    "annual recurring revenue": "arr",
    "arr": "arr",
    "contract value": "arr",
    "renewal": "renewal_date",
    "renewal date": "renewal_date",
    "contract end date": "renewal_date",
    "contract start date": "contract_start",
    "start date": "contract_start",
    "term": "term_months",
    "contract term": "term_months",
    "auto renewal": "auto_renew",
    "notice period": "notice_days",
    "notice period days": "notice_days",
}
_ANNUAL_REVENUE = (
    "the customer's own annual revenue, not the ARR of your contract with them; "
    "if it holds your ARR, import it with --map '{column}=arr'"
)
# Columns that look like a field but are not: never imported unless mapped by hand.
NOTES = {"Annual Revenue": _ANNUAL_REVENUE, "AnnualRevenue": _ANNUAL_REVENUE}

# HubSpot lifecycle stages (internal value and label match alike, see presets.value_key): a
# customer is in adoption, an evangelist is ready to expand. Pre-sale stages (subscriber, lead,
# MQL, SQL, opportunity) and "other" have no csmctl stage: they stay unmapped and are reported.
_HUBSPOT_STAGES = {"customer": "adoption", "evangelist": "expansion"}

PRESETS = {
    "hubspot": Preset(
        "hubspot",
        "HubSpot: Companies > Export (default properties, plus common custom ones)",
        columns={
            "Record ID": "external_id",
            "Company name": "name",
            "Company Domain Name": "domain",
            "Website URL": "",
            "Company owner": "owner",
            "Industry": "segment",
            "Lifecycle Stage": "stage",
            "Annual recurring revenue": "arr",
            "Currency": "currency",
            "Renewal date": "renewal_date",
            "Contract start date": "contract_start",
            "Customer tier": "tier",
            "Create Date": "",
            "Last Activity Date": "",
            "Type": "",
        },
        values={"Lifecycle Stage": _HUBSPOT_STAGES},
        notes={"Annual Revenue": _ANNUAL_REVENUE},
    ),
    "salesforce": Preset(
        "salesforce",
        "Salesforce: an Accounts report (labels) or a Data Loader export of Account (API names)",
        columns={
            # Report export (field labels)
            "Account ID": "external_id",
            "Account Name": "name",
            "Website": "domain",
            "Account Owner": "owner",
            "Industry": "segment",
            "Type": "stage",
            "Account Currency": "currency",
            "ARR": "arr",
            "Renewal Date": "renewal_date",
            "Contract Start Date": "contract_start",
            "Billing Country": "",
            "Created Date": "",
            "Last Activity": "",
            # Data Loader export (API names)
            "Id": "external_id",
            "Name": "name",
            "CurrencyIsoCode": "currency",
            "BillingCountry": "",
            "CreatedDate": "",
            "LastActivityDate": "",
        },
        # Account.Type's standard picklist; partners, resellers and prospects are no customers.
        values={"Type": {"Customer - Direct": "adoption", "Customer - Channel": "adoption"}},
        notes={
            "Annual Revenue": _ANNUAL_REVENUE,
            "AnnualRevenue": _ANNUAL_REVENUE,
            "OwnerId": "a Salesforce user id (005...), not the owner's name; "
            "to import the ids anyway, --map '{column}=owner'",
        },
    ),
    "pipedrive": Preset(
        "pipedrive",
        "Pipedrive: Organizations > Export (columns 'Organization - ...')",
        columns={
            "Organization - ID": "external_id",
            "Organization - Name": "name",
            "Organization - Owner": "owner",
            "Organization - Website": "domain",
            "Organization - Label": "stage",
            "Organization - Address": "",
            "Organization - People": "",
            "Organization - Open deals": "",
            "Organization - Won deals": "",
            "Organization - Add time": "",
            "Organization - Update time": "",
        },
        # Pipedrive's default organization labels: Customer, Hot lead, Warm lead, Cold lead.
        values={"Organization - Label": {"Customer": "adoption"}},
    ),
}


class AccountImporter:
    entity = "accounts"
    fields = domain.FIELDS
    aliases = ALIASES
    presets = PRESETS
    required = ("name",)
    notes = NOTES
    field_types = domain.FIELD_TYPES
    choices = {
        "tier": Choice(domain.TIERS, domain.TIER_ALIASES, domain.FIELDS["tier"]),
        "stage": Choice(domain.STAGES, domain.STAGE_ALIASES, domain.FIELDS["stage"]),
    }

    # Parsed cells of this import's file, by field (see domain.parse_account_fields), for one today.
    _memo: dict[Any, dict[str, Any]]
    _memo_today: date | None

    def parse(
        self, values: Mapping[str, Any], row: Row, ctx: RowContext, today: date
    ) -> tuple[dict[str, Any], list[Problem]]:
        if today != self._memo_today:  # relative dates ("+90d") parse from today
            self._memo = {}
            self._memo_today = today
        parsed, problems = domain.parse_account_fields(values, today=today, memo=self._memo)
        located = ctx.locate(row, problems, values) if problems else []
        for rule in domain.check_account(parsed):
            located.append(ctx.problem(row, rule, field="renewal_date"))
        return parsed, located

    # The runner hands write() a Core connection, not a SQLModel session: an import of new
    # accounts never loads SQLModel or pydantic (a quarter of a second of start-up).
    writes_rows = True

    def __init__(self) -> None:
        self._conn: Any = None
        self._orm: Any = None  # the ORM session on that connection, made for the first update
        self._memo = {}
        self._memo_today = None

    def _index(self, conn: Any) -> None:
        """name_key -> id and external_id -> id for the whole book, read once per import."""
        import sqlalchemy as sa  # here, not at import: shell completion reads PRESETS

        from csmctl.store.tables import account as table

        if self._conn is conn:
            return
        self._conn, self._orm = conn, None
        self.by_name: dict[str, int] = {}
        self.by_external: dict[str, int] = {}
        # The line each name key / external id of this file was first seen on, for "appears
        # earlier in the file (line N)": in a temp table, so memory stays flat in the file size.
        self.seen = SeenKeys(conn)
        for id_, key, external in conn.execute(sa.select(table.c.id, table.c.name_key, table.c.external_id)):
            self.by_name[key] = id_
            if external:
                self.by_external[external] = id_

    def _session(self, conn: Any) -> Any:
        """An ORM session in the import's transaction, for updating an existing account through
        its model (store.accounts.apply_fields): made on the first update only."""
        if self._orm is None:
            from sqlmodel import Session

            # Bound to a connection in a transaction, the session joins it and never commits it.
            self._orm = Session(bind=conn, expire_on_commit=False)
        return self._orm

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

        from csmctl.store.accounts import apply_fields, new_account_row
        from csmctl.store.tables import account as table

        self._index(conn)
        by_name, by_external = self.by_name, self.by_external
        keys = [domain.name_key(item.values["name"]) for item in rows]
        externals = [item.values.get("external_id") for item in rows]
        # The earlier chunks' lines for this chunk's keys (one query each), and this chunk's own:
        # a key is in one or the other, since a row seen before is not remembered again.
        before_name = self.seen.lines(_NAME, keys)
        before_external = self.seen.lines(_EXTERNAL, [external for external in externals if external])
        seen_name: dict[str, int] = {}
        seen_external: dict[str, int] = {}
        problems: list[Problem] = []
        inserts: list[dict[str, Any]] = []
        done = 0  # rows handled, for the progress bar
        for item, key, external in zip(rows, keys, externals, strict=True):
            values, row = item.values, item.row
            earlier = seen_name.get(key)
            if earlier is None:
                earlier = before_name.get(key)
            if earlier is None and external:
                earlier = seen_external.get(external)
                if earlier is None:
                    earlier = before_external.get(external)
            if earlier is not None:
                problems.append(
                    ctx.problem(
                        row,
                        f"the same account appears earlier in the file (line {earlier})",
                        field="external_id" if external else "name",
                        value=external or values["name"],
                    )
                )
                continue
            seen_name[key] = row.line or row.index
            if external:
                seen_external[external] = row.line or row.index
            existing_id = by_external.get(external) if external else None
            if existing_id is None:
                existing_id = by_name.get(key)
                if existing_id is not None and external:
                    other = conn.execute(
                        sa.select(table.c.external_id).where(table.c.id == existing_id)
                    ).scalar()
                    if other and other != external:
                        problems.append(
                            ctx.problem(
                                row,
                                f"an account with this name already has external id {other!r}",
                                field="external_id",
                                value=external,
                                hint="fix the id, or rename one of the accounts",
                            )
                        )
                        continue
            elif by_name.get(key, existing_id) != existing_id:
                problems.append(
                    ctx.problem(
                        row, "another account already has this name", field="name", value=values["name"]
                    )
                )
                continue
            if existing_id is None:
                inserts.append(new_account_row(values, today=today, now=now))
                report.created += 1
            elif policy == "fail":
                problems.append(
                    ctx.problem(
                        row,
                        f"the account already exists (id {existing_id})",
                        field="name",
                        value=values["name"],
                        hint="use --on-conflict update or skip",
                    )
                )
            elif policy == "skip":
                report.count("skipped")
            else:
                from csmctl.store.models import Account

                session = self._session(conn)
                account = session.get(Account, existing_id)
                changed = apply_fields(account, values, today=today, now=now)
                if changed:
                    session.add(account)
                report.count("updated" if changed else "unchanged")
            done += 1
        self.seen.add(_NAME, seen_name)
        self.seen.add(_EXTERNAL, seen_external)
        advance(done)  # once a chunk: a terminal's progress bar costs a lock and a redraw a call
        if problems:
            return problems
        if inserts:
            bulk_insert(conn, table, inserts)
        if self._orm is not None:
            self._orm.flush()
            self._orm.expunge_all()  # keep the identity map (and memory) small across chunks
        return []
