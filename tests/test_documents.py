"""The template engine: lookup order, strictness, escaping, and the sandbox."""

from __future__ import annotations

import pytest

from csmctl.documents.engine import autoescape_for, list_templates, render, search_path
from csmctl.domain.money import Money
from csmctl.errors import CsmctlError, InvalidInput, NotFound


@pytest.fixture
def tdir(tmp_path):
    d = tmp_path / "tpl"
    d.mkdir()
    return d


def test_renders_with_filters(tdir):
    (tdir / "a.md.j2").write_text(
        "{{ arr | money }} / {{ arr | money('short') }} / {{ 3 | plural('account') }}\n"
    )
    assert (
        render("a.md.j2", {"arr": Money(12_000_000, "EUR")}, dirs=[tdir])
        == "EUR 120,000.00 / EUR 120k / 3 accounts\n"
    )


def test_html_is_autoescaped_markdown_escaped_text_is_not(tdir):
    (tdir / "x.html.j2").write_text("<p>{{ name }}</p>")
    (tdir / "x.md.j2").write_text("{{ name }}")
    ctx = {"name": "<script>alert(1)</script>"}
    assert render("x.html.j2", ctx, dirs=[tdir]) == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert render("x.md.j2", ctx, dirs=[tdir]) == "\\<script\\>alert(1)\\</script\\>"
    (tdir / "x.txt.j2").write_text("{{ name }}")
    assert render("x.txt.j2", ctx, dirs=[tdir]) == "<script>alert(1)</script>"
    assert autoescape_for("report.html") and autoescape_for("r.htm.j2") and not autoescape_for("r.txt.j2")


def test_undefined_variable_names_file_and_line(tdir):
    (tdir / "bad.md.j2").write_text("line one\n{{ missing_thing }}\n")
    with pytest.raises(InvalidInput) as error:
        render("bad.md.j2", {}, dirs=[tdir])
    problem = error.value.problems[0]
    assert problem.path.endswith("bad.md.j2") and problem.line == 2
    assert "missing_thing" in problem.message


def test_syntax_error_is_located(tdir):
    (tdir / "s.md.j2").write_text("ok\n{% for x in %}\n")
    with pytest.raises(InvalidInput) as error:
        render("s.md.j2", {}, dirs=[tdir])
    assert error.value.problems[0].line == 2


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x.__class__.__init__.__globals__ }}",
        "{% set _ = items.append(1) %}",
    ],
)
def test_sandbox_blocks_escapes(tdir, source):
    (tdir / "evil.md.j2").write_text(source)
    with pytest.raises(InvalidInput) as error:
        render("evil.md.j2", {"x": object(), "items": []}, dirs=[tdir])
    assert (
        "sandbox" in error.value.message
        or "unsafe" in error.value.message
        or "undefined" in error.value.message
    )


def test_runaway_output_and_recursion_are_bounded(tdir, monkeypatch):

    monkeypatch.setenv("CSMCTL_TEMPLATE_MAX_OUTPUT", "10000")
    (tdir / "loop.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
    )
    with pytest.raises(CsmctlError, match="more than"):
        render("loop.md.j2", {}, dirs=[tdir])
    (tdir / "rec.md.j2").write_text("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
    with pytest.raises(CsmctlError, match="recursed"):
        render("rec.md.j2", {}, dirs=[tdir])


def test_lookup_order_user_dir_shadows_builtin(tmp_path, tdir):
    user = tmp_path / "user"
    (user / "reports").mkdir(parents=True)
    (tdir / "reports").mkdir()
    (tdir / "reports" / "x.md.j2").write_text("from --template-dir")
    (user / "reports" / "x.md.j2").write_text("from user dir")
    assert render("reports/x.md.j2", {}, dirs=search_path(tdir, user)) == "from --template-dir"
    assert render("reports/x.md.j2", {}, dirs=search_path(None, user)) == "from user dir"
    names = {t.name: t.origin for t in list_templates(search_path(None, user))}
    assert names["reports/x.md.j2"] == str(user)
    with pytest.raises(NotFound):
        render("nope.md.j2", {}, dirs=search_path(None, user))


def test_template_cli_copy_and_show(cli, isolated_home):
    listed = cli.ok("template", "list", "-f", "json").stdout
    assert '"origin": "built-in"' in listed
    result = cli.ok("template", "copy", "README.md")
    copied = isolated_home / "config" / "templates" / "README.md"
    assert result.stdout.strip() == str(copied) and copied.exists()
    assert cli("template", "copy", "README.md").exit_code == 1
    assert "Built-in templates" in cli.ok("template", "show", "README.md").stdout
    assert cli("template", "show", "nope").exit_code == 1


def test_underline_counts_wide_characters(tdir):
    (tdir / "u.txt.j2").write_text("{{ 'Role' | underline('=') }}\n{{ '仕事内容' | underline }}\n")
    assert render("u.txt.j2", {}, dirs=[tdir]) == "====\n--------\n"


def test_wrap_counts_columns_and_breaks_japanese(tdir):
    from csmctl.documents.filters import wrap

    assert wrap("one two three four", 9) == "one two\nthree\nfour"
    assert wrap("一二三四五。六七", 8) == "一二三四\n五。六七"  # 。 never starts a line
    assert wrap("a b c d", 3, wrapstring="\n  ") == "a b\n  c d"
    assert wrap("first line\nsecond", 78) == "first line\nsecond"


def test_a_golden_mismatch_shows_a_unified_text_diff():
    from tests.conftest import golden_diff

    shown = golden_diff(
        "reports/x.md", b"# Renewals\nAcme 100\nGlobex 5\n", b"# Renewals\nAcme 120\nGlobex 5"
    )
    assert shown.splitlines() == [
        "reports/x.md differs from its golden file (pytest --update-golden to accept, then review the diff)",
        "--- golden/reports/x.md",
        "+++ output",
        "@@ -1,3 +1,3 @@",
        " # Renewals",
        "-Acme 100",
        "-Globex 5",
        "+Acme 120",
        "+Globex 5",
        "\\ No newline at end of file",
    ]
    assert "binary: 3 bytes expected, 2 bytes now" in golden_diff("x.pdf", b"\xff\xfe\x00", b"\xff\x00")
