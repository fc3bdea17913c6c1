"""`csmctl report renewals`: golden files, exit codes, atomic output, the run lock, cron's empty env."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from pathlib import Path

import pytest


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "txt"])
def test_report_matches_its_golden_file(book, golden, fmt, tmp_path):
    target = tmp_path / f"report.{fmt}"
    result = book.ok("report", "renewals", "-f", fmt, "--period", "2026", "-o", str(target))
    assert result.stdout == ""
    golden(f"reports/renewals.{fmt}", target.read_text(encoding="utf-8"))


def test_report_to_stdout_is_the_same_document(book, tmp_path):
    target = tmp_path / "r.md"
    book.ok("report", "renewals", "-o", str(target))
    assert book.ok("report", "renewals").stdout == target.read_text(encoding="utf-8")


def test_html_is_self_contained(book):
    html = book.ok("report", "renewals", "-f", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for external in ("<script", "<link", "src=", "url(", "http://", "https://", "@import"):
        assert external not in html
    assert "Echo &amp; Sons &lt;Ltd&gt;" in html  # autoescaped


def test_html_rows_escape_every_value(book):
    """The bucket rows print their style constants unescaped (autoescape off, once per cell) and
    escape each value with `| e`: a hostile name or owner still comes out as text."""
    book.ok(
        "account", "add", "Zed <b>&", "--arr", "5k", "--renewal", "2026-12-10",
        "--tier", "smb", "--owner", "O'Neil <script>", "--auto-renew",
    )  # fmt: skip
    html = book.ok("report", "renewals", "-f", "html").stdout
    row = html[html.index("Zed &lt;b&gt;&amp;") :]
    row = row[: row.index("</tr>")]
    assert "smb · auto-renews" in row and "O&#39;Neil &lt;script&gt;" in row
    assert "<b>" not in row and "<script" not in row


def test_json_report_shape(book):
    data = json.loads(book.ok("report", "renewals", "-f", "json", "--period", "2026-Q4").stdout)
    assert data["as_of"] == "2026-11-23" and data["period"] == {
        "label": "2026-Q4",
        "start": "2026-10-01",
        "end": "2026-12-31",
    }
    assert data["summary"]["overdue"] == 2 and data["summary"]["auto_renewed"] == 1
    assert [o["account"] for o in data["outcomes"]] == ["Juniper"]  # the last 30 days, newest first
    assert [u["name"] for u in data["unconfirmed"]] == ["Birch Ltd"]


@pytest.mark.parametrize(
    "fail_on, code, message",
    [
        ("overdue", 3, "Error: Found 2 overdue (--fail-on)."),
        ("notice", 3, "Error: Found 2 notice (--fail-on)."),
        ("at-risk,overdue", 3, "Error: Found 1 at-risk, 2 overdue (--fail-on)."),
    ],
)
def test_fail_on_exits_3_after_writing_the_report(book, tmp_path, fail_on, code, message):
    target = tmp_path / "r.md"
    result = book("report", "renewals", "-o", str(target), "--fail-on", fail_on)
    assert result.exit_code == code
    assert result.stderr.splitlines()[-2:] == [message, f"The report is in {target}."]
    assert target.read_text().startswith("# Renewal report — 2026-11-23")


def test_overdue_is_one_count_in_the_report_its_fail_on_and_renewals(book):
    """Regression: the report said "1 overdue, 1 auto-renewed?" while --fail-on said "Found 2
    overdue": an auto-renewing contract past its date with no outcome is overdue everywhere."""
    summary = json.loads(book.ok("report", "renewals", "-f", "json").stdout)["summary"]
    failed = book("report", "renewals", "--fail-on", "overdue")
    buckets = json.loads(book.ok("renewals", "-f", "json").stdout)["buckets"]
    listed = next(b["count"] for b in buckets if b["key"] == "overdue")
    assert failed.stderr.splitlines()[-1] == f"Error: Found {summary['overdue']} overdue (--fail-on)."
    assert summary["overdue"] == 2 and summary["auto_renewed"] == 1
    assert listed == summary["overdue"]


def test_fail_on_with_nothing_found_exits_0(book):
    early = book("report", "renewals", "--fail-on", "overdue,notice,at-risk", as_of="2026-01-02")
    assert early.exit_code == 0 and early.stderr == ""
    quiet = book("report", "renewals", "--owner", "Nobody", "--fail-on", "overdue", "--fail-on", "notice")
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--fail-on", "late"], "Error: Unknown --fail-on value 'late'."),
        (["--period", "2026-Q9"], "Error: Invalid period '2026-Q9'."),
        (["--within", "soon"], "Error: Invalid --within span 'soon'."),
        (["--template", "nope.md.j2"], "Error: No template named 'nope.md.j2'."),
    ],
)
def test_bad_options_exit_1_and_write_nothing(book, tmp_path, args, message):
    target = tmp_path / "r.md"
    result = book("report", "renewals", "-o", str(target), *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message
    assert not target.exists() and os.listdir(tmp_path) == [p.name for p in tmp_path.iterdir()]
    assert not list(tmp_path.glob(".r.md.*"))


def test_undefined_variable_in_a_user_template_leaves_the_old_report(book, tmp_path):
    templates = tmp_path / "mine"
    (templates / "reports").mkdir(parents=True)
    (templates / "reports" / "brief.md.j2").write_text(
        "Overdue: {{ report.summary.overdue }}\n{{ report.nope }}\n"
    )
    target = tmp_path / "r.md"
    target.write_text("yesterday's report\n")
    result = book(
        "report", "renewals", "--template-dir", str(templates), "--template", "brief.md.j2", "-o", str(target)
    )
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        f"Error: {templates / 'reports' / 'brief.md.j2'}, line 2: template uses an undefined value"
    )
    assert target.read_text() == "yesterday's report\n"
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("book.db.report-"))
    assert names == ["book.db", "mine", "r.md"]


def test_user_template_by_name_and_by_path(book, tmp_path):
    own = tmp_path / "brief.txt.j2"
    own.write_text("{{ report.summary.renewals }} renewals, {{ report.summary.overdue }} overdue\n")
    assert book.ok("report", "renewals", "--template", str(own)).stdout == "6 renewals, 2 overdue\n"


def _report_lock(book, target):
    """The lock file a run writing ``target`` takes (one per output file)."""
    from csmctl.cli import reports, state

    state.begin(db_flag=str(book.db_path))
    return reports.lock_path(target)


def test_an_overlapping_run_is_busy(book, tmp_path):
    target = tmp_path / "r.md"
    lock = _report_lock(book, target)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = book("report", "renewals", "-o", str(target))
    finally:
        os.close(fd)
    assert result.exit_code == 4
    assert (
        result.stderr.splitlines()[0]
        == f"Error: Another report run holds the lock {lock}; nothing was written."
    )
    assert not target.exists()
    book.ok("report", "renewals", "-o", str(target))  # released: the next run works
    assert target.exists()


def test_cron_run_in_an_empty_environment(book, csmctl_bin, tmp_path):
    """Like cron: `env -i PATH=...`, no HOME, no TTY, no CSMCTL_* variables."""
    target = tmp_path / "out" / "renewals.html"
    target.parent.mkdir()
    base = [
        "env",
        "-i",
        "PATH=/usr/bin:/bin",
        csmctl_bin,
        "--db",
        str(book.db_path),
        "--as-of",
        "2026-11-23",
        "report",
        "renewals",
        "-f",
        "html",
        "-o",
        str(target),
    ]
    ok = subprocess.run(base, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == ""
    assert ok.stderr == ""  # silent on success off a terminal: cron mails any output
    html = target.read_text(encoding="utf-8")
    assert "Cobalt GmbH" in html and "\x1b[" not in html
    found = subprocess.run(
        [*base, "--fail-on", "overdue"], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert found.returncode == 3
    assert found.stderr == f"Error: Found 2 overdue (--fail-on).\nThe report is in {target}.\n"  # no colour
    again = target.read_text(encoding="utf-8")
    assert "Needs attention:</strong> overdue" in again and "Needs attention" not in html


def test_the_readme_crontab_line_works_as_written(book, csmctl_bin, tmp_path):
    """The README's crontab line, with only its paths swapped, run by /bin/sh under `env -i`."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("30 7 * * 1 "))
    command = line.split(None, 5)[5]
    for old, new in [
        ("/home/dana/.local/share/csmctl/csmctl.db", str(book.db_path)),
        ("/home/dana/csmctl/.venv/bin/csmctl", csmctl_bin),
        ("/home/dana/reports", str(tmp_path)),
    ]:
        assert old in command
        command = command.replace(old, new)
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "mail").write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/mailed\ncat > {tmp_path}/body\n')
    (stub / "mail").chmod(0o755)
    run = subprocess.run(
        ["env", "-i", f"PATH={stub}:/usr/bin:/bin", "CSMCTL_AS_OF=2026-11-23", "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert run.returncode == 0
    assert (tmp_path / "mailed").read_text() == "-s Renewals need attention dana@example.com\n"
    assert (tmp_path / "body").read_text() == (tmp_path / "renewals.html").read_text()
    (tmp_path / "mailed").unlink()
    calm = subprocess.run(
        ["env", "-i", f"PATH={stub}:/usr/bin:/bin", "CSMCTL_AS_OF=2026-01-05", "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert calm.returncode == 0 and calm.stdout == calm.stderr == ""
    assert not (tmp_path / "mailed").exists()  # nothing found: no mail


def test_a_user_template_gets_the_chart_data(book, tmp_path):
    """The built-in md/txt/csv/json templates are rendered without the chart data (they never draw
    it); a user's template always has it, as the html one does."""
    own = tmp_path / "charts.md.j2"
    own.write_text("{% for c in charts %}{{ c.title }}\n{% endfor %}", encoding="utf-8")
    titles = book.ok("report", "renewals", "--template", str(own)).stdout.splitlines()
    assert titles == [f"ARR up for renewal by month, {c}" for c in ("EUR", "GBP", "JPY", "USD")]


@pytest.mark.parametrize("owner", [None, "Dana Reyes"])
def test_report_metrics_and_outcomes_agree_with_the_ledger_commands(demo_cli, owner):
    """The report reads the period's ledger as amounts only (no account join unless --owner) and
    the last 30 days in full: its metrics are `metric retention`'s, its outcomes the recent ledger."""
    who = ["--owner", owner] if owner else []
    report = json.loads(demo_cli.ok("report", "renewals", "-f", "json", *who).stdout)
    retention = json.loads(demo_cli.ok("metric", "retention", "-f", "json", *who).stdout)
    assert report["metrics"] == retention and retention
    expected = [("2026-11-03", "Marco Bianchi"), ("2026-10-28", "Dana Reyes")]
    assert [(o["date"], o["owner"]) for o in report["outcomes"]] == [
        (day, name) for day, name in expected if owner in (None, name)
    ]


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "txt"])
def test_a_report_bigger_than_its_memory_bound_spills_and_writes_the_same_bytes(
    book, golden, fmt, tmp_path, monkeypatch
):
    """The renewals go into spools with one shared bound (flat memory on any book): past it they
    spill to temporary files, and the templates read them back (len, truth, more than once: the
    html's charts and tables) into the very same document."""
    from csmctl import spool
    from csmctl.cli import reports

    spilled: list[bool] = []  # each spool's, when it is closed (after the document is written)
    close = spool.Spool.close

    def tracked(self):
        spilled.append(self.spilled)
        close(self)

    monkeypatch.setattr(reports, "REPORT_IN_MEMORY", 2)
    monkeypatch.setattr(spool.Spool, "close", tracked)
    target = tmp_path / f"report.{fmt}"
    book.ok("report", "renewals", "-f", fmt, "--period", "2026", "-o", str(target))
    assert any(spilled)
    golden(f"reports/renewals.{fmt}", target.read_text(encoding="utf-8"))


def test_a_user_template_reads_the_spilled_lists_like_lists(book, tmp_path, monkeypatch):
    from csmctl.cli import reports

    monkeypatch.setattr(reports, "REPORT_IN_MEMORY", 1)
    own = tmp_path / "lists.txt.j2"
    own.write_text(
        "{% for b in report.buckets %}{{ b.key }}={{ b.renewals | length }}"
        "{% if b.renewals %}:{{ (b.renewals | first)['name'] }}/{{ b.renewals[-1]['name'] }}{% endif %} {% endfor %}\n"
        "notices={{ report.notices | length }} {{ report.notices | map(attribute='name') | join('|') }}\n"
        "unconfirmed={{ report.unconfirmed | list | length }} {{ report.unconfirmed | length }}\n"
        "{{ report.at_risk | json }}\n"
    )
    out = book.ok("report", "renewals", "--template", str(own)).stdout.splitlines()
    assert out[0] == (  # (the line break after a block tag is trimmed)
        "overdue=2:Acme Corp/Birch Ltd 0-30=1:Cobalt GmbH/Cobalt GmbH 31-60=1:Delta KK/Delta KK "
        "61-90=1:Echo & Sons <Ltd>/Echo & Sons <Ltd> 91-120=1:Fjord AS/Fjord AS "
        "notices=2 Cobalt GmbH|Delta KK"
    )
    assert out[1] == "unconfirmed=1 1"
    assert [r["name"] for r in json.loads("\n".join(out[2:]))] == ["Echo & Sons <Ltd>"]


def test_the_report_sums_the_ledger_and_counts_pending_contracts_without_holding_them(book, monkeypatch):
    """The period's ledger and its pending contracts grow with the book: the report sums and
    counts them in SQL (flat memory), never an Entry per event or a Pending per contract, and
    still shows `metric retention`'s figures."""
    from csmctl.domain import metrics

    retention = json.loads(book.ok("metric", "retention", "--period", "2026", "-f", "json").stdout)

    def held(*_args, **_kwargs):
        raise AssertionError("the report held the ledger or the pending contracts row by row")

    monkeypatch.setattr(metrics, "Entry", held)
    monkeypatch.setattr(metrics, "Pending", held)
    report = json.loads(book.ok("report", "renewals", "--period", "2026", "-f", "json").stdout)
    assert report["metrics"] == retention and {r["pending"] for r in retention} != {0}


def test_the_recent_outcomes_go_into_the_reports_spools():
    """A few weeks of a big book's ledger is thousands of events: they are kept like the
    renewals (in a spool that spills past the report's bound), newest first."""
    from datetime import date

    from csmctl.domain.periods import parse_period
    from csmctl.domain.renewal_report import build_report

    made: list[list] = []

    class Kept(list):
        pass

    def new_rows():
        made.append(Kept())
        return made[-1]

    def event(day: int, number: int) -> dict:
        return {
            "id": number,
            "account_id": number,
            "name": f"A{number}",
            "owner": None,
            "tier": None,
            "date": date(2026, 11, day),
            "outcome": "renewed",
            "arr_before_minor": 100,
            "arr_after_minor": 100,
            "currency": "USD",
            "term_months": 12,
            "renewal_date_before": None,
            "notes": None,
            "reason": None,
        }

    today = date(2026, 11, 23)
    context = build_report(
        today=today,
        period=parse_period("2026", today),
        within_days=120,
        owner=None,
        accounts=[],
        ledger_totals=[],
        recent=[event(20, 2), event(3, 1)],
        pending={},
        new_rows=new_rows,
    )
    assert type(context["outcomes"]) is Kept
    assert [o["account"] for o in context["outcomes"]] == ["A2", "A1"]
