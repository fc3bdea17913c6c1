"""Where playbooks come from: ``--playbook-dir``, then the user playbook dir, then the built-ins.

A playbook's name is its file name without ``.yaml``/``.yml`` (``standard``); the first folder
that has a name wins, so a user's copy shadows the built-in one. A name that is a path to a
file (``./mine.yaml``) is used as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csmctl.errors import NotFound
from csmctl.resources import builtin_dir

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PlaybookFile:
    name: str
    origin: str  # "--playbook-dir", "user" or "built-in"
    path: Path


def search_path(playbook_dir: Path | str | None, user_dir: Path | None) -> list[tuple[str, Path]]:
    """The folders to look in, first match wins, each with where it comes from."""
    dirs: list[tuple[str, Path]] = []
    if playbook_dir is not None:
        folder = Path(playbook_dir).expanduser()
        if not folder.is_dir():
            raise NotFound(f"Playbook folder {folder} does not exist.", "Check --playbook-dir.")
        dirs.append(("--playbook-dir", folder))
    if user_dir is not None:
        dirs.append(("user", Path(user_dir)))
    dirs.append(("built-in", builtin_dir("playbooks")))
    return dirs


def list_playbooks(dirs: list[tuple[str, Path]]) -> list[PlaybookFile]:
    found: dict[str, PlaybookFile] = {}
    for origin, folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SUFFIXES and path.is_file() and path.stem not in found:
                found[path.stem] = PlaybookFile(path.stem, origin, path)
    return sorted(found.values(), key=lambda p: p.name)


def find_playbook(dirs: list[tuple[str, Path]], name: str) -> PlaybookFile:
    candidate = Path(name).expanduser()
    if candidate.suffix.lower() in SUFFIXES and candidate.is_file():
        return PlaybookFile(candidate.stem, "file", candidate)
    stem = name.removesuffix(".yaml").removesuffix(".yml")
    available = list_playbooks(dirs)
    for playbook in available:
        if playbook.name == stem:
            return playbook
    names = ", ".join(p.name for p in available) or "none"
    raise NotFound(f"No playbook named {name!r}.", f"Available: {names} (see `csmctl playbook list`).")


def load_playbook(path: Path):
    """Read and validate one playbook file (InvalidInput lists every problem, located)."""
    from csmctl.documents.playbook import validate_playbook
    from csmctl.documents.sources import load_document

    return validate_playbook(*load_document(path))
