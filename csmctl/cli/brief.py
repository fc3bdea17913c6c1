"""`csmctl brief ACCOUNT`: a one-page QBR / renewal prep document from a template."""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl.cli import state
from csmctl.cli.health import ProfileOpt, load_profiles
from csmctl.cli.options import AccountArg, OutputOpt
from csmctl.cli.templates import TemplateDirOpt, template_dirs
from csmctl.errors import InvalidValue

DocFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", metavar="md|html", help="md or html (default: from the -o suffix, else md)."
    ),
]


def brief(
    account: AccountArg,
    output_path: OutputOpt = None,
    fmt: DocFormatOpt = None,
    template_dir: TemplateDirOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """One-page account brief for a QBR or renewal: contract, health with its explanation,
    champions, last touchpoints, open follow-ups, onboarding, outcome history."""
    from csmctl.documents.brief import FORMATS, format_for, render_brief
    from csmctl.files import write_text
    from csmctl.output import success
    from csmctl.store.accounts import resolve_account
    from csmctl.store.brief import brief_context

    chosen = format_for(output_path, fmt.lower() if fmt else None)
    if chosen not in FORMATS:
        raise InvalidValue(f"Unknown brief format {fmt!r}.", "Use md or html.")
    dirs = template_dirs(template_dir)
    profiles, rules = load_profiles(profile)
    app_state = state.current()
    with app_state.database().read() as session:
        context = brief_context(session, resolve_account(session, account), app_state.today, profiles, rules)
    text = render_brief(context, chosen, dirs)
    write_text(output_path, text)
    if output_path is not None and str(output_path) != "-":
        success(f"Wrote the brief for {context['account']['name']} to {output_path}.")
