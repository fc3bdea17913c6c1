"""Jinja filters every template can use: money, dates, and plain-text helpers."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from csmctl.domain.money import Money, show_money
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


# Rows a chunk of the md_*_rows filters: documents.engine.render_to joins 128 pieces a write, so a
# chunk of 16 rows keeps a write near 200 kB (128-row chunks made it ~2 MB, and peak memory
# grew with a bucket's size).
_ROWS_A_CHUNK = 16


def md_renewal_rows(rows: Iterable[Mapping[str, Any]], show_health: bool, show_risks: bool) -> Iterator[str]:
    """``{% for chunk in b.renewals | md_renewal_rows(show_health, show_risks) %}{{ chunk }}{% endfor %}``:
    the Markdown report's renewal table rows (a bucket of a 100k-account book holds thousands),
    each value escaped as ``markdown_finalize`` escapes a ``{{ value }}``, the flag column as the
    report lists it (``**overdue**``, ``**notice passed**``, ``notice soon``, ``at risk``), in
    chunks of ``_ROWS_A_CHUNK`` rows: Jinja's per-cell work (an item lookup, a filter and a
    finalize per value, a dozen values a row) was most of the report's rendering."""
    cell, repeated = _md_cell, _markdown_text

    def line(r: Mapping[str, Any]) -> str:
        status, notice, owner = r["status"], r["notice"], r["owner"] or ""
        if status != "upcoming":
            flag = f"**{cell(status)}**"
        elif notice == "passed":
            flag = "**notice passed**"
        elif notice == "soon":
            flag = "notice soon"
        else:
            flag = ""
        if r["at_risk"]:
            flag += " at risk" if status != "upcoming" or notice else "at risk"
        extra = ""
        if show_health:
            extra += f" {cell(r['health_band'] or '')} |"
        if show_risks:
            extra += f" {cell(r['open_risks'] or '')} |"
        return (
            f"| {_md_name(r['name'])} | {repeated(owner) if type(owner) is str else cell(owner)} |{extra}"
            f" {repeated(money(r['arr'], 'short'))} | {repeated(isodate(r['renewal_date']))}"
            f" | {cell(r['days_to_renewal'])} | {'yes' if r['auto_renew'] else 'no'}"
            f" | {repeated(isodate(r['notice_deadline']))} | {flag} |\n"
        )

    return _md_chunks(map(line, rows))


def md_notice_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The Markdown report's notice deadlines, a list item each, like ``md_renewal_rows``."""
    repeated = _markdown_text

    def line(r: Mapping[str, Any]) -> str:
        when = "passed" if r["notice"] == "passed" else repeated(f"in {plural(r['days_to_notice'], 'day')}")
        return (
            f"- {repeated(isodate(r['notice_deadline']))} — {_md_name(r['name'])} ({when};"
            f" renews {repeated(isodate(r['renewal_date']))}, {repeated(money(r['arr'], 'short'))})\n"
        )

    return _md_chunks(map(line, rows))


def md_unconfirmed_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The Markdown report's auto-renewed? list (each with the command that confirms it), like
    ``md_renewal_rows``."""
    repeated = _markdown_text

    def line(r: Mapping[str, Any]) -> str:
        day = repeated(isodate(r["renewal_date"]))
        return (
            f"- {_md_name(r['name'])}: renewal date {day}, {repeated(money(r['arr'], 'short'))} — confirm"
            f" with `csmctl renewal record {_md_cell(r['id'])} --outcome renewed --date {day}`\n"
        )

    return _md_chunks(map(line, rows))


def _md_chunks(lines: Iterable[str]) -> Iterator[str]:
    """``_ROWS_A_CHUNK`` lines at a time, as Markdown already escaped."""
    batch: list[str] = []
    for text in lines:
        batch.append(text)
        if len(batch) == _ROWS_A_CHUNK:
            yield MarkdownText("".join(batch))
            batch = []
    if batch:
        yield MarkdownText("".join(batch))


def _md_name(name: Any) -> str:
    """An account's name as ``{{ name }}`` writes it, without the cache: a name is seen once or
    twice in a report (owners, amounts and dates repeat and go through it)."""
    return md_escape(name) if type(name) is str else _md_cell(name)


def html_renewal_rows(
    rows: Iterable[Mapping[str, Any]], td: str, tdr: str, muted: str, show_health: bool, show_risks: bool
) -> Iterator[Any]:
    """``{% for chunk in b.renewals | html_renewal_rows(td, tdr, muted, show_health, show_risks) %}``:
    the html report's renewal table rows, like ``md_renewal_rows`` but a row a piece: every value
    escaped, the cell styles (``td``, ``tdr``, ``muted``: the template's) as they are."""
    from markupsafe import Markup, escape

    repeated = _html_repeated  # names are seen once: escaped as they come
    day_style = f"{td}white-space:nowrap;"
    passed_style = f"{day_style}color:#a40e26;font-weight:bold;"
    soon_style = f"{day_style}color:#9a6700;font-weight:bold;"
    for r in rows:
        notice, status, tier, auto = r["notice"], r["status"], r["tier"], r["auto_renew"]
        if tier:
            sub = f'<br><span style="{muted}">{repeated(tier)}{" · auto-renews" if auto else ""}</span>'
        elif auto:
            sub = f'<br><span style="{muted}">auto-renews</span>'
        else:
            sub = ""
        extra = ""
        if show_health:
            extra += f'<td style="{td}">{repeated(r["health_band"] or "")}</td>'
        if show_risks:
            extra += f'<td style="{tdr}">{repeated(r["open_risks"] or "")}</td>'
        if notice == "passed":
            notice_cell = (
                f'<td style="{passed_style}">{repeated(isodate(r["notice_deadline"]))} (passed)</td>'
            )
        elif notice == "soon":
            notice_cell = (
                f'<td style="{soon_style}">{repeated(isodate(r["notice_deadline"]))}'
                f" ({repeated(plural(r['days_to_notice'], 'day'))})</td>"
            )
        else:
            notice_cell = f'<td style="{day_style}">{repeated(isodate(r["notice_deadline"]))}</td>'
        if status == "overdue":
            flag = '<span style="color:#a40e26;font-weight:bold;">overdue</span>'
        elif status == "auto-renewed?":
            flag = '<span style="color:#9a6700;font-weight:bold;">auto-renewed?</span>'
        else:
            flag = ""
        if r["at_risk"]:
            flag += (
                '<br><span style="color:#a40e26;">at risk</span>'
                if status != "upcoming"
                else ('<span style="color:#a40e26;">at risk</span>')
            )
        yield Markup(  # a row a piece: a row is ~900 characters, a chunk's worth in itself
            f'<tr>\n<td style="{td}"><strong>{escape(r["name"])}</strong>{sub}</td>\n'
            f'<td style="{td}">{repeated(r["owner"] or "")}</td>\n'
            f'{extra}<td style="{tdr}">{repeated(money(r["arr"], "short"))}</td>\n'
            f'<td style="{day_style}">{repeated(isodate(r["renewal_date"]))}</td>\n'
            f'<td style="{tdr}">{repeated(r["days_to_renewal"])}</td>\n'
            f'{notice_cell}\n<td style="{td}">{flag}</td>\n</tr>\n'
        )


@functools.lru_cache(maxsize=4096, typed=True)
def _html_repeated(value: Any) -> Any:
    """``markupsafe.escape``, memoised for the values a report repeats (owners, tiers, amounts,
    dates, day counts): a hit skips its Python-level call and Markup construction."""
    from markupsafe import escape

    return escape(value)


def _md_cell(value: Any) -> str:
    """What ``{{ value }}`` writes in a Markdown template."""
    return str(markdown_finalize(value))


FILTERS = {
    "md_renewal_rows": md_renewal_rows,
    "md_notice_rows": md_notice_rows,
    "md_unconfirmed_rows": md_unconfirmed_rows,
    "html_renewal_rows": html_renewal_rows,
    "money": money,
    "isodate": isodate,
    "plural": plural,
    "csv_cell": csv_cell,
    "json": to_json,
    "json_chunks": json_chunks,
    "underline": underline,
    "wrap": wrap,
}
