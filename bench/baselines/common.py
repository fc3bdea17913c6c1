"""What the stdlib baselines share: csmctl's money formats and renewal windows redone in plain
Python (integers, no Decimal, no objects per row), and the one renewal-window query.

Stdlib only, like every script in this directory: they are what a person could write by hand with
the sqlite3 module, so csmctl's time is compared with the cost of the job itself. Each script is
checked by the bench (and by tests/bench) to write exactly what csmctl writes.
"""

from __future__ import annotations

import sqlite3
import sys
import unicodedata
from datetime import date, timedelta
from fractions import Fraction

AS_OF = date(2026, 11, 23)
EXPONENT = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}
# (key, label, first day, last day) counted from today
BUCKETS = (
    ("overdue", "Overdue", -(10**9), -1),
    ("0-30", "0-30 days", 0, 30),
    ("31-60", "31-60 days", 31, 60),
    ("61-90", "61-90 days", 61, 90),
    ("91-120", "91-120 days", 91, 120),
)
NOTICE_WARNING_DAYS = 14
WINDOW = (
    "SELECT id, name, owner, tier, stage, arr_minor, currency, renewal_date, auto_renew, notice_days,"
    " term_months, tags FROM account WHERE archived = 0 AND renewal_date IS NOT NULL"
    " AND renewal_date <= ? ORDER BY renewal_date, name_key"
)
LEDGER = (
    "SELECT e.id, e.account_id, e.date, e.outcome, e.arr_before_minor, e.arr_after_minor, e.currency,"
    " e.term_months, e.renewal_date_before, e.notes, e.reason, a.name, a.owner, a.tier FROM renewal_event e"
    " JOIN account a ON a.id = e.account_id WHERE e.date >= ? AND e.date <= ? ORDER BY e.date, e.id"
)


def args() -> tuple[str, date, list[str]]:
    """``BOOK [--as-of DAY] [rest...]``."""
    argv = sys.argv[1:]
    today = AS_OF
    if "--as-of" in argv:
        at = argv.index("--as-of")
        today = date.fromisoformat(argv[at + 1])
        del argv[at : at + 2]
    return argv[0], today, argv[1:]


def window(book: str, today: date, days: int) -> list[tuple]:
    """Active accounts renewing on or before today + ``days`` (overdue ones included), on
    ``ix_account_renewal``, in csmctl's order (date, then name folded, then id)."""
    rows = sqlite3.connect(book).execute(WINDOW, ((today + timedelta(days=days)).isoformat(),)).fetchall()
    rows.sort(key=lambda r: (r[7], r[1].casefold(), r[0]))  # ties on the date: name_key order is close
    return rows


def bucket_of(days: int) -> str:
    for key, _, first, last in BUCKETS:
        if first <= days <= last:
            return key
    return "121+"


def _half_up(n: int, d: int) -> int:
    q = (2 * abs(n) + d) // (2 * d)
    return q if n >= 0 else -q


def full(minor: int, currency: str) -> str:
    """``USD 120,000.00`` (str(Money))."""
    e = EXPONENT.get(currency, 2)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**e)
    return f"{currency} {sign}{whole:,}" + (f".{frac:0{e}d}" if e else "")


def short(minor: int, currency: str) -> str:
    """``USD 120k``, ``EUR 1.2M`` (Money.short: half up, the unit chosen after rounding)."""
    unit = 10 ** EXPONENT.get(currency, 2)
    whole = _half_up(minor, unit)
    if abs(whole) < 1000:
        return f"{currency} {whole:,}"
    for limit, suffix in ((10**3, "k"), (10**6, "M"), (10**9, "bn")):
        tenths = _half_up(minor, limit * unit // 10)
        if abs(tenths) < 10000 or suffix == "bn":
            break
    sign = "-" if tenths < 0 else ""
    a, b = divmod(abs(tenths), 10)
    return f"{currency} {sign}{a}{f'.{b}' if b else ''}{suffix}"


def cells(text: str) -> int:
    """Terminal cells of ``text`` (East Asian wide characters count two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def renewal(row: tuple, today: date, warning_days: int = NOTICE_WARNING_DAYS) -> dict:
    """One renewal as csmctl's JSON has it (docs/json.md)."""
    id_, name, owner, tier, stage, arr, currency, renewal_date, auto, notice_days, term, tags = row
    day = date.fromisoformat(renewal_date)
    days = (day - today).days
    deadline = day - timedelta(days=notice_days) if notice_days else None
    to_notice = None if deadline is None else (deadline - today).days
    notice = None
    if days >= 0 and deadline is not None:
        notice = "passed" if to_notice < 0 else "soon" if to_notice <= warning_days else None
    return {
        "id": id_,
        "name": name,
        "owner": owner,
        "tier": tier,
        "stage": stage,
        "arr": None if arr is None else {"amount_minor": arr, "currency": currency},
        "currency": currency,
        "renewal_date": renewal_date,
        "days_to_renewal": days,
        "bucket": bucket_of(days),
        "status": "upcoming" if days >= 0 else ("auto-renewed?" if auto else "overdue"),
        "auto_renew": bool(auto),
        "term_months": term,
        "notice_days": notice_days,
        "notice_deadline": deadline and deadline.isoformat(),
        "days_to_notice": to_notice,
        "notice": notice,
        "notice_flag": notice is not None,
        "at_risk": stage == "at-risk" or ",renewal-risk," in (tags or ""),
        "health_band": None,
        "open_risks": 0,
    }


def totals(records: list[dict]) -> tuple[dict[str, int], int]:
    """Known ARR per currency (sorted by code) and how many were unknown."""
    out: dict[str, int] = {}
    unknown = 0
    for r in records:
        if r["arr"] is None:
            unknown += 1
        else:
            out[r["currency"]] = out.get(r["currency"], 0) + r["arr"]["amount_minor"]
    return dict(sorted(out.items())), unknown


def retention(ledger, pending_currencies) -> dict[str, list[int]]:
    """Per currency (sorted): [recorded, pending, churned, start, expansion, contraction, churn,
    end] from ``(outcome, before, after, currency)`` ledger rows and the pending contracts'
    currencies. A churn is ARR lost to zero (or a churned label at zero), as csmctl counts it."""
    out: dict[str, list[int]] = {}
    for outcome, before, after, currency in ledger:
        m = out.setdefault(currency, [0] * 8)
        m[0] += 1
        m[3] += before
        m[7] += after
        if after == 0 and (before > 0 or outcome == "churned"):
            m[2] += 1
            m[6] += before
        elif after > before:
            m[4] += after - before
        elif after < before:
            m[5] += before - after
    for currency in pending_currencies:
        out.setdefault(currency, [0] * 8)[1] += 1
    return dict(sorted(out.items()))


def ratio4(num: int, den: int) -> int | None:
    """num/den in ten-thousandths, half even (csmctl's 4-place ratio); None without a denominator."""
    return round(Fraction(num * 10000, den)) if den else None


def ratio_text(q: int | None) -> str | None:
    return None if q is None else f"{'-' if q < 0 else ''}{abs(q) // 10000}.{abs(q) % 10000:04d}"


def pct(q: int | None) -> str:
    """The 4-place ratio as a percent with one decimal, half even (``87.3%``; ``-`` for none)."""
    if q is None:
        return "-"
    tenths = round(Fraction(q, 10))
    a, b = divmod(abs(tenths), 10)
    return f"{'-' if tenths < 0 else ''}{a}.{b}%"


def report_inputs(book: str, today: date) -> tuple[date, list[dict], list[tuple], list[str]]:
    """What the renewal report reads, as csmctl's report does with its default period (the year up
    to today): the period's start, the 120-day window as renewal dicts, the period's ledger (LEDGER's
    columns) and the currency of each contract due in the period before today with no outcome yet."""
    start = today.replace(year=today.year - 1) + timedelta(days=1)
    rows = [renewal(r, today) for r in window(book, today, 120)]
    conn = sqlite3.connect(book)
    ledger = conn.execute(LEDGER, (start.isoformat(), today.isoformat())).fetchall()
    pending = conn.execute(
        "SELECT currency FROM account WHERE archived = 0 AND renewal_date >= ? AND renewal_date <= ?",
        (start.isoformat(), (today - timedelta(days=1)).isoformat()),
    ).fetchall()
    return start, rows, ledger, [c for (c,) in pending]


def money(minor: int, currency: str) -> dict:
    """An amount in csmctl's JSON shape."""
    return {"amount_minor": minor, "currency": currency}


def metric_records(ledger: list[tuple], pending: list[str]) -> list[dict]:
    """The retention metrics per currency as the report's context has them (docs/json.md), from
    LEDGER rows and the pending contracts' currencies."""
    out = []
    for currency, (recorded, waiting, churned, first, grown, shrunk, lost, end) in retention(
        ((e[3], e[4], e[5], e[6]) for e in ledger), pending
    ).items():
        due = recorded + waiting
        ratios = {
            "logo_churn": ratio4(churned, recorded),
            "renewal_rate": ratio4(recorded - churned, due),
            "grr": ratio4(first - shrunk - lost, first),
            "nrr": ratio4(first + grown - shrunk - lost, first),
        }
        out.append(
            {
                "group": None,
                "currency": currency,
                "due": due,
                "recorded": recorded,
                "pending": waiting,
                "renewed": recorded - churned,
                "churned": churned,
                **{key: ratio_text(q) for key, q in ratios.items()},
                "start_arr": money(first, currency),
                "expansion": money(grown, currency),
                "contraction": money(shrunk, currency),
                "churn": money(lost, currency),
                "end_arr": money(end, currency),
                **{f"{key}_pct": pct(q) for key, q in ratios.items()},
            }
        )
    return out
