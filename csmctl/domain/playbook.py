"""Playbook files: the YAML shape, its validation, and expansion into dated tasks.

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

``parse_playbook(text, path)`` checks everything and raises one ``InvalidInput`` listing every
problem with its file, line and key path (``phases[1].tasks[0].due``). Lines come from PyYAML's
node marks (``yaml.compose``). Text in, models out: no file access here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from csmctl.domain.onboarding import due_date, parse_offset
from csmctl.errors import InvalidInput, Problem

OWNER_ROLES = ("csm", "customer", "am", "sales", "support", "implementation")
MAX_BYTES = 1_000_000


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
        return str(parse_offset(value))

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


def expand(playbook: Playbook, anchor: date) -> list[PlannedTask]:
    """The playbook's tasks with due dates from ``anchor``, numbered from 1 in file order."""
    positions = {task.name.casefold(): i for i, (_, task) in enumerate(playbook.tasks(), start=1)}
    return [
        PlannedTask(
            position=i, name=task.name, phase=phase.name, description=task.description,
            owner_role=task.owner, due=due_date(anchor, task.due), due_offset=task.due,
            milestone=task.milestone, first_value=task.first_value,
            depends_on=tuple(sorted(positions[d.casefold()] for d in task.depends_on)),
        )
        for i, (phase, task) in enumerate(playbook.tasks(), start=1)
    ]


# -- parsing with locations ----------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def key_path(loc: Path_) -> str:
    """``("phases", 1, "tasks", 0, "due")`` -> ``phases[1].tasks[0].due``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Located:
    """Python data from YAML nodes plus the line of every key path (and duplicate keys)."""

    MAX_NODES = 20_000  # aliases can multiply a small file into millions of values

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.duplicates: list[tuple[Path_, int]] = []
        self.count = 0
        self.open: set[int] = set()

    def build(self, node: Any, loc: Path_ = ()) -> Any:
        self.count += 1
        if self.count > self.MAX_NODES:
            raise _TooBig(f"more than {self.MAX_NODES:,} values (do aliases repeat too much?)", node)
        if id(node) in self.open:
            raise _TooBig("an alias refers to a value that contains it", node)
        self.open.add(id(node))
        try:
            return self._build(node, loc)
        finally:
            self.open.discard(id(node))

    def _build(self, node: Any, loc: Path_) -> Any:
        import yaml

        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            explicit: set[Any] = set()
            pairs = node.value
            merged = 0
            if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in pairs):  # `<<: *defaults`
                kept = sum(k.tag != "tag:yaml.org,2002:merge" for k, _ in pairs)
                loader = yaml.SafeLoader("")
                try:
                    loader.flatten_mapping(node)  # merged pairs first, then the explicit ones
                finally:
                    loader.dispose()
                pairs = node.value
                merged = len(pairs) - kept
            for index, (key_node, value_node) in enumerate(pairs):
                key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else "<complex key>"
                key = key if isinstance(key, str | int) else str(key)
                child = (*loc, key)
                if index >= merged:
                    if key in explicit:
                        self.duplicates.append((child, key_node.start_mark.line + 1))
                    explicit.add(key)
                self.lines[child] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return _scalar(node)

    def line(self, loc: Path_) -> int | None:
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc)


class _TooBig(Exception):
    def __init__(self, message: str, node: Any) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


def _scalar(node: Any) -> Any:
    """A scalar node's value as safe_load would give it (dates stay dates, '+0d' a string)."""
    import yaml

    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key; remove it or check its spelling"
    if kind == "missing":
        return "required key is missing"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def parse_playbook(text: str, path: str = "playbook.yaml") -> Playbook:
    """Validate a playbook's YAML text: every problem at once, each with file, line and key path."""
    import yaml

    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise InvalidInput(Problem("file is larger than 1 MB; is this a playbook?", path=path))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise InvalidInput(Problem(f"not valid YAML: {reason}", path=path,
                                   line=mark.line + 1 if mark else None)) from None
    except RecursionError:
        raise InvalidInput(Problem("nested too deeply to be a playbook", path=path)) from None
    if root is None:
        raise InvalidInput(Problem("the file is empty; a playbook needs name and phases", path=path))
    located = _Located()
    try:
        data = located.build(root)
    except _TooBig as error:
        raise InvalidInput(Problem(str(error), path=path, line=error.line)) from None
    except RecursionError:
        raise InvalidInput(Problem("nested too deeply to be a playbook", path=path)) from None
    problems = [Problem("duplicate key; the later one would silently win", path=path, line=line,
                        field=key_path(loc)) for loc, line in located.duplicates]
    if not isinstance(data, dict):
        problems.append(Problem("a playbook is a mapping with name, phases...", path=path, line=1))
        raise InvalidInput(problems, summary=f"{path}: {len(problems)} problem(s):")
    playbook = None
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(item["loc"])
            value = item.get("input") if item.get("type") != "missing" else None
            value = value if isinstance(value, str | int | float) and not isinstance(value, bool) else None
            problems.append(Problem(_message(item), path=path, line=located.line(loc), field=key_path(loc),
                                    value=value))
    problems += _check_tasks(data, located, path)
    problems.sort(key=lambda p: (p.line or 0))
    if problems:
        raise InvalidInput(problems, summary=f"{path}: {len(problems)} problems:" if len(problems) > 1 else None)
    assert playbook is not None
    return playbook


def _raw_tasks(data: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
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


def _check_tasks(data: dict[str, Any], located: _Located, path: str) -> list[Problem]:
    """Rules across tasks: unique names, known dependencies, no cycles, one first_value."""
    problems: list[Problem] = []

    def problem(message: str, loc: Path_, hint: str | None = None) -> None:
        problems.append(Problem(message, path=path, line=located.line(loc), field=key_path(loc), hint=hint))

    names: dict[str, Path_] = {}
    deps: dict[str, list[tuple[str, Path_]]] = {}
    first_values: list[Path_] = []
    for loc, task in _raw_tasks(data):
        name = task.get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        key = name.strip().casefold()
        if key in names:
            problem(f"duplicate task name {name.strip()!r} (first at line {located.line((*names[key], 'name'))})",
                    (*loc, "name"), "task names must be unique: depends_on and `onboard task` use them")
            continue
        names[key] = loc
        raw = task.get("depends_on", [])
        raw = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        deps[key] = [(d.strip(), (*loc, "depends_on", i) if isinstance(task.get("depends_on"), list)
                      else (*loc, "depends_on")) for i, d in enumerate(raw) if isinstance(d, str)]
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
        problem(f"depends_on forms a cycle: {shown}", (*start, "depends_on"),
                "remove one of these dependencies")
    if names and not first_values:
        problem("no task is marked `first_value: true`", ("phases",),
                "mark the milestone where the customer first gets value; time to value is measured to it")
    for loc in first_values[1:]:
        problem("more than one task is marked first_value", (*loc, "first_value"), "keep exactly one")
    return problems


def _display(data: dict[str, Any], loc: Path_) -> str:
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
                found.append(trail[trail.index(nxt):])
            elif colour[nxt] == white:
                colour[nxt] = grey
                stack.append((nxt, iter(graph[nxt])))
                trail.append(nxt)
    return found
