"""Where playbooks come from: ``--playbook-dir``, then the user playbook dir, then the built-ins.

A playbook's name is its file name without ``.yaml``/``.yml`` (``standard``); the first folder
that has a name wins, so a user's copy shadows the built-in one. A name that is a path to a
file (``./mine.yaml``) is used as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csmctl import resources
from csmctl.errors import NotFound

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PlaybookFile:
    name: str
    origin: str  # "--playbook-dir", "user", "built-in" (resources.search_path) or "file"
    path: Path


def search_path(playbook_dir: Path | str | None, user_dir: Path | None) -> list[tuple[str, Path]]:
    """The folders to look in, first match wins (``csmctl.resources.search_path``)."""
    return resources.search_path("playbooks", playbook_dir, user_dir, flag="--playbook-dir")


def list_playbooks(dirs: list[tuple[str, Path]]) -> list[PlaybookFile]:
    found: dict[str, PlaybookFile] = {}
    for origin, folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SUFFIXES and path.is_file() and path.stem not in found:
                found[path.stem] = PlaybookFile(path.stem, origin, path)
    return sorted(found.values(), key=lambda p: p.name)


def find_playbook(dirs: list[tuple[str, Path]], name: str, *, what: str = "playbook") -> PlaybookFile:
    """A name in ``dirs`` (first folder wins) or a path to a file; ``what`` names the kind of
    file in the error (plays are found the same way, see ``csmctl.plays``)."""
    candidate = Path(name).expanduser()
    if candidate.suffix.lower() in SUFFIXES and candidate.is_file():
        return PlaybookFile(candidate.stem, "file", candidate)
    stem = name.removesuffix(".yaml").removesuffix(".yml")
    available = list_playbooks(dirs)
    for playbook in available:
        if playbook.name == stem:
            return playbook
    names = ", ".join(p.name for p in available) or "none"
    raise NotFound(f"No {what} named {name!r}.", f"Available: {names} (see `csmctl {what} list`).")


def load_playbook(path: Path):
    """Read and validate one playbook file (InvalidInput lists every problem, located)."""
    from csmctl.documents.playbook import validate_playbook
    from csmctl.documents.sources import load_document
    from csmctl.files import refuse_shared_writable

    if not Path(path).resolve().is_relative_to(resources.builtin_dir("playbooks").resolve()):
        refuse_shared_writable(Path(path), "the playbook")
    return validate_playbook(*load_document(path))
