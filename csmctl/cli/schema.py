"""`csmctl schema ...`: JSON Schemas of the input files, for editors and CI validation."""

from __future__ import annotations

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
