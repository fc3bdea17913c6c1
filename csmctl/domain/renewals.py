"""Renewals: windows (buckets), notice deadlines, outcome rules, and what needs attention.

Plain functions of account rows and ``today``: no clock, no database. The store hands in rows
(mappings with the account table's columns), these functions say where each renewal stands.

Health hook: every renewal row carries ``health_band`` (None here). ``build_renewals`` takes an
optional ``health`` mapping (account id -> band) that the health feature passes in; templates and
listings show the column only when some row has a band.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from csmctl.domain import fields
from csmctl.domain.accounts import notice_deadline
from csmctl.domain.dates import add_months, check_not_future
from csmctl.domain.money import Money, known_totals, stored_money, totals_by_currency
from csmctl.errors import InvalidValue

OUTCOMES = ("renewed", "expanded", "contracted", "churned")
NOTICE_WARNING_DAYS = 14  # a notice deadline this close (or passed) is flagged
DEFAULT_WITHIN_DAYS = 120
# (key, first day, last day) counted from today; overdue is anything before today.
BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("overdue", None, -1),
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    ("121+", 121, None),
)
BUCKET_LABELS = {
    "overdue": "Overdue",
    "0-30": "0-30 days",
    "31-60": "31-60 days",
    "61-90": "61-90 days",
    "91-120": "91-120 days",
    "121+": "Over 120 days",
}
FAIL_ON = ("overdue", "notice", "at-risk", "risk")  # risk: an open risk (csmctl risk) on the account
AT_RISK_BANDS = ("red", "at-risk", "poor")
AT_RISK_TAG = "renewal-risk"
AUTO_RENEWED_STATUS = "auto-renewed?"


# The buckets run on without gaps (each starts the day after the one before ends), so the one a
# day falls in is found by bisecting their first days: one C call per renewal, not a loop.
_FIRST_DAYS = [first for _, first, _ in BUCKETS[1:] if first is not None]
assert (
    all(
        first == last + 1
        for (_, _, last), (_, first, _) in zip(BUCKETS, BUCKETS[1:], strict=False)
        if last is not None
    )
    and len(_FIRST_DAYS) == len(BUCKETS) - 1
), BUCKETS


def bucket_for(days: int) -> str:
    return BUCKETS[bisect.bisect_right(_FIRST_DAYS, days)][0]


def notice_status(deadline: date | None, today: date, warning_days: int = NOTICE_WARNING_DAYS) -> str | None:
    """``passed`` when the deadline is behind us, ``soon`` within ``warning_days`` (the settings'
    ``[renewals] notice_warning_days``), else None."""
    if deadline is None:
        return None
    days = (deadline - today).days
    if days < 0:
        return "passed"
    if days <= warning_days:
        return "soon"
    return None


def renewal_status(days: int, auto_renew: bool) -> str:
    """``overdue``: past its date with no recorded outcome; ``auto-renewed?``: the same for a
    contract that renews itself (listed for confirmation, never rolled silently); else ``upcoming``."""
    if days < 0:
        return AUTO_RENEWED_STATUS if auto_renew else "overdue"
    return "upcoming"


def is_overdue(renewal: Mapping[str, Any]) -> bool:
    """Overdue: past its renewal date with no recorded outcome. A contract that renews itself is
    overdue too (status ``auto-renewed?``: nobody has confirmed it did); the report counts those
    again, as a subset, under ``auto_renewed``. The ``overdue`` bucket, the report's counts and
    ``--fail-on overdue`` all use this one rule."""
    return bool(renewal["status"] != "upcoming")


# One Money per distinct amount (they are frozen): a big window repeats most amounts, and building
# a frozen dataclass costs several times a cache hit.
_stored_money = functools.lru_cache(maxsize=65536)(stored_money)


@functools.lru_cache(maxsize=65536)
def _timing(
    renewal: date, notice_days: int | None, auto_renew: bool, today: date, warning_days: int
) -> tuple[int, str, date | None, int | None, str | None, str]:
    """What a renewal date, notice period and auto-renewal say on ``today``: (days to the renewal,
    its bucket, the notice deadline, days to it, its ``notice_status``, its ``renewal_status``). A
    window has a few hundred renewal dates and a few notice periods: cached, a renewal costs one
    look-up, not six rules. Every shape of a renewal (``renewal_row``, ``table_buckets``)
    takes its dates and states from here."""
    days = (renewal - today).days
    deadline = notice_deadline(renewal, notice_days) if notice_days else None
    notice = notice_status(deadline, today, warning_days) if days >= 0 else None
    to_notice = None if deadline is None else (deadline - today).days
    return days, bucket_for(days), deadline, to_notice, notice, renewal_status(days, auto_renew)


def renewal_row(
    row: Mapping[str, Any],
    today: date,
    health_band: str | None = None,
    warning_days: int = NOTICE_WARNING_DAYS,
    open_risks: int = 0,
) -> dict[str, Any]:
    """One account's renewal as shown in listings, reports and JSON (docs/json.md)."""
    renewal: date = row["renewal_date"]
    auto_renew = bool(row["auto_renew"])
    days, bucket, deadline, to_notice, notice, status = _timing(
        renewal, row["notice_days"], auto_renew, today, warning_days
    )
    return {
        "id": row["id"],
        "name": row["name"],
        "owner": row["owner"],
        "tier": row["tier"],
        "stage": row["stage"],
        "arr": _stored_money(row["arr_minor"], row["currency"]),  # None: unknown
        "currency": row["currency"],
        "renewal_date": renewal,
        "days_to_renewal": days,
        "bucket": bucket,
        "status": status,
        "auto_renew": auto_renew,
        "term_months": row["term_months"],
        "notice_days": row["notice_days"],
        "notice_deadline": deadline,
        "days_to_notice": to_notice,
        "notice": notice,
        "notice_flag": notice is not None,
        "at_risk": (
            row.get("stage") == "at-risk"
            or fields.has_tag(row.get("tags"), AT_RISK_TAG)
            or (health_band is not None and health_band.lower() in AT_RISK_BANDS)
        ),
        "health_band": health_band,
        "open_risks": open_risks,
    }


def pack_renewal(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A :func:`renewal_row` as plain values for a spill file (a spool of the report): its values
    in key order, the two dates as day ordinals and the amount as minor units (a dict of dates and
    Money pickles at about twice the cost, and unpickles slower too)."""
    (i, name, owner, tier, stage, arr, cur, renewal, days, bucket, status, auto, term, notice_days,
     deadline, to_notice, notice, flag, at_risk, band, risks) = row.values()  # fmt: skip
    return (
        i, name, owner, tier, stage, None if arr is None else arr.amount_minor, cur, renewal.toordinal(),
        days, bucket, status, auto, term, notice_days, None if deadline is None else deadline.toordinal(),
        to_notice, notice, flag, at_risk, band, risks,
    )  # fmt: skip


def unpack_renewal(values: tuple[Any, ...]) -> dict[str, Any]:
    """The :func:`renewal_row` that :func:`pack_renewal` packed (equal, keys in the same order)."""
    (i, name, owner, tier, stage, arr, cur, renewal, days, bucket, status, auto, term, notice_days,
     deadline, to_notice, notice, flag, at_risk, band, risks) = values  # fmt: skip
    return {
        "id": i,
        "name": name,
        "owner": owner,
        "tier": tier,
        "stage": stage,
        "arr": _stored_money(arr, cur),
        "currency": cur,
        "renewal_date": date.fromordinal(renewal),
        "days_to_renewal": days,
        "bucket": bucket,
        "status": status,
        "auto_renew": auto,
        "term_months": term,
        "notice_days": notice_days,
        "notice_deadline": None if deadline is None else date.fromordinal(deadline),
        "days_to_notice": to_notice,
        "notice": notice,
        "notice_flag": flag,
        "at_risk": at_risk,
        "health_band": band,
        "open_risks": risks,
    }


RENEWAL_SPILL = (pack_renewal, unpack_renewal)  # a spool's codec (csmctl.spool.Codec)


@dataclass
class Bucket:
    key: str
    label: str
    rows: list[dict[str, Any]]

    @functools.cached_property
    def _known(self) -> tuple[dict[str, Money], int]:
        """One pass over the rows for both ``totals`` and ``unknown_arr_count`` (rows are set once)."""
        return known_totals(r["arr"] for r in self.rows)

    @property
    def totals(self) -> dict[str, Money]:
        """Per currency, known ARR only (see ``unknown_arr_count``)."""
        return self._known[0]

    @property
    def unknown_arr_count(self) -> int:
        return self._known[1]

    def as_dict(self) -> dict[str, Any]:
        return BucketHead(self.key, self.label, len(self.rows), self.totals, self.unknown_arr_count).as_dict(
            self.rows
        )


@dataclass(frozen=True)
class BucketHead:
    """What a bucket says before its renewals: a listing that streams its rows knows these first."""

    key: str
    label: str
    count: int
    totals: dict[str, Money]
    unknown_arr_count: int

    def as_dict(self, renewals: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """The bucket as JSON shows it (docs/json.md); ``renewals`` may be an iterator (streamed)."""
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "totals": list(self.totals.values()),
            "unknown_arr_count": self.unknown_arr_count,
            "renewals": renewals,
        }


def _shown(key: str, count: int) -> bool:
    """Every bucket is listed, empty ones included, except ``121+`` when it has nothing."""
    return bool(count) or key != "121+"


def bucket_heads(
    day_totals: Iterable[tuple[date, str, int, int | None, int]], today: date
) -> list[BucketHead]:
    """``group_buckets``' buckets without their rows: each one's count and known ARR totals, from
    (renewal date, currency, renewals, sum of the known ARR, renewals with a known ARR) per date
    and currency (``store.renewals.renewal_day_totals``: a few hundred rows, so the renewals
    themselves can be streamed after their bucket's head). Unknown ARR (NULL) is left out of the
    totals and counted, as ``known_totals`` does."""
    counts = {key: 0 for key, _, _ in BUCKETS}
    minor: dict[str, dict[str, int]] = {key: {} for key in counts}
    unknown = dict.fromkeys(counts, 0)
    for renewal, currency, count, known_sum, known in day_totals:
        key = bucket_for((renewal - today).days)
        counts[key] += count
        unknown[key] += count - known
        if known:
            sums = minor[key]
            sums[currency] = sums.get(currency, 0) + int(known_sum or 0)
    return [
        BucketHead(
            key,
            BUCKET_LABELS[key],
            counts[key],
            totals_by_currency([Money(amount, currency) for currency, amount in minor[key].items()]),
            unknown[key],
        )
        for key in counts
        if _shown(key, counts[key])
    ]


def _listing_groups(
    rows: Iterable[Any],
    date_of: Callable[[Any], date],
    name_of: Callable[[Any], str],
    id_of: Callable[[Any], int],
) -> Iterator[list[Any]]:
    """Rows already ordered by renewal date, one date at a time, each date's in listing order: by
    name (case-folded), then id. The one home of the listings' order, for rows of any shape (a
    dict, a tuple) through the getters; only one date's rows are held."""
    for _, same_day in itertools.groupby(rows, key=date_of):
        group = list(same_day)
        if len(group) > 1:
            group.sort(key=lambda row: (name_of(row).casefold(), id_of(row)))
        yield group


def build_renewals(
    rows: Iterable[Mapping[str, Any]],
    today: date,
    health: Mapping[int, str] | None = None,
    warning_days: int = NOTICE_WARNING_DAYS,
    risks: Mapping[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Renewal rows sorted by date then name (rows must have a renewal date); ``risks`` maps an
    account id to its number of open risks."""
    dated = sorted(
        (r for r in rows if r["renewal_date"] is not None), key=operator.itemgetter("renewal_date")
    )
    return list(iter_renewals(dated, today, health, warning_days, risks))


def iter_renewals(
    rows: Iterable[Mapping[str, Any]],
    today: date,
    health: Mapping[int, str] | None = None,
    warning_days: int = NOTICE_WARNING_DAYS,
    risks: Mapping[int, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """``build_renewals``, one renewal at a time, from rows already ordered by renewal date (the
    store's ``renewal_query``): only one date's renewals are held, to put them in name order."""
    health, risks = health or {}, risks or {}
    dated = (r for r in rows if r["renewal_date"] is not None)
    by_key = operator.itemgetter
    for group in _listing_groups(dated, by_key("renewal_date"), by_key("name"), by_key("id")):
        if health or risks:
            yield from (
                renewal_row(r, today, health.get(r["id"]), warning_days, risks.get(r["id"], 0)) for r in group
            )
        else:  # the listing's case: no band, no risk to look up per renewal
            yield from (renewal_row(r, today, None, warning_days) for r in group)


# The account columns a renewals table reads (``store.renewals.renewal_tuples``), in this order,
# and what it shows of each renewal (``table_buckets``' tuples): ``renewal_row``'s keys.
TABLE_READS = ("id", "name", "owner", "arr_minor", "currency", "renewal_date", "auto_renew", "notice_days")
TABLE_FIELDS = (
    "name",
    "owner",
    "arr",
    "renewal_date",
    "days_to_renewal",
    "auto_renew",
    "notice_deadline",
    "notice",
    "status",
)


def table_buckets(
    rows: Iterable[tuple[Any, ...]], today: date, warning_days: int = NOTICE_WARNING_DAYS
) -> Iterator[tuple[Iterator[tuple[Any, ...]], Callable[[], BucketHead]]]:
    """``iter_renewals`` for a table, a bucket at a time (the empty ones left out), from
    ``TABLE_READS`` tuples ordered by renewal date (the store's ``renewal_query``). Per bucket: its
    renewals, each the values ``renewal_row`` gives the keys of ``TABLE_FIELDS``, as a tuple (no
    21-key dict for the nine values a table shows); and its head, to be asked for once they have
    been read (their amounts are noted as they pass: a table reads all its rows before its first
    line, so its heading needs no totals query ahead of them, as ``bucket_heads`` is). The same
    rules (``_timing``, ``_stored_money``, ``bucket_for``) and order as ``iter_renewals``."""
    by_index = operator.itemgetter
    days = _listing_groups(rows, by_index(5), by_index(1), by_index(0))
    for key, same_bucket in itertools.groupby(days, key=lambda day: bucket_for((day[0][5] - today).days)):
        amounts: list[Money | None] = []
        renewals = _table_renewals(same_bucket, today, warning_days, amounts.append)
        yield renewals, functools.partial(_counted_head, key, amounts)


def _table_renewals(
    days: Iterable[list[tuple[Any, ...]]],
    today: date,
    warning_days: int,
    note: Callable[[Money | None], None],
) -> Iterator[tuple[Any, ...]]:
    """``table_buckets``' renewals of one bucket, from its dates' rows; ``note`` takes each amount."""
    timing, money = _timing, _stored_money
    for same_day in days:
        for _, name, owner, arr_minor, currency, renewal, auto_renew, notice_days in same_day:
            auto, arr = bool(auto_renew), money(arr_minor, currency)
            note(arr)
            days_to, _, deadline, _, notice, status = timing(renewal, notice_days, auto, today, warning_days)
            yield name, owner, arr, renewal, days_to, auto, deadline, notice, status


def _counted_head(key: str, amounts: list[Money | None]) -> BucketHead:
    """The head of a bucket of these amounts (None: unknown ARR, left out of the totals and counted)."""
    totals, unknown = known_totals(amounts)
    return BucketHead(key, BUCKET_LABELS[key], len(amounts), totals, unknown)


def group_buckets(renewals: Iterable[dict[str, Any]]) -> list[Bucket]:
    """Every bucket in order, empty ones included, except ``121+`` when it has nothing."""
    by_key: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in BUCKETS}
    for row in renewals:
        by_key[row["bucket"]].append(row)
    return [Bucket(key, BUCKET_LABELS[key], rows) for key, rows in by_key.items() if _shown(key, len(rows))]


# What ``--fail-on`` can ask about, one test per key (``FAIL_ON``): overdue (incl. auto-renewed?),
# notice, at-risk, risk.
FINDING_TESTS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "overdue": is_overdue,
    "notice": operator.itemgetter("notice_flag"),
    "at-risk": operator.itemgetter("at_risk"),
    "risk": operator.itemgetter("open_risks"),
}
assert tuple(FINDING_TESTS) == FAIL_ON, FAIL_ON


def findings(renewals: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The renewals each ``FINDING_TESTS`` test finds."""
    rows = list(renewals)
    return {key: [r for r in rows if test(r)] for key, test in FINDING_TESTS.items()}


def parse_fail_on(values: Iterable[str] | None) -> list[str]:
    """``--fail-on overdue --fail-on notice`` or ``--fail-on overdue,notice``."""
    out: list[str] = []
    for value in values or []:
        for part in str(value).split(","):
            key = part.strip().lower()
            if not key:
                continue
            if key not in FAIL_ON:
                raise InvalidValue(
                    f"Unknown --fail-on value {part.strip()!r}.", f"Use one or more of: {', '.join(FAIL_ON)}."
                )
            if key not in out:
                out.append(key)
    return out


# -- recording an outcome ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A checked renewal outcome, ready for the ledger and the account."""

    outcome: str
    date: datetime.date
    arr_before: Money
    arr_after: Money
    term_months: int
    renewal_date_before: datetime.date | None
    new_renewal_date: datetime.date | None  # None on churn
    archive: bool


def plan_outcome(
    *,
    outcome: str,
    on: date,
    today: date,
    arr_before: Money,
    arr_after: Money | None,
    term_months: int | None,
    renewal_date: date | None,
    account_term: int,
) -> Outcome:
    """Check an outcome against the account and work out what changes.

    ``arr_after`` may be None for ``renewed`` (same ARR) and ``churned`` (zero). The renewal date
    rolls forward from the contract's renewal date (or the outcome date when it has none).
    """
    outcome = (outcome or "").strip().lower()
    if outcome not in OUTCOMES:
        raise InvalidValue(f"Unknown outcome {outcome!r}.", f"Use one of: {', '.join(OUTCOMES)}.")
    check_not_future(
        on, today, what="The outcome date", hint="Record an outcome once it has happened (or use --as-of)."
    )
    term = account_term if term_months is None else term_months
    if not 1 <= term <= 120:
        raise InvalidValue(f"Invalid --term {term}.", "Use a number of months from 1 to 120.")
    if arr_after is None:
        if outcome in ("expanded", "contracted"):
            raise InvalidValue(f"An {outcome} renewal needs the new ARR.", "Add --arr NEW_ARR.")
        arr_after = arr_before if outcome == "renewed" else Money(0, arr_before.currency)
    if arr_after.currency != arr_before.currency:
        raise InvalidValue(
            f"The new ARR is in {arr_after.currency} but the account is in {arr_before.currency}.",
            "Give the amount in the account's currency.",
        )
    before, after = arr_before.amount_minor, arr_after.amount_minor
    if after < 0:
        raise InvalidValue(f"The new ARR cannot be negative (got {arr_after}).")
    problem = {
        "renewed": after != before
        and (
            f"A renewal at a different ARR ({arr_before} -> {arr_after}) is 'expanded' or 'contracted'.",
            "Use --outcome expanded or contracted, or leave --arr out for a flat renewal.",
        ),
        "expanded": after <= before
        and (
            f"'expanded' needs a higher ARR than now ({arr_before}); got {arr_after}.",
            "Use --outcome contracted or renewed, or check the amount.",
        ),
        "contracted": (after >= before or after == 0)
        and (
            f"'contracted' needs a lower, non-zero ARR than now ({arr_before}); got {arr_after}.",
            "Use --outcome expanded or renewed (or churned for zero), or check the amount.",
        ),
        "churned": after != 0
        and (f"A churned account keeps no ARR; got {arr_after}.", "Leave --arr out (or give 0)."),
    }[outcome]
    if problem:
        raise InvalidValue(*problem)
    churn = outcome == "churned"
    new_date = None if churn else add_months(renewal_date or on, term)
    return Outcome(outcome, on, arr_before, arr_after, term, renewal_date, new_date, churn)


def ledger_row(event: Mapping[str, Any]) -> dict[str, Any]:
    """One renewal_event (joined with its account's name/owner/tier) as listings show it."""
    before = Money(int(event["arr_before_minor"]), event["currency"])
    after = Money(int(event["arr_after_minor"]), event["currency"])
    return {
        "id": event["id"],
        "account_id": event["account_id"],
        "account": event["name"],
        "owner": event.get("owner"),
        "tier": event.get("tier"),
        "date": event["date"],
        "outcome": event["outcome"],
        "arr_before": before,
        "arr_after": after,
        "change": Money(after.amount_minor - before.amount_minor, event["currency"]),
        "term_months": event["term_months"],
        "renewal_date_before": event["renewal_date_before"],
        "notes": event["notes"],
        "reason": event.get("reason"),
    }


LOSS_OUTCOMES = ("churned", "contracted")


def check_loss_reason(outcome: str, reason: str | None) -> None:
    """A reason code explains ARR lost: it goes with a churn or a contraction only."""
    if reason is not None and outcome not in LOSS_OUTCOMES:
        raise InvalidValue(
            f"--reason explains lost ARR; a {outcome} renewal lost none.",
            "Give --reason with --outcome churned or contracted.",
        )
