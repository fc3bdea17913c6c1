"""`csmctl today`: the morning queue."""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.health import ProfileOpt, load_profiles
from csmctl.cli.options import FormatOpt, OwnerOpt
from csmctl.output import Column, Format


def today(
    owner: OwnerOpt = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", min=1, help="Show at most this many (default 30 in a table; all otherwise)."
        ),
    ] = None,
    profile: ProfileOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What needs you now, most urgent first: overdue follow-ups and onboarding tasks, notice
    deadlines within 14 days, renewals within 30 days without recent contact, stale accounts, red
    or falling health. Each line says why and the command to act on it."""
    from csmctl.collector import cycles_collected_after
    from csmctl.domain.today import public_item
    from csmctl.store.health import scope
    from csmctl.store.today import queue

    profiles, rules = load_profiles(profile)
    app_state = state.current()
    shown = limit or (30 if fmt is Format.table else None)
    # the owner's rows and facts stream through and make no reference cycles: no collector passes
    with cycles_collected_after(), app_state.database().rows() as connection:
        items, total = queue(
            connection,
            scope(owner=app_state.owner(owner)),
            app_state.today,
            profiles,
            rules,
            notice_window=app_state.settings.notice_warning_days,
            quiet_days=app_state.settings.risk_quiet_days,
            limit=shown,
        )
    records = [public_item(n, item, app_state.today) for n, item in enumerate(items, 1)]
    columns = [Column("rank", "#", right=True), Column("account", "Account")]
    if owner is None:
        columns.append(Column("owner", "Owner"))
    columns += [Column("why", "Why"), Column("command", "Act", own_line=True)]
    output.emit(
        records,
        columns,
        fmt,
        csv_columns=[
            "rank",
            "kind",
            "account_id",
            "account",
            "owner",
            "due",
            "days",
            "urgency",
            "why",
            "command",
            "ref",
        ],
        empty="Nothing needs you today.",
    )
    if fmt is Format.table and total > len(items):
        output.err(f"{total - len(items)} more: --limit {total} shows them all.", style="dim")
