"""`csmctl account ...` as a user runs it."""

from __future__ import annotations

import json


def test_add_show_list(cli):
    result = cli.ok(
        "account",
        "add",
        "Acme Corp",
        "--tier",
        "enterprise",
        "--arr",
        "120k",
        "--currency",
        "EUR",
        "--renewal",
        "+90d",
        "--owner",
        "Dana",
        "--tag",
        "reference",
        "--notice-days",
        "60",
    )
    assert "Added Acme Corp (id 1)." in result.stderr
    shown = json.loads(cli.ok("account", "show", "acme", "--format", "json").stdout)
    assert shown["arr"] == {"amount_minor": 12_000_000, "currency": "EUR"}
    assert shown["renewal_date"] == "2027-02-21"
    assert shown["notice_deadline"] == "2026-12-23"
    assert shown["days_to_renewal"] == 90
    assert shown["tags"] == ["reference"]
    listed = cli.ok("account", "list")
    assert listed.stdout.splitlines()[0].split() == [
        "ID",
        "ACCOUNT",
        "OWNER",
        "TIER",
        "STAGE",
        "ARR",
        "RENEWAL",
        "TAGS",
    ]
    assert "EUR 120k" in listed.stdout


def test_names_are_unique_regardless_of_case(cli):
    cli.ok("account", "add", "Acme")
    result = cli("account", "add", "ACME")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert cli.ok("account", "list", "-f", "json").stdout.count('"name"') == 1


def test_bad_values_exit_1_and_write_nothing(cli):
    cli.ok("db", "init")
    result = cli("account", "add", "Acme", "--renewal", "March 2020")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Invalid renewal date 'March 2020'.")
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.output
    result = cli("account", "add", "Acme", "--tier", "gold", "--arr", "lots")
    assert result.exit_code == 1
    assert "Unknown tier 'gold'" in result.stderr and "Invalid ARR 'lots'" in result.stderr
    assert json.loads(cli.ok("account", "list", "-f", "json").stdout) == []


def test_resolution_by_prefix_id_and_candidates(demo_cli):
    assert (
        json.loads(demo_cli.ok("account", "show", "north", "-f", "json").stdout)["name"]
        == "Northwind Logistics"
    )
    assert json.loads(demo_cli.ok("account", "show", "1", "-f", "json").stdout)["id"] == 1
    ambiguous = demo_cli("account", "show", "co")
    assert ambiguous.exit_code == 1
    assert "'co' matches 2 accounts: Coho Winery, Contoso Health." in ambiguous.stderr
    unknown = demo_cli("account", "show", "Northwnd")
    assert unknown.exit_code == 1
    assert "No account matches 'Northwnd'." in unknown.stderr
    assert "Northwind Logistics" in unknown.stderr


def test_list_filters_and_sort(demo_cli):
    rows = json.loads(
        demo_cli.ok("account", "list", "--renewing-within", "30d", "--sort", "renewal", "-f", "json").stdout
    )
    assert [r["name"] for r in rows] == [
        "Northwind Logistics",
        "Contoso Health",
        "Fabrikam Retail",
        "Tailspin Travel",
    ]
    owners = {
        r["owner"]
        for r in json.loads(demo_cli.ok("account", "list", "--owner", "dana reyes", "-f", "json").stdout)
    }
    assert owners == {"Dana Reyes"}
    tiers = {
        r["tier"] for r in json.loads(demo_cli.ok("account", "list", "--tier", "SMB", "-f", "json").stdout)
    }
    assert tiers == {"smb"}
    tagged = json.loads(demo_cli.ok("account", "list", "--tag", "renewal-risk", "-f", "json").stdout)
    assert tagged and all("renewal-risk" in r["tags"] for r in tagged)
    top = json.loads(
        demo_cli.ok("account", "list", "--sort", "arr", "--desc", "-n", "1", "-f", "json").stdout
    )
    assert top[0]["name"] == "Woodgrove Bank"


def test_list_formats(demo_cli):
    csv_out = demo_cli.ok("account", "list", "-f", "csv", "-n", "2").stdout.splitlines()
    assert csv_out[0].startswith(
        "id,name,external_id,domain,owner,tier,segment,stage,stage_since,arr,currency,"
    )
    assert csv_out[1].startswith("6,Adventure Works Cycles,CRM-1005,")
    assert ",74500.00,USD," in csv_out[1]
    md = demo_cli.ok("account", "list", "-f", "md", "-n", "1").stdout.splitlines()
    assert md[0].startswith("| ID | Account |") and md[1].startswith("|---:|---|")


def test_owner_me_uses_config(cli, isolated_home):
    cli.ok("account", "add", "Mine", "--owner", "Dana Reyes")
    cli.ok("account", "add", "Theirs", "--owner", "Sam")
    missing = cli("account", "list", "--owner", "me")
    assert missing.exit_code == 1 and "config.toml" in missing.stderr
    config = isolated_home / "config"
    config.mkdir()
    (config / "config.toml").write_text('[user]\nname = "Dana Reyes"\n')
    names = [r["name"] for r in json.loads(cli.ok("account", "list", "--owner", "me", "-f", "json").stdout)]
    assert names == ["Mine"]


def test_edit_archive_unarchive(cli):
    cli.ok("account", "add", "Acme", "--arr", "EUR 100k", "--owner", "Dana", "--stage", "adoption")
    result = cli.ok("account", "edit", "acme", "--arr", "150k", "--stage", "expansion", "--clear", "owner")
    assert "arr" in result.stderr and "stage" in result.stderr
    shown = json.loads(cli.ok("account", "show", "acme", "-f", "json").stdout)
    assert shown["arr"] == {"amount_minor": 15_000_000, "currency": "EUR"}  # a bare amount keeps EUR
    assert shown["stage"] == "expansion" and shown["stage_since"] == "2026-11-23"
    assert shown["owner"] is None
    assert cli("account", "edit", "acme").exit_code == 1
    cli.ok("account", "archive", "acme")
    assert json.loads(cli.ok("account", "list", "-f", "json").stdout) == []
    assert len(json.loads(cli.ok("account", "list", "--archived", "-f", "json").stdout)) == 1
    cli.ok("account", "unarchive", "acme")
    assert len(json.loads(cli.ok("account", "list", "-f", "json").stdout)) == 1


def test_delete_asks_and_says_what_goes(demo_cli):
    declined = demo_cli("account", "delete", "Northwind Logistics", input="n\n")
    assert declined.exit_code == 0 and declined.stderr.endswith("\nNothing deleted.\n")
    assert (
        "Delete Northwind Logistics (id 1) with 3 contacts, 15 touchpoints, 6 health snapshots, 10 metric values?"
        in declined.stderr
    )
    assert demo_cli("account", "show", "Northwind Logistics").exit_code == 0
    done = demo_cli.ok("account", "delete", "Northwind Logistics", "--yes")
    assert (
        "Deleted Northwind Logistics (id 1) with 3 contacts, 15 touchpoints, 6 health snapshots, 10 metric values."
        in done.stderr
    )
    assert demo_cli("account", "show", "Northwind Logistics").exit_code == 1
    contacts = json.loads(demo_cli.ok("contact", "list", "-f", "json").stdout)
    assert all(c["account_id"] != 1 for c in contacts)


def test_empty_book_says_how_to_start(cli):
    cli.ok("db", "init")
    result = cli.ok("account", "list")
    assert result.stdout == ""
    assert "csmctl demo" in result.stderr


def test_add_and_edit_share_one_option_to_field_mapping():
    """Every account-field option of `add` and `edit` goes through the one mapping, so a new
    option cannot be declared and then silently dropped by one of the two commands."""
    import inspect

    from csmctl.cli import accounts

    own = {"account", "fmt", "add_tag", "remove_tag", "clear"}  # parameters that are not a field
    for command in (accounts.add, accounts.edit):
        params = set(inspect.signature(command).parameters) - own
        assert params == set(accounts._FIELD_OF), command.__name__


def test_add_and_edit_take_the_same_differently_spelled_options(cli):
    def spelled(*args: str) -> tuple:
        cli.ok("account", *args)
        shown = json.loads(cli.ok("account", "show", "Acme", "-f", "json").stdout)
        return shown["renewal_date"], shown["term_months"], shown["cadence_days"], shown["tags"]

    options = ("--renewal", "2027-01-31", "--term", "24", "--cadence", "2w", "--tag", "x")
    assert spelled("add", "Acme", *options) == ("2027-01-31", 24, 14, ["x"])
    options = ("--renewal", "2027-03-31", "--term", "36", "--cadence", "3w", "--tag", "y")
    assert spelled("edit", "Acme", *options) == ("2027-03-31", 36, 21, ["y"])
    cleared = spelled("edit", "Acme", "--clear", "renewal", "--clear", "cadence", "--clear", "tag")
    assert cleared == (None, 36, None, [])
