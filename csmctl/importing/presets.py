"""Presets for CRM exports, and the value maps that turn a CRM's values into csmctl's.

A preset names the columns of one vendor's export (which column feeds which field), maps the
values of its enumerated columns (HubSpot's lifecycle stage ``customer`` -> csmctl's stage
``adoption``), and says why some columns that look useful are left alone (``notes``): HubSpot's
"Annual Revenue" is the customer's own revenue, not the ARR of your contract, so it is never
imported silently.

Values are matched ignoring case, spaces and punctuation, so a CRM's internal value and its
label are one key (``marketingqualifiedlead`` = "Marketing Qualified Lead").

A user preset is a TOML file (``--preset ./mine.toml``, or ``NAME.toml`` in the config dir's
``presets/`` folder) with the same parts, optionally extending a built-in one::

    extends = "hubspot"
    [columns]
    "ARR (contract)" = "arr"
    [values."Lifecycle Stage"]
    other = "churned"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csmctl.errors import InvalidInput, InvalidValue, Problem

_NOT_KEY = re.compile(r"[^0-9a-z]+")


def value_key(value: object) -> str:
    """The matching form of a value: 'Marketing Qualified Lead' -> 'marketingqualifiedlead'."""
    return _NOT_KEY.sub("", str(value).casefold())


@dataclass(frozen=True)
class Preset:
    name: str
    description: str = ""
    columns: Mapping[str, str] = field(default_factory=dict)  # file column -> field ('' ignores it)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # column -> {value: target}
    notes: Mapping[str, str] = field(default_factory=dict)  # column -> why it is not imported
    source: str = "built-in"


def as_preset(name: str, preset: Preset | Mapping[str, str]) -> Preset:
    return preset if isinstance(preset, Preset) else Preset(name, columns=dict(preset))


def parse_value_options(options: Iterable[str] | None) -> dict[str, dict[str, str]]:
    """``["Lifecycle Stage:customer=adoption"]`` -> ``{"Lifecycle Stage": {"customer": "adoption"}}``."""
    out: dict[str, dict[str, str]] = {}
    for option in options or []:
        source, equals, target = option.rpartition("=")
        column, colon, value = source.partition(":")
        if not equals or not colon or not column.strip() or not value.strip():
            raise InvalidValue(
                f"Invalid --map-values {option!r}.",
                'Use --map-values "COLUMN:value=target", e.g. --map-values "Lifecycle Stage:customer=adoption".',
            )
        out.setdefault(column.strip(), {})[value.strip()] = target.strip()
    return out


def merge(base: Preset, *, columns=None, values=None, notes=None, **changes: Any) -> Preset:
    merged_values = {c: dict(m) for c, m in base.values.items()}
    for column, mapping in (values or {}).items():
        merged_values.setdefault(column, {}).update(mapping)
    return Preset(
        changes.get("name", base.name),
        changes.get("description", base.description),
        {**base.columns, **(columns or {})},
        merged_values,
        {**base.notes, **(notes or {})},
        changes.get("source", base.source),
    )


def user_preset_paths(config_dir: Path) -> list[Path]:
    folder = config_dir / "presets"
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def resolve(
    name: str, builtin: Mapping[str, Preset | Mapping[str, str]], *, entity: str, config_dir: Path | None
) -> Preset:
    """A built-in preset by name, a user preset by name (config dir), or a preset file by path."""
    if name in builtin:
        return as_preset(name, builtin[name])
    path = Path(name)
    if not name.endswith(".toml") and config_dir is not None:
        path = config_dir / "presets" / f"{name}.toml"
    if not path.is_file():
        raise InvalidValue(
            f"Unknown preset {name!r} for {entity}.",
            f"Presets: {', '.join(builtin) or 'none'} (see `csmctl import presets`), or a .toml preset file.",
        )
    return load_preset_file(path, builtin)


def load_preset_file(path: Path, builtin: Mapping[str, Preset | Mapping[str, str]]) -> Preset:
    from csmctl.config_text import read_toml

    label = str(path)
    data, _ = read_toml(path, what="preset file")
    problems = []
    unknown = sorted(set(data) - {"extends", "description", "columns", "values", "notes"})
    for key in unknown:
        problems.append(
            Problem(
                "unknown key",
                path=label,
                field=key,
                hint="keys: extends, description, columns, values, notes",
            )
        )
    base = Preset(path.stem, source=label)
    extends = data.get("extends")
    if extends is not None:
        if extends not in builtin:
            problems.append(
                Problem(
                    f"extends an unknown preset {extends!r}",
                    path=label,
                    field="extends",
                    hint=f"use one of: {', '.join(builtin)}",
                )
            )
        else:
            base = as_preset(extends, builtin[extends])
    columns, values, notes = data.get("columns", {}), data.get("values", {}), data.get("notes", {})
    for key, table in (("columns", columns), ("notes", notes)):
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            problems.append(Problem("expected a table of text values", path=label, field=key))
    if not isinstance(values, dict) or not all(
        isinstance(m, dict) and all(isinstance(v, str) for v in m.values()) for m in values.values()
    ):
        problems.append(
            Problem(
                "expected one table of text values per column",
                path=label,
                field="values",
                hint='[values."Lifecycle Stage"]',
            )
        )
    if problems:
        raise InvalidInput(problems, summary=f"{label}: {len(problems)} problem(s) in the preset file:")
    return merge(
        base,
        columns=columns,
        values=values,
        notes=notes,
        name=path.stem,
        description=data.get("description", base.description),
        source=label,
    )


def describe_presets(importers: Mapping[str, Any], config_dir: Path | None) -> list[dict[str, Any]]:
    """One record per (import, preset): built-in ones, then the user's preset files."""
    out = []
    for entity, importer in importers.items():
        for name, item in importer.presets.items():
            preset = as_preset(name, item)
            maps = [
                f"{column}: " + ", ".join(f"{v} -> {t or '(default)'}" for v, t in mapping.items())
                for column, mapping in preset.values.items()
            ]
            out.append(
                {
                    "entity": entity,
                    "preset": name,
                    "description": preset.description,
                    "source": preset.source,
                    "value_maps": maps,
                }
            )
    for path in user_preset_paths(config_dir) if config_dir else []:
        out.append(
            {
                "entity": "any",
                "preset": path.stem,
                "description": str(path),
                "source": str(path),
                "value_maps": [],
            }
        )
    return out
