"""`csmctl today`: the ranked queue on a real book, its boundaries under --as-of, its JSON."""

from __future__ import annotations

import json

import pytest

from tests.cli.health_book import fill


@pytest.fixture
def book(cli):
    fill(cli, cli.db_path)  # the SQLite file or the PostgreSQL URL of this run
    return cli


def _queue(cli, *args, as_of="2026-11-23"):
    return [
        (r["kind"], r["account"], r["due"])
        for r in json.loads(cli.ok("today", "-f", "json", *args, as_of=as_of).stdout)
    ]


def test_the_queue_ranked(book):
    assert _queue(book) == [
        ("follow_up", "Acme Corp", "2026-11-20"),
        ("onboarding", "Beta Labs", "2026-11-20"),
        ("notice", "Beta Labs", "2026-11-26"),
        ("onboarding", "Beta Labs", "2026-11-23"),
        ("health", "Beta Labs", "2026-11-23"),
        ("renewal", "Beta Labs", "2026-12-03"),
        ("stale", "Acme Corp", "2026-11-15"),
        ("health", "Acme Corp", "2026-11-23"),
        ("stale", "Beta Labs", "2026-11-23"),
        ("stale", "Gamma Co", "2026-11-23"),
    ]


def test_json_shape_and_owner(book):
    rows = json.loads(book.ok("today", "--owner", "Dana Reyes", "--limit", "2", "-f", "json").stdout)
    assert rows == [
        {
            "rank": 1,
            "kind": "follow_up",
            "account_id": 1,
            "account": "Acme Corp",
            "owner": "Dana Reyes",
            "due": "2026-11-20",
            "days": -3,
            "urgency": 0,
            "why": "follow-up 3 days overdue: Chase the pricing decision",
            "command": "csmctl follow-up done 1",
            "ref": 1,
        },
        {
            "rank": 2,
            "kind": "stale",
            "account_id": 1,
            "account": "Acme Corp",
            "owner": "Dana Reyes",
            "due": "2026-11-15",
            "days": -8,
            "urgency": 2,
            "why": "no contact for 22 days (cadence 14d, 8 days over)",
            "command": 'csmctl touch "Acme Corp" "Check-in" --kind call',
            "ref": None,
        },
    ]


def test_table_lines_say_why_and_what_to_run(book):
    out = book.ok("today", "--limit", "3").stdout.splitlines()
    assert out[0].split() == ["#", "ACCOUNT", "OWNER", "WHY", "ACT"]
    assert out[3].startswith(
        "3  Beta Labs  Lee Park    notice deadline in 3 days (2026-11-26), renewal 2026-12-03 (auto-renews)"
    )
    assert out[3].endswith('csmctl brief "Beta Labs"')
    result = book.ok("today", "--limit", "3")
    assert result.stderr == "7 more: --limit 10 shows them all.\n"


def test_a_limit_cuts_the_ranked_queue_in_every_format(book):
    whole = json.loads(book.ok("today", "-f", "json").stdout)
    assert json.loads(book.ok("today", "--limit", "4", "-f", "json").stdout) == whole[:4]
    table = book.ok("today", "--limit", "4").stdout.splitlines()[1:]
    assert [line.split()[0] for line in table] == ["1", "2", "3", "4"]


def test_today_reads_each_input_once(book):
    """The open risks feed both the health score and the queue's own risk lines: one read; so do
    the open follow-ups (the queue's lines, and the health input counts the overdue ones). The
    trend's last snapshot before today (what `health` shows) is not read at all."""
    import re

    import sqlalchemy as sa

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        book.ok("today", "-f", "json")
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert len([s for s in seen if re.search(r"\bFROM risk\b", s)]) == 1, seen
    assert len([s for s in seen if "FROM health_snapshot" in s]) == 1, seen  # the fall window's first
    assert len([s for s in seen if "follow_up_date" in s]) == 1, seen


def test_health_lines_in_today_are_the_scores_of_health(book):
    """The scores today ranks on are `health`'s (the overdue follow-ups it counts from its own
    list of open ones included): every red account has its line, with the same score."""
    health = {r["account"]: r for r in json.loads(book.ok("health", "-f", "json").stdout)}
    lines = [i for i in json.loads(book.ok("today", "-f", "json").stdout) if i["kind"] == "health"]
    assert {i["account"] for i in lines} >= {a for a, r in health.items() if r["band"] == "red"} != set()
    for line in lines:
        assert line["why"].startswith(f"health {health[line['account']]['score']}"), line


def test_boundaries_under_as_of(book):
    # The follow-up is due 2026-11-20: listed from that day, not the day before.
    assert ("follow_up", "Acme Corp", "2026-11-20") not in _queue(book, as_of="2026-11-19")
    assert _queue(book, as_of="2026-11-20")[0] == ("follow_up", "Acme Corp", "2026-11-20")
    # Beta's notice deadline 2026-11-26 enters the 14-day window on 2026-11-12, and leaves after the day.
    assert ("notice", "Beta Labs", "2026-11-26") not in _queue(book, as_of="2026-11-11")
    assert ("notice", "Beta Labs", "2026-11-26") in _queue(book, as_of="2026-11-12")
    assert ("notice", "Beta Labs", "2026-11-26") in _queue(book, as_of="2026-11-26")
    assert ("notice", "Beta Labs", "2026-11-26") not in _queue(book, as_of="2026-11-27")
    # Acme renews 2026-12-13; its last call (2026-11-01) is recent until 2026-12-01.
    assert ("renewal", "Acme Corp", "2026-12-13") not in _queue(book, as_of="2026-12-01")
    assert ("renewal", "Acme Corp", "2026-12-13") in _queue(book, as_of="2026-12-02")
    # Acme's cadence is 14 days from the call on 2026-11-01 (the note on 11-20 is not contact).
    assert ("stale", "Acme Corp", "2026-11-15") not in _queue(book, as_of="2026-11-15")
    assert ("stale", "Acme Corp", "2026-11-15") in _queue(book, as_of="2026-11-16")


def test_empty_book(cli):
    cli.ok("db", "init")
    result = cli.ok("today")
    assert result.stdout == "" and result.stderr == "Nothing needs you today.\n"
    assert cli.ok("today", "-f", "json").stdout == "[]\n"


def test_demo_today(demo_cli):
    rows = json.loads(demo_cli.ok("today", "-f", "json").stdout)
    assert rows and [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["why"] and r["command"].startswith("csmctl ") for r in rows)
