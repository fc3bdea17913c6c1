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


NON_ASCII = [  # (stored, typed): letters SQLite's lower() leaves alone; ß and full-width Latin too
    ("Äsa Öberg", "äsa öberg"),
    ("Émile Ðoe", "ÉMILE ðOE"),
    ("Jörg Straße", "JÖRG STRASSE"),
    ("ＹＡＭＡＤＡ Ｔａｒｏ", "ｙａｍａｄａ ｔａｒｏ"),
]


def test_non_ascii_contact_names_resolve_in_any_case(cli):
    cli.ok("account", "add", "Acme")
    for stored, _ in NON_ASCII:
        cli.ok("contact", "add", "acme", stored)
    cli.ok("contact", "add", "acme", "Åke", "--email", "ÅKE@acme.example")
    for stored, typed in NON_ASCII:
        edited = cli.ok("contact", "edit", typed, "--role", "Buyer")  # the whole book
        assert f"Updated {stored}: role." in edited.stderr
        cli.ok("contact", "edit", typed, "--account", "acme", "--role", "Owner")  # one account
        cli.ok("touchpoint", "log", "acme", "call", "--with", typed)  # the touchpoint's own look-up
    rows = json.loads(cli.ok("contact", "list", "acme", "-f", "json").stdout)
    assert {r["name"]: r["role"] for r in rows if r["name"] != "Åke"} == {s: "Owner" for s, _ in NON_ASCII}
    cli.ok("contact", "edit", "åke@ACME.example", "--champion")
    # a second contact folding to the same key is ambiguous, listed, not picked at random
    cli.ok("contact", "add", "acme", "ÄSA ÖBERG", "--email", "asa2@acme.example")
    both = cli("contact", "edit", "äsa öberg", "--role", "x")
    assert both.exit_code == 1 and "matches several contacts" in both.stderr
    assert "Äsa Öberg (id 1)" in both.stderr and "ÄSA ÖBERG (id 6)" in both.stderr


def test_adding_a_contact_twice_in_another_case_is_refused_for_non_ascii_names(cli):
    cli.ok("account", "add", "Acme")
    cli.ok("contact", "add", "acme", "Émile Zola")
    again = cli("contact", "add", "acme", "ÉMILE ZOLA")
    assert again.exit_code == 1 and "already has a contact with this name" in again.stderr
