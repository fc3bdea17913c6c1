"""When the cycle collector runs in a csmctl process.

Start-up imports Typer, SQLAlchemy, csmctl's own modules and (for documents) Jinja2 and pydantic:
a few hundred thousand objects that live until the process ends, and not one of them garbage.
The collector, left alone, walks them again and again while they are being made (a fifth of
`account show`'s CPU, a sixth of `stale`'s on the 100k book). So the entry point pauses it
(:func:`pause`), and the first piece of real work - a book opened, a template environment made -
ends start-up (:func:`started`): what start-up made is frozen (never walked again, see
:func:`gc.freeze`) and the collector runs as usual from there on. A command that ends before
either just exits; :func:`resume` puts the collector back for an in-process caller.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Start-up begins: no collection until :func:`started` (only if the collector was on)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def started() -> None:
    """Start-up is over: freeze what it made and let the collector run again (once; a no-op
    unless :func:`pause` stopped it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def resume() -> None:
    """The command is done: the collector runs again if start-up never ended (nothing frozen)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
