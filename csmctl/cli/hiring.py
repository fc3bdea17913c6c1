"""`csmctl jd ...`: one job spec in; a posting, an interview kit and a scorecard out."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, OutputOpt, doc_format_option, output_format
from csmctl.cli.templates import TemplateDirOpt, template_dirs
from csmctl.errors import AlreadyExists, fail_if_found
from csmctl.output import Column, Format

app = typer.Typer(no_args_is_help=True)


class Lang(StrEnum):
    en = "en"
    ja = "ja"


class PostingFormat(StrEnum):
    md = "md"
    html = "html"
    txt = "txt"
    jsonld = "jsonld"


class KitFormat(StrEnum):
    md = "md"
    html = "html"


class ScorecardFormat(StrEnum):
    md = "md"
    html = "html"
    csv = "csv"


class Level(StrEnum):
    associate = "associate"
    csm = "csm"
    senior = "senior"
    lead = "lead"
    manager = "manager"


class Segment(StrEnum):
    smb = "smb"
    mid_market = "mid-market"
    enterprise = "enterprise"
    strategic = "strategic"


SpecArg = Annotated[
    Path, typer.Argument(help="Job spec file (YAML or JSON; '-' reads stdin).", dir_okay=False)
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of the built-in wording, dates and money.")]


def _load(spec: Path, *, quiet_warnings: bool = False):
    from csmctl.documents.jobspec import load_spec

    checked = load_spec(spec, today=state.current().today)
    if not quiet_warnings:
        for problem in checked.warnings:
            output.warn(problem.render())
    return checked


def _write(text: str, out: Path | None) -> None:
    from csmctl.files import output_stream

    with output_stream(out) as stream:
        stream.write(text)


@app.command()
def new(
    level: Annotated[Level, typer.Option("--level", help="Seniority of the role.")] = Level.csm,
    segment: Annotated[
        Segment, typer.Option("--segment", help="Customer segment the role serves.")
    ] = Segment.mid_market,
    lang: LangOpt = Lang.en,
    out: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
) -> None:
    """Write a complete job spec from built-in CSM content, ready to edit."""
    from csmctl.documents.hiring import scaffold, scaffold_yaml
    from csmctl.files import is_stdout

    if not is_stdout(out) and out.exists() and not force:
        raise AlreadyExists(f"{out} already exists.", "Use --force to overwrite it, or choose another -o.")
    data = scaffold(level.value, segment.value, lang=lang.value, today=state.current().today)
    _write(scaffold_yaml(data, lang.value), out)
    if not is_stdout(out):
        output.success(f"Wrote {out}; edit it, then `csmctl jd lint {out}`.")


@app.command()
def validate(spec: SpecArg) -> None:
    """Check a job spec: every problem with its line and key; warnings do not fail."""
    checked = _load(spec)
    output.success(
        f"{checked.path}: valid job spec"
        + (f" ({len(checked.warnings)} warnings)" if checked.warnings else ".")
    )


@app.command()
def render(
    spec: SpecArg,
    fmt: Annotated[
        PostingFormat | None,
        doc_format_option("md", "html carries JSON-LD; jsonld is schema.org JobPosting. "),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = Lang.en,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Render the job posting; jsonld is schema.org JobPosting for search engines."""
    from csmctl.documents.hiring import render_posting

    fmt = output_format(out, fmt, PostingFormat, PostingFormat.md)
    checked = _load(spec)
    text = render_posting(
        checked, fmt.value, lang=lang.value, today=state.current().today, dirs=template_dirs(template_dir)
    )
    _write(text, out)


@app.command()
def kit(
    spec: SpecArg,
    fmt: Annotated[
        KitFormat | None,
        doc_format_option("md"),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = Lang.en,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Interview kit: each stage of the process, its questions and what good answers show."""
    from csmctl.documents.hiring import render_kit

    fmt = output_format(out, fmt, KitFormat, KitFormat.md)
    text = render_kit(_load(spec), fmt.value, lang=lang.value, dirs=template_dirs(template_dir))
    _write(text, out)


@app.command()
def scorecard(
    spec: SpecArg,
    fmt: Annotated[
        ScorecardFormat | None,
        doc_format_option("md"),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = Lang.en,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Rating sheet (1-4 with anchors) of the spec's outcomes and traits, for each interviewer."""
    from csmctl.documents.hiring import render_scorecard

    fmt = output_format(out, fmt, ScorecardFormat, ScorecardFormat.md)
    text = render_scorecard(_load(spec), fmt.value, lang=lang.value, dirs=template_dirs(template_dir))
    _write(text, out)


@app.command()
def lint(
    spec: SpecArg,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when there is any warning.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Warnings a careful recruiter would give: pay range, remote rules, long lists, level, mission."""
    from csmctl.documents.filters import plural
    from csmctl.documents.joblint import lint as lint_spec

    warnings = lint_spec(_load(spec, quiet_warnings=True))
    records = [
        {
            "line": w.problem.line,
            "key": w.problem.field,
            "rule": w.rule,
            "message": w.problem.message,
            "hint": w.problem.hint,
        }
        for w in warnings
    ]
    output.emit(
        records,
        [
            Column("line", "Line", right=True),
            Column("key", "Key"),
            Column("rule", "Rule"),
            Column("message", "Warning"),
            Column("hint", "How to fix"),
        ],
        fmt,
        empty=f"{spec}: no warnings.",
    )
    if strict:
        fail_if_found("--strict", [f"{plural(len(warnings), 'warning')} in {spec}"] if warnings else [])
