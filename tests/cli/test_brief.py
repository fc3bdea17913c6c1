"""`csmctl brief`: golden Markdown and HTML for a full account and an onboarding one."""

from __future__ import annotations

import pytest

from tests.cli.health_book import fill


@pytest.fixture
def book(cli):
    fill(cli, cli.db_path)  # the SQLite file or the PostgreSQL URL of this run
    return cli


def test_brief_markdown_golden(book, golden):
    golden("reports/brief-acme.md", book.ok("brief", "acme").stdout)
    golden("reports/brief-beta.md", book.ok("brief", "Beta Labs", "--format", "md").stdout)


def test_brief_html_golden_from_the_suffix(book, golden, tmp_path):
    target = tmp_path / "acme.html"
    result = book.ok("brief", "acme", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr == f"Wrote the brief for Acme Corp to {target}.\n"
    text = target.read_text()
    golden("reports/brief-acme.html", text)
    assert "Sent the pricing | options" in text and "<script" not in text


def test_html_is_escaped(book, golden):
    book.ok("account", "edit", "Gamma Co", "--notes", "x", "--segment", "<b>bold</b> & co")
    out = book.ok("brief", "gamma", "-f", "html").stdout
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in out and "<b>bold" not in out
    golden("reports/brief-gamma.html", out)


def test_user_template_takes_precedence(book, tmp_path):
    (tmp_path / "tpl" / "reports").mkdir(parents=True)
    (tmp_path / "tpl" / "reports" / "brief.md.j2").write_text(
        "{{ account.name }}: {{ health.score }} {{ health.band }}; {{ renewals | length }} outcomes\n"
    )
    assert (
        book.ok("brief", "acme", "--template-dir", str(tmp_path / "tpl")).stdout
        == "Acme Corp: 73 yellow; 2 outcomes\n"
    )


def test_bad_format_and_bad_template(book, tmp_path):
    result = book("brief", "acme", "-f", "pdf")  # a closed set: Click's usage error, listing md, html
    assert result.exit_code == 2 and "'pdf' is not one of 'md', 'html'" in result.stderr
    (tmp_path / "tpl" / "reports").mkdir(parents=True)
    (tmp_path / "tpl" / "reports" / "brief.md.j2").write_text("line one\n{{ account.nope }}\n")
    target = tmp_path / "out.md"
    result = book("brief", "acme", "--template-dir", str(tmp_path / "tpl"), "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {tmp_path / 'tpl' / 'reports' / 'brief.md.j2'}, line 2: template uses an undefined value:"
    )
    assert not target.exists()
