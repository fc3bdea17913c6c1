"""The exceptions that become clean messages and exit codes.

Domain and store code raise these; the CLI boundary (``csmctl.cli.boundary``) turns them into
one or two lines on stderr and the exit code below. Nothing else calls ``sys.exit``.

Exit codes (see DESIGN.md):
    0 success
    1 the command could not do what was asked (bad value, unknown account, invalid file)
    2 usage error (Click's own)
    3 a check found what ``--fail-on``/``--fail-if-any``/``--strict``/``--min`` asked about
      (raised only through ``fail_if_found``)
    4 the database could not be used
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_FOUND = 3
EXIT_DATABASE = 4


class CsmctlError(Exception):
    """Base class: a message for the user, an optional hint, an exit code."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        out = [self.message]
        if self.hint:
            out.append(self.hint)
        return out


class InvalidValue(CsmctlError):
    """A value given on the command line (or in a row) is not acceptable."""


class NotFound(CsmctlError):
    """A named thing (account, contact, touchpoint, template...) does not exist."""


class AccountNotFound(NotFound):
    def __init__(self, ref: str, candidates: Sequence[str] = ()) -> None:
        hint = None
        if candidates:
            hint = "Did you mean: " + ", ".join(candidates) + "?"
        else:
            hint = "List accounts with `csmctl account list`."
        super().__init__(f"No account matches {ref!r}.", hint)
        self.ref = ref
        self.candidates = list(candidates)


class AmbiguousAccount(CsmctlError):
    """``total`` is how many accounts match; ``candidates`` may be only the first of them."""

    SHOWN = 10

    def __init__(self, ref: str, candidates: Sequence[str], total: int | None = None) -> None:
        total = len(candidates) if total is None else total
        shown = list(candidates)[: self.SHOWN]
        more = total - len(shown)
        listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
        super().__init__(
            f"{ref!r} matches {total} accounts: {listed}.",
            "Use more of the name, or the account id.",
        )
        self.ref = ref
        self.candidates = list(candidates)
        self.total = total


class AlreadyExists(CsmctlError):
    """A unique name is taken."""


class Conflict(CsmctlError):
    """The request contradicts the current state (e.g. a second active checklist)."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    message: str
    path: str | None = None  # file path
    line: int | None = None  # 1-based line (or CSV row number)
    field: str | None = None  # column name or key path (``work[0].startDate``)
    value: object = None
    hint: str | None = None

    def location(self) -> str:
        parts = []
        if self.path:
            parts.append(str(self.path))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        return ", ".join(parts)

    def render(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None and self.value != "":
            text += f" (got {self.value!r})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class InvalidInput(CsmctlError):
    """An input file has one or more problems; all are reported together."""

    def __init__(self, problems: Iterable[Problem] | Problem, summary: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        message = summary or (first.render() if first else "Invalid input.")
        super().__init__(message)

    def lines(self) -> list[str]:
        if len(self.problems) <= 1 and not self.message.endswith(":"):
            return [self.message]
        return [self.message] + ["  " + p.render() for p in self.problems]


class FoundProblems(CsmctlError):
    """A report ran and found what --fail-on asked about (not an error: exit 3)."""

    exit_code = EXIT_FOUND


def fail_if_found(flag: str | None, findings: Iterable[str], *, hint: str | None = None) -> None:
    """The one end of every check (``--fail-on``, ``--fail-if-any``, ``--strict``, ``--min``,
    and `jd lint`'s errors, which need no flag): exit 3 with "Found X, Y (FLAG)." when there are
    findings (phrases like "2 overdue"), nothing when there are none. Call it after the output
    is written: cron still gets the report, then the exit code."""
    found = [phrase for phrase in findings if phrase]
    if found:
        raise FoundProblems(f"Found {', '.join(found)}" + (f" ({flag})." if flag else "."), hint)


class DatabaseError(CsmctlError):
    """The database could not be used."""

    exit_code = EXIT_DATABASE


class DatabaseLocked(DatabaseError):
    pass


class DatabaseCorrupt(DatabaseError):
    pass


class NotACsmctlDatabase(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


class SchemaOutdated(DatabaseError):
    """A command that must change nothing (a dry run) found a book that needs a schema upgrade.
    ``version`` is the book's schema version: 0 when it has no csmctl tables at all."""

    version = 0


class DatabaseUnavailable(DatabaseError):
    """Cannot open/create the file, or reach the server."""


class NoBook(DatabaseError):
    """A read of a book that does not exist: in cron a typo must not look like an empty book."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"No book at {path}; create one with `csmctl db init {path}` "
            "(or `demo`, `import`, `account add`).",
            "Check the path given with --db, CSMCTL_DB or `db` in the config file.",
        )


class Busy(CsmctlError):
    """Another run holds the lock (overlapping cron runs)."""

    exit_code = EXIT_DATABASE
