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


def test_internal_errors_are_one_line_unless_debug(csmctl_bin, subprocess_env, tmp_path):
    # A database that vanishes mid-way is not something we can provoke simply; instead check
    # the debug switch: CSMCTL_DEBUG=1 lets a real traceback through for a csmctl error path.
    env = dict(subprocess_env, CSMCTL_DEBUG="1")
    assert run(csmctl_bin, "--db", str(tmp_path / "b.db"), "db", "init", env=env).returncode == 0
    result = run(csmctl_bin, "--db", str(tmp_path / "b.db"), "account", "show", "x", env=env)
    assert result.returncode == 1 and "No account matches" in result.stderr
