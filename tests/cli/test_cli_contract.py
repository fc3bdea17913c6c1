"""One CLI contract (issue 21, part C): what a user sees the same way in every command.

A read never creates a book; -o's extension decides the format; every check asked for on the
command line ends in exit 3 the same way; old command names still work, with a note.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csmctl.errors import EXIT_FOUND, FoundProblems, fail_if_found

ROOT = Path(__file__).parent.parent
SPEC = str(ROOT / "documents" / "fixtures" / "job-spec.yaml")
RESUME = str(ROOT / "resume" / "fixtures" / "resume.yaml")


# -- a read never creates a book ------------------------------------------------------------------


@pytest.mark.parametrize("read", [["account", "list"], ["today"], ["health"], ["stale"], ["db", "info"]])
def test_a_read_of_a_missing_book_exits_4_and_creates_nothing(cli, tmp_path, read):
    typo = tmp_path / "tpyo.db"
    result = cli("--db", str(typo), *read)
    assert result.exit_code == 4
    assert result.stderr.startswith(
        f"Error: No book at {typo}; create one with `csmctl db init {typo}` (or `demo`, `import`, "
        "`account add`)."
    )
    assert not typo.exists()


def test_a_mistyped_csmctl_db_in_cron_is_not_an_empty_book(cli, tmp_path):
    typo = tmp_path / "bok.db"
    result = cli("report", "renewals", "--fail-on", "overdue", env={"CSMCTL_DB": str(typo)})
    # the fixture passes --db; run through the environment alone, as cron does
    from typer.testing import CliRunner

    from csmctl.cli import app

    result = CliRunner().invoke(
        app, ["report", "renewals", "--fail-on", "overdue"], env={"CSMCTL_DB": str(typo)}
    )
    assert result.exit_code == 4 and "No book at" in result.stderr and not typo.exists()


def test_a_write_creates_a_book_only_where_its_directory_exists(cli, tmp_path):
    nested = tmp_path / "no" / "such" / "dir" / "book.db"
    result = cli("--db", str(nested), "account", "add", "Acme")
    assert result.exit_code == 4 and "the directory" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()
    fresh = tmp_path / "fresh.db"
    assert cli("--db", str(fresh), "account", "add", "Acme").exit_code == 0 and fresh.exists()


def test_db_init_creates_an_empty_book_once(cli, tmp_path):
    book = tmp_path / "new.db"
    assert "Created an empty book" in cli.ok("db", "init", str(book)).stderr
    assert "already a book" in cli.ok("db", "init", str(book)).stderr
    assert cli.ok("--db", str(book), "account", "list", "-f", "json").stdout == "[]\n"


# -- ambiguous look-ups count every match ----------------------------------------------------------


def test_an_ambiguous_prefix_counts_every_match(cli, tmp_path):
    rows = "name\n" + "".join(f"Coral {n:02d}\n" for n in range(1, 31))
    (tmp_path / "accounts.csv").write_text(rows)
    cli.ok("import", "accounts", str(tmp_path / "accounts.csv"))
    result = cli("account", "show", "coral")
    assert result.exit_code == 1
    first_ten = ", ".join(f"Coral {n:02d}" for n in range(1, 11))
    # it said "matches 26 accounts: ... and 16 more"
    assert f"'coral' matches 30 accounts: {first_ten} and 20 more." in result.stderr


# -- -o decides the format ----------------------------------------------------------------------


@pytest.fixture
def book(demo_cli):
    return demo_cli


def test_export_writes_what_the_extension_says(book, tmp_path):
    book.ok("export", "accounts", "-o", str(tmp_path / "a.json"))
    assert json.loads((tmp_path / "a.json").read_text())[0]["name"]
    book.ok("export", "contacts", "-o", str(tmp_path / "c.csv"))
    assert (tmp_path / "c.csv").read_text().startswith("account,")
    book.ok("export", "touchpoints", "-o", str(tmp_path / "t.dat"))  # unknown: the default, csv
    assert not (tmp_path / "t.dat").read_text().startswith("[")


def test_report_and_brief_write_what_the_extension_says(book, tmp_path):
    book.ok("report", "renewals", "-o", str(tmp_path / "r.html"))
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    book.ok("report", "renewals", "-o", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())
    book.ok("brief", "northwind", "-o", str(tmp_path / "b.html"))
    assert "<html" in (tmp_path / "b.html").read_text()


@pytest.mark.parametrize(
    "command, name, check",
    [
        (["jd", "render", SPEC], "posting.html", lambda t: "<html" in t),
        (["jd", "render", SPEC], "posting.jsonld", lambda t: json.loads(t)["@type"] == "JobPosting"),
        (["jd", "kit", SPEC], "kit.html", lambda t: "<html" in t),
        (["jd", "scorecard", SPEC], "scorecard.csv", lambda t: "," in t.splitlines()[0] and "<" not in t),
        (["resume", "render", RESUME], "resume.html", lambda t: "<html" in t),
    ],
)
def test_documents_write_what_the_extension_says(cli, tmp_path, command, name, check):
    target = tmp_path / name
    cli.ok(*command, "-o", str(target))
    assert check(target.read_text())


@pytest.mark.parametrize(
    "args",
    [
        ["export", "accounts", "-f", "csv", "-o", "a.json"],
        ["report", "renewals", "-f", "md", "-o", "r.html"],
        ["jd", "kit", SPEC, "-f", "md", "-o", "kit.html"],
        ["jd", "kit", SPEC, "-o", "kit.pdf"],  # a format this command cannot write
        ["brief", "northwind", "-f", "md", "-o", "b.html"],
        ["resume", "render", RESUME, "-f", "md", "-o", "r.html"],
    ],
)
def test_a_format_that_contradicts_the_extension_is_a_usage_error(book, tmp_path, args):
    args = [str(tmp_path / a) if "." in a and "/" not in a else a for a in args]
    result = book(*args)
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr or "Invalid value for '-o'" in result.stderr
    assert not any(p.is_file() for p in tmp_path.iterdir() if p.suffix in (".json", ".html", ".pdf"))


# -- every check ends the same way ------------------------------------------------------------------


def test_fail_if_found_is_exit_3_with_one_message_shape():
    fail_if_found("--fail-on", [])  # nothing found: nothing happens
    with pytest.raises(FoundProblems) as raised:
        fail_if_found("--fail-on", ["2 overdue", "", "1 notice"], hint="The report is in r.md.")
    assert raised.value.exit_code == EXIT_FOUND
    assert raised.value.lines() == ["Found 2 overdue, 1 notice (--fail-on).", "The report is in r.md."]


def test_every_check_exits_3_after_its_output(book, cli, tmp_path):
    stale = book("stale", "--fail-if-any", "-f", "json")
    assert stale.exit_code == 3 and json.loads(stale.stdout)
    assert stale.stderr.startswith("Error: Found ") and stale.stderr.rstrip().endswith("(--fail-if-any).")
    lint = cli("jd", "lint", SPEC, "--strict", "-f", "json")  # exited 1
    if json.loads(lint.stdout):
        assert (
            lint.exit_code == 3 and lint.stderr.startswith("Error: Found ") and "(--strict)." in lint.stderr
        )
    match = cli("resume", "match", RESUME, "--jd", SPEC, "--min", "100")
    assert match.exit_code == 3 and match.stderr.startswith("Error: Found coverage ")
    assert "(--min)." in match.stderr


# -- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, now",
    [
        (["renewals", "--within", "1y"], ["renewal", "list", "--within", "1y"], "renewal list"),
        (["followup", "list"], ["follow-up", "list"], "follow-up"),
        (["metrics", "--period", "2026"], ["metric", "retention", "--period", "2026"], "metric retention"),
    ],
)
def test_old_names_still_work_with_a_one_line_note(book, old, new, now):
    before, after = book.ok(*old, "-f", "json"), book.ok(*new, "-f", "json")
    assert before.stdout == after.stdout
    assert before.stderr.splitlines()[0] == f"Note: `csmctl {old[0]}` is deprecated; use `csmctl {now}`."
    assert "deprecated" not in after.stderr


def test_renewals_ics_still_works(book, tmp_path):
    book.ok("renewals", "ics", "-o", str(tmp_path / "old.ics"))
    book.ok("renewal", "ics", "-o", str(tmp_path / "new.ics"))
    assert (tmp_path / "old.ics").read_text() == (tmp_path / "new.ics").read_text()


def test_a_top_level_typo_gets_a_suggestion(cli):
    result = cli("acount", "list")
    assert result.exit_code == 2 and "No such command 'acount'. Did you mean 'account'" in result.stderr
    assert "Did you mean 'renewal'" in cli("renewl").stderr


def test_only_fail_if_found_raises_found_problems():
    """Exit 3 has one home (errors.fail_if_found), so every check words it the same way."""
    import re
    from pathlib import Path

    import csmctl

    root = Path(csmctl.__file__).parent
    raising = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "errors.py" and re.search(r"raise FoundProblems\b", path.read_text(encoding="utf-8"))
    ]
    assert raising == []
