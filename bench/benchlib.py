"""What every bench case group shares: a case, the run's context, and the same-output check.

A case group is a module `bench/cases_<topic>.py` with `cases(ctx: Ctx) -> list[Case]`; `run.py`
lists the groups in `GROUPS`. A group that pairs csmctl with a stdlib script producing the same
output checks that with `same_output` before anything is timed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASS = "python -c pass"
FLOOR = "python -c 'import sqlmodel' (import floor)"


@dataclass
class Case:
    name: str
    argv: list[str]
    baseline: str  # name of another case
    goal: float | None = None  # ratio goal (<=); for "rows/s" cases the ratio is inverted
    env: dict[str, str] | None = None
    prepare: Callable[[], None] | None = None  # run before every timing (e.g. a fresh target)


@dataclass
class Ctx:
    """One bench run: interpreters, books and the environment every case runs in."""

    py: str
    csmctl: str
    sqlite_utils: str
    books: dict[str, Path]  # "10k" and "big" (plus "300k" when asked for)
    env: dict[str, str]
    work: Path
    accounts: int
    as_of: str = "2026-11-23"
    extra: dict[str, object] = field(default_factory=dict)

    def db(self, label: str = "big") -> list[str]:
        """The global options that point csmctl at a book, with the bench's fixed `--as-of`."""
        return ["--db", str(self.books[label]), "--as-of", self.as_of]

    @property
    def n(self) -> str:
        return f"{self.accounts:,}"


def same_output(ctx: Ctx, ours: list[str], theirs: list[str], what: str) -> None:
    """Stop the bench when a baseline does not produce csmctl's output (a ratio would mean nothing)."""
    outs = [subprocess.run(c, check=True, env=ctx.env, capture_output=True).stdout for c in (ours, theirs)]
    if outs[0] != outs[1]:
        sys.exit(f"bench: {what}: the baseline's output differs from csmctl's; fix one before timing them")
