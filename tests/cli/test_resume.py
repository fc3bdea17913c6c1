"""`csmctl resume ...` as a user runs it: golden renders per theme and format, PDF text, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "resume" / "fixtures"
RESUME = str(FIXTURES / "resume.yaml")


@pytest.mark.parametrize("theme", ["plain", "modern"])
@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_render_golden(cli, golden, theme, fmt):
    golden(
        f"resume/{theme}.{fmt}", cli.ok("resume", "render", RESUME, "--theme", theme, "--format", fmt).stdout
    )


@pytest.mark.parametrize("theme, fmt", [("plain", "md"), ("modern", "html")])
def test_render_golden_japanese(cli, golden, theme, fmt):
    result = cli.ok("resume", "render", RESUME, "--theme", theme, "--format", fmt, "--lang", "ja")
    golden(f"resume/{theme}.ja.{fmt}", result.stdout)
    assert "職務経歴" in result.stdout and "2021年3月 – 現在" in result.stdout


def test_json_and_yaml_render_the_same(cli):
    as_yaml = cli.ok("resume", "render", RESUME, "--format", "txt").stdout
    assert cli.ok("resume", "render", str(FIXTURES / "resume.json"), "--format", "txt").stdout == as_yaml


def test_format_follows_the_output_extension(cli, tmp_path):
    out = tmp_path / "cv.html"
    result = cli.ok("resume", "render", RESUME, "--theme", "modern", "-o", str(out))
    assert result.stdout == "" and f"Wrote {out}." in result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_values_are_escaped_for_each_format(cli, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text('basics:\n  name: "<script>alert(1)</script> *Kim* #set"\n')
    html = cli.ok("resume", "render", str(path), "--format", "html").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert (
        "# \\<script\\>alert(1)\\</script\\> \\*Kim\\* #set" in cli.ok("resume", "render", str(path)).stdout
    )
    typ = cli.ok("resume", "render", str(path), "--format", "typ").stdout
    assert "\\<script\\>alert(1)\\<\\/script\\> \\*Kim\\* \\#set" in typ


def test_pdf_text_has_the_name_and_every_employer(cli, tmp_path):
    pytest.importorskip("typst", reason="the pdf extra (typst) is not installed")
    from pypdf import PdfReader

    for theme in ("plain", "modern"):
        out = tmp_path / f"{theme}.pdf"
        cli.ok("resume", "render", RESUME, "--theme", theme, "--format", "pdf", "-o", str(out))
        assert out.read_bytes().startswith(b"%PDF-")
        text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
        for expected in (
            "Dana Whitfield",
            "Northwind Analytics",
            "Acme Software & Co.",
            "Globex",
            "Resolved escalations for #1 priority customers; CSAT 4.8/5 *every* quarter",
        ):
            assert expected in text, (theme, expected)


def test_pdf_survives_typst_markup_in_the_data(cli, tmp_path):
    pytest.importorskip("typst", reason="the pdf extra (typst) is not installed")
    from pypdf import PdfReader

    path = tmp_path / "r.yaml"
    nasty = r"#set page(width: 1cm) $x^2$ <lbl> @ref // not a comment \ back [a] ~ = - + 1. _u_ `raw`"
    path.write_text(
        "basics:\n  name: Kim\n  summary: "
        + json.dumps(nasty)
        + "\nwork:\n  - name: "
        + json.dumps("Acme #1 [EU]")
        + '\n    url: https://acme.example.com/a?b="c"\n'
    )
    out = tmp_path / "r.pdf"
    cli.ok("resume", "render", str(path), "--theme", "modern", "-o", str(out))
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert nasty in text and "Acme #1 [EU]" in text


def test_pdf_without_the_extra_says_how_to_install(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "typst", None)  # import typst -> ImportError
    out = tmp_path / "cv.pdf"
    result = cli("resume", "render", RESUME, "--format", "pdf", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Cannot render PDF: the typst package is not installed.\n"
        "PDF output needs the pdf extra: pip install 'csmctl[pdf]' (it adds the typst package).\n"
    )
    assert not out.exists() and list(tmp_path.glob("*.pdf")) == []


@pytest.mark.parametrize(
    "content, name, message",
    [
        ("basics: [unclosed\n", "r.yaml", "r.yaml, line 2: not valid YAML: did not find expected ',' or ']'"),
        (
            '{"basics": {"name": "x",}}',
            "r.json",
            "r.json, line 1: not valid JSON: Expecting property name enclosed in double quotes",
        ),
        (
            "- a\n- b\n",
            "r.yaml",
            "r.yaml, line 1: a resume is a mapping with keys such as basics and work, not a list; "
            "see `csmctl resume new` for the shape",
        ),
    ],
)
def test_unreadable_resume_is_one_located_line(cli, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content)
    out = tmp_path / "out.html"
    for args in (("validate", str(path)), ("render", str(path), "-o", str(out)), ("lint", str(path))):
        result = cli("resume", *args)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == f"Error: {tmp_path}/{message}\n"
    assert not out.exists()


def test_bad_date_lists_every_problem_and_writes_nothing(cli, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "basics:\n  name: A\nwork:\n  - name: X\n    startDate: March 2020\n    endDate: 2021-13\n"
    )
    out = tmp_path / "cv.md"
    result = cli("resume", "render", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path} has 2 problems:\n"
        f"  {path}, line 5, work[0].startDate: is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-03) "
        "(got 'March 2020')\n"
        f"  {path}, line 6, work[0].endDate: is not a real calendar date (got '2021-13')\n"
    )
    assert not out.exists()


def test_unknown_theme_lists_the_themes(cli, tmp_path):
    out = tmp_path / "cv.html"
    result = cli("resume", "render", RESUME, "--theme", "fancy", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No resume theme named 'fancy'.\n"
        "Themes: modern, plain (see `csmctl template list`, or add resume/fancy.html.j2 to your "
        "template dir).\n"
    )
    assert not out.exists()


def test_a_theme_from_the_template_dir(cli, tmp_path):
    tdir = tmp_path / "tpl" / "resume"
    tdir.mkdir(parents=True)
    (tdir / "mine.txt.j2").write_text(
        "{{ b.name }} / {{ r.work[0].startDate | period(r.work[0].endDate) }}\n"
    )
    result = cli.ok(
        "resume",
        "render",
        RESUME,
        "--theme",
        "mine",
        "--format",
        "txt",
        "--template-dir",
        str(tmp_path / "tpl"),
    )
    assert result.stdout == "Dana Whitfield / Mar 2021 – Present\n"
    result = cli(
        "resume",
        "render",
        RESUME,
        "--theme",
        "mine",
        "--format",
        "html",
        "--template-dir",
        str(tmp_path / "tpl"),
    )
    assert result.exit_code == 1 and "Theme 'mine' has no html template (it has: txt)." in result.stderr


def test_validate(cli):
    result = cli.ok("resume", "validate", str(FIXTURES / "resume.json"))
    assert result.stderr.strip().endswith("is a valid resume (3 jobs, 1 education, 2 skill groups).")


def test_new_scaffold_is_valid_and_lints_clean(cli, tmp_path):
    out = tmp_path / "resume.yaml"
    cli.ok("resume", "new", "-o", str(out))
    text = out.read_text()
    for hint in (
        "NRR",
        "GRR",
        "churn",
        "ARR",
        "accounts",
        "Study the job description",
        "two or three sentences",
    ):
        assert hint in text
    cli.ok("resume", "validate", str(out))
    lint = cli.ok("resume", "lint", str(out), "--format", "json")
    assert json.loads(lint.stdout) == []
    again = cli("resume", "new", "-o", str(out))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert cli.ok("resume", "new").stdout == text


def test_lint_findings_with_lines(cli, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "basics:\n  name: Kim\n  email: kim@example.com\n  phone: '1'\n  location: {city: Tokyo}\n"
        "work:\n  - name: A\n    startDate: 2020-01\n    highlights:\n      - Managed key accounts\n"
    )
    result = cli("resume", "lint", str(path), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "line": 1,
            "where": "basics.summary",
            "rule": "summary",
            "message": "no professional summary",
            "hint": "add two or three sentences near the top: who you are, your book, your best result",
        },
        {
            "line": 10,
            "where": "work[0].highlights[0]",
            "rule": "numbers",
            "message": "achievement without a number",
            "hint": "quantify it: a %, an ARR amount, a count of accounts or days",
        },
    ]
    strict = cli("resume", "lint", str(path), "--strict")
    assert strict.exit_code == 3 and strict.stderr.endswith(
        f"Error: Found 2 findings in {path} (--strict).\n"
    )
    assert "Managed" not in strict.stdout and "work[0].highlights[0]" in strict.stdout


def test_match_against_a_job_spec(cli):
    result = cli.ok("resume", "match", RESUME, "--jd", str(FIXTURES / "job.yaml"), "--format", "json")
    data = json.loads(result.stdout)
    by_term = {t["term"]: t for t in data["terms"]}
    assert by_term["NRR"] == {
        "term": "NRR",
        "status": "covered",
        "kind": "exact",
        "matched": "NRR",
        "where": ["work[0].highlights[0]", "awards[0].summary"],
        "asked_in": "skills[0].keywords[0]",
    }
    assert by_term["QBR"]["kind"] == "exact" and by_term["QBR"]["asked_in"] == "responsibilities"
    assert by_term["upsell"]["kind"] == "related" and by_term["upsell"]["matched"] == "expansion"
    assert [t["term"] for t in data["terms"] if t["status"] == "missing"] == ["Zendesk", "success plan"]
    assert (data["covered"], data["total"], data["coverage_percent"], data["min"]) == (20, 22, 84, None)


def test_match_a_posting_with_synonyms_and_min(cli):
    result = cli("resume", "match", RESUME, "--jd", str(FIXTURES / "posting.txt"), "--min", "70")
    assert result.exit_code == 3
    assert "CSM           covered  synonym  customer success manager" in result.stdout
    assert "EBR           covered  related  quarterly business review  work[0].highlights[2]" in result.stdout
    assert result.stdout.endswith("Coverage: 8 of 11 terms, 63% (related matches count half).\n")
    assert result.stderr == (
        "Error: Found coverage 63%, below 70% (--min).\nMissing: leadership, HubSpot, presentation\n"
    )
    assert cli("resume", "match", RESUME, "--jd", str(FIXTURES / "posting.txt"), "--min", "60").exit_code == 0


def test_match_with_nothing_to_match(cli, tmp_path):
    posting = tmp_path / "p.txt"
    posting.write_text("We bake bread.\n")
    result = cli("resume", "match", RESUME, "--jd", str(posting))
    assert result.exit_code == 1 and result.stderr.startswith(
        f"Error: {posting}: found no skills or keywords"
    )


def test_match_jd_accepts_a_spec_a_json_resume_job_and_jobposting_jsonld(cli, tmp_path):
    job = Path(__file__).parent.parent / "fixtures" / "jsonresume" / "job-sample.json"
    from_job = cli.ok("resume", "match", RESUME, "--jd", str(job), "-f", "json").stdout
    assert json.loads(from_job)["total"] > 0
    jsonld = tmp_path / "posting.json"
    jsonld.write_text(cli.ok("jd", "render", str(job), "-f", "jsonld").stdout)
    from_jsonld = json.loads(cli.ok("resume", "match", RESUME, "--jd", str(jsonld), "-f", "json").stdout)
    assert from_jsonld["total"] > 0
    graph = tmp_path / "graph.json"
    graph.write_text(
        json.dumps({"@context": "https://schema.org", "@graph": [json.loads(jsonld.read_text())]})
    )
    assert json.loads(cli.ok("resume", "match", RESUME, "--jd", str(graph), "-f", "json").stdout)["total"] > 0


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "is a resume, not a job"),  # the resume itself, given as the job
        (
            '{"@context": "https://schema.org", "@type": "Person", "name": "A"}',
            "is schema.org 'Person' JSON-LD",
        ),
        ("[1, 2]", "is not a job: expected a mapping of keys"),
        ('{"description": "NRR and QBRs"}', "is not a job: it has no title"),
    ],
)
def test_match_jd_refuses_what_is_no_job(cli, tmp_path, content, message):
    path = FIXTURES / "resume.json"
    if content is not None:
        path = tmp_path / "other.json"
        path.write_text(content)
    result = cli("resume", "match", RESUME, "--jd", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: {message}")
    assert "--jd takes a job spec" in result.stderr
