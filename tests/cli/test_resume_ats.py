"""What an ATS reads from a resume (`resume check`), page limits, the CJK-font guard, the cover
letter and --watch: on every built-in theme and both languages, and on deliberately bad PDFs."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from csmctl.documents.resume import load_resume
from csmctl.documents.resume_render import render_pdf
from csmctl.resources import builtin_dir

typst = pytest.importorskip("typst")
FIXTURES = Path(__file__).parent.parent / "resume" / "fixtures"
RESUME = str(FIXTURES / "resume.yaml")
JOB = str(FIXTURES / "job.yaml")
THEMES = ("plain", "modern")
CJK = any("CJK" in family for family in typst.Fonts().families())
needs_cjk = pytest.mark.skipif(not CJK, reason="no CJK font installed (apt-get install fonts-noto-cjk)")
LANGS = ["en", pytest.param("ja", marks=needs_cjk)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("theme", THEMES)
def test_check_passes_on_every_theme_and_language(cli, tmp_path, theme, lang):
    pdf = tmp_path / f"{theme}.{lang}.pdf"
    cli.ok("resume", "render", RESUME, "--theme", theme, "--lang", lang, "-o", str(pdf))
    report = json.loads(cli.ok("resume", "check", str(pdf), "--resume", RESUME, "-f", "json").stdout)
    assert report["score"] == 100 and report["problems"] == [] and report["lang"] == lang
    assert report["headings"][:2] == ["summary", "work"]
    # from the resume itself, rendered with the theme
    direct = cli.ok("resume", "check", RESUME, "--theme", theme, "--lang", lang)
    assert direct.stdout.endswith(f"ATS score 100/100 (2 pages, {lang}).\n")
    # the PDF alone (no resume data): headings, text, contact
    alone = json.loads(cli.ok("resume", "check", str(pdf), "-f", "json").stdout)
    assert alone["score"] == 100 and alone["lang"] == lang


def _typst_pdf(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "bad.pdf"
    path.write_bytes(typst.compile(source.encode(), format="pdf", root=str(tmp_path)))
    return path


def test_check_fails_on_text_as_an_image(cli, tmp_path):
    resume, _ = load_resume(RESUME)
    source = _render_typ(resume)
    (tmp_path / "page.png").write_bytes(typst.compile(source.encode(), format="png", ppi=72)[0])
    bad = _typst_pdf(tmp_path, '#set page(margin: 0pt)\n#image("page.png", width: 100%)\n')
    result = cli("resume", "check", str(bad), "--resume", RESUME, "-f", "json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["score"] < 50
    assert {"severity": "error", "rule": "image-text"} == {
        "severity": report["problems"][0]["level"],
        "rule": report["problems"][0]["rule"],
    }
    assert report["problems"][0]["problem"] == "page 1 has no text an ATS can read (1 image)"
    errors = sum(p["level"] == "error" for p in report["problems"])
    assert result.stderr == (  # the shape of every check's exit 3 (errors.fail_if_found)
        f"Error: Found {errors} problems an ATS would trip on in {bad}.\n"
        f"ATS score {report['score']}/100 (1 page, en).\n"
    )


def _render_typ(resume) -> str:
    from csmctl.documents.resume_render import render_text

    return render_text(resume, theme="plain", fmt="typ", dirs=[builtin_dir()], lang="en")


def test_check_fails_when_two_columns_break_the_reading_order(cli, tmp_path):
    resume, _ = load_resume(RESUME)
    from csmctl.documents.resume_render import format_period
    from csmctl.documents.resume_render import typst_escape as esc

    jobs = resume.work
    left = "\n\n".join(esc(f"{job.position} at {job.name}") for job in jobs)
    right = "\n\n".join(esc(format_period(job.startDate, job.endDate)) for job in jobs)
    source = (
        f"= {esc(resume.basics.name)}\n{esc(resume.basics.email)} {esc(resume.basics.phone)}\n\n"
        "== Summary\n\nA customer success manager with many years of experience in B2B software.\n\n"
        f"== Work Experience\n\n#grid(columns: (2fr, 1fr), gutter: 12pt, [{left}], [{right}])\n\n"
        "== Education\n\nUniversity of Massachusetts\n"
    )
    bad = _typst_pdf(tmp_path, source)
    result = cli("resume", "check", str(bad), "--resume", RESUME, "-f", "json")
    assert result.exit_code == 3
    problems = json.loads(result.stdout)["problems"]
    assert any(p["rule"] == "order" and p["problem"].startswith("work[1] ") for p in problems), problems


def test_check_rejects_a_file_that_is_not_a_pdf(cli, tmp_path):
    fake = tmp_path / "x.pdf"
    fake.write_text("not a pdf")
    result = cli("resume", "check", str(fake))
    assert result.exit_code == 1 and result.stderr.startswith("Error: Not a readable PDF")


def test_max_pages_fails_with_actual_and_allowed_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "r.pdf"
    result = cli("resume", "render", RESUME, "-o", str(out), "--max-pages", "1")
    assert result.exit_code == 3 and not out.exists()
    assert result.stderr == (  # the shape of every check's exit 3 (errors.fail_if_found)
        "Error: Found 2 pages, over the 1 allowed (--max-pages).\n"
        "Nothing written. Shorten it (fewer highlights, older jobs in one line) or try --theme plain.\n"
    )
    cli.ok("resume", "render", RESUME, "-o", str(out), "--max-pages", "2")
    assert out.read_bytes().startswith(b"%PDF")
    usage = cli("resume", "render", RESUME, "-f", "md", "--max-pages", "1")
    assert usage.exit_code == 1 and "--max-pages counts PDF pages." in usage.stderr


def test_japanese_pdf_without_a_cjk_font_is_an_error_naming_the_package():
    from csmctl.documents.resume_render import MissingFont

    resume, _ = load_resume(RESUME)
    with pytest.raises(MissingFont) as raised:
        render_pdf(resume, theme="plain", dirs=[builtin_dir()], lang="ja", system_fonts=False)
    assert raised.value.exit_code == 1
    assert "fonts-noto-cjk" in raised.value.hint and "--allow-missing-font" in raised.value.hint
    pdf, warnings = render_pdf(
        resume, theme="plain", dirs=[builtin_dir()], lang="ja", system_fonts=False, allow_missing_font=True
    )
    assert pdf.startswith(b"%PDF") and any("fonts-noto-cjk" in w for w in warnings)
    # English needs no CJK font
    assert render_pdf(resume, theme="plain", dirs=[builtin_dir()], lang="en", system_fonts=False)[0]


@pytest.mark.parametrize("theme", THEMES)
def test_cover_letter_quotes_the_resume_evidence_for_the_job(cli, tmp_path, theme):
    md = cli.ok("resume", "letter", RESUME, "--jd", JOB, "--theme", theme).stdout
    assert "Dear Contoso Cloud hiring team," in md
    assert "Senior Customer Success Manager role at Contoso Cloud" in md
    assert "- Reduced logo churn from 9% to 6% with a health score and 90-day save plays" in md
    assert md.count("\n- ") == 3  # at most three pieces of evidence: one page
    html = tmp_path / "letter.html"
    cli.ok("resume", "letter", RESUME, "--jd", JOB, "--theme", theme, "-o", str(html))
    assert html.read_text().startswith("<!DOCTYPE html>") and "Contoso Cloud" in html.read_text()
    pdf = tmp_path / "letter.pdf"
    cli.ok("resume", "letter", RESUME, "--jd", JOB, "--theme", theme, "-o", str(pdf))
    from csmctl.documents.resume_check import read_pdf

    texts, _ = read_pdf(pdf.read_bytes())
    assert len(texts) == 1 and "Contoso Cloud" in texts[0]


def test_cover_letter_and_match_read_a_jobposting_jsonld_alike(cli, tmp_path):
    """`resume letter --jd` and `resume match --jd` share one job reader: a JobPosting JSON-LD (an
    object, a list, an @graph) gives the letter its title and hiring organization, and its terms
    to both; what is not a job is refused by both alike."""
    posting = json.loads(cli.ok("jd", "render", JOB, "-f", "jsonld", "--allow-incomplete").stdout)
    posting["inLanguage"] = "en-GB"
    shapes = {
        "object.json": posting,
        "list.json": [posting],
        "graph.json": {"@context": "https://schema.org", "@graph": [posting]},
    }
    for name, data in shapes.items():
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        md = cli.ok("resume", "letter", RESUME, "--jd", str(path)).stdout
        assert "Dear Contoso Cloud hiring team," in md, name
        assert "Senior Customer Success Manager role at Contoso Cloud" in md, name
        matched = json.loads(cli.ok("resume", "match", RESUME, "--jd", str(path), "-f", "json").stdout)
        assert matched["total"] > 0, name
    person = tmp_path / "person.json"
    person.write_text('{"@context": "https://schema.org", "@type": "Person", "name": "A"}', encoding="utf-8")
    refused = cli("resume", "letter", RESUME, "--jd", str(person))
    assert refused.exit_code == 1 and refused.stderr.startswith(f"Error: {person}: is schema.org 'Person'")


@needs_cjk
def test_cover_letter_in_japanese(cli):
    md = cli.ok("resume", "letter", RESUME, "--jd", JOB, "--lang", "ja").stdout
    assert "Contoso Cloud 採用ご担当者様" in md and "これまでの実績" in md and "敬具" in md
    assert "Dear" not in md and "Kind regards" not in md


def test_watch_rerenders_on_save_and_survives_errors(tmp_path):
    from csmctl.errors import CsmctlError
    from csmctl.watching import watch_and_run

    source = tmp_path / "resume.yaml"
    source.write_text(Path(RESUME).read_text())
    runs: list[int] = []
    errors: list[str] = []
    stop = threading.Event()
    advanced = threading.Condition()

    def run() -> None:
        if "BROKEN" in source.read_text():
            raise CsmctlError("resume.yaml, line 1: broken")

    def ready(count: int) -> None:
        with advanced:
            runs.append(count)
            advanced.notify_all()

    def wait_for(count: int) -> None:
        with advanced:
            assert advanced.wait_for(lambda: len(runs) >= count, timeout=60), runs

    thread = threading.Thread(
        target=watch_and_run,
        args=([source], run, lambda e: errors.append(e.message)),
        kwargs={"stop": stop, "ready": ready},
    )
    thread.start()
    try:
        wait_for(1)
        source.write_text("BROKEN\n")
        wait_for(2)
        assert errors == ["resume.yaml, line 1: broken"]
        (tmp_path / "other.txt").write_text("not watched")
        source.write_text(Path(RESUME).read_text())
        wait_for(3)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive() and errors == ["resume.yaml, line 1: broken"]


def test_watch_needs_an_output_file(cli):
    result = cli("resume", "render", RESUME, "--watch")
    assert result.exit_code == 1 and result.stderr.startswith("Error: --watch needs a file to rewrite.")
    result = cli("jd", "render", JOB, "--watch")
    assert result.exit_code == 1 and result.stderr.startswith("Error: --watch needs a file to rewrite.")
