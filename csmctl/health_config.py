"""Reading the health profile file from the config dir, and the cadence settings.

``health.toml`` or ``health.yaml`` (``.yml``) in the config dir, or ``--profile FILE``; none
means the built-in profile. (Cadence comes from the touchpoints' ``[cadence]`` rules.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csmctl.errors import InvalidInput, InvalidValue, Problem

NAMES = ("health.toml", "health.yaml", "health.yml")


def profile_path(config_dir: Path) -> Path | None:
    found = [config_dir / n for n in NAMES if (config_dir / n).is_file()]
    if len(found) > 1:
        raise InvalidValue(
            f"Two health profiles in {config_dir}: {', '.join(p.name for p in found)}.", "Keep one of them."
        )
    return found[0] if found else None


def read_profile_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(
            Problem(f"cannot read the health profile: {error.strerror}", path=str(path))
        ) from None
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InvalidInput(Problem(f"not valid TOML: {error}", path=str(path))) from None
    import yaml

    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InvalidInput(
            Problem(
                f"not valid YAML: {getattr(error, 'problem', None) or error}",
                path=str(path),
                line=mark.line + 1 if mark else None,
            )
        ) from None


def load_profiles(config_dir: Path, path: Path | None = None):
    """The effective ProfileSet: --profile FILE, else the config dir's file, else built-in."""
    from csmctl.domain.health_profile import parse_profiles

    if path is not None and not Path(path).is_file():
        raise InvalidValue(f"No health profile at {path}.")
    path = Path(path) if path is not None else profile_path(config_dir)
    data = read_profile_file(path) if path is not None else {}
    profiles, problems = parse_profiles(data, source=str(path) if path else None)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InvalidInput(problems, summary=f"{path}: {len(problems)} {noun} in the health profile:")
    return profiles
