"""The shared predicates: one home for each rule that more than one command asks.

Every listing, report and pure rule that filters by owner or asks whether a follow-up was open
on a date calls these functions, or their one SQL translation in ``csmctl.store.predicates``
(which says, next to each clause, which function here it mirrors). Agreement tests in
``tests/agreement/`` check that commands reporting the same fact give the same answer.
"""

from __future__ import annotations

from datetime import date

from csmctl.domain.accounts import name_key


def owner_key(owner: str | None) -> str | None:
    """The stored, indexed form of an owner: folded exactly like an account's ``name_key``
    (whitespace collapsed, Unicode ``casefold``), so "ÉMILE  Ðoe" matches "émile ðoe" and
    "STRASSE" matches "straße". None for no owner (a blank owner is no owner)."""
    if owner is None:
        return None
    key = name_key(owner)
    return key or None


def owner_matches(account_owner: str | None, wanted: str | None) -> bool:
    """Whether an account with ``account_owner`` belongs in a listing filtered by ``--owner
    wanted`` (no filter: every account)."""
    if not wanted or owner_key(wanted) is None:
        return True
    return owner_key(account_owner) == owner_key(wanted)


def followup_done_by(done: bool, done_on: date | None, as_of: date) -> bool:
    """Done on or before ``as_of``; one marked done without a date counts as done."""
    return done and (done_on is None or done_on <= as_of)


def followup_open(logged_on: date, due: date | None, done: bool, done_on: date | None, as_of: date) -> bool:
    """A follow-up is open as of ``as_of`` when it exists then (it has a due date and its
    touchpoint was logged on or before ``as_of``) and is not done by then: done after ``as_of``
    means it was still open that day, so ``--as-of`` replays the past."""
    return due is not None and logged_on <= as_of and not followup_done_by(done, done_on, as_of)
