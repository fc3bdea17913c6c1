"""When the cycle collector runs in a csmctl process: one home for pausing it.

Start-up imports Typer, SQLAlchemy, csmctl's own modules and (for documents) Jinja2 and pydantic:
a few hundred thousand objects that live until the process ends, and not one of them garbage.
The collector, left alone, walks them again and again while they are being made (a fifth of
`account show`'s CPU, a sixth of `stale`'s on the 100k book). So the entry point pauses it
(:func:`pause`), and the first piece of real work - a book opened, a template environment made -
ends start-up (:func:`started`): what start-up made is frozen (never walked again, see
:func:`gc.freeze`) and the collector runs as usual from there on. A command that ends before
either just exits; :func:`resume` puts the collector back for an in-process caller.

A command that keeps several small objects per account alive until it is done holds the
collector off for that block (:func:`cycles_collected_after`); start-up ending inside such a
block does not turn it back on before the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_startup = False  # paused by pause(), until started() or resume()
_holds = 0  # cycles_collected_after() blocks open


def pause() -> None:
    """Start-up begins: no collection until :func:`started` (only if the collector was on)."""
    global _startup
    if gc.isenabled():
        gc.disable()
        _startup = True


def started() -> None:
    """Start-up is over: freeze what it made and let the collector run again (once, and not
    inside a :func:`cycles_collected_after` block; a no-op unless :func:`pause` stopped it)."""
    global _startup
    if _startup:
        _startup = False
        gc.freeze()
        if not _holds:
            gc.enable()


def resume() -> None:
    """The command is done: the collector runs again if start-up never ended (nothing frozen)."""
    global _startup
    if _startup:
        _startup = False
        if not _holds:
            gc.enable()


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """A command that keeps several small objects per account alive until it is done (scoring a
    whole book for `book`, the facts and firings of `play run`, a report's renewals) would have
    the collector walk them again and again as it allocates (a third of the CPU on 100k accounts).
    Their code makes no reference cycles: collection waits until the block ends."""
    global _holds
    ours = gc.isenabled() or _startup  # whether the collector is to run once the block is over
    gc.disable()
    _holds += 1
    try:
        yield
    finally:
        _holds -= 1
        if ours and not _holds and not _startup:
            gc.enable()
