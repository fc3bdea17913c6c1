"""Onboarding rules: offsets (business days, month ends), state boundaries, progress, TTV."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.dates import Offset, add_business_days, parse_offset
from csmctl.domain.onboarding import (
    BEHIND,
    COMPLETE,
    DONE,
    ON_TRACK,
    OPEN,
    SKIPPED,
    STUCK,
    TaskView,
    assess,
    cohort,
    completed_on,
    due_date,
    next_tasks,
    percentile,
    progress_percent,
    time_to_value,
    ttv_stats,
)
from csmctl.errors import InvalidValue

FRI = date(2026, 11, 20)
SAT = date(2026, 11, 21)
SUN = date(2026, 11, 22)
MON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+0d", Offset(0, "d")),
        ("3d", Offset(3, "d")),
        ("-2d", Offset(-2, "d")),
        ("+2w", Offset(2, "w")),
        ("+1m", Offset(1, "m")),
        ("+5bd", Offset(5, "bd")),
        (" +5 BD ", Offset(5, "bd")),
    ],
)
def test_parse_offset(text, expected):
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["", "5", "+5", "tomorrow", "+5x", "2026-12-01", "+-3d", "+3.5d"])
def test_parse_offset_rejects(text):
    with pytest.raises(InvalidValue, match="Invalid offset"):
        parse_offset(text)


def test_parse_offset_rejects_huge_and_non_text():
    with pytest.raises(InvalidValue, match="at most 3660d"):
        parse_offset("+99999d")
    with pytest.raises(InvalidValue, match="Invalid offset True"):
        parse_offset(True)


@pytest.mark.parametrize(
    ("anchor", "offset", "due"),
    [
        (date(2026, 1, 31), "+1m", date(2026, 2, 28)),  # clamped to a shorter month's end
        (date(2028, 1, 31), "+1m", date(2028, 2, 29)),  # leap year
        (date(2026, 8, 31), "+3m", date(2026, 11, 30)),
        (date(2026, 3, 31), "-1m", date(2026, 2, 28)),
        (date(2026, 12, 31), "+2m", date(2027, 2, 28)),
        (date(2026, 1, 30), "+30d", date(2026, 3, 1)),
        (date(2026, 1, 30), "+2w", date(2026, 2, 13)),
        (FRI, "+1bd", MON),  # over the weekend
        (FRI, "+5bd", date(2026, 11, 27)),
        (FRI, "+6bd", date(2026, 11, 30)),
        (SAT, "+0bd", MON),  # day 0 on a weekend rolls to Monday
        (SUN, "+1bd", MON),  # the first business day after Sunday
        (MON, "-1bd", FRI),
        (MON, "+0bd", MON),
        (MON, "+10bd", date(2026, 12, 7)),
    ],
)
def test_due_dates(anchor, offset, due):
    assert due_date(anchor, offset) == due


def _slow_business_days(day: date, count: int) -> date:
    """Reference implementation: one calendar day at a time."""
    if count == 0:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
    step = 1 if count > 0 else -1
    left = abs(count)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


anchors = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
units = st.sampled_from(["d", "w", "m", "bd"])


@given(anchors, st.integers(0, 500), units)
def test_non_negative_offsets_are_never_before_the_anchor(anchor, amount, unit):
    assert due_date(anchor, Offset(amount, unit)) >= anchor


@given(anchors, st.integers(-500, 500))
def test_business_days_match_the_slow_count_and_skip_weekends(anchor, count):
    due = add_business_days(anchor, count)
    assert due == _slow_business_days(anchor, count)
    assert due.weekday() < 5


@given(anchors, st.integers(0, 200), st.integers(0, 200), units)
def test_a_larger_offset_is_never_earlier(anchor, a, b, unit):
    low, high = sorted((a, b))
    assert due_date(anchor, Offset(low, unit)) <= due_date(anchor, Offset(high, unit))


@given(st.integers(-3660, 3660).map(lambda n: f"{n:+d}d") | st.integers(-120, 120).map(lambda n: f"{n:+d}m"))
def test_offsets_print_back_as_they_parse(text):
    assert str(parse_offset(text)) == text.replace("-0", "+0")


# -- state --------------------------------------------------------------------------------------

ANCHOR = date(2026, 11, 1)


def task(position, due, status=OPEN, done_on=None, **extra):
    return TaskView(position=position, name=f"t{position}", due=due, status=status, done_on=done_on, **extra)


def test_due_today_is_not_overdue_due_yesterday_is():
    tasks = [task(1, date(2026, 11, 20))]
    assert assess(tasks, ANCHOR, date(2026, 11, 20), stuck_days=30).state == ON_TRACK
    assert assess(tasks, ANCHOR, date(2026, 11, 21), stuck_days=30).state == BEHIND


def test_stuck_boundary_counts_from_the_last_done_task():
    tasks = [task(1, date(2026, 11, 2), DONE, date(2026, 11, 5)), task(2, date(2026, 11, 10))]
    # overdue since Nov 11; last activity Nov 5: stuck at 14 idle days (Nov 19), behind before
    assert assess(tasks, ANCHOR, date(2026, 11, 18), stuck_days=14).state == BEHIND
    assert assess(tasks, ANCHOR, date(2026, 11, 18), stuck_days=14).days_idle == 13
    assert assess(tasks, ANCHOR, date(2026, 11, 19), stuck_days=14).state == STUCK
    assert assess(tasks, ANCHOR, date(2026, 11, 19), stuck_days=15).state == BEHIND


def test_stuck_counts_from_the_anchor_when_nothing_is_done():
    tasks = [task(1, date(2026, 11, 3))]
    assert assess(tasks, ANCHOR, date(2026, 11, 14), stuck_days=14).state == BEHIND
    assert assess(tasks, ANCHOR, date(2026, 11, 15), stuck_days=14).state == STUCK


def test_idle_without_overdue_tasks_is_on_track():
    tasks = [task(1, date(2026, 11, 2), DONE, date(2026, 11, 2)), task(2, date(2027, 2, 1))]
    assert assess(tasks, ANCHOR, date(2027, 1, 20), stuck_days=14).state == ON_TRACK


def test_done_when_every_task_is_done_or_skipped_even_if_late():
    tasks = [
        task(1, date(2026, 11, 2), DONE, date(2026, 12, 1)),
        task(2, date(2026, 11, 3), SKIPPED, date(2026, 11, 4)),
    ]
    result = assess(tasks, ANCHOR, date(2027, 6, 1))
    assert (result.state, result.percent, result.overdue) == (COMPLETE, 100, ())
    assert completed_on(tasks, ANCHOR) == date(2026, 12, 1)
    assert completed_on(tasks[:1] + [task(2, date(2026, 11, 3))], ANCHOR) is None


def test_next_tasks_wait_for_their_dependencies():
    tasks = [
        task(1, date(2026, 11, 5)),
        task(2, date(2026, 11, 2), depends_on=(1,)),
        task(3, date(2026, 11, 9)),
    ]
    assert [t.position for t in next_tasks(tasks)] == [1, 3]
    tasks[0] = task(1, date(2026, 11, 5), DONE, date(2026, 11, 5))
    assert [t.position for t in next_tasks(tasks)] == [2, 3]


statuses = st.lists(st.sampled_from([OPEN, DONE, SKIPPED]), min_size=1, max_size=30)


@given(statuses, st.data())
def test_progress_never_falls_as_tasks_are_closed(initial, data):
    tasks = [task(i, ANCHOR, s, ANCHOR if s != OPEN else None) for i, s in enumerate(initial, start=1)]
    before = progress_percent(sum(t.closed for t in tasks), len(tasks))
    open_ones = [i for i, t in enumerate(tasks) if t.status == OPEN]
    for index in data.draw(st.permutations(open_ones)):
        tasks[index] = task(index + 1, ANCHOR, data.draw(st.sampled_from([DONE, SKIPPED])), ANCHOR)
        after = progress_percent(sum(t.closed for t in tasks), len(tasks))
        assert after >= before
        before = after
    assert before == 100
    assert assess(tasks, ANCHOR, ANCHOR).state == COMPLETE


def test_progress_of_4_in_13_is_30_percent():
    assert progress_percent(4, 13) == 30 and progress_percent(0, 0) == 0


@given(statuses)
def test_progress_is_100_only_when_all_are_closed(states):
    tasks = [task(i, ANCHOR, s, ANCHOR if s != OPEN else None) for i, s in enumerate(states, start=1)]
    assert (progress_percent(sum(t.closed for t in tasks), len(tasks)) == 100) == all(
        s != OPEN for s in states
    )
    assert 0 <= progress_percent(sum(t.closed for t in tasks), len(tasks)) <= 100


# -- time to value ------------------------------------------------------------------------------


def test_time_to_value_counts_days_to_the_first_value_milestone():
    first = task(2, date(2026, 12, 1), DONE, date(2026, 12, 4), milestone=True, first_value=True)
    assert time_to_value(ANCHOR, [task(1, ANCHOR), first]) == 33
    skipped = task(2, date(2026, 12, 1), SKIPPED, date(2026, 12, 4), first_value=True)
    assert time_to_value(ANCHOR, [skipped]) is None
    assert time_to_value(ANCHOR, [task(2, date(2026, 12, 1), first_value=True)]) is None


def test_percentiles_interpolate_like_numpy():
    assert percentile([10], 75) == 10
    assert percentile([10, 20], 50) == 15
    assert percentile([30, 10, 20, 40], 50) == 25
    assert percentile([10, 20, 30, 40], 75) == 32.5
    assert percentile([1, 2, 3, 4, 5], 75) == 4


def test_ttv_stats_per_group():
    stats = ttv_stats([("standard", 30), ("low-touch", 20), ("standard", 40), ("standard", 35)])
    assert [(s.group, s.count, s.median, s.p75) for s in stats] == [
        ("low-touch", 1, 20, 20),
        ("standard", 3, 35, 37.5),
    ]
    assert cohort(date(2026, 9, 30)) == "2026-09"


@given(st.lists(st.integers(0, 400), min_size=1, max_size=50))
def test_median_and_p75_are_ordered_and_within_range(values):
    median, p75 = percentile(values, 50), percentile(values, 75)
    assert min(values) <= median <= p75 <= max(values)
