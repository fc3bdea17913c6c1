"""Logging a touchpoint on SQLAlchemy Core: its account, its contacts, the row and its contact links.

`csmctl touch` is one insert; through the ORM it paid for SQLModel, pydantic and the mapper before
writing anything (issue 19: start-up). These functions take any Reader (``Database.write_rows()``'s
connection or a Session: ``execute`` works on both and, on a Session, flushes pending changes
first), so the import and the demo, which hold a Session, write the same rows the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl.domain import fields
from csmctl.store.account_ref import find_account
from csmctl.store.contacts import find_contact
from csmctl.store.tables import account as A
from csmctl.store.tables import touchpoint as T
from csmctl.store.tables import touchpoint_contact as TC

if TYPE_CHECKING:
    from csmctl.store.database import Reader


def account_row(reader: Reader, ref: str) -> sa.Row[Any]:
    """The account ``ref`` names (``store.account_ref.find_account``), as ``id, name, archived``."""
    account_id, _ = find_account(reader, ref)
    return reader.execute(sa.select(A.c.id, A.c.name, A.c.archived).where(A.c.id == account_id)).one()


def resolve_contacts(reader: Reader, account: Any, refs: Sequence[str]) -> list[sa.Row[Any]]:
    """Each reference (id, email or name) must be a contact of ``account`` (anything with ``id``
    and ``name``); each contact once, in the order given. Rows with ``id`` and ``name``."""
    out: list[sa.Row[Any]] = []
    for ref in refs:
        contact = find_contact(reader, ref, account)
        if all(contact.id != c.id for c in out):
            out.append(contact)
    return out


def set_contacts(reader: Reader, tp: Any, contacts: Sequence[Any]) -> None:
    """Replace the contacts of touchpoint ``tp`` (anything with ``id``; so are the contacts)."""
    reader.execute(sa.delete(TC).where(TC.c.touchpoint_id == tp.id))
    _link(reader, tp.id, contacts)


def _link(reader: Reader, touchpoint_id: int, contacts: Sequence[Any]) -> None:
    if contacts:
        reader.execute(
            sa.insert(TC), [{"touchpoint_id": touchpoint_id, "contact_id": c.id} for c in contacts]
        )


def new_touchpoint_row(account_id: int, values: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The columns of a new touchpoint from checked values (every column but the id, so an
    import's batch of them shares their keys): a follow-up given as done is done on its own date
    unless a done date is given."""
    row: dict[str, Any] = {
        "account_id": account_id,
        "kind": values["kind"],
        "occurred_at": values["occurred_at"],
        "summary": values["summary"],
        "sentiment": values.get("sentiment"),
        "follow_up_date": values.get("follow_up_date"),
        "follow_up_text": values.get("follow_up_text"),
        "follow_up_done": bool(values.get("follow_up_done")),
        "follow_up_done_on": None,
        "tags": fields.store_tags(values.get("tags") or []),
        "planned": bool(values.get("planned")),
        "created_at": now,
    }
    if values.get("follow_up_done_on"):
        row["follow_up_done"], row["follow_up_done_on"] = True, values["follow_up_done_on"]
    elif row["follow_up_done"] and row["follow_up_date"]:
        row["follow_up_done_on"] = row["follow_up_date"]
    return row


def add_touchpoint(
    reader: Reader,
    account: Any,
    values: Mapping[str, Any],
    contacts: Sequence[Any] = (),
    *,
    now: datetime,
) -> dict[str, Any]:
    """Insert one touchpoint of ``account`` (anything with ``id``) from checked values
    (``domain.touchpoints.check_touchpoint``) with its contacts; the row as written, with its id."""
    row = new_touchpoint_row(account.id, values, now=now)
    row["id"] = reader.execute(sa.insert(T).values(row)).inserted_primary_key[0]
    _link(reader, row["id"], contacts)
    return row
