"""`csmctl health ...`: scores you can explain, snapshots for cron, history and movers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.boundary import ShowByDefaultGroup
from csmctl.cli.options import FormatOpt, LimitOpt, OwnerOpt, closed_set
from csmctl.errors import InvalidValue
from csmctl.output import Column, Format

app = typer.Typer(cls=ShowByDefaultGroup)

ProfileOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        dir_okay=False,
        help="A health profile file (default: health.toml/.yaml in the config dir, else built-in).",
    ),
]
BAND_ORDER = {"red": 0, "yellow": 1, "green": 2}
if TYPE_CHECKING:  # its members are these strs; mypy cannot see a class built at run time
    Band = str
else:
    Band = closed_set("Band", BAND_ORDER)


def load_profiles(profile: Path | None):
    """The profile set and the touchpoint rules (cadence, what counts as contact), from the
    settings: shared by health, today and brief so that all three agree with `stale`."""
    from csmctl.health_config import load_profiles as read_profiles

    settings = state.current().settings
    return read_profiles(settings.config_dir, profile), settings.touchpoint_rules


def arrow(trend: str | None) -> str:
    from csmctl.domain.health import ARROWS

    return ARROWS[trend]


@app.command("show")
def show(
    account: Annotated[
        str | None, typer.Argument(help="One account (name, id or prefix); all active accounts when omitted.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", "-e", help="Every input: raw value, sub-score, weight, contribution.")
    ] = False,
    owner: OwnerOpt = None,
    band: Annotated[Band | None, typer.Option("--band", case_sensitive=False, help="Only this band.")] = None,
    profile: ProfileOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Health score, band and trend (vs the last snapshot); worst first without ACCOUNT."""
    from csmctl.domain.health import NO_DATA, public_health
    from csmctl.store import health as store
    from csmctl.store.account_ref import find_account

    profiles, rules = load_profiles(profile)
    app_state = state.current()
    with app_state.database().rows() as connection:
        account_id, name = find_account(connection, account) if account else (None, None)
        scope = store.scope(owner=app_state.owner(owner), account_id=account_id)
        assessed = store.assess(connection, scope, app_state.today, profiles, rules)
    if account is not None:
        if not assessed:
            raise InvalidValue(f"{name} is archived: no health score.", "Unarchive it to score it.")
        item = assessed[0]
        record = public_health(item.account, item.result, item.previous)
        if fmt is Format.json:
            output.emit_object(record, fmt)
        elif explain:
            _explain(record, item.result, fmt)
        else:
            record.pop("inputs")
            record["band"] = record["band"] or NO_DATA
            trend, previous = record["trend"], record["previous"]
            record["trend"] = f"{arrow(trend)} {trend}" if isinstance(trend, str) and trend else None
            record["previous"] = (
                f"{previous['score']} on {previous['date']}" if isinstance(previous, dict) else None
            )
            output.emit_object(record, fmt)
        return
    if explain and fmt is not Format.json:
        raise InvalidValue(
            "--explain without an ACCOUNT needs --format json.",
            "Or name one account: csmctl health ACCOUNT --explain.",
        )
    records = [public_health(i.account, i.result, i.previous, explain=explain) for i in assessed]
    if band:
        records = [r for r in records if r["band"] == band]
    # Worst first; accounts with no data have no score and come last, apart from red.
    records.sort(key=lambda r: (r["score"] is None, r["score"] or 0, str(r["account"]).casefold()))
    if limit:
        records = records[:limit]
    unscored = sum(1 for r in records if r["score"] is None)
    if fmt in (Format.table, Format.md):
        records = [{**r, "band": r["band"] or NO_DATA} for r in records]
    columns = [
        Column("account", "Account"),
        Column("owner", "Owner"),
        Column("tier", "Tier"),
        Column("score", "Score", right=True),
        Column("band", "Band"),
        Column("trend", "Trend", show=arrow),
        Column("missing", "Missing inputs"),
    ]
    output.emit(
        records,
        columns,
        fmt,
        csv_columns=["account_id", "account", "owner", "tier", "score", "band", "trend", "missing"],
        empty="No active accounts." if not (owner or band) else "No accounts match.",
    )
    if unscored and fmt is Format.table:
        output.err(
            f"{unscored} account{'s have' if unscored != 1 else ' has'} no health data yet (no score, not red).",
            style="dim",
        )


def _explain(record: dict[str, Any], result, fmt: Format) -> None:
    from csmctl.domain.health import NO_DATA

    present = sum(i.weight for i in result.inputs if not i.missing)
    rows = [
        {
            "input": i.name,
            "detail": i.detail,
            "score": None if i.missing else f"{i.score:.0f}",
            "weight": f"{i.weight:g}",
            "share": "missing" if i.missing else (f"{100 * i.weight / present:.0f}%" if present else "0%"),
            "contribution": None if i.missing else f"{i.contribution:.1f}",
        }
        for i in result.inputs
        if i.weight > 0
    ]
    previous = record["previous"]
    trend = f" {arrow(record['trend'])} (was {previous['score']} on {previous['date']})" if previous else ""
    if fmt is not Format.csv:
        shown = f"{record['score']} {record['band']}" if record["score"] is not None else NO_DATA
        print(f"{record['account']}: {shown}{trend}; profile {record['profile']}")
    output.emit(
        rows,
        [
            Column("input", "Input"),
            Column("detail", "Raw value"),
            Column("score", "Score", right=True),
            Column("weight", "Weight", right=True),
            Column("share", "Share", right=True),
            Column("contribution", "Contribution", right=True),
        ],
        fmt,
    )
    if fmt is not Format.csv:
        total = sum(i.contribution for i in result.inputs)
        if result.score is None:
            print("No input has data: no score and no band until one does.")
        else:
            print(f"Sum of contributions: {total:.1f} = score {result.score:.1f}, rounded {record['score']}.")
        if record["missing"]:
            print(f"Missing (weight spread over the rest): {', '.join(record['missing'])}.")


@app.command()
def snapshot(owner: OwnerOpt = None, profile: ProfileOpt = None) -> None:
    """Store today's scores for every active account (for cron; rerunning the same day replaces them)."""
    from csmctl.store import health as store

    profiles, rules = load_profiles(profile)
    app_state = state.current()
    with app_state.database().write() as session:
        scope = store.scope(owner=app_state.owner(owner))
        assessed = store.assess(session, scope, app_state.today, profiles, rules)
        written, replaced = store.write_snapshots(
            session, scope, app_state.today, [a.result for a in assessed]
        )
    note = f" (replaced {replaced} from earlier today)" if replaced else ""
    unscored = sum(1 for a in assessed if a.result.no_data)
    skipped = f"; {unscored} with no data not scored" if unscored else ""
    output.success(f"Stored {written} health scores for {app_state.today.isoformat()}{note}{skipped}.")


@app.command()
def history(
    account: Annotated[str, typer.Argument(help="Account name (any case), id, or unambiguous name prefix.")],
    since: Annotated[
        str | None, typer.Option("--since", metavar="SPAN", help="Only this far back, e.g. 90d or 6m.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """An account's stored scores over time, with a sparkline."""
    from csmctl.domain.dates import parse_duration
    from csmctl.domain.health import sparkline
    from csmctl.store import health as store
    from csmctl.store.accounts import resolve_account

    app_state = state.current()
    start = parse_duration(since, what="--since span").before(app_state.today) if since else None
    with app_state.database().read() as session:
        found = resolve_account(session, account)
        assert found.id is not None  # a stored account has its id
        name = found.name
        rows = store.history(session, found.id, start, app_state.today)
    if fmt is Format.table and rows:
        scores = [r["score"] for r in rows]
        print(
            f"{name}  {sparkline(scores)}  {scores[0]} -> {scores[-1]} over {len(rows)} snapshots "
            f"({rows[0]['date']} to {rows[-1]['date']})"
        )
    output.emit(
        rows,
        [Column("date", "Date"), Column("score", "Score", right=True), Column("band", "Band")],
        fmt,
        empty=f"No health snapshots for {name} yet: `csmctl health snapshot` stores them (run it daily).",
    )


@app.command()
def movers(
    since: Annotated[
        str,
        typer.Option(
            "--since", metavar="SPAN", help="Compare with the first snapshot in this span, e.g. 30d."
        ),
    ] = "30d",
    owner: OwnerOpt = None,
    all_: Annotated[bool, typer.Option("--all", help="Rises and unchanged too, not only drops.")] = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The biggest health drops between snapshots over a span (worst first)."""
    from csmctl.domain.dates import parse_duration
    from csmctl.store import health as store

    app_state = state.current()
    start = parse_duration(since, what="--since span").before(app_state.today)
    with app_state.database().read() as session:
        rows = store.movers(session, store.scope(owner=app_state.owner(owner)), start, app_state.today)
    if not all_:
        rows = [r for r in rows if r["change"] < 0]
    columns = [
        Column("account", "Account"),
        Column("owner", "Owner"),
        Column("from_date", "From"),
        Column("from_score", "Was", right=True),
        Column("to_date", "To"),
        Column("to_score", "Now", right=True),
        Column("change", "Change", show=lambda c: f"{c:+d}", right=True),
    ]
    output.emit(
        rows[:limit] if limit else rows,
        columns,
        fmt,
        empty=f"No drops since {start.isoformat()}." if not all_ else "No snapshots to compare.",
    )
