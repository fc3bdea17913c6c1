"""The installed `csmctl` as a real process: exit codes, streams, no colour in a pipe."""

from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = pytest.mark.slow


def run(bin_, *args, env, input=None):
    return subprocess.run([bin_, *args], capture_output=True, text=True, env=env, input=input, timeout=60)


def test_installed_entry_point_session(csmctl_bin, subprocess_env, tmp_path):
    db = str(tmp_path / "book.db")
    demo = run(csmctl_bin, "--db", db, "--as-of", "2026-11-23", "demo", env=subprocess_env)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout == ""  # chatter goes to stderr
    listed = run(csmctl_bin, "--db", db, "account", "list", env=subprocess_env)
    assert listed.returncode == 0
    assert "\x1b[" not in listed.stdout  # piped: plain text, no colour
    assert listed.stdout.splitlines()[0].startswith("ID  ACCOUNT")
    data = json.loads(run(csmctl_bin, "--db", db, "account", "list", "-f", "json", env=subprocess_env).stdout)
    assert len(data) == 25
    missing = run(csmctl_bin, "--db", db, "account", "show", "Nobody", env=subprocess_env)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    bad_db = tmp_path / "notes.txt"
    bad_db.write_text("hello")
    assert run(csmctl_bin, "--db", str(bad_db), "account", "list", env=subprocess_env).returncode == 4
    assert run(csmctl_bin, "account", "list", "--bogus", env=subprocess_env).returncode == 2


def test_python_dash_m(subprocess_env):
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "csmctl", "--version"], capture_output=True, text=True, env=subprocess_env
    )
    assert result.returncode == 0 and result.stdout.startswith("csmctl ")


# A real process whose command hits an unexpected exception: a planted bug (the state lookup every
# command makes raises), since csmctl has no known one to provoke. The message carries a database
# URL with a password, which the one-line report must mask.
PLANTED_BUG = """
import sys
import csmctl.cli.state as state

def broken(*args, **kwargs):
    raise ZeroDivisionError("planted bug near postgresql://csm:hunter2@db.example/book")

state.current = broken
sys.argv = ["csmctl", "db", "path"]
from csmctl.cli import main
main()
"""


def test_internal_errors_are_one_line_unless_debug(subprocess_env):
    import sys

    def planted(debug: str):
        env = dict(subprocess_env, CSMCTL_DEBUG=debug)
        return subprocess.run(
            [sys.executable, "-c", PLANTED_BUG], capture_output=True, text=True, env=env, timeout=60
        )

    quiet = planted("0")
    assert quiet.returncode == 1
    assert quiet.stdout == ""
    assert quiet.stderr.splitlines() == [
        "Error: internal error: ZeroDivisionError: planted bug near postgresql://csm:***@db.example/book",
        "This is a bug in csmctl. Run again with CSMCTL_DEBUG=1 for the traceback.",
    ]
    loud = planted("1")
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr
    assert 'csmctl/cli/db.py", line' in loud.stderr  # the frame where it happened
    assert loud.stderr.rstrip().endswith(
        "ZeroDivisionError: planted bug near postgresql://csm:hunter2@db.example/book"
    )
