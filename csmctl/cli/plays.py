"""`csmctl play ...`: rules that turn signals into work (list, show, validate, copy, run, history,
stats). `play run` is made for cron like the renewal report: the same run lock, silent on success
off a terminal, exit 3 with ``--fail-on fired``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import DryRunOpt, FormatOpt, OutputOpt, OwnerOpt
from csmctl.errors import AlreadyExists, InvalidInput, NotFound, fail_if_found
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

PlayDirOpt = Annotated[
    Path | None, typer.Option("--play-dir", help="Look here first for plays.", file_okay=False)
]
NameArg = Annotated[str, typer.Argument(help="Play name as `csmctl play list` shows it (or a .yaml file).")]


class FailOn(StrEnum):
    fired = "fired"


def play_dirs(play_dir: Path | None) -> list[tuple[str, Path]]:
    from csmctl.plays import search_path

    return search_path(play_dir, state.current().settings.user_play_dir)


def _taxonomy():
    return state.current().settings.risk_taxonomy


def find(name: str, play_dir: Path | None):
    from csmctl.plays import find_play, load_play

    found = find_play(play_dirs(play_dir), name)
    return found, load_play(found.path, _taxonomy())


def _action_text(action) -> str:
    from csmctl.store.plays import planned_action

    return planned_action(action, None)


@app.command("list")
def list_(play_dir: PlayDirOpt = None, fmt: FormatOpt = Format.table) -> None:
    """List the plays, whether each is enabled in config.toml, and where each comes from."""
    from csmctl.plays import list_plays, load_play

    enabled = set(state.current().settings.plays_enabled)
    records = []
    for found in list_plays(play_dirs(play_dir)):
        try:
            play = load_play(found.path, _taxonomy())
            title, when, note = play.title, play.when, None
        except InvalidInput as error:
            count = len(error.problems) or 1
            title, when, note = None, None, f"invalid ({count} problem{'s' if count > 1 else ''})"
        records.append(
            {
                "name": found.name,
                "enabled": found.name in enabled,
                "title": title,
                "when": when,
                "origin": found.origin,
                "path": str(found.path),
                "problem": note,
            }
        )
    output.emit(
        records,
        [
            Column("name", "Play"),
            Column("enabled", "On", show=lambda v: "yes" if v else "no"),
            Column("title", "Title"),
            Column("when", "When"),
            Column("origin", "From"),
            Column("problem", "Note"),
        ],
        fmt,
        csv_columns=["name", "enabled", "title", "when", "origin", "path"],
        empty="No plays found.",
    )


@app.command()
def show(name: NameArg, play_dir: PlayDirOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Show a play: its condition, episode and actions."""
    from csmctl.domain.conditions import to_text

    found, play = find(name, play_dir)
    record = {
        "name": found.name,
        "title": play.title,
        "description": play.description,
        "when": to_text(play.condition),
        "episode": play.episode,
        "enabled": found.name in state.current().settings.plays_enabled,
        "actions": [_action_text(a) for a in play.actions],
        "origin": found.origin,
        "path": str(found.path),
    }
    if fmt is not Format.table:
        output.emit_object(record, fmt)
        return
    typer.echo(f"{play.title} ({found.name}, {found.origin}: {found.path})")
    if play.description:
        typer.echo(play.description)
    typer.echo(f"When:    {record['when']}")
    typer.echo(f"Episode: {play.episode}")
    typer.echo(f"Enabled: {'yes' if record['enabled'] else 'no (add it to [plays] enabled in config.toml)'}")
    typer.echo("Actions:")
    for text in record["actions"]:
        typer.echo(f"  - {text}")


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Play files (or names) to check.")],
    play_dir: PlayDirOpt = None,
) -> None:
    """Check play files: every problem with its file, line and key (a condition's column too)."""
    from csmctl.plays import find_play, load_play

    problems = []
    for ref in files:
        path = Path(ref)
        if not path.exists() and path.suffix.lower() not in (".yaml", ".yml"):
            path = find_play(play_dirs(play_dir), ref).path
        try:
            play = load_play(path, _taxonomy())
        except InvalidInput as error:
            problems += error.problems
            continue
        output.success(f"{path}: valid ({play.title}: when {play.when}).")
    if problems:
        raise InvalidInput(
            problems, summary=f"Found {len(problems)} problems:" if len(problems) > 1 else None
        )


@app.command()
def copy(
    name: NameArg, force: Annotated[bool, typer.Option("--force", help="Overwrite an existing copy.")] = False
) -> None:
    """Copy a built-in play into your play dir, where it takes precedence, to edit."""
    from csmctl.documents.input_schemas import with_schema_line
    from csmctl.files import write_text
    from csmctl.plays import find_play
    from csmctl.resources import BUILT_IN, builtin_dir

    source = find_play([(BUILT_IN, builtin_dir("plays"))], name)
    target = state.current().settings.user_play_dir / source.path.name
    if target.exists() and not force:
        raise AlreadyExists(f"{target} already exists.", "Use --force to overwrite it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text(target, with_schema_line("play", source.path.read_text(encoding="utf-8")))
    output.success(f"Copied {source.name} to {target}; check it with `csmctl play validate {target}`.")
    typer.echo(str(target))


RUN_COLUMNS = [
    Column("play", "Play"),
    Column("account", "Account"),
    Column("why", "Why"),
    Column("actions", "Did", show=lambda a: "; ".join(a)),
]


@app.command()
def run(
    plays: Annotated[
        list[str] | None,
        typer.Option("--play", metavar="NAME", help="Run only this play (repeat; enabled or not)."),
    ] = None,
    dry_run: DryRunOpt = False,
    fail_on: Annotated[
        list[FailOn] | None,
        typer.Option("--fail-on", metavar="fired", help="Exit 3 when a play fired (for cron alerts)."),
    ] = None,
    owner: OwnerOpt = None,
    play_dir: PlayDirOpt = None,
    fmt: FormatOpt = Format.table,
    out: OutputOpt = None,
) -> None:
    """Run the enabled plays over every active account (as of --as-of): fire each play once per
    account and episode, in one transaction, and say what fired and why.

    Cron-ready: silent on success off a terminal (use -f json for a record), an overlapping run
    exits 4, and --fail-on fired exits 3 when something fired."""
    from csmctl.cli.health import load_profiles
    from csmctl.cli.reports import lock_path
    from csmctl.collector import cycles_collected_after
    from csmctl.domain.accounts import utcnow
    from csmctl.files import is_stdout, output_stream
    from csmctl.locks import run_lock
    from csmctl.store.health import scope
    from csmctl.store.plays import Book, account_facts, run_play

    app_state = state.current()
    settings = app_state.settings
    names = list(dict.fromkeys(plays or settings.plays_enabled))
    if not names:
        if output.is_tty(sys.stderr):
            output.err(
                "No plays are enabled: list them under [plays] enabled in config.toml (`csmctl play list`)."
            )
        if fmt is not Format.table:
            with output_stream(out) as stream:
                output.emit([], RUN_COLUMNS, fmt, stream=stream)
        return
    loaded = []
    for name in names:
        try:
            found, play = find(name, play_dir)
        except NotFound as error:
            where = "--play" if plays else f"[plays] enabled in {settings.config_file}"
            raise NotFound(f"{error.message.rstrip('.')} (from {where}).", error.hint) from None
        loaded.append((found.name, play))
    needed = set().union(*(p.facts() for _, p in loaded))
    profiles, rules = load_profiles(None)
    book = Book(profiles, rules, settings.stuck_days)
    today, now = app_state.today, utcnow()
    who = app_state.owner(owner)
    fired = []
    # The facts and firings of a whole book stay alive until written: no cycle collection meanwhile.
    with cycles_collected_after():
        with run_lock(lock_path(), what="play run"):
            db = app_state.database(migrate=not dry_run)  # a dry run does not upgrade an old book
            with db.read() if dry_run else db.write() as session:
                facts = account_facts(session, scope(owner=who), today, needed, book)
                for name, play in loaded:
                    fired += run_play(
                        session,
                        name,
                        play,
                        facts,
                        today=today,
                        now=now,
                        rules=rules,
                        playbook=_playbook,
                        dry_run=dry_run,
                    )
        records = (  # streamed to the writer: a large book's firings never sit twice in memory
            {
                "play": f.play,
                "account_id": f.account_id,
                "account": f.account,
                "owner": f.owner,
                "episode": f.episode,
                "why": f.why,
                "actions": f.actions,
                "follow_up_id": f.follow_up_id,
            }
            for f in fired
        )
        if not is_stdout(out):
            with output_stream(out) as stream:  # atomic: a mailer never reads half of it
                output.emit(records, RUN_COLUMNS, fmt, stream=stream, empty=None)
        elif fmt is not Format.table or output.is_tty(sys.stdout):  # cron mails any output: silent there
            output.emit(records, RUN_COLUMNS, fmt, empty="No play fired.")
    if dry_run and output.is_tty(sys.stderr):
        output.err("Dry run: nothing was written.")
    if fail_on:
        fail_if_found("--fail-on fired", [f"{len(fired)} fired" if fired else ""])


def _playbook(name: str):
    from csmctl.cli.playbooks import find as find_playbook

    return find_playbook(name, None)[1]


HISTORY_COLUMNS = [
    Column("fired_on", "Fired"),
    Column("play", "Play"),
    Column("account", "Account"),
    Column("why", "Why"),
    Column("actions", "Did", show=lambda a: "; ".join(a)),
    Column("follow_up", "Follow-up", show=lambda s: s or "-"),
    Column("ended_on", "Ended"),
]


@app.command()
def history(
    account: Annotated[
        str | None, typer.Argument(help="Only this account (name, id or unambiguous prefix).")
    ] = None,
    play: Annotated[str | None, typer.Option("--play", metavar="NAME", help="Only this play.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """When each play fired, why, what it did, and whether its follow-up was done."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.plays import history as load_history

    app_state = state.current()
    with app_state.database().read() as session:
        account_id = resolve_account(session, account).id if account else None
        rows = load_history(session, account_id=account_id, play=play, today=app_state.today)
    for row in rows:
        row["why"] = row.pop("reason")
        for key in ("follow_up_date", "follow_up_done", "follow_up_done_on"):
            row.pop(key)
    output.emit(rows, HISTORY_COLUMNS, fmt, empty="No play has fired yet.")


@app.command()
def stats(fmt: FormatOpt = Format.table) -> None:
    """Per play: how often it fired, the risks it opened, and how many of its follow-ups were
    done (acted on)."""
    from csmctl.store.plays import stats as load_stats

    app_state = state.current()
    with app_state.database().read() as session:
        rows = load_stats(session, today=app_state.today)
    output.emit(
        rows,
        [
            Column("play", "Play"),
            Column("fired", "Fired", right=True),
            Column("risks", "Risks", right=True),
            Column("follow_ups", "Follow-ups", right=True),
            Column("done", "Done", right=True),
            Column("acted_on", "Acted on", show=lambda p: "-" if p is None else f"{p}%", right=True),
        ],
        fmt,
        empty="No play has fired yet.",
    )
