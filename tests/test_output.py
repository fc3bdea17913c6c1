"""output.py: plain tables pad by display width; only a terminal shortens or re-flows cells."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from csmctl import output
from csmctl.output import Column, Format


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_table_aligns_cjk_names_by_display_width():
    text = output.plain_table(["Account", "Owner"], [["東京商事", "Dana"], ["Acme", "Kim"]], [False, False])
    lines = text.splitlines()
    # The owner column starts in the same terminal cell on every line.
    starts = [cell_len(line[: line.rindex("  ") + 2]) for line in lines]
    assert len(set(starts)) == 1, text
    assert lines[1] == "東京商事  Dana"
    assert lines[2] == "Acme      Kim"


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8)), min_size=1))
def test_plain_table_second_column_always_starts_at_one_cell(rows):
    rows = [[a.replace("\n", " ").strip() or "x", b.strip() or "y"] for a, b in rows]
    rows = [
        r for r in rows if all(c.isprintable() and cell_len(c) == sum(cell_len(ch) for ch in c) for c in r)
    ]
    if not rows:
        return
    text = output.plain_table(["A", "B"], rows, [False, False])
    widths = {
        cell_len(line) - cell_len(row[1]) for line, row in zip(text.splitlines()[1:], rows, strict=True)
    }
    assert len(widths) == 1


LONG = "Renewal call with Ana about the pricing change and the new seats for the team in Lyon. " * 2
COLUMNS = [Column("id", "ID"), Column("summary", "Summary", shorten=60)]


def test_piped_output_never_shortens():
    for fmt in (Format.table, Format.md, Format.csv):
        stream = io.StringIO()
        output.emit([{"id": 1, "summary": LONG + "\nsecond line"}], COLUMNS, fmt, stream=stream)
        assert "…" not in stream.getvalue() and "second line" in stream.getvalue()


def test_terminal_table_shortens_to_the_first_line(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    stream = Terminal()
    output.emit([{"id": 1, "summary": LONG + "\nsecond line"}], COLUMNS, Format.table, stream=stream)
    assert "…" in stream.getvalue() and "second line" not in stream.getvalue()


def test_terminal_table_of_tuples_gets_its_heading_first(monkeypatch):
    """On a terminal (rich) too: tuples of ``fields`` are shown by key, and the heading, asked for
    once the records are read, comes before the table."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    stream = Terminal()
    rows = iter([(1, "Acme"), (2, "Birch")])
    output.emit(rows, COLUMNS, Format.table, stream=stream, fields=("id", "summary"), heading=lambda: "Two\n")
    text = stream.getvalue()
    assert text.startswith("Two\n") and "Acme" in text and "Birch" in text


ACT = [
    Column("rank", "#"),
    Column("account", "Account"),
    Column("why", "Why"),
    Column("command", "Act", own_line=True),
]
ITEMS = [
    {
        "rank": n,
        "account": "Southridge Video",
        "why": "onboarding task 7 5 days overdue: Admin training",
        "command": f'csmctl onboard task done "Southridge Video" {n}',
    }
    for n in (7, 10)
]


@pytest.mark.parametrize("width", [120, 80, 60, 40])
def test_terminal_never_wraps_a_command(monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    stream = Terminal()
    output.emit(ITEMS, ACT, Format.table, stream=stream)
    lines = stream.getvalue().splitlines()
    for item in ITEMS:
        assert any(item["command"] in line for line in lines), stream.getvalue()
    assert all(cell_len(line.rstrip()) <= width for line in lines if "csmctl" not in line)


def test_plain_table_escapes_a_control_character_in_one_cell_and_keeps_the_column_aligned():
    """emit checks a whole column at once: one cell with ESC among printable ones is still shown
    escaped, and its column still pads by the escaped text."""
    records = [{"name": "Acme", "n": 1}, {"name": "Bad\x1b[31mCo", "n": 22}, {"name": "東京", "n": 3}]
    stream = io.StringIO()
    output.emit(records, [Column("name", "Name"), Column("n", "N", right=True)], Format.table, stream=stream)
    lines = stream.getvalue().splitlines()
    assert "\x1b" not in stream.getvalue()
    assert lines[2] == output.literal("Bad\x1b[31mCo") + "  22"
    assert len({cell_len(line) for line in lines}) == 1, lines


def _whole_plain_table(headers, columns, right):
    """The plain table as it was laid out with every cell in memory (before it streamed)."""
    padded = []
    for header, column, r in zip(headers, columns, right, strict=True):
        cells = [str(header).upper(), *(c.replace("\n", " ") for c in column)]
        joined = "".join(cells)
        if joined.isascii() and joined.isprintable():
            width = max(map(len, cells))
            padded.append([c.rjust(width) for c in cells] if r else [c.ljust(width) for c in cells])
        else:
            sizes = [cell_len(c) for c in cells]
            width = max(sizes)
            padded.append(
                [
                    " " * (width - n) + c if r else c + " " * (width - n)
                    for c, n in zip(cells, sizes, strict=True)
                ]
            )
    return "".join(line.rstrip() + "\n" for line in map("  ".join, zip(*padded, strict=True)))


_plain_text = st.text(alphabet=st.sampled_from("ab Z9-\t\n東é\x1b"), max_size=6)


@given(
    st.lists(st.tuples(_plain_text, _plain_text, st.integers(-999, 99_999)), min_size=1, max_size=12),
    st.integers(1, 4),
    st.integers(0, 2),
)
def test_streamed_plain_table_is_the_whole_table_for_any_batch_and_spool(rows, batch, held):
    # Batches of `batch` records, `held` of them in memory: the spool spills to a file past that.
    records = [{"a": a, "b": b, "n": n} for a, b, n in rows]
    columns = [Column("a", "Name"), Column("b", show=lambda v: f"<{v}>"), Column("n", "Days", right=True)]
    texts = [output._all_shown(output._column_texts(c, records, False)) for c in columns]
    expected = _whole_plain_table([c.title for c in columns], texts, [c.right for c in columns])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output, "TEXT_BATCH", batch)
        patch.setattr(output, "TABLE_BATCHES_HELD", held)
        for fmt in (Format.table, Format.md):
            stream = io.StringIO()
            assert output.emit(iter(records), columns, fmt, stream=stream) == len(records)
            if fmt is Format.table:
                assert stream.getvalue() == expected
            else:
                assert stream.getvalue() == output.markdown_table(
                    [c.title for c in columns],
                    [list(r) for r in zip(*texts, strict=True)],
                    [False, False, True],
                )


class _Whole(Column):
    """A column that shows a cell from the whole record (its own ``cell``)."""

    def cell(self, record, *, terminal=False):
        return f"{record['a']}/{record.get('n')}"


@given(
    st.lists(
        st.tuples(_plain_text, st.none() | _plain_text, st.none() | st.integers(-999, 99_999) | st.dates()),
        max_size=12,
    ),
    st.sampled_from(list(Format)),
    st.integers(1, 3),
)
def test_records_as_tuples_of_fields_print_as_their_dicts_do(rows, fmt, batch):
    """``emit(fields=...)``: tuples of those keys' values print exactly as the dicts of them do, in
    every format (a column whose key is not a field is blank, as a missing key is)."""
    fields = ("a", "b", "n")
    columns = [
        Column("a", "Name"),
        Column("b", show=lambda v: f"<{v}>", blank="-"),
        Column("n", "N", right=True),
        Column("missing", "Gone"),
        _Whole("a", "Both"),
    ]
    dicts = [dict(zip(fields, r, strict=True)) for r in rows]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output, "TEXT_BATCH", batch)
        as_dicts, as_tuples = io.StringIO(), io.StringIO()
        assert output.emit(iter(dicts), columns, fmt, stream=as_dicts, empty=None) == len(rows)
        assert output.emit(iter(rows), columns, fmt, stream=as_tuples, empty=None, fields=fields) == len(rows)
    assert as_tuples.getvalue() == as_dicts.getvalue()


@pytest.mark.parametrize("fmt", [Format.table, Format.md])
@given(st.lists(st.integers(-999, 99_999), max_size=9), st.integers(1, 3), st.integers(0, 2))
def test_a_heading_is_asked_for_once_every_record_is_read_and_goes_first(fmt, numbers, batch, held):
    """``emit(heading=...)``: the heading can count the records (they are all read when it is
    asked for) and is written before the table, in a plain table and in Markdown, whatever the
    batches and the spool; nothing at all when there is no record."""
    columns = [Column("n", "N", right=True)]
    seen: list[int] = []

    def records():
        for n in numbers:
            seen.append(n)
            yield {"n": n}

    def heading():
        return f"{len(seen)} of {len(numbers)}\n"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output, "TEXT_BATCH", batch)
        patch.setattr(output, "TABLE_BATCHES_HELD", held)
        headed, bare = io.StringIO(), io.StringIO()
        count = output.emit(records(), columns, fmt, stream=headed, heading=heading, empty=None)
        output.emit([{"n": n} for n in numbers], columns, fmt, stream=bare, empty=None)
    assert count == len(numbers)
    assert headed.getvalue() == (f"{len(numbers)} of {len(numbers)}\n" + bare.getvalue() if numbers else "")


@given(st.none() | st.text() | st.integers() | st.booleans() | st.dates() | st.lists(st.text(), max_size=2))
def test_csv_cell_is_csv_safe_of_plain_cell(value):
    import re

    formula, number = re.compile(r"'*[=+\-@\t\r]"), output._NUMBER
    text = output.plain_cell(value)
    # csv_safe's first-character test only skips what the formula pattern cannot match
    old = "'" + text if text and formula.match(text) and not number.fullmatch(text) else text
    assert output._csv_cell(value) == output.csv_safe(text) == old
