"""Parsers for the values people type, shared by the CLI flags and file imports.

Each parser takes the raw text (or an already typed value from JSON) and returns the typed value
or raises ``InvalidValue`` saying what was wrong and what is accepted. Importers call them per
cell and turn the error into a located ``Problem``; the CLI calls them per flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from csmctl.domain.dates import parse_date
from csmctl.errors import InvalidValue

_TRUE = {"true", "yes", "y", "1", "on", "t"}
_FALSE = {"false", "no", "n", "0", "off", "f", ""}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
# Compiled once here: an import calls these parsers for every cell of every row.
_CHOICE_SEPARATORS = re.compile(r"[\s_]+")
_SCHEME = re.compile(r"^https?://")
_TAG_SPLIT = re.compile(r"[;,]")
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"^[\w.:/+-]+$")


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object, *, what: str, max_length: int = 200, required: bool = False) -> str | None:
    # Empty after folding or stripping is exactly blank(): both take off the same white space.
    raw = "" if value is None else str(value)
    out = " ".join(raw.split()) if max_length <= 200 else raw.strip()
    if not out:
        if required:
            raise InvalidValue(f"{what} is required.")
        return None
    if len(out) > max_length:
        raise InvalidValue(f"{what} is too long ({len(out)} characters; at most {max_length}).")
    if _CONTROL.search(out):
        raise InvalidValue(f"{what} contains control characters.")
    return out


def integer(value: object, *, what: str, low: int | None = None, high: int | None = None) -> int | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(f"Invalid {what} {value!r}: expected a whole number.")
    try:
        number = int(str(value).strip().replace(",", "").replace("_", ""))
    except ValueError:
        try:
            as_float = float(str(value))
        except ValueError:
            as_float = None
        if as_float is not None and as_float.is_integer():
            number = int(as_float)
        else:
            raise InvalidValue(f"Invalid {what} {value!r}: expected a whole number.") from None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        raise InvalidValue(f"Invalid {what} {number}: must be {bounds}.")
    return number


def boolean(value: object, *, what: str) -> bool:
    if isinstance(value, bool):
        return value
    lowered = "" if value is None else str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidValue(f"Invalid {what} {value!r}.", "Use true/false (or yes/no, 1/0).")


def choice(
    value: object, options: Iterable[str], *, what: str, aliases: dict[str, str] | None = None
) -> str | None:
    if blank(value):
        return None
    options = list(options)
    key = _CHOICE_SEPARATORS.sub("-", str(value).strip().lower())
    key = (aliases or {}).get(key, key)
    if key not in options:
        raise InvalidValue(f"Unknown {what} {value!r}.", f"Use one of: {', '.join(options)}.")
    return key


def a_date(value: object, *, what: str, today: date) -> date | None:
    if blank(value):
        return None
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    # CRM exports often carry a time: keep the date part of an ISO timestamp.
    if len(raw) > 10 and raw[10] in "T " and raw[:4].isdigit():
        raw = raw[:10]
    return parse_date(raw, today, what=what)


def domain_name(value: object, *, what: str = "domain") -> str | None:
    if blank(value):
        return None
    raw = str(value).strip().lower()
    if "/" in raw:  # a URL: its host
        raw = _SCHEME.sub("", raw).split("/", 1)[0]
    raw = raw.removeprefix("www.")
    if not _DOMAIN.match(raw):
        raise InvalidValue(f"Invalid {what} {value!r}.", "Use a domain such as example.com.")
    return raw


def email(value: object, *, what: str = "email") -> str | None:
    if blank(value):
        return None
    from csmctl.domain.addresses import EMAIL_HINT, email_address  # pydantic: off the --help path

    try:
        return email_address(str(value))
    except ValueError:
        raise InvalidValue(
            f"Invalid {what} {value!r}.", f"{EMAIL_HINT[0].upper()}{EMAIL_HINT[1:]}."
        ) from None


def tags(value: object, *, what: str = "tags") -> list[str]:
    """``"renewal-risk; exec"`` or a list -> ``["exec", "renewal-risk"]`` (lower-case, sorted)."""
    if blank(value):
        return []
    raw = value if isinstance(value, list | tuple) else [value]
    items = [part for item in raw for part in _TAG_SPLIT.split(str(item))]
    out = set()
    for item in items:
        tag = _SPACES.sub("-", str(item).strip().lower())
        if not tag:
            continue
        if len(tag) > 40 or not _TAG.match(tag):
            raise InvalidValue(f"Invalid tag {item!r}.", "Tags are short words: letters, digits, - _ . : /")
        out.add(tag)
    return sorted(out)


def store_tags(items: Iterable[str]) -> str:
    """Stored form ``,a,b,`` so a filter is ``LIKE '%,tag,%'`` on every database."""
    items = sorted(set(items))
    return f",{','.join(items)}," if items else ""


def load_tags(stored: str | None) -> list[str]:
    return [t for t in (stored or "").split(",") if t]


def has_tag(stored: str | None, tag: str) -> bool:
    """``tag in load_tags(stored)`` without building the list (a per-row test on big listings)."""
    return stored is not None and f",{tag}," in f",{stored},"


def edited_tags(current: Iterable[str], add: object, remove: object) -> list[str]:
    """``current`` with the tags of ``add`` added and those of ``remove`` taken away (sorted)."""
    return sorted((set(current) | set(tags(add))) - set(tags(remove)))
