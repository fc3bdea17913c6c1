"""`csmctl db ...`: where the book is, its schema version, backups, integrity checks, and copies
between SQLite and PostgreSQL (`db copy`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt
from csmctl.errors import DatabaseCorrupt
from csmctl.output import Format

app = typer.Typer(no_args_is_help=True)


@app.command()
def path() -> None:
    """Print the database in use (from --db, CSMCTL_DB, config, or the default)."""
    from csmctl.store.database import mask_url

    typer.echo(mask_url(state.current().db_target))


@app.command()
def init(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="PATH_OR_URL", help="The book to create (default: --db, CSMCTL_DB, config, data dir)."
        ),
    ] = None,
) -> None:
    """Create an empty book (a no-op on an existing one). Reads never create a book."""
    app_state = state.current()
    if target is not None:
        app_state.db_flag = target
    existed = not _missing(app_state)
    database = app_state.database(create=True)
    if existed:
        output.success(f"{database.display} is already a book (schema version {database.version}).")
    else:
        output.success(f"Created an empty book at {database.display}.")


def _missing(app_state: state.AppState) -> bool:
    from csmctl.store.database import sqlite_path

    path = sqlite_path(app_state.db_target)
    return path is not None and (not path.exists() or path.stat().st_size == 0)


@app.command()
def info(fmt: FormatOpt = Format.table) -> None:
    """Path, schema version, size and row counts."""
    from csmctl.store import migrations

    database = state.current().database()
    record = {
        "database": database.display,
        "dialect": database.dialect,
        "schema_version": database.version,
        "schema_head": migrations.HEAD,
        "size_bytes": database.size_bytes(),
        **database.counts(),
    }
    output.emit_object(record, fmt)


@app.command()
def migrate() -> None:
    """Bring the schema up to date (also done automatically on open, after a backup)."""
    database = state.current().database()
    database.require_book()
    if database.migrated_from is None:
        output.success(f"Schema is current (version {database.version}).")


@app.command()
def backup(
    destination: Annotated[
        Path | None,
        typer.Argument(help="Where to write the copy (default: beside the database, timestamped)."),
    ] = None,
) -> None:
    """Write a consistent copy of the database (safe while others write)."""
    database = state.current().database()
    target = destination or database.default_backup_path()
    written = database.backup(target)
    output.success(f"Backed up {database.display} to {written}.")
    typer.echo(str(written))


@app.command()
def copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL_OR_PATH",
            help="The target: a file path, sqlite:///PATH or postgresql://user@host/dbname.",
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace everything in a target that already holds a book.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Copy the whole book to another database (SQLite <-> PostgreSQL) in one transaction.

    The target is created or migrated as needed; row counts are checked before the commit, and
    a failed copy leaves the target as it was. Example: csmctl db copy --to postgresql://ana@db/csm
    """
    from csmctl.errors import InvalidValue
    from csmctl.output import Column
    from csmctl.redact import password_warnings, remember
    from csmctl.store.copy import copy_to, same_database, total_rows

    remember(to)
    for note in password_warnings(to, from_flag=True):
        output.warn(note.replace("--db", "--to"))
    source = state.current().database()
    if same_database(source, to):
        raise InvalidValue(
            f"--to names the database in use ({source.display}).", "Give another file path or database URL."
        )
    with output.progress(total_rows(source), "Copying") as advance:
        report = copy_to(source, to, force=force, advance=advance)
    replaced = f" (replaced {report.replaced} rows)" if report.replaced else ""
    output.success(f"Copied {report.total} rows from {report.source} to {report.target}{replaced}.")
    output.emit(report.records(), [Column("table", "Table"), Column("rows", "Rows", right=True)], fmt)


@app.command()
def check() -> None:
    """Check integrity (SQLite quick_check) and the schema version; exit 4 when damaged."""
    database = state.current().database()
    problems = database.quick_check()
    if problems:
        raise DatabaseCorrupt(
            f"{database.display} failed its integrity check: {problems[0]}",
            "Restore a backup (`csmctl db backup` makes one; upgrades keep one).",
        )
    output.success(f"{database.display}: ok (schema version {database.version}).")
