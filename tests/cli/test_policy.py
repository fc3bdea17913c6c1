"""One policy (issue 21): the settings object, and commands that agree on what counts as contact.

Every test here failed on the code before it: health, today and brief used a fixed list of
non-contact kinds while `stale` used the configured one; a typo'd section was ignored;
CSMCTL_BUSY_TIMEOUT=abc was an internal error; the config file beat CSMCTL_USER; an account with
no data scored 0, red.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csmctl.domain.accounts import TIERS
from csmctl.domain.touchpoints import DEFAULT_KINDS, rules_from_config
from tests.conftest import AS_OF, Cli

TODAY = date.fromisoformat(AS_OF)


def write_config(home, text: str) -> None:
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def stale_facts(cli) -> dict[str, str | None]:
    return {r["account"]: r["last_contact"] for r in json.loads(cli.ok("stale", "-f", "json").stdout)}


def health_contact(cli) -> dict[str, str | None]:
    """account -> last contact as health's contact input measured it (as_of - days since)."""
    out = {}
    for record in json.loads(cli.ok("health", "--explain", "-f", "json").stdout):
        [contact] = [i for i in record["inputs"] if i["name"] == "contact"]
        days = contact["raw"]
        out[record["account"]] = None if days is None else (TODAY - timedelta(days=days)).isoformat()
    return out


def today_stale(cli) -> dict[str, str]:
    items = json.loads(cli.ok("today", "-f", "json").stdout)
    return {i["account"]: i["due"] for i in items if i["kind"] == "stale"}


# -- the disagreement of the issue, reproduced -------------------------------------------------------


def test_configured_non_contact_kinds_agree_across_stale_health_today_and_brief(cli, isolated_home):
    write_config(isolated_home, '[touchpoints]\nnon_contact_kinds = ["note", "email"]\n')
    cli.ok("account", "add", "Acme Corp", "--tier", "enterprise")
    cli.ok("account", "add", "Globex", "--tier", "smb")
    cli.ok("touch", "Acme", "Sent the deck", "-k", "email", "--when", "-4d")
    cli.ok("touch", "Globex", "Call", "-k", "call", "--when", "-70d")
    assert stale_facts(cli) == {"Acme Corp": None, "Globex": (TODAY - timedelta(days=70)).isoformat()}
    assert health_contact(cli) == {"Acme Corp": None, "Globex": (TODAY - timedelta(days=70)).isoformat()}
    assert today_stale(cli) == {"Acme Corp": AS_OF, "Globex": (TODAY - timedelta(days=10)).isoformat()}
    brief = cli.ok("brief", "Acme").stdout
    assert "no contact recorded" in brief and "4 days since last contact" not in brief


# -- the settings ----------------------------------------------------------------------------------


def test_a_typod_section_is_a_located_error_listing_the_known_ones(cli, isolated_home):
    write_config(isolated_home, '[user]\nname = "Dana"\n\n[cadense]\nenterprise = "21d"\n')
    result = cli("stale")
    assert result.exit_code == 1
    config = isolated_home / "config" / "config.toml"
    assert result.stderr.startswith(f"Error: {config}, line 4, cadense: unknown section [cadense]")
    assert "cadence" in result.stderr and "touchpoints" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_in_the_config_is_reported_with_its_line(cli, isolated_home):
    write_config(
        isolated_home,
        '[cadence]\nenterprize = 14\nsmb = "soon"\n[onboarding]\nstuck_days = 0\n',
    )
    result = cli("stale")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].endswith("3 problems in the config:")
    assert [re.search(r"line (\d+), (\S+):", line).groups() for line in lines[1:]] == [
        ("2", "cadence.enterprize"),
        ("3", "cadence.smb"),
        ("5", "onboarding.stuck_days"),
    ]


def test_a_bad_busy_timeout_names_the_variable(cli, monkeypatch):
    monkeypatch.setenv("CSMCTL_BUSY_TIMEOUT", "abc")
    result = cli("account", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: CSMCTL_BUSY_TIMEOUT must be a number of seconds (got 'abc').")
    assert "internal error" not in result.stderr


def test_the_environment_beats_the_file_for_the_user(cli, isolated_home, monkeypatch):
    write_config(isolated_home, '[user]\nname = "Dana Reyes"\n')
    cli.ok("account", "add", "Acme Corp", "--owner", "Dana Reyes")
    cli.ok("account", "add", "Globex", "--owner", "Marco Bianchi")
    mine = json.loads(cli.ok("account", "list", "--owner", "me", "-f", "json").stdout)
    assert [a["name"] for a in mine] == ["Acme Corp"]
    monkeypatch.setenv("CSMCTL_USER", "Marco Bianchi")
    mine = json.loads(cli.ok("account", "list", "--owner", "me", "-f", "json").stdout)
    assert [a["name"] for a in mine] == ["Globex"]


def test_a_yaml_health_profile_reports_lines(cli, isolated_home):
    folder = isolated_home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "health.yaml").write_text("bands:\n  red: 50\nweights:\n  contact: 10\n  logins: 3\n")
    result = cli("health")
    assert result.exit_code == 1
    assert f"{folder / 'health.yaml'}, line 5, weights.logins: unknown input" in result.stderr


def test_notice_warning_days_come_from_the_settings(cli, isolated_home):
    cli.ok("account", "add", "Acme Corp", "--renewal", "+50d", "--notice-days", "30", "--arr", "10000")

    def flags():
        listing = json.loads(cli.ok("renewals", "--within", "90d", "-f", "json").stdout)
        [row] = [r for b in listing["buckets"] for r in b["renewals"]]
        today = {i["kind"] for i in json.loads(cli.ok("today", "-f", "json").stdout)}
        return row["notice"], "notice" in today

    assert flags() == (None, False)  # the deadline is 20 days out; the default warns at 14
    write_config(isolated_home, "[renewals]\nnotice_warning_days = 21\n")
    assert flags() == ("soon", True)


# -- no data is no score ---------------------------------------------------------------------------


def test_an_account_with_no_data_has_no_score_and_no_band(cli):
    cli.ok("account", "add", "Fresh Import")
    [record] = json.loads(cli.ok("health", "-f", "json").stdout)
    assert (record["score"], record["band"]) == (None, None)
    table = cli.ok("health")
    assert "no data" in table.stdout and "red" not in table.stdout
    assert "1 account has no health data" in table.stderr
    assert not [i for i in json.loads(cli.ok("today", "-f", "json").stdout) if i["kind"] == "health"]
    assert "red" not in json.dumps(json.loads(cli.ok("health", "Fresh", "-f", "json").stdout))
    assert "No data" in cli.ok("brief", "Fresh").stdout
    assert "0 health scores" in cli.ok("health", "snapshot").stderr


# -- agreement on random books, both backends ------------------------------------------------------

KINDS = list(DEFAULT_KINDS)
touchpoints = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(-5, 80), st.booleans()), max_size=4
)  # (kind, days ago, planned); a future one is always planned
books = st.tuples(
    st.sets(st.sampled_from(KINDS), max_size=4),  # non_contact_kinds
    st.lists(st.tuples(st.sampled_from(TIERS), touchpoints), min_size=1, max_size=3),
)


def _fresh_book(backend, tmp_path, request, counter) -> Cli:
    n = next(counter)
    if backend == "sqlite":
        return Cli(tmp_path / f"book{n}.db")
    cluster = request.getfixturevalue("pg_cluster")
    return Cli(cluster.schema_url(cluster.create_schema()))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(book=books)
def test_stale_health_and_today_agree_on_last_contact(book, backend, tmp_path, request, isolated_home):
    non_contact, accounts = book
    listed = ", ".join(f'"{k}"' for k in sorted(non_contact))
    write_config(isolated_home, f"[touchpoints]\nnon_contact_kinds = [{listed}]\n")
    rules = rules_from_config(None, {"non_contact_kinds": sorted(non_contact)})
    counter = request.node.__dict__.setdefault("_books", itertools.count())
    cli = _fresh_book(backend, tmp_path, request, counter)
    tiers = {}
    for n, (tier, entries) in enumerate(accounts):
        name = f"Account {n}"
        tiers[name] = tier
        cli.ok("account", "add", name, "--tier", tier)
        for kind, ago, planned in entries:
            day = (TODAY - timedelta(days=ago)).isoformat()
            cli.ok(
                "touch",
                name,
                "Logged",
                "-k",
                kind,
                "--when",
                day,
                *(["--planned"] if planned or ago < 0 else []),
            )

    stale = stale_facts(cli)
    health = health_contact(cli)
    today = today_stale(cli)
    # Every account stale lists has the last contact health measured ...
    assert {a: health[a] for a in stale} == stale
    # ... and every other account was contacted within its cadence by health's fact too.
    for name, last in health.items():
        if name not in stale:
            assert last is not None
            assert (TODAY - date.fromisoformat(last)).days <= rules.cadence_for(tiers[name])
    # today lists the same stale accounts (never-contacted ones once the book logs any contact).
    book_has_contact = any(last is not None for last in health.values())
    expected = {
        name: (
            AS_OF
            if last is None
            else (date.fromisoformat(last) + timedelta(days=rules.cadence_for(tiers[name]))).isoformat()
        )
        for name, last in stale.items()
        if last is not None or book_has_contact
    }
    assert today == expected


# -- no config file: the same settings as an empty one, without pydantic (issue 19) --------------

SETTING_NAMES = (
    "user_name",
    "busy_timeout",
    "stuck_days",
    "notice_warning_days",
    "touchpoint_rules",
    "risk_taxonomy",
    "risk_quiet_days",
    "forecast_likelihood",
    "cadence",
    "non_contact_kinds",
    "plays_enabled",
)


def test_no_config_file_means_the_same_settings_as_an_empty_one(tmp_path):
    """Without config.toml the settings answer from the domain's defaults (no pydantic model is
    built); every answer must equal the one an empty config.toml gives through the model."""
    from csmctl.config import Settings

    public = {n for n in dir(Settings) if not n.startswith("_")}
    paths_and_methods = {"file", "default_db", "database_url", "user_template_dir"}
    paths_and_methods |= {"user_playbook_dir", "user_play_dir"}
    assert public - paths_and_methods == set(SETTING_NAMES)  # a new setting must be added here
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    absent = Settings(tmp_path, tmp_path, tmp_path / "none.toml")
    present = Settings(tmp_path, tmp_path, empty)
    assert absent.file is None and present.file is not None
    for name in SETTING_NAMES:
        assert getattr(absent, name) == getattr(present, name), name
    assert absent.database_url() == present.database_url() == absent.default_db
