"""JSON Resume dates: text round-trips, and month arithmetic covers what the text says."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.partial_dates import PartialDate, parse_partial_date


@given(
    st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["year", "month", "day"]),
)
def test_text_round_trips_and_months_bracket_the_date(day, precision):
    value = PartialDate(
        day.year, day.month if precision != "year" else None, day.day if precision == "day" else None
    )
    assert parse_partial_date(str(value)) == value and value.precision == precision
    assert value.months() <= day.year * 12 + day.month - 1 <= value.last_month()
    assert value.first_day() <= day


def test_yaml_values():
    assert parse_partial_date(date(2020, 3, 1)) == PartialDate(2020, 3, 1)
    assert parse_partial_date(2020) == PartialDate(2020)
    assert PartialDate(2019).last_month() - PartialDate(2019).months() == 11
