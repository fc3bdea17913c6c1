"""Baseline for `csmctl report renewals -f md -o FILE`: the same bytes from sqlite3 alone. Three
queries (the renewal window and the pending contracts on ix_account_renewal, the period's ledger on
ix_renewal_event_date); buckets, notice flags, totals and the retention table (GRR, NRR, logo
churn, renewal rate per currency) computed in plain Python and written as one string.

    python bench/baselines/report_md.py BOOK.db OUT.md [--as-of 2026-11-23]
"""

from datetime import timedelta

from common import BUCKETS, args, full, pct, ratio4, report_inputs, retention, short, totals

MD = {ord(c): "\\" + c for c in "\\`*_[]<>|~&"} | {ord("\n"): " ", ord("\r"): " "}


def md(value) -> str:
    return "" if value is None else str(value).translate(MD)


def money(r: dict, style=short) -> str:
    return "unknown" if r["arr"] is None else style(r["arr"]["amount_minor"], r["currency"])


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def main() -> None:
    book, today, rest = args()
    out = rest[0]
    start, rows, ledger, pending = report_inputs(book, today)
    w = []
    add = w.append
    add(f"# Renewal report — {today}\n\n")
    add(
        "Renewals in the next 120 days and overdue ones. Notice deadlines are flagged when passed or within"
        " 14 days.\n\n"
    )
    sums, unknown = totals(rows)
    overdue = [r for r in rows if r["status"] != "upcoming"]
    unconfirmed = [r for r in rows if r["status"] == "auto-renewed?"]
    notices = [r for r in rows if r["notice_flag"]]
    add(f"- **{plural(len(rows), 'renewal')}**")
    if sums:
        add(" worth " + ", ".join(short(v, c) for c, v in sums.items()))
    if unknown:
        add(f" ({plural(unknown, 'account')} with unknown ARR left out)")
    add("\n")
    add(f"- **{len(overdue)} overdue**, of which **{len(unconfirmed)} auto-renewed?** to confirm\n")
    add(f"- **{plural(len(notices), 'notice deadline')}** passed or close\n")
    add(f"- **{sum(1 for r in rows if r['at_risk'])} at risk**\n\n")
    by_key: dict[str, list[dict]] = {key: [] for key, _, _, _ in BUCKETS}
    for r in rows:
        by_key[r["bucket"]].append(r)
    for key, label, _, _ in BUCKETS:
        bucket = by_key[key]
        add(f"## {label} ({len(bucket)})\n\n")
        if not bucket:
            add("Nothing in this window.\n\n")
            continue
        add("| Account | Owner | ARR | Renewal | Days | Auto | Notice by | Flag |\n")
        add("|---|---|---:|---|---:|---|---|---|\n")
        for r in bucket:
            status, notice = r["status"], r["notice"]
            if status != "upcoming":
                flag = f"**{status}**"
            elif notice == "passed":
                flag = "**notice passed**"
            elif notice == "soon":
                flag = "notice soon"
            else:
                flag = ""
            if r["at_risk"]:
                flag += " at risk" if status != "upcoming" or notice else "at risk"
            add(
                f"| {md(r['name'])} | {md(r['owner'] or '')} | {money(r)} | {r['renewal_date']} |"
                f" {r['days_to_renewal']} | {'yes' if r['auto_renew'] else 'no'} | {r['notice_deadline'] or ''}"
                f" | {flag} |\n"
            )
        add("\nTotal: " + ", ".join(full(v, c) for c, v in totals(bucket)[0].items()) + "\n\n")
    add("## Notice deadlines\n\n")
    for r in notices:
        when = "passed" if r["notice"] == "passed" else "in " + plural(r["days_to_notice"], "day")
        add(f"- {r['notice_deadline']} — {md(r['name'])} ({when}; renews {r['renewal_date']}, {money(r)})\n")
    if not notices:
        add("None passed or within 14 days.\n")
    add("\n## Auto-renewed? (past their date, no outcome recorded)\n\n")
    for r in unconfirmed:
        add(
            f"- {md(r['name'])}: renewal date {r['renewal_date']}, {money(r)} — confirm with `csmctl renewal"
            f" record {r['id']} --outcome renewed --date {r['renewal_date']}`\n"
        )
    if not unconfirmed:
        add("None.\n")
    add("\n## Outcomes in the last 30 days\n\n")
    recent_from = (today - timedelta(days=29)).isoformat()
    recent = [e for e in ledger if e[2] >= recent_from][::-1]
    if recent:
        add("| Date | Account | Outcome | ARR before | ARR after |\n|---|---|---|---:|---:|\n")
        for _, _, day, outcome, before, after, currency, _, _, _, _, name, _, _ in recent:
            add(
                f"| {day} | {md(name)} | {outcome} | {short(before, currency)} | {short(after, currency)} |\n"
            )
    else:
        add("None recorded.\n")
    metrics = retention(((e[3], e[4], e[5], e[6]) for e in ledger), pending)
    label = f"{start}..{today}"
    add(f"\n## Retention, {label}\n\n")
    if metrics:
        add(
            "| Currency | Due | Kept | Churned | Pending | Logo churn | Renewal rate | Start ARR | End ARR | GRR"
            " | NRR |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        )
        for currency, (recorded, waiting, churned, first, grown, shrunk, lost, end) in sorted(
            metrics.items()
        ):
            due = recorded + waiting
            add(
                f"| {currency} | {due} | {recorded - churned} | {churned} | {waiting}"
                f" | {pct(ratio4(churned, recorded))} | {pct(ratio4(recorded - churned, due))}"
                f" | {short(first, currency)} | {short(end, currency)} | {pct(ratio4(first - shrunk - lost, first))}"
                f" | {pct(ratio4(first + grown - shrunk - lost, first))} |\n"
            )
        add(
            "\nGRR = (start ARR − contraction − churn) / start ARR over the renewals recorded in the period; NRR"
            f" adds expansion. `csmctl metric retention --period {label} --explain` shows the arithmetic.\n"
        )
    else:
        add("No renewals were due or recorded in this period.\n")
    add(f"\n---\nMade with csmctl · as of {today}\n")
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(w))


if __name__ == "__main__":
    main()
