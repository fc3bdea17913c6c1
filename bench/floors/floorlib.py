"""What the two stack floors share: reading YAML and a Jinja environment over this folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def load_yaml(path: Path) -> Any:
    """``yaml.safe_load``, through LibYAML when it is there (as csmctl reads)."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def jinja_env(out: Path, **options: Any):
    """The templates of this folder, with Jinja's own compiled-template cache next to ``out`` (csmctl
    keeps one too): a repeat run loads a template's code instead of compiling it."""
    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader

    folder = out.parent / ".floor-jinja-cache"
    folder.mkdir(exist_ok=True)
    return Environment(
        loader=FileSystemLoader(str(HERE)), bytecode_cache=FileSystemBytecodeCache(str(folder)), **options
    )
