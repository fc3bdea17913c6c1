"""The JSON Schemas (draft 2020-12) of every ``--format json`` output: csmctl's output contracts.

One file per command (``account-list.json`` for ``csmctl account list``), plus ``objects.json``
whose ``$defs`` hold the shapes several commands share (an account, money, a date). A command's
file refers to them as ``objects.json#/$defs/NAME``; :func:`load_schema` returns the schema
self-contained (the shared definitions it uses copied into its own ``$defs``), which is what
``csmctl schema json COMMAND`` prints and what the tests validate against. docs/json.md is
generated from these files (``python -m csmctl.schemas.docs``).

New kinds of schema (job specs, settings...) go in sibling folders with their own loader; the
``schema`` command group (cli/schema.py) lists them.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from csmctl.errors import InvalidValue

SHARED = "objects.json"
_PREFIX = SHARED + "#/$defs/"


def _dir():
    from importlib.resources import files

    return files(__name__)


def command_names() -> list[str]:
    """Every command that prints JSON, as typed after ``csmctl`` ("account list"), sorted."""
    names = [p.name for p in _dir().iterdir() if p.name.endswith(".json") and p.name != SHARED]
    return sorted(name.removesuffix(".json").replace("-", " ") for name in names)


@cache
def _read(filename: str) -> dict[str, Any]:
    return json.loads(_dir().joinpath(filename).read_text(encoding="utf-8"))


def load_schema(command: str) -> dict[str, Any]:
    """The self-contained schema of ``csmctl COMMAND --format json``."""
    # A file name cannot keep a hyphen inside a word ("follow-up list" is followup-list.json).
    key = " ".join(word.replace("-", "") for word in command.split())
    if key not in command_names():
        raise InvalidValue(
            f"No JSON schema for {key!r}.",
            f"Commands with JSON output: {', '.join(command_names())}.",
        )
    schema = copy.deepcopy(_read(key.replace(" ", "-") + ".json"))
    shared = _read(SHARED)["$defs"]
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    pending = _refs(schema)
    while pending:
        name = pending.pop()
        if name not in defs:
            defs[name] = copy.deepcopy(shared[name])
            pending |= _refs(defs[name])
    _localise(schema)
    if not defs:
        del schema["$defs"]
    return schema


def _refs(node: Any) -> set[str]:
    """The shared definitions ``node`` refers to."""
    if isinstance(node, dict):
        found = (
            {node["$ref"].removeprefix(_PREFIX)} if str(node.get("$ref", "")).startswith(_PREFIX) else set()
        )
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


def _localise(node: Any) -> None:
    """objects.json#/$defs/NAME -> #/$defs/NAME, in place."""
    if isinstance(node, dict):
        if str(node.get("$ref", "")).startswith(_PREFIX):
            node["$ref"] = "#/$defs/" + node["$ref"].removeprefix(_PREFIX)
        for value in node.values():
            _localise(value)
    elif isinstance(node, list):
        for item in node:
            _localise(item)
