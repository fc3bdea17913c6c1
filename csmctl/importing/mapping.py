"""Which file column feeds which field: exact names, known aliases, presets, and --map.

Matching ignores case, spaces, dashes and underscores ("Renewal Date" = renewal_date). A preset
names the headers of a CRM export (HubSpot's company export, Salesforce's account report).
``--map "Company name=name"`` wins over everything; ``--map "Internal notes="`` ignores a column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter

from csmctl.errors import InvalidValue


def normalise(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.strip().casefold()).strip("_")


@dataclass
class ColumnMap:
    to_field: dict[str, str]  # file column -> field
    ignored: list[str]  # file columns that feed nothing

    def columns(self) -> dict[str, str]:
        """field -> file column (for error locations)."""
        return {f: c for c, f in self.to_field.items()}

    def apply(self, values: Mapping[str, object]) -> dict[str, object]:
        if tuple(values) == self._sources:  # a row of exactly the mapped columns, in their order
            # (a CSV whose every column feeds a field): no lookup by name; a copy as is when each
            # column has its field's name (csmctl's own export)
            return dict(values) if self._same else dict(zip(self._fields, values.values(), strict=True))
        if self._take is not None:
            try:  # a CSV row has every column: one C-level lookup of all of them
                return dict(zip(self.to_field.values(), self._take(values), strict=True))
            except KeyError:  # a JSON record may lack some
                pass
        return {field: values.get(column) for column, field in self.to_field.items()}

    def __post_init__(self) -> None:
        # itemgetter of one key returns the value, not a 1-tuple: only for two or more columns.
        self._take = itemgetter(*self.to_field) if len(self.to_field) > 1 else None
        self._sources, self._fields = tuple(self.to_field), tuple(self.to_field.values())
        self._same = self._sources == self._fields


def parse_map_options(options: Iterable[str] | None) -> dict[str, str]:
    """``["Company name=name", "Notes="]`` -> ``{"Company name": "name", "Notes": ""}``."""
    out: dict[str, str] = {}
    for option in options or []:
        if "=" not in option:
            raise InvalidValue(
                f"Invalid --map {option!r}.", 'Use --map "File column=field", e.g. --map "Company name=name".'
            )
        source, _, target = option.rpartition("=")
        out[source.strip()] = target.strip()
    return out


def _names(required: str | tuple[str, ...]) -> tuple[str, ...]:
    return (required,) if isinstance(required, str) else required


def map_columns(
    headers: list[str],
    fields: Mapping[str, str],
    *,
    aliases: Mapping[str, str] | None = None,
    preset: Mapping[str, str] | None = None,
    user_map: Mapping[str, str] | None = None,
    required: Iterable[str | tuple[str, ...]] = (),
) -> ColumnMap:
    by_norm = {normalise(h): h for h in headers}
    known = {normalise(f): f for f in fields}
    alias_norm = {normalise(a): f for a, f in (aliases or {}).items()}
    preset_norm = {normalise(a): f for a, f in (preset or {}).items()}
    to_field: dict[str, str] = {}
    for source, target in (user_map or {}).items():
        column = by_norm.get(normalise(source))
        if column is None:
            raise InvalidValue(
                f"--map names a column {source!r} that the file does not have.",
                f"Its columns are: {', '.join(headers)}.",
            )
        if target and target not in fields:
            raise InvalidValue(f"--map names an unknown field {target!r}.", f"Fields: {', '.join(fields)}.")
        to_field[column] = target
    for header in headers:
        if header in to_field:
            continue
        key = normalise(header)
        # A preset's '' ignores a column on purpose: it must not fall back to an alias.
        field = preset_norm[key] if key in preset_norm else known.get(key) or alias_norm.get(key)
        if field:
            to_field[header] = field
    # Drop explicit ignores, then make sure no field is fed twice.
    to_field = {c: f for c, f in to_field.items() if f}
    seen: dict[str, str] = {}
    for column, field in to_field.items():
        if field in seen:
            raise InvalidValue(
                f"Both {seen[field]!r} and {column!r} map to the field {field!r}.",
                f'Ignore one with --map "{column}=".',
            )
        seen[field] = column
    # A required entry is a field, or a tuple of fields any one of which will do.
    missing = [f if isinstance(f, str) else f[0] for f in required if not set(_names(f)) & seen.keys()]
    if missing:
        raise InvalidValue(
            f"The file has no column for {', '.join(missing)}.",
            f'Its columns are: {", ".join(headers)}. Map one with --map "COLUMN={missing[0]}".',
        )
    ignored = [h for h in headers if h not in to_field]
    return ColumnMap(to_field, ignored)
