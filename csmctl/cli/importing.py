"""`csmctl import ...`: accounts, contacts and touchpoints from CSV or JSON, all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import DryRunOpt, FormatOpt
from csmctl.errors import InvalidValue
from csmctl.importing.runner import ConflictPolicy
from csmctl.output import Column, Format

if TYPE_CHECKING:
    from csmctl.importing.presets import Preset
    from csmctl.importing.reader import TableFile

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
        help="Columns and values of a CRM export: hubspot, salesforce, pipedrive (`csmctl import presets`), "
        "or a .toml preset file.",
        autocompletion=completion.presets,
    ),
]
MapValuesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map-values",
        metavar="'COLUMN:value=target'",
        help="Turn a file value into a csmctl value (repeat), e.g. 'Lifecycle Stage:customer=adoption'.",
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option("--strict", help="A value with no map and no csmctl meaning is an error, not a warning."),
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
    map_values: list[str] | None = None,
    strict: bool = False,
) -> None:
    """The shared body of every `import` command (touchpoints and metrics reuse it too)."""
    from csmctl.importing.presets import parse_value_options, resolve
    from csmctl.importing.reader import read_table

    app_state = state.current()
    chosen = (
        resolve(preset, importer.presets, entity=importer.entity, config_dir=app_state.settings.config_dir)
        if preset
        else None
    )
    user_values = parse_value_options(map_values)
    with closing(read_table(file, encoding=encoding)) as table:
        _run(app_state, importer, table, chosen, map_, user_values, on_conflict, dry_run, strict)


def _run(
    app_state: state.AppState,
    importer: Any,
    table: TableFile,
    chosen: Preset | None,
    map_: list[str] | None,
    user_values: dict[str, dict[str, str]],
    on_conflict: str,
    dry_run: bool,
    strict: bool,
) -> None:
    from csmctl.domain.accounts import utcnow
    from csmctl.importing.mapping import parse_map_options
    from csmctl.importing.runner import (
        column_notes,
        line_spans,
        plan_columns,
        plan_values,
        run_import,
        unexpected_columns,
    )

    columns = plan_columns(importer, table, preset=chosen, user_map=parse_map_options(map_))
    values = plan_values(importer, table, columns, preset=chosen, user_values=user_values, strict=strict)
    notes = column_notes(importer, chosen, columns)
    for column, why in notes.items():
        output.warn(f"not importing {column!r}: {why.format(column=column)}.")
    ignored = unexpected_columns(chosen, columns, notes)
    if ignored:
        output.warn(
            f"ignoring columns not mapped to a field: {', '.join(ignored)} "
            "(use --map 'COLUMN=field' to import one)."
        )
    try:
        with _book(app_state, dry_run) as database:
            report = run_import(
                database,
                importer,
                table,
                columns=columns,
                policy=str(on_conflict),
                dry_run=dry_run,
                today=app_state.today,
                now=utcnow(),
                progress=output.progress,
                values=values,
            )
    finally:  # unmapped values are worth knowing about even when the import fails for other reasons
        if dry_run:
            for line in values.applied_lines():
                output.err(f"value map: {line}")
        for line in values.unmapped_lines(line_spans):
            output.warn(line)
    output.success(report.summary())


@contextmanager
def _book(app_state: state.AppState, dry_run: bool) -> Iterator[Any]:
    """The book to import into. A dry run writes nothing anywhere: a book whose schema needs an
    upgrade is refused (exit 4, saying to run `csmctl db migrate`), and when there is no book yet
    (no SQLite file, or a server database without csmctl's tables) it runs against an empty
    scratch book in a private temporary folder (removed afterwards) instead of creating one."""
    from csmctl.errors import SchemaOutdated
    from csmctl.store.database import Database, sqlite_path

    path = sqlite_path(app_state.db_target)
    if not dry_run:
        yield app_state.database()
        return
    if path is None or path.exists():
        try:
            database = app_state.database(migrate=False)  # a dry run does not upgrade an old book
        except SchemaOutdated as error:
            if path is not None or error.version:
                raise
            missing = f"No csmctl tables in {app_state.database().display} yet"
        else:
            yield database
            return
    else:
        missing = f"No book at {path} yet"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="csmctl-dry-run-") as folder:
        scratch = Database(str(Path(folder) / "book.db"))
        try:
            output.err(f"{missing}: checking against an empty one.", style="dim")
            yield scratch
        finally:
            scratch.dispose()


def _import_command(name: str, importer: Callable[[], Any], doc: str) -> None:
    """Register `csmctl import NAME`: the one declaration of the options every file import takes,
    so the three commands cannot drift apart. ``importer`` builds the importer when the command
    runs (its module imports SQLAlchemy, which `--help` must not)."""

    def command(
        file: FileArg,
        map_: MapOpt = None,
        preset: PresetOpt = None,
        on_conflict: ConflictOpt = ConflictPolicy.update,
        dry_run: DryRunOpt = False,
        encoding: EncodingOpt = None,
        map_values: MapValuesOpt = None,
        strict: StrictOpt = False,
    ) -> None:
        run(importer(), file, map_, preset, on_conflict, dry_run, encoding, map_values, strict)

    command.__doc__ = doc  # Typer's help text for the command
    app.command(name)(command)


def _accounts_importer() -> Any:
    from csmctl.importing.accounts import AccountImporter

    return AccountImporter()


def _contacts_importer() -> Any:
    from csmctl.importing.contacts import ContactImporter

    return ContactImporter()


def _touchpoints_importer() -> Any:
    from csmctl.cli.touchpoints import rules
    from csmctl.importing.touchpoints import TouchpointImporter

    return TouchpointImporter(rules())


_import_command(
    "accounts", _accounts_importer, "Import accounts; match existing ones by external id, else by name."
)
_import_command(
    "contacts", _contacts_importer, "Import contacts; each row names its account (name, id or external id)."
)
_import_command(
    "touchpoints",
    _touchpoints_importer,
    "Import touchpoints; each row names its account, and may name contacts ('with', ';'-separated).",
)


def _importers() -> dict[str, Any]:
    return {
        "accounts": _accounts_importer(),
        "contacts": _contacts_importer(),
        "touchpoints": _touchpoints_importer(),
    }


@app.command()
def presets(fmt: FormatOpt = Format.table) -> None:
    """List the presets (built-in, and .toml files in the config dir's presets/ folder)."""
    from csmctl.importing.presets import describe_presets

    records = describe_presets(_importers(), state.current().settings.config_dir)
    columns = [
        Column("entity", "Import"),
        Column("preset", "Preset"),
        Column("description", "Export"),
        Column("value_maps", "Value maps", show=lambda v: "; ".join(v) or "-"),
    ]
    output.emit(records, columns, fmt, empty="No presets.")


@app.command()
def fields(
    entity: Annotated[str, typer.Argument(help="accounts, contacts or touchpoints.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """List the fields an import fills, the column names it recognises, and what each accepts."""
    from csmctl.importing.runner import describe_fields

    importers = _importers()
    if entity not in importers:
        raise InvalidValue(f"Unknown import {entity!r}.", f"Use one of: {', '.join(importers)}.")
    columns = [
        Column("field", "Field"),
        Column("accepts", "Accepts"),
        Column("columns", "Also read from", show=lambda v: ", ".join(v) or "-"),
    ]
    output.emit(describe_fields(importers[entity]), columns, fmt)
