"""`csmctl schema ...`: JSON Schemas of the input files, for editors and CI validation."""

from __future__ import annotations

import typer

from csmctl.cli.options import OutputOpt

app = typer.Typer(no_args_is_help=True)


def _print(kind: str, out) -> None:
    import json

    from csmctl.documents.input_schemas import input_schema
    from csmctl.files import write_text

    write_text(out, json.dumps(input_schema(kind), indent=2, ensure_ascii=False) + "\n")


@app.command()
def job(out: OutputOpt = None) -> None:
    """JSON Schema of a job spec (`jd new` writes one)."""
    _print("job", out)


@app.command()
def resume(out: OutputOpt = None) -> None:
    """JSON Schema of a resume (JSON Resume, as `resume validate` reads it)."""
    _print("resume", out)


@app.command()
def playbook(out: OutputOpt = None) -> None:
    """JSON Schema of an onboarding playbook (YAML)."""
    _print("playbook", out)


@app.command()
def settings(out: OutputOpt = None) -> None:
    """JSON Schema of config.toml."""
    _print("settings", out)
