"""What a careful recruiter would say about a job spec: warnings, not errors.

``lint(checked)`` returns located ``Problem`` rows (``.field`` is the key path) with a short
rule id in ``.value``-free messages; the CLI lists them and ``--strict`` turns them into exit 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from csmctl.documents.jobspec import CheckedSpec, Remote, Salary
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


@dataclass(frozen=True)
class LintWarning:
    rule: str
    problem: Problem


def lint(checked: CheckedSpec) -> list[LintWarning]:
    spec = checked.spec
    out: list[LintWarning] = [LintWarning("spec", p) for p in checked.warnings]

    def warn(rule: str, message: str, key: tuple = (), hint: str | None = None) -> None:
        out.append(LintWarning(rule, checked.locate.problem(message, key, hint=hint)))

    if not spec.mission:
        warn(
            "missing-mission",
            "no mission statement",
            (),
            hint="add mission: one or two sentences on why the role exists; candidates read it first",
        )
    salary = spec.salary
    if salary is None:
        warn(
            "no-salary-range",
            "no salary range",
            (),
            hint="several places require pay ranges in postings; add salary: {min, max, currency}",
        )
    elif not isinstance(salary, Salary):
        warn(
            "no-salary-range",
            "salary is free text, not a range",
            ("salary",),
            hint="write salary as {min, max, currency, period} so job boards can show it",
        )
    elif checked.salary_min is None or checked.salary_max is None:
        warn(
            "no-salary-range",
            "salary gives only one end of the range",
            ("salary",),
            hint="add both salary.min and salary.max",
        )
    policy = checked.remote_policy
    remote = spec.remote if isinstance(spec.remote, Remote) else None
    if policy == "full" and not (remote and (remote.countries or remote.regions)):
        warn(
            "remote-without-location",
            "fully remote, but no countries or regions candidates may live in",
            ("remote",),
            hint="add remote.countries (ISO codes) or remote.regions; search engines require it",
        )
    if policy != "full" and not (spec.location and spec.location.countryCode):
        warn(
            "no-location",
            "no location country for a job that is not fully remote",
            ("location",),
            hint="add location.countryCode (and city); job search needs an address country",
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
        _level_checks(checked, warn)
    if not spec.outcomes or not (spec.outcomes.first_90_days or spec.outcomes.first_year):
        warn(
            "no-outcomes",
            "no outcomes for the first 90 days or first year",
            (),
            hint="add outcomes: they become the scorecard interviewers rate against",
        )
    if not spec.description and not spec.responsibilities:
        warn("no-description", "no description and no responsibilities", ())
    return sorted(out, key=lambda w: (w.problem.line or 0, w.problem.field or "", w.rule))


def _level_checks(checked: CheckedSpec, warn) -> None:
    spec = checked.spec
    low, high = LEVEL_YEARS[spec.level]
    texts = [("qualifications", i, q) for i, q in enumerate(spec.qualifications)]
    if spec.experience:
        texts.append(("experience", None, spec.experience))
    for key, index, text in texts:
        path = (key,) if index is None else (key, index)
        for match in _YEARS.finditer(text):
            years = int(match.group(1))
            if years > high:
                warn(
                    "level-contradiction",
                    f"asks for {years} years, a lot for the {spec.level} level",
                    path,
                    hint=f"{spec.level} roles usually ask {low}-{high} years; raise the level or lower the bar",
                )
            elif years < low and not any(w in text.lower() for w in _MANAGES_WORDS):  # years *as a manager*
                warn(
                    "level-contradiction",
                    f"asks for only {years} years at the {spec.level} level",
                    path,
                    hint=f"{spec.level} roles usually ask {low}-{high} years",
                )
        lowered = text.lower()
        if spec.level in ("senior", "lead", "manager") and any(w in lowered for w in _JUNIOR_WORDS):
            warn("level-contradiction", f"junior wording at the {spec.level} level", path)
        if spec.level in ("associate", "csm") and any(w in lowered for w in _SENIOR_WORDS):
            warn("level-contradiction", f"senior wording at the {spec.level} level", path)
    if spec.level == "manager":
        everything = " ".join(spec.qualifications + spec.responsibilities).lower()
        if not any(w in everything for w in _MANAGES_WORDS):
            warn(
                "level-contradiction",
                "a manager role that asks for no people-management experience",
                ("qualifications",),
                hint="add supervisory experience to the requirements",
            )
