"""Playbook files: located validation errors (all at once), expansion, the built-ins."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from csmctl.domain.playbook import expand
from csmctl.errors import InvalidInput
from csmctl.playbooks import load_playbook
from csmctl.resources import builtin_dir


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # so messages name plain "playbook.yaml"


def parse_playbook(text: str):
    path = Path("playbook.yaml")
    path.write_text(text, encoding="utf-8")
    return load_playbook(path)


def problems(text: str) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_playbook(textwrap.dedent(text))
    return [p.render() for p in caught.value.problems]


GOOD = """\
    name: Mini
    anchor: kickoff
    phases:
      - name: Start
        tasks:
          - name: Kickoff
            due: +0d
          - name: Value
            due: +2bd
            first_value: true
            depends_on: Kickoff
"""


def test_a_good_playbook_expands():
    playbook = parse_playbook(textwrap.dedent(GOOD))
    tasks = expand(playbook, date(2026, 11, 20))  # a Friday
    assert [(t.position, t.name, t.due, t.due_offset, t.depends_on, t.milestone) for t in tasks] == [
        (1, "Kickoff", date(2026, 11, 20), "+0d", (), False),
        (2, "Value", date(2026, 11, 24), "+2bd", (1,), True),
    ]


def test_every_problem_is_listed_with_line_and_key_path():
    found = problems("""\
        name: Broken
        colour: blue
        phases:
          - name: One
            tasks:
              - name: A
                due: +0d
                depends_on: [C]
              - name: B
                due: tomorrow
                owner: ceo
              - name: a
                due: 5
          - name: Two
            tasks:
              - name: C
                due: +2bd
                depends_on: A
              - name: D
                due: +12
                depends_on: [Nope]
    """)
    assert found == [
        "playbook.yaml, line 2, colour: unknown field",
        "playbook.yaml, line 3, phases: no task is marked `first_value: true`; mark the milestone where the "
        "customer first gets value; time to value is measured to it",
        "playbook.yaml, line 8, phases[0].tasks[0].depends_on: depends_on forms a cycle: A -> C -> A; "
        "remove one of these dependencies",
        "playbook.yaml, line 10, phases[0].tasks[1].due: invalid offset 'tomorrow'. Use +30d, -2w, +3m, +1y "
        "or +5bd (business days).",
        "playbook.yaml, line 11, phases[0].tasks[1].owner: unknown owner role; use one of: csm, customer, am, "
        "sales, support, implementation (got 'ceo')",
        "playbook.yaml, line 12, phases[0].tasks[2].name: duplicate task name 'a' (first at line 6); task names "
        "must be unique: depends_on and `onboard task` use them",
        "playbook.yaml, line 13, phases[0].tasks[2].due: invalid offset 5. Use +30d, -2w, +3m, +1y "
        "or +5bd (business days). (got 5)",
        "playbook.yaml, line 20, phases[1].tasks[1].due: invalid offset 12. Use +30d, -2w, +3m, +1y "
        "or +5bd (business days). (got 12)",
        "playbook.yaml, line 21, phases[1].tasks[1].depends_on[0]: depends on an unknown task 'Nope'; use the "
        "exact name of another task",
    ]


def test_missing_keys_and_two_first_values():
    found = problems("""\
        name: Two
        phases:
          - name: One
            tasks:
              - due: +1d
              - name: X
                due: +1d
                first_value: true
              - name: Y
                due: +2d
                first_value: true
                milestone: true
          - tasks: []
    """)
    assert found == [
        "playbook.yaml, line 5, phases[0].tasks[0].name: required field is missing",
        "playbook.yaml, line 11, phases[0].tasks[2].first_value: more than one task is marked first_value; keep exactly one",
        "playbook.yaml, line 13, phases[1].name: required field is missing",
        "playbook.yaml, line 13, phases[1].tasks: list should have at least 1 item after validation, not 0",
    ]


def test_a_duplicate_yaml_key_is_refused():
    assert problems("name: A\nname: B\nphases: []\n") == [
        "playbook.yaml, line 2, name: key 'name' appears twice"
    ]


def test_a_self_dependency_is_a_cycle():
    found = problems("""\
        name: Loop
        phases:
          - name: One
            tasks:
              - {name: Value, due: +1d, first_value: true, depends_on: [value]}
    """)
    assert found == [
        "playbook.yaml, line 5, phases[0].tasks[0].depends_on: depends_on forms a cycle: "
        "Value -> Value; remove one of these dependencies"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "playbook.yaml, line 1: expected a mapping of keys (like `title: ...`), but the document is empty",
        ),
        (
            "- just\n- a list\n",
            "playbook.yaml, line 1: expected a mapping of keys (like `title: ...`), but the document is a list",
        ),
        ("name: [unclosed\n", "playbook.yaml, line 2: not valid YAML: did not find expected ',' or ']'"),
    ],
)
def test_unreadable_files(text, message):
    assert problems(text) == [message]


@pytest.mark.parametrize("name", ["standard", "low-touch"])
def test_builtin_playbooks_validate_and_expand_forward(name):
    playbook = load_playbook(builtin_dir("playbooks") / f"{name}.yaml")
    anchor = date(2026, 1, 31)
    tasks = expand(playbook, anchor)
    assert sum(t.first_value for t in tasks) == 1
    assert all(t.due >= anchor for t in tasks)
    by_position = {t.position: t for t in tasks}
    for t in tasks:  # a task is never due before what it waits for
        assert all(by_position[d].due <= t.due for d in t.depends_on), t.name


def test_standard_playbook_covers_the_onboarding_the_sources_describe():
    names = [t.name for _, t in load_playbook(builtin_dir("playbooks") / "standard.yaml").tasks()]
    for expected in (
        "Sales-to-CS handoff",
        "Research the customer",
        "Kickoff call",
        "Implementation plan agreed",
        "Admin training",
        "Integrations connected",
        "First value milestone",
        "30-day check-in",
        "60-day check-in",
        "90-day check-in",
        "Success plan review",
    ):
        assert expected in names


def test_merge_keys_work_and_an_override_is_no_duplicate():
    playbook = parse_playbook(
        textwrap.dedent("""\
        name: Merge
        phases:
          - name: One
            tasks:
              - &call {name: Call, due: +1d, owner: am}
              - <<: *call
                name: Value
                due: +2d
                first_value: true
    """)
    )
    assert [(t.name, t.due, t.owner) for _, t in playbook.tasks()] == [
        ("Call", "+1d", "am"),
        ("Value", "+2d", "am"),
    ]


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a billion-laughs file: aliases are shared, never expanded, and rejected as unknown keys
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcde", "bcdef", strict=True)
            ),
            "playbook.yaml, line 6, f: unknown field",
        ),
        (
            "name: x\nphases: &a [*a]\n",
            "playbook.yaml, line 2, phases[0]: input should be a valid dictionary or instance of PlaybookPhase",
        ),
        ("[" * 3000 + "]" * 3000, "playbook.yaml, line 1: nested too deeply (more than 100 levels)"),
        (
            "phases: " + "[" * 3000 + "]" * 3000,
            "playbook.yaml, line 1: nested too deeply (more than 100 levels)",
        ),
        # below libyaml's own flow limit (1000), so only csmctl's check can refuse it
        (
            "phases: " + "[" * 150 + "]" * 150,
            "playbook.yaml, line 1: nested too deeply (more than 100 levels)",
        ),
        # block nesting, which no loader limits: the line where it gets too deep
        (
            "phases:\n" + "".join(" " * i + "- a:\n" for i in range(0, 400, 2)),
            "playbook.yaml, line 51: nested too deeply (more than 100 levels)",
        ),
        # a syntax error keeps its own message and line
        ("name: x\nphases: [1\n", "playbook.yaml, line 3: not valid YAML"),
    ],
)
@pytest.mark.parametrize("loader", ["libyaml", "pure-python"])
def test_hostile_yaml_is_refused(text, expected, loader, monkeypatch):
    """csmctl's message, whichever YAML loader runs (PyYAML 6.0.4's libyaml refuses deep flow
    nesting with its own wording; the pure-Python one runs out of stack)."""
    import yaml

    if loader == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML was built without libyaml")
    else:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    found = problems(text)
    assert any(problem.startswith(expected) for problem in found), found
