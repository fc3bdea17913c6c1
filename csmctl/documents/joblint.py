"""What a careful recruiter would say about a job spec.

``lint(checked, as_of=...)`` returns located findings (``problem.field`` is the key path), each
with a rule id and a severity. Errors: placeholders left from ``jd new``, JobPosting properties
Google requires (jobposting.gaps), and the posting laws of the spec's jurisdictions in force on
``as_of`` (jobrules). Warnings: the recommended JobPosting properties and the advice below. The CLI
lists them; errors fail ``jd lint``, and ``--strict`` fails on warnings too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from csmctl.documents.jobspec import CheckedSpec, Company
from csmctl.errors import Problem

MAX_REQUIREMENTS = 10
MAX_RESPONSIBILITIES = 12
# years of experience that fit each level (inclusive)
LEVEL_YEARS = {"associate": (0, 2), "csm": (1, 5), "senior": (3, 10), "lead": (5, 15), "manager": (5, 20)}
_YEARS = re.compile(
    r"(?<!\d)(\d{1,2})\s*\+?\s*(?:-|to|〜|~)?\s*(?:\d{1,2}\s*)?(?:years?|yrs?|年以上|年)", re.IGNORECASE
)
_JUNIOR_WORDS = ("entry level", "entry-level", "junior", "graduate", "新卒", "未経験")
_SENIOR_WORDS = ("senior", "principal", "director", "head of", "シニア", "管理職")
_MANAGES_WORDS = (
    "manage a team",
    "people management",
    "supervis",
    "direct reports",
    "lead a team",
    "マネジメント経験",
    "管理職",
    "チームリーダー",
    "チームの採用",
    "育成",
)


# hosts `jd new` and documentation examples use (RFC 2606); a real posting never links to them
PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class LintWarning:
    rule: str
    problem: Problem
    severity: str = "warning"  # or "error"


def lint(checked: CheckedSpec, *, as_of: date) -> list[LintWarning]:
    from csmctl.documents import jobrules
    from csmctl.documents.jobposting import gaps

    spec = checked.spec
    out: list[LintWarning] = [LintWarning("spec", p) for p in checked.warnings]

    def warn(rule: str, message: str, key: tuple = (), hint: str | None = None, severity="warning") -> None:
        out.append(LintWarning(rule, checked.locate.problem(message, key, hint=hint), severity))

    for key, value in placeholders(checked):
        warn(
            "placeholder", f"{value!r} is a placeholder from `jd new`", key, "replace it with yours", "error"
        )
    for gap in gaps(checked):
        what = "Google requires" if gap.severity == "error" else "Google recommends"
        warn(f"jobposting-{gap.prop}", f"{gap.message} ({what} {gap.prop})", gap.key, gap.hint, gap.severity)
    for finding in jobrules.check(checked, as_of):
        rule = finding.rule
        warn(
            rule.id,
            f"{jobrules.JURISDICTION_NAMES[rule.jurisdiction]}: {rule.checks}",
            finding.key,
            f"{rule.fix} ({rule.source})",
            "error",
        )

    if not spec.mission:
        warn(
            "missing-mission",
            "no mission statement",
            (),
            hint="add mission: one or two sentences on why the role exists; candidates read it first",
        )
    if (checked.salary_min is None) != (checked.salary_max is None):
        warn(
            "no-salary-range",
            "salary gives only one end of the range",
            ("salary",),
            hint="add both salary.min and salary.max",
        )
    if len(spec.qualifications) > MAX_REQUIREMENTS:
        warn(
            "long-requirements",
            f"{len(spec.qualifications)} requirements; more than {MAX_REQUIREMENTS} "
            "puts off good candidates who miss one",
            ("qualifications",),
            hint="keep the ones you would really reject for; move the rest to 'nice to have' in the description",
        )
    if len(spec.responsibilities) > MAX_RESPONSIBILITIES:
        warn(
            "long-responsibilities",
            f"{len(spec.responsibilities)} responsibilities; more than "
            f"{MAX_RESPONSIBILITIES} hides what matters",
            ("responsibilities",),
        )
    if spec.level:
        _level_checks(checked, spec.level, warn)
    if not spec.outcomes or not (spec.outcomes.first_90_days or spec.outcomes.first_year):
        warn(
            "no-outcomes",
            "no outcomes for the first 90 days or first year",
            (),
            hint="add outcomes: they become the scorecard interviewers rate against",
        )
    return sorted(out, key=lambda w: (w.problem.line or 0, w.problem.field or "", w.rule))


def placeholders(checked: CheckedSpec) -> list[tuple[tuple, str]]:
    """Values `jd new` writes for the user to replace: the sample company and example.com links."""
    from csmctl.documents.hiring_content import COMPANY

    spec = checked.spec
    found: list[tuple[tuple, str]] = []
    company = spec.company
    name = checked.company_name
    if name and name.strip() in COMPANY.values():
        found.append((("company", "name") if isinstance(company, Company) else ("company",), name))
    links: list[tuple[tuple, str | None]] = []
    if isinstance(company, Company):
        links += [(("company", "url"), company.url), (("company", "logo"), company.logo)]
    if spec.how_to_apply:
        links += [(("how_to_apply", "url"), spec.how_to_apply.url)]
        links += [(("how_to_apply", "email"), spec.how_to_apply.email)]
    if spec.meta:
        links.append((("meta", "canonical"), spec.meta.canonical))
    for key, value in links:
        if value and _placeholder_host(value):
            found.append((key, value))
    return found


def _placeholder_host(value: str) -> bool:
    host = value.rsplit("@", 1)[1] if "@" in value and "://" not in value else urlsplit(value).hostname or ""
    host = host.lower()
    return any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS)


def _level_checks(checked: CheckedSpec, level: str, warn) -> None:
    spec = checked.spec
    low, high = LEVEL_YEARS[level]
    texts: list[tuple[str, int | None, str]] = [
        ("qualifications", i, q) for i, q in enumerate(spec.qualifications)
    ]
    if spec.experience:
        texts.append(("experience", None, spec.experience))
    for key, index, text in texts:
        path = (key,) if index is None else (key, index)
        for match in _YEARS.finditer(text):
            years = int(match.group(1))
            if years > high:
                warn(
                    "level-contradiction",
                    f"asks for {years} years, a lot for the {level} level",
                    path,
                    hint=f"{level} roles usually ask {low}-{high} years; raise the level or lower the bar",
                )
            elif years < low and not any(w in text.lower() for w in _MANAGES_WORDS):  # years *as a manager*
                warn(
                    "level-contradiction",
                    f"asks for only {years} years at the {level} level",
                    path,
                    hint=f"{level} roles usually ask {low}-{high} years",
                )
        lowered = text.lower()
        if level in ("senior", "lead", "manager") and any(w in lowered for w in _JUNIOR_WORDS):
            warn("level-contradiction", f"junior wording at the {level} level", path)
        if level in ("associate", "csm") and any(w in lowered for w in _SENIOR_WORDS):
            warn("level-contradiction", f"senior wording at the {level} level", path)
    if level == "manager":
        everything = " ".join(spec.qualifications + spec.responsibilities).lower()
        if not any(w in everything for w in _MANAGES_WORDS):
            warn(
                "level-contradiction",
                "a manager role that asks for no people-management experience",
                ("qualifications",),
                hint="add supervisory experience to the requirements",
            )
