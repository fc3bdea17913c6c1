"""All-or-nothing imports: read, map, check every row, then write every row in one transaction.

An importer (accounts, contacts, and later touchpoints and metrics) says which fields it has,
how a row parses, and how a batch of parsed rows is written. The runner does the rest, the same
for all of them: one bad row means nothing is written, and every problem is reported with its
row, column and value. ``dry_run`` does the whole write and rolls it back, so the counts it
reports are exactly what a real run would do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from csmctl.errors import InvalidInput, Problem
from csmctl.importing.mapping import ColumnMap, map_columns
from csmctl.importing.reader import Row, TableFile


class ConflictPolicy(StrEnum):
    """What an import does with a record that exists (`--on-conflict`)."""

    update = "update"
    skip = "skip"
    fail = "fail"


POLICIES = tuple(policy.value for policy in ConflictPolicy)
CHUNK = 5000  # rows written per batch (all in one transaction)
MAX_SHOWN = 20


@dataclass
class Parsed:
    row: Row
    values: dict[str, Any]


@dataclass
class ImportReport:
    entity: str
    path: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> None:
        setattr(self, action, getattr(self, action) + 1)

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        parts = [f"{self.created} created", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return f"{verb} {self.rows} {self.entity} from {self.path}: {', '.join(parts)}."


class RowContext:
    """Locates problems for one row: file, line (CSV) or record (JSON), and the file's column."""

    def __init__(self, table: TableFile, columns: Mapping[str, str]) -> None:
        self.table = table
        self.columns = columns

    def problem(
        self, row: Row, message: str, *, field: str | None = None, value: Any = None, hint: str | None = None
    ) -> Problem:
        column = self.columns.get(field, field) if field else None
        if row.line is None:
            column = f"record {row.index}" + (f", {column}" if column else "")
        return Problem(message, path=self.table.path, line=row.line, field=column, value=value, hint=hint)

    def locate(self, row: Row, problems: list[Problem], values: Mapping[str, Any]) -> list[Problem]:
        """Field problems from a domain parser, placed at this row and its file column."""
        return [
            self.problem(row, p.message, field=p.field, value=values.get(p.field or ""), hint=p.hint)
            for p in problems
        ]

    def with_account(
        self, row: Row, values: Mapping[str, Any], parsed: dict[str, Any], problems: list[Problem]
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Locate ``problems`` and take the row's required ``account`` reference into ``parsed``
        (for importers of things that belong to an account: contacts, touchpoints, metrics)."""
        located = self.locate(row, problems, values)
        account = values.get("account")
        if account is None or not str(account).strip():
            located.append(self.problem(row, "the account is missing", field="account"))
        else:
            parsed["account"] = str(account).strip()
        return parsed, located


class Importer(Protocol):
    entity: str
    fields: Mapping[str, str]
    aliases: Mapping[str, str]
    presets: Mapping[str, Mapping[str, str]]
    required: tuple[str, ...]

    def parse(
        self, values: Mapping[str, Any], row: Row, ctx: RowContext, today: date
    ) -> tuple[dict[str, Any], list[Problem]]: ...

    def write(
        self,
        session: Any,
        rows: list[Parsed],
        ctx: RowContext,
        *,
        policy: str,
        today: date,
        now: datetime,
        report: ImportReport,
        advance: Callable[[int], None],
    ) -> list[Problem]:
        """Write one chunk (called repeatedly, in order, within one transaction)."""
        ...


class _Rollback(Exception):
    pass


def plan_columns(
    importer: Importer, table: TableFile, *, preset: str | None, user_map: Mapping[str, str]
) -> ColumnMap:
    chosen = None
    if preset:
        if preset not in importer.presets:
            from csmctl.errors import InvalidValue

            raise InvalidValue(
                f"Unknown preset {preset!r} for {importer.entity}.",
                f"Presets: {', '.join(importer.presets) or 'none'}.",
            )
        chosen = importer.presets[preset]
    from csmctl.errors import InvalidValue

    try:
        return map_columns(
            table.columns,
            importer.fields,
            aliases=importer.aliases,
            preset=chosen,
            user_map=user_map,
            required=importer.required,
        )
    except InvalidValue as error:
        # Say which file: with several imports in a script, "the file" is not enough.
        raise InvalidValue(
            f"{table.path}: {error.message[:1].lower()}{error.message[1:]}", error.hint
        ) from None


def run_import(
    database: Any,
    importer: Importer,
    table: TableFile,
    *,
    columns: ColumnMap,
    policy: str = "update",
    dry_run: bool = False,
    today: date,
    now: datetime,
    progress: Callable[[int, str], Any] | None = None,
) -> ImportReport:
    """Parse and write in chunks inside ONE transaction; any problem rolls the whole file back.

    Rows stream through in chunks of CHUNK, so memory stays flat however large the file is. Once
    a problem is found nothing more is written, but parsing goes on to report every problem.
    """
    from contextlib import nullcontext

    report = ImportReport(
        importer.entity, table.path, rows=table.count, dry_run=dry_run, ignored_columns=columns.ignored
    )
    ctx = RowContext(table, columns.columns())
    problems: list[Problem] = []
    bar = progress(table.count, f"Importing {importer.entity}") if progress else nullcontext(lambda n=1: None)
    try:
        with bar as advance, database.write() as session:

            def flush(batch: list[Parsed]) -> None:
                problems.extend(
                    importer.write(
                        session,
                        batch,
                        ctx,
                        policy=policy,
                        today=today,
                        now=now,
                        report=report,
                        advance=advance,
                    )
                )

            pending: list[Parsed] = []
            for row in table.iter_rows():
                values, row_problems = importer.parse(columns.apply(row.values), row, ctx, today)
                if row_problems:
                    problems.extend(row_problems)
                elif not problems:
                    pending.append(Parsed(row, values))
                    if len(pending) >= CHUNK:
                        flush(pending)
                        pending = []
            if pending and not problems:
                flush(pending)
            if problems:
                raise _invalid(table, problems)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _invalid(table: TableFile, problems: list[Problem]) -> InvalidInput:
    shown = problems[:MAX_SHOWN]
    more = len(problems) - len(shown)
    if more:
        shown.append(Problem(f"... and {more} more problems"))
    noun = "problem" if len(problems) == 1 else "problems"
    return InvalidInput(shown, summary=f"{table.path}: {len(problems)} {noun}; nothing was imported:")
