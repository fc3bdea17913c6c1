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


def _pay_range_rule(
    rule_id: str,
    jurisdiction: str,
    source: str,
    effective: date,
    checks: str,
    fix: str = "add salary.min and salary.max",
) -> Rule:
    """A posting must carry a pay range (minimum and maximum); ``checks`` words it as the law does."""
    return Rule(rule_id, jurisdiction, source, effective, checks, fix, _needs_range)


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


# Sources, checked 2026-11 (employer-size thresholds are noted here; a spec does not say the
# employer's size, so the rules apply whatever it is):
# - NYC: Local Law 32 of 2022 (enacted 2022-01-15) added Admin. Code § 8-107(32); Local Law 59 of
#   2022 (Int. 134-A, signed 2022-05-12) moved its start from 2022-05-15 to 2022-11-01 and kept it
#   to jobs performed at least in part in the city. Employers with 4+ employees (one in NYC).
#   Pay history: § 8-107(25), Local Law 67 of 2017, in force 2017-10-31.
#   https://www.theemployerreport.com/2022/05/new-york-city-employers-can-breathe-a-little-easier-nyc-pay-transparency-laws-effective-date-is-now-november-1-2022/
# - New York State: Labor Law § 194-b, signed 2022-12-21, in force 2023-09-17 (amended 2023-03-03
#   before it started); employers with 4+ employees; jobs performed at least in part in the state or
#   reporting to a supervisor there. Pay history: § 194-a, in force 2020-01-06.
#   https://www.nixonpeabody.com/insights/alerts/2022/12/21/new-york-state-pay-transparency-law-effective-september-17-2023
# - California: Labor Code § 432.3(c)(3), added by SB 1162 (2022), in force 2023-01-01; employers
#   with 15+ employees (the Labor Commissioner counts them anywhere, one in California), any job that
#   could be filled in California, remote included. Pay history: § 432.3(a)-(b) (AB 168), 2018-01-01.
#   https://www.californiaemploymentlawreport.com/2023/03/californias-requirement-to-publish-pay-scale-in-job-postings/
# - Washington: RCW 49.58.110(1) as amended by ESSB 5761 (ch. 242, Laws of 2022), in force
#   2023-01-01: the wage scale or salary range and a general description of all benefits and other
#   compensation; employers with 15+ employees. Pay history: RCW 49.58.100(1) (HB 1696), 2019-07-28.
#   https://lawfilesext.leg.wa.gov/biennium/2021-22/Htm/Bills/Session%20Laws/Senate/5761-S.SL.htm
# - Colorado: Equal Pay for Equal Work Act (SB 19-085), C.R.S. § 8-5-201, in force 2021-01-01: the
#   pay or its range and a general description of benefits; every employer with at least one employee
#   in Colorado (no size threshold). SB 23-105, in force 2024-01-01, rewrote § 8-5-201 around "job
#   opportunities" and added the application deadline. The Equal Pay Transparency Rules (7 CCR
#   1103-13, 2021-01-01; CDLE INFO #9) bar excluding Colorado from a remote job to avoid them. Pay
#   history: § 8-5-102(2), 2021-01-01.
#   https://www.workforcebulletin.com/colorado-employers-pay-transparency-obligations-are-changing-in-2024
# - EU: Pay Transparency Directive (EU) 2023/970, Art. 5 (starting pay or range before the interview,
#   no pay-history questions, gender-neutral vacancy notices and titles); every employer, whatever
#   its size (the size thresholds are for the gap reports of Art. 9). Member States must transpose it
#   by 2026-06-07 (Art. 34), so that is the date used; a State that is late applies it later.
#   https://multicomply.com/blog/eu-pay-transparency-directive-guide
# - Japan: 職業安定法 第5条の3第4項 and 施行規則 第4条の2第3項, amended by 令和5年厚生労働省令第89号
#   (2023-06-28), in force 2024-04-01: a job offer must state how far the duties and the work location
#   may change (変更の範囲), and for a renewable fixed-term contract the renewal criteria and any upper
#   limit on the total term or the number of renewals (第2号の3); every employer recruiting.
#   https://www.jil.go.jp/kokunai/mm/hourei/syourei/20230628.html
_JP_SOURCE = "職業安定法施行規則 第4条の2第3項 (Employment Security Act Enforcement Regulation, as amended in force 2024-04-01)"
RULES: tuple[Rule, ...] = (
    _pay_range_rule(
        "nyc-pay-range",
        "US-NY-NYC",
        "NYC Human Rights Law, N.Y.C. Admin. Code § 8-107(32) (Local Laws 32 and 59 of 2022)",
        date(2022, 11, 1),
        "the posting must state the good-faith minimum and maximum salary",
        "add salary.min and salary.max: the range you believe in good faith you would pay",
    ),
    _pay_history_rule(
        "nyc-pay-history",
        "US-NY-NYC",
        "N.Y.C. Admin. Code § 8-107(25) (Local Law 67 of 2017)",
        date(2017, 10, 31),
    ),
    _pay_range_rule(
        "nys-pay-range",
        "US-NY",
        "New York Labor Law § 194-b",
        date(2023, 9, 17),
        "the posting must state the good-faith minimum and maximum compensation",
    ),
    _pay_history_rule("nys-pay-history", "US-NY", "New York Labor Law § 194-a", date(2020, 1, 6)),
    _pay_range_rule(
        "ca-pay-scale",
        "US-CA",
        "California Labor Code § 432.3(c)(3) (SB 1162)",
        date(2023, 1, 1),
        "the posting must include the pay scale (the range you reasonably expect to pay), "
        "also for a remote job that could be filled in California",
    ),
    _pay_history_rule("ca-pay-history", "US-CA", "California Labor Code § 432.3(a)-(b)", date(2018, 1, 1)),
    _pay_range_rule(
        "wa-pay-range",
        "US-WA",
        "Revised Code of Washington § 49.58.110(1) (ESSB 5761)",
        date(2023, 1, 1),
        "the posting must disclose the wage scale or salary range",
    ),
    _benefits_rule(
        "wa-benefits", "US-WA", "Revised Code of Washington § 49.58.110(1) (ESSB 5761)", date(2023, 1, 1)
    ),
    _pay_history_rule(
        "wa-pay-history", "US-WA", "Revised Code of Washington § 49.58.100(1)", date(2019, 7, 28)
    ),
    _pay_range_rule(
        "co-pay-range",
        "US-CO",
        "Colorado Equal Pay for Equal Work Act, C.R.S. § 8-5-201",
        date(2021, 1, 1),
        "the posting must state the hourly rate or salary range",
    ),
    _benefits_rule(
        "co-benefits", "US-CO", "Colorado Equal Pay for Equal Work Act, C.R.S. § 8-5-201", date(2021, 1, 1)
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
