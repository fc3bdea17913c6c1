"""Issue 21 part D: one behaviour for one situation (repeats, prompts, dry runs, duplicates)."""

from __future__ import annotations

import json
import subprocess

import pytest


def run(bin_, *args, env, input=None):
    return subprocess.run([bin_, *args], capture_output=True, text=True, env=env, input=input, timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("answer", ["n\n", ""], ids=["no", "end-of-input"])
def test_declined_prompt_on_piped_stdin_ends_the_line_and_exits_0(
    csmctl_bin, subprocess_env, tmp_path, answer
):
    db = str(tmp_path / "book.db")
    assert run(csmctl_bin, "--db", db, "account", "add", "Acme", env=subprocess_env).returncode == 0
    logged = run(csmctl_bin, "--db", db, "touch", "Acme", "Call", env=subprocess_env)
    assert logged.returncode == 0, logged.stderr
    for args, question, declined in (
        (["touchpoint", "delete", "1"], "Delete touchpoint 1", "Nothing deleted."),
        (["account", "delete", "Acme"], "Delete Acme (id 1) with 1 touchpoints", "Nothing deleted."),
    ):
        result = run(csmctl_bin, "--db", db, *args, env=subprocess_env, input=answer)
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(question)
        assert result.stderr.endswith(f"[y/N]: \n{declined}\n")
        assert result.stdout == ""  # the prompt never leaks into the data stream
    listed = run(csmctl_bin, "--db", db, "touchpoint", "list", "-f", "json", env=subprocess_env)
    assert len(json.loads(listed.stdout)) == 1


def test_contact_remove_declined_exits_0(cli):
    cli.ok("account", "add", "Acme")
    cli.ok("contact", "add", "Acme", "Ana Moreau")
    declined = cli("contact", "remove", "Ana Moreau", input="n\n")
    assert declined.exit_code == 0 and declined.stderr.endswith("Nothing removed.\n")
    assert len(json.loads(cli.ok("contact", "list", "-f", "json").stdout)) == 1


def test_contact_add_twice_is_refused(cli):
    cli.ok("account", "add", "Acme")
    cli.ok("contact", "add", "Acme", "Ana Moreau", "--email", "ana@acme.example")
    again = cli("contact", "add", "Acme", "ana moreau")
    assert (again.exit_code, again.stderr) == (
        1,
        "Error: Acme already has a contact with this name: Ana Moreau (id 1).\n"
        "Change it with `csmctl contact edit 1 ...`; two people who share a name need different --email.\n",
    )
    same_email = cli("contact", "add", "Acme", "Ana M.", "--email", "ANA@acme.example")
    assert same_email.exit_code == 1 and "with this email: Ana Moreau (id 1)" in same_email.stderr
    # Two people who share a name are told apart by their email.
    cli.ok("contact", "add", "Acme", "Ana Moreau", "--email", "ana.m@acme.example")
    assert len(json.loads(cli.ok("contact", "list", "-f", "json").stdout)) == 2
    # The same name at another account is another person.
    cli.ok("account", "add", "Globex")
    cli.ok("contact", "add", "Globex", "Ana Moreau")


def test_contact_edit_says_what_changed(cli):
    cli.ok("account", "add", "Acme")
    cli.ok("contact", "add", "Acme", "Ana Moreau")
    assert cli.ok("contact", "edit", "Ana Moreau", "--role", "CFO").stderr == "Updated Ana Moreau: role.\n"
    assert cli.ok("contact", "edit", "Ana Moreau", "--role", "CFO").stderr == "No change to Ana Moreau.\n"


def test_onboarding_task_repeats_say_already(cli):
    cli.ok("account", "add", "Acme")
    cli.ok("onboard", "start", "Acme", "--anchor", "2026-11-01")
    first = cli.ok("onboard", "task", "done", "Acme", "1", "--date", "2026-11-02")
    assert "task 1" in first.stderr and "done on 2026-11-02" in first.stderr
    again = cli("onboard", "task", "done", "Acme", "1", "--note", "again")
    assert again.exit_code == 0
    assert (
        again.stderr.startswith("Acme: task 1 ")
        and "was already done on 2026-11-02; nothing changed." in again.stderr
    )
    status = json.loads(cli.ok("onboard", "status", "Acme", "-f", "json").stdout)
    task = status["tasks"][0]
    assert (task["done_on"], task["notes"]) == ("2026-11-02", None)
    reopen = cli("onboard", "task", "reopen", "Acme", "2")
    assert reopen.exit_code == 0 and "was already open; nothing changed." in reopen.stderr


LONG = "Renewal call with Ana about the pricing change, the new seats and the Lyon team's training plan."


def test_piped_timeline_and_lists_carry_the_whole_summary(cli):
    cli.ok("account", "add", "Acme")
    cli.ok("touch", "Acme", LONG, "--when", "2026-11-20", "--follow-up", "2026-11-21")
    for args in (["timeline", "Acme"], ["touchpoint", "list"], ["today"]):
        out = cli.ok(*args).stdout
        assert "…" not in out and "..." not in out, args
    assert LONG in cli.ok("timeline", "Acme").stdout
    [item] = json.loads(cli.ok("today", "-f", "json").stdout)
    assert item["why"].endswith(LONG)


def test_import_dry_run_creates_no_book(tmp_path):
    from typer.testing import CliRunner

    from csmctl.cli.app import app

    data = tmp_path / "accounts.csv"
    data.write_text("name,owner\nAcme,Dana Reyes\nGlobex,Kim\n")
    book = tmp_path / "new" / "book.db"
    result = CliRunner().invoke(
        app, ["--db", str(book), "import", "accounts", str(data), "--dry-run"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert "Would import" in result.stderr and "2 created" in result.stderr
    assert not book.parent.exists()  # not the file, not its folder


def test_account_tags_add_remove_and_set(cli):
    def tags():
        return json.loads(cli.ok("account", "show", "Acme", "-f", "json").stdout)["tags"]

    cli.ok("account", "add", "Acme", "--tag", "exec", "--tag", "renewal-risk")
    cli.ok("account", "edit", "Acme", "--add-tag", "Upsell")
    assert tags() == ["exec", "renewal-risk", "upsell"]
    cli.ok("account", "edit", "Acme", "--remove-tag", "renewal-risk", "--add-tag", "emea")
    assert tags() == ["emea", "exec", "upsell"]
    cli.ok("account", "edit", "Acme", "--tag", "only")  # --tag sets
    assert tags() == ["only"]
    both = cli("account", "edit", "Acme", "--tag", "x", "--add-tag", "y")
    assert both.exit_code == 1 and both.stderr.startswith("Error: --tag sets the tags;")
    assert tags() == ["only"]


def test_touchpoint_edit_no_follow_up_forgets_text_and_done_state(cli):
    cli.ok("account", "add", "Acme")
    cli.ok(
        "touch",
        "Acme",
        "Call",
        "--when",
        "2026-11-20",
        "--follow-up",
        "2026-11-22",
        "--follow-up-text",
        "Send",
    )
    cli.ok("follow-up", "done", "1")
    edited = cli.ok("touchpoint", "edit", "1", "--no-follow-up")
    assert edited.stderr.startswith("Updated touchpoint 1: ")
    [record] = json.loads(cli.ok("touchpoint", "list", "-f", "json").stdout)
    assert [
        record[k] for k in ("follow_up_date", "follow_up_text", "follow_up_done", "follow_up_done_on")
    ] == [
        None,
        None,
        False,
        None,
    ]
    cli.ok("touchpoint", "edit", "1", "--follow-up", "2026-11-30")
    assert [r["id"] for r in json.loads(cli.ok("follow-up", "list", "--all", "-f", "json").stdout)] == [1]
