"""`csmctl playbook ...`: the onboarding playbooks checklists are started from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import FormatOpt
from csmctl.errors import AlreadyExists, InvalidInput, NotFound
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

PlaybookDirOpt = Annotated[
    Path | None, typer.Option("--playbook-dir", help="Look here first for playbooks.", file_okay=False)
]
NameArg = Annotated[
    str,
    typer.Argument(
        help="Playbook name as `csmctl playbook list` shows it (or a .yaml file).",
        autocompletion=completion.playbooks,
    ),
]


def playbook_dirs(playbook_dir: Path | None) -> list[tuple[str, Path]]:
    """The lookup order every onboarding command uses: --playbook-dir, user dir, built-in."""
    from csmctl.playbooks import search_path

    return search_path(playbook_dir, state.current().settings.user_playbook_dir)


def find(name: str, playbook_dir: Path | None):
    """(PlaybookFile, validated Playbook) for a name or a file."""
    from csmctl.playbooks import find_playbook, load_playbook

    found = find_playbook(playbook_dirs(playbook_dir), name)
    return found, load_playbook(found.path)


@app.command("list")
def list_(playbook_dir: PlaybookDirOpt = None, fmt: FormatOpt = Format.table) -> None:
    """List the playbooks and where each comes from (yours shadow the built-in ones)."""
    from csmctl.playbooks import list_playbooks, load_playbook

    records = []
    for found in list_playbooks(playbook_dirs(playbook_dir)):
        try:
            playbook = load_playbook(found.path)
            title, tasks, note = playbook.name, playbook.task_count, ""
        except (InvalidInput, NotFound) as error:
            count = len(getattr(error, "problems", [])) or 1
            title, tasks, note = None, None, f"invalid ({count} problem{'s' if count > 1 else ''})"
        records.append(
            {
                "name": found.name,
                "title": title,
                "tasks": tasks,
                "origin": found.origin,
                "path": str(found.path),
                "problem": note or None,
            }
        )
    output.emit(
        records,
        [
            Column("name", "Playbook"),
            Column("title", "Title"),
            Column("tasks", "Tasks", right=True),
            Column("origin", "From"),
            Column("problem", "Note"),
        ],
        fmt,
        csv_columns=["name", "title", "tasks", "origin", "path"],
        empty="No playbooks found.",
    )


@app.command()
def show(
    name: NameArg,
    anchor: Annotated[
        str | None, typer.Option("--anchor", metavar="DATE", help="Show due dates from this anchor date.")
    ] = None,
    playbook_dir: PlaybookDirOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show a playbook's phases and tasks (with due dates when --anchor is given)."""
    from csmctl.domain.playbook import expand

    app_state = state.current()
    found, playbook = find(name, playbook_dir)
    day = app_state.date(anchor, what="--anchor date") or app_state.today
    tasks = [
        {
            "position": t.position,
            "phase": t.phase,
            "name": t.name,
            "owner_role": t.owner_role,
            "offset": t.due_offset,
            "due": t.due if anchor else None,
            "milestone": t.milestone,
            "first_value": t.first_value,
            "depends_on": list(t.depends_on),
            "description": t.description,
        }
        for t in expand(playbook, day)
    ]
    if fmt is Format.json:
        output.emit_object(
            {
                "name": found.name,
                "title": playbook.name,
                "description": playbook.description,
                "anchor": playbook.anchor,
                "origin": found.origin,
                "path": str(found.path),
                "tasks": tasks,
            },
            fmt,
        )
        return
    if fmt is Format.table:
        typer.echo(f"{playbook.name} ({found.name}, {found.origin}: {found.path})")
        if playbook.description:
            typer.echo(playbook.description)
        typer.echo(f"Day 0 is the {playbook.anchor}" + (f": {day.isoformat()}." if anchor else "."))
        typer.echo("")
    columns = [
        Column("position", "#", right=True),
        Column("phase", "Phase"),
        Column("name", "Task"),
        Column("owner_role", "Owner"),
        Column("offset", "Due"),
    ]
    if anchor:
        columns.append(Column("due", "Date"))
    columns += [Column("milestone", "Milestone"), Column("depends_on", "After", show=_numbers)]
    for task in tasks:
        task["milestone"] = "first value" if task["first_value"] else ("yes" if task["milestone"] else "")
    output.emit(
        tasks,
        columns,
        fmt,
        csv_columns=["position", "phase", "name", "owner_role", "offset", "due", "milestone", "depends_on"],
    )


def _numbers(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Playbook files (or names) to check.")],
    playbook_dir: PlaybookDirOpt = None,
) -> None:
    """Check playbook files: every problem is listed with its file, line and key path (exit 1)."""
    from csmctl.playbooks import find_playbook, load_playbook

    problems = []
    for ref in files:
        path = Path(ref)
        if not path.exists() and path.suffix.lower() not in (".yaml", ".yml"):
            path = find_playbook(playbook_dirs(playbook_dir), ref).path
        try:
            playbook = load_playbook(path)
        except InvalidInput as error:
            problems += error.problems
            continue
        first = next(t for _, t in playbook.tasks() if t.first_value)
        output.success(
            f"{path}: valid ({playbook.task_count} tasks; first value {first.name!r} at {first.due})."
        )
    if problems:
        raise InvalidInput(
            problems, summary=f"Found {len(problems)} problems:" if len(problems) > 1 else None
        )


@app.command()
def copy(
    name: NameArg,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing copy.")] = False,
) -> None:
    """Copy a built-in playbook into your playbook dir, where it takes precedence, to edit."""
    from csmctl.files import make_private_dirs, write_text
    from csmctl.playbooks import find_playbook
    from csmctl.resources import builtin_dir

    source = find_playbook([("built-in", builtin_dir("playbooks"))], name)
    target = state.current().settings.user_playbook_dir / source.path.name
    if target.exists() and not force:
        raise AlreadyExists(f"{target} already exists.", "Use --force to overwrite it.")
    make_private_dirs(target.parent)
    from csmctl.documents.input_schemas import with_schema_line

    write_text(target, with_schema_line("playbook", source.path.read_text(encoding="utf-8")))
    output.success(
        f"Copied {source.name} to {target}; edit it there and check it with "
        f"`csmctl playbook validate {target}`."
    )
    typer.echo(str(target))
