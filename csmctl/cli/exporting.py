"""`csmctl export ...`: the book as CSV or JSON that `csmctl import` reads back unchanged."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import OutputOpt, doc_format_option, output_format
from csmctl.output import Format

app = typer.Typer(no_args_is_help=True)


class ExportFormat(StrEnum):
    """What `csmctl import` reads back: nothing else is offered."""

    csv = "csv"
    json = "json"


ExportFormatOpt = Annotated[ExportFormat | None, doc_format_option("csv")]
IncludeArchived = Annotated[
    bool, typer.Option("--include-archived/--active-only", help="Include archived accounts.")
]


def _format(out: Path | None, given: ExportFormat | None) -> Format:
    return Format(output_format(out, given, ExportFormat, ExportFormat.csv).value)


@app.command()
def accounts(
    fmt: ExportFormatOpt = None, out: OutputOpt = None, include_archived: IncludeArchived = True
) -> None:
    """Export accounts (importable again with `csmctl import accounts`)."""
    from csmctl.domain.accounts import EXPORT_COLUMNS, export_row
    from csmctl.files import output_stream
    from csmctl.store.accounts import AccountFilter, iter_accounts

    chosen = _format(out, fmt)
    flt = AccountFilter(archived=None if include_archived else False)
    with state.current().database().read() as session, output_stream(out, newline="") as stream:
        records = iter_accounts(session, flt, "name")
        if chosen is Format.csv:
            count = output.emit(
                (export_row(r) for r in records), [], chosen, stream=stream, csv_columns=EXPORT_COLUMNS
            )
        else:
            drop = ("id", "created_at", "updated_at")
            count = output.emit(
                ({k: v for k, v in r.items() if k not in drop} for r in records), [], chosen, stream=stream
            )
    if out is not None and str(out) != "-":
        output.success(f"Exported {count} accounts to {out}.")


@app.command()
def contacts(fmt: ExportFormatOpt = None, out: OutputOpt = None) -> None:
    """Export contacts with their account's name."""
    from csmctl.domain.contacts import EXPORT_COLUMNS
    from csmctl.files import output_stream
    from csmctl.store.contacts import list_contacts

    chosen = _format(out, fmt)
    with state.current().database().read() as session:
        records = list_contacts(session)
    with output_stream(out, newline="") as stream:
        shaped = [{k: r[k] for k in EXPORT_COLUMNS} for r in records]
        count = output.emit(shaped, [], chosen, stream=stream, csv_columns=EXPORT_COLUMNS)
    if out is not None and str(out) != "-":
        output.success(f"Exported {count} contacts to {out}.")


@app.command()
def touchpoints(fmt: ExportFormatOpt = None, out: OutputOpt = None) -> None:
    """Export touchpoints, oldest first (importable again with `csmctl import touchpoints`)."""
    from csmctl.domain.touchpoints import EXPORT_COLUMNS
    from csmctl.files import output_stream
    from csmctl.store.touchpoints import export_rows

    chosen = _format(out, fmt)
    with state.current().database().read() as session:
        records = list(export_rows(session))
    with output_stream(out, newline="") as stream:
        count = output.emit(records, [], chosen, stream=stream, csv_columns=EXPORT_COLUMNS)
    if out is not None and str(out) != "-":
        output.success(f"Exported {count} touchpoints to {out}.")
