"""Customer data stays private: book, WAL/SHM and backups 0600, created directories 0700,
exports 0600 and atomic — whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from typer.testing import CliRunner

from csmctl.cli import app
from tests.reliability.conftest import book_files

pytestmark = pytest.mark.reliability


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022], ids=["umask-000", "umask-022"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def invoke(*argv, env=None):
    return CliRunner().invoke(app, list(argv), catch_exceptions=False, env=env)


def test_new_book_is_private_and_made_only_where_its_directory_exists(tmp_path, umask):
    book = tmp_path / "book.db"
    assert invoke("--db", str(book), "account", "add", "Acme").exit_code == 0
    assert mode(book) == 0o600
    # an explicit --db in a missing directory is a typo until shown otherwise: nothing is made
    nested = tmp_path / "a" / "b" / "c" / "book.db"
    assert invoke("--db", str(nested), "account", "add", "Acme").exit_code == 4
    assert not (tmp_path / "a").exists()


def test_default_data_dir_is_private(tmp_path, umask):
    data = tmp_path / "home" / "share" / "csmctl"
    result = invoke("account", "add", "Acme", env={"CSMCTL_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.stderr
    assert mode(data / "csmctl.db") == 0o600
    assert mode(data) == 0o700 and mode(data.parent) == 0o700 and mode(data.parent.parent) == 0o700


def test_wal_and_shm_are_private_while_the_book_is_open(tmp_path, umask):
    book = tmp_path / "book.db"
    assert invoke("--db", str(book), "account", "add", "Acme").exit_code == 0
    reader = sqlite3.connect(book)  # keeps -wal/-shm alive after the command's connection closes
    try:
        reader.execute("SELECT count(*) FROM account").fetchone()
        assert invoke("--db", str(book), "account", "add", "Globex").exit_code == 0
        files = book_files(book)
        assert [p.name for p in files] == ["book.db", "book.db-wal", "book.db-shm"]
        assert [mode(p) for p in files] == [0o600] * 3
    finally:
        reader.close()


def test_backups_are_private_and_their_new_directories_too(tmp_path, umask):
    book = tmp_path / "book.db"
    assert invoke("--db", str(book), "account", "add", "Acme").exit_code == 0
    default = invoke("--db", str(book), "db", "backup")
    assert default.exit_code == 0, default.stderr
    written = tmp_path / default.stdout.strip().rsplit("/", 1)[-1]
    assert mode(written) == 0o600
    nested = tmp_path / "backups" / "nightly" / "book.bak"
    assert invoke("--db", str(book), "db", "backup", str(nested)).exit_code == 0
    assert mode(nested) == 0o600
    assert mode(nested.parent) == 0o700 and mode(nested.parent.parent) == 0o700
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name]


def test_exports_are_private_and_a_replaced_file_keeps_its_mode(tmp_path, umask):
    book = tmp_path / "book.db"
    assert invoke("--db", str(book), "account", "add", "Acme").exit_code == 0
    out = tmp_path / "accounts.csv"
    assert invoke("--db", str(book), "export", "accounts", "-o", str(out)).exit_code == 0
    assert mode(out) == 0o600
    os.chmod(out, 0o640)
    assert invoke("--db", str(book), "export", "accounts", "-o", str(out)).exit_code == 0
    assert mode(out) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "book.db"]


def test_a_failed_export_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    book = tmp_path / "book.db"
    assert invoke("--db", str(book), "account", "add", "Acme").exit_code == 0
    out = tmp_path / "accounts.csv"
    out.write_text("old\n")
    from csmctl import output

    real_emit = output.emit

    def emit_then_fail(records, *args, **kwargs):
        stream = kwargs["stream"]
        stream.write("partial,")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "emit", emit_then_fail)
    result = invoke("--db", str(book), "export", "accounts", "-o", str(out))
    monkeypatch.setattr(output, "emit", real_emit)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "book.db"]
