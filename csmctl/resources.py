"""Where the built-in templates and playbooks are: inside the installed package (the wheel
force-includes the repository's ``templates/`` as ``csmctl/templates``) or, when running from a
source checkout, the repository's ``templates/``."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin_root() -> Path:
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("csmctl's built-in templates are missing; reinstall csmctl")


def builtin_dir(kind: str = "") -> Path:
    """``builtin_dir("playbooks")`` -> the built-in playbooks folder."""
    return builtin_root() / kind if kind else builtin_root()
