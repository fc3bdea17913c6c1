"""Accounts: the fields a CSM tracks, how typed values become them, and their public shape.

``parse_account_fields`` is the one place where a value for an account field is checked, for
``account add/edit`` flags and for every import row alike. ``public_account`` is the stable
JSON shape (documented in docs/json.md): scripts depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from csmctl.domain import fields
from csmctl.domain.money import Money, check_currency, parse_amount, show_money, stored_money
from csmctl.errors import InvalidValue, Problem

TIERS = ("strategic", "enterprise", "mid-market", "smb", "scaled")
TIER_ALIASES = {
    "ent": "enterprise",
    "midmarket": "mid-market",
    "mm": "mid-market",
    "mid": "mid-market",
    "small-business": "smb",
    "tech-touch": "scaled",
    "low-touch": "scaled",
}
# `account list --sort` keys (the store maps each to its column).
SORT_KEYS = ("name", "renewal", "arr", "owner", "tier", "stage", "created", "id")
STAGES = ("onboarding", "adoption", "expansion", "renewal", "at-risk", "churned")
STAGE_ALIASES = {"atrisk": "at-risk", "risk": "at-risk", "growth": "expansion"}

# Field name -> what it is called in messages.
FIELDS: dict[str, str] = {
    "name": "name",
    "external_id": "external id",
    "domain": "domain",
    "owner": "owner",
    "tier": "tier",
    "segment": "segment",
    "stage": "lifecycle stage",
    "stage_since": "stage date",
    "arr": "ARR",
    "currency": "currency",
    "contract_start": "contract start",
    "renewal_date": "renewal date",
    "term_months": "term (months)",
    "auto_renew": "auto-renew",
    "notice_days": "notice days",
    "nps": "NPS",
    "csat": "CSAT",
    "cadence_days": "cadence (days)",
    "tags": "tags",
    "notes": "notes",
    "archived": "archived",
}
# What each field accepts, as `csmctl import fields accounts` shows it (parse_field decides).
FIELD_TYPES: dict[str, str] = {
    "name": "text, required; matches an existing account (any case)",
    "external_id": "text: your CRM's id; matched before the name",
    "domain": "domain name (a URL is cut to its host)",
    "owner": "text",
    "tier": "one of: " + ", ".join(TIERS),
    "segment": "text",
    "stage": "one of: " + ", ".join(STAGES),
    "stage_since": "date (2026-12-01, today, +30d)",
    "arr": "money: 120000, 120,000.50, 120k, 1.2M, EUR 120k (none: unknown, not 0)",
    "currency": "ISO 4217 code (USD, EUR...)",
    "contract_start": "date",
    "renewal_date": "date",
    "term_months": "whole number, 1-120",
    "auto_renew": "true/false (yes/no, 1/0)",
    "notice_days": "whole number, 0-730",
    "nps": "whole number, -100-100",
    "csat": "whole number, 0-100",
    "cadence_days": "days, 1-366 (or 2w)",
    "tags": "list separated by ; or ,",
    "notes": "text",
    "archived": "true/false",
}
# The column order of CSV export (and of a CSV import that round-trips).
EXPORT_COLUMNS = list(FIELDS)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _cadence(value: object) -> int | None:
    if fields.blank(value):
        return None
    raw = str(value).strip().lower()
    if raw.endswith(("d", "w")):
        from csmctl.domain.dates import parse_duration

        days = parse_duration(raw, what="cadence").calendar_days(what="cadence")
        return fields.integer(days, what="cadence (days)", low=1, high=366)
    return fields.integer(value, what="cadence (days)", low=1, high=366)


def parse_field(
    name: str, value: Any, *, today: date, currency: str | None = None, default_currency: str = "USD"
) -> Any:
    """One account field from typed or file text.

    ``arr`` is in ``currency`` (the row's), else the currency written in it ("EUR 120k"), else
    ``default_currency`` (the account's own when editing)."""
    what = FIELDS[name]
    if (value is None or value == "") and name != "name":  # most cells of an import: no parser call
        return [] if name == "tags" else None
    if name == "name":
        return fields.text(value, what=what, required=True)
    if name in ("owner", "segment", "external_id"):
        return fields.text(value, what=what, max_length=120)
    if name == "notes":
        return fields.text(value, what=what, max_length=20_000)
    if name == "domain":
        return fields.domain_name(value)
    if name == "tier":
        return fields.choice(value, TIERS, what=what, aliases=TIER_ALIASES)
    if name == "stage":
        return fields.choice(value, STAGES, what=what, aliases=STAGE_ALIASES)
    if name in ("stage_since", "contract_start", "renewal_date"):
        return fields.a_date(value, what=what, today=today)
    if name == "currency":
        return None if fields.blank(value) else check_currency(str(value))
    if name == "arr":
        if fields.blank(value):
            return None
        if isinstance(value, Mapping):  # the JSON export shape
            try:
                return Money(int(value["amount_minor"]), check_currency(value["currency"]))
            except (KeyError, TypeError, ValueError):
                raise InvalidValue(
                    f"Invalid ARR {value!r}.", 'Use {"amount_minor": 1200000, "currency": "USD"}.'
                ) from None
        amount = parse_amount(str(value), currency, what=what, default_currency=default_currency)
        if amount.amount_minor < 0:
            raise InvalidValue(f"Invalid ARR {value!r}: it cannot be negative.")
        return amount
    if name == "term_months":
        return fields.integer(value, what=what, low=1, high=120)
    if name == "notice_days":
        return fields.integer(value, what=what, low=0, high=730)
    if name == "nps":
        return fields.integer(value, what=what, low=-100, high=100)
    if name == "csat":
        return fields.integer(value, what=what, low=0, high=100)
    if name == "cadence_days":
        return _cadence(value)
    if name == "tags":
        return fields.tags(value)
    if name in ("auto_renew", "archived"):
        return None if fields.blank(value) else fields.boolean(value, what=what)
    raise KeyError(name)  # pragma: no cover - FIELDS and this function move together


# Fields whose values differ from account to account (a memo of them would only grow), and the
# currency, parsed before the others.
_NOT_REMEMBERED = frozenset({"name", "external_id", "domain", "notes", "currency"})
MEMO_LIMIT = 2048  # parsed values remembered per field: memory stays flat in the file's size
_MISS = object()
_CURRENCIES = ("currency",)  # the memo's entry for currency cells (parsed before the others)


def _memo_for(memo: dict[Any, dict[Any, Any]] | None, currency: str | None) -> dict[Any, dict[Any, Any]]:
    """field -> {cell: parsed value} for this row: ``memo`` set up on first use, its ARR entry the
    one for the row's currency (an amount's value depends on it). No memo: nothing remembered."""
    if memo is None:
        return {}
    if not memo:
        for name in FIELDS:
            if name not in _NOT_REMEMBERED:
                memo[name] = {"": () if name == "tags" else None, None: () if name == "tags" else None}
        memo[_CURRENCIES] = {}
    arr = memo.get(("arr", currency))
    if arr is None:
        arr = memo[("arr", currency)] = {"": None, None: None}
    memo["arr"] = arr
    return memo


def parse_account_fields(
    values: Mapping[str, Any],
    *,
    today: date,
    path: str | None = None,
    line: int | None = None,
    columns: Mapping[str, str] | None = None,
    default_currency: str = "USD",
    memo: dict[Any, dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Parse the given fields; returns (typed values, problems). Absent keys stay absent.

    ``path``, ``line`` and ``columns`` (field -> the file's column name) locate problems.
    ``memo``: a dict kept across the rows of one file (one ``today`` and ``default_currency``).
    A cell text parsed before (a tier, an owner, a date, an amount: most cells of an export) takes
    its value from it instead of being parsed again. Parsing is a pure function of the text (and
    of the row's currency, for ARR), so the result is the same; a value that fails is never kept.
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []

    def problem(name: str, message: str, hint: str | None = None) -> None:
        field = (columns or {}).get(name, name)
        problems.append(Problem(message, path=path, line=line, field=field, hint=hint))

    currency: str | None = None
    if "currency" in values:
        cell = values["currency"]
        codes = memo.get(_CURRENCIES) if memo and isinstance(cell, str) else None
        if codes is not None and cell in codes:
            currency = out["currency"] = codes[cell]
        else:
            try:
                currency = out["currency"] = parse_field("currency", cell, today=today)
            except InvalidValue as error:
                problem("currency", error.message, error.hint)
            else:
                if codes is not None and len(codes) < MEMO_LIMIT:
                    codes[cell] = currency
    remembered = _memo_for(memo, currency)
    for name, value in values.items():
        known = remembered.get(name)
        if known is not None:
            try:
                parsed = known.get(value, _MISS)
            except TypeError:  # a list or an object from JSON: parsed every time
                parsed, known = _MISS, None
            if parsed is not _MISS:
                out[name] = parsed
                continue
        elif name == "currency" or name not in FIELDS:
            continue
        try:
            parsed = parse_field(
                name, value, today=today, currency=currency, default_currency=default_currency
            )
        except InvalidValue as error:
            problem(name, error.message, error.hint)
            continue
        out[name] = parsed
        if known is not None and len(known) < MEMO_LIMIT:
            known[value] = tuple(parsed) if name == "tags" else parsed
    if type(out.get("tags")) is tuple:  # remembered as a tuple: each row gets its own list
        out["tags"] = list(out["tags"])
    arr = out.get("arr")
    if isinstance(arr, Money):
        if out.get("currency") is None:
            out["currency"] = arr.currency  # "EUR 120k" with no currency given
        elif out["currency"] != arr.currency:
            problem("arr", f"ARR is in {arr.currency} but the currency is {out['currency']}")
    return out, problems


def check_account(values: Mapping[str, Any]) -> list[str]:
    """Rules across fields: returns messages (empty when fine)."""
    out = []
    start, renewal = values.get("contract_start"), values.get("renewal_date")
    if start and renewal and renewal < start:
        out.append(f"renewal date {renewal.isoformat()} is before the contract start {start.isoformat()}")
    return out


def public_account(row: Mapping[str, Any]) -> dict[str, Any]:
    """The stable JSON shape of an account (from an ORM object's fields or a row mapping)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "external_id": row["external_id"],
        "domain": row["domain"],
        "owner": row["owner"],
        "tier": row["tier"],
        "segment": row["segment"],
        "stage": row["stage"],
        "stage_since": row["stage_since"],
        "arr": stored_money(row["arr_minor"], row["currency"]),
        "currency": row["currency"],
        "contract_start": row["contract_start"],
        "renewal_date": row["renewal_date"],
        "term_months": row["term_months"],
        "auto_renew": bool(row["auto_renew"]),
        "notice_days": row["notice_days"],
        "nps": row["nps"],
        "csat": row["csat"],
        "cadence_days": row["cadence_days"],
        "tags": fields.load_tags(row["tags"]),
        "notes": row["notes"],
        "archived": bool(row["archived"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def export_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A public account as flat CSV cells that ``import accounts`` reads back unchanged."""
    out: dict[str, Any] = {}
    for name in EXPORT_COLUMNS:
        if name == "arr":
            out[name] = show_money(record["arr"], "plain")  # unknown: an empty cell
        elif name == "tags":
            out[name] = ";".join(record["tags"])
        elif name in ("auto_renew", "archived"):
            out[name] = "true" if record[name] else "false"
        else:
            out[name] = record[name]
    return out


def notice_deadline(renewal: date | None, notice_days: int | None) -> date | None:
    """The last day to give notice before the renewal date (the renewal date when none)."""
    if renewal is None:
        return None
    from csmctl.domain.dates import add_days

    return add_days(renewal, -(notice_days or 0))


def days_to(day: date | None, today: date) -> int | None:
    return None if day is None else (day - today).days


def utcnow() -> datetime:
    """Now in UTC, to the second (the stored form of moments); only the CLI edge calls this."""

    return datetime.now(UTC).replace(microsecond=0)
