"""What commands that hold a whole book in memory share."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """A command that keeps several small objects per account alive until it is done (scoring a
    whole book for `book`, the facts and firings of `play run`) would have the cycle collector
    walk them again and again as it allocates (a third of the CPU on 100k accounts). Their code
    makes no reference cycles: collection waits until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
