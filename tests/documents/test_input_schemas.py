"""`csmctl schema ...` and the scaffolds' yaml-language-server line: the schemas come from the
models that read the files, the shipped copies are current, and every scaffold validates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from csmctl.documents.input_schemas import KINDS, input_schema, schema_path
from csmctl.resources import builtin_dir

jsonschema = pytest.importorskip("jsonschema")


def _plain(data):
    return json.loads(json.dumps(data, default=str))  # YAML dates -> ISO strings, as JSON has them


@pytest.mark.parametrize("kind", KINDS)
def test_cli_prints_the_schema_and_the_shipped_copy_is_current(cli, kind):
    printed = json.loads(cli.ok("schema", kind).stdout)
    assert printed == input_schema(kind)
    assert json.loads(schema_path(kind).read_text()) == printed, (
        f"templates/schemas/{kind}.json is stale: regenerate it with `csmctl schema {kind} -o ...`"
    )
    jsonschema.Draft202012Validator.check_schema(printed)


def _first_line_schema(text: str) -> dict:
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://")
    return json.loads(Path(first.split("file://", 1)[1]).read_text())


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("level", ["associate", "manager"])
def test_jd_new_scaffold_points_at_and_validates_against_the_job_schema(cli, tmp_path, lang, level):
    out = tmp_path / "spec.yaml"
    cli.ok("jd", "new", "--lang", lang, "--level", level, "-o", str(out))
    text = out.read_text()
    schema = _first_line_schema(text)
    jsonschema.validate(_plain(yaml.safe_load(text)), schema)
    broken = _plain(yaml.safe_load(text)) | {"level": "intern", "jurisdictions": ["US-TX"]}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert {tuple(e.path)[0] for e in errors} == {"level", "jurisdictions"}


def test_resume_new_scaffold_validates_against_the_resume_schema(cli, tmp_path):
    out = tmp_path / "resume.yaml"
    cli.ok("resume", "new", "-o", str(out))
    text = out.read_text()
    jsonschema.validate(_plain(yaml.safe_load(text)), _first_line_schema(text))
    assert text.count("yaml-language-server") == 1


@pytest.mark.parametrize("path", sorted(builtin_dir("playbooks").glob("*.yaml")), ids=lambda p: p.name)
def test_builtin_playbooks_validate_against_the_playbook_schema(path):
    jsonschema.validate(_plain(yaml.safe_load(path.read_text())), input_schema("playbook"))


def test_playbook_copy_adds_the_schema_line(cli):
    name = sorted(builtin_dir("playbooks").glob("*.yaml"))[0].stem
    target = Path(cli.ok("playbook", "copy", name).stdout.strip())
    text = target.read_text()
    assert _first_line_schema(text) == input_schema("playbook")
    assert cli.ok("playbook", "validate", str(target)).exit_code == 0


def test_unknown_schema_kind_is_a_usage_error(cli):
    result = cli("schema", "invoice")
    assert result.exit_code == 2
