"""forecast and book on the big book (and book on the 300k one when the run has it), each against
a stdlib script writing the same JSON with raw sqlite3 and plain Python (bench/forecast_sqlite.py,
bench/book_sqlite.py: the best queries we know), checked byte-equal before timing.

`csmctl forecast --help` is beside them as csmctl's own start-up floor (typer, the command tree,
no database): what forecast costs above it is its reading and adding up.
"""

from __future__ import annotations

from benchlib import HERE, PASS, Case, Ctx, label_of

GOAL = 2.0  # <= 2x the same-output stdlib script (issue 20)
FLOOR = "csmctl forecast --help (csmctl's start-up floor)"


def pair(label: str, script: list[str], ours: list[str], *, goal: float | None, **kw) -> list[Case]:
    """The stdlib script and csmctl writing the same output (``kw``: per/runs for both)."""
    raw = f"stdlib script, same output: {label}"
    return [Case(raw, script, PASS, **kw), Case(label, ours, raw, goal=goal, same="bytes", **kw)]


def cases(ctx: Ctx) -> list[Case]:
    big, n, book = ctx.db(), ctx.n, str(ctx.books["big"])
    out = [Case(FLOOR, [ctx.csmctl, "forecast", "--help"], PASS)]
    out += pair(
        f"forecast --quarter 2027Q1 --by owner -f json ({n})",
        [ctx.py, str(HERE / "forecast_sqlite.py"), book, "2027-01-01", "2027-03-31"],
        [ctx.csmctl, *big, "forecast", "--quarter", "2027Q1", "--by", "owner", "-f", "json"],
        goal=GOAL,
    )
    for size in ctx.sizes:
        if size < ctx.accounts:
            continue
        label = label_of(size)
        out += pair(
            f"book --by owner -f json ({size:,})",
            [ctx.py, str(HERE / "book_sqlite.py"), str(ctx.books[label]), ctx.as_of],
            [ctx.csmctl, *ctx.db(label), "book", "--by", "owner", "-f", "json"],
            goal=GOAL if size == ctx.accounts else None,
            per=size,
            runs=1 if size > ctx.accounts else None,  # the biggest book: one timed run per case
        )
    out += pair(
        f"book --by owner --owner X -f json ({n})",
        [ctx.py, str(HERE / "book_sqlite.py"), book, ctx.as_of, "CSM 07"],
        [ctx.csmctl, *big, "book", "--by", "owner", "-f", "json", "--owner", "CSM 07"],
        goal=GOAL,
    )
    return out
