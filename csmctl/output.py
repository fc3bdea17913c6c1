"""The one place that prints records: table, json, csv or md; messages and progress on stderr.

Data goes to stdout, everything else (notes, warnings, progress) to stderr, so a pipe carries
only data. Tables are drawn with rich on a terminal and as plain aligned text when piped; colour
is off when stdout is not a TTY or NO_COLOR is set. JSON is stable (docs/json.md): ISO dates,
money as ``{"amount_minor": 1200000, "currency": "USD"}``, keys in a fixed order.

rich is imported only when a terminal table or a progress bar is drawn: ``--format json`` and
cron runs never pay for it.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import operator
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, TextIO

from csmctl.domain.money import Money, show_money


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@dataclass(frozen=True)
class Column:
    """A column of a listing: the record key, its header, how a cell is shown to people."""

    key: str
    header: str | None = None
    show: Callable[[Any], str] | None = None
    right: bool = False
    blank: str = ""  # what a missing value shows as (with ``show``)
    # On a terminal only: cut the cell to its first line and this many characters. Piped output
    # (plain, md, csv, json) always carries the whole text.
    shorten: int | None = None
    # Never wrapped: on a terminal too narrow for the table, it goes on its own line under its row.
    own_line: bool = False

    @property
    def title(self) -> str:
        return self.header or self.key.replace("_", " ").title()

    def cell(self, record: Mapping[str, Any], *, terminal: bool = False) -> str:
        value = record.get(self.key)
        if self.show is not None:
            text = self.show(value) if value is not None else self.blank
        else:
            text = human(value)
        return shortened(text, self.shorten) if terminal and self.shorten else text


def shortened(text: str, width: int) -> str:
    """The first line of ``text``, cut to ``width`` characters with an ellipsis."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def money_column(key: str, header: str, style: str = "short") -> Column:
    """An amount column: ``USD 120k``, or ``unknown`` when the amount is not known."""
    # show_money is memoised per amount: a 100k-row table repeats amounts (one in five distinct on
    # the bench book), and formatting one costs ~20x a cache hit. None is the blank.
    return Column(
        key,
        header,
        show=functools.partial(show_money, style=style),
        right=True,
        blank=show_money(None, style),
    )


# -- values ------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    """json.dumps' hook for what it cannot encode itself (called only for those values)."""
    if type(value) is date:  # the common case first: a listing has dates on most records
        return value.isoformat()
    converted = jsonable(value)
    if converted is value:
        raise TypeError(f"cannot encode {type(value).__name__} as JSON")
    return converted


def jsonable(value: Any) -> Any:
    if isinstance(value, Money):
        return value.as_json()
    if isinstance(value, datetime):
        # Moments are stored in UTC; SQLite hands them back without the zone.
        if value.tzinfo is None:
            return value.isoformat(timespec="seconds") + "Z"
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset) or _is_array(value):
        return [jsonable(v) for v in value]
    return value


def _is_array(value: Any) -> bool:
    """A sized, re-readable collection that is neither text nor a mapping (a set, a spool of
    rows that the renewal report hands its templates): JSON writes it as an array."""
    return (
        isinstance(value, Sized)
        and isinstance(value, Iterable)
        and not isinstance(value, str | bytes | bytearray | Mapping)
    )


def human(value: Any) -> str:
    """A cell as people read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(human(v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def plain_cell(value: Any) -> str:
    """A cell for CSV: machine-readable (money as a plain decimal, lists joined by ';')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Money):
        return value.plain()
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(plain_cell(v) for v in value)
    return str(value)


def _csv_cell(value: Any) -> str:
    """``csv_safe(plain_cell(value))``, with text and integers (most cells) taken without the
    type chain: an integer's digits are a plain number, never a formula."""
    kind = type(value)
    if kind is str:
        return csv_safe(value)
    if kind is int:
        return int.__repr__(value)
    return csv_safe(plain_cell(value))


# CSV formula injection (OWASP): a spreadsheet runs a cell starting with = + - @ tab or CR as a
# formula. Such cells go out behind an apostrophe, which spreadsheets read as "this is text"
# and do not show; plain numbers (-5, +3.5) and offsets (+2bd) stay as they are. The form is reversible (`csv_restore`,
# used by `import`): a cell already written as apostrophes + trigger gets one more apostrophe.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
# Inert in a spreadsheet, and csmctl's own data: numbers (-5, +3.5) and day offsets (+2bd, -3d).
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]\d+(?:bd|[dwmy])")


_FORMULA_FIRST = frozenset("'=+-@\t\r")  # what a cell _FORMULA matches can start with


def csv_safe(text: str) -> str:
    """A CSV cell a spreadsheet cannot run as a formula (undone by ``csv_restore``)."""
    if text and text[0] in _FORMULA_FIRST and _FORMULA.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_restore(text: str) -> str:
    """The cell ``csv_safe`` was given: one apostrophe off a neutralised formula cell."""
    if text.startswith("'") and _FORMULA.match(text, 1) and not _NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


# -- terminals ---------------------------------------------------------------------------------


def is_tty(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def colour_enabled(stream: TextIO | None = None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return is_tty(stream)


def _console(stream: TextIO):
    from rich.console import Console

    colour = colour_enabled(stream)
    return Console(
        file=stream,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        soft_wrap=False,
    )


# C0 (but tab and newline), DEL and C1 (U+009B is a one-character CSI on some terminals).
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


def literal(text: str) -> str:
    """``text`` safe to show a person: control characters (ESC, BEL, CR...) shown escaped, so
    data written by another program can neither drive the terminal nor split a line."""
    return str(text).translate(_CONTROL)


def err(message: str, *, style: str | None = None) -> None:
    """A note for the person (never data): stderr, coloured only where colour is allowed.

    Control characters from input (a form feed in a CSV header...) are shown escaped, so they
    can neither split a message line nor drive the terminal."""
    message = literal(message)
    if style and colour_enabled(sys.stderr):
        codes = {"error": "31", "warning": "33", "success": "32", "dim": "2", "bold": "1"}
        message = f"\x1b[{codes.get(style, '0')}m{message}\x1b[0m"
    print(message, file=sys.stderr)


def warn(message: str) -> None:
    err(f"warning: {message}", style="warning")


def success(message: str) -> None:
    err(message, style="success")


# -- listings ----------------------------------------------------------------------------------


def emit(
    records: Iterable[Any],  # mappings, or tuples of ``fields``
    columns: Sequence[Column],
    fmt: Format | str = Format.table,
    *,
    stream: TextIO | None = None,
    title: str | None = None,
    empty: str | None = "No results.",
    csv_columns: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    heading: Callable[[], str] | None = None,
) -> int:
    """Print records in the chosen format; returns how many were printed.

    json prints every key of each record (the documented shape); table/md print ``columns``;
    csv prints ``csv_columns`` (default: the columns' keys) as machine-readable cells. With
    ``fields``, each record is a tuple of those keys' values, in that order: a table reads its
    columns by position, with no dict per record. ``heading`` (table and md): text written before
    the table, asked for once every record has been read: a table reads them all before its first
    line anyway (for its widths), so its heading can count them.
    """
    stream = stream or sys.stdout
    fmt = Format(fmt)
    if fields is not None and fmt in (Format.json, Format.csv):  # they print records by key
        records, fields = _as_mappings(records, fields), None
    if fmt is Format.json:
        return _emit_json(records, stream)
    if fmt is Format.csv:
        keys = list(csv_columns or [c.key for c in columns])
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([csv_safe(k) for k in keys])
        count = 0
        for record in records:
            writer.writerow([_csv_cell(record.get(k)) for k in keys])
            count += 1
        return count
    headers, right = [c.title for c in columns], [c.right for c in columns]
    if fmt is Format.table and is_tty(stream):  # rich lays the table out whole: it holds every row
        records = records if isinstance(records, list) else list(records)
        if not records:
            if empty:
                err(empty, style="dim")
            return 0
        # Column by column: one printable check and one width pass per column, not per cell.
        texts = [_all_shown(_column_texts(c, records, True, fields)) for c in columns]
        if heading is not None:
            stream.write(heading())
        _rich_table(columns, [list(row) for row in zip(*texts, strict=True)], stream, title)
        return len(records)
    # Plain text and Markdown stream: the cells of a batch of records at a time, column by column.
    batches = _text_batches(records, columns, fields)
    first = next(batches, None)
    if first is None:
        if empty:
            err(empty, style="dim")
        return 0
    batches = itertools.chain([first], batches)
    if fmt is Format.md:
        return _write_markdown(headers, batches, right, stream, heading)
    return _write_plain(headers, batches, right, stream, heading)


# Records whose cells are shown at a time: the column-at-once paths of ``_column_texts`` apply
# to each batch, and a listing of any length holds one batch of records.
TEXT_BATCH = 2048
# Batches of cells a plain table holds in memory while it finds its column widths (or a table
# waits for its heading); a longer table spools the rest to a temporary file (text pickles and
# reads back in a few ms per 10k rows).
TABLE_BATCHES_HELD = 4


def _as_mappings(records: Iterable[tuple[Any, ...]], fields: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Tuples of ``fields`` as the dicts of those keys, for what reads a record by key."""
    return (dict(zip(fields, record, strict=True)) for record in records)


def _text_batches(
    records: Iterable[Any], columns: Sequence[Column], fields: Sequence[str] | None = None
) -> Iterator[list[list[str]]]:
    """The shown cells of ``records``, as column lists of a batch of records at a time."""
    source = iter(records)
    while batch := list(itertools.islice(source, TEXT_BATCH)):
        yield [_all_shown(_column_texts(c, batch, False, fields)) for c in columns]


def _all_shown(texts: list[str]) -> list[str]:
    """``_shown`` of every cell of a column, with one printable test for the column as a whole."""
    return texts if "".join(texts).isprintable() else [_shown(t) for t in texts]


def _shown(text: str) -> str:
    """``literal(text)``, without the translate for the printable text nearly every cell is."""
    return text if text.isprintable() else literal(text)


_YES_NO = {True: "yes", False: "no"}

# A column whose values all have one of these types is shown by one C-level map over the values
# (or one comprehension without a call per cell), as ``_plain_text`` shows each of them.
_SHOW_ALL: dict[frozenset[type], Callable[[list[Any]], list[str]]] = {
    frozenset({str}): lambda values: values,
    frozenset({int}): lambda values: list(map(int.__repr__, values)),
    frozenset({date}): lambda values: list(map(date.isoformat, values)),
    frozenset({bool}): lambda values: list(map(_YES_NO.__getitem__, values)),
    frozenset({str, type(None)}): lambda values: ["" if v is None else v for v in values],
    frozenset({date, type(None)}): lambda values: ["" if v is None else v.isoformat() for v in values],
}


def _column_texts(
    column: Column, records: list[Any], terminal: bool, fields: Sequence[str] | None = None
) -> list[str]:
    """``column.cell`` of every record (mappings, or tuples of ``fields``). A plain column's values
    are read in one pass, and when they share one simple type (all text, all ints, all dates)
    shown without a call per cell."""
    if type(column).cell is not Column.cell or (terminal and column.shorten):
        if fields is not None:
            records = list(_as_mappings(records, fields))
        return [column.cell(r, terminal=terminal) for r in records]
    if fields is None:
        values = list(map(operator.methodcaller("get", column.key), records))
    elif column.key in fields:
        values = list(map(operator.itemgetter(fields.index(column.key)), records))
    else:  # as a mapping without the key
        values = [None] * len(records)
    show, blank = column.show, column.blank
    if show is not None:
        return [blank if value is None else show(value) for value in values]
    all_of = _SHOW_ALL.get(frozenset(map(type, values)))
    if all_of is not None:
        return all_of(values)
    return list(map(_plain_text, values))


def _plain_text(value: Any) -> str:
    """A plain cell's text: strings and ints shown without a call into ``human``."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return int.__repr__(value)
    if kind is date:  # as human() shows them, without its isinstance chain
        return value.isoformat()
    if kind is bool:
        return "yes" if value else "no"
    return human(value)


def _record_encoder() -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False, default=_json_default).encode`` for one record: the
    C encoder is built once, not once per record as ``encode`` does (a third of the cost of a
    100k-record listing)."""
    make = getattr(json.encoder, "c_make_encoder", None)  # private: absent from the stubs
    if make is None:  # a Python without json's C speed-ups
        return json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    encoder = make({}, _json_default, _encode_str, None, ": ", ", ", False, False, True)
    return lambda record: "".join(encoder(record, 0))


def _emit_json(records: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    # Streamed in chunks: a 100k listing never sits in memory as one string, and the
    # stream sees a few hundred writes rather than one per record.
    encode = _record_encoder()
    count = 0
    chunk: list[str] = ["["]
    for record in records:
        chunk.append(",\n  " if count else "\n  ")
        chunk.append(encode(record))
        count += 1
        if len(chunk) >= 2000:
            stream.write("".join(chunk))
            chunk.clear()
    chunk.append("\n]\n" if count else "]\n")
    stream.write("".join(chunk))
    return count


def emit_object(
    record: Mapping[str, Any],
    fmt: Format | str,
    *,
    stream: TextIO | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """One record (``show``): key/value lines for people, an object for json."""
    stream = stream or sys.stdout
    fmt = Format(fmt)
    if fmt is Format.json:
        write_json(record, stream)
        return
    items = [(k, v) for k, v in record.items() if not isinstance(v, list | dict) or v]
    if fmt is Format.csv:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([csv_safe(k) for k, _ in items])
        writer.writerow([csv_safe(plain_cell(v)) for _, v in items])
        return
    names = [(labels or {}).get(k, k.replace("_", " ")) for k, _ in items]
    rows = [[literal(n), literal(human(v))] for n, (_, v) in zip(names, items, strict=True)]
    if fmt is Format.md:
        stream.write(markdown_table(["field", "value"], rows, [False, False]))
        return
    width = max(len(n) for n in names) if names else 0
    for name, value in rows:
        stream.write(f"{name:<{width}}  {value}\n")


def dumps_json(data: Any) -> str:
    return "".join(iter_json(data))


def write_json(value: Any, stream: TextIO) -> None:
    """``json.dumps(value, ensure_ascii=False, indent=2, default=...)`` + a newline, byte for byte,
    written to ``stream`` in pieces as it goes (see ``iter_json``)."""
    for chunk in iter_json(value):
        stream.write(chunk)
    stream.write("\n")


def iter_json(value: Any, *, pieces: int = 1024) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=2, default=...)`` in chunks of about
    ``pieces`` tokens: a 100k-row document is never one string, and the scalars go through the C
    string encoder rather than json's pure-Python indent path (indent forces it), about half the
    CPU. Any iterator (a generator of records) is encoded as an array, so a caller can stream rows."""
    out: list[str] = []
    for _ in _indent_encode(value, 0, out, pieces):
        yield "".join(out)
        out.clear()
    if out:
        yield "".join(out)


_encode_str = json.encoder.encode_basestring  # C speed-up when built
_KEYWORDS = {True: "true", False: "false", None: "null"}


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _encode_str(key)
    if isinstance(key, float):
        return _encode_str(_float(key))
    if key is True or key is False or key is None:
        return _encode_str(_KEYWORDS[key])
    if isinstance(key, int):
        return _encode_str(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _indent_encode(value: Any, level: int, out: list[str], pieces: int) -> Iterator[None]:
    """Appends ``value``'s tokens to ``out``; yields whenever ``out`` is worth writing out.
    The same type tests in the same order as json.encoder._make_iterencode, so the same bytes."""
    if isinstance(value, str):
        out.append(_encode_str(value))
    elif value is None or value is True or value is False:
        out.append(_KEYWORDS[value])
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, list | tuple | Iterator):
        inner = "\n" + "  " * (level + 1)
        separator = "," + inner
        before = "[" + inner  # what goes before the next item
        # Records of tokens and amounts (most items of a long list) are gathered and written a
        # batch at a time: one encoder call for the values of about pieces / 2 tokens.
        templates: list[str] = []
        values: list[Any] = []
        for item in value:
            record = _record_values(item, level + 1) if type(item) is dict else None
            if record is not None:
                templates.append(record[0])
                values += record[1]
                if len(values) > pieces // 2:
                    out.append(before + _records_text(templates, values, separator))
                    before, templates, values = separator, [], []
                    yield
                continue
            if templates:
                out.append(before + _records_text(templates, values, separator))
                before, templates, values = separator, [], []
            out.append(before)
            before = separator
            yield from _indent_encode(item, level + 1, out, pieces)
            if len(out) > pieces:
                yield
        if templates:
            out.append(before + _records_text(templates, values, separator))
            before = separator
        out.append("[]" if before[0] == "[" else "\n" + "  " * level + "]")
    elif isinstance(value, dict):
        record = _record_values(value, level) if type(value) is dict else None
        if record is not None:
            out.append(_records_text([record[0]], record[1], ""))
            return
        if not value:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        first = True
        for key, item in value.items():
            head = ("{" if first else ",") + inner + _key(key) + ": "
            first = False
            kind = type(item)  # the common exact types inline: one append per field
            if kind is str:
                out.append(head + _encode_str(item))
            elif item is None:
                out.append(head + "null")
            elif kind is bool:
                out.append(head + ("true" if item else "false"))
            elif kind is int:
                out.append(head + int.__repr__(item))
            elif kind is date:  # no generator for a value that is text once converted
                out.append(head + '"' + item.isoformat() + '"')
            else:
                out.append(head)
                yield from _indent_encode(item, level + 1, out, pieces)
        out.append("\n" + "  " * level + "}")
    elif _is_array(value):  # a spool of records (csmctl.spool.Spool), a set: read as it is encoded
        yield from _indent_encode(iter(value), level, out, pieces)
    else:
        yield from _indent_encode(_json_default(value), level, out, pieces)


# A record (a dict) of values json.dumps writes as one token each (by exact type: str, int, float,
# bool, None, a date as its ISO text) and of amounts (Money: an object of two such tokens) is laid
# out by a template made once per shape (its keys, its values' types, its depth): json's C encoder
# writes the values as one array with _SPLIT between them, and the template puts each into place.
_TOKEN_TYPES = frozenset({str, int, float, bool, type(None), date})
_RECORD_TYPES = _TOKEN_TYPES | {Money}
# Never in the C encoder's output (it writes every control character as an escape): so the
# array's text splits back into exactly one piece per value.
_SPLIT = "\x00"
# A record's shape -> (its template, the places of its dates, the places of its amounts from the
# last), or None when it is not such a record. Bounded: a document has a handful of shapes.
_Layout = tuple[str, tuple[int, ...], tuple[int, ...]]
_layouts: dict[tuple[Any, ...], _Layout | None] = {}
_UNSEEN: _Layout = ("", (), ())  # a shape not laid out yet (by identity)


@functools.cache
def _token_encoder() -> Callable[[Any, int], Any] | None:
    """json's C encoder writing a list of tokens with _SPLIT between them (None without it)."""
    maker = getattr(json.encoder, "c_make_encoder", None)  # private: absent from the stubs
    if maker is None:  # pragma: no cover - CPython has it
        return None
    return maker(None, _json_default, _encode_str, None, ": ", _SPLIT, False, False, True)


def _record_layout(level: int, keys: Sequence[Any], kinds: Sequence[type]) -> _Layout | None:
    """The layout of a record with ``keys`` and values of ``kinds`` at ``level``: indent=2's text
    with a ``%s`` for each token (an amount has two), or None if it is not such a record."""
    if not keys or not all(isinstance(key, str) for key in keys) or not set(kinds) <= _RECORD_TYPES:
        return None
    if _token_encoder() is None:  # pragma: no cover
        return None
    inner, deeper = "\n" + "  " * (level + 1), "\n" + "  " * (level + 2)
    amount = "{" + deeper + '"amount_minor": %s,' + deeper + '"currency": %s' + inner + "}"
    items = [
        _encode_str(key).replace("%", "%%") + ": " + (amount if kind is Money else "%s")
        for key, kind in zip(keys, kinds, strict=True)
    ]
    dates = tuple(at for at, kind in enumerate(kinds) if kind is date)
    money = tuple(at for at in reversed(range(len(kinds))) if kinds[at] is Money)
    return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}", dates, money


def _record_values(record: dict, level: int) -> tuple[str, list[Any]] | None:
    """The template of ``record`` at ``level`` and the values it takes, in order, when it is a
    record of tokens and amounts (see _record_layout); None for anything else (the caller walks
    it item by item)."""
    if len(record) > 64:  # a table rather than a record: walked item by item, not kept as a shape
        return None
    values = list(record.values())
    shape = (level, *record, *map(type, values))
    layout = _layouts.get(shape, _UNSEEN)
    if layout is _UNSEEN:
        if len(_layouts) >= 256:
            _layouts.clear()
        layout = _layouts[shape] = _record_layout(level, list(record), list(map(type, values)))
    if layout is None:
        return None
    template, dates, money = layout
    for at in dates:  # as _json_default writes them, without a call back from the encoder
        values[at] = values[at].isoformat()
    for at in money:  # an amount's two values take its place (from the last, so places hold)
        amount = values[at]
        minor, currency = amount.amount_minor, amount.currency
        if type(minor) not in _TOKEN_TYPES or type(currency) not in _TOKEN_TYPES:
            return None  # not an amount as Money makes them: the general walk writes it
        values[at : at + 1] = (minor, currency)
    return template, values


def _records_text(templates: list[str], values: list[Any], separator: str) -> str:
    """The records whose ``templates`` take ``values`` (see _record_values), ``separator`` between
    them: one C encoder call writes every value, split back into its tokens on _SPLIT."""
    encoder = _token_encoder()
    assert encoder is not None  # a layout is made only with it
    return separator.join(templates) % tuple("".join(encoder(values, 0))[1:-1].split(_SPLIT))


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """Aligned columns separated by two spaces, like `ls -l`; no borders, no colour.

    Padding counts terminal cells, not characters: a CJK name is two cells a character wide."""
    if not headers:
        return "\n" * (len(rows) + 1)
    return _plain_columns(
        headers, [list(column) for column in zip(*rows, strict=True)] or [[] for _ in headers], right
    )


def _plain_columns(headers: Sequence[str], columns: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """``plain_table`` from the cells of each column."""
    out = io.StringIO()
    _write_plain(headers, iter([[list(column) for column in columns]]), right, out)
    return out.getvalue()


def _one_cell_each(texts: list[str]) -> bool:
    """Whether every text is printable ASCII (one test for the lot): then a character is a cell."""
    joined = "".join(texts)
    return joined.isascii() and joined.isprintable()


def _cell_size(texts: list[str], ascii_only: bool) -> list[int]:
    """Terminal cells each text takes: its length for printable ASCII, else rich's count (a CJK
    character is two cells)."""
    if ascii_only:
        return list(map(len, texts))
    from rich.cells import cell_len

    return [len(t) if t.isascii() and t.isprintable() else cell_len(t) for t in texts]


def _plain_cells(column: list[str]) -> tuple[list[str], bool]:
    """A column's cells on one line each, and whether they are all printable ASCII."""
    if _one_cell_each(column):
        return column, True
    column = [c.replace("\n", " ") for c in column]
    return column, _one_cell_each(column)


def _write_plain(
    headers: Sequence[str],
    batches: Iterator[list[list[str]]],
    right: Sequence[bool],
    stream: TextIO,
    heading: Callable[[], str] | None = None,
) -> int:
    """Aligned columns from batches of column lists: each column as wide as its widest cell, so
    every cell is read before the first line (then ``heading``, if any, is written); the batches
    wait in a spool (``csmctl.spool``), in memory up to its bound, then in a temporary file."""
    from csmctl.spool import Spool

    titles = [_plain_cells([str(header).upper()]) for header in headers]
    widths = [max(_cell_size(*title)) for title in titles]
    count = 0
    with Spool[list[tuple[list[str], bool]]](limit=TABLE_BATCHES_HELD, batch=1) as spool:
        for texts in batches:
            columns = [_plain_cells(column) for column in texts]
            for i, (cells, one_each) in enumerate(columns):
                if cells:
                    widths[i] = max(widths[i], max(_cell_size(cells, one_each)))
            count += len(columns[0][0]) if columns else 0
            spool.append(columns)
        if heading is not None:
            stream.write(heading())
        for batch in itertools.chain([titles], spool):
            padded = []
            for (column, ascii_only), width, r in zip(batch, widths, right, strict=True):
                if ascii_only:  # str's own padding: one cell a character
                    padded.append([c.rjust(width) for c in column] if r else [c.ljust(width) for c in column])
                    continue
                sizes = _cell_size(column, False)
                padded.append(
                    [
                        " " * (width - n) + c if r else c + " " * (width - n)
                        for c, n in zip(column, sizes, strict=True)
                    ]
                )
            stream.write("".join(line.rstrip() + "\n" for line in map("  ".join, zip(*padded, strict=True))))
    return count


def _write_markdown(
    headers: Sequence[str],
    batches: Iterator[list[list[str]]],
    right: Sequence[bool],
    stream: TextIO,
    heading: Callable[[], str] | None = None,
) -> int:
    """``markdown_table`` from batches of column lists, written as they come; with a ``heading``,
    once they are all read (they wait in a spool, as a plain table's do)."""
    if heading is not None:
        from csmctl.spool import Spool

        with Spool[list[list[str]]](limit=TABLE_BATCHES_HELD, batch=1) as spool:
            spool.extend(batches)
            stream.write(heading())
            return _write_markdown(headers, iter(spool), right, stream)
    stream.write(markdown_table(headers, [], right))
    count = 0
    for batch in batches:
        rows = list(zip(*batch, strict=True))
        stream.write("".join("| " + " | ".join(md_escape(c) for c in row) + " |\n" for row in rows))
        count += len(rows)
    return count


# Inline syntax only: a cell or a value inside a line cannot start a block, so `#`, `-`, `.` stay.
# Backslash escapes (CommonMark escapes any ASCII punctuation): no raw HTML, no link or image.
_MD_SPECIAL = {ord(c): "\\" + c for c in "\\`*_[]<>|~&"}
_MD_SPECIAL.update({ord("\n"): " ", ord("\r"): " "})


def md_escape(text: str) -> str:
    """Data shown literally in Markdown, as HTML escaping does for HTML: no raw HTML (``<script>``),
    no links or images (``![](https://tracker)``), and a ``|`` cannot add a table column."""
    return str(text).translate(_MD_SPECIAL)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    out = io.StringIO()
    out.write("| " + " | ".join(md_escape(h) for h in headers) + " |\n")
    out.write("|" + "|".join("---:" if r else "---" for r in right) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(md_escape(c) for c in row) + " |\n")
    return out.getvalue()


def _rich_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], stream: TextIO, title: str | None
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Text, never markup: data such as "[/] Oops" or "[link=...]" is printed as written.
    table = Table(
        title=Text(literal(title)) if title else None,
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
    )
    for column in columns:
        table.add_column(
            Text(column.title),
            justify="right" if column.right else "left",
            overflow="fold",
            no_wrap=column.own_line,
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console = _console(stream)
    apart = [i for i, c in enumerate(columns) if c.own_line]
    widths = _fitted_widths(table, apart, console.width) if apart else None
    if not apart or widths is not None:
        for drawn, width in zip(table.columns, widths or [], strict=False):
            drawn.width = width
        console.print(table)
        return
    # Too narrow: a command cut in the middle cannot be copied. Each row becomes a block: its
    # other cells (wrapped between words), then each such cell whole on its own indented line.
    kept = [i for i in range(len(columns)) if i not in apart]
    for row in rows:
        console.print(Text("  ".join(row[i] for i in kept if row[i])))
        for i in apart:
            if row[i]:
                console.print(Text(f"    {row[i]}"), soft_wrap=True)


def _fitted_widths(table: Any, apart: Sequence[int], width: int) -> list[int | None] | None:
    """Column widths that fit ``width`` with the ``apart`` columns whole and no word of another
    column cut (None: leave it to rich, it fits as it is); None as a whole when they cannot fit."""
    from rich.cells import cell_len

    cells = [[column.header, *column._cells] for column in table.columns]
    natural = [max(cell_len(str(c)) for c in col) for col in cells]
    words = [max((cell_len(w) for c in col for w in str(c).split()), default=1) for col in cells]
    overhead = 3 * (len(cells) - 1) + 2  # rich's gap between columns and its two edges
    if sum(natural) + overhead <= width:
        return [None] * len(cells)
    floor = [natural[i] if i in apart else words[i] for i in range(len(cells))]
    spare = width - overhead - sum(floor)
    if spare < 0:
        return None
    # The spare room goes to the columns that wrap, in proportion to what each still wants.
    want = [natural[i] - floor[i] for i in range(len(cells))]
    total = sum(want) or 1
    return [floor[i] + want[i] * spare // total for i in range(len(cells))]


# -- progress ----------------------------------------------------------------------------------


@contextmanager
def progress(
    total: int | None, description: str, *, threshold: int = 2000
) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal and the work is big; silent otherwise.

    Yields ``advance(n)``. Cron (no TTY) and small jobs see nothing.
    """
    if not is_tty(sys.stderr) or (total is not None and total < threshold):

        def nothing(n: int = 1) -> None:
            pass

        yield nothing
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_console(sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance
