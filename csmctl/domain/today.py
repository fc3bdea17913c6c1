"""The `today` queue: what needs the CSM now, one ranked list, each line with why and what to run.

Each kind of item has a *due* date (when it should have been done or must be done by), and the
queue is ranked by three rules, in order:

1. urgency: 0 = act today (overdue follow-ups and tasks, a notice deadline within
   ``NOTICE_URGENT_DAYS``, a renewal within ``RENEWAL_URGENT_DAYS`` with no recent contact);
   1 = soon (due today, a notice deadline within a week, a red account, a renewal within two
   weeks, an account silent for twice its cadence); 2 = the rest;
2. the due date, earliest first (so the most overdue comes first);
3. the kind (notice, follow-up, onboarding, renewal, health, stale), then the account name.

Everything here is pure: rows in, ``today`` as an argument, items out.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from csmctl.domain.health import RECENT_CONTACT_DAYS  # one rule for 'a recent renewal conversation'
from csmctl.domain.renewals import NOTICE_WARNING_DAYS
from csmctl.domain.risks import DEFAULT_QUIET_DAYS
from csmctl.domain.touchpoints import staleness

NOTICE_WINDOW_DAYS = NOTICE_WARNING_DAYS  # default; [renewals] notice_warning_days in the settings
NOTICE_URGENT_DAYS = 3
RENEWAL_WINDOW_DAYS = 30  # renewals this close without recent contact are listed
RENEWAL_URGENT_DAYS = 7
FALL_POINTS = 10  # a drop this big over FALL_WINDOW_DAYS is "falling"
FALL_WINDOW_DAYS = 30

KINDS = ("notice", "follow_up", "onboarding", "renewal", "risk", "health", "stale")
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Item:
    kind: str
    account_id: int
    account: str
    owner: str | None
    due: date
    urgency: int
    # (why, command), put in words when the line is shown: never for the lines a --limit cuts
    words: Callable[[], tuple[str, str]] = field(compare=False, repr=False)
    ref: int | None = None  # touchpoint or task id

    @cached_property
    def _said(self) -> tuple[str, str]:
        return self.words()

    @property
    def why(self) -> str:
        return self._said[0]

    @property
    def command(self) -> str:
        return self._said[1]

    def days(self, today: date) -> int:
        return (self.due - today).days

    def sort_key(self) -> tuple[int, date, int, str, int]:
        return (self.urgency, self.due, KIND_ORDER[self.kind], self.account.casefold(), self.ref or 0)


_PLAIN = re.compile(r"[A-Za-z0-9_.,:/@%+=-]+")
_SPECIAL = re.compile(r'(["\\$`])')


def quote(text: str) -> str:
    """An argument a shell reads back as ``text`` (double quotes keep apostrophes readable)."""
    if _PLAIN.fullmatch(text):
        return text
    return '"' + _SPECIAL.sub(r"\\\1", text) + '"'


def _days(n: int) -> str:
    return f"{n} day" + ("" if n == 1 else "s")


def _silent(last_contact: date | None, today: date) -> str:
    return (
        "no contact recorded"
        if last_contact is None
        else f"last contact {_days((today - last_contact).days)} ago"
    )


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"{_days(-days)} overdue"
    if days == 0:
        return "due today"
    return f"in {_days(days)}"


def follow_up(row: Mapping[str, Any], today: date) -> Item | None:
    """An open follow-up due today or earlier (a play's says the play's name first)."""
    due = row["follow_up_date"]
    if due is None or due > today:
        return None
    tid, play, text = row["id"], row.get("play"), row.get("follow_up_text") or row.get("summary") or ""

    def words() -> tuple[str, str]:
        said = " ".join(text.split())  # one line; a terminal table wraps it, a pipe carries it whole
        return (
            (f"play {play}: " if play else "")
            + f"follow-up {_when(due, today)}"
            + (f": {said}" if said else ""),
            f"csmctl follow-up done {tid}",
        )

    return Item(
        "follow_up",
        row["account_id"],
        row["account"],
        row.get("owner"),
        due,
        0 if due < today else 1,
        words,
        tid,
    )


def onboarding_task(row: Mapping[str, Any], today: date) -> Item | None:
    """An open onboarding task due today or earlier."""
    due = row["due"]
    if due > today:
        return None
    account, position, name = row["account"], row["position"], row["name"]

    def words() -> tuple[str, str]:
        return (
            f"onboarding task {position} {_when(due, today)}: {name}",
            f"csmctl onboard task done {quote(account)} {position}",
        )

    return Item(
        "onboarding",
        row["account_id"],
        account,
        row.get("owner"),
        due,
        0 if due < today else 1,
        words,
        row["id"],
    )


def notice(row: Mapping[str, Any], today: date, window: int = NOTICE_WINDOW_DAYS) -> Item | None:
    """A notice deadline (renewal date minus notice days) from today to ``window`` days out."""
    renewal, notice_days = row.get("renewal_date"), row.get("notice_days")
    if renewal is None or not notice_days:
        return None
    deadline = renewal - timedelta(days=notice_days)
    days = (deadline - today).days
    if not 0 <= days <= window:
        return None
    urgency = 0 if days <= NOTICE_URGENT_DAYS else 1 if days <= 7 else 2
    name, auto = row["name"], " (auto-renews)" if row.get("auto_renew") else ""

    def words() -> tuple[str, str]:
        return (
            f"notice deadline {_when(deadline, today)} ({deadline.isoformat()}), "
            f"renewal {renewal.isoformat()}{auto}",
            f"csmctl brief {quote(name)}",
        )

    return Item("notice", row["id"], name, row.get("owner"), deadline, urgency, words)


def renewal(row: Mapping[str, Any], last_contact: date | None, today: date) -> Item | None:
    """A renewal from today to RENEWAL_WINDOW_DAYS out with no real contact in RECENT_CONTACT_DAYS."""
    day = row.get("renewal_date")
    if day is None:
        return None
    days = (day - today).days
    if not 0 <= days <= RENEWAL_WINDOW_DAYS:
        return None
    if last_contact is not None and (today - last_contact).days <= RECENT_CONTACT_DAYS:
        return None
    urgency = 0 if days <= RENEWAL_URGENT_DAYS else 1 if days <= 14 else 2
    name = row["name"]

    def words() -> tuple[str, str]:
        return (
            f"renews {_when(day, today)} ({day.isoformat()}), {_silent(last_contact, today)}",
            f'csmctl touch {quote(name)} "Renewal conversation" --kind call',
        )

    return Item("renewal", row["id"], name, row.get("owner"), day, urgency, words)


def risk(row: Mapping[str, Any], last_contact: date | None, today: date, quiet_days: int) -> Item | None:
    """A high-severity open risk on an account with no real contact in ``quiet_days`` (counted
    from the later of the risk's opening and the last contact)."""
    if row["severity"] != "high":
        return None
    since = max(row["opened_on"], last_contact) if last_contact else row["opened_on"]
    due = since + timedelta(days=quiet_days)
    if due > today:
        return None
    rid, reason, stage = row["id"], row["reason"], row["stage"]

    def words() -> tuple[str, str]:
        return (
            f"high risk ({reason}, {stage}) and {_silent(last_contact, today)}",
            f"csmctl risk show {rid}",
        )

    return Item("risk", row["account_id"], row["account"], row.get("owner"), due, 1, words, rid)


def stale(
    row: Mapping[str, Any], last_contact: date | None, cadence: int, today: date, *, book_has_contact: bool
) -> Item | None:
    """No contact within the cadence (``touchpoints.staleness``, the rule `stale` uses; never
    contacted counts once the book logs contact)."""
    item = staleness(last_contact, cadence, today)
    if not item.stale:
        return None
    never = item.last_contact is None
    if never and not book_has_contact:
        return None
    name, since, over = row["name"], item.days_since, item.days_over or 0

    def words() -> tuple[str, str]:
        return (
            f"no contact recorded (cadence {cadence}d)"
            if never
            else f"no contact for {_days(since or 0)} (cadence {cadence}d, {_days(over)} over)",
            f'csmctl touch {quote(name)} "Check-in" --kind call',
        )

    if never:
        return Item("stale", row["id"], name, row.get("owner"), today, 2, words)
    assert item.due is not None and since is not None
    return Item("stale", row["id"], name, row.get("owner"), item.due, 1 if over >= cadence else 2, words)


def health(row: Mapping[str, Any], score: int, band: str, earlier: int | None, today: date) -> Item | None:
    """A red account, or one that fell FALL_POINTS or more since the start of the window."""
    fell = earlier is not None and earlier - score >= FALL_POINTS
    drop = 0 if earlier is None else earlier - score
    if band != "red" and not fell:
        return None
    name = row["name"]

    def words() -> tuple[str, str]:
        parts = []
        if band == "red":
            parts.append(f"health {score} (red)")
        if fell:
            parts.append(
                f"{'down' if band == 'red' else f'health {score}, down'} {drop} points in {FALL_WINDOW_DAYS} days"
            )
        return ", ".join(parts), f"csmctl health {quote(name)} --explain"

    return Item("health", row["id"], name, row.get("owner"), today, 1 if band == "red" else 2, words)


def candidates(
    today: date,
    *,
    follow_ups: Iterable[Mapping[str, Any]],
    tasks: Iterable[Mapping[str, Any]],
    accounts: Iterable[Mapping[str, Any]],
    book_has_contact: bool,
    notice_window: int = NOTICE_WINDOW_DAYS,
    risks: Collection[Mapping[str, Any]] = (),
    quiet_days: int = DEFAULT_QUIET_DAYS,
) -> Iterator[Item]:
    """Every item for the rows the store found, unranked, one row at a time (nothing held but the
    last contact of the accounts ``risks`` name). ``accounts`` rows carry the account's renewal
    fields plus ``last_contact``, ``cadence``, ``score``, ``band`` and ``earlier_score`` (the first
    snapshot in the last FALL_WINDOW_DAYS, or None)."""
    for r in follow_ups:
        if item := follow_up(r, today):
            yield item
    for r in tasks:
        if item := onboarding_task(r, today):
            yield item
    at_risk = {r["account_id"] for r in risks}
    last_contact: dict[int, date | None] = {}
    for row in accounts:
        last = row["last_contact"]
        if row["id"] in at_risk:
            last_contact[row["id"]] = last
        if item := notice(row, today, notice_window):
            yield item
        if item := renewal(row, last, today):
            yield item
        if item := stale(row, last, row["cadence"], today, book_has_contact=book_has_contact):
            yield item
        if row.get("score") is not None and (
            item := health(row, row["score"], row["band"], row.get("earlier_score"), today)
        ):
            yield item
    for r in risks:
        if item := risk(r, last_contact.get(r["account_id"]), today, quiet_days):
            yield item


def build_queue(today: date, **rows: Any) -> list[Item]:
    """Every item for the rows the store found (`candidates`), ranked."""
    return rank(candidates(today, **rows))


def rank(items: Iterable[Item | None]) -> list[Item]:
    return sorted((i for i in items if i is not None), key=Item.sort_key)


def first(items: Iterable[Item], limit: int | None) -> tuple[list[Item], int]:
    """The first ``limit`` items in rank order (all of them without a limit) and how many there
    are in all. Only ``limit`` items are ever held: a whole owner's queue is counted, not kept."""
    if limit is None:
        ranked = rank(items)
        return ranked, len(ranked)
    total = 0

    def counted() -> Iterator[Item]:
        nonlocal total
        for item in items:
            total += 1
            yield item

    top = heapq.nsmallest(limit, counted(), key=Item.sort_key)  # stable: sorted(...)[:limit]
    return top, total


def public_item(position: int, item: Item, today: date) -> dict[str, object]:
    """The stable JSON shape of a queue line (docs/json.md)."""
    return {
        "rank": position,
        "kind": item.kind,
        "account_id": item.account_id,
        "account": item.account,
        "owner": item.owner,
        "due": item.due,
        "days": item.days(today),
        "urgency": item.urgency,
        "why": item.why,
        "command": item.command,
        "ref": item.ref,
    }
