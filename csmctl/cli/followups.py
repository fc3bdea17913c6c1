"""`csmctl follow-up ...`: what was promised after a touchpoint, and when.

A follow-up belongs to one touchpoint and has no id of its own: its id is the touchpoint's.
"""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import FormatOpt, LimitOpt, OwnerOpt
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

TouchpointArg = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        help="The follow-up id: the id of the touchpoint it belongs to (`followup list` shows it).",
    ),
]

COLUMNS = [
    Column("id", "ID", right=True),
    Column("due", "Due"),
    Column("bucket", "Status"),
    Column(
        "days",
        "Days",
        show=lambda d: f"{-d}d late" if d < 0 else ("today" if d == 0 else f"in {d}d"),
        right=True,
    ),
    Column("account", "Account"),
    Column("owner", "Owner"),
    Column("text", "Follow-up"),
]
CSV_COLUMNS = ["id", "account", "owner", "due", "bucket", "days", "text", "kind", "touchpoint_date"]


@app.command("list")
def list_(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones (due before today).")] = False,
    due: Annotated[bool, typer.Option("--due", help="Only those due today.")] = False,
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only upcoming ones (due after today).")
    ] = False,
    within: Annotated[
        str,
        typer.Option(
            "--within", metavar="DURATION", help="How far ahead upcoming ones are shown: 7d, 2w, 1m."
        ),
    ] = "7d",
    all_: Annotated[bool, typer.Option("--all", help="Every open follow-up, however far ahead.")] = False,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            "-a",
            metavar="ACCOUNT",
            help="Only this account's follow-ups.",
            autocompletion=completion.accounts,
        ),
    ] = None,
    owner: OwnerOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Open follow-ups: overdue, due today and upcoming (next 7 days unless --within/--all)."""
    from csmctl.domain.dates import parse_duration
    from csmctl.domain.touchpoints import BUCKETS, bucket_followups
    from csmctl.store.accounts import resolve_account
    from csmctl.store.touchpoints import open_followups

    app_state = state.current()
    today = app_state.today
    horizon = None if all_ else parse_duration(within, what="--within").after(today)
    buckets = [b for b, on in zip(BUCKETS, (overdue, due, upcoming), strict=True) if on] or list(BUCKETS)
    with app_state.database().read() as session:
        account_id = resolve_account(session, account).id if account else None
        records = open_followups(
            session, today, horizon=horizon, owner=app_state.owner(owner), account_id=account_id
        )
    shown = bucket_followups(records, today, buckets=buckets)[:limit]
    output.emit(shown, COLUMNS, fmt, csv_columns=CSV_COLUMNS, empty="No open follow-ups.")


@app.command()
def done(touchpoint: TouchpointArg) -> None:
    """Mark a follow-up done (today, or the --as-of date). Done already: says so, changes nothing."""
    from csmctl.store.touchpoints import complete_followup

    app_state = state.current()
    with app_state.database().write() as session:
        tp, changed = complete_followup(session, touchpoint, on=app_state.today)
        done_on = tp.follow_up_done_on
    if changed:
        output.success(f"Follow-up of touchpoint {touchpoint} done.")
    else:
        when = f" on {done_on.isoformat()}" if done_on else ""
        output.success(f"Follow-up of touchpoint {touchpoint} was already done{when}; nothing changed.")


@app.command()
def snooze(
    touchpoint: TouchpointArg,
    until: Annotated[
        str, typer.Argument(help="The new due date: 2026-12-01, or an offset from today: +3d, +1w.")
    ],
) -> None:
    """Move a follow-up to a later date."""
    from csmctl.store.touchpoints import snooze_followup

    app_state = state.current()
    new_due = app_state.date(until, what="snooze date")
    with app_state.database().write() as session:
        _, changed = snooze_followup(session, touchpoint, new_due, today=app_state.today)
    if changed:
        output.success(f"Follow-up of touchpoint {touchpoint} moved to {new_due.isoformat()}.")
    else:
        output.success(
            f"Follow-up of touchpoint {touchpoint} was already due {new_due.isoformat()}; nothing changed."
        )
