"""`csmctl playbook` and `csmctl onboard` as a user runs them, on a real SQLite file."""

from __future__ import annotations

import json
import textwrap

import pytest

MINI = """\
name: Mini onboarding
anchor: kickoff
phases:
  - name: Start
    tasks:
      - name: Kickoff call
        due: +0d
      - name: Admin training
        due: +2bd
        depends_on: [Kickoff call]
      - name: First value
        due: +1w
        first_value: true
        depends_on: Admin training
"""


@pytest.fixture
def acme(cli):
    cli.ok("account", "add", "Acme Corp")
    return cli


def status_json(cli, account, *extra, as_of=None):
    kwargs = {"as_of": as_of} if as_of else {}
    return json.loads(cli.ok("onboard", "status", account, "-f", "json", *extra, **kwargs).stdout)


# -- playbooks ------------------------------------------------------------------------------------


def test_playbook_list_shows_the_builtins(cli):
    result = cli.ok("playbook", "list", "-f", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "name,title,tasks,origin,path"
    assert lines[1].startswith("low-touch,Low-touch onboarding,6,built-in,")
    assert lines[2].startswith("standard,Standard B2B SaaS onboarding,13,built-in,")


def test_playbook_show_with_anchor_dates(cli):
    result = cli.ok("playbook", "show", "low-touch", "--anchor", "2026-11-20", "-f", "csv")
    assert result.stdout.splitlines()[:3] == [
        "position,phase,name,owner_role,offset,due,milestone,depends_on",
        "1,Start,Welcome email with setup guide,csm,+0d,2026-11-20,,",
        "2,Start,Research the customer,csm,+2bd,2026-11-24,,",  # Friday + 2 business days
    ]
    shown = json.loads(cli.ok("playbook", "show", "standard", "-f", "json").stdout)
    assert shown["title"] == "Standard B2B SaaS onboarding" and shown["origin"] == "built-in"
    assert [t["name"] for t in shown["tasks"] if t["first_value"]] == ["First value milestone"]


def test_copy_shadows_the_builtin_and_playbook_dir_shadows_both(cli, tmp_path):
    copied = cli.ok("playbook", "copy", "low-touch")
    target = tmp_path / "config" / "playbooks" / "low-touch.yaml"
    assert copied.stdout.strip() == str(target)
    target.write_text(target.read_text().replace("name: Low-touch onboarding", "name: Our low-touch"))
    assert "low-touch,Our low-touch,6,user," in cli.ok("playbook", "list", "-f", "csv").stdout
    again = cli("playbook", "copy", "low-touch")
    assert again.exit_code == 1
    assert again.stderr == f"Error: {target} already exists.\nUse --force to overwrite it.\n"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "low-touch.yaml").write_text(MINI)
    listed = cli.ok("playbook", "list", "--playbook-dir", str(mine), "-f", "csv").stdout
    assert "low-touch,Mini onboarding,3,'--playbook-dir," in listed  # CSV: a leading - is neutralised


def test_validate_lists_every_problem_and_exits_1(cli, tmp_path):
    bad = tmp_path / "playbook.yaml"
    bad.write_text(
        textwrap.dedent("""\
        name: Bad
        phases:
          - name: One
            tasks:
              - name: A
                due: +1x
                depends_on: [B]
              - name: B
                due: +2d
                depends_on: [A]
                colour: red
    """)
    )
    result = cli("playbook", "validate", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: Found 4 problems:",
        f"  {bad}, line 2, phases: no task is marked `first_value: true`; mark the milestone where the customer "
        "first gets value; time to value is measured to it",
        f"  {bad}, line 6, phases[0].tasks[0].due: invalid offset '+1x'. Use +30d, -2w, +3m, +1y "
        "or +5bd (business days).",
        f"  {bad}, line 7, phases[0].tasks[0].depends_on: depends_on forms a cycle: A -> B -> A; remove one of "
        "these dependencies",
        f"  {bad}, line 11, phases[0].tasks[1].colour: unknown field",
    ]
    good = tmp_path / "good.yaml"
    good.write_text(MINI)
    ok = cli.ok("playbook", "validate", str(good), "standard")
    assert f"{good}: valid (3 tasks; first value 'First value' at +1w)." in ok.stderr


def test_starting_an_invalid_playbook_changes_nothing(acme, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nphases: []\n")
    result = acme("onboard", "start", "acme", "--playbook", str(bad))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {bad}, line 2, phases: list should have at least 1 item after validation, not 0\n"
    )
    assert acme("onboard", "status", "acme").exit_code == 1


def test_unknown_playbook_lists_the_available_ones(acme):
    result = acme("onboard", "start", "acme", "--playbook", "enterprise")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No playbook named 'enterprise'.\n"
        "Available: low-touch, standard (see `csmctl playbook list`).\n"
    )


# -- start, status, tasks -------------------------------------------------------------------------


def test_start_is_a_snapshot_and_a_second_one_needs_force(acme, tmp_path):
    book = tmp_path / "mini.yaml"
    book.write_text(MINI)
    started = acme.ok("onboard", "start", "acme", "--playbook", str(book), "--anchor", "2026-11-20")
    assert started.stderr == (
        "Started mini for Acme Corp: 3 tasks from 2026-11-20; first value due 2026-11-27, "
        "last task 2026-11-27.\n"
    )
    book.write_text(MINI.replace("due: +1w", "due: +9w"))  # editing the file later changes nothing
    record = status_json(acme, "acme")
    assert [(t["name"], t["due"], t["depends_on"]) for t in record["tasks"]] == [
        ("Kickoff call", "2026-11-20", []),
        ("Admin training", "2026-11-24", [1]),
        ("First value", "2026-11-27", [2]),
    ]
    again = acme("onboard", "start", "acme", "--playbook", "standard")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: Acme Corp already has an active onboarding (mini, anchored 2026-11-20).\n"
        "Use --force to cancel it and start a new one, or `csmctl onboard status` to see it.\n"
    )
    acme.ok("onboard", "start", "acme", "--playbook", "standard", "--force")
    record = status_json(acme, "acme")
    assert (record["playbook"], record["total"], record["anchor"]) == ("standard", 13, "2026-11-23")


@pytest.mark.parametrize(
    ("as_of", "extra", "state", "idle"),
    [
        ("2026-11-02", (), "On Track", 0),  # day 0: the kickoff is due today, not overdue
        ("2026-11-03", (), "Behind", 1),  # the kickoff is a day late
        ("2026-11-15", (), "Behind", 13),
        ("2026-11-16", (), "Stuck", 14),  # 14 idle days with overdue work
        ("2026-11-16", ("--stuck-days", "15"), "Behind", 14),
    ],
)
def test_state_boundaries_under_as_of(acme, tmp_path, as_of, extra, state, idle):
    book = tmp_path / "mini.yaml"
    book.write_text(MINI)
    acme.ok("onboard", "start", "acme", "--playbook", str(book), "--anchor", "2026-11-02")
    record = status_json(acme, "acme", *extra, as_of=as_of)
    assert (record["state"], record["days_idle"]) == (state, idle)


def test_stuck_days_from_the_config(acme, tmp_path):
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text("[onboarding]\nstuck_days = 3\n")
    acme.ok("onboard", "start", "acme", "--playbook", "low-touch", "--anchor", "2026-11-02")
    assert status_json(acme, "acme", as_of="2026-11-04")["state"] == "Behind"
    assert status_json(acme, "acme", as_of="2026-11-05")["state"] == "Stuck"
    (tmp_path / "config" / "config.toml").write_text('[onboarding]\nstuck_days = "soon"\n')
    result = acme("onboard", "status")
    assert result.exit_code == 1
    assert "config.toml, line 2, onboarding.stuck_days: " in result.stderr


def test_task_done_skip_reopen_and_completion(acme, tmp_path):
    book = tmp_path / "mini.yaml"
    book.write_text(MINI)
    acme.ok("onboard", "start", "acme", "--playbook", str(book), "--anchor", "2026-11-02")
    done = acme.ok("onboard", "task", "done", "acme", "1", "--date", "2026-11-03", "--note", "went well")
    assert done.stderr == "Acme Corp: task 1 'Kickoff call' done on 2026-11-03. Now 33% done, Stuck.\n"
    unknown = acme("onboard", "task", "done", "acme", "zz")
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "Error: No task matches 'zz'.\nSee the tasks with `csmctl onboard status ACCOUNT`.\n",
    )
    skipped = acme.ok("onboard", "task", "skip", "acme", "admin")
    assert (
        skipped.stderr == "Acme Corp: task 2 'Admin training' skipped on 2026-11-23. Now 66% done, Behind.\n"
    )
    future = acme("onboard", "task", "done", "acme", "first", "--date", "2026-12-01")
    assert (future.exit_code, future.stderr) == (
        1,
        "Error: --date 2026-12-01 is in the future (today is 2026-11-23).\nRecord tasks when they happen.\n",
    )
    acme.ok("onboard", "task", "done", "acme", "first value", "--date", "2026-11-12")
    record = status_json(acme, "acme")
    assert (record["state"], record["status"], record["completed_on"], record["progress"]) == (
        "Done",
        "done",
        "2026-11-23",
        100,
    )
    assert record["tasks"][0]["notes"] == "2026-11-03: went well"
    acme.ok("onboard", "task", "reopen", "acme", "2")
    record = status_json(acme, "acme")
    assert (record["status"], record["completed_on"], record["tasks"][1]["status"]) == (
        "active",
        None,
        "overdue",
    )
    again = acme("onboard", "task", "reopen", "acme", "2")
    # A repeat is not an error (one rule for every state change): it says so, changes nothing.
    assert again.exit_code == 0
    assert again.stderr.startswith("Acme Corp: task 2 'Admin training' was already open; nothing changed.")
    missing = acme("onboard", "task", "done", "acme", "9")
    assert missing.stderr == "Error: No task number 9.\nTasks are numbered 1 to 3.\n"


def test_ambiguous_task_prefix_lists_candidates(acme):
    acme.ok("onboard", "start", "acme", "--playbook", "standard", "--anchor", "2026-11-02")
    result = acme("onboard", "task", "done", "acme", "i")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'i' matches 2 tasks: 5 Implementation plan agreed, 8 Integrations connected.\n"
        "Use more of the name, or the task number.\n"
    )


def test_a_number_that_is_no_task_number_can_start_a_name(acme):
    acme.ok("onboard", "start", "acme", "--playbook", "standard", "--anchor", "2026-11-02")
    done = acme.ok("onboard", "task", "done", "acme", "60")
    assert done.stderr == (
        "warning: It depends on open task(s): 10 30-day check-in.\n"
        "Acme Corp: task 11 '60-day check-in' done on 2026-11-23. Now 7% done, Behind.\n"
    )
    acme.ok("onboard", "task", "done", "acme", "#9")  # '#' always means a number
    assert acme("onboard", "task", "done", "acme", "#61").stderr == (
        "Error: No task number 61.\nTasks are numbered 1 to 13.\n"
    )


def test_reanchor_moves_open_tasks_only(acme):
    acme.ok("onboard", "start", "acme", "--playbook", "standard", "--anchor", "2026-10-30")  # a Friday
    acme.ok("onboard", "task", "done", "acme", "1", "--date", "2026-11-02")
    acme.ok("onboard", "task", "skip", "acme", "welcome")
    acme.ok("onboard", "add-task", "acme", "Security review", "--due", "2026-11-10", "--after", "1")
    before = {t["name"]: t for t in status_json(acme, "acme")["tasks"]}
    moved = acme.ok("onboard", "reanchor", "acme", "2026-11-02")
    assert moved.stderr == (
        "Acme Corp: anchor moved from 2026-10-30 to 2026-11-02; 12 open tasks re-dated, "
        "done and skipped tasks kept.\n"
    )
    after = {t["name"]: t for t in status_json(acme, "acme")["tasks"]}
    for name in ("Sales-to-CS handoff", "Welcome email and kickoff invitation"):
        assert after[name] == before[name]
    assert before["Research the customer"]["due"] == "2026-11-04"  # Fri + 3 business days
    assert after["Research the customer"]["due"] == "2026-11-05"  # Mon + 3 business days
    assert after["30-day check-in"]["due"] == "2026-12-02"  # +1m, was 2026-11-30
    assert after["Security review"]["due"] == "2026-11-13"  # one-off: moved by the same 3 days
    assert after["Security review"]["depends_on"] == [1]


def test_add_task_rejects_a_duplicate_name(acme):
    acme.ok("onboard", "start", "acme", "--playbook", "low-touch")
    result = acme("onboard", "add-task", "acme", "group training session", "--due", "+3d")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: The checklist already has a task named 'group training session'.\nPick another name.\n",
    )


def test_add_task_refuses_an_empty_owner_role(acme):
    """`--owner-role ""` used to store a task with no owner role (found by mypy)."""
    acme.ok("onboard", "start", "acme", "--playbook", "low-touch")
    result = acme("onboard", "add-task", "acme", "Security review", "--due", "+3d", "--owner-role", "")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, "Error: owner role is required.")
    tasks = json.loads(acme.ok("onboard", "status", "acme", "-f", "json").stdout)
    assert "Security review" not in json.dumps(tasks)


def test_no_checklist_says_how_to_start_one(acme):
    result = acme("onboard", "task", "done", "acme", "1")
    assert result.stderr == (
        "Error: Acme Corp has no onboarding checklist.\n"
        'Start one with `csmctl onboard start "Acme Corp" --playbook standard`.\n'
    )


# -- time to value and the demo --------------------------------------------------------------------


def test_ttv_median_and_p75(cli):
    for name, anchor, done in (
        ("A", "2026-09-01", "2026-10-01"),
        ("B", "2026-09-10", "2026-09-30"),
        ("C", "2026-10-05", "2026-11-14"),
        ("D", "2026-10-06", None),
    ):
        cli.ok("account", "add", name)
        cli.ok("onboard", "start", name, "--playbook", "low-touch", "--anchor", anchor)
        if done:
            cli.ok("onboard", "task", "done", name, "first value", "--date", done)
    result = json.loads(cli.ok("onboard", "ttv", "-f", "json").stdout)
    assert [(r["account"], r["ttv_days"], r["status"]) for r in result["accounts"]] == [
        ("A", 30, "reached"),
        ("B", 20, "reached"),
        ("C", 40, "reached"),
        ("D", None, "pending"),
    ]
    assert result["by_playbook"] == [
        {"group": "low-touch", "count": 3, "median_days": 30.0, "p75_days": 35.0}
    ]
    assert result["by_cohort"] == [
        {"group": "2026-09", "count": 2, "median_days": 25.0, "p75_days": 27.5},
        {"group": "2026-10", "count": 1, "median_days": 40.0, "p75_days": 40.0},
    ]
    csv_out = cli.ok("onboard", "ttv", "--by", "cohort", "-f", "csv").stdout
    assert csv_out == "group,count,median_days,p75_days\n2026-09,2,25.0,27.5\n2026-10,1,40.0,40.0\n"
    refused = cli("onboard", "ttv", "-f", "csv")
    assert refused.exit_code == 1


def test_portfolio_table_on_the_demo(demo_cli):
    assert demo_cli.ok("onboard", "status").stdout.splitlines() == [
        "ACCOUNT              PLAYBOOK   ANCHOR      DONE  STATE     OVERDUE  NEXT                                 IDLE",
        "Humongous Insurance  standard   2026-11-07   46%  On Track           Admin training (2026-11-28)            2d",
        "Nod Publishers       standard   2026-10-02   53%  Stuck           3  Integrations connected (2026-10-30)   31d",
        "Southridge Video     standard   2026-10-28   46%  Behind          1  Admin training (2026-11-18)           11d",
        "Yokohama Precision   low-touch  2026-11-14   50%  On Track           Group training session (2026-11-24)    2d",
    ]


def test_demo_has_an_onboarding_in_each_state(demo_cli):
    records = json.loads(demo_cli.ok("onboard", "status", "--all", "-f", "json").stdout)
    assert {r["state"] for r in records} == {"On Track", "Behind", "Stuck", "Done"}
    stuck = demo_cli.ok("onboard", "status", "--state", "stuck", "-f", "csv").stdout.splitlines()
    assert len(stuck) == 2 and ",Stuck," in stuck[1]
    ttv = json.loads(demo_cli.ok("onboard", "ttv", "-f", "json").stdout)
    assert {s["group"] for s in ttv["by_playbook"]} == {"standard", "low-touch"}
