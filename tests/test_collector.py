"""csmctl.collector: the entry point pauses the cycle collector for start-up, and the first real
work (a book opened, a template environment made) ends start-up: what it made is frozen and the
collector runs again. Whatever happens, the collector is back on when `main()` returns."""

from __future__ import annotations

import gc
import sys

import pytest

from csmctl import collector
from csmctl.documents.engine import make_environment
from csmctl.store.database import Database


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    collector.resume()
    gc.enable()
    gc.unfreeze()


def test_pause_then_started_freezes_start_up_and_runs_the_collector_again():
    collector.pause()
    assert not gc.isenabled()
    made = [object() for _ in range(10)]  # tracked start-up objects  # noqa: F841
    collector.started()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    collector.started()  # once only
    assert gc.get_freeze_count() == frozen


def test_resume_without_start_up_ending_turns_it_back_on_and_freezes_nothing():
    collector.pause()
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_caller_that_turned_the_collector_off_keeps_it_off():
    gc.disable()
    collector.pause()
    collector.started()
    collector.resume()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("open_it", ["rows", "read", "write", "write_rows"])
def test_opening_a_book_ends_start_up(tmp_path, open_it):
    db = Database(str(tmp_path / "book.db"), create="write")
    with db.write():
        pass  # the book exists
    gc.unfreeze()
    collector.pause()
    with getattr(db, open_it)():
        assert gc.isenabled() and gc.get_freeze_count() > 0
    db.dispose()


def test_making_a_template_environment_ends_start_up(tmp_path):
    collector.pause()
    make_environment([tmp_path])
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_main_pauses_the_collector_until_the_book_opens_and_restores_it(tmp_path, monkeypatch):
    seen: list[bool] = []
    started = collector.started

    def watched() -> None:
        seen.append(gc.isenabled())
        started()
        seen.append(gc.isenabled())

    book = str(tmp_path / "book.db")
    with Database(book, create="write").write():
        pass  # the book exists
    monkeypatch.setattr(collector, "started", watched)
    monkeypatch.setattr(sys, "argv", ["csmctl", "--db", book, "account", "list"])
    from csmctl.cli import main

    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0
    assert seen[:2] == [False, True]  # paused through start-up, running once the book is open
    assert gc.isenabled()


def test_main_restores_the_collector_when_no_book_is_opened(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["csmctl", "--help"])
    from csmctl.cli import main

    with pytest.raises(SystemExit):
        main()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_start_up_ending_inside_a_hold_waits_for_the_hold_to_end():
    """`report renewals` and `today` hold the collector off for their rows, then open the book:
    start-up ends inside the hold, and collection must still wait for the hold to end."""
    collector.pause()
    with collector.cycles_collected_after():
        collector.started()
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        with collector.cycles_collected_after():  # nested
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_hold_restores_what_it_found():
    with collector.cycles_collected_after():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with collector.cycles_collected_after():
        pass
    assert not gc.isenabled()  # the caller's own choice stays
    gc.enable()
    collector.pause()
    with collector.cycles_collected_after():
        pass
    assert not gc.isenabled()  # start-up has not ended: still paused
    collector.resume()
    assert gc.isenabled()


def test_the_report_keeps_the_collector_off_while_it_reads_and_renders(tmp_path, monkeypatch):
    """Seen from inside the command: the report's renewals are read with the collector held off,
    after start-up ended (the book is open)."""
    from csmctl.domain import renewal_report

    book = str(tmp_path / "book.db")
    with Database(book, create="write").write():
        pass
    seen: list[bool] = []
    build = renewal_report.build_report

    def watched(**kwargs):
        seen.append(gc.isenabled())
        return build(**kwargs)

    monkeypatch.setattr(renewal_report, "build_report", watched)
    out = tmp_path / "r.md"
    monkeypatch.setattr(sys, "argv", ["csmctl", "--db", book, "report", "renewals", "-o", str(out)])
    from csmctl.cli import main

    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0 and out.exists()
    assert seen == [False] and gc.isenabled()
