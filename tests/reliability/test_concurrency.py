"""Two processes writing at once: nothing lost, no traceback, a clear exit 4 past busy_timeout.

The writers are real processes (``writer.py``) sharing one book file; each command opens the
book and takes its own transaction, exactly as separate ``csmctl`` runs do.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmctl.cli import app
from tests.reliability.conftest import (
    SCALE,
    assert_clean_error,
    clean_env,
    count,
    fetch,
    quick_check,
    run_csmctl,
)

pytestmark = pytest.mark.reliability

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).parents[2]


def start_writer(
    tmp_path: Path, db: Path, name: str, script: list[list[str]], go: Path | None = None, **env: str
) -> subprocess.Popen:
    script_file = tmp_path / f"{name}.json"
    script_file.write_text(json.dumps(script))
    argv = [sys.executable, str(WRITER), str(db), str(script_file)] + ([str(go)] if go else [])
    return subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=clean_env(tmp_path, **env),
    )


def results(proc: subprocess.Popen, timeout: float = 300) -> list[dict]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    return [json.loads(line) for line in out.splitlines()]


def failures(records: list[dict]) -> list[dict]:
    return [r for r in records if r["exit"] != 0 or "stderr" in r or "exception" in r]


def test_two_processes_adding_accounts_and_contacts_lose_nothing(tmp_path, small_book):
    n = 50 * SCALE
    scripts = {}
    for who in ("A", "B"):
        script = []
        for i in range(n):
            script.append(["account", "add", f"{who} {i:04d}", "--arr", f"{i}k", "--tag", who])
            if i % 3 == 0:
                script.append(
                    ["contact", "add", f"{who} {i:04d}", f"Person {who}{i}", "--email", f"p{who}{i}@x.io"]
                )
                script.append(["contact", "add", "Acme", f"Shared {who}{i}"])
        scripts[who] = script
    go = tmp_path / "go"
    procs = [start_writer(tmp_path, small_book, who, script, go) for who, script in scripts.items()]
    go.touch()
    records = [r for proc in procs for r in results(proc)]
    assert failures(records) == []
    writes = len(records)
    assert writes == sum(len(s) for s in scripts.values())
    assert quick_check(small_book) == "ok"
    assert count(small_book, "account") == 3 + 2 * n
    contacts_each = len(range(0, n, 3))
    assert count(small_book, "contact") == 2 + 4 * contacts_each
    for who in ("A", "B"):
        names = [
            r[0]
            for r in fetch(small_book, "SELECT name FROM account WHERE tags LIKE ? ORDER BY name", f"%{who}%")
        ]
        assert names == [f"{who} {i:04d}" for i in range(n)]
        arr = fetch(small_book, "SELECT sum(arr_minor) FROM account WHERE tags LIKE ?", f"%{who}%")[0][0]
        assert arr == sum(i * 1000 * 100 for i in range(n))
    assert fetch(small_book, "PRAGMA foreign_key_check") == []
    print(f"concurrent writes: {writes}, lost: 0")


def test_a_writer_waiting_past_busy_timeout_exits_4_with_a_clear_line(tmp_path, small_book):
    holder = sqlite3.connect(small_book, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE account SET notes = 'held' WHERE id = 1")
    before = fetch(small_book, "SELECT count(*) FROM account")
    try:
        env = clean_env(tmp_path, CSMCTL_BUSY_TIMEOUT="0.3")
        for argv in (
            ["account", "add", "Waiter"],
            ["account", "edit", "Acme", "--arr", "5k"],
            ["contact", "add", "Acme", "Waiter"],
        ):
            started = time.monotonic()
            result = run_csmctl(small_book, *argv, env=env)
            assert result.returncode == 4, result.stderr
            assert_clean_error(result, codes=(4,))
            assert result.stderr.splitlines()[0] == (
                f"Error: The database {small_book} is locked by another csmctl (or other program)."
            )
            assert "CSMCTL_BUSY_TIMEOUT" in result.stderr
            assert time.monotonic() - started >= 0.3
        # Readers are not blocked by a writer (WAL): a listing still works meanwhile.
        listed = run_csmctl(small_book, "account", "list", "-f", "json", env=env)
        assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 3
    finally:
        holder.rollback()
        holder.close()
    assert fetch(small_book, "SELECT count(*) FROM account") == before
    assert fetch(small_book, "SELECT notes FROM account WHERE id = 1") == [(None,)]


def test_read_then_write_racing_another_writer_loses_no_update(tmp_path, small_book):
    """`account edit` (resolve, then update) against imports that update the same account."""
    n = 30 * SCALE
    edits = [["account", "edit", "Acme", "--arr", f"{i + 1}k"] for i in range(n)]
    imports = []
    for i in range(n):
        path = tmp_path / f"notes{i}.csv"
        path.write_text(f"name,notes,owner\nAcme,note {i + 1},owner {i + 1}\nGlobex,note {i + 1},\n")
        imports.append(["import", "accounts", str(path)])
    go = tmp_path / "go"
    procs = [
        start_writer(tmp_path, small_book, "edits", edits, go),
        start_writer(tmp_path, small_book, "imports", imports, go),
    ]
    go.touch()
    records = [r for proc in procs for r in results(proc)]
    assert failures(records) == []
    assert fetch(small_book, "SELECT arr_minor, notes, owner FROM account WHERE name = 'Acme'") == [
        (n * 1000 * 100, f"note {n}", f"owner {n}")
    ]
    assert fetch(small_book, "SELECT notes FROM account WHERE name = 'Globex'") == [(f"note {n}",)]
    print(f"racing read-then-write commands: {len(records)}, lost updates: 0")


def test_db_backup_while_another_process_writes_is_consistent(tmp_path, small_book):
    n = 60 * SCALE
    script = [["account", "add", f"W {i:05d}"] for i in range(n)]
    writer = start_writer(tmp_path, small_book, "w", script)
    runner = CliRunner()
    backups = []
    try:
        while writer.poll() is None or not backups:
            target = tmp_path / f"copy{len(backups)}.db"
            result = runner.invoke(
                app, ["--db", str(small_book), "db", "backup", str(target)], catch_exceptions=False
            )
            assert result.exit_code == 0, result.stderr
            backups.append(target)
            time.sleep(0.2)
    finally:
        records = results(writer)
    assert failures(records) == []
    expected = [f"W {i:05d}" for i in range(n)]
    sizes = []
    for backup in backups:
        assert quick_check(backup) == "ok"
        names = [r[0] for r in fetch(backup, "SELECT name FROM account WHERE name LIKE 'W %' ORDER BY id")]
        assert names == expected[: len(names)], f"{backup} is not a prefix of the writes"
        assert fetch(backup, "SELECT name FROM account WHERE id <= 3 ORDER BY id") == [
            ("Acme",),
            ("Globex",),
            ("Initech",),
        ]
        sizes.append(len(names))
    assert count(small_book) == 3 + n
    print(f"backups during {n} writes: {len(backups)}, accounts in them: {sizes}")
