"""--db pointing at something that is not a usable book: a clear error, exit 4, nothing touched."""

from __future__ import annotations

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from csmctl.cli import app
from tests.reliability.conftest import digest

pytestmark = pytest.mark.reliability

COMMANDS = [
    ["account", "list"],
    ["account", "add", "Intruder"],
    ["contact", "add", "Acme", "Someone"],
    ["db", "check"],
    ["db", "info"],
    ["db", "migrate"],
    ["export", "accounts"],
]


def invoke(db, *argv):
    return CliRunner().invoke(app, ["--db", str(db), *argv], catch_exceptions=False)


def assert_refused(result, first_line_has: str, code: int = 4) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[0].startswith("Error: ") and first_line_has in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout == ""


def snapshot(directory):
    """Every file in the directory with its content digest: nothing may appear or change."""
    return {p.name: (digest(p) if p.is_file() else "dir") for p in sorted(directory.iterdir())}


def _text(path):
    path.write_text("name,arr\nAcme,100\n")


def _truncated(path, small_book):
    data = small_book.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _header_then_garbage(path, small_book):
    path.write_bytes(small_book.read_bytes()[:100] + os.urandom(8192))


def _random(path):
    path.write_bytes(os.urandom(10_000))


def _other_app(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO recipes (title) VALUES ('soup')")
    conn.commit()
    conn.close()


CASES = {
    "text file": (_text, "is not a SQLite database"),
    "truncated SQLite file": (_truncated, "is damaged"),
    "SQLite header then garbage": (_header_then_garbage, "is damaged"),
    "random bytes": (_random, "is not a SQLite database"),
    "another program's SQLite file": (_other_app, "not a csmctl one"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_file_that_is_not_a_book_is_refused_untouched(tmp_path, small_book, case):
    make, message = CASES[case]
    folder = tmp_path / "case"
    folder.mkdir()
    path = folder / "target.db"
    make(path, small_book) if make.__code__.co_argcount == 2 else make(path)
    before = snapshot(folder)
    for argv in COMMANDS:
        assert_refused(invoke(path, *argv), message)
        assert snapshot(folder) == before, f"{argv} changed the folder"


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "book.db"
    folder.mkdir()
    for argv in COMMANDS:
        assert_refused(invoke(folder, *argv), "is a directory, not a database file")
    assert list(folder.iterdir()) == []


def test_a_read_only_book_can_be_read_but_a_write_is_refused_untouched(tmp_path, small_book, read_only):
    before = digest(small_book)
    read_only(small_book)
    listed = invoke(small_book, "account", "list", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    for argv in (
        ["account", "add", "Intruder"],
        ["account", "edit", "Acme", "--arr", "1"],
        ["contact", "add", "Acme", "Someone"],
    ):
        assert_refused(invoke(small_book, *argv), "cannot be written")
    assert digest(small_book) == before


def test_a_book_in_a_read_only_directory_is_refused_untouched(tmp_path, small_book, read_only):
    folder = tmp_path / "locked"
    folder.mkdir()
    book = folder / "book.db"
    book.write_bytes(small_book.read_bytes())
    os.chmod(book, 0o600)
    before = snapshot(folder)
    read_only(folder)
    for argv in COMMANDS:
        assert_refused(invoke(book, *argv), f"its directory {folder} is not writable")
    assert snapshot(folder) == before


def test_a_new_book_in_a_read_only_directory_is_refused(tmp_path, read_only):
    folder = tmp_path / "locked"
    folder.mkdir()
    read_only(folder)
    assert_refused(invoke(folder / "new.db", "account", "add", "Acme"), "Cannot create the database")
    assert_refused(invoke(folder / "sub" / "new.db", "account", "add", "Acme"), "does not exist")
    assert list(folder.iterdir()) == []
