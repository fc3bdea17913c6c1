"""The store on both backends: migrations, snapshots, writers that queue, no lost updates."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC

import pytest
import sqlalchemy as sa

from csmctl import errors
from csmctl.store import migrations
from csmctl.store.database import Database


def test_migrations_build_exactly_the_models(db_target):
    """A column added to tables.py without a migration (or the reverse) fails here, per dialect."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from csmctl.store import models, tables

    # the models map exactly the Core tables (the one schema definition), each of them
    mapped = {
        m.__table__ for m in vars(models).values() if isinstance(getattr(m, "__table__", None), sa.Table)
    }
    assert mapped == set(tables.metadata.tables.values())

    db = Database(db_target)
    assert db.version == migrations.HEAD
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), tables.metadata)
    db.dispose()
    assert diff == []


def _insert_v1_rows(conn: sa.Connection) -> None:
    account = sa.table(
        "account",
        *(
            sa.column(c)
            for c in (
                "name",
                "name_key",
                "stage",
                "arr_minor",
                "currency",
                "term_months",
                "auto_renew",
                "tags",
                "archived",
                "created_at",
                "updated_at",
            )
        ),
    )
    contact = sa.table(
        "contact", *(sa.column(c) for c in ("account_id", "name", "champion", "exec_sponsor", "created_at"))
    )
    from datetime import datetime

    moment = datetime(2025, 1, 1, tzinfo=UTC)
    conn.execute(
        sa.insert(account).values(  # no explicit id: the serial hands out 1
            name="Old Co",
            name_key="old co",
            stage="adoption",
            arr_minor=500000,
            currency="USD",
            term_months=12,
            auto_renew=False,
            tags="",
            archived=False,
            created_at=moment,
            updated_at=moment,
        )
    )
    conn.execute(
        sa.insert(contact).values(
            account_id=1, name="Ana", champion=True, exec_sponsor=False, created_at=moment
        )
    )


def test_an_older_schema_is_migrated_with_rows_kept(db_target):
    first = Database(db_target, migrate=False)
    with first._write_engine.begin() as conn:
        migrations.apply(conn, 0, target=1)
        _insert_v1_rows(conn)
    first.dispose()
    db = Database(db_target)
    assert db.migrated_from == 1 and db.version == migrations.HEAD
    with db.read() as session:
        conn = session.connection()
        assert conn.execute(sa.text("SELECT name, arr_minor FROM account")).all() == [("Old Co", 500000)]
        assert conn.execute(sa.text("SELECT count(*) FROM touchpoint")).scalar() == 0
    with db.write() as session:  # the serial id goes on after the migrated rows
        conn = session.connection()
        conn.execute(
            sa.text(
                "INSERT INTO account (name, name_key, stage, arr_minor, currency, term_months, auto_renew, tags, "
                "archived, created_at, updated_at) SELECT 'New', 'new', stage, arr_minor, currency, term_months, "
                "auto_renew, tags, archived, created_at, updated_at FROM account WHERE id = 1"
            )
        )
        assert conn.execute(sa.text("SELECT id FROM account WHERE name = 'New'")).scalar() == 2
    db.dispose()


def test_newer_schema_is_refused_untouched(db_target):
    Database(db_target).dispose()
    with Database(db_target).write() as session:
        session.connection().execute(sa.text("UPDATE csmctl_schema SET version = 99"))
    with pytest.raises(errors.DatabaseTooNew) as error:
        Database(db_target)
    assert error.value.exit_code == 4
    assert "schema version 99; this csmctl knows up to" in error.value.message


def test_a_read_is_one_snapshot_while_another_process_writes(db_target):
    reader, writer = Database(db_target), Database(db_target)
    with reader.read() as session:
        conn = session.connection()
        before = conn.execute(sa.text("SELECT count(*) FROM account")).scalar()
        with writer.write() as other:
            _add_account(other.connection(), "Late Co")
        assert conn.execute(sa.text("SELECT count(*) FROM account")).scalar() == before == 0
    with reader.read() as session:
        assert session.connection().execute(sa.text("SELECT count(*) FROM account")).scalar() == 1
    reader.dispose()
    writer.dispose()


def _add_account(conn: sa.Connection, name: str) -> None:
    from datetime import datetime

    from csmctl.store.models import Account

    moment = datetime.now(UTC)
    conn.execute(
        sa.insert(Account.__table__).values(
            name=name,
            name_key=name.lower(),
            stage="onboarding",
            arr_minor=0,
            currency="USD",
            term_months=12,
            auto_renew=False,
            tags="",
            archived=False,
            created_at=moment,
            updated_at=moment,
        )
    )


def test_a_second_writer_waits_then_times_out_with_exit_4(db_target):
    holder, waiter = Database(db_target), Database(db_target, busy_timeout=0.2)
    with holder.write() as session:
        _add_account(session.connection(), "Held Co")
        with pytest.raises(errors.DatabaseLocked) as error:
            with waiter.write() as other:
                other.connection().execute(sa.text("SELECT 1"))
    assert error.value.exit_code == 4 and "CSMCTL_BUSY_TIMEOUT" in error.value.hint
    with waiter.write() as other:  # free again once the first writer committed
        assert other.connection().execute(sa.text("SELECT count(*) FROM account")).scalar() == 1
    holder.dispose()
    waiter.dispose()


def test_write_rolls_back_on_error(db_target):
    db = Database(db_target)
    with pytest.raises(RuntimeError):
        with db.write() as session:
            _add_account(session.connection(), "Ghost Co")
            raise RuntimeError("boom")
    with db.read() as session:
        assert session.connection().execute(sa.text("SELECT count(*) FROM account")).scalar() == 0
    db.dispose()


WORKER = textwrap.dedent("""
    import sys
    from sqlmodel import select
    from csmctl.domain.accounts import utcnow
    from csmctl.store.database import Database
    from csmctl.store.models import Account, Contact

    target, tag, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = Database(target, busy_timeout=30)
    for number in range(rounds):
        with db.write() as session:
            # read-modify-write on one shared row, plus a new row, in one transaction
            account = session.exec(select(Account).where(Account.name_key == "shared co")).one()
            account.arr_minor = account.arr_minor + 1
            session.add(Contact(account_id=account.id, name=f"{tag}-{number}", champion=False,
                                exec_sponsor=False, created_at=utcnow()))
    db.dispose()
""")


@pytest.mark.reliability
def test_two_processes_writing_at_once_lose_nothing(db_target, subprocess_env):
    rounds = 40
    db = Database(db_target)
    with db.write() as session:
        _add_account(session.connection(), "Shared Co")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_target, tag, str(rounds)],
            env=subprocess_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("ana", "ben")
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
    with db.read() as session:
        conn = session.connection()
        assert (
            conn.execute(sa.text("SELECT arr_minor FROM account WHERE name_key = 'shared co'")).scalar()
            == 2 * rounds
        )
        names = {row[0] for row in conn.execute(sa.text("SELECT name FROM contact"))}
    assert names == {f"{tag}-{n}" for tag in ("ana", "ben") for n in range(rounds)}
    db.dispose()


def test_moments_come_back_as_naive_utc_on_every_backend(db_target):
    """SQLite hands back naive UTC; PostgreSQL is made to do the same, whatever its time zone."""
    from datetime import datetime, timedelta, timezone

    from sqlmodel import select

    from csmctl.store.models import Account

    db = Database(db_target)
    stored = datetime(2026, 3, 29, 1, 30, 15, tzinfo=timezone(timedelta(hours=2)))  # 23:30:15 UTC
    with db.write() as session:
        _add_account(session.connection(), "Moment Co")
        session.connection().execute(sa.update(Account.__table__).values(created_at=stored.astimezone(UTC)))
    with db.read() as session:
        account = session.exec(select(Account)).one()
        raw = session.connection().execute(sa.text("SELECT created_at FROM account")).scalar()
    assert account.created_at == datetime(2026, 3, 28, 23, 30, 15) and account.created_at.tzinfo is None
    if db.dialect == "postgresql":
        assert raw == account.created_at
    db.dispose()


def test_lean_reads_stream_from_the_server_on_postgresql(db_target):
    """`Database.rows()` reads PostgreSQL through a server-side cursor, in batches, so a listing of
    the whole book does not arrive in client memory at once; every row still comes back."""
    db = Database(db_target)
    with db.write() as session:
        for n in range(5):
            _add_account(session.connection(), f"Stream {n}")
    with db.rows() as connection:
        result = connection.execute(sa.text("SELECT name FROM account ORDER BY name"))
        names = [row[0] for row in result]
        if db.dialect == "postgresql":
            import psycopg

            assert isinstance(result.context.cursor, psycopg.ServerCursor)
    assert names == [f"Stream {n}" for n in range(5)]
    db.dispose()
