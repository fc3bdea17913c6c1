"""CRM exports as they come (tests/fixtures/imports, written from the vendors' documented export
columns and value sets) import with a preset and no hand edits; value maps and their warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def _accounts(cli):
    return {r["name"]: r for r in json.loads(cli.ok("account", "list", "--all", "-f", "json").stdout)}


@pytest.mark.parametrize(
    "fixture, preset, applied, unmapped",
    [
        (
            "hubspot-companies.csv",
            "hubspot",
            [
                "Lifecycle Stage: 'Customer' -> adoption (3 rows)",
                "Lifecycle Stage: 'Evangelist' -> expansion (1 row)",
            ],
            [("Lifecycle Stage", "Opportunity", "1 row: 5"), ("Lifecycle Stage", "Lead", "1 row: 6")],
        ),
        (
            "salesforce-accounts-report.csv",
            "salesforce",
            [
                "Type: 'Customer - Channel' -> adoption (1 row)",
                "Type: 'Customer - Direct' -> adoption (1 row)",
            ],
            [("Type", "Prospect", "1 row: 4"), ("Type", "Channel Partner / Reseller", "1 row: 5")],
        ),
        (
            "salesforce-accounts-dataloader.csv",
            "salesforce",
            ["TYPE: 'Customer - Direct' -> adoption (2 rows)"],
            [("TYPE", "Prospect", "1 row: 4"), ("TYPE", "Technology Partner", "1 row: 5")],
        ),
        (
            "pipedrive-organizations.csv",
            "pipedrive",
            ["Organization - Label: 'Customer' -> adoption (2 rows)"],
            [
                ("Organization - Label", "Hot lead", "1 row: 3"),
                ("Organization - Label", "Cold lead", "1 row: 5"),
            ],
        ),
    ],
)
def test_each_preset_imports_its_export_unchanged(cli, fixture, preset, applied, unmapped):
    path = FIXTURES / fixture
    dry = cli.ok("import", "accounts", str(path), "--preset", preset, "--dry-run")
    lines = dry.stderr.splitlines()
    assert [line.removeprefix("value map: ") for line in lines if line.startswith("value map: ")] == applied
    warned = [line for line in lines if " kept the default " in line]
    assert len(warned) == len(unmapped)  # each unmapped value once
    for line, (column, value, rows) in zip(warned, unmapped, strict=True):
        assert line.startswith(
            f"warning: {column}: {value!r} is no lifecycle stage; kept the default ({rows});"
        )
        assert f'--map-values "{column}:{value}=onboarding"' in line
    # A dry run writes nothing: no book at all on SQLite (a read then says so), no rows on a server.
    after = cli("account", "list", "-f", "json")
    assert after.exit_code == 4 if after.exit_code else json.loads(after.stdout) == []
    real = cli.ok("import", "accounts", str(path), "--preset", preset)
    assert "Error" not in real.stderr
    rows = _accounts(cli)
    assert rows["Northwind Analytics"]["stage"] == "adoption"
    # Revenue columns never become ARR, and no ARR column is an unknown ARR, never USD 0.
    assert all(r["arr"] is None for r in rows.values())


def test_misleading_revenue_columns_are_named_and_never_imported(cli):
    result = cli.ok("import", "accounts", str(FIXTURES / "hubspot-companies.csv"), "--preset", "hubspot")
    assert (
        "warning: not importing 'Annual Revenue': the customer's own annual revenue, not the ARR of your "
        "contract with them; if it holds your ARR, import it with --map 'Annual Revenue=arr'."
        in result.stderr
    )
    assert "Create Date" not in result.stderr  # left out on purpose by the preset: no warning
    rows = _accounts(cli)
    assert rows["Kestrel Health"]["stage"] == "expansion"
    assert rows["Kestrel Health"]["external_id"] == "18842310579"
    assert rows["Kestrel Health"]["domain"] == "kestrelhealth.example"
    assert rows["Lumen Ledger"]["stage"] == "onboarding"  # 'Opportunity' is unmapped: the default


def test_salesforce_owner_ids_are_not_owner_names(cli):
    dataloader = cli.ok(
        "import", "accounts", str(FIXTURES / "salesforce-accounts-dataloader.csv"), "--preset", "salesforce"
    )
    assert "warning: not importing 'OWNERID': a Salesforce user id (005...)" in dataloader.stderr
    assert _accounts(cli)["Fjordline Logistikk"]["owner"] is None  # not an id


def test_hubspot_contacts_with_first_and_last_name(cli):
    cli.ok("import", "accounts", str(FIXTURES / "hubspot-companies.csv"), "--preset", "hubspot")
    cli.ok("import", "contacts", str(FIXTURES / "hubspot-contacts.csv"), "--preset", "hubspot")
    contacts = json.loads(cli.ok("contact", "list", "-f", "json").stdout)
    by_name = {c["name"]: c for c in contacts}
    assert set(by_name) == {"Ingrid Solberg", "Tomas Reyes", "Amara Okafor"}
    assert by_name["Ingrid Solberg"]["account"] == "Fjordline Logistikk"
    assert by_name["Amara Okafor"]["role"] == "Chief Medical Information Officer"


def test_map_values_on_the_command_line_and_in_a_preset_file(cli, tmp_path):
    path = FIXTURES / "pipedrive-organizations.csv"
    result = cli.ok(
        "import", "accounts", str(path), "--preset", "pipedrive",
        "--map-values", "Organization - Label:hot lead=onboarding",
        "--map-values", "Organization - Label:Customer=renewal",
    )  # fmt: skip
    assert "Hot lead" not in result.stderr and "'Cold lead' is no lifecycle stage" in result.stderr
    rows = _accounts(cli)
    assert rows["Northwind Analytics"]["stage"] == "renewal"  # the user's map wins over the preset's
    preset = tmp_path / "mine.toml"
    preset.write_text(
        'extends = "pipedrive"\n[values."Organization - Label"]\n"Cold lead" = "churned"\n"Hot lead" = "onboarding"\n'
    )
    again = cli.ok("import", "accounts", str(path), "--preset", str(preset), "--dry-run")
    assert "kept the default" not in again.stderr
    assert "value map: Organization - Label: 'Cold lead' -> churned (1 row)" in again.stderr
    (tmp_path / "config" / "presets").mkdir(parents=True)
    (tmp_path / "config" / "presets" / "ours.toml").write_text(preset.read_text())
    assert "ours" in cli.ok("import", "presets").stdout
    cli.ok("import", "accounts", str(path), "--preset", "ours")
    assert _accounts(cli)["Brightwater Studios"]["stage"] == "churned"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--map-values", "Organization - Label=x"], "Error: Invalid --map-values 'Organization - Label=x'."),
        (
            ["--map-values", "Label:Customer=adoption"],
            "--map-values names a column 'Label' that the file does not have.",
        ),
        (["--map-values", "Organization - Label:Customer=gold"], "which is no lifecycle stage."),
        (
            ["--map-values", "Organization - Address:x=y"],
            "--map-values names a column 'Organization - Address' that feeds no field.",
        ),
        (["--preset", "zoho"], "Error: Unknown preset 'zoho' for accounts."),
    ],
)
def test_value_map_mistakes_are_clear(cli, args, message):
    cli.ok("db", "init")  # a failed import writes nothing, not even a book to read back
    extra = [] if "--preset" in args else ["--preset", "pipedrive"]
    result = cli("import", "accounts", str(FIXTURES / "pipedrive-organizations.csv"), *extra, *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr.splitlines()[0]
    assert _accounts(cli) == {}


def test_bad_preset_file_is_located(cli, tmp_path):
    preset = tmp_path / "bad.toml"
    preset.write_text('extends = "zoho"\ncolums = {}\n')
    result = cli("import", "accounts", str(FIXTURES / "pipedrive-organizations.csv"), "--preset", str(preset))
    assert result.exit_code == 1
    assert f"  {preset}, colums: unknown key" in result.stderr
    assert f"  {preset}, extends: extends an unknown preset 'zoho'" in result.stderr


def test_import_fields_lists_types_and_accepted_values(cli):
    records = json.loads(cli.ok("import", "fields", "accounts", "-f", "json").stdout)
    by_field = {r["field"]: r for r in records}
    assert (
        by_field["stage"]["accepts"] == "one of: onboarding, adoption, expansion, renewal, at-risk, churned"
    )
    assert "lifecycle stage" in by_field["stage"]["columns"]
    assert list(by_field)[:3] == ["name", "external_id", "domain"]
    presets = json.loads(cli.ok("import", "presets", "-f", "json").stdout)
    assert {(p["entity"], p["preset"]) for p in presets} >= {
        ("accounts", "hubspot"), ("accounts", "salesforce"), ("accounts", "pipedrive"), ("contacts", "hubspot")
    }  # fmt: skip
