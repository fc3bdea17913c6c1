"""Reading a CSV or JSON file of records, with the location of every row.

CSV: UTF-8 with or without a BOM (UTF-16 with a BOM too; ``encoding`` for anything else), the
delimiter sniffed among , ; tab |, blank lines skipped, each row keeps the line it starts on.
JSON: a list of objects, or an object holding one list (``{"accounts": [...]}``).
JSON Lines (``.jsonl``/``.ndjson``, or text whose first two lines are each an object): one object a
line, blank lines skipped, each row keeps its line; parsed lazily like CSV.
Excel's "Unicode Text"/"CSV UTF-16" (UTF-16 with a BOM, ``;`` or tab delimited, CRLF) and UTF-8
with a BOM go through the CSV path unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csmctl.errors import InvalidInput, Problem
from csmctl.output import csv_restore

DELIMITERS = ",;\t|"
MAX_FIELD = 1_000_000  # characters in one cell


@dataclass
class Row:
    line: int | None  # CSV: the line the row starts on
    index: int  # 1-based record number
    values: dict[str, Any]

    def where(self) -> dict[str, Any]:
        """Location for a Problem: the line for CSV, the record number for JSON."""
        if self.line is not None:
            return {"line": self.line}
        return {"line": None, "record": self.index}


@dataclass
class TableFile:
    """A file's columns and a way to walk its rows. CSV rows are parsed lazily, one at a time,
    so a 100k-row import never holds every row in memory; ``count`` is known up front."""

    path: str
    kind: str  # "csv", "json" or "jsonl"
    columns: list[str]
    count: int = 0
    _records: list[Row] | None = None
    _text: str = ""
    _delimiter: str = ","

    def iter_rows(self) -> Iterator[Row]:
        if self._records is not None:
            yield from self._records
        elif self.kind == "jsonl":
            yield from _jsonl_rows(self._text, self.path)
        else:
            yield from _csv_rows(self._text, self.path, self._delimiter, self.columns)

    @property
    def rows(self) -> list[Row]:
        return list(self.iter_rows())


def _fail(path: str, message: str, *, line: int | None = None, hint: str | None = None) -> InvalidInput:
    return InvalidInput(Problem(message, path=path, line=line, hint=hint))


def _decode(data: bytes, path: str, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise _fail(
                path, f"unknown encoding {encoding!r}", hint="use e.g. utf-8, cp1252, latin-1"
            ) from None
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise _fail(
                path, f"not valid {encoding} text (byte 0x{data[error.start]:02x})", line=line
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _fail(
            path,
            f"not UTF-8 text (byte 0x{data[error.start]:02x})",
            line=line,
            hint="save it as UTF-8 (Excel: 'CSV UTF-8'), or pass --encoding cp1252",
        ) from None


def read_table(path: Path | str, *, encoding: str | None = None) -> TableFile:
    """Read ``path`` ('-' is stdin); the format follows the extension (.json, else CSV)."""
    label = str(path)
    try:
        data = sys.stdin.buffer.read() if label == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise _fail(label, "no such file") from None
    except IsADirectoryError:
        raise _fail(label, "is a directory, not a file") from None
    except OSError as error:
        raise _fail(label, f"cannot read: {error.strerror}") from None
    text = _decode(data, label, encoding)
    lowered = label.lower()
    if lowered.endswith((".jsonl", ".ndjson")) or (not lowered.endswith(".json") and _looks_like_jsonl(text)):
        return _read_jsonl(text, label)
    if lowered.endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return _read_json(text, label)
    return _read_csv(text, label)


def _read_json(text: str, path: str) -> TableFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _fail(path, f"not valid JSON: {error.msg} (column {error.colno})", line=error.lineno) from None
    except RecursionError:
        raise _fail(path, "nested too deeply", hint="records are a list of flat objects") from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise _fail(path, "expected a list of records, or an object holding one list")
        data = lists[0]
    if not isinstance(data, list):
        raise _fail(path, f"expected a list of records, found {type(data).__name__}")
    rows, columns = [], []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InvalidInput(
                Problem(f"record {index} is a {type(item).__name__}, not an object", path=path)
            )
        for key in item:
            if key not in columns:
                columns.append(str(key))
        rows.append(Row(None, index, {str(k): v for k, v in item.items()}))
    return TableFile(path, "json", columns, count=len(rows), _records=rows)


def _looks_like_jsonl(text: str) -> bool:
    """Two or more lines that each hold one JSON object (a JSON document spans lines instead)."""
    lines = [line for line in text[:20_000].splitlines() if line.strip()][:2]
    if len(lines) < 2:
        return False
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except ValueError:
            return False
    return True


def _jsonl_records(text: str, path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise _fail(
                path,
                f"not valid JSON: {error.msg} (column {error.colno})",
                line=number,
                hint="JSON Lines holds one complete object on each line",
            ) from None
        if not isinstance(item, dict):
            raise _fail(path, f"the line holds a {type(item).__name__}, not an object", line=number)
        yield number, item


def _read_jsonl(text: str, path: str) -> TableFile:
    # First pass: every line parses, the columns (in order of first appearance) and the count.
    columns: dict[str, None] = {}
    count = 0
    for _, item in _jsonl_records(text, path):
        count += 1
        columns.update(dict.fromkeys(str(k) for k in item))
    if not count:
        raise _fail(path, "is empty: expected one JSON object a line")
    return TableFile(path, "jsonl", list(columns), count=count, _text=text)


def _jsonl_rows(text: str, path: str) -> Iterator[Row]:
    for index, (line, item) in enumerate(_jsonl_records(text, path), start=1):
        yield Row(line, index, {str(k): v for k, v in item.items()})


def _sniff(sample: str) -> str:
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return ","
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return best


def _read_csv(text: str, path: str) -> TableFile:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _fail(path, "contains a NUL byte; this is not a text CSV file", line=line)
    delimiter = _sniff(text[:20_000])
    csv.field_size_limit(MAX_FIELD)
    header: list[str] | None = None
    count = 0
    # First pass: the header, the row count, and any CSV-level error, before anything is written.
    for start, cells in _csv_cells(text, path, delimiter):
        if header is None:
            header = [cell.strip() for cell in cells]
            _check_header(header, path, start)
        else:
            count += 1
    if header is None:
        raise _fail(
            path, "is empty: expected a header row and records", hint="the first line names the columns"
        )
    return TableFile(path, "csv", header, count=count, _text=text, _delimiter=delimiter)


def _csv_cells(text: str, path: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) for each non-blank CSV record."""
    # strict: a quote left open runs to the end of the file and would swallow every later row
    # into one cell; refuse it instead of importing garbage.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    next_line = 1
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise _fail(
                path,
                "a quoted cell starting on this line is never closed",
                line=next_line,
                hint='check for a stray " (a quote inside a cell is written "")',
            ) from None
        raise _fail(
            path,
            f"cannot parse CSV: {error}",
            line=next_line,
            hint=f"check the quoting (delimiter is {delimiter!r})",
        ) from None


def _csv_rows(text: str, path: str, delimiter: str, header: list[str]) -> Iterator[Row]:
    cells_iter = _csv_cells(text, path, delimiter)
    next(cells_iter)  # the header
    for index, (start, cells) in enumerate(cells_iter, start=1):
        if len(cells) > len(header):
            if any(cell.strip() for cell in cells[len(header) :]):
                raise _fail(
                    path,
                    f"the row has {len(cells)} cells but the header has {len(header)}",
                    line=start,
                    hint=f"check the quoting (delimiter is {delimiter!r})",
                )
            cells = cells[: len(header)]
        # csmctl's own exports neutralise formula cells ('=x); read them back as written (=x).
        yield Row(
            start,
            index,
            {name: csv_restore(cells[i]) if i < len(cells) else "" for i, name in enumerate(header)},
        )


def _check_header(header: list[str], path: str, line: int) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            raise _fail(path, f"column {position} of the header has no name", line=line)
        key = name.casefold()
        if key in seen:
            raise _fail(
                path, f"the column {name!r} appears twice (columns {seen[key]} and {position})", line=line
            )
        seen[key] = position
