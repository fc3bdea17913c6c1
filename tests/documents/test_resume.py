"""The resume model: the JSON Resume schema accepted as is, every problem located at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmctl.documents.resume import Resume, load_resume, parse_resume
from csmctl.domain.partial_dates import PartialDate, parse_partial_date
from csmctl.errors import InvalidInput

FIXTURES = Path(__file__).parent.parent / "resume" / "fixtures"


def test_yaml_and_json_load_to_the_same_resume():
    from_yaml, _ = load_resume(str(FIXTURES / "resume.yaml"))
    from_json, _ = load_resume(str(FIXTURES / "resume.json"))
    dumped = from_json.model_dump(warnings=False)
    assert dumped.pop("$schema").endswith("schema.json")  # an unknown key, kept
    assert from_yaml.model_dump(warnings=False) == dumped
    assert from_yaml.passages() == from_json.passages()


def test_every_section_of_the_schema_is_read():
    r, _ = load_resume(str(FIXTURES / "resume.json"))
    assert set(Resume.model_fields) == {
        "basics",
        "work",
        "volunteer",
        "education",
        "awards",
        "certificates",
        "publications",
        "skills",
        "languages",
        "interests",
        "references",
        "projects",
        "meta",
    }
    for section in Resume.model_fields:
        assert getattr(r, section), section
    assert r.work[0].startDate == PartialDate(2021, 3) and r.work[0].endDate is None
    assert r.certificates[0].date == PartialDate(2022, 5, 10)
    assert r.education[0].score == "3.7" and r.basics.location.postalCode == "02110"


def test_unknown_keys_are_kept_and_ignored():
    r = parse_resume(
        {
            "$schema": "x",
            "basics": {"name": "A", "x-pronouns": "she/her"},
            "work": [{"name": "B", "internal": {"id": 7}}],
            "custom": [1, 2],
        }
    )
    assert r.model_extra == {"$schema": "x", "custom": [1, 2]}
    assert r.basics.model_extra == {"x-pronouns": "she/her"}
    assert r.passages() == [("basics.name", "A"), ("work[0].name", "B")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2020", PartialDate(2020)),
        ("2020-03", PartialDate(2020, 3)),
        ("2020-03-15", PartialDate(2020, 3, 15)),
        (2020, PartialDate(2020)),
    ],
)
def test_partial_dates(text, expected):
    assert parse_partial_date(text) == expected
    assert str(expected) == str(text)


@pytest.mark.parametrize(
    "text", ["March 2020", "2020/03", "20-03-2020", "2020-13", "2021-02-29", "", "present"]
)
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_every_problem_is_reported_with_line_and_key_path(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "basics:\n"
        "  name: 42\n"
        "  email: not-an-email\n"
        "  url: ftp://example.com\n"
        "work:\n"
        "  - name: Acme\n"
        "    startDate: March 2020\n"
        "    highlights: one big win\n"
        "skills: {name: SQL}\n"
    )
    with pytest.raises(InvalidInput) as error:
        load_resume(str(path))
    assert error.value.lines() == [
        f"{path} has 6 problems:",
        f"  {path}, line 2, basics.name: should be text (got 42)",
        f"  {path}, line 3, basics.email: is not an email address: use one address such as ana@example.com "
        "(got 'not-an-email')",
        f"  {path}, line 4, basics.url: is not a web address: use a full address such as https://example.com/page "
        "(got 'ftp://example.com')",
        f"  {path}, line 7, work[0].startDate: is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-03) "
        "(got 'March 2020')",
        f"  {path}, line 8, work[0].highlights: should be a list (got 'one big win')",
        f"  {path}, line 9, skills: should be a list",
    ]


def test_json_problems_are_located_too(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{\n  "basics": {"name": "A"},\n  "work": [\n    {"endDate": "2020-02-30"}\n  ]\n}\n')
    with pytest.raises(InvalidInput) as error:
        load_resume(str(path))
    assert error.value.problems[0].render() == (
        f"{path}, line 4, work[0].endDate: is not a real calendar date (got '2020-02-30')"
    )


@pytest.mark.parametrize(
    "data, kind", [([], "a list"), ("text", "a text value"), (None, "an empty document")]
)
def test_wrong_top_level_type(data, kind):
    with pytest.raises(InvalidInput) as error:
        parse_resume(data, path="r.yaml")
    assert error.value.message == (
        f"r.yaml, line 1: a resume is a mapping with keys such as basics and work, "
        f"not {kind}; see `csmctl resume new` for the shape"
    )


def test_reading_a_resume_builds_one_validator_not_one_per_section():
    """The section models are built on first use (``defer_build``): `resume render` validates
    through Resume's validator alone, instead of building fifteen at import (start-up, issue 19)."""
    import subprocess
    import sys

    probe = (
        "from csmctl.documents import resume as r\n"
        "r.parse_resume({'basics': {'name': 'Dana'}, 'work': [{'name': 'Acme'}]})\n"
        "print(r.Resume.__pydantic_complete__, r.Work.__pydantic_complete__, r.Basics.__pydantic_complete__)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False", "False"]
