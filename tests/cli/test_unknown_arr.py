"""An account without a contract value has an unknown ARR: shown as unknown, left out of totals
with a note saying how many, never counted as 0 (issue 22)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def _accounts(cli) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(cli.ok("account", "list", "--all", "-f", "json").stdout)}


def test_an_import_without_arr_stores_unknown_not_zero(cli):
    cli.ok("import", "accounts", str(FIXTURES / "hubspot-companies.csv"), "--preset", "hubspot")
    rows = _accounts(cli)
    assert rows["Northwind Analytics"]["arr"] is None
    assert rows["Northwind Analytics"]["currency"] == "USD"
    table = cli.ok("account", "list").stdout
    northwind = next(line for line in table.splitlines() if "Northwind" in line)
    assert "unknown" in northwind.split() and "USD" not in northwind
    shown = cli.ok("account", "show", "Northwind Analytics").stdout
    assert any(line.split() == ["arr", "unknown"] for line in shown.splitlines())
    listed = list(csv.DictReader(io.StringIO(cli.ok("account", "list", "-f", "csv").stdout)))
    by_name = {r["name"]: r for r in listed}
    assert by_name["Northwind Analytics"]["arr"] == ""  # CSV: an empty cell, which imports back as unknown
    assert by_name["Northwind Analytics"]["currency"] == "USD"


def test_add_without_arr_is_unknown_and_an_explicit_zero_stays_zero(cli):
    cli.ok("account", "add", "Unknown Co", "--currency", "EUR")
    cli.ok("account", "add", "Free Co", "--arr", "0")
    rows = _accounts(cli)
    assert rows["Unknown Co"]["arr"] is None and rows["Unknown Co"]["currency"] == "EUR"
    assert rows["Free Co"]["arr"] == {"amount_minor": 0, "currency": "USD"}
    md = cli.ok("account", "show", "Unknown Co", "-f", "md").stdout
    assert "| arr | unknown |" in md


def test_a_blank_arr_cell_on_reimport_keeps_the_current_value(cli, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("name,arr\nKnown Co,120k\nLater Co,\n", encoding="utf-8")
    cli.ok("import", "accounts", str(first))
    again = tmp_path / "again.csv"
    again.write_text("name,arr\nKnown Co,\nLater Co,50k\n", encoding="utf-8")
    cli.ok("import", "accounts", str(again))
    rows = _accounts(cli)
    assert rows["Known Co"]["arr"] == {"amount_minor": 12_000_000, "currency": "USD"}
    assert rows["Later Co"]["arr"] == {"amount_minor": 5_000_000, "currency": "USD"}


def test_edit_clear_arr_makes_a_known_arr_unknown_again_and_keeps_the_currency(cli):
    cli.ok("account", "add", "Known Co", "--arr", "EUR 120k")
    result = cli.ok("account", "edit", "Known Co", "--clear", "arr")
    assert "Updated Known Co: arr." in result.stderr
    row = _accounts(cli)["Known Co"]
    assert row["arr"] is None and row["currency"] == "EUR"
    shown = cli.ok("account", "show", "Known Co").stdout
    assert any(line.split() == ["arr", "unknown"] for line in shown.splitlines())
    assert "No change to Known Co." in cli.ok("account", "edit", "Known Co", "--clear", "arr").stderr
    cli.ok("account", "edit", "Known Co", "--arr", "90k")  # a bare amount is in the kept currency
    assert _accounts(cli)["Known Co"]["arr"] == {"amount_minor": 9_000_000, "currency": "EUR"}


def test_edit_refuses_an_empty_arr_and_says_how_to_clear_it(cli):
    cli.ok("account", "add", "Known Co", "--arr", "120k")
    empty = cli("account", "edit", "Known Co", "--arr", "")
    assert empty.exit_code == 1
    assert empty.stderr == (
        "Error: --arr needs a value; it cannot be empty.\nTo make the ARR unknown again, use --clear arr.\n"
    )
    both = cli("account", "edit", "Known Co", "--arr", "1", "--clear", "arr")
    assert both.exit_code == 1 and "'arr' is both set and cleared." in both.stderr
    assert _accounts(cli)["Known Co"]["arr"] == {"amount_minor": 12_000_000, "currency": "USD"}


def test_sorting_by_arr_puts_unknown_last_both_ways(cli):
    cli.ok("account", "add", "Aardvark", "--currency", "USD")  # unknown, first by name
    cli.ok("account", "add", "Big", "--arr", "200k")
    cli.ok("account", "add", "Free", "--arr", "0")
    cli.ok("account", "add", "Mid", "--arr", "50k")

    def names(*extra):
        return [
            r["name"]
            for r in json.loads(cli.ok("account", "list", "--sort", "arr", *extra, "-f", "json").stdout)
        ]

    assert names() == ["Free", "Mid", "Big", "Aardvark"]
    assert names("--desc") == ["Big", "Mid", "Free", "Aardvark"]


def _renewing_book(cli):
    cli.ok("account", "add", "Known Co", "--arr", "100k", "--renewal", "2026-12-10")
    cli.ok("account", "add", "Free Co", "--arr", "0", "--renewal", "2026-12-12")
    cli.ok("account", "add", "Mystery Co", "--renewal", "2026-12-15")
    cli.ok("account", "add", "Riddle Co", "--currency", "EUR", "--renewal", "2027-01-05")


def test_renewal_totals_leave_unknown_arr_out_with_a_note(cli):
    _renewing_book(cli)
    table = cli.ok("renewal", "list")
    assert "0-30 days: 3 · USD 100,000.00" in table.stdout  # Mystery Co is not USD 0 in the total
    assert "31-60 days: 1\n" in table.stdout  # only an unknown ARR: no total at all
    assert "2 accounts with unknown ARR left out of the totals" in table.stderr
    mystery = next(line for line in table.stdout.splitlines() if line.startswith("Mystery Co"))
    assert "unknown" in mystery.split()
    listed = cli.ok("renewal", "list", "-f", "json")
    data = json.loads(listed.stdout)
    assert data["unknown_arr_count"] == 2
    assert listed.stderr == ""  # the count is in the JSON; a machine format gets no note
    bucket = next(b for b in data["buckets"] if b["key"] == "0-30")
    assert bucket["totals"] == [{"amount_minor": 10_000_000, "currency": "USD"}]
    assert bucket["unknown_arr_count"] == 1
    assert [r["arr"] for r in bucket["renewals"] if r["name"] == "Mystery Co"] == [None]
    rows = list(csv.DictReader(io.StringIO(cli.ok("renewal", "list", "-f", "csv").stdout)))
    assert [(r["arr"], r["currency"]) for r in rows if r["name"] == "Riddle Co"] == [("", "EUR")]


def test_the_renewal_report_says_how_many_were_left_out(cli):
    _renewing_book(cli)
    report = json.loads(cli.ok("report", "renewals", "-f", "json").stdout)
    assert report["summary"]["unknown_arr_count"] == 2
    assert report["summary"]["unknown_arr_note"] == "2 accounts with unknown ARR left out"
    assert report["summary"]["totals"] == [{"amount_minor": 10_000_000, "currency": "USD"}]
    for fmt in ("md", "txt", "html"):
        assert "2 accounts with unknown ARR left out" in cli.ok("report", "renewals", "-f", fmt).stdout, fmt
    md = cli.ok("report", "renewals", "-f", "md").stdout
    assert any("Mystery Co" in line and "unknown" in line for line in md.splitlines())
    csv_out = cli.ok("report", "renewals", "-f", "csv").stdout
    row = next(r for r in csv.reader(io.StringIO(csv_out)) if "Riddle Co" in r)
    assert "EUR" in row and "None" not in row


def test_renewal_record_refuses_an_unknown_arr_unless_given(cli):
    _renewing_book(cli)
    refused = cli("renewal", "record", "Mystery Co", "--outcome", "renewed", "--date", "2026-11-20")
    assert refused.exit_code == 1
    assert "Mystery Co's ARR is unknown" in refused.stderr and "--arr-before" in refused.stderr
    assert cli.ok("renewal", "history", "-f", "json").stdout.strip() == "[]"  # nothing written
    cli.ok(
        "renewal",
        "record",
        "Mystery Co",
        "--outcome",
        "expanded",
        "--arr-before",
        "40k",
        "--arr",
        "60k",
        "--date",
        "2026-11-20",
    )
    [event] = json.loads(cli.ok("renewal", "history", "-f", "json").stdout)
    assert event["arr_before"] == {"amount_minor": 4_000_000, "currency": "USD"}
    assert _accounts(cli)["Mystery Co"]["arr"] == {"amount_minor": 6_000_000, "currency": "USD"}


def test_arr_before_must_agree_with_a_known_arr(cli):
    _renewing_book(cli)
    result = cli("renewal", "record", "Known Co", "--outcome", "renewed", "--arr-before", "90k")
    assert result.exit_code == 1
    assert "--arr-before USD 90,000.00 differs from Known Co's ARR USD 100,000.00" in result.stderr


def test_metrics_count_an_unknown_arr_contract_as_due_without_any_money(cli, tmp_path):
    cli.ok("account", "add", "Mystery Co", "--currency", "EUR", "--renewal", "2026-10-01")
    data = json.loads(cli.ok("metric", "retention", "--period", "2026", "-f", "json").stdout)
    assert [(m["currency"], m["due"], m["pending"], m["start_arr"]) for m in data] == [
        ("EUR", 1, 1, {"amount_minor": 0, "currency": "EUR"})
    ]
    explained = cli.ok("metric", "retention", "--period", "2026", "--explain").stdout
    assert "Mystery Co (pending since 2026-10-01, ARR unknown)" in explained
    rates = tmp_path / "rates.csv"
    rates.write_text("EUR,1.08\n", encoding="utf-8")
    converted = cli.ok(
        "metric", "retention", "--period", "2026", "--currency", "USD", "--rates", str(rates), "-f", "json"
    )
    assert json.loads(converted.stdout)[0]["pending"] == 1


def test_calendar_and_brief_say_unknown(cli):
    _renewing_book(cli)
    ics = cli.ok("renewal", "ics").stdout
    assert "ARR: unknown" in ics and "None" not in ics
    assert "| ARR | unknown |" in cli.ok("brief", "Mystery Co", "-f", "md").stdout


def test_forecast_and_book_leave_an_unknown_arr_out(cli):
    _renewing_book(cli)
    forecast = cli.ok("forecast", "-f", "json").stdout
    assert "Mystery Co" not in forecast  # nothing to forecast from; never a USD 0 line
    [book] = json.loads(cli.ok("book", "-f", "json").stdout)
    assert book["accounts"] == 4
    assert {"amount_minor": 10_000_000, "currency": "USD"} in book["arr"]
