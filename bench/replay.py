"""A raw replay of the SQL a csmctl command runs: the floor of its queries, with nothing else.

    python bench/replay.py record OUT.json -- --db BOOK --as-of 2026-11-23 today --owner "CSM 07"
    python bench/replay.py run OUT.json BOOK
    python bench/replay.py run OUT.json BOOK typer sqlalchemy.dialects.sqlite

``record`` runs the command in this process and keeps every statement with its DBAPI parameters
as SQLAlchemy sent them; ``run`` executes them with the sqlite3 module alone and fetches every
row (stdlib only). The bench compares the command with the replay of its own queries. Module
names after BOOK are imported first (and with sqlalchemy among them, the statements go through a
SQLAlchemy engine as plain SQL text): the replay then shows the least any program on those
libraries pays for the same SQL (a bound; the replay alone stays stdlib only).
"""

from __future__ import annotations

import json
import sqlite3
import sys


def record(out: str, argv: list[str]) -> None:
    import sqlalchemy as sa

    seen: list[tuple[str, list]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, list(parameters or ())))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", keep)
    from csmctl.cli import app

    try:
        app(argv, prog_name="csmctl", standalone_mode=False)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", keep)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(seen, handle, default=str)
    print(f"{len(seen)} statements", file=sys.stderr)


def run(path: str, book: str, modules: list[str]) -> None:
    import gc
    import importlib

    if modules:  # the start-up any such program can have: no collection while importing
        gc.disable()
        for module in modules:
            importlib.import_module(module)
        gc.freeze()
        gc.enable()
    with open(path, encoding="utf-8") as handle:
        statements = json.load(handle)
    rows = 0
    if "sqlalchemy" in {module.split(".")[0] for module in modules}:
        # A program on SQLAlchemy reaches the book through an engine: the same SQL text, sent as
        # it is (exec_driver_sql: nothing compiled, no result types), every row fetched.
        import sqlalchemy as sa

        with sa.create_engine(f"sqlite:///{book}").connect() as connection:
            for statement, parameters in statements:
                rows += len(connection.exec_driver_sql(statement, tuple(parameters)).fetchall())
    else:
        conn = sqlite3.connect(book)
        for statement, parameters in statements:
            rows += len(conn.execute(statement, parameters).fetchall())
    print(rows)


if __name__ == "__main__":
    if sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[sys.argv.index("--") + 1 :])
    else:
        run(sys.argv[2], sys.argv[3], sys.argv[4:])
