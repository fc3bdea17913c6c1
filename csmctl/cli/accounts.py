"""`csmctl account ...`: the accounts book."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmctl import output
from csmctl.cli import completion, state
from csmctl.cli.options import AccountArg, FormatOpt, LimitOpt, OwnerOpt, YesOpt, closed_set, confirmed
from csmctl.domain.accounts import SORT_KEYS
from csmctl.errors import InvalidInput, InvalidValue
from csmctl.output import Column, Format, money_column

if TYPE_CHECKING:  # its members are these strs; mypy cannot see a class built at run time
    SortKey = str
else:
    SortKey = closed_set("SortKey", SORT_KEYS)

app = typer.Typer(no_args_is_help=True)

# The account fields as options, declared once for `add` and `edit`.
Domain = Annotated[str | None, typer.Option(help="Web domain, e.g. acme.com.")]
Owner = Annotated[str | None, typer.Option(help="The CSM who owns the account.")]
Tier = Annotated[
    str | None,
    typer.Option(help="strategic, enterprise, mid-market, smb or scaled.", autocompletion=completion.tiers),
]
Segment = Annotated[str | None, typer.Option(help="Free-form segment (industry, region...).")]
Stage = Annotated[
    str | None, typer.Option(help="onboarding, adoption, expansion, renewal, at-risk or churned.")
]
StageSince = Annotated[
    str | None,
    typer.Option(
        "--stage-since", help="When the account entered its stage (default: today when the stage changes)."
    ),
]
Arr = Annotated[str | None, typer.Option(help="Annual recurring revenue: 120000, 120,000.50, 120k, 1.2M.")]
Currency = Annotated[str | None, typer.Option(help="ISO 4217 code of the ARR (default USD).")]
ContractStart = Annotated[str | None, typer.Option("--contract-start", help="Contract start date.")]
Renewal = Annotated[str | None, typer.Option("--renewal", help="Renewal date: 2026-12-01, +90d, +1y...")]
Term = Annotated[int | None, typer.Option("--term", help="Contract term in months (default 12).")]
AutoRenew = Annotated[
    bool | None, typer.Option("--auto-renew/--no-auto-renew", help="Whether the contract renews itself.")
]
NoticeDays = Annotated[
    int | None, typer.Option("--notice-days", help="Days before renewal by which notice must be given.")
]
Nps = Annotated[int | None, typer.Option(help="Net Promoter Score, -100..100.")]
Csat = Annotated[int | None, typer.Option(help="Customer satisfaction, 0..100 (%).")]
Cadence = Annotated[
    str | None, typer.Option(help="Expected contact interval for this account, e.g. 14d or 2w.")
]
Tags = Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeat for more).")]
SetTags = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        help="Set the tags, replacing the current ones (repeat for more). To change one, use "
        "--add-tag or --remove-tag.",
    ),
]
AddTag = Annotated[
    list[str] | None, typer.Option("--add-tag", help="Add a tag, keeping the others (repeat).")
]
RemoveTag = Annotated[
    list[str] | None, typer.Option("--remove-tag", help="Remove a tag, keeping the others (repeat).")
]
Notes = Annotated[str | None, typer.Option(help="Free-form notes.")]
ExternalId = Annotated[
    str | None, typer.Option("--external-id", help="The account's id in your CRM (used to match imports).")
]

LIST_COLUMNS = [
    Column("id", "ID", right=True),
    Column("name", "Account"),
    Column("owner", "Owner"),
    Column("tier", "Tier"),
    Column("stage", "Stage"),
    money_column("arr", "ARR"),
    Column("renewal_date", "Renewal"),
    Column("tags", "Tags"),
]


# The account-field parameters that `add` and `edit` share: parameter name -> account field.
# The one home of the mapping; a parameter whose name differs from its field says so here.
_FIELD_OF = {
    "name": "name",
    "domain": "domain",
    "owner": "owner",
    "tier": "tier",
    "segment": "segment",
    "stage": "stage",
    "stage_since": "stage_since",
    "arr": "arr",
    "currency": "currency",
    "contract_start": "contract_start",
    "renewal": "renewal_date",
    "term": "term_months",
    "auto_renew": "auto_renew",
    "notice_days": "notice_days",
    "nps": "nps",
    "csat": "csat",
    "cadence": "cadence_days",
    "tag": "tags",
    "notes": "notes",
    "external_id": "external_id",
}
# Field names whose option is spelled differently (for messages).
_OPTION = {field: param for param, field in _FIELD_OF.items() if param != field}


def _given(params: dict[str, Any]) -> dict[str, Any]:
    """The account fields the user actually gave (None means 'not given'), keyed by field name.

    ``params`` is the command's parameters (``locals()`` taken first thing in the command).
    """
    return {field: params[param] for param, field in _FIELD_OF.items() if params.get(param) is not None}


def _parse(values: dict[str, Any], default_currency: str = "USD") -> dict[str, Any]:
    from csmctl.domain.accounts import check_account, parse_account_fields

    parsed, problems = parse_account_fields(
        values, today=state.current().today, default_currency=default_currency
    )
    if problems:
        if len(problems) == 1:
            raise InvalidValue(problems[0].message, problems[0].hint)
        raise InvalidInput(problems, summary="Some values are not valid:")
    rules = check_account(parsed)
    if rules:
        raise InvalidValue(rules[0][0].upper() + rules[0][1:] + ".")
    return parsed


def _record(account) -> dict[str, Any]:
    from csmctl.domain.accounts import public_account

    return public_account(account.model_dump())


def _emit_account(record: dict[str, Any], fmt: Format) -> None:
    """One account: an unknown ARR reads ``unknown`` for people, an empty CSV cell, JSON null."""
    from csmctl.domain.money import show_money

    if fmt is not Format.json:
        record = {**record, "arr": show_money(record["arr"], "plain" if fmt is Format.csv else "full")}
    output.emit_object(record, fmt)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The account's name (unique, any case).")],
    domain: Domain = None,
    owner: Owner = None,
    tier: Tier = None,
    segment: Segment = None,
    stage: Stage = None,
    stage_since: StageSince = None,
    arr: Arr = None,
    currency: Currency = None,
    contract_start: ContractStart = None,
    renewal: Renewal = None,
    term: Term = None,
    auto_renew: AutoRenew = None,
    notice_days: NoticeDays = None,
    nps: Nps = None,
    csat: Csat = None,
    cadence: Cadence = None,
    tag: Tags = None,
    notes: Notes = None,
    external_id: ExternalId = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Add an account."""
    params = dict(locals())  # the options as given, before anything else is bound
    from csmctl.domain.accounts import utcnow
    from csmctl.store.accounts import add_account

    values = _parse(_given(params))
    app_state = state.current()
    with app_state.database().write() as session:
        account = add_account(session, values, today=app_state.today, now=utcnow())
        record = _record(account)
    if fmt is not Format.table:
        _emit_account(record, fmt)
    output.success(f"Added {record['name']} (id {record['id']}).")


@app.command("list")
def list_(
    owner: OwnerOpt = None,
    tier: Annotated[str | None, typer.Option(help="Only this tier.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only this lifecycle stage.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only accounts with this tag.")] = None,
    renewing_within: Annotated[
        str | None,
        typer.Option(
            "--renewing-within",
            metavar="SPAN",
            help="Renewal date within this span from today, e.g. 90d or 3m (overdue included).",
        ),
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="Name contains this text.")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Show archived accounts instead.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Show archived and active accounts.")] = False,
    sort: Annotated[SortKey, typer.Option("--sort", case_sensitive=False, help="Sort by this.")] = "name",
    desc: Annotated[bool, typer.Option("--desc", help="Reverse the sort.")] = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List accounts (active ones unless --archived or --all)."""
    from itertools import islice

    from csmctl.domain import fields
    from csmctl.domain.accounts import (
        EXPORT_COLUMNS,
        STAGE_ALIASES,
        STAGES,
        TIER_ALIASES,
        TIERS,
        export_row,
    )
    from csmctl.domain.dates import parse_duration
    from csmctl.store.accounts import AccountFilter, iter_accounts

    app_state = state.current()
    flt = AccountFilter(
        owner=app_state.owner(owner),
        tier=fields.choice(tier, TIERS, what="tier", aliases=TIER_ALIASES),
        stage=fields.choice(stage, STAGES, what="stage", aliases=STAGE_ALIASES),
        tag=fields.tags(tag)[0] if tag else None,
        archived=None if all_ else archived,
        search=search,
    )
    if renewing_within:
        flt.renewing_before = parse_duration(renewing_within, what="--renewing-within span").after(
            app_state.today
        )
    with app_state.database().rows() as connection:
        records: Iterator[dict[str, Any]] = islice(iter_accounts(connection, flt, str(sort), desc), limit)
        if fmt is Format.csv:  # the export's columns, so a listing can be re-imported
            records = ({"id": r["id"], **export_row(r)} for r in records)
        output.emit(
            records,
            LIST_COLUMNS,
            fmt,
            csv_columns=["id", *EXPORT_COLUMNS],
            empty="No accounts match."
            if _filtered(flt)
            else "No accounts yet: add one with `csmctl account add NAME` or try `csmctl demo`.",
        )


def _filtered(flt) -> bool:
    return any([flt.owner, flt.tier, flt.stage, flt.tag, flt.renewing_before, flt.search, flt.archived])


@app.command()
def show(account: AccountArg, fmt: FormatOpt = Format.table) -> None:
    """Show one account with its contacts."""
    from csmctl.domain.accounts import days_to, notice_deadline
    from csmctl.store.account_ref import find_account
    from csmctl.store.accounts import account_record
    from csmctl.store.contacts import list_contacts

    app_state = state.current()
    with app_state.database().rows() as connection:
        account_id, _ = find_account(connection, account)
        record = account_record(connection, account_id)
        contacts = list_contacts(connection, account_id)
    record["notice_deadline"] = notice_deadline(record["renewal_date"], record["notice_days"])
    record["days_to_renewal"] = days_to(record["renewal_date"], app_state.today)
    record["contacts"] = contacts
    if fmt is Format.json:
        output.emit_object(record, fmt)
        return
    flat = {k: v for k, v in record.items() if k != "contacts"}
    _emit_account(flat, fmt)
    if contacts and fmt is not Format.csv:
        print()
        from csmctl.cli.contacts import CONTACT_COLUMNS

        output.emit(contacts, CONTACT_COLUMNS[1:], fmt)


@app.command()
def edit(
    account: AccountArg,
    name: Annotated[str | None, typer.Option("--name", help="Rename the account.")] = None,
    domain: Domain = None,
    owner: Owner = None,
    tier: Tier = None,
    segment: Segment = None,
    stage: Stage = None,
    stage_since: StageSince = None,
    arr: Arr = None,
    currency: Currency = None,
    contract_start: ContractStart = None,
    renewal: Renewal = None,
    term: Term = None,
    auto_renew: AutoRenew = None,
    notice_days: NoticeDays = None,
    nps: Nps = None,
    csat: Csat = None,
    cadence: Cadence = None,
    tag: SetTags = None,
    add_tag: AddTag = None,
    remove_tag: RemoveTag = None,
    notes: Notes = None,
    external_id: ExternalId = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            metavar="FIELD",
            help="Empty a field (repeat): domain, owner, tier, segment, renewal_date, notice_days, nps, csat, "
            "cadence_days, tags, notes, external_id...; `--clear arr` makes the ARR unknown again.",
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Change an account's fields (only the ones given)."""
    params = dict(locals())  # the options as given, before anything else is bound
    from csmctl.domain import fields
    from csmctl.domain.accounts import FIELDS, utcnow
    from csmctl.store.accounts import resolve_account, update_account

    given = _given(params)
    clearable = {
        k for k in FIELDS if k not in ("name", "stage", "currency", "term_months", "auto_renew", "archived")
    }
    for field in clear or []:
        key = field.replace("-", "_")
        key = _FIELD_OF.get(key, key)
        if key not in clearable:
            raise InvalidValue(
                f"Cannot clear {field!r}.", f"Clearable fields: {', '.join(sorted(clearable))}."
            )
        if key in given:
            raise InvalidValue(f"{field!r} is both set and cleared.")
        given[key] = None
    if (add_tag or remove_tag) and "tags" in given:
        raise InvalidValue(
            "--tag sets the tags; it cannot go with --add-tag or --remove-tag (or --clear tags).",
            "Use --tag alone to replace them, or --add-tag/--remove-tag to change some.",
        )
    if not given and not add_tag and not remove_tag:
        raise InvalidValue(
            "Nothing to change.", "Give at least one option; see `csmctl account edit --help`."
        )
    app_state = state.current()
    with app_state.database().write() as session:
        found = resolve_account(session, account)
        # A bare amount ("--arr 150k") stays in the account's currency.
        values = _parse({k: v for k, v in given.items() if v is not None}, found.currency)
        for key in sorted(k for k, v in values.items() if v is None and (k not in clearable or k == "arr")):
            # An empty value ("--term ''") parses to nothing; these fields cannot be emptied, and
            # ARR only on purpose: an empty "$ARR" in a script must not make a contract value unknown.
            raise InvalidValue(
                f"--{_OPTION.get(key, key.replace('_', '-'))} needs a value; it cannot be empty.",
                "To make the ARR unknown again, use --clear arr." if key == "arr" else None,
            )
        values.update({k: ([] if k == "tags" else None) for k, v in given.items() if v is None})
        if add_tag or remove_tag:
            values["tags"] = fields.edited_tags(fields.load_tags(found.tags), add_tag, remove_tag)
        cleared = {k for k, v in values.items() if v is None}  # --clear, or an empty value
        changed = update_account(session, found, values, today=app_state.today, now=utcnow(), clear=cleared)
        record = _record(found)
    if fmt is not Format.table:
        _emit_account(record, fmt)
    output.success(
        f"Updated {record['name']}: {', '.join(changed)}." if changed else f"No change to {record['name']}."
    )


def _set_archived(account: str, archived: bool) -> None:
    from csmctl.domain.accounts import utcnow
    from csmctl.store.accounts import resolve_account, update_account

    app_state = state.current()
    with app_state.database().write() as session:
        found = resolve_account(session, account)
        changed = update_account(session, found, {"archived": archived}, today=app_state.today, now=utcnow())
        name = found.name
    verb = "Archived" if archived else "Unarchived"
    output.success(
        f"{verb} {name}." if changed else f"{name} was already {'archived' if archived else 'active'}."
    )


@app.command()
def archive(account: AccountArg) -> None:
    """Archive an account: kept, but out of lists and reports."""
    _set_archived(account, True)


@app.command()
def unarchive(account: AccountArg) -> None:
    """Bring an archived account back."""
    _set_archived(account, False)


@app.command()
def delete(account: AccountArg, yes: YesOpt = False) -> None:
    """Delete an account and everything recorded about it (asks first)."""
    from csmctl.store.accounts import delete_account, dependents, resolve_account

    app_state = state.current()
    with app_state.database().write() as session:
        found = resolve_account(session, account)
        assert found.id is not None  # a stored account has its id
        going = dependents(session, found.id)
        what = ", ".join(f"{n} {label}" for label, n in going.items())
        summary = f"{found.name} (id {found.id})" + (f" with {what}" if what else "")
        if not yes and not confirmed(f"Delete {summary}? This cannot be undone", declined="Nothing deleted."):
            return
        delete_account(session, found)
    output.success(f"Deleted {summary}.")
