from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.money import (
    Money,
    known_totals,
    parse_amount,
    show_money,
    stored_money,
    totals_by_currency,
    unknown_note,
)
from csmctl.errors import InvalidValue


@pytest.mark.parametrize(
    "text, currency, minor, code",
    [
        ("120000", "USD", 12_000_000, "USD"),
        ("120,000.50", "USD", 12_000_050, "USD"),
        ("120k", "EUR", 12_000_000, "EUR"),
        ("1.2M", "usd", 120_000_000, "USD"),
        ("38M", "JPY", 38_000_000, "JPY"),  # no minor unit
        ("€99", None, 9_900, "EUR"),
        ("GBP 1,500", None, 150_000, "GBP"),
        ("1.250", "KWD", 1_250, "KWD"),  # three decimals
    ],
)
def test_parse_amount(text, currency, minor, code):
    assert parse_amount(text, currency) == Money(minor, code)


@pytest.mark.parametrize(
    "text, currency",
    [("12.345", "USD"), ("1.5", "JPY"), ("abc", "USD"), ("1,2,3", "USD"), ("100", "XYZ"), ("EUR 5", "USD")],
)
def test_parse_amount_rejects(text, currency):
    with pytest.raises(InvalidValue):
        parse_amount(text, currency)


def test_display_forms():
    money = Money(12_345_678, "USD")
    assert str(money) == "USD 123,456.78"
    assert money.plain() == "123456.78"
    assert money.short() == "USD 123.5k"
    assert Money(38_000_000, "JPY").short() == "JPY 38M"
    assert money.as_json() == {"amount_minor": 12_345_678, "currency": "USD"}


def test_totals_never_mix_currencies():
    totals = totals_by_currency([Money(100, "USD"), Money(5, "EUR"), Money(50, "USD")])
    assert totals == {"EUR": Money(5, "EUR"), "USD": Money(150, "USD")}


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["USD", "JPY", "KWD", "EUR"]))
def test_plain_round_trips_through_parse(minor, currency):
    money = Money(minor, currency)
    assert parse_amount(money.plain(), currency) == money
    assert Money.from_major(Decimal(money.plain()), currency) == money


_AMOUNT_OR_UNKNOWN = st.none() | st.builds(
    Money, st.integers(min_value=0, max_value=10**12), st.sampled_from(["USD", "EUR", "JPY"])
)


@given(st.lists(_AMOUNT_OR_UNKNOWN, max_size=30))
def test_known_totals_leave_unknown_amounts_out_and_count_them(amounts):
    totals, unknown = known_totals(amounts)
    assert unknown == amounts.count(None)
    assert totals == totals_by_currency([a for a in amounts if a is not None])
    # An unknown amount is never counted as 0: adding one changes the count, never the totals.
    assert known_totals([*amounts, None]) == (totals, unknown + 1)


def test_an_unknown_amount_shows_as_unknown_never_as_zero():
    assert [show_money(None, style) for style in ("full", "short", "plain")] == ["unknown", "unknown", ""]
    assert show_money(Money(0, "USD"), "short") == "USD 0"  # a free account is 0, not unknown
    assert stored_money(None, "EUR") is None and stored_money(0, "EUR") == Money(0, "EUR")
    assert unknown_note(0) is None
    assert unknown_note(1) == "1 account with unknown ARR left out"
    assert unknown_note(3) == "3 accounts with unknown ARR left out"


@pytest.mark.parametrize(
    ("minor", "shown"),
    [
        (99_995_000, "USD 1M"),  # 999,950: rounds up across the unit, never "1000k"
        (99_994_999, "USD 999.9k"),
        (99_950, "USD 1k"),  # 999.50
        (99_949, "USD 999"),
        (99_999_950_000, "USD 1bn"),
        (-99_995_000, "USD -1M"),
        (12_000_000, "USD 120k"),
    ],
)
def test_short_rounds_across_unit_boundaries(minor, shown):
    assert Money(minor, "USD").short() == shown


@given(st.integers(min_value=-(10**16), max_value=10**16))
def test_short_is_close_and_never_reaches_the_next_unit(minor):
    text = Money(minor, "USD").short().removeprefix("USD ")
    units = {"bn": 10**9, "M": 10**6, "k": 10**3}
    suffix = next((s for s in units if text.endswith(s)), "")
    number = Decimal(text.removesuffix(suffix).replace(",", ""))
    scale = units.get(suffix, 1)
    if suffix != "bn":
        assert abs(number) < 1000
    step = Decimal("0.1") * scale if suffix else Decimal(1)
    assert abs(number * scale - Decimal(minor) / 100) <= step / 2


def _short_by_decimal(minor: int, currency: str) -> str:
    """The Decimal formulation ``short`` had before it moved to integers: the oracle it must equal."""
    from decimal import ROUND_HALF_UP

    from csmctl.domain.money import minor_exponent

    value = Decimal(minor).scaleb(-minor_exponent(currency))
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if abs(whole) < 1000:
        return f"{currency} {whole:,.0f}"
    for limit, suffix in ((10**3, "k"), (10**6, "M"), (10**9, "bn")):
        scaled = (value / limit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if abs(scaled) < 1000 or suffix == "bn":
            break
    return f"{currency} {f'{scaled:f}'.rstrip('0').rstrip('.')}{suffix}"


@given(
    st.one_of(
        st.integers(min_value=-(10**16), max_value=10**16),
        st.sampled_from([0, -1, -49, -50, 49, 50, 99_949, 99_950, 999_949_999, 999_950_000, -99_995_000]),
    ),
    st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
)
def test_short_in_integers_equals_the_decimal_rounding(minor, currency):
    assert Money(minor, currency).short() == _short_by_decimal(minor, currency)
