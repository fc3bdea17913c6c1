"""Shell completion from the book and the template folders: account names, owners, tiers,
playbooks, templates and import presets.

Completion runs on every Tab, so it stays light: no ORM (the SQLite book is read with the
standard library's sqlite3, read-only, and never created), no Jinja, no YAML. On PostgreSQL
(or anything that goes wrong) the book's values are simply not offered: completion never
prints an error into the shell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import typer


def _matching(values: Iterable[str | None], incomplete: str) -> list[str]:
    """The distinct values that start with what was typed, sorted (Typer, like the shells, then
    keeps only those that start with it exactly: case counts)."""
    return sorted({v for v in values if v and v.startswith(incomplete)}, key=str.casefold)


def _settings(ctx: typer.Context) -> Any:
    from csmctl.config import load_settings

    return load_settings()


def _book_column(ctx: typer.Context, sql: str) -> list[str]:
    """One column of a read-only query on the SQLite book named by --db / CSMCTL_DB / config."""
    import sqlite3

    from csmctl.store.targets import sqlite_path, sqlite_uri

    try:
        flag = ctx.find_root().params.get("db")
        path = sqlite_path(_settings(ctx).database_url(flag))
        if path is None or not path.is_file():
            return []  # PostgreSQL, or no book yet: nothing to offer (and nothing created)
        with sqlite3.connect(f"{sqlite_uri(path)}?mode=ro", uri=True, timeout=0.5) as conn:
            return [row[0] for row in conn.execute(sql)]
    except Exception:  # noqa: BLE001 - completion must never break the shell
        return []


def accounts(ctx: typer.Context, incomplete: str) -> list[str]:
    return _matching(_book_column(ctx, "SELECT name FROM account WHERE archived = 0"), incomplete)


def owners(ctx: typer.Context, incomplete: str) -> list[str]:
    owners = _book_column(ctx, "SELECT DISTINCT owner FROM account WHERE owner IS NOT NULL")
    return _matching(["me", *owners], incomplete)


def tiers(incomplete: str) -> list[str]:
    from csmctl.domain.accounts import TIERS

    return _matching(TIERS, incomplete)


def playbooks(ctx: typer.Context, incomplete: str) -> list[str]:
    from csmctl.playbooks import list_playbooks, search_path

    try:
        folder = ctx.params.get("playbook_dir")
        found = list_playbooks(search_path(folder, _settings(ctx).user_playbook_dir))
    except Exception:  # noqa: BLE001
        return []
    return _matching((p.name for p in found), incomplete)


def templates(ctx: typer.Context, incomplete: str) -> list[str]:
    from csmctl.documents.engine import list_templates, search_path

    try:
        folder = ctx.params.get("template_dir")
        found = list_templates(search_path(folder, _settings(ctx).user_template_dir))
    except Exception:  # noqa: BLE001
        return []
    return _matching((t.name for t in found), incomplete)


def presets(ctx: typer.Context, incomplete: str) -> list[str]:
    """The built-in presets of the importer this command runs (``import accounts`` ...) and the
    user's preset files (the config dir's presets/*.toml)."""
    import importlib

    from csmctl.importing.presets import user_preset_paths

    try:
        module = importlib.import_module(f"csmctl.importing.{ctx.info_name}")
        mine = [p.stem for p in user_preset_paths(_settings(ctx).config_dir)]
    except Exception:  # noqa: BLE001
        return []
    return _matching([*getattr(module, "PRESETS", {}), *mine], incomplete)
