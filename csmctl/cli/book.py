"""`csmctl book [--by owner]`: the manager's view of the book, per CSM."""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import output
from csmctl.cli.options import FormatOpt, OwnerOpt
from csmctl.output import Column, Format


def _moneys(values) -> str:
    return ", ".join(v.short() for v in values)


def _pcts(values) -> str:
    return ", ".join(f"{c} {p}" for c, p in values.items())


COLUMNS = [
    Column("owner", "Owner"),
    Column("accounts", "Accts", right=True),
    Column("arr", "ARR"),
    Column("coverage", "Touched"),
    Column("overdue_follow_ups", "Overdue FU", right=True),
    Column("health", "Red/Yellow"),
    Column("risks", "Risks (at-risk plan saving)"),
    Column("renewals", "Renewals 90d (weighted)"),
    Column("grr", "GRR"),
    Column("nrr", "NRR"),
]
CSV_COLUMNS = [
    "owner",
    "accounts",
    "arr",
    "touched",
    "untouched",
    "coverage_pct",
    "overdue_follow_ups",
    "red",
    "yellow",
    "risks_at_risk",
    "risks_plan_in_place",
    "risks_saving",
    "renewals_90d",
    "renewals_90d_available",
    "renewals_90d_weighted",
    "grr",
    "nrr",
]


def book(
    by: Annotated[
        str | None, typer.Option("--by", help="owner: one row per CSM (default: the whole book).")
    ] = None,
    owner: OwnerOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Per CSM: accounts, ARR, touched within cadence, overdue follow-ups, red/yellow health, open
    risks by stage, renewals in the next 90 days with their forecast, GRR/NRR over the last year."""
    from csmctl.cli import state
    from csmctl.domain.book import build
    from csmctl.errors import InvalidValue
    from csmctl.store.book import gather

    if by is not None and by != "owner":
        raise InvalidValue(f"Unknown --by {by!r}.", "Use owner.")
    from csmctl.cli.forecast import defaults
    from csmctl.cli.health import load_profiles

    by_owner = by == "owner"
    app_state = state.current()
    profiles, cadence = load_profiles(None)
    with app_state.database().read() as session:
        books = gather(
            session, app_state.today, app_state.owner(owner), profiles, cadence, defaults(), by_owner=by_owner
        )
    records = [_shown(b.record(), fmt) for b in build(*books, by_owner=by_owner)]
    output.emit(records, COLUMNS, fmt, csv_columns=CSV_COLUMNS, empty="No active accounts.")


def _shown(record: dict, fmt: Format) -> dict:
    """Flat cells for table/csv/md; json keeps the nested record."""
    if fmt is Format.json:
        return record
    from csmctl.domain.health import sparkline

    mix = record["renewals_90d_by_category"]
    risks = record["open_risks"]
    weighted = _moneys(record["renewals_90d_weighted"])
    bars = sparkline(list(mix.values()), min_span=1, zero_based=True) if record["renewals_90d"] else ""
    return {
        **record,
        "coverage": f"{record['touched']}/{record['accounts']}",
        "health": f"{record['red']}/{record['yellow']}",
        "renewals": f"{record['renewals_90d']} {bars} {weighted}".strip(),
        "risks": " ".join(str(n) for n in risks.values()),
        "risks_at_risk": risks["at-risk"],
        "risks_plan_in_place": risks["plan-in-place"],
        "risks_saving": risks["saving"],
        "arr": _moneys(record["arr"]),
        "renewals_90d_available": _moneys(record["renewals_90d_available"]),
        "renewals_90d_weighted": weighted,
        "grr": _pcts(record["grr"]),
        "nrr": _pcts(record["nrr"]),
    }
