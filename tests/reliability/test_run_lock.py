"""The run lock leaves no file behind, and still excludes overlapping runs while files come and go."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from csmctl.errors import Busy
from csmctl.locks import run_lock

pytestmark = pytest.mark.reliability


@pytest.mark.sqlite_only  # the lock files sit next to a SQLite book
def test_daily_dated_reports_leave_no_lock_files(cli, tmp_path):
    """Cron writing a report with a new name every day must not grow a lock file per day."""
    cli.ok("account", "add", "Acme", "--arr", "10k", "--renewal", "+30d")
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        cli.ok("report", "renewals", "-o", str(tmp_path / f"renewals-{day}.md"), as_of=day)
    cli.ok("play", "run", "--dry-run", "--play", "health-drop")
    assert sorted(p.name for p in Path(cli.db_path).parent.glob("*.lock")) == []


def test_the_lock_is_removed_on_release_and_busy_while_held(tmp_path):
    path = tmp_path / "book.db.report.lock"
    with run_lock(path):
        assert path.exists()
        with pytest.raises(Busy), run_lock(path):
            pass
        assert path.exists()  # a refused run leaves the holder's file alone
    assert not path.exists()


def test_runs_that_race_the_removal_never_overlap(tmp_path):
    """Threads open the file while the holder removes it; a run that locked a removed file must
    notice and try again, or two runs would hold 'the' lock at once."""
    path = tmp_path / "race.lock"
    inside, overlaps, entered = [0], [0], [0]
    guard = threading.Lock()

    def worker() -> None:
        for _ in range(300):
            try:
                with run_lock(path):
                    with guard:
                        inside[0] += 1
                        entered[0] += 1
                        overlaps[0] += inside[0] > 1
                    time.sleep(0.0002)
                    with guard:
                        inside[0] -= 1
            except Busy:
                pass

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert entered[0] > 0
    assert overlaps[0] == 0
    assert not path.exists()
