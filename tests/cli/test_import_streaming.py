"""Import streams the file (issue 19): one pass, rows counted on the way, the same stored values."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.importing.reader import read_table


def test_bulk_insert_stores_what_an_ordinary_insert_stores(cli):
    import sqlalchemy as sa

    from csmctl.store.accounts import new_account_row
    from csmctl.store.bulk import bulk_insert
    from csmctl.store.database import Database
    from csmctl.store.models import Account

    cli.ok("db", "init")
    database = Database(str(cli.db_path))
    table = Account.__table__
    now = datetime(2026, 5, 4, 3, 2, 1)
    values = {"owner": "Dana", "renewal_date": date(2027, 1, 2), "tags": ["a"], "auto_renew": True}
    try:
        with database.write() as session:
            conn = session.connection()
            conn.execute(
                sa.insert(table), [new_account_row({**values, "name": "Old"}, today=now.date(), now=now)]
            )
            bulk_insert(conn, table, [new_account_row({**values, "name": "New"}, today=now.date(), now=now)])
        with database.read() as session:
            stored = {
                row[0]: row[1:]
                for row in session.connection().exec_driver_sql(
                    "SELECT name, created_at, updated_at, stage_since, renewal_date, auto_renew, tags, "
                    "owner_key, archived FROM account"
                )
            }
    finally:
        database.dispose()
    assert stored["New"] == stored["Old"]


def test_a_csv_file_is_read_once_as_it_is_walked(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,arr\n" + "".join(f"Acme {i},{i}\n" for i in range(3000)))
    table = read_table(path)
    assert table.count is None  # not counted up front: that was a second pass over the text
    assert table.columns == ["name", "arr"]
    rows = list(table.iter_rows())
    assert [r.line for r in rows[:2]] == [2, 3] and rows[-1].values == {"name": "Acme 2999", "arr": "2999"}
    assert list(table.iter_rows()) == []  # one pass: the file is not read again
    table.close()


def test_the_summary_counts_the_rows_seen(cli, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name\nAcme\n\nGlobex\n")
    result = cli.ok("import", "accounts", str(path))
    assert "Imported 2 accounts" in result.stderr


@pytest.mark.parametrize(
    "content, message, line",
    [
        (b"name\nAcme\nGlo\x00bex\n", "contains a NUL byte", 3),
        (b"name\nAcme\n" + b"x" * 70_000 + b"\nCaf\xe9\n", "not UTF-8 text (byte 0xe9)", 4),
        (b'name\nAcme\n"Glo\nbex\n', "a quoted cell starting on this line is never closed", 3),
    ],
)
def test_errors_found_while_streaming_keep_their_line_and_write_nothing(
    cli, tmp_path, content, message, line
):
    cli.ok("db", "init")
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 1, result.output
    assert f"{path}, line {line}: {message}" in result.stderr
    assert cli.ok("account", "list", "-f", "json").stdout.strip() == "[]"


def test_stdin_streams_through_a_spooled_copy(cli):
    result = cli.ok("import", "accounts", "-", input="name,owner\nAcme,Dana\n")
    assert "Imported 1 accounts" in result.stderr


def test_neutralised_formula_cells_read_back_wherever_they_are(tmp_path):
    """The reader finds a leading apostrophe in any cell of a row (first, middle, last) and
    leaves an apostrophe inside a cell alone."""
    path = tmp_path / "a.csv"
    path.write_text("a,b,c\n'=1+2,O'Brien,x\nx,'@SUM(A1),'+A1\nplain,it's,'not a formula\n", encoding="utf-8")
    table = read_table(path)
    try:
        rows = [row.values for row in table.iter_rows()]
    finally:
        table.close()
    assert rows == [
        {"a": "=1+2", "b": "O'Brien", "c": "x"},
        {"a": "x", "b": "@SUM(A1)", "c": "+A1"},
        {"a": "plain", "b": "it's", "c": "'not a formula"},
    ]


def test_a_column_map_reads_records_that_lack_some_columns():
    from csmctl.importing.mapping import map_columns

    columns = map_columns(["Name", "Owner", "Notes"], {"name": "name", "owner": "owner", "notes": "notes"})
    assert columns.apply({"Name": "A", "Owner": "B", "Notes": "C"}) == {
        "name": "A",
        "owner": "B",
        "notes": "C",
    }
    assert columns.apply({"Name": "A"}) == {"name": "A", "owner": None, "notes": None}
    single = map_columns(["Name"], {"name": "name"})
    assert single.apply({"Name": "A"}) == {"name": "A"}
    assert single.apply({}) == {"name": None}


_FIELDS = {"name": "name", "owner": "owner", "notes": "notes", "tier": "tier"}


@given(
    st.permutations(["Name", "owner", "Notes", "tier", "Extra"]).flatmap(
        lambda headers: st.tuples(
            st.just(headers),
            st.lists(st.sampled_from(headers), unique=True),  # the record's keys, in its order
            st.dictionaries(st.sampled_from(headers), st.sampled_from(["", "tier", "notes"])),  # --map
        )
    )
)
def test_a_column_map_gives_each_field_its_column_value_in_the_map_order(case):
    """Whatever the record's columns and their order (a full CSV row, a JSON record lacking some),
    and however columns are renamed: each field gets its column's value, in the map's order."""
    from csmctl.errors import InvalidValue
    from csmctl.importing.mapping import map_columns

    headers, keys, user_map = case
    try:
        columns = map_columns(headers, _FIELDS, user_map=user_map)
    except InvalidValue:  # two columns for one field, or no name: refused before any row
        return
    record = {key: f"value of {key}" for key in keys}
    expected = {field: record.get(column) for column, field in columns.to_field.items()}
    got = columns.apply(record)
    assert got == expected and list(got) == list(expected)


def test_an_importer_forgets_its_memo_when_today_changes():
    from csmctl.importing.accounts import AccountImporter
    from csmctl.importing.reader import Row
    from csmctl.importing.runner import RowContext

    importer = AccountImporter()
    ctx = RowContext(None, {})  # type: ignore[arg-type]
    row = Row(2, 1, {})
    first, _ = importer.parse({"name": "A", "renewal_date": "+1d"}, row, ctx, date(2026, 1, 1))
    later, _ = importer.parse({"name": "A", "renewal_date": "+1d"}, row, ctx, date(2026, 6, 1))
    assert (first["renewal_date"], later["renewal_date"]) == (date(2026, 1, 2), date(2026, 6, 2))


def test_an_import_writes_through_a_bigger_page_cache_that_ends_with_its_connection(
    cli, backend, tmp_path, monkeypatch
):
    """SQLite's default 2 MB page cache made a 100k-row import spill and re-read the pages of the
    account table and its indexes batch after batch: the import's connection gets a bounded bigger
    one, and the book's next connection has SQLite's default again."""
    from csmctl.store import bulk
    from csmctl.store.database import Database

    real, seen = bulk.roomy_cache, []

    def spy(conn):
        real(conn)
        seen.append(conn.exec_driver_sql("PRAGMA cache_size").scalar() if backend == "sqlite" else None)

    monkeypatch.setattr(bulk, "roomy_cache", spy)
    path = tmp_path / "a.csv"
    path.write_text("name\nAcme\n")
    cli.ok("import", "accounts", str(path))
    if backend != "sqlite":
        assert seen == [None]  # nothing to tune: PostgreSQL's buffers are the server's
        return
    assert seen == [-bulk.WRITE_CACHE_KIB]
    database = Database(str(cli.db_path))
    try:
        with database.read() as session:
            assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -2000
    finally:
        database.dispose()


@pytest.mark.sqlite_only  # the same imports on every backend; one real file is enough
def test_an_import_of_new_accounts_writes_on_core_and_an_update_through_the_model(
    cli, subprocess_env, csmctl_bin, tmp_path
):
    """New accounts go in as rows on a Core connection: the import loads neither SQLModel nor
    pydantic (a quarter of a second of its start-up). Updating an account goes through its model,
    in the same transaction."""
    from tests.cli.test_lean_reads import LEAN, _imported

    path = tmp_path / "a.csv"
    path.write_text("name,owner\nAcme,Dana\nGlobex,Dana\n")
    modules = _imported(
        csmctl_bin, ["--db", str(cli.db_path), "import", "accounts", str(path)], subprocess_env
    )
    assert "sqlalchemy.engine" in modules  # the check sees imports at all
    assert [name for name in LEAN if name in modules] == []
    contacts = tmp_path / "c.csv"
    contacts.write_text("account,name,email\nAcme,Ann,ann@acme.example\n")
    argv = ["--db", str(cli.db_path), "import", "contacts", str(contacts)]
    orm = ("sqlmodel", "sqlalchemy.orm", "csmctl.store.models")  # (its fields still load pydantic)
    assert [name for name in orm if name in _imported(csmctl_bin, argv, subprocess_env)] == []
    path.write_text("name,owner\nAcme,Lee\nInitech,Lee\n")
    assert "1 created, 1 updated, 0 unchanged" in cli.ok("import", "accounts", str(path)).stderr
    shown = json.loads(cli.ok("account", "list", "-f", "json").stdout)
    assert {a["name"]: a["owner"] for a in shown} == {"Acme": "Lee", "Globex": "Dana", "Initech": "Lee"}
