"""A small book for the touchpoint tests, built once per module and copied per test.

Building it through the CLI takes about a second; the copy of a SQLite file takes a millisecond.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from csmctl.cli import app
from tests.conftest import AS_OF


def build_book(target, env) -> None:
    runner = CliRunner()
    steps = [
        ["account", "add", "Acme Corp", "--tier", "enterprise", "--owner", "Dana Reyes"],
        ["account", "add", "Globex", "--tier", "smb", "--owner", "Marco Bianchi"],
        ["contact", "add", "Acme Corp", "Ana Moreau", "--email", "ana@acme.example", "--champion"],
        ["contact", "add", "Acme Corp", "Ben Ito", "--email", "ben@acme.example"],
        ["contact", "add", "Globex", "Cleo Park"],
    ]
    for args in steps:
        result = runner.invoke(
            app, ["--db", str(target), "--as-of", AS_OF, *args], env=env, catch_exceptions=False
        )
        assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def book_template(tmp_path_factory):
    home = tmp_path_factory.mktemp("touchpoint-book")
    env = {
        "CSMCTL_DATA_DIR": str(home / "data"),
        "CSMCTL_CONFIG_DIR": str(home / "config"),
        "CSMCTL_CONFIG": str(home / "config" / "config.toml"),
        "CSMCTL_USER": "",
        "CSMCTL_DB": "",
    }
    path = home / "book.db"
    build_book(path, env)
    return path


@pytest.fixture
def book(cli, backend, request):
    """The `cli` fixture on the book: Acme Corp (enterprise; Ana Moreau, Ben Ito) and Globex (smb;
    Cleo Park). On SQLite a copy of the file built once; on PostgreSQL built in the test's schema."""
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("book_template"), cli.db_path)
    else:
        build_book(cli.db_path, None)
    return cli
