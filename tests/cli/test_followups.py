"""`csmctl follow-up list/done/snooze`: buckets, windows, --as-of replay."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.cli.touchpoint_book import book, book_template  # noqa: F401 (fixtures)


@pytest.fixture
def followups(book):
    book.ok(
        "touch",
        "Acme",
        "Call",
        "--when",
        "2026-11-10",
        "--follow-up",
        "2026-11-20",
        "--follow-up-text",
        "Send deck",
    )
    book.ok(
        "touch",
        "Acme",
        "Email",
        "--when",
        "2026-11-12",
        "--follow-up",
        "2026-11-23",
        "--follow-up-text",
        "Call back",
    )
    book.ok("touch", "Globex", "Call", "--when", "2026-11-15", "--follow-up", "2026-11-26")
    book.ok(
        "touch",
        "Globex",
        "QBR",
        "--when",
        "2026-11-16",
        "--follow-up",
        "2026-12-20",
        "--follow-up-text",
        "Renewal quote",
    )
    return book


def listed(cli, *args, as_of="2026-11-23"):
    return [
        (r["id"], r["bucket"], r["days"])
        for r in json.loads(cli.ok("follow-up", "list", "-f", "json", *args, as_of=as_of).stdout)
    ]


def test_default_is_overdue_due_and_the_next_seven_days(followups):
    assert listed(followups) == [(1, "overdue", -3), (2, "due", 0), (3, "upcoming", 3)]
    assert followups.ok("follow-up", "list").stdout.splitlines() == [
        "ID  DUE         STATUS       DAYS  ACCOUNT    OWNER          FOLLOW-UP",
        " 1  2026-11-20  overdue   3d late  Acme Corp  Dana Reyes     Send deck",
        " 2  2026-11-23  due         today  Acme Corp  Dana Reyes     Call back",
        " 3  2026-11-26  upcoming    in 3d  Globex     Marco Bianchi",
    ]


FILTERS = [
    (["--all"], [1, 2, 3, 4]),
    (["--within", "30d"], [1, 2, 3, 4]),
    (["--within", "2d"], [1, 2]),
    (["--overdue"], [1]),
    (["--due", "--upcoming"], [2, 3]),
    (["--upcoming", "--all"], [3, 4]),
    (["--account", "globex", "--all"], [3, 4]),
    (["--owner", "Dana Reyes"], [1, 2]),
    (["--limit", "2"], [1, 2]),
]


def test_filters(followups):
    for args, ids in FILTERS:
        assert [i for i, _, _ in listed(followups, *args)] == ids, args


def test_the_record(followups):
    record = json.loads(followups.ok("follow-up", "list", "-f", "json", "--overdue").stdout)[0]
    assert record == {
        "id": 1,
        "account_id": 1,
        "account": "Acme Corp",
        "owner": "Dana Reyes",
        "due": "2026-11-20",
        "text": "Send deck",
        "kind": "call",
        "touchpoint_date": "2026-11-10",
        "summary": "Call",
        "bucket": "overdue",
        "days": -3,
    }


def test_done(followups):
    assert followups.ok("follow-up", "done", "1").stderr == "Follow-up of touchpoint 1 done.\n"
    assert [i for i, _, _ in listed(followups)] == [2, 3]
    # A repeat is not an error (one rule for every state change): it says so and changes nothing.
    again = followups("follow-up", "done", "1", as_of="2026-11-25")
    assert (again.exit_code, again.stderr) == (
        0,
        "Follow-up of touchpoint 1 was already done on 2026-11-23; nothing changed.\n",
    )
    record = json.loads(followups.ok("touchpoint", "list", "-f", "json").stdout)
    assert {r["id"]: r["follow_up_done_on"] for r in record}[1] == "2026-11-23"
    followups.ok("touch", "Acme", "No follow-up here", "--when", "2026-11-01")
    none = followups("follow-up", "done", "5")
    assert none.exit_code == 1 and none.stderr.startswith("Error: Touchpoint 5 has no follow-up.")
    assert followups("follow-up", "done", "99").stderr.startswith("Error: No touchpoint with id 99.")


def test_snooze(followups):
    assert (
        followups.ok("follow-up", "snooze", "1", "+3d").stderr
        == "Follow-up of touchpoint 1 moved to 2026-11-26.\n"
    )
    assert listed(followups) == [(2, "due", 0), (1, "upcoming", 3), (3, "upcoming", 3)]
    past = followups("follow-up", "snooze", "2", "2026-11-22")
    assert past.exit_code == 1
    assert past.stderr.startswith("Error: Cannot snooze to 2026-11-22: that is before today (2026-11-23).")
    bad = followups("follow-up", "snooze", "2", "soon")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: Invalid snooze date 'soon'.")
    followups.ok("follow-up", "done", "2")
    assert followups("follow-up", "snooze", "2", "+1d").stderr.startswith(
        "Error: The follow-up of touchpoint 2 is done: there is nothing to snooze."
    )
    followups.ok("follow-up", "snooze", "3", "2026-11-30")
    same = followups("follow-up", "snooze", "3", "2026-11-30")
    assert (same.exit_code, same.stderr) == (
        0,
        "Follow-up of touchpoint 3 was already due 2026-11-30; nothing changed.\n",
    )


def test_as_of_replays_the_past(followups):
    before = followups.ok("follow-up", "list", "-f", "json", "--all", as_of="2026-11-14").stdout
    # as of 11-14 only the touchpoints logged by then exist; both follow-ups are upcoming
    assert [(r["id"], r["bucket"]) for r in json.loads(before)] == [(1, "upcoming"), (2, "upcoming")]
    followups.ok("follow-up", "done", "1")
    followups.ok("follow-up", "snooze", "2", "+5d")  # today is 11-23: moved to 11-28
    followups.ok("touch", "Acme", "Later call", "--when", "2026-11-22", "--follow-up", "2026-11-24")
    # done later still reads as open on an earlier day; later touchpoints stay out of the past
    replay = json.loads(followups.ok("follow-up", "list", "-f", "json", "--all", as_of="2026-11-14").stdout)
    assert [(r["id"], r["due"]) for r in replay] == [(1, "2026-11-20"), (2, "2026-11-28")]
    assert (
        followups.ok("follow-up", "list", as_of="2026-11-21").stdout
        == followups.ok("follow-up", "list", as_of="2026-11-21").stdout
    )


def test_archived_accounts_are_left_out(followups):
    followups.ok("account", "archive", "Globex")
    assert [i for i, _, _ in listed(followups, "--all")] == [1, 2]


def test_demo_has_overdue_follow_ups(demo_cli):
    overdue = json.loads(demo_cli.ok("follow-up", "list", "-f", "json", "--overdue").stdout)
    assert [(r["account"], r["days"]) for r in overdue] == [
        ("Proseware Analytics", -9),
        ("Northwind Logistics", -4),
        ("Contoso Health", -2),
    ]


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
@pytest.mark.parametrize("horizon", [date(2026, 11, 30), None])
def test_followup_query_plan_uses_the_followup_index(demo_cli, horizon):
    import sqlalchemy as sa

    from csmctl.store.database import Database
    from csmctl.store.touchpoints import open_followups

    database = Database(str(demo_cli.db_path))
    seen: list[tuple] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    try:
        with database.read() as session:
            sa.event.listen(database.engine, "before_cursor_execute", record)
            open_followups(session, date(2026, 11, 23), horizon=horizon)
            sa.event.remove(database.engine, "before_cursor_execute", record)
            [(statement, parameters)] = [s for s in seen if "FROM touchpoint" in s[0]]
            plan = [
                row[3]
                for row in session.connection()
                .exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                .all()
            ]
    finally:
        database.dispose()
    assert [step for step in plan if "touchpoint" in step] == [
        "SEARCH touchpoint USING INDEX ix_touchpoint_followup (follow_up_done=? AND follow_up_date<?)"
    ] * 2, plan
