"""Re-run a command when its input files change (``--watch``), on watchfiles.

watchfiles (Rust notify underneath) is used rather than polling by hand: it debounces the bursts
of events an editor's save makes, sees atomic renames, and stops cleanly on Ctrl-C or an event.
The parent folders are watched, not the files: editors replace a file on save, which would end a
watch on the file itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from csmctl.errors import CsmctlError


def watch_and_run(
    files: Iterable[Path],
    run: Callable[[], None],
    report: Callable[[CsmctlError], None],
    *,
    stop: threading.Event | None = None,
    ready: Callable[[int], None] | None = None,
) -> int:
    """Run ``run`` now and after every saved change to ``files``; a CsmctlError goes to ``report``
    and the watch goes on. Returns how many runs there were when ``stop`` is set (or Ctrl-C)."""
    from watchfiles import watch

    targets = {Path(f).resolve() for f in files}
    folders = sorted({str(t.parent) for t in targets})
    runs = 0

    def once() -> None:
        nonlocal runs
        try:
            run()
        except CsmctlError as error:
            report(error)
        runs += 1
        if ready:
            ready(runs)

    once()
    try:
        for _ in watch(
            *folders,
            watch_filter=lambda _change, path: Path(path).resolve() in targets,
            stop_event=stop,
            raise_interrupt=False,
            yield_on_timeout=False,
        ):
            once()
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C ends the watch quietly
        pass
    return runs
