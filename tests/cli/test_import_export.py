"""Imports are all-or-nothing and located; export -> import round-trips with no change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def _accounts(cli):
    return json.loads(cli.ok("account", "list", "--all", "-f", "json").stdout)


def test_csv_import_with_bom_semicolons_blank_lines_and_mapping(cli, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_bytes(
        "\ufeffCompany name;ARR;Currency;Renewal Date;Tier;Internal\n"
        "Acme;120k;EUR;2027-01-31;Enterprise;x\n\n"
        'Globex;"1,500";USD;+30d;smb;y\n'.encode()
    )
    result = cli.ok("import", "accounts", str(path))
    assert "ignoring columns not mapped to a field: Internal" in result.stderr
    assert "Imported 2 accounts from" in result.stderr and "2 created" in result.stderr
    rows = {r["name"]: r for r in _accounts(cli)}
    assert rows["Acme"]["arr"] == {"amount_minor": 12_000_000, "currency": "EUR"}
    assert rows["Globex"]["renewal_date"] == "2026-12-23"


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_named(cli, tmp_path):
    cli.ok("account", "add", "Existing", "--arr", "10k")
    path = tmp_path / "accounts.csv"
    path.write_text(
        "name,arr,renewal_date,tier\nGood,100,2027-01-01,smb\nBad,lots,March 2020,gold\nAlso good,5,,\n"
    )
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "warning: tier: 'gold' is no tier; kept the default (1 row: 3); map it with"
        ' --map-values "tier:gold=strategic" (one of: strategic, enterprise, mid-market, smb, scaled).'
    )
    assert lines[1] == f"Error: {path}: 2 problems; nothing was imported:"
    assert (
        f"  {path}, line 3, arr: Invalid ARR 'lots'. (got 'lots'); Use 120000, 120,000.50, 120k or 1.2M."
        in lines
    )
    assert any("line 3, renewal_date: Invalid renewal date 'March 2020'." in line for line in lines)
    strict = cli("import", "accounts", str(path), "--strict")
    assert "Error: " + f"{path}: 3 problems; nothing was imported:" in strict.stderr
    assert f"  {path}, line 3, tier: 'gold' is no tier and has no value map; map it with" in strict.stderr
    assert [r["name"] for r in _accounts(cli)] == ["Existing"]


def test_conflict_policies_and_dry_run(cli, tmp_path):
    cli.ok("account", "add", "Acme", "--arr", "100", "--external-id", "C-1")
    path = tmp_path / "a.csv"
    path.write_text("external_id,name,arr\nC-1,Acme Renamed,200\nC-2,New Co,300\n")
    dry = cli.ok("import", "accounts", str(path), "--dry-run")
    assert "Would import 2 accounts" in dry.stderr and "1 created, 1 updated" in dry.stderr
    assert [r["name"] for r in _accounts(cli)] == ["Acme"]
    fail = cli("import", "accounts", str(path), "--on-conflict", "fail")
    assert fail.exit_code == 1 and "already exists (id 1)" in fail.stderr
    assert [r["name"] for r in _accounts(cli)] == ["Acme"]
    skip = cli.ok("import", "accounts", str(path), "--on-conflict", "skip")
    assert "1 created" in skip.stderr and "1 skipped" in skip.stderr
    cli.ok("import", "accounts", str(path))
    assert {r["name"] for r in _accounts(cli)} == {"Acme Renamed", "New Co"}


def test_duplicate_rows_in_one_file(cli, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name\nAcme\nACME\n")
    result = cli("import", "accounts", str(path))
    assert (
        result.exit_code == 1
        and "line 3" in result.stderr
        and "earlier in the file (line 2)" in result.stderr
    )
    assert _accounts(cli) == []


def test_hubspot_preset(cli, tmp_path):
    path = tmp_path / "hubspot.csv"
    path.write_text(
        "Record ID,Company name,Company Domain Name,Company owner,Annual recurring revenue,Currency,Create Date\n"
        "9001,Acme,www.acme.example,Dana,50000,USD,2024-05-01 10:00\n"
    )
    cli.ok("import", "accounts", str(path), "--preset", "hubspot")
    row = _accounts(cli)[0]
    assert (row["external_id"], row["domain"], row["owner"]) == ("9001", "acme.example", "Dana")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"name,arr\n", None),  # header only: nothing to import, not an error
        (b"\xff\xfename", None),  # UTF-16 BOM, decoded
        (b"name\nCaf\xe9\n", "not UTF-8 text (byte 0xe9), line 2"),
        (b"name,arr\nA,1,2,3\n", "the row has 4 cells but the header has 2"),
        (b"name,name\nA,B\n", "appears twice"),
        (b"[1, 2]", "record 1 is a int"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_bad_files_are_located(cli, tmp_path, content, message):
    path = tmp_path / ("f.json" if content.startswith((b"[", b"{")) else "f.csv")
    path.write_bytes(content)
    result = cli("import", "accounts", str(path))
    if message is None:
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output
        return
    assert result.exit_code == 1, result.output
    text = result.stderr.replace(f"{path}, line 2: not UTF-8", f"{path}: not UTF-8")
    assert message.split(", line")[0] in text
    assert str(path) in result.stderr


def test_map_option_errors(cli, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Company,Money\nAcme,5\n")
    assert cli.ok("import", "accounts", str(path), "--map", "Money=arr")
    bad = cli("import", "accounts", str(path), "--map", "Money=revenue")
    assert bad.exit_code == 1 and "unknown field 'revenue'" in bad.stderr
    missing = tmp_path / "b.csv"
    missing.write_text("Foo\nx\n")
    result = cli("import", "accounts", str(missing))
    assert result.exit_code == 1 and "no column for name" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_round_trip(demo_cli, tmp_path, fmt):
    cli = demo_cli
    cli.ok("account", "edit", "Northwind", "--notes", 'Line one\nline, two; "quoted"', "--tag", "a;b")
    cli.ok("account", "archive", "Coho Winery")
    first = tmp_path / f"first.{fmt}"
    cli.ok("export", "accounts", "-f", fmt, "-o", str(first))
    # Into the same book: nothing changes.
    again = cli.ok("import", "accounts", str(first))
    assert "0 created, 0 updated, 27 unchanged" in again.stderr  # 25 + 2 churned (archived)
    # Into a fresh book: the export is byte-identical.
    from tests.conftest import Cli

    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("import", "accounts", str(first))
    second = tmp_path / f"second.{fmt}"
    fresh.ok("export", "accounts", "-f", fmt, "-o", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_contacts_import_and_export(demo_cli, tmp_path):
    out = tmp_path / "contacts.csv"
    demo_cli.ok("export", "contacts", "-o", str(out))
    assert out.read_text().splitlines()[0] == "account,name,email,phone,role,champion,exec_sponsor,notes"
    again = demo_cli.ok("import", "contacts", str(out))
    assert "0 created, 0 updated, 68 unchanged" in again.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("account,name\nNowhere Inc,Ana\nNorthwind,Ben\n")
    result = demo_cli("import", "contacts", str(bad))
    assert result.exit_code == 1 and "line 2, account: No account matches 'Nowhere Inc'." in result.stderr
    names = [c["name"] for c in json.loads(demo_cli.ok("contact", "list", "Northwind", "-f", "json").stdout)]
    assert "Ben" not in names


def test_export_refuses_table_format(cli):
    result = cli("export", "accounts", "-f", "table")
    assert result.exit_code == 2 and "'table' is not one of 'csv', 'json'" in result.stderr


def test_chunked_import_dedupes_and_rolls_back_across_chunks(cli, tmp_path, monkeypatch):
    from csmctl.importing import runner

    monkeypatch.setattr(runner, "CHUNK", 2)
    path = tmp_path / "a.csv"
    path.write_text("name,arr\nA,1\nB,2\nC,3\nD,4\nb,5\n")
    result = cli("import", "accounts", str(path))
    assert (
        result.exit_code == 1
        and "line 6" in result.stderr
        and "earlier in the file (line 3)" in result.stderr
    )
    assert _accounts(cli) == []  # the chunks already written were rolled back
    path.write_text("name,arr\nA,1\nB,2\nC,3\nD,4\nE,5\n")
    assert "5 created" in cli.ok("import", "accounts", str(path)).stderr


def test_blank_cells_for_required_fields_keep_the_current_value(cli, tmp_path):
    # Found by the reliability fuzzer: a re-import with a blank ARR or archived cell crashed.
    cli.ok("account", "add", "Acme", "--arr", "EUR 5k")
    path = tmp_path / "a.csv"
    path.write_text("name,arr,archived,stage\nAcme,,,\n")
    assert "1 unchanged" in cli.ok("import", "accounts", str(path)).stderr
    row = _accounts(cli)[0]
    assert row["arr"] == {"amount_minor": 500_000, "currency": "EUR"} and row["archived"] is False


def test_every_problem_in_one_run_values_unknown_accounts_and_duplicates(cli, tmp_path):
    """A bad value on line 3 used to hide the unknown account on line 4 until the next run."""
    cli.ok("account", "add", "Acme", "--arr", "10k")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,nps\nGlobex,5\nInitech,500\nacme,5\nGLOBEX,5\n")
    result = cli("import", "accounts", str(accounts), "--on-conflict", "fail")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"  {accounts}, line 3, nps: Invalid NPS 500: must be from -100 to 100. (got '500')",
        f"  {accounts}, line 4, name: the account already exists (id 1) (got 'acme'); use --on-conflict update or skip",
        f"  {accounts}, line 5, name: the same account appears earlier in the file (line 2) (got 'GLOBEX')",
    ]
    # contacts and touchpoints: a bad value on line 3 and an unknown account on line 4, one run
    for entity, text, bad_column in (
        ("contacts", "account,name,email\nAcme,Ana,ana@acme.example\nAcme,Ben,not-an-email\nNowhere Inc,Cy,\n", "email"),
        ("touchpoints", "account,when,summary\nAcme,2026-11-01,Fine\nAcme,someday,Bad\nNowhere Inc,2026-11-02,Lost\n", "when"),
    ):  # fmt: skip
        path = tmp_path / f"{entity}.csv"
        path.write_text(text)
        result = cli("import", entity, str(path))
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert lines[0] == f"Error: {path}: 2 problems; nothing was imported:"
        assert lines[1].startswith(f"  {path}, line 3, {bad_column}: ")
        assert lines[2].startswith(f"  {path}, line 4, account: No account matches 'Nowhere Inc'.")
    assert [r["name"] for r in _accounts(cli)] == ["Acme"]


def test_the_same_problem_on_many_rows_is_grouped_with_its_lines(cli, tmp_path):
    path = tmp_path / "accounts.csv"
    rows = ["Tier Level,name"] + [f"gold,Co {n}" for n in range(7)] + ["smb,Fine", "gold,Co 8", "silver,Co 9"]
    path.write_text("\n".join(rows) + "\n")
    result = cli("import", "accounts", str(path), "--map", "Tier Level=tier", "--strict")
    assert result.exit_code == 1
    hint = 'map it with --map-values "Tier Level:{}=strategic" (one of: strategic, enterprise, mid-market, smb, scaled)'
    assert result.stderr.splitlines() == [
        f"Error: {path}: 9 problems; nothing was imported:",
        f"  {path}, Tier Level: 8 rows (lines 2-8, 10): 'gold' is no tier and has no value map; "
        + hint.format("gold"),
        f"  {path}, line 11, Tier Level: 'silver' is no tier and has no value map; " + hint.format("silver"),
    ]
    as_json = tmp_path / "accounts.json"
    as_json.write_text(json.dumps([{"name": f"Co {n}", "nps": 900} for n in range(3)]))
    result = cli("import", "accounts", str(as_json))
    assert (
        f"  {as_json}, nps: 3 rows (records 1-3) have 900: Invalid NPS 900: must be from -100 to 100."
        in result.stderr
    )
    # Without --strict the same values are one warning each, and the rows import with the default tier.
    result = cli.ok("import", "accounts", str(path), "--map", "Tier Level=tier")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: Tier Level")]
    assert warnings == [
        "warning: Tier Level: 'gold' is no tier; kept the default (8 rows: 2-8, 10); "
        + hint.format("gold")
        + ".",
        "warning: Tier Level: 'silver' is no tier; kept the default (1 row: 11); "
        + hint.format("silver")
        + ".",
    ]


def test_json_lines_and_excel_csv_go_through_the_same_importer(cli, tmp_path):
    fixtures = Path(__file__).parent.parent / "fixtures" / "imports"
    # Excel "Unicode text": UTF-16 with a BOM, ';' and CRLF, a quoted cell holding the delimiter
    cli.ok("import", "accounts", str(fixtures / "excel-utf16-semicolon.csv"))
    cli.ok("import", "accounts", str(fixtures / "excel-utf8-bom.csv"))  # "CSV UTF-8": a BOM and CRLF
    cli.ok("import", "accounts", str(fixtures / "accounts.jsonl"))
    rows = {r["name"]: r for r in _accounts(cli)}
    assert len(rows) == 8
    assert rows["Fjordline Logistikk"]["arr"] == {"amount_minor": 120_000_000, "currency": "NOK"}
    assert rows["Fjordline Logistikk"]["notes"] == "Kunde siden 2023; bruker API"
    assert rows["Brasserie Äquator GmbH"]["notes"] == "Ölpreis-Klausel"
    assert rows["Kestrel Health"]["arr"] == {"amount_minor": 12_000_000, "currency": "USD"}
    assert rows["Northwind Analytics"]["stage"] == "adoption"
    assert rows["Brightwater Studios"]["tags"] == ["design", "pilot"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"name": "A"}\n{"name": "B", "tier": "gold"}\n{"name": \n')
    result = cli("import", "accounts", str(bad))
    assert result.exit_code == 1 and f"{bad}, line 3: not valid JSON" in result.stderr
    bad.write_text('{"name": "A"}\n{"name": "B", "nps": 500}\n')
    result = cli("import", "accounts", str(bad))
    assert result.exit_code == 1 and f"{bad}, line 2, nps: Invalid NPS 500" in result.stderr


def test_the_file_imports_take_the_same_options_spelled_the_same():
    """`import accounts|contacts|touchpoints` share one option declaration: same flags, same help,
    same defaults, in the same order."""
    from typer.main import get_command

    from csmctl.cli import app

    group = get_command(app).get_command(None, "import")

    def options(name):
        command = group.get_command(None, name)
        return [(p.opts, p.help, p.default) for p in command.params if p.param_type_name == "option"]

    assert options("accounts") == options("contacts") == options("touchpoints")
    assert [o[0] for o in options("accounts")][:2] == [["--map", "-m"], ["--preset"]]


def test_a_dry_run_does_not_upgrade_an_old_book_on_either_backend(cli, db_target, tmp_path):
    """A dry run changes nothing, so an old schema is refused (exit 4) rather than migrated."""
    import sqlalchemy as sa

    from csmctl.store import migrations
    from csmctl.store.database import Database

    old = migrations.HEAD - 1
    book = Database(db_target, migrate=False)  # an empty book, then the real migrations up to `old`
    with book.engine.begin() as conn:
        migrations.apply(conn, 0, target=old)
    rows = tmp_path / "in.csv"
    rows.write_text("name\nNew Co\n", encoding="utf-8")

    def version() -> int:
        with book.engine.connect() as conn:
            return conn.execute(sa.text("SELECT version FROM csmctl_schema")).scalar_one()

    result = cli("import", "accounts", str(rows), "--dry-run")
    assert result.exit_code == 4
    assert "a dry run changes nothing, so it does not upgrade it" in result.stderr
    assert "Run `csmctl db migrate` first" in result.stderr
    assert version() == old
    cli.ok("db", "migrate")
    assert version() == migrations.HEAD
    cli.ok("import", "accounts", str(rows), "--dry-run")
    book.dispose()
