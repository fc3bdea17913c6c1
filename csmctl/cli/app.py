"""The root app: global options, the error boundary, and the registry of command groups.

Each group lives in its own module (``cli/accounts.py``...) and is added here, in the order
``csmctl --help`` lists them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import __version__
from csmctl.cli import (
    accounts, cadence, contacts, db, demo, exporting, followups, hiring, importing, metrics, onboarding,
    playbooks, renewals, reports, resume, state, templates, touchpoints,
)
from csmctl.cli import brief, health, metric_values, today
from csmctl.cli.boundary import CsmctlGroup

app = typer.Typer(
    cls=CsmctlGroup,
    name="csmctl",
    help="csmctl: a Customer Success Manager's book of business in the terminal.\n\n"
    "Start with `csmctl demo`, then `csmctl account list`.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,  # plain Click help: fast, and identical on a TTY and in a pipe
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # locals can hold customer data
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csmctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db_target: Annotated[
        str | None,
        typer.Option("--db", envvar="CSMCTL_DB", metavar="PATH_OR_URL",
                     help="Database file or URL (default: the user data dir; see `csmctl db path`)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", envvar="CSMCTL_AS_OF",
                     help="Pretend today is DATE (YYYY-MM-DD or +30d...): reproducible reports."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    current = state.begin(db_flag=db_target)
    if as_of:
        current.as_of = current.date(as_of, what="--as-of date")


app.command("demo")(demo.demo)
app.add_typer(accounts.app, name="account", help="Add, list, show, edit, archive and delete accounts.")
app.add_typer(contacts.app, name="contact", help="People at an account: champions, sponsors, users.")
app.command("touch")(touchpoints.log)
app.add_typer(touchpoints.app, name="touchpoint", help="Log, list, edit and delete touchpoints (calls, emails, meetings...).")
app.command("timeline")(touchpoints.timeline)
app.add_typer(followups.app, name="followup", help="Follow-ups promised after touchpoints: list, done, snooze.")
app.command("stale")(cadence.stale)
app.add_typer(onboarding.app, name="onboard", help="Onboard customers: checklists from playbooks, progress, time to value.")
app.add_typer(playbooks.app, name="playbook", help="List, show, validate and copy onboarding playbooks.")
app.add_typer(renewals.app, name="renewals", help="Upcoming renewals by window, notice deadlines, and an .ics export.")
app.add_typer(renewals.ledger_app, name="renewal", help="Record renewal outcomes and see the renewal ledger.")
app.command("metrics")(metrics.metrics)
app.add_typer(reports.app, name="report", help="Documents from the book: the renewal report (for cron).")
app.add_typer(importing.app, name="import", help="Import accounts, contacts or touchpoints from CSV or JSON.")
app.add_typer(exporting.app, name="export", help="Export accounts, contacts or touchpoints as CSV or JSON.")
app.add_typer(hiring.app, name="jd", help="Hiring: job specs, postings (md/html/txt/JSON-LD), interview kits, scorecards.")
app.add_typer(templates.app, name="template", help="List, show and copy the templates documents are made from.")
app.command("today")(today.today)
app.add_typer(health.app, name="health", help="Health scores you can explain: `health [ACCOUNT] [--explain]`, snapshot, history, movers.")
app.add_typer(metric_values.app, name="metric", help="Custom health metrics (usage, tickets...): import and list.")
app.command("brief")(brief.brief)
app.add_typer(resume.app, name="resume", help="Resumes: validate, lint, match to a job, render (md/html/txt/pdf).")
app.add_typer(db.app, name="db", help="Where the database is, its schema, backups and checks.")


def main() -> None:
    app(prog_name="csmctl")
