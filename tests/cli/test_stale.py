"""`csmctl stale`: cadence boundaries, what counts as contact, archived accounts, --as-of, the plan."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.cli.touchpoint_book import book, book_template  # noqa: F401 (fixtures)


def stale(cli, *args, as_of="2026-11-23"):
    return json.loads(cli.ok("stale", "-f", "json", *args, as_of=as_of).stdout)


def over(cli, *args, as_of="2026-11-23"):
    return {r["account"]: r["days_over"] for r in stale(cli, *args, as_of=as_of)}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-11-14", {"Globex": None}),  # 13 days after the call
        ("2026-11-15", {"Globex": None}),  # exactly 14 days: on the boundary, still on time
        ("2026-11-16", {"Acme Corp": 1, "Globex": None}),  # the day after: 1 day over
        ("2026-12-01", {"Acme Corp": 16, "Globex": None}),
    ],
)
def test_enterprise_cadence_boundary(book, as_of, expected):
    book.ok("touch", "Acme", "Call", "--when", "2026-11-01")
    assert over(book, as_of=as_of) == expected


def test_smb_boundary_and_never_contacted_first(book):
    book.ok("touch", "Globex", "Email", "-k", "email", "--when", "2026-09-24")  # smb: 60 days
    assert over(book, as_of="2026-11-23") == {"Acme Corp": None}
    assert over(book, as_of="2026-11-24") == {"Acme Corp": None, "Globex": 1}
    assert [r["account"] for r in stale(book, as_of="2026-12-30")] == ["Acme Corp", "Globex"]


def test_the_record(book):
    book.ok("touch", "Acme", "Call", "--when", "2026-11-01")
    [never, record] = stale(book)
    assert record == {
        "account_id": 1,
        "account": "Acme Corp",
        "owner": "Dana Reyes",
        "tier": "enterprise",
        "cadence_days": 14,
        "last_contact": "2026-11-01",
        "due": "2026-11-15",
        "days_since": 22,
        "days_over": 8,
    }
    assert never == {
        "account_id": 2,
        "account": "Globex",
        "owner": "Marco Bianchi",
        "tier": "smb",
        "cadence_days": 60,
        "last_contact": None,
        "due": None,
        "days_since": None,
        "days_over": None,
    }
    table = book.ok("stale").stdout.splitlines()
    assert table == [
        "ACCOUNT    OWNER          TIER        CADENCE  LAST CONTACT  DAYS SINCE  DAYS OVER",
        "Globex     Marco Bianchi  smb             60d  never",
        "Acme Corp  Dana Reyes     enterprise      14d  2026-11-01            22          8",
    ]


def test_notes_and_planned_touchpoints_are_not_contact(book):
    book.ok("touch", "Acme", "Call", "--when", "2026-11-01")
    book.ok("touch", "Acme", "Internal: champion leaving", "-k", "note", "--when", "2026-11-22")
    book.ok("touch", "Acme", "QBR", "-k", "qbr", "--when", "2026-11-20", "--planned")
    assert over(book)["Acme Corp"] == 8
    book.ok("touchpoint", "edit", "3", "--held")  # the planned QBR happened
    assert "Acme Corp" not in over(book)


def test_config_sets_cadence_and_contact_kinds(book, isolated_home):
    book.ok("touch", "Acme", "Ticket follow-up", "-k", "support", "--when", "2026-11-20")
    book.ok("touch", "Acme", "Call", "--when", "2026-11-01")
    assert "Acme Corp" not in over(book)
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[cadence]\nenterprise = "3w"\nsmb = 400\n[touchpoints]\nnon_contact_kinds = ["note", "support"]\n'
    )
    result = book("stale")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {config}, line 3, cadence.smb: Invalid cadence 400: must be 1 to 366"
    )
    config.write_text(
        '[cadence]\nenterprise = "3w"\n[touchpoints]\nnon_contact_kinds = ["note", "support"]\n'
    )
    assert over(book) == {"Acme Corp": 1, "Globex": None}  # 22 days since the call, cadence 21


def test_per_account_cadence_wins(book):
    book.ok("touch", "Acme", "Call", "--when", "2026-11-01")
    book.ok("account", "edit", "Acme", "--cadence", "30d")
    assert "Acme Corp" not in over(book)
    book.ok("account", "edit", "Acme", "--cadence", "10")
    assert over(book)["Acme Corp"] == 12


def test_archived_accounts_never_appear(book):
    book.ok("account", "archive", "Globex")
    assert over(book) == {"Acme Corp": None}
    assert over(book, "--tier", "smb") == {}


def test_filters_limit_and_fail(book):
    assert over(book, "--owner", "dana reyes") == {"Acme Corp": None}
    assert over(book, "--tier", "enterprise") == {"Acme Corp": None}
    assert len(stale(book, "--limit", "1")) == 1
    result = book("stale", "--fail-if-any", "-f", "csv")
    assert result.exit_code == 3
    assert (
        result.stdout.splitlines()[0]
        == "account_id,account,owner,tier,cadence_days,last_contact,due,days_since,days_over"
    )
    assert result.stderr == "Error: Found 2 stale accounts (--fail-if-any).\n"
    book.ok("touch", "Acme", "Call")
    book.ok("touch", "Globex", "Call")
    quiet = book.ok("stale", "--fail-if-any")
    assert quiet.stdout == "" and "No stale accounts" in quiet.stderr


def test_as_of_is_reproducible(book):
    book.ok("touch", "Acme", "Call", "--when", "2026-10-01", as_of="2026-10-01")
    book.ok("touch", "Globex", "Call", "--when", "2026-10-02", as_of="2026-10-02")
    first = book.ok("stale", "-f", "json", as_of="2026-10-20").stdout
    # Later contact does not change what was stale on 2026-10-20.
    book.ok("touch", "Acme", "Call", "--when", "2026-11-20")
    assert book.ok("stale", "-f", "json", as_of="2026-10-20").stdout == first
    assert {r["account"]: r["days_over"] for r in json.loads(first)} == {"Acme Corp": 5}
    assert over(book, as_of="2026-11-23") == {}


# -- the query --------------------------------------------------------------------------------


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_stale_query_plan_uses_the_touchpoint_index(demo_cli):
    from csmctl.store.database import Database
    from csmctl.store.stale import stale_query

    database = Database(str(demo_cli.db_path))
    try:
        with database.read() as session:
            connection = session.connection()
            sql = stale_query(["note"], date(2026, 11, 23)).compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()]
    finally:
        database.dispose()
    # The newest contact per account: a search of one account's entries in the covering index
    # (kind and planned are read from it), never a scan of every touchpoint or a table lookup.
    touchpoint_steps = [step for step in plan if "touchpoint" in step]
    assert touchpoint_steps == [
        "SEARCH touchpoint USING COVERING INDEX ix_touchpoint_account_recent (account_id=? AND occurred_at<?)"
    ], plan
    assert not any("TEMP B-TREE" in step or "AUTOMATIC" in step for step in plan), plan
    assert "GROUP BY" not in str(sql) and "LIMIT 1" in str(sql)
    # The accounts in id order, the touchpoint index's: each lookup lands next to the one before
    # (in ix_account_renewal's order every lookup is a random read, and grew faster than the book).
    assert plan[0] == "SCAN account", plan


def test_stale_on_the_demo_book_reads_touchpoints_in_one_statement(demo_cli):
    """Never a query per account: one statement reads the touchpoint table, whatever the book size."""
    import sqlalchemy as sa

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        records = json.loads(demo_cli.ok("stale", "-f", "json").stdout)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert [(r["account"], r["days_over"]) for r in records] == [
        ("Fourth Coffee", None),
        ("Lucerne Publishing", 23),
        ("Tailspin Travel", 17),
        ("Trey Research", 9),
        ("Wide World Importers", 8),
    ]
    reading = [s for s in seen if "touchpoint" in s.lower()]
    assert len(reading) == 1, reading


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_stale_owner_filter_uses_the_folded_owner_index(demo_cli):
    """`stale --owner X` finds X's accounts through ix_account_owner_key, then each one's newest
    contact through the covering index: no scan of the account table."""
    from csmctl.store.database import Database
    from csmctl.store.stale import stale_query

    database = Database(str(demo_cli.db_path))
    try:
        with database.rows() as connection:
            sql = stale_query(["note"], date(2026, 11, 23), owner="DANA REYES").compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()]
    finally:
        database.dispose()
    assert plan[0] == "SEARCH account USING INDEX ix_account_owner_key (owner_key=?)", plan
    assert "USING COVERING INDEX ix_touchpoint_account_recent" in plan[-1], plan
    assert not any("TEMP B-TREE" in step for step in plan), plan  # the index gives id order


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
@pytest.mark.parametrize("analyzed", [False, True])
def test_stale_reads_accounts_in_id_order_with_or_without_statistics(demo_cli, analyzed):
    """With or without ANALYZE's statistics, the accounts are read in id order without a sort:
    a scan of the table, or the tier index (id order within one tier)."""
    from csmctl.store.database import Database
    from csmctl.store.stale import stale_query

    database = Database(str(demo_cli.db_path))
    try:
        with database.rows() as connection:
            if analyzed:
                connection.exec_driver_sql("ANALYZE")
            plans = []
            for tier in (None, "smb"):
                sql = stale_query(["note"], date(2026, 11, 23), tier=tier).compile(
                    dialect=connection.dialect, compile_kwargs={"literal_binds": True}
                )
                plans.append(
                    [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()]
                )
    finally:
        database.dispose()
    assert plans[0][0] == "SCAN account", plans
    assert plans[1][0] == "SEARCH account USING INDEX ix_account_tier (tier=?)", plans
    assert not any("TEMP B-TREE" in step for plan in plans for step in plan), plans
