"""Shared fixtures: every test gets its own data/config dirs and a real SQLite file in tmp_path.

``cli(...)`` runs a command in-process through Typer's CliRunner against that database and
returns the Result (``.exit_code``, ``.stdout``, ``.stderr``). ``csmctl_bin`` is the installed
entry point, for the tests where the real process matters.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmctl.cli import app

AS_OF = "2026-11-23"  # every CLI test pins today, so outputs are reproducible


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No test touches the real home: data/config dirs point into tmp_path."""
    monkeypatch.setenv("CSMCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CSMCTL_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("CSMCTL_DB", "CSMCTL_AS_OF", "CSMCTL_CONFIG", "CSMCTL_USER", "CSMCTL_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CSMCTL_BUSY_TIMEOUT", "2")
    return tmp_path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "book.db"


class Cli:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, as_of: str | None = AS_OF, env=None):
        argv = ["--db", str(self.db_path)]
        if as_of:
            argv += ["--as-of", as_of]
        return self.runner.invoke(app, [*argv, *args], input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        return result


@pytest.fixture
def cli(db_path) -> Cli:
    return Cli(db_path)


@pytest.fixture
def demo_cli(cli) -> Cli:
    """A CLI on a book filled by `csmctl demo` (as of AS_OF)."""
    cli.ok("demo")
    return cli


@pytest.fixture(scope="session")
def csmctl_bin() -> str:
    """The installed console script (next to this Python), for real subprocess runs."""
    candidate = Path(sys.executable).parent / "csmctl"
    found = str(candidate) if candidate.exists() else shutil.which("csmctl")
    if not found:
        pytest.fail("The csmctl entry point is not installed: pip install . first")
    return found


@pytest.fixture
def subprocess_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSMCTL_")}
    env.update(CSMCTL_DATA_DIR=str(tmp_path / "data"), CSMCTL_CONFIG_DIR=str(tmp_path / "config"))
    return env


# -- golden files --------------------------------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files from the current output (review the diff!).")


@pytest.fixture
def golden(request):
    """``golden("reports/renewals.md", text)`` compares with tests/golden/...; --update-golden rewrites."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str | bytes) -> None:
        path = GOLDEN / name
        data = actual.encode() if isinstance(actual, str) else actual
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing: run pytest --update-golden and review it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert data == path.read_bytes(), f"{name} differs from its golden file (pytest --update-golden to accept)"

    return check
