"""The root app: global options, the error boundary, and the registry of command groups.

Each group lives in its own module (``cli/accounts.py``...) and is added here, in the order
``csmctl --help`` lists them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import __version__
from csmctl.cli import state
from csmctl.cli.boundary import CsmctlGroup, LazyCommand, LazyGroup

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
    ctx: typer.Context,
    db_target: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CSMCTL_DB",
            metavar="PATH_OR_URL",
            help="Database file or URL (default: the user data dir; see `csmctl db path`).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            envvar="CSMCTL_AS_OF",
            help="Pretend today is DATE (YYYY-MM-DD or +30d...): reproducible reports.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    current = state.begin(db_flag=db_target)
    if db_target and "://" in db_target:
        _check_password_in_url(db_target, ctx)
    if as_of:
        current.as_of = current.date(as_of, what="--as-of date")


def _check_password_in_url(url: str, ctx: typer.Context) -> None:
    """Warn about a password in the URL that needs encoding, or that --db shows in `ps`."""
    from csmctl.output import warn
    from csmctl.redact import password_warnings, remember

    remember(url)
    source = ctx.get_parameter_source("db_target")
    # by name: Typer's ParameterSource is not always click's own class
    for note in password_warnings(url, from_flag=getattr(source, "name", "") == "COMMANDLINE"):
        warn(note)


# Commands (module, function) and command groups (module, attribute, help) are built on first use:
# `csmctl account show` then never imports or builds the others (`csmctl --help` builds the single
# commands, whose help line is their docstring's first line).
CsmctlGroup.lazy_groups = {
    "demo": LazyCommand("csmctl.cli.demo", "demo"),
    "touch": LazyCommand("csmctl.cli.touchpoints", "log"),
    "timeline": LazyCommand("csmctl.cli.touchpoints", "timeline"),
    "stale": LazyCommand("csmctl.cli.cadence", "stale"),
    "today": LazyCommand("csmctl.cli.today", "today"),
    "brief": LazyCommand("csmctl.cli.brief", "brief"),
    "metrics": LazyCommand("csmctl.cli.metrics", "metrics"),  # deprecated (hidden): `metric retention`
    "book": LazyCommand("csmctl.cli.book", "book"),
    "account": LazyGroup("csmctl.cli.accounts", "app", "Add, list, show, edit, archive and delete accounts."),
    "contact": LazyGroup("csmctl.cli.contacts", "app", "People at an account: champions, sponsors, users."),
    "touchpoint": LazyGroup(
        "csmctl.cli.touchpoints",
        "app",
        "Log, list, edit and delete touchpoints (calls, emails, meetings...).",
    ),
    "follow-up": LazyGroup(
        "csmctl.cli.followups", "app", "Follow-ups promised after touchpoints: list, done, snooze."
    ),
    "onboard": LazyGroup(
        "csmctl.cli.onboarding",
        "app",
        "Onboard customers: checklists from playbooks, progress, time to value.",
    ),
    "playbook": LazyGroup(
        "csmctl.cli.playbooks", "app", "List, show, validate and copy onboarding playbooks."
    ),
    "play": LazyGroup(
        "csmctl.cli.plays", "app", "Plays: rules that turn signals into follow-ups, tags and stages (cron)."
    ),
    "renewal": LazyGroup(
        "csmctl.cli.renewals",
        "app",
        "Renewals: upcoming by window with notice deadlines, .ics export, outcomes and the ledger.",
    ),
    "risk": LazyGroup(
        "csmctl.cli.risks", "app", "Risks to resolution: open, list, move, close, show (days per stage)."
    ),
    "forecast": LazyGroup(
        "csmctl.cli.forecast",
        "app",
        "Renewal forecasts: `forecast [--quarter Q --by owner]`, set, history, snapshot, accuracy.",
    ),
    "report": LazyGroup(
        "csmctl.cli.reports", "app", "Documents from the book: the renewal report (for cron)."
    ),
    "import": LazyGroup(
        "csmctl.cli.importing", "app", "Import accounts, contacts or touchpoints from CSV or JSON."
    ),
    "export": LazyGroup(
        "csmctl.cli.exporting", "app", "Export accounts, contacts or touchpoints as CSV or JSON."
    ),
    "jd": LazyGroup(
        "csmctl.cli.hiring",
        "app",
        "Hiring: job specs, postings (md/html/txt/JSON-LD), interview kits, scorecards.",
    ),
    "template": LazyGroup(
        "csmctl.cli.templates", "app", "List, show and copy the templates documents are made from."
    ),
    "resume": LazyGroup(
        "csmctl.cli.resume", "app", "Resumes: validate, lint, match to a job, render (md/html/txt/pdf)."
    ),
    "health": LazyGroup(
        "csmctl.cli.health",
        "app",
        "Health scores you can explain: `health [ACCOUNT] [--explain]`, snapshot, history, movers.",
    ),
    "metric": LazyGroup(
        "csmctl.cli.metric_values",
        "app",
        "Metrics: retention (GRR, NRR, churn) from the ledger; custom health metrics to import and list.",
    ),
    "db": LazyGroup("csmctl.cli.db", "app", "Where the database is: create, inspect, back up, check, copy."),
    "schema": LazyGroup(
        "csmctl.cli.schema",
        "app",
        "JSON Schemas: `schema json COMMAND` for --format json output; job, resume, playbook, play, "
        "settings for the input files.",
    ),
    # Old names (hidden; a one-line deprecation note on stderr, then they work as before).
    "renewals": LazyGroup("csmctl.cli.renewals", "legacy_app", "Deprecated: `csmctl renewal list`."),
    "followup": LazyGroup("csmctl.cli.followups", "app", "Deprecated: `csmctl follow-up`."),
}
CsmctlGroup.renamed = {"renewals": "renewal list", "followup": "follow-up", "metrics": "metric retention"}
CsmctlGroup.sections = {
    "Daily work": ("today", "touch", "follow-up", "stale", "timeline", "health", "play"),
    "Book": ("account", "contact", "touchpoint", "onboard", "playbook", "metric"),
    "Renewals": ("renewal", "report", "risk", "forecast", "book"),
    "Documents": ("brief", "jd", "resume", "template"),
    "Data": ("import", "export", "db", "schema", "demo"),
}


def main() -> None:
    from csmctl import collector
    from csmctl.cli.boundary import flush_stdout

    collector.pause()  # until a book or a template environment opens (csmctl/collector.py)
    try:
        app(prog_name="csmctl")
    finally:
        flush_stdout()
        collector.resume()
