"""Portfolio commands on every book of the run (10k, 100k, 300k...), each against a stdlib script
that writes the same output with the best query (bench/baselines/), checked before timing.

Where no such script exists yet (`today --owner`, whose health scoring is too much to redo by
hand), the baseline is a raw replay of the command's own
queries with the sqlite3 module (bench/replay.py): a floor, not the same output, and labelled so.
Issue 19's goals apply on the 100k book; the other sizes give the scaling rows.
"""

from __future__ import annotations

import subprocess

from benchlib import BASELINES, HERE, PASS, Case, Ctx, label_of

GOAL = 2.0  # <= 2x the same-output stdlib script


def replay(ctx: Ctx, label: str, size: int, argv: list[str]) -> tuple[str, Case]:
    """A raw replay of the queries `csmctl ARGV` runs on the book of ``size``: (its name, the case)."""
    book = ctx.books[label_of(size)]
    path = ctx.work / f"replay-{argv[0]}-{argv[1]}-{size}.json"
    subprocess.run(
        [ctx.py, str(HERE / "replay.py"), "record", str(path), "--", *ctx.db(label_of(size)), *argv],
        check=True,
        capture_output=True,
        env=ctx.env,
    )
    name = f"raw replay of its queries (floor, not same output): {label} ({size:,})"
    return name, Case(name, [ctx.py, str(HERE / "replay.py"), "run", str(path), str(book)], PASS, per=size)


STACK = ("typer", "sqlalchemy.dialects.sqlite")  # what any program on the required stack imports


def replay_bound(floor: Case, label: str, size: int) -> Case:
    """The same replay after importing the required stack, sent through a SQLAlchemy engine as plain
    SQL text: the least any Typer + SQLAlchemy program running those queries pays (a bound: over
    the goal times the floor, the goal is out of reach)."""
    name = f"bound: import {', '.join(STACK)} + the same SQL through an engine: {label} ({size:,})"
    return Case(name, [*floor.argv, *STACK], floor.name)


def on_book(ctx: Ctx, size: int) -> list[Case]:
    n, db, book = f"{size:,}", ctx.db(label_of(size)), str(ctx.books[label_of(size)])
    goal = GOAL if size == ctx.accounts else None
    # The biggest book: one timed run for today (its growth is linear with margin); the same-output
    # pairs (stale, renewals, the md report) run as often as the others, since their scaling verdict
    # rests on this row (one run of each was noise enough to swing it); their same-output check is
    # their warm-up. It adds ~45 s of CPU to a whole run.
    runs = 1 if size > ctx.accounts else None
    out: list[Case] = []

    def pair(label: str, ours: list[str], script: str, extra: list[str], output: str | None = None) -> None:
        base = f"stdlib script, same output: {label} ({n})"
        mine = ctx.work / f"{output}-{size}" if output else None
        theirs = ctx.work / f"{output}-{size}-baseline" if output else None
        out.append(
            Case(
                base,
                [ctx.py, str(BASELINES / script), book, *([str(theirs)] if theirs else []), *extra],
                PASS,
                output=theirs,
                per=size,
            )
        )
        argv = [ctx.csmctl, *db, *ours, *(["-o", str(mine)] if mine else [])]
        out.append(Case(f"{label} ({n})", argv, base, goal=goal, same="bytes", output=mine, per=size))

    pair("stale -f json", ["stale", "--format", "json"], "stale_json.py", [])
    pair(
        "renewals --within 120d -f json",
        ["renewals", "--within", "120d", "--format", "json"],
        "renewals_json.py",
        ["120"],
    )
    pair("renewals --within 90d (table)", ["renewals", "--within", "90d"], "renewals_table.py", ["90"])
    pair("report renewals -f md -o FILE", ["report", "renewals"], "report_md.py", [], output="report.md")
    name, floor = replay(ctx, "today --owner X", size, ["today", "--owner", "CSM 07"])
    out += [
        floor,
        Case(
            f"today --owner X ({n})",
            [ctx.csmctl, *db, "today", "--owner", "CSM 07"],
            name,
            goal=goal,
            per=size,
            runs=runs,
        ),
    ]
    if size == ctx.accounts:  # today's bound, the html and json reports: on the goals' book only
        out.append(replay_bound(floor, "today --owner X", size))
        for fmt in ("html", "json"):
            pair(
                f"report renewals -f {fmt} -o FILE",
                ["report", "renewals", "-f", fmt],
                f"report_{fmt}.py",
                [],
                f"r.{fmt}",
            )
    return out


def cases(ctx: Ctx) -> list[Case]:
    out: list[Case] = []
    for size in ctx.sizes:
        out += on_book(ctx, size)
    return out
