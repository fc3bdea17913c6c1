"""kill -9 at random points: a big import leaves all rows or none; an export leaves the old file.

The kill points are spread two ways: uniformly over a whole run (measured first), and aimed at
the write itself (counted from the moment the WAL file starts to grow), where a crash could
leave half a transaction behind if the protection were missing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    SCALE,
    accounts_csv,
    book_files,
    count,
    digest,
    kill_at_random_point,
    quick_check,
    run_csmctl,
    start_csmctl,
)

pytestmark = pytest.mark.reliability

# Rows per import: enough for a multi-megabyte transaction. CSMCTL_RELIABILITY_SCALE=5 gives
# 20k-row imports, big enough for SQLite to spill pages into the WAL before the commit.
ROWS = 4000 * SCALE
# Half spread over the run, half aimed at the write. Eight trials cover both kinds of kill point
# (and the re-run after a kill); CSMCTL_RELIABILITY_SCALE multiplies them for a soak run.
TRIALS = 8 * SCALE
AIM = 0.04  # seconds after the WAL starts to grow: the append, commit and checkpoint


def _wal_growing(db):
    """True once the book's WAL file holds data. One stat, no exists() first: the WAL comes and
    goes under the running csmctl (the last connection's close deletes it), and a file seen by
    exists() could be gone by the stat() after it, which raised FileNotFoundError here."""
    wal = db.with_name(db.name + "-wal")

    def growing() -> bool:
        try:
            return wal.stat().st_size > 0
        except FileNotFoundError:
            return False

    return growing


def test_the_wal_trigger_survives_the_wal_vanishing_between_checks(tmp_path, monkeypatch):
    """The race that made the aimed kills flaky, made certain: the WAL exists when looked for and
    is gone (checkpointed away at close) by the next look."""
    db = tmp_path / "book.db"
    wal = tmp_path / "book.db-wal"
    real_exists = Path.exists

    def seen_a_moment_ago(self, *args, **kwargs):  # exists() said yes; the file is gone by now
        return True if self == wal else real_exists(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", seen_a_moment_ago)
    assert _wal_growing(db)() is False
    wal.write_bytes(b"pages")
    assert _wal_growing(db)() is True
    wal.write_bytes(b"")
    assert _wal_growing(db)() is False


def test_kill_9_during_a_large_import_leaves_all_rows_or_none(tmp_path, env, fresh_book, rng):
    source = accounts_csv(tmp_path / "accounts.csv", ROWS)
    reference = fresh_book(tmp_path / "reference.db")
    began = time.monotonic()
    done = run_csmctl(reference, "import", "accounts", str(source), env=env)
    whole_run = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    assert count(reference) == ROWS

    outcomes = {"none": 0, "all": 0}
    killed = 0
    for trial in range(TRIALS):
        db = fresh_book(tmp_path / f"trial{trial}.db")
        aimed = trial % 2 == 1
        result = kill_at_random_point(
            lambda db=db: start_csmctl(db, "import", "accounts", str(source), env=env),
            rng=rng,
            within=AIM if aimed else whole_run * 1.1,
            trigger=_wal_growing(db) if aimed else None,
        )
        killed += result.killed
        assert "Traceback" not in result.stderr
        assert quick_check(db) == "ok", f"trial {trial}: {result}"
        rows = count(db)
        assert rows in (0, ROWS), f"trial {trial} left {rows} of {ROWS} rows ({result})"
        outcomes["all" if rows else "none"] += 1
        if not result.killed:
            assert result.returncode == 0 and rows == ROWS, result.stderr
        # The killed book is still usable: the next run completes it.
        if trial == 1:
            again = run_csmctl(db, "import", "accounts", str(source), env=env)
            assert again.returncode == 0, again.stderr
            assert count(db) == ROWS and quick_check(db) == "ok"
        for path in book_files(db):
            path.unlink()
    print(f"import kill trials: {TRIALS} ({killed} killed), rows per run {ROWS}, outcomes {outcomes}")
    assert killed >= TRIALS // 2  # the trials did hit running imports


def test_kill_9_during_an_export_leaves_the_old_file_whole(tmp_path, env, fresh_book, rng):
    db = fresh_book(tmp_path / "book.db")
    source = accounts_csv(tmp_path / "accounts.csv", ROWS)
    assert run_csmctl(db, "import", "accounts", str(source), env=env).returncode == 0
    out = tmp_path / "export.csv"
    out.write_text("the previous export\n")
    old = digest(out)
    began = time.monotonic()
    done = run_csmctl(db, "export", "accounts", "-o", str(tmp_path / "full.csv"), env=env)
    whole_run = time.monotonic() - began
    assert done.returncode == 0, done.stderr

    trials = 4 * SCALE
    outcomes = {"old": 0, "new": 0}
    killed = 0

    def writing():
        return any(tmp_path.glob(".export.csv.*.tmp"))

    for trial in range(trials):
        aimed = trial % 2 == 1  # half aimed at the file being written
        result = kill_at_random_point(
            lambda: start_csmctl(db, "export", "accounts", "-o", str(out), env=env),
            rng=rng,
            within=AIM if aimed else whole_run,
            trigger=writing if aimed else None,
        )
        killed += result.killed
        # A kill after the rename (while the process exits) leaves the new file: also whole.
        if digest(out) == old:
            outcomes["old"] += 1
            assert result.killed
        else:
            outcomes["new"] += 1
            assert out.read_bytes() == (tmp_path / "full.csv").read_bytes(), (
                "a killed export left a partial file"
            )
            out.write_text("the previous export\n")
    print(f"export kill trials: {trials} ({killed} killed), outcomes {outcomes}")
    assert killed >= 1
    left = sorted(p.name for p in tmp_path.glob(".export.csv*"))
    print(f"temporaries left by killed exports: {len(left)}")
    # The next run clears what killed runs left behind (partial data in .export.csv.PID.tmp).
    assert run_csmctl(db, "export", "accounts", "-o", str(out), env=env).returncode == 0
    assert sorted(p.name for p in tmp_path.glob(".export.csv*")) == []
