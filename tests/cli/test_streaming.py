"""Streamed output (issue 19): the same bytes as the whole-document encoders, written in pieces."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.money import Money
from csmctl.output import _json_default, write_json

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.dates()
    | st.builds(Money, st.integers(-(10**12), 10**12), st.sampled_from(["USD", "EUR", "JPY"]))
)
_keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_documents = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(_keys, inner, max_size=4)
    ),
    max_leaves=30,
)


def _old(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default) + "\n"


@given(_documents)
def test_write_json_is_json_dumps_indent_2_byte_for_byte(value):
    out = io.StringIO()
    write_json(value, out)
    assert out.getvalue() == _old(value)


def test_a_generator_is_written_as_the_array_it_yields_in_pieces():
    class Counting(io.StringIO):
        writes = 0

        def write(self, text):
            self.writes += 1
            return super().write(text)

    rows = [
        {"id": i, "day": date(2026, 1, 1), "at": datetime(2026, 1, 1, 9), "arr": Money(i, "USD")}
        for i in range(5000)
    ]
    out = Counting()
    write_json({"rows": (r for r in rows)}, out)
    assert out.getvalue() == _old({"rows": rows})
    assert out.writes > 1  # streamed, not one string at the end


def test_records_of_plain_values_come_out_in_small_pieces():
    # a record of plain values and amounts is laid out in one piece by the C encoder; the pieces
    # still stay small (the report's template joins 128 of them before writing: a piece per
    # 1024 records once made that a 77 MB string on the 100k book)
    from csmctl.output import iter_json

    rows = [
        {"id": i, "name": f"Account {i}", "day": date(2026, 1, 1), "arr": Money(i, "USD"), "n": None}
        for i in range(5000)
    ]
    pieces = list(iter_json({"buckets": [{"renewals": rows}]}))
    assert "".join(pieces) + "\n" == _old({"buckets": [{"renewals": rows}]})
    assert max(map(len, pieces)) < 40_000


def test_renewals_json_on_the_demo_book_keeps_the_indent_2_layout(demo_cli):
    text = demo_cli.ok("renewals", "--within", "1y", "-f", "json").stdout
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text)["buckets"]


def test_the_renewal_report_as_json_keeps_the_indent_2_layout(demo_cli):
    text = demo_cli.ok("report", "renewals", "--within", "1y", "-f", "json").stdout
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text)["buckets"]


def test_json_chunks_is_the_json_filter_in_pieces():
    from csmctl.documents.filters import json_chunks, to_json

    value = {"rows": [{"id": i, "day": date(2026, 1, 1), "arr": Money(i, "USD")} for i in range(3000)]}
    chunks = list(json_chunks(value))
    assert len(chunks) > 1
    assert (
        "".join(chunks)
        == to_json(value)
        == json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)
    )


# Records (dicts of tokens and amounts) are laid out from a template made once per shape: lists of
# records sharing keys at several depths, with text that looks like the template's own syntax
# (``%s``, the \x00 the values are split on, escapes), amounts of odd parts, blanks and dates.
_tricky_text = st.lists(
    st.sampled_from(["%", "s", "%s", "%%", "\x00", "\x01", "\n", '"', "\\", "é", "😀", " ", "{", "]"]),
    max_size=4,
).map("".join)

_odd_money = st.builds(
    Money,
    st.none() | st.text(max_size=2) | st.floats() | st.dates() | st.lists(st.integers(), max_size=2),
    st.sampled_from(["USD", "EUR"]) | st.none() | st.lists(st.text(max_size=1), max_size=1),
)
_record_values = _scalars | _tricky_text | _odd_money | st.datetimes() | st.lists(st.integers(), max_size=2)


@st.composite
def _tables(draw):
    keys = draw(
        st.lists(_tricky_text | st.sampled_from(["id", "arr", "name"]), min_size=1, max_size=6, unique=True)
    )
    row = st.tuples(*[_record_values] * len(keys)).map(lambda values: dict(zip(keys, values, strict=True)))
    return draw(st.lists(row, max_size=6))


@given(st.lists(_tables(), max_size=3))
def test_lists_of_records_are_json_dumps_indent_2_byte_for_byte(tables):
    for value in (tables, {"rows": tables, "deeper": [{"rows": tables}]}, [tuple(t) for t in tables]):
        out = io.StringIO()
        write_json(value, out)
        assert out.getvalue() == _old(value)


def _one_a_line(records) -> str:
    # the listing layout: one record a line, each as json.dumps writes it without an indent
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    return "[" + ",".join("\n  " + encode(r) for r in records) + ("\n]\n" if records else "]\n")


@given(st.lists(_tables(), max_size=3), st.integers(1, 3))
def test_listings_as_json_are_one_record_a_line_byte_for_byte(tables, copies):
    from types import MappingProxyType

    from csmctl.output import emit

    records = [record for table in tables for record in table]
    for value in (records, records * copies, [MappingProxyType(r) for r in records[:2]] + records):
        out = io.StringIO()
        assert emit(iter(value), [], "json", stream=out) == len(value)
        assert out.getvalue() == _one_a_line(value)


def test_records_whose_keys_are_equal_but_not_the_same_text_are_json_dumps_indent_2():
    # 1 == True == 1.0 and a StrEnum equals its text: a layout made for one must not write another
    from enum import StrEnum

    class Key(StrEnum):
        a = "a"

    value = [{1: "x"}, {True: "x"}, {1.0: "x"}, {None: "x"}, {"a": 1}, {Key.a: 1}, {"1": "x"}, {"true": "x"}]
    for order in (value, value[::-1]):
        out = io.StringIO()
        write_json(order, out)
        assert out.getvalue() == _old(order)


def test_a_big_dict_of_plain_values_is_json_dumps_indent_2_and_not_kept_as_a_shape(monkeypatch):
    import csmctl.output as output

    monkeypatch.setattr(output, "_layouts", {})
    table = {f"account {i}": Money(i, "USD") if i % 2 else i for i in range(65)}
    value = [table, dict(list(table.items())[:64])]
    assert output.dumps_json(value) + "\n" == _old(value)
    assert max(map(len, output._layouts)) == 1 + 2 * 64  # the record of 64 kept, not the table of 65


def test_json_without_the_c_speed_ups_is_the_same_text(monkeypatch):
    import csmctl.output as output

    rows = [{"id": i, "day": date(2026, 1, 1), "arr": Money(i, "USD"), "n": None} for i in range(50)]
    value = {"rows": rows, "one": rows[0]}
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    monkeypatch.setattr(output, "_layouts", {})
    output._token_encoder.cache_clear()
    try:
        assert output.dumps_json(value) + "\n" == _old(value)
    finally:
        output._token_encoder.cache_clear()


_cells = st.none() | st.text() | st.integers() | st.booleans() | st.dates() | st.lists(st.text(), max_size=2)


@given(st.lists(st.fixed_dictionaries({"a": _cells, "b": _cells, "c": _cells}), min_size=1, max_size=5))
def test_table_cells_are_what_column_cell_shows(records):
    from csmctl.output import Column, _all_shown, _column_texts, literal

    columns = [Column("a"), Column("b", show=lambda v: f"<{v}>", blank="-"), Column("c", shorten=5)]
    for terminal in (False, True):
        expected = [[literal(c.cell(r, terminal=terminal)) for c in columns] for r in records]
        by_column = [_all_shown(_column_texts(c, records, terminal)) for c in columns]
        assert [list(row) for row in zip(*by_column, strict=True)] == expected


@given(st.lists(st.one_of(st.text(), st.integers(), st.dates()), min_size=1, max_size=5))
def test_a_column_of_one_type_is_shown_as_cell_by_cell(values):
    # _column_texts maps a whole column at once when its values share a type: same text as .cell
    from csmctl.output import Column, _column_texts

    kind = type(values[0])
    same = [v for v in values if type(v) is kind]
    records = [{"a": v} for v in same]
    column = Column("a")
    assert _column_texts(column, records, False) == [column.cell(r) for r in records]


@given(
    st.one_of(
        st.lists(st.booleans(), min_size=1, max_size=5),
        st.lists(st.none() | st.text(), min_size=1, max_size=5),
        st.lists(st.none() | st.dates(), min_size=1, max_size=5),
    )
)
def test_a_column_with_blanks_or_flags_is_shown_as_cell_by_cell(values):
    # The whole-column paths for yes/no flags and text or dates with blanks (owner, notice by)
    from csmctl.output import Column, _column_texts

    records = [{"a": v} for v in values]
    column = Column("a")
    assert _column_texts(column, records, False) == [column.cell(r) for r in records]
