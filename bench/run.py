"""Benchmarks as ratios against baselines measured in the same run (the machines are noisy).

    python bench/run.py [--runs 5] [--accounts 10000 100000 300000] [--keep DIR] [--only TEXT]

Each case runs as a whole process several times (interleaved with the others, after one warm-up);
we report the median CPU seconds (user + system of the child, from ``os.wait4``: the ratio basis,
steadier than wall time on a shared machine), the median wall seconds beside it, the ratio to its
baseline and the child's peak RSS. A baseline marked ``same`` is checked to write the same output
(bytes, or parsed JSON where the order is not defined) before anything is timed. With several
``--accounts`` the portfolio cases run on every book and a scaling table gives CPU seconds per 100k
accounts, whole and marginal. ``--keep DIR`` reuses books named ``book-<n>.db`` there. Needs the
bench extra (sqlite-utils) installed.
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
from collections.abc import Collection
from importlib import import_module
from pathlib import Path

from benchlib import FLOOR, PASS, Case, Ctx, check_same, label_of, run_once

HERE = Path(__file__).resolve().parent
# Case groups (bench/cases_<topic>.py, each with `cases(ctx)`), in the order they run and report.
GROUPS = ["cases_floors", "cases_portfolio", "cases_forecast", "cases_plays"]
BIG = 100_000  # the goals are stated at this size
# RESULTS.md: what follows this line is people's notes, kept when run.py rewrites the figures above it
NOTES = "<!-- Notes below are kept when bench/run.py rewrites the results above. -->"


def measure(
    cases: list[Case],
    runs: int,
    env: dict[str, str],
    warm: Collection[str] = (),
) -> dict[str, tuple[float, int, float]]:
    """Median wall seconds, max peak RSS (KiB), median CPU seconds of each case. The cases in
    ``warm`` just ran (the same-output check), so they skip the warm-up."""
    results: dict[str, list[tuple[float, int, float]]] = {c.name: [] for c in cases}

    def one(case: Case) -> tuple[float, int, float]:
        if case.prepare:
            case.prepare()
        return run_once(case.argv, {**env, **(case.env or {})})

    for case in cases:  # warm caches once (not the cases that are timed fewer times: the slowest)
        if case.runs is None and case.name not in warm:
            one(case)
    for round_ in range(runs):  # interleave cases so drift hits all of them alike
        for case in cases:
            if round_ < (case.runs or runs):
                results[case.name].append(one(case))
    return {
        n: (
            statistics.median(t for t, _, _ in r),
            max(m for _, m, _ in r),
            statistics.median(c for _, _, c in r),
        )
        for n, r in results.items()
    }


def bin_of(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def book_of(work: Path, size: int) -> Path:
    book = work / f"book-{size}.db"
    if not book.exists():
        # In a child process, so this one stays small (a child inherits the parent's peak RSS).
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(book), "--accounts", str(size)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return book


def selected(cases: list[Case], only: str | None) -> list[Case]:
    """The cases whose name contains ``only``, with their baselines (and the baselines' own)."""
    if not only:
        return cases
    wanted = {c.name for c in cases if only in c.name}
    for _ in range(3):
        wanted |= {c.baseline for c in cases if c.name in wanted}
    return [c for c in cases if c.name in wanted]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--accounts",
        type=int,
        nargs="+",
        default=[10_000, BIG],
        help="book sizes; 10k and 100k are always in (the floors and goals use them), more add scaling rows",
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--keep", type=Path, help="reuse/keep the generated books (book-<n>.db) in this directory"
    )
    parser.add_argument("--only", help="run only the cases whose name contains this (and their baselines)")
    args = parser.parse_args()

    started = time.perf_counter()
    work = args.keep or Path(tempfile.mkdtemp(prefix="csmctl-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = sorted({10_000, BIG, *args.accounts})
    books = {label_of(size): book_of(work, size) for size in sizes}
    books["big"] = books[label_of(BIG)]
    py, csmctl, sqlite_utils = sys.executable, bin_of("csmctl"), bin_of("sqlite-utils")
    # Children run as an installed csmctl runs: their own data, config and template-cache dirs, and
    # byte-compiled modules (a wheel install compiles them; PYTHONDONTWRITEBYTECODE in the caller's
    # environment would make every run recompile csmctl's sources and time the compiler).
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CSMCTL_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        CSMCTL_DATA_DIR=str(work / "data"),
        CSMCTL_CONFIG_DIR=str(work / "cfg"),
        CSMCTL_CACHE_DIR=str(work / "cache"),
        NO_COLOR="1",
    )
    for size in sizes:  # bring every book to the current schema before timing anything
        subprocess.run(
            [csmctl, "--db", str(books[label_of(size)]), "db", "migrate"], env=env, capture_output=True
        )
    ctx = Ctx(py, csmctl, sqlite_utils, books, env, work, BIG, sizes=sizes)
    cases = [Case(PASS, [py, "-c", "pass"], PASS)]
    for group in GROUPS:
        cases += import_module(group).cases(ctx)
    cases = selected(cases, args.only)
    by_name = {c.name: c for c in cases}
    same = {
        c.name: check_same(c, by_name[c.baseline], env, work)
        for c in cases
        if c.same and c.baseline in by_name
    }
    warm = {c.name for c in cases if c.name in same} | {c.baseline for c in cases if c.name in same}
    results = measure(cases, args.runs, env, warm)
    text = report(cases, results, same, args, sizes, time.perf_counter() - started)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    notes = old[old.index(NOTES) :] if NOTES in old else NOTES + "\n"
    args.out.write_text(text + "\n" + notes, encoding="utf-8")
    print(text)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def report(
    cases: list[Case],
    results: dict[str, tuple[float, int, float]],
    same: dict[str, bool],
    args: argparse.Namespace,
    sizes: list[int],
    took: float,
) -> str:
    by_name = {c.name: c for c in cases}
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py --runs {args.runs} --accounts {' '.join(map(str, sizes))}` on {os.cpu_count()} "
        f"cores, Python {sys.version.split()[0]}, {took / 60:.1f} minutes wall. Median of {args.runs} runs after "
        "one warm-up (the same-output check is the warm-up of the cases it ran; a case run fewer times, "
        "as the `runs` column says, has none); cases interleaved. Ratio = case / its "
        "baseline in CPU seconds (user + system of the child); wall seconds beside it. Peak RSS: the "
        "child's max resident set. `same`: the baseline was checked to write the same output before "
        "timing (`bytes`: identical; `NO`: it did not, so the ratio means nothing); empty: the baseline "
        "is a floor (an import, or a raw replay of the command's own queries), not the same output.",
        "",
        "| case | runs | wall s | CPU s | baseline | same | ratio (CPU) | goal | peak RSS MB |",
        "|---|---:|---:|---:|---|---|---:|---:|---:|",
    ]
    for case in cases:
        wall, rss, cpu = results[case.name]
        base = results[by_name[case.baseline].name][2]
        ratio = cpu / base if base else float("nan")
        goal = ""
        if case.goal:
            goal = f"<= {case.goal}" + (" ok" if ratio <= case.goal else " MISS")
        check = {True: case.same or "", False: "NO"}.get(same.get(case.name, None), "")  # type: ignore[call-overload]
        lines.append(
            f"| {case.name} | {case.runs or args.runs} | {wall:.3f} | {cpu:.3f} | {case.baseline} | {check} "
            f"| {ratio:.2f} | {goal} | {rss / 1024:.0f} |"
        )
    scaling = [c for c in cases if c.per]
    if scaling:
        lines += [
            "",
            "Scaling: CPU seconds per 100k accounts, whole and marginal (the step from the next smaller "
            "book, so the fixed start-up cancels out), and peak RSS:",
            "",
            "| case | accounts | CPU s | per 100k | marginal per 100k | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        kinds: dict[str, list[Case]] = {}
        for case in scaling:
            kinds.setdefault(case.name.rsplit(" (", 1)[0], []).append(case)
        for kind, group in kinds.items():
            previous: Case | None = None
            for case in sorted(group, key=lambda c: c.per or 0):
                _, rss, cpu = results[case.name]
                per = case.per or 1
                marginal = ""
                if previous is not None:
                    step = (cpu - results[previous.name][2]) / (per - (previous.per or 0)) * 100_000
                    marginal = f"{step:.3f}"
                lines.append(
                    f"| {kind} | {per:,} | {cpu:.3f} | {cpu / per * 100_000:.3f} | {marginal} | {rss / 1024:.0f} |"
                )
                previous = case
    lines += goals(cases, results, same)
    return "\n".join(lines) + "\n"


SECONDS_GOAL = 1.5  # CPU seconds at 100k ("< 1.5 s on the dev machine")
RSS_GOAL_MB = 120  # peak RSS at 100k
FLAT = 0.10  # peak RSS at the biggest book within 10 % of the 100k figure
LINEAR = 0.20  # marginal CPU per 100k within 20 % from one step of sizes to the next


def goals(
    cases: list[Case], results: dict[str, tuple[float, int, float]], same: dict[str, bool]
) -> list[str]:
    """Issue 19's portfolio goals, each stated met or missed from this run's figures."""
    kinds: dict[str, dict[int, Case]] = {}
    for case in cases:
        # csmctl's own portfolio cases (not their baselines; not play run, whose goal is issue 17's)
        if case.per and case.baseline not in (PASS, FLOOR):
            kinds.setdefault(case.name.rsplit(" (", 1)[0], {})[case.per] = case
    if not kinds:
        return []
    out = [
        "",
        "Issue 19's portfolio goals, from the figures above (CPU seconds; `same` or a floor as the "
        f"table says): ratio <= 2 and < {SECONDS_GOAL} s at 100k; peak RSS <= {RSS_GOAL_MB} MB at "
        f"100k and within {FLAT:.0%} of that at the biggest book; growth linear (the marginal CPU per "
        f"100k of each step within {LINEAR:.0%} of the step before).",
        "",
        "| case | vs baseline | CPU s at 100k | peak RSS at 100k | flat RSS | linear |",
        "|---|---|---|---|---|---|",
    ]

    def verdict(ok: bool, text: str) -> str:
        return f"{'met' if ok else '**missed**'} ({text})"

    for kind, by_size in kinds.items():
        big = by_size.get(BIG)
        if big is None:
            continue
        _, rss, cpu = results[big.name]
        base = results[big.baseline][2]
        ratio = cpu / base if base else float("nan")
        how = "same output" if same.get(big.name) else ("NOT the same output" if big.same else "floor")
        row = [
            verdict(ratio <= (big.goal or 2.0), f"{ratio:.2f}x, {how}"),
            verdict(cpu < SECONDS_GOAL, f"{cpu:.2f} s"),
            verdict(rss / 1024 <= RSS_GOAL_MB, f"{rss / 1024:.0f} MB"),
        ]
        sizes = sorted(by_size)
        biggest = sizes[-1]
        if biggest > BIG:
            top = results[by_size[biggest].name][1]
            row.append(verdict(top <= rss * (1 + FLAT), f"{top / 1024:.0f} MB at {biggest:,}"))
        else:
            row.append("not measured")
        steps = [
            (results[by_size[b].name][2] - results[by_size[a].name][2]) / (b - a) * 100_000
            for a, b in zip(sizes, sizes[1:], strict=False)
        ]
        if len(steps) >= 2:
            spread = max(abs(s - steps[0]) / steps[0] for s in steps[1:]) if steps[0] > 0 else float("inf")
            row.append(verdict(spread <= LINEAR, " -> ".join(f"{s:.2f}" for s in steps) + " s per 100k"))
        else:
            row.append("not measured")
        out.append(f"| {kind} | " + " | ".join(row) + " |")
    return out


if __name__ == "__main__":
    main()
