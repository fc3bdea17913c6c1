"""`csmctl import touchpoints` (all-or-nothing, shared machinery) and `csmctl export touchpoints`."""

from __future__ import annotations

import json

import pytest

from tests.cli.touchpoint_book import book, book_template  # noqa: F401 (fixtures)


def touchpoints(cli):
    return json.loads(cli.ok("touchpoint", "list", "-f", "json").stdout)


def test_import_maps_common_headers_and_resolves_contacts(book, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(
        "Company,Type,Date,Notes,With,Follow up,Next step,Mood,Tags,Internal id\n"
        "Acme Corp,Meeting,2026-11-02,Workshop,Ana Moreau; ben@acme.example,2026-11-09,Send recap,positive,training,7\n"
        "globex,email,2026-10-20T09:15:00Z,Intro,,,,,,8\n"
    )
    result = book.ok("import", "touchpoints", str(path))
    assert "ignoring columns not mapped to a field: Internal id" in result.stderr
    assert f"Imported 2 touchpoints from {path}: 2 created, 0 updated, 0 unchanged." in result.stderr
    first, second = touchpoints(book)
    assert (first["account"], first["kind"], first["occurred_at"], first["summary"]) == (
        "Acme Corp",
        "meeting",
        "2026-11-02T12:00:00Z",
        "Workshop",
    )
    assert [c["name"] for c in first["contacts"]] == ["Ana Moreau", "Ben Ito"]
    assert (first["follow_up_date"], first["follow_up_text"], first["sentiment"], first["tags"]) == (
        "2026-11-09",
        "Send recap",
        "positive",
        ["training"],
    )
    assert (second["account"], second["occurred_at"]) == ("Globex", "2026-10-20T09:15:00Z")


def test_one_bad_row_rolls_back_everything(book, tmp_path):
    book.ok("touch", "Acme", "Already here", "--when", "2026-11-01")
    path = tmp_path / "activities.csv"
    path.write_text(
        "account,when,summary,kind,follow_up_date\n"
        "Acme Corp,2026-11-02,Fine,call,\n"
        ",2026-11-03,No account,call,\n"
        "Acme Corp,2027-02-01,Future,call,\n"
        "Acme Corp,2026-11-04,Bad kind,chat,2026-11-01\n"
    )
    result = book("import", "touchpoints", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: 4 problems; nothing was imported:",
        f"  {path}, line 3, account: the account is missing",
        f"  {path}, line 4, when: The touchpoint date 2027-02-01 is in the future (today is 2026-11-23). (got '2027-02-01');"
        " Mark it planned (--planned, or a planned column in a file), or give a past date.",
        f"  {path}, line 5, kind: Unknown kind 'chat'. (got 'chat'); Use one of: call, email, meeting, qbr, ebr, onsite, support, note.",
        f"  {path}, line 5, follow_up_date: The follow-up date 2026-11-01 is before the touchpoint (2026-11-04). (got '2026-11-01');"
        " Give a follow-up on or after the touchpoint date.",
    ]
    assert [t["summary"] for t in touchpoints(book)] == ["Already here"]


def test_unknown_account_or_contact_found_while_writing_rolls_back(book, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(
        "account,when,summary,with\n"
        "Acme Corp,2026-11-02,Fine,Ana Moreau\n"
        "Initech,2026-11-03,Who?,\n"
        "Globex,2026-11-04,Wrong person,Ana Moreau\n"
    )
    result = book("import", "touchpoints", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: 2 problems; nothing was imported:",
        f"  {path}, line 3, account: No account matches 'Initech'. (got 'Initech'); List accounts with `csmctl account list`.",
        f"  {path}, line 4, with: No contact 'Ana Moreau' at Globex.; List contacts with `csmctl contact list ACCOUNT`.",
    ]
    assert touchpoints(book) == []


def test_dry_run_writes_nothing(book, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("account,when,summary\nAcme Corp,2026-11-02,Fine\n")
    result = book.ok("import", "touchpoints", str(path), "--dry-run")
    assert f"Would import 1 touchpoints from {path}: 1 created" in result.stderr
    assert touchpoints(book) == []


def test_export_then_import_round_trips(book, tmp_path):
    book.ok(
        "touch",
        "Acme",
        "Call; with a semicolon",
        "--when",
        "2026-11-01T10:00",
        "--with",
        "Ana Moreau",
        "--with",
        "Ben Ito",
        "--follow-up",
        "2026-11-05",
        "--follow-up-text",
        "Quote",
        "-t",
        "renewal",
        "--sentiment",
        "neutral",
    )
    book.ok("touch", "Globex", "Planned QBR", "-k", "qbr", "--when", "2026-12-01", "--planned")
    book.ok("follow-up", "done", "1")
    before = touchpoints(book)
    for fmt in ("csv", "json"):
        out = tmp_path / f"tp.{fmt}"
        assert (
            book.ok("export", "touchpoints", "-f", fmt, "-o", str(out)).stderr
            == f"Exported 2 touchpoints to {out}.\n"
        )
        again = book.ok("import", "touchpoints", str(out))
        assert "0 created, 0 updated, 2 unchanged" in again.stderr
        for record in before:
            book.ok("touchpoint", "delete", str(record["id"]), "--yes")
        book.ok("import", "touchpoints", str(out))
        after = touchpoints(book)
        drop = ("id",)
        assert [{k: v for k, v in r.items() if k not in drop} for r in after] == [
            {k: v for k, v in r.items() if k not in drop} for r in before
        ]
        before = after
    csv = book.ok("export", "touchpoints").stdout.splitlines()
    assert csv[0] == (
        "account,kind,occurred_at,summary,sentiment,contacts,follow_up_date,follow_up_text,"
        "follow_up_done,follow_up_done_on,tags,planned"
    )
    assert csv[1] == (
        "Acme Corp,call,2026-11-01T10:00:00,Call; with a semicolon,neutral,Ana Moreau;Ben Ito,"
        "2026-11-05,Quote,true,2026-11-23,renewal,false"
    )


def test_on_conflict_fail_and_skip(book, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("account,when,summary,sentiment\nAcme Corp,2026-11-02,Fine,positive\n")
    book.ok("import", "touchpoints", str(path))
    path.write_text("account,when,summary,sentiment\nAcme Corp,2026-11-02,Fine,negative\n")
    failed = book("import", "touchpoints", str(path), "--on-conflict", "fail")
    assert failed.exit_code == 1 and "the touchpoint already exists (id 1)" in failed.stderr
    assert "1 skipped" in book.ok("import", "touchpoints", str(path), "--on-conflict", "skip").stderr
    assert "1 updated" in book.ok("import", "touchpoints", str(path)).stderr
    assert touchpoints(book)[0]["sentiment"] == "negative"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_export_refuses_table_formats(book, fmt):
    # help offers csv and json only, and anything else is a usage error (exit 2)
    result = book("export", "touchpoints", "-f", fmt)
    assert result.exit_code == 2 and f"'{fmt}' is not one of 'csv', 'json'" in result.stderr


def test_the_demo_book_exports_and_reimports_unchanged(demo_cli, tmp_path):
    """Every demo touchpoint obeys the rules an import checks (e.g. no follow-up before its touchpoint)."""
    out = tmp_path / "demo.csv"
    exported = demo_cli.ok("export", "touchpoints", "-o", str(out)).stderr
    count = int(exported.split()[1])
    assert count > 150
    result = demo_cli.ok("import", "touchpoints", str(out))
    assert result.stderr.endswith(f": 0 created, 0 updated, {count} unchanged.\n")
