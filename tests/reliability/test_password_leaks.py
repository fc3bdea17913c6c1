"""An unencoded password in a PostgreSQL URL never reaches the screen (issue 16, hole 5).

`postgresql://u:my secret99@host/db` used to be shown whole by `db path`, `db info` and
`db copy`; with `ab@cd123` the `cd123` part leaked into every error. Passwords are masked the
way libpq splits the URL (the userinfo runs to the last `@`), the user hears that the password
needs URL-encoding, and a password given with --db is flagged as visible in `ps`.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.redact import mask_url, redact, url_secrets
from tests.conftest import Cli

pytestmark = pytest.mark.reliability

URLS = {
    "space": ("postgresql://u:my secret99@127.0.0.1:1/db", ["my secret99", "secret99"]),
    "at sign": ("postgresql://u:ab@cd123@127.0.0.1:1/db", ["ab@cd123", "cd123"]),
    "colon slash": ("postgresql://u:p:w/x99@127.0.0.1:1/db", ["p:w/x99", "w/x99"]),
}


@pytest.mark.parametrize("case", sorted(URLS))
@pytest.mark.parametrize(
    "command", [["db", "path"], ["db", "info"], ["account", "list"]], ids=["path", "info", "list"]
)
def test_no_command_shows_an_unencoded_password(case, command, monkeypatch):
    url, secrets = URLS[case]
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "2")
    result = Cli(url)(*command)
    shown = result.stdout + result.stderr
    for secret in secrets:
        assert secret not in shown, (command, shown)
    assert "internal error" not in shown
    assert "URL-encoded" in result.stderr  # the hint to encode it
    assert "visible to other local users in `ps`" in result.stderr


@pytest.mark.parametrize("case", sorted(URLS))
def test_db_copy_to_an_unencoded_url_hides_the_password(case, db_path, fresh_book, monkeypatch):
    url, secrets = URLS[case]
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "2")
    fresh_book(db_path)
    result = Cli(db_path)("db", "copy", "--to", url)
    shown = result.stdout + result.stderr
    assert result.exit_code != 0
    for secret in secrets:
        assert secret not in shown, shown


def test_password_from_the_environment_has_no_ps_warning(monkeypatch):
    monkeypatch.setenv("CSMCTL_DB", "postgresql://u:fine-password@127.0.0.1:1/db")
    from typer.testing import CliRunner

    from csmctl.cli import app

    result = CliRunner().invoke(app, ["db", "path"])
    assert "`ps`" not in result.stderr and "fine-password" not in result.stdout


@given(
    user=st.text(alphabet="abcxyz_", min_size=1, max_size=6),
    password=st.text(alphabet="ab@: /%?#x9", min_size=3, max_size=12).filter(lambda p: p.strip() == p),
)
def test_mask_url_never_shows_the_password(user, password):
    url = f"postgresql://{user}:{password}@db.example:5432/csm"
    masked = mask_url(url)
    assert masked == f"postgresql://{user}:***@db.example:5432/csm"
    assert password not in redact(f"error at {url}: host {password}", url_secrets(url))
