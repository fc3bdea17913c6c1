"""Resume advice as checks: the sources' guidance turned into findings with a key path each.

Pure: takes a validated resume (``csmctl.documents.resume.Resume``, read through its attributes)
and ``today``; no I/O. Each finding names a rule, where it applies and how to fix it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from csmctl.domain.partial_dates import PartialDate

SUMMARY_MAX_SENTENCES = 3  # the sources: two or three sentences
SUMMARY_MAX_WORDS = 80
GAP_MONTHS = 6  # a longer break between jobs deserves a line of explanation
MAX_HIGHLIGHTS = 6
# words for one page / two pages; more than one page only with ten or more years of experience
ONE_PAGE_WORDS = 650
TWO_PAGE_WORDS = 1300
SENIOR_YEARS = 10
CONTACT_FIELDS = (("name", "full name"), ("email", "email address"), ("phone", "phone number"))

_NUMBER = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")
_WORDS = re.compile(r"\w+")
_DATED = ("work", "volunteer", "education", "projects")


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str  # key path
    message: str
    hint: str = ""


def lint(resume: Any, today: date) -> list[Finding]:
    """Every finding, in the order of the resume's sections."""
    findings: list[Finding] = []
    findings += _contact(resume)
    findings += _summary(resume)
    findings += _achievements(resume)
    findings += _dates(resume, today)
    findings += _gaps(resume, today)
    findings += _length(resume, today)
    return findings


def _contact(resume: Any) -> list[Finding]:
    b = resume.basics
    out = [
        Finding("contact", f"basics.{key}", f"no {what}", "put contact details at the top")
        for key, what in CONTACT_FIELDS
        if not (getattr(b, key) or "").strip()
    ]
    loc = b.location
    if loc is None or not ((loc.city or "").strip() or (loc.address or "").strip()):
        out.append(
            Finding(
                "contact",
                "basics.location",
                "no address or city",
                "add at least basics.location.city (and countryCode)",
            )
        )
    return out


def _summary(resume: Any) -> list[Finding]:
    text = (resume.basics.summary or "").strip()
    if not text:
        return [
            Finding(
                "summary",
                "basics.summary",
                "no professional summary",
                "add two or three sentences near the top: who you are, your book, your best result",
            )
        ]
    sentences = len(_SENTENCE_END.findall(text + " "))
    words = len(_WORDS.findall(text))
    if sentences > SUMMARY_MAX_SENTENCES or words > SUMMARY_MAX_WORDS:
        return [
            Finding(
                "summary",
                "basics.summary",
                f"summary is long ({sentences} sentences, {words} words)",
                f"keep it to {SUMMARY_MAX_SENTENCES} sentences and about {SUMMARY_MAX_WORDS} words",
            )
        ]
    return []


def _achievements(resume: Any) -> list[Finding]:
    out = []
    for i, job in enumerate(resume.work):
        if not job.highlights:
            out.append(
                Finding(
                    "achievements",
                    f"work[{i}].highlights",
                    "no achievements listed",
                    "add results with numbers: NRR, GRR, churn reduced, ARR and accounts managed",
                )
            )
        for j, text in enumerate(job.highlights):
            if not _NUMBER.search(text):
                out.append(
                    Finding(
                        "numbers",
                        f"work[{i}].highlights[{j}]",
                        "achievement without a number",
                        "quantify it: a %, an ARR amount, a count of accounts or days",
                    )
                )
        if len(job.highlights) > MAX_HIGHLIGHTS:
            out.append(
                Finding(
                    "length",
                    f"work[{i}].highlights",
                    f"{len(job.highlights)} highlights for one job",
                    f"keep the best {MAX_HIGHLIGHTS} or fewer",
                )
            )
    return out


def _all_dates(resume: Any) -> list[tuple[str, PartialDate]]:
    dates = []
    for section in _DATED:
        for i, item in enumerate(getattr(resume, section)):
            for key in ("startDate", "endDate"):
                value = getattr(item, key)
                if value is not None:
                    dates.append((f"{section}[{i}].{key}", value))
    return dates


def _dates(resume: Any, today: date) -> list[Finding]:
    out = []
    shape = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}
    order = {"day": 0, "month": 1, "year": 2}
    for section in _DATED:  # per section: degrees by year next to jobs by month is normal
        dates = [(w, d) for w, d in _all_dates(resume) if w.startswith(section + "[")]
        precisions = Counter(d.precision for _, d in dates)
        if len(precisions) < 2:
            continue
        # the most common precision wins; on a tie, the finer one (month beats year)
        usual = min(precisions, key=lambda p: (-precisions[p], order[p]))
        for where, value in dates:
            if value.precision != usual:
                out.append(
                    Finding(
                        "date-format",
                        where,
                        f"{value} is {shape[value.precision]}, the other {section} dates are {shape[usual]}",
                        "use one date format throughout",
                    )
                )
    for section in _DATED:
        for i, item in enumerate(getattr(resume, section)):
            start, end = item.startDate, item.endDate
            if start and end and end.last_month() < start.months():
                out.append(
                    Finding(
                        "dates",
                        f"{section}[{i}].endDate",
                        f"ends ({end}) before it starts ({start})",
                        "swap or fix the dates",
                    )
                )
            if start and start.months() > today.year * 12 + today.month - 1:
                out.append(
                    Finding(
                        "dates",
                        f"{section}[{i}].startDate",
                        f"starts in the future ({start})",
                        "check the year",
                    )
                )
    return out


def _periods(resume: Any, today: date) -> list[tuple[int, int, int]]:
    """(first month, last month, index) of each dated job; an open end runs to today."""
    now = today.year * 12 + today.month - 1
    periods = []
    for i, job in enumerate(resume.work):
        if job.startDate is None:
            continue
        end = job.endDate.last_month() if job.endDate else now
        periods.append((job.startDate.months(), max(end, job.startDate.months()), i))
    return sorted(periods)


def _gaps(resume: Any, today: date) -> list[Finding]:
    out = []
    periods = _periods(resume, today)
    covered_to = None
    for start, end, i in periods:
        if covered_to is not None and start - covered_to - 1 > GAP_MONTHS:
            months = start - covered_to - 1
            out.append(
                Finding(
                    "gap",
                    f"work[{i}].startDate",
                    f"{months} months without a listed job before this one",
                    "explain the gap (study, caregiving, a sabbatical) or add what you did",
                )
            )
        covered_to = end if covered_to is None else max(covered_to, end)
    now = today.year * 12 + today.month - 1
    if covered_to is not None and now - covered_to > GAP_MONTHS:
        last = periods[-1][2] if periods else 0
        out.append(
            Finding(
                "gap",
                f"work[{last}].endDate",
                f"no job listed for the last {now - covered_to} months",
                "add your current role, or say what you are doing now in the summary",
            )
        )
    return out


def experience_years(resume: Any, today: date) -> float:
    """Years of work experience, overlapping jobs counted once."""
    total, covered_to = 0, None
    for start, end, _ in _periods(resume, today):
        if covered_to is not None and start <= covered_to:
            start = covered_to + 1
        if end >= start:
            total += end - start + 1
        covered_to = end if covered_to is None else max(covered_to, end)
    return total / 12


def _length(resume: Any, today: date) -> list[Finding]:
    words = sum(len(_WORDS.findall(text)) for _, text in resume.passages())
    years = experience_years(resume, today)
    limit, pages = (ONE_PAGE_WORDS, "one page") if years < SENIOR_YEARS else (TWO_PAGE_WORDS, "two pages")
    if words > limit:
        return [
            Finding(
                "length",
                "",
                f"{words} words is long for {years:.0f} years of experience",
                f"aim for {pages} (about {limit} words): cut older or less relevant detail",
            )
        ]
    return []
