"""Contacts and touchpoints import in batches (a few queries and one bulk insert per batch), with
the row-by-row import's results: repeats within the file, across batches, the "(id N)" messages."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def small_batches(monkeypatch):
    from csmctl.importing import runner

    monkeypatch.setattr(runner, "CHUNK", 2)


def _accounts_book(cli, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("name,external_id\nAcme,EXT-A\nÄsa Industries,EXT-B\nGlobex,\nGlobex Two,\n")
    cli.ok("import", "accounts", str(path))


def _contacts(cli):
    rows = json.loads(cli.ok("contact", "list", "-f", "json").stdout)
    return sorted((c["id"], c["account"], c["name"], c["email"], c["role"], c["champion"]) for c in rows)


def test_contact_repeats_within_and_across_batches(cli, tmp_path, small_batches):
    _accounts_book(cli, tmp_path)
    path = tmp_path / "contacts.csv"
    path.write_text(
        "account,name,email,role,champion\n"
        "Acme,Ana,ana@acme.test,CTO,yes\n"  # line 2: id 1
        "EXT-B,ÇELIK ÄSA,,VP,no\n"  # line 3: id 2 (batch 2 starts at line 4)
        "acme,Someone Else,ANA@acme.test,CEO,yes\n"  # the same email: id 1, renamed
        "äsa industries,ÇELIK ÄSA,,VP,no\n"  # the same name, folded account: id 2, unchanged
        "Globex,Gus,,Dev,no\n"  # id 3
        "globex,gus,,Lead,no\n"  # a repeat of a new row of the same batch: id 3
        "Acme,someone else,,,no\n"  # the name line 4 gave id 1 (its blank cells clear)
        "Äsa Industries,çelik äsa,,VP,no\n"  # the same name, folded (Unicode): id 2, renamed
    )
    result = cli.ok("import", "contacts", str(path))
    assert f"Imported 8 contacts from {path}: 3 created, 4 updated, 1 unchanged." in result.stderr
    assert _contacts(cli) == [
        (1, "Acme", "someone else", None, None, False),  # a blank email column clears it
        (2, "Äsa Industries", "çelik äsa", None, "VP", False),
        (3, "Globex", "gus", None, "Lead", False),
    ]
    again = cli("import", "contacts", str(path), "--on-conflict", "fail")
    assert again.exit_code == 1
    hint = "use --on-conflict update or skip"
    assert again.stderr.splitlines()[1:] == [
        f"  {path}, name: 2 rows (lines 3, 5) have 'ÇELIK ÄSA': the contact already exists (id 2); {hint}",
        # line 2 (Ana) no longer matches id 1 (renamed, email cleared): id 4, new in an earlier batch
        f"  {path}, line 4, name: the contact already exists (id 4) (got 'Someone Else'); {hint}",
        f"  {path}, line 6, name: the contact already exists (id 3) (got 'Gus'); {hint}",
        f"  {path}, line 7, name: the contact already exists (id 3) (got 'gus'); {hint}",
        f"  {path}, line 8, name: the contact already exists (id 1) (got 'someone else'); {hint}",
        f"  {path}, line 9, name: the contact already exists (id 2) (got 'çelik äsa'); {hint}",
    ]
    assert _contacts(cli)[0][2] == "someone else"  # nothing written


def test_contact_repeat_of_a_new_row_fails_with_its_id(cli, tmp_path, small_batches):
    _accounts_book(cli, tmp_path)
    path = tmp_path / "contacts.csv"
    path.write_text("account,name\nAcme,Ana\nGlobex,Gus\nGlobex Two,Hal\nglobex,GUS\nNowhere,Ivy\n")
    result = cli("import", "contacts", str(path), "--on-conflict", "fail")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"  {path}, line 5, name: the contact already exists (id 2) (got 'GUS'); use --on-conflict update or skip",
        f"  {path}, line 6, account: No account matches 'Nowhere'. (got 'Nowhere'); "
        "List accounts with `csmctl account list`.",
    ]
    assert _contacts(cli) == []


def _touchpoints(cli):
    rows = json.loads(cli.ok("touchpoint", "list", "-f", "json").stdout)
    return sorted(
        (t["id"], t["account"], t["kind"], t["summary"], t["sentiment"], [c["name"] for c in t["contacts"]])
        for t in rows
    )


def test_touchpoint_repeats_within_and_across_batches(cli, tmp_path, small_batches):
    _accounts_book(cli, tmp_path)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("account,name,email\nAcme,Ana,ana@acme.test\nAcme,Ben,\n")
    cli.ok("import", "contacts", str(contacts))
    path = tmp_path / "touchpoints.csv"
    path.write_text(
        "account,kind,occurred_at,summary,sentiment,contacts\n"
        "Acme,call,2026-05-01,Kickoff,,\n"  # id 1
        "Acme,email,2026-05-02T10:30:00+02:00,Mail,,Ana\n"  # id 2, with a contact
        "acme,call,2026-05-01,Kickoff,positive,\n"  # id 1 again: updated
        "Globex,note,2026-05-03,Note,,\n"  # id 3
        "Globex,note,2026-05-03,Note,negative,\n"  # a repeat of a new row of the batch: id 3
        "EXT-A,email,2026-05-02T08:30:00Z,Mail,,Ben\n"  # the same moment as line 3: id 2, contacts
        "Acme,call,2026-05-01,Kickoff,positive,\n"  # unchanged
    )
    result = cli.ok("import", "touchpoints", str(path))
    assert f"Imported 7 touchpoints from {path}: 3 created, 3 updated, 1 unchanged." in result.stderr
    assert _touchpoints(cli) == [
        (1, "Acme", "call", "Kickoff", "positive", []),
        (2, "Acme", "email", "Mail", None, ["Ben"]),
        (3, "Globex", "note", "Note", "negative", []),
    ]
    again = cli("import", "touchpoints", str(path), "--on-conflict", "fail")
    assert again.exit_code == 1
    assert again.stderr.splitlines()[1:] == [
        f"  {path}, summary: {rows}: the touchpoint already exists (id {id_}); use --on-conflict update or skip"
        for rows, id_ in (
            ("3 rows (lines 2, 4, 8)", 1),
            ("2 rows (lines 3, 7)", 2),
            ("2 rows (lines 5-6)", 3),
        )
    ]
    # Lines 3 and 7 give touchpoint 2 other contacts, lines 5 and 6 other sentiments, each time.
    assert cli.ok("import", "touchpoints", str(path)).stderr.endswith("0 created, 6 updated, 1 unchanged.\n")


def test_import_statements_grow_with_batches_not_rows(cli, tmp_path, monkeypatch):
    """A batch of contacts or touchpoints costs a few queries, not a few per row."""
    import sqlalchemy as sa

    from csmctl.importing import runner

    monkeypatch.setattr(runner, "CHUNK", 50)
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name\n" + "".join(f"Account {i:03d}\n" for i in range(200)))
    cli.ok("import", "accounts", str(accounts))
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        for entity, header, row in (
            ("contacts", "account,name", "Account {i:03d},Person {i}"),
            ("touchpoints", "account,occurred_at,summary", "Account {i:03d},2026-05-01,Call {i}"),
        ):
            sizes = []
            for rows in (100, 200):
                path = tmp_path / f"{entity}-{rows}.csv"
                path.write_text(header + "\n" + "".join(row.format(i=i) + "\n" for i in range(rows)))
                statements.clear()
                cli.ok("import", entity, str(path), "--dry-run")
                sizes.append(len(statements))
            assert sizes[1] - sizes[0] < 30, (entity, sizes)  # 100 more rows, 2 more batches
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


def test_find_accounts_agrees_with_find_account(cli, tmp_path):
    from csmctl import errors
    from csmctl.store.account_ref import find_account, find_accounts
    from csmctl.store.database import Database

    _accounts_book(cli, tmp_path)
    path = tmp_path / "more.csv"
    path.write_text("name\n2\nZeta\n")  # an account named like another's id
    cli.ok("import", "accounts", str(path))
    refs = [" acme ", "ACME", "#1", "1", "2", "5", "EXT-B", "ext-b", "äsa", "ÄSA INDUSTRIES", "Glob", "Gl"]
    refs += ["Globex T", "Nowhere", "99", "#99", "Zet", "z"]
    database = Database(str(cli.db_path))
    try:
        with database.read() as session:
            conn = session.connection()
            batched = find_accounts(conn, refs)
            for ref in refs:
                try:
                    expected: object = find_account(conn, ref)
                except errors.CsmctlError as error:
                    expected = (type(error), error.message, error.hint)
                got = batched[ref]
                if isinstance(got, errors.CsmctlError):
                    got = (type(got), got.message, got.hint)
                assert got == expected, ref
    finally:
        database.dispose()


def test_account_repeats_within_and_across_batches(cli, tmp_path, small_batches):
    """The lines an account import has seen live in a temp table, checked a batch at a time: a
    repeat of a row of the same batch or of an earlier one names that row's line alike."""
    path = tmp_path / "accounts.csv"
    path.write_text(
        "name,external_id\n"
        "Acme,EXT-A\n"  # line 2
        "Äsa Industries,\n"  # line 3 (batch 2 starts at line 4)
        "ACME,\n"  # the name of line 2, folded
        "Globex,EXT-A\n"  # the external id of line 2
        "äsa industries,EXT-Q\n"  # the name of line 3, folded (Unicode)
        "Initech,EXT-I\n"  # line 7
        "Hooli,EXT-I\n"  # the id of line 7, same batch
        "initech,\n"  # the name of line 7
    )
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"  {path}, line 4, name: the same account appears earlier in the file (line 2) (got 'ACME')",
        f"  {path}, line 5, external_id: the same account appears earlier in the file (line 2) (got 'EXT-A')",
        f"  {path}, line 6, external_id: the same account appears earlier in the file (line 3) (got 'EXT-Q')",
        f"  {path}, line 8, external_id: the same account appears earlier in the file (line 7) (got 'EXT-I')",
        f"  {path}, line 9, name: the same account appears earlier in the file (line 7) (got 'initech')",
    ]
    assert json.loads(cli.ok("account", "list", "-f", "json").stdout) == []  # nothing written


def test_account_import_twice_on_one_connection(tmp_path, db_target):
    """A second import on the same open book (library use) starts from no remembered lines (the
    lines live in a temp table, which SQLite keeps past a commit): its rows are updates."""
    from datetime import date, datetime

    from csmctl.importing.accounts import AccountImporter
    from csmctl.importing.reader import read_table
    from csmctl.importing.runner import plan_columns, run_import
    from csmctl.store.database import Database

    path = tmp_path / "accounts.csv"
    path.write_text("name,external_id\nAcme,EXT-A\nGlobex,\n")
    database = Database(str(db_target))
    try:
        reports = []
        for _ in range(2):
            importer = AccountImporter()
            table = read_table(path)
            columns = plan_columns(importer, table, preset=None, user_map={})
            reports.append(
                run_import(
                    database,
                    importer,
                    table,
                    columns=columns,
                    today=date(2026, 5, 1),
                    now=datetime(2026, 5, 1),
                )
            )
            table.close()
    finally:
        database.dispose()
    assert [(r.created, r.unchanged) for r in reports] == [(2, 0), (0, 2)]
