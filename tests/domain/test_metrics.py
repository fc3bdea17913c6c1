"""Retention metrics: properties that must hold for any ledger, and the arithmetic on a known one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain import metrics as m
from csmctl.domain.money import Money
from csmctl.domain.renewals import plan_outcome
from csmctl.errors import InvalidInput, InvalidValue

DAY = date(2026, 6, 1)


@st.composite
def ledger_entry(draw, currencies=("USD", "EUR", "JPY")):
    """An entry as `renewal record` would accept it (checked by plan_outcome)."""
    currency = draw(st.sampled_from(currencies))
    before = draw(st.integers(0, 10**12))
    outcome = draw(st.sampled_from(["renewed", "expanded", "contracted", "churned"]))
    if outcome == "expanded":
        after = draw(st.integers(before + 1, before + 10**12))
    elif outcome == "contracted":
        if before < 2:
            outcome, after = "renewed", before
        else:
            after = draw(st.integers(1, before - 1))
    else:
        after = None
    checked = plan_outcome(
        outcome=outcome,
        on=DAY,
        today=DAY,
        arr_before=Money(before, currency),
        arr_after=None if after is None else Money(after, currency),
        term_months=12,
        renewal_date=DAY,
        account_term=12,
    )
    account = draw(st.integers(1, 50))
    return m.Entry(
        account,
        f"acct {account}",
        DAY,
        checked.outcome,
        before,
        checked.arr_after.amount_minor,
        currency,
        draw(st.sampled_from([None, "Dana", "Kenji"])),
    )


pending_item = st.builds(
    m.Pending,
    st.integers(1, 50),
    st.just("p"),
    st.just(DAY),
    st.integers(0, 10**9),
    st.sampled_from(["USD", "EUR", "JPY"]),
    st.booleans(),
    st.sampled_from([None, "Dana"]),
)


@given(st.lists(ledger_entry(), max_size=40), st.lists(pending_item, max_size=5))
def test_properties_hold_for_any_ledger(entries, pending):
    results = m.compute(entries, pending)
    assert sum(len(r.entries) for r in results) == len(entries)
    for result in results:
        assert len({e.currency for e in result.entries} | {p.currency for p in result.pending}) == 1
        # totals reconcile with the ledger
        assert result.start == sum(e.before for e in result.entries)
        assert result.end == sum(e.after for e in result.entries)
        assert result.start + result.expansion - result.contraction - result.churn == result.end
        assert result.expansion >= 0 and result.contraction >= 0 and result.churn >= 0
        assert len(result.kept) + len(result.churned) == len(result.entries)
        if result.grr is not None:
            assert 0 <= result.grr <= 1
            assert result.nrr >= result.grr
        if result.renewal_rate is not None:
            assert 0 <= result.renewal_rate <= 1
        if result.logo_churn is not None:
            assert 0 <= result.logo_churn <= 1


@given(st.lists(ledger_entry(), min_size=1, max_size=30))
def test_conversion_keeps_the_properties(entries):
    rates = {"USD": Decimal("1"), "EUR": Decimal("1.08"), "JPY": Decimal("0.0067")}
    converted, _ = m.convert_entries(entries, [], "USD", rates)
    for result in m.compute(converted, []):
        assert result.currency == "USD"
        assert result.start + result.expansion - result.contraction - result.churn == result.end
        if result.grr is not None:
            assert result.grr <= 1 and result.nrr >= result.grr


def test_known_ledger_arithmetic():
    entries = [
        m.Entry(1, "Acme", DAY, "renewed", 100_00, 100_00, "USD"),
        m.Entry(2, "Birch", DAY, "expanded", 200_00, 260_00, "USD"),
        m.Entry(3, "Cobalt", DAY, "contracted", 100_00, 80_00, "USD"),
        m.Entry(4, "Delta", DAY, "churned", 100_00, 0, "USD"),
        m.Entry(5, "Euro", DAY, "renewed", 50_00, 50_00, "EUR"),
    ]
    pending = [m.Pending(6, "Late", DAY, 40_00, "USD", True)]
    eur, usd = m.compute(entries, pending)
    assert (usd.start, usd.expansion, usd.contraction, usd.churn, usd.end) == (
        500_00,
        60_00,
        20_00,
        100_00,
        440_00,
    )
    assert usd.grr == Fraction(380, 500) and usd.nrr == Fraction(440, 500)
    assert usd.logo_churn == Fraction(1, 4) and usd.renewal_rate == Fraction(3, 5)
    record = usd.record()
    assert record["grr"] == "0.7600" and record["nrr"] == "0.8800" and record["renewal_rate"] == "0.6000"
    assert record["start_arr"] == Money(500_00, "USD")
    assert eur.grr == 1 and eur.pending == []
    text = "\n".join(m.explain(usd))
    assert (
        "GRR = (start - contraction - churn) / start = (USD 500.00 - USD 20.00 - USD 100.00) / USD 500.00 = 76.0%"
        in text
    )
    assert "      Delta  USD 100.00" in text
    assert "renewal rate = kept / due = 3 / 5 = 60.0%  (due = 4 recorded + 1 pending)" in text
    assert "Late (pending since 2026-06-01, auto-renew: confirm)  USD 40.00" in text


def test_empty_ratios_are_none():
    (only,) = m.compute([], [m.Pending(1, "Late", DAY, 10, "USD")])
    assert only.grr is None and only.nrr is None and only.logo_churn is None
    assert only.renewal_rate == 0
    assert m.percent(None) == "-"


def test_conversion_rounds_half_even_into_minor_units():
    assert m.convert_minor(100_000, "JPY", "USD", {"JPY": Decimal("0.0067")}) == 670_00
    assert m.convert_minor(1_00, "EUR", "JPY", {"EUR": Decimal("161.5")}) == 162  # 161.5 -> 162 (even)
    with pytest.raises(InvalidValue, match="no rate for EUR"):
        m.convert_entries([m.Entry(1, "a", DAY, "renewed", 1, 1, "EUR")], [], "USD", {"GBP": Decimal(1)})


def test_rates_files():
    assert m.parse_rates("currency,rate\nEUR,1.08\n# comment\nJPY 0.0067\n") == {
        "EUR": Decimal("1.08"),
        "JPY": Decimal("0.0067"),
    }
    assert m.parse_rates('{"gbp": "1.27"}') == {"GBP": Decimal("1.27")}
    with pytest.raises(InvalidInput) as raised:
        m.parse_rates("EUR,abc\nXXX,1\n", path="rates.csv")
    assert raised.value.lines() == [
        "rates.csv has 2 problems:",
        "  rates.csv, line 1, EUR: the rate must be a positive number (got 'abc')",
        "  rates.csv, line 2, XXX: Unknown currency 'XXX'.",
    ]
