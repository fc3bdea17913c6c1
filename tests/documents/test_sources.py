"""load_document: YAML and JSON with the line of every key, and located parse errors."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from csmctl.documents.sources import format_key_path, load_document, parse_key_path, validation_problems
from csmctl.errors import InvalidInput

YAML = """\
# a comment
title: Senior CSM
salary:
  min: 100
  max: 90
skills:
  - name: SQL
    keywords: [a, b]
  - name: Renewals
empty: {}
"""


def test_yaml_data_and_lines(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(YAML)
    data, where = load_document(path)
    assert data["salary"] == {"min": 100, "max": 90}
    assert where(("title",)) == 2
    assert where("salary.max") == 5
    assert where(("skills", 1, "name")) == 9
    assert where("skills[0].keywords[1]") == 8
    # a missing key points at the nearest ancestor that exists
    assert where("salary.currency") == 3
    assert where("nothing.here") == 2  # the document itself starts after the comment
    assert where.path == str(path)


def test_json_lines_match_the_same_document(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(
        json.dumps(
            {
                "title": "CSM",
                "salary": {"min": 1, "max": 2},
                "skills": [{"name": "SQL", "keywords": ["a", "b"]}, {"name": 'x"y'}],
                "n": [1.5e3, True, None, []],
            },
            indent=2,
        )
    )
    data, where = load_document(path)
    assert data["skills"][1]["name"] == 'x"y'
    assert where("title") == 2
    assert where("salary.max") == 5
    assert where("skills[1].name") == 16
    assert where("n[3]") == 23


def test_compact_json_and_sniffing(tmp_path):
    path = tmp_path / "spec.txt"
    path.write_text('{"a": {"b": [1,\n2]}}')
    data, where = load_document(path)
    assert data == {"a": {"b": [1, 2]}}
    assert where("a.b[1]") == 2


@pytest.mark.parametrize(
    "name,text,line,needle",
    [
        ("bad.yaml", "title: x\nsalary: [1, 2\nother: 3\n", 3, "not valid YAML"),
        ("bad.json", '{\n  "a": 1,\n  "b": \n}', 4, "not valid JSON"),
        ("dup.yaml", "a: 1\nb: 2\na: 3\n", 3, "appears twice"),
        ("list.yaml", "- a\n- b\n", 1, "expected a mapping"),
        ("empty.yaml", "# nothing\n", 1, "the document is empty"),
    ],
)
def test_parse_errors_are_located(tmp_path, name, text, line, needle):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidInput) as error:
        load_document(path)
    problem = error.value.problems[0]
    assert needle in problem.message
    assert problem.line == line and problem.path == str(path)


def test_missing_and_not_utf8(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        load_document(tmp_path / "nope.yaml")
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"title: ok\nname: caf\xe9\n")
    with pytest.raises(InvalidInput) as error:
        load_document(path)
    assert error.value.problems[0].line == 2 and "UTF-8" in error.value.problems[0].message


def test_yaml_aliases_do_not_blow_up(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text("base: &b {x: 1}\nother: *b\n")
    data, where = load_document(path)
    assert data["other"] == {"x": 1}
    assert where("other") == 2


def test_key_path_round_trip():
    assert parse_key_path("work[0].startDate") == ("work", 0, "startDate")
    assert format_key_path(("work", 0, "startDate")) == "work[0].startDate"
    assert format_key_path(()) == ""


def test_validation_problems_are_located_and_all_reported(tmp_path):
    class Salary(BaseModel):
        model_config = ConfigDict(extra="forbid")
        min: int
        max: int

    class Spec(BaseModel):
        title: str
        salary: Salary

    path = tmp_path / "spec.yaml"
    path.write_text("salary:\n  min: lots\n  colour: red\n")
    data, where = load_document(path)
    with pytest.raises(ValidationError) as error:
        Spec.model_validate(data)
    rendered = [p.render() for p in validation_problems(error.value, where)]
    assert rendered == [
        f"{path}, line 1, salary.max: required field is missing",
        f"{path}, line 1, title: required field is missing",
        f"{path}, line 2, salary.min: input should be a valid integer, unable to parse string as an integer (got 'lots')",
        f"{path}, line 3, salary.colour: unknown field",
    ]


def test_yaml_loader_rules_keep_what_yaml_would_guess_wrong(tmp_path):
    """YAML 1.1 guesses: NO (Norway) and on are not booleans, an impossible date is not a crash,
    a postal code with a leading zero and a time of day are not numbers."""
    path = tmp_path / "doc.yaml"
    path.write_text(
        "country: NO\nswitch: on\nflag: True\nno_flag: false\nbad_day: 2026-02-30\nbad_month: 2026-13-01\n"
        "day: 2026-01-31\nzip: 0042\ntime: 12:30\ncount: 12\nratio: 1.5\nhex: 0x1F\n"
    )
    data, _ = load_document(path)
    assert data == {
        "country": "NO",
        "switch": "on",
        "flag": True,
        "no_flag": False,
        "bad_day": "2026-02-30",
        "bad_month": "2026-13-01",
        "day": __import__("datetime").date(2026, 1, 31),
        "zip": "0042",
        "time": "12:30",
        "count": 12,
        "ratio": 1.5,
        "hex": 31,
    }


@pytest.mark.parametrize(
    "command, name, text, located",
    [
        (
            ["jd", "validate"],
            "jd.yaml",
            "title: CSM\nvalid_through: 2026-02-30\n",
            "jd.yaml, line 2, valid_through: ",
        ),
        (
            ["playbook", "validate"],
            "pb.yaml",
            "name: X\nanchor: kickoff\nphases:\n  - name: Start\n    tasks:\n      - name: A\n        due: 2026-02-30\n",
            "pb.yaml, line 7, phases[0].tasks[0].due: ",
        ),
        (
            ["resume", "validate"],
            "resume.yaml",
            "basics:\n  name: Ana\nwork:\n  - name: Acme\n    startDate: 2026-13-01\n",
            "resume.yaml, line 5, work[0].startDate: is not a real calendar date (got '2026-13-01')",
        ),
    ],
)
def test_unquoted_impossible_dates_are_located_not_internal_errors(
    cli, tmp_path, command, name, text, located
):
    path = tmp_path / name
    path.write_text(text)
    result = cli(*command, str(path))
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert str(tmp_path / located) in result.stderr or located.split(",")[1] in result.stderr
    assert f"{path}, line" in result.stderr


def test_norway_country_code_in_yaml_is_text(cli, tmp_path):
    path = tmp_path / "resume.yaml"
    path.write_text("basics:\n  name: Ana\n  location:\n    countryCode: NO\n    city: Oslo\n")
    cli.ok("resume", "validate", str(path))
    out = cli.ok("resume", "render", str(path), "-f", "txt").stdout
    assert "NO" in out or "Oslo" in out
