"""`csmctl book`: the manager's view agrees with the commands each of its numbers comes from."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import AS_OF


def _book(cli, *args):
    return json.loads(cli.ok("book", *args, "-f", "json").stdout)


def test_book_agrees_with_metrics_followups_risks_and_forecast(demo_cli):
    [before] = _book(demo_cli)
    demo_cli.ok("risk", "open", "Blue Yonder", "-r", "budget", as_of="2026-11-01")
    opened = demo_cli.ok("risk", "open", "Alpine Ski", "-r", "adoption", as_of="2026-11-01").stderr
    demo_cli.ok("risk", "move", opened.split()[2], "saving", as_of="2026-11-22")
    [whole] = _book(demo_cli)
    accounts = json.loads(demo_cli.ok("account", "list", "-f", "json").stdout)
    assert whole["owner"] == "(book)" and whole["accounts"] == len(accounts)
    risks = {stage: n for stage, n in before["open_risks"].items()}
    risks["at-risk"] += 1
    risks["saving"] += 1
    assert whole["open_risks"] == risks
    listed = json.loads(demo_cli.ok("risk", "list", "--open", "-f", "json").stdout)
    assert sum(risks.values()) == len(listed)
    overdue = json.loads(demo_cli.ok("followup", "list", "--overdue", "-f", "json").stdout)
    assert whole["overdue_follow_ups"] == len(overdue)
    metrics = {m["currency"]: m for m in json.loads(demo_cli.ok("metric", "retention", "-f", "json").stdout)}
    assert whole["grr"] == {c: m["grr_pct"] for c, m in metrics.items()}
    stale = json.loads(demo_cli.ok("stale", "-f", "json").stdout)
    assert whole["untouched"] == len(stale) and whole["touched"] + whole["untouched"] == whole["accounts"]
    lines = json.loads(demo_cli.ok("forecast", "-q", f"{AS_OF}..+90d", "--lines", "-f", "json").stdout)
    assert whole["renewals_90d"] == len(lines)


def test_book_by_owner_splits_the_book(demo_cli):
    [whole] = _book(demo_cli)
    owners = _book(demo_cli, "--by", "owner")
    assert len(owners) > 1
    for key in ("accounts", "touched", "overdue_follow_ups", "red", "yellow", "renewals_90d"):
        assert sum(o[key] for o in owners) == whole[key], key
    mine = _book(demo_cli, "--by", "owner", "--owner", "Marco Bianchi")
    assert [o["owner"] for o in mine] == ["Marco Bianchi"]
    rows = list(csv.DictReader(io.StringIO(demo_cli.ok("book", "--by", "owner", "-f", "csv").stdout)))
    assert [r["owner"] for r in rows] == [o["owner"] for o in owners]
    assert demo_cli.ok("book", "-f", "md").stdout.startswith("# Book of business")
    assert "(book)" in demo_cli.ok("book").stdout


def test_book_errors_and_empty(cli):
    bad = cli("book", "--by", "tier")  # a closed set: a usage error
    assert bad.exit_code == 2 and "'owner'" in bad.stderr
    cli.ok("account", "add", "Solo", "--arr", "10k")
    [only] = _book(cli)
    assert only["accounts"] == 1 and only["renewals_90d"] == 0


def test_book_page_is_one_self_contained_html_file_with_charts(demo_cli, tmp_path):
    demo_cli.ok("forecast", "set", "Blue Yonder", "-c", "commit")
    page = tmp_path / "book.html"
    assert "Wrote the book page" in demo_cli.ok("book", "--by", "owner", "-o", str(page)).stderr
    html = page.read_text()
    assert html.count("<svg") >= 3 and "<script" not in html
    assert "src=" not in html and "href=" not in html  # nothing fetched: it prints and survives email
    # each chart has a text alternative: an SVG <title>/<desc> and a data table
    assert "<title>Coverage: accounts touched within their cadence vs untouched</title>" in html
    assert "<desc>" in html and 'class="data"' in html
    assert "Blue Yonder" not in html  # the book page is per CSM, not per account
    assert "Marco Bianchi" in html and "USD" in html
    md = demo_cli.ok("book", "--by", "owner", "-f", "md").stdout
    assert md.startswith("# Book of business") and "## Health bands" in md
    assert "| Marco Bianchi |" in md


def test_book_output_file_needs_a_page_format(demo_cli, tmp_path):
    bad = demo_cli("book", "-f", "csv", "-o", str(tmp_path / "x.csv"))
    assert bad.exit_code == 1 and "-o writes the md or html page" in bad.stderr
    assert not (tmp_path / "x.csv").exists()


def test_an_archived_account_and_its_touchpoints_stay_out_of_the_book(cli):
    """A whole book scans every touchpoint without testing them against the active accounts
    (store/health.touchpoint_query): an archived account's touchpoints must still count nowhere."""
    cli.ok("account", "add", "Kept", "--arr", "10k")
    cli.ok("account", "add", "Gone", "--arr", "20k")
    cli.ok("touch", "Gone", "Call", "--when", "2026-11-15", "--follow-up", "2026-11-16")
    cli.ok("account", "archive", "Gone")
    [only] = _book(cli)
    assert only["accounts"] == 1 and only["touched"] == 0 and only["overdue_follow_ups"] == 0
