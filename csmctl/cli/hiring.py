"""`csmctl jd ...`: one job spec in; a posting, an interview kit and a scorecard out."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.cli.options import FormatOpt, OutputOpt, WatchOpt, doc_format_option, output_format
from csmctl.cli.options import watch as watch_files
from csmctl.cli.templates import TemplateDirOpt, template_dirs
from csmctl.errors import AlreadyExists, InvalidValue, fail_if_found
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
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang", help="Language of the built-in wording, dates and money. Default: the spec's lang, else en."
    ),
]
AllowIncompleteOpt = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete",
        help="Write the JSON-LD even when Google would reject it (missing required properties).",
    ),
]


def _lang(checked, lang: Lang | None) -> str:
    from csmctl.documents.hiring import doc_lang

    return doc_lang(checked, lang.value if lang else None)


def _load(spec: Path, *, quiet_warnings: bool = False):
    from csmctl.documents.jobspec import load_spec

    checked = load_spec(spec, today=state.current().today)
    if not quiet_warnings:
        for problem in checked.warnings:
            output.warn(problem.render())
    return checked


def _write(text: str, out: Path | None, *, public: bool = False) -> None:
    """``public``: a document meant to be published (posting, kit, scorecard) follows the
    umask, so a web server can serve it; other files stay 0600."""
    from csmctl.files import output_stream

    with output_stream(out, public=public) as stream:
        stream.write(text)


@app.command()
def new(
    level: Annotated[Level, typer.Option("--level", help="Seniority of the role.")] = Level.csm,
    segment: Annotated[
        Segment, typer.Option("--segment", help="Customer segment the role serves.")
    ] = Segment.mid_market,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the built-in wording.")] = Lang.en,
    company: Annotated[
        str | None, typer.Option("--company", help="Your company's name (else a placeholder lint reports).")
    ] = None,
    apply_url: Annotated[
        str | None,
        typer.Option("--apply-url", help="Where candidates apply (else a placeholder lint reports)."),
    ] = None,
    out: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
) -> None:
    """Write a complete job spec from built-in CSM content, ready to edit."""
    from csmctl.documents.hiring import scaffold, scaffold_yaml
    from csmctl.files import is_stdout

    if out is not None and not is_stdout(out) and out.exists() and not force:
        raise AlreadyExists(f"{out} already exists.", "Use --force to overwrite it, or choose another -o.")
    data = scaffold(
        level.value,
        segment.value,
        lang=lang.value,
        today=state.current().today,
        company=company,
        apply_url=apply_url,
    )
    _write(scaffold_yaml(data, lang.value), out)
    if not is_stdout(out):
        output.success(f"Wrote {out}; edit it, then `csmctl jd lint {out}`.")


@app.command()
def validate(spec: SpecArg, allow_incomplete: AllowIncompleteOpt = False) -> None:
    """Check a job spec: every problem with its line and key, and what Google's JobPosting lacks.

    A property Google requires is an error (unless --allow-incomplete); one it recommends, a warning."""
    from csmctl.documents.hiring import require_complete
    from csmctl.documents.jobposting import gaps

    checked = _load(spec)
    recommended = [g for g in gaps(checked) if g.severity == "warning"]
    for gap in recommended:
        problem = checked.locate.problem(
            f"{gap.message} (Google recommends {gap.prop})", gap.key, hint=gap.hint
        )
        output.warn(problem.render())
    if not allow_incomplete:
        require_complete(checked)
    count = len(checked.warnings) + len(recommended)
    output.success(f"{checked.path}: valid job spec" + (f" ({count} warnings)" if count else "."))


@app.command()
def render(
    spec: SpecArg,
    fmt: Annotated[
        PostingFormat | None,
        doc_format_option("md", "html carries JSON-LD; jsonld is schema.org JobPosting. "),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = None,
    template_dir: TemplateDirOpt = None,
    allow_incomplete: AllowIncompleteOpt = False,
    watch: WatchOpt = False,
) -> None:
    """Render the job posting; jsonld is schema.org JobPosting for search engines."""
    from csmctl.documents.hiring import render_posting

    fmt = output_format(out, fmt, PostingFormat, PostingFormat.md)

    def once() -> None:
        checked = _load(spec)
        text = render_posting(
            checked,
            fmt.value,
            lang=_lang(checked, lang),
            today=state.current().today,
            dirs=template_dirs(template_dir),
            allow_incomplete=allow_incomplete,
        )
        _write(text, out, public=True)
        if watch:
            output.success(f"Wrote {out}.")

    if watch:
        watch_files([spec], once, out)
    else:
        once()


@app.command()
def kit(
    spec: SpecArg,
    fmt: Annotated[
        KitFormat | None,
        doc_format_option("md"),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = None,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Interview kit: each stage of the process, its questions and what good answers show."""
    from csmctl.documents.hiring import render_kit

    fmt = output_format(out, fmt, KitFormat, KitFormat.md)
    checked = _load(spec)
    text = render_kit(
        checked,
        fmt.value,
        lang=_lang(checked, lang),
        dirs=template_dirs(template_dir),
        as_of=state.current().today,
    )
    _write(text, out, public=True)


@app.command()
def scorecard(
    spec: SpecArg,
    fmt: Annotated[
        ScorecardFormat | None,
        doc_format_option("md"),
    ] = None,
    out: OutputOpt = None,
    lang: LangOpt = None,
    template_dir: TemplateDirOpt = None,
) -> None:
    """Rating sheet (1-4 with anchors) of the spec's outcomes and traits, for each interviewer."""
    from csmctl.documents.hiring import render_scorecard

    fmt = output_format(out, fmt, ScorecardFormat, ScorecardFormat.md)
    checked = _load(spec)
    text = render_scorecard(checked, fmt.value, lang=_lang(checked, lang), dirs=template_dirs(template_dir))
    _write(text, out, public=True)


@app.command()
def lint(
    spec: Annotated[
        Path | None,
        typer.Argument(
            help="Job spec file (YAML or JSON; '-' reads stdin).", dir_okay=False, show_default=False
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 3 on warnings too (errors always exit 3).")
    ] = False,
    rules: Annotated[
        bool, typer.Option("--rules", help="List the posting-law rules, their sources and effective dates.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Errors and warnings a careful recruiter would give: placeholders, what Google's JobPosting needs,
    the pay-transparency laws of the spec's jurisdictions (in force on --as-of), pay range, long lists,
    level, mission. Errors exit 3 (warnings too with --strict), after the output."""
    from csmctl.documents.filters import plural
    from csmctl.documents.joblint import lint as lint_spec

    if rules:
        _list_rules(fmt)
        return
    if spec is None:
        raise InvalidValue("Give a job spec to lint, or --rules to list the posting-law rules.")
    warnings = lint_spec(_load(spec, quiet_warnings=True), as_of=state.current().today)
    records = [
        {
            "line": w.problem.line,
            "key": w.problem.field,
            "severity": w.severity,
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
            Column("severity", "Level"),
            Column("rule", "Rule"),
            Column("message", "Finding"),
            Column("hint", "How to fix"),
        ],
        fmt,
        empty=f"{spec}: no findings.",
    )
    errors = [w for w in warnings if w.severity == "error"]
    counted = [plural(len(errors), "error")] if errors else []
    if strict and len(warnings) > len(errors):
        counted.append(plural(len(warnings) - len(errors), "warning"))
    fail_if_found(
        "--strict" if strict and len(warnings) > len(errors) else None,
        [f"{' and '.join(counted)} in {spec}"] if counted else [],
        hint="Fix the errors before you publish the posting (see the Level column)." if errors else None,
    )


def _list_rules(fmt: Format) -> None:
    from csmctl.documents.jobrules import JURISDICTION_NAMES, RULES

    records = [
        {
            "id": r.id,
            "jurisdiction": r.jurisdiction,
            "place": JURISDICTION_NAMES[r.jurisdiction],
            "effective": r.effective.isoformat(),
            "source": r.source,
            "checks": r.checks,
            "fix": r.fix,
        }
        for r in RULES
    ]
    output.emit(
        records,
        [
            Column("id", "Rule"),
            Column("jurisdiction", "Where"),
            Column("effective", "From"),
            Column("source", "Source"),
            Column("checks", "Checks"),
            Column("fix", "What to add"),
        ],
        fmt,
        csv_columns=["id", "jurisdiction", "place", "effective", "source", "checks", "fix"],
    )
