"""Touchpoints: what a logged interaction may hold, cadence, staleness and follow-up buckets.

Everything here is plain Python over plain values and a ``today``: no clock, no database. The
CLI, the importer and the store ask these functions, so a rule (a follow-up may not precede its
touchpoint; a note is not contact; the boundary day of a cadence is still on time) lives once.

Cadence: each tier has an expected contact interval (``DEFAULT_CADENCE``, overridden by the
``[cadence]`` section of config.toml and by an account's own ``cadence_days``). An account is
*stale* when its last contact (``counts_as_contact``) is more than that many days before today: exactly on the
boundary day is on time (0 days over), the day after is 1 day over. An account never contacted
is stale with no "days over" (it sorts first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from csmctl.domain import fields
from csmctl.domain.accounts import TIERS
from csmctl.errors import InvalidValue, Problem

DEFAULT_KINDS = ("call", "email", "meeting", "qbr", "ebr", "onsite", "support", "note")
# Kinds that are logged but are not contact with the customer.
DEFAULT_NON_CONTACT = ("note",)
DEFAULT_KIND = "call"
SENTIMENTS = ("positive", "neutral", "negative")
DEFAULT_CADENCE: dict[str, int] = {
    "strategic": 14,
    "enterprise": 14,
    "mid-market": 30,
    "smb": 60,
    "scaled": 90,
}
# An account without a tier (or with a tier the config does not name).
FALLBACK_CADENCE = 30
BUCKETS = ("overdue", "due", "upcoming")
# A backdated or planned touchpoint given only a date is placed at noon UTC, so that it stays on
# that date in every time zone a CSM is likely to read it in.
NOON = time(12, 0)

# Field name -> what it is called in messages (also the import/export columns).
FIELDS: dict[str, str] = {
    "kind": "kind",
    "occurred_at": "when",
    "summary": "summary",
    "sentiment": "sentiment",
    "contacts": "with",
    "follow_up_date": "follow-up date",
    "follow_up_text": "follow-up text",
    "follow_up_done": "follow-up done",
    "follow_up_done_on": "follow-up done on",
    "tags": "tags",
    "planned": "planned",
}
EXPORT_COLUMNS = ["account", *FIELDS]
SUMMARY_MAX = 20_000


# -- configuration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The configurable part: which kinds exist, which count as contact, cadence per tier."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    non_contact: frozenset[str] = frozenset(DEFAULT_NON_CONTACT)
    cadence: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    default_kind: str = DEFAULT_KIND

    def cadence_for(self, tier: str | None, override: int | None = None) -> int:
        return cadence_for(tier, override, self.cadence)

    def counts_as_contact(self, kind: str, *, planned: bool) -> bool:
        return counts_as_contact(kind, planned=planned, non_contact=self.non_contact)

    def kind(self, value: object, *, what: str = "kind") -> str:
        parsed = fields.choice(value, self.kinds, what=what)
        if parsed is None:
            raise InvalidValue(f"{what} is required.", f"Use one of: {', '.join(self.kinds)}.")
        return parsed


def cadence_for(tier: str | None, override: int | None = None, table: Mapping[str, int] | None = None) -> int:
    """An account's expected contact interval: its own ``cadence_days`` wins; else its tier's in
    ``table`` (the configured cadence; the defaults when None); else the fallback."""
    if override:
        return override
    return (DEFAULT_CADENCE if table is None else table).get(tier or "", FALLBACK_CADENCE)


def counts_as_contact(kind: str, *, planned: bool, non_contact: Iterable[str] = DEFAULT_NON_CONTACT) -> bool:
    """Whether a touchpoint is contact with the customer: logged (not planned) and of a kind not
    listed in ``[touchpoints] non_contact_kinds``. Its one SQL form is
    ``csmctl.store.predicates.contact_clause``; stale, health, today and brief all use one of
    the two, with the configured list."""
    return not planned and kind not in frozenset(non_contact)


def _kind_list(value: object, key: str, where: str) -> list[str]:
    items = value if isinstance(value, list) else None
    if items is None or not all(isinstance(v, str) and v.strip() for v in items):
        raise InvalidValue(
            f"[touchpoints] {key} in {where} must be a list of names.",
            f'e.g. {key} = ["call", "email", "note"]',
        )
    return [" ".join(v.strip().lower().split()).replace(" ", "-") for v in items]


def cadence_days(value: object, *, what: str = "cadence") -> int:
    """``14``, ``"14d"``, ``"2w"`` -> days (1..366)."""
    if isinstance(value, bool):
        raise InvalidValue(f"Invalid {what} {value!r}.", "Use a number of days or 14d / 2w.")
    raw = str(value).strip().lower()
    if raw.endswith(("d", "w")):
        from csmctl.domain.dates import parse_duration

        days: int | None = parse_duration(raw, what=what).calendar_days(what=what)
    else:
        days = fields.integer(raw, what=what)
    if days is None or not 1 <= days <= 366:
        raise InvalidValue(f"Invalid {what} {value!r}: must be 1 to 366 days.", "Use e.g. 14d or 2w.")
    return days


def rules_from_config(
    cadence: Mapping[str, Any] | None, touchpoints: Mapping[str, Any] | None, *, where: str = "config.toml"
) -> Rules:
    """Build the rules from the ``[cadence]`` and ``[touchpoints]`` sections (either may be absent)."""
    for name, section in (("cadence", cadence), ("touchpoints", touchpoints)):
        if section is not None and not isinstance(section, Mapping):
            raise InvalidValue(f"[{name}] in {where} must be a table.", f"Write it as a [{name}] section.")
    table = dict(DEFAULT_CADENCE)
    for tier, value in (cadence or {}).items():
        key = str(tier).strip().lower()
        if key not in TIERS:
            raise InvalidValue(
                f"[cadence] in {where} names an unknown tier {tier!r}.", f"Tiers: {', '.join(TIERS)}."
            )
        table[key] = cadence_days(value, what=f"[cadence] {key} in {where}")
    section = touchpoints or {}
    kinds = tuple(_kind_list(section["kinds"], "kinds", where)) if "kinds" in section else DEFAULT_KINDS
    non_contact = (
        _kind_list(section["non_contact_kinds"], "non_contact_kinds", where)
        if "non_contact_kinds" in section
        else [k for k in DEFAULT_NON_CONTACT if k in kinds]
    )
    unknown = [k for k in non_contact if k not in kinds]
    if unknown:
        raise InvalidValue(
            f"[touchpoints] non_contact_kinds in {where} names kinds not in kinds: {', '.join(unknown)}.",
            f"Kinds: {', '.join(kinds)}.",
        )
    default_kind = str(section.get("default_kind", DEFAULT_KIND if DEFAULT_KIND in kinds else kinds[0]))
    if default_kind not in kinds:
        raise InvalidValue(
            f"[touchpoints] default_kind {default_kind!r} in {where} is not one of the kinds.",
            f"Kinds: {', '.join(kinds)}.",
        )
    return Rules(kinds=kinds, non_contact=frozenset(non_contact), cadence=table, default_kind=default_kind)


# -- staleness -----------------------------------------------------------------------------------


class Staleness(NamedTuple):
    """Immutable and a tuple underneath: ``stale`` builds one per stale account of the book, and a
    NamedTuple is built at a fraction of a frozen dataclass's cost."""

    cadence_days: int
    last_contact: date | None
    due: date | None  # the last day contact is on time
    days_since: int | None
    days_over: int | None  # None: never contacted

    @property
    def stale(self) -> bool:
        return self.last_contact is None or (self.days_over or 0) > 0


def staleness(last_contact: date | None, cadence: int, today: date) -> Staleness:
    """How far an account is past its cadence. On the boundary day it is on time (0 over)."""
    if last_contact is None:
        return Staleness(cadence, None, None, None, None)
    days_since = (today - last_contact).days
    return Staleness(
        cadence,
        last_contact,
        last_contact + timedelta(days=cadence),
        days_since,
        max(0, days_since - cadence),
    )


def on_time_since(cadence: int, today: date) -> date:
    """The earliest last contact that is still on time: ``staleness(day, cadence, today).stale``
    is False for every ``day`` from this one on (tests/domain check it on every case)."""
    return today - timedelta(days=cadence)


def stale_sort_key(item: Staleness) -> tuple[int, int]:
    """Never contacted first, then the most days over."""
    return (0, 0) if item.last_contact is None else (1, -(item.days_over or 0))


# A stale listing's record: these keys, in this order (docs/json.md).
STALE_KEYS = (
    "account_id",
    "account",
    "owner",
    "tier",
    "cadence_days",
    "last_contact",
    "due",
    "days_since",
    "days_over",
)
# (never-contacted-first, -days over, folded name, position, then the record's values with its two
# dates as ordinals): a compact entry per stale account whose plain tuple order is the listing's
# order (the position keeps equal keys in the order they were read, as a stable sort would). Only
# ints, strings and None: a big book's entries are pickled to the sort's spill files, and a date
# costs pickle several times what an int does (the 300k book's two spilled runs, 131k entries: ~0.45
# against ~0.15 s to write and read).
StaleEntry = tuple[Any, ...]


def stale_entries(
    rows: Iterable[tuple[int, str, str | None, str | None, int | None, date | None]],
    rules: Rules,
    today: date,
) -> Iterator[StaleEntry]:
    """From (id, name, owner, tier, cadence_days, last contact) rows: an entry per stale one, in
    the order read; ``sorted()`` of them is the listing (worst first), ``stale_record`` each."""
    # (tier, own cadence) -> (cadence, the first day contact is on time): a book has a handful of
    # cadences, and most accounts are within theirs, so those cost one date comparison.
    cutoffs: dict[tuple[str | None, int | None], tuple[int, date]] = {}
    # One string per distinct owner and tier, not one per row: entries may be held by the sort.
    shared: dict[str | None, str | None] = {}
    for position, (account_id, name, owner, tier, override, last) in enumerate(rows):
        found = cutoffs.get((tier, override))
        if found is None:
            cadence = rules.cadence_for(tier, override)
            found = cutoffs[tier, override] = (cadence, on_time_since(cadence, today))
        if last is not None and last >= found[1]:
            continue
        item = staleness(last, found[0], today)
        if item.stale:
            yield (
                *stale_sort_key(item),
                name.casefold(),
                position,
                account_id,
                name,
                shared.setdefault(owner, owner),
                shared.setdefault(tier, tier),
                item.cadence_days,
                None if item.last_contact is None else item.last_contact.toordinal(),
                None if item.due is None else item.due.toordinal(),
                item.days_since,
                item.days_over,
            )


def stale_record(entry: StaleEntry) -> dict[str, Any]:
    """The listing's record of a ``stale_entries`` entry (its keys: ``STALE_KEYS``, in order)."""
    _, _, _, _, account_id, name, owner, tier, cadence, last, due, since, over = entry
    return {
        "account_id": account_id,
        "account": name,
        "owner": owner,
        "tier": tier,
        "cadence_days": cadence,
        "last_contact": None if last is None else date.fromordinal(last),
        "due": None if due is None else date.fromordinal(due),
        "days_since": since,
        "days_over": over,
    }


def stale_accounts(
    rows: Iterable[tuple[int, str, str | None, str | None, int | None, date | None]],
    rules: Rules,
    today: date,
) -> list[dict[str, Any]]:
    """From (id, name, owner, tier, cadence_days, last contact) rows: the stale ones, worst first."""
    return [stale_record(entry) for entry in sorted(stale_entries(rows, rules, today))]


# -- follow-ups ----------------------------------------------------------------------------------


def followup_bucket(due: date, today: date) -> str:
    """overdue (before today), due (today) or upcoming (later)."""
    if due < today:
        return "overdue"
    if due == today:
        return "due"
    return "upcoming"


def in_window(due: date, today: date, *, within_days: int | None, buckets: Iterable[str]) -> bool:
    """Whether an open follow-up belongs in a listing of ``buckets`` up to ``within_days`` ahead."""
    bucket = followup_bucket(due, today)
    if bucket not in buckets:
        return False
    return bucket != "upcoming" or within_days is None or (due - today).days <= within_days


def bucket_followups(
    records: Iterable[Mapping[str, Any]],
    today: date,
    *,
    buckets: Iterable[str] = BUCKETS,
    within_days: int | None = None,
) -> list[dict[str, Any]]:
    """Open follow-ups (records with a ``due`` date) kept and labelled by bucket, by due date."""
    wanted = tuple(buckets)
    out = []
    for record in records:
        if in_window(record["due"], today, within_days=within_days, buckets=wanted):
            out.append(
                {
                    **record,
                    "bucket": followup_bucket(record["due"], today),
                    "days": (record["due"] - today).days,
                }
            )
    out.sort(key=lambda r: (r["due"], r.get("id") or 0))
    return out


def snooze_date(new_due: date, occurred_on: date, today: date) -> date:
    if new_due < today:
        raise InvalidValue(
            f"Cannot snooze to {new_due.isoformat()}: that is before today ({today.isoformat()}).",
            "Give a later date or an offset such as +3d.",
        )
    check_follow_up(new_due, occurred_on)
    return new_due


# -- a touchpoint's values -------------------------------------------------------------------------


def moment(day: date, *, today: date, now: datetime) -> datetime:
    """A date as the moment stored: today means now (when today is real), other days noon UTC."""
    if day == today and now.date() == today:
        return now
    return datetime.combine(day, NOON, tzinfo=UTC)


def parse_when(value: object, *, today: date, now: datetime, what: str = "when") -> datetime:
    """``2026-11-20``, ``-2d``, ``yesterday``, or an ISO time ``2026-11-20T14:30`` (UTC when no zone)."""
    from csmctl.domain.dates import parse_date

    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return moment(value, today=today, now=now)
    raw = str(value).strip()
    if len(raw) > 10 and raw[10] in "T " and raw[:4].isdigit():
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidValue(
                f"Invalid {what} {raw!r}.", "Use YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, or an offset like -2d."
            ) from None
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return moment(parse_date(raw, today, what=what), today=today, now=now)


def check_future(occurred: datetime, *, planned: bool, today: date) -> None:
    """A logged (not planned) touchpoint cannot be on a later day than today."""
    from csmctl.domain.dates import check_not_future

    if not planned:
        check_not_future(
            occurred.date(),
            today,
            what="The touchpoint date",
            hint="Mark it planned (--planned, or a planned column in a file), or give a past date.",
        )


def check_follow_up(follow_up: date | None, occurred_on: date) -> None:
    if follow_up is not None and follow_up < occurred_on:
        raise InvalidValue(
            f"The follow-up date {follow_up.isoformat()} is before the touchpoint ({occurred_on.isoformat()}).",
            "Give a follow-up on or after the touchpoint date.",
        )


def summary_text(value: object) -> str:
    parsed = fields.text(value, what="summary", max_length=SUMMARY_MAX, required=True)
    assert parsed is not None
    return parsed


def contact_refs(value: object) -> list[str]:
    """``"Ana Okafor; ben@x.example"`` or a list -> the contact references, in order."""
    if fields.blank(value):
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(";")
    out: list[str] = []
    for item in items:
        ref = " ".join(str(item).split())
        if ref and ref not in out:
            out.append(ref)
    return out


def parse_field(name: str, value: Any, rules: Rules, *, today: date, now: datetime) -> Any:
    what = FIELDS[name]
    if name == "kind":
        return rules.kind(value)
    if name == "occurred_at":
        if fields.blank(value):
            raise InvalidValue("when is required.", "Give the date of the touchpoint (YYYY-MM-DD).")
        return parse_when(value, today=today, now=now)
    if name == "summary":
        return summary_text(value)
    if name == "sentiment":
        return fields.choice(value, SENTIMENTS, what=what)
    if name == "contacts":
        return contact_refs(value)
    if name in ("follow_up_date", "follow_up_done_on"):
        return fields.a_date(value, what=what, today=today)
    if name == "follow_up_text":
        return fields.text(value, what=what, max_length=2_000)
    if name in ("follow_up_done", "planned"):
        return fields.boolean(value, what=what)
    if name == "tags":
        return fields.tags(value)
    raise KeyError(name)  # pragma: no cover


def parse_fields(
    values: Mapping[str, Any],
    rules: Rules,
    *,
    today: date,
    now: datetime,
) -> tuple[dict[str, Any], list[Problem]]:
    """Every given field parsed; problems collected per field (``Problem.field`` = field name)."""
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in values.items():
        if name not in FIELDS:
            continue
        try:
            out[name] = parse_field(name, value, rules, today=today, now=now)
        except InvalidValue as error:
            problems.append(Problem(error.message, field=name, hint=error.hint))
    return out, problems


def check_touchpoint(values: Mapping[str, Any], *, today: date) -> list[Problem]:
    """Rules across fields, for a complete set of values (after an edit is applied too)."""
    problems: list[Problem] = []
    occurred = values.get("occurred_at")
    if occurred is None:
        return problems
    checks: list[tuple[str, Callable[[], object]]] = [
        ("occurred_at", lambda: check_future(occurred, planned=bool(values.get("planned")), today=today)),
        ("follow_up_date", lambda: check_follow_up(values.get("follow_up_date"), occurred.date())),
    ]
    if values.get("follow_up_text") and not values.get("follow_up_date"):
        problems.append(
            Problem(
                "A follow-up text needs a follow-up date.",
                field="follow_up_text",
                hint="Give --follow-up DATE as well.",
            )
        )
    for name, check in checks:
        try:
            check()
        except InvalidValue as error:
            problems.append(Problem(error.message, field=name, hint=error.hint))
    return problems
