"""Where output goes and what the world does to it (issue 16, holes 4, 9 and 10).

`-o` onto a symlink, a FIFO or a device; a full disk on -o and on stdout; invalid UTF-8 in argv
and on stdin; JSON nested 5,000 deep; a backup into a read-only directory; and the hidden copies
a killed backup leaves behind. Each is one clear line (exit 1), nothing half-written.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading

import pytest

from tests.reliability.conftest import assert_clean_error, csmctl_command, run_csmctl

pytestmark = pytest.mark.reliability


def _device(tmp_path, name, minor):
    """A private character device (1,3 is null, 1,7 is full): never the host's own /dev."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    return path


def test_o_onto_a_symlink_writes_the_target_atomically(tmp_path, env, small_book):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = run_csmctl(small_book, "export", "accounts", "-o", str(link), env=env)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Acme" in real.read_text() and stat.S_IMODE(real.stat().st_mode) == 0o640


def test_o_onto_a_fifo_writes_into_it(tmp_path, env, small_book):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    result = run_csmctl(small_book, "export", "accounts", "-o", str(fifo), env=env)
    reader.join(timeout=10)
    if reader.is_alive():  # the old code renamed a file over the FIFO: release the reader
        with open(
            os.open(fifo, os.O_WRONLY | os.O_NONBLOCK) if stat.S_ISFIFO(fifo.stat().st_mode) else os.devnull,
            "w",
        ):
            pass
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and "Acme" in received[0]


def test_o_dev_stdout_into_a_pipe(env, small_book):
    result = run_csmctl(small_book, "export", "accounts", "-o", "/dev/stdout", env=env)
    assert result.returncode == 0, result.stderr
    assert "Acme" in result.stdout


def test_o_onto_a_null_device_keeps_the_device(tmp_path, env, small_book):
    null = _device(tmp_path, "null", 3)
    result = run_csmctl(small_book, "export", "accounts", "-o", str(null), env=env)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.stat().st_mode), "the device was replaced by a file of customer data"


@pytest.mark.parametrize("command", [["export", "accounts"], ["report", "renewals", "-f", "html"]])
def test_full_disk_on_o_is_a_clear_error(tmp_path, env, small_book, command):
    full = _device(tmp_path, "full", 7)
    result = run_csmctl(small_book, *command, "-o", str(full), env=env)
    assert_clean_error(result, codes=(1,))
    assert "No space left" in result.stderr and str(full) in result.stderr
    assert stat.S_ISCHR(full.stat().st_mode)


@pytest.mark.parametrize("args", [["account", "list"], ["account", "list", "-f", "json"], ["db", "path"]])
def test_stdout_on_a_full_disk_is_a_clear_error(tmp_path, env, small_book, args):
    full = _device(tmp_path, "full", 7)
    with open(full, "w") as stdout:
        result = subprocess.run(
            [*csmctl_command(), "--db", str(small_book), *args],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    assert_clean_error(result, codes=(1,))
    assert "standard output" in result.stderr and "No space left" in result.stderr


def test_invalid_utf8_in_argv_is_a_clear_error(env, small_book):
    result = subprocess.run(
        [
            *(os.fsencode(c) for c in csmctl_command()),
            b"--db",
            os.fsencode(small_book),
            b"account",
            b"add",
            b"\xff\xfe",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "not valid UTF-8" in stderr and "internal error" not in stderr, stderr
    out = subprocess.run(
        [*csmctl_command(), "--db", str(small_book), "account", "list", "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.stdout.count('"name"') == 3  # nothing was written


def test_invalid_utf8_on_stdin_is_a_clear_error(env, small_book):
    result = subprocess.run(
        [*csmctl_command(), "--db", str(small_book), "import", "accounts", "-"],
        input=b"name\n\xff\xfe Co\n",
        capture_output=True,
        env=env,
        timeout=120,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "UTF-8" in stderr and "internal error" not in stderr, stderr


def test_json_nested_5000_deep_is_a_clear_error(tmp_path, env, small_book):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000)
    for args in (["import", "accounts", str(deep)], ["jd", "validate", str(deep)]):
        result = run_csmctl(small_book, *args, env=env)
        assert_clean_error(result, codes=(1,))
        assert "nested too deeply" in result.stderr


def test_backup_into_a_read_only_directory_names_it(tmp_path, env, small_book, read_only):
    locked = tmp_path / "locked"
    locked.mkdir()
    read_only(locked)
    result = run_csmctl(small_book, "db", "backup", str(locked / "b.db"), env=env)
    assert_clean_error(result, codes=(1,))
    assert str(locked) in result.stderr and "--db" not in result.stderr
    assert list(locked.iterdir()) == []


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_killed_backups_hidden_copies_are_removed(tmp_path, env, small_book):
    pid = _dead_pid()
    folder = small_book.parent
    leftovers = [
        folder / f".{small_book.name}.v3-20260101T000000000000.bak.{pid}.tmp",
        folder / f".{small_book.name}.v3-20260101T000000000000.bak.{pid}.tmp-journal",
        folder / f".{small_book.name}.20260101T000000000000.bak.tmp-{pid}",  # the older name
        folder / f".{small_book.name}.20260101T000000000000.bak.tmp-{pid}-wal",
        folder / f".mine.db.{pid}.tmp",
        folder / f".mine.db.{pid}.tmp-shm",
    ]
    for path in leftovers:
        path.write_bytes(b"customer data")
    running = folder / f".{small_book.name}.x.bak.{os.getpid()}.tmp"  # a live process's: kept
    running.write_bytes(b"in progress")
    result = run_csmctl(small_book, "db", "backup", str(folder / "mine.db"), env=env)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in leftovers if p.exists()] == []
    assert running.exists()
    # even a plain read cleans what a killed pre-migration backup left
    leftovers[0].write_bytes(b"customer data")
    assert run_csmctl(small_book, "account", "list", env=env).returncode == 0
    assert not leftovers[0].exists()
