from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain import touchpoints as tp
from csmctl.errors import InvalidValue

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
days = st.integers(min_value=0, max_value=800)
cadences = st.integers(min_value=1, max_value=366)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


# -- staleness --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "stale", "over"), [(13, False, 0), (14, False, 0), (15, True, 1), (40, True, 26)]
)
def test_the_boundary_day_is_on_time(since, stale, over):
    item = tp.staleness(TODAY - timedelta(days=since), 14, TODAY)
    assert (item.stale, item.days_over, item.days_since) == (stale, over, since)
    assert item.due == TODAY - timedelta(days=since - 14)


def test_never_contacted_is_stale_without_days_over():
    item = tp.staleness(None, 30, TODAY)
    assert item.stale and item.days_over is None and item.due is None


@given(last=dates, cadence=cadences, today=dates)
def test_stale_exactly_when_past_the_due_day(last, cadence, today):
    item = tp.staleness(last, cadence, today)
    assert item.stale == (today > last + timedelta(days=cadence))
    assert item.days_over >= 0
    if item.stale:
        assert today == item.due + timedelta(days=item.days_over)


@given(last=dates, cadence=cadences, today=dates)
def test_on_time_since_agrees_with_staleness(last, cadence, today):
    # stale_accounts skips staleness() for contacts on or after on_time_since: the two must agree
    assert (last >= tp.on_time_since(cadence, today)) == (not tp.staleness(last, cadence, today).stale)


@given(last=dates, cadence=cadences, today=dates, extra=st.integers(min_value=0, max_value=100))
def test_a_later_contact_never_makes_an_account_more_stale(last, cadence, today, extra):
    earlier = tp.staleness(last, cadence, today)
    later = tp.staleness(last + timedelta(days=extra), cadence, today)
    assert later.days_over <= earlier.days_over


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["strategic", "enterprise", "mid-market", "smb", "scaled", None]),
            st.one_of(st.none(), cadences),
            st.one_of(st.none(), days),
        ),
        max_size=30,
    )
)
def test_stale_accounts_sorted_never_first_then_most_over(rows):
    records = tp.stale_accounts(
        [
            (i, f"a{i}", None, tier, override, None if ago is None else TODAY - timedelta(days=ago))
            for i, (tier, override, ago) in enumerate(rows)
        ],
        tp.Rules(),
        TODAY,
    )
    expected = sum(
        1 for tier, override, ago in rows if ago is None or ago > tp.Rules().cadence_for(tier, override)
    )
    assert len(records) == expected
    keys = [(r["last_contact"] is not None, -(r["days_over"] or 0)) for r in records]
    assert keys == sorted(keys)
    assert all(r["days_over"] is None or r["days_over"] > 0 for r in records)


@given(
    rows=st.lists(
        st.tuples(st.one_of(st.none(), cadences), st.one_of(st.none(), days)),
        max_size=30,
    )
)
def test_stale_entries_hold_plain_values_and_their_records_are_staleness(rows):
    """An entry holds ints, strings and None only (the sort pickles them when it spills; a date
    costs pickle several times more); its record is ``staleness()`` of the row, keys in order."""
    book = [
        (i, f"A{i}", "Dana", "smb", own, None if ago is None else TODAY - timedelta(days=ago))
        for i, (own, ago) in enumerate(rows)
    ]
    entries = list(tp.stale_entries(book, tp.Rules(), TODAY))
    for entry in entries:
        assert all(value is None or type(value) in (int, str) for value in entry), entry
        record = tp.stale_record(entry)
        assert tuple(record) == tp.STALE_KEYS
        row = book[entry[3]]
        item = tp.staleness(row[5], tp.Rules().cadence_for(row[3], row[4]), TODAY)
        assert record == {
            "account_id": row[0],
            "account": row[1],
            "owner": row[2],
            "tier": row[3],
            **item._asdict(),
        }


def test_cadence_defaults_override_and_fallback():
    rules = tp.Rules()
    assert [rules.cadence_for(t) for t in ("enterprise", "mid-market", "smb", "strategic", "scaled")] == [
        14,
        30,
        60,
        14,
        90,
    ]
    assert rules.cadence_for("enterprise", 45) == 45
    assert rules.cadence_for(None) == tp.FALLBACK_CADENCE


# -- configuration ------------------------------------------------------------------------------


def test_rules_from_config():
    rules = tp.rules_from_config(
        {"enterprise": "3w", "smb": 45},
        {"kinds": ["call", "Slack Chat", "note", "internal"], "non_contact_kinds": ["note", "internal"]},
    )
    assert (
        rules.cadence["enterprise"] == 21 and rules.cadence["smb"] == 45 and rules.cadence["mid-market"] == 30
    )
    assert rules.kinds == ("call", "slack-chat", "note", "internal")
    assert [k for k in rules.kinds if rules.counts_as_contact(k, planned=False)] == ["call", "slack-chat"]
    assert not rules.counts_as_contact("call", planned=True)
    assert tp.rules_from_config(None, None) == tp.Rules()


@pytest.mark.parametrize(
    ("cadence", "section", "message"),
    [
        ({"gold": "14d"}, None, "[cadence] in config.toml names an unknown tier 'gold'."),
        ({"smb": "0d"}, None, "Invalid [cadence] smb in config.toml '0d': must be 1 to 366 days."),
        (None, {"kinds": "call"}, "[touchpoints] kinds in config.toml must be a list of names."),
        (
            None,
            {"non_contact_kinds": ["memo"]},
            "[touchpoints] non_contact_kinds in config.toml names kinds not in kinds: memo.",
        ),
        ("14d", None, "[cadence] in config.toml must be a table."),
    ],
)
def test_bad_config_is_named(cadence, section, message):
    with pytest.raises(InvalidValue) as caught:
        tp.rules_from_config(cadence, section)
    assert caught.value.message == message


# -- follow-ups ---------------------------------------------------------------------------------


@given(due=dates, today=dates)
def test_every_open_follow_up_has_exactly_one_bucket(due, today):
    bucket = tp.followup_bucket(due, today)
    assert [due < today, due == today, due > today] == [b == bucket for b in tp.BUCKETS]


@given(due=dates, today=dates, within=st.integers(min_value=0, max_value=400))
def test_overdue_and_due_are_never_hidden_by_the_window(due, today, within):
    shown = tp.in_window(due, today, within_days=within, buckets=tp.BUCKETS)
    assert shown == (due <= today or (due - today).days <= within)


def test_snooze_rules():
    assert tp.snooze_date(TODAY + timedelta(days=3), TODAY - timedelta(days=5), TODAY) == TODAY + timedelta(
        days=3
    )
    with pytest.raises(InvalidValue, match="before today"):
        tp.snooze_date(TODAY - timedelta(days=1), TODAY - timedelta(days=5), TODAY)


# -- values -------------------------------------------------------------------------------------


def test_when_forms():
    assert tp.parse_when("today", today=TODAY, now=NOW) == NOW
    assert tp.parse_when("-2d", today=TODAY, now=NOW) == datetime(2026, 11, 21, 12, tzinfo=UTC)
    assert tp.parse_when("2026-11-20T14:30", today=TODAY, now=NOW) == datetime(
        2026, 11, 20, 14, 30, tzinfo=UTC
    )
    assert tp.parse_when("2026-11-20T14:30+02:00", today=TODAY, now=NOW) == datetime(
        2026, 11, 20, 12, 30, tzinfo=UTC
    )
    # --as-of in the past: "today" is that day at noon, not the real clock
    assert tp.parse_when("today", today=date(2026, 1, 5), now=NOW) == datetime(2026, 1, 5, 12, tzinfo=UTC)
    with pytest.raises(InvalidValue, match="Invalid when '2026-11-20T25:00'"):
        tp.parse_when("2026-11-20T25:00", today=TODAY, now=NOW)


@given(ago=st.integers(min_value=-400, max_value=400), planned=st.booleans())
def test_future_needs_planned(ago, planned):
    when = datetime.combine(TODAY - timedelta(days=ago), tp.NOON, tzinfo=UTC)
    problems = tp.check_touchpoint({"occurred_at": when, "planned": planned}, today=TODAY)
    assert bool(problems) == (ago < 0 and not planned)


@given(gap=st.integers(min_value=-60, max_value=60))
def test_follow_up_not_before_its_touchpoint(gap):
    when = datetime(2026, 11, 1, 23, 59, tzinfo=UTC)
    problems = tp.check_touchpoint(
        {"occurred_at": when, "follow_up_date": when.date() + timedelta(days=gap)}, today=TODAY
    )
    assert [p.field for p in problems] == (["follow_up_date"] if gap < 0 else [])


def test_parse_fields_collects_every_problem():
    values, problems = tp.parse_fields(
        {"kind": "chat", "sentiment": "meh", "summary": " ", "tags": "ok"}, tp.Rules(), today=TODAY, now=NOW
    )
    assert values == {"tags": ["ok"]}
    assert [(p.field, p.message) for p in problems] == [
        ("kind", "Unknown kind 'chat'."),
        ("sentiment", "Unknown sentiment 'meh'."),
        ("summary", "summary is required."),
    ]


def test_contact_refs():
    assert tp.contact_refs("Ana Moreau; ben@x.example ;;Ana Moreau") == ["Ana Moreau", "ben@x.example"]
    assert tp.contact_refs(["Ana", " Ben  Ito "]) == ["Ana", "Ben Ito"]
    assert tp.contact_refs(None) == []
