"""Contact queries. Functions take a Session; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from csmctl import errors
from csmctl.domain.accounts import name_key
from csmctl.store.models import Account, Contact


def public_contact(contact: Contact, account_name: str | None = None) -> dict[str, Any]:
    return {
        "id": contact.id,
        "account_id": contact.account_id,
        "account": account_name,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "role": contact.role,
        "champion": bool(contact.champion),
        "exec_sponsor": bool(contact.exec_sponsor),
        "notes": contact.notes,
    }


def _key(text: str | None) -> str:
    """How a contact's name or email is compared: the account names' fold (Unicode ``casefold``,
    whitespace collapsed), in Python. SQL ``lower()`` is no substitute: SQLite's folds ASCII only
    and PostgreSQL's depends on the database's locale, so "ÄSA" would miss "äsa" on one of them."""
    return name_key(text) if text else ""


def resolve_contact(session: Session, ref: str, account: Account | None = None) -> Contact:
    """By id, email, or name (any case, any script) — within ``account`` when given.

    Names are compared in Python over the candidates' names and emails (an account has a few
    contacts; without an account, the book's contacts are streamed as three columns)."""
    text = ref.strip()
    if text.lstrip("#").isdigit():
        found = session.get(Contact, int(text.lstrip("#")))
        if found is not None and (account is None or found.account_id == account.id):
            return found
    key = _key(text)
    candidates = sa.select(Contact.id, Contact.name, Contact.email)
    if account is not None:
        candidates = candidates.where(Contact.account_id == account.id)
    ids = [
        row.id
        for row in session.connection().execute(candidates)
        if key and key in (_key(row.name), _key(row.email))
    ]
    found_all = (
        session.exec(select(Contact).where(col(Contact.id).in_(ids[:10])).order_by(Contact.id)).all()
        if ids
        else []
    )
    if len(found_all) == 1:
        return found_all[0]
    where = f" at {account.name}" if account is not None else ""
    if len(found_all) > 1:
        listed = ", ".join(f"{c.name} (id {c.id})" for c in found_all)
        raise errors.InvalidValue(
            f"{ref!r} matches several contacts{where}: {listed}.", "Use the contact id."
        )
    raise errors.NotFound(f"No contact {ref!r}{where}.", "List contacts with `csmctl contact list ACCOUNT`.")


def list_contacts(session: Session, account: Account | None = None) -> list[dict[str, Any]]:
    query = select(Contact, Account.name).join(Account, Account.id == Contact.account_id)
    if account is not None:
        query = query.where(Contact.account_id == account.id)
    query = query.order_by(Account.name_key, col(Contact.champion).desc(), Contact.name)
    return [public_contact(contact, name) for contact, name in session.exec(query).all()]


def same_contact(session: Session, account: Account, values: Mapping[str, Any]) -> Contact | None:
    """The contact at ``account`` that ``values`` describe: the same email when one is given
    (two people may share a name), else the same name (any case). Used by `contact add` and by
    the contact import, so both call the same person a duplicate."""
    email, name = values.get("email"), values.get("name")
    if email:
        key, attr = _key(str(email)), "email"
    elif name:
        key, attr = _key(str(name)), "name"
    else:
        return None
    for contact in session.exec(select(Contact).where(Contact.account_id == account.id)).all():
        value = getattr(contact, attr)
        if value and _key(value) == key:
            return contact
    return None


def add_contact(session: Session, account: Account, values: Mapping[str, Any], *, now: datetime) -> Contact:
    """Insert a contact; one that ``same_contact`` finds is refused (AlreadyExists, exit 1): a
    second row for one person makes every look-up by name ambiguous."""
    existing = same_contact(session, account, values)
    if existing is not None:
        same = "email" if values.get("email") else "name"
        raise errors.AlreadyExists(
            f"{account.name} already has a contact with this {same}: {existing.name} (id {existing.id}).",
            f"Change it with `csmctl contact edit {existing.id} ...`; two people who share a name "
            "need different --email.",
        )
    fields = {"champion": False, "exec_sponsor": False, **values}
    contact = Contact(account_id=account.id, created_at=now, **fields)
    session.add(contact)
    session.flush()
    return contact


def update_contact(session: Session, contact: Contact, values: Mapping[str, Any]) -> list[str]:
    """Set the given fields; returns the names of those that changed."""
    changed = [key for key, value in values.items() if getattr(contact, key) != value]
    for key in changed:
        setattr(contact, key, values[key])
    session.add(contact)
    session.flush()
    return changed


def remove_contact(session: Session, contact: Contact) -> None:
    """Delete a contact; its touchpoints stay (their link to it goes with it)."""
    session.delete(contact)
    session.flush()
