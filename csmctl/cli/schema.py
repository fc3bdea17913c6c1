"""`csmctl schema ...`: the published contracts of csmctl's machine-readable formats.

``schema json COMMAND`` prints the JSON Schema of ``csmctl COMMAND --format json``. Other kinds of
schema (input files, settings) are further commands of this group: each is a function that finds
its schema and hands it to ``_print``.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


def _print(schema: dict) -> None:
    from csmctl import output

    output.emit_object(schema, output.Format.json)


@app.command("json")
def json_(
    command: Annotated[
        list[str] | None,
        typer.Argument(help="The command, e.g. `account list`; without it, the commands that have one."),
    ] = None,
) -> None:
    """The JSON Schema (draft 2020-12) of a command's `--format json` output (docs/json.md)."""
    from csmctl.schemas import command_names, load_schema

    if not command:
        typer.echo("\n".join(command_names()))
        return
    _print(load_schema(" ".join(command)))
