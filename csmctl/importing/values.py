"""Value maps applied to rows before they parse, and what they did.

For a column with a value map, a value in the map becomes its target (an empty target means
"leave the field unset"). For an enumerated field (tier, lifecycle stage), a value that is
neither mapped nor one csmctl accepts keeps the field's default and is counted as unmapped: the
import warns once per value, with its rows, and says how to map it; with ``strict`` it is an
error instead. Everything else passes through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from csmctl.domain import fields
from csmctl.errors import InvalidValue, Problem
from csmctl.importing.presets import value_key


@dataclass(frozen=True)
class Choice:
    """An enumerated field: its accepted values, their aliases, and its name in messages."""

    options: tuple[str, ...]
    aliases: Mapping[str, str]
    what: str

    def accepts(self, value: object) -> bool:
        try:
            fields.choice(value, self.options, what=self.what, aliases=dict(self.aliases))
        except InvalidValue:
            return False
        return True


@dataclass
class ValuePlan:
    columns: Mapping[str, str]  # field -> file column
    maps: dict[str, dict[str, str]]  # field -> {value_key: target}
    choices: Mapping[str, Choice]
    strict: bool = False
    applied: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (field, source, target) -> rows
    unmapped: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (field, value) -> rows
    # (field, value) -> whether the field's parser accepts it: a file holds few distinct values.
    _accepted: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False)

    def apply(self, values: dict[str, Any], row: Any, ctx: Any) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []
        for name in self.names:
            value = values.get(name)
            if value.__class__ is str:
                if not value.strip():  # blank
                    continue
            elif fields.blank(value) or isinstance(value, (dict, list, bool)):
                continue
            mapping = self.maps.get(name)
            if mapping:
                key = value_key(value)
                if key in mapping:
                    target = mapping[key]
                    counted = (name, str(value).strip(), target)
                    self.applied[counted] = self.applied.get(counted, 0) + 1
                    values[name] = target or None
                    continue
            choice = self.choices.get(name)
            if choice is None or self._accepts(name, choice, value):
                continue
            if self.strict:
                problems.append(
                    ctx.problem(
                        row,
                        f"{value!r} is no {choice.what} and has no value map",
                        field=name,
                        hint=self.how_to_map(name, str(value)),
                    )
                )
                values[name] = None  # reported here: the parser need not say it again
                continue
            self.unmapped.setdefault((name, str(value).strip()), []).append(row.line or row.index)
            values[name] = None
        return values, problems

    @cached_property
    def names(self) -> list[str]:
        """The fields a value map or a closed set applies to."""
        return list(self.maps.keys() | self.choices.keys())

    def _accepts(self, name: str, choice: Choice, value: object) -> bool:
        if not isinstance(value, str):
            return choice.accepts(value)
        known = self._accepted.get((name, value))
        if known is None:
            known = self._accepted[(name, value)] = choice.accepts(value)
        return known

    def how_to_map(self, name: str, value: str) -> str:
        choice = self.choices[name]
        return (
            f'map it with --map-values "{self.columns.get(name, name)}:{value}={choice.options[0]}" '
            f"(one of: {', '.join(choice.options)})"
        )

    def applied_lines(self) -> list[str]:
        return [
            f"{self.columns.get(name, name)}: {source!r} -> {target or '(default)'} ({rows} row{'s' if rows != 1 else ''})"
            for (name, source, target), rows in sorted(self.applied.items())
        ]

    def unmapped_lines(self, spans: Any) -> list[str]:
        out = []
        for (name, value), rows in self.unmapped.items():
            unit = "row" if len(rows) == 1 else "rows"
            out.append(
                f"{self.columns.get(name, name)}: {value!r} is no {self.choices[name].what}; kept the default "
                f"({len(rows)} {unit}: {spans(sorted(set(rows)))}); {self.how_to_map(name, value)}."
            )
        return out


def build_plan(
    columns: Mapping[str, str],
    preset_values: Mapping[str, Mapping[str, str]],
    user_values: Mapping[str, Mapping[str, str]],
    choices: Mapping[str, Choice],
    *,
    strict: bool,
    headers: list[str],
) -> ValuePlan:
    """``columns``: field -> file column. Value maps are keyed by file column; the user's win."""
    from csmctl.importing.mapping import normalise

    field_of = {normalise(column): name for name, column in columns.items()}
    plan = ValuePlan(dict(columns), {}, choices, strict)
    for origin, maps in (("preset", preset_values), ("--map-values", user_values)):
        for column, mapping in maps.items():
            name = field_of.get(normalise(column))
            if name is None:
                if origin == "preset":
                    continue  # the export does not have this column: nothing to map
                known = normalise(column) in {normalise(h) for h in headers}
                raise InvalidValue(
                    f"--map-values names a column {column!r} that "
                    + ("feeds no field." if known else "the file does not have."),
                    f'Map the column first with --map "{column}=FIELD".'
                    if known
                    else f"Its columns are: {', '.join(headers)}.",
                )
            choice = choices.get(name)
            for source, target in mapping.items():
                if target and choice is not None and not choice.accepts(target):
                    raise InvalidValue(
                        f"{origin} maps {column!r} value {source!r} to {target!r}, which is no {choice.what}.",
                        f"Use one of: {', '.join(choice.options)} (or nothing to keep the default).",
                    )
                if target and choice is not None:
                    target = fields.choice(
                        target, choice.options, what=choice.what, aliases=dict(choice.aliases)
                    )
                plan.maps.setdefault(name, {})[value_key(source)] = target or ""
    return plan
