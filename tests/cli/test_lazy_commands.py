"""Commands built on first use (cli/boundary.py LazyGroup and LazyCommand, issue 19: start-up):
each group lists the same commands in the same order as Typer's own eager build, each command's
help is the same, and running one command builds only that one."""

from __future__ import annotations

import importlib

import pytest
import typer
from typer.main import get_command, get_group

from csmctl.cli.app import app
from csmctl.cli.boundary import CsmctlGroup, LazyCommand, LazyGroup, plain_words

GROUPS = {n: lazy for n, lazy in CsmctlGroup.lazy_groups.items() if isinstance(lazy, LazyGroup)}


def _help(command, name: str) -> str:
    return command.get_help(typer.Context(command, info_name=name))


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_a_lazy_group_is_typers_own_group(name):
    lazy = GROUPS[name]
    built = lazy.build(name)
    eager = get_group(getattr(importlib.import_module(lazy.module), lazy.attribute))
    plain_words(eager)
    assert built.list_commands(None) == eager.list_commands(None)
    assert _help(built, name) == _help(eager, name)
    for sub in eager.list_commands(None):
        assert _help(built.get_command(None, sub), sub) == _help(eager.get_command(None, sub), sub)


def test_running_one_command_builds_only_that_one():
    root = get_command(app)
    account = root.get_command(None, "account")
    assert "show" in account.pending and "edit" in account.pending
    account.get_command(None, "show")
    assert "show" in account.commands and "show" not in account.pending
    assert "edit" in account.pending and "edit" not in account.commands
    assert "touch" not in root.commands  # the root's single commands too
    assert isinstance(CsmctlGroup.lazy_groups["touch"], LazyCommand)
    root.get_command(None, "touch")
    assert "touch" in root.commands and "stale" not in root.commands


@pytest.mark.parametrize("limit", [20, 45, 74, 200])
def test_the_help_line_of_an_unbuilt_command_is_the_built_ones(limit):
    """`csmctl --help` lists the root's commands without building them: the same line."""
    singles = {n: lazy for n, lazy in CsmctlGroup.lazy_groups.items() if isinstance(lazy, LazyCommand)}
    assert len(singles) >= 8
    for name, lazy in singles.items():
        assert lazy.short_help(limit) == lazy.build(name).get_short_help_str(limit), name
