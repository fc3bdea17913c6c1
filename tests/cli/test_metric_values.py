"""`csmctl metric import/list`: all-or-nothing with row numbers, upserts, and health picking them up."""

from __future__ import annotations

import json

import pytest

from tests.cli.health_book import fill


@pytest.fixture
def book(cli):
    fill(cli, cli.db_path)  # the SQLite file or the PostgreSQL URL of this run
    return cli


def test_import_then_health_uses_the_latest_value(book, tmp_path):
    data = tmp_path / "metrics.csv"
    data.write_text(
        "Account,Date,Metric,Value\nAcme Corp,2026-11-22,usage,80\nacme,2026-11-22,tickets,2\n"
        "#2,2026-11-20,usage,30\n"
    )
    result = book.ok("metric", "import", str(data))
    assert result.stderr == f"Imported 3 metric values from {data}: 3 created, 0 updated, 0 unchanged.\n"
    again = book.ok("metric", "import", str(data))
    assert again.stderr == f"Imported 3 metric values from {data}: 0 created, 0 updated, 3 unchanged.\n"
    data.write_text('account,date,name,value\nAcme Corp,2026-11-22,usage,"1,000"\n')
    assert book.ok("metric", "import", str(data)).stderr.endswith("0 created, 1 updated, 0 unchanged.\n")
    rows = json.loads(book.ok("metric", "list", "acme", "-f", "json").stdout)
    assert rows[:3] == [
        {"date": "2026-11-22", "name": "tickets", "value": 2.0},
        {"date": "2026-11-22", "name": "usage", "value": 1000.0},
        {"date": "2026-11-15", "name": "usage", "value": 65.0},
    ]
    health = json.loads(book.ok("health", "acme", "-f", "json").stdout)
    inputs = {i["name"]: i for i in health["inputs"]}
    assert inputs["metric:usage"]["score"] == 100 and inputs["metric:tickets"]["score"] == 80
    assert health["missing"] == ["onboarding"]


def test_bad_rows_are_all_reported_and_nothing_is_written(book, tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text(
        "account,date,name,value\nAcme Corp,2026-11-01,usage,50\nAcme Corp,2026-13-01,usage,x\n"
        "Acme Corp,2026-11-02,bad name!,1\nAcme Corp,2026-12-01,usage,1\n"
    )
    result = book("metric", "import", str(data))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {data}: 4 problems; nothing was imported:",
        f"  {data}, line 3, date: Invalid date '2026-13-01'. (got '2026-13-01'); Use YYYY-MM-DD, today, tomorrow, "
        "yesterday, or an offset like +30d, -2w, +3m, +1y or +5bd (business days).",
        f"  {data}, line 3, value: Invalid value 'x': not a number. (got 'x')",
        f"  {data}, line 4, name: Invalid metric name 'bad name!'. (got 'bad name!'); Use letters, digits, '_', '.' "
        "or '-' (e.g. usage, open_tickets), at most 80.",
        f"  {data}, line 5, date: the date 2026-12-01 is in the future (got '2026-12-01')",
    ]
    assert [
        (r["date"], r["value"]) for r in json.loads(book.ok("metric", "list", "acme", "-f", "json").stdout)
    ] == [("2026-11-15", 65.0), ("2026-11-01", 40.0)]  # the 2026-11-01 row of the file (50) was not written


def test_unknown_accounts_fail_the_whole_file(book, tmp_path):
    data = tmp_path / "m.csv"
    data.write_text(
        "account,date,name,value\nAcme Corp,2026-11-21,usage,50\nNo Such Co,2026-11-21,usage,1\n"
        "Acme Corp,2026-11-21,usage,51\n"
    )
    result = book("metric", "import", str(data))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {data}: 1 problem; nothing was imported:",
        f"  {data}, line 3, account: No account matches 'No Such Co'. (got 'No Such Co'); List accounts with "
        "`csmctl account list`.",
    ]
    data.write_text("account,date,name,value\nAcme Corp,2026-11-21,usage,50\nAcme Corp,2026-11-21,usage,51\n")
    result = book("metric", "import", str(data))
    assert result.stderr.splitlines()[1] == (
        f"  {data}, line 3, date: the same account, metric and date appear earlier in the file (line 2) "
        "(got '2026-11-21')"
    )
    assert "2026-11-21" not in book.ok("metric", "list", "acme").stdout


def test_dry_run_and_on_conflict(book, tmp_path):
    data = tmp_path / "m.csv"
    data.write_text("account,date,name,value\nAcme Corp,2026-11-15,usage,70\nGamma,2026-11-15,usage,70\n")
    assert book.ok("metric", "import", str(data), "--dry-run").stderr == (
        f"Would import 2 metric values from {data}: 1 created, 1 updated, 0 unchanged.\n"
    )
    assert book.ok("metric", "list", "gamma").stdout == ""
    failed = book("metric", "import", str(data), "--on-conflict", "fail")
    assert failed.exit_code == 1
    assert failed.stderr.splitlines()[1] == (
        f"  {data}, line 2, date: a value for this account, metric and date exists (got '2026-11-15'); "
        "use --on-conflict update or skip"
    )
    assert book.ok("metric", "import", str(data), "--on-conflict", "skip").stderr.endswith(
        "1 created, 0 updated, 0 unchanged, 1 skipped.\n"
    )


def test_an_account_reference_means_what_it_means_everywhere_else(book, tmp_path):
    """`2` is account id 2 for `account show` (find_account: id, then name, then CRM id): a metric
    import row naming `2` lands there too, even when another account is named "2"."""
    book.ok("account", "add", "2")
    shown = json.loads(book.ok("account", "show", "2", "-f", "json").stdout)
    data = tmp_path / "metrics.csv"
    data.write_text("Account,Date,Metric,Value\n2,2026-11-22,usage,42\n")
    book.ok("metric", "import", str(data))
    landed = json.loads(book.ok("metric", "list", f"#{shown['id']}", "-f", "json").stdout)
    assert {"date": "2026-11-22", "name": "usage", "value": 42.0} in landed
    named_two = json.loads(book.ok("metric", "list", "#" + str(_id_of(book, "2")), "-f", "json").stdout)
    assert all(row["value"] != 42.0 for row in named_two)


def _id_of(book, name: str) -> int:
    accounts = json.loads(book.ok("account", "list", "-f", "json").stdout)
    return next(a["id"] for a in accounts if a["name"] == name)
