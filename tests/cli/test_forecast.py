"""`csmctl forecast ...` on both backends: roll-up, overrides, snapshots, accuracy, errors."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.risk_book import book  # noqa: F401 - the fixture


def _totals(cli, *args, as_of=None):
    kwargs = {"as_of": as_of} if as_of else {}
    return json.loads(cli.ok("forecast", *args, "-f", "json", **kwargs).stdout)


def test_forecast_rolls_up_per_currency_with_overrides(book):
    before = {r["currency"]: r for r in _totals(book, "-q", "2027Q2")}
    usd = before["USD"]
    assert usd["committed"]["amount_minor"] == 0  # nothing is committed until someone says so
    book.ok("forecast", "set", "Blue Yonder", "-c", "commit", "--amount", "950k", "--why", "signed")
    after = {r["currency"]: r for r in _totals(book, "-q", "2027Q2")}["USD"]
    # committed is capped at the ARR available to renew; the expansion shows in best case
    assert after["committed"]["amount_minor"] == 88_000_000
    assert after["best_case"]["amount_minor"] == usd["best_case"]["amount_minor"] + 7_000_000
    assert after["available"] == usd["available"]
    lines = json.loads(book.ok("forecast", "-q", "2027Q2", "--lines", "-f", "json").stdout)
    blue = next(r for r in lines if r["account"] == "Blue Yonder Airlines")
    assert (blue["category"], blue["likelihood"], blue["expected"]["amount_minor"]) == (
        "commit",
        95,
        95_000_000,
    )


def test_forecast_by_owner_and_formats(book):
    by_owner = _totals(book, "-q", "2027", "--by", "owner", "--owner", "Marco Bianchi")
    assert {r["group"] for r in by_owner} == {"Marco Bianchi"}
    rows = list(
        csv.DictReader(io.StringIO(book.ok("forecast", "-q", "2027", "--by", "tier", "-f", "csv").stdout))
    )
    assert rows and set(rows[0]) == {
        "group",
        "currency",
        "renewals",
        "available",
        "committed",
        "weighted",
        "best_case",
    }
    assert book.ok("forecast", "-q", "2027", "-f", "md").stdout.startswith("| Cur |")
    assert "BEST CASE" in book.ok("forecast", "-q", "2027").stdout


def test_override_history_says_who_when_and_why(book):
    book.ok("forecast", "set", "Blue Yonder", "-c", "upside", env={"CSMCTL_USER": "Dana"})
    book.ok(
        "forecast",
        "set",
        "Blue Yonder",
        "-c",
        "at-risk",
        "-l",
        "30",
        "--why",
        "budget cut",
        as_of="2026-11-25",
    )
    history = json.loads(book.ok("forecast", "history", "Blue Yonder", "-f", "json").stdout)
    assert [(h["field"], h["old"], h["new"], h["why"]) for h in history] == [
        ("category", None, "upside", None),
        ("category", "upside", "at-risk", "budget cut"),
        ("likelihood", None, "30%", "budget cut"),
    ]
    assert history[0]["who"] == "Dana" and history[1]["changed_on"] == "2026-11-25"
    same = book.ok("forecast", "set", "Blue Yonder", "-c", "at-risk")
    assert "nothing changed" in same.stderr


def test_snapshot_is_once_per_day_and_accuracy_compares_with_the_outcome(book):
    book.ok("forecast", "set", "Blue Yonder", "-c", "commit", "--amount", "900k", as_of="2027-01-10")
    assert "Froze" in book.ok("forecast", "snapshot", as_of="2027-01-10").stderr  # 98 days out
    assert "Nothing new" in book.ok("forecast", "snapshot", as_of="2027-01-10").stderr
    book.ok("forecast", "snapshot", as_of="2027-03-15")  # 34 days out
    book.ok("renewal", "record", "Blue Yonder", "--outcome", "expanded", "--arr", "990k", as_of="2027-04-18")
    book.ok("forecast", "snapshot", as_of="2027-04-20")  # after the outcome: never used
    detail = json.loads(
        book.ok("forecast", "accuracy", "-q", "2027Q2", "--detail", "-f", "json", as_of="2027-05-01").stdout
    )
    blue = [
        (r["days_out"], r["snapshot_date"], r["forecast"]["amount_minor"])
        for r in detail
        if r["account"] == "Blue Yonder Airlines"
    ]
    assert blue == [
        (90, "2027-01-10", 90_000_000),
        (60, "2027-01-10", 90_000_000),
        (30, "2027-03-15", 90_000_000),
    ]
    summary = _totals(book, "accuracy", "-q", "2027Q2", "--owner", "Marco Bianchi", as_of="2027-05-01")
    assert {(s["days_out"], s["accuracy_pct"]) for s in summary if s["currency"] == "USD"} == {
        (90, 91),
        (60, 91),
        (30, 91),
    }
    # as of a day before the outcome, there is nothing to compare yet
    empty = book("forecast", "accuracy", "-q", "2027Q2", as_of="2027-04-01")
    assert empty.exit_code == 0 and "No recorded renewals" in empty.stderr


def test_errors(book):
    bad = book("forecast", "set", "Blue Yonder", "-c", "maybe")  # a closed set: a usage error
    assert bad.exit_code == 2 and "'upside'" in bad.stderr
    assert "Nothing to change" in book("forecast", "set", "Blue Yonder").stderr
    assert "likelihood 0" in book("forecast", "set", "Blue Yonder", "-c", "lost", "-l", "20").stderr
    assert book("forecast", "set", "Blue Yonder", "-l", "120").exit_code == 1
    assert book("forecast", "--by", "colour").exit_code == 2  # a closed set: a usage error
    assert book("forecast", "-q", "2027Q5").exit_code == 1
    assert book("forecast", "set", "Blue Yonder", "--amount", "-5").exit_code == 1
    assert book.ok("forecast", "history", "Blue Yonder", "-f", "json").stdout.strip() == "[]"


def test_likelihood_defaults_come_from_the_settings(book, tmp_path):
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text("[forecast.likelihood]\nprobable = 50\n")
    lines = json.loads(book.ok("forecast", "-q", "2027", "--lines", "-f", "json").stdout)
    assert {r["likelihood"] for r in lines} == {50}
    (config / "config.toml").write_text("[forecast.likelihood]\nprobable = 50\nlost = 10\n")
    bad = book("forecast", "-q", "2027")
    assert bad.exit_code == 1 and "config.toml" in bad.stderr and "'lost'" in bad.stderr
