"""Plays read the same facts the commands report: a play's `contact.days_since`/`cadence` picks
the accounts `stale` lists, `health.band` is `health`'s band, `renewal.days` and `notice.days` are
the renewal listing's days, `onboarding.state` is `onboard status`'s state. Checked through the
CLI (probe plays in a --play-dir, run with --dry-run), on the demo book (both backends) and on a
generated book (bench/generate.py at a small size), for several --as-of dates."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from csmctl.domain.conditions import word
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
DATES = ("2026-06-30", "2026-11-23", "2027-02-14")
PROBES = {  # each condition holds for every account that has the fact, and says its value
    "p-renewal": "renewal.days <= 99999",
    "p-notice": "notice.days <= 99999",
    "p-band": "health.band == red or health.band == yellow or health.band == green",
    "p-stale": "contact.days_since > cadence",
    "p-onboarding": "onboarding.state != none",
}


@pytest.fixture
def probes(tmp_path) -> Path:
    folder = tmp_path / "probes"
    folder.mkdir()
    for name, when in PROBES.items():
        (folder / f"{name}.yaml").write_text(
            f"title: {name}\nwhen: {when}\nactions:\n  - follow_up: {{text: probe}}\n", encoding="utf-8"
        )
    return folder


def _json(cli: Cli, *args: str, as_of: str):
    return json.loads(cli.ok(*args, "-f", "json", as_of=as_of).stdout)


def _facts(cli: Cli, probes: Path, name: str, as_of: str) -> dict[str, dict[str, str]]:
    """account -> {fact: value as `play run` says it} for one probe."""
    rows = _json(cli, "play", "run", "--dry-run", "--play-dir", str(probes), "--play", name, as_of=as_of)
    return {r["account"]: dict(part.split(" = ", 1) for part in r["why"].split(", ")) for r in rows}


def _shown(days: int | None) -> str:
    return "never" if days is None else str(days)


def check_agreement(cli: Cli, probes: Path, as_of: str) -> None:
    stale = _json(cli, "stale", as_of=as_of)
    facts = _facts(cli, probes, "p-stale", as_of)
    assert set(facts) == {r["account"] for r in stale}
    assert {a: (f["contact.days_since"], f["cadence"]) for a, f in facts.items()} == {
        r["account"]: (_shown(r["days_since"]), str(r["cadence_days"])) for r in stale
    }

    health = {r["account"]: r["band"] for r in _json(cli, "health", as_of=as_of) if r["band"] is not None}
    assert {a: f["health.band"] for a, f in _facts(cli, probes, "p-band", as_of).items()} == health

    listing = _json(cli, "renewal", "list", "--within", "3660d", as_of=as_of)
    renewals = [r for bucket in listing["buckets"] for r in bucket["renewals"]]
    days = {a: f["renewal.days"] for a, f in _facts(cli, probes, "p-renewal", as_of).items()}
    notice = {a: f["notice.days"] for a, f in _facts(cli, probes, "p-notice", as_of).items()}
    assert renewals, "the book has renewals to compare"
    for row in renewals:
        assert days[row["name"]] == str(row["days_to_renewal"]), row["name"]
        if row["notice_days"]:
            assert notice[row["name"]] == str(row["days_to_notice"]), row["name"]
        else:
            assert row["name"] not in notice

    status = _json(cli, "onboard", "status", as_of=as_of)
    assert stale and health and status, "both books have something to compare on every date"
    assert {a: f["onboarding.state"] for a, f in _facts(cli, probes, "p-onboarding", as_of).items()} == {
        r["account"]: word(r["state"]) for r in status
    }


@pytest.mark.parametrize("as_of", DATES)
def test_plays_agree_with_the_commands_on_the_demo_book(demo_cli, probes, as_of):
    check_agreement(demo_cli, probes, as_of)


@pytest.fixture
def generated_book(tmp_path) -> Cli:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "generated.db"
    module.generate(path, accounts=300, seed=11)
    return Cli(path)


@pytest.mark.sqlite_only  # bench/generate.py writes a SQLite file
def test_plays_agree_with_the_commands_on_a_generated_book(generated_book, probes):
    for as_of in DATES:
        check_agreement(generated_book, probes, as_of)
