"""Query plans of the portfolio reads' owner filters (issue 19): one CSM's accounts come from
the folded, indexed ``account.owner_key``, never from a scan of the whole renewal window."""

from __future__ import annotations

from datetime import date

import pytest


def _plan(db_path, query) -> list[str]:
    from csmctl.store.database import Database

    database = Database(str(db_path))
    try:
        with database.rows() as connection:
            sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            return [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()]
    finally:
        database.dispose()


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_renewals_of_one_owner_search_the_owner_index(demo_cli):
    from csmctl.store.renewals import renewal_query

    plan = _plan(demo_cli.db_path, renewal_query(until=date(2027, 3, 1), owner="DANA REYES"))
    assert plan[0] == "SEARCH account USING INDEX ix_account_owner_key (owner_key=?)", plan


@pytest.mark.sqlite_only
def test_renewals_of_the_book_range_over_the_renewal_index(demo_cli):
    from csmctl.store.renewals import renewal_query

    plan = _plan(demo_cli.db_path, renewal_query(until=date(2027, 3, 1)))
    assert plan[0].startswith("SEARCH account USING INDEX ix_account_renewal (archived=? AND renewal_date"), (
        plan
    )


@pytest.mark.sqlite_only
def test_health_and_today_scope_of_one_owner_searches_the_owner_index(demo_cli):
    from csmctl.store.health import scope

    assert _plan(demo_cli.db_path, scope(owner="Dana Reyes")) == [
        "SEARCH account USING INDEX ix_account_owner_key (owner_key=?)"
    ]


@pytest.mark.sqlite_only
def test_touchpoint_facts_of_a_whole_book_scan_the_table_once_and_of_one_owner_walk_the_index(demo_cli):
    """A whole book (`book` without --owner) reads every touchpoint: one scan grouped by account
    beats an index walk that looks up each row (1.1 s against 2.4 s on the 100k bench book)."""
    from csmctl.domain.touchpoints import Rules
    from csmctl.store.health import scope, touchpoint_query

    def plan(**kw) -> list[str]:
        query = touchpoint_query(scope(**kw), date(2026, 11, 23), Rules().non_contact, whole_book=not kw)
        return _plan(demo_cli.db_path, query)

    assert plan() == ["SCAN touchpoint", "USE TEMP B-TREE FOR GROUP BY"]
    mine = plan(owner="Dana Reyes")
    assert mine[0].startswith("SEARCH touchpoint USING INDEX ix_touchpoint_account_recent (account_id=?"), (
        mine
    )
