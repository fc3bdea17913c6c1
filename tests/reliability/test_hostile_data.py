"""Data that tries to drive what reads csmctl's output (issue 16, holes 3, 6 and 11).

Rich markup and escape sequences in account names are printed literally (terminal tables,
piped tables, Markdown); CSV cells a spreadsheet would run as formulas are neutralised in every
CSV csmctl writes, and the neutralised form still imports back to the same value.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl import output
from tests.conftest import Cli

pytestmark = pytest.mark.reliability

MARKUP = ["[/] Oops Co", "[link=https://evil.example]Acme[/link]", "[bold red blink]Loud[/]"]
ESCAPES = ["Evil\x1b]0;pwned\x07 Co", "Clear\x1b[2J Inc", "Csi\x9b31m Ltd"]


@pytest.fixture
def hostile_book(db_path, fresh_book):
    fresh_book(db_path)
    cli = Cli(db_path)
    for name in MARKUP:
        cli.ok("account", "add", name, "--renewal", "2027-01-05")
    # Escape sequences written by another program straight into the database.
    with sqlite3.connect(db_path) as conn:
        for i, name in enumerate(ESCAPES, start=100):
            conn.execute(
                "INSERT INTO account (id, name, name_key, stage, arr_minor, currency, term_months, auto_renew,"
                " tags, archived, created_at, updated_at, renewal_date) VALUES (?, ?, ?, 'adoption', 0, 'USD',"
                " 12, 0, '', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2027-01-06')",
                (i, name, name.lower()),
            )
    return cli


def _has_no_control(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b")


def test_terminal_table_prints_markup_literally(hostile_book, monkeypatch):
    monkeypatch.setattr(output, "is_tty", lambda stream=None: True)  # draw the rich table
    monkeypatch.setenv("COLUMNS", "400")
    result = hostile_book("account", "list")
    assert result.exit_code == 0, result.stderr
    for name in MARKUP:
        assert name in result.stdout
    assert "\x1b]8;" not in result.stdout  # no hyperlink escape
    assert _has_no_control(result.stdout)
    assert "\\x1b]0;pwned\\x07" in result.stdout and "\\x1b[2J" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_piped_output_shows_control_characters_escaped(hostile_book, fmt):
    out = hostile_book.ok("account", "list", "--format", fmt).stdout
    assert _has_no_control(out)
    assert "pwned" in out


def test_show_escapes_control_characters(hostile_book):
    out = hostile_book.ok("account", "show", "100").stdout
    assert _has_no_control(out) and "\\x1b]0;pwned\\x07" in out


def test_json_keeps_the_data_exact_and_inert(hostile_book):
    out = hostile_book.ok("account", "list", "--format", "json").stdout
    assert "\x1b" not in out
    names = {a["name"] for a in json.loads(out)}
    assert set(MARKUP + ESCAPES) <= names


def test_markdown_escapes_html_links_images_and_pipes(db_path, fresh_book):
    fresh_book(db_path)
    cli = Cli(db_path)
    for name in ["<script>alert(1)</script>", "![x](https://t.example/p.gif)", "[click](https://e.x)", "A|B"]:
        cli.ok("account", "add", name)
    out = cli.ok("account", "list", "--format", "md").stdout
    assert "<script>" not in out and "\\<script\\>" in out
    assert re.search(r"(?<!\\)\]\(", out) is None  # no link or image syntax left active
    header, rule, *rows = out.strip().splitlines()
    assert "(https://" in out  # the text is all there, shown literally
    columns = header.count(" | ")
    for row in rows:
        assert row.replace("\\|", "").count(" | ") == columns, row


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "'=quoted"]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_markdown_documents_escape_data(tmp_path, db_path, fresh_book):
    fresh_book(db_path)
    cli = Cli(db_path)
    cli.ok(
        "account",
        "add",
        "--renewal",
        "2027-01-05",
        "--",
        "<img src=https://t.example/p.gif> | [x](https://e.x)",
    )
    out = cli.ok("report", "renewals").stdout
    assert re.search(r"(?<!\\)<img", out) is None and re.search(r"(?<!\\)\]\(", out) is None
    row = next(line for line in out.splitlines() if "img" in line)
    assert row.replace("\\|", "").count(" | ") == out.splitlines()[out.splitlines().index(row) - 2].count(
        " | "
    )


def test_every_csv_neutralises_formulas(db_path, fresh_book, tmp_path):
    fresh_book(db_path)
    cli = Cli(db_path)
    for i, name in enumerate(FORMULAS):
        cli.ok(
            "account",
            "add",
            "--renewal",
            f"2027-01-{10 + i:02d}",
            "--owner",
            "=cmd|' /C calc'!A0",
            "--",
            name,
        )
    texts = {
        "account list": cli.ok("account", "list", "--format", "csv").stdout,
        "export": cli.ok("export", "accounts").stdout,
        "report": cli.ok("report", "renewals", "-f", "csv").stdout,
    }
    for where, text in texts.items():
        cells = [c for row in _cells(text) for c in row]
        assert cells, where
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(c)]
        assert dangerous == [], (where, dangerous)


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_export_import_round_trip_keeps_formula_names(db_path, fresh_book, tmp_path):
    fresh_book(db_path)
    cli = Cli(db_path)
    for name in FORMULAS:
        cli.ok("account", "add", "--", name.strip() or name)
    exported = tmp_path / "accounts.csv"
    cli.ok("export", "accounts", "-o", str(exported))
    other = Cli(fresh_book(tmp_path / "other.db"))
    other.ok("import", "accounts", str(exported))
    before = {a["name"] for a in json.loads(cli.ok("account", "list", "--format", "json").stdout)}
    after = {a["name"] for a in json.loads(other.ok("account", "list", "--format", "json").stdout)}
    assert before == after


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r1.eE x"), max_size=8))
def test_csv_safe_is_reversible_and_safe(text):
    safe = output.csv_safe(text)
    assert output.csv_restore(safe) == text
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r") or _number(safe)
