from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.dates import Offset, add_months, parse_date, parse_duration, parse_offset
from csmctl.errors import InvalidValue

TODAY = date(2026, 1, 31)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 2, 1)),
        ("yesterday", date(2026, 1, 30)),
        ("+30d", date(2026, 3, 2)),
        ("30d", date(2026, 3, 2)),
        ("-2w", date(2026, 1, 17)),
        ("+1m", date(2026, 2, 28)),  # clamps to the end of February
        ("+3m", date(2026, 4, 30)),
        ("-1y", date(2025, 1, 31)),
    ],
)
def test_parse_date_forms(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["March 2020", "2026-13-01", "+30x", "", "soon", "+999999d"])
def test_parse_date_rejects_with_accepted_forms(text):
    with pytest.raises(InvalidValue) as error:
        parse_date(text, TODAY, what="renewal date")
    assert "renewal date" in error.value.message
    assert error.value.hint is None or "YYYY-MM-DD" in error.value.hint


@pytest.mark.parametrize("text", ["+5bd", "+1y", "+2w", "-3m"])
def test_one_offset_grammar_for_dates_spans_and_playbooks(text):
    """Regression: `+1y` was a date but not a playbook offset, `+5bd` the other way round."""
    offset = parse_offset(text)
    assert parse_date(text, TODAY) == offset.after(TODAY)
    if offset.amount >= 0:
        assert parse_duration(text) == offset


def test_one_error_wording_for_every_offset():
    for parse in (
        parse_offset,
        lambda t, what: parse_duration(t, what=what),
        lambda t, what: parse_date(t, TODAY, what=what),
    ):
        with pytest.raises(InvalidValue) as error:
            parse("+5x", what="due")
        assert error.value.message == "Invalid due '+5x'."


def test_leap_day_plus_one_year_is_feb_28():
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_parse_duration():
    assert parse_duration("90d") == Offset(90, "d")
    assert parse_duration("2w").calendar_days() == 14
    assert parse_duration("+3m") == Offset(3, "m")
    assert parse_duration("1y").after(TODAY) == date(2027, 1, 31)
    assert parse_duration("5bd").after(TODAY) == date(2026, 2, 6)  # Sat -> Fri a week on
    with pytest.raises(InvalidValue):
        parse_duration("-3d")
    with pytest.raises(InvalidValue):
        parse_duration("three days")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)), st.integers(-1200, 1200))
def test_add_months_lands_in_the_right_month_and_never_overflows_the_day(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day


def test_one_not_in_future_rule_for_touchpoints_tasks_and_outcomes():
    """Touchpoints, onboarding tasks and renewal outcomes share one rule and one message."""
    from datetime import UTC, datetime

    from csmctl.domain.dates import check_not_future
    from csmctl.domain.touchpoints import check_future

    today = date(2026, 11, 23)
    check_not_future(today, today, what="x", hint="h")  # today itself is fine
    with pytest.raises(InvalidValue) as caught:
        check_not_future(date(2026, 11, 24), today, what="--date", hint="h")
    assert caught.value.message == "--date 2026-11-24 is in the future (today is 2026-11-23)."
    with pytest.raises(InvalidValue) as caught:
        check_future(datetime(2026, 11, 24, 12, tzinfo=UTC), planned=False, today=today)
    assert caught.value.message.endswith("2026-11-24 is in the future (today is 2026-11-23).")
