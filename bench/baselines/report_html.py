"""Baseline for `csmctl report renewals -f html -o FILE`: the same bytes from sqlite3 alone. The
md baseline's three queries and context, written as the built-in HTML report (inline styles, one
stacked-bar SVG chart per currency of the ARR up for renewal by month), values HTML-escaped as
Jinja's autoescape does.

    python bench/baselines/report_html.py BOOK.db OUT.html [--as-of 2026-11-23]
"""

from datetime import timedelta

from common import BUCKETS, args, full, metric_records, report_inputs, short, totals

ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&#34;", ord("'"): "&#39;"}
FONT = "font-family:-apple-system,&#39;Segoe UI&#39;,Roboto,Helvetica,Arial,sans-serif;"
TH = (
    "text-align:left;padding:6px 8px;border-bottom:2px solid #d0d7de;font-size:12px;color:#57606a;"
    "text-transform:uppercase;letter-spacing:.03em;"
)
THR = TH + "text-align:right;"
TD = "padding:6px 8px;border-bottom:1px solid #eaeef2;font-size:14px;vertical-align:top;"
TDR = TD + "text-align:right;white-space:nowrap;"
H2 = "font-size:17px;margin:28px 0 8px 0;color:#1f2328;"
MUTED = "color:#57606a;font-size:13px;"
COLOURS = {"renewing": "#0969da", "at-risk": "#d4a72c"}


def e(value) -> str:
    return "" if value is None else str(value).translate(ESC)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def arr(r: dict) -> str:
    return "unknown" if r["arr"] is None else short(r["arr"]["amount_minor"], r["currency"])


def chart(currency: str, table: dict[str, dict[str, int]]) -> str:
    """csmctl.documents.charts.stacked_bars (600 x 160) drawn as templates/reports/charts.html.j2."""
    bars = sorted(table.items())
    width, height, segments = 600, 160, ("renewing", "at-risk")
    top = max((sum(v.get(s, 0) for s in segments) for _, v in bars), default=0) or 1
    plot_h, left, bottom = height - 40, 10, 30
    slot = (width - left) / max(len(bars), 1)
    bar_w = max(4.0, min(48.0, slot * 0.7))
    title = f"ARR up for renewal by month, {currency}"
    summary = "; ".join(f"{m}: {short(sum(v.values()), currency)}" for m, v in bars)
    out = [
        f'<figure class="chart">\n<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
        f"<title>{e(title)}</title>\n<desc>{e(summary)}</desc>\n"
        f'<line x1="0" x2="{width}" y1="{height - bottom}" y2="{height - bottom}" stroke="#d0d7de"/>\n'
    ]
    for index, (label, values) in enumerate(bars):
        x = left + index * slot + (slot - bar_w) / 2
        y = float(height - bottom)
        bx, bw = round(x, 1), round(bar_w, 1)
        out.append("<g>\n")
        for segment in segments:
            value = values.get(segment, 0)
            if not value:
                continue
            h = value / top * plot_h
            y -= h
            out.append(
                f'<rect x="{bx}" y="{round(y, 1)}" width="{bw}" height="{round(h, 1)}" fill="{COLOURS[segment]}">'
                f"<title>{e(f'{label}, {segment}: {short(value, currency)}')}</title></rect>\n"
            )
        cx = round(x + bar_w / 2, 1)
        out.append(
            f'<text x="{cx}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" fill="#1f2328">'
            f"{e(label)}</text>\n"
        )
        total = sum(values.get(s, 0) for s in segments)
        if total:
            out.append(
                f'<text x="{cx}" y="{round(y, 1) - 3}" font-size="9" text-anchor="middle" fill="#656d76">'
                f"{e(short(total, currency))}</text>"
            )
        out.append("</g>\n")
    out.append(f"</svg>\n<figcaption>{e(title)}.\n")
    for s in segments:
        out.append(
            '<span class="key"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10"'
            f' fill="{COLOURS[s]}"/></svg> {s}</span> '
        )
    out.append("</figcaption>\n</figure>\n")
    return "".join(out)


def main() -> None:
    book, today, rest = args()
    start, rows, ledger, pending = report_inputs(book, today)
    w: list[str] = []
    add = w.append
    overdue = sum(1 for r in rows if r["status"] != "upcoming")
    unconfirmed = [r for r in rows if r["status"] == "auto-renewed?"]
    notice = sum(1 for r in rows if r["notice_flag"])
    at_risk = sum(1 for r in rows if r["at_risk"])
    add(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="color-scheme" content="light">\n<title>Renewal report {today}</title>\n</head>\n'
        '<body style="margin:0;padding:0;background:#f6f8fa;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background:#f6f8fa;">\n<tr><td align="center" style="padding:24px 12px;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:820px;'
        f'background:#ffffff;border:1px solid #d0d7de;border-radius:6px;{FONT}color:#1f2328;">\n'
        '<tr><td style="padding:24px 28px;">\n\n<h1 style="font-size:22px;margin:0 0 4px 0;">Renewal report</h1>\n'
        f'<p style="margin:0 0 16px 0;{MUTED}">As of {today} · next 120 days and overdue · notice flagged when '
        "passed or within 14 days</p>\n\n\n"
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        'style="margin:0 0 8px 0;">\n<tr>\n'
    )
    tiles = [
        ("Renewals", len(rows), "#1f2328"),
        ("Overdue", overdue, "#a40e26" if overdue else "#1f2328"),
        ("Of them auto-renewed?", len(unconfirmed), "#9a6700" if unconfirmed else "#1f2328"),
        ("Notice flags", notice, "#9a6700" if notice else "#1f2328"),
        ("At risk", at_risk, "#a40e26" if at_risk else "#1f2328"),
    ]
    for i, (label, value, colour) in enumerate(tiles):
        add(
            '<td style="padding:10px 12px;border:1px solid #d0d7de;border-radius:6px;text-align:center;width:20%;">'
            f'<div style="font-size:22px;font-weight:bold;color:{colour};">{value}</div>'
            f'<div style="{MUTED}">{label}</div></td>\n'
        )
        if i < len(tiles) - 1:
            add('<td style="width:8px;"></td>')
    add("</tr>\n</table>\n")
    sums, unknown = totals(rows)
    if sums:
        add(
            f'<p style="margin:4px 0 0 0;{MUTED}">ARR up for renewal: '
            + " · ".join(f'<strong style="color:#1f2328;">{full(v, c)}</strong>' for c, v in sums.items())
            + "</p>\n"
        )
    if unknown:
        add(
            f'<p style="margin:4px 0 0 0;{MUTED}">{plural(unknown, "account")} with unknown ARR left out.</p>\n'
        )
    add("\n")
    months: dict[str, dict[str, dict[str, int]]] = {}
    for r in rows:
        if r["arr"] is None:
            continue
        cell = months.setdefault(r["currency"], {}).setdefault(r["renewal_date"][:7], {})
        key = "at-risk" if r["at_risk"] else "renewing"
        cell[key] = cell.get(key, 0) + r["arr"]["amount_minor"]
    for currency, table in sorted(months.items()):
        add(chart(currency, table))
    add("\n")
    by_key: dict[str, list[dict]] = {key: [] for key, _, _, _ in BUCKETS}
    for r in rows:
        by_key[r["bucket"]].append(r)
    for key, label, _, _ in BUCKETS:
        bucket = by_key[key]
        red = "color:#a40e26;" if key == "overdue" and bucket else ""
        money = totals(bucket)[0]
        money_text = (" · " + ", ".join(full(v, c) for c, v in money.items())) if money else ""
        add(
            f'<h2 style="{H2}{red}">{label} <span style="{MUTED}font-weight:normal;">'
            f"{plural(len(bucket), 'renewal')}{money_text}</span></h2>\n"
        )
        if not bucket:
            add(f'<p style="margin:0;{MUTED}">Nothing in this window.</p>\n')
            continue
        add(
            '<table cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;">\n'
            f'<tr><th style="{TH}">Account</th><th style="{TH}">Owner</th><th style="{THR}">ARR</th>'
            f'<th style="{TH}">Renewal</th><th style="{THR}">Days</th><th style="{TH}">Notice by</th>'
            f'<th style="{TH}">Status</th></tr>\n'
        )
        for r in bucket:
            auto = r["auto_renew"]
            if r["tier"]:
                sub = f'<br><span style="{MUTED}">{e(r["tier"])}{" · auto-renews" if auto else ""}</span>'
            else:
                sub = f'<br><span style="{MUTED}">auto-renews</span>' if auto else ""
            flag = r["notice"]
            if flag == "passed":
                colour, after = "color:#a40e26;font-weight:bold;", " (passed)"
            elif flag == "soon":
                colour, after = "color:#9a6700;font-weight:bold;", f" ({plural(r['days_to_notice'], 'day')})"
            else:
                colour = after = ""
            status = r["status"]
            if status == "overdue":
                shown = '<span style="color:#a40e26;font-weight:bold;">overdue</span>'
            elif status == "auto-renewed?":
                shown = '<span style="color:#9a6700;font-weight:bold;">auto-renewed?</span>'
            else:
                shown = ""
            if r["at_risk"]:
                shown += (
                    "<br>" if status != "upcoming" else ""
                ) + '<span style="color:#a40e26;">at risk</span>'
            add(
                f'<tr>\n<td style="{TD}"><strong>{e(r["name"])}</strong>{sub}</td>\n'
                f'<td style="{TD}">{e(r["owner"] or "")}</td>\n'
                f'<td style="{TDR}">{arr(r)}</td>\n'
                f'<td style="{TD}white-space:nowrap;">{r["renewal_date"]}</td>\n'
                f'<td style="{TDR}">{r["days_to_renewal"]}</td>\n'
                f'<td style="{TD}white-space:nowrap;{colour}">{r["notice_deadline"] or ""}{after}</td>\n'
                f'<td style="{TD}">{shown}</td>\n</tr>\n'
            )
        add("</table>\n")
    add("\n")
    if unconfirmed:
        add(
            f'<h2 style="{H2}">Auto-renewed? Confirm these</h2>\n<p style="margin:0 0 6px 0;{MUTED}">Past their'
            " renewal date with no recorded outcome; csmctl never rolls them forward by itself.</p>\n"
            '<ul style="margin:0;padding-left:20px;font-size:14px;">\n'
        )
        for r in unconfirmed:
            add(
                f'<li style="margin:2px 0;">{e(r["name"])}: {r["renewal_date"]}, {arr(r)} — <code style="font-size:'
                f'12px;">csmctl renewal record {r["id"]} --outcome renewed --date {r["renewal_date"]}</code></li>\n'
            )
        add("</ul>\n")
    add(f'\n<h2 style="{H2}">Outcomes in the last 30 days</h2>\n')
    recent_from = (today - timedelta(days=29)).isoformat()
    recent = [x for x in ledger if x[2] >= recent_from][::-1]
    if recent:
        add(
            '<table cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;">\n'
            f'<tr><th style="{TH}">Date</th><th style="{TH}">Account</th><th style="{TH}">Outcome</th>'
            f'<th style="{THR}">ARR before</th><th style="{THR}">ARR after</th></tr>\n'
        )
        for _, _, day, outcome, before, after, currency, _, _, _, _, name, _, _ in recent:
            colour = {"churned": "color:#a40e26;", "expanded": "color:#1a7f37;"}.get(outcome, "")
            add(
                f'<tr><td style="{TD}white-space:nowrap;">{day}</td><td style="{TD}">{e(name)}</td>'
                f'<td style="{TD}{colour}">{e(outcome)}</td><td style="{TDR}">{short(before, currency)}</td>'
                f'<td style="{TDR}">{short(after, currency)}</td></tr>\n'
            )
        add("</table>\n")
    else:
        add(f'<p style="margin:0;{MUTED}">None recorded.</p>\n')
    add(f'\n<h2 style="{H2}">Retention, {start}..{today}</h2>\n')
    metrics = metric_records(ledger, pending)
    if metrics:
        heads = "".join(
            f'<th style="{THR}">{h}</th>'
            for h in (
                "Due",
                "Kept",
                "Churned",
                "Logo churn",
                "Renewal rate",
                "Start ARR",
                "End ARR",
                "GRR",
                "NRR",
            )
        )
        add(
            '<table cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;">\n'
            f'<tr><th style="{TH}">Currency</th>{heads}</tr>\n'
        )
        for m in metrics:
            c = m["currency"]
            add(
                f'<tr><td style="{TD}">{c}</td><td style="{TDR}">{m["due"]}</td><td style="{TDR}">{m["renewed"]}</td>'
                f'<td style="{TDR}">{m["churned"]}</td><td style="{TDR}">{m["logo_churn_pct"]}</td>'
                f'<td style="{TDR}">{m["renewal_rate_pct"]}</td>'
                f'<td style="{TDR}">{short(m["start_arr"]["amount_minor"], c)}</td>'
                f'<td style="{TDR}">{short(m["end_arr"]["amount_minor"], c)}</td>'
                f'<td style="{TDR}font-weight:bold;">{m["grr_pct"]}</td>'
                f'<td style="{TDR}font-weight:bold;">{m["nrr_pct"]}</td></tr>\n'
            )
        add(
            f'</table>\n<p style="margin:8px 0 0 0;{MUTED}">Over the renewals recorded in the period: GRR = (start'
            " ARR − contraction − churn) / start ARR; NRR adds expansion. Due counts contracts still unrecorded"
            " past their date.</p>\n"
        )
    else:
        add(f'<p style="margin:0;{MUTED}">No renewals were due or recorded in this period.</p>\n')
    add(
        f'\n<p style="margin:28px 0 0 0;padding-top:12px;border-top:1px solid #eaeef2;{MUTED}">Made with csmctl'
        f" · as of {today}</p>\n</td></tr>\n</table>\n</td></tr>\n</table>\n</body>\n</html>\n"
    )
    with open(rest[0], "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(w))


if __name__ == "__main__":
    main()
