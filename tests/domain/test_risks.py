"""Risk rules: stage durations, stage as of a day, the taxonomy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain import risks
from csmctl.errors import InvalidValue

D = date(2026, 1, 1)


@st.composite
def histories(draw):
    """A risk history: open stages at non-decreasing days, maybe closed by an outcome."""
    count = draw(st.integers(1, 6))
    gaps = draw(st.lists(st.integers(0, 60), min_size=count, max_size=count))
    stages = draw(st.lists(st.sampled_from(risks.OPEN_STAGES), min_size=count, max_size=count))
    day, entries = D, []
    for gap, stage in zip(gaps, stages, strict=True):
        day += timedelta(days=gap)
        entries.append((stage, day))
    closed = None
    if draw(st.booleans()):
        closed = day + timedelta(days=draw(st.integers(0, 60)))
        entries.append((draw(st.sampled_from(risks.OUTCOMES)), closed))
    return entries, closed


@given(histories(), st.integers(0, 400))
def test_stage_durations_sum_to_the_risk_age(case, later):
    entries, closed = case
    as_of = entries[-1][1] + timedelta(days=later)
    spans = risks.stage_spans(entries, as_of)
    assert sum(s.days for s in spans) == risks.risk_age(entries[0][1], closed, as_of)
    assert all(s.days >= 0 for s in spans)


def test_stage_on_a_day_sees_only_the_past():
    entries = [("at-risk", D), ("saving", D + timedelta(days=10)), ("recovered", D + timedelta(days=20))]
    assert risks.stage_on(entries, D - timedelta(days=1)) is None
    assert risks.stage_on(entries, D + timedelta(days=9)) == "at-risk"
    assert risks.stage_on(entries, D + timedelta(days=10)) == "saving"
    assert risks.stage_on(entries, D + timedelta(days=30)) == "recovered"


def test_default_taxonomy_has_two_levels_and_controllability():
    tax = risks.parse_taxonomy(None)
    assert tax.get("Budget").controllable is False
    assert tax.get("adoption/low-usage").controllable is True
    assert tax.get("adoption/low-usage").primary == "adoption"
    with pytest.raises(InvalidValue, match="Unknown risk reason"):
        tax.get("weather")


def test_taxonomy_from_settings_replaces_the_default():
    tax = risks.parse_taxonomy(
        {"pricing": {"label": "Pricing", "controllable": True, "contributing": {"fx": "FX"}}}
    )
    assert [r.code for r in tax] == ["pricing", "pricing/fx"]
    with pytest.raises(InvalidValue, match="controllable must be true or false"):
        risks.parse_taxonomy({"pricing": {"controllable": "maybe"}})


def test_moves_and_stages_are_checked():
    with pytest.raises(InvalidValue, match="outcome, not a stage"):
        risks.check_stage("lost")
    with pytest.raises(InvalidValue, match="already in stage"):
        risks.check_move("saving", "saving", 3)
    with pytest.raises(InvalidValue, match="is closed"):
        risks.check_move("recovered", "saving", 3)
    assert risks.check_stage("Plan in place") == "plan-in-place"
