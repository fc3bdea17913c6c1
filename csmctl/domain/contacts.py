"""Contacts: the fields of a person at an account, parsed the same for flags and imports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmctl.domain import fields
from csmctl.errors import InvalidValue, Problem

FIELDS: dict[str, str] = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "role": "role",
    "champion": "champion",
    "exec_sponsor": "executive sponsor",
    "notes": "notes",
}
EXPORT_COLUMNS = ["account", *FIELDS]
# What each field accepts, as `csmctl import fields contacts` shows it.
FIELD_TYPES: dict[str, str] = {
    "name": "text, required",
    "email": "email address; matches an existing contact of the account",
    "phone": "text",
    "role": "text",
    "champion": "true/false",
    "exec_sponsor": "true/false",
    "notes": "text",
}


def parse_contact_field(name: str, value: Any) -> Any:
    what = FIELDS[name]
    if name == "name":
        return fields.text(value, what=what, required=True)
    if name == "email":
        return fields.email(value)
    if name == "phone":
        return fields.text(value, what=what, max_length=60)
    if name == "role":
        return fields.text(value, what=what, max_length=120)
    if name == "notes":
        return fields.text(value, what=what, max_length=20_000)
    if name in ("champion", "exec_sponsor"):
        return fields.boolean(value, what=what)
    raise KeyError(name)  # pragma: no cover


def parse_contact_fields(
    values: Mapping[str, Any],
    *,
    path: str | None = None,
    line: int | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in values.items():
        if name not in FIELDS:
            continue
        try:
            out[name] = parse_contact_field(name, value)
        except InvalidValue as error:
            problems.append(
                Problem(
                    error.message,
                    path=path,
                    line=line,
                    field=(columns or {}).get(name, name),
                    hint=error.hint,
                )
            )
    return out, problems
