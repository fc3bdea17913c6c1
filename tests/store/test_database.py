"""Opening books: file safety, pragmas, refusal of what cannot be used, migrations, backups."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
import sqlalchemy as sa

from csmctl import errors
from csmctl.store import migrations
from csmctl.store.database import Database, mask_url


def test_new_database_is_private_and_in_wal(tmp_path):
    path = tmp_path / "new" / "book.db"
    db = Database(str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert db.version == migrations.HEAD
    with db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with db.write() as session:
        session.connection().exec_driver_sql("SELECT 1")
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600


def _make_v1_book(path):
    """A book at schema version 1 with data, built by running only the first migration."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.apply(conn, 0, target=1)
        conn.exec_driver_sql(
            "INSERT INTO account (id, name, name_key, stage, arr_minor, currency, term_months, auto_renew, "
            "tags, archived, created_at, updated_at) VALUES (1, 'Old Co', 'old co', 'adoption', 500000, "
            "'USD', 12, 0, '', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO contact (account_id, name, champion, exec_sponsor, created_at) "
            "VALUES (1, 'Ana', 1, 0, '2025-01-01 00:00:00')"
        )
    engine.dispose()


def test_older_schema_is_backed_up_and_migrated_with_rows_kept(tmp_path):
    path = tmp_path / "book.db"
    _make_v1_book(path)
    db = Database(str(path))
    assert db.migrated_from == 1 and db.version == migrations.HEAD
    assert db.backup_path is not None and db.backup_path.exists()
    assert stat.S_IMODE(db.backup_path.stat().st_mode) == 0o600
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version FROM csmctl_schema").fetchone() == (1,)
    assert backup.execute("SELECT name FROM account").fetchall() == [("Old Co",)]
    backup.close()
    with db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("SELECT name, arr_minor FROM account").fetchall() == [("Old Co", 500000)]
        assert conn.exec_driver_sql("SELECT count(*) FROM contact").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM touchpoint").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    # A current database is not backed up again.
    again = Database(str(path))
    assert again.migrated_from is None and again.backup_path is None


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "book.db"
    Database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE csmctl_schema SET version = 99")
    before = path.read_bytes()
    with pytest.raises(errors.DatabaseTooNew) as error:
        Database(str(path))
    assert error.value.exit_code == 4
    assert "99" in error.value.message
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content, error_type",
    [
        (b"name,arr\nAcme,100\n", errors.NotACsmctlDatabase),
        (os.urandom(4096), errors.NotACsmctlDatabase),
    ],
)
def test_not_a_database_is_refused_untouched(tmp_path, content, error_type):
    path = tmp_path / "book.db"
    path.write_bytes(content)
    with pytest.raises(error_type):
        Database(str(path))
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(errors.NotACsmctlDatabase) as error:
        Database(str(path))
    assert "notes" in error.value.message


def test_truncated_database_is_reported_as_damaged(tmp_path):
    path = tmp_path / "book.db"
    db = Database(str(path))
    with db.write() as session:
        session.connection().exec_driver_sql("CREATE TABLE filler (x)")
        session.connection().exec_driver_sql(
            "INSERT INTO filler SELECT randomblob(1000) FROM "
            "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n<200) SELECT n FROM c)"
        )
    db.dispose()
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(errors.DatabaseCorrupt) as caught:
        Database(str(path)).counts()
    error = caught.value
    assert error.exit_code == 4
    what, how = error.lines()
    assert what.startswith(f"The database {path} is damaged")  # SQLite's own words follow in ()
    assert how == "Restore a backup (csmctl keeps one beside the file before each upgrade)."


def test_directory_is_refused(tmp_path):
    with pytest.raises(errors.DatabaseUnavailable):
        Database(str(tmp_path))


def test_locked_database_times_out_with_exit_4(tmp_path):
    path = tmp_path / "book.db"
    Database(str(path)).dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        db = Database(str(path), busy_timeout=0.2)
        with pytest.raises(errors.DatabaseLocked) as error:
            with db.write() as session:
                session.connection().exec_driver_sql("SELECT 1")
        assert error.value.exit_code == 4
        assert "CSMCTL_BUSY_TIMEOUT" in error.value.hint
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_write_rolls_back_on_error(tmp_path):
    db = Database(str(tmp_path / "book.db"))
    with pytest.raises(RuntimeError):
        with db.write() as session:
            session.connection().exec_driver_sql("UPDATE csmctl_schema SET app = 'x'")
            raise RuntimeError("boom")
    assert Database(str(tmp_path / "book.db")).version == migrations.HEAD


def test_backup_is_consistent_and_private(tmp_path):
    db = Database(str(tmp_path / "book.db"))
    target = db.backup(tmp_path / "copy.db")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert Database(str(target)).version == migrations.HEAD
    with pytest.raises(errors.AlreadyExists):
        db.backup(target)


def test_mask_url_hides_passwords():
    assert mask_url("postgresql://ana:s3cret@db.example/csm") == "postgresql://ana:***@db.example/csm"
    assert mask_url("/home/ana/book.db") == "/home/ana/book.db"
