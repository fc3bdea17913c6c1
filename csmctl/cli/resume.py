"""`csmctl resume ...`: a JSON Resume file in, validated, linted, matched to a job, rendered."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, OutputOpt, WatchOpt, doc_format_option, output_format
from csmctl.cli.options import watch as watch_files
from csmctl.cli.templates import TemplateDirOpt, template_dirs
from csmctl.errors import AlreadyExists, CsmctlError, InvalidValue, fail_if_found
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)

FileArg = Annotated[
    Path, typer.Argument(help="A JSON Resume file, YAML or JSON ('-' reads stdin).", dir_okay=False)
]


class DocFormat(StrEnum):
    md = "md"
    html = "html"
    txt = "txt"
    pdf = "pdf"
    typ = "typ"


class Lang(StrEnum):
    en = "en"
    ja = "ja"


@app.command()
def validate(file: FileArg) -> None:
    """Check a resume against the JSON Resume schema; list every problem with its line."""
    from csmctl.documents.resume import load_resume

    resume, _ = load_resume(str(file))
    jobs = len(resume.work)
    output.success(
        f"{file} is a valid resume ({jobs} job{'s' if jobs != 1 else ''}, "
        f"{len(resume.education)} education, {len(resume.skills)} skill groups)."
    )


@app.command()
def new(
    out: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Start a Customer Success Manager resume: a commented YAML scaffold to fill in."""
    from csmctl.documents.engine import find_template
    from csmctl.documents.input_schemas import with_schema_line
    from csmctl.files import is_stdout, write_text

    text = find_template(template_dirs(template_dir), "resume/new.yaml").read_text(encoding="utf-8")
    text = with_schema_line("resume", text)
    if out is not None and not is_stdout(out) and out.exists() and not force:
        raise AlreadyExists(f"{out} already exists.", "Use --force to overwrite it, or choose another -o.")
    write_text(out, text)
    if not is_stdout(out):
        output.success(f"Wrote {out}; fill it in, then `csmctl resume lint {out}`.")


ThemeOpt = Annotated[
    str,
    typer.Option("--theme", help="Theme: plain (ATS-safe) or modern; your own from the template dir."),
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", case_sensitive=False, help="Headings and dates in en or ja.")
]
AllowMissingFontOpt = Annotated[
    bool,
    typer.Option(
        "--allow-missing-font", help="Write a Japanese PDF even when no CJK font is installed (blank text)."
    ),
]


@app.command()
def render(
    file: FileArg,
    theme: ThemeOpt = "plain",
    fmt: Annotated[
        DocFormat | None,
        doc_format_option("md", "typ is the Typst source of the PDF. "),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = Lang.en,
    template_dir: TemplateDirOpt = None,
    max_pages: Annotated[
        int | None,
        typer.Option("--max-pages", min=1, help="PDF only: exit 3 (and write nothing) when longer."),
    ] = None,
    allow_missing_font: AllowMissingFontOpt = False,
    watch: WatchOpt = False,
) -> None:
    """Render a resume with a theme as Markdown, HTML, plain text or PDF."""
    fmt = output_format(out, fmt, DocFormat, DocFormat.md)
    if max_pages is not None and fmt is not DocFormat.pdf:
        raise InvalidValue("--max-pages counts PDF pages.", "Add -f pdf (or -o resume.pdf).")

    def once() -> None:
        _render_once(file, theme, fmt, out, lang.value, template_dir, max_pages, allow_missing_font)

    if watch:
        watch_files([file], once, out)
    else:
        once()


def _render_once(file, theme, fmt, out, lang, template_dir, max_pages, allow_missing_font) -> None:
    from csmctl.documents.resume import load_resume
    from csmctl.documents.resume_render import render_pdf, render_text
    from csmctl.files import is_stdout, write_text

    dirs = template_dirs(template_dir)
    resume, _ = load_resume(str(file))
    if fmt is DocFormat.pdf:
        if is_stdout(out) and output.is_tty(sys.stdout):
            raise InvalidValue("PDF is binary and stdout is a terminal.", "Give a file: -o resume.pdf.")
        pdf, warnings = render_pdf(
            resume, theme=theme, dirs=dirs, lang=lang, allow_missing_font=allow_missing_font
        )
        if max_pages is not None:
            from csmctl.documents.resume_check import page_count

            pages = page_count(pdf)
            fail_if_found(
                "--max-pages",
                [f"{pages} pages, over the {max_pages} allowed"] if pages > max_pages else [],
                hint="Nothing written. Shorten it (fewer highlights, older jobs in one line) "
                "or try --theme plain.",
            )
        _write_bytes(out, pdf, public=True)
        for warning in warnings:
            output.warn(f"typst: {warning}")
    else:
        write_text(out, render_text(resume, theme=theme, fmt=fmt.value, dirs=dirs, lang=lang), public=True)
    if not is_stdout(out):
        output.success(f"Wrote {out}.")


@app.command()
def check(
    file: Annotated[
        Path,
        typer.Argument(
            help="A resume PDF, or a resume (YAML/JSON) to render with --theme and check.", dir_okay=False
        ),
    ],
    theme: ThemeOpt = "plain",
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang", case_sensitive=False, help="Language of the headings. Default: en, or found in a PDF."
        ),
    ] = None,
    resume_file: Annotated[
        Path | None,
        typer.Option(
            "--resume", help="With a PDF: the resume it was made from, to check every job.", dir_okay=False
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    template_dir: TemplateDirOpt = None,
) -> None:
    """What an applicant tracking system reads: text, headings, every job in order, contact; a score.

    Exit 3 when there is an error (text as an image, a job out of reading order...)."""
    from csmctl.documents.filters import plural
    from csmctl.documents.resume import load_resume
    from csmctl.documents.resume_check import check_pdf

    if file.suffix.lower() == ".pdf":
        try:
            pdf = file.read_bytes()
        except OSError as error:
            raise InvalidValue(f"Cannot read {file}: {error.strerror}.") from None
        resume = load_resume(str(resume_file))[0] if resume_file else None
        result = check_pdf(pdf, resume, lang.value if lang else None)
    else:
        from csmctl.documents.resume_render import render_pdf

        resume, _ = load_resume(str(file))
        code = lang.value if lang else "en"
        pdf, _ = render_pdf(resume, theme=theme, dirs=template_dirs(template_dir), lang=code)
        result = check_pdf(pdf, resume, code)
    records = [
        {"level": p.severity, "rule": p.rule, "problem": p.message, "hint": p.hint} for p in result.problems
    ]
    summary = (
        f"ATS score {result.score}/100 ({result.pages} page{'s' if result.pages != 1 else ''}, {result.lang})"
    )
    if fmt is Format.json:
        output.emit_object(
            {
                "score": result.score,
                "pages": result.pages,
                "lang": result.lang,
                "headings": result.headings,
                "problems": records,
            },
            fmt,
        )
    else:
        output.emit(
            records,
            [
                Column("level", "Level"),
                Column("rule", "Rule"),
                Column("problem", "Problem"),
                Column("hint", "How to fix"),
            ],
            fmt,
            empty=f"{file}: an ATS reads every heading, job and contact detail.",
        )
        if fmt is not Format.csv:
            typer.echo(summary + ".")
    fail_if_found(
        None,  # like `jd lint`, the check itself is the flag
        [f"{plural(len(result.errors), 'problem')} an ATS would trip on in {file}"] if result.errors else [],
        hint=summary + ".",
    )


# The job of `resume match` and `resume letter`, read by _read_job.
JobOpt = Annotated[
    Path,
    typer.Option(
        "--jd",
        help="The job: a job spec (YAML/JSON: csmctl's or the JSON Resume job schema), a posting's "
        "JobPosting JSON-LD (.json), or a plain-text posting (.txt, .md).",
        dir_okay=False,
    ),
]


class LetterFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command()
def letter(
    file: FileArg,
    jd: JobOpt,
    theme: ThemeOpt = "plain",
    fmt: Annotated[
        LetterFormat | None,
        doc_format_option("md"),
    ] = None,
    out: OutputOpt = None,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", case_sensitive=False, help="en or ja. Default: the job spec's lang, else en."),
    ] = None,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Draft a one-page cover letter: the job's requirements matched to your resume's highlights."""
    from csmctl.documents.letter import render_letter
    from csmctl.documents.resume import load_resume
    from csmctl.domain.keywords import match as run_match
    from csmctl.files import is_stdout, write_text

    fmt = output_format(out, fmt, LetterFormat, LetterFormat.md)
    resume, _ = load_resume(str(file))
    job, terms = _read_job(jd)
    coverage = run_match(terms, resume.passages())
    code = lang.value if lang else (job.pop("lang", None) or "en")
    job.pop("lang", None)
    if code not in Lang.__members__:
        code = "en"
    result = render_letter(
        resume,
        job,
        coverage,
        theme=theme,
        fmt=fmt.value,
        dirs=template_dirs(template_dir),
        lang=code,
        today=state.current().today,
    )
    if isinstance(result, bytes):
        if is_stdout(out) and output.is_tty(sys.stdout):
            raise InvalidValue("PDF is binary and stdout is a terminal.", "Give a file: -o letter.pdf.")
        _write_bytes(out, result, public=True)
    else:
        write_text(out, result, public=True)
    if not is_stdout(out):
        output.success(f"Wrote {out}.")


@app.command()
def lint(
    file: FileArg,
    fmt: FormatOpt = Format.table,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when there is any finding.")] = False,
) -> None:
    """Check a resume against the usual advice: numbers, summary, dates, gaps, contact, length."""
    from csmctl.documents.filters import plural
    from csmctl.documents.resume import load_resume
    from csmctl.domain.resume_lint import lint as run_lint

    resume, locate = load_resume(str(file))
    findings = run_lint(resume, state.current().today)
    records = [
        {
            "line": locate(f.where) if f.where else None,
            "where": f.where or "(whole resume)",
            "rule": f.rule,
            "message": f.message,
            "hint": f.hint,
        }
        for f in findings
    ]
    output.emit(
        records,
        [
            Column("line", "Line", right=True),
            Column("where", "Where"),
            Column("rule", "Rule"),
            Column("message", "Finding"),
            Column("hint", "How to fix"),
        ],
        fmt,
        empty=f"{file}: no findings.",
    )
    if strict:
        fail_if_found("--strict", [f"{plural(len(findings), 'finding')} in {file}"] if findings else [])


@app.command()
def match(
    file: FileArg,
    jd: JobOpt,
    minimum: Annotated[
        int | None,
        typer.Option("--min", min=0, max=100, help="Exit 3 when coverage is below this percentage."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Which of a job's skills and keywords the resume covers, where, and which are missing."""
    from csmctl.documents.resume import load_resume
    from csmctl.domain.keywords import match as run_match

    resume, _ = load_resume(str(file))
    _, terms = _read_job(jd)
    coverage = run_match(terms, resume.passages())
    records = [
        {
            "term": m.term,
            "status": "covered" if m.covered else "missing",
            "kind": m.kind,
            "matched": m.matched,
            "where": list(m.where),
            "asked_in": m.source,
        }
        for m in coverage.matches
    ]
    summary = f"Coverage: {coverage.covered} of {coverage.total} terms, {coverage.percent}%"
    if fmt is Format.json:
        output.emit_object(
            {
                "coverage_percent": coverage.percent,
                "covered": coverage.covered,
                "total": coverage.total,
                "min": minimum,
                "terms": records,
            },
            fmt,
        )
    else:
        output.emit(
            records,
            [
                Column("term", "Job term"),
                Column("status", "Status"),
                Column("kind", "Match", show=str),
                Column("matched", "Found as", show=str),
                Column("where", "Where in resume", show=_where),
            ],
            fmt,
            csv_columns=["term", "status", "kind", "matched", "where", "asked_in"],
        )
        if fmt is not Format.csv:
            typer.echo(
                ("\n" if fmt is Format.md else "")
                + summary
                + (
                    " (related matches count half)."
                    if any(m.kind == "related" for m in coverage.matches)
                    else "."
                )
            )
    if minimum is not None:
        fail_if_found(
            "--min",
            [f"coverage {coverage.percent}%, below {minimum}%"] if coverage.percent < minimum else [],
            hint="Missing: " + ", ".join(m.term for m in coverage.missing[:12]),
        )


def _where(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" +{len(paths) - 3}" if len(paths) > 3 else "")


def _read_job(path: Path) -> tuple[dict[str, str | None], list]:
    """The job behind ``--jd`` of `resume match` and `resume letter`, read once: its facts (title,
    company, lang; empty for a plain posting) and its terms. A YAML/JSON file is told apart by
    ``domain.keywords.job_document`` (csmctl or JSON Resume job spec, or a JobPosting JSON-LD)."""
    from csmctl.domain.keywords import job_terms
    from csmctl.errors import InvalidInput, Problem

    facts: dict[str, str | None] = {}
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        from csmctl.documents.sources import load_document
        from csmctl.domain.keywords import job_document

        data, _ = load_document(str(path), require_mapping=False)
        try:
            _, spec = job_document(data)
        except ValueError as error:
            raise InvalidInput(
                Problem(
                    str(error),
                    path=str(path),
                    hint="--jd takes a job spec (csmctl or JSON Resume job schema), a JobPosting "
                    "JSON-LD file, or a plain-text posting (.txt, .md)",
                )
            ) from None
        terms = job_terms(spec=spec)
        company = spec.get("company")
        if isinstance(company, dict):
            company = company.get("name")
        facts = {
            "title": str(spec["title"]) if spec.get("title") else None,
            "company": str(company) if company else None,
            "lang": spec.get("lang") if isinstance(spec.get("lang"), str) else None,
        }
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InvalidInput(Problem("no such file", path=str(path))) from None
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(Problem(f"cannot read it as UTF-8 text: {error}", path=str(path))) from None
        terms = job_terms(posting=text)
    if not terms:
        raise CsmctlError(
            f"{path}: found no skills or keywords to match.",
            "A job spec needs skills[].name/keywords or a description; a posting needs "
            "customer-success terms (NRR, QBR, onboarding...).",
        )
    return facts, terms


def _write_bytes(out: Path | None, data: bytes, *, public: bool = False) -> None:
    from csmctl.files import atomic_writer, is_stdout

    if out is None or is_stdout(out):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with atomic_writer(out, public=public) as handle:
        handle.flush()
        handle.buffer.write(data)
