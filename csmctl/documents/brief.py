"""The account brief: one page of QBR / renewal prep rendered from templates/reports/brief.*.j2."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMATS = ("md", "html")
TEMPLATES = {"md": "reports/brief.md.j2", "html": "reports/brief.html.j2"}


def days_phrase(days: int | None) -> str:
    """``{{ n | days_phrase }}``: "today", "in 9 days", "3 days ago"."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def md_cell(value: Any) -> str:
    """A value safe inside a Markdown table cell: one line, data escaped (``output.md_escape``)."""
    from csmctl.documents.filters import MarkdownText
    from csmctl.output import md_escape

    text = "" if value is None else str(value)
    return MarkdownText(md_escape(" ".join(text.split())))


FILTERS = {"days_phrase": days_phrase, "md_cell": md_cell}


def format_for(path: Path | str | None, given: str | None) -> str:
    """--format wins; else the -o file's suffix (.html/.htm); else Markdown."""
    if given:
        return given
    if path is not None and str(path).lower().endswith((".html", ".htm")):
        return "html"
    return "md"


def render_brief(context: Mapping[str, Any], fmt: str, dirs: list[Path]) -> str:
    from csmctl.documents.engine import render

    return render(TEMPLATES[fmt], context, dirs=dirs, filters=FILTERS)
