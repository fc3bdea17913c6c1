"""`csmctl forecast ...`: renewal forecasts (available to renew, committed, weighted, best case),
overrides with their history, daily snapshots for cron, and how accurate past forecasts were."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.boundary import ShowByDefaultGroup
from csmctl.cli.options import AccountArg, FormatOpt, OwnerOpt, closed_set
from csmctl.domain.forecast import BY, CATEGORIES
from csmctl.errors import InvalidValue
from csmctl.output import Column, Format

if TYPE_CHECKING:  # the option enums are the domain's tuples (see options.closed_set)
    Category: TypeAlias = str
    ForecastBy: TypeAlias = str
else:
    Category = closed_set("Category", CATEGORIES)
    ForecastBy = closed_set("ForecastBy", BY)


class AccuracyBy(StrEnum):
    owner = "owner"
    category = "category"


app = typer.Typer(cls=ShowByDefaultGroup)

QuarterOpt = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        "-q",
        metavar="PERIOD",
        help="2027Q1 (or any period: 2027-03, 2027, FROM..TO); default: the quarter of today.",
    ),
]


def _money(value) -> str:
    from csmctl.domain.money import show_money

    return show_money(value, "short")


COLUMNS = [
    Column("group", "Group"),
    Column("currency", "Cur"),
    Column("renewals", "Renewals", right=True),
    Column("available", "Available", show=_money, right=True),
    Column("committed", "Committed", show=_money, right=True),
    Column("weighted", "Weighted", show=_money, right=True),
    Column("best_case", "Best case", show=_money, right=True),
    Column("mix", "Mix (commit..lost)"),
]
CSV_COLUMNS = ["group", "currency", "renewals", "available", "committed", "weighted", "best_case"]
LINE_COLUMNS = [
    Column("account", "Account"),
    Column("owner", "Owner"),
    Column("renewal_date", "Renewal"),
    Column("category", "Category"),
    Column("arr", "ARR", show=_money, right=True),
    Column("expected", "Expected", show=_money, right=True),
    Column("likelihood", "Likelihood", show=lambda v: f"{v}%", right=True),
]
LINE_CSV = [
    "account_id",
    "account",
    "owner",
    "tier",
    "renewal_date",
    "category",
    "arr",
    "expected",
    "likelihood",
]


def defaults() -> dict[str, int]:
    return state.current().settings.forecast_likelihood


def period_of(text: str | None):
    from csmctl.domain.periods import parse_period

    today = state.current().today
    return parse_period(text or f"{today.year}-Q{(today.month - 1) // 3 + 1}", today)


@app.command("show")
def show(
    quarter: QuarterOpt = None,
    owner: OwnerOpt = None,
    by: Annotated[
        ForecastBy | None, typer.Option("--by", help="Break down by this.", case_sensitive=False)
    ] = None,
    lines: Annotated[
        bool, typer.Option("--lines", help="One line per renewal instead of the totals.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Renewals in a quarter: available to renew, committed, weighted and best case, per currency."""
    from csmctl.domain import forecast as rules
    from csmctl.domain.health import sparkline
    from csmctl.store.forecast import forecast_rows

    app_state = state.current()
    span, likely = period_of(quarter), defaults()
    with app_state.database().rows() as connection:  # the lean read path: no SQLModel, no ORM
        items = [
            rules.line(r, likely)
            for r in forecast_rows(connection, start=span.start, end=span.end, owner=app_state.owner(owner))
        ]
    empty = f"No renewals in {span.label}."
    if lines:
        records = [
            {
                "account_id": i.account_id,
                "account": i.account,
                "owner": i.owner,
                "tier": i.tier,
                "renewal_date": i.renewal_date,
                "category": i.category,
                "arr": _m(i.arr, i.currency),
                "expected": _m(i.expected, i.currency),
                "likelihood": i.likelihood,
            }
            for i in items
        ]
        output.emit(records, LINE_COLUMNS, fmt, csv_columns=LINE_CSV, empty=empty)
        return
    records = []
    items = list(items)
    unknown = sum(1 for i in items if i.arr is None or i.expected is None)
    if unknown:
        from csmctl.domain.money import unknown_note

        output.err(f"note: {unknown_note(unknown)}")
    for rollup in rules.rollup(items, by):
        record = rollup.record()
        record["mix"] = sparkline(
            [rollup.by_category[c] for c in rules.CATEGORIES], min_span=1, zero_based=True
        )
        if fmt is not Format.json:
            record.pop("by_category")
        records.append(record)
    output.emit(records, COLUMNS if by else COLUMNS[1:], fmt, csv_columns=CSV_COLUMNS, empty=empty)


def _m(amount: int | None, currency: str):
    from csmctl.domain.money import stored_money

    return stored_money(amount, currency)


@app.command("set")
def set_(
    account: AccountArg,
    category: Annotated[
        Category | None, typer.Option("--category", "-c", help="The forecast category.", case_sensitive=False)
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option("--amount", help="Expected amount (contraction or expansion): 90k, 120,000."),
    ] = None,
    likelihood: Annotated[
        int | None, typer.Option("--likelihood", "-l", help="Whole percent 0-100 (default: the category's).")
    ] = None,
    why: Annotated[
        str | None, typer.Option("--why", help="Why the forecast changed (kept in the history).")
    ] = None,
) -> None:
    """Set the forecast of an account's next renewal; each change is kept (who, when, from, to, why)."""
    from csmctl.domain import forecast as rules
    from csmctl.domain.money import parse_amount
    from csmctl.store.accounts import resolve_account
    from csmctl.store.forecast import set_forecast

    if category is None and amount is None and likelihood is None:
        raise InvalidValue("Nothing to change.", "Give --category, --amount and/or --likelihood.")
    wanted = rules.check_category(category) if category else None
    if likelihood is not None:
        rules.check_likelihood(likelihood)
        if wanted == "lost" and likelihood:
            raise InvalidValue(
                "A lost renewal has likelihood 0.", "Drop --likelihood or pick another category."
            )
    app_state = state.current()
    with app_state.database().write() as session:
        target = resolve_account(session, account, include_archived=False)
        expected = None
        if amount is not None:
            money = parse_amount(amount, target.currency, what="--amount")
            if money.amount_minor < 0:
                raise InvalidValue(f"Invalid --amount {amount!r}: it cannot be negative.")
            expected = money.amount_minor
        changes = set_forecast(
            session,
            target,
            app_state.today,
            category=wanted,
            expected=expected,
            likelihood=likelihood,
            who=app_state.settings.user_name,
            why=why,
        )
        name = target.name
    if not changes:
        output.success(f"The forecast of {name} already says that; nothing changed.")
        return
    output.success(f"Forecast of {name}: " + ", ".join(f"{c['field']} -> {c['new']}" for c in changes) + ".")


@app.command()
def history(account: AccountArg, fmt: FormatOpt = Format.table) -> None:
    """The override history of an account's forecasts: who, when, from -> to, why."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.forecast import overrides

    with state.current().database().read() as session:
        found = resolve_account(session, account)
        assert found.id is not None  # a stored account has its id
        records = overrides(session, found.id)
    output.emit(
        records,
        [
            Column("renewal_date", "Renewal"),
            Column("changed_on", "Changed"),
            Column("who", "Who"),
            Column("field", "Field"),
            Column("old", "From"),
            Column("new", "To"),
            Column("why", "Why"),
        ],
        fmt,
        empty="No forecast changes recorded.",
    )


@app.command()
def snapshot() -> None:
    """Freeze today's forecast of every renewal in the next year (for cron; once per day)."""
    from csmctl.store.forecast import take_snapshot

    app_state = state.current()
    with app_state.database().write() as session:
        count = take_snapshot(session, app_state.today, defaults())
    day = app_state.today.isoformat()
    if count:
        output.success(f"Froze {count} renewal forecasts as of {day}.")
    else:
        output.err(f"Nothing new to freeze as of {day} (already taken today, or no renewals ahead).")


@app.command()
def accuracy(
    quarter: QuarterOpt = None,
    owner: OwnerOpt = None,
    by: Annotated[
        AccuracyBy, typer.Option("--by", help="Group by this.", case_sensitive=False)
    ] = AccuracyBy.owner,
    detail: Annotated[bool, typer.Option("--detail", help="One line per renewal and horizon.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """How good past forecasts were: what was forecast 90/60/30 days out vs what was recorded."""
    from csmctl.domain import forecast as rules
    from csmctl.store.forecast import accuracy_inputs

    app_state = state.current()
    span = period_of(quarter)
    with app_state.database().read() as session:
        outcomes, snapshots = accuracy_inputs(session, span.start, span.end, app_state.owner(owner))
    outcomes = [o for o in outcomes if o.recorded <= app_state.today]
    rows = rules.accuracy_rows(outcomes, [s for s in snapshots if s.taken <= app_state.today])
    empty = f"No recorded renewals in {span.label} with a forecast snapshot before them."
    if detail:
        columns = [
            Column("account", "Account"),
            Column("owner", "Owner"),
            Column("renewal_date", "Renewal"),
            Column("days_out", "Days out", right=True),
            Column("category", "Forecast cat."),
            Column("forecast", "Forecast", show=_money, right=True),
            Column("actual", "Actual", show=_money, right=True),
            Column("error", "Error", show=_money, right=True),
        ]
        output.emit(rows, columns, fmt, empty=empty)
        return
    columns = [
        Column("group", by.title()),
        Column("days_out", "Days out", right=True),
        Column("currency", "Cur"),
        Column("renewals", "Renewals", right=True),
        Column("forecast", "Forecast", show=_money, right=True),
        Column("actual", "Actual", show=_money, right=True),
        Column("accuracy_pct", "Accuracy", show=lambda v: f"{v}%", right=True),
    ]
    output.emit(rules.accuracy_summary(rows, by), columns, fmt, empty=empty)
