"""Forecast math: invariants of the roll-up, likelihood settings, accuracy from snapshots."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain import forecast as fc
from csmctl.errors import InvalidValue

D = date(2027, 1, 15)

rows = st.builds(
    lambda i, arr, cat, expected, likelihood, cur: {
        "id": i,
        "name": f"a{i}",
        "owner": None,
        "tier": None,
        "renewal_date": D,
        "currency": cur,
        "arr_minor": arr,
        "category": cat,
        "expected_minor": expected,
        "likelihood": likelihood,
    },
    st.integers(1, 10_000),
    st.integers(0, 10**12),
    st.none() | st.sampled_from(fc.CATEGORIES),
    st.none() | st.integers(0, 10**12),
    st.none() | st.integers(0, 100),
    st.sampled_from(["USD", "EUR", "JPY"]),
)


@given(st.lists(rows, max_size=40), st.none() | st.sampled_from(fc.BY))
def test_weighted_within_best_case_and_committed_within_available(data, by):
    lines = [fc.line(r, fc.DEFAULT_LIKELIHOOD) for r in data]
    totals = fc.rollup(lines, by)
    for total in totals:
        assert 0 <= total.weighted <= total.best_case
        assert 0 <= total.committed <= total.available
    assert sum(t.renewals for t in totals) == len(lines)


def test_defaults_when_no_forecast_was_entered():
    item = fc.line(
        {"id": 1, "name": "a", "renewal_date": D, "currency": "USD", "arr_minor": 1000}, {"probable": 75}
    )
    assert (item.category, item.expected, item.likelihood, item.weighted) == ("probable", 1000, 75, 750)


def test_likelihood_settings_and_lost_is_always_zero():
    assert fc.likelihoods({"commit": 99, "lost": 50}) == {**fc.DEFAULT_LIKELIHOOD, "commit": 99, "lost": 0}
    with pytest.raises(InvalidValue, match="Unknown forecast category"):
        fc.likelihoods({"maybe": 10})
    with pytest.raises(InvalidValue, match="whole percent"):
        fc.likelihoods({"commit": "high"})
    with pytest.raises(InvalidValue):
        fc.likelihoods({"commit": 101})


snapshots = st.lists(
    st.builds(
        lambda offset, amount: fc.Snapshot(1, D - timedelta(days=offset), D, "commit", amount, 95, "USD"),
        st.integers(-60, 200),
        st.integers(0, 10**9),
    ),
    max_size=20,
)


@given(snapshots, st.integers(-30, 30))
def test_accuracy_uses_only_snapshots_taken_before_the_outcome(snaps, recorded_offset):
    outcome = fc.Outcome(1, "a", "o", D + timedelta(days=recorded_offset), D, 500, "USD")
    for row in fc.accuracy_rows([outcome], snaps):
        assert row["snapshot_date"] < outcome.recorded
        assert row["snapshot_date"] <= D - timedelta(days=row["days_out"])
        # the latest one allowed, not any one
        allowed = [
            s.taken
            for s in snaps
            if s.taken < outcome.recorded and s.taken <= D - timedelta(days=row["days_out"])
        ]
        assert row["snapshot_date"] == max(allowed)


def test_accuracy_summary_per_owner_and_horizon():
    outcome = fc.Outcome(1, "a", "Dana", D, D, 900, "USD")
    snaps = [
        fc.Snapshot(1, D - timedelta(days=95), D, "commit", 1000, 95, "USD"),
        fc.Snapshot(1, D - timedelta(days=31), D, "commit", 900, 95, "USD"),
    ]
    summary = fc.accuracy_summary(fc.accuracy_rows([outcome], snaps))
    assert [(s["days_out"], s["accuracy_pct"]) for s in summary] == [(90, 89), (60, 89), (30, 100)]
