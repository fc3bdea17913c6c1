"""Every ``--format json`` output validates against the schema csmctl publishes for it.

The schemas live in csmctl/schemas (``csmctl schema json COMMAND`` prints one; docs/json.md is
generated from them). RUNS drives every JSON-producing command on the demo book, plus a bare
account (nothing but a name) so that the optional values are null somewhere; a command whose
output changes shape fails here until its schema (and so docs/json.md) changes with it.
"""

from __future__ import annotations

import json
from pathlib import Path

from csmctl.schemas import command_names, load_schema

FIXTURES = Path(__file__).parent.parent
JOB_SPEC = str(FIXTURES / "documents" / "fixtures" / "job-spec.yaml")
RESUME = str(FIXTURES / "resume" / "fixtures" / "resume.yaml")
RESUME_JOB = str(FIXTURES / "resume" / "fixtures" / "job.yaml")
FULL = "Adventure Works Cycles"  # a demo account with touchpoints, health and metrics
ONBOARDING = "Humongous Insurance"  # a demo account with an active checklist
BARE = "Zeta Bare"  # added by the test: every optional value missing

# (schema name, argv before -f json); read-only runs first, then the ones that write.
RUNS: list[tuple[str, list[str]]] = [
    ("account list", ["account", "list"]),
    ("account list", ["account", "list", "--all"]),
    ("account show", ["account", "show", FULL]),
    ("account show", ["account", "show", BARE]),
    ("contact list", ["contact", "list"]),
    ("contact list", ["contact", "list", FULL]),
    ("touchpoint list", ["touchpoint", "list"]),
    ("timeline", ["timeline", FULL]),
    ("timeline", ["timeline", BARE]),
    ("followup list", ["follow-up", "list"]),
    ("stale", ["stale"]),
    ("today", ["today"]),
    ("metric retention", ["metric", "retention"]),
    ("onboard status", ["onboard", "status"]),
    ("onboard status", ["onboard", "status", ONBOARDING]),
    ("onboard ttv", ["onboard", "ttv"]),
    ("onboard ttv", ["onboard", "ttv", "--by", "account"]),
    ("onboard ttv", ["onboard", "ttv", "--by", "playbook"]),
    ("onboard ttv", ["onboard", "ttv", "--by", "cohort"]),
    ("playbook list", ["playbook", "list"]),
    ("playbook show", ["playbook", "show", "standard"]),
    ("playbook show", ["playbook", "show", "standard", "--anchor", "2026-12-01"]),
    ("renewal history", ["renewal", "history"]),
    ("renewal list", ["renewal", "list"]),
    ("renewal list", ["renewal", "list", "--within", "400d"]),
    ("report renewals", ["report", "renewals"]),
    ("report renewals", ["report", "renewals", "--within", "400d", "--period", "2026"]),
    ("export accounts", ["export", "accounts"]),
    ("export contacts", ["export", "contacts"]),
    ("export touchpoints", ["export", "touchpoints"]),
    ("health show", ["health"]),
    ("health show", ["health", "show"]),
    ("health show", ["health", "show", FULL]),
    ("health show", ["health", "show", FULL, "--explain"]),
    ("health show", ["health", "show", BARE]),
    ("health history", ["health", "history", FULL]),
    ("health movers", ["health", "movers"]),
    ("metric list", ["metric", "list", FULL]),
    ("template list", ["template", "list"]),
    ("jd lint", ["jd", "lint", JOB_SPEC]),
    ("jd lint", ["jd", "lint", RESUME_JOB]),  # errors and warnings (exit 3)
    ("jd lint", ["jd", "lint", "--rules"]),
    ("resume check", ["resume", "check", RESUME]),
    ("resume lint", ["resume", "lint", RESUME]),
    ("resume match", ["resume", "match", RESUME, "--jd", RESUME_JOB]),
    ("risk list", ["risk", "list"]),
    ("risk show", ["risk", "show", "1"]),
    ("risk show", ["risk", "show", "4"]),  # closed: recovered
    ("risk reasons", ["risk", "reasons"]),
    ("play list", ["play", "list"]),
    ("play show", ["play", "show", "renewal-no-contact"]),
    ("play run", ["play", "run"]),  # none enabled: []
    (
        "play run",
        ["play", "run", "--play", "renewal-no-contact", "--play", "detractor-follow-up", "--dry-run"],
    ),
    ("forecast show", ["forecast"]),
    ("forecast show", ["forecast", "--quarter", "2027", "--by", "owner"]),
    ("forecast show", ["forecast", "--quarter", "2027", "--lines"]),
    ("forecast history", ["forecast", "history", "Fabrikam Retail"]),
    ("forecast accuracy", ["forecast", "accuracy", "--quarter", "2026"]),
    ("forecast accuracy", ["forecast", "accuracy", "--quarter", "2026", "--by", "category", "--detail"]),
    ("book", ["book"]),
    ("book", ["book", "--by", "owner"]),
    ("metric retention", ["metric", "retention", "--by", "reason"]),
    ("db info", ["db", "info"]),
    ("account add", ["account", "add", "Json Co"]),
    ("account add", ["account", "add", "Json Full", "--arr", "12000", "--renewal", "2027-03-01"]),
    ("account edit", ["account", "edit", "Json Co", "--tier", "smb"]),
    ("renewal record", ["renewal", "record", "Json Full", "--outcome", "renewed"]),
    ("play run", ["play", "run", "--play", "renewal-no-contact", "--play", "detractor-follow-up"]),
    ("play history", ["play", "history"]),
    ("play history", ["play", "history", "Fourth Coffee"]),
    ("play stats", ["play", "stats"]),
]


def run_all(cli, tmp_path) -> list[tuple[str, list[str], object]]:
    """(schema name, argv, parsed output) of every run, on the demo book plus a bare account."""
    cli.ok("demo")
    cli.ok("account", "add", BARE)
    runs = [*RUNS, ("db copy", ["db", "copy", "--to", str(tmp_path / "copy.db")])]
    out = []
    for name, argv in runs:
        result = cli(*argv, "-f", "json")
        # 3: the command found what it checks for (jd lint errors) and still printed its JSON
        assert result.exit_code in (0, 3), f"{argv}: exit {result.exit_code}\n{result.stderr}"
        out.append((name, argv, json.loads(result.stdout)))
    return out


def test_every_json_output_validates_against_its_schema(cli, tmp_path):
    from jsonschema import Draft202012Validator

    failures = []
    for name, argv, data in run_all(cli, tmp_path):
        validator = Draft202012Validator(load_schema(name))
        for error in validator.iter_errors(data):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            failures.append(f"csmctl {' '.join(argv)} -f json: at {where}: {error.message[:200]}")
    assert not failures, "\n".join(failures[:30])


def test_every_schema_is_exercised_and_valid():
    from jsonschema import Draft202012Validator

    exercised = {name for name, _ in RUNS} | {"db copy"}
    assert exercised == set(command_names())
    for name in command_names():
        Draft202012Validator.check_schema(load_schema(name))


def test_a_changed_shape_fails_validation():
    """The schemas are strict where the shape is closed: a missing, extra or retyped key fails."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema("db info"))
    good = {
        "database": "/tmp/b.db",
        "dialect": "sqlite",
        "schema_version": 3,
        "schema_head": 3,
        "size_bytes": 10,
    }
    good |= {table: 0 for table in load_schema("db info")["required"] if table not in good}
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({**good, "surprise": 1}))
    assert list(validator.iter_errors({k: v for k, v in good.items() if k != "dialect"}))
    assert list(validator.iter_errors({**good, "size_bytes": "10"}))


def test_docs_json_md_is_generated_from_the_schemas():
    from csmctl.schemas.docs import render

    committed = (Path(__file__).parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/json.md is stale: python -m csmctl.schemas.docs > docs/json.md"


def test_schema_json_prints_a_commands_schema(cli):
    assert json.loads(cli.ok("schema", "json", "account", "list").stdout) == load_schema("account list")
    assert "account list" in cli.ok("schema", "json").stdout.splitlines()
    unknown = cli("schema", "json", "account", "frobnicate")
    assert unknown.exit_code == 1
    assert unknown.stderr.splitlines()[0] == "Error: No JSON schema for 'account frobnicate'."
