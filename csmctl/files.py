"""Writing output files atomically: a temporary name in the same directory, then a rename.

A reader (or a mail job picking up cron's report) sees the old file or the new one, never half
of one; a failure leaves the old file as it was and no temporary behind. New files are 0600 (they
hold customer data); a replaced file keeps its mode.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from csmctl.errors import CsmctlError


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and every missing parent 0700 (``mkdir -p`` would leave the parents
    at the umask's mercy, e.g. 0777 under umask 000). Existing directories are left alone."""
    missing = []
    for folder in (directory, *directory.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # another process made it meanwhile
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask


def is_stdout(path: Path | str | None) -> bool:
    return path is None or str(path) == "-"


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Delete what a killed run (SIGKILL, power cut) left behind for this file: partial
    customer data must not linger. Only ``.NAME.PID.tmp`` files whose process is gone."""
    prefix = f".{name}."
    try:
        candidates = [p for p in directory.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return
    for path in candidates:
        pid = path.name[len(prefix) : -len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running (or the pid was reused): leave it
        except ProcessLookupError:
            pass
        except OSError:
            continue  # exists but not ours to signal
        try:
            path.unlink()
        except OSError:
            pass


@contextmanager
def atomic_writer(
    path: Path | str, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """``with atomic_writer(p) as f: f.write(...)`` — the file appears whole or not at all."""
    target = Path(path).expanduser()
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise CsmctlError(f"{target} is a directory.", "Give a file name with -o.")
    if not directory.is_dir():
        raise CsmctlError(f"Cannot write {target}: the directory {directory} does not exist.")
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o600
    _remove_stale_temporaries(directory, target.name)
    temp = directory / f".{target.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise CsmctlError(
            f"Cannot write {target}: {error.strerror}.",
            "Check the directory is writable, or choose another -o path.",
        ) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass
        raise


@contextmanager
def output_stream(path: Path | str | None, *, newline: str | None = None) -> Iterator[TextIO]:
    """stdout for None or '-', else an atomic file."""
    if is_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    # is_stdout() above ruled out None, which mypy cannot see through the call
    with atomic_writer(path, newline=newline) as handle:  # type: ignore[arg-type]
        yield handle


def write_text(path: Path | str | None, text: str) -> None:
    with output_stream(path) as handle:
        handle.write(text)
