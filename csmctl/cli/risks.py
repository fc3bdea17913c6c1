"""`csmctl risk ...`: risks tracked to resolution (at-risk -> plan-in-place -> saving ->
recovered/lost), with the days spent in each stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import AccountArg, FormatOpt, LimitOpt, OwnerOpt, closed_set
from csmctl.domain.risks import DEFAULT_SEVERITY, OUTCOMES, SEVERITIES
from csmctl.output import Column, Format

if TYPE_CHECKING:  # the option enums are the domain's tuples (see options.closed_set)
    Severity: TypeAlias = str
    Outcome: TypeAlias = str
else:
    Severity = closed_set("Severity", SEVERITIES)
    Outcome = closed_set("Outcome", OUTCOMES)


app = typer.Typer(no_args_is_help=True)

RiskArg = Annotated[int, typer.Argument(help="The risk id (see `csmctl risk list`).")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why, in a sentence.")]

COLUMNS = [
    Column("id", "ID", right=True),
    Column("account", "Account"),
    Column("owner", "Owner"),
    Column("reason", "Reason"),
    Column("severity", "Severity"),
    Column("stage", "Stage"),
    Column("opened_on", "Opened"),
    Column("days_in_stage", "In stage", show=lambda d: f"{d}d", right=True),
    Column("age_days", "Age", show=lambda d: f"{d}d", right=True),
]
CSV_COLUMNS = [
    "id",
    "account",
    "owner",
    "reason",
    "controllable",
    "severity",
    "stage",
    "opened_on",
    "closed_on",
    "days_in_stage",
    "age_days",
    "note",
]


def taxonomy():
    return state.current().settings.risk_taxonomy


@app.command("open")
def open_(
    account: AccountArg,
    reason: Annotated[
        str, typer.Option("--reason", "-r", help="A reason code: budget, or primary/contributing.")
    ],
    severity: Annotated[
        Severity, typer.Option("--severity", help="How bad it is.", case_sensitive=False)
    ] = DEFAULT_SEVERITY,
    note: NoteOpt = None,
) -> None:
    """Open a risk on an account (in stage at-risk, today or on the --as-of date)."""
    from csmctl.domain import fields
    from csmctl.domain.risks import DEFAULT_SEVERITY, SEVERITIES
    from csmctl.store.accounts import resolve_account
    from csmctl.store.risks import open_risk

    app_state = state.current()
    code = taxonomy().get(reason).code
    level = fields.choice(severity, SEVERITIES, what="severity") or DEFAULT_SEVERITY
    with app_state.database().write() as session:
        target = resolve_account(session, account, include_archived=False)
        assert target.id is not None  # a stored account has its id
        risk = open_risk(session, target.id, code, level, note, app_state.today)
        session.flush()
        risk_id, name = risk.id, target.name
    output.success(f"Opened risk {risk_id} on {name}: {code} ({level}).")


@app.command("list")
def list_(
    owner: OwnerOpt = None,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="Only this reason (and its sub-reasons).")
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="Only this stage: at-risk, plan-in-place, saving, recovered, lost."),
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only open risks (not recovered or lost).")
    ] = False,
    account: Annotated[
        str | None, typer.Option("--account", "-a", metavar="ACCOUNT", help="Only this account's risks.")
    ] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Risks, newest first, with their stage, days in it and age."""
    from csmctl.domain import fields
    from csmctl.domain.risks import STAGES
    from csmctl.store.accounts import resolve_account
    from csmctl.store.risks import listing

    app_state = state.current()
    reasons = taxonomy()
    code = reasons.get(reason).code if reason else None
    wanted = fields.choice(stage, STAGES, what="risk stage") if stage else None
    with app_state.database().read() as session:
        account_id = resolve_account(session, account).id if account else None
        records = listing(
            session,
            reasons,
            app_state.today,
            owner=app_state.owner(owner),
            reason=code,
            stage=wanted,
            open_only=open_only,
            account_id=account_id,
        )
    output.emit(records[:limit], COLUMNS, fmt, csv_columns=CSV_COLUMNS, empty="No risks.")


@app.command()
def move(
    risk: RiskArg,
    stage: Annotated[str, typer.Argument(help="The new stage: at-risk, plan-in-place or saving.")],
    note: NoteOpt = None,
) -> None:
    """Move a risk to another open stage (today or on the --as-of date)."""
    from csmctl.domain.risks import check_stage
    from csmctl.store.risks import move_risk

    app_state = state.current()
    target = check_stage(stage)
    with app_state.database().write() as session:
        move_risk(session, risk, target, app_state.today, note)
    output.success(f"Risk {risk} moved to {target}.")


@app.command()
def close(
    risk: RiskArg,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="How it ended.", case_sensitive=False)],
    note: NoteOpt = None,
) -> None:
    """Close a risk as recovered or lost."""
    from csmctl.domain import fields
    from csmctl.domain.risks import OUTCOMES
    from csmctl.store.risks import close_risk

    app_state = state.current()
    result = fields.choice(outcome, OUTCOMES, what="outcome") or ""
    with app_state.database().write() as session:
        close_risk(session, risk, result, app_state.today, note)
    output.success(f"Risk {risk} closed: {result}.")


@app.command()
def show(risk: RiskArg, fmt: FormatOpt = Format.table) -> None:
    """One risk and its stage history, with the days spent in each stage."""
    from csmctl.store.risks import detail

    app_state = state.current()
    with app_state.database().read() as session:
        record = detail(session, risk, taxonomy(), app_state.today)
    if fmt is Format.json:
        output.emit_object(record, fmt)
        return
    stages = record.pop("stages")
    output.emit_object(record, fmt)
    if fmt is not Format.csv:
        typer.echo("")
        output.emit(
            stages,
            [
                Column("stage", "Stage"),
                Column("entered", "Entered"),
                Column("left", "Left"),
                Column("days", "Days", right=True),
            ],
            fmt,
        )


@app.command()
def reasons(fmt: FormatOpt = Format.table) -> None:
    """The risk reason taxonomy (from [risk.reasons] in config.toml, or the shipped default)."""
    records = [
        {
            "code": r.code,
            "label": r.label,
            "level": "contributing" if "/" in r.code else "primary",
            "controllable": r.controllable,
        }
        for r in taxonomy()
    ]
    output.emit(
        records,
        [
            Column("code", "Code"),
            Column("label", "Label"),
            Column("level", "Level"),
            Column("controllable", "Controllable"),
        ],
        fmt,
    )
