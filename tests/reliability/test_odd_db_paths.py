"""Database paths with URI syntax in them reach SQLite exactly as given (issue 16, hole 2).

A `?`, `#` or `%XX` in a path (or a sqlite:/// URL) used to send the data to a different file
from the one csmctl checked, chmodded and backed up: `db backup` copied an empty database.
"""

from __future__ import annotations

import sqlite3
import stat

import pytest

from tests.conftest import Cli

pytestmark = pytest.mark.reliability

NAMES = ["book?mode=ro.db", "book#1.db", "book%41.db", "we?ird#%20name%.db"]


@pytest.mark.parametrize("as_url", [False, True], ids=["path", "sqlite-url"])
@pytest.mark.parametrize("name", NAMES)
def test_odd_path_is_the_file_used(tmp_path, name, as_url):
    folder = tmp_path / "books"
    folder.mkdir()
    path = folder / name
    cli = Cli(f"sqlite:///{path}" if as_url else path)
    cli.ok("account", "add", "Acme", "--arr", "10k")
    # the data is in exactly that file, which is 0600, and nothing else was created
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [name]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM account").fetchall() == [("Acme",)]
    # a backup copies that data, and so does db copy
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM account").fetchall() == [("Acme",)]
    copy = tmp_path / "copy?x#y.db"
    cli.ok("db", "copy", "--to", str(copy))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT name FROM account").fetchall() == [("Acme",)]
    assert "ok" in cli.ok("db", "check").stderr
    assert "Acme" in cli.ok("account", "list").stdout
