import json
import stat

import pytest


def test_db_path_default_and_override(tmp_path, cli):
    from typer.testing import CliRunner

    from csmctl.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["db", "path"]).stdout.strip() == str(tmp_path / "data" / "csmctl.db")
    assert runner.invoke(app, ["db", "path"], env={"CSMCTL_DB": "/x/y.db"}).stdout.strip() == "/x/y.db"
    assert runner.invoke(app, ["--db", "/a.db", "db", "path"]).stdout.strip() == "/a.db"
    assert not (tmp_path / "data").exists()  # `db path` does not create anything


def test_default_database_is_created_private_on_first_use(tmp_path):
    from typer.testing import CliRunner

    from csmctl.cli import app

    db = tmp_path / "data" / "csmctl.db"
    result = CliRunner().invoke(app, ["account", "list"])  # a read creates nothing, even here
    assert result.exit_code == 4 and not db.parent.exists()
    result = CliRunner().invoke(app, ["account", "add", "Acme"])  # the first write does
    assert result.exit_code == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_db_info_and_check(demo_cli):
    info = json.loads(demo_cli.ok("db", "info", "-f", "json").stdout)
    assert info["account"] == 27 and info["contact"] == 68 and info["schema_version"] == info["schema_head"]
    assert info["size_bytes"] > 0
    assert "ok (schema version" in demo_cli.ok("db", "check").stderr
    assert "Schema is current" in demo_cli.ok("db", "migrate").stderr


@pytest.mark.sqlite_only
def test_db_backup(demo_cli, tmp_path):
    target = tmp_path / "copy.db"
    assert demo_cli.ok("db", "backup", str(target)).stdout.strip() == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    from tests.conftest import Cli

    assert len(json.loads(Cli(target).ok("account", "list", "-f", "json").stdout)) == 25


def test_demo_again_on_the_demo_book_is_a_repeat(demo_cli):
    again = demo_cli("demo")
    assert again.exit_code == 0
    assert (
        "is already at" in again.stderr and "(27 accounts); nothing changed." in again.stderr
    )  # 25 + 2 churned
    assert "Try next:" in again.stderr
    assert len(json.loads(demo_cli.ok("account", "list", "-f", "json", "--archived").stdout)) >= 2
    assert "0 accounts" in demo_cli.ok("demo", "--force").stderr


def test_demo_refuses_a_book_with_real_accounts(demo_cli):
    demo_cli.ok("account", "add", "Initech")
    again = demo_cli("demo")
    assert again.exit_code == 1 and "already holds 28 accounts" in again.stderr


def test_demo_is_reproducible_for_a_date(cli, tmp_path):
    from tests.conftest import Cli

    other = Cli(tmp_path / "other.db")
    out = cli.ok("demo")
    assert "Try next:" in out.stderr and "csmctl account list" in out.stderr
    other.ok("demo")

    def strip(rows):
        return [{k: v for k, v in r.items() if k not in ("created_at", "updated_at")} for r in rows]

    assert strip(json.loads(cli.ok("account", "list", "-f", "json").stdout)) == strip(
        json.loads(other.ok("account", "list", "-f", "json").stdout)
    )


def test_database_errors_exit_4_without_traceback(cli, db_path, tmp_path):
    db_path.write_text("this is not a database\n")
    result = cli("account", "list")
    assert result.exit_code == 4
    assert (
        result.stderr.splitlines()[0] == f"Error: {db_path} is not a SQLite database (it was left untouched)."
    )
    assert db_path.read_text() == "this is not a database\n"
    from tests.conftest import Cli

    assert Cli(tmp_path).__call__("account", "list").exit_code == 4  # a directory


def test_bad_as_of_is_exit_1(cli):
    result = cli("account", "list", as_of="someday")
    assert result.exit_code == 1 and "Invalid --as-of date 'someday'" in result.stderr


def test_usage_error_is_exit_2(cli):
    assert cli("account", "list", "--no-such-flag").exit_code == 2
    assert cli("account", "list", "--format", "xml").exit_code == 2
