"""`csmctl contact ...`: the people at an account."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, YesOpt, confirmed
from csmctl.errors import InvalidValue
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

CONTACT_COLUMNS = [
    Column("account", "Account"),
    Column("id", "ID", right=True),
    Column("name", "Name"),
    Column("role", "Role"),
    Column("email", "Email"),
    Column("champion", "Champion", show=lambda v: "champion" if v else ""),
    Column("exec_sponsor", "Sponsor", show=lambda v: "sponsor" if v else ""),
]
CSV_COLUMNS = ["id", "account", "name", "email", "phone", "role", "champion", "exec_sponsor", "notes"]

Email = Annotated[str | None, typer.Option(help="Email address.")]
Phone = Annotated[str | None, typer.Option(help="Phone number.")]
Role = Annotated[str | None, typer.Option(help="Job title or role, e.g. 'VP Operations'.")]
Champion = Annotated[
    bool | None, typer.Option("--champion/--no-champion", help="An internal advocate for the product.")
]
Sponsor = Annotated[bool | None, typer.Option("--sponsor/--no-sponsor", help="The executive sponsor.")]
Notes = Annotated[str | None, typer.Option(help="Free-form notes.")]
ContactArg = Annotated[str, typer.Argument(help="Contact id, email, or name.")]
InAccount = Annotated[
    str | None, typer.Option("--account", "-a", help="The account, to pick a contact by name.")
]


def _values(**given: Any) -> dict[str, Any]:
    from csmctl.domain.contacts import parse_contact_fields

    values, problems = parse_contact_fields({k: v for k, v in given.items() if v is not None})
    if problems:
        raise InvalidValue(problems[0].message, problems[0].hint)
    return values


@app.command()
def add(
    account: Annotated[str, typer.Argument(help="The account (name, id or prefix).")],
    name: Annotated[str, typer.Argument(help="The person's name.")],
    email: Email = None,
    phone: Phone = None,
    role: Role = None,
    champion: Champion = None,
    sponsor: Sponsor = None,
    notes: Notes = None,
) -> None:
    """Add a contact to an account."""
    from csmctl.domain.accounts import utcnow
    from csmctl.store.accounts import resolve_account
    from csmctl.store.contacts import add_contact

    values = _values(
        name=name, email=email, phone=phone, role=role, champion=champion, exec_sponsor=sponsor, notes=notes
    )
    with state.current().database().write() as session:
        found = resolve_account(session, account)
        contact = add_contact(session, found, values, now=utcnow())
        message = f"Added {contact.name} (id {contact.id}) to {found.name}."
    output.success(message)


@app.command("list")
def list_(
    account: Annotated[str | None, typer.Argument(help="Only this account's contacts.")] = None,
    champions: Annotated[bool, typer.Option("--champions", help="Only champions and sponsors.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """List contacts (of one account, or of the whole book)."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.contacts import list_contacts

    with state.current().database().read() as session:
        found = resolve_account(session, account) if account else None
        records = list_contacts(session, found.id if found else None)
    if champions:
        records = [r for r in records if r["champion"] or r["exec_sponsor"]]
    output.emit(records, CONTACT_COLUMNS, fmt, csv_columns=CSV_COLUMNS, empty="No contacts.")


@app.command()
def edit(
    contact: ContactArg,
    account: InAccount = None,
    name: Annotated[str | None, typer.Option("--name", help="Rename the contact.")] = None,
    email: Email = None,
    phone: Phone = None,
    role: Role = None,
    champion: Champion = None,
    sponsor: Sponsor = None,
    notes: Notes = None,
) -> None:
    """Change a contact's details (only the ones given)."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.contacts import resolve_contact, update_contact

    values = _values(
        name=name, email=email, phone=phone, role=role, champion=champion, exec_sponsor=sponsor, notes=notes
    )
    if not values:
        raise InvalidValue(
            "Nothing to change.", "Give at least one option; see `csmctl contact edit --help`."
        )
    with state.current().database().write() as session:
        scope = resolve_account(session, account) if account else None
        found = resolve_contact(session, contact, scope)
        changed = update_contact(session, found, values)
        label = found.name
    output.success(f"Updated {label}: {', '.join(changed)}." if changed else f"No change to {label}.")


@app.command()
def remove(contact: ContactArg, account: InAccount = None, yes: YesOpt = False) -> None:
    """Remove a contact."""
    from csmctl.store.accounts import resolve_account
    from csmctl.store.contacts import remove_contact, resolve_contact

    with state.current().database().write() as session:
        scope = resolve_account(session, account) if account else None
        found = resolve_contact(session, contact, scope)
        label = f"{found.name} (id {found.id})"
        if not yes and not confirmed(f"Remove {label}?", declined="Nothing removed."):
            return
        remove_contact(session, found)
    output.success(f"Removed {label}.")
