"""`csmctl template ...`: see the built-in templates and copy one to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import FormatOpt
from csmctl.errors import AlreadyExists
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

TemplateDirOpt = Annotated[
    Path | None, typer.Option("--template-dir", help="Look here first for templates.", file_okay=False)
]
NameArg = Annotated[
    str,
    typer.Argument(
        help="Template name as `csmctl template list` shows it, e.g. reports/renewals.md.j2.",
        autocompletion=completion.templates,
    ),
]


def template_dirs(template_dir: Path | None) -> list[Path]:
    """The lookup order every document command uses: --template-dir, user dir, built-in."""
    from csmctl.documents.engine import search_path

    return search_path(template_dir, state.current().settings.user_template_dir)


@app.command("list")
def list_(template_dir: TemplateDirOpt = None, fmt: FormatOpt = Format.table) -> None:
    """List the templates csmctl can render, and where each comes from."""
    from csmctl.documents.engine import list_templates

    records = [
        {"name": t.name, "origin": t.origin, "path": str(t.path)}
        for t in list_templates(template_dirs(template_dir))
    ]
    output.emit(
        records,
        [Column("name", "Template"), Column("origin", "From")],
        fmt,
        csv_columns=["name", "origin", "path"],
    )


@app.command()
def show(name: NameArg, template_dir: TemplateDirOpt = None) -> None:
    """Print a template's source."""
    from csmctl.documents.engine import find_template

    typer.echo(find_template(template_dirs(template_dir), name).read_text(encoding="utf-8"), nl=False)


@app.command()
def copy(
    name: NameArg, force: Annotated[bool, typer.Option("--force", help="Overwrite an existing copy.")] = False
) -> None:
    """Copy a built-in template into your template dir, where it takes precedence, to edit."""
    from csmctl.documents.engine import find_template
    from csmctl.files import make_private_dirs, write_text
    from csmctl.resources import builtin_dir

    source = find_template([builtin_dir()], name)
    target = state.current().settings.user_template_dir / name
    if target.exists() and not force:
        raise AlreadyExists(f"{target} already exists.", "Use --force to overwrite it.")
    make_private_dirs(target.parent)
    write_text(target, source.read_text(encoding="utf-8"))
    output.success(f"Copied {name} to {target}; edit it there.")
    typer.echo(str(target))
