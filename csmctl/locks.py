"""A run lock: overlapping cron runs of a report exit at once instead of racing each other.

``fcntl.flock`` on a file next to the database, non-blocking: the second run raises
``errors.Busy`` (exit 4). The kernel drops the lock when the process ends, so a crashed run
never leaves a stale lock behind (the empty lock file itself is harmless and reused).
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

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise CsmctlError(
            f"Cannot create the lock file {path}: {error.strerror}.",
            "Check that the database's directory is writable.",
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(
                f"Another {what} holds the lock {path}; nothing was written.",
                "Try again when it has finished (runs overlap when cron fires faster than a run).",
            ) from None
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
