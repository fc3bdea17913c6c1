"""Renewal windows, notice deadlines, outcome rules and periods: pure functions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.money import Money
from csmctl.domain.periods import parse_period
from csmctl.domain.renewals import (
    bucket_for,
    build_renewals,
    findings,
    group_buckets,
    notice_status,
    parse_fail_on,
    plan_outcome,
)
from csmctl.errors import InvalidValue

TODAY = date(2026, 11, 23)


def row(
    id_, name, renewal, *, arr=100_00, currency="USD", auto=False, notice=None, stage="adoption", tags=""
):
    return {
        "id": id_,
        "name": name,
        "owner": "Dana",
        "tier": "smb",
        "stage": stage,
        "arr_minor": arr,
        "currency": currency,
        "renewal_date": renewal,
        "auto_renew": auto,
        "notice_days": notice,
        "term_months": 12,
        "tags": tags,
    }


@pytest.mark.parametrize(
    "days, bucket",
    [
        (-400, "overdue"),
        (-1, "overdue"),
        (0, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-120"),
        (120, "91-120"),
        (121, "121+"),
    ],
)
def test_bucket_edges(days, bucket):
    assert bucket_for(days) == bucket


@given(st.integers(-10_000, 10_000))
def test_every_day_falls_in_exactly_one_bucket(days):
    from csmctl.domain.renewals import BUCKETS

    hits = [k for k, lo, hi in BUCKETS if (lo is None or days >= lo) and (hi is None or days <= hi)]
    assert hits == [bucket_for(days)]


def test_notice_status_flags_passed_and_within_14_days():
    assert notice_status(date(2026, 11, 22), TODAY) == "passed"
    assert notice_status(TODAY, TODAY) == "soon"
    assert notice_status(date(2026, 12, 7), TODAY) == "soon"  # 14 days
    assert notice_status(date(2026, 12, 8), TODAY) is None
    assert notice_status(None, TODAY) is None


def test_rows_buckets_totals_and_findings():
    rows = build_renewals(
        [
            row(1, "Late", date(2026, 11, 1)),
            row(2, "Auto", date(2026, 11, 20), auto=True),
            row(3, "Soon", date(2026, 12, 20), notice=30, currency="EUR", arr=50_00),
            row(4, "Risky", date(2026, 12, 23), stage="at-risk", arr=70_00),
            row(5, "Tagged", date(2027, 1, 30), tags=",renewal-risk,"),
        ],
        TODAY,
    )
    by_name = {r["name"]: r for r in rows}
    assert by_name["Late"]["status"] == "overdue"
    assert by_name["Auto"]["status"] == "auto-renewed?"
    assert by_name["Soon"]["notice_deadline"] == date(2026, 11, 20)
    assert by_name["Soon"]["notice"] == "passed"
    buckets = {b.key: b for b in group_buckets(rows)}
    assert list(buckets) == ["overdue", "0-30", "31-60", "61-90", "91-120"]
    assert buckets["0-30"].totals == {"EUR": Money(50_00, "EUR"), "USD": Money(70_00, "USD")}
    found = findings(rows)
    assert [r["name"] for r in found["overdue"]] == ["Late", "Auto"]
    assert [r["name"] for r in found["notice"]] == ["Soon"]
    assert [r["name"] for r in found["at-risk"]] == ["Risky", "Tagged"]


def test_health_band_hook():
    rows = build_renewals([row(1, "A", date(2026, 12, 1))], TODAY, health={1: "red"})
    assert rows[0]["health_band"] == "red" and rows[0]["at_risk"]


def test_fail_on_parsing():
    assert parse_fail_on(["overdue,notice", "overdue"]) == ["overdue", "notice"]
    with pytest.raises(InvalidValue, match="Unknown --fail-on value 'late'"):
        parse_fail_on(["late"])


def plan(outcome, after=None, before=100_00, term=None, renewal=date(2026, 12, 1), on=TODAY):
    return plan_outcome(
        outcome=outcome,
        on=on,
        today=TODAY,
        arr_before=Money(before, "USD"),
        arr_after=None if after is None else Money(after, "USD"),
        term_months=term,
        renewal_date=renewal,
        account_term=12,
    )


def test_outcomes_roll_the_date_or_archive():
    assert plan("renewed").new_renewal_date == date(2027, 12, 1)
    assert plan("renewed").arr_after == Money(100_00, "USD")
    assert plan("expanded", 150_00, term=24).new_renewal_date == date(2028, 12, 1)
    churn = plan("churned")
    assert churn.archive and churn.new_renewal_date is None and churn.arr_after.amount_minor == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (("expanded", 90_00), "'expanded' needs a higher ARR"),
        (("contracted", 110_00), "'contracted' needs a lower, non-zero ARR"),
        (("contracted", 0), "'contracted' needs a lower, non-zero ARR"),
        (("renewed", 120_00), "is 'expanded' or 'contracted'"),
        (("churned", 5_00), "A churned account keeps no ARR"),
        (("expanded", -5), "cannot be negative"),
        (("expanded",), "needs the new ARR"),
        (("won",), "Unknown outcome 'won'"),
    ],
)
def test_outcome_rules(args, message):
    with pytest.raises(InvalidValue, match=message.replace("(", r"\(")):
        plan(*args)


def test_outcome_in_the_future_is_refused():
    with pytest.raises(InvalidValue, match="in the future"):
        plan("renewed", on=date(2026, 11, 24))


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-01-15..2026-03-01", date(2026, 1, 15), date(2026, 3, 1)),
        ("-30d..today", date(2026, 10, 24), TODAY),
        (None, date(2025, 11, 24), TODAY),
    ],
)
def test_periods(text, start, end):
    period = parse_period(text, TODAY)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026-13", "Q3", "last year", "2026-03-01..2026-01-01", "..2026"]
)
def test_bad_periods(text):
    with pytest.raises(InvalidValue, match="Invalid period"):
        parse_period(text, TODAY)


_TAG_WORDS = st.sampled_from(["renewal-risk", "renewal-risk-2", "risk", "exec", "renewal", "a:b"])


@given(st.lists(_TAG_WORDS, unique=True), st.sampled_from(["renewal-risk", "risk", "renewal", "exec"]))
def test_has_tag_agrees_with_load_tags_on_the_stored_form(items, tag):
    """``has_tag`` (the per-row test the renewal listing uses) is ``tag in load_tags(stored)``:
    a tag that only starts or ends like another ("renewal-risk-2", "risk") never matches."""
    from csmctl.domain import fields

    stored = fields.store_tags(items)
    assert fields.has_tag(stored, tag) is (tag in fields.load_tags(stored))
    assert fields.has_tag(None, tag) is False


# -- streaming: the listing's rows one at a time, and each bucket's head first -------------------

_names = st.sampled_from(["Acme", "acme", "ACME ", "Beta", "beta co", "Ärzte", "zeta", "Zeta"])
_rows = st.lists(
    st.tuples(
        _names,
        st.sampled_from([-30, -1, 0, 30, 31, 90, 120, 121, 400]).map(
            lambda d: date.fromordinal(TODAY.toordinal() + d)
        ),
        st.one_of(st.none(), st.integers(0, 10**9)),
        st.sampled_from(["USD", "EUR", "JPY"]),
    ),
    max_size=40,
)


def _book(values):
    return [
        row(i, name, renewal, arr=arr, currency=currency)
        for i, (name, renewal, arr, currency) in enumerate(values, 1)
    ]


def _day_totals(rows):
    """What store.renewals.renewal_day_totals' GROUP BY gives: per date and currency, (date,
    currency, renewals, sum of the known ARR or None, renewals with a known ARR)."""
    groups: dict = {}
    for r in rows:
        count, total, known = groups.get((r["renewal_date"], r["currency"]), (0, None, 0))
        if r["arr_minor"] is not None:
            total, known = (total or 0) + r["arr_minor"], known + 1
        groups[r["renewal_date"], r["currency"]] = (count + 1, total, known)
    return [(*key, *value) for key, value in groups.items()]


@given(_rows)
def test_iter_renewals_of_date_ordered_rows_equals_build_renewals(values):
    from csmctl.domain.renewals import iter_renewals

    rows = _book(values)
    by_date = sorted(rows, key=lambda r: r["renewal_date"])  # what renewal_query's ORDER BY gives
    assert list(iter_renewals(by_date, TODAY)) == build_renewals(rows, TODAY)


@given(_rows)
def test_bucket_heads_are_group_buckets_without_their_rows(values):
    from csmctl.domain.renewals import bucket_heads

    rows = _book(values)
    buckets = group_buckets(build_renewals(rows, TODAY))
    heads = bucket_heads(_day_totals(rows), TODAY)
    assert [head.as_dict([]) for head in heads] == [{**b.as_dict(), "renewals": []} for b in buckets]


def test_build_renewals_lists_by_date_then_folded_name_then_id():
    rows = [
        row(3, "beta", date(2026, 12, 1)),
        row(1, "Beta", date(2026, 12, 1)),
        row(2, "Acme", date(2026, 12, 2)),
        row(4, "alpha", date(2026, 12, 1)),
    ]
    assert [r["id"] for r in build_renewals(rows, TODAY)] == [4, 1, 3, 2]


_table_rows = st.lists(
    st.tuples(
        _names,
        st.sampled_from([-30, -1, 0, 13, 14, 15, 30, 31, 90, 120, 121, 400]).map(
            lambda d: date.fromordinal(TODAY.toordinal() + d)
        ),
        st.one_of(st.none(), st.integers(0, 10**9)),
        st.sampled_from(["USD", "EUR", "JPY"]),
        st.booleans(),
        st.sampled_from([None, 0, 1, 14, 30, 90]),
        st.sampled_from([None, "Dana", "Lee"]),
    ),
    max_size=40,
)


@given(_table_rows, st.sampled_from([0, 7, 14, 30]))
def test_table_renewals_are_the_listings_renewals_cut_to_the_tables_fields(values, warning_days):
    """The table's tuples are the values renewal_row gives TABLE_FIELDS, in the listing's order and
    its buckets: the table and the JSON listing share one set of rules."""
    from csmctl.domain.renewals import TABLE_FIELDS, TABLE_READS, iter_renewals, table_buckets

    rows = [
        {**row(i, name, renewal, arr=arr, currency=currency, auto=auto, notice=notice), "owner": owner}
        for i, (name, renewal, arr, currency, auto, notice, owner) in enumerate(values, 1)
    ]
    by_date = sorted(rows, key=lambda r: r["renewal_date"])  # what renewal_query's ORDER BY gives
    tuples = [tuple(r[c] for c in TABLE_READS) for r in by_date]
    listed = iter_renewals(by_date, TODAY, warning_days=warning_days)
    expected = [(r["bucket"], tuple(r[f] for f in TABLE_FIELDS)) for r in listed]
    shown = []
    for renewals, head in table_buckets(tuples, TODAY, warning_days):
        read = list(renewals)
        shown += [(head().key, renewal) for renewal in read]
    assert shown == expected


@given(_rows)
def test_table_buckets_count_the_heads_bucket_heads_gives(values):
    """A table's buckets, counted as their renewals pass, have the heads (count, totals, unknown
    ARR) that bucket_heads gives from the per-date totals, the empty buckets left out."""
    from csmctl.domain.renewals import TABLE_READS, bucket_heads, table_buckets

    rows = _book(values)
    by_date = sorted(rows, key=lambda r: r["renewal_date"])
    tuples = [tuple(r[c] for c in TABLE_READS) for r in by_date]
    expected = [h for h in bucket_heads(_day_totals(rows), TODAY) if h.count]
    counted = []
    for renewals, head in table_buckets(tuples, TODAY):
        assert len(list(renewals)) == head().count
        counted.append(head())
    assert counted == expected
