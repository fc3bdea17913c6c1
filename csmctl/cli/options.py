"""Options declared once and reused, so every command spells and explains them the same way."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from csmctl.cli import completion
from csmctl.output import Format


def closed_set(name: str, values: Iterable[str]) -> type[StrEnum]:
    """An option type over a closed set of values, built from the tuple that is their one home:
    Click then refuses anything else as a usage error (exit 2) and help lists the choices.

    mypy cannot use a value as a type, so a module that type-checks its options declares the
    name for mypy as the plain string it is (a StrEnum member is a str), and builds it here::

        if TYPE_CHECKING:
            Severity: TypeAlias = str
        else:
            Severity = closed_set("Severity", SEVERITIES)

    Defaults are then spelled as the domain's strings (``= DEFAULT_SEVERITY``)."""
    return StrEnum(name, {value: value for value in values})  # type: ignore[return-value]


FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format: table, json, csv or md.", case_sensitive=False),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout; '-' is stdout.",
        dir_okay=False,
    ),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Check and report what would change; write nothing.")
]
AccountArg = Annotated[
    str,
    typer.Argument(
        help="Account name (any case), id, or unambiguous name prefix.", autocompletion=completion.accounts
    ),
]
OwnerOpt = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help="Only this owner's accounts ('me' = user.name in config).",
        autocompletion=completion.owners,
    ),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most this many.")]
WatchOpt = Annotated[
    bool,
    typer.Option("--watch", help="Render again on every save; errors are printed and the watch goes on."),
]


def watch(files: list[Path], once, out: Path | None) -> None:
    """Run ``once`` now and on every save of ``files`` (``--watch``); errors are reported, not fatal."""
    from csmctl.cli.boundary import report
    from csmctl.errors import InvalidValue
    from csmctl.files import is_stdout
    from csmctl.output import err
    from csmctl.watching import watch_and_run

    if is_stdout(out):
        raise InvalidValue("--watch needs a file to rewrite.", "Give -o with a file name.")
    err(f"Watching {', '.join(str(f) for f in files)}; Ctrl-C stops.")
    watch_and_run(files, once, report)


# -- the format of a written document --------------------------------------------------------------

# What a file name's extension says about its content (the only place that knows).
EXTENSION_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonld": "jsonld",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
    ".ics": "ics",
    ".pdf": "pdf",
    ".typ": "typ",
}

F = TypeVar("F", bound=StrEnum)


def doc_format_option(default: str, note: str = "") -> Any:
    """The ``--format`` of a command that writes a document (its type is the command's enum):
    declared here once, so every such command explains -o's part the same way."""
    return typer.Option(
        "--format", "-f", case_sensitive=False, help=f"{note}Default: from -o's extension, else {default}."
    )


def output_format(out: Path | None, given: F | None, formats: type[F], default: F) -> F:
    """The format a command writes: ``--format`` when given, else what ``-o``'s extension says,
    else the command's default (stdout, or an extension that names no format).

    An extension that contradicts ``--format``, or names a format this command cannot write, is
    a usage error (exit 2): `-o report.json` must never hold Markdown."""
    suffix = out.suffix.lower() if out is not None and str(out) != "-" else ""
    implied = EXTENSION_FORMATS.get(suffix)
    values = [f.value for f in formats]
    if implied is None:
        return given if given is not None else default
    if given is not None:
        if given.value != implied:
            raise typer.BadParameter(
                f"--format {given.value} contradicts -o {out} (a {implied} file name); "
                f"drop --format or name the file *.{given.value}.",
                param_hint="'--format'",
            )
        return given
    if implied not in values:
        raise typer.BadParameter(
            f"{out} is a {implied} file name; this command writes {', '.join(values)}.",
            param_hint="'-o' / '--output'",
        )
    return formats(implied)


def confirmed(question: str, *, declined: str) -> bool:
    """Ask a yes/no question on stderr (default no; only y/yes is yes). A declined prompt is
    not an error: it ends the prompt's line (piped input is not echoed), prints ``declined`` and
    returns False, and the command exits 0. End of input counts as no.

    Not ``typer.confirm``: Click writes the prompt's last space to stdout, which a pipe carries
    as data, and turns end of input into "Aborted!" with exit 1."""
    import sys

    from csmctl import output

    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().casefold() in ("y", "yes")
    if not answer:
        if not output.is_tty(sys.stdin):
            output.err("")
        output.err(declined)
    return answer
