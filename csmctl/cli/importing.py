"""`csmctl import ...`: accounts, contacts and touchpoints from CSV or JSON, all-or-nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import DryRunOpt
from csmctl.importing.runner import ConflictPolicy

app = typer.Typer(no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="A .csv or .json file ('-' reads stdin).", allow_dash=True)]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        "-m",
        metavar="'COLUMN=field'",
        help="Feed a file column into a field (repeat); 'COLUMN=' ignores it.",
    ),
]
PresetOpt = Annotated[
    str | None, typer.Option("--preset", help="Column names of a CRM export: hubspot or salesforce.")
]
ConflictOpt = Annotated[
    ConflictPolicy, typer.Option("--on-conflict", case_sensitive=False, help="When a record exists.")
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="Text encoding when not UTF-8 (e.g. cp1252).")
]


def run(
    importer: Any,
    file: Path,
    map_: list[str] | None,
    preset: str | None,
    on_conflict: str,
    dry_run: bool,
    encoding: str | None,
) -> None:
    """The shared body of every `import` command (touchpoints and metrics reuse it too)."""
    from csmctl.domain.accounts import utcnow
    from csmctl.importing.mapping import parse_map_options
    from csmctl.importing.reader import read_table
    from csmctl.importing.runner import plan_columns, run_import

    table = read_table(file, encoding=encoding)
    columns = plan_columns(importer, table, preset=preset, user_map=parse_map_options(map_))
    if columns.ignored:
        output.warn(
            f"ignoring columns not mapped to a field: {', '.join(columns.ignored)} "
            "(use --map 'COLUMN=field' to import one)."
        )
    app_state = state.current()
    report = run_import(
        app_state.database(),
        importer,
        table,
        columns=columns,
        policy=str(on_conflict),
        dry_run=dry_run,
        today=app_state.today,
        now=utcnow(),
        progress=output.progress,
    )
    output.success(report.summary())


@app.command()
def accounts(
    file: FileArg,
    map_: MapOpt = None,
    preset: PresetOpt = None,
    on_conflict: ConflictOpt = ConflictPolicy.update,
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import accounts; match existing ones by external id, else by name."""
    from csmctl.importing.accounts import AccountImporter

    run(AccountImporter(), file, map_, preset, on_conflict, dry_run, encoding)


@app.command()
def contacts(
    file: FileArg,
    map_: MapOpt = None,
    preset: PresetOpt = None,
    on_conflict: ConflictOpt = ConflictPolicy.update,
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import contacts; each row names its account (name, id or external id)."""
    from csmctl.importing.contacts import ContactImporter

    run(ContactImporter(), file, map_, preset, on_conflict, dry_run, encoding)


@app.command()
def touchpoints(
    file: FileArg,
    map_: MapOpt = None,
    preset: PresetOpt = None,
    on_conflict: ConflictOpt = ConflictPolicy.update,
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import touchpoints; each row names its account, and may name contacts ('with', ';'-separated)."""
    from csmctl.cli.touchpoints import rules
    from csmctl.importing.touchpoints import TouchpointImporter

    run(TouchpointImporter(rules()), file, map_, preset, on_conflict, dry_run, encoding)
