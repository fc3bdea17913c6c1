"""What every bench case group shares: a case, the run's context, timing and the same-output check.

A case group is a module `bench/cases_<topic>.py` with `cases(ctx: Ctx) -> list[Case]`; `run.py`
lists the groups in `GROUPS`. A group that pairs csmctl with a stdlib script producing the same
output marks the pair with ``same`` ("bytes", or "parsed" where the order is not defined) and
``run.py`` checks it once before anything is timed (a pair that differs shows `NO` in the table).

Timing: CPU seconds (user + system of the child, from ``os.wait4``) are the ratio basis, since on a
shared machine wall time includes waiting for a core; wall seconds and peak RSS are reported beside.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
PASS = "python -c pass"
FLOOR = "python -c 'import sqlmodel' (import floor)"
SA_FLOOR = "python -c 'import sqlalchemy'"


@dataclass
class Case:
    name: str
    argv: list[str]
    baseline: str  # name of another case
    goal: float | None = None  # ratio goal (<=); for "rows/s" cases the ratio is inverted
    env: dict[str, str] | None = None
    prepare: Callable[[], None] | None = None  # run before every timing (e.g. a fresh target)
    # The baseline makes the same output: "bytes" (identical) or "parsed" (equal as JSON, for
    # output whose order is not defined). None: the baseline is a floor, not the same output.
    same: str | None = None
    output: Path | None = None  # the file the case writes (its stdout when None)
    per: int | None = None  # accounts in the book, for the scaling table (seconds per 100k)
    runs: int | None = None  # timed runs, when fewer than --runs (the slowest cases); no warm-up then


@dataclass
class Ctx:
    """One bench run: interpreters, books and the environment every case runs in."""

    py: str
    csmctl: str
    sqlite_utils: str
    books: dict[str, Path]  # "10k", "100k", "300k" as asked for; "big" is the 100k book (the goals' size)
    env: dict[str, str]
    work: Path
    accounts: int  # size of the "big" book
    as_of: str = "2026-11-23"
    sizes: list[int] = field(default_factory=list)  # every size in this run, ascending
    extra: dict[str, object] = field(default_factory=dict)

    def db(self, label: str = "big") -> list[str]:
        """The global options that point csmctl at a book, with the bench's fixed `--as-of`."""
        return ["--db", str(self.books[label]), "--as-of", self.as_of]

    @property
    def n(self) -> str:
        return f"{self.accounts:,}"


def label_of(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def output_digest(argv: list[str], env: dict[str, str], work: Path, output: Path | None, how: str) -> str:
    """A digest of what a command writes (its stdout, or the file ``output``). Bytes are hashed in
    chunks from a file: the bench process must stay small, since its children are forked from it.
    ``how="parsed"`` hashes the JSON re-encoded with sorted keys (for output whose order is not
    defined); that one loads the document, so it is for the small books only."""
    sink_path = work / "same-output.bin"
    if output is not None:
        output.unlink(missing_ok=True)
    with open(sink_path, "wb") as sink:
        done = subprocess.run(argv, stdout=sink, stderr=subprocess.PIPE, env=env)
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    target = output or sink_path
    digest = hashlib.sha256()
    if how == "parsed":
        with open(target, encoding="utf-8") as handle:
            digest.update(json.dumps(json.load(handle), sort_keys=True).encode())
        return digest.hexdigest()
    with open(target, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_same(case: Case, baseline: Case, env: dict[str, str], work: Path) -> bool:
    """Whether ``case`` writes what its baseline writes (``case.same`` says how they are compared)."""
    digests = []
    for c in (case, baseline):
        if c.prepare:
            c.prepare()
        digests.append(output_digest(c.argv, {**env, **(c.env or {})}, work, c.output, case.same or "bytes"))
    return digests[0] == digests[1]
