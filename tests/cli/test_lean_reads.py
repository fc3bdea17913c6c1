"""The lean read path (issue 19): portfolio reads run on a Core connection with plain rows, so
they import neither SQLModel nor the ORM nor the model classes. Checked on the installed
``csmctl`` entry point with ``-X importtime`` (``PYTHONPROFILEIMPORTTIME``), the way a user runs it.

pydantic is in the list too: typer 0.29 would coerce every option value through a pydantic
``TypeAdapter``; ``cli/coercion.py`` coerces csmctl's plain parameters exactly as Typer would
without it, and with no config.toml the settings are the domain's defaults (no pydantic model).
"""

from __future__ import annotations

import json
import subprocess

import pytest

LEAN = ("sqlmodel", "sqlalchemy.orm", "csmctl.store.models", "pydantic", "typer._adapters")


def _imported(csmctl: str, argv: list[str], env: dict[str, str]) -> set[str]:
    """The modules the installed csmctl imports for ``argv``."""
    done = subprocess.run(
        [csmctl, *argv], env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }


def _an_account(book) -> str:
    return json.loads(book.ok("account", "list", "-n", "1", "-f", "json").stdout)[0]["name"]


@pytest.mark.sqlite_only  # the same imports on every backend; one real file is enough
@pytest.mark.parametrize(
    "argv",
    [
        ["stale", "-f", "json"],
        ["stale", "--owner", "Dana Reyes"],
        ["renewal", "list", "--within", "1y", "-f", "json"],
        ["renewal", "list", "--within", "1y"],
        ["renewal", "ics", "--within", "1y"],
        ["report", "renewals", "-o", "{tmp}/r.md"],
        ["report", "renewals", "-f", "json"],
        ["metric", "retention", "--period", "2026"],
        ["today", "--owner", "Dana Reyes"],
        ["health", "--owner", "Dana Reyes", "-f", "json"],
        ["health", "{account}", "--explain"],
        ["account", "show", "{account}"],
        ["account", "list", "-f", "json"],
        ["forecast", "--quarter", "2027Q1", "--by", "owner", "-f", "json"],
        ["book", "--by", "owner", "-f", "json"],
        ["book", "--by", "owner", "-o", "{tmp}/book.html"],
    ],
    ids=lambda argv: " ".join(argv[:3]),
)
def test_read_commands_import_no_sqlmodel_nor_the_orm_nor_pydantic(
    argv, demo_cli, subprocess_env, csmctl_bin, tmp_path
):
    account = _an_account(demo_cli)
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{account}", account) for a in argv]
    modules = _imported(
        csmctl_bin, ["--db", str(demo_cli.db_path), "--as-of", "2026-11-23", *argv], subprocess_env
    )
    assert "sqlalchemy.engine" in modules  # the check sees imports at all
    assert [name for name in LEAN if name in modules] == []
    # the root's commands and groups are built (and their modules imported) only when invoked
    others = {"brief", "book", "demo", "hiring", "plays"} - {argv[0]}
    assert [name for name in modules if name.removeprefix("csmctl.cli.") in others] == []


@pytest.mark.sqlite_only
def test_touch_writes_on_core_without_sqlmodel_nor_pydantic(demo_cli, subprocess_env, csmctl_bin):
    """`touch` is one insert: Core (store/touchpoint_log.py), no model, no pydantic."""
    modules = _imported(
        csmctl_bin,
        ["--db", str(demo_cli.db_path), "--as-of", "2026-11-23", "touch", _an_account(demo_cli), "Call"],
        subprocess_env,
    )
    assert "sqlalchemy.engine" in modules
    assert [name for name in LEAN if name in modules] == []


@pytest.mark.sqlite_only
def test_a_write_still_gets_its_session(demo_cli, subprocess_env, csmctl_bin):
    """The other side of the check: a write through the ORM imports the models (so the checks
    above mean something)."""
    modules = _imported(
        csmctl_bin,
        ["--db", str(demo_cli.db_path), "account", "edit", _an_account(demo_cli), "--notes", "n"],
        subprocess_env,
    )
    assert {"sqlmodel", "csmctl.store.models"} <= modules
