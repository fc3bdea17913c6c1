"""`csmctl risk ...` on both backends: open, move, close, list (as of a day), show, errors."""

from __future__ import annotations

import csv
import io
import json


def _open(cli, as_of="2026-10-01", account="Blue Yonder", reason="budget/cost-cutting", *extra):
    return cli.ok("risk", "open", account, "--reason", reason, *extra, as_of=as_of)


def test_risk_lifecycle_with_days_in_each_stage(demo_cli):
    assert (
        "Opened risk 1"
        in _open(demo_cli, "2026-10-01", "Blue Yonder", "budget/cost-cutting", "-s", "high").stderr
    )
    demo_cli.ok("risk", "move", "1", "plan-in-place", as_of="2026-10-20")
    demo_cli.ok("risk", "close", "1", "--outcome", "recovered", as_of="2026-11-05")
    shown = json.loads(demo_cli.ok("risk", "show", "1", "-f", "json").stdout)
    assert shown["stage"] == "recovered" and shown["age_days"] == 35
    assert [(s["stage"], s["days"]) for s in shown["stages"]] == [
        ("at-risk", 19),
        ("plan-in-place", 16),
        ("recovered", 0),
    ]
    assert shown["controllable"] is False and shown["reason_label"] == "Cost cutting"


def test_list_as_of_a_past_day_shows_the_stage_then(demo_cli):
    _open(demo_cli)
    demo_cli.ok("risk", "move", "1", "saving", as_of="2026-10-20")
    then = json.loads(demo_cli.ok("risk", "list", "-f", "json", as_of="2026-10-10").stdout)
    assert [(r["id"], r["stage"], r["age_days"]) for r in then] == [(1, "at-risk", 9)]
    assert demo_cli.ok("risk", "list", "--stage", "at-risk", "-f", "json").stdout.strip() == "[]"
    before = demo_cli("risk", "list", as_of="2026-09-01")
    assert before.exit_code == 0 and "No risks." in before.stderr


def test_list_filters_and_formats(demo_cli):
    _open(demo_cli, "2026-10-01", "Blue Yonder", "budget")
    _open(demo_cli, "2026-10-02", "Alpine Ski", "adoption/low-usage")
    demo_cli.ok("risk", "close", "1", "--outcome", "lost", as_of="2026-10-05")
    assert [r["id"] for r in json.loads(demo_cli.ok("risk", "list", "--open", "-f", "json").stdout)] == [2]
    by_reason = json.loads(demo_cli.ok("risk", "list", "--reason", "adoption", "-f", "json").stdout)
    assert [r["reason"] for r in by_reason] == ["adoption/low-usage"]
    by_owner = json.loads(demo_cli.ok("risk", "list", "--owner", "marco bianchi", "-f", "json").stdout)
    assert {r["owner"] for r in by_owner} == {"Marco Bianchi"}
    rows = list(csv.DictReader(io.StringIO(demo_cli.ok("risk", "list", "-f", "csv").stdout)))
    assert [r["stage"] for r in rows] == ["at-risk", "lost"]
    assert demo_cli.ok("risk", "list", "-f", "md").stdout.startswith("| ID |")
    assert "adoption/low-usage" in demo_cli.ok("risk", "list").stdout


def test_errors_are_one_message_and_change_nothing(demo_cli):
    bad = demo_cli("risk", "open", "Blue Yonder", "--reason", "weather")
    assert bad.exit_code == 1 and "Unknown risk reason 'weather'" in bad.stderr
    assert demo_cli("risk", "open", "Blue Yonder", "-r", "budget", "-s", "huge").exit_code == 1
    assert demo_cli("risk", "move", "9", "saving").exit_code == 1
    _open(demo_cli)
    assert "outcome, not a stage" in demo_cli("risk", "move", "1", "lost").stderr
    back = demo_cli("risk", "move", "1", "saving", as_of="2026-09-01")
    assert back.exit_code == 1 and "cannot go back in time" in back.stderr
    assert json.loads(demo_cli.ok("risk", "show", "1", "-f", "json").stdout)["stage"] == "at-risk"
    demo_cli.ok("risk", "close", "1", "--outcome", "lost")
    assert "already closed" in demo_cli("risk", "close", "1", "--outcome", "lost").stderr
    assert demo_cli("risk", "close", "1", "--outcome", "maybe").exit_code == 1


def test_reasons_come_from_the_settings(cli, tmp_path):
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        '[risk.reasons.pricing]\nlabel = "Pricing"\ncontrollable = true\n'
        '[risk.reasons.pricing.contributing]\nfx = "Exchange rates"\n'
    )
    listed = json.loads(cli.ok("risk", "reasons", "-f", "json").stdout)
    assert [(r["code"], r["controllable"]) for r in listed] == [("pricing", True), ("pricing/fx", True)]


def test_churn_reasons_feed_metrics_by_reason(demo_cli):
    demo_cli.ok(
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
    demo_cli.ok("renewal", "record", "Blue Yonder", "--outcome", "churned", "--reason", "budget")
    losses = json.loads(demo_cli.ok("metrics", "--by", "reason", "-f", "json").stdout)
    by_reason = {(r["reason"], r["currency"]): r for r in losses}
    assert by_reason[("adoption/low-usage", "EUR")]["lost"] == {"amount_minor": 400_000, "currency": "EUR"}
    assert by_reason[("adoption/low-usage", "EUR")]["controllable"] is True
    assert (
        by_reason[("budget", "USD")]["churned"] == 1 and by_reason[("budget", "USD")]["controllable"] is False
    )
    history = json.loads(demo_cli.ok("renewal", "history", "Alpine Ski", "-f", "json").stdout)
    assert history[-1]["reason"] == "adoption/low-usage"
    bad = demo_cli("renewal", "record", "Bellows", "--outcome", "renewed", "-r", "budget")
    assert bad.exit_code == 1 and "--reason explains lost ARR" in bad.stderr
    assert (
        "Unknown risk reason"
        in demo_cli("renewal", "record", "Bellows", "--outcome", "churned", "-r", "x").stderr
    )
