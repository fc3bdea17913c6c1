"""The bench's stdlib baselines write exactly what csmctl writes (on a tiny generated book), so a
change to csmctl's output cannot leave a baseline doing less work unnoticed; and the bench's own
same-output check and scaling arithmetic."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.test_generator_and_plans import _generator
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
BASELINES = ROOT / "bench" / "baselines"
AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("baselines") / "book.db"
    _generator().generate(path, accounts=300, seed=3)
    return path


def baseline(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BASELINES / script), *args, "--as-of", AS_OF],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize(
    ("script", "argv", "extra", "expect"),
    [
        ("stale_json.py", ["stale", "--format", "json"], [], '"days_over"'),
        ("renewals_json.py", ["renewals", "--within", "120d", "--format", "json"], [], '"auto-renewed?"'),
        ("renewals_table.py", ["renewals", "--within", "90d"], [], "auto-renewed?"),
    ],
)
def test_a_baseline_prints_csmctls_bytes(book, monkeypatch, script, argv, extra, expect):
    monkeypatch.setenv("NO_COLOR", "1")
    ours = Cli(book).ok(*argv, as_of=AS_OF).stdout
    assert expect in ours  # the tiny book exercises what the script computes
    assert baseline(script, str(book), *extra) == ours


@pytest.mark.parametrize(
    ("fmt", "script"), [("md", "report_md.py"), ("json", "report_json.py"), ("html", "report_html.py")]
)
def test_the_report_baselines_write_csmctls_report(book, tmp_path, fmt, script):
    ours, theirs = tmp_path / f"ours.{fmt}", tmp_path / f"theirs.{fmt}"
    Cli(book).ok("report", "renewals", "-f", fmt, "-o", str(ours), as_of=AS_OF)
    baseline(script, str(book), str(theirs))
    text = ours.read_text(encoding="utf-8")
    # buckets, notices, unconfirmed auto-renewals, recent outcomes and the retention table all show
    parts = {
        "md": ("| **overdue** |", "(passed; renews", "--outcome renewed", "| expanded |", "| USD | "),
        "json": ('"status": "auto-renewed?"', '"notice": "passed"', '"outcome": "expanded"', '"grr_pct": "'),
        "html": ("auto-renewed?</span><br>", " (passed)</td>", "color:#1a7f37;", "<rect x=", "Confirm these"),
    }
    for part in parts[fmt]:
        assert part in text
    assert theirs.read_bytes() == ours.read_bytes()


def test_the_book_and_forecast_scripts_print_csmctls_bytes(book, tmp_path, monkeypatch):
    """bench/book_sqlite.py and bench/forecast_sqlite.py (issue 20's baselines) against `book` and
    `forecast` on a tiny book given forecasts in every category and risks in every open stage."""
    monkeypatch.setenv("NO_COLOR", "1")
    copy = tmp_path / "book.db"
    shutil.copy(book, copy)
    cli = Cli(copy)
    accounts = json.loads(cli.ok("account", "list", "-f", "json", as_of=AS_OF).stdout)
    soon = sorted(  # in 2027Q1 and within book's 90 days
        (a for a in accounts if a["renewal_date"] and "2027-01-01" <= a["renewal_date"] <= "2027-02-20"),
        key=lambda a: a["id"],
    )
    for account, category in zip(
        soon[::3], ("commit", "upside", "at-risk", "lost", "probable"), strict=False
    ):
        cli.ok("forecast", "set", str(account["id"]), "-c", category, as_of=AS_OF)
    for account in accounts[:4]:
        cli.ok("risk", "open", str(account["id"]), "-r", "budget", as_of="2026-10-01")
    risks = sorted(
        json.loads(cli.ok("risk", "list", "-f", "json", as_of=AS_OF).stdout), key=lambda r: r["id"]
    )
    for risk, stage in zip(risks[1:3], ("plan-in-place", "saving"), strict=True):
        cli.ok("risk", "move", str(risk["id"]), stage, as_of="2026-11-01")
    cli.ok("risk", "close", str(risks[3]["id"]), "--outcome", "lost", as_of="2026-11-02")

    def script(name: str, *args: str) -> str:
        argv = [sys.executable, str(ROOT / "bench" / name), str(copy), *args]
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    ours = cli.ok("forecast", "--quarter", "2027Q1", "--by", "owner", "-f", "json", as_of=AS_OF).stdout
    mix = [group["by_category"] for group in json.loads(ours)]
    assert all(
        any(m[c]["amount_minor"] for m in mix) for c in ("commit", "probable", "upside", "at-risk", "lost")
    )
    assert script("forecast_sqlite.py", "2027-01-01", "2027-03-31") == ours
    ours = cli.ok("book", "--by", "owner", "-f", "json", as_of=AS_OF).stdout
    for part in ('"at-risk": 1', '"plan-in-place": 1', '"saving": 1', '"red": ', '"grr": {"USD": "'):
        assert part in ours
    assert script("book_sqlite.py", AS_OF) == ours
    owner = soon[0]["owner"]
    ours = cli.ok("book", "--by", "owner", "--owner", owner, "-f", "json", as_of=AS_OF).stdout
    assert script("book_sqlite.py", AS_OF, owner) == ours


def _bench(name: str):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_the_bench_notices_a_baseline_that_writes_something_else(tmp_path):
    lib = _bench("benchlib")
    py = sys.executable

    def case(name: str, text: str):
        return lib.Case(name, [py, "-c", f"print({text!r})"], lib.PASS, same="bytes")

    assert lib.check_same(case("a", "x"), case("b", "x"), {}, tmp_path)
    assert not lib.check_same(case("a", "x"), case("b", "y"), {}, tmp_path)
    parsed = lib.Case("a", [py, "-c", 'print(\'{"a": 1, "b": 2}\')'], lib.PASS, same="parsed")
    reordered = lib.Case("b", [py, "-c", 'print(\'{"b": 2, "a": 1}\')'], lib.PASS)
    assert lib.check_same(parsed, reordered, {}, tmp_path)


def test_the_scaling_table_gives_whole_and_marginal_cost_per_100k():
    run = _bench("run")
    lib = _bench("benchlib")
    cases = [lib.Case("python -c pass", [], "python -c pass")] + [
        lib.Case(f"stale ({size:,})", [], "python -c pass", per=size) for size in (10_000, 100_000, 300_000)
    ]
    results = {
        "python -c pass": (0.1, 1024, 0.01),
        "stale (10,000)": (1.0, 60 * 1024, 0.5),
        "stale (100,000)": (2.0, 100 * 1024, 1.4),
        "stale (300,000)": (5.0, 104 * 1024, 3.4),
    }

    class Args:
        runs = 3

    text = run.report(cases, results, {}, Args, [10_000, 100_000, 300_000], 60.0)
    assert "| stale | 100,000 | 1.400 | 1.400 | 1.000 | 100 |" in text
    assert "| stale | 300,000 | 3.400 | 1.133 | 1.000 | 104 |" in text


def test_the_goals_are_stated_met_or_missed_per_command():
    run = _bench("run")
    lib = _bench("benchlib")
    cases = [lib.Case("python -c pass", [], "python -c pass")]
    results = {"python -c pass": (0.1, 1024, 0.01)}
    for size, cpu, rss, base in ((10_000, 0.5, 60, 0.1), (100_000, 1.4, 100, 1.0), (300_000, 3.6, 130, 3.0)):
        cases += [
            lib.Case(f"script ({size:,})", [], "python -c pass", per=size),
            lib.Case(f"stale ({size:,})", [], f"script ({size:,})", goal=2.0, same="bytes", per=size),
        ]
        results[f"script ({size:,})"] = (1.0, 20 * 1024, base)
        results[f"stale ({size:,})"] = (1.0, rss * 1024, cpu)
    text = "\n".join(run.goals(cases, results, {"stale (100,000)": True}))
    assert (
        "| stale | met (1.40x, same output) | met (1.40 s) | met (100 MB) | **missed** (130 MB at 300,000) |"
        in text
    )
    assert "met (1.00 -> 1.10 s per 100k)" in text  # 10 % apart: within the 20 % allowed


def test_the_replay_runs_the_commands_own_selects_and_its_bound_imports_the_stack_first(book, tmp_path):
    """bench/replay.py records the SELECTs `today --owner` runs and replays them with sqlite3; the
    bound replays the same statements after importing the named modules, so it fetches the same rows
    and fails on a module that is not there (it really imports them)."""
    replay = str(ROOT / "bench" / "replay.py")
    recorded = tmp_path / "today.json"
    argv = ["--db", str(book), "--as-of", AS_OF, "today", "--owner", "CSM 01"]
    subprocess.run(
        [sys.executable, replay, "record", str(recorded), "--", *argv], check=True, capture_output=True
    )
    statements = json.loads(recorded.read_text(encoding="utf-8"))
    assert statements and all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql, _ in statements)

    def run(*modules: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, replay, "run", str(recorded), str(book), *modules],
            capture_output=True,
            text=True,
        )

    alone, bound = run(), run("typer", "sqlalchemy.dialects.sqlite")
    assert alone.returncode == bound.returncode == 0
    assert int(alone.stdout) == int(bound.stdout) > 0
    assert run("csmctl_no_such_module").returncode != 0
