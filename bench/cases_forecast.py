"""forecast and book on the big book, each against the same JSON from raw sqlite3 and plain Python
(bench/forecast_sqlite.py, bench/book_sqlite.py: checked byte-equal before anything is timed)."""

from __future__ import annotations

from benchlib import HERE, PASS, Case, Ctx, same_output

RAW_FORECAST = "raw sqlite3: the forecast query -> same JSON"
RAW_BOOK = "raw sqlite3: book --by owner -> same JSON"
RAW_BOOK_OWNER = "raw sqlite3: book --by owner --owner X -> same JSON"


def cases(ctx: Ctx) -> list[Case]:
    big, n, book = ctx.db(), ctx.n, str(ctx.books["big"])
    raw_forecast = [ctx.py, str(HERE / "forecast_sqlite.py"), book, "2027-01-01", "2027-03-31"]
    forecast = [ctx.csmctl, *big, "forecast", "--quarter", "2027Q1", "--by", "owner", "-f", "json"]
    same_output(ctx, forecast, raw_forecast, "forecast_sqlite.py vs csmctl forecast")
    raw_book = [ctx.py, str(HERE / "book_sqlite.py"), book, ctx.as_of]
    by_owner = [ctx.csmctl, *big, "book", "--by", "owner", "-f", "json"]
    same_output(ctx, by_owner, raw_book, "book_sqlite.py vs csmctl book --by owner")
    raw_mine, mine = [*raw_book, "CSM 07"], [*by_owner, "--owner", "CSM 07"]
    same_output(ctx, mine, raw_mine, "book_sqlite.py vs csmctl book --by owner --owner X")
    return [
        Case(RAW_FORECAST, raw_forecast, PASS),
        Case(f"forecast --quarter 2027Q1 --by owner -f json ({n})", forecast, RAW_FORECAST, goal=2.0),
        Case(RAW_BOOK, raw_book, PASS),
        Case(f"book --by owner -f json ({n})", by_owner, RAW_BOOK, goal=2.0),
        Case(RAW_BOOK_OWNER, raw_mine, PASS),
        Case(f"book --by owner --owner X -f json ({n})", mine, RAW_BOOK_OWNER),
    ]
