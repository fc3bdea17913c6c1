"""Reading the health profile file: ``--profile FILE``, else ``health.toml`` or ``health.yaml``
(``.yml``) in the config dir, else the built-in profile.

YAML loads through :func:`csmctl.documents.sources.load_document` like every other input file,
and TOML through tomllib with :func:`csmctl.config_text.key_line`, so every problem names the file,
the line and the key. Cadence and what counts as contact are not here: they are the settings'
touchpoint rules (``[cadence]`` and ``[touchpoints]`` in config.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from csmctl.errors import InvalidInput, InvalidValue

NAMES = ("health.toml", "health.yaml", "health.yml")


def profile_path(config_dir: Path) -> Path | None:
    found = [config_dir / n for n in NAMES if (config_dir / n).is_file()]
    if len(found) > 1:
        raise InvalidValue(
            f"Two health profiles in {config_dir}: {', '.join(p.name for p in found)}.", "Keep one of them."
        )
    return found[0] if found else None


def read_profile_file(path: Path) -> tuple[Any, Callable[[str], int | None]]:
    """(data, key path -> line) of a profile file."""
    if path.suffix.lower() != ".toml":
        from csmctl.documents.sources import load_document

        data, locator = load_document(path)
        return data, locator
    from csmctl.config_text import key_line, read_toml

    data, text = read_toml(path, what="health profile")
    return data, lambda key: key_line(text, tuple(key.split(".")))


def load_profiles(config_dir: Path, path: Path | None = None):
    """The effective ProfileSet: --profile FILE, else the config dir's file, else built-in."""
    from csmctl.domain.health_profile import parse_profiles

    if path is not None and not Path(path).is_file():
        raise InvalidValue(f"No health profile at {path}.")
    path = Path(path) if path is not None else profile_path(config_dir)
    data, locate = read_profile_file(path) if path is not None else ({}, None)
    profiles, problems = parse_profiles(data, source=str(path) if path else None)
    if problems:
        if locate is not None:
            problems = [replace(p, line=locate(p.field)) if p.field else p for p in problems]
        noun = "problem" if len(problems) == 1 else "problems"
        raise InvalidInput(problems, summary=f"{path}: {len(problems)} {noun} in the health profile:")
    return profiles
