import json


def test_contact_lifecycle(cli):
    cli.ok("account", "add", "Acme")
    cli.ok(
        "contact", "add", "acme", "Ana Silva", "--email", "ana@acme.example", "--role", "VP Ops", "--champion"
    )
    cli.ok("contact", "add", "acme", "Ben Ito", "--sponsor")
    rows = json.loads(cli.ok("contact", "list", "acme", "-f", "json").stdout)
    assert [(r["name"], r["champion"], r["exec_sponsor"]) for r in rows] == [
        ("Ana Silva", True, False),
        ("Ben Ito", False, True),
    ]
    cli.ok("contact", "edit", "ana@acme.example", "--role", "COO", "--no-champion")
    row = json.loads(cli.ok("contact", "list", "-f", "json").stdout)[0]
    assert row["role"] == "COO" and row["champion"] is False
    cli.ok("contact", "remove", "Ben Ito", "--account", "acme", "--yes")
    assert len(json.loads(cli.ok("contact", "list", "-f", "json").stdout)) == 1


def test_contact_errors(cli):
    cli.ok("account", "add", "Acme")
    bad = cli("contact", "add", "acme", "Ana", "--email", "not-an-email")
    assert bad.exit_code == 1 and "Invalid email 'not-an-email'" in bad.stderr
    assert cli("contact", "add", "nobody", "Ana").exit_code == 1
    missing = cli("contact", "edit", "Zed", "--role", "x")
    assert missing.exit_code == 1 and "No contact 'Zed'" in missing.stderr
