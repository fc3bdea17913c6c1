"""Per-invocation state set by the root callback: settings, --db, --as-of, the open database.

Commands call ``current()``; the database is opened on first use, so ``--help`` and commands that
do not need it never import the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, overload

from csmctl.config import Settings, load_settings

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.store.database import Database


@dataclass
class AppState:
    settings: Settings
    db_flag: str | None = None
    as_of: date | None = None
    _db: Any = field(default=None, repr=False)

    @property
    def today(self) -> date:
        """``--as-of`` when given, else the real date: every report asks here."""
        return self.as_of or date.today()

    @property
    def db_target(self) -> str:
        return self.settings.database_url(self.db_flag)

    def database(self, *, create: bool = False, migrate: bool = True) -> Database:
        """The book, opened once. A missing SQLite book is created by the first write (or now,
        with ``create``: `db init`, `demo`), never by a read; only the default data dir is made.

        ``migrate=False`` is for commands that promise to change nothing (a dry run): a book whose
        schema needs an upgrade is refused (SchemaOutdated, exit 4) instead of upgraded."""
        if self._db is None:
            from csmctl.store.database import Database

            target = self.db_target
            self._db = Database(
                target,
                busy_timeout=self.settings.busy_timeout,
                create="open" if create else "write",
                create_parent=target == self.settings.default_db,
                migrate=migrate,
            )
            if self._db.migrated_from:
                from csmctl.output import err

                backup = f"; backup at {self._db.backup_path}" if self._db.backup_path else ""
                err(
                    f"Upgraded the database schema from version {self._db.migrated_from} to "
                    f"{self._db.version}{backup}.",
                    style="dim",
                )
        if not migrate and not self._db.missing:
            self._refuse_outdated(self._db)
        return self._db

    @staticmethod
    def _refuse_outdated(database: Database) -> None:
        from csmctl.errors import SchemaOutdated
        from csmctl.store.migrations import HEAD

        if database.version < HEAD:
            found = (
                f"has schema version {database.version}, older than this csmctl's {HEAD}"
                if database.version
                else "has no csmctl tables yet"
            )
            error = SchemaOutdated(
                f"{database.display} {found}; a dry run changes nothing, so it does not upgrade it "
                "(the book was left untouched).",
                "Run `csmctl db migrate` first (it takes a backup), then the dry run again.",
            )
            error.version = database.version
            raise error

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None

    def owner(self, value: str | None) -> str | None:
        """``--owner me`` is the configured user (``[user] name`` in config.toml or CSMCTL_USER)."""
        if value is None or value.lower() != "me":
            return value
        if not self.settings.user_name:
            from csmctl.errors import InvalidValue

            raise InvalidValue(
                "--owner me needs your name in the config.",
                f'Add [user] name = "..." to {self.settings.config_file}, or set CSMCTL_USER.',
            )
        return self.settings.user_name

    @overload
    def date(self, value: str, *, what: str = "date") -> date: ...
    @overload
    def date(self, value: None, *, what: str = "date") -> None: ...
    @overload
    def date(self, value: str | None, *, what: str = "date") -> date | None: ...
    def date(self, value: str | None, *, what: str = "date") -> date | None:
        """Parse a user date (ISO or today/+30d/...) relative to ``today``."""
        if value is None:
            return None
        from csmctl.domain.dates import parse_date

        return parse_date(value, self.today, what=what)


_state: AppState | None = None


def begin(settings: Settings | None = None, **options: Any) -> AppState:
    """Called by the root callback at the start of every invocation."""
    global _state
    if _state is not None:
        _state.close()
    _state = AppState(settings or load_settings(), **options)
    return _state


def current() -> AppState:
    return _state if _state is not None else begin()
