"""A one-page cover letter drafted from a resume and a job: ``render_letter(...)``.

The keyword matcher (domain/keywords.py) says which of the job's terms the resume covers and
where; the letter quotes up to three of those resume passages (highlights first) as evidence,
each with the job's terms it shows. Templates are ``resume/letter/<theme>.<md|html|typ>.j2``, so
the letter looks like the resume of the same theme; PDF goes through Typst like the resume.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from csmctl.documents.resume import Resume
from csmctl.errors import NotFound

FORMATS = ("md", "html", "pdf")
MAX_EVIDENCE = 3

WORDS = {
    "en": {
        "greeting": "Dear {company} hiring team,",
        "greeting_plain": "Dear hiring team,",
        "opening": "I am applying for the {title} role{at}. Here is how my experience matches what you ask for.",
        "at": " at {company}",
        "evidence": "Where I have done this",
        "shows": "shows",
        "closing": "I would welcome a conversation about how I can help your customers succeed.",
        "sign_off": "Kind regards,",
        "role": "open",
        "letter": "Cover letter",
    },
    "ja": {
        "greeting": "{company} 採用ご担当者様",
        "greeting_plain": "採用ご担当者様",
        "opening": "{at}{title}の募集に応募いたします。募集要項と私の経験が合致する点は次のとおりです。",
        "at": "貴社 {company} の",
        "evidence": "これまでの実績",
        "shows": "該当項目",
        "closing": "貴社のお客様の成功にどのように貢献できるか、ぜひ一度お話しする機会をいただけますと幸いです。",
        "sign_off": "敬具",
        "role": "募集ポジション",
        "letter": "カバーレター",
    },
}


def evidence(resume: Resume, coverage) -> list[dict[str, Any]]:
    """Up to three resume passages that cover the most job terms, highlights before other text."""
    passages = dict(resume.passages())
    found: dict[str, list[str]] = {}
    for m in coverage.matches:
        if not m.covered:
            continue
        for path in m.where:
            if path.startswith("basics.name"):
                continue
            found.setdefault(path, [])
            if m.term not in found[path]:
                found[path].append(m.term)

    def rank(item: tuple[str, list[str]]) -> tuple:
        path, terms = item
        return (
            ".highlights[" not in path and ".summary" not in path,
            -len(terms),
            list(passages).index(path),
        )

    best = sorted(found.items(), key=rank)[:MAX_EVIDENCE]
    best.sort(key=lambda item: list(passages).index(item[0]))  # in resume order
    return [{"where": path, "text": passages[path], "terms": terms} for path, terms in best]


def letter_context(
    resume: Resume, job: dict[str, str | None], coverage, *, lang: str, today: date
) -> dict[str, Any]:
    from csmctl.documents.locale import format_date
    from csmctl.documents.resume_render import resume_context

    words = WORDS[lang]
    title = job.get("title") or words["role"]
    company = job.get("company")
    context = resume_context(resume, lang)
    context["letter"] = {
        "date": format_date(today, lang),
        "title": title,
        "company": company,
        "greeting": words["greeting"].format(company=company) if company else words["greeting_plain"],
        "opening": words["opening"].format(
            title=title, at=words["at"].format(company=company) if company else ""
        ),
        "evidence": evidence(resume, coverage),
        "closing": words["closing"],
        "sign_off": words["sign_off"],
    }
    context["w"] = words
    return context


def template_name(dirs: list[Path], theme: str, fmt: str) -> str:
    from csmctl.documents.engine import find_template

    name = f"resume/letter/{theme}.{'typ' if fmt == 'pdf' else fmt}.j2"
    try:
        find_template(dirs, name)
    except NotFound:
        raise NotFound(
            f"Theme {theme!r} has no cover letter in {fmt}.",
            f"Add {name} to your template dir, or use --theme plain or modern.",
        ) from None
    return name


def render_letter(
    resume: Resume,
    job: dict[str, str | None],
    coverage,
    *,
    theme: str,
    fmt: str,
    dirs: list[Path],
    lang: str,
    today: date,
) -> str | bytes:
    """The letter as md or html text, or PDF bytes."""
    from csmctl.documents.engine import render
    from csmctl.documents.resume_render import environment

    name = template_name(dirs, theme, fmt)
    context = letter_context(resume, job, coverage, lang=lang, today=today)
    text = render(name, context, dirs=dirs, env=environment(dirs, fmt, lang))
    if fmt != "pdf":
        return text
    from csmctl.documents.resume_render import compile_typst

    pdf, _ = compile_typst(text.encode("utf-8"), what=f"the {theme} letter", hint=f"Check {name}.")
    return pdf
