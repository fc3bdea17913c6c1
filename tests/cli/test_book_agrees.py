"""`csmctl book --by owner` on a generated book agrees, owner by owner and on several --as-of
dates, with the commands a CSM runs for the same facts: `health` (red/yellow), `stale`
(untouched), `follow-up list --overdue`, `renewal list --within 90d` and `risk list --open`."""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
DATES = ("2025-06-01", "2026-02-14", "2026-11-23", "2027-03-01")


@pytest.fixture(scope="module")
def generated_book(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("book") / "generated.db"
    module.generate(path, accounts=300, seed=11)
    return path


def _json(cli: Cli, *args: str, as_of: str):
    return json.loads(cli.ok(*args, "-f", "json", as_of=as_of).stdout)


def _per_owner(rows, owner_key="owner") -> Counter:
    return Counter(row[owner_key] or "(no owner)" for row in rows)


@pytest.mark.sqlite_only  # the generator writes a SQLite file
def test_book_agrees_with_health_stale_followups_renewals_and_risks(generated_book, tmp_path):
    path = tmp_path / "book.db"
    shutil.copy(generated_book, path)
    cli = Cli(path)
    accounts = _json(cli, "account", "list", as_of="2026-11-23")
    # Risks in several stages, opened before some of the dates and closed before others.
    first = cli.ok("risk", "open", accounts[0]["name"], "-r", "budget", as_of="2025-05-01").stderr.split()[2]
    cli.ok("risk", "open", accounts[1]["name"], "-r", "adoption", "--severity", "high", as_of="2026-01-10")
    third = cli.ok(
        "risk", "open", accounts[2]["name"], "-r", "competitor", as_of="2026-02-01"
    ).stderr.split()[2]
    cli.ok("risk", "move", third, "saving", as_of="2026-10-01")
    cli.ok("risk", "close", first, "--outcome", "recovered", as_of="2026-03-01")

    seen: Counter = Counter()
    for day in DATES:
        book = {row["owner"]: row for row in _json(cli, "book", "--by", "owner", as_of=day)}
        health = _json(cli, "health", as_of=day)
        for band in ("red", "yellow", "green"):
            want = _per_owner(r for r in health if r["band"] == band)
            assert {o: b[band] for o, b in book.items() if b[band]} == dict(want), (day, band)
        stale = _per_owner(_json(cli, "stale", as_of=day))
        assert {o: b["untouched"] for o, b in book.items() if b["untouched"]} == dict(stale), day
        assert {o: b["touched"] + b["untouched"] for o, b in book.items()} == dict(_per_owner(health)), day
        overdue = _per_owner(_json(cli, "follow-up", "list", "--overdue", as_of=day))
        assert {o: b["overdue_follow_ups"] for o, b in book.items() if b["overdue_follow_ups"]} == dict(
            overdue
        ), day
        listed = _json(cli, "renewal", "list", "--within", "90d", as_of=day)
        upcoming = [
            r for bucket in listed["buckets"] if bucket["key"] != "overdue" for r in bucket["renewals"]
        ]
        upcoming = [r for r in upcoming if r["days_to_renewal"] <= 90]
        assert {o: b["renewals_90d"] for o, b in book.items() if b["renewals_90d"]} == dict(
            _per_owner(upcoming)
        ), day
        risks = Counter(
            (r["owner"] or "(no owner)", r["stage"]) for r in _json(cli, "risk", "list", "--open", as_of=day)
        )
        assert {(o, s): n for o, b in book.items() for s, n in b["open_risks"].items() if n} == dict(risks), (
            day
        )
        for key in ("red", "yellow", "untouched", "overdue_follow_ups", "renewals_90d"):
            seen[key] += sum(b[key] for b in book.values())
        seen["risks"] += sum(risks.values())
        # One owner's book is that owner's row of the whole book's (the same owner rule).
        some = next(iter(book))
        [mine] = _json(cli, "book", "--by", "owner", "--owner", some, as_of=day)
        assert mine == book[some]
    assert all(
        seen[key] for key in ("red", "yellow", "untouched", "overdue_follow_ups", "renewals_90d", "risks")
    )
