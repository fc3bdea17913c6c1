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
def test_renewals_by_date_only_come_in_the_index_order_with_no_sort_step(demo_cli):
    """What the renewal listings read (each date's renewals are put in name order in Python):
    the window's range on ix_account_renewal gives the date order, no temporary B-tree."""
    from csmctl.store.renewals import renewal_query

    plan = _plan(demo_cli.db_path, renewal_query(until=date(2027, 3, 1), by_name=False))
    (step,) = plan
    assert step.startswith("SEARCH account USING INDEX ix_account_renewal (archived=? AND renewal_date"), plan


@pytest.mark.sqlite_only
def test_health_and_today_scope_of_one_owner_searches_the_owner_index(demo_cli):
    from csmctl.store.health import scope

    assert _plan(demo_cli.db_path, scope(owner="Dana Reyes")) == [
        "SEARCH account USING INDEX ix_account_owner_key (owner_key=?)"
    ]


@pytest.mark.sqlite_only
def test_touchpoint_facts_read_each_fact_the_cheapest_way(demo_cli):
    """The last contact comes from the covering index alone and the open follow-ups from their
    index, for a whole book as for one owner; the recent sentiments of a whole book from one scan
    grouped by account (each recent row looked up from the account index costs more), of one
    owner from the account index (on the 100k bench book: 0.8 s for the three, 1.3 s for the one
    aggregate over every column they replace)."""
    from csmctl.domain.touchpoints import Rules
    from csmctl.store.health import overdue_follow_up_query, scope, sentiment_query, touchpoint_query

    today = date(2026, 11, 23)

    def plans(**kw) -> list[list[str]]:
        ids, whole = scope(**kw), not kw
        return [
            _plan(demo_cli.db_path, query)
            for query in (
                touchpoint_query(ids, today, Rules().non_contact, whole_book=whole),
                overdue_follow_up_query(ids, today, whole_book=whole),
                sentiment_query(ids, today, whole_book=whole),
            )
        ]

    contact, follow_ups, sentiments = plans()
    assert contact == ["SCAN touchpoint USING COVERING INDEX ix_touchpoint_account_recent"], contact
    assert any("USING INDEX ix_touchpoint_followup" in step for step in follow_ups), follow_ups
    assert sentiments == ["SCAN touchpoint", "USE TEMP B-TREE FOR GROUP BY"], sentiments
    contact, follow_ups, sentiments = plans(owner="Dana Reyes")
    assert "USING COVERING INDEX ix_touchpoint_account_recent (account_id=?" in contact[0], contact
    assert sentiments[0].startswith(
        "SEARCH touchpoint USING INDEX ix_touchpoint_account_recent (account_id=?"
    ), sentiments


@pytest.mark.sqlite_only
def test_the_play_behind_each_open_follow_up_is_looked_up_by_index(demo_cli):
    """`today` names the play behind each open follow-up: one index search per follow-up (m009),
    not a scan of every firing (or an index SQLite builds again on every run)."""
    from csmctl.store.health import scope
    from csmctl.store.today import open_follow_ups_query

    plan = _plan(demo_cli.db_path, open_follow_ups_query(scope(), date(2026, 11, 23)))
    assert "SEARCH play_firing USING INDEX ix_play_firing_touchpoint (touchpoint_id=?) LEFT-JOIN" in plan, (
        plan
    )
    assert not any("play_firing" in step and step.startswith("SCAN") for step in plan), plan


@pytest.mark.sqlite_only
def test_a_contacts_links_are_found_by_index(demo_cli):
    """Removing a contact cascades to its links, and the champion facts group links by contact:
    both find a contact's links through ix_touchpoint_contact_contact (m009), not a scan."""
    import sqlalchemy as sa

    from csmctl.store.tables import touchpoint_contact as L

    plan = _plan(demo_cli.db_path, sa.select(L.c.touchpoint_id).where(L.c.contact_id == 1))
    assert plan == [
        "SEARCH touchpoint_contact USING COVERING INDEX ix_touchpoint_contact_contact (contact_id=?)"
    ]
