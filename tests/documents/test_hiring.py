"""Hiring documents: golden files in en and ja, the JobPosting JSON-LD, JSON Resume specs,
validation and lint messages, and user templates in the sandbox."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from csmctl.documents.hiring import scaffold, scaffold_yaml
from csmctl.documents.joblint import lint
from csmctl.documents.jobspec import EMPLOYMENT_TYPES, LEVELS, SEGMENTS, load_spec

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = str(FIXTURES / "job-spec.yaml")
JSON_RESUME = str(FIXTURES / "jsonresume-job.json")
TODAY = date(2026, 11, 23)

DOCUMENTS = (
    [("render", fmt) for fmt in ("md", "html", "txt", "jsonld")]
    + [("kit", fmt) for fmt in ("md", "html")]
    + [("scorecard", fmt) for fmt in ("md", "html", "csv")]
)
EXTENSION = {"jsonld": "json"}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("command,fmt", DOCUMENTS, ids=[f"{c}-{f}" for c, f in DOCUMENTS])
def test_golden(cli, golden, command, fmt, lang):
    result = cli.ok("jd", command, SPEC, "--format", fmt, "--lang", lang)
    name = {"render": "posting"}.get(command, command)
    golden(f"hiring/{name}.{lang}.{EXTENSION.get(fmt, fmt)}", result.stdout)


def _jsonld(cli, spec: str) -> dict:
    return json.loads(cli.ok("jd", "render", spec, "-f", "jsonld").stdout)


def test_jsonld_has_googles_required_and_recommended_properties(cli):
    data = _jsonld(cli, SPEC)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    assert data["title"] == "Senior Customer Success Manager, Enterprise"
    assert (
        data["description"].startswith("<h2>")
        and "&amp; their &#34;executive sponsors&#34;" in data["description"]
    )
    assert date.fromisoformat(data["datePosted"]) == date(2026, 11, 16)
    assert date.fromisoformat(data["validThrough"]) == date(2027, 1, 31)
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Northwind & Co.",
        "sameAs": "https://northwind.example",
        "logo": "https://northwind.example/logo.png",
    }
    place = data["jobLocation"]
    assert place["@type"] == "Place" and place["address"]["@type"] == "PostalAddress"
    assert place["address"]["addressCountry"] == "JP" and place["address"]["postalCode"] == "100-0005"
    assert "jobLocationType" not in data  # hybrid is not TELECOMMUTE
    salary = data["baseSalary"]
    assert salary["@type"] == "MonetaryAmount" and salary["currency"] == "JPY"
    value = salary["value"]
    assert value == {
        "@type": "QuantitativeValue",
        "minValue": 9_000_000,
        "maxValue": 12_000_000,
        "unitText": "YEAR",
    }
    assert all(type(value[k]) is int for k in ("minValue", "maxValue"))
    assert data["employmentType"] == "FULL_TIME" and data["employmentType"] in EMPLOYMENT_TYPES
    assert data["directApply"] is True
    assert data["identifier"] == {"@type": "PropertyValue", "name": "Northwind & Co.", "value": "CS-42"}


def test_fully_remote_posting_uses_telecommute_and_applicant_locations(cli, tmp_path):
    spec = tmp_path / "remote.yaml"
    spec.write_text(
        "title: CSM\ndate: 2026-11-20\ncompany: Acme\ndescription: Remote role.\n"
        "remote: {policy: Full, countries: [JP, KR], regions: [EU]}\n"
        "salary: {min: 80000.50, max: 80000.50, currency: EUR, period: month}\n"
        "employment_type: [full-time, contractor]\n"
    )
    data = _jsonld(cli, str(spec))
    assert data["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in data
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "JP"},
        {"@type": "Country", "name": "KR"},
        {"@type": "AdministrativeArea", "name": "EU"},
    ]
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "value": 80000.5,
        "unitText": "MONTH",
    }
    assert data["employmentType"] == ["FULL_TIME", "CONTRACTOR"]


def test_html_posting_embeds_the_same_jsonld(cli):
    html = cli.ok("jd", "render", SPEC, "-f", "html").stdout
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    embedded = json.loads(html[start : html.index("</script>", start)])
    assert embedded == _jsonld(cli, SPEC)
    assert "<actually>" not in html and "&lt;actually&gt;" in html


@pytest.mark.parametrize("command,fmt", DOCUMENTS, ids=[f"{c}-{f}" for c, f in DOCUMENTS])
def test_pure_json_resume_job_renders(cli, command, fmt):
    out = cli.ok("jd", command, JSON_RESUME, "-f", fmt).stdout
    assert "Globex" in out or command == "scorecard" and fmt == "csv"
    if command == "render" and fmt == "md":
        assert "Why this role exists" not in out and "What success looks like" not in out
        assert "- **Employment type:** Full-time" in out and "- **Remote work:** Hybrid" in out
        assert "- Customer success (Master): renewals, onboarding" in out
    if fmt == "jsonld":
        data = json.loads(out)
        assert data["employmentType"] == "FULL_TIME" and "baseSalary" not in data
        assert data["jobLocation"]["address"]["addressCountry"] == "US"


def test_json_resume_extensions_are_kept_and_unknown_top_level_keys_warned(cli, tmp_path):
    spec = tmp_path / "job.yaml"
    spec.write_text(
        "title: CSM\nmisson: typo here\nmeta: {x-anything: 1}\nskills: [{name: SQL, x-years: 3}]\n"
    )
    result = cli.ok("jd", "validate", str(spec), "--allow-incomplete")
    assert result.stderr.startswith(
        f"warning: {spec}, line 2, misson: unknown field, kept but not used; did you mean 'mission'?\n"
    )
    assert result.stderr.endswith(f"{spec}: valid job spec (7 warnings)\n")


def test_invalid_spec_lists_every_problem_and_writes_nothing(cli, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "title: CSM\nsalary:\n  min: 120k\n  max: 90k\n  currency: USD\nemployment_type: SOMETIMES\n"
        "book_size: {accounts: 10, arr: 1M, currency: XYZ}\nlevel: wizard\n"
    )
    out = tmp_path / "out.md"
    result = cli("jd", "render", str(spec), "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {spec}: 4 problems in the job spec:",
        f"  {spec}, line 2, salary: min is greater than max (USD 120,000.00 > USD 90,000.00); swap them or fix the typo",
        f"  {spec}, line 6, employment_type: unknown employment type 'SOMETIMES': use FULL_TIME, PART_TIME, "
        "CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER",
        f"  {spec}, line 7, book_size.currency: unknown currency 'XYZ': use an ISO 4217 code such as USD, EUR, GBP or JPY",
        f"  {spec}, line 8, level: input should be 'associate', 'csm', 'senior', 'lead' or 'manager' (got 'wizard')",
    ]
    assert not out.exists()


def test_json_spec_errors_have_lines(cli, tmp_path):
    spec = tmp_path / "bad.json"
    spec.write_text(
        '{\n  "title": "CSM",\n  "salary": {\n    "min": 1,\n    "currency": "usd", "max": true\n  }\n}\n'
    )
    result = cli("jd", "validate", str(spec))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {spec}, line 5, salary.max: an amount must be a number like 120000 or 120k (got True)\n"
    )


def test_past_valid_through_is_a_warning(cli, tmp_path):
    spec = tmp_path / "old.yaml"
    spec.write_text("title: CSM\ndate: 2026-01-01\nvalid_through: 2026-02-01\n")
    result = cli.ok("jd", "validate", str(spec), "--allow-incomplete")
    assert result.stderr.splitlines()[0] == (
        f"warning: {spec}, line 3, valid_through: valid_through 2026-02-01 is in the past; "
        "search engines drop expired postings; move the date or close the posting"
    )


def test_lint_errors_exit_3_and_strict_fails_on_warnings(cli, tmp_path):
    spec = tmp_path / "lint.yaml"
    spec.write_text(
        "title: CSM\nremote: Full\nlevel: associate\nqualifications:\n"
        + "".join(f"  - requirement {i}\n" for i in range(10))
        + "  - 8+ years of SaaS sales\n"
    )
    result = cli("jd", "lint", str(spec), "-f", "csv")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: Found 3 errors in {spec}.\n"
        "Fix the errors before you publish the posting (see the Level column).\n"
    )
    rows = [line.split(",")[:4] for line in result.stdout.splitlines()[1:]]
    assert [row for row in rows if row[2] == "error"] == [
        ["1", "", "error", "jobposting-description"],
        ["1", "", "error", "jobposting-hiringOrganization"],
        ["2", "remote", "error", "jobposting-applicantLocationRequirements"],
    ]
    assert ["4", "qualifications", "warning", "long-requirements"] in rows
    assert ["15", "qualifications[10]", "warning", "level-contradiction"] in rows
    # no errors: warnings pass unless --strict
    clean = tmp_path / "clean.yaml"
    clean.write_text(
        "title: CSM\ncompany: Acme\ndescription: Look after customers.\n"
        "location: {city: Austin, region: TX, countryCode: US}\n"
    )
    assert cli.ok("jd", "lint", str(clean), "-f", "json").stdout.count('"severity": "warning"') == 8
    strict = cli("jd", "lint", str(clean), "--strict", "-f", "json")
    # exit 3 like every other check asked for on the command line (it was 1), output first
    assert strict.exit_code == 3 and strict.stderr == f"Error: Found 8 warnings in {clean} (--strict).\n"
    assert len(json.loads(strict.stdout)) == 8


def test_lint_manager_without_people_experience(tmp_path):
    spec = tmp_path / "m.yaml"
    spec.write_text(
        "title: CS Manager\nlevel: manager\nmission: Lead the team.\nqualifications: [2 years of CS]\n"
    )
    rules = [(w.rule, w.problem.message) for w in lint(load_spec(spec, today=TODAY), as_of=TODAY)]
    assert ("level-contradiction", "asks for only 2 years at the manager level") in rules
    assert ("level-contradiction", "a manager role that asks for no people-management experience") in rules


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("level", LEVELS)
def test_scaffold_is_valid_and_fails_lint_only_on_its_placeholders(tmp_path, level, lang):
    for segment in SEGMENTS:
        path = tmp_path / f"{level}-{segment}.yaml"
        path.write_text(scaffold_yaml(scaffold(level, segment, lang=lang, today=TODAY), lang))
        checked = load_spec(path, today=TODAY)
        found = [(w.severity, w.rule, w.problem.field) for w in lint(checked, as_of=TODAY)]
        assert found == [
            ("error", "placeholder", "company"),
            ("error", "placeholder", "how_to_apply.url"),
        ]
        assert checked.spec.level == level and checked.salary_min < checked.salary_max


def test_jd_new_writes_and_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "spec.yaml"
    cli.ok("jd", "new", "--level", "senior", "--segment", "enterprise", "--lang", "ja", "-o", str(out))
    text = out.read_text()
    assert "title: シニアカスタマーサクセスマネージャー(エンタープライズ)" in text and "currency: JPY" in text
    again = cli("jd", "new", "-o", str(out))
    assert again.exit_code == 1 and again.stderr == (
        f"Error: {out} already exists.\nUse --force to overwrite it, or choose another -o.\n"
    )
    cli.ok("jd", "new", "-o", str(out), "--force")
    assert "title: Customer Success Manager, Mid-market" in out.read_text()


def test_user_template_sandbox_escape_is_blocked(cli, tmp_path):
    tdir = tmp_path / "tpl" / "hiring"
    tdir.mkdir(parents=True)
    (tdir / "posting.md.j2").write_text("# {{ job.title }}\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = cli("jd", "render", SPEC, "--template-dir", str(tmp_path / "tpl"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(
        f"Error: {tdir / 'posting.md.j2'}, line 2: template tried something the "
        "sandbox forbids: access to attribute '__class__' of 'str' object is unsafe."
    )


def test_user_template_missing_variable_is_located(cli, tmp_path):
    tdir = tmp_path / "tpl" / "hiring"
    tdir.mkdir(parents=True)
    (tdir / "scorecard.csv.j2").write_text("a,b\n{{ job.salary_band }}\n")
    out = tmp_path / "card.csv"
    result = cli(
        "jd", "scorecard", SPEC, "-f", "csv", "--template-dir", str(tmp_path / "tpl"), "-o", str(out)
    )
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr.startswith(
        f"Error: {tdir / 'scorecard.csv.j2'}, line 2: template uses an undefined value:"
    )
    assert "salary_band" in result.stderr


def test_links_must_be_web_addresses(cli, tmp_path):
    spec = tmp_path / "x.yaml"
    spec.write_text("title: CSM\nhow_to_apply:\n  url: javascript:alert(1)\n")
    result = cli("jd", "render", str(spec), "-f", "html")
    assert result.exit_code == 1 and result.stderr == (
        f"Error: {spec}, line 3, how_to_apply.url: is not a web address: use a full address such as "
        "https://example.com/page (got 'javascript:alert(1)')\n"
    )


def test_readme_hiring_examples_run(cli, tmp_path, monkeypatch):
    import shlex

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    block = readme.split("## Hiring: `csmctl jd`", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    commands = [shlex.split(line.split("#", 1)[0]) for line in block.strip().splitlines()]
    assert len(commands) >= 8
    for argv in commands:
        assert argv[0] == "csmctl"
        cli.ok(*argv[1:])
    assert (tmp_path / "job.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "card.csv").read_text().startswith("Section,Criterion")


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("spec", [SPEC, JSON_RESUME])
def test_everything_the_kit_tests_is_on_the_scorecard(spec, lang):
    from csmctl.documents.hiring import kit_context, scorecard_context

    checked = load_spec(spec, today=TODAY)
    card = {f"{row['section']}: {row['criterion']}" for row in scorecard_context(checked, lang)["rows"]}
    tested = {
        q["tests"]
        for stage in kit_context(checked, lang, TODAY)["stages"]
        for q in stage["questions"]
        if q["tests"]
    }
    assert tested and tested <= card


def test_untouched_scaffold_fails_lint(cli, tmp_path):
    for lang in ("en", "ja"):
        spec = tmp_path / f"{lang}.yaml"
        cli.ok("jd", "new", "--lang", lang, "-o", str(spec))
        result = cli("jd", "lint", str(spec), "-f", "json")
        assert result.exit_code == 3
        rows = json.loads(result.stdout)
        assert [(r["severity"], r["rule"], r["key"]) for r in rows] == [
            ("error", "placeholder", "company"),
            ("error", "placeholder", "how_to_apply.url"),
        ]
        assert rows[0]["message"] in (
            "'Example Co.' is a placeholder from `jd new`",
            "'株式会社サンプル' is a placeholder from `jd new`",
        )


def test_jsonld_without_a_location_is_refused_unless_allow_incomplete(cli, tmp_path):
    spec = tmp_path / "x.yaml"
    spec.write_text("title: CSM\ncompany: Acme\ndescription: Look after customers.\n")
    for fmt in ("jsonld", "html"):
        result = cli("jd", "render", str(spec), "-f", fmt)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == (
            f"Error: {spec}: Google would reject this JobPosting (1 required property missing); "
            "fix the spec or pass --allow-incomplete:\n"
            f"  {spec}, line 1, location: no location country for a job that is not fully remote "
            "(Google requires jobLocation); add location: {city: ..., countryCode: US}; or, for a remote "
            "job, remote: {policy: full, countries: [...]}\n"
        )
    data = json.loads(cli.ok("jd", "render", str(spec), "-f", "jsonld", "--allow-incomplete").stdout)
    assert "jobLocation" not in data
    # markdown has no JSON-LD: it renders
    cli.ok("jd", "render", str(spec), "-f", "md")
    remote = tmp_path / "remote.yaml"
    remote.write_text(spec.read_text() + "remote: {policy: full, countries: [US]}\n")
    data = json.loads(cli.ok("jd", "render", str(remote), "-f", "jsonld").stdout)
    assert data["jobLocationType"] == "TELECOMMUTE"
