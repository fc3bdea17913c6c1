"""Jinja filters every template can use: money, dates, and plain-text helpers."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from csmctl.domain.money import Money, show_amount, show_money
from csmctl.output import md_escape


class MarkdownText(str):
    """Text that is already Markdown: the finalize of a .md template prints it as it is."""


@functools.lru_cache(maxsize=4096)
def _markdown_text(value: str) -> MarkdownText:
    """``md_escape`` as MarkdownText, memoised: a report repeats most of its values (owners,
    dates, amounts, yes/no), and a cache hit costs a fraction of the translate. Small: the values
    that repeat stay recent, and a bigger cache filled up with names seen once (a 300k-account
    report's 65536 of them held ~20 MB, its peak memory no longer flat in the book's size)."""
    return MarkdownText(md_escape(value))


def markdown_finalize(value: Any) -> Any:
    """``finalize`` of Markdown templates: every ``{{ value }}`` is data, escaped like HTML is
    escaped in .html templates (no raw HTML, links or images; a ``|`` cannot add a column)."""
    kind = type(value)
    if kind is str:  # the common case first: ~400k values in a 100k-account report
        return _markdown_text(value)
    if value is None or kind is int or kind is MarkdownText:  # days, counts; already escaped
        return value
    if isinstance(value, MarkdownText | int | float):
        return value
    return MarkdownText(md_escape(str(value)))


def money(value: Any, style: str = "full") -> str:
    """``{{ account.arr | money }}`` -> ``USD 120,000.00``; ``money('short')`` -> ``USD 120k``;
    ``money('plain')`` -> ``120000.00`` (for CSV);
    also takes the JSON shape ``{"amount_minor": ..., "currency": ...}``. None is an unknown
    amount: ``unknown`` (``plain``: empty)."""
    if type(value) is Money:  # the common case first: ~60k amounts in a 100k-account report
        return show_amount(value.amount_minor, value.currency, style)
    if isinstance(value, dict):
        value = Money(int(value["amount_minor"]), value["currency"])
    if value is not None and not isinstance(value, Money):
        return str(value)
    return show_money(value, style)


def isodate(value: Any) -> str:
    if type(value) is date:  # the common case first: ~120k dates in a 100k-account report
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``{{ n | plural('account') }}`` -> ``1 account`` / ``3 accounts``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def csv_cell(value: Any) -> str:
    """Quote a value for a CSV template; a cell a spreadsheet would run as a formula (``=...``)
    is neutralised the way every CSV csmctl writes is (``output.csv_safe``)."""
    from csmctl.output import csv_safe

    text = csv_safe("" if value is None else str(value))
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide and full-width characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def underline(text: str, char: str = "-") -> str:
    """``{{ title | underline("=") }}``: a rule as wide as ``text`` shows (also for Japanese)."""
    return char * display_width(text)


_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_NO_LINE_START = set("、。，．,.)）」』】!?！？ー")


def wrap(text: str, width: int = 78, wrapstring: str = "\n") -> str:
    """Wrap to ``width`` *columns*: Latin text breaks at spaces, Japanese between characters
    (never before 、。」 and the like). ``wrapstring`` joins the lines (e.g. to indent them)."""
    import re

    token = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+")
    out: list[str] = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0
        for piece in token.findall(paragraph):
            size = display_width(piece)
            if piece.isspace():
                if line:
                    line, used = line + " ", used + 1
                continue
            if used + size > width and line.strip() and piece[0] not in _NO_LINE_START:
                out.append(line.rstrip())
                line, used = "", 0
            line, used = line + piece, used + size
        out.append(line.rstrip())
    return wrapstring.join(out)


def to_json(value: Any) -> str:
    """``{{ report | json }}``: csmctl's stable JSON (ISO dates, money as amount_minor + currency)."""
    from csmctl.output import dumps_json

    return dumps_json(value)


def json_chunks(value: Any) -> Iterator[str]:
    """``{% for chunk in report | json_chunks %}{{ chunk }}{% endfor %}``: the same text as
    ``json``, in pieces, so a 100k-account report is written out as it is encoded, never one string."""
    from csmctl.output import iter_json

    return iter_json(value)


FILTERS = {
    "money": money,
    "isodate": isodate,
    "plural": plural,
    "csv_cell": csv_cell,
    "json": to_json,
    "json_chunks": json_chunks,
    "underline": underline,
    "wrap": wrap,
}
