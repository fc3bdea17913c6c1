"""docs/json.md, generated from the schemas: ``python -m csmctl.schemas.docs > docs/json.md``.

A test checks that the committed file is current, so the documentation of the JSON contracts
cannot drift from the schemas the tests validate against.
"""

from __future__ import annotations

from typing import Any

from csmctl.schemas import SHARED, _read, command_names

INTRO = """\
# JSON output

<!-- Generated from csmctl/schemas by `python -m csmctl.schemas.docs > docs/json.md`; edit the
schemas, not this file. -->

Scripts may rely on these shapes: every `--format json` output has a JSON Schema (draft 2020-12)
shipped with csmctl, `csmctl schema json COMMAND` prints it (e.g. `csmctl schema json account
list`), and the test suite validates every command's output against it. A change of shape is a
change to a schema, reviewed like code, and goes in the changelog.

Dates are ISO `YYYY-MM-DD`; moments are ISO 8601 UTC with `Z`; money is
`{"amount_minor": <int>, "currency": "<ISO 4217>"}` (e.g. USD 1,200.50 is `120050`, JPY has no
minor unit). Listings are JSON arrays of objects; `show` prints one object. "or null" marks a
value that can be missing; every key listed is always present unless marked optional.

`jd render -f jsonld` prints schema.org's shape, not a csmctl one (described at the end).
"""

JSONLD = """\
## Not csmctl's shape: `jd render -f jsonld`

A schema.org `JobPosting` object (the same one the HTML page embeds): `@context`, `@type`,
`title`, `description` (HTML), `datePosted` (date), `hiringOrganization` {`@type`: Organization,
`name`, `sameAs`?, `logo`?}, and when the spec has them `validThrough` (date), `jobLocation`
{`@type`: Place, `address`: PostalAddress with `addressCountry`}, `jobLocationType`
(`TELECOMMUTE` for fully remote) with `applicantLocationRequirements` (list of `Country` /
`AdministrativeArea` with `name`), `employmentType` (string or list of schema.org values),
`baseSalary` {`@type`: MonetaryAmount, `currency`, `value`: QuantitativeValue with `minValue`,
`maxValue` (or `value`) as numbers in major units and `unitText` YEAR/MONTH/WEEK/DAY/HOUR},
`incentiveCompensation`, `jobBenefits` (one benefit a line), `directApply` (bool), `identifier` (PropertyValue), `experienceRequirements`,
`qualifications`, `responsibilities`, `skills` (strings), `url`. This is schema.org's shape, so
money here is a number, not `{"amount_minor", "currency"}`.
"""


def _type(node: dict[str, Any]) -> str:
    """A schema node in words: int, string, date, money, list of ..., object, or null."""
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in node:
        return " or ".join(_type(alt) for alt in node["anyOf"])
    if "enum" in node:  # a closed set: name its values
        return "one of " + ", ".join("null" if v is None else f"`{v}`" for v in node["enum"])
    kind = node.get("type")
    if isinstance(kind, list):
        return " or ".join(_type({**node, "type": k}) for k in kind)
    if kind == "array":
        return f"list of {_type(node.get('items', {}))}"
    if kind == "object" and "properties" in node:
        return "object"
    names = {"integer": "int", "number": "number", "string": "string", "boolean": "bool", "null": "null"}
    return names.get(kind, "any") if kind else "any"


def _rows(node: dict[str, Any], prefix: str = "") -> list[tuple[str, str, str]]:
    """(key path, type, description) for every key, nested objects and list items flattened."""
    rows: list[tuple[str, str, str]] = []
    for alt in node.get("anyOf", []):
        rows += _rows(alt, prefix)
    if node.get("type") == "array" or (isinstance(node.get("type"), list) and "array" in node["type"]):
        return rows + _rows(node.get("items", {}), prefix + "[]" if prefix else "")
    required = set(node.get("required", []))
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        optional = "" if key in required else " (optional)"
        rows.append((path, _type(sub) + optional, sub.get("description", "")))
        rows += _rows(sub, path)
    return rows


def _table(rows: list[tuple[str, str, str]]) -> str:
    seen: set[str] = set()
    lines = ["| key | type | notes |", "| --- | --- | --- |"]
    for path, kind, note in rows:
        if path in seen:  # the same key in two alternatives (a list and one object)
            continue
        seen.add(path)
        lines.append(f"| `{path}` | {kind} | {note} |")
    return "\n".join(lines)


def render() -> str:
    parts = [INTRO]
    shared = _read(SHARED)["$defs"]
    parts.append("## Shared shapes\n")
    for name, node in shared.items():
        parts.append(f"### {name}\n\n{node.get('description', '')}\n")
        rows = _rows(node)
        if rows:
            parts.append(_table(rows) + "\n")
    for command in command_names():
        schema = _read(command.replace(" ", "-") + ".json")
        parts.append(f"## `csmctl {command} --format json`\n\n{schema.get('description', '')}\n")
        top = _type(schema)
        if top not in ("object", "any"):
            parts.append(f"Top level: {top}.\n")
        rows = _rows(schema)
        if rows:
            parts.append(_table(rows) + "\n")
    parts.append(JSONLD)
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
