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


def cases(ctx: Ctx) -> list[Case]:
    big, n, book = ctx.db(), ctx.n, str(ctx.books["big"])
    raw_forecast = f"stdlib script, same output: forecast --quarter 2027Q1 --by owner -f json ({n})"
    out = [
        Case(FLOOR, [ctx.csmctl, "forecast", "--help"], PASS),
        Case(
            raw_forecast, [ctx.py, str(HERE / "forecast_sqlite.py"), book, "2027-01-01", "2027-03-31"], PASS
        ),
        Case(
            f"forecast --quarter 2027Q1 --by owner -f json ({n})",
            [ctx.csmctl, *big, "forecast", "--quarter", "2027Q1", "--by", "owner", "-f", "json"],
            raw_forecast,
            goal=GOAL,
            same="bytes",
        ),
    ]
    for size in ctx.sizes:
        if size < ctx.accounts:
            continue
        label, count = label_of(size), f"{size:,}"
        path = str(ctx.books[label])
        runs = 1 if size > ctx.accounts else None  # the biggest book: one timed run per case
        raw = f"stdlib script, same output: book --by owner -f json ({count})"
        by_owner = [ctx.csmctl, *ctx.db(label), "book", "--by", "owner", "-f", "json"]
        out += [
            Case(raw, [ctx.py, str(HERE / "book_sqlite.py"), path, ctx.as_of], PASS, per=size, runs=runs),
            Case(
                f"book --by owner -f json ({count})",
                by_owner,
                raw,
                goal=GOAL if size == ctx.accounts else None,
                same="bytes",
                per=size,
                runs=runs,
            ),
        ]
    raw_mine = f"stdlib script, same output: book --by owner --owner X -f json ({n})"
    out += [
        Case(raw_mine, [ctx.py, str(HERE / "book_sqlite.py"), book, ctx.as_of, "CSM 07"], PASS),
        Case(
            f"book --by owner --owner X -f json ({n})",
            [ctx.csmctl, *big, "book", "--by", "owner", "-f", "json", "--owner", "CSM 07"],
            raw_mine,
            goal=GOAL,
            same="bytes",
        ),
    ]
    return out
