"""The smaller holes of issue 16: report locks per output file, `db copy --to` a hard link of
the book, and `resume match` on a huge resume."""

from __future__ import annotations

import fcntl
import os
import time

import pytest

from tests.conftest import Cli

pytestmark = pytest.mark.reliability


def test_two_different_reports_run_at_once_but_not_the_same_one(db_path, fresh_book, tmp_path):
    from csmctl.cli import reports, state

    fresh_book(db_path)
    cli = Cli(db_path)
    html, csv_ = tmp_path / "r.html", tmp_path / "r.csv"
    state.begin(db_flag=str(db_path))
    held = reports.lock_path(html)
    fd = os.open(held, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # an html run in progress
        cli.ok("report", "renewals", "-f", "csv", "-o", str(csv_))  # another output: runs
        busy = cli("report", "renewals", "-f", "html", "-o", str(html))  # the same output: busy
    finally:
        os.close(fd)
    assert csv_.exists()
    assert busy.exit_code == 4 and not html.exists()
    # the same file named another way (a relative path, a symlink) is the same lock
    link = tmp_path / "link.html"
    link.symlink_to(html)
    assert reports.lock_path(link) == held


def test_db_copy_to_a_hard_link_of_the_book_is_refused(db_path, fresh_book, tmp_path):
    fresh_book(db_path)
    cli = Cli(db_path)
    cli.ok("account", "add", "Acme")
    twin = tmp_path / "twin.db"
    os.link(db_path, twin)
    result = cli("db", "copy", "--to", str(twin), "--force")
    assert result.exit_code == 1 and "names the database in use" in result.stderr
    assert "Acme" in cli.ok("account", "list").stdout


def test_resume_match_on_60k_entries(tmp_path, cli):
    spec = tmp_path / "job.yaml"
    cli.ok("jd", "new", "-o", str(spec))
    resume = tmp_path / "resume.json"
    entries = ",".join(f'{{"name":"C{i}","highlights":["QBR churn onboarding {i}"]}}' for i in range(60_000))
    resume.write_text(f'{{"basics":{{"name":"Ana"}},"work":[{entries}]}}')
    started = time.monotonic()
    result = cli("resume", "match", str(resume), "--jd", str(spec), "--format", "json")
    print(f"resume match, 60k entries: {time.monotonic() - started:.1f} s")  # was 67 s
    assert result.exit_code in (0, 3), result.stderr


def test_resume_match_has_an_input_bound():
    from csmctl.domain.keywords import job_terms, match, match_text_limit
    from csmctl.errors import InvalidValue

    terms = job_terms({"skills": ["QBR"]})
    passages = [("work[0].summary", "qbr " * (match_text_limit() // 4 + 1))]
    with pytest.raises(InvalidValue, match=f"{match_text_limit():,}"):
        match(terms, passages)
