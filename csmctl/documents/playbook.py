"""Playbook files: the YAML shape and its located validation (expansion: ``domain.playbook``).

A playbook::

    name: Standard B2B SaaS onboarding
    description: ...
    anchor: contract start          # what day 0 means (free text, shown to people)
    phases:
      - name: Handoff
        tasks:
          - name: Sales-to-CS handoff
            due: +0d                # offset from the anchor (see domain.onboarding)
            owner: am               # csm, customer, am, sales, support, implementation
            depends_on: [Research]  # names of other tasks in the playbook
            milestone: true
            first_value: true       # exactly one task; implies milestone
            description: ...

``validate_playbook(data, locator)`` takes what ``documents.sources.load_document`` read (the
data and the line of every key, from PyYAML's node marks) and raises one ``InvalidInput`` listing
every problem with its file, line and key path (``phases[1].tasks[0].due``). No file access here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from csmctl.documents.sources import KeyPath, Locator, validation_problems
from csmctl.domain.dates import parse_offset
from csmctl.domain.playbook import OWNER_ROLES
from csmctl.errors import InvalidInput, InvalidValue, Problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlaybookTask(_Strict):
    name: str = Field(min_length=1, max_length=200)
    due: str
    owner: str = "csm"
    depends_on: list[str] = Field(default_factory=list)
    milestone: bool = False
    first_value: bool = False
    description: str | None = None

    @field_validator("due", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> str:
        try:
            return str(parse_offset(value, what="offset"))
        except InvalidValue as error:  # pydantic locates a ValueError (file, line, key)
            raise ValueError(" ".join(error.lines())) from None

    @field_validator("owner", mode="before")
    @classmethod
    def _owner(cls, value: Any) -> str:
        text = str(value).strip().lower() if isinstance(value, str) else value
        if text not in OWNER_ROLES:
            raise ValueError(f"unknown owner role; use one of: {', '.join(OWNER_ROLES)}")
        return text

    @field_validator("depends_on", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _first_value_is_a_milestone(self) -> PlaybookTask:
        if self.first_value:
            self.milestone = True
        return self


class PlaybookPhase(_Strict):
    name: str = Field(min_length=1, max_length=120)
    description: str | None = None
    tasks: list[PlaybookTask] = Field(min_length=1)


class Playbook(_Strict):
    name: str = Field(min_length=1, max_length=120)
    description: str | None = None
    anchor: str = "kickoff"
    phases: list[PlaybookPhase] = Field(min_length=1)

    def tasks(self) -> Iterator[tuple[PlaybookPhase, PlaybookTask]]:
        for phase in self.phases:
            for task in phase.tasks:
                yield phase, task

    @property
    def task_count(self) -> int:
        return sum(len(p.tasks) for p in self.phases)


# -- validation with locations -------------------------------------------------------------------


def validate_playbook(data: Any, locator: Locator) -> Playbook:
    """Check a loaded playbook (``documents.sources.load_document``): every problem at once, each
    with file, line and key path; raises ``InvalidInput``."""
    playbook = None
    problems: list[Problem] = []
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as error:
        problems += validation_problems(error, locator)
    if isinstance(data, dict):
        problems += _check_tasks(data, locator)
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    if problems:
        raise InvalidInput(
            problems, summary=f"{locator.path}: {len(problems)} problems:" if len(problems) > 1 else None
        )
    assert playbook is not None
    return playbook


def _raw_tasks(data: dict[str, Any]) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    phases = data.get("phases")
    if not isinstance(phases, list):
        return
    for p, phase in enumerate(phases):
        tasks = phase.get("tasks") if isinstance(phase, dict) else None
        if not isinstance(tasks, list):
            continue
        for t, task in enumerate(tasks):
            if isinstance(task, dict):
                yield ("phases", p, "tasks", t), task


def _check_tasks(data: dict[str, Any], locator: Locator) -> list[Problem]:
    """Rules across tasks: unique names, known dependencies, no cycles, one first_value."""
    problems: list[Problem] = []

    def problem(message: str, loc: KeyPath, hint: str | None = None) -> None:
        problems.append(locator.problem(message, loc, hint=hint))

    names: dict[str, KeyPath] = {}
    deps: dict[str, list[tuple[str, KeyPath]]] = {}
    first_values: list[KeyPath] = []
    for loc, task in _raw_tasks(data):
        name = task.get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        key = name.strip().casefold()
        if key in names:
            problem(
                f"duplicate task name {name.strip()!r} (first at line {locator((*names[key], 'name'))})",
                (*loc, "name"),
                "task names must be unique: depends_on and `onboard task` use them",
            )
            continue
        names[key] = loc
        raw = task.get("depends_on", [])
        raw = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        deps[key] = [
            (
                d.strip(),
                (*loc, "depends_on", i) if isinstance(task.get("depends_on"), list) else (*loc, "depends_on"),
            )
            for i, d in enumerate(raw)
            if isinstance(d, str)
        ]
        if task.get("first_value") is True:
            first_values.append(loc)
    for targets in deps.values():
        for target, loc in targets:
            if target.casefold() not in names:
                problem(f"depends on an unknown task {target!r}", loc, "use the exact name of another task")
    graph = {k: [t.casefold() for t, _ in v if t.casefold() in names] for k, v in deps.items()}
    for cycle in _cycles(graph):
        start = names[cycle[0]]
        shown = " -> ".join(_display(data, names[c]) for c in [*cycle, cycle[0]])
        problem(
            f"depends_on forms a cycle: {shown}", (*start, "depends_on"), "remove one of these dependencies"
        )
    if names and not first_values:
        problem(
            "no task is marked `first_value: true`",
            ("phases",),
            "mark the milestone where the customer first gets value; time to value is measured to it",
        )
    for loc in first_values[1:]:
        problem("more than one task is marked first_value", (*loc, "first_value"), "keep exactly one")
    return problems


def _display(data: dict[str, Any], loc: KeyPath) -> str:
    node: Any = data
    for part in loc:
        node = node[part]
    return str(node["name"]).strip()


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each dependency cycle once (as found by depth-first search, in file order)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    found: list[list[str]] = []
    for start in graph:
        if colour[start] != white:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        trail = [start]
        colour[start] = grey
        while stack:
            node, edges = stack[-1]
            nxt = next(edges, None)
            if nxt is None:
                colour[node] = black
                stack.pop()
                trail.pop()
            elif colour[nxt] == grey:
                found.append(trail[trail.index(nxt) :])
            elif colour[nxt] == white:
                colour[nxt] = grey
                stack.append((nxt, iter(graph[nxt])))
                trail.append(nxt)
    return found
