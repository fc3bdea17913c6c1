"""Pay-transparency and posting laws, one row per rule: where it applies, its source, when it took
effect, what it checks and what to add.

``RULES`` is the table ``jd lint --rules`` lists; ``check(checked, as_of)`` runs the rules of the
spec's jurisdictions (``jurisdictions:`` or, when absent, inferred from the location and the
remote policy) that are in force on ``as_of``. This is a checklist for a careful recruiter, not
legal advice: the wording is csmctl's own summary of each source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from csmctl.documents.jobspec import JURISDICTIONS, CheckedSpec, Remote

# a rule's test: the spec key the finding points at, or None when the spec complies
Test = Callable[[CheckedSpec], tuple | None]


@dataclass(frozen=True)
class Rule:
    id: str
    jurisdiction: str
    source: str
    effective: date
    checks: str  # what the law asks of a posting, as the finding's message
    fix: str  # what to add or change
    test: Test


JURISDICTION_NAMES = {
    "US-NY-NYC": "New York City",
    "US-NY": "New York State",
    "US-CA": "California",
    "US-WA": "Washington State",
    "US-CO": "Colorado",
    "EU": "European Union",
    "JP": "Japan",
}
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
_NYC_PLACES = {"new york", "new york city", "nyc", "manhattan", "brooklyn", "queens", "bronx", "the bronx"}
_NYC_PLACES |= {"staten island"}
_STATES = {
    "US-NY": ("ny", "new york"),
    "US-CA": ("ca", "california"),
    "US-WA": ("wa", "washington", "washington state"),
    "US-CO": ("co", "colorado"),
}
_US_REMOTE = ("US-NY-NYC", "US-NY", "US-CA", "US-WA", "US-CO")

PAY_HISTORY = re.compile(
    r"(current|previous|prior|past|last|present)\s+(base\s+)?(salary|pay|compensation|wage|earnings|income)"
    r"|(salary|pay|wage|compensation)\s+history"
    r"|how much (do|did) you (currently )?(earn|make)"
    r"|what (do|did) you (currently )?(earn|make)"
    r"|(現在|前職|現職|直近)の?(年収|給与|給料|報酬|月給)|現年収|給与履歴",
    re.IGNORECASE,
)
_GENDERED_TITLE = re.compile(
    r"\b(\w*(sales|chair|fore|spokes|crafts|business|middle|tradesman|repair)(man|men|woman|women)"
    r"|(host|wait|steward|actr)ess(es)?|he/she|she/he)\b",
    re.IGNORECASE,
)
_EXCLUDES_COLORADO = re.compile(
    r"(except|excluding|exclude[sd]?|not (open|available) (to|in)|outside( of)?|other than)\s+"
    r"(candidates |applicants |residents )?(in |from )?(colorado|co\b)",
    re.IGNORECASE,
)


def asks_pay_history(question: str) -> bool:
    """True when a question asks for the applicant's current or past pay (not their expectations)."""
    return bool(PAY_HISTORY.search(question))


def infer(checked: CheckedSpec) -> list[str]:
    """The jurisdictions a spec's location and remote policy put it in (JURISDICTIONS order)."""
    spec = checked.spec
    found: set[str] = set()
    location = spec.location
    if location and location.countryCode:
        country = location.countryCode
        region = (location.region or "").strip().lower()
        city = (location.city or "").strip().lower()
        if country == "US":
            for code, names in _STATES.items():
                if region in names:
                    found.add(code)
            if city in _NYC_PLACES and (not region or region in _STATES["US-NY"]):
                found |= {"US-NY-NYC", "US-NY"}
        elif country in EU_COUNTRIES:
            found.add("EU")
        elif country == "JP":
            found.add("JP")
    remote = spec.remote if isinstance(spec.remote, Remote) else None
    if checked.remote_policy == "full" and remote:
        regions = [r.strip().lower() for r in remote.regions]
        if "US" in remote.countries:
            # a US-wide remote job could be filled in any of these states, so their laws apply
            named = [code for code, names in _STATES.items() if any(r in names for r in regions)]
            found |= set(named or _US_REMOTE)
            if "US-NY" in named:
                found.add("US-NY-NYC")
        if any(c in EU_COUNTRIES for c in remote.countries) or "eu" in regions:
            found.add("EU")
        if "JP" in remote.countries:
            found.add("JP")
    if _excludes_colorado(checked):
        found.add("US-CO")
    return [code for code in JURISDICTIONS if code in found]


def jurisdictions(checked: CheckedSpec) -> list[str]:
    """The spec's own ``jurisdictions:`` list, else the inferred one."""
    given = checked.spec.jurisdictions
    return list(dict.fromkeys(given)) if given is not None else infer(checked)


# -- the tests ------------------------------------------------------------------------------------


def _needs_range(checked: CheckedSpec) -> tuple | None:
    if checked.salary_min is not None and checked.salary_max is not None:
        return None
    return ("salary",) if checked.spec.salary is not None else ()


def _needs_starting_pay(checked: CheckedSpec) -> tuple | None:
    if checked.salary_min is not None or checked.salary_max is not None:
        return None
    return ("salary",) if checked.spec.salary is not None else ()


def _needs_benefits(checked: CheckedSpec) -> tuple | None:
    return None if checked.spec.benefits else ()


def _needs_close_date(checked: CheckedSpec) -> tuple | None:
    return None if checked.spec.valid_through else ()


def _pay_history_question(checked: CheckedSpec) -> tuple | None:
    for index, question in enumerate(checked.spec.interview_questions):
        if asks_pay_history(question):
            return ("interview_questions", index)
    return None


def _excludes_colorado(checked: CheckedSpec) -> tuple | None:
    spec = checked.spec
    texts: list[tuple[tuple, str | None]] = [(("title",), spec.title), (("description",), spec.description)]
    if isinstance(spec.remote, Remote):
        texts += [(("remote", "regions", i), r) for i, r in enumerate(spec.remote.regions)]
        texts.append((("remote", "time_zones"), spec.remote.time_zones))
    elif isinstance(spec.remote, str):
        texts.append((("remote",), spec.remote))
    if spec.how_to_apply:
        texts.append((("how_to_apply", "instructions"), spec.how_to_apply.instructions))
    texts += [(("qualifications", i), q) for i, q in enumerate(spec.qualifications)]
    for key, text in texts:
        if text and _EXCLUDES_COLORADO.search(text):
            return key
    return None


def _gendered_title(checked: CheckedSpec) -> tuple | None:
    return ("title",) if _GENDERED_TITLE.search(checked.spec.title) else None


def _needs_scope_of_change(checked: CheckedSpec) -> tuple | None:
    scope = checked.spec.scope_of_change
    if scope and scope.duties and scope.work_location:
        return None
    return ("scope_of_change",) if scope else ()


_FIXED_TERM_WORDS = ("fixed-term", "fixed term", "有期", "契約社員")


def _needs_renewal(checked: CheckedSpec) -> tuple | None:
    spec = checked.spec
    fixed = any(t in ("TEMPORARY", "CONTRACTOR") for t in checked.employment_types) or any(
        w in (spec.type or "").lower() for w in _FIXED_TERM_WORDS
    )
    return () if fixed and not spec.contract_renewal else None


_PAY_HISTORY_FIX = "remove the question; ask what pay the applicant expects instead"


def _pay_history_rule(rule_id: str, jurisdiction: str, source: str, effective: date) -> Rule:
    return Rule(
        rule_id,
        jurisdiction,
        source,
        effective,
        "an interview question asks for the applicant's current or past pay",
        _PAY_HISTORY_FIX,
        _pay_history_question,
    )


def _benefits_rule(rule_id: str, jurisdiction: str, source: str, effective: date) -> Rule:
    return Rule(
        rule_id,
        jurisdiction,
        source,
        effective,
        "the posting must describe the benefits and other compensation",
        "add benefits: a list such as health insurance, retirement plan, paid time off, bonus",
        _needs_benefits,
    )


_JP_SOURCE = (
    "職業安定法施行規則 第4条の2第3項 (Employment Security Act Enforcement Regulation, 2024 amendment)"
)
RULES: tuple[Rule, ...] = (
    Rule(
        "nyc-pay-range",
        "US-NY-NYC",
        "NYC Human Rights Law, N.Y.C. Admin. Code § 8-107(32) (Local Law 32 of 2022)",
        date(2022, 11, 1),
        "the posting must state the good-faith minimum and maximum salary",
        "add salary.min and salary.max: the range you believe in good faith you would pay",
        _needs_range,
    ),
    _pay_history_rule(
        "nyc-pay-history",
        "US-NY-NYC",
        "N.Y.C. Admin. Code § 8-107(25) (Local Law 67 of 2017)",
        date(2017, 10, 31),
    ),
    Rule(
        "nys-pay-range",
        "US-NY",
        "New York Labor Law § 194-b",
        date(2023, 9, 17),
        "the posting must state the good-faith minimum and maximum compensation",
        "add salary.min and salary.max",
        _needs_range,
    ),
    _pay_history_rule("nys-pay-history", "US-NY", "New York Labor Law § 194-a", date(2020, 1, 6)),
    Rule(
        "ca-pay-scale",
        "US-CA",
        "California Labor Code § 432.3(c)(3) (SB 1162)",
        date(2023, 1, 1),
        "the posting must include the pay scale (the range you reasonably expect to pay), "
        "also for a remote job that could be filled in California",
        "add salary.min and salary.max",
        _needs_range,
    ),
    _pay_history_rule("ca-pay-history", "US-CA", "California Labor Code § 432.3(a)-(b)", date(2018, 1, 1)),
    Rule(
        "wa-pay-range",
        "US-WA",
        "Revised Code of Washington § 49.58.110(1)",
        date(2023, 1, 1),
        "the posting must disclose the wage scale or salary range",
        "add salary.min and salary.max",
        _needs_range,
    ),
    _benefits_rule("wa-benefits", "US-WA", "Revised Code of Washington § 49.58.110(1)", date(2023, 1, 1)),
    _pay_history_rule(
        "wa-pay-history", "US-WA", "Revised Code of Washington § 49.58.100(1)", date(2019, 7, 28)
    ),
    Rule(
        "co-pay-range",
        "US-CO",
        "Colorado Equal Pay for Equal Work Act, C.R.S. § 8-5-201(2)",
        date(2021, 1, 1),
        "the posting must state the hourly rate or salary range",
        "add salary.min and salary.max",
        _needs_range,
    ),
    _benefits_rule(
        "co-benefits", "US-CO", "Colorado Equal Pay for Equal Work Act, C.R.S. § 8-5-201(2)", date(2021, 1, 1)
    ),
    Rule(
        "co-close-date",
        "US-CO",
        "C.R.S. § 8-5-201 as amended by SB 23-105",
        date(2024, 1, 1),
        "the posting must give the date the application window is expected to close",
        "add valid_through: YYYY-MM-DD",
        _needs_close_date,
    ),
    Rule(
        "co-no-exclusion",
        "US-CO",
        "Colorado Equal Pay Transparency Rules, 7 CCR 1103-13",
        date(2021, 1, 1),
        "a remote job may not exclude Colorado applicants to avoid the posting rules",
        "remove the exclusion and add the range, benefits and closing date",
        _excludes_colorado,
    ),
    _pay_history_rule("co-pay-history", "US-CO", "C.R.S. § 8-5-102(2)", date(2021, 1, 1)),
    Rule(
        "eu-pay-info",
        "EU",
        "Pay Transparency Directive (EU) 2023/970, Art. 5(1)",
        date(2026, 6, 7),
        "applicants must be told the starting pay or its range before the interview",
        "add salary.min (the starting pay) or salary.min and salary.max",
        _needs_starting_pay,
    ),
    Rule(
        "eu-neutral-title",
        "EU",
        "Pay Transparency Directive (EU) 2023/970, Art. 5(3)",
        date(2026, 6, 7),
        "the job title must be gender-neutral",
        "use a neutral title (salesperson, chair, host...)",
        _gendered_title,
    ),
    _pay_history_rule(
        "eu-pay-history", "EU", "Pay Transparency Directive (EU) 2023/970, Art. 5(2)", date(2026, 6, 7)
    ),
    Rule(
        "jp-scope-of-change",
        "JP",
        _JP_SOURCE,
        date(2024, 4, 1),
        "the posting must state how far the duties and the work location may change",
        "add scope_of_change: {duties: ..., work_location: ...}",
        _needs_scope_of_change,
    ),
    Rule(
        "jp-renewal",
        "JP",
        _JP_SOURCE,
        date(2024, 4, 1),
        "a fixed-term posting must state whether and how the contract is renewed (and any renewal limit)",
        "add contract_renewal: the renewal criteria and any upper limit on renewals",
        _needs_renewal,
    ),
)


@dataclass(frozen=True)
class Finding:
    rule: Rule
    key: tuple


def check(checked: CheckedSpec, as_of: date) -> list[Finding]:
    """The rules of the spec's jurisdictions in force on ``as_of`` that the spec breaks."""
    places = set(jurisdictions(checked))
    out = []
    for rule in RULES:
        if rule.jurisdiction in places and rule.effective <= as_of:
            key = rule.test(checked)
            if key is not None:
                out.append(Finding(rule, key))
    return out


def forbids_pay_history(checked: CheckedSpec, as_of: date) -> bool:
    """True when a jurisdiction of the spec bans asking about pay history on ``as_of``."""
    places = set(jurisdictions(checked))
    return any(
        r.jurisdiction in places and r.effective <= as_of for r in RULES if r.test is _pay_history_question
    )
