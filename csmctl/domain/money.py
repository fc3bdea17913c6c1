"""Money: integer minor units plus an ISO 4217 currency code. Never a float.

``parse_amount("120k", "USD")`` -> ``Money(12_000_000, "USD")``. Accepted forms: ``120000``,
``120,000.50``, ``120k``, ``1.2M``, ``1.5bn`` (with an optional currency symbol or code in front,
which must agree with the currency given).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from csmctl.errors import InvalidValue

# Active ISO 4217 codes. Most use 2 decimals; the exceptions are listed in _EXPONENT.
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)
_EXPONENT = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "mm": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
_AMOUNT = re.compile(
    r"^(?P<sign>-)?(?P<num>\d{1,3}(?:[,_ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<suffix>k|mm|m|bn|b)?$",
    re.IGNORECASE,
)
ACCEPTED_AMOUNTS = "120000, 120,000.50, 120k or 1.2M"
# How an amount that is not known (an account imported without a contract value) shows to people;
# JSON says null and CSV leaves the cell empty. Never 0: 0 is a free account.
UNKNOWN = "unknown"


def minor_exponent(currency: str) -> int:
    return _EXPONENT.get(currency, 2)


def _half_up(value: int, divisor: int) -> int:
    """``value / divisor`` rounded to an integer, halves away from zero (Decimal's ROUND_HALF_UP)."""
    whole, rest = divmod(abs(value), divisor)
    if 2 * rest >= divisor:
        whole += 1
    return -whole if value < 0 else whole


def check_currency(code: str | None, *, what: str = "currency") -> str:
    value = (code or "").strip().upper()
    if value not in CURRENCIES:
        raise InvalidValue(f"Unknown {what} {code!r}.", "Use an ISO 4217 code such as USD, EUR, GBP or JPY.")
    return value


@dataclass(frozen=True, order=True)
class Money:
    amount_minor: int
    currency: str

    @classmethod
    def from_major(cls, amount: Decimal | int | str, currency: str) -> Money:
        """From an amount in major units; more decimals than the currency has is an error."""
        currency = check_currency(currency)
        scaled = Decimal(str(amount)).scaleb(minor_exponent(currency))
        if scaled != scaled.to_integral_value():
            places = minor_exponent(currency)
            raise InvalidValue(f"Amount {amount} has more decimals than {currency} allows ({places}).")
        return cls(int(scaled), currency)

    @property
    def major(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-minor_exponent(self.currency))

    def plain(self) -> str:
        """Major units without grouping, for CSV: ``120000.00``."""
        return f"{self.major:.{minor_exponent(self.currency)}f}"

    def __str__(self) -> str:
        """For people: ``USD 120,000.00``."""
        return f"{self.currency} {self.major:,.{minor_exponent(self.currency)}f}"

    def short(self) -> str:
        """Compact, for tables: ``USD 120k``, ``EUR 1.2M``. The unit is chosen after rounding, so
        999,950 is ``1M``, never ``1000k``. Halves round away from zero. Integer arithmetic: a
        table of 100k renewals calls this per cell, and Decimal quantizing cost 4x as much."""
        unit = 10 ** minor_exponent(self.currency)
        whole = _half_up(self.amount_minor, unit)
        if abs(whole) < 1000:
            sign = "-" if whole == 0 and self.amount_minor < 0 else ""  # as Decimal shows -0.4: "-0"
            return f"{self.currency} {sign}{whole:,}"
        for limit, suffix in ((10**3, "k"), (10**6, "M"), (10**9, "bn")):
            tenths = _half_up(self.amount_minor, unit * limit // 10)
            if abs(tenths) < 10_000 or suffix == "bn":
                break
        units, tenth = divmod(abs(tenths), 10)
        text = f"{'-' if tenths < 0 else ''}{units}" + (f".{tenth}" if tenth else "")
        return f"{self.currency} {text}{suffix}"

    def as_json(self) -> dict[str, object]:
        return {"amount_minor": self.amount_minor, "currency": self.currency}

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount_minor + other.amount_minor, self.currency)


def parse_amount(
    text: str | int, currency: str | None, *, what: str = "amount", default_currency: str | None = None
) -> Money:
    """Parse an amount as people type it, in ``currency`` (or the one written in front of it,
    or ``default_currency`` when neither says)."""
    raw = str(text).strip()
    body = raw
    written = None
    if body[:1] in _SYMBOLS:
        written, body = _SYMBOLS[body[:1]], body[1:].strip()
    elif len(body) > 3 and body[:3].isalpha() and body[:3].upper() in CURRENCIES:
        written, body = body[:3].upper(), body[3:].strip()
    match = _AMOUNT.match(body)
    if not match:
        raise InvalidValue(f"Invalid {what} {raw!r}.", f"Use {ACCEPTED_AMOUNTS}.")
    if written and currency and written != check_currency(currency):
        raise InvalidValue(
            f"Invalid {what} {raw!r}: it says {written} but the currency is {currency.upper()}."
        )
    code = check_currency(written or currency or default_currency or "")
    number = match["num"].replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = Decimal(number) * _SUFFIX[(match["suffix"] or "").lower()]
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise InvalidValue(f"Invalid {what} {raw!r}.", f"Use {ACCEPTED_AMOUNTS}.") from None
    if match["sign"]:
        value = -value
    try:
        money = Money.from_major(value, code)
    except InvalidValue as error:  # say which value: "Invalid ARR 'BSD.001': ..."
        raise InvalidValue(
            f"Invalid {what} {raw!r}: {error.message[:1].lower()}{error.message[1:]}", error.hint
        ) from None
    if abs(money.amount_minor) >= 2**63:
        raise InvalidValue(f"Invalid {what} {raw!r}: too large.")
    return money


def stored_money(amount_minor: int | None, currency: str) -> Money | None:
    """A stored amount column: None when it is NULL (unknown), never 0."""
    return None if amount_minor is None else Money(int(amount_minor), currency)


def show_money(value: Money | None, style: str = "full") -> str:
    """The one way an amount shows: ``full`` (``USD 120,000.00``), ``short`` (``USD 120k``) or
    ``plain`` (``120000.00``, for CSV); an unknown amount is ``unknown`` (CSV: empty). Memoised
    per amount (:func:`show_amount`): a report or table shows the same amounts many times over."""
    if value is None:
        return "" if style == "plain" else UNKNOWN
    return show_amount(value.amount_minor, value.currency, style)


@functools.lru_cache(maxsize=65536)
def show_amount(amount_minor: int, currency: str, style: str = "full") -> str:
    """:func:`show_money` of a known amount, memoised on its plain parts (a cache keyed by the
    Money itself would pay for its Python-level ``__hash__`` and ``__eq__`` on every lookup)."""
    value = Money(amount_minor, currency)
    if style == "plain":
        return value.plain()
    return value.short() if style == "short" else str(value)


def unknown_note(count: int, what: str = "ARR") -> str | None:
    """The note a total or metric carries when amounts were left out: ``3 accounts with unknown
    ARR left out`` (None when none were)."""
    if not count:
        return None
    return f"{count} account{'' if count == 1 else 's'} with unknown {what} left out"


def known_totals(amounts: Iterable[Money | None]) -> tuple[dict[str, Money], int]:
    """Totals per currency of the known amounts, and how many unknown ones were left out."""
    amounts = list(amounts)
    known = [m for m in amounts if m is not None]
    return totals_by_currency(known), len(amounts) - len(known)


def totals_by_currency(amounts: list[Money]) -> dict[str, Money]:
    """Sum per currency: amounts in different currencies are never added together."""
    minor: dict[str, int] = {}
    for money in amounts:  # plain integers: a Money per addition cost more than the sum itself
        minor[money.currency] = minor.get(money.currency, 0) + money.amount_minor
    return {currency: Money(minor[currency], currency) for currency in sorted(minor)}
