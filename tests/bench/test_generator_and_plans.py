"""The benchmark's book generator (at a tiny size) and the query plans portfolio commands rely on."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "tiny.db"
    counts = _generator().generate(path, accounts=200, seed=3)
    return path, counts


def test_generator_writes_the_promised_counts(tiny_book):
    path, counts = tiny_book
    assert counts == {
        "accounts": 200,
        "contacts": 600,
        "touchpoints": 2000,
        "checklists": 20,
        "tasks": 400,
        "renewal_events": 100,
    }
    conn = sqlite3.connect(path)
    for table, key in [
        ("account", "accounts"),
        ("contact", "contacts"),
        ("touchpoint", "touchpoints"),
        ("checklist", "checklists"),
        ("checklist_task", "tasks"),
        ("renewal_event", "renewal_events"),
    ]:
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == counts[key]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_generator_is_deterministic(tmp_path):
    gen = _generator()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    gen.generate(a, accounts=50, seed=11)
    gen.generate(b, accounts=50, seed=11)
    query = "SELECT name, owner, arr_minor, renewal_date FROM account ORDER BY id"
    assert sqlite3.connect(a).execute(query).fetchall() == sqlite3.connect(b).execute(query).fetchall()


def test_the_generated_book_works_with_the_cli(tiny_book):
    from tests.conftest import Cli

    path, _ = tiny_book
    rows = json.loads(Cli(path).ok("account", "list", "--owner", "CSM 01", "-f", "json").stdout)
    assert rows and {r["owner"] for r in rows} == {"CSM 01"}


def _plan(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    finally:
        conn.close()


def _compiled(query):
    from sqlalchemy.dialects import sqlite

    compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    return str(compiled)


def test_account_filters_use_indexes(tiny_book):
    from datetime import date

    from csmctl.store.accounts import AccountFilter, account_query

    path, _ = tiny_book
    renewing = _plan(
        path, _compiled(account_query(AccountFilter(renewing_before=date(2026, 12, 31)), "renewal"))
    )
    assert "USING INDEX ix_account_renewal" in renewing
    by_tier = _plan(path, _compiled(account_query(AccountFilter(tier="smb"))))
    assert "ix_account_tier" in by_tier or "ix_account_renewal" in by_tier
    assert "SCAN account" not in renewing


def test_the_reports_ledger_totals_read_the_date_index_alone(tiny_book):
    """The renewal report's period ledger (store.renewals.ledger_totals_query): a range on
    ix_renewal_event_date, no account lookup per event unless an owner filters them."""
    from datetime import date

    from csmctl.store.renewals import ledger_totals_query

    path, _ = tiny_book
    everyone = _plan(path, _compiled(ledger_totals_query(start=date(2025, 11, 24), end=date(2026, 11, 23))))
    assert "SEARCH renewal_event USING INDEX ix_renewal_event_date" in everyone
    assert "account" not in everyone.replace("renewal_event", "")
    one = _plan(
        path,
        _compiled(ledger_totals_query(start=date(2025, 11, 24), end=date(2026, 11, 23), owner="CSM 01")),
    )
    assert "SCAN account" not in one and "SCAN renewal_event" not in one
