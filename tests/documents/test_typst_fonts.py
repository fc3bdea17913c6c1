"""Which fonts Typst searches: the bundled ones alone when they cover the document (the system font
scan is most of a resume's compile), the system fonts when a character or a named font needs them."""

from __future__ import annotations

import pytest

from csmctl.documents import resume_render
from csmctl.documents.resume import load_resume
from csmctl.documents.resume_render import bundled_fonts_cover, compile_typst, render_pdf
from csmctl.resources import builtin_dir
from tests.cli.test_resume import RESUME

typst = pytest.importorskip("typst", reason="the pdf extra (typst) is not installed")


@pytest.fixture
def scans(monkeypatch) -> list[bool]:
    """For each Typst compile: whether it searched the system fonts."""
    seen: list[bool] = []
    original = typst.compile_with_warnings

    def compile_with_warnings(source, *args, ignore_system_fonts=False, **kwargs):
        seen.append(not ignore_system_fonts)
        return original(source, *args, ignore_system_fonts=ignore_system_fonts, **kwargs)

    monkeypatch.setattr(typst, "compile_with_warnings", compile_with_warnings)
    return seen


def test_an_english_resume_uses_the_bundled_fonts_only(scans):
    resume, _ = load_resume(RESUME)
    pdf, warnings = render_pdf(resume, theme="modern", dirs=[builtin_dir()], lang="en")
    assert pdf.startswith(b"%PDF-") and warnings == [] and scans == [False]


def test_a_japanese_resume_searches_the_system_fonts(scans):
    resume, _ = load_resume(RESUME)
    render_pdf(resume, theme="plain", dirs=[builtin_dir()], lang="ja", allow_missing_font=True)
    assert scans == [True]


@pytest.mark.parametrize("text", ["Café – “Zoë” • Łódź", "Ünïcödé Ærø ß ŀ ſ ǅ"])
def test_latin_text_is_covered(text):
    assert bundled_fonts_cover(text)


@pytest.mark.parametrize("text", ["山田", "€100", "Ωμέγα", "Жук", "emoji 😀", "العربية"])
def test_text_beyond_the_bundled_fonts_searches_the_system_fonts(scans, text):
    assert not bundled_fonts_cover(text)
    compile_typst(f'#set text(font: "Libertinus Serif")\n{text}'.encode(), what="t", hint="h")
    assert scans == [True]


def test_a_named_font_typst_does_not_bundle_compiles_again_with_the_system_fonts(scans):
    source = b'#set text(font: "Csmctl Nonexistent Sans")\nHello'
    _, warnings = compile_typst(source, what="t", hint="h")
    assert scans == [False, True]
    assert warnings == ["unknown font family: csmctl nonexistent sans"]


def test_no_system_fonts_means_none(scans):
    compile_typst("山田".encode(), what="t", hint="h", system_fonts=False)
    assert scans == [False]


def test_the_pdf_has_the_same_text_fonts_and_pages_either_way(tmp_path):
    """Typst's PDF bytes differ from one process to the next; what a reader sees does not."""
    import io

    from pypdf import PdfReader

    resume, _ = load_resume(RESUME)
    source = resume_render.render_text(resume, theme="modern", fmt="typ", dirs=[builtin_dir()]).encode()

    def seen(pdf: bytes):
        reader = PdfReader(io.BytesIO(pdf))
        fonts = {
            str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        return [page.extract_text() for page in reader.pages], fonts

    bundled = seen(compile_typst(source, what="t", hint="h")[0])
    system = seen(typst.compile_with_warnings(source, format="pdf", ignore_system_fonts=False)[0])
    assert bundled == system
