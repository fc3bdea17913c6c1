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


def charts(context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The brief's pictures: health over the last months and the touchpoint rhythm, each with its
    numbers as text (SVG title/desc and a caption)."""
    from csmctl.documents.charts import stacked_bars

    out = []
    history = context.get("health_history") or []
    if history:
        bars = [(h["date"].strftime("%m-%d"), {h["band"] or "unscored": h["score"]}) for h in history]
        out.append(
            {
                "title": "Health score history",
                "summary": ", ".join(f"{h['date'].isoformat()} {h['score']} ({h['band']})" for h in history),
                "chart": stacked_bars(bars, ("red", "yellow", "green", "unscored"), width=560, height=160),
            }
        )
    months = context.get("rhythm") or []
    if any(n for _, n in months):
        out.append(
            {
                "title": "Touchpoints per month",
                "summary": ", ".join(f"{m} {n}" for m, n in months),
                "chart": stacked_bars(
                    [(m[2:], {"touchpoints": n}) for m, n in months], ("touchpoints",), width=560, height=140
                ),
            }
        )
    return out


def render_brief(context: Mapping[str, Any], fmt: str, dirs: list[Path]) -> str:
    from csmctl.documents.engine import render

    return render(TEMPLATES[fmt], {**context, "charts": charts(context)}, dirs=dirs, filters=FILTERS)
