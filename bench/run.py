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
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from benchlib import FLOOR, Case, Ctx

HERE = Path(__file__).resolve().parent
# Case groups (bench/cases_<topic>.py, each with `cases(ctx)`), run after the cases below.
GROUPS = ["cases_forecast", "cases_plays"]
# `csmctl stale` done by hand: the same aggregate and join through the sqlite3 module, with the
# same staleness rule (default cadences, notes and planned touchpoints not counted), sorted alike.
RAW_STALE = """
import sqlite3, sys
from datetime import date
today = date(2026, 11, 23)
cadence = {"strategic": 14, "enterprise": 14, "mid-market": 30, "smb": 60, "scaled": 90}
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT a.id, a.name, a.owner, a.tier, a.cadence_days, l.last_at FROM account a LEFT JOIN ("
    " SELECT account_id, MAX(occurred_at) AS last_at FROM touchpoint"
    " WHERE kind IN ('call','email','meeting','qbr','ebr','onsite','support') AND planned = 0"
    " AND occurred_at < '2026-11-24 00:00:00.000000' GROUP BY account_id) l ON l.account_id = a.id"
    " WHERE a.archived = 0").fetchall()
out = []
for id_, name, owner, tier, own, last in rows:
    days = own or cadence.get(tier, 30)
    if last is None:
        out.append(((0, 0), name, id_))
    else:
        over = (today - date.fromisoformat(last[:10])).days - days
        if over > 0:
            out.append(((1, -over), name, id_))
out.sort()
sys.stdout.write("".join(f"{name}\\t{key}\\n" for key, name, _ in out))
"""


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

    def one(case: Case) -> tuple[float, int]:
        if case.prepare:
            case.prepare()
        return run_once(case.argv, {**env, **(case.env or {})})

    for case in cases:  # warm caches once
        one(case)
    for _ in range(runs):  # interleave cases so drift hits all of them alike
        for case in cases:
            results[case.name].append(one(case))
    return {n: (statistics.median(t for t, _ in r), max(m for _, m in r)) for n, r in results.items()}


def resume_cases(py: str, csmctl: str, work: Path) -> list[Case]:
    """resume render html / pdf against the import floor of what they use (pdf: when typst is installed)."""
    resume = str(HERE.parent / "tests" / "resume" / "fixtures" / "resume.yaml")
    floor = "python -c 'import jinja2, pydantic, yaml' (resume import floor)"
    cases = [
        Case(floor, [py, "-c", "import jinja2, pydantic, yaml"], "python -c pass"),
        Case(
            "csmctl resume render --format html",
            [
                csmctl,
                "resume",
                "render",
                resume,
                "--theme",
                "modern",
                "--format",
                "html",
                "-o",
                str(work / "r.html"),
            ],
            floor,
        ),
    ]
    if subprocess.run([py, "-c", "import typst"], capture_output=True).returncode == 0:
        pdf_floor = "python -c 'import jinja2, pydantic, yaml, typst' (pdf import floor)"
        cases += [
            Case(pdf_floor, [py, "-c", "import jinja2, pydantic, yaml, typst"], "python -c pass"),
            Case(
                "csmctl resume render --format pdf",
                [
                    csmctl,
                    "resume",
                    "render",
                    resume,
                    "--theme",
                    "modern",
                    "--format",
                    "pdf",
                    "-o",
                    str(work / "r.pdf"),
                ],
                pdf_floor,
            ),
        ]
    return cases


def bin_of(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def fresh(path: Path) -> Callable[[], None]:
    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return remove


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=100_000, help="size of the big book")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated books in this directory")
    parser.add_argument("--only", help="run only the cases whose name contains this (and their baselines)")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="csmctl-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    books = {}
    for label, size in (("10k", 10_000), ("big", args.accounts)):
        book = work / f"book-{size}.db"
        if not book.exists():
            # In a child process, so this one stays small (a child inherits the parent's peak RSS).
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(book), "--accounts", str(size)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        books[label] = book
    py, csmctl, sqlite_utils = sys.executable, bin_of("csmctl"), bin_of("sqlite-utils")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSMCTL_")}
    env.update(CSMCTL_DATA_DIR=str(work / "data"), CSMCTL_CONFIG_DIR=str(work / "cfg"), NO_COLOR="1")
    small = ["--db", str(books["10k"]), "--as-of", "2026-11-23"]
    big = ["--db", str(books["big"]), "--as-of", "2026-11-23"]
    export_csv = work / "export.csv"
    subprocess.run(
        [csmctl, *big, "export", "accounts", "-o", str(export_csv)],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    rows = sum(1 for _ in export_csv.open()) - 1
    import_target, su_target = work / "import.db", work / "su.db"
    floor = FLOOR
    n = f"{args.accounts:,}"
    cases = [
        Case("python -c pass", [py, "-c", "pass"], "python -c pass"),
        Case(floor, [py, "-c", "import sqlmodel"], "python -c pass"),
        Case("sqlite-utils --help", [sqlite_utils, "--help"], "python -c pass"),
        Case("csmctl --help", [csmctl, "--help"], "sqlite-utils --help", goal=0.7),
        Case("csmctl account --help", [csmctl, "account", "--help"], "sqlite-utils --help"),
        Case(
            "account list --format json (10k accounts)",
            [csmctl, *small, "account", "list", "--format", "json"],
            floor,
            goal=1.3,
        ),
        Case(
            f"account list --owner X --renewing-within 30d ({n})",
            [csmctl, *big, "account", "list", "--owner", "CSM 07", "--renewing-within", "30d"],
            floor,
            goal=1.3,
        ),
        Case(f"account show EXT-5 ({n})", [csmctl, *big, "account", "show", "EXT-5"], floor, goal=1.3),
        Case(
            f"sqlite-utils insert --csv ({rows:,} rows)",
            [sqlite_utils, "insert", str(su_target), "accounts", str(export_csv), "--csv"],
            "python -c pass",
            prepare=fresh(su_target),
        ),
        Case(
            f"import accounts ({rows:,} rows)",
            [csmctl, "--db", str(import_target), "import", "accounts", str(export_csv)],
            f"sqlite-utils insert --csv ({rows:,} rows)",
            goal=1.0,
            prepare=fresh(import_target),
        ),
        Case(
            f"export accounts --format csv ({n})",
            [csmctl, *big, "export", "accounts", "-o", str(work / "out.csv")],
            floor,
        ),
        Case(
            "raw sqlite3: the renewal report's queries -> md",
            [py, str(HERE / "report_sqlite.py"), str(books["big"]), str(work / "raw.md")],
            "python -c pass",
        ),
        Case(
            f"report renewals -f md -o FILE ({n})",
            [csmctl, *big, "report", "renewals", "-o", str(work / "r.md")],
            "raw sqlite3: the renewal report's queries -> md",
            goal=2.0,
        ),
        # -f html / -f json stream into the output file: no 20M-character cap on built-in reports.
        *(
            Case(
                f"report renewals -f {fmt} -o FILE ({n})",
                [csmctl, *big, "report", "renewals", "-f", fmt, "-o", str(work / f"r.{fmt}")],
                "raw sqlite3: the renewal report's queries -> md",
            )
            for fmt in ("html", "json")
        ),
        Case(
            "raw sqlite3: the stale query (python -c)",
            [py, "-c", RAW_STALE, str(books["big"])],
            "python -c pass",
        ),
        Case(
            f"stale --format json ({n}, 10 touchpoints each)",
            [csmctl, *big, "stale", "--format", "json"],
            "raw sqlite3: the stale query (python -c)",
            goal=2.0,
        ),
        Case(f"today --owner X ({n})", [csmctl, *big, "today", "--owner", "CSM 07"], floor, goal=1.5),
        Case(
            f"health ACCOUNT --explain ({n})", [csmctl, *big, "health", "EXT-5", "--explain"], floor, goal=1.3
        ),
        Case(f"health --owner X ({n})", [csmctl, *big, "health", "--owner", "CSM 07"], floor, goal=1.5),
    ]
    cases += [
        Case(
            f"touch ACCOUNT (one insert, {n})",
            [csmctl, *big, "touch", "EXT-5", "bench call", "--kind", "call"],
            floor,
            goal=1.3,
        ),
        Case(
            f"followup list --format json ({n})",
            [csmctl, *big, "followup", "list", "--format", "json"],
            floor,
        ),
        Case(
            f"renewals --within 120d --format json ({n})",
            [csmctl, *big, "renewals", "--within", "120d", "--format", "json"],
            floor,
        ),
        Case(f"metrics --period 2026 ({n})", [csmctl, *big, "metrics", "--period", "2026"], floor),
    ]
    ctx = Ctx(py, csmctl, sqlite_utils, books, env, work, args.accounts)
    for group in GROUPS:
        cases += import_module(group).cases(ctx)
    cases += resume_cases(py, csmctl, work)
    # hiring: `jd render` of one spec in every format, against the cost of importing the template engine
    spec = work / "job.yaml"
    subprocess.run(
        [
            csmctl,
            "--as-of",
            "2026-11-23",
            "jd",
            "new",
            "--force",
            "--level",
            "senior",
            "--segment",
            "enterprise",
            "-o",
            str(spec),
        ],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    cases.append(Case("python -c 'import jinja2'", [py, "-c", "import jinja2"], "python -c pass"))
    cases += [
        Case(
            f"csmctl jd render -f {fmt}",
            [csmctl, "--as-of", "2026-11-23", "jd", "render", str(spec), "-f", fmt],
            "python -c 'import jinja2'",
            goal=2.0,
        )
        for fmt in ("md", "html", "txt", "jsonld")
    ]
    if args.only:
        wanted = {c.name for c in cases if args.only in c.name}
        wanted |= {c.baseline for c in cases if c.name in wanted}
        wanted |= {c.baseline for c in cases if c.name in wanted}
        cases = [c for c in cases if c.name in wanted]
    results = measure(cases, args.runs, env)
    by_name = {c.name: c for c in cases}
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py --runs {args.runs} --accounts {args.accounts}` on {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}. Median of {args.runs} runs after one warm-up; ratio = case / its "
        "baseline, measured in the same run (cases interleaved). Peak RSS is the child's max resident set.",
        "",
        "| case | median s | baseline | ratio | goal | peak RSS MB |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for case in cases:
        seconds, rss = results[case.name]
        base = results[by_name[case.baseline].name][0]
        ratio = seconds / base if base else float("nan")
        goal = ""
        if case.goal:
            goal = f"<= {case.goal}" + (" ok" if ratio <= case.goal else " MISS")
        lines.append(
            f"| {case.name} | {seconds:.3f} | {case.baseline} | {ratio:.2f} | {goal} | {rss / 1024:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
