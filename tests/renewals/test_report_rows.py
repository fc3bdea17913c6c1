"""The Markdown report's long lists are written by filters (documents.filters.md_*_rows), not by
Jinja per cell: they write exactly what the template's own rows wrote (these snippets are the
rows of templates/reports/renewals.md.j2 and .html.j2 before the filters), whatever the values."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from csmctl.domain.money import Money

RENEWAL = """{% for r in rows %}
{% filter string %}
| {{ r["name"] }} | {{ r["owner"] or "" }} |{% if show_health %} {{ r["health_band"] or "" }} |{% endif %}{% if show_risks %} {{ r["open_risks"] or "" }} |{% endif %} {{ r["arr"] | money('short') }} | {{ r["renewal_date"] | isodate }} | {{ r["days_to_renewal"] }} | {% if r["auto_renew"] %}yes{% else %}no{% endif %} | {{ r["notice_deadline"] | isodate }} | {% set status, notice = r["status"], r["notice"] %}{% if status != "upcoming" %}**{{ status }}**{% elif notice == "passed" %}**notice passed**{% elif notice == "soon" %}notice soon{% endif %}{% if r["at_risk"] %}{% if status != "upcoming" or notice %} {% endif %}at risk{% endif %} |
{% endfilter %}
{% endfor %}
"""
NOTICE = """{% for r in rows %}
{% filter string %}
- {{ r["notice_deadline"] | isodate }} — {{ r["name"] }} ({% if r["notice"] == "passed" %}passed{% else %}in {{ r["days_to_notice"] | plural('day') }}{% endif %}; renews {{ r["renewal_date"] | isodate }}, {{ r["arr"] | money('short') }})
{% endfilter %}
{% endfor %}
"""
UNCONFIRMED = """{% for r in rows %}
{% filter string %}
- {{ r["name"] }}: renewal date {{ r["renewal_date"] | isodate }}, {{ r["arr"] | money('short') }} — confirm with `csmctl renewal record {{ r["id"] }} --outcome renewed --date {{ r["renewal_date"] | isodate }}`
{% endfilter %}
{% endfor %}
"""
HTML = """{% for r in rows %}
{% filter string %}{% autoescape false %}
{#- every value below is escaped with | e: the style constants are not, once per cell -#}
{% set notice, status = r["notice"], r["status"] %}
<tr>
<td style="{{ td }}"><strong>{{ r["name"] | e }}</strong>{% if r["tier"] %}<br><span style="{{ muted }}">{{ r["tier"] | e }}{% if r["auto_renew"] %} · auto-renews{% endif %}</span>{% elif r["auto_renew"] %}<br><span style="{{ muted }}">auto-renews</span>{% endif %}</td>
<td style="{{ td }}">{{ (r["owner"] or "") | e }}</td>
{% if show_health %}<td style="{{ td }}">{{ (r["health_band"] or "") | e }}</td>{% endif %}{% if show_risks %}<td style="{{ tdr }}">{{ (r["open_risks"] or "") | e }}</td>{% endif %}
<td style="{{ tdr }}">{{ r["arr"] | money('short') | e }}</td>
<td style="{{ td }}white-space:nowrap;">{{ r["renewal_date"] | isodate | e }}</td>
<td style="{{ tdr }}">{{ r["days_to_renewal"] | e }}</td>
<td style="{{ td }}white-space:nowrap;{% if notice == 'passed' %}color:#a40e26;font-weight:bold;{% elif notice == 'soon' %}color:#9a6700;font-weight:bold;{% endif %}">{{ r["notice_deadline"] | isodate | e }}{% if notice == 'passed' %} (passed){% elif notice == 'soon' %} ({{ r["days_to_notice"] | plural('day') | e }}){% endif %}</td>
<td style="{{ td }}">{% if status == 'overdue' %}<span style="color:#a40e26;font-weight:bold;">overdue</span>{% elif status == 'auto-renewed?' %}<span style="color:#9a6700;font-weight:bold;">auto-renewed?</span>{% endif %}{% if r["at_risk"] %}{% if status != 'upcoming' %}<br>{% endif %}<span style="color:#a40e26;">at risk</span>{% endif %}</td>
</tr>
{% endautoescape %}{% endfilter %}
{% endfor %}
"""
NEW = "{% for chunk in rows | FILTER %}{{ chunk }}{% endfor %}\n"

text = st.text(st.sampled_from("ab \\|*_[]<>`~&#\n\r-é日"), max_size=8)
day = st.dates(date(2026, 1, 1), date(2027, 12, 31))
row = st.fixed_dictionaries(
    {
        "id": st.integers(1, 10**6),
        "name": text,
        "owner": st.none() | text,
        "health_band": st.none() | st.sampled_from(["green", "amber", "red"]),
        "open_risks": st.sampled_from([0, 1, 12]),
        "arr": st.none() | st.builds(Money, st.integers(0, 10**10), st.sampled_from(["USD", "JPY", "EUR"])),
        "renewal_date": day,
        "days_to_renewal": st.integers(-400, 400),
        "auto_renew": st.booleans(),
        "notice_deadline": st.none() | day,
        "days_to_notice": st.integers(0, 60),
        "status": st.sampled_from(["upcoming", "overdue", "auto-renewed?"]),
        "notice": st.sampled_from([None, "passed", "soon"]),
        "at_risk": st.booleans(),
        "tier": st.none() | text,
    }
)


def render(source: str, **context) -> str:
    from csmctl.documents.engine import make_environment
    from csmctl.documents.filters import markdown_finalize

    env = make_environment([])
    env.finalize = markdown_finalize  # as documents.engine.generate sets it for a .md template
    return env.from_string(source).render(**context)


def render_html(source: str, **context) -> str:
    from csmctl.documents.engine import make_environment

    env = make_environment([])
    env.autoescape = True  # as for a .html template
    return env.from_string(source).render(**context)


STYLES = {"td": "padding:6px;", "tdr": "padding:6px;text-align:right;", "muted": "color:#57606a;"}


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, max_size=40), show_health=st.booleans(), show_risks=st.booleans())
def test_the_md_row_filters_write_what_the_templates_rows_wrote(rows, show_health, show_risks):
    flags = {"show_health": show_health, "show_risks": show_risks}
    assert render(
        NEW.replace("FILTER", "md_renewal_rows(show_health, show_risks)"), rows=rows, **flags
    ) == render(RENEWAL, rows=rows, **flags)
    assert render(NEW.replace("FILTER", "md_notice_rows"), rows=rows) == render(NOTICE, rows=rows)
    assert render(NEW.replace("FILTER", "md_unconfirmed_rows"), rows=rows) == render(UNCONFIRMED, rows=rows)
    html = NEW.replace("FILTER", "html_renewal_rows(td, tdr, muted, show_health, show_risks)")
    assert render_html(html, rows=rows, **flags, **STYLES) == render_html(HTML, rows=rows, **flags, **STYLES)


def test_a_row_filter_reads_a_spilled_list():
    from csmctl.spool import Spool

    rows = [
        {
            "name": f"A{i}",
            "notice_deadline": date(2026, 1, 1) + timedelta(days=i),
            "notice": "passed",
            "days_to_notice": 0,
            "renewal_date": date(2026, 2, 1),
            "arr": None,
        }
        for i in range(300)
    ]
    with Spool(limit=10, batch=7) as spool:
        spool.extend(rows)
        assert render(NEW.replace("FILTER", "md_notice_rows"), rows=spool) == render(NOTICE, rows=rows)
