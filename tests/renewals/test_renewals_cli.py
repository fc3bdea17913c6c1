"""`csmctl renewal list|ics|record|history` and `metric retention` as a user runs them."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest


def test_renewals_table_buckets_flags_and_totals(book):
    out = book.ok("renewal", "list").stdout
    assert out.splitlines()[0] == "Overdue: 2 · GBP 40,000.00, USD 120,000.00"
    assert "Birch Ltd" in out and "auto-renewed?" in out
    assert "0-30 days: 1 · EUR 80,000.00" in out
    assert "Gamma Inc" not in out  # beyond 120 days
    row = next(line for line in out.splitlines() if line.startswith("Cobalt GmbH"))
    assert row.split() == [
        "Cobalt",
        "GmbH",
        "Dana",
        "Reyes",
        "EUR",
        "80k",
        "2026-12-01",
        "8",
        "no",
        "2026-11-01",
        "PASSED",
    ]
    delta = next(line for line in out.splitlines() if line.startswith("Delta KK"))
    assert delta.split()[-1] == "soon"  # notice 2026-11-26, within 14 days
    assert "Gamma Inc" in book.ok("renewal", "list", "--within", "1y").stdout


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_renewals_table_headings_agree_with_the_json_buckets(book, fmt):
    """The table counts each bucket as it reads its renewals (no totals query): its headings say
    what the JSON listing's buckets say, and each heads exactly its bucket's rows."""
    from csmctl.domain.money import Money

    data = json.loads(book.ok("renewal", "list", "--within", "1y", "-f", "json").stdout)
    expected = []
    for bucket in data["buckets"]:
        if bucket["count"]:
            totals = ", ".join(str(Money(t["amount_minor"], t["currency"])) for t in bucket["totals"])
            expected.append((f"{bucket['label']}: {bucket['count']} · {totals}", bucket["count"]))
    out = book.ok("renewal", "list", "--within", "1y", "-f", fmt).stdout
    sections = out.split("\n\n") if fmt == "table" else out.split("\n\n## ")
    assert len(sections) == len(expected)
    for section, (heading, count) in zip(sections, expected, strict=True):
        lines = section.strip("\n").removeprefix("## ").splitlines()
        assert lines[0] == heading
        # table: the heading, the column titles, a row per renewal; md: heading, blank, titles, rule, rows
        assert len(lines) == (2 + count if fmt == "table" else 4 + count), section


def test_renewals_json_and_owner_filter(book):
    data = json.loads(book.ok("renewal", "list", "--owner", "Kenji Sato", "-f", "json").stdout)
    assert data["as_of"] == "2026-11-23" and data["within_days"] == 120
    assert [b["key"] for b in data["buckets"]] == ["overdue", "0-30", "31-60", "61-90", "91-120"]
    overdue = data["buckets"][0]
    assert overdue["totals"] == [{"amount_minor": 4000000, "currency": "GBP"}]
    (birch,) = overdue["renewals"]
    assert birch["status"] == "auto-renewed?" and birch["days_to_renewal"] == -8
    assert birch["health_band"] is None and birch["notice_deadline"] is None
    names = [r["name"] for b in data["buckets"] for r in b["renewals"]]
    assert names == ["Birch Ltd", "Delta KK", "Fjord AS"]


def test_renewals_csv_is_flat(book):
    lines = book.ok("renewal", "list", "-f", "csv").stdout.splitlines()
    assert lines[0].startswith("bucket,id,name,owner,tier,stage,arr,currency,renewal_date")
    assert lines[1].startswith(
        "overdue,1,Acme Corp,Dana Reyes,enterprise,onboarding,120000.00,USD,2026-11-10,-13,"
    )


def test_record_rolls_the_renewal_date_and_history_shows_the_ledger(book):
    book.ok(
        "renewal",
        "record",
        "acme",
        "--outcome",
        "expanded",
        "--date",
        "2026-11-20",
        "--arr",
        "150k",
        "--term",
        "24",
    )
    acme = json.loads(book.ok("account", "show", "acme", "-f", "json").stdout)
    assert acme["renewal_date"] == "2028-11-10" and acme["arr"]["amount_minor"] == 15_000_000
    assert acme["term_months"] == 24 and acme["contract_start"] == "2026-11-10"
    history = json.loads(book.ok("renewal", "history", "acme", "-f", "json").stdout)
    assert [
        (
            h["outcome"],
            h["arr_before"]["amount_minor"],
            h["arr_after"]["amount_minor"],
            h["renewal_date_before"],
        )
        for h in history
    ] == [("expanded", 12_000_000, 15_000_000, "2026-11-10")]
    table = book.ok("renewal", "history").stdout.splitlines()
    assert table[0].split() == [
        "DATE",
        "ACCOUNT",
        "OUTCOME",
        "ARR",
        "BEFORE",
        "ARR",
        "AFTER",
        "CHANGE",
        "TERM",
    ]
    assert [line.split()[0] for line in table[1:]] == [
        "2026-06-20",
        "2026-08-25",
        "2026-10-05",
        "2026-11-05",
        "2026-11-20",
    ]


def test_churn_archives_the_account(book):
    listed = json.loads(book.ok("account", "list", "--all", "-f", "json").stdout)
    juniper = next(a for a in listed if a["name"] == "Juniper")
    assert juniper["archived"] and juniper["stage"] == "churned"
    assert "Juniper" not in book.ok("renewal", "list").stdout


def test_auto_renewed_is_never_rolled_silently(book):
    book.ok("renewal", "list")
    birch = json.loads(book.ok("account", "show", "birch", "-f", "json").stdout)
    assert birch["renewal_date"] == "2026-11-15"
    book.ok("renewal", "record", "birch", "--outcome", "renewed", "--date", "2026-11-15")
    assert "auto-renewed?" not in book.ok("renewal", "list").stdout


def _snapshot(path):
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("select * from renewal_event order by id").fetchall(),
            conn.execute("select * from account order by id").fetchall(),
        )


@pytest.mark.parametrize(
    "args, message",
    [
        (["juniper", "--outcome", "renewed"], "Error: Juniper is archived; its renewals are closed."),
        (["nobody", "--outcome", "renewed"], "Error: No account matches 'nobody'."),
        (
            ["acme", "--outcome", "expanded", "--arr", "-5k"],
            "Error: The new ARR cannot be negative (got USD -5,000.00).",
        ),
        (
            ["acme", "--outcome", "expanded", "--arr", "100k"],
            "Error: 'expanded' needs a higher ARR than now (USD 120,000.00); got USD 100,000.00.",
        ),
        (
            ["acme", "--outcome", "contracted", "--arr", "130k"],
            "Error: 'contracted' needs a lower, non-zero ARR than now (USD 120,000.00); got USD 130,000.00.",
        ),
        (
            ["acme", "--outcome", "renewed", "--date", "2026-12-01"],
            "Error: The outcome date 2026-12-01 is in the future (today is 2026-11-23).",
        ),
        (
            ["acme", "--outcome", "expanded", "--arr", "EUR 150k"],
            "Error: Invalid --arr 'EUR 150k': it says EUR but the currency is USD.",
        ),
        (
            ["harbor", "--outcome", "renewed", "--date", "2026-08-25"],
            "Error: Harbor LLC already has a renewal outcome on 2026-08-25.",
        ),
    ],
)
def test_bad_outcomes_exit_1_and_write_nothing(book, args, message):
    before = _snapshot(book.db_path)
    result = book("renewal", "record", *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message
    assert _snapshot(book.db_path) == before


def test_metrics_per_currency_and_explain(book):
    data = json.loads(book.ok("metric", "retention", "--period", "2026", "-f", "json").stdout)
    by_currency = {d["currency"]: d for d in data}
    usd = by_currency["USD"]
    # Harbor expanded 100k -> 120k, Juniper churned 20k; Acme (overdue since 2026-11-10) is pending.
    assert (usd["recorded"], usd["pending"], usd["renewed"], usd["churned"]) == (2, 1, 1, 1)
    assert usd["start_arr"] == {"amount_minor": 12_000_000, "currency": "USD"}
    assert usd["end_arr"] == {"amount_minor": 12_000_000, "currency": "USD"}
    assert (usd["grr"], usd["nrr"], usd["logo_churn"], usd["renewal_rate"]) == (
        "0.8333",
        "1.0000",
        "0.5000",
        "0.3333",
    )
    assert by_currency["EUR"]["grr"] == "0.7500"
    explained = book.ok("metric", "retention", "--period", "2026-Q3", "--explain").stdout
    assert (
        "GRR = (start - contraction - churn) / start = (USD 100,000.00 - USD 0.00 - USD 0.00) / USD 100,000.00 = 100.0%"
        in explained
    )
    assert "      Harbor LLC  USD 20,000.00" in explained


def test_metrics_by_owner_and_converted(book, tmp_path):
    out = book.ok("metric", "retention", "--period", "2026", "--by", "owner", "-f", "csv").stdout.splitlines()
    assert (
        out[0]
        == "group,currency,due,recorded,pending,renewed,churned,logo_churn,renewal_rate,grr,nrr,start_arr,expansion,contraction,churn,end_arr"
    )
    assert "Kenji Sato,USD,1,1,0,0,1,1.0000,0.0000,0.0000,0.0000,20000.00,0.00,0.00,20000.00,0.00" in out
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,rate\nEUR,1.10\nGBP,1.25\n")
    (one,) = json.loads(
        book.ok(
            "metric",
            "retention",
            "--period",
            "2026",
            "--currency",
            "usd",
            "--rates",
            str(rates),
            "-f",
            "json",
        ).stdout
    )
    assert one["currency"] == "USD"
    # USD 100k + 20k, EUR 60k * 1.10, GBP 25k * 1.25
    assert one["start_arr"]["amount_minor"] == (100_000 + 20_000 + 66_000 + 31_250) * 100


@pytest.mark.parametrize(
    "args, message",
    [
        (["--period", "2026-Q5"], "Error: Invalid period '2026-Q5'."),
        (["--period", "soon"], "Error: Invalid period 'soon'."),
        (["--currency", "USD"], "Error: --currency and --rates go together."),
    ],
)
def test_metrics_bad_input(book, args, message):
    result = book("metric", "retention", *args)
    assert result.exit_code == 1 and result.stderr.splitlines()[0] == message


def test_metrics_missing_rate(book, tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("EUR,1.10\n")
    result = book("metric", "retention", "--period", "2026", "--currency", "USD", "--rates", str(rates))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: The rates file has no rate for GBP (to USD)."


def _ics_events(path):
    from icalendar import Calendar

    return {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_ics_parses_back_with_stable_uids(book, tmp_path):
    target = tmp_path / "renewals.ics"
    book.ok("renewal", "ics", "-o", str(target))
    first = target.read_bytes()
    events = _ics_events(target)
    cobalt = "3"
    assert set(events) >= {
        f"renewal-{cobalt}@csmctl",
        f"notice-{cobalt}@csmctl",
        "renewal-2@csmctl",
        "renewal-7@csmctl",
    }
    assert "notice-2@csmctl" not in events  # Birch has no notice days
    renewal = events[f"renewal-{cobalt}@csmctl"]
    assert renewal.decoded("DTSTART") == date(2026, 12, 1)  # all-day: a DATE, not a DATE-TIME
    assert renewal.decoded("DTEND") == date(2026, 12, 2)
    assert events[f"notice-{cobalt}@csmctl"].decoded("DTSTART") == date(2026, 11, 1)
    assert str(renewal["SUMMARY"]) == "Renewal: Cobalt GmbH"
    assert "Notice deadline: 2026-11-01 (30 days)" in str(renewal["DESCRIPTION"])
    assert str(events["renewal-2@csmctl"]["SUMMARY"]) == "Renewal: Birch Ltd (auto-renews)"
    renewals = [u for u in events if u.startswith("renewal-")]
    assert len(renewals) == 10  # every active account with a date within a year (overdue included)
    book.ok("renewal", "ics", "-o", str(target))
    assert target.read_bytes() == first  # same book, same day: same file


def test_ics_newer_export_updates_the_events_a_calendar_has(book, tmp_path):
    """Merge an older and a newer export by UID as a calendar app does (RFC 5545: the higher
    SEQUENCE wins, then the later DTSTAMP): moving a renewal updates its events, adds none."""
    # The first export was taken a day before the edit below: its revision is older.
    with sqlite3.connect(book.db_path) as conn:
        conn.execute(
            "UPDATE account SET updated_at = '2026-01-01 09:00:00.000000' WHERE name = 'Cobalt GmbH'"
        )
    older, newer = tmp_path / "older.ics", tmp_path / "newer.ics"
    book.ok("renewals", "ics", "-o", str(older))
    book.ok("account", "edit", "Cobalt GmbH", "--renewal", "2027-01-15")
    book.ok("renewals", "ics", "-o", str(newer))

    calendar = dict(_ics_events(older))
    for event_uid, event in _ics_events(newer).items():
        held = calendar.get(event_uid)
        key = (int(event["SEQUENCE"]), event.decoded("DTSTAMP"))
        if held is None or key > (int(held["SEQUENCE"]), held.decoded("DTSTAMP")):
            calendar[event_uid] = event
    assert len(calendar) == len(_ics_events(older)) == len(_ics_events(newer))
    assert calendar["renewal-3@csmctl"].decoded("DTSTART") == date(2027, 1, 15)
    assert calendar["notice-3@csmctl"].decoded("DTSTART") == date(2026, 12, 16)
    assert calendar["renewal-2@csmctl"].decoded("DTSTART") == date(2026, 11, 15)  # untouched
