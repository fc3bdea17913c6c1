"""Options declared once and reused, so every command spells and explains them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmctl.output import Format

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
AccountArg = Annotated[str, typer.Argument(help="Account name (any case), id, or unambiguous name prefix.")]
OwnerOpt = Annotated[
    str | None, typer.Option("--owner", help="Only this owner's accounts ('me' = user.name in config).")
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
