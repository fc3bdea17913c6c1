"""`csmctl stale`: accounts whose last real contact is older than their cadence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, LimitOpt, OwnerOpt
from csmctl.documents.filters import plural
from csmctl.errors import fail_if_found
from csmctl.output import Column, Format


class _LastContact(Column):
    def cell(self, record: Mapping[str, Any], *, terminal: bool = False) -> str:
        value = record.get(self.key)
        return value.isoformat() if value else "never"


COLUMNS = [
    Column("account", "Account"),
    Column("owner", "Owner"),
    Column("tier", "Tier"),
    Column("cadence_days", "Cadence", show=lambda d: f"{d}d", right=True),
    _LastContact("last_contact", "Last contact"),
    Column("days_since", "Days since", right=True),
    Column("days_over", "Days over", right=True),
]


def stale(
    owner: OwnerOpt = None,
    tier: Annotated[
        str | None, typer.Option("--tier", metavar="TIER", help="Only accounts of this tier.")
    ] = None,
    limit: LimitOpt = None,
    fail: Annotated[
        bool, typer.Option("--fail-if-any", help="Exit 3 when any account is stale (for cron).")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Accounts not contacted within their cadence (notes do not count), most overdue first.

    Cadence per tier defaults to strategic/enterprise 14d, mid-market 30d, smb 60d, scaled 90d;
    set [cadence] in config.toml, or `csmctl account edit NAME --cadence 21d` for one account.
    Accounts never contacted come first. Archived accounts are left out.
    """
    from itertools import islice

    from csmctl.cli.touchpoints import rules
    from csmctl.domain import fields
    from csmctl.domain.accounts import TIER_ALIASES, TIERS
    from csmctl.domain.touchpoints import STALE_KEYS, stale_entries, stale_record
    from csmctl.spool import sort_spilled
    from csmctl.store.stale import last_contacts

    app_state = state.current()
    tp_rules = rules()
    wanted_tier = fields.choice(tier, TIERS, what="tier", aliases=TIER_ALIASES)
    with app_state.database().rows() as connection:
        rows = last_contacts(
            connection,
            tp_rules.non_contact,
            app_state.today,
            owner=app_state.owner(owner),
            tier=wanted_tier,
        )
        # A compact entry per stale account, sorted within a bounded memory (spilled past it).
        entries = sort_spilled(stale_entries(rows, tp_rules, app_state.today))
    with entries:
        found = len(entries)
        count = output.emit(
            map(stale_record, islice(entries, limit)),
            COLUMNS,
            fmt,
            csv_columns=STALE_KEYS,  # the record's keys, in order
            empty="No stale accounts: every active account is within its cadence.",
        )
    if fail:
        fail_if_found(
            "--fail-if-any",
            [plural(found, "stale account")] if found else [],
            hint=f"{count} shown (--limit)." if count != found else None,
        )
