"""`csmctl schema ...`: the JSON Schemas of what csmctl reads and writes.

``schema job|resume|playbook|settings`` print the schema of an input file (for editors and CI
validation; built from the models that read the files, see documents/input_schemas.py);
``schema json COMMAND`` prints the contract of ``csmctl COMMAND --format json`` (csmctl/schemas).
"""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl.cli.options import OutputOpt
from csmctl.documents.input_schemas import KINDS

app = typer.Typer(no_args_is_help=True)


def _command(kind: str):
    def command(out: OutputOpt = None) -> None:
        import json

        from csmctl.documents.input_schemas import input_schema
        from csmctl.files import write_text

        write_text(out, json.dumps(input_schema(kind), indent=2, ensure_ascii=False) + "\n")

    command.__doc__ = f"Print the JSON Schema of the {kind} input file (-o to write it)."
    return command


for _kind in KINDS:
    app.command(_kind)(_command(_kind))


@app.command("json")
def json_(
    command: Annotated[
        list[str] | None,
        typer.Argument(help="The command, e.g. `account list`; without it, the commands that have one."),
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a command's `--format json` output (docs/json.md)."""
    from csmctl import output
    from csmctl.schemas import command_names, load_schema

    if not command:
        typer.echo("\n".join(command_names()))
        return
    output.emit_object(load_schema(" ".join(command)), output.Format.json)
