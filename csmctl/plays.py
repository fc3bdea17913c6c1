"""Where plays come from: ``--play-dir``, then the user play dir, then the built-ins; the same
look-up (``csmctl.resources.search_path``) and file rules as playbooks (``csmctl.playbooks``).
A play's name is its file name without ``.yaml``.
"""

from __future__ import annotations

from pathlib import Path

from csmctl import resources
from csmctl.playbooks import PlaybookFile, find_playbook, list_playbooks

PlayFile = PlaybookFile


def search_path(play_dir: Path | str | None, user_dir: Path | None) -> list[tuple[str, Path]]:
    return resources.search_path("plays", play_dir, user_dir, flag="--play-dir")


def list_plays(dirs: list[tuple[str, Path]]) -> list[PlayFile]:
    return list_playbooks(dirs)


def find_play(dirs: list[tuple[str, Path]], name: str) -> PlayFile:
    return find_playbook(dirs, name, what="play")


def load_play(path: Path, taxonomy=None):
    """Read and validate one play file (InvalidInput lists every problem, located); risk
    reasons against ``taxonomy`` (the settings' ``risk_taxonomy``)."""
    from csmctl.documents.play import validate_play
    from csmctl.documents.sources import load_document
    from csmctl.files import refuse_shared_writable

    # A play writes to the book from cron: one that another user can edit is refused, like a
    # playbook or template (csmctl.files.refuse_shared_writable).
    if not Path(path).resolve().is_relative_to(resources.builtin_dir("plays").resolve()):
        refuse_shared_writable(Path(path), "the play")
    return validate_play(*load_document(path), taxonomy=taxonomy)
