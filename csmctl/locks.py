"""A run lock: overlapping cron runs of a report exit at once instead of racing each other.

``fcntl.flock`` on a file next to the database, non-blocking: the second run raises
``errors.Busy`` (exit 4). The kernel drops the lock when the process ends, so a crashed run
never leaves a stale lock behind. The holder removes the file before it lets go, so a cron job
writing a dated report every day does not leave a lock file per day; a run that opened the file
just before it was removed sees that the path no longer names what it locked and tries again
(the usual unlink-while-locked protocol).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from csmctl.errors import Busy, CsmctlError


@contextmanager
def run_lock(path: Path, *, what: str = "report run") -> Iterator[Path]:
    import fcntl

    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise CsmctlError(
                f"Cannot create the lock file {path}: {error.strerror}.",
                "Check that the database's directory is writable.",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Busy(
                f"Another {what} holds the lock {path}; nothing was written.",
                "Try again when it has finished (runs overlap when cron fires faster than a run).",
            ) from None
        if _still_names(path, fd):
            break
        os.close(fd)  # the holder before us removed the file after we opened it: lock the new one
    try:
        yield path
    finally:
        try:
            path.unlink(missing_ok=True)  # while still locked, so nobody can lock it in between
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _still_names(path: Path, fd: int) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)
