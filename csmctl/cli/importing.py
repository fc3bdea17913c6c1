"""`csmctl import ...`: accounts, contacts and touchpoints from CSV or JSON, all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import DryRunOpt
from csmctl.errors import InvalidValue

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
    str | None,
    typer.Option(
        "--preset",
        help="Column names of a CRM export: hubspot or salesforce.",
        autocompletion=completion.presets,
    ),
]
ConflictOpt = Annotated[
    str, typer.Option("--on-conflict", help="When a record exists: update, skip or fail.")
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
    from csmctl.importing.runner import POLICIES, plan_columns, run_import

    if on_conflict not in POLICIES:
        raise InvalidValue(f"Unknown --on-conflict {on_conflict!r}.", f"Use one of: {', '.join(POLICIES)}.")
    table = read_table(file, encoding=encoding)
    columns = plan_columns(importer, table, preset=preset, user_map=parse_map_options(map_))
    if columns.ignored:
        output.warn(
            f"ignoring columns not mapped to a field: {', '.join(columns.ignored)} "
            "(use --map 'COLUMN=field' to import one)."
        )
    app_state = state.current()
    with _book(app_state, dry_run) as database:
        report = run_import(
            database,
            importer,
            table,
            columns=columns,
            policy=on_conflict,
            dry_run=dry_run,
            today=app_state.today,
            now=utcnow(),
            progress=output.progress,
        )
    output.success(report.summary())


@contextmanager
def _book(app_state: state.AppState, dry_run: bool) -> Iterator[Any]:
    """The book to import into. A dry run writes nothing anywhere: when the SQLite book does not
    exist yet, it runs against an empty scratch book in a private temporary folder (removed
    afterwards) instead of creating the file and its folder."""
    from csmctl.store.database import Database, sqlite_path

    path = sqlite_path(app_state.db_target)
    if not dry_run or path is None or path.exists():
        yield app_state.database()
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="csmctl-dry-run-") as folder:
        scratch = Database(str(Path(folder) / "book.db"))
        try:
            output.err(f"No book at {path} yet: checking against an empty one.", style="dim")
            yield scratch
        finally:
            scratch.dispose()


@app.command()
def accounts(
    file: FileArg,
    map_: MapOpt = None,
    preset: PresetOpt = None,
    on_conflict: ConflictOpt = "update",
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
    on_conflict: ConflictOpt = "update",
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
    on_conflict: ConflictOpt = "update",
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import touchpoints; each row names its account, and may name contacts ('with', ';'-separated)."""
    from csmctl.cli.touchpoints import rules
    from csmctl.importing.touchpoints import TouchpointImporter

    run(TouchpointImporter(rules()), file, map_, preset, on_conflict, dry_run, encoding)
