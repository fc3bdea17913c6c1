"""`csmctl brief ACCOUNT`: a one-page QBR / renewal prep document from a template."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from csmctl.cli import state
from csmctl.cli.health import ProfileOpt, load_profiles
from csmctl.cli.options import AccountArg, OutputOpt, doc_format_option, output_format
from csmctl.cli.templates import TemplateDirOpt, template_dirs


class BriefFormat(StrEnum):
    md = "md"
    html = "html"


DocFormatOpt = Annotated[BriefFormat | None, doc_format_option("md")]


def brief(
    account: AccountArg,
    output_path: OutputOpt = None,
    fmt: DocFormatOpt = None,
    template_dir: TemplateDirOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """One-page account brief for a QBR or renewal: contract, health with its explanation,
    champions, last touchpoints, open follow-ups, onboarding, outcome history."""
    from csmctl.documents.brief import render_brief
    from csmctl.files import write_text
    from csmctl.output import success
    from csmctl.store.accounts import resolve_account
    from csmctl.store.brief import brief_context

    chosen = output_format(output_path, fmt, BriefFormat, BriefFormat.md).value
    dirs = template_dirs(template_dir)
    profiles, rules = load_profiles(profile)
    app_state = state.current()
    with app_state.database().read() as session:
        context = brief_context(session, resolve_account(session, account), app_state.today, profiles, rules)
    text = render_brief(context, chosen, dirs)
    write_text(output_path, text)
    if output_path is not None and str(output_path) != "-":
        success(f"Wrote the brief for {context['account']['name']} to {output_path}.")
