"""Hostile input, generated: CSV/JSON imports and command-line dates and amounts.

Whatever comes in: exit 0 or 1 (2 for Click's own usage errors), never a traceback; a failed
command changes nothing in the book; every error says where (the file, and the line for a row;
the option for a command-line value). In-process (CliRunner, catch_exceptions=False) for speed:
an exception escaping the boundary fails the test with its traceback.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csmctl.cli import app
from tests.conftest import EXAMPLE_FACTOR
from tests.reliability.conftest import SCALE

pytestmark = pytest.mark.reliability


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


EXAMPLES = {
    kind: n * SCALE * EXAMPLE_FACTOR
    for kind, n in {"csv": 100, "contacts": 25, "json": 30, "cli": 80}.items()
}
KIND = {
    "test_fuzzed_csv_account_imports": "csv",
    "test_fuzzed_csv_contact_imports": "contacts",
    "test_fuzzed_json_account_imports": "json",
    "test_fuzzed_dates_and_amounts_on_the_command_line": "cli",
}
COUNTED: dict[str, int] = {}


@pytest.fixture(autouse=True)
def enough_inputs_reached_csmctl(request):
    """After all of a fuzz test's examples: most generated inputs really ran a command (not
    filtered out by assume() or cut short by a health check), so the invariants were exercised."""
    kind = KIND.get(request.node.originalname)
    if kind is None:
        yield
        return
    COUNTED[kind] = 0
    yield
    assert COUNTED[kind] >= EXAMPLES[kind] // 2, (
        f"only {COUNTED[kind]} of {EXAMPLES[kind]} {kind} inputs reached csmctl"
    )


FIELDS = [
    "name",
    "external_id",
    "domain",
    "owner",
    "tier",
    "segment",
    "stage",
    "arr",
    "currency",
    "contract_start",
    "renewal_date",
    "term_months",
    "auto_renew",
    "notice_days",
    "nps",
    "csat",
    "tags",
    "notes",
    "archived",
    "Company name",
    "ARR",
    "Renewal Date",
]
NASTY = [
    "",
    " ",
    '"',
    '""',
    ",",
    ";",
    "\t",
    "|",
    "\n",
    "\r\n",
    "\r",
    "\\",
    "'",
    "=1+1",
    "-5",
    "NULL",
    "null",
    "None",
    "0",
    "1e309",
    "NaN",
    "2026-02-30",
    "2026-12-01",
    "+30d",
    "today",
    "99999999999999999999",
    "USD",
    "€",
    "１２",
    "x" * 300,
    "\u202e",
    "\ufeff",
    "🙂",
    "\x00",
    "\x1b[31m",
    "'; DROP TABLE account; --",
    "true",
    "yes",
    "strategic",
    "churned",
]

cell = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.from_regex(r"[0-9]{1,12}(\.[0-9]{1,4})?[kKmM]?", fullmatch=True),
    st.dates().map(str),
)
header = st.lists(st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)), min_size=0, max_size=8)


def book_state(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = [conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("account", "contact")]
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.db"
    runner = CliRunner()
    for argv in (
        ["account", "add", "Acme", "--arr", "120k", "--renewal", "2027-01-01"],
        ["account", "add", "Globex"],
        ["contact", "add", "Acme", "Ana"],
    ):
        assert runner.invoke(app, ["--db", str(path), *argv], catch_exceptions=False).exit_code == 0
    return path


def invoke(book: Path, *argv: str):
    return CliRunner().invoke(
        app, ["--db", str(book), "--as-of", "2026-11-23", *argv], catch_exceptions=False
    )


def check(result, book: Path, before: str, *, where: list[str]) -> None:
    """The invariants every fuzzed run must keep."""
    text = result.stderr
    assert "Traceback" not in text and "internal error" not in text, text
    assert result.exit_code in (0, 1, 2), (result.exit_code, text)
    if result.exit_code != 0:
        assert book_state(book) == before, f"a failed command changed the book:\n{text}"
        lines = [line for line in text.splitlines() if not line.startswith("warning: ")]
        assert lines and lines[0].startswith("Error: "), text
        assert any(w in text for w in where), f"the error does not say where ({where}):\n{text}"


def count(kind: str) -> None:
    COUNTED[kind] = COUNTED.get(kind, 0) + 1


def _encode(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


@st.composite
def csv_files(draw):
    columns = draw(header)
    delimiter = draw(st.sampled_from(",;\t|"))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(columns) + 2), max_size=6))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=quoting, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    if columns or draw(st.booleans()):
        writer.writerow(columns)
    writer.writerows(rows)
    text = buffer.getvalue()
    mangle = draw(st.sampled_from(["none", "none", "none", "cut", "huge", "stray-quote", "blank-lines"]))
    if mangle == "cut" and text:
        text = text[: draw(st.integers(0, len(text)))]
    elif mangle == "huge":
        text += f"Huge{delimiter}" + "y" * draw(st.sampled_from([70_000, 1_000_001])) + "\n"
    elif mangle == "stray-quote":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    elif mangle == "blank-lines":
        text = "\n\n" + text.replace("\n", "\n\n")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = _encode(text, encoding)
    if data is None:
        data = text.encode("utf-8")
        encoding = "utf-8"
    if draw(st.integers(0, 20)) == 0:
        data = draw(st.binary(max_size=200))
        encoding = "bytes"
    return data, encoding


@given(data=csv_files(), pass_encoding=st.booleans())
@fuzz(EXAMPLES["csv"])
def test_fuzzed_csv_account_imports(tmp_path, book, data, pass_encoding):
    file_data, encoding = data
    source = tmp_path / "in.csv"
    source.write_bytes(file_data)
    before = book_state(book)
    argv = ["import", "accounts", str(source)]
    if pass_encoding and encoding in ("cp1252", "latin-1"):
        argv += ["--encoding", encoding]
    result = invoke(book, *argv)
    count("csv")
    check(result, book, before, where=[str(source)])
    problems = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    for line in problems:
        if "more problems" not in line:
            assert re.match(rf"  {re.escape(str(source))}, line \d+", line), line


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Acme", "Globex", "acme", "Nobody", "#1", "2", ""] + NASTY[:10]), cell, cell
        ),
        max_size=5,
    ),
    columns=st.sampled_from(
        [
            ["account", "name", "email"],
            ["Account", "Name", "Email"],
            ["account", "name", "role"],
            ["company", "full name", "email"],
        ]
    ),
)
@fuzz(EXAMPLES["contacts"])
def test_fuzzed_csv_contact_imports(tmp_path, book, rows, columns):
    source = tmp_path / "contacts.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    before = book_state(book)
    result = invoke(book, "import", "contacts", str(source))
    count("contacts")
    check(result, book, before, where=[str(source)])


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.sampled_from(NASTY)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
json_record = st.dictionaries(st.sampled_from(FIELDS), json_value, max_size=6)


@given(
    payload=st.one_of(
        st.lists(json_record, max_size=4),
        st.dictionaries(st.text(max_size=5), st.lists(json_record, max_size=3), max_size=2),
        json_value,
    )
)
@fuzz(EXAMPLES["json"])
def test_fuzzed_json_account_imports(tmp_path, book, payload):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(payload))
    before = book_state(book)
    result = invoke(book, "import", "accounts", str(source))
    count("json")
    check(result, book, before, where=[str(source)])


OPTIONS = {
    "--renewal": "renewal",
    "--contract-start": "contract start",
    "--stage-since": "stage",
    "--arr": "ARR",
    "--cadence": "cadence",
}
date_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.from_regex(r"[+-]?[0-9]{1,7}[dwmyDWMY]", fullmatch=True),
    st.from_regex(r"[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}", fullmatch=True),
    st.dates().map(str),
)
amount_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.from_regex(r"-?[$€£]?[0-9,._ ]{1,25}(k|m|bn|mm)?", fullmatch=True),
    st.from_regex(r"(USD|EUR|JPY|KWD|XXX) ?[0-9]{1,20}(\.[0-9]{0,5})?", fullmatch=True),
)


@given(
    option=st.sampled_from(sorted(OPTIONS)),
    data=st.data(),
    command=st.sampled_from(["add", "edit"]),
    currency=st.sampled_from([None, "USD", "JPY", "KWD", "usd", "XYZ", "€"]),
)
@fuzz(EXAMPLES["cli"])
def test_fuzzed_dates_and_amounts_on_the_command_line(book, option, data, command, currency):
    value = data.draw(amount_text if option == "--arr" else date_text)
    assume("\x00" not in value)  # an OS cannot pass a NUL in argv
    target = ["account", "add", "Fuzz Co"] if command == "add" else ["account", "edit", "Acme"]
    argv = [*target, f"{option}={value}"] + ([f"--currency={currency}"] if currency else [])
    before = book_state(book)
    result = invoke(book, *argv)
    count("cli")
    check(result, book, before, where=[OPTIONS[option], "currency", "--"])
    if result.exit_code == 0 and command == "add":
        assert invoke(book, "account", "delete", "Fuzz Co", "--yes").exit_code == 0
