"""Reading configuration text: TOML files with their problems located, the line that defines a
key, and the busy timeout that both config.toml and CSMCTL_BUSY_TIMEOUT give. Light (stdlib and
csmctl.errors only), so `config` (on every command's path), the pydantic settings model
(`config_file`) and the health profiles (`health_config`) all take them from here instead of from
each other.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from csmctl.errors import InvalidValue


def busy_timeout_from(value: object, *, source: str) -> float:
    """Seconds to wait for a lock: a number >= 0 (``source`` names where it came from)."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise InvalidValue(
            f"{source} must be a number of seconds (got {value!r}).", "Use e.g. 5 or 0.5; 0 does not wait."
        )
    return seconds


def read_toml(path: Path, *, what: str) -> tuple[dict[str, Any], str]:
    """(data, text) of a TOML file (config.toml, health.toml); unreadable or invalid TOML is an
    InvalidInput naming the file (tomllib's words carry the line and column)."""
    import tomllib

    from csmctl.errors import InvalidInput, Problem

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InvalidInput(Problem(f"cannot read the {what}: {reason}", path=str(path))) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            Problem(f"not valid TOML: {exc}", path=str(path), hint="fix or remove the file")
        ) from None


# -- locating a key in a TOML file ---------------------------------------------------------------
# tomllib keeps no positions; config files are small and hand-written, so one scan of the lines
# for the table header and the key is enough to point the user at the right line.

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _unquote(part: str) -> str:
    part = part.strip()
    return part[1:-1] if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'" else part


def _dotted(text: str) -> tuple[str, ...]:
    return tuple(_unquote(p) for p in re.findall(r"""("[^"]*"|'[^']*'|[^.]+)""", text))


def key_line(text: str, path: tuple[str, ...]) -> int | None:
    """The 1-based line that defines ``path`` (a key, or the header of a table), or the nearest
    enclosing table's header line; None when nothing of it is in the text."""
    best: tuple[int, int] | None = None  # (matched depth, line)
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header.group(1))
            full = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            full = table + _dotted(key.group(1))
        depth = 0
        while depth < min(len(full), len(path)) and full[depth] == path[depth]:
            depth += 1
        if depth == len(full) and depth > 0 and (best is None or depth > best[0]):
            best = (depth, number)
    return best[1] if best else None
