"""`csmctl resume ...`: a JSON Resume file in, validated, linted, matched to a job, rendered."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, OutputOpt, doc_format_option, output_format
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
    from csmctl.files import is_stdout, write_text

    text = find_template(template_dirs(template_dir), "resume/new.yaml").read_text(encoding="utf-8")
    if not is_stdout(out) and out.exists() and not force:
        raise AlreadyExists(f"{out} already exists.", "Use --force to overwrite it, or choose another -o.")
    write_text(out, text)
    if not is_stdout(out):
        output.success(f"Wrote {out}; fill it in, then `csmctl resume lint {out}`.")


@app.command()
def render(
    file: FileArg,
    theme: Annotated[
        str,
        typer.Option("--theme", help="Theme: plain (ATS-safe) or modern; your own from the template dir."),
    ] = "plain",
    fmt: Annotated[
        DocFormat | None,
        doc_format_option("md", "typ is the Typst source of the PDF. "),
    ] = None,
    out: OutputOpt = None,
    lang: Annotated[
        Lang, typer.Option("--lang", case_sensitive=False, help="Headings and dates in en or ja.")
    ] = Lang.en,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Render a resume with a theme as Markdown, HTML, plain text or PDF."""
    from csmctl.documents.resume import load_resume
    from csmctl.documents.resume_render import render_pdf, render_text
    from csmctl.files import is_stdout, write_text

    fmt = output_format(out, fmt, DocFormat, DocFormat.md)
    dirs = template_dirs(template_dir)
    resume, _ = load_resume(str(file))
    if fmt is DocFormat.pdf:
        if is_stdout(out) and output.is_tty(sys.stdout):
            raise InvalidValue("PDF is binary and stdout is a terminal.", "Give a file: -o resume.pdf.")
        pdf, warnings = render_pdf(resume, theme=theme, dirs=dirs, lang=lang.value)
        _write_bytes(out, pdf)
        for warning in warnings:
            output.warn(f"typst: {warning}")
    else:
        write_text(out, render_text(resume, theme=theme, fmt=fmt.value, dirs=dirs, lang=lang.value))
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
    jd: Annotated[
        Path,
        typer.Option(
            "--jd",
            help="The job: a job spec (YAML/JSON, JSON Resume job schema) "
            "or a plain-text posting (.txt, .md).",
            dir_okay=False,
        ),
    ],
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
    terms = _job_terms(jd)
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


def _job_terms(path: Path):
    """Job terms from a spec (read loosely: only the fields matching needs) or a plain posting."""
    from csmctl.domain.keywords import job_terms
    from csmctl.errors import InvalidInput, Problem

    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        from csmctl.documents.sources import load_document

        data, _ = load_document(str(path))
        terms = job_terms(spec=data)
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
    return terms


def _write_bytes(out: Path | None, data: bytes) -> None:
    from csmctl.files import atomic_writer, is_stdout

    if is_stdout(out):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with atomic_writer(out) as handle:
        handle.flush()
        handle.buffer.write(data)
