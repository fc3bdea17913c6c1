"""`csmctl onboard ...`: run playbooks as per-account checklists and watch time to value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import AccountArg, FormatOpt, OwnerOpt, closed_set
from csmctl.cli.playbooks import PlaybookDirOpt
from csmctl.domain.onboarding import STATES
from csmctl.errors import InvalidValue
from csmctl.output import Column, Format


def _state_key(state_name: str) -> str:
    """ "On Track" is `--state on-track`."""
    return state_name.lower().replace(" ", "-")


if TYPE_CHECKING:  # their members are these strs; mypy cannot see a class built at run time
    State = str
    TtvView = str
else:
    State = closed_set("State", [_state_key(s) for s in STATES])
    TtvView = closed_set("TtvView", ("all", "account", "playbook", "cohort"))

app = typer.Typer(no_args_is_help=True)
task_app = typer.Typer(no_args_is_help=True)
app.add_typer(task_app, name="task", help="Mark a task done or skipped, or reopen it.")

TaskArg = Annotated[
    str, typer.Argument(help="Task number (as `onboard status ACCOUNT` shows) or name prefix.")
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", metavar="DATE", help="When it happened (default today; e.g. 2026-11-20 or -3d)."),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note to keep with the task (dated).")]
StuckOpt = Annotated[
    int | None,
    typer.Option(
        "--stuck-days",
        min=1,
        help="Overdue and nothing done for this many days = Stuck (default: [onboarding] stuck_days in config, else 14).",
    ),
]

PORTFOLIO_COLUMNS = [
    Column("account", "Account"),
    Column("playbook", "Playbook"),
    Column("anchor", "Anchor"),
    Column("progress", "Done", show=lambda v: f"{v}%", right=True),
    Column("state", "State"),
    Column("overdue", "Overdue", show=lambda v: str(len(v)) if v else "", right=True),
    Column("next", "Next", show=lambda v: f"{v[0]['name']} ({v[0]['due']})" if v else ""),
    Column("days_idle", "Idle", show=lambda v: f"{v}d", right=True),
]
TASK_COLUMNS = [
    Column("position", "#", right=True),
    Column("phase", "Phase"),
    Column("name", "Task"),
    Column("owner_role", "Owner"),
    Column("due", "Due"),
    Column("status", "Status"),
    Column("done_on", "On"),
    Column("flags", "Flags"),
    Column("depends_on", "After", show=lambda v: ", ".join(str(p) for p in v)),
]
TTV_COLUMNS = [
    Column("account", "Account"),
    Column("playbook", "Playbook"),
    Column("cohort", "Cohort"),
    Column("anchor", "Anchor"),
    Column("first_value_on", "First value"),
    Column("ttv_days", "TTV days", right=True),
    Column("status", "Status"),
]


def _stats_columns(group: str) -> list[Column]:
    return [
        Column("group", group),
        Column("count", "Accounts", right=True),
        Column("median_days", "Median days", right=True, show=lambda v: f"{v:g}"),
        Column("p75_days", "P75 days", right=True, show=lambda v: f"{v:g}"),
    ]


def _stuck_days(flag: int | None) -> int:
    """--stuck-days, else [onboarding] stuck_days from the settings (validated there)."""
    return flag if flag is not None else state.current().settings.stuck_days


def _brief(task) -> dict[str, Any]:
    return {"position": task.position, "name": task.name, "due": task.due}


def _summary(item, today, stuck_days: int) -> dict[str, Any]:
    from csmctl.domain.onboarding import COMPLETE, assess

    progress = assess(item.views(), item.checklist.anchor, today, stuck_days)
    return {
        "account_id": item.account.id,
        "account": item.account.name,
        "owner": item.account.owner,
        "checklist_id": item.checklist.id,
        "playbook": item.checklist.playbook,
        "anchor": item.checklist.anchor,
        "status": item.checklist.status,
        "completed_on": item.checklist.completed_on,
        "state": progress.state,
        "progress": progress.percent,
        "done": progress.done,
        "skipped": progress.skipped,
        "total": progress.total,
        "overdue": [_brief(t) for t in progress.overdue],
        "next": [_brief(t) for t in progress.next],
        "last_activity": progress.last_activity,
        "days_idle": None if progress.state == COMPLETE else progress.days_idle,
    }


def _task_record(task) -> dict[str, Any]:
    from csmctl.store.checklists import task_view

    flags = "first value" if task.first_value else ("milestone" if task.milestone else "")
    return {
        "position": task.position,
        "phase": task.phase,
        "name": task.name,
        "owner_role": task.owner_role,
        "due": task.due,
        "due_offset": task.due_offset,
        "status": task.status,
        "done_on": task.done_on,
        "milestone": task.milestone,
        "first_value": task.first_value,
        "depends_on": list(task_view(task).depends_on),
        "description": task.description,
        "notes": task.notes,
        "flags": flags,
    }


@app.command()
def start(
    account: AccountArg,
    playbook: Annotated[
        str,
        typer.Option(
            "--playbook",
            "-p",
            help="Playbook name (see `csmctl playbook list`) or a .yaml file.",
            autocompletion=completion.playbooks,
        ),
    ] = "standard",
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            metavar="DATE",
            help="Day 0 of the playbook, e.g. the kickoff or contract start (default today).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Cancel the account's active checklist and start this one.")
    ] = False,
    playbook_dir: PlaybookDirOpt = None,
) -> None:
    """Start a playbook for an account: its tasks get due dates from the anchor (a snapshot)."""
    from csmctl.cli.playbooks import find
    from csmctl.domain.accounts import utcnow
    from csmctl.domain.playbook import expand
    from csmctl.store.accounts import resolve_account
    from csmctl.store.checklists import start_checklist

    app_state = state.current()
    found, book = find(playbook, playbook_dir)
    day = app_state.date(anchor, what="--anchor date") or app_state.today
    planned = expand(book, day)
    with app_state.database().write() as session:
        target = resolve_account(session, account)
        start_checklist(
            session, target, playbook=found.name, anchor=day, planned=planned, now=utcnow(), force=force
        )
        name = target.name
    first = next(t for t in planned if t.first_value)
    output.success(
        f"Started {found.name} for {name}: {len(planned)} tasks from {day.isoformat()}; "
        f"first value due {first.due.isoformat()}, last task {max(t.due for t in planned).isoformat()}."
    )


@app.command()
def status(
    account: Annotated[
        str | None, typer.Argument(help="One account (default: every active onboarding).")
    ] = None,
    owner: OwnerOpt = None,
    only: Annotated[
        State | None, typer.Option("--state", case_sensitive=False, help="Only this state.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include finished checklists.")] = False,
    stuck_days: StuckOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Onboarding progress: % done, next and overdue tasks, and On Track / Behind / Stuck / Done."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.checklists import ACTIVE, COMPLETED, current_checklist, onboardings

    app_state = state.current()
    days = _stuck_days(stuck_days)
    wanted = None
    if only:
        wanted = {_state_key(s): s for s in STATES}[str(only)]
    with app_state.database().read() as session:
        if account is None:
            items = onboardings(
                session,
                statuses=(ACTIVE, COMPLETED) if all_ or wanted == "Done" else (ACTIVE,),
                owner=app_state.owner(owner),
            )
            records = [_summary(i, app_state.today, days) for i in items]
            records = [r for r in records if wanted is None or r["state"] == wanted]
            output.emit(
                records,
                PORTFOLIO_COLUMNS,
                fmt,
                csv_columns=[
                    "account",
                    "playbook",
                    "anchor",
                    "progress",
                    "state",
                    "done",
                    "skipped",
                    "total",
                    "days_idle",
                ],
                empty="No onboardings match."
                if wanted or owner
                else "No active onboardings: start one with `csmctl onboard start ACCOUNT --playbook standard`.",
            )
            return
        target = resolve_account(session, account)
        checklist = current_checklist(session, target)
        item = next(
            i
            for i in onboardings(session, statuses=(checklist.status,), account=target)
            if i.checklist.id == checklist.id
        )
        record = _summary(item, app_state.today, days)
        tasks = [_task_record(t) for t in item.tasks]
    overdue = {t["position"] for t in record["overdue"]}
    for task in tasks:
        if task["position"] in overdue:
            task["status"] = "overdue"
    if fmt is Format.json:
        output.emit_object(
            {**record, "tasks": [{k: v for k, v in t.items() if k != "flags"} for t in tasks]}, fmt
        )
        return
    if fmt is Format.table:
        typer.echo(
            f"{record['account']}: {record['playbook']} from {record['anchor'].isoformat()} - "
            f"{record['state']}, {record['progress']}% done ({record['done']} done, {record['skipped']} "
            f"skipped of {record['total']}), {len(record['overdue'])} overdue, last activity "
            f"{record['last_activity'].isoformat()}."
        )
    output.emit(
        tasks,
        TASK_COLUMNS,
        fmt,
        csv_columns=[
            "position",
            "phase",
            "name",
            "owner_role",
            "due",
            "status",
            "done_on",
            "milestone",
            "first_value",
            "depends_on",
        ],
    )


def _mark(account: str, task: str, status_: str, when: str | None, note: str | None) -> None:
    from csmctl.domain.dates import check_not_future
    from csmctl.domain.onboarding import OPEN, assess
    from csmctl.store.accounts import resolve_account
    from csmctl.store.checklists import current_checklist, resolve_task, set_task_status, task_view, tasks_of

    app_state = state.current()
    on = app_state.date(when, what="--date") or app_state.today
    check_not_future(on, app_state.today, what="--date", hint="Record tasks when they happen.")
    with app_state.database().write() as session:
        target = resolve_account(session, account)
        checklist = current_checklist(session, target)
        tasks = tasks_of(session, checklist)
        found = resolve_task(tasks, task)
        waiting = [t for t in tasks if t.position in task_view(found).depends_on and t.status == OPEN]
        was_on = found.done_on
        tasks, changed = set_task_status(session, checklist, found, status_, on=on, note=note)
        progress = assess([task_view(t) for t in tasks], checklist.anchor, app_state.today, _stuck_days(None))
        name, position, label = target.name, found.position, found.name
    if not changed:
        since = f" on {was_on.isoformat()}" if was_on and status_ != OPEN else ""
        output.success(
            f"{name}: task {position} {label!r} was already {status_}{since}; nothing changed. "
            f"{progress.percent}% done, {progress.state}."
        )
        return
    verb = {
        "done": f"done on {on.isoformat()}",
        "skipped": f"skipped on {on.isoformat()}",
        "open": "reopened",
    }[status_]
    if waiting and status_ != OPEN:
        output.warn(f"It depends on open task(s): {', '.join(f'{t.position} {t.name}' for t in waiting)}.")
    output.success(
        f"{name}: task {position} {label!r} {verb}. Now {progress.percent}% done, {progress.state}."
    )


@task_app.command()
def done(account: AccountArg, task: TaskArg, when: DateOpt = None, note: NoteOpt = None) -> None:
    """Mark a task done (today, or --date to backdate)."""
    _mark(account, task, "done", when, note)


@task_app.command()
def skip(account: AccountArg, task: TaskArg, when: DateOpt = None, note: NoteOpt = None) -> None:
    """Skip a task that does not apply to this customer (it counts as closed)."""
    _mark(account, task, "skipped", when, note)


@task_app.command()
def reopen(account: AccountArg, task: TaskArg, note: NoteOpt = None) -> None:
    """Open a done or skipped task again."""
    _mark(account, task, "open", None, note)


@app.command()
def reanchor(
    account: AccountArg,
    anchor: Annotated[str, typer.Argument(metavar="DATE", help="The new day 0 (e.g. the kickoff moved).")],
) -> None:
    """Move a checklist's anchor: open tasks get new due dates; done and skipped ones are kept."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.checklists import current_checklist
    from csmctl.store.checklists import reanchor as move

    app_state = state.current()
    day = app_state.date(anchor, what="anchor date")
    with app_state.database().write() as session:
        target = resolve_account(session, account)
        checklist = current_checklist(session, target)
        before = checklist.anchor
        changed = move(session, checklist, day)
        name = target.name
    output.success(
        f"{name}: anchor moved from {before.isoformat()} to {day.isoformat()}; "
        f"{changed} open task{'s' if changed != 1 else ''} re-dated, done and skipped tasks kept."
    )


@app.command("add-task")
def add_task(
    account: AccountArg,
    name: Annotated[str, typer.Argument(help="The task's name (unique in the checklist).")],
    due: Annotated[
        str, typer.Option("--due", metavar="DATE", help="Due date: 2026-12-01, +10d (from today)...")
    ],
    phase: Annotated[str | None, typer.Option("--phase", help="Phase to show it under.")] = None,
    owner_role: Annotated[
        str, typer.Option("--owner-role", help="csm, customer, am, sales, support or implementation.")
    ] = "csm",
    milestone: Annotated[bool, typer.Option("--milestone", help="A value milestone.")] = False,
    after: Annotated[
        list[str] | None, typer.Option("--after", help="A task it depends on (number or name; repeat).")
    ] = None,
    description: Annotated[str | None, typer.Option("--description", help="What to do.")] = None,
) -> None:
    """Add a one-off task to an account's checklist."""
    from csmctl.domain import fields
    from csmctl.domain.playbook import OWNER_ROLES
    from csmctl.store.accounts import resolve_account
    from csmctl.store.checklists import add_task as add
    from csmctl.store.checklists import current_checklist, resolve_task, tasks_of

    app_state = state.current()
    day = app_state.date(due, what="--due date")
    role = fields.choice(owner_role, OWNER_ROLES, what="owner role")
    if role is None:  # `--owner-role ""` stored a task nobody owns
        raise InvalidValue("owner role is required.", f"Use one of: {', '.join(OWNER_ROLES)}.")
    title = fields.text(name, what="task name", required=True)
    assert title is not None  # required=True refuses a blank name
    with app_state.database().write() as session:
        target = resolve_account(session, account)
        checklist = current_checklist(session, target)
        existing = tasks_of(session, checklist)
        depends = [resolve_task(existing, ref).position for ref in after or []]
        task = add(
            session,
            checklist,
            name=title,
            due=day,
            phase=phase,
            owner_role=role,
            description=description,
            milestone=milestone,
            depends_on=depends,
        )
        label = f"{target.name}: added task {task.position} {task.name!r}, due {task.due.isoformat()}."
    output.success(label)


@app.command()
def ttv(
    playbook: Annotated[
        str | None,
        typer.Option(
            "--playbook", "-p", help="Only checklists of this playbook.", autocompletion=completion.playbooks
        ),
    ] = None,
    owner: OwnerOpt = None,
    by: Annotated[
        TtvView,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="One view, or all (cohort = start month). csv needs one of the last three.",
        ),
    ] = "all",
    fmt: FormatOpt = Format.table,
) -> None:
    """Time to value: days from anchor to the first value milestone; median and p75 per
    playbook and per start-month cohort."""
    from csmctl.domain.onboarding import cohort, time_to_value, ttv_stats
    from csmctl.store.checklists import ACTIVE, COMPLETED, onboardings

    if by == "all" and fmt is Format.csv:
        raise InvalidValue("CSV holds one table.", "Add --by account, --by playbook or --by cohort.")
    app_state = state.current()
    with app_state.database().read() as session:
        items = onboardings(session, statuses=(ACTIVE, COMPLETED), owner=app_state.owner(owner))
    rows: list[dict[str, Any]] = []
    for item in items:
        if playbook and item.checklist.playbook != playbook:
            continue
        days = time_to_value(item.checklist.anchor, item.views())
        first = next((t for t in item.tasks if t.first_value), None)
        rows.append(
            {
                "account": item.account.name,
                "playbook": item.checklist.playbook,
                "cohort": cohort(item.checklist.anchor),
                "anchor": item.checklist.anchor,
                "first_value_on": first.done_on if days is not None and first else None,
                "ttv_days": days,
                "status": "reached" if days is not None else "pending",
            }
        )
    reached = [r for r in rows if r["ttv_days"] is not None]

    def stats(key: str) -> list[dict[str, Any]]:
        return [
            {"group": s.group, "count": s.count, "median_days": s.median, "p75_days": s.p75}
            for s in ttv_stats((r[key], r["ttv_days"]) for r in reached)
        ]

    result = {"accounts": rows, "by_playbook": stats("playbook"), "by_cohort": stats("cohort")}
    if by != "all":
        key = {"account": "accounts", "playbook": "by_playbook", "cohort": "by_cohort"}[by]
        output.emit(
            result[key],
            TTV_COLUMNS if by == "account" else _stats_columns(by.title()),
            fmt,
            empty="No onboardings yet.",
        )
        return
    if fmt is Format.json:
        output.emit_object(result, fmt)
        return
    for title, key, columns in (
        ("Per account", "accounts", TTV_COLUMNS),
        ("Per playbook", "by_playbook", _stats_columns("Playbook")),
        ("Per start month", "by_cohort", _stats_columns("Cohort")),
    ):
        if key != "accounts" and not result[key]:
            continue
        typer.echo(f"{title}:" if fmt is Format.table else f"\n### {title}\n")
        output.emit(result[key], columns, fmt, empty="No onboardings yet.")
        if fmt is Format.table:
            typer.echo("")
