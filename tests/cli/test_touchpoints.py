"""`csmctl touch`, `touchpoint list/edit/delete`, `timeline`: logging as a CSM does it."""

from __future__ import annotations

import json
import sys

import pytest

from tests.cli.touchpoint_book import book, book_template  # noqa: F401 (fixtures)


def touchpoints(cli, *args):
    return json.loads(cli.ok("touchpoint", "list", "-f", "json", *args).stdout)


def test_logging_with_every_option(book):
    result = book.ok(
        "touch",
        "acme",
        "Renewal call: pricing agreed",
        "--kind",
        "call",
        "--when",
        "2026-11-20T15:45",
        "--with",
        "Ana Moreau",
        "--with",
        "ben@acme.example",
        "--sentiment",
        "positive",
        "--follow-up",
        "2026-11-27",
        "--follow-up-text",
        "Send the order form",
        "-t",
        "renewal",
        "-t",
        "Pricing",
    )
    # Both are confirmed; the follow-up's id is the touchpoint's (the command says which).
    assert result.stderr == (
        "Logged call with Acme Corp on 2026-11-20 (touchpoint 1).\n"
        "Follow-up due 2026-11-27: Send the order form. Close it with `csmctl follow-up done 1`.\n"
    )
    [record] = touchpoints(book)
    assert record == {
        "id": 1,
        "account_id": 1,
        "account": "Acme Corp",
        "kind": "call",
        "occurred_at": "2026-11-20T15:45:00Z",
        "date": "2026-11-20",
        "summary": "Renewal call: pricing agreed",
        "sentiment": "positive",
        "contacts": [{"id": 1, "name": "Ana Moreau"}, {"id": 2, "name": "Ben Ito"}],
        "follow_up_date": "2026-11-27",
        "follow_up_text": "Send the order form",
        "follow_up_done": False,
        "follow_up_done_on": None,
        "tags": ["pricing", "renewal"],
        "planned": False,
    }


def test_touchpoint_log_is_the_same_command(book):
    book.ok("touchpoint", "log", "Globex", "Intro email", "-k", "email")
    [record] = touchpoints(book)
    assert (record["kind"], record["summary"], record["date"]) == ("email", "Intro email", "2026-11-23")


@pytest.mark.parametrize(
    ("when", "day"),
    [("-2d", "2026-11-21"), ("yesterday", "2026-11-22"), ("2026-09-30", "2026-09-30"), ("-1w", "2026-11-16")],
)
def test_backdating(book, when, day):
    book.ok("touch", "Acme", "Backdated call", "--when", when)
    [record] = touchpoints(book)
    assert record["date"] == day and record["occurred_at"] == f"{day}T12:00:00Z"


def test_summary_from_stdin(book):
    book.ok("touch", "Acme", "-", "-k", "meeting", input="Workshop with the ops team\nsecond line\n")
    assert touchpoints(book)[0]["summary"] == "Workshop with the ops team\nsecond line"


def test_summary_absent_without_a_terminal_is_an_error(book):
    result = book("touch", "Acme")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No summary given.\n"
        'Give it as an argument ("Renewal call with Ana"), or "-" to read it from stdin.\n'
    )
    assert touchpoints(book) == []


def test_summary_absent_on_a_terminal_opens_the_editor(book, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\npath = sys.argv[1]\ntext = open(path).read()\n"
        "open(path, 'w').write('Called Ana about the rollout\\n' + text)\n"
    )
    monkeypatch.setattr("csmctl.cli.touchpoints._stdin_is_tty", lambda: True)
    book.ok("touch", "Acme", env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert touchpoints(book)[0]["summary"] == "Called Ana about the rollout"


def test_an_editor_left_empty_logs_nothing(book, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text("pass\n")
    monkeypatch.setattr("csmctl.cli.touchpoints._stdin_is_tty", lambda: True)
    result = book("touch", "Acme", env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert result.exit_code == 1 and "The summary is empty: nothing logged." in result.stderr
    assert touchpoints(book) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope", "x"], "Error: No account matches 'Nope'."),
        (["Acme", "x", "--with", "Cleo Park"], "Error: No contact 'Cleo Park' at Acme Corp."),
        (
            ["Acme", "x", "--kind", "chat"],
            "Error: Unknown kind 'chat'.\nUse one of: call, email, meeting, qbr, ebr, onsite, support, note.",
        ),
        (
            ["Acme", "x", "--when", "+2d"],
            "Error: The touchpoint date 2026-11-25 is in the future (today is 2026-11-23).\n"
            "Mark it planned (--planned, or a planned column in a file), or give a past date.",
        ),
        (
            ["Acme", "x", "--when", "-5d", "--follow-up", "-6d"],
            "Error: The follow-up date 2026-11-17 is before the touchpoint (2026-11-18).\n"
            "Give a follow-up on or after the touchpoint date.",
        ),
        (
            ["Acme", "x", "--follow-up-text", "call back"],
            "Error: A follow-up text needs a follow-up date.\nGive --follow-up DATE as well.",
        ),
        (["Acme", "x", "--when", "last tuesday"], "Error: Invalid when 'last tuesday'."),
    ],
)
def test_bad_input_exits_1_and_writes_nothing(book, args, message):
    result = book("touch", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) <= 2
    assert touchpoints(book) == []


def test_several_bad_values_are_reported_together(book):
    result = book("touch", "Acme", "x", "--kind", "chat", "--when", "last tuesday")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "Error: Some values are not valid:",
        "  --kind: Unknown kind 'chat'.; Use one of: call, email, meeting, qbr, ebr, onsite, support, note.",
    ]
    assert lines[2].startswith("  --when: Invalid when 'last tuesday'.")


def test_future_is_allowed_when_planned(book):
    result = book.ok("touch", "Acme", "QBR", "-k", "qbr", "--when", "+10d", "--planned")
    assert result.stderr == "Logged planned qbr with Acme Corp on 2026-12-03 (touchpoint 1).\n"
    assert touchpoints(book)[0]["planned"] is True


def test_list_filters(book):
    book.ok("touch", "Acme", "Call one", "--when", "2026-10-01", "--sentiment", "negative", "-t", "risk")
    book.ok("touch", "Acme", "Email two", "-k", "email", "--when", "2026-11-01")
    book.ok("touch", "Globex", "Note three", "-k", "note", "--when", "2026-11-10")

    def summaries(*args):
        return [r["summary"] for r in touchpoints(book, *args)]

    assert summaries() == ["Note three", "Email two", "Call one"]
    assert summaries("--account", "acme") == ["Email two", "Call one"]
    assert summaries("--kind", "email", "--kind", "note") == ["Note three", "Email two"]
    assert summaries("--owner", "marco bianchi") == ["Note three"]
    assert summaries("--since", "2026-10-02", "--until", "2026-11-09") == ["Email two"]
    assert summaries("--sentiment", "negative") == ["Call one"]
    assert summaries("--tag", "risk") == ["Call one"]
    assert summaries("--limit", "1") == ["Note three"]
    csv = book.ok("touchpoint", "list", "-f", "csv", "--account", "Globex").stdout
    assert csv.splitlines() == [
        "id,account,kind,occurred_at,summary,sentiment,contacts,follow_up_date,follow_up_text,follow_up_done,"
        "follow_up_done_on,tags,planned",
        "3,Globex,note,2026-11-10T12:00:00,Note three,,,,,false,,,false",
    ]
    table = book.ok("touchpoint", "list", "--account", "Globex").stdout
    assert table.splitlines() == [
        "ID  DATE        ACCOUNT  KIND  WITH  SUMMARY     SENTIMENT  FOLLOW-UP",
        " 3  2026-11-10  Globex   note        Note three",
    ]


def test_edit_changes_only_what_is_given_and_checks_the_rules(book):
    book.ok("touch", "Acme", "Call", "--when", "-3d", "--with", "Ana Moreau", "--follow-up", "+2d")
    result = book.ok(
        "touchpoint", "edit", "1", "--kind", "meeting", "--with", "Ben Ito", "--summary", "Met Ben"
    )
    assert result.stderr == "Updated touchpoint 1: kind, summary, contacts.\n"
    record = touchpoints(book)[0]
    assert (record["kind"], record["summary"], [c["name"] for c in record["contacts"]]) == (
        "meeting",
        "Met Ben",
        ["Ben Ito"],
    )
    assert record["follow_up_date"] == "2026-11-25"
    bad = book("touchpoint", "edit", "1", "--when", "2026-11-26")
    assert bad.exit_code == 1
    assert "  --when: The touchpoint date 2026-11-26 is in the future (today is 2026-11-23)." in bad.stderr
    assert "  --follow-up: The follow-up date 2026-11-25 is before the touchpoint (2026-11-26)." in bad.stderr
    bad = book("touchpoint", "edit", "1", "--follow-up", "2026-11-01")
    assert bad.exit_code == 1 and "is before the touchpoint (2026-11-20)" in bad.stderr
    assert touchpoints(book)[0]["follow_up_date"] == "2026-11-25"
    book.ok("touchpoint", "edit", "1", "--no-follow-up")
    assert touchpoints(book)[0]["follow_up_date"] is None
    assert book("touchpoint", "edit", "1").stderr == (
        "Error: Nothing to change.\nGive at least one option; see `csmctl touchpoint edit --help`.\n"
    )
    assert book("touchpoint", "edit", "9", "--kind", "call").stderr.startswith(
        "Error: No touchpoint with id 9."
    )


def test_delete(book):
    book.ok("touch", "Acme", "Call", "--when", "2026-11-02")
    refused = book("touchpoint", "delete", "1", input="n\n")
    # A declined prompt is not an error: the line ends, it says so, exit 0.
    assert refused.exit_code == 0 and touchpoints(book)
    assert refused.stderr.endswith("[y/N]: \nNothing deleted.\n")
    assert (
        book.ok("touchpoint", "delete", "1", "--yes").stderr == "Deleted touchpoint 1 (call on 2026-11-02).\n"
    )
    assert touchpoints(book) == []
    assert book("touchpoint", "delete", "1", "--yes").exit_code == 1


def test_timeline_in_date_order(book):
    book.ok("account", "edit", "Acme", "--renewal", "2027-01-15")
    book.ok("touch", "Acme", "Kickoff", "-k", "meeting", "--when", "2026-09-01", "--with", "Ana Moreau")
    book.ok(
        "touch",
        "Acme",
        "Check-in",
        "--when",
        "2026-10-15",
        "--follow-up",
        "2026-10-20",
        "--follow-up-text",
        "Send deck",
    )
    book.ok("touch", "Acme", "Internal", "-k", "note", "--when", "2026-10-16")
    book.ok("follow-up", "done", "2")
    book.ok("touch", "Globex", "Not on Acme's timeline", "--when", "2026-10-01")
    events = json.loads(book.ok("timeline", "Acme", "-f", "json").stdout)
    assert [(e["date"], e["type"], e["summary"]) for e in events] == [
        ("2026-09-01", "meeting", "Kickoff"),
        ("2026-10-15", "call", "Check-in"),
        ("2026-10-16", "note", "Internal"),
        ("2026-11-23", "follow-up done", "Send deck"),
        ("2027-01-15", "renewal date", "contract renews"),
    ]
    assert events[0]["with"] == ["Ana Moreau"]
    since = json.loads(
        book.ok("timeline", "Acme", "-f", "json", "--since", "2026-10-16", "--until", "2026-12-31").stdout
    )
    assert [e["summary"] for e in since] == ["Internal", "Send deck"]
