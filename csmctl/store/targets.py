"""What a --db value names: a SQLite file or a server URL. Plain string work, no SQLAlchemy, so
shell completion and other light paths can ask without loading the database layer."""

from __future__ import annotations

from pathlib import Path


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_path(target: str) -> Path | None:
    """The file behind a path or sqlite URL; None for server databases and :memory:."""
    if not is_url(target):
        return Path(target).expanduser()
    if target.startswith("sqlite"):
        path = target.split(":///", 1)[1] if ":///" in target else ""
        return Path(path).expanduser() if path and path != ":memory:" else None
    return None


def sqlite_uri(path: Path) -> str:
    """``path`` as a SQLite ``file:`` URI naming exactly that file (``?``, ``#``, ``%`` escaped)."""
    from urllib.parse import quote

    return "file:" + quote(str(Path(path).absolute()), safe="/")
