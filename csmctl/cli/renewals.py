"""`csmctl renewal ...`: the window (`list`), its calendar (`ics`), outcomes (`record`) and the
ledger (`history`). `csmctl renewals` (the window without a verb) stays as a hidden, deprecated
alias."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import AccountArg, FormatOpt, OutputOpt, OwnerOpt, closed_set
from csmctl.domain.renewals import OUTCOMES
from csmctl.errors import InvalidValue
from csmctl.output import Column, Format, money_column

if TYPE_CHECKING:  # its members are these strs; mypy cannot see a class built at run time
    from csmctl.domain.renewals import BucketHead

    Outcome = str
else:
    Outcome = closed_set("Outcome", OUTCOMES)

app = typer.Typer(no_args_is_help=True)
# The old `csmctl renewals [ics]`: kept working (hidden, with a deprecation note) for scripts.
legacy_app = typer.Typer(no_args_is_help=False, invoke_without_command=True)

WithinOpt = Annotated[
    str,
    typer.Option(
        "--within", metavar="SPAN", help="How far ahead to look, e.g. 120d, 6m (overdue ones always show)."
    ),
]


_NOTICE_SHOWN = {"passed": "PASSED", "soon": "soon"}


def renewal_columns(show_health: bool) -> list[Column]:
    columns = [
        Column("name", "Account"),
        Column("owner", "Owner"),
        money_column("arr", "ARR"),
        Column("renewal_date", "Renewal"),
        Column("days_to_renewal", "Days", right=True),
        Column("auto_renew", "Auto"),
        Column("notice_deadline", "Notice by"),
        Column("notice", "Notice", show=lambda v: _NOTICE_SHOWN.get(v, "")),
        Column("status", "Status", show=lambda v: "" if v == "upcoming" else v),
    ]
    if show_health:
        columns.insert(2, Column("health_band", "Health"))
    return columns


CSV_COLUMNS = [
    "bucket",
    "id",
    "name",
    "owner",
    "tier",
    "stage",
    "arr",
    "currency",
    "renewal_date",
    "days_to_renewal",
    "auto_renew",
    "notice_days",
    "notice_deadline",
    "notice",
    "status",
    "at_risk",
    "health_band",
]


def _window(within: str) -> tuple[int, Any]:
    from csmctl.domain.dates import parse_duration

    today = state.current().today
    until = parse_duration(within, what="--within span").after(today)
    return (until - today).days, until


@app.command("list")
def list_(
    within: WithinOpt = "120d",
    owner: OwnerOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Upcoming renewals by window (overdue, 0-30, 31-60, 61-90, 91-120 days), with notice deadlines.

    A notice deadline is the renewal date minus the account's notice days; it is flagged when it
    has passed or falls within 14 days ([renewals] notice_warning_days in config.toml). Auto-renewing contracts past their date with no recorded
    outcome show as "auto-renewed?": confirm them with `csmctl renewal record`.
    """
    from csmctl.collector import cycles_collected_after

    with cycles_collected_after():  # a row dict per renewal, alive until printed
        _list(within, owner, fmt)


def _bucket_heading(head: Callable[[], BucketHead], fmt: Format, heads: list[BucketHead]) -> str:
    """A bucket's heading, from its head once its renewals are read (kept in ``heads``)."""
    bucket = head()
    heads.append(bucket)
    totals = ", ".join(str(t) for t in bucket.totals.values())
    text = f"{bucket.label}: {bucket.count}" + (f" · {totals}" if totals else "")
    return f"## {text}\n\n" if fmt is Format.md else f"{text}\n"


def _list(within: str, owner: str | None, fmt: Format) -> None:
    """Streamed: the renewals go from the cursor to the writer in the query's order; none is held for
    the list. JSON reads totals per date first (each bucket's count and totals come before its
    renewals); a table counts each bucket's renewals as it reads them (its heading comes after)."""
    from itertools import islice

    from csmctl.domain.money import show_money, unknown_note
    from csmctl.domain.renewals import (
        TABLE_FIELDS,
        TABLE_READS,
        bucket_heads,
        iter_renewals,
        table_buckets,
    )
    from csmctl.store.renewals import renewal_day_totals, renewal_rows, renewal_tuples

    app_state = state.current()
    days, until = _window(within)
    who = app_state.owner(owner)
    with app_state.database().rows() as connection:

        def renewals() -> Any:
            return iter_renewals(
                renewal_rows(connection, until=until, owner=who, by_name=False),
                app_state.today,
                warning_days=app_state.settings.notice_warning_days,
            )

        if fmt is Format.csv:
            flat = ({**r, "arr": show_money(r["arr"], "plain")} for r in renewals())
            output.emit(flat, [], fmt, csv_columns=CSV_COLUMNS)
            return
        if fmt is Format.json:
            heads = bucket_heads(renewal_day_totals(connection, until=until, owner=who), app_state.today)
            # The buckets follow each other in date order, as the renewals do: each takes its count.
            stream = renewals()
            output.emit_object(
                {
                    "as_of": app_state.today,
                    "within_days": days,
                    "owner": who,
                    "buckets": [b.as_dict(islice(stream, b.count)) for b in heads],
                    "unknown_arr_count": sum(b.unknown_arr_count for b in heads),
                },
                fmt,
            )
            return  # the count is in the JSON: no note on stderr for a machine format
        else:
            # No health mapping is given here, so no row has a band: the column is left out. The
            # table reads only what it shows, as tuples of TABLE_FIELDS, and heads each bucket
            # with the count and totals of the renewals it has read.
            columns = renewal_columns(False)
            buckets = table_buckets(
                renewal_tuples(connection, until=until, owner=who, columns=TABLE_READS),
                app_state.today,
                warning_days=app_state.settings.notice_warning_days,
            )
            heads = []
            for renewals_of, head in buckets:
                if heads:
                    print()
                heading = functools.partial(_bucket_heading, head, fmt, heads)
                output.emit(renewals_of, columns, fmt, fields=TABLE_FIELDS, heading=heading)
            if not heads:
                output.err(f"No renewals in the next {days} days and none overdue.", style="dim")
                return
    unknown = sum(b.unknown_arr_count for b in heads)
    note = unknown_note(unknown)
    if note:
        output.err(f"note: {note} of the totals.", style="dim")


@app.command()
def ics(
    out: OutputOpt = None,
    within: Annotated[
        str, typer.Option("--within", metavar="SPAN", help="How far ahead to export (default 1y).")
    ] = "1y",
    owner: OwnerOpt = None,
) -> None:
    """Export renewal dates and notice deadlines as an iCalendar (.ics) file.

    Each account has one renewal event and one notice-deadline event whose UID never changes;
    SEQUENCE and DTSTAMP follow the account's last change, so importing a newer export (after
    `account edit --renewal` or `renewal record`) updates your calendar instead of duplicating events.
    """
    from csmctl.documents.renewal_calendar import build_calendar
    from csmctl.domain.renewals import build_renewals
    from csmctl.files import is_stdout, output_stream
    from csmctl.store.renewals import renewal_rows

    app_state = state.current()
    _, until = _window(within)
    with app_state.database().rows() as connection:
        raw = list(renewal_rows(connection, until=until, owner=app_state.owner(owner)))
    rows = build_renewals(raw, app_state.today, warning_days=app_state.settings.notice_warning_days)
    revised = {r["id"]: r["updated_at"] for r in raw}
    data = build_calendar(rows, app_state.today, revised).decode("utf-8")
    with output_stream(out, newline="") as stream:
        stream.write(data)
    if not is_stdout(out):
        notices = sum(1 for r in rows if r["notice_deadline"])
        output.success(f"Wrote {len(rows)} renewals and {notices} notice deadlines to {out}.")


# -- the ledger ------------------------------------------------------------------------------------

HISTORY_COLUMNS = [
    Column("date", "Date"),
    Column("account", "Account"),
    Column("outcome", "Outcome"),
    money_column("arr_before", "ARR before"),
    money_column("arr_after", "ARR after"),
    Column("change", "Change", show=lambda v: ("+" if v.amount_minor > 0 else "") + v.short(), right=True),
    Column("term_months", "Term", right=True),
]
HISTORY_CSV = [
    "id",
    "account_id",
    "account",
    "date",
    "outcome",
    "arr_before",
    "arr_after",
    "currency",
    "term_months",
    "renewal_date_before",
    "notes",
]


def _arr_before(account, given: str | None):
    """The ARR a renewal starts from: the account's, or ``--arr-before`` when it is unknown."""
    from csmctl.domain.money import parse_amount, stored_money

    known = stored_money(account.arr_minor, account.currency)
    if given is None:
        if known is None:
            raise InvalidValue(
                f"{account.name}'s ARR is unknown, so the renewal has no ARR to start from.",
                "Give it with --arr-before ARR, or set it first: csmctl account edit "
                f"{account.id} --arr ARR.",
            )
        return known
    stated = parse_amount(given, account.currency, what="--arr-before")
    if known is not None and stated != known:
        raise InvalidValue(
            f"--arr-before {stated} differs from {account.name}'s ARR {known}.",
            "Leave --arr-before out, or correct the ARR with csmctl account edit.",
        )
    return stated


@app.command()
def record(
    account: AccountArg,
    outcome: Annotated[Outcome, typer.Option("--outcome", case_sensitive=False, help="What happened.")],
    on: Annotated[str, typer.Option("--date", help="When the outcome happened (default today).")] = "today",
    arr: Annotated[
        str | None,
        typer.Option(
            "--arr",
            metavar="NEW_ARR",
            help="ARR after the renewal (default: unchanged for renewed, 0 for churned).",
        ),
    ] = None,
    arr_before: Annotated[
        str | None,
        typer.Option(
            "--arr-before",
            metavar="ARR",
            help="ARR before the renewal, for an account whose ARR is unknown.",
        ),
    ] = None,
    term: Annotated[
        int | None, typer.Option("--term", help="New term in months (default: the account's term).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free-form notes.")] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            help="Why ARR was lost (churned or contracted): a risk reason code, see `csmctl risk reasons`.",
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Record a renewal outcome: appends to the ledger and rolls the renewal date forward by the
    term (or archives the account on churn), in one transaction."""
    from csmctl.domain.accounts import utcnow
    from csmctl.domain.money import parse_amount
    from csmctl.domain.renewals import check_loss_reason, ledger_row, plan_outcome
    from csmctl.store.accounts import resolve_account
    from csmctl.store.renewals import record_outcome

    app_state = state.current()
    when = app_state.date(on, what="--date")
    code = None
    if reason is not None:
        from csmctl.cli.risks import taxonomy

        code = taxonomy().get(reason).code
    with app_state.database().write() as session:
        found = resolve_account(session, account)
        before = _arr_before(found, arr_before)
        after = parse_amount(arr, found.currency, what="--arr") if arr is not None else None
        plan = plan_outcome(
            outcome=str(outcome),
            on=when,
            today=app_state.today,
            arr_before=before,
            arr_after=after,
            term_months=term,
            renewal_date=found.renewal_date,
            account_term=found.term_months,
        )
        check_loss_reason(plan.outcome, code)
        event = record_outcome(
            session, found, plan, today=app_state.today, now=utcnow(), notes=notes, reason=code
        )
        row = ledger_row({**event.model_dump(), "name": found.name, "owner": found.owner, "tier": found.tier})
        row["new_renewal_date"] = plan.new_renewal_date
        row["archived"] = plan.archive
    if fmt is not Format.table:
        output.emit_object(row, fmt)
    if plan.archive:
        output.success(f"Recorded: {row['account']} churned ({before} lost); the account is archived.")
    else:
        assert plan.new_renewal_date is not None  # None only on churn, which archives
        output.success(
            f"Recorded: {row['account']} {plan.outcome} at {plan.arr_after}; "
            f"next renewal {plan.new_renewal_date.isoformat()}."
        )


@app.command()
def history(
    account: Annotated[str | None, typer.Argument(help="Only this account (name, id or prefix).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only outcomes on or after this date.")] = None,
    owner: OwnerOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The renewal ledger: every recorded outcome with ARR before and after."""
    from csmctl.domain.renewals import ledger_row
    from csmctl.store.accounts import resolve_account
    from csmctl.store.renewals import ledger_rows

    app_state = state.current()
    start = app_state.date(since, what="--since date")
    with app_state.database().read() as session:
        account_id = resolve_account(session, account).id if account else None
        rows = [
            ledger_row(r)
            for r in ledger_rows(session, start=start, account_id=account_id, owner=app_state.owner(owner))
        ]
    if fmt is Format.csv:
        rows = [{**r, "currency": r["arr_before"].currency} for r in rows]
    output.emit(
        rows,
        HISTORY_COLUMNS,
        fmt,
        csv_columns=HISTORY_CSV,
        empty="No renewal outcomes recorded yet: `csmctl renewal record ACCOUNT --outcome ...`.",
    )


# -- the deprecated `csmctl renewals` --------------------------------------------------------------


@legacy_app.callback()
def renewals(
    ctx: typer.Context,
    within: WithinOpt = "120d",
    owner: OwnerOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Deprecated: use `csmctl renewal list` (and `csmctl renewal ics`)."""
    if ctx.invoked_subcommand is None:
        list_(within=within, owner=owner, fmt=fmt)


legacy_app.command("ics")(ics)
