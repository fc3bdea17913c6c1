"""Account and contact queries. Functions take a Session; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csmctl import errors
from csmctl.domain import fields
from csmctl.domain.accounts import SORT_KEYS, name_key, public_account
from csmctl.domain.money import Money
from csmctl.domain.predicates import owner_key
from csmctl.store.database import connection_of
from csmctl.store.predicates import owner_clause
from csmctl.store.tables import account as A

if TYPE_CHECKING:  # the model is for single-account work; listings and `show` read Core rows
    from sqlmodel import Session

    from csmctl.store.database import Reader
    from csmctl.store.models import Account

# Stored columns an account update may set (ARR arrives as Money and is split).
_PLAIN = (
    "name",
    "external_id",
    "domain",
    "owner",
    "tier",
    "segment",
    "stage",
    "stage_since",
    "contract_start",
    "renewal_date",
    "term_months",
    "auto_renew",
    "notice_days",
    "nps",
    "csat",
    "cadence_days",
    "notes",
    "archived",
)
# Columns that are never empty: a None for them (a blank import cell) means "leave as is".
_REQUIRED = {"name", "arr", "currency", "stage", "term_months", "auto_renew", "archived"}
SORTS = {
    "name": "name_key",
    "renewal": "renewal_date",
    "arr": "arr_minor",
    "owner": "owner",
    "tier": "tier",
    "stage": "stage",
    "created": "created_at",
    "id": "id",
}
assert tuple(SORTS) == SORT_KEYS, "store.accounts.SORTS must map exactly domain.accounts.SORT_KEYS"


def resolve_account(session: Session, ref: str, *, include_archived: bool = True) -> Account:
    """The account ``ref`` names (``store.account_ref.find_account``: id, name, CRM id, prefix)."""
    from csmctl.store.account_ref import find_account
    from csmctl.store.models import Account

    account_id, _ = find_account(session, ref, include_archived=include_archived)
    found = session.get(Account, account_id)
    assert found is not None  # found in this transaction
    return found


def check_name_free(session: Session, name: str, *, except_id: int | None = None) -> None:
    # Session.execute flushes pending accounts first (an import adds several in one transaction)
    other = session.execute(sa.select(A.c.id, A.c.name).where(A.c.name_key == name_key(name))).first()
    if other is not None and other.id != except_id:
        raise errors.AlreadyExists(
            f"An account named {other.name!r} already exists (id {other.id}).",
            "Account names are unique regardless of case; pick another name or edit that one.",
        )


def check_external_id_free(
    session: Session, external_id: str | None, *, except_id: int | None = None
) -> None:
    if not external_id:
        return
    other = session.execute(sa.select(A.c.id, A.c.name).where(A.c.external_id == external_id)).first()
    if other is not None and other.id != except_id:
        raise errors.AlreadyExists(
            f"External id {external_id!r} already belongs to {other.name!r} (id {other.id})."
        )


def apply_fields(
    account: Account,
    values: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    clear: Collection[str] = (),
) -> list[str]:
    """Set typed fields on an account; returns the names of the fields that changed.

    A None keeps the current value of a field that is never empty (a blank import cell), except
    for a field named in ``clear``: ARR is the one such field that can be emptied (back to
    unknown, `account edit --clear arr`)."""
    changed = []
    for name, value in values.items():
        if value is None and name in _REQUIRED and name not in clear:
            continue  # a blank cell for a field that cannot be empty keeps the current value
        if name == "arr" and value is None:
            if account.arr_minor is not None:  # unknown ARR; the currency stays the account's
                account.arr_minor = None
                changed.append("arr")
        elif name == "arr":
            money: Money = value
            if (account.arr_minor, account.currency) != (money.amount_minor, money.currency):
                account.arr_minor, account.currency = money.amount_minor, money.currency
                changed.append("arr")
        elif name == "currency":
            if value and value != account.currency:
                account.currency = value
                changed.append("currency")
        elif name == "tags":
            stored = fields.store_tags(value)
            if stored != account.tags:
                account.tags = stored
                changed.append("tags")
        elif name in _PLAIN:
            if getattr(account, name) != value:
                setattr(account, name, value)
                changed.append(name)
    if "name" in changed or account.name_key is None:
        account.name_key = name_key(account.name)
    if "owner" in changed or account.owner_key != owner_key(account.owner):
        account.owner_key = owner_key(account.owner)
    if "stage" in changed and "stage_since" not in values:
        account.stage_since = today
        changed.append("stage_since")
    if changed:
        account.updated_at = now
    return changed


_DEFAULTS = {
    "domain": None,
    "owner": None,
    "tier": None,
    "segment": None,
    "stage": "onboarding",
    "stage_since": None,
    "arr_minor": None,  # unknown until given; 0 is a free account
    "currency": "USD",
    "contract_start": None,
    "renewal_date": None,
    "term_months": 12,
    "auto_renew": False,
    "notice_days": None,
    "nps": None,
    "csat": None,
    "cadence_days": None,
    "tags": "",
    "notes": None,
    "external_id": None,
    "archived": False,
}


_NEW_PLAIN = frozenset((*_PLAIN, "currency"))


def new_account_row(values: Mapping[str, Any], *, today: date, now: datetime) -> dict[str, Any]:
    """The column values of a new account (a plain dict: bulk imports insert these directly)."""
    row = _DEFAULTS.copy()
    for name, value in values.items():  # a loop, not update() of a comprehension: no second dict a row
        if value is not None and name in _NEW_PLAIN:
            row[name] = value
    arr = values.get("arr")
    if arr is not None:
        row["arr_minor"], row["currency"] = arr.amount_minor, arr.currency
    tags = values.get("tags")
    if tags is not None:
        row["tags"] = fields.store_tags(tags)
    row["name"] = values["name"]
    row["name_key"] = name_key(values["name"])
    row["owner_key"] = owner_key(row["owner"])
    row["stage_since"] = row["stage_since"] or today
    row["created_at"] = row["updated_at"] = now
    return row


def new_account(values: Mapping[str, Any], *, today: date, now: datetime) -> Account:
    from csmctl.store.models import Account

    return Account(**new_account_row(values, today=today, now=now))


def add_account(session: Session, values: Mapping[str, Any], *, today: date, now: datetime) -> Account:
    check_name_free(session, values["name"])
    check_external_id_free(session, values.get("external_id"))
    account = new_account(values, today=today, now=now)
    session.add(account)
    session.flush()
    return account


def update_account(
    session: Session,
    account: Account,
    values: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    clear: Collection[str] = (),
) -> list[str]:
    if values.get("name"):
        check_name_free(session, values["name"], except_id=account.id)
    if "external_id" in values:
        check_external_id_free(session, values["external_id"], except_id=account.id)
    changed = apply_fields(account, values, today=today, now=now, clear=clear)
    session.add(account)
    session.flush()
    return changed


def dependents(session: Session, account_id: int) -> dict[str, int]:
    """What goes with an account when it is deleted (counted per table)."""
    conn = session.connection()
    out = {}
    for table, label in (
        ("contact", "contacts"),
        ("touchpoint", "touchpoints"),
        ("checklist", "onboarding checklists"),
        ("renewal_event", "renewal records"),
        ("health_snapshot", "health snapshots"),
        ("metric_value", "metric values"),
    ):
        count = conn.execute(
            sa.text(f"SELECT count(*) FROM {table} WHERE account_id = :id"), {"id": account_id}
        ).scalar()
        if count:
            out[label] = int(count)
    return out


def delete_account(session: Session, account: Account) -> None:
    session.delete(account)
    session.flush()


@dataclass
class AccountFilter:
    owner: str | None = None
    tier: str | None = None
    stage: str | None = None
    tag: str | None = None
    renewing_before: date | None = None  # inclusive
    renewing_after: date | None = None  # inclusive
    archived: bool | None = False  # None: both
    search: str | None = None


def account_query(flt: AccountFilter, sort: str = "name", descending: bool = False) -> sa.Select:
    """A Core select over the account table (fast: no ORM objects for big listings)."""
    table = A
    query = sa.select(table)
    if flt.archived is not None:
        query = query.where(table.c.archived == (sa.true() if flt.archived else sa.false()))
    query = query.where(owner_clause(table.c.owner_key, flt.owner))
    if flt.tier:
        query = query.where(table.c.tier == flt.tier)
    if flt.stage:
        query = query.where(table.c.stage == flt.stage)
    if flt.tag:
        query = query.where(table.c.tags.contains(f",{flt.tag},", autoescape=True))
    if flt.renewing_before is not None:
        query = query.where(table.c.renewal_date <= flt.renewing_before)
    if flt.renewing_after is not None:
        query = query.where(table.c.renewal_date >= flt.renewing_after)
    if flt.search:
        query = query.where(table.c.name_key.contains(name_key(flt.search), autoescape=True))
    column = table.c[SORTS[sort]]
    order = column.desc() if descending else column.asc()
    return query.order_by(column.is_(None), order, table.c.name_key)


def iter_accounts(
    reader: Reader, flt: AccountFilter, sort: str = "name", descending: bool = False
) -> Iterator[dict[str, Any]]:
    """Public account records, streamed from the database."""
    result = connection_of(reader).execute(account_query(flt, sort, descending))
    for row in result.mappings():
        yield public_account(row)


def account_record(reader: Reader, account_id: int) -> dict[str, Any]:
    """The public record of one account (``domain.accounts.public_account``), from a Core row."""
    return public_account(
        connection_of(reader).execute(sa.select(A).where(A.c.id == account_id)).mappings().one()
    )
