"""`csmctl metric ...`: retention over a period (`retention`, from cli/metrics.py) and custom
measures (usage, tickets, logins) that feed health scores (`import`, `list`)."""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.importing import ConflictOpt, EncodingOpt, FileArg, MapOpt, run
from csmctl.cli.metrics import metrics
from csmctl.cli.options import AccountArg, DryRunOpt, FormatOpt, LimitOpt
from csmctl.importing.runner import ConflictPolicy
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)
app.command("retention")(metrics)


@app.command("import")
def import_(
    file: FileArg,
    map_: MapOpt = None,
    on_conflict: ConflictOpt = ConflictPolicy.update,
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import metric values: columns account, date, name, value (all-or-nothing)."""
    from csmctl.importing.metric_values import MetricImporter

    run(MetricImporter(), file, map_, None, on_conflict, dry_run, encoding)


@app.command("list")
def list_(
    account: AccountArg,
    name: Annotated[str | None, typer.Option("--name", help="Only this metric.")] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """An account's metric values, newest first."""
    from csmctl.domain.metric_values import metric_name
    from csmctl.store.accounts import resolve_account
    from csmctl.store.metric_values import list_metrics

    app_state = state.current()
    with app_state.database().read() as session:
        found = resolve_account(session, account)
        assert found.id is not None  # a stored account has its id
        rows = list_metrics(session, found.id, metric_name(name) if name else None, limit, app_state.today)
    output.emit(
        rows,
        [
            Column("date", "Date"),
            Column("name", "Metric"),
            Column("value", "Value", show=lambda v: f"{v:g}", right=True),
        ],
        fmt,
        csv_columns=["date", "name", "value"],
        empty=f"No metric values for {found.name}: `csmctl metric import FILE` adds them.",
    )
