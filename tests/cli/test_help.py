"""Every command has help, and --help stays cheap (no sqlmodel/sqlalchemy/jinja2 import)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.main import get_command

from csmctl.cli import app

HEAVY = ("sqlmodel", "sqlalchemy", "jinja2", "alembic", "yaml")


def _walk(command, path=()):
    yield path, command
    if hasattr(command, "list_commands"):  # a group (the root builds its groups lazily)
        for name in command.list_commands(None):
            yield from _walk(command.get_command(None, name), (*path, name))


COMMANDS = [path for path, _ in _walk(get_command(app))]


def test_every_command_has_help_text():
    for path, command in _walk(get_command(app)):
        if path:
            assert command.help or command.short_help, f"csmctl {' '.join(path)} has no help"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "csmctl")
def test_help_runs(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout


GROUPS = [p for p, c in _walk(get_command(app)) if len(p) <= 1 and hasattr(c, "list_commands")]


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "csmctl")
def test_help_does_not_import_heavy_modules(path, tmp_path):
    code = (
        "import sys, json\nfrom csmctl.cli import main\nsys.argv = ['csmctl', *json.loads(sys.argv[1]), '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(list(path))],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CSMCTL_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_version(cli):
    from csmctl import __version__

    assert cli.ok("--version").stdout == f"csmctl {__version__}\n"
