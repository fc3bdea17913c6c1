"""Writing output files atomically: a temporary name in the same directory, then a rename.

A reader (or a mail job picking up cron's report) sees the old file or the new one, never half
of one; a failure leaves the old file as it was and no temporary behind. New files are 0600 (they
hold customer data) unless written ``public=True`` (documents meant to be published: they follow
the umask); a replaced file keeps its mode.

``-o`` onto a symlink writes atomically at the link's target (the link stays); onto a FIFO or a
character device (``/dev/null``, ``/dev/stdout``, a named pipe) writes straight into it, since
renaming over it would replace the device with a file of customer data; anything else that is
not a regular file is refused. A full disk (``/dev/full`` included) is one clear error.
"""

from __future__ import annotations

import errno
import os
import stat
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


def refuse_shared_writable(path: Path, what: str) -> None:
    """Refuse ``path`` (a config file, a template or playbook) when a group or other users can
    write it or the directory holding it: another local user could plant a template or point
    ``db`` elsewhere. A sticky directory (/tmp) is fine: others cannot replace your files there."""
    for item in (path, path.parent):
        try:
            info = item.stat()
        except OSError:
            continue
        if info.st_mode & 0o022 and not (stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX):
            raise CsmctlError(
                f"Refusing {what} {path}: {item} is writable by "
                f"{'group and others' if info.st_mode & 0o002 else 'its group'} "
                f"(mode {stat.S_IMODE(info.st_mode):04o}), so another user could change it.",
                f"Make it yours alone: chmod go-w {item}",
            )


def is_stdout(path: Path | str | None) -> bool:
    return path is None or str(path) == "-"


_TEMP_SIDECARS = ("-journal", "-wal", "-shm")


def temporary_name(name: str) -> str:
    """The hidden name this process writes ``name`` under before the rename."""
    return f".{name}.{os.getpid()}.tmp"


def remove_stale_temporaries(directory: Path, prefix: str) -> None:
    """Delete what a killed run (SIGKILL, power cut) left behind: partial customer data must
    not linger. Only hidden temporaries of names starting with ``prefix`` (``.NAME.PID.tmp``,
    SQLite's -journal/-wal/-shm beside them, and the older ``.NAME.tmp-PID``) whose process is
    gone."""
    try:
        candidates = [p for p in directory.iterdir() if p.name.startswith("." + prefix)]
    except OSError:
        return
    for path in candidates:
        name = path.name
        for sidecar in _TEMP_SIDECARS:
            name = name.removesuffix(sidecar)
        if name.endswith(".tmp"):
            pid = name[: -len(".tmp")].rpartition(".")[2]
        elif ".tmp-" in name:
            pid = name.rpartition(".tmp-")[2]
        else:
            continue
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


_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def write_failed(target: Path | str, error: OSError) -> CsmctlError:
    """The one message for a write that failed under us (full disk, quota, I/O error)."""
    return CsmctlError(
        f"Cannot write {target}: {error.strerror or error}; nothing was written.",
        "Free some space, or write somewhere else, and run again.",
    )


def umask() -> int:
    current = os.umask(0o077)
    os.umask(current)
    return current


@contextmanager
def atomic_writer(
    path: Path | str, *, encoding: str = "utf-8", newline: str | None = None, public: bool = False
) -> Iterator[TextIO]:
    """``with atomic_writer(p) as f: f.write(...)`` — the file appears whole or not at all."""
    given = Path(path).expanduser()
    try:
        info = given.stat()  # what the path names in the end, through any symlink
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise CsmctlError(f"{given} is a directory.", "Give a file name with -o.")
    if info is not None and not stat.S_ISREG(info.st_mode):
        # a FIFO or device, also behind a link (/dev/stdout -> /proc/self/fd/1 -> pipe)
        with _direct_writer(given, info, encoding=encoding, newline=newline) as handle:
            yield handle
        return
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise CsmctlError(f"Cannot write {given}: the directory {directory} does not exist.")
    mode = info.st_mode & 0o777 if info is not None else (0o666 & ~umask() if public else 0o600)
    remove_stale_temporaries(directory, target.name + ".")
    temp = directory / temporary_name(target.name)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        os.unlink(temp)  # our own pid's leftover: a previous run that was killed
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise CsmctlError(
            f"Cannot write {given}: {error.strerror}.",
            "Check the directory is writable, or choose another -o path.",
        ) from None
    try:
        try:
            with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, mode)
            os.replace(temp, target)
        except OSError as error:
            if error.errno in _DISK_ERRORS:
                raise write_failed(given, error) from None
            raise
    except BaseException:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass
        raise


@contextmanager
def _direct_writer(
    path: Path, info: os.stat_result, *, encoding: str, newline: str | None
) -> Iterator[TextIO]:
    """Write into a FIFO or character device as it is; refuse sockets and block devices."""
    if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        raise CsmctlError(
            f"{path} is not a regular file (a socket or block device); nothing was written.",
            "Give a file name with -o.",
        )
    try:
        handle = open(path, "w", encoding=encoding, newline=newline)  # noqa: SIM115 - closed below
    except OSError as error:
        raise CsmctlError(f"Cannot write {path}: {error.strerror}.", "Choose another -o path.") from None
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as error:
        if error.errno in _DISK_ERRORS:
            raise write_failed(path, error) from None
        raise


@contextmanager
def output_stream(
    path: Path | str | None, *, newline: str | None = None, public: bool = False
) -> Iterator[TextIO]:
    """stdout for None or '-', else an atomic file (``public``: mode from the umask)."""
    if is_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    # is_stdout() above ruled out None, which mypy cannot see through the call
    with atomic_writer(path, newline=newline, public=public) as handle:  # type: ignore[arg-type]
        yield handle


def write_text(path: Path | str | None, text: str, *, public: bool = False) -> None:
    with output_stream(path, public=public) as handle:
        handle.write(text)


@contextmanager
def stdout_when_whole(*, spill: int = 1 << 20) -> Iterator[TextIO]:
    """A stream that reaches stdout only once the writing finished: a failure half-way leaves
    nothing on stdout, as a failed ``-o`` leaves no file. Up to ``spill`` characters stay in
    memory, the rest goes to a private temporary file, so a big document never sits in memory."""
    import shutil
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=spill, mode="w+", encoding="utf-8", newline="") as buffer:
        yield buffer  # type: ignore[misc]  # a TextIO in "w+" mode
        buffer.seek(0)
        shutil.copyfileobj(buffer, sys.stdout, 1 << 16)
    sys.stdout.flush()
