"""Under umask 000 nothing csmctl creates is open to other users (issue 16, hole 8 and the
file-mode items): every directory is 0700, the data files 0600, published documents follow the
umask; a group- or world-writable config, template or playbook is refused.
"""

from __future__ import annotations

import os
import stat

import pytest

from tests.conftest import Cli

pytestmark = pytest.mark.reliability


@pytest.fixture
def umask_000():
    previous = os.umask(0)
    yield
    os.umask(previous)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_directories_made_under_umask_000_are_private(tmp_path, db_path, fresh_book, umask_000):
    fresh_book(db_path)
    cli = Cli(db_path)
    config = tmp_path / "config"
    cli.ok("template", "copy", "reports/renewals.md.j2")
    cli.ok("playbook", "copy", "standard")
    for folder in (config, config / "templates", config / "templates" / "reports", config / "playbooks"):
        assert _mode(folder) == 0o700, folder
    for copied in (
        config / "templates" / "reports" / "renewals.md.j2",
        config / "playbooks" / "standard.yaml",
    ):
        assert _mode(copied) == 0o600, copied


def test_report_lock_directory_on_a_server_database_is_private(tmp_path, umask_000, monkeypatch):
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "2")
    data = tmp_path / "data"
    Cli("postgresql://nobody@127.0.0.1:1/none")("report", "renewals")
    assert _mode(data) == 0o700


def test_private_and_published_files(tmp_path, db_path, fresh_book, umask_000):
    fresh_book(db_path)
    cli = Cli(db_path)
    cli.ok("account", "add", "Acme")
    for args, out in [(["export", "accounts"], "e.csv"), (["report", "renewals"], "r.md")]:
        cli.ok(*args, "-o", str(tmp_path / out))
        assert _mode(tmp_path / out) == 0o600, out
    cli.ok("db", "backup", str(tmp_path / "b.db"))
    assert _mode(tmp_path / "b.db") == 0o600
    spec = tmp_path / "job.yaml"
    cli.ok("jd", "new", "-o", str(spec))
    cli.ok("jd", "render", str(spec), "-f", "html", "-o", str(tmp_path / "posting.html"))
    assert _mode(tmp_path / "posting.html") == 0o666  # meant to be published: the umask decides


def test_world_writable_config_is_refused(tmp_path, db_path):
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    (config / "config.toml").write_text(f'db = "{tmp_path / "elsewhere.db"}"\n')
    os.chmod(config / "config.toml", 0o666)
    result = Cli(db_path)("account", "list")
    assert result.exit_code == 1
    assert "config.toml" in result.stderr and "chmod go-w" in result.stderr
    assert not (tmp_path / "elsewhere.db").exists()


@pytest.mark.parametrize("what", ["file", "directory"])
def test_shared_writable_templates_are_refused(tmp_path, db_path, fresh_book, what):
    fresh_book(db_path)
    cli = Cli(db_path)
    cli.ok("template", "copy", "reports/renewals.md.j2")
    copied = tmp_path / "config" / "templates" / "reports" / "renewals.md.j2"
    os.chmod(copied if what == "file" else copied.parent, 0o777 if what == "directory" else 0o666)
    for args in (["report", "renewals"], ["template", "show", "reports/renewals.md.j2"]):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert "writable by" in result.stderr and result.stdout == ""


def test_shared_writable_playbook_is_refused(tmp_path, db_path, fresh_book):
    fresh_book(db_path)
    cli = Cli(db_path)
    cli.ok("playbook", "copy", "standard")
    copied = tmp_path / "config" / "playbooks" / "standard.yaml"
    os.chmod(copied, 0o666)
    result = cli("playbook", "validate", str(copied))
    assert result.exit_code == 1 and "writable by" in result.stderr
