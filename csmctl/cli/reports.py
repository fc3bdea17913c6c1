"""`csmctl report renewals`: the renewal report, made for cron.

Order of work, so that a failure never leaves half a report: check every option, take the run
lock (an overlapping run exits 4), read everything in one read transaction (the renewals into
spools that spill past a bound: memory is flat in the size of the book), render the document
chunk by chunk into a temporary file beside the output and rename it into place (a 100k-account
book's report never sits in memory whole; a failure leaves the old file), and only then exit 3
when --fail-on found something.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.metrics import PeriodOpt
from csmctl.cli.options import OutputOpt, OwnerOpt, doc_format_option, output_format
from csmctl.cli.templates import TemplateDirOpt, template_dirs
from csmctl.errors import NotFound, fail_if_found

app = typer.Typer(no_args_is_help=True)


class DocFormat(StrEnum):
    md = "md"
    html = "html"
    txt = "txt"
    csv = "csv"
    json = "json"


# Renewals the report holds in memory before its spools spill, and then per spill batch (nine
# spools fill side by side, each with one batch in memory): a report row carries every column and
# its flags, heavier than a listing's. Measured on the bench books (md, as of 2026-11-23, peak
# RSS): 89 MB at 100k accounts, 93 MB at 300k; 16,384 held 75 and 79 MB but pickled and read
# back ~25k renewals of the 100k book's 41k (~0.08 CPU s; the ledger and pending contracts are
# summed in SQL, so the bound is what the book's size still changes).
REPORT_IN_MEMORY, REPORT_BATCH = 32_768, 256


def builtin_template(fmt: DocFormat) -> str:
    return f"reports/renewals.{fmt.value}.j2"


def lock_path(out: Path | None = None) -> Path:
    """The run lock for one output: next to the database file (in the data dir for a database
    server), one per output file, so two different reports run at once while two runs of the
    same report still exclude each other."""
    import hashlib

    from csmctl.files import is_stdout, make_private_dirs
    from csmctl.store.database import sqlite_path

    app_state = state.current()
    suffix = "report.lock"
    if out is not None and not is_stdout(out):
        target = os.path.realpath(Path(out).expanduser())
        suffix = f"report-{hashlib.sha256(os.fsencode(target)).hexdigest()[:16]}.lock"
    db_file = sqlite_path(app_state.db_target)
    if db_file is not None:
        return db_file.with_name(f"{db_file.name}.{suffix}")
    make_private_dirs(app_state.settings.data_dir)
    return app_state.settings.data_dir / suffix


def resolve_template(name: str, dirs: list[Path]) -> tuple[str, list[Path]]:
    """A template name in the lookup path (``renewals.md.j2`` also finds ``reports/...``), or a
    path to a template file."""
    from csmctl.documents.engine import find_template

    path = Path(name).expanduser()
    if not path.is_absolute():
        for candidate in (name, f"reports/{name}") if "/" not in name else (name,):
            try:
                find_template(dirs, candidate)
                return candidate, dirs
            except NotFound:
                continue
    if path.is_file():
        return path.name, [path.resolve().parent, *dirs]
    raise NotFound(
        f"No template named {name!r}.",
        "List them with `csmctl template list`, or give the path of a template file.",
    )


@app.command()
def renewals(
    out: OutputOpt = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            metavar="NAME",
            help="Your own template (a name in the template dirs, or a file path).",
            autocompletion=completion.templates,
        ),
    ] = None,
    fmt: Annotated[
        DocFormat | None,
        doc_format_option("md", "The built-in template to use. "),
    ] = None,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="WHAT",
            help="Exit 3 (after writing the report) when it finds: overdue, notice, at-risk, risk (an open "
            "risk on a renewing account); repeat or comma-separate.",
        ),
    ] = None,
    within: Annotated[
        str, typer.Option("--within", metavar="SPAN", help="Renewal window (default 120d).")
    ] = "120d",
    period: PeriodOpt = None,
    owner: OwnerOpt = None,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Render the renewal report: buckets, notice deadlines, recent outcomes, the period's metrics.

    Cron-ready: -o is written atomically, no colour or progress off a terminal, --fail-on
    gives exit 3 when something needs attention, and an overlapping run exits 4 ("busy").
    """
    from collections import Counter

    from csmctl.collector import cycles_collected_after
    from csmctl.documents.charts import renewal_month_charts
    from csmctl.documents.engine import render_to
    from csmctl.domain.dates import parse_duration
    from csmctl.domain.periods import parse_period
    from csmctl.domain.renewal_report import build_report, pending_window, recent_window
    from csmctl.domain.renewals import RENEWAL_SPILL, parse_fail_on
    from csmctl.files import is_stdout, output_stream, stdout_when_whole
    from csmctl.locks import run_lock
    from csmctl.spool import Pool
    from csmctl.store.renewals import load_report_rows
    from csmctl.store.risks import open_on

    app_state = state.current()
    today = app_state.today
    asked = parse_fail_on(fail_on)
    until = parse_duration(within, what="--within span").after(today)
    span = parse_period(period, today)
    who = app_state.owner(owner)
    builtin = None if template else output_format(out, fmt, DocFormat, DocFormat.md)
    name, dirs = (
        (builtin_template(builtin), template_dirs(template_dir))
        if builtin
        else resolve_template(str(template), template_dirs(template_dir))
    )
    # The chart data goes to the html template and to any template of the user's; the other
    # built-ins never draw it (it is one more pass over every renewal).
    with_charts = builtin in (None, DocFormat.html)
    # The renewals go into spools sharing one bound (the buckets and lists a template reads,
    # more than once for the html's charts): a bigger book spills to temporary files, not memory.
    with run_lock(lock_path(out)), cycles_collected_after(), Pool(REPORT_IN_MEMORY, REPORT_BATCH) as pool:
        with app_state.database().rows() as connection:
            rows = load_report_rows(
                connection,
                today=today,
                until=until,
                period_start=span.start,
                period_end=span.end,
                pending_window=pending_window(span, today),
                recent_window=recent_window(span, today),
                owner=who,
            )
            risks = Counter(r["account_id"] for r in open_on(connection, today, owner=who))
            context = build_report(
                today=today,
                period=span,
                within_days=(until - today).days,
                owner=who,
                fail_on=asked,
                notice_warning_days=app_state.settings.notice_warning_days,
                risks=risks,
                accounts=rows["accounts"],
                ledger_totals=rows["totals"],
                recent=rows["recent"],
                pending=rows["pending"],
                new_rows=lambda: pool.spool(codec=RENEWAL_SPILL),
                # their renewals are in the buckets too
                new_sublist=lambda: pool.spool(counted=False, codec=RENEWAL_SPILL),
                new_outcomes=pool.spool,
            )
        page = {"report": context, "charts": renewal_month_charts(context) if with_charts else []}
        if is_stdout(out):  # a failed render must not leave half a report on stdout
            with stdout_when_whole() as buffer:
                render_to(buffer, name, page, dirs=dirs, final_newline=True)
        else:
            with output_stream(out, newline="") as stream:
                render_to(stream, name, page, dirs=dirs, final_newline=True)
    summary = context["summary"]
    if not is_stdout(out) and output.is_tty(sys.stderr):  # cron mails any output: silent there
        output.success(
            f"Wrote {out}: {summary['renewals']} renewals, {summary['overdue']} overdue "
            f"({summary['auto_renewed']} auto-renewed? to confirm), {summary['notice']} notice flags."
        )
    if context["failed"]:
        found = {
            "overdue": summary["overdue"],
            "notice": summary["notice"],
            "at-risk": summary["at_risk"],
            "risk": summary["with_risks"],
        }
        fail_if_found(
            "--fail-on",
            [f"{found[k]} {k}" for k in context["failed"]],
            hint=None if is_stdout(out) else f"The report is in {out}.",
        )
