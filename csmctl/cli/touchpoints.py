"""`csmctl touch`, `csmctl touchpoint ...`, `csmctl timeline`: the log of customer interactions."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import AccountArg, FormatOpt, LimitOpt, OwnerOpt, YesOpt, closed_set, confirmed
from csmctl.domain.touchpoints import SENTIMENTS
from csmctl.errors import InvalidInput, InvalidValue
from csmctl.output import Column, Format

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.domain.touchpoints import Rules
    from csmctl.errors import Problem

app = typer.Typer(no_args_is_help=True)

Kind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="call, email, meeting, qbr, ebr, onsite, support, note (configurable; default call).",
    ),
]
When = Annotated[
    str | None,
    typer.Option(
        "--when",
        "-w",
        metavar="WHEN",
        help="When it happened: 2026-11-20, 2026-11-20T14:30, yesterday, -2d (default: now).",
    ),
]
With = Annotated[
    list[str] | None,
    typer.Option(
        "--with", metavar="CONTACT", help="A contact at the account: name, email or id (repeat for more)."
    ),
]
if TYPE_CHECKING:  # its members are these strs; mypy cannot see a class built at run time
    Sentiment = str
else:
    Sentiment = closed_set("Sentiment", SENTIMENTS)
SentimentOpt = Annotated[
    Sentiment | None, typer.Option("--sentiment", "-s", case_sensitive=False, help="How the customer felt.")
]
FollowUp = Annotated[
    str | None,
    typer.Option("--follow-up", "-F", metavar="DATE", help="Follow up by this date: 2026-12-01, +3d, +1w."),
]
FollowUpText = Annotated[
    str | None,
    typer.Option("--follow-up-text", metavar="TEXT", help="What the follow-up is (needs --follow-up)."),
]
Tags = Annotated[
    list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="A tag (repeat for more).")
]
TouchpointArg = Annotated[int, typer.Argument(help="The touchpoint id (see `csmctl touchpoint list`).")]

LIST_COLUMNS = [
    Column("id", "ID", right=True),
    Column("date", "Date"),
    Column("account", "Account"),
    Column("kind", "Kind"),
    Column("contacts", "With", show=lambda v: ", ".join(c["name"] for c in v)),
    Column("summary", "Summary", shorten=60),
    Column("sentiment", "Sentiment"),
    Column("follow_up_date", "Follow-up"),
]
CSV_COLUMNS = [
    "id",
    "account",
    "kind",
    "occurred_at",
    "summary",
    "sentiment",
    "contacts",
    "follow_up_date",
    "follow_up_text",
    "follow_up_done",
    "follow_up_done_on",
    "tags",
    "planned",
]
OPTION_NAMES = {
    "kind": "--kind",
    "occurred_at": "--when",
    "summary": "summary",
    "sentiment": "--sentiment",
    "follow_up_date": "--follow-up",
    "follow_up_text": "--follow-up-text",
    "tags": "--tag",
    "planned": "--planned",
}
TIMELINE_COLUMNS = [
    Column("date", "Date"),
    Column("type", "Event"),
    Column("id", "ID", right=True),
    Column("with", "With"),
    Column("summary", "Summary", shorten=60),
    Column("sentiment", "Sentiment"),
]


def rules() -> Rules:
    """The kinds, contact kinds and cadences of the settings ([touchpoints] and [cadence])."""
    return state.current().settings.touchpoint_rules


def _raise(problems: list[Problem]) -> None:
    if len(problems) == 1:
        raise InvalidValue(problems[0].message, problems[0].hint)
    located = [
        type(p)(p.message, field=OPTION_NAMES.get(p.field or "", p.field), hint=p.hint) for p in problems
    ]
    raise InvalidInput(located, summary="Some values are not valid:")


def _parse(given: dict[str, Any], rules: Rules) -> dict[str, Any]:
    from csmctl.domain.accounts import utcnow
    from csmctl.domain.touchpoints import parse_fields

    app_state = state.current()
    values, problems = parse_fields(
        {k: v for k, v in given.items() if v is not None}, rules, today=app_state.today, now=utcnow()
    )
    if problems:
        _raise(problems)
    return values


def _stdin_is_tty() -> bool:
    return output.is_tty(sys.stdin)


def edit_text(initial: str) -> str:
    """Open $VISUAL / $EDITOR (else vi) on a private temporary file; return what was saved.

    Typer vendors Click privately (no public ``edit``), so this is the few lines it would do.
    """
    import os
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    handle, name = tempfile.mkstemp(prefix="csmctl-", suffix=".md")  # mode 0600: customer notes
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(initial)
        try:
            code = subprocess.call([*shlex.split(editor), name])
        except OSError as exc:
            raise InvalidValue(
                f"Cannot start the editor {editor!r}: {exc.strerror}.",
                "Set $EDITOR, or give the summary as an argument or '-' for stdin.",
            ) from None
        if code != 0:
            raise InvalidValue(f"The editor {editor!r} exited with status {code}: nothing logged.")
        with open(name, encoding="utf-8") as stream:
            return stream.read()
    finally:
        os.unlink(name)


def read_summary(summary: str | None, *, about: str) -> str:
    """The summary argument; '-' reads stdin; absent on a terminal opens $EDITOR."""
    from csmctl.domain.touchpoints import summary_text

    if summary == "-":
        text = sys.stdin.read()
    elif summary is not None:
        text = summary
    elif _stdin_is_tty():
        marker = "# Write the summary above. Lines starting with '#' are ignored."
        edited = edit_text(f"\n{marker}\n# {about}\n")
        text = "\n".join(line for line in (edited or "").splitlines() if not line.startswith("#"))
        if not text.strip():
            raise InvalidValue(
                "The summary is empty: nothing logged.", "Write a summary in the editor and save it."
            )
    else:
        raise InvalidValue(
            "No summary given.",
            'Give it as an argument ("Renewal call with Ana"), or "-" to read it from stdin.',
        )
    return summary_text(text) if text.strip() else summary_text(None)


def log(
    account: AccountArg,
    summary: Annotated[
        str | None,
        typer.Argument(help="What happened. '-' reads stdin; left out on a terminal, $EDITOR opens."),
    ] = None,
    kind: Kind = None,
    when: When = None,
    with_: With = None,
    sentiment: SentimentOpt = None,
    follow_up: FollowUp = None,
    follow_up_text: FollowUpText = None,
    tag: Tags = None,
    planned: Annotated[
        bool, typer.Option("--planned", help="A planned touchpoint (may be in the future; not contact yet).")
    ] = False,
) -> None:
    """Log a touchpoint: a call, email, meeting, QBR... with an account."""
    from csmctl.domain.accounts import utcnow
    from csmctl.domain.touchpoints import check_touchpoint, contact_refs
    from csmctl.store.touchpoint_log import account_row, add_touchpoint, resolve_contacts

    tp_rules = rules()
    app_state = state.current()
    values = _parse(
        {
            "kind": kind or tp_rules.default_kind,
            "occurred_at": when or app_state.today,
            "sentiment": sentiment,
            "follow_up_date": follow_up,
            "follow_up_text": follow_up_text,
            "tags": tag,
            "planned": planned,
        },
        tp_rules,
    )
    problems = check_touchpoint(values, today=app_state.today)
    if problems:
        _raise(problems)
    values["summary"] = read_summary(summary, about=f"{values['kind']} with {account}")
    with app_state.database().write_rows() as connection:  # Core: one insert needs no model
        found = account_row(connection, account)
        people = resolve_contacts(connection, found, contact_refs(with_ or []))
        tp = add_touchpoint(connection, found, values, people, now=utcnow())
        message = (
            f"Logged {'planned ' if tp['planned'] else ''}{tp['kind']} with {found.name} on "
            f"{tp['occurred_at'].date().isoformat()} (touchpoint {tp['id']})."
        )
        if tp["follow_up_date"] is not None:
            # A follow-up has no id of its own: `followup done ID` takes the touchpoint's.
            text = f": {tp['follow_up_text']}" if tp["follow_up_text"] else ""
            message += (
                f"\nFollow-up due {tp['follow_up_date'].isoformat()}{text}. "
                f"Close it with `csmctl follow-up done {tp['id']}`."
            )
    if found.archived:
        output.warn(f"{found.name} is archived.")
    output.success(message)


app.command("log")(log)


@app.command("list")
def list_(
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            "-a",
            metavar="ACCOUNT",
            help="Only this account's touchpoints.",
            autocompletion=completion.accounts,
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", metavar="KIND", help="Only this kind (repeat for more)."),
    ] = None,
    owner: OwnerOpt = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="On or after this date (2026-09-01, -30d).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="On or before this date.")
    ] = None,
    sentiment: SentimentOpt = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only touchpoints with this tag.")
    ] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List touchpoints, newest first."""
    from csmctl.domain import fields
    from csmctl.domain.touchpoints import SENTIMENTS
    from csmctl.store.accounts import resolve_account
    from csmctl.store.touchpoints import TouchpointFilter, list_touchpoints

    app_state = state.current()
    tp_rules = rules()
    flt = TouchpointFilter(
        kinds=[tp_rules.kind(k) for k in kind or []],
        owner=app_state.owner(owner),
        since=app_state.date(since, what="--since date"),
        until=app_state.date(until, what="--until date"),
        sentiment=fields.choice(sentiment, SENTIMENTS, what="sentiment"),
        tag=next(iter(fields.tags(tag)), None),
        limit=limit,
    )
    with app_state.database().read() as session:
        if account:
            flt.account_id = resolve_account(session, account).id
        records = list_touchpoints(session, flt)
    if fmt is Format.csv:
        records = [{**r, "contacts": [c["name"] for c in r["contacts"]]} for r in records]
    output.emit(records, LIST_COLUMNS, fmt, csv_columns=CSV_COLUMNS, empty="No touchpoints.")


@app.command()
def edit(
    touchpoint: TouchpointArg,
    summary: Annotated[
        str | None, typer.Option("--summary", metavar="TEXT", help="New summary ('-' reads stdin).")
    ] = None,
    kind: Kind = None,
    when: When = None,
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", metavar="CONTACT", help="Replace the contacts (repeat for more)."),
    ] = None,
    sentiment: SentimentOpt = None,
    follow_up: FollowUp = None,
    follow_up_text: FollowUpText = None,
    no_follow_up: Annotated[bool, typer.Option("--no-follow-up", help="Remove the follow-up.")] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", metavar="TAG", help="Replace the tags (repeat for more)."),
    ] = None,
    planned: Annotated[
        bool | None,
        typer.Option("--planned/--held", help="Mark as planned, or as held (now counts as contact)."),
    ] = None,
) -> None:
    """Change a touchpoint (only what is given)."""
    from csmctl.domain.touchpoints import check_touchpoint, contact_refs
    from csmctl.store.models import Account
    from csmctl.store.touchpoints import current_values, edit_touchpoint, get_touchpoint, resolve_contacts

    if no_follow_up and (follow_up or follow_up_text):
        raise InvalidValue("--no-follow-up cannot go with --follow-up or --follow-up-text.")
    tp_rules = rules()
    app_state = state.current()
    values = _parse(
        {
            "kind": kind,
            "occurred_at": when,
            "sentiment": sentiment,
            "follow_up_date": follow_up,
            "follow_up_text": follow_up_text,
            "tags": tag,
            "planned": planned,
        },
        tp_rules,
    )
    if summary is not None:
        values["summary"] = read_summary(summary, about="touchpoint")
    if no_follow_up:
        values.update(follow_up_date=None, follow_up_text=None)
    if not values and with_ is None:
        raise InvalidValue(
            "Nothing to change.", "Give at least one option; see `csmctl touchpoint edit --help`."
        )
    with app_state.database().write() as session:
        tp = get_touchpoint(session, touchpoint)
        problems = check_touchpoint({**current_values(tp), **values}, today=app_state.today)
        if problems:
            _raise(problems)
        people = None
        if with_ is not None:
            people = resolve_contacts(session, session.get_one(Account, tp.account_id), contact_refs(with_))
        changed = edit_touchpoint(session, tp, values, people)
        tp_id = tp.id
    output.success(
        f"Updated touchpoint {tp_id}" + (f": {', '.join(changed)}." if changed else " (no change).")
    )


@app.command()
def delete(touchpoint: TouchpointArg, yes: YesOpt = False) -> None:
    """Delete a touchpoint (and its follow-up)."""
    from csmctl.store.touchpoints import delete_touchpoint, get_touchpoint

    with state.current().database().write() as session:
        tp = get_touchpoint(session, touchpoint)
        label = f"touchpoint {tp.id} ({tp.kind} on {tp.occurred_at.date().isoformat()})"
        if not yes and not confirmed(f"Delete {label}?", declined="Nothing deleted."):
            return
        delete_touchpoint(session, tp)
    output.success(f"Deleted {label}.")


def timeline(
    account: AccountArg,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="From this date (2026-01-01, -90d).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Up to this date.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """One account's history in date order: touchpoints, follow-ups, onboarding, renewals."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.touchpoints import timeline as account_timeline

    app_state = state.current()
    start = app_state.date(since, what="--since date")
    end = app_state.date(until, what="--until date")
    with app_state.database().read() as session:
        found = resolve_account(session, account)
        events = account_timeline(session, found, today=app_state.today)
    events = [
        e for e in events if (start is None or e["date"] >= start) and (end is None or e["date"] <= end)
    ]
    output.emit(events, TIMELINE_COLUMNS, fmt, empty=f"Nothing on {found.name}'s timeline yet.")
