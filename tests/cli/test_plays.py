"""`csmctl play ...` on real books, both backends: each built-in play against a book built for it,
idempotence, episodes, --as-of replays, located errors, cron behaviour and `today`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

BUILT_INS = [
    "champion-silent",
    "detractor-follow-up",
    "health-drop",
    "health-drop-risk",
    "notice-deadline",
    "onboarding-stuck",
    "renewal-no-contact",
]


def enable(tmp_path, *names: str) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    listed = ", ".join(f'"{n}"' for n in names)
    (config / "config.toml").write_text(f"[plays]\nenabled = [{listed}]\n", encoding="utf-8")


def fired(cli, *args, as_of="2026-11-23"):
    result = cli.ok("play", "run", "-f", "json", *args, as_of=as_of)
    return sorted((r["play"], r["account"]) for r in json.loads(result.stdout))


def user_play(tmp_path, name: str, text: str) -> None:
    """A play of the user's own, in the config dir's plays/ folder."""
    plays = tmp_path / "config" / "plays"
    plays.mkdir(parents=True, exist_ok=True)
    (plays / f"{name}.yaml").write_text(text, encoding="utf-8")


def _snapshot(target, account: str, day: str, score: int) -> None:
    """A past health snapshot (as `health snapshot` wrote it that day)."""
    from sqlmodel import select

    from csmctl.store.database import Database
    from csmctl.store.models import Account, HealthSnapshot

    db = Database(str(target))
    with db.write() as s:
        account_id = s.exec(select(Account).where(Account.name == account)).one().id
        s.add(HealthSnapshot(account_id=account_id, date=date.fromisoformat(day), score=score, band="green"))
    db.dispose()


@pytest.fixture
def book(cli):
    """As of 2026-11-23, one account per built-in play, and one near miss each."""
    add = lambda name, *opts: cli.ok("account", "add", name, "--tier", "smb", "--renewal", "+300d", *opts)  # noqa: E731
    add("Detractor Co", "--nps", "-30")
    add("Fan Co", "--nps", "50")
    add("Renew Silent", "--renewal", "+60d")
    add("Renew Talked", "--renewal", "+60d")
    cli.ok("touch", "Renew Talked", "Renewal chat", "--when", "2026-11-22")
    add("Notice Co", "--renewal", "+40d", "--notice-days", "30")
    add("Notice Later", "--renewal", "+150d", "--notice-days", "120")
    add("Stuck Co")
    cli.ok("onboard", "start", "Stuck Co", "--anchor", "2026-08-01")
    add("Champ Quiet")
    cli.ok("contact", "add", "Champ Quiet", "Quinn", "--champion")
    cli.ok("touch", "Champ Quiet", "Check-in", "--with", "Quinn", "--when", "2026-08-25")
    cli.ok("touch", "Champ Quiet", "Email to someone else", "--when", "2026-11-20")
    add("Champ Loud")
    cli.ok("contact", "add", "Champ Loud", "Lou", "--champion")
    cli.ok("touch", "Champ Loud", "Call", "--with", "Lou", "--when", "2026-11-13")
    add("Falling Co", "--nps", "-100", "--csat", "0")
    _snapshot(cli.db_path, "Falling Co", "2026-11-05", 95)
    return cli


EXPECTED = {
    "champion-silent": [("champion-silent", "Champ Quiet")],
    "detractor-follow-up": [("detractor-follow-up", "Detractor Co"), ("detractor-follow-up", "Falling Co")],
    "health-drop": [("health-drop", "Falling Co")],
    "health-drop-risk": [("health-drop-risk", "Falling Co")],
    "notice-deadline": [("notice-deadline", "Notice Co")],
    "onboarding-stuck": [("onboarding-stuck", "Stuck Co")],
    "renewal-no-contact": [("renewal-no-contact", "Notice Co"), ("renewal-no-contact", "Renew Silent")],
}


@pytest.mark.parametrize("play", BUILT_INS)
def test_each_built_in_play_fires_on_its_book(book, play):
    assert fired(book, "--play", play, "--dry-run") == EXPECTED[play]
    assert fired(book, "--play", play) == EXPECTED[play]


def test_plays_are_off_until_enabled(book, tmp_path):
    assert book.ok("play", "run", "-f", "json").stdout.strip() == "[]"
    listed = json.loads(book.ok("play", "list", "-f", "json").stdout)
    assert [(p["name"], p["enabled"], p["origin"]) for p in listed] == [
        (n, False, "built-in") for n in BUILT_INS
    ]
    enable(tmp_path, "health-drop", "champion-silent")
    assert fired(book) == EXPECTED["champion-silent"] + EXPECTED["health-drop"]


def test_run_twice_is_run_once(book, tmp_path):
    enable(tmp_path, *BUILT_INS)
    first = fired(book)
    assert len(first) == 9
    timeline = book.ok("follow-up", "list", "--all", "-f", "json").stdout
    risks = book.ok("risk", "list", "-f", "json").stdout
    assert [r["account"] for r in json.loads(risks)] == ["Falling Co"]  # health-drop-risk's
    assert fired(book) == []
    assert fired(book, as_of="2026-11-24") == []  # still the same episodes the next day
    assert book.ok("follow-up", "list", "--all", "-f", "json").stdout == timeline
    assert book.ok("risk", "list", "-f", "json").stdout == risks
    assert len(json.loads(book.ok("play", "history", "-f", "json").stdout)) == 9


def test_a_condition_episode_ends_and_a_new_one_fires_again(book):
    run = lambda day: fired(book, "--play", "detractor-follow-up", as_of=day)  # noqa: E731
    assert ("detractor-follow-up", "Detractor Co") in run("2026-11-23")
    book.ok("account", "edit", "Detractor Co", "--nps", "40")
    assert run("2026-11-30") == []  # recovered: the episode ends
    assert run("2026-12-01") == []
    book.ok("account", "edit", "Detractor Co", "--nps", "-10")
    assert run("2026-12-07") == [("detractor-follow-up", "Detractor Co")]  # a new episode
    rows = json.loads(book.ok("play", "history", "Detractor Co", "-f", "json", as_of="2026-12-07").stdout)
    assert [(r["fired_on"], r["ended_on"], r["why"]) for r in rows] == [
        ("2026-12-07", None, "nps = -10"),
        ("2026-11-23", "2026-11-30", "nps = -30"),
    ]


def test_a_renewal_episode_fires_once_per_renewal_date(book):
    run = lambda day: fired(book, "--play", "renewal-no-contact", as_of=day)  # noqa: E731
    assert ("renewal-no-contact", "Renew Silent") in run("2026-11-23")
    assert run("2026-12-20") == []  # same renewal date, still silent: no second firing
    book.ok("account", "edit", "Renew Silent", "--renewal", "2027-01-30")
    assert ("renewal-no-contact", "Renew Silent") in run("2026-12-21")


def test_as_of_replays_the_facts_of_that_day(book):
    # On 2026-11-10 Quinn's last call (2026-08-25) was 77 days back, and Lou had not been called.
    assert fired(book, "--play", "champion-silent", "--dry-run", as_of="2026-11-10") == [
        ("champion-silent", "Champ Loud"),
        ("champion-silent", "Champ Quiet"),
    ]
    # On 2026-09-01 Quinn had been called a week before; Lou never (contacts have no history).
    assert fired(book, "--play", "champion-silent", "--dry-run", as_of="2026-09-01") == [
        ("champion-silent", "Champ Loud")
    ]


def test_dry_run_writes_nothing(book):
    before = book.ok("follow-up", "list", "--all", "-f", "json").stdout
    assert fired(book, "--play", "detractor-follow-up", "--dry-run")
    assert book.ok("follow-up", "list", "--all", "-f", "json").stdout == before
    assert book.ok("play", "history", "-f", "json").stdout.strip() == "[]"


def test_fail_on_fired_exits_3_then_0(book, tmp_path):
    enable(tmp_path, "onboarding-stuck")
    result = book("play", "run", "--fail-on", "fired")
    assert result.exit_code == 3
    assert result.stdout == ""  # silent off a terminal: cron mails only what matters
    assert "Found 1 fired (--fail-on fired)." in result.stderr
    assert book("play", "run", "--fail-on", "fired").exit_code == 0
    assert book("play", "run", "--fail-on", "everything").exit_code == 2


def test_follow_ups_carry_the_play_into_today_and_stats(book):
    fired(book, "--play", "onboarding-stuck")
    rows = json.loads(book.ok("today", "-f", "json", as_of="2026-11-25").stdout)
    mine = [r for r in rows if r["why"].startswith("play onboarding-stuck: ")]
    assert [r["account"] for r in mine] == ["Stuck Co"]
    assert mine[0]["why"].startswith("play onboarding-stuck: follow-up 1 day overdue: Unblock the onboarding")
    book.ok("follow-up", "done", str(mine[0]["ref"]), as_of="2026-11-25")
    stats = json.loads(book.ok("play", "stats", "-f", "json", as_of="2026-11-25").stdout)
    assert stats == [
        {"play": "onboarding-stuck", "fired": 1, "risks": 0, "follow_ups": 1, "done": 1, "acted_on": 100}
    ]
    history = json.loads(book.ok("play", "history", "-f", "json", as_of="2026-11-25").stdout)
    assert history[0]["follow_up"] == "done"


def test_a_users_play_tags_sets_the_stage_and_starts_a_playbook(book, tmp_path):
    user_play(
        tmp_path,
        "rescue",
        "title: Rescue\n"
        "when: nps < 0 and not tag.rescued\n"
        "episode: once\n"
        "actions:\n"
        "  - add_tag: [rescued, at-risk]\n"
        "  - set_stage: at-risk\n"
        "  - start_playbook: low-touch\n",
    )
    assert fired(book, "--play", "rescue") == [("rescue", "Detractor Co"), ("rescue", "Falling Co")]
    account = json.loads(book.ok("account", "show", "Detractor Co", "-f", "json").stdout)
    assert account["stage"] == "at-risk" and account["tags"] == ["at-risk", "rescued"]
    status = book.ok("onboard", "status", "Detractor Co").stdout
    assert "low-touch" in status.lower() or "Low-touch" in status
    assert fired(book, "--play", "rescue") == []


def test_each_firing_names_the_follow_ups_it_wrote(book, tmp_path):
    """Follow-ups are inserted in bulk and their ids read back (SQLite cannot return them in
    order from one batched insert): each firing's `follow-up #N` is its own account's touchpoint
    with that action's text, for several accounts and two follow-ups per firing."""
    user_play(
        tmp_path,
        "two-calls",
        "title: Two calls\n"
        "when: renewal.days <= 400\n"
        "actions:\n"
        "  - follow_up: {text: First call, due: +1d}\n"
        "  - follow_up: {text: Second call, due: +5d}\n",
    )
    runs = json.loads(book.ok("play", "run", "--play", "two-calls", "-f", "json", as_of="2026-11-23").stdout)
    assert len(runs) == 10
    follow_ups = json.loads(book.ok("follow-up", "list", "--all", "-f", "json").stdout)
    by_id = {f["id"]: (f["account"], f["text"], f["due"]) for f in follow_ups}
    for run in runs:
        first, second = (int(a.split()[1].lstrip("#")) for a in run["actions"])
        assert by_id[first] == (run["account"], "First call", "2026-11-24")
        assert by_id[second] == (run["account"], "Second call", "2026-11-28")
        assert run["follow_up_id"] == second


def _risk_play(tmp_path, reason="Adoption/Low Usage") -> None:
    user_play(
        tmp_path,
        "usage-risk",
        "title: Usage risk\n"
        "when: nps < 0\n"
        "actions:\n"
        f"  - open_risk: {{reason: {reason}, severity: High, note: Detractors say it is unused}}\n",
    )


def _risks(cli, as_of="2026-11-23"):
    rows = json.loads(cli.ok("risk", "list", "-f", "json", as_of=as_of).stdout)
    return sorted((r["account"], r["reason"], r["severity"], r["stage"]) for r in rows)


def test_a_play_opens_a_risk_once_per_episode_and_never_a_second_open_one(book, tmp_path):
    _risk_play(tmp_path)
    book.ok("risk", "open", "Falling Co", "--reason", "adoption")  # already tracked by hand
    dry = json.loads(book.ok("play", "run", "--play", "usage-risk", "--dry-run", "-f", "json").stdout)
    assert [r["actions"] for r in dry] == [["risk adoption/low-usage (high)"]] * 2
    assert _risks(book) == [("Falling Co", "adoption", "medium", "at-risk")]  # dry run wrote nothing
    run = json.loads(book.ok("play", "run", "--play", "usage-risk", "-f", "json").stdout)
    did = {r["account"]: r["actions"] for r in run}
    assert did["Detractor Co"][0].startswith("risk #") and did["Detractor Co"][0].endswith(
        " adoption/low-usage (high)"
    )
    assert did["Falling Co"][0].startswith("risk adoption/low-usage (skipped: risk #")
    assert _risks(book) == [
        ("Detractor Co", "adoption/low-usage", "high", "at-risk"),
        ("Falling Co", "adoption", "medium", "at-risk"),
    ]
    note = json.loads(book.ok("risk", "list", "-f", "json").stdout)
    assert [r["note"] for r in note if r["account"] == "Detractor Co"] == [
        "Play usage-risk: nps = -30. Detractors say it is unused"
    ]
    assert fired(book, "--play", "usage-risk") == []  # the same episode: nothing more
    # The episode ends and starts again while the risk is still open: no second risk.
    book.ok("account", "edit", "Detractor Co", "--nps", "40")
    fired(book, "--play", "usage-risk", as_of="2026-11-30")
    book.ok("account", "edit", "Detractor Co", "--nps", "-10")
    again = json.loads(
        book.ok("play", "run", "--play", "usage-risk", "-f", "json", as_of="2026-12-01").stdout
    )
    assert [r["actions"][0].split(" (")[1][:13] for r in again] == ["skipped: risk"]
    assert len(_risks(book, "2026-12-01")) == 2
    stats = json.loads(book.ok("play", "stats", "-f", "json", as_of="2026-12-01").stdout)
    assert [(s["play"], s["fired"], s["risks"]) for s in stats] == [("usage-risk", 3, 1)]
    history = book.ok("play", "history", "Detractor Co", as_of="2026-12-01").stdout
    assert "adoption/low-usage (high)" in history and "skipped: risk #" in history


def test_a_risk_reason_comes_from_the_settings_taxonomy(book, tmp_path):
    _risk_play(tmp_path, reason="adopshun")
    result = book("play", "validate", "usage-risk")
    assert result.exit_code == 1
    assert "line 4, actions[0].open_risk.reason: unknown risk reason 'adopshun'. Use one of: product-fit" in (
        result.stderr
    )
    (tmp_path / "config" / "config.toml").write_text(
        '[risk.reasons.adopshun]\nlabel = "Adoption, spelt our way"\ncontrollable = true\n', encoding="utf-8"
    )
    book.ok("play", "validate", "usage-risk")
    assert fired(book, "--play", "usage-risk") == [
        ("usage-risk", "Detractor Co"),
        ("usage-risk", "Falling Co"),
    ]
    assert {r[1] for r in _risks(book)} == {"adopshun"}


def test_a_bad_play_is_located(book, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "title: Bad\nwhen: helth.band == red and nps < 0\nactions:\n  - follow_up: {text: x, due: soon}\n",
        encoding="utf-8",
    )
    result = book("play", "validate", str(bad))
    assert result.exit_code == 1
    assert (
        f"{bad}, line 2, when: at column 1 of the condition: unknown fact 'helth.band'; facts: health.score"
        in result.stderr
    )
    assert f"{bad}, line 4, actions[0].follow_up.due: due is an offset from the run's date" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_enabled_play_that_does_not_exist_names_the_config(book, tmp_path):
    enable(tmp_path, "health-dorp")
    result = book("play", "run")
    assert result.exit_code == 1
    assert "No play named 'health-dorp' (from [plays] enabled in" in result.stderr
    assert "Available: champion-silent, detractor-follow-up" in result.stderr


def test_show_and_copy(book, tmp_path):
    shown = json.loads(book.ok("play", "show", "champion-silent", "-f", "json").stdout)
    assert shown["when"] == "champion.days_since > 60d" and shown["enabled"] is False
    target = book.ok("play", "copy", "champion-silent").stdout.strip()
    assert target == str(tmp_path / "config" / "plays" / "champion-silent.yaml")
    assert book.ok("play", "validate", target).exit_code == 0
    listed = {p["name"]: p["origin"] for p in json.loads(book.ok("play", "list", "-f", "json").stdout)}
    assert listed["champion-silent"] == "user"


@pytest.mark.sqlite_only
def test_an_overlapping_run_exits_4(book, tmp_path):
    from csmctl.locks import run_lock

    enable(tmp_path, "detractor-follow-up")
    with run_lock(tmp_path / "book.db.report.lock"):
        result = book("play", "run")
    assert result.exit_code == 4
    assert "Another play run holds the lock" in result.stderr
    assert fired(book) != []  # nothing was written by the refused run


def test_when_a_follow_up_is_due_it_is_never_before_the_run(book, tmp_path):
    fired(book, "--play", "health-drop")
    follow_ups = json.loads(book.ok("follow-up", "list", "--all", "-f", "json").stdout)
    assert [(f["account"], f["due"]) for f in follow_ups] == [("Falling Co", "2026-11-25")]
    assert datetime.now(UTC)  # the run date is --as-of, never the clock


@pytest.mark.sqlite_only
def test_the_readme_crontab_line_works_as_written(book, csmctl_bin, tmp_path):
    """The README's plays crontab line, paths swapped, run by /bin/sh under `env -i`."""
    import subprocess
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    command = next(x for x in readme.splitlines() if x.startswith("0 7 * * * ")).split(None, 5)[5]
    for old, new in [
        ("/home/dana/.local/share/csmctl/csmctl.db", str(book.db_path)),
        ("/home/dana/csmctl/.venv/bin/csmctl", csmctl_bin),
        ("/home/dana/reports", str(tmp_path)),
    ]:
        assert old in command
        command = command.replace(old, new)
    enable(tmp_path, "onboarding-stuck")
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "mail").write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/mailed\ncat > {tmp_path}/body\n')
    (stub / "mail").chmod(0o755)
    env = ["env", "-i", f"PATH={stub}:/usr/bin:/bin", "CSMCTL_AS_OF=2026-11-23"]
    env.append(f"CSMCTL_CONFIG_DIR={tmp_path / 'config'}")
    run = subprocess.run(
        [*env, "sh", "-c", command], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert (run.returncode, run.stdout) == (0, "")
    assert (tmp_path / "mailed").read_text() == "-s Plays fired dana@example.com\n"
    assert [r["account"] for r in json.loads((tmp_path / "body").read_text())] == ["Stuck Co"]
    (tmp_path / "mailed").unlink()
    again = subprocess.run(
        [*env, "sh", "-c", command], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert not (tmp_path / "mailed").exists()  # nothing new fired: no mail


@pytest.mark.sqlite_only
def test_a_play_others_can_write_is_refused(book, tmp_path):
    plays = tmp_path / "config" / "plays"
    plays.mkdir(parents=True)
    planted = plays / "planted.yaml"
    planted.write_text("title: Planted\nwhen: nps < 0\nactions:\n  - set_stage: churned\n", encoding="utf-8")
    planted.chmod(0o666)
    result = book("play", "run", "--play", "planted")
    assert result.exit_code == 1
    assert f"Refusing the play {planted}" in result.stderr
    assert json.loads(book.ok("account", "show", "Detractor Co", "-f", "json").stdout)["stage"] != "churned"


def test_the_readmes_own_play_is_valid_and_fires(book, tmp_path):
    """The README's "A play of your own" example (every action kind, open_risk included)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("A play of your own:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "rescue.yaml"
    path.write_text(block, encoding="utf-8")
    book.ok("play", "validate", str(path))
    run = json.loads(book.ok("play", "run", "--play", str(path), "-f", "json").stdout)
    assert {"Detractor Co", "Falling Co"} <= {r["account"] for r in run}  # (red health fires too)
    assert all(any(a.startswith("risk #") for a in r["actions"]) for r in run)


def test_the_latest_contact_with_any_champion_counts(book):
    book.ok("contact", "add", "Champ Quiet", "Quentin", "--champion")
    book.ok("touch", "Champ Quiet", "Call", "--with", "Quentin", "--when", "2026-11-10")
    assert fired(book, "--play", "champion-silent", "--dry-run") == []  # Quinn is quiet, Quentin is not
    rows = json.loads(
        book.ok(
            "play", "run", "--play", "champion-silent", "--dry-run", "-f", "json", as_of="2027-01-15"
        ).stdout
    )
    assert [(r["account"], r["why"]) for r in rows] == [
        ("Champ Loud", "champion.days_since = 63"),
        ("Champ Quiet", "champion.days_since = 66"),
    ]
