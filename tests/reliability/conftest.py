"""Helpers for the reliability suite: real processes, kills at random points, books to break.

Extend this as capabilities land: a new write path gets a row builder (like ``accounts_csv``), a
``run_csmctl`` call, and a place in the kill / concurrency / fuzz families.

Every test here is marked ``reliability`` (``pytest -m reliability`` runs just the suite;
``-m "not reliability"`` skips it). ``CSMCTL_RELIABILITY_SCALE`` multiplies rows and trials for a
longer soak run (default 1: the suite stays around a minute on two cores).
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

SCALE = max(1, int(os.environ.get("CSMCTL_RELIABILITY_SCALE", "1")))
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)
            # Under pytest-xdist (`--dist loadgroup`, the README's command) the whole family runs
            # on one worker, one test at a time, as it does without xdist: the kill and
            # concurrency tests time their processes against each other, not against a sibling.
            item.add_marker(pytest.mark.xdist_group("reliability"))


# -- running the installed csmctl ----------------------------------------------------------------


def csmctl_command() -> list[str]:
    """The installed console script (next to this Python), else ``python -m csmctl``."""
    candidate = Path(sys.executable).parent / "csmctl"
    return [str(candidate)] if candidate.exists() else [sys.executable, "-m", "csmctl"]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSMCTL_")}
    env.update(
        CSMCTL_DATA_DIR=str(tmp_path / "data"),
        CSMCTL_CONFIG_DIR=str(tmp_path / "config"),
        CSMCTL_BUSY_TIMEOUT="10",
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def run_csmctl(
    db: Path | str, *args: str, env: dict[str, str], input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the installed csmctl on ``db`` to completion; returns the CompletedProcess (text)."""
    return subprocess.run(
        [*csmctl_command(), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        input=input,
        timeout=timeout,
    )


def start_csmctl(db: Path | str, *args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [*csmctl_command(), "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


@dataclass
class Kill:
    """What happened to one run we tried to kill."""

    delay: float  # seconds after start (or after the trigger) when SIGKILL was sent
    killed: bool  # False: the run finished before the kill point
    returncode: int
    stderr: str


def kill_at_random_point(
    start: Callable[[], subprocess.Popen],
    *,
    rng: random.Random,
    within: float,
    trigger: Callable[[], bool] | None = None,
    trigger_timeout: float = 60,
) -> Kill:
    """Start a process and SIGKILL it after a random delay in [0, within) seconds.

    With ``trigger``, the delay counts from the moment ``trigger()`` first returns True (polled
    every millisecond) — to aim the kill at a phase, e.g. "the WAL file has started to grow".
    A process that ends before its kill point is reported with ``killed=False``.
    """
    proc = start()
    try:
        if trigger is not None:
            deadline = time.monotonic() + trigger_timeout
            while not trigger():
                if proc.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.001)
        delay = rng.uniform(0, within)
        try:
            proc.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            killed = True
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Kill(delay, killed and proc.returncode == -signal.SIGKILL, proc.returncode, stderr)


# -- inspecting a book -----------------------------------------------------------------------------


def quick_check(path: Path) -> str:
    """SQLite's own verdict on the file, opened as a plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        return ";".join(row[0] for row in conn.execute("PRAGMA quick_check"))
    finally:
        conn.close()


def count(path: Path, table: str = "account") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def fetch(path: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def book_files(path: Path) -> list[Path]:
    """The database and its WAL/SHM companions, those that exist."""
    return [
        p
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        if p.exists()
    ]


# -- building books --------------------------------------------------------------------------------

ACCOUNT_HEADER = ["name", "external_id", "owner", "tier", "arr", "currency", "renewal_date", "tags", "notes"]


def account_rows(n: int, *, prefix: str = "Acct") -> Iterator[list[str]]:
    tiers = ["strategic", "enterprise", "mid-market", "smb", "scaled"]
    for i in range(n):
        yield [
            f"{prefix} {i:06d}",
            f"{prefix}-{i}",
            f"owner{i % 7}",
            tiers[i % 5],
            str(1000 + i * 7),
            "USD",
            f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "import;bulk",
            f'row {i}, "quoted"',
        ]


def accounts_csv(path: Path, n: int, *, prefix: str = "Acct") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACCOUNT_HEADER)
        writer.writerows(account_rows(n, prefix=prefix))
    return path


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """Environment for subprocess runs: isolated dirs, no colour, a generous busy timeout."""
    return clean_env(tmp_path)


@pytest.fixture(scope="session")
def empty_book(tmp_path_factory) -> Path:
    """A freshly created, empty book at schema head (copy it: ``fresh_book(tmp_path)``)."""
    from csmctl.store.database import Database

    path = tmp_path_factory.mktemp("template") / "empty.db"
    Database(str(path)).dispose()
    return path


@pytest.fixture
def fresh_book(empty_book) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        shutil.copyfile(empty_book, path)
        os.chmod(path, 0o600)
        return path

    return make


@pytest.fixture
def small_book(tmp_path, fresh_book) -> Path:
    """A book with three accounts and two contacts, built through the real commands."""
    from csmctl.store.database import Database

    path = fresh_book(tmp_path / "book.db")
    db = Database(str(path))
    with db.write() as session:
        conn = session.connection()
        for i, name in enumerate(["Acme", "Globex", "Initech"], start=1):
            conn.exec_driver_sql(
                "INSERT INTO account (id, name, name_key, stage, arr_minor, currency, term_months, "
                "auto_renew, tags, archived, created_at, updated_at) VALUES (?, ?, ?, 'adoption', ?, "
                "'USD', 12, 0, '', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                (i, name, name.lower(), 100000 * i),
            )
        conn.exec_driver_sql(
            "INSERT INTO contact (account_id, name, champion, exec_sponsor, created_at) "
            "VALUES (1, 'Ana', 1, 0, '2026-01-01 00:00:00'), "
            "(2, 'Bo', 0, 1, '2026-01-01 00:00:00')"
        )
    db.dispose()
    return path


# -- making files read-only even for root -----------------------------------------------------------


def _chattr(flag: str, path: Path) -> bool:
    tool = shutil.which("chattr")
    if not tool:
        return False
    return subprocess.run([tool, flag, str(path)], capture_output=True).returncode == 0


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], None]]:
    """Make a file or directory unwritable for this process, root included.

    As a normal user: chmod. As root (who ignores file modes, as in CI containers): the
    immutable attribute (chattr +i), removed again at teardown. Skips, saying why, when neither
    can take effect.
    """
    made: list[tuple[Path, int]] = []

    def make(path: Path) -> None:
        mode = path.stat().st_mode & 0o777
        if os.geteuid() != 0:
            os.chmod(path, 0o555 if path.is_dir() else 0o444)
            made.append((path, mode))
        elif _chattr("+i", path):
            made.append((path, -1))
        else:
            pytest.skip("running as root without chattr +i support: cannot make a file read-only")
        probe = path / ".probe" if path.is_dir() else path
        try:
            with open(probe, "a"):
                pass
        except OSError:
            return
        pytest.skip(f"{path} is still writable after making it read-only (filesystem ignores it)")

    yield make
    for path, mode in reversed(made):
        if mode < 0:
            _chattr("-i", path)
        else:
            os.chmod(path, mode)


def rng_for(request) -> random.Random:
    """A per-test RNG; its seed is printed so a failure can be replayed (CSMCTL_RELIABILITY_SEED).

    Under the default (ci) hypothesis profile the seed comes from the test's id, so every run
    makes the same choices; HYPOTHESIS_PROFILE=fuzz draws a fresh one."""
    from tests.conftest import FUZZING

    default = random.randrange(2**32) if FUZZING else zlib.crc32(request.node.nodeid.encode())
    seed = int(os.environ.get("CSMCTL_RELIABILITY_SEED", default))
    print(f"{request.node.name}: CSMCTL_RELIABILITY_SEED={seed}")
    return random.Random(seed)


@pytest.fixture
def rng(request) -> random.Random:
    return rng_for(request)


def assert_clean_error(result, *, codes: Sequence[int] = (1, 4)) -> None:
    """Exit with one of ``codes``, a short message, no traceback."""
    stderr = result.stderr
    assert result.returncode in codes if hasattr(result, "returncode") else result.exit_code in codes, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 3 and lines[0].startswith("Error: "), stderr
