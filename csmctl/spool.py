"""Listings bigger than memory should hold: a spool (items kept in order, spilled to a temporary
file past a bound) and a bounded external sort built on it.

A listing whose order comes from a Python rule (``stale``: the cadence rules say how overdue an
account is) cannot take its order from the database. ``sort_spilled`` sorts chunks of at most
``chunk`` items in memory, spills each sorted chunk to a temporary file, and merges them back
with ``heapq.merge``: peak memory is one chunk whatever the size of the book. When the input fits
in one chunk nothing is written at all, so a book that fits pays only ``sorted()``.

A plain-text table needs every cell before its first line (the column widths): ``Spool`` holds
the rows and hands them back in order, from memory while they fit and from a temporary file
beyond that. Spill files are pickles of batches, written and read by this process only, and
removed when closed (``tempfile.TemporaryFile``, in ``TMPDIR``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")
# How a spool's items are written to its file and read back: (pack, unpack), each applied to one
# item (a compact tuple of plain values pickles at a fraction of the cost of a dict of dates).
Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]

# Items held in memory before a spool or a sort spills: a 100k-account book's listings (about 60k
# stale accounts, 45k renewals in 120 days) stay in memory; a bigger book holds no more than that.
IN_MEMORY = 65536
# Items per pickle in a spill file: one batch per run is in memory while merging.
BATCH = 2_048


class Spool(Generic[T]):
    """Items appended in order and read back in that order (once, or again: ``__iter__`` replays).
    At most ``limit`` items are held in memory; past that every item goes to a temporary file in
    batches of ``batch``."""

    def __init__(
        self,
        limit: int | None = None,
        batch: int = BATCH,
        *,
        pool: Pool | None = None,
        counted: bool = True,
        codec: Codec | None = None,
    ) -> None:
        self._limit, self._batch = IN_MEMORY if limit is None else limit, max(1, batch)
        self._codec = codec  # what the file holds per item, when not the item itself
        self._pool = pool  # the bound shared with other spools, instead of ``limit``
        self._counted = counted  # False: its items are counted in another spool of the pool
        self._front: list[T] = []  # a pool's spool: what it held when it spilled (counted, kept)
        self._held: list[T] = []
        self._file: IO[bytes] | None = None
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def spilled(self) -> bool:
        return self._file is not None

    def append(self, item: T) -> None:
        self._held.append(item)
        self._count += 1
        if self._file is not None:
            if len(self._held) >= self._batch:
                self._flush()
        elif self._pool is not None:
            if self._pool.left > 0:
                self._pool.left -= self._counted
            else:  # what it held stays in memory (within the bound); the rest goes to the file
                self._front, self._held = self._held[:-1], self._held[-1:]
                self._file = _spill_file()
        elif len(self._held) > self._limit:
            self._file = _spill_file()
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def spill(self, items: list[T]) -> None:
        """Append ``items`` straight to the file, in whole batches (a sorted run of
        ``sort_spilled``): none of ``append``'s bookkeeping per item. For a spool of its own (no
        pool): what it held before goes to the file first, so the order is kept."""
        assert self._pool is None
        if self._file is None:
            self._file = _spill_file()
        self._held.extend(items)
        self._count += len(items)
        self._flush()

    def _flush(self) -> None:
        import pickle

        assert self._file is not None
        pack = self._codec[0] if self._codec else None
        for start in range(0, len(self._held), self._batch):
            batch = self._held[start : start + self._batch]
            pickle.dump(list(map(pack, batch)) if pack else batch, self._file, pickle.HIGHEST_PROTOCOL)
        self._held = []

    def __iter__(self) -> Iterator[T]:
        if self._file is None:
            return iter(self._held)
        return itertools.chain(self._front, self._replay(self._file), self._held)

    def __getitem__(self, index: int) -> T:
        """A template's ``rows[0]``: from memory, or (spilled) by reading the items back up to it
        (a negative index reads them all: it counts from the end)."""
        if self._file is None:
            return self._held[index]
        if 0 <= index < len(self._front):
            return self._front[index]
        if index >= 0:
            for item in itertools.islice(self, index, None):
                return item
            raise IndexError(index)
        return list(self)[index]

    def __reversed__(self) -> Iterator[T]:
        return reversed(self._held if self._file is None else list(self))

    def _replay(self, file: IO[bytes]) -> Iterator[T]:
        # chain.from_iterable walks each batch in C: the generator resumes once a batch, not once
        # an item (a merge of spilled runs reads every item through here).
        return itertools.chain.from_iterable(self._batches(file))

    def _batches(self, file: IO[bytes]) -> Iterator[list[T]]:
        import pickle

        unpack = self._codec[1] if self._codec else None
        file.seek(0)
        while True:
            try:
                batch = pickle.load(file)
            except EOFError:
                return
            yield list(map(unpack, batch)) if unpack else batch

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._front, self._held = [], []

    def __enter__(self) -> Spool[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Pool:
    """Spools filled side by side that share one bound: together they hold at most ``limit``
    items in memory (the renewal report's buckets and lists); past it, the spool that takes the
    next item spills (its items so far and every later one go to its temporary file). A spool
    made with ``counted=False`` holds items that are also in a counted spool (the report's
    notices, which are in their buckets too): in memory they cost a reference, so only their
    spilling follows the bound."""

    def __init__(self, limit: int | None = None, batch: int = BATCH) -> None:
        self.left = IN_MEMORY if limit is None else limit
        self._batch = batch
        self._spools: list[Spool[Any]] = []

    def spool(self, counted: bool = True, codec: Codec | None = None) -> Spool[Any]:
        made: Spool[Any] = Spool(batch=self._batch, pool=self, counted=counted, codec=codec)
        self._spools.append(made)
        return made

    def close(self) -> None:
        for spool in self._spools:
            spool.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Sorted(Generic[T]):
    """The sorted items (``__iter__``, again as often as asked) and how many there are (``len``),
    known before the first is read: one sorted run, or several (spilled ones, and the last held in
    memory) merged as they are read."""

    def __init__(self, runs: list[Iterable[T]], count: int, key: Callable[[T], Any] | None) -> None:
        self._runs, self._count, self._key = runs, count, key

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        if len(self._runs) == 1:
            return iter(self._runs[0])
        import heapq

        return heapq.merge(*self._runs, key=self._key)  # type: ignore[arg-type]

    def close(self) -> None:
        for run in self._runs:
            if isinstance(run, Spool):
                run.close()

    def __enter__(self) -> Sorted[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def sort_spilled(
    items: Iterable[T], *, key: Callable[[T], Any] | None = None, chunk: int | None = None
) -> Sorted[T]:
    """``sorted(items, key=key)`` (stable, the same order for equal keys) holding at most ``chunk``
    items in memory: each full chunk is sorted and spilled, and the runs are merged as they are
    read. The last chunk stays in memory (the merge holds no more than the sort did), so a book
    just past one chunk spills one run. Reads all of ``items`` before returning (a database cursor
    can close after this)."""
    chunk = chunk or IN_MEMORY
    source = iter(items)
    block = list(itertools.islice(source, chunk))
    block.sort(key=key)
    runs: list[Iterable[T]] = []
    count = len(block)
    while len(block) == chunk and (following := list(itertools.islice(source, 1))):
        run: Spool[T] = Spool(limit=0)
        run.spill(block)
        runs.append(run)
        block = following  # one chunk alive at a time
        block.extend(itertools.islice(source, chunk - 1))
        block.sort(key=key)
        count += len(block)
    runs.append(block)
    return Sorted(runs, count, key)


def _spill_file() -> IO[bytes]:
    """The anonymous temporary file a spool spills to. pickle, tempfile and heapq are imported only
    when something spills or merges: most listings fit in memory, and importing them cost every
    table ~15-35 ms of start-up."""
    import tempfile

    return tempfile.TemporaryFile()  # noqa: SIM115 - the spool closes it
