"""Contact queries. Functions take a Session; the caller owns the transaction. ``list_contacts``
is a Core read (any Reader: ``Database.rows()`` or a Session), so `account show` needs no SQLModel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl import errors
from csmctl.domain.accounts import name_key
from csmctl.store.tables import account as A
from csmctl.store.tables import contact as CT

if TYPE_CHECKING:
    from sqlmodel import Session

    from csmctl.store.database import Reader
    from csmctl.store.models import Account, Contact


def public_contact(contact: Any, account_name: str | None = None) -> dict[str, Any]:
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


def find_contact(reader: Reader, ref: str, account: Any | None = None) -> sa.Row[Any]:
    """The contact ``ref`` names, as a row (``id``, ``name``): by id, email, or name (any case, any
    script) — within ``account`` (anything with ``id`` and ``name``) when given. Core only, so a
    write that needs no model (``touch``) resolves its contacts without SQLModel; on a Session,
    ``execute`` flushes pending changes first.

    Names are compared in Python over the candidates' names and emails (an account has a few
    contacts; without an account, the book's contacts are streamed as three columns)."""
    text = ref.strip()
    if text.lstrip("#").isdigit():
        found = reader.execute(
            sa.select(CT.c.id, CT.c.name, CT.c.account_id).where(CT.c.id == int(text.lstrip("#")))
        ).first()
        if found is not None and (account is None or found.account_id == account.id):
            return found
    key = _key(text)
    candidates = sa.select(CT.c.id, CT.c.name, CT.c.email)
    if account is not None:
        candidates = candidates.where(CT.c.account_id == account.id)
    ids = [row.id for row in reader.execute(candidates) if key and key in (_key(row.name), _key(row.email))]
    found_all = (
        reader.execute(
            sa.select(CT.c.id, CT.c.name, CT.c.account_id).where(CT.c.id.in_(ids[:10])).order_by(CT.c.id)
        ).all()
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


def resolve_contact(session: Session, ref: str, account: Account | None = None) -> Contact:
    """The model of the contact :func:`find_contact` finds (for the commands that change it)."""
    from csmctl.store.models import Contact

    return session.get_one(Contact, find_contact(session, ref, account).id)


def list_contacts(reader: Reader, account_id: int | None = None) -> list[dict[str, Any]]:
    """Contacts (of one account, or of the book), champions first within each account."""
    query = sa.select(CT, A.c.name.label("account_name")).join(A, A.c.id == CT.c.account_id)
    if account_id is not None:
        query = query.where(CT.c.account_id == account_id)
    query = query.order_by(A.c.name_key, CT.c.champion.desc(), CT.c.name)
    return [public_contact(row, row.account_name) for row in reader.execute(query)]


def contact_key(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """What makes ``values`` the same person as a contact of their account: the email when one is
    given (two people may share a name), else the name (any case); as (attribute, folded value)."""
    email, name = values.get("email"), values.get("name")
    if email:
        return "email", _key(str(email))
    if name:
        return "name", _key(str(name))
    return None


def matching_contact(candidates: Iterable[Any], key: tuple[str, str] | None) -> Any | None:
    """The first of an account's contacts (in id order) that ``contact_key`` calls the same person."""
    if key is None:
        return None
    attr, folded = key
    for contact in candidates:
        value = getattr(contact, attr)
        if value and _key(value) == folded:
            return contact
    return None


def same_contact(session: Session, account: Account, values: Mapping[str, Any]) -> Contact | None:
    """The contact at ``account`` that ``values`` describe (``contact_key``). Used by `contact add`
    and, through ``contact_key``/``matching_contact``, by the contact import, so both call the same
    person a duplicate."""
    key = contact_key(values)
    if key is None:
        return None
    from sqlmodel import select

    from csmctl.store.models import Contact

    query = select(Contact).where(Contact.account_id == account.id).order_by(Contact.id)
    found: Contact | None = matching_contact(session.exec(query).all(), key)
    return found


def contacts_of_accounts(reader: Reader, account_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Account id -> its contacts (rows, in id order): an import's batch reads them in a few queries."""
    ids = sorted(set(account_ids))
    out: dict[int, list[Any]] = {id_: [] for id_ in ids}
    for start in range(0, len(ids), 500):
        query = sa.select(CT).where(CT.c.account_id.in_(ids[start : start + 500])).order_by(CT.c.id)
        for row in reader.execute(query).all():
            out[row.account_id].append(row)
    return out


def new_contact_row(account_id: int, values: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The columns of a new contact (every column but the id, so a batch's rows share their keys)."""
    row: dict[str, Any] = dict.fromkeys(("name", "email", "phone", "role", "notes"))
    row.update(champion=False, exec_sponsor=False)
    row.update(values)
    row.update(account_id=account_id, created_at=now)
    return row


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
    from csmctl.store.models import Contact

    assert account.id is not None
    contact = Contact(**new_contact_row(account.id, values, now=now))
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
