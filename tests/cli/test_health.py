"""`csmctl health`: scores, --explain adding up, snapshots, history, movers, profiles."""

from __future__ import annotations

import json

import pytest

from tests.cli.health_book import fill


@pytest.fixture
def book(cli):
    fill(cli, cli.db_path)  # the SQLite file or the PostgreSQL URL of this run
    return cli


def test_explain_contributions_add_up_to_the_score(book):
    record = json.loads(book.ok("health", "acme", "-f", "json").stdout)
    assert (record["score"], record["band"], record["trend"]) == (73, "yellow", "down")
    assert record["previous"] == {"date": "2026-11-16", "score": 90}
    assert record["missing"] == ["onboarding", "metric:tickets"]
    inputs = {i["name"]: i for i in record["inputs"]}
    # notes and planned touchpoints are not contact; the 2026-11-30 metric is after --as-of
    assert inputs["contact"]["raw"] == 22 and inputs["metric:usage"]["raw"] == 65.0
    assert inputs["sentiment"]["raw"] == {"negative": 1, "positive": 1}
    assert inputs["follow_ups"]["raw"] == 1
    assert sum(i["contribution"] for i in record["inputs"]) == pytest.approx(73.3, abs=0.05)
    assert round(sum(i["contribution"] for i in record["inputs"])) == record["score"]


def test_explain_table(book):
    out = book.ok("health", "acme", "--explain").stdout
    assert out.splitlines()[0] == "Acme Corp: 73 yellow ↓ (was 90 on 2026-11-16); profile default"
    assert (
        "contact         22 days since last contact (cadence 14d)       71      25      25%          17.9"
        in out
    )
    assert "Sum of contributions: 73.3 = score 73.3, rounded 73." in out
    assert out.splitlines()[-1] == "Missing (weight spread over the rest): onboarding, metric:tickets."


def test_listing_is_worst_first_and_skips_archived(book):
    rows = json.loads(book.ok("health", "-f", "json").stdout)
    assert [(r["account"], r["score"], r["band"], r["trend"]) for r in rows] == [
        ("Beta Labs", 37, "red", None),
        ("Gamma Co", 70, "yellow", "flat"),
        ("Acme Corp", 73, "yellow", "down"),
    ]
    assert "inputs" not in rows[0]
    assert book.ok("health", "--owner", "Dana Reyes", "--band", "yellow", "-f", "csv").stdout == (
        "account_id,account,owner,tier,score,band,trend,missing\n"
        "3,Gamma Co,Dana Reyes,mid-market,70,yellow,flat,contact;sentiment;nps;onboarding;renewal;follow_ups;"
        "metric:usage;metric:tickets\n"
        "1,Acme Corp,Dana Reyes,enterprise,73,yellow,down,onboarding;metric:tickets\n"
    )
    assert book.ok("health", "--band", "green").stderr == "No accounts match.\n"


def test_as_of_moves_the_inputs(book):
    # A week earlier the overdue follow-up was not due yet and the last call was 15 days old.
    record = json.loads(book.ok("health", "acme", "-f", "json", as_of="2026-11-16").stdout)
    inputs = {i["name"]: i for i in record["inputs"]}
    assert inputs["follow_ups"]["raw"] == 0 and inputs["contact"]["raw"] == 15
    assert inputs["metric:usage"]["raw"] == 65.0
    assert record["previous"] == {"date": "2026-10-26", "score": 88}


def test_snapshot_is_idempotent_per_day(book):
    first = book.ok("health", "snapshot")
    assert first.stderr == "Stored 3 health scores for 2026-11-23.\n"
    again = book.ok("health", "snapshot")
    assert again.stderr == "Stored 3 health scores for 2026-11-23 (replaced 3 from earlier today).\n"
    history = json.loads(book.ok("health", "history", "acme", "-f", "json").stdout)
    assert history == [
        {"date": "2026-10-26", "score": 88, "band": "green"},
        {"date": "2026-11-16", "score": 90, "band": "green"},
        {"date": "2026-11-23", "score": 73, "band": "yellow"},
    ]
    from datetime import date

    from sqlmodel import select

    from csmctl.store.database import Database
    from csmctl.store.models import HealthSnapshot

    db = Database(str(book.db_path))
    with db.read() as session:
        stored = session.exec(
            select(HealthSnapshot.measures).where(
                HealthSnapshot.account_id == 1, HealthSnapshot.date == date(2026, 11, 23)
            )
        ).one()
    db.dispose()
    measures = json.loads(stored)
    assert measures["contact"] == {"raw": 22, "score": 71.4, "weight": 25.0}


def test_history_sparkline_and_empty(book):
    out = book.ok("health", "history", "acme").stdout
    assert out.splitlines()[0] == "Acme Corp  ▄▅  88 -> 90 over 2 snapshots (2026-10-26 to 2026-11-16)"
    empty = book.ok("health", "history", "beta")
    assert empty.stdout == ""
    assert empty.stderr == (
        "No health snapshots for Beta Labs yet: `csmctl health snapshot` stores them (run it daily).\n"
    )
    assert json.loads(book.ok("health", "history", "acme", "--since", "14d", "-f", "json").stdout) == [
        {"date": "2026-11-16", "score": 90, "band": "green"}
    ]


def test_movers(book):
    book.ok("health", "snapshot")
    rows = json.loads(book.ok("health", "movers", "--since", "30d", "-f", "json").stdout)
    assert [(r["account"], r["from_score"], r["to_score"], r["change"]) for r in rows] == [
        ("Acme Corp", 88, 73, -15)
    ]
    everything = json.loads(book.ok("health", "movers", "--all", "-f", "json").stdout)
    assert [(r["account"], r["change"]) for r in everything] == [("Acme Corp", -15), ("Gamma Co", 10)]
    assert book.ok("health", "movers", "--since", "3d").stderr == "No drops since 2026-11-20.\n"


def test_demo_has_history_and_movers(demo_cli):
    movers = json.loads(demo_cli.ok("health", "movers", "-f", "json").stdout)
    assert movers and all(r["change"] < 0 for r in movers)
    assert {"Contoso Health", "Fabrikam Retail", "Tailspin Travel", "Litware Labs"} <= {
        r["account"] for r in movers
    }
    out = demo_cli.ok("health", "history", "Contoso Health").stdout
    assert "over 6 snapshots" in out.splitlines()[0]


def test_unknown_account_and_archived(book):
    result = book("health", "nosuch")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No account matches 'nosuch'.")
    archived = book("health", "omega")
    assert archived.exit_code == 1
    assert archived.stderr == "Error: Omega Ltd is archived: no health score.\nUnarchive it to score it.\n"


def test_explain_for_the_whole_book_needs_json(book):
    result = book("health", "--explain")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --explain without an ACCOUNT needs --format json.\n"
        "Or name one account: csmctl health ACCOUNT --explain.\n"
    )
    assert "inputs" in json.loads(book.ok("health", "--explain", "-f", "json").stdout)[0]


def test_profile_in_the_config_dir_per_tier(book, isolated_home):
    config = isolated_home / "config"
    config.mkdir(exist_ok=True)
    (config / "health.yaml").write_text(
        "bands: {red: 40}\ntiers:\n  enterprise:\n    weights: {contact: 0, sentiment: 0}\n"
    )
    record = json.loads(book.ok("health", "acme", "-f", "json").stdout)
    assert record["profile"] == "tier:enterprise"
    assert record["score"] == 80  # (10*70 + 10*85 + 15*100 + 15*66 + 10*75) / 60: no contact, sentiment
    beta = json.loads(book.ok("health", "beta", "-f", "json").stdout)
    assert (beta["profile"], beta["score"], beta["band"]) == ("default", 37, "red")


def test_invalid_profile_lists_every_problem(book, isolated_home, tmp_path):
    profile = tmp_path / "health.toml"
    profile.write_text(
        "[weights]\ncontact = -5\nlogins = 3\n\n[bands]\nred = 80\ngreen = 70\n\n"
        "[tiers.enterprise.weights]\ncontact = 0\nsentiment = 0\nnps = 0\ncsat = 0\nonboarding = 0\n"
        "renewal = 0\nfollow_ups = 0\n[tiers.enterprise.metrics.usage]\nweight = 0\n"
        "[tiers.enterprise.metrics.tickets]\nweight = 0\n"
    )
    result = book("health", "--profile", str(profile))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {profile}: 2 problems in the health profile:"
    assert lines[1:] == [
        f"  {profile}, line 2, weights.contact: negative weight -5; use 0 to ignore an input",
        f"  {profile}, line 3, weights.logins: unknown input; inputs: contact, sentiment, nps, csat, onboarding, renewal, "
        "follow_ups, risks",
    ]
    # Once the keys are right, the rules on the merged profiles are checked.
    profile.write_text(profile.read_text().replace("contact = -5\nlogins = 3\n", ""))
    result = book("health", "--profile", str(profile))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {profile}: 2 problems in the health profile:",
        f"  {profile}, line 3, bands: bands overlap: red ends at 80 but green starts above 70; red must be <= green",
        f"  {profile}, line 7, tiers.enterprise.weights: the weights sum to 0; give at least one input a positive weight",
    ]


def test_broken_profile_file(book, isolated_home):
    config = isolated_home / "config"
    config.mkdir(exist_ok=True)
    (config / "health.yaml").write_text("weights: [1, 2\n")
    result = book("health")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {config / 'health.yaml'}, line 2: not valid YAML:")
    (config / "health.toml").write_text("")
    result = book("health")
    assert result.stderr == (
        f"Error: Two health profiles in {config}: health.toml, health.yaml.\nKeep one of them.\n"
    )


def test_cadence_from_config(book, isolated_home):
    config = isolated_home / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[cadence]\nenterprise = "4w"\n')
    record = json.loads(book.ok("health", "acme", "-f", "json").stdout)
    contact = next(i for i in record["inputs"] if i["name"] == "contact")
    assert contact["detail"] == "22 days since last contact (cadence 28d)" and contact["score"] == 100


def test_a_health_yaml_goes_through_the_shared_document_loader(book, isolated_home):
    """health.yaml gets what every YAML input gets from documents.sources.load_document: the depth
    check, located at the line where it gets too deep, and the 'must be a mapping' check."""
    from csmctl.documents.sources import MAX_NESTING

    config = isolated_home / "config"
    config.mkdir(exist_ok=True)
    profile = config / "health.yaml"
    profile.write_text("weights:\n  contact: " + "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5) + "\n")
    deep = book("health")
    assert deep.exit_code == 1
    assert deep.stderr.startswith(
        f"Error: {profile}, line 2: nested too deeply (more than {MAX_NESTING} levels)"
    )
    profile.write_text("- 1\n- 2\n")
    listed = book("health")
    assert listed.exit_code == 1
    assert listed.stderr.startswith(f"Error: {profile}, line 1: expected a mapping of keys")


def test_one_account_agrees_with_its_row_in_the_whole_listing(book):
    """`health ACCOUNT` scores a scope of one account, the listing every account of the book: the
    same record for each, one without any touchpoint (Gamma Co) included."""
    listing = {r["account"]: r for r in json.loads(book.ok("health", "--explain", "-f", "json").stdout)}
    assert set(listing) == {"Acme Corp", "Beta Labs", "Gamma Co"}
    for name, row in listing.items():
        assert json.loads(book.ok("health", name, "-f", "json").stdout) == row
