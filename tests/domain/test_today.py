"""The today queue's rules at their boundaries, and its ranking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain import today as t

TODAY = date(2026, 11, 23)


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def account(**kw):
    base = {
        "id": 1,
        "name": "Acme",
        "owner": "Dana",
        "renewal_date": None,
        "notice_days": None,
        "auto_renew": False,
        "last_contact": None,
        "cadence": 14,
        "score": None,
        "band": None,
        "earlier_score": None,
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    "days, urgency", [(0, 0), (3, 0), (4, 1), (7, 1), (8, 2), (14, 2), (15, None), (-1, None)]
)
def test_notice_deadlines_inside_14_days(days, urgency):
    item = t.notice(account(renewal_date=day(days + 90), notice_days=90), TODAY)
    assert (item.urgency if item else None) == urgency
    if item:
        assert item.due == day(days) and item.command == "csmctl brief Acme"


def test_no_notice_item_without_notice_days():
    assert t.notice(account(renewal_date=day(5), notice_days=0), TODAY) is None


@pytest.mark.parametrize("days, listed", [(-1, False), (0, True), (30, True), (31, False)])
def test_renewals_inside_30_days_without_recent_contact(days, listed):
    assert (t.renewal(account(renewal_date=day(days)), None, TODAY) is not None) is listed


@pytest.mark.parametrize("ago, listed", [(30, False), (31, True)])
def test_a_contact_in_the_last_30_days_counts_as_recent(ago, listed):
    item = t.renewal(account(renewal_date=day(10)), day(-ago), TODAY)
    assert (item is not None) is listed
    if item:
        assert item.why == "renews in 10 days (2026-12-03), last contact 31 days ago"


@pytest.mark.parametrize("days, urgency", [(-1, 0), (0, 1), (1, None)])
def test_follow_ups_overdue_or_due_today(days, urgency):
    row = {
        "id": 7,
        "account_id": 1,
        "account": "Acme",
        "owner": None,
        "follow_up_date": day(days),
        "follow_up_text": "send the SOW",
        "summary": "call",
    }
    item = t.follow_up(row, TODAY)
    assert (item.urgency if item else None) == urgency
    if days == -1:
        assert item.why == "follow-up 1 day overdue: send the SOW"
        assert item.command == "csmctl follow-up done 7"


@pytest.mark.parametrize("days, urgency", [(-3, 0), (0, 1), (1, None)])
def test_onboarding_tasks_due_or_overdue(days, urgency):
    row = {
        "id": 3,
        "position": 4,
        "name": "Admin training",
        "due": day(days),
        "account_id": 1,
        "account": "Margie's Travel",
        "owner": None,
    }
    item = t.onboarding_task(row, TODAY)
    assert (item.urgency if item else None) == urgency
    if item:
        assert item.command == 'csmctl onboard task done "Margie\'s Travel" 4'


@pytest.mark.parametrize("ago, urgency", [(14, None), (15, 2), (27, 2), (28, 1)])
def test_stale_past_the_cadence(ago, urgency):
    item = t.stale(account(), day(-ago), 14, TODAY, book_has_contact=True)
    assert (item.urgency if item else None) == urgency


def test_never_contacted_is_stale_only_once_the_book_logs_contact():
    assert t.stale(account(), None, 14, TODAY, book_has_contact=False) is None
    assert (
        t.stale(account(), None, 14, TODAY, book_has_contact=True).why == "no contact recorded (cadence 14d)"
    )


@pytest.mark.parametrize(
    "band, earlier, why",
    [
        ("red", None, "health 40 (red)"),
        ("yellow", 69, None),
        ("yellow", 70, "health 60, down 10 points in 30 days"),
        ("red", 55, "health 40 (red), down 15 points in 30 days"),
    ],
)
def test_red_or_falling_health(band, earlier, why):
    score = 40 if band == "red" else 60
    item = t.health(account(), score, band, earlier, TODAY)
    assert (item.why if item else None) == why


def test_ranking_urgency_then_due_date_then_kind():
    items = t.build_queue(
        TODAY,
        follow_ups=[
            {
                "id": 1,
                "account_id": 2,
                "account": "Beta",
                "owner": None,
                "follow_up_date": day(-2),
                "follow_up_text": None,
                "summary": "call",
            },
            {
                "id": 2,
                "account_id": 3,
                "account": "Gamma",
                "owner": None,
                "follow_up_date": day(0),
                "follow_up_text": "x",
                "summary": "call",
            },
        ],
        tasks=[
            {
                "id": 9,
                "position": 1,
                "name": "Kickoff",
                "due": day(-5),
                "account_id": 4,
                "account": "Delta",
                "owner": None,
            }
        ],
        accounts=[
            account(
                id=5, name="Eps", renewal_date=day(92), notice_days=90, last_contact=day(-1)
            ),  # notice in 2 days: urgent
            account(
                id=6, name="Zeta", renewal_date=day(20), score=40, band="red", last_contact=day(-40)
            ),  # renewal (2), red (1), stale 26d over cadence 14 (1)
            account(id=7, name="Eta", score=80, band="green", last_contact=day(-3)),  # nothing
        ],
        book_has_contact=True,
    )
    assert [(i.kind, i.account, i.urgency) for i in items] == [
        ("onboarding", "Delta", 0),  # overdue 5 days
        ("follow_up", "Beta", 0),  # overdue 2 days
        ("notice", "Eps", 0),  # deadline in 2 days
        ("stale", "Zeta", 1),  # due 26 days ago
        ("follow_up", "Gamma", 1),  # due today
        ("health", "Zeta", 1),  # today, after follow-ups by kind
        ("renewal", "Zeta", 2),
    ]
    record = t.public_item(1, items[0], TODAY)
    assert record == {
        "rank": 1,
        "kind": "onboarding",
        "account_id": 4,
        "account": "Delta",
        "owner": None,
        "due": day(-5),
        "days": -5,
        "urgency": 0,
        "why": "onboarding task 1 5 days overdue: Kickoff",
        "command": "csmctl onboard task done Delta 1",
        "ref": 9,
    }


def test_quote():
    assert t.quote("Acme") == "Acme"
    assert t.quote("Margie's Travel") == '"Margie\'s Travel"'
    assert t.quote('A "B" $x') == '"A \\"B\\" \\$x"'


_items = st.builds(
    t.Item,
    kind=st.sampled_from(t.KINDS),
    account_id=st.integers(1, 5),
    account=st.sampled_from(["Acme", "acme", "Beta", "Zeta"]),
    owner=st.none(),
    due=st.integers(-3, 3).map(day),
    urgency=st.integers(0, 2),
    words=st.just(lambda: ("why", "csmctl")),
    ref=st.one_of(st.none(), st.integers(1, 3)),
)


@given(st.lists(_items, max_size=40), st.one_of(st.none(), st.integers(1, 45)))
def test_first_is_the_ranked_queue_cut_at_the_limit(items, limit):
    """Only ``limit`` items held, yet the same lines as ranking them all and cutting, ties
    (equal sort keys) in the order they came; the total counts every item."""
    top, total = t.first(iter(items), limit)
    assert top == t.rank(items)[:limit]
    assert total == len(items)


def test_only_the_lines_shown_are_put_in_words():
    """A whole owner's queue is ranked on its facts; the words (why, command) of the lines a
    limit cuts are never written."""
    worded: list[str] = []
    rows = [account(id=n, name=f"Acct {n:02d}", last_contact=day(-40 - n)) for n in range(20)]
    items = list(t.candidates(TODAY, follow_ups=[], tasks=[], accounts=rows, book_has_contact=True))
    for item in items:
        object.__setattr__(
            item, "words", lambda item=item, said=item.words: worded.append(item.account) or said()
        )
    top, total = t.first(iter(items), 3)
    lines = [t.public_item(n, i, TODAY) for n, i in enumerate(top, 1)]
    assert total == 20 and len(lines) == 3
    assert sorted(worded) == ["Acct 17", "Acct 18", "Acct 19"]  # the most overdue, each once
    assert lines[0]["why"] == "no contact for 59 days (cadence 14d, 45 days over)"
