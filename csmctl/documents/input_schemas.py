"""JSON Schemas of csmctl's input files, for editors (YAML language server, VS Code, JetBrains).

``input_schema("job")`` builds the schema from the pydantic model that reads the file, so the
schema and the validator cannot drift. ``schema_line(kind)`` is the first line `jd new`,
`resume new`, `playbook copy` and `play copy` write: ``# yaml-language-server: $schema=...`` pointing at the
schema shipped with the installed csmctl (``templates/schemas/<kind>.json``, kept equal to the
generated one by a test), so an editor validates and completes the file as the user types.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {
    "job": "csmctl job spec (JSON Resume job schema plus csmctl's hiring fields)",
    "resume": "JSON Resume, as csmctl reads it",
    "playbook": "csmctl onboarding playbook",
    "play": "csmctl play (a condition over an account's facts, and actions)",
    "settings": "csmctl config.toml",
}
KINDS = tuple(TITLES)


def _model(kind: str):
    if kind == "job":
        from csmctl.documents.jobspec import JobSpec

        return JobSpec
    if kind == "resume":
        from csmctl.documents.resume import Resume

        return Resume
    if kind == "playbook":
        from csmctl.documents.playbook import Playbook

        return Playbook
    if kind == "play":
        from csmctl.documents.play import Play

        return Play
    return _settings_model()


def _settings_model():
    """config.toml's model: the one csmctl validates the file with (csmctl.config_file)."""
    from csmctl.config_file import ConfigFile

    return ConfigFile


def input_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one input file kind."""
    from csmctl.errors import InvalidValue

    if kind not in KINDS:
        raise InvalidValue(f"No input schema named {kind!r}.", "Use " + ", ".join(KINDS) + ".")
    model = _model(kind)
    if hasattr(model, "model_rebuild"):
        model.model_rebuild()
    schema = model.model_json_schema(mode="validation")
    return {"$schema": DRAFT, "title": TITLES[kind], **{k: v for k, v in schema.items() if k != "title"}}


def schema_path(kind: str) -> Path:
    from csmctl.resources import builtin_dir

    return builtin_dir("schemas") / f"{kind}.json"


def schema_line(kind: str) -> str:
    """``# yaml-language-server: $schema=file:///.../job.json`` for a scaffold's first line."""
    return f"# yaml-language-server: $schema={schema_path(kind).as_uri()}\n"


def with_schema_line(kind: str, text: str) -> str:
    """``text`` with the schema line on top (replacing one that is already there)."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return schema_line(kind) + "".join(lines)
