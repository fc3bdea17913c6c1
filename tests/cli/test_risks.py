"""`csmctl risk ...` on both backends: open, move, close, list (as of a day), show, errors."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.risk_book import book  # noqa: F401 - the fixture


def _open(cli, as_of="2026-10-01", account="Blue Yonder", reason="budget/cost-cutting", *extra):
    return cli.ok("risk", "open", account, "--reason", reason, *extra, as_of=as_of)


def test_risk_lifecycle_with_days_in_each_stage(book):
    assert (
        "Opened risk 1"
        in _open(book, "2026-10-01", "Blue Yonder", "budget/cost-cutting", "--severity", "high").stderr
    )
    book.ok("risk", "move", "1", "plan-in-place", as_of="2026-10-20")
    book.ok("risk", "close", "1", "--outcome", "recovered", as_of="2026-11-05")
    shown = json.loads(book.ok("risk", "show", "1", "-f", "json").stdout)
    assert shown["stage"] == "recovered" and shown["age_days"] == 35
    assert [(s["stage"], s["days"]) for s in shown["stages"]] == [
        ("at-risk", 19),
        ("plan-in-place", 16),
        ("recovered", 0),
    ]
    assert shown["controllable"] is False and shown["reason_label"] == "Cost cutting"


def test_list_as_of_a_past_day_shows_the_stage_then(book):
    _open(book)
    book.ok("risk", "move", "1", "saving", as_of="2026-10-20")
    then = json.loads(book.ok("risk", "list", "-f", "json", as_of="2026-10-10").stdout)
    assert [(r["id"], r["stage"], r["age_days"]) for r in then] == [(1, "at-risk", 9)]
    assert book.ok("risk", "list", "--stage", "at-risk", "-f", "json").stdout.strip() == "[]"
    before = book("risk", "list", as_of="2026-09-01")
    assert before.exit_code == 0 and "No risks." in before.stderr


def test_list_filters_and_formats(book):
    _open(book, "2026-10-01", "Blue Yonder", "budget")
    _open(book, "2026-10-02", "Alpine Ski", "adoption/low-usage")
    book.ok("risk", "close", "1", "--outcome", "lost", as_of="2026-10-05")
    assert [r["id"] for r in json.loads(book.ok("risk", "list", "--open", "-f", "json").stdout)] == [2]
    by_reason = json.loads(book.ok("risk", "list", "--reason", "adoption", "-f", "json").stdout)
    assert [r["reason"] for r in by_reason] == ["adoption/low-usage"]
    by_owner = json.loads(book.ok("risk", "list", "--owner", "marco bianchi", "-f", "json").stdout)
    assert {r["owner"] for r in by_owner} == {"Marco Bianchi"}
    rows = list(csv.DictReader(io.StringIO(book.ok("risk", "list", "-f", "csv").stdout)))
    assert [r["stage"] for r in rows] == ["at-risk", "lost"]
    assert book.ok("risk", "list", "-f", "md").stdout.startswith("| ID |")
    assert "adoption/low-usage" in book.ok("risk", "list").stdout


def test_errors_are_one_message_and_change_nothing(book):
    bad = book("risk", "open", "Blue Yonder", "--reason", "weather")
    assert bad.exit_code == 1 and "Unknown risk reason 'weather'" in bad.stderr
    assert (
        book("risk", "open", "Blue Yonder", "-r", "budget", "--severity", "huge").exit_code == 2
    )  # a closed set
    assert book("risk", "move", "9", "saving").exit_code == 1
    _open(book)
    assert "outcome, not a stage" in book("risk", "move", "1", "lost").stderr
    back = book("risk", "move", "1", "saving", as_of="2026-09-01")
    assert back.exit_code == 1 and "cannot go back in time" in back.stderr
    assert json.loads(book.ok("risk", "show", "1", "-f", "json").stdout)["stage"] == "at-risk"
    book.ok("risk", "close", "1", "--outcome", "lost")
    assert "already closed" in book("risk", "close", "1", "--outcome", "lost").stderr
    assert book("risk", "close", "1", "--outcome", "maybe").exit_code == 2  # a closed set


def test_reasons_come_from_the_settings(cli, tmp_path):
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        '[risk.reasons.pricing]\nlabel = "Pricing"\ncontrollable = true\n'
        '[risk.reasons.pricing.contributing]\nfx = "Exchange rates"\n'
    )
    listed = json.loads(cli.ok("risk", "reasons", "-f", "json").stdout)
    assert [(r["code"], r["controllable"]) for r in listed] == [("pricing", True), ("pricing/fx", True)]


def test_churn_reasons_feed_metrics_by_reason(book):
    book.ok(
        "renewal",
        "record",
        "Alpine Ski",
        "--outcome",
        "contracted",
        "--arr",
        "8k",
        "-r",
        "adoption/low-usage",
    )
    book.ok("renewal", "record", "Blue Yonder", "--outcome", "churned", "--reason", "budget")
    losses = json.loads(book.ok("metric", "retention", "--by", "reason", "-f", "json").stdout)
    by_reason = {(r["reason"], r["currency"]): r for r in losses}
    assert by_reason[("adoption/low-usage", "EUR")]["lost"] == {"amount_minor": 400_000, "currency": "EUR"}
    assert by_reason[("adoption/low-usage", "EUR")]["controllable"] is True
    assert (
        by_reason[("budget", "USD")]["churned"] == 1 and by_reason[("budget", "USD")]["controllable"] is False
    )
    history = json.loads(book.ok("renewal", "history", "Alpine Ski", "-f", "json").stdout)
    assert history[-1]["reason"] == "adoption/low-usage"
    bad = book("renewal", "record", "Bellows", "--outcome", "renewed", "-r", "budget")
    assert bad.exit_code == 1 and "--reason explains lost ARR" in bad.stderr
    assert (
        "Unknown risk reason"
        in book("renewal", "record", "Bellows", "--outcome", "churned", "-r", "x").stderr
    )


def test_today_lists_a_high_risk_with_no_recent_contact(book, tmp_path):
    book.ok("risk", "open", "Blue Yonder", "-r", "budget", "--severity", "high", as_of="2026-10-01")
    book.ok("risk", "open", "Alpine Ski", "-r", "budget", "--severity", "low", as_of="2026-10-01")
    items = json.loads(book.ok("today", "-f", "json").stdout)
    risky = [i for i in items if i["kind"] == "risk"]
    assert [(i["account"], i["ref"], i["due"]) for i in risky] == [("Blue Yonder Airlines", 1, "2026-10-15")]
    assert risky[0]["command"] == "csmctl risk show 1"
    book.ok("touch", "Blue Yonder", "Budget call", "--kind", "call", "--when", "2026-11-20")
    assert not [i for i in json.loads(book.ok("today", "-f", "json").stdout) if i["kind"] == "risk"]
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text("[risk]\nquiet_days = 2\n")
    again = json.loads(book.ok("today", "-f", "json").stdout)
    assert [i["due"] for i in again if i["kind"] == "risk"] == ["2026-11-22"]
    book.ok("risk", "close", "1", "--outcome", "recovered")
    assert not [i for i in json.loads(book.ok("today", "-f", "json").stdout) if i["kind"] == "risk"]


def test_renewal_report_shows_open_risks_and_fails_on_them(book, tmp_path):
    out = tmp_path / "report.md"
    book.ok("report", "renewals", "--within", "200d", "--fail-on", "risk", "-o", str(out))
    assert "Risks" not in out.read_text()
    book.ok("risk", "open", "Bellows", "-r", "adoption", as_of="2026-11-01")
    found = book("report", "renewals", "--within", "200d", "--fail-on", "risk", "-o", str(out))
    assert found.exit_code == 3 and "Found 1 risk (--fail-on)." in found.stderr
    assert "| Risks |" in out.read_text()
    data = json.loads(book.ok("report", "renewals", "--within", "200d", "-f", "json").stdout)
    assert data["summary"]["with_risks"] == 1
    rows = [r for b in data["buckets"] for r in b["renewals"]]
    assert {r["name"]: r["open_risks"] for r in rows}["Bellows College"] == 1
    # seen from before the risk was opened, the report has nothing to fail on
    book.ok("report", "renewals", "--within", "200d", "--fail-on", "risk", as_of="2026-10-15")


def test_brief_lists_open_risks_and_draws_its_charts(book, tmp_path):
    book.ok(
        "risk", "open", "Bellows", "-r", "adoption/low-usage", "--severity", "high", "--note", "Seats unused"
    )
    book.ok("touch", "Bellows", "Kick-off", "--kind", "call", "--when", "2026-11-20")
    md = book.ok("brief", "Bellows").stdout
    assert (
        "## Open risks" in md
        and "| Low usage (adoption/low-usage, controllable) | high | at-risk | 0 |" in md
    )
    page = tmp_path / "brief.html"
    book.ok("brief", "Bellows", "-o", str(page))
    html = page.read_text()
    assert "<title>Touchpoints per month</title>" in html and "<script" not in html
    assert "2026-11 1" in html  # the numbers behind the bars, as text
    book.ok("risk", "close", "1", "--outcome", "recovered")
    assert "Open risks" not in book.ok("brief", "Bellows").stdout


def test_open_risks_are_a_health_input_when_weighed(book, tmp_path):
    book.ok("touch", "Bellows", "Kick-off", "--kind", "call", "--when", "2026-11-20")
    before = json.loads(book.ok("health", "Bellows", "-f", "json").stdout)
    assert "risks" not in {i["name"] for i in before["inputs"]}  # off by default: scores unchanged
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "health.toml").write_text("[weights]\nrisks = 20\n")
    calm = json.loads(book.ok("health", "Bellows", "-f", "json").stdout)
    book.ok("risk", "open", "Bellows", "-r", "budget", "--severity", "high")
    worried = json.loads(book.ok("health", "Bellows", "-f", "json").stdout)
    risk_input = {i["name"]: i for i in worried["inputs"]}["risks"]
    assert risk_input["score"] == 50 and risk_input["detail"] == "open risks: 1 high"
    assert worried["score"] < calm["score"]
