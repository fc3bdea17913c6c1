"""No input file kept in tests/ (or shipped in templates/) makes csmctl say "internal error": each
goes through the command that validates its kind, and either passes or fails located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).parent.parent
SUFFIXES = {".json", ".yaml", ".yml", ".csv", ".jsonl", ".toml"}
FILES = sorted(
    path
    for base in (ROOT / "tests", ROOT / "templates")
    for path in base.rglob("*")
    if path.suffix in SUFFIXES and "golden" not in path.parts and "__pycache__" not in path.parts
)


def _command(path: Path) -> list[str]:
    """The validating command for a file, from its kind."""
    if path.suffix in (".csv", ".jsonl"):
        entity = "contacts" if "contacts" in path.name else "accounts"
        preset = next((p for p in ("hubspot", "salesforce", "pipedrive") if path.name.startswith(p)), None)
        return ["import", entity, str(path), "--dry-run", *(["--preset", preset] if preset else [])]
    if path.suffix == ".toml":
        return ["import", "accounts", str(ROOT / "tests/fixtures/imports/pipedrive-organizations.csv"),
                "--preset", str(path), "--dry-run"]  # fmt: skip
    text = path.read_text(encoding="utf-8-sig")
    if "phases" in text and "tasks" in text:
        return ["playbook", "validate", str(path)]
    if "\nwhen:" in "\n" + text and "actions:" in text:
        return ["play", "validate", str(path)]
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and "title" in data and "basics" not in data:
            return ["jd", "validate", str(path)]
    elif "\ntitle:" in "\n" + text and "basics:" not in text:
        return ["jd", "validate", str(path)]
    return ["resume", "validate", str(path)]


def test_the_sweep_sees_every_kind():
    kinds = {_command(p)[0] + " " + _command(p)[1] for p in FILES}
    assert kinds >= {
        "import accounts",
        "import contacts",
        "playbook validate",
        "play validate",
        "jd validate",
        "resume validate",
    }
    assert len(FILES) > 250


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_input_file_is_an_internal_error(tmp_path, path):
    result = Cli(tmp_path / "book.db")(*_command(path))
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 1:
        assert str(path) in result.stderr  # the message says which file
