"""Where csmctl finds its files: the built-in templates and playbooks, and the one look-up order
for every kind of user-editable file.

The built-ins live inside the installed package (the wheel force-includes the repository's
``templates/`` as ``csmctl/templates``) or, when running from a source checkout, in the
repository's ``templates/``. A look-up (``search_path``) is always: the folder given by a flag
(``--template-dir``, ``--playbook-dir``), then the user's folder in the config dir, then the
built-in one; the first folder that has a name wins. Each folder carries where it came from,
spelled one way: the flag's name, ``"user"`` or ``"built-in"``.
"""

from __future__ import annotations

from pathlib import Path

from csmctl.errors import NotFound

_PACKAGE = Path(__file__).resolve().parent
BUILT_IN = "built-in"
USER = "user"


def builtin_root() -> Path:
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("csmctl's built-in templates are missing; reinstall csmctl")


def builtin_dir(kind: str = "") -> Path:
    """``builtin_dir("playbooks")`` -> the built-in playbooks folder."""
    return builtin_root() / kind if kind else builtin_root()


def search_path(
    kind: str, flag_dir: Path | str | None, user_dir: Path | None, *, flag: str
) -> list[tuple[str, Path]]:
    """The folders to look in for ``kind`` (``""`` for templates, ``"playbooks"``), first match
    wins, each with where it comes from. A folder named by ``flag`` must exist; the user's folder
    is skipped until it does."""
    dirs: list[tuple[str, Path]] = []
    if flag_dir is not None and str(flag_dir) != "":
        folder = Path(flag_dir).expanduser()
        if not folder.is_dir():
            raise NotFound(f"The folder {folder} given with {flag} does not exist.", f"Check {flag}.")
        dirs.append((flag, folder))
    if user_dir is not None and Path(user_dir).is_dir():
        dirs.append((USER, Path(user_dir)))
    dirs.append((BUILT_IN, builtin_dir(kind)))
    return dirs
