"""One regression test per disagreement seen in issue 21 (part B); each failed on the old code."""

from __future__ import annotations

from tests.agreement.conftest import as_json, load
from tests.agreement.test_renewals_and_progress import brief_percent


def one_call_with_follow_up(cli, tmp_path, **follow_up) -> None:
    call = {"account": "Acme", "kind": "call", "occurred_at": "2026-11-01", "summary": "kickoff"}
    load(cli, tmp_path, "touchpoints", [{**call, **follow_up}])


def test_owner_filter_folds_non_ascii_in_every_command(cli, tmp_path):
    """`--owner "émile ðoe"` found the account in `account list` (casefold) but not in `today`,
    `health` or `onboard status` (SQLite's ASCII lower(), or an exact comparison)."""
    load(cli, tmp_path, "accounts", [{"name": "Acme", "owner": "ÉMILE Ðoe", "renewal_date": "2026-12-01"}])
    one_call_with_follow_up(cli, tmp_path, follow_up_date="2026-11-20")
    cli.ok("onboard", "start", "Acme", "--anchor", "2026-11-01")
    for owner in ("émile ðoe", "ÉMILE ÐOE"):
        assert [a["name"] for a in as_json(cli, "account", "list", "--owner", owner)] == ["Acme"]
        assert [a["account"] for a in as_json(cli, "health", "--owner", owner)] == ["Acme"]
        assert {i["account"] for i in as_json(cli, "today", "--owner", owner)} == {"Acme"}
        assert [a["account"] for a in as_json(cli, "onboard", "status", "--owner", owner)] == ["Acme"]
        assert [f["account"] for f in as_json(cli, "followup", "list", "--owner", owner)] == ["Acme"]
    load(cli, tmp_path, "accounts", [{"name": "Acme", "owner": "STRASSE"}])  # an import update
    assert [a["name"] for a in as_json(cli, "account", "list", "--owner", "straße")] == ["Acme"]
    cli.ok("account", "edit", "Acme", "--owner", "Dana Reyes")
    assert [
        a["name"] for a in as_json(cli, "renewals", "--owner", "dana  REYES")["buckets"][1]["renewals"]
    ] == ["Acme"]


def test_a_follow_up_done_after_as_of_is_open_in_today_and_brief(cli, tmp_path):
    """`followup list --as-of` counted a follow-up done after the date as open; `today` and
    `brief` did not."""
    load(cli, tmp_path, "accounts", [{"name": "Acme"}])
    one_call_with_follow_up(
        cli,
        tmp_path,
        follow_up_date="2026-11-05",
        follow_up_text="Send the recap",
        follow_up_done=True,
        follow_up_done_on="2026-11-20",
    )
    as_of = "2026-11-10"
    assert [f["text"] for f in as_json(cli, "followup", "list", as_of=as_of)] == ["Send the recap"]
    assert [i["kind"] for i in as_json(cli, "today", as_of=as_of)].count("follow_up") == 1
    assert "(overdue, 5 days ago): Send the recap" in cli.ok("brief", "Acme", as_of=as_of).stdout
    assert as_json(cli, "followup", "list") == []  # done by the real today


def test_progress_of_4_in_13_tasks_is_30_percent_in_status_and_brief(cli, tmp_path):
    """`onboard status` said 30 % and `brief` 31 % for 4 of 13 tasks."""
    load(cli, tmp_path, "accounts", [{"name": "Acme"}])
    cli.ok("onboard", "start", "Acme", "--anchor", "2026-11-01")
    for position in ("1", "2", "3"):
        cli.ok("onboard", "task", "done", "Acme", position)
    cli.ok("onboard", "task", "skip", "Acme", "4")
    (status,) = as_json(cli, "onboard", "status")
    assert (status["total"], status["progress"], brief_percent(cli, "Acme")) == (13, 30, 30)
