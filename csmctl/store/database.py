"""Opening a book: engine, SQLite pragmas, file safety, schema version, transactions.

``Database(url)`` is the one way in. It refuses what it cannot use with a ``DatabaseError``
(exit 4) before touching anything: a directory, a file that is not SQLite, a corrupt file, a
database that is not csmctl's, or one made by a newer csmctl. A new SQLite file is created 0600
(its directory 0700 when csmctl creates it, which it does only when asked: the default data dir).
With ``create="write"`` (the CLI) a missing book is created by the first write only, and a read
of it raises ``NoBook``: a mistyped --db must never look like an empty, healthy book. A database behind the current schema is backed up
(SQLite's online backup API) and migrated on open; a current one pays one SELECT.

Writes run in ``with db.write() as session:`` — ``BEGIN IMMEDIATE`` on SQLite, so a second writer
waits on busy_timeout at the start rather than failing half-way — and commit or roll back whole.

PostgreSQL (``postgresql://...``, the ``postgres`` extra) gets the same guarantees: a write takes
one transaction-level advisory lock first (writers queue, waiting up to busy_timeout through
``lock_timeout``), a read is a ``REPEATABLE READ`` snapshot, sessions run in UTC. A password in the
URL or in PGPASSWORD never reaches a message (``csmctl.redact``).
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa
from sqlalchemy import event, exc

from csmctl import collector, errors
from csmctl.files import make_private_dirs, remove_stale_temporaries, temporary_name, write_failed
from csmctl.redact import mask_url, redact, remember, url_secrets
from csmctl.store import migrations
from csmctl.store.targets import is_url, sqlite_path, sqlite_uri

if TYPE_CHECKING:  # SQLModel (and the ORM) is imported by the first session, never by a Core read
    from sqlmodel import Session

    # What a read query runs on: ``Database.rows()``'s connection or a Session (both ``execute``)
    Reader = sa.Connection | Session

__all__ = ["Database", "database_error", "is_url", "mask_url", "sqlite_path", "sqlite_uri"]

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_CONNECT_TIMEOUT = 10  # seconds; PGCONNECT_TIMEOUT overrides
# pg_advisory_xact_lock key taken by every write transaction on PostgreSQL ("csmctl" in ASCII):
# writers queue like SQLite's BEGIN IMMEDIATE, so a read-modify-write never loses an update.
WRITE_LOCK_KEY = 0x63736D63746C
STREAM_BATCH = 2000  # rows a PostgreSQL server-side cursor hands over at a time on the lean read path


def _secure_create(path: Path, *, make_parent: bool = True) -> None:
    """Create an empty database file readable by its owner only (and a 0700 parent if new and
    ``make_parent``)."""
    parent = path.parent
    if not parent.exists():
        if not make_parent:
            raise errors.DatabaseUnavailable(
                f"Cannot create the book {path}: the directory {parent} does not exist.",
                "Create the directory first, or check the path given with --db or CSMCTL_DB.",
            )
        try:
            make_private_dirs(parent)
        except OSError as error:
            raise errors.DatabaseUnavailable(
                f"Cannot create the directory {parent}: {error.strerror}.",
                "Check the path given with --db or CSMCTL_DB.",
            ) from None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise errors.DatabaseUnavailable(
            f"Cannot create the database {path}: {error.strerror}.",
            "Check the directory exists and is writable, or pass another --db.",
        ) from None
    os.close(fd)


def _check_sqlite_file(path: Path) -> bool:
    """Refuse anything that is not a SQLite file. Returns True when the file is new/empty."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return True
    except OSError as error:
        raise errors.DatabaseUnavailable(f"Cannot read {path}: {error.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise errors.DatabaseUnavailable(
            f"{path} is a directory, not a database file.",
            "Pass a file path with --db, e.g. --db ~/csm/book.db.",
        )
    if info.st_size == 0:
        return True
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise errors.DatabaseUnavailable(f"Cannot read {path}: {error.strerror}.") from None
    if header != SQLITE_HEADER:
        raise errors.NotACsmctlDatabase(
            f"{path} is not a SQLite database (it was left untouched).",
            "Pass the path of a csmctl database with --db, or a new file name to start one.",
        )
    return False


def _check_directory_writable(path: Path) -> None:
    """SQLite keeps -wal and -shm files beside the book, even to read it: say so plainly."""
    parent = path.parent if str(path.parent) else Path(".")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise errors.DatabaseUnavailable(
            f"Cannot use {path}: its directory {parent} is not writable "
            "(SQLite keeps the database's -wal and -shm files beside it); nothing was changed.",
            "Make the directory writable, or copy the database to one that is and pass it with --db.",
        )


def connection_of(reader: Reader) -> sa.Connection:
    """The Core connection under a read: ``Database.rows()``'s itself, or a Session's."""
    return reader if isinstance(reader, sa.Connection) else reader.connection()


class Database:
    """A csmctl book on SQLite or PostgreSQL."""

    def __init__(
        self,
        target: str,
        *,
        busy_timeout: float | None = None,
        migrate: bool = True,
        create: Literal["open", "write"] = "open",
        create_parent: bool = True,
    ) -> None:
        """``create``: when a missing SQLite book is created, on open (library use, `db copy`'s
        target) or by the first write (the CLI). ``create_parent``: may its directory be made."""
        self.target = target
        self.display = mask_url(target)
        self.secrets: list[str | None] = list(url_secrets(target)) if is_url(target) else []
        remember(target)
        self.path = sqlite_path(target)
        if busy_timeout is None:
            from csmctl.config import env_busy_timeout

            busy_timeout = env_busy_timeout()
        self.busy_timeout = busy_timeout
        self.backup_path: Path | None = None
        self.migrated_from: int | None = None
        self._verified = False  # set once the schema table says this is a csmctl book
        self._migrate = migrate
        self._create_parent = create_parent
        self.missing = False  # a SQLite book not created yet (create="write"): reads refuse it
        if self.path is not None:
            new = _check_sqlite_file(self.path)
            if new and create == "write":
                self.missing = True
            elif new:
                _secure_create(self.path, make_parent=create_parent)
            else:
                _check_directory_writable(self.path)
                # Hidden copies left by a killed backup (or the one before a migration).
                remove_stale_temporaries(self.path.parent, self.path.name + ".")
            self.engine = self._sqlite_engine(self.path)
        else:
            self.engine = self._server_engine(target)
        self._write_engine = self.engine.execution_options(csmctl_write=True)
        self.version = 0 if self.missing else self._open(migrate)

    def require_book(self) -> None:
        """Reads call this: a missing book is an error (exit 4), never an empty one."""
        if self.missing:
            raise errors.NoBook(self.path)

    def _create_book(self) -> None:
        """The first write to a missing book creates it (only where its directory exists)."""
        if self.missing:
            assert self.path is not None
            _secure_create(self.path, make_parent=self._create_parent)
            self.missing = False
            self.version = self._open(self._migrate)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- engines -------------------------------------------------------------------------------
    def _sqlite_engine(self, path: Path) -> sa.Engine:
        timeout_ms = int(self.busy_timeout * 1000)
        uri = sqlite_uri(path)
        timeout = self.busy_timeout
        # The path goes to SQLite as a percent-escaped file: URI, never through SQLAlchemy's URL
        # parser, which reads `?` and `#` as URL syntax and decodes `%XX`: the data would land
        # in another file than the one checked, chmodded and backed up.
        engine = sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False),
            poolclass=sa.pool.NullPool,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - exercised on every open
            # Let SQLAlchemy's "begin" event choose BEGIN vs BEGIN IMMEDIATE.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # Persistent once set; on a WAL database this is a cheap read. Not before the file is
            # known to be a csmctl book: switching to WAL rewrites the header of someone else's.
            if self._verified:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            if conn.get_execution_options().get("csmctl_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine

    def _server_engine(self, url: str) -> sa.Engine:
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        if url.startswith("postgresql+psycopg"):
            try:
                import psycopg  # noqa: F401 - only to say clearly when the driver is missing
            except ImportError:
                raise errors.DatabaseUnavailable(
                    "PostgreSQL support is not installed.",
                    'Install it with: pip install "csmctl[postgres]"',
                ) from None
        try:
            parsed = sa.engine.make_url(url)
            if parsed.get_backend_name() != "postgresql":
                raise exc.ArgumentError("unsupported")
            connect_args = {}
            if parsed.get_driver_name() == "psycopg":
                connect_args["connect_timeout"] = int(
                    os.environ.get("PGCONNECT_TIMEOUT") or DEFAULT_CONNECT_TIMEOUT
                )
            engine = sa.create_engine(parsed, connect_args=connect_args)
        except ImportError as error:  # postgresql+<another driver>:// that is not installed
            raise errors.DatabaseUnavailable(
                f"The driver for {redact(self.target, self.secrets)} is not installed ({error.name}).",
                'Use postgresql://... with: pip install "csmctl[postgres]"',
            ) from None
        except (exc.ArgumentError, exc.NoSuchModuleError, ValueError):
            raise errors.DatabaseUnavailable(
                f"Cannot use database URL {redact(self.target, self.secrets)!r}.",
                "Use a file path, sqlite:///PATH or postgresql://user@host/dbname.",
            ) from None
        lock_timeout_ms = max(1, int(self.busy_timeout * 1000))

        naive_utc = _naive_utc_loaders() if parsed.get_driver_name() == "psycopg" else []

        @event.listens_for(engine, "connect")
        def _session_settings(dbapi_connection, _record):  # pragma: no cover - every connection
            # Moments are UTC everywhere: naive UTC values are stored as UTC whatever the
            # server's time zone, and come back as naive UTC, exactly as SQLite returns them,
            # so code that compares moments behaves the same on both backends.
            for loader in naive_utc:
                dbapi_connection.adapters.register_loader("timestamptz", loader)
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET TIME ZONE 'UTC'")
            dbapi_connection.commit()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            if conn.get_execution_options().get("csmctl_write"):
                # READ COMMITTED + one advisory lock: writers take turns (waiting at most
                # CSMCTL_BUSY_TIMEOUT), and each sees everything committed before it began.
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = {lock_timeout_ms}")
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            else:
                # A read is one consistent snapshot, however long the report takes.
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

        return engine

    # -- schema ---------------------------------------------------------------------------------
    def _open(self, migrate: bool) -> int:
        with self.translate_errors():
            with self.engine.connect() as conn:
                version = self._read_version(conn)
            if version > migrations.HEAD:
                raise errors.DatabaseTooNew(
                    f"{self.display} has schema version {version}; this csmctl knows up to "
                    f"{migrations.HEAD} (the database was left untouched).",
                    "Upgrade csmctl: pip install -U csmctl",
                )
            self._verified = True
            if version < migrations.HEAD and migrate:
                self.migrate(version)
                version = migrations.HEAD
            return version

    def _read_version(self, conn: sa.Connection) -> int:
        inspector = sa.inspect(conn)
        if not inspector.has_table("csmctl_schema"):
            tables = inspector.get_table_names()
            if tables:
                raise errors.NotACsmctlDatabase(
                    f"{self.display} is a database, but not a csmctl one "
                    f"(it has tables {', '.join(sorted(tables)[:5])}); it was left untouched.",
                    "Pass the path of a csmctl database with --db, or a new file name.",
                )
            return 0
        row = conn.exec_driver_sql("SELECT version, app FROM csmctl_schema WHERE id = 1").first()
        if row is None or row[1] != "csmctl":
            raise errors.NotACsmctlDatabase(f"{self.display} is not a csmctl database.")
        return int(row[0])

    def migrate(self, current: int | None = None) -> int:
        """Bring the schema to head, after a backup when there is data. Returns the old version."""
        self._create_book()
        if current is None:
            with self.engine.connect() as conn:
                current = self._read_version(conn)
        if current >= migrations.HEAD:
            return current
        if current > 0 and self.path is not None:
            self.backup_path = self.backup(self.default_backup_path(current))
            found = _file_version(self.backup_path)
            if found != current:
                # Another process migrated the book between our read and the copy: the copy is not
                # the schema its name says. Up to head: nothing left for this one to do. Part of
                # the way (an older csmctl): the copy is a good backup of the version it holds.
                if found is not None and found < migrations.HEAD:
                    self.backup_path = self.backup_path.rename(self.default_backup_path(found))
                    current = found
                else:
                    self.backup_path.unlink()
                    self.backup_path = None
                    with self.engine.connect() as conn:
                        current = self._read_version(conn)
                    if current >= migrations.HEAD:
                        return current
        with self.translate_errors(), self._write_engine.connect() as conn:
            sqlite = self.dialect == "sqlite"
            if sqlite:
                # A table rebuild (alembic batch mode) drops the old table: with foreign keys on,
                # SQLite would cascade that DROP to every child row. Off for this connection only
                # (NullPool closes it afterwards), set before BEGIN as SQLite requires; the keys are
                # checked before the commit instead.
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
            with conn.begin():
                # Re-read under the write lock: another process may have migrated meanwhile.
                now = self._read_version(conn)
                if now < migrations.HEAD:
                    migrations.apply(conn, now)
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise errors.DatabaseCorrupt(
                            f"Migrating {self.display} would leave rows pointing at missing ones; "
                            "nothing was changed.",
                            "Run `csmctl db check` on a copy and report it.",
                        )
        self.migrated_from = current
        self.version = migrations.HEAD
        return current

    # -- backups --------------------------------------------------------------------------------
    def _require_file(self) -> Path:
        self.require_book()
        if self.path is None:
            raise errors.CsmctlError(
                "Backups of a server database are the server's job.",
                "Use pg_dump for PostgreSQL, or `csmctl db copy --to FILE.db` for a snapshot.",
            )
        return self.path

    def default_backup_path(self, version: int | None = None) -> Path:
        self._require_file()
        assert self.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        label = f"v{version}-" if version is not None else ""
        return self.path.with_name(f"{self.path.name}.{label}{stamp}.bak")

    def backup(self, destination: Path) -> Path:
        """A consistent copy through SQLite's online backup API, written 0600."""
        self._require_file()
        destination = Path(destination).expanduser()
        if destination.exists():
            raise errors.AlreadyExists(
                f"{destination} already exists.", "Choose another path or remove it first."
            )
        directory = destination.parent
        # A killed backup (this one's or a pre-migration one's) left a full hidden copy: clean it.
        remove_stale_temporaries(directory, destination.name + ".")
        remove_stale_temporaries(self.path.parent, self.path.name + ".")
        temp = directory / temporary_name(destination.name)
        try:
            if not directory.exists():
                make_private_dirs(directory)
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except OSError as error:
            raise errors.CsmctlError(
                f"Cannot write the backup in {directory}: {error.strerror}; nothing was written.",
                "Choose a directory you can write to: csmctl db backup PATH.",
            ) from None
        try:
            with self.translate_errors():
                source = sqlite3.connect(sqlite_uri(self.path), uri=True, timeout=self.busy_timeout)
                try:
                    target = sqlite3.connect(temp)
                    try:
                        source.backup(target)
                        target.execute("PRAGMA journal_mode = DELETE")
                    finally:
                        target.close()
                finally:
                    source.close()
            os.replace(temp, destination)
        except OSError as error:
            raise write_failed(destination, error) from None
        finally:
            for leftover in (temp, *(temp.with_name(temp.name + s) for s in ("-journal", "-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
        return destination

    # -- sessions -------------------------------------------------------------------------------
    @contextmanager
    def rows(self) -> Iterator[sa.Connection]:
        """A read transaction on a plain Core connection (the lean read path): a consistent
        snapshot for the whole block, rows as tuples, no SQLModel, pydantic or ORM on the way."""
        collector.started()
        self.require_book()
        with self.translate_errors(), self.engine.connect() as connection:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # psycopg's default cursor pulls a whole result into client memory before the
                    # first row; a server-side cursor hands it over in batches, so the streamed
                    # listings stay flat on PostgreSQL as they are on SQLite (whose cursor is lazy).
                    # Set after BEGIN: the snapshot's SET TRANSACTION cannot run in a cursor.
                    connection.execution_options(stream_results=True, max_row_buffer=STREAM_BATCH)
                yield connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction: a consistent snapshot for the whole block."""
        from sqlmodel import Session

        collector.started()
        self.require_book()
        with self.translate_errors(), Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits at the end of the block, rolls back on any error."""
        from sqlmodel import Session

        collector.started()
        self._create_book()
        with self.translate_errors(), Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def write_rows(self) -> Iterator[sa.Connection]:
        """One write transaction on a plain Core connection, for a write that needs no model
        (`touch`): commits at the end of the block, rolls back on any error, no SQLModel."""
        collector.started()
        self._create_book()
        with self.translate_errors(), self._write_engine.connect() as connection:
            with connection.begin():
                yield connection

    @contextmanager
    def translate_errors(self) -> Iterator[None]:
        """Turn driver errors into csmctl's DatabaseError family (exit 4)."""
        try:
            yield
        except errors.CsmctlError:
            raise
        except exc.IntegrityError as error:
            # A safety net: store code checks uniqueness first, but a racing writer may win.
            raise errors.Conflict(
                f"The change conflicts with data already in {self.display}: "
                f"{redact(str(error.orig).splitlines()[0], self.secrets)}.",
                "Nothing was written; check the values and try again.",
            ) from None
        except (exc.OperationalError, exc.DatabaseError, sqlite3.Error) as error:
            raise database_error(error, self.display, self.secrets) from None

    def counts(self) -> dict[str, int]:
        tables = [
            "account",
            "contact",
            "touchpoint",
            "checklist",
            "checklist_task",
            "renewal_event",
            "health_snapshot",
            "metric_value",
        ]
        with self.read() as session:
            return {
                table: int(session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())
                for table in tables
            }

    def size_bytes(self) -> int:
        """The file's size on SQLite; the database's size on the server."""
        self.require_book()
        if self.path is not None:
            return self.path.stat().st_size
        with self.read() as session:
            return int(
                session.connection().exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
            )

    def quick_check(self) -> list[str]:
        """SQLite's quick_check; an empty list means fine."""
        if self.dialect != "sqlite":
            return []
        with self.read() as session:
            rows = session.connection().exec_driver_sql("PRAGMA quick_check").fetchall()
        problems = [str(row[0]) for row in rows]
        return [] if problems == ["ok"] else problems

    def dispose(self) -> None:
        self.engine.dispose()


def _naive_utc_loaders() -> list:
    """psycopg loaders that return timestamptz values as naive UTC datetimes (SQLite's form)."""
    from psycopg.types.datetime import TimestamptzBinaryLoader, TimestamptzLoader

    def naive(base):
        class NaiveUTC(base):
            def load(self, data):
                value = super().load(data)
                return value.astimezone(UTC).replace(tzinfo=None)

        return NaiveUTC

    return [naive(TimestamptzLoader), naive(TimestamptzBinaryLoader)]  # text and binary format


def _first_line(text: str) -> str:
    """libpq's messages span lines ("connection to server at ... failed: FATAL:  reason\n\tIs
    the server running...?"): keep the reason."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    if "failed: " in line:
        line = line.rsplit("failed: ", 1)[1]
    return re.sub(r"^(FATAL|ERROR):\s+", "", line).strip().rstrip(".")


def database_error(
    error: BaseException, where: str, secrets: list[str | None] | None = None
) -> errors.DatabaseError:
    """The DatabaseError (exit 4) for a driver error: one line, no password in it."""
    text = redact(str(getattr(error, "orig", error)), secrets or ())
    where = redact(where, secrets or ())
    lowered = text.lower()
    reason = _first_line(text)
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return errors.DatabaseLocked(
            f"The database {where} is locked by another csmctl (or other program).",
            "Try again in a moment; raise CSMCTL_BUSY_TIMEOUT (seconds) to wait longer.",
        )
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return errors.DatabaseCorrupt(
            f"The database {where} is damaged ({text}).",
            "Restore a backup (csmctl keeps one beside the file before each upgrade).",
        )
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return errors.DatabaseUnavailable(
            f"The database {where} cannot be written ({text}).",
            "Check the file and its directory are writable by you.",
        )
    if (
        "password authentication failed" in lowered
        or "no password supplied" in lowered
        or "authentication failed" in lowered
    ):
        return errors.DatabaseUnavailable(
            f"PostgreSQL refused the login to {where}: {reason}.",
            "Check the user and password (in the URL, PGPASSWORD or ~/.pgpass).",
        )
    if "does not exist" in lowered and ("database" in lowered or "role" in lowered):
        return errors.DatabaseUnavailable(
            f"PostgreSQL refused {where}: {reason}.",
            "Check the name in the URL; an administrator creates the database (createdb NAME).",
        )
    if "permission denied" in lowered:
        return errors.DatabaseUnavailable(
            f"PostgreSQL refused access to {where}: {reason}.",
            "Ask the database owner to grant your role access to the csmctl tables.",
        )
    if (
        "connection" in lowered
        or "could not" in lowered
        or "timeout" in lowered
        or "translate host" in lowered
        or "name or service" in lowered
    ):
        return errors.DatabaseUnavailable(
            f"Cannot reach the database server for {where}: {reason}.",
            "Check the host and port in the URL, and that the server is running.",
        )
    return errors.DatabaseError(f"The database {where} could not be used: {reason or type(error).__name__}.")


def _file_version(path: Path) -> int | None:
    """The schema version recorded in the SQLite book at ``path`` (None when it has none)."""
    connection = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        row = connection.execute("SELECT version FROM csmctl_schema WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return int(row[0]) if row else None
