"""forecast and book on the big book, against the same JSON from raw sqlite3."""

from __future__ import annotations

from benchlib import FLOOR, HERE, PASS, Case, Ctx, same_output


def cases(ctx: Ctx) -> list[Case]:
    big, n = ctx.db(), ctx.n
    raw = [ctx.py, str(HERE / "forecast_sqlite.py"), str(ctx.books["big"]), "2027-01-01", "2027-03-31"]
    ours = [ctx.csmctl, *big, "forecast", "--quarter", "2027Q1", "--by", "owner", "-f", "json"]
    same_output(ctx, ours, raw, "forecast_sqlite.py vs csmctl forecast")
    return [
        Case("raw sqlite3: the forecast query -> same JSON", raw, PASS),
        Case(
            f"forecast --quarter 2027Q1 --by owner -f json ({n})",
            ours,
            "raw sqlite3: the forecast query -> same JSON",
            goal=2.0,
        ),
        Case(f"book --by owner ({n})", [ctx.csmctl, *big, "book", "--by", "owner"], FLOOR, goal=2.0),
        Case(
            f"book --by owner --owner X ({n})",
            [ctx.csmctl, *big, "book", "--by", "owner", "--owner", "CSM 07"],
            FLOOR,
        ),
    ]
