"""All-or-nothing imports: read, map, check every row, then write every row in one transaction.

An importer (accounts, contacts, and later touchpoints and metrics) says which fields it has,
how a row parses, and how a batch of parsed rows is written. The runner does the rest, the same
for all of them: one bad row means nothing is written, and every problem is reported with its
row, column and value. ``dry_run`` does the whole write and rolls it back, so the counts it
reports are exactly what a real run would do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from csmctl.errors import InvalidInput, Problem
from csmctl.importing.mapping import ColumnMap, map_columns
from csmctl.importing.presets import Preset
from csmctl.importing.reader import Row, TableFile
from csmctl.importing.values import ValuePlan, build_plan


class ConflictPolicy(StrEnum):
    """What an import does with a record that exists (`--on-conflict`)."""

    update = "update"
    skip = "skip"
    fail = "fail"


POLICIES = tuple(policy.value for policy in ConflictPolicy)
CHUNK = 2000  # rows per batch, all in one transaction (the batch in flight is most of the memory)
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
    values: ValuePlan | None = None  # the value maps applied, and the values left unmapped

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
        session: Any,  # a SQLModel session, or a Core connection for an importer that ``writes_rows``
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
    importer: Importer, table: TableFile, *, preset: Preset | None, user_map: Mapping[str, str]
) -> ColumnMap:
    from csmctl.errors import InvalidValue

    try:
        return map_columns(
            table.columns,
            importer.fields,
            aliases=importer.aliases,
            preset=preset.columns if preset else None,
            user_map=user_map,
            required=importer.required,
        )
    except InvalidValue as error:
        # Say which file: with several imports in a script, "the file" is not enough.
        raise InvalidValue(
            f"{table.path}: {error.message[:1].lower()}{error.message[1:]}", error.hint
        ) from None


def column_notes(importer: Importer, preset: Preset | None, columns: ColumnMap) -> dict[str, str]:
    """Columns left out on purpose (they do not mean what they seem), with the reason."""
    from csmctl.importing.mapping import normalise

    notes = {normalise(c): why for c, why in getattr(importer, "notes", {}).items()}
    notes.update({normalise(c): why for c, why in (preset.notes if preset else {}).items()})
    return {column: notes[normalise(column)] for column in columns.ignored if normalise(column) in notes}


def describe_fields(importer: Importer) -> list[dict[str, Any]]:
    """The fields an import fills: what each accepts, and the other column names it reads."""
    accepts = getattr(importer, "field_types", {})
    required = {
        name for entry in importer.required for name in ((entry,) if isinstance(entry, str) else entry)
    }
    out = []
    for name in importer.fields:
        names = [alias for alias, target in importer.aliases.items() if target == name]
        text = accepts.get(name, "text")
        if name in required and "required" not in text:
            text += " (required)"
        out.append({"field": name, "accepts": text, "columns": names})
    return out


def unexpected_columns(preset: Preset | None, columns: ColumnMap, notes: Mapping[str, str]) -> list[str]:
    """Ignored columns worth a warning: not left out on purpose by the preset or a note."""
    from csmctl.importing.mapping import normalise

    on_purpose = {normalise(c) for c, f in (preset.columns if preset else {}).items() if not f}
    return [c for c in columns.ignored if c not in notes and normalise(c) not in on_purpose]


def plan_values(
    importer: Importer,
    table: TableFile,
    columns: ColumnMap,
    *,
    preset: Preset | None,
    user_values: Mapping[str, Mapping[str, str]],
    strict: bool,
) -> ValuePlan:
    from csmctl.errors import InvalidValue

    try:
        return build_plan(
            columns.columns(),
            preset.values if preset else {},
            user_values,
            getattr(importer, "choices", {}),
            strict=strict,
            headers=table.columns,
        )
    except InvalidValue as error:
        raise InvalidValue(f"{table.path}: {error.message}", error.hint) from None


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
    values: ValuePlan | None = None,
) -> ImportReport:
    """Parse and write in chunks inside ONE transaction; any problem rolls the whole file back.

    Rows stream through in chunks of CHUNK, so memory stays flat however large the file is. After
    a problem, the rest is still parsed and written so every problem is reported, then rolled back.
    """
    import gc
    from contextlib import nullcontext

    from csmctl.collector import cycles_collected_after
    from csmctl.store.bulk import roomy_cache

    report = ImportReport(importer.entity, table.path, dry_run=dry_run, ignored_columns=columns.ignored)
    report.values = values
    ctx = RowContext(table, columns.columns())
    problems: list[Problem] = []
    bar = (
        progress(table.progress_total(), f"Importing {importer.entity}")
        if progress
        else nullcontext(lambda n=1: None)
    )
    try:
        # An importer that writes through a Core connection (``writes_rows``) gets one instead of
        # a SQLModel session: the import pays no SQLModel/pydantic start-up.
        rows_only = getattr(importer, "writes_rows", False)
        writer = database.write_rows() if rows_only else database.write()
        with bar as advance, writer as session, cycles_collected_after():
            roomy_cache(session if rows_only else session.connection())

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

            # Rows go on being written after a problem (the transaction is rolled back anyway),
            # so problems only the write finds (unknown accounts, duplicates inside the file,
            # conflicts) are reported in the same run as bad values.
            pending: list[Parsed] = []
            for row in table.iter_rows():
                report.rows += 1  # counted on the way: the file is read once
                raw = columns.apply(row.values)
                value_problems: list[Problem] = []
                if values is not None:
                    raw, value_problems = values.apply(raw, row, ctx)
                parsed, row_problems = importer.parse(raw, row, ctx, today)
                if value_problems:
                    row_problems = value_problems + row_problems
                if row_problems:
                    problems.extend(row_problems)
                else:
                    pending.append(Parsed(row, parsed))
                    if len(pending) >= CHUNK:
                        flush(pending)
                        pending = []
                        # The collector is off for the import (its full passes walked every
                        # object the modules hold: 15 % of the CPU); the cycles a chunk left
                        # are collected here, once its rows are let go.
                        gc.collect(1)
            if pending:
                flush(pending)
            if problems:
                raise _invalid(table, problems)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


_RECORD = re.compile(r"^record (\d+)(?:, (.*))?$")


def line_spans(numbers: list[int]) -> str:
    """[2, 3, 4, 9] -> '2-4, 9'."""
    out: list[str] = []
    start = prev = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == prev + 1:
            prev = number
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if number is not None:
            start = prev = number
    return ", ".join(out)


def group_problems(problems: list[Problem]) -> list[Problem]:
    """One entry for the same problem (column, message, value, hint) on many rows, in file order:
    "Lifecycle Stage: 7 rows (lines 2-8) have 'customer': ...", since one fix applies to all."""
    groups: dict[tuple[Any, ...], list[tuple[int, Problem]]] = {}
    order: list[tuple[Any, ...]] = []
    for problem in problems:
        field, number, unit = problem.field, problem.line, "lines"
        match = _RECORD.match(field or "") if problem.line is None else None
        if match:
            field, number, unit = match.group(2), int(match.group(1)), "records"
        key = (problem.path, field, problem.message, problem.hint, repr(problem.value), unit)
        if number is None:
            key = (*key, id(problem))  # not located on a row: never grouped
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((number or 0, problem))
    out: list[tuple[int, Problem]] = []
    for key in order:
        members = groups[key]
        first_number, first = members[0]
        if len(members) == 1:
            out.append((first_number, first))
            continue
        numbers = sorted({n for n, _ in members})
        field, unit = key[1], key[5]
        value = "" if first.value in (None, "") else f" {first.value!r}"
        have = f" have{value}: " if value else ": "
        grouped = Problem(
            f"{len(members)} rows ({unit} {line_spans(numbers)}){have}{first.message}",
            path=first.path,
            field=field,
            hint=first.hint,
        )
        out.append((first_number, grouped))
    out.sort(key=lambda item: item[0])
    return [problem for _, problem in out]


def _invalid(table: TableFile, problems: list[Problem]) -> InvalidInput:
    grouped = group_problems(problems)
    shown = grouped[:MAX_SHOWN]
    more = len(grouped) - len(shown)
    if more:
        shown.append(Problem(f"... and {more} more problems"))
    noun = "problem" if len(problems) == 1 else "problems"
    return InvalidInput(shown, summary=f"{table.path}: {len(problems)} {noun}; nothing was imported:")
