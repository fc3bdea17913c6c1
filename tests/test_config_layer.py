"""The settings layer sits below documents/ and store/: nothing in config.py reaches up, not even
lazily inside a function (a lazy `health_config` import there made config -> health_config ->
documents.sources the one arrow in the package that ran back up)."""

from __future__ import annotations

import ast
from pathlib import Path

import csmctl

UPPER = ("csmctl.documents", "csmctl.store", "csmctl.cli", "csmctl.health_config", "csmctl.importing")


def test_config_imports_nothing_from_the_layers_above_it() -> None:
    source = Path(csmctl.__file__).parent / "config.py"
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [f"config.py:{node.lineno}: {name}" for name in names if name.startswith(UPPER)]
    assert found == []
