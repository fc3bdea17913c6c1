"""What an applicant tracking system reads from a resume PDF: ``check_pdf(pdf, resume, lang)``.

The PDF's text is extracted with pypdf (the way most ATS parsers see it) and checked: there is
text on every page (not a picture of text), the standard section headings are there and each
section's content sits under its own heading, every employer, title and date range is present
and in the resume's order, and the contact details are text. With the resume's data the check is
exact; from a PDF alone it checks headings, text and contact details. The score starts at 100 and
loses 25 per error and 5 per warning.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from csmctl.documents.resume import Resume
from csmctl.documents.resume_render import LABELS, format_period
from csmctl.errors import CsmctlError

# the sections an ATS maps, in the label table's keys
SECTIONS: tuple[str, ...] = ("summary", "work", "volunteer", "education", "skills", "certificates")
SECTIONS += ("awards", "publications", "languages", "projects", "interests", "references")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
ERROR_COST, WARNING_COST = 25, 5


@dataclass(frozen=True)
class CheckProblem:
    severity: str  # error or warning
    rule: str
    message: str
    hint: str | None = None


@dataclass
class CheckResult:
    pages: int
    lang: str
    headings: list[str] = field(default_factory=list)  # the section headings found, in reading order
    problems: list[CheckProblem] = field(default_factory=list)

    @property
    def score(self) -> int:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        return max(0, 100 - ERROR_COST * errors - WARNING_COST * warnings)

    @property
    def errors(self) -> list[CheckProblem]:
        return [p for p in self.problems if p.severity == "error"]


def read_pdf(pdf: bytes) -> tuple[list[str], list[int]]:
    """Each page's extracted text and how many images it has."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise CsmctlError(
            "Cannot read PDFs: the pypdf package is not installed.",
            "pip install 'csmctl[pdf]' (it adds typst and pypdf).",
        ) from None
    try:
        reader = PdfReader(io.BytesIO(pdf))
        texts = [page.extract_text() or "" for page in reader.pages]
        images = [len(page.images) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise CsmctlError(
            f"Not a readable PDF: {error}", "Give a PDF file or a resume (YAML/JSON)."
        ) from None
    return texts, images


def page_count(pdf: bytes) -> int:
    return len(read_pdf(pdf)[0])


def _squash(text: str) -> str:
    """Text without whitespace and with dashes unified: extraction splits lines and CJK words freely."""
    return re.sub(r"\s+", "", text).replace("—", "-").replace("–", "-").casefold()


def _heading_lines(texts: list[str], lang: str) -> list[tuple[str, int]]:
    """(section key, position in the squashed text) for each line that is a standard heading."""
    labels = {_squash(LABELS[lang][key]): key for key in SECTIONS}
    found, offset = [], 0
    for page in texts:
        for line in page.splitlines():
            key = labels.get(_squash(line))
            if key:
                found.append((key, offset))
            offset += len(_squash(line))
    return found


def check_pdf(pdf: bytes, resume: Resume | None = None, lang: str | None = None) -> CheckResult:
    texts, images = read_pdf(pdf)
    if lang is None:  # the language whose headings the PDF uses
        lang = max(LABELS, key=lambda code: len(_heading_lines(texts, code)))
    result = CheckResult(pages=len(texts), lang=lang)
    problem = result.problems.append
    for number, (text, count) in enumerate(zip(texts, images, strict=True), start=1):
        if len(text.strip()) < 40:
            problem(
                CheckProblem(
                    "error",
                    "image-text" if count else "no-text",
                    f"page {number} has no text an ATS can read"
                    + (f" ({count} image{'s' if count != 1 else ''})" if count else ""),
                    "export the resume as text (csmctl resume render -f pdf), not as a scan or a picture",
                )
            )
    whole = _squash("".join(texts))
    headings = _heading_lines(texts, lang)
    result.headings = [key for key, _ in headings]
    labels = LABELS[lang]
    if "work" not in result.headings:
        problem(
            CheckProblem(
                "error",
                "heading",
                f"no standard {labels['work']!r} heading on its own line",
                f"ATS parsers look for headings such as {labels['work']!r} and {labels['education']!r}",
            )
        )
    for key in dict.fromkeys(result.headings):
        if result.headings.count(key) > 1:
            problem(CheckProblem("warning", "heading", f"the {labels[key]!r} heading appears more than once"))
    if resume is None:
        if whole and not _EMAIL.search(" ".join(texts)):
            problem(
                CheckProblem("warning", "contact", "no email address in the text", "put it in the header")
            )
        return result
    _check_contact(resume, whole, " ".join(texts), problem)
    _check_entries(resume, whole, headings, lang, problem)
    return result


def _check_contact(resume: Resume, whole: str, raw: str, problem) -> None:
    basics = resume.basics
    if basics.email and _squash(basics.email) not in whole:
        problem(
            CheckProblem(
                "error",
                "contact",
                f"the email {basics.email} is not in the text",
                "write it as text, not an icon",
            )
        )
    if basics.phone:
        digits = re.sub(r"\D", "", basics.phone)
        if digits and digits not in re.sub(r"\D", "", raw):
            problem(CheckProblem("error", "contact", f"the phone number {basics.phone} is not in the text"))
    if basics.name and _squash(basics.name) not in whole:
        problem(CheckProblem("error", "contact", f"the name {basics.name!r} is not in the text"))


def _check_entries(resume: Resume, whole: str, headings: list[tuple[str, int]], lang: str, problem) -> None:
    """Every job's employer, title and dates, in order, inside the work section."""
    work_at = next((pos for key, pos in headings if key == "work"), None)
    after = [pos for _, pos in headings if work_at is not None and pos > work_at]
    section_end = min(after) if after else len(whole)
    cursor = work_at or 0
    for index, job in enumerate(resume.work):
        pieces = [
            ("employer", job.name),
            ("title", job.position),
            ("dates", format_period(job.startDate, job.endDate, lang)),
        ]
        where: list[int] = []
        for what, value in pieces:
            if not value:
                continue
            needle = _squash(value)
            position = whole.find(needle, cursor)
            if position == -1:
                anywhere = whole.find(needle) != -1
                problem(
                    CheckProblem(
                        "error",
                        "order" if anywhere else "missing",
                        f"work[{index}] {what} {value!r} is "
                        + ("out of reading order" if anywhere else "not in the text"),
                        "use a one-column layout: ATS parsers read text in the order it is drawn"
                        if anywhere
                        else "keep every job's employer, title and dates as text",
                    )
                )
                continue
            if position >= section_end:
                problem(
                    CheckProblem(
                        "error",
                        "order",
                        f"work[{index}] {what} {value!r} is read after the next section's heading",
                        "keep each section's content under its own heading, in one column",
                    )
                )
            where.append(position)
        if where:
            cursor = max(where) + 1
