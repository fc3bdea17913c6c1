"""Team mode: csmctl on PostgreSQL, `db copy` both ways, and database errors with no password."""

from __future__ import annotations

import json
import socket
import sys

import pytest

from csmctl.store import migrations
from tests import pgserver
from tests.conftest import Cli

EXPORTS = (
    ("export", "accounts", "-f", "json"),
    ("export", "contacts", "-f", "json"),
    ("export", "accounts", "-f", "csv"),
    ("account", "list", "-f", "json"),
)


def _errors(stderr: str) -> list[str]:
    """stderr without the warnings (a password given with --db warns that `ps` shows it)."""
    return [line for line in stderr.splitlines() if not line.startswith("warning: ")]


def exports(cli: Cli) -> list[str]:
    return [cli.ok(*args).stdout for args in EXPORTS]


@pytest.fixture
def other_target(backend, tmp_path, request):
    """An empty book of the *other* kind than the one under test (the copy's target)."""
    if backend == "postgresql":
        return str(tmp_path / "copy.db")
    return request.getfixturevalue("pg_schema")


@pytest.mark.postgres
def test_db_copy_round_trips_the_demo_book_with_identical_exports(demo_cli, other_target, tmp_path):
    original = exports(demo_cli)
    done = demo_cli.ok("db", "copy", "--to", other_target, "-f", "json")
    rows = {r["table"]: r["rows"] for r in json.loads(done.stdout)}
    assert rows["account"] == 27 and rows["contact"] == 68
    assert done.stderr.startswith(f"Copied {sum(rows.values())} rows from ")
    there = Cli(other_target)
    assert exports(there) == original
    back = Cli(tmp_path / "back.db")
    there.ok("db", "copy", "--to", str(back.db_path))
    assert exports(back) == original
    # ids were copied, and new rows on the copy go on after them (PostgreSQL sequences reset)
    assert "(id 28)" in there.ok("account", "add", "New Co").stderr
    assert "(id 28)" in demo_cli.ok("account", "add", "New Co").stderr


@pytest.mark.postgres
def test_db_copy_refuses_a_non_empty_target_unless_forced(demo_cli, other_target):
    target = Cli(other_target)
    target.ok("account", "add", "Somebody Else Co")
    refused = demo_cli("db", "copy", "--to", other_target)
    assert refused.exit_code == 1
    assert _errors(refused.stderr) == [
        f"Error: {other_target} already holds a book (1 account); nothing was copied.",
        "Pass --force to replace everything in it, or copy to an empty database.",
    ]
    assert [a["name"] for a in json.loads(target.ok("account", "list", "-f", "json").stdout)] == [
        "Somebody Else Co"
    ]
    forced = demo_cli.ok("db", "copy", "--to", other_target, "--force")
    assert "(replaced 1 rows)" in forced.stderr
    names = [a["name"] for a in json.loads(target.ok("account", "list", "-f", "json").stdout)]
    assert len(names) == 25 and "Somebody Else Co" not in names


@pytest.mark.postgres
def test_a_failed_copy_leaves_the_target_as_it_was(demo_cli, other_target, monkeypatch, tmp_path):
    import sqlalchemy as sa

    import csmctl.store.copy as copy_module
    from csmctl.store.models import Account

    real_verify = copy_module._verify

    def verify_after_losing_a_row(src, dst, tables, report):
        table = Account.__table__
        dst.execute(sa.delete(table).where(table.c.id == 25))
        real_verify(src, dst, tables, report)

    monkeypatch.setattr(copy_module, "_verify", verify_after_losing_a_row)
    result = demo_cli("db", "copy", "--to", other_target)
    assert result.exit_code == 4
    assert _errors(result.stderr) == [
        "Error: Copy check failed for account: 27 rows in the source, 26 in the target; nothing was written.",
        "Run `csmctl db check` on both databases and try again.",
    ]
    if other_target.endswith(".db"):  # a new file the failed copy created is removed again
        assert not (tmp_path / "copy.db").exists()
    else:
        assert json.loads(Cli(other_target).ok("account", "list", "-f", "json").stdout) == []


def test_db_copy_to_the_database_in_use_is_refused(cli, db_target):
    cli.ok("account", "add", "Acme")
    result = cli("db", "copy", "--to", db_target)
    assert result.exit_code == 1 and "--to names the database in use" in result.stderr


def test_copy_into_a_database_that_is_not_csmctls_is_refused(demo_cli, tmp_path):
    import sqlite3

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x)")
    result = demo_cli("db", "copy", "--to", str(foreign))
    assert result.exit_code == 4
    assert _errors(result.stderr)[0] == (
        f"Error: {foreign} is a database, but not a csmctl one (it has tables notes); it was left untouched."
    )


# -- PostgreSQL errors: one clear line, exit 4, never a password ---------------------------------


@pytest.mark.postgres
def test_wrong_password_is_one_line_exit_4_without_the_password(pg_database):
    cluster, name = pg_database
    url = cluster.tcp_url(name, password="Wr0ng-Secret-77")
    result = Cli(url)("account", "list")
    assert result.exit_code == 4
    masked = f"postgresql://{pgserver.PASSWORD_USER}:***@127.0.0.1:{cluster.port}/{name}"
    assert "visible to other local users in `ps`" in result.stderr  # the password came with --db
    assert _errors(result.stderr) == [
        f"Error: PostgreSQL refused the login to {masked}: password authentication failed for user "
        f'"{pgserver.PASSWORD_USER}".',
        "Check the user and password (in the URL, PGPASSWORD or ~/.pgpass).",
    ]
    assert "Wr0ng-Secret-77" not in result.stdout + result.stderr


@pytest.mark.postgres
def test_pgpassword_and_pgpass_work_and_are_never_printed(pg_database, tmp_path, monkeypatch):
    cluster, name = pg_database
    with cluster.admin(name) as conn:
        conn.execute(f"GRANT ALL ON SCHEMA public TO {pgserver.PASSWORD_USER}")
    url = cluster.tcp_url(name, password=None)
    monkeypatch.setenv("PGPASSWORD", pgserver.PASSWORD)
    cli = Cli(url)
    cli.ok("account", "add", "Acme")
    info = cli.ok("db", "info", "-f", "json")
    assert json.loads(info.stdout)["database"] == url and json.loads(info.stdout)["dialect"] == "postgresql"
    monkeypatch.setenv("PGPASSWORD", "Env-Wrong-Secret")
    refused = cli("account", "list")
    assert refused.exit_code == 4 and "password authentication failed" in refused.stderr
    assert "Env-Wrong-Secret" not in refused.stderr
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{cluster.port}:{name}:{pgserver.PASSWORD_USER}:{pgserver.PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    listed = cli.ok("account", "list", "-f", "json")
    assert [a["name"] for a in json.loads(listed.stdout)] == ["Acme"]


@pytest.mark.postgres
def test_password_in_the_url_is_masked_in_db_info_and_db_path(pg_database):
    cluster, name = pg_database
    with cluster.admin(name) as conn:
        conn.execute(f"GRANT ALL ON SCHEMA public TO {pgserver.PASSWORD_USER}")
    cli = Cli(cluster.tcp_url(name))
    masked = f"postgresql://{pgserver.PASSWORD_USER}:***@127.0.0.1:{cluster.port}/{name}"
    assert json.loads(cli.ok("db", "info", "-f", "json").stdout)["database"] == masked
    assert cli.ok("db", "path").stdout.strip() == masked
    for result in (cli.ok("db", "info"), cli.ok("db", "check"), cli.ok("db", "migrate")):
        assert pgserver.PASSWORD not in result.stdout + result.stderr


@pytest.mark.postgres
def test_a_database_that_is_not_a_csmctl_schema_is_refused_untouched(pg_database):
    cluster, name = pg_database
    with cluster.admin(name) as conn:
        conn.execute("CREATE TABLE notes (x int)")
    result = Cli(cluster.url(name))("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr)[0] == (
        f"Error: {cluster.url(name)} is a database, but not a csmctl one (it has tables notes); "
        "it was left untouched."
    )
    with cluster.admin(name) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert tables == [("notes",)]


@pytest.mark.postgres
def test_a_schema_newer_than_the_client_is_refused(pg_database):
    cluster, name = pg_database
    cli = Cli(cluster.url(name))
    cli.ok("account", "list")
    with cluster.admin(name) as conn:
        conn.execute("UPDATE csmctl_schema SET version = 99")
    result = cli("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr) == [
        f"Error: {cluster.url(name)} has schema version 99; this csmctl knows up to {migrations.HEAD} (the database was "
        "left untouched).",
        "Upgrade csmctl: pip install -U csmctl",
    ]


@pytest.mark.postgres
def test_a_missing_database_says_so(pg_cluster):
    url = pg_cluster.tcp_url("no_such_book")
    result = Cli(url)("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr)[0].endswith(': database "no_such_book" does not exist.')
    assert pgserver.PASSWORD not in result.stderr


def test_an_unreachable_server_is_one_line_exit_4_without_the_password():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = Cli(f"postgresql://ana:Top-Secret-1@127.0.0.1:{port}/csm")("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr) == [
        f"Error: Cannot reach the database server for postgresql://ana:***@127.0.0.1:{port}/csm: "
        "Connection refused.",
        "Check the host and port in the URL, and that the server is running.",
    ]


def test_missing_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` now fails
    result = Cli("postgresql://ana:Top-Secret-1@db.example/csm")("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr) == [
        "Error: PostgreSQL support is not installed.",
        'Install it with: pip install "csmctl[postgres]"',
    ]


def test_an_unsupported_url_is_refused_masked():
    result = Cli("mysql://ana:Top-Secret-1@db.example/csm")("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr)[0] == "Error: Cannot use database URL 'mysql://ana:***@db.example/csm'."


def test_a_url_for_a_driver_that_is_not_installed_is_refused_masked(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    result = Cli("postgresql+psycopg2://ana:Top-Secret-1@db.example/csm")("account", "list")
    assert result.exit_code == 4
    assert _errors(result.stderr)[0] == (
        "Error: The driver for postgresql+psycopg2://ana:***@db.example/csm is not installed (psycopg2)."
    )


@pytest.mark.postgres
def test_db_backup_of_a_server_database_points_to_pg_dump_and_db_copy(pg_schema):
    cli = Cli(pg_schema)
    for args in (("db", "backup"), ("db", "backup", "x.db")):
        result = cli(*args)
        assert result.exit_code == 1
        assert _errors(result.stderr) == [
            "Error: Backups of a server database are the server's job.",
            "Use pg_dump for PostgreSQL, or `csmctl db copy --to FILE.db` for a snapshot.",
        ]
