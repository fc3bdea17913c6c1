"""Naming an account on the command line: by id (``12`` or ``#12``), exact name (any case), CRM
external id, or an unambiguous name prefix. Core only (``store.tables``), so a read on the lean
path (``Database.rows()``) resolves an account without SQLModel; ``store.accounts.resolve_account``
loads the model of the account found here for the commands that change it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from csmctl import errors
from csmctl.domain.accounts import name_key
from csmctl.store.tables import account as A

_IN_CHUNK = 500  # values per IN list: well below every backend's limit on bound parameters

if TYPE_CHECKING:
    from csmctl.store.database import Reader


def find_account(reader: Reader, ref: str, *, include_archived: bool = True) -> tuple[int, str]:
    """(id, name) of the account ``ref`` names; ``AccountNotFound`` (with close names) or
    ``AmbiguousAccount`` (with the candidates) otherwise. On a Session, ``execute`` flushes
    pending changes first, as the ORM look-up did."""
    conn = reader
    text = ref.strip()

    def first(where) -> tuple[int, str] | None:
        row = conn.execute(sa.select(A.c.id, A.c.name).where(where).limit(1)).first()
        return (row[0], row[1]) if row is not None else None

    if text.lstrip("#").isdigit():
        found = first(A.c.id == int(text.lstrip("#")))
        if found is not None:
            return found
    key = name_key(text)
    if not key:
        raise errors.AccountNotFound(ref)
    found = first(A.c.name_key == key) or first(A.c.external_id == text)
    if found is not None:
        return found
    # Prefix as a range on the unique index (LIKE would need escaping and may not use it).
    in_range = (
        (A.c.name_key >= key)
        & (A.c.name_key < key + "\U0010ffff")
        & (sa.true() if include_archived else A.c.archived == sa.false())
    )
    shown = errors.AmbiguousAccount.SHOWN
    prefix = conn.execute(
        sa.select(A.c.id, A.c.name).where(in_range).order_by(A.c.name_key).limit(shown + 1)
    ).all()
    if len(prefix) == 1:
        return prefix[0][0], prefix[0][1]
    if len(prefix) > 1:
        total = len(prefix)
        if total > shown:  # the message says how many match, so count them all (on the index)
            total = conn.execute(sa.select(sa.func.count()).select_from(A).where(in_range)).scalar_one()
        raise errors.AmbiguousAccount(ref, [row[1] for row in prefix[:shown]], total)
    raise errors.AccountNotFound(ref, _similar_names(conn, key))


def find_accounts(reader: Reader, refs: Iterable[str]) -> dict[str, tuple[int, str] | errors.CsmctlError]:
    """``find_account`` for many references at once (an import's batch): each reference -> its
    (id, name), or the error ``find_account`` raises for it. Ids, exact names and CRM ids are looked
    up in a few ``IN`` queries, with ``find_account``'s precedence (id, then name, then CRM id);
    the rest (prefixes, unknown names) go through ``find_account`` itself, one by one."""
    texts = {ref: ref.strip() for ref in set(refs)}
    ids = {int(t.lstrip("#")) for t in texts.values() if t.lstrip("#").isdigit()}
    key_of = {text: name_key(text) for text in texts.values()}
    keys = set(key_of.values()) - {""}
    by_id: dict[int, tuple[int, str]] = {}
    by_key: dict[str, tuple[int, str]] = {}
    by_external: dict[str, tuple[int, str]] = {}
    wanted = (
        (A.c.id, sorted(ids)),
        (A.c.name_key, sorted(keys)),
        (A.c.external_id, sorted(set(texts.values()))),
    )
    for column, values in wanted:
        for start in range(0, len(values), _IN_CHUNK):
            query = sa.select(A.c.id, A.c.name, A.c.name_key, A.c.external_id).where(
                column.in_(values[start : start + _IN_CHUNK])
            )
            for id_, name, key, external in reader.execute(query.order_by(A.c.id)).all():
                by_id[id_] = by_key[key] = (id_, name)
                if external:
                    by_external.setdefault(external, (id_, name))
    out: dict[str, tuple[int, str] | errors.CsmctlError] = {}
    for ref, text in texts.items():
        digits = text.lstrip("#")
        found = by_id.get(int(digits)) if digits.isdigit() else None
        found = found or by_key.get(key_of[text]) or by_external.get(text)
        if found is None:
            try:
                found = find_account(reader, ref)
            except errors.CsmctlError as error:
                out[ref] = error
                continue
        out[ref] = found
    return out


def _similar_names(conn: Reader, key: str) -> list[str]:
    """A few names close to a mistyped one, found without reading the whole book."""
    import difflib

    head = key[:2]
    rows = conn.execute(
        sa.select(A.c.name, A.c.name_key)
        .where(A.c.name_key >= head, A.c.name_key < head + "\U0010ffff")
        .limit(2000)
    ).all()
    scored = []
    for name, candidate in rows:
        # Compare with the whole name and with its start, so a typo in a prefix still matches.
        score = max(
            difflib.SequenceMatcher(None, key, candidate).ratio(),
            difflib.SequenceMatcher(None, key, candidate[: len(key) + 1]).ratio(),
        )
        if score >= 0.75:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:3]]
