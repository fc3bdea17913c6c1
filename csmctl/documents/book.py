"""The book page (`csmctl book -f html|md -o FILE`): the per-CSM table plus charts, rendered from
templates/reports/book.*.j2 through the document engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from csmctl.documents.charts import stacked_bars
from csmctl.domain.dates import add_months
from csmctl.domain.forecast import CATEGORIES, Line
from csmctl.domain.money import Money

FORMATS = ("md", "html")
TEMPLATES = {"md": "reports/book.md.j2", "html": "reports/book.html.j2"}
CHART_MONTHS = 12


def renewal_months(lines: Iterable[Line], today: date, months: int = CHART_MONTHS) -> dict[str, list]:
    """Per currency: the next ``months`` months, each {category: expected amount} of renewals."""
    labels = [add_months(today.replace(day=1), i).strftime("%Y-%m") for i in range(months)]
    out: dict[str, dict[str, dict[str, int]]] = {}
    for item in lines:
        key = item.renewal_date.strftime("%Y-%m")
        if key not in labels:
            continue
        table = out.setdefault(item.currency, {label: {} for label in labels})
        table[key][item.category] = table[key].get(item.category, 0) + item.expected
    return {currency: list(table.items()) for currency, table in sorted(out.items())}


def book_context(
    records: Sequence[Mapping[str, Any]], lines: Iterable[Line], today: date, *, owner: str | None
) -> dict[str, Any]:
    charts = []
    for currency, months in renewal_months(lines, today).items():
        show = lambda v, c=currency: Money(int(v), c).short()  # noqa: E731
        charts.append(
            {
                "title": f"ARR up for renewal by month, {currency}, by forecast category",
                "summary": "; ".join(f"{m}: {show(sum(v.values()))}" for m, v in months if v)
                or "no renewals in the next 12 months",
                "chart": stacked_bars(months, CATEGORIES, show=show),
                "headers": ["Month", *CATEGORIES],
                "rows": [[m, *[show(v[c]) if v.get(c) else "" for c in CATEGORIES]] for m, v in months if v],
            }
        )
    people = [(r["owner"], r) for r in records]
    coverage = [(o, {"touched": r["touched"], "untouched": r["untouched"]}) for o, r in people]
    bands = [(o, {"red": r["red"], "yellow": r["yellow"], "green": r["green"]}) for o, r in people]
    charts.append(
        {
            "title": "Coverage: accounts touched within their cadence vs untouched",
            "summary": "; ".join(
                f"{o}: {v['touched']} touched, {v['untouched']} untouched" for o, v in coverage
            ),
            "chart": stacked_bars(coverage, ("touched", "untouched")),
            "headers": ["Owner", "touched", "untouched"],
            "rows": [[o, v["touched"], v["untouched"]] for o, v in coverage],
        }
    )
    charts.append(
        {
            "title": "Health bands",
            "summary": "; ".join(
                f"{o}: {v['red']} red, {v['yellow']} yellow, {v['green']} green" for o, v in bands
            ),
            "chart": stacked_bars(bands, ("red", "yellow", "green")),
            "headers": ["Owner", "red", "yellow", "green"],
            "rows": [[o, v["red"], v["yellow"], v["green"]] for o, v in bands],
        }
    )
    return {
        "title": "Book of business",
        "today": today,
        "owner": owner,
        "books": list(records),
        "charts": charts,
    }


def render_book(context: Mapping[str, Any], fmt: str, dirs: list[Path]) -> str:
    from csmctl.documents.brief import FILTERS
    from csmctl.documents.engine import render

    return render(TEMPLATES[fmt], context, dirs=dirs, filters=FILTERS)
