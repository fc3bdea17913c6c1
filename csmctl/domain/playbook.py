"""A playbook expanded into dated tasks: what a checklist stores.

The playbook file (its YAML shape and located validation) is an input document and lives in
``csmctl.documents.playbook``; this module holds only the pure expansion against an anchor date,
so the domain imports nothing from documents/.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from csmctl.domain.onboarding import due_date

OWNER_ROLES = ("csm", "customer", "am", "sales", "support", "implementation")


class _Task(Protocol):
    name: str
    due: str
    owner: str
    description: str | None
    milestone: bool
    first_value: bool
    depends_on: list[str]


class _Phase(Protocol):
    name: str


class PlaybookLike(Protocol):
    """What ``expand`` reads: ``documents.playbook.Playbook`` fits it."""

    def tasks(self) -> Iterable[tuple[_Phase, _Task]]: ...


@dataclass(frozen=True)
class PlannedTask:
    """One task of a playbook expanded against an anchor: what a checklist stores."""

    position: int
    name: str
    phase: str
    description: str | None
    owner_role: str
    due: date
    due_offset: str
    milestone: bool
    first_value: bool
    depends_on: tuple[int, ...]


def expand(playbook: PlaybookLike, anchor: date) -> list[PlannedTask]:
    """The playbook's tasks with due dates from ``anchor``, numbered from 1 in file order."""
    positions = {task.name.casefold(): i for i, (_, task) in enumerate(playbook.tasks(), start=1)}
    return [
        PlannedTask(
            position=i,
            name=task.name,
            phase=phase.name,
            description=task.description,
            owner_role=task.owner,
            due=due_date(anchor, task.due),
            due_offset=task.due,
            milestone=task.milestone,
            first_value=task.first_value,
            depends_on=tuple(sorted(positions[d.casefold()] for d in task.depends_on)),
        )
        for i, (phase, task) in enumerate(playbook.tasks(), start=1)
    ]
