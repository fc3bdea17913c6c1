"""Chart geometry for the HTML documents: stacked bars as plain data, drawn as inline SVG by the
macros in templates/reports/charts.html.j2 (no JavaScript, no network: they print and survive
email). Every bar and segment carries its number as text, so the picture has a text alternative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Colours chosen to read apart in print and for the common colour-vision deficiencies.
COLOURS = {
    "commit": "#1a7f37",
    "probable": "#0969da",
    "upside": "#8fc1ff",
    "at-risk": "#d4a72c",
    "lost": "#cf222e",
    "touched": "#1a7f37",
    "untouched": "#afb8c1",
    "green": "#1a7f37",
    "yellow": "#d4a72c",
    "red": "#cf222e",
    "unscored": "#afb8c1",
    "touchpoints": "#0969da",
    "renewing": "#0969da",
}


def stacked_bars(
    bars: Sequence[tuple[str, Mapping[str, float]]],
    segments: Sequence[str],
    *,
    show=str,
    width: int = 640,
    height: int = 200,
) -> dict[str, Any]:
    """Geometry of a stacked bar chart: one bar per ``(label, {segment: value})``, segments in
    ``segments`` order bottom-up; ``show`` formats a value for the labels and <title> text."""
    top = max((sum(v.get(s, 0) for s in segments) for _, v in bars), default=0) or 1
    plot_h, left, bottom = height - 40, 10, 30
    slot = (width - left) / max(len(bars), 1)
    bar_w = max(4.0, min(48.0, slot * 0.7))
    out = []
    for index, (label, values) in enumerate(bars):
        x = left + index * slot + (slot - bar_w) / 2
        y = float(height - bottom)
        parts = []
        for segment in segments:
            value = values.get(segment, 0)
            if not value:
                continue
            h = value / top * plot_h
            y -= h
            parts.append(
                {
                    "name": segment,
                    "colour": COLOURS.get(segment, "#6e7781"),
                    "y": round(y, 1),
                    "h": round(h, 1),
                    "text": f"{label}, {segment}: {show(value)}",
                }
            )
        total = sum(values.get(s, 0) for s in segments)
        out.append(
            {
                "label": label,
                "x": round(x, 1),
                "w": round(bar_w, 1),
                "cx": round(x + bar_w / 2, 1),
                "top": round(y, 1),
                "total": show(total) if total else "",
                "segments": parts,
            }
        )
    legend = [{"name": s, "colour": COLOURS.get(s, "#6e7781")} for s in segments]
    return {"width": width, "height": height, "baseline": height - bottom, "bars": out, "legend": legend}


def renewal_month_charts(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The renewal report's picture: ARR up for renewal by month, one chart per currency, split
    into at-risk and the rest (from the report context's buckets)."""
    from csmctl.domain.money import Money

    months: dict[str, dict[str, dict[str, int]]] = {}
    month_of: dict[Any, str] = {}  # renewal date -> "YYYY-MM": a window has a few hundred dates
    for bucket in report["buckets"]:
        for row in bucket["renewals"]:
            money = row["arr"]
            if money is None:  # unknown ARR: not drawn (the report's note counts it)
                continue
            table = months.setdefault(money.currency, {})
            day = row["renewal_date"]
            month = month_of.get(day)
            if month is None:
                month = month_of[day] = day.strftime("%Y-%m")
            cell = table.setdefault(month, {})
            key = "at-risk" if row["at_risk"] else "renewing"
            cell[key] = cell.get(key, 0) + money.amount_minor
    out = []
    for currency, table in sorted(months.items()):
        bars = sorted(table.items())
        show = lambda v, c=currency: Money(int(v), c).short()  # noqa: E731
        out.append(
            {
                "title": f"ARR up for renewal by month, {currency}",
                "summary": "; ".join(f"{m}: {show(sum(v.values()))}" for m, v in bars),
                "chart": stacked_bars(bars, ("renewing", "at-risk"), show=show, width=600, height=160),
            }
        )
    return out
