"""Reading a CSV or JSON file of records, with the location of every row.

CSV: UTF-8 with or without a BOM (UTF-16 with a BOM too; ``encoding`` for anything else), the
delimiter sniffed among , ; tab |, blank lines skipped, each row keeps the line it starts on.
JSON: a list of objects, or an object holding one list (``{"accounts": [...]}``).
JSON Lines (``.jsonl``/``.ndjson``, or text whose first two lines are each an object): one object a
line, blank lines skipped, each row keeps its line.
CSV and JSON Lines stream: the file is decoded and parsed as the rows are walked, in one pass
(JSON Lines takes a first pass for its columns), so memory stays flat in the file's size.
Excel's "Unicode Text"/"CSV UTF-16" (UTF-16 with a BOM, ``;`` or tab delimited, CRLF) and UTF-8
with a BOM go through the CSV path unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

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
    """A file's columns and a way to walk its rows, once. CSV and JSON Lines are read as they are
    walked, straight from the file: a 100k-row import never holds the file's text or its rows.
    ``count`` is known up front for JSON and JSON Lines; for CSV it is None and the runner counts."""

    path: str
    kind: str  # "csv", "json" or "jsonl"
    columns: list[str]
    count: int | None = None
    size: int = 0  # bytes in the file
    _records: list[Row] | None = None
    _rows: Iterator[Row] | None = None
    _file: BinaryIO | None = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def iter_rows(self) -> Iterator[Row]:
        if self._records is not None:
            yield from self._records
        elif self._rows is not None:
            rows, self._rows = self._rows, None
            yield from rows

    @property
    def rows(self) -> list[Row]:
        return list(self.iter_rows())

    def progress_total(self) -> int | None:
        """The total for a progress bar: the count when known, else None (unknown) for a file
        big enough to be worth a bar, 0 for a small one (no bar)."""
        if self.count is not None:
            return self.count
        return None if self.size > _SMALL else 0


_SMALL = 256 * 1024  # bytes: about the 2000 rows below which no progress bar is drawn
_SAMPLE = 20_000  # characters read to tell the format and sniff the delimiter


def _fail(path: str, message: str, *, line: int | None = None, hint: str | None = None) -> InvalidInput:
    return InvalidInput(Problem(message, path=path, line=line, hint=hint))


def _open(path: Path | str, label: str) -> BinaryIO:
    """The file, or stdin copied into a spooled temporary file (seekable, flat in memory)."""
    try:
        if label == "-":
            spool = tempfile.SpooledTemporaryFile(max_size=1 << 23)  # noqa: SIM115 - closed with the rows
            shutil.copyfileobj(sys.stdin.buffer, spool, 1 << 16)
            spool.seek(0)
            return spool  # type: ignore[return-value]
        return Path(path).open("rb")
    except FileNotFoundError:
        raise _fail(label, "no such file") from None
    except IsADirectoryError:
        raise _fail(label, "is a directory, not a file") from None
    except OSError as error:
        raise _fail(label, f"cannot read: {error.strerror}") from None


@dataclass
class _Source:
    """An open file of records and how its bytes decode."""

    binary: BinaryIO
    path: str
    encoding: str
    given: bool  # the encoding came from --encoding

    def text(self, newline: str | None) -> io.TextIOWrapper:
        self.binary.seek(0)
        return io.TextIOWrapper(self.binary, encoding=self.encoding, newline=newline)

    def bad_text(self) -> InvalidInput:
        """The decoding error, located as a whole-file decode locates it (on the error path only)."""
        self.binary.seek(0)
        data = self.binary.read()
        try:
            data.decode(self.encoding)
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            byte = f"byte 0x{data[error.start]:02x}" if error.start < len(data) else "cut short"
            if self.given or self.encoding == "utf-16":
                return _fail(self.path, f"not valid {self.encoding} text ({byte})", line=line)
            return _fail(
                self.path,
                f"not UTF-8 text ({byte})",
                line=line,
                hint="save it as UTF-8 (Excel: 'CSV UTF-8'), or pass --encoding cp1252",
            )
        return _fail(self.path, f"not valid {self.encoding} text")  # pragma: no cover

    def lines(self, newline: str | None, *, nul: bool = False, close: bool = True) -> Iterator[str]:
        """The text lines, decoded as they are read; a byte that does not decode (and with
        ``nul``, a NUL) is an error at its line. ``close``: the file is closed at the end."""
        text = self.text(newline)
        number = 1  # the line a NUL is on: the newlines before it, plus one
        try:
            if nul:
                for line in text:
                    if "\x00" in line:
                        raise _fail(
                            self.path, "contains a NUL byte; this is not a text CSV file", line=number
                        )
                    if line[-1:] == "\n":
                        number += 1
                    yield line
            else:
                yield from text
        except UnicodeDecodeError:
            raise self.bad_text() from None
        finally:
            if close:
                text.close()
            elif not self.binary.closed:  # the first of two passes: the file stays open
                text.detach()

    def sample(self) -> tuple[str, str]:
        """The first ``_SAMPLE`` characters, and the first character that is not white space."""
        text = self.text("")
        try:
            sample = text.read(_SAMPLE)
            first = sample.lstrip()[:1]
            while not first:
                more = text.read(1 << 16)
                if not more:
                    break
                first = more.lstrip()[:1]
        except UnicodeDecodeError:
            raise self.bad_text() from None
        finally:
            text.detach()
        return sample, first


def _encoding_of(binary: BinaryIO, label: str, encoding: str | None) -> str:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _fail(
                label, f"unknown encoding {encoding!r}", hint="use e.g. utf-8, cp1252, latin-1"
            ) from None
        return encoding
    head = binary.read(2)
    binary.seek(0)
    return "utf-16" if head in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"


def read_table(path: Path | str, *, encoding: str | None = None) -> TableFile:
    """Open ``path`` ('-' is stdin); the format follows the extension (.json, else CSV), or the
    text itself. Only a JSON document is read whole; CSV and JSON Lines rows are read as walked."""
    label = str(path)
    binary = _open(path, label)
    try:
        size = binary.seek(0, io.SEEK_END)
        binary.seek(0)
        source = _Source(binary, label, _encoding_of(binary, label, encoding), bool(encoding))
        sample, first = source.sample()
        lowered = label.lower()
        if lowered.endswith((".jsonl", ".ndjson")) or (
            not lowered.endswith(".json") and _looks_like_jsonl(sample)
        ):
            table = _read_jsonl(source)
        elif lowered.endswith(".json") or first in ("[", "{"):
            table = _read_json("".join(source.lines("")), label)
        else:
            table = _read_csv(source, sample)
    except BaseException:
        binary.close()
        raise
    table.size, table._file = size, binary
    return table


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
    lines = [line for line in text[:_SAMPLE].splitlines() if line.strip()][:2]
    if len(lines) < 2:
        return False
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except ValueError:
            return False
    return True


def _jsonl_records(lines: Iterable[str], path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(lines, start=1):
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


def _read_jsonl(source: _Source) -> TableFile:
    # A first pass over the file (nothing kept): every line parses, and the columns in order of
    # first appearance, which the column map needs before any row. The second pass yields rows.
    columns: dict[str, None] = {}
    count = 0
    for _, item in _jsonl_records(source.lines(None, close=False), source.path):
        count += 1
        columns.update(dict.fromkeys(str(k) for k in item))
    if not count:
        raise _fail(source.path, "is empty: expected one JSON object a line")
    rows = _jsonl_rows(source.lines(None), source.path)
    return TableFile(source.path, "jsonl", list(columns), count=count, _rows=rows)


def _jsonl_rows(lines: Iterable[str], path: str) -> Iterator[Row]:
    for index, (line, item) in enumerate(_jsonl_records(lines, path), start=1):
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


def _read_csv(source: _Source, sample: str) -> TableFile:
    """One pass: the header now, the rows as they are walked. A CSV-level error further down
    (a quote never closed) surfaces during the import, inside its transaction: nothing is written."""
    delimiter = _sniff(sample)
    csv.field_size_limit(MAX_FIELD)
    path = source.path
    cells = _csv_cells(source.lines("", nul=True), path, delimiter)
    first = next(cells, None)
    if first is None:
        raise _fail(
            path, "is empty: expected a header row and records", hint="the first line names the columns"
        )
    header = [cell.strip() for cell in first[1]]
    _check_header(header, path, first[0])
    return TableFile(path, "csv", header, _rows=_csv_rows(cells, path, delimiter, header))


def _csv_cells(lines: Iterable[str], path: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) for each non-blank CSV record."""
    # strict: a quote left open runs to the end of the file and would swallow every later row
    # into one cell; refuse it instead of importing garbage.
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    next_line = 1
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1
            if any(map(str.strip, cells)):
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


def _csv_rows(
    cells_iter: Iterator[tuple[int, list[str]]], path: str, delimiter: str, header: list[str]
) -> Iterator[Row]:
    width = len(header)
    for index, (start, cells) in enumerate(cells_iter, start=1):
        if len(cells) != width:
            if len(cells) > width:
                if any(cell.strip() for cell in cells[width:]):
                    raise _fail(
                        path,
                        f"the row has {len(cells)} cells but the header has {width}",
                        line=start,
                        hint=f"check the quoting (delimiter is {delimiter!r})",
                    )
                cells = cells[:width]
            else:
                cells = cells + [""] * (width - len(cells))
        values = dict(zip(header, cells, strict=True))
        # csmctl's own exports neutralise formula cells ('=x); read them back as written (=x).
        # One search of the joined row finds whether any cell starts with a quote (a cell holds no
        # NUL: the reader refuses it), so the common row takes no per-cell step.
        if "\x00'" in "\x00" + "\x00".join(cells):
            values = {name: csv_restore(cell) if cell[:1] == "'" else cell for name, cell in values.items()}
        yield Row(start, index, values)


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
