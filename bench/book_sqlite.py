"""Baseline for `csmctl book --by owner -f json`: the same per-CSM numbers with the raw sqlite3
module and plain Python, printed as the same JSON (the bench checks the outputs are equal).
Start-up included. The policy is csmctl's built-in one (default cadences, contact kinds, health
profile and forecast likelihoods), written out here as constants.

    python bench/book_sqlite.py BOOK.db 2026-11-23 [OWNER]   # OWNER: `book --by owner --owner OWNER`

Each input is the best query we know on SQLite: the touchpoint facts are three (the covering
index for the last contact, the follow-up index for the open follow-ups, one scan for the recent
sentiments: a third of one aggregate over every column), the rest small grouped queries.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

CADENCE = {"strategic": 14, "enterprise": 14, "mid-market": 30, "smb": 60, "scaled": 90}
FALLBACK_CADENCE = 30
SENTIMENT = {"positive": 100.0, "neutral": 60.0, "negative": 0.0}
WEIGHTS = {"contact": 25.0, "sentiment": 15.0, "nps": 10.0, "csat": 10.0, "onboarding": 10.0}
WEIGHTS |= {"renewal": 15.0, "follow_ups": 15.0, "metric:usage": 10.0, "metric:tickets": 5.0}
SCALED = {**WEIGHTS, "contact": 5.0, "metric:usage": 30.0}
METRICS = {"usage": (80.0, 20.0), "tickets": (0.0, 10.0)}  # good, bad
CATEGORIES = ("commit", "probable", "upside", "at-risk", "lost")
LIKELIHOOD = {"commit": 95, "probable": 75, "upside": 40, "at-risk": 20, "lost": 0}
OPEN_STAGES = ("at-risk", "plan-in-place", "saving")


def clamp(v: float) -> float:
    return max(0.0, min(100.0, v))


def band(facts, account, today: date) -> str | None:
    """The built-in health profile: the weighted mean of the inputs present, banded at 50/75."""
    _, owner, tier, cadence_days, nps, csat, renewal, _, _ = account
    last, count, overdue, sentiments, onboarding, metrics = facts
    cadence = cadence_days or CADENCE.get(tier or "", FALLBACK_CADENCE)
    since = None if last is None else (today - last).days
    scores: list[tuple[str, float]] = []
    if since is not None:
        over = since - cadence
        scores.append(("contact", 100.0 if over <= 0 else clamp(100.0 * (1 - over / (2 * cadence)))))
    total = sum(n for n in sentiments.values())
    if total:
        scores.append(("sentiment", sum(SENTIMENT[k] * n for k, n in sentiments.items()) / total))
    if nps is not None:
        scores.append(("nps", clamp((nps + 100) / 2)))
    if csat is not None:
        scores.append(("csat", clamp(float(csat))))
    if onboarding is not None:
        scores.append(("onboarding", clamp(100.0 - 25.0 * onboarding)))
    if renewal is not None:
        days_to = (renewal - today).days
        if days_to < 90:
            recent = since is not None and since <= 30
            scores.append(("renewal", 100.0 if recent else clamp(100.0 * days_to / 90)))
    if count:
        scores.append(("follow_ups", clamp(100.0 - 34.0 * overdue)))
    for name, (good, bad) in METRICS.items():
        if name in metrics:
            scores.append((f"metric:{name}", clamp(100.0 * (metrics[name] - bad) / (good - bad))))
    weights = SCALED if tier == "scaled" else WEIGHTS
    weight = sum(weights[k] for k, _ in scores)
    if weight <= 0:
        return None
    score = clamp(sum(weights[k] / weight * s for k, s in scores))
    rounded = int(score + 0.5)
    return "red" if rounded < 50 else "green" if rounded > 75 else "yellow"


def percent(num: int, den: int) -> str:
    return f"{(Decimal(num) / Decimal(den) * 100).quantize(Decimal('0.1'), ROUND_HALF_EVEN)}%"


def main() -> None:
    book, day = sys.argv[1:3]
    owner_key = " ".join(sys.argv[3].split()).casefold() if len(sys.argv) > 3 else None
    today = date.fromisoformat(day)
    end = f"{(today + timedelta(days=1)).isoformat()} 00:00:00.000000"
    since = f"{(today - timedelta(days=90)).isoformat()} 00:00:00.000000"
    conn = sqlite3.connect(book)

    def q(sql: str, params: dict | None = None):
        """``{mine}`` is the owner filter on ``a`` (the account table's alias) and ``{ids}`` the
        accounts in scope."""
        if owner_key is None:
            mine, ids = "1", ""
        else:
            mine = "a.owner_key = :owner"
            ids = "AND account_id IN (SELECT id FROM account WHERE owner_key = :owner AND archived = 0)"
        params = {**(params or {}), "owner": owner_key}
        return conn.execute(sql.format(mine=mine, ids=ids), params)

    accounts = q(
        "SELECT id, owner, tier, cadence_days, nps, csat, renewal_date, arr_minor, currency FROM account a"
        " WHERE archived = 0 AND {mine}"
    ).fetchall()
    # The touchpoint facts in three queries, each the cheapest shape for its fact: last contact
    # and touchpoints so far from the covering index alone, the open follow-ups from their index,
    # recent sentiments from one scan (a whole book) or the account index (one owner).
    touch = {
        aid: [None if last is None else date.fromisoformat(last[:10]), count, 0, {}]
        for aid, last, count in q(
            "SELECT account_id, max(CASE WHEN kind <> 'note' AND planned = 0 THEN occurred_at END), count(*)"
            " FROM touchpoint WHERE occurred_at < :end {ids} GROUP BY account_id",
            {"end": end},
        )
    }
    for aid, overdue in q(
        "SELECT account_id, count(*) FROM touchpoint WHERE follow_up_date IS NOT NULL AND occurred_at < :end"
        " AND (follow_up_done = 0 OR follow_up_done = 1 AND follow_up_done_on > :day)"
        " AND follow_up_date < :day {ids} GROUP BY account_id",
        {"day": day, "end": end},
    ):
        touch[aid][2] = overdue
    for aid, neg, neu, pos in q(
        "SELECT account_id + 0, sum(sentiment = 'negative'), sum(sentiment = 'neutral'),"
        " sum(sentiment = 'positive') FROM touchpoint WHERE occurred_at >= :since AND occurred_at < :end"
        " AND planned = 0 AND sentiment IN ('negative', 'neutral', 'positive') {ids} GROUP BY account_id + 0",
        {"since": since, "end": end},
    ):
        touch[aid][3] = {k: n for k, n in (("negative", neg), ("neutral", neu), ("positive", pos)) if n}
    onboarding = dict(
        q(
            "SELECT account_id, count(CASE WHEN t.status = 'open' AND t.due < :day THEN 1 END) FROM checklist c"
            " JOIN checklist_task t ON t.checklist_id = c.id WHERE c.status = 'active' {ids} GROUP BY account_id",
            {"day": day},
        )
    )
    metrics: dict[int, dict[str, float]] = {}
    for aid, name, value in q(
        "SELECT m.account_id, m.name, m.value FROM metric_value m JOIN (SELECT account_id, name,"
        " max(date) AS d FROM metric_value WHERE name IN ('usage', 'tickets') AND date <= :day {ids}"
        " GROUP BY account_id, name) l ON l.account_id = m.account_id AND l.name = m.name AND l.d = m.date",
        {"day": day},
    ):
        metrics.setdefault(aid, {})[name] = value

    books: dict[str, dict] = {}

    def entry(owner: str | None) -> dict:
        key = owner or "(no owner)"
        if key not in books:
            books[key] = {
                "owner": key,
                "accounts": 0,
                "arr": {},
                "touched": 0,
                "untouched": 0,
                "overdue_follow_ups": 0,
                "red": 0,
                "yellow": 0,
                "green": 0,
                "open_risks": dict.fromkeys(OPEN_STAGES, 0),
                "renewals_90d": 0,
                "available": {},
                "weighted": {},
                "by_category": dict.fromkeys(CATEGORIES, 0),
                "grr": {},
                "nrr": {},
            }
        return books[key]

    no_touch = [None, 0, 0, {}]
    for account in accounts:
        aid, owner, tier, cadence_days, _, _, renewal, arr, currency = account
        renewal = None if renewal is None else date.fromisoformat(renewal)
        account = (*account[:6], renewal, arr, currency)
        last, count, overdue, feelings = touch.get(aid, no_touch)
        b = entry(owner)
        b["accounts"] += 1
        if arr is not None:
            b["arr"][currency] = b["arr"].get(currency, 0) + arr
        cadence = cadence_days or CADENCE.get(tier or "", FALLBACK_CADENCE)
        if last is not None and (today - last).days <= cadence:
            b["touched"] += 1
        else:
            b["untouched"] += 1
        b["overdue_follow_ups"] += overdue
        colour = band(
            (last, count, overdue, feelings, onboarding.get(aid), metrics.get(aid, {})), account, today
        )
        if colour:
            b[colour] += 1

    for owner, stage in q(
        "SELECT a.owner, (SELECT s.stage FROM risk_stage s WHERE s.risk_id = r.id AND s.entered_on <= :day"
        " ORDER BY s.entered_on DESC, s.id DESC LIMIT 1) AS stage FROM risk r JOIN account a ON a.id = r.account_id"
        " WHERE r.opened_on <= :day AND {mine}",
        {"day": day},
    ):
        if stage in OPEN_STAGES:
            entry(owner)["open_risks"][stage] += 1

    for owner, arr, currency, category, expected, likelihood in q(
        "SELECT a.owner, a.arr_minor, a.currency, f.category, f.expected_minor, f.likelihood FROM account a"
        " LEFT JOIN forecast f ON f.account_id = a.id AND f.renewal_date = a.renewal_date"
        " WHERE a.archived = 0 AND a.renewal_date IS NOT NULL AND a.renewal_date >= :day"
        " AND a.renewal_date <= :end AND {mine}",
        {"day": day, "end": (today + timedelta(days=90)).isoformat()},
    ):
        category = category or "probable"
        expected = arr if expected is None else expected
        likelihood = 0 if category == "lost" else (LIKELIHOOD[category] if likelihood is None else likelihood)
        b = entry(owner)
        b["renewals_90d"] += 1
        b["by_category"][category] += 1
        if arr is not None:
            b["available"][currency] = b["available"].get(currency, 0) + arr
        if expected is not None:
            b["weighted"][currency] = b["weighted"].get(currency, 0) + expected * likelihood // 100

    # GRR/NRR over the trailing year, per owner and currency; a (owner, currency) with pending
    # renewals but no recorded one shows "-".
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February: a year back is the 28th
        start = date(today.year - 1, 2, 28) + timedelta(days=1)
    retention: dict[tuple[str, str], list[int]] = {}
    for owner, currency, before, after, outcome in q(
        "SELECT a.owner, e.currency, e.arr_before_minor, e.arr_after_minor, e.outcome FROM renewal_event e"
        " JOIN account a ON a.id = e.account_id WHERE e.date >= :start AND e.date <= :day AND {mine}",
        {"start": start.isoformat(), "day": day},
    ):
        t = retention.setdefault((owner or "(no owner)", currency), [0, 0, 0, 0])
        t[0] += before
        if after == 0 and (before > 0 or outcome == "churned"):
            t[3] += before
        elif after > before:
            t[1] += after - before
        elif after < before:
            t[2] += before - after
    pending_end = (today - timedelta(days=1)).isoformat()
    for owner, currency in q(
        "SELECT owner, currency FROM account a WHERE archived = 0 AND renewal_date IS NOT NULL"
        " AND renewal_date >= :start AND renewal_date <= :end AND {mine}",
        {"start": start.isoformat(), "end": pending_end},
    ):
        retention.setdefault((owner or "(no owner)", currency), [0, 0, 0, 0])
    for (owner, currency), (base, expansion, contraction, churn) in retention.items():
        b = entry(owner)
        b["grr"][currency] = percent(base - contraction - churn, base) if base else "-"
        b["nrr"][currency] = percent(base + expansion - contraction - churn, base) if base else "-"

    def money(table: dict[str, int]) -> list[dict]:
        return [{"amount_minor": v, "currency": c} for c, v in sorted(table.items())]

    out = []
    for key in sorted(books, key=str.casefold):
        b = books[key]
        out.append(
            {
                "owner": b["owner"],
                "accounts": b["accounts"],
                "arr": money(b["arr"]),
                "touched": b["touched"],
                "untouched": b["untouched"],
                "coverage_pct": round(100 * b["touched"] / b["accounts"]) if b["accounts"] else None,
                "overdue_follow_ups": b["overdue_follow_ups"],
                "red": b["red"],
                "yellow": b["yellow"],
                "green": b["green"],
                "open_risks": b["open_risks"],
                "renewals_90d": b["renewals_90d"],
                "renewals_90d_available": money(b["available"]),
                "renewals_90d_weighted": money(b["weighted"]),
                "renewals_90d_by_category": b["by_category"],
                "grr": dict(sorted(b["grr"].items())),
                "nrr": dict(sorted(b["nrr"].items())),
            }
        )
    encode = json.JSONEncoder(ensure_ascii=False).encode
    sys.stdout.write("[" + ",".join("\n  " + encode(r) for r in out) + ("\n]\n" if out else "]\n"))


if __name__ == "__main__":
    main()
