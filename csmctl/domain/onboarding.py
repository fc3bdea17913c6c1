"""Onboarding rules as plain functions: due-date offsets, checklist state, progress, time to value.

Offsets are counted from a checklist's anchor (kickoff, contract start...) in the one offset
grammar of ``csmctl.domain.dates`` (``+3d``, ``+2w``, ``+1m``, ``+5bd``...). A leading ``-``
counts back (a sales handoff before kickoff).

State of a checklist on a given day (first rule that applies):
    Done      every task is done or skipped
    Stuck     tasks are overdue and nothing was done or skipped for ``stuck_days`` days or more
              (counted from the last done/skip date, or from the anchor when nothing is done yet)
    Behind    at least one open task is overdue (its due date is before today)
    On Track  otherwise

Time to value (TTV) is the number of days from the anchor to the day the ``first_value``
milestone was done. No clock here: every function takes ``today``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from csmctl.domain.dates import Offset, parse_offset

OPEN, DONE, SKIPPED = "open", "done", "skipped"
TASK_STATUSES = (OPEN, DONE, SKIPPED)
ON_TRACK, BEHIND, STUCK, COMPLETE = "On Track", "Behind", "Stuck", "Done"
STATES = (ON_TRACK, BEHIND, STUCK, COMPLETE)
DEFAULT_STUCK_DAYS = 14


def due_date(anchor: date, offset: str | Offset) -> date:
    """The due date of a task ``offset`` from ``anchor``."""
    parsed = offset if isinstance(offset, Offset) else parse_offset(offset)
    return parsed.after(anchor)


# -- state ---------------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: built for every task of a portfolio, and frozen init is slow
class TaskView:
    """What the rules need to know about a task."""

    position: int
    name: str
    due: date
    status: str = OPEN
    done_on: date | None = None
    milestone: bool = False
    first_value: bool = False
    depends_on: tuple[int, ...] = ()

    @property
    def closed(self) -> bool:
        return self.status != OPEN


@dataclass(frozen=True)
class Progress:
    state: str
    percent: int
    done: int
    skipped: int
    total: int
    overdue: tuple[TaskView, ...]
    next: tuple[TaskView, ...]
    last_activity: date
    days_idle: int


def progress_percent(closed: int, total: int) -> int:
    """Onboarding progress, the one rule for ``onboard status``, ``onboard task`` and ``brief``:
    the share of tasks closed (a skipped task is closed, like a done one: it no longer stands
    between the customer and value), rounded down so 100 % means every task is closed and 4 of
    13 is 30 %. A checklist with no tasks is 0 %."""
    if total <= 0:
        return 0
    return 100 * closed // total


def is_overdue(task: TaskView, today: date) -> bool:
    return not task.closed and task.due < today


def ready(task: TaskView, by_position: dict[int, TaskView]) -> bool:
    """Open, and every task it depends on is done or skipped."""
    return not task.closed and all(by_position[p].closed for p in task.depends_on if p in by_position)


def next_tasks(tasks: Sequence[TaskView], limit: int = 3) -> tuple[TaskView, ...]:
    """The open tasks that can be worked on now, earliest due first."""
    by_position = {t.position: t for t in tasks}
    candidates = [t for t in tasks if ready(t, by_position)]
    candidates.sort(key=lambda t: (t.due, t.position))
    return tuple(candidates[:limit])


def state_of(
    total: int,
    closed: int,
    overdue: int,
    last_activity: date,
    today: date,
    stuck_days: int = DEFAULT_STUCK_DAYS,
) -> str:
    """The state rule (see the module's table) on counts: ``closed`` tasks done or skipped,
    ``overdue`` open tasks due before today, ``last_activity`` the anchor or the last done/skip
    date, whichever is later. ``assess`` uses it on task views, set-based callers (plays) on
    one aggregate row per checklist."""
    if total and closed == total:
        return COMPLETE
    if overdue and max(0, (today - last_activity).days) >= stuck_days:
        return STUCK
    if overdue:
        return BEHIND
    return ON_TRACK


def assess(
    tasks: Sequence[TaskView], anchor: date, today: date, stuck_days: int = DEFAULT_STUCK_DAYS
) -> Progress:
    """The state, progress, overdue and next tasks of one checklist on ``today``."""
    done = sum(t.status == DONE for t in tasks)
    skipped = sum(t.status == SKIPPED for t in tasks)
    overdue = tuple(sorted((t for t in tasks if is_overdue(t, today)), key=lambda t: (t.due, t.position)))
    closed_dates = [t.done_on for t in tasks if t.closed and t.done_on is not None]
    last = max([anchor, *closed_dates])
    idle = max(0, (today - last).days)
    return Progress(
        state_of(len(tasks), done + skipped, len(overdue), last, today, stuck_days),
        progress_percent(done + skipped, len(tasks)),
        done,
        skipped,
        len(tasks),
        overdue,
        next_tasks(tasks),
        last,
        idle,
    )


def completed_on(tasks: Sequence[TaskView], anchor: date) -> date | None:
    """When a checklist finished: the last done/skip date once every task is closed, else None."""
    if not tasks or not all(t.closed for t in tasks):
        return None
    return max([anchor, *(t.done_on for t in tasks if t.done_on is not None)])


# -- time to value -------------------------------------------------------------------------------


def time_to_value(anchor: date, tasks: Iterable[TaskView]) -> int | None:
    """Days from the anchor to the done date of the first_value milestone (None until done)."""
    for task in tasks:
        if task.first_value and task.status == DONE and task.done_on is not None:
            return (task.done_on - anchor).days
    return None


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class TtvStats:
    group: str
    count: int
    median: float | None
    p75: float | None


def ttv_stats(rows: Iterable[tuple[str, int]]) -> list[TtvStats]:
    """``rows`` of (group, days) -> median and 75th percentile per group, groups sorted."""
    groups: dict[str, list[int]] = {}
    for group, days in rows:
        groups.setdefault(group, []).append(days)
    return [TtvStats(g, len(v), percentile(v, 50), percentile(v, 75)) for g, v in sorted(groups.items())]


def cohort(anchor: date) -> str:
    """The start-month cohort of a checklist: ``2026-09``."""
    return f"{anchor.year:04d}-{anchor.month:02d}"
