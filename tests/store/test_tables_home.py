"""Every Core table a module uses comes from store/tables.py, the one schema.

Queries named their tables through aliases re-exported by store/health.py (``A``, ``T``, ``C``,
``K``), so a module reading touchpoints depended on the health scorer for a table name. This walks
every ``from csmctl... import NAME`` in the package and fails when NAME is a Table imported from
anywhere but csmctl.store.tables.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import sqlalchemy as sa

import csmctl

PACKAGE = Path(csmctl.__file__).parent


def _table_imports_elsewhere() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                not isinstance(node, ast.ImportFrom)
                or not node.module
                or not node.module.startswith("csmctl")
            ):
                continue
            if node.module == "csmctl.store.tables":
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if isinstance(getattr(module, alias.name, None), sa.Table):
                    where = path.relative_to(PACKAGE.parent)
                    found.append(f"{where}:{node.lineno}: {alias.name} from {node.module}")
    return found


def test_tables_are_imported_from_their_one_home() -> None:
    assert _table_imports_elsewhere() == []
