"""Shared fixtures: every test gets its own data/config dirs and a real database.

``cli(...)`` runs a command in-process through Typer's CliRunner against that database and
returns the Result (``.exit_code``, ``.stdout``, ``.stderr``). ``csmctl_bin`` is the installed
entry point, for the tests where the real process matters.

Two backends: every test that uses ``cli``/``demo_cli``/``db_target`` runs twice, on a SQLite
file in tmp_path (``[sqlite]``) and on a fresh database in a throwaway PostgreSQL cluster started
once per session (``[postgresql]``, marked ``postgres``; skipped with the reason shown only when no
server binary is found). A test that uses ``db_path`` (the SQLite file itself) or is marked
``sqlite_only`` runs on SQLite alone.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from csmctl.cli import app

AS_OF = "2026-11-23"  # every CLI test pins today, so outputs are reproducible

# -- hypothesis profiles ---------------------------------------------------------------------------
# ``ci`` (the default, used by CI and the README's command): derandomized, so three runs in a row
# test the same examples and give the same result; no example database (a failure saved by an
# earlier run would change what the next one tests) and no deadline (2 busy cores make timings
# noise). ``fuzz`` (HYPOTHESIS_PROFILE=fuzz, on demand): random seeds and ten times the examples,
# for hunting: ``HYPOTHESIS_PROFILE=fuzz pytest -m reliability``. Tests that set max_examples
# themselves scale it by EXAMPLE_FACTOR, and the reliability RNGs are seeded per test under ci.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    max_examples=1000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(HYPOTHESIS_PROFILE)
FUZZING = HYPOTHESIS_PROFILE == "fuzz"
EXAMPLE_FACTOR = 10 if FUZZING else 1


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """The compiled-template cache of this test session (one per xdist worker): outside each test's
    tmp_path, so a test that lists the files a command left there sees only the command's own."""
    return tmp_path_factory.getbasetemp() / "csmctl-cache"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch, cache_dir):
    """No test touches the real home: data/config dirs point into tmp_path, the cache into the
    session's temporary directory."""
    monkeypatch.setenv("CSMCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CSMCTL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CSMCTL_CACHE_DIR", str(cache_dir))
    for name in ("CSMCTL_DB", "CSMCTL_AS_OF", "CSMCTL_CONFIG", "CSMCTL_USER", "CSMCTL_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CSMCTL_BUSY_TIMEOUT", "2")
    return tmp_path


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    sqlite_only = "db_path" in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only")
    params = [pytest.param("sqlite", id="sqlite")]
    if not sqlite_only:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster for the whole session (see tests/pgserver.py)."""
    from tests import pgserver

    bin_dir = pgserver.find_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install the postgresql "
            "package or set CSMCTL_PG_BIN"
        )
    cluster = pgserver.Cluster(bin_dir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_database(pg_cluster):
    """A fresh, empty PostgreSQL database: (cluster, name); dropped after the test."""
    name = pg_cluster.create_database()
    yield pg_cluster, name
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_schema(pg_cluster):
    """A PostgreSQL URL on a fresh, empty schema (cheap isolation for the CLI tests)."""
    # Not dropped afterwards: the whole cluster goes at the end of the session, and DROP SCHEMA
    # ... CASCADE per test costs more than the schema itself.
    return pg_cluster.schema_url(pg_cluster.create_schema())


@pytest.fixture
def db_target(backend, tmp_path, request) -> str:
    """The book under test: a SQLite file path, or a PostgreSQL URL."""
    if backend == "sqlite":
        return str(tmp_path / "book.db")
    return request.getfixturevalue("pg_schema")


@pytest.fixture
def db_path(tmp_path) -> Path:
    """The SQLite file itself (a test asking for it runs on SQLite only)."""
    return tmp_path / "book.db"


class Cli:
    def __init__(self, db_path: Path | str) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, as_of: str | None = AS_OF, env=None):
        argv = ["--db", str(self.db_path)]
        if as_of:
            argv += ["--as-of", as_of]
        return self.runner.invoke(app, [*argv, *args], input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (
            f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result


@pytest.fixture
def cli(db_target) -> Cli:
    return Cli(db_target)


@pytest.fixture
def demo_cli(backend, tmp_path, request) -> Cli:
    """A CLI on a book filled by `csmctl demo` (as of AS_OF): its own copy of a demo book built
    once per session and backend (the demo is the costliest setup of the CLI tests)."""
    if backend == "sqlite":
        return Cli(copy_book(request.getfixturevalue("sqlite_demo_book"), tmp_path / "book.db"))
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database(template=request.getfixturevalue("pg_demo_database"))
    request.addfinalizer(lambda: cluster.drop_database(name))
    return Cli(cluster.url(name))


def copy_book(source: Path | str, target: Path) -> Path:
    """A test's own copy of a SQLite book prepared once per session: SQLite's backup API (whole,
    whatever connection is still open on the source), private as csmctl creates it."""
    import sqlite3

    original, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        original.backup(copy)
    finally:
        copy.close()
        original.close()
    target.chmod(0o600)
    return target


@pytest.fixture(scope="session")
def sqlite_demo_book(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    Cli(path).ok("demo")
    return str(path)


@pytest.fixture(scope="session")
def pg_demo_database(pg_cluster) -> str:
    """A database holding the demo book, used only as the template of each test's copy."""
    name = pg_cluster.create_database()
    Cli(pg_cluster.url(name)).ok("demo")
    # The in-process run leaves its pooled connection open; a template must have none.
    with pg_cluster.admin() as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    return name


@pytest.fixture(scope="session")
def csmctl_bin() -> str:
    """The installed console script (next to this Python), for real subprocess runs."""
    candidate = Path(sys.executable).parent / "csmctl"
    found = str(candidate) if candidate.exists() else shutil.which("csmctl")
    if not found:
        pytest.fail("The csmctl entry point is not installed: pip install . first")
    return found


@pytest.fixture
def subprocess_env(tmp_path, cache_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSMCTL_")}
    env.update(
        CSMCTL_DATA_DIR=str(tmp_path / "data"),
        CSMCTL_CONFIG_DIR=str(tmp_path / "config"),
        CSMCTL_CACHE_DIR=str(cache_dir),
    )
    return env


# -- golden files --------------------------------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff!).",
    )


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
        expected = path.read_bytes()
        if data != expected:
            pytest.fail(golden_diff(name, expected, data), pytrace=False)

    return check


def golden_diff(name: str, expected: bytes, actual: bytes) -> str:
    """A unified text diff of a golden file and the output (a byte count for binary files)."""
    import difflib

    head = f"{name} differs from its golden file (pytest --update-golden to accept, then review the diff)"
    try:
        old, new = expected.decode(), actual.decode()
    except UnicodeDecodeError:
        return f"{head}\nbinary: {len(expected)} bytes expected, {len(actual)} bytes now"
    diff = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"golden/{name}", "output", n=2
    )
    lines = [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff]
    return head + "\n" + "".join(lines)


def pytest_terminal_summary(terminalreporter):
    """One line saying how many tests ran on each backend (the team-mode promise, checked)."""
    counts = {"sqlite": 0, "postgresql": 0}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        if report.when != "call":
            continue
        if "[sqlite" in report.nodeid:
            counts["sqlite"] += 1
        elif "[postgresql" in report.nodeid or "postgres" in report.keywords:
            counts["postgresql"] += 1
    if any(counts.values()):
        terminalreporter.write_line(
            f"backends: {counts['sqlite']} tests ran on SQLite, {counts['postgresql']} on PostgreSQL "
            "(plus the backend-independent ones)"
        )
