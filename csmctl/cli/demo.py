"""`csmctl demo`: fill a new book with a realistic sample and say what to try next."""

from __future__ import annotations

from typing import Annotated

import typer

from csmctl import output
from csmctl.cli import state
from csmctl.errors import Conflict


def demo(
    force: Annotated[
        bool, typer.Option("--force", help="Add the sample to a book that already has accounts.")
    ] = False,
) -> None:
    """Fill the book (the default one, or --db) with a sample to explore (again on the demo book:
    says so and changes nothing)."""
    from csmctl import demo as sample
    from csmctl.domain.accounts import utcnow

    app_state = state.current()
    database = app_state.database(create=True)
    existing = database.counts()["account"]
    if existing and not force and sample.is_demo_book(database):
        # The README's set-up already ran it: a repeat says so and points on, like any repeat.
        output.success(
            f"The demo book is already at {database.display} ({existing} accounts); nothing changed."
        )
        _next_steps(sample.NEXT_COMMANDS)
        return
    if existing and not force:
        raise Conflict(
            f"{database.display} already holds {existing} accounts; the demo only fills an empty book.",
            "Use --db /tmp/demo.db for a separate sample, or --force to add it here.",
        )
    from csmctl.health_config import load_profiles

    settings = app_state.settings
    summaries = sample.fill(
        database,
        today=app_state.today,
        now=utcnow(),
        rules=settings.touchpoint_rules,
        profiles=load_profiles(settings.config_dir),
    )
    output.success(f"Demo book ready at {database.display}: " + "; ".join(summaries) + ".")
    _next_steps(sample.NEXT_COMMANDS)


def _next_steps(commands: list[tuple[str, str]]) -> None:
    output.err("Try next:")
    width = max(len(c) for c, _ in commands)
    for command, why in commands:
        output.err(f"  {command:<{width}}  # {why}")
