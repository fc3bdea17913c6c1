"""`csmctl metric retention`: logo churn, GRR, NRR and renewal rate over a period, from the renewal ledger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, OwnerOpt, closed_set
from csmctl.errors import InvalidValue
from csmctl.output import Column, Format, money_column

if TYPE_CHECKING:
    from decimal import Decimal

if TYPE_CHECKING:  # its members are these strs; mypy cannot see a class built at run time
    BreakDown = str
else:
    BreakDown = closed_set("BreakDown", ("owner", "tier", "reason"))
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="PERIOD",
        help="2026-Q3, 2026-09, 2026 or FROM..TO (default: the last 12 months).",
    ),
]

COLUMNS = [
    Column("group", "Group"),
    Column("currency", "Cur"),
    Column("due", "Due", right=True),
    Column("renewed", "Kept", right=True),
    Column("churned", "Churned", right=True),
    Column("pending", "Pending", right=True),
    Column("logo_churn_pct", "Logo churn", right=True),
    Column("renewal_rate_pct", "Renewal rate", right=True),
    money_column("start_arr", "Start ARR"),
    money_column("end_arr", "End ARR"),
    Column("grr_pct", "GRR", right=True),
    Column("nrr_pct", "NRR", right=True),
]
CSV_COLUMNS = [
    "group",
    "currency",
    "due",
    "recorded",
    "pending",
    "renewed",
    "churned",
    "logo_churn",
    "renewal_rate",
    "grr",
    "nrr",
    "start_arr",
    "expansion",
    "contraction",
    "churn",
    "end_arr",
]


def metrics(
    period: PeriodOpt = None,
    by: Annotated[
        BreakDown | None,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="Break down by owner or tier; reason: ARR lost per churn reason.",
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the arithmetic and the accounts behind each term.")
    ] = False,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Convert everything to this currency (needs --rates).")
    ] = None,
    rates: Annotated[
        Path | None,
        typer.Option(
            "--rates",
            dir_okay=False,
            help="Rates file: CURRENCY,RATE per line (1 CURRENCY = RATE of --currency), or a JSON object.",
        ),
    ] = None,
    owner: OwnerOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Retention over a period: logo churn, GRR, NRR, renewal rate (per currency).

    Measured over the contracts whose renewal came up in the period: GRR = (start ARR -
    contraction - churn) / start ARR; NRR adds expansion (new logos are never in it); renewal
    rate = kept / due, where due counts contracts still unrecorded past their date.
    """
    from csmctl.domain import metrics as m
    from csmctl.domain.money import check_currency
    from csmctl.domain.periods import parse_period
    from csmctl.domain.renewal_report import (
        entries_from_ledger,
        metric_record,
        pending_from_accounts,
        pending_window,
    )
    from csmctl.store.renewals import ledger_rows, renewal_rows

    app_state = state.current()
    today = app_state.today
    span = parse_period(period, today)
    target: str | None = None
    rate_table: dict[str, Decimal] | None = None
    if currency is not None or rates is not None:
        if currency is None or rates is None:
            raise InvalidValue(
                "--currency and --rates go together.",
                "Give both to convert, or neither for figures per currency.",
            )
        target = check_currency(currency, what="--currency")
        rate_table = m.parse_rates(_read(rates), path=str(rates))
    who = app_state.owner(owner)
    window = pending_window(span, today)
    with app_state.database().rows() as connection:
        entries = entries_from_ledger(
            ledger_rows(connection, start=span.start, end=min(span.end, today), owner=who), by
        )
        pending = pending_from_accounts(
            renewal_rows(connection, since=window[0], until=window[1], owner=who) if window else [], by
        )
    if target is not None and rate_table is not None:  # both given, or neither (checked above)
        entries, pending = m.convert_entries(entries, pending, target, rate_table)
    results = m.compute(entries, pending)
    if by == "reason":
        _losses(results, span.label, fmt)
        return
    columns = COLUMNS if by else COLUMNS[1:]
    output.emit(
        [metric_record(r) for r in results],
        columns,
        fmt,
        csv_columns=CSV_COLUMNS,
        empty=f"No renewals were due or recorded in {span.label}.",
    )
    if explain:
        # For people: after the table on stdout; beside json/csv it goes to stderr, off the data.
        say = print if fmt in (Format.table, Format.md) else output.err
        say(f"\nPeriod {span.label}: {span.start.isoformat()} to {span.end.isoformat()}")
        for result in results:
            for line in m.explain(result):
                say(line)


LOSS_COLUMNS = [
    Column("reason", "Reason"),
    Column("controllable", "Controllable"),
    Column("currency", "Cur"),
    Column("churned", "Churned", right=True),
    Column("contracted", "Contracted", right=True),
    Column("lost", "Lost ARR", show=lambda v: v.short(), right=True),
]


def _losses(results, label: str, fmt: Format) -> None:
    """`metrics --by reason`: lost ARR per reason code, controllable or not (churn analysis)."""
    from csmctl.cli.risks import taxonomy
    from csmctl.domain.metrics import losses_by_reason

    reasons = taxonomy().reasons

    def controllable(code: str) -> bool | None:
        found = reasons.get(code)
        return found.controllable if found else None

    output.emit(
        losses_by_reason(results, controllable),
        LOSS_COLUMNS,
        fmt,
        csv_columns=[
            "reason",
            "controllable",
            "currency",
            "churned",
            "contracted",
            "churn",
            "contraction",
            "lost",
        ],
        empty=f"No ARR was lost to churn or contraction in {label}.",
    )


def _read(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InvalidValue(f"Cannot read the rates file {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise InvalidValue(f"The rates file {path} is not UTF-8 text.") from None
