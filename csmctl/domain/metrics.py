"""Retention metrics over the renewal ledger: logo churn, GRR, NRR and renewal rate.

They are measured over the renewal cohort: the contracts whose renewal outcome was recorded in
the period (``renewal_event.date`` in the period), plus for the renewal rate the contracts that
fell due in the period and are still unrecorded (pending). New logos never enter the cohort (they
have no renewal yet), so NRR excludes them by construction.

    start ARR    = sum of ARR before, over the cohort
    expansion    = sum of (after - before) where after > before          (expanded)
    contraction  = sum of (before - after) where 0 < after < before      (contracted)
    churn        = sum of ARR before where the ARR after is zero (churned)
    end ARR      = sum of ARR after = start + expansion - contraction - churn
    GRR          = (start - contraction - churn) / start                 (never above 100 %)
    NRR          = end / start                                           (>= GRR)
    logo churn   = churned contracts / recorded contracts
    renewal rate = kept contracts (renewed, expanded, contracted) / due (recorded + pending)

Money is summed per currency, never across currencies; ``convert_entries`` turns a mixed ledger
into one currency with a rates table first. Everything here is pure: no clock, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from csmctl.domain.money import Money, minor_exponent
from csmctl.errors import InvalidValue


class Entry(NamedTuple):
    """One recorded renewal outcome (a renewal_event row), amounts in minor units."""

    account_id: int
    account: str
    date: date
    outcome: str
    before: int
    after: int
    currency: str
    group: str | None = None  # owner or tier with --by


class Pending(NamedTuple):
    """A contract due in the period with no recorded outcome yet."""

    account_id: int
    account: str
    renewal_date: date
    arr: int | None  # None: unknown (it counts as due; no money is summed over pending contracts)
    currency: str
    auto_renew: bool = False
    group: str | None = None


def _is_churn(entry: Entry) -> bool:
    # By the amounts (the ledger checks the labels agree): ARR lost to zero is a churn; a free
    # contract renewed at zero is not.
    return entry.after == 0 and (entry.before > 0 or entry.outcome == "churned")


@dataclass
class Metrics:
    group: str | None
    currency: str
    entries: list[Entry] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)

    # -- the terms ----------------------------------------------------------------------------
    def terms(self) -> tuple[int, int, int, int, int, int]:
        """(start, expansion, contraction, churn, end, churned count) in one pass over the ledger."""
        start = expansion = contraction = churn = end = churned = 0
        for e in self.entries:
            start += e.before
            end += e.after
            if _is_churn(e):
                churn += e.before
                churned += 1
            elif e.after > e.before:
                expansion += e.after - e.before
            elif e.after < e.before:
                contraction += e.before - e.after
        return start, expansion, contraction, churn, end, churned

    @property
    def start(self) -> int:
        return self.terms()[0]

    @property
    def expansion(self) -> int:
        return self.terms()[1]

    @property
    def contraction(self) -> int:
        return self.terms()[2]

    @property
    def churn(self) -> int:
        return self.terms()[3]

    @property
    def end(self) -> int:
        return self.terms()[4]

    @property
    def churned(self) -> list[Entry]:
        return [e for e in self.entries if _is_churn(e)]

    @property
    def kept(self) -> list[Entry]:
        return [e for e in self.entries if not _is_churn(e)]

    @property
    def due(self) -> int:
        return len(self.entries) + len(self.pending)

    # -- the ratios (None when there is nothing to divide by) --------------------------------
    def ratios(self) -> dict[str, Fraction | None]:
        return _ratios(self.terms(), len(self.entries), self.due)

    @property
    def grr(self) -> Fraction | None:
        return self.ratios()["grr"]

    @property
    def nrr(self) -> Fraction | None:
        return self.ratios()["nrr"]

    @property
    def logo_churn(self) -> Fraction | None:
        return self.ratios()["logo_churn"]

    @property
    def renewal_rate(self) -> Fraction | None:
        return self.ratios()["renewal_rate"]

    def record(self) -> dict[str, Any]:
        """The stable JSON shape (docs/json.md)."""
        return _record(self.group, self.currency, self.terms(), len(self.entries), len(self.pending))


def _ratios(
    terms: tuple[int, int, int, int, int, int], recorded: int, due: int
) -> dict[str, Fraction | None]:
    start, expansion, contraction, churn, _, churned = terms
    return {
        "logo_churn": Fraction(churned, recorded) if recorded else None,
        "renewal_rate": Fraction(recorded - churned, due) if due else None,
        "grr": Fraction(start - contraction - churn, start) if start else None,
        "nrr": Fraction(start + expansion - contraction - churn, start) if start else None,
    }


def _record(
    group: str | None, currency: str, terms: tuple[int, int, int, int, int, int], recorded: int, pending: int
) -> dict[str, Any]:
    """``Metrics.record`` from the ledger's terms and the counts: what ``records_from_totals``
    gives from totals summed in SQL, without the entries."""
    start, expansion, contraction, churn, end, churned = terms
    ratios = _ratios(terms, recorded, recorded + pending)

    def money(minor: int) -> Money:
        return Money(minor, currency)

    return {
        "group": group,
        "currency": currency,
        "due": recorded + pending,
        "recorded": recorded,
        "pending": pending,
        "renewed": recorded - churned,
        "churned": churned,
        "logo_churn": ratio(ratios["logo_churn"]),
        "renewal_rate": ratio(ratios["renewal_rate"]),
        "grr": ratio(ratios["grr"]),
        "nrr": ratio(ratios["nrr"]),
        "start_arr": money(start),
        "expansion": money(expansion),
        "contraction": money(contraction),
        "churn": money(churn),
        "end_arr": money(end),
    }


class LedgerTotals(NamedTuple):
    """One currency's ledger over a period, summed (``store.renewals.ledger_totals``, whose SQL
    spells ``_is_churn`` and ``Metrics.terms``): the terms without holding an entry per event."""

    currency: str
    recorded: int
    start: int
    expansion: int
    contraction: int
    churn: int
    end: int
    churned: int


def records_from_totals(totals: Iterable[LedgerTotals], pending: Mapping[str, int]) -> list[dict[str, Any]]:
    """``[m.record() for m in compute(entries, pending)]`` (no ``--by`` group) from the ledger's
    totals per currency and the pending contracts counted per currency: the same records, in
    currency order, with memory flat in the size of the ledger."""
    by_currency = {t.currency: t for t in totals}
    records = []
    for currency in sorted(by_currency.keys() | pending.keys()):
        t = by_currency.get(currency)
        terms = (
            (0, 0, 0, 0, 0, 0)
            if t is None
            else (t.start, t.expansion, t.contraction, t.churn, t.end, t.churned)
        )
        records.append(
            _record(None, currency, terms, 0 if t is None else t.recorded, pending.get(currency, 0))
        )
    return records


def ratio(value: Fraction | None) -> str | None:
    """A ratio as a decimal string with 4 places (``"0.9512"``); None stays None."""
    if value is None:
        return None
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
    )


def percent(value: Fraction | str | None) -> str:
    """``0.95123`` -> ``95.1%``; None -> ``-``."""
    if value is None:
        return "-"
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = Decimal(value)
    return f"{(number * 100).quantize(Decimal('0.1'), ROUND_HALF_EVEN)}%"


def compute(entries: Iterable[Entry], pending: Iterable[Pending] = ()) -> list[Metrics]:
    """Metrics per (group, currency), sorted by group then currency."""
    out: dict[tuple[str, str], Metrics] = {}

    def slot(group: str | None, currency: str) -> Metrics:
        key = (group or "", currency)
        if key not in out:
            out[key] = Metrics(group, currency)
        return out[key]

    for entry in entries:
        slot(entry.group, entry.currency).entries.append(entry)
    for item in pending:
        slot(item.group, item.currency).pending.append(item)
    return [out[key] for key in sorted(out)]


# -- converting currencies ------------------------------------------------------------------------


def convert_minor(amount_minor: int, currency: str, target: str, rates: Mapping[str, Decimal]) -> int:
    """``amount`` in ``currency`` as minor units of ``target``; ``rates[c]`` = 1 c in target."""
    if currency == target:
        return amount_minor
    rate = rates[currency]
    major = Decimal(amount_minor).scaleb(-minor_exponent(currency)) * rate
    return int(major.scaleb(minor_exponent(target)).quantize(Decimal(1), ROUND_HALF_EVEN))


def missing_rates(currencies: Iterable[str], target: str, rates: Mapping[str, Decimal]) -> list[str]:
    return sorted({c for c in currencies if c != target and c not in rates})


def convert_entries(
    entries: Iterable[Entry], pending: Iterable[Pending], target: str, rates: Mapping[str, Decimal]
) -> tuple[list[Entry], list[Pending]]:
    entries, pending = list(entries), list(pending)
    missing = missing_rates([e.currency for e in entries] + [p.currency for p in pending], target, rates)
    if missing:
        raise InvalidValue(
            f"The rates file has no rate for {', '.join(missing)} (to {target}).",
            f"Add a line per currency: CURRENCY,RATE (1 CURRENCY = RATE {target}).",
        )

    def conv(amount: int, currency: str) -> int:
        return convert_minor(amount, currency, target, rates)

    return (
        [
            e._replace(before=conv(e.before, e.currency), after=conv(e.after, e.currency), currency=target)
            for e in entries
        ],
        [
            p._replace(arr=None if p.arr is None else conv(p.arr, p.currency), currency=target)
            for p in pending
        ],
    )


def parse_rates(text: str, *, path: str = "rates") -> dict[str, Decimal]:
    """A rates file: JSON ``{"EUR": "1.08"}`` or lines/CSV ``EUR,1.08`` (a header line is allowed).

    Each rate is the value of one unit of that currency in the target currency.
    """
    import json

    from csmctl.domain.money import check_currency
    from csmctl.errors import InvalidInput, Problem

    problems: list[Problem] = []
    rates: dict[str, Decimal] = {}
    stripped = text.strip()
    items: list[tuple[int | None, str, str]] = []
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                Problem(f"not valid JSON: {error.msg}", path=path, line=error.lineno)
            ) from None
        items = [(None, str(k), str(v)) for k, v in data.items()]
    else:
        for number, raw in enumerate(text.splitlines(), start=1):
            raw = raw.split("#", 1)[0].strip()
            if not raw:
                continue
            parts = [
                p.strip()
                for p in raw.replace(";", ",").replace("\t", ",").replace(" ", ",").split(",")
                if p.strip()
            ]
            if len(parts) != 2:
                problems.append(Problem("expected CURRENCY,RATE", path=path, line=number, value=raw))
                continue
            if parts[0].lower() == "currency":  # header
                continue
            items.append((number, parts[0], parts[1]))
    for line, code, value in items:
        try:
            currency = check_currency(code)
        except InvalidValue as error:
            problems.append(Problem(error.message, path=path, line=line, field=code))
            continue
        try:
            rate = Decimal(value)
            if not rate.is_finite() or rate <= 0:
                raise ArithmeticError
        except ArithmeticError:
            problems.append(
                Problem("the rate must be a positive number", path=path, line=line, field=code, value=value)
            )
            continue
        rates[currency] = rate
    if problems:
        raise InvalidInput(
            problems, summary=None if len(problems) == 1 else f"{path} has {len(problems)} problems:"
        )
    if not rates:
        raise InvalidInput(Problem("no rates found", path=path, hint="write one CURRENCY,RATE per line"))
    return rates


# -- explaining -----------------------------------------------------------------------------------


def explain(metrics: Metrics, show: Callable[[Money], str] = str) -> list[str]:
    """The arithmetic behind each figure and the accounts behind each term, as text lines."""
    cur = metrics.currency

    def money(minor: int) -> str:
        return show(Money(minor, cur))

    head = f"{metrics.group} / {cur}" if metrics.group else cur
    lines = [f"== {head} =="]

    def accounts(items: list[tuple[str, int | None]]) -> None:
        for name, amount in items:
            lines.append(f"      {name}" + (f"  {money(amount)}" if amount is not None else ""))

    start, exp, con, churn = metrics.start, metrics.expansion, metrics.contraction, metrics.churn
    lines.append(f"  start ARR   = {money(start)}  (ARR before, {len(metrics.entries)} recorded renewals)")
    accounts([(f"{e.account} ({e.outcome}, {e.date.isoformat()})", e.before) for e in metrics.entries])
    lines.append(f"  expansion   = {money(exp)}")
    accounts([(e.account, e.after - e.before) for e in metrics.entries if e.after > e.before])
    lines.append(f"  contraction = {money(con)}")
    accounts([(e.account, e.before - e.after) for e in metrics.entries if 0 < e.after < e.before])
    lines.append(f"  churn       = {money(churn)}")
    accounts([(e.account, e.before) for e in metrics.churned])
    if start:
        lines.append(
            f"  GRR = (start - contraction - churn) / start = ({money(start)} - {money(con)} - {money(churn)})"
            f" / {money(start)} = {percent(metrics.grr)}"
        )
        lines.append(
            f"  NRR = (start + expansion - contraction - churn) / start = ({money(start)} + {money(exp)}"
            f" - {money(con)} - {money(churn)}) / {money(start)} = {percent(metrics.nrr)}"
        )
    else:
        lines.append("  GRR, NRR: no recorded renewals, nothing to divide by")
    if metrics.entries:
        lines.append(
            f"  logo churn = churned / recorded = {len(metrics.churned)} / {len(metrics.entries)}"
            f" = {percent(metrics.logo_churn)}"
        )
    lines.append(
        f"  renewal rate = kept / due = {len(metrics.kept)} / {metrics.due}"
        f" = {percent(metrics.renewal_rate)}  (due = {len(metrics.entries)} recorded"
        f" + {len(metrics.pending)} pending)"
    )
    accounts(
        [
            (
                f"{p.account} (pending since {p.renewal_date.isoformat()}"
                f"{', auto-renew: confirm' if p.auto_renew else ''}"
                f"{', ARR unknown' if p.arr is None else ''})",
                p.arr,
            )
            for p in metrics.pending
        ]
    )
    return lines


NO_REASON = "(no reason)"


def losses_by_reason(
    results: Iterable[Metrics], controllable: Callable[[str], bool | None]
) -> list[dict[str, Any]]:
    """Churn analysis: ARR lost (churn + contraction) per reason code and currency, from metrics
    grouped by reason; ``controllable`` says whether a reason is (None: unknown code)."""
    out: list[dict[str, Any]] = []
    for result in results:
        _, _, contraction, churn, _, churned = result.terms()
        if not contraction and not churn:
            continue
        reason = result.group or NO_REASON
        out.append(
            {
                "reason": reason,
                "controllable": controllable(reason),
                "currency": result.currency,
                "churned": churned,
                "contracted": sum(1 for e in result.entries if not _is_churn(e) and e.after < e.before),
                "churn": Money(churn, result.currency),
                "contraction": Money(contraction, result.currency),
                "lost": Money(churn + contraction, result.currency),
            }
        )
    out.sort(key=lambda r: (r["currency"], -r["lost"].amount_minor, r["reason"]))
    return out
