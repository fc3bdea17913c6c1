"""`csmctl book [--by owner]`: the manager's view of the book, per CSM."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli.options import OutputOpt, OwnerOpt
from csmctl.cli.templates import TemplateDirOpt
from csmctl.output import Column, Format


class BookBy(StrEnum):
    owner = "owner"


class BookFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


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
        BookBy | None, typer.Option("--by", help="owner: one row per CSM (default: the whole book).")
    ] = None,
    owner: OwnerOpt = None,
    fmt: Annotated[
        BookFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table, json, csv; md or html make a shareable page with charts (default: from the "
            "-o suffix, else table).",
        ),
    ] = None,
    output_path: OutputOpt = None,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Per CSM: accounts, ARR, touched within cadence, overdue follow-ups, red/yellow health, open
    risks by stage, renewals in the next 90 days with their forecast, GRR/NRR over the last year."""
    from csmctl.cli import state
    from csmctl.cli.forecast import defaults
    from csmctl.cli.health import load_profiles
    from csmctl.domain.book import build
    from csmctl.errors import InvalidValue
    from csmctl.store.book import gather

    by_owner = by == "owner"
    chosen = _format(fmt, output_path)
    app_state = state.current()
    who = app_state.owner(owner)
    profiles, rules = load_profiles(None)  # as health, today, brief and plays read them
    likely = defaults()
    with app_state.database().rows() as session:  # the lean read path: no SQLModel, no ORM
        books = gather(session, app_state.today, who, rules, likely, profiles, by_owner=by_owner)
        if chosen in ("md", "html"):
            from csmctl.documents.book import CHART_MONTHS
            from csmctl.domain.dates import add_months
            from csmctl.domain.forecast import line
            from csmctl.store.forecast import forecast_rows

            end = add_months(app_state.today, CHART_MONTHS)
            year = [
                line(r, likely) for r in forecast_rows(session, start=app_state.today, end=end, owner=who)
            ]
    built = [b.record() for b in build(*books, by_owner=by_owner)]
    if chosen in ("md", "html"):
        _page(built, year, chosen, who, output_path, template_dir)
        return
    if output_path is not None:
        raise InvalidValue(
            "-o writes the md or html page.", "Add --format md or html, or name the file .md/.html."
        )
    records = [_shown(b, Format(chosen)) for b in built]
    output.emit(records, COLUMNS, chosen, csv_columns=CSV_COLUMNS, empty="No active accounts.")


def _format(fmt: BookFormat | None, output_path) -> str:
    """--format, else what -o's extension says (one rule: cli.options.output_format), else a table."""
    from csmctl.cli.options import output_format

    return output_format(output_path, fmt, BookFormat, BookFormat.table).value


def _page(records, lines, fmt: str, owner, output_path, template_dir) -> None:
    from csmctl.cli import state
    from csmctl.cli.templates import template_dirs
    from csmctl.documents.book import book_context, render_book
    from csmctl.files import write_text

    context = book_context(records, lines, state.current().today, owner=owner)
    write_text(output_path, render_book(context, fmt, template_dirs(template_dir)))
    if output_path is not None and str(output_path) != "-":
        output.success(f"Wrote the book page to {output_path}.")


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
