"""Schema versions: a newer book is refused untouched; every older one migrates with a backup.

Older books are built by running the real migrations up to version v (``migrations.apply(conn,
0, target=v)``) and filling every table that exists at v with rows synthesised from the
reflected columns, so a new migration (m003, ...) is covered here without touching this file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
import subprocess

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from csmctl import errors
from csmctl.cli import app
from csmctl.store import migrations
from csmctl.store.database import Database
from tests.reliability.conftest import clean_env, csmctl_command, digest, fetch

pytestmark = pytest.mark.reliability

ROWS_PER_TABLE = 3


def _value(column: sa.Column, i: int):
    kind = column.type
    if column.foreign_keys:
        return i  # parents get ids 1..ROWS_PER_TABLE first (tables are filled in FK order)
    if isinstance(kind, sa.Boolean):
        return i % 2
    if isinstance(kind, sa.Integer):
        return i
    if isinstance(kind, sa.Float):
        return i + 0.5
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, i, 10 + i, 12, 0)
    if isinstance(kind, sa.Date):
        return dt.date(2026, i, 10 + i)
    if isinstance(kind, sa.String) and kind.length and kind.length < 8:
        return ("USD", "EUR", "GBP")[i % 3]
    return f"{column.name} {i}"


def build_book_at(path, version: int) -> dict[str, list[tuple]]:
    """A book at schema ``version`` with ROWS_PER_TABLE rows in every table; returns the rows."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.apply(conn, 0, target=version)
    meta = sa.MetaData()
    meta.reflect(engine)
    rows = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "csmctl_schema":
                continue
            values = [{c.name: _value(c, i) for c in table.columns} for i in range(1, ROWS_PER_TABLE + 1)]
            conn.execute(table.insert(), values)
            rows[table.name] = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
    engine.dispose()
    return {name: [tuple(r) for r in found] for name, found in rows.items()}


def rows_now(path, before: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The same tables and columns, read back after the migration."""
    engine = sa.create_engine(f"sqlite:///{path}")
    meta = sa.MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, old in before.items():
            table = meta.tables[name]
            old_engine_cols = len(old[0])
            columns = list(table.columns)[:old_engine_cols]
            out[name] = [
                tuple(r) for r in conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            ]
    engine.dispose()
    return out


OLDER = list(range(1, migrations.HEAD))


@pytest.mark.parametrize("version", OLDER)
def test_every_older_schema_migrates_with_a_backup_rows_kept_keys_intact(tmp_path, version):
    book = tmp_path / "book.db"
    before = build_book_at(book, version)
    assert before and all(len(r) == ROWS_PER_TABLE for r in before.values())
    result = CliRunner().invoke(app, ["--db", str(book), "db", "info", "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert f"Upgraded the database schema from version {version} to {migrations.HEAD}" in result.stderr
    backups = list(tmp_path.glob(f"book.db.v{version}-*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert fetch(backups[0], "SELECT version FROM csmctl_schema") == [(version,)]
    assert fetch(backups[0], "PRAGMA quick_check") == [("ok",)]
    assert rows_now(backups[0], before) == before
    assert fetch(book, "SELECT version FROM csmctl_schema") == [(migrations.HEAD,)]
    assert rows_now(book, before) == before
    assert fetch(book, "PRAGMA foreign_key_check") == []
    assert fetch(book, "PRAGMA quick_check") == [("ok",)]
    # Foreign keys still enforced after the table rebuilds: a dangling contact is refused.
    add = CliRunner().invoke(
        app, ["--db", str(book), "contact", "add", "#1", "New Person"], catch_exceptions=False
    )
    assert add.exit_code == 0, add.stderr
    delete = CliRunner().invoke(
        app, ["--db", str(book), "account", "delete", "#1", "--yes"], catch_exceptions=False
    )
    assert delete.exit_code == 0, delete.stderr
    assert fetch(book, "SELECT count(*) FROM contact WHERE account_id = 1") == [(0,)]


def test_there_is_an_older_version_to_test_or_the_head_is_one():
    assert OLDER or migrations.HEAD == 1


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_a_newer_schema_is_refused_untouched(tmp_path, wal):
    book = tmp_path / "book.db"
    build_book_at(book, migrations.HEAD)
    conn = sqlite3.connect(book)
    conn.execute("UPDATE csmctl_schema SET version = ?", (migrations.HEAD + 1,))
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.commit()
    conn.close()
    before = {p.name: digest(p) for p in tmp_path.iterdir()}
    for argv in (["account", "list"], ["account", "add", "X"], ["db", "migrate"], ["db", "backup"]):
        result = CliRunner().invoke(app, ["--db", str(book), *argv], catch_exceptions=False)
        assert result.exit_code == 4, result.stderr
        assert result.stderr.splitlines() == [
            f"Error: {book} has schema version {migrations.HEAD + 1}; this csmctl knows up to "
            f"{migrations.HEAD} (the database was left untouched).",
            "Upgrade csmctl: pip install -U csmctl",
        ]
    assert {p.name: digest(p) for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("version", OLDER)
@pytest.mark.parametrize("entity", ["accounts", "metrics", "plays"])
def test_a_dry_run_leaves_an_old_book_untouched_and_says_to_migrate(tmp_path, version, entity):
    book = tmp_path / "book.db"
    build_book_at(book, version)
    rows = tmp_path / "in.csv"
    rows.write_text(
        "name,arr\nNew Co,10k\n" if entity == "accounts" else "account,metric,date,value\n", "utf-8"
    )
    before = {p.name: digest(p) for p in tmp_path.iterdir()}
    argv = {
        "accounts": ["import", "accounts", str(rows)],
        "metrics": ["metric", "import", str(rows)],
        "plays": ["play", "run", "--play", "health-drop"],
    }[entity]
    result = CliRunner().invoke(app, ["--db", str(book), *argv, "--dry-run"], catch_exceptions=False)
    assert result.exit_code == 4, result.stderr
    assert result.stderr.splitlines() == [
        f"Error: {book} has schema version {version}, older than this csmctl's {migrations.HEAD}; "
        "a dry run changes nothing, so it does not upgrade it (the book was left untouched).",
        "Run `csmctl db migrate` first (it takes a backup), then the dry run again.",
    ]
    assert {p.name: digest(p) for p in tmp_path.iterdir()} == before  # no upgrade, no backup, no lock left


def test_a_migration_that_fails_half_way_leaves_the_old_version_whole(tmp_path, monkeypatch):
    """Migrations run in one transaction: a failure in the middle rolls every step back."""
    book = tmp_path / "book.db"
    before = build_book_at(book, migrations.HEAD)

    def m_broken(op):
        op.create_table("half_made", sa.Column("id", sa.Integer(), primary_key=True))
        op.add_column("account", sa.Column("extra", sa.Integer()))
        op.execute("UPDATE account SET extra = 1")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m_broken])
    monkeypatch.setattr(migrations, "HEAD", len(migrations.MIGRATIONS))
    with pytest.raises((RuntimeError, errors.DatabaseError)):
        Database(str(book))
    assert fetch(book, "SELECT version FROM csmctl_schema") == [(migrations.HEAD - 1,)]
    assert fetch(book, "SELECT name FROM sqlite_master WHERE name = 'half_made'") == []
    assert "extra" not in [r[1] for r in fetch(book, "PRAGMA table_info(account)")]
    assert rows_now(book, before) == before
    assert fetch(book, "PRAGMA quick_check") == [("ok",)]


def test_a_book_migrated_by_another_process_before_our_backup_leaves_no_mislabelled_copy(
    tmp_path, monkeypatch
):
    """Two processes open an old book at once: B reads the old version, A migrates, then B copies
    the book. B's copy holds the new schema under the old version's name; it must not be kept, and
    B must not migrate again (this raced in the two-process test about one run in four)."""
    from csmctl.store.database import Database

    book = tmp_path / "book.db"
    version = migrations.HEAD - 1
    before = build_book_at(book, version)
    real_backup = Database.backup

    def other_process_migrates_first(self, destination):
        monkeypatch.setattr(Database, "backup", real_backup)
        Database(str(book)).dispose()  # "process A": backs up and migrates
        return real_backup(self, destination)

    late = Database(str(book), migrate=False)
    monkeypatch.setattr(Database, "backup", other_process_migrates_first)
    assert late.migrate() == migrations.HEAD
    assert late.backup_path is None and late.migrated_from is None
    backups = list(tmp_path.glob("book.db.v*.bak"))
    assert len(backups) == 1  # A's, taken before its migration
    assert fetch(backups[0], "SELECT version FROM csmctl_schema") == [(version,)]
    assert fetch(book, "SELECT version FROM csmctl_schema") == [(migrations.HEAD,)]
    assert rows_now(book, before) == before
    late.dispose()


def test_a_book_moved_part_of_the_way_before_our_backup_keeps_that_copy_as_its_backup(tmp_path, monkeypatch):
    """B reads version N-2; an older csmctl (head N-1) migrates the book one step; B's copy holds
    N-1. It is a good backup of N-1: kept under that name, and B migrates from N-1 with it."""
    from csmctl.store.database import Database

    book = tmp_path / "book.db"
    version = migrations.HEAD - 2
    before = build_book_at(book, version)
    real_backup = Database.backup

    def older_process_moves_it_one_step(self, destination):
        monkeypatch.setattr(Database, "backup", real_backup)
        engine = sa.create_engine(f"sqlite:///{book}")
        with engine.begin() as conn:
            migrations.apply(conn, version, version + 1)
        engine.dispose()
        return real_backup(self, destination)

    late = Database(str(book), migrate=False)
    monkeypatch.setattr(Database, "backup", older_process_moves_it_one_step)
    assert late.migrate() == version + 1
    assert late.backup_path is not None and late.backup_path.name.startswith(f"book.db.v{version + 1}-")
    assert fetch(late.backup_path, "SELECT version FROM csmctl_schema") == [(version + 1,)]
    assert list(tmp_path.glob("book.db.v*.bak")) == [late.backup_path]
    assert fetch(book, "SELECT version FROM csmctl_schema") == [(migrations.HEAD,)]
    assert rows_now(book, before) == before
    late.dispose()


@pytest.mark.parametrize("version", OLDER[-1:])
def test_two_processes_opening_an_old_book_at_once_migrate_it_once(tmp_path, version):
    book = tmp_path / "book.db"
    before = build_book_at(book, version)
    env = clean_env(tmp_path)
    procs = [
        subprocess.Popen(
            [*csmctl_command(), "--db", str(book), "account", "list", "--all", "-f", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        assert len(json.loads(out)) == ROWS_PER_TABLE
    assert fetch(book, "SELECT version FROM csmctl_schema") == [(migrations.HEAD,)]
    assert rows_now(book, before) == before
    assert fetch(book, "PRAGMA foreign_key_check") == []
    for backup in tmp_path.glob("book.db.v*.bak"):
        assert fetch(backup, "SELECT version FROM csmctl_schema") == [(version,)]
