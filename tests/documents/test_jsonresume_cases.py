"""JSON Resume conformance: our own cases (tests/fixtures/jsonresume, written by make_cases.py) in
the shapes of the official schema's test fixtures, for resumes and for the job schema. Valid
cases validate and render in every theme and format; invalid ones fail with a located error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

CASES = Path(__file__).parent.parent / "fixtures" / "jsonresume"
VALID = sorted((CASES / "valid").glob("*.json"))
INVALID = sorted((CASES / "invalid").glob("*.json"))
RESUMES_VALID = [p for p in VALID if p.name.startswith("resume-")]
RESUMES_INVALID = [p for p in INVALID if p.name.startswith("resume-")]
JOBS_VALID = [p for p in VALID if p.name.startswith("job-")]
JOBS_INVALID = [p for p in INVALID if p.name.startswith("job-")]
THEMES = ("plain", "modern")


@pytest.fixture
def run(tmp_path):
    """The CLI without a database (documents need none)."""
    return Cli(tmp_path / "unused.db")


def test_the_cases_cover_the_schema_fixture_shapes():
    names = {p.stem for p in VALID} | {p.stem for p in INVALID}
    for section in ("work", "volunteer", "education", "projects"):
        for key in ("startDate", "endDate"):
            assert {f"resume-{section}-{key}{s}" for s in ("", "Month", "Year")} <= names
            assert {f"resume-{section}-{key}-null", f"resume-{section}-{key}-malformed"} <= names
    for section in ("basics", "work", "skills", "meta", "projects", "awards", "languages", "references"):
        assert f"resume-{section}-null" in names
    assert {"resume-work-highlights-item-null", "resume-basics-profiles-username-null"} <= names
    assert {
        "job-date",
        "job-dateMonth",
        "job-dateYear",
        "job-date-null",
        "job-skills-keywords-item-null",
    } <= names
    assert len(RESUMES_VALID) > 90 and len(RESUMES_INVALID) > 90
    assert len(JOBS_VALID) > 20 and len(JOBS_INVALID) > 20


@pytest.mark.parametrize("path", RESUMES_VALID, ids=lambda p: p.stem)
def test_valid_resume_cases_validate_and_render_in_every_theme_and_text_format(run, path):
    run.ok("resume", "validate", str(path))
    for theme in THEMES:
        for fmt in ("md", "html", "txt"):
            run.ok("resume", "render", str(path), "--theme", theme, "--format", fmt)


@pytest.mark.parametrize("theme", THEMES)
def test_every_valid_resume_case_at_once_renders_to_pdf(run, tmp_path, theme):
    pytest.importorskip("typst")
    merged: dict = {}
    for path in RESUMES_VALID:
        for key, value in json.loads(path.read_text()).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                for inner, item in value.items():
                    target = merged.setdefault(key, {})
                    if isinstance(item, list):
                        target.setdefault(inner, []).extend(item)
                    elif isinstance(item, dict):
                        target.setdefault(inner, {}).update(item)
                    else:
                        target[inner] = item
            else:
                merged[key] = value
    source = tmp_path / "all.json"
    source.write_text(json.dumps(merged))
    out = tmp_path / "all.pdf"
    run.ok("resume", "render", str(source), "--theme", theme, "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("path", JOBS_VALID, ids=lambda p: p.stem)
def test_valid_job_cases_validate_and_render_a_posting(run, path):
    run.ok("jd", "validate", str(path), "--allow-incomplete")
    # A one-key case is a valid job, not a complete posting: Google's gaps are allowed here.
    rendered = run.ok("jd", "render", str(path), "-f", "jsonld", "--allow-incomplete").stdout
    posting = json.loads(rendered)
    assert posting["@type"] == "JobPosting" and posting["title"] == "Customer Success Manager"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_cases_fail_located(run, path):
    command = "jd" if path.name.startswith("job-") else "resume"
    result = run(command, "validate", str(path))
    assert result.exit_code == 1, result.output
    assert f"  {path}, line " in result.stderr or result.stderr.startswith(f"Error: {path}, line ")
    assert "internal error" not in result.output


def test_the_job_sample_renders_a_posting_with_valid_jobposting_jsonld(run):
    sample = str(CASES / "job-sample.json")
    run.ok("jd", "validate", sample)
    posting = json.loads(run.ok("jd", "render", sample, "-f", "jsonld").stdout)
    assert posting["@context"] == "https://schema.org/" and posting["@type"] == "JobPosting"
    assert posting["datePosted"] == "2026-10"  # the schema's partial date, as written (ISO 8601)
    assert posting["hiringOrganization"]["name"] == "Halyard Systems"
    assert posting["jobLocation"]["address"]["addressLocality"] == "Manchester"
    assert posting["title"] and posting["description"]
    html = run.ok("jd", "render", sample, "-f", "md").stdout
    assert "Oct 2026" in html


def test_profiles_render_network_username_and_address(run, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(
        json.dumps(
            {
                "basics": {
                    "name": "Rhiannon Pryce",
                    "profiles": [
                        {"network": "Twitter", "username": "rpryce", "url": "https://twitter.com"},
                        {"network": "GitHub", "username": "rhi"},
                    ],
                }
            }
        )
    )
    out = run.ok("resume", "render", str(path), "--format", "md").stdout
    assert "- Twitter: rpryce (twitter.com)" in out
    assert "- GitHub: rhi" in out


def test_unknown_keys_are_kept(run):
    run.ok("resume", "validate", str(CASES / "valid" / "resume-unknown-keys-kept.json"))
