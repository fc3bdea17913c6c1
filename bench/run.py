"""Benchmarks as ratios against baselines measured in the same run (the machines are noisy).

    python bench/run.py [--runs 7] [--accounts 10000] [--out bench/RESULTS.md]

Each case runs as a whole process several times; we report the median wall time, the ratio to
its baseline, and the peak RSS of the child. Needs the bench extra (sqlite-utils) installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Case:
    name: str
    argv: list[str]
    baseline: str  # name of another case
    goal: float | None = None  # ratio goal (<=)
    env: dict[str, str] | None = None


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss


def measure(cases: list[Case], runs: int, env: dict[str, str]) -> dict[str, tuple[float, int]]:
    results: dict[str, list[tuple[float, int]]] = {c.name: [] for c in cases}
    for case in cases:  # warm caches once
        run_once(case.argv, {**env, **(case.env or {})})
    for _ in range(runs):  # interleave cases so drift hits all of them alike
        for case in cases:
            results[case.name].append(run_once(case.argv, {**env, **(case.env or {})}))
    return {n: (statistics.median(t for t, _ in r), max(m for _, m in r)) for n, r in results.items()}


def bin_of(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="csmctl-bench-"))
    book = work / "book.db"
    # In a child process, so this process stays small (peak RSS of children is inherited at fork).
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(book), "--accounts", str(args.accounts)],
                   check=True, stdout=subprocess.DEVNULL)
    py, csmctl = sys.executable, bin_of("csmctl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSMCTL_")}
    env.update(CSMCTL_DATA_DIR=str(work / "data"), CSMCTL_CONFIG_DIR=str(work / "cfg"), NO_COLOR="1")
    db = ["--db", str(book), "--as-of", "2026-11-23"]
    cases = [
        Case("python -c pass", [py, "-c", "pass"], "python -c pass"),
        Case("python -c 'import sqlmodel' (import floor)", [py, "-c", "import sqlmodel"], "python -c pass"),
        Case("sqlite-utils --help", [bin_of("sqlite-utils"), "--help"], "python -c pass"),
        Case("csmctl --help", [csmctl, "--help"], "sqlite-utils --help", goal=0.7),
        Case("csmctl account --help", [csmctl, "account", "--help"], "sqlite-utils --help", goal=0.7),
        Case(f"csmctl account list --format json ({args.accounts:,} accounts)",
             [csmctl, *db, "account", "list", "--format", "json"],
             "python -c 'import sqlmodel' (import floor)", goal=1.3),
        Case("csmctl account show NAME", [csmctl, *db, "account", "show", "EXT-5"],
             "python -c 'import sqlmodel' (import floor)", goal=1.3),
        Case("csmctl account list --owner X --renewing-within 30d",
             [csmctl, *db, "account", "list", "--owner", "CSM 07", "--renewing-within", "30d"],
             "python -c 'import sqlmodel' (import floor)", goal=1.3),
        Case("csmctl today --owner X", [csmctl, *db, "today", "--owner", "CSM 07"],
             "python -c 'import sqlmodel' (import floor)", goal=1.5),
        Case("csmctl health ACCOUNT --explain", [csmctl, *db, "health", "EXT-5", "--explain"],
             "python -c 'import sqlmodel' (import floor)", goal=1.3),
        Case("csmctl health --owner X", [csmctl, *db, "health", "--owner", "CSM 07"],
             "python -c 'import sqlmodel' (import floor)", goal=1.5),
    ]
    results = measure(cases, args.runs, env)
    by_name = {c.name: c for c in cases}
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py --runs {args.runs} --accounts {args.accounts}` on {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}. Median of {args.runs} runs; ratio = case / its baseline in the same run.",
        "",
        "| case | median s | baseline | ratio | goal | peak RSS MB |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for case in cases:
        seconds, rss = results[case.name]
        base = results[by_name[case.baseline].name][0]
        ratio = seconds / base if base else float("nan")
        goal = f"<= {case.goal}" + (" ok" if ratio <= case.goal else " MISS") if case.goal else ""
        lines.append(f"| {case.name} | {seconds:.3f} | {case.baseline} | {ratio:.2f} | {goal} | {rss / 1024:.0f} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
