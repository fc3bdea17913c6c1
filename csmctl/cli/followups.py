"""`csmctl follow-up ...`: what was promised after a touchpoint, and when."""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, LimitOpt, OwnerOpt
from csmctl.errors import Conflict, InvalidValue
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

TouchpointArg = Annotated[int, typer.Argument(help="The touchpoint id the follow-up belongs to.")]

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
        str | None, typer.Option("--account", "-a", metavar="ACCOUNT", help="Only this account's follow-ups.")
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
    """Mark a follow-up done (today, or the --as-of date)."""
    from csmctl.store.touchpoints import get_touchpoint

    app_state = state.current()
    with app_state.database().write() as session:
        tp = get_touchpoint(session, touchpoint)
        if tp.follow_up_date is None:
            raise InvalidValue(
                f"Touchpoint {tp.id} has no follow-up.",
                f"Add one with `csmctl touchpoint edit {tp.id} --follow-up DATE`.",
            )
        if tp.follow_up_done:
            raise Conflict(
                f"The follow-up of touchpoint {tp.id} is already done "
                f"({tp.follow_up_done_on.isoformat() if tp.follow_up_done_on else 'date unknown'})."
            )
        tp.follow_up_done, tp.follow_up_done_on = True, app_state.today
        session.add(tp)
        label = f"touchpoint {tp.id}"
    output.success(f"Follow-up of {label} done.")


@app.command()
def snooze(
    touchpoint: TouchpointArg,
    until: Annotated[
        str, typer.Argument(help="The new due date: 2026-12-01, or an offset from today: +3d, +1w.")
    ],
) -> None:
    """Move a follow-up to a later date."""
    from csmctl.domain.touchpoints import snooze_date
    from csmctl.store.touchpoints import get_touchpoint

    app_state = state.current()
    new_due = app_state.date(until, what="snooze date")
    with app_state.database().write() as session:
        tp = get_touchpoint(session, touchpoint)
        if tp.follow_up_date is None or tp.follow_up_done:
            raise InvalidValue(
                f"Touchpoint {tp.id} has no open follow-up to snooze.",
                "See open ones with `csmctl follow-up list --all`.",
            )
        tp.follow_up_date = snooze_date(new_due, tp.occurred_at.date(), app_state.today)
        session.add(tp)
        label = f"touchpoint {tp.id}"
    output.success(f"Follow-up of {label} moved to {new_due.isoformat()}.")
