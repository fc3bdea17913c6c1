"""Every command has help, and --help stays cheap (no sqlmodel/sqlalchemy/jinja2 import)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Annotated  # module level: Typer resolves the test app's annotations here

import pytest
import typer
from typer.main import get_command

from csmctl.cli import app

HEAVY = ("sqlmodel", "sqlalchemy", "jinja2", "alembic", "yaml")


def _walk(command, path=()):
    yield path, command
    if hasattr(command, "list_commands"):  # a group (the root builds its groups lazily)
        for name in command.list_commands(None):
            yield from _walk(command.get_command(None, name), (*path, name))


COMMANDS = [path for path, _ in _walk(get_command(app))]


def test_every_command_has_help_text():
    for path, command in _walk(get_command(app)):
        if path:
            assert command.help or command.short_help, f"csmctl {' '.join(path)} has no help"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "csmctl")
def test_help_runs(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout


GROUPS = [p for p, c in _walk(get_command(app)) if len(p) <= 1 and hasattr(c, "list_commands")]


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "csmctl")
def test_help_does_not_import_heavy_modules(path, tmp_path):
    code = (
        "import sys, json\nfrom csmctl.cli import main\nsys.argv = ['csmctl', *json.loads(sys.argv[1]), '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(list(path))],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CSMCTL_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_version(cli):
    from csmctl import __version__

    assert cli.ok("--version").stdout == f"csmctl {__version__}\n"


# -- the CLI contract, checked on the whole tree (issue 21) ------------------------------------------


def _options():
    for path, command in _walk(get_command(app)):
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option":
                yield path, param


# Every option that takes a value and is not an enum, classified. A closed set of values must be
# an enum (a bad value is Click's usage error, exit 2, listing the choices); an option added
# without being an enum fails here until someone decides it is open.
OPEN_VALUES = {  # any name, date, span, number, file or text
    "--account",
    "--after",
    "--anchor",
    "--arr",
    "--arr-before",
    "--as-of",
    "--cadence",
    "--contract-start",
    "--csat",
    "--currency",
    "--date",
    "--db",
    "--description",
    "--domain",
    "--due",
    "--email",
    "--encoding",
    "--external-id",
    "--follow-up",
    "--follow-up-text",
    "--jd",
    "--limit",
    "--map",
    "--min",
    "--name",
    "--note",
    "--notes",
    "--notice-days",
    "--nps",
    "--output",
    "--owner",
    "--period",
    "--phase",
    "--phone",
    "--playbook",
    "--playbook-dir",
    "--profile",
    "--rates",
    "--renewal",
    "--renewing-within",
    "--role",
    "--search",
    "--segment",
    "--since",
    "--stage-since",
    "--stuck-days",
    "--summary",
    "--tag",
    "--add-tag",
    "--play",
    "--play-dir",
    "--reason",
    "--quarter",
    "--amount",
    "--likelihood",
    "--why",
    "--remove-tag",
    "--template",
    "--template-dir",
    "--term",
    "--theme",
    "--to",
    "--until",
    "--when",
    "--with",
    "--within",
    "--resume",
    "--company",
    "--max-pages",
    "--apply-url",
    "--map-values",
    "--kind",  # the configured touchpoint kinds: known only once the config is read
}
CLOSED_NOT_YET_ENUMS = {  # closed sets still checked by hand (exit 1); each needs more than a type
    "--tier",
    "--stage",  # accept aliases ("mid market", "Mid-Market") that a Choice would refuse
    "--fail-on",  # a comma-separated list of choices
    "--clear",  # a list of field names
    "--preset",  # per importer; its home imports SQLAlchemy (not at --help time)
    "--owner-role",  # its home (domain.playbook) imports pydantic (not at --help time)
}


def test_every_closed_set_option_is_an_enum():
    unclassified = set()
    for _path, param in _options():
        descriptor = getattr(param, "type_descriptor", None)
        if param.is_flag or param.count or (descriptor is not None and descriptor.is_choice):
            continue
        long = max(param.opts, key=len)
        if long not in OPEN_VALUES | CLOSED_NOT_YET_ENUMS:
            unclassified.add(long)
    assert unclassified == set(), "make these enums, or add them to OPEN_VALUES if their values are open"


@pytest.mark.parametrize(
    "args, choices",
    [
        (["account", "list", "--sort", "size"], "'name', 'renewal'"),
        (["health", "show", "--band", "blue"], "'red', 'yellow', 'green'"),
        (["import", "accounts", "x.csv", "--on-conflict", "merge"], "'update', 'skip', 'fail'"),
        (["onboard", "status", "--state", "late"], "'on-track', 'behind', 'stuck', 'done'"),
        (["onboard", "ttv", "--by", "month"], "'all', 'account', 'playbook', 'cohort'"),
        (["metric", "retention", "--by", "region"], "'owner', 'tier'"),
        (["renewal", "record", "acme", "--outcome", "won"], "'renewed', 'expanded'"),
        (["touchpoint", "list", "--sentiment", "great"], "'positive', 'neutral', 'negative'"),
        (["export", "accounts", "-f", "md"], "'csv', 'json'"),
        (["brief", "acme", "-f", "pdf"], "'md', 'html'"),
    ],
)
def test_a_value_outside_a_closed_set_is_a_usage_error(cli, args, choices):
    """Each of these exited 1 with our own message (or, for export -f md, was offered then refused)."""
    result = cli(*args)
    assert result.exit_code == 2 and choices in result.stderr, result.stderr


def test_one_meaning_per_short_flag():
    meanings: dict[str, set[str]] = {}
    for _path, param in _options():
        longs = tuple(sorted(o for o in param.opts if o.startswith("--")))
        for short in (o for o in [*param.opts, *param.secondary_opts] if not o.startswith("--")):
            meanings.setdefault(short, set()).add(longs[0] if longs else short)
    assert {flag: sorted(m) for flag, m in meanings.items() if len(m) > 1} == {}


def test_no_two_groups_differ_only_by_a_plural():
    root = get_command(app)
    for path, command in _walk(root):
        if not hasattr(command, "list_commands"):
            continue
        visible = [n for n in command.list_commands(None) if not command.get_command(None, n).hidden]
        for name in visible:
            assert f"{name}s" not in visible and f"{name}es" not in visible, (path, name)


def test_one_spelling_of_follow_up():
    hidden = {p for p, c in _walk(get_command(app)) if p and c.hidden}  # old names, kept as aliases
    names = [
        " ".join(p) for p, _ in _walk(get_command(app)) if p and not any(p[: len(h)] == h for h in hidden)
    ]
    assert "follow-up list" in names and not [n for n in names if "followup" in n]
    options = {o for _, param in _options() for o in param.opts}
    assert not [o for o in options if "followup" in o]


def test_top_level_help_is_in_sections_with_words(cli):
    text = cli.ok("--help").stdout
    headings = [line[:-1] for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings[:2] == ["Usage", "Options"] or headings[0] == "Options"
    assert [h for h in headings if h not in ("Usage", "Options")] == [
        "Daily work",
        "Book",
        "Renewals",
        "Documents",
        "Data",
    ]  # no "Other commands": every command has a section
    listed = {line.split()[0] for line in text.splitlines() if line.startswith("  ") and line.strip()}
    assert {"renewal", "follow-up", "metric"} <= listed and not {"renewals", "followup", "metrics"} & listed


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "csmctl")
def test_help_names_arguments_as_words(cli, path):
    text = cli.ok(*path, "--help").stdout
    assert "{" not in text.split("\n", 1)[0], text.split("\n", 1)[0]  # usage: ACCOUNT, not {account}
    for bad in ("<str>", "<int>", "<float>", "<list[", "<file>", "<dir>", "<path>"):
        assert bad not in text, (path, bad)


def test_risk_and_forecast_option_enums_are_the_domain_sets():
    """The option enums of risk/forecast spell the domain's closed sets (one home: the domain)."""
    from csmctl.cli import forecast, risks
    from csmctl.domain import forecast as fc
    from csmctl.domain import risks as rk

    assert tuple(risks.Severity) == rk.SEVERITIES
    assert tuple(risks.Outcome) == rk.OUTCOMES
    assert tuple(forecast.Category) == fc.CATEGORIES
    assert tuple(forecast.ForecastBy) == fc.BY
    # built from those tuples (options.closed_set), not copied: nothing to keep in step by hand
    import inspect

    for module in (risks, forecast):
        assert "closed_set(" in inspect.getsource(module)
    assert "class Severity" not in inspect.getsource(risks) and "class Category" not in inspect.getsource(
        forecast
    )


def test_typer_help_internals_that_plain_words_relies_on():
    """cli/boundary.plain_words leans on Typer internals (no public hook exists; see the comment
    above WordArgument). After a Typer upgrade this fails first and says what moved."""
    from importlib.metadata import version

    from typer.core import TyperArgument, TyperOption

    from csmctl.cli.boundary import plain_words

    typer_version = version("typer")
    needed = {
        "TyperArgument.display_type_rich": getattr(TyperArgument, "display_type_rich", None),
        "TyperArgument.get_usage_pieces": getattr(TyperArgument, "get_usage_pieces", None),
        "TyperOption.display_type": getattr(TyperOption, "display_type", None),
    }
    missing = [name for name, found in needed.items() if not callable(found)]
    assert not missing, f"Typer {typer_version} has no {missing}: update cli/boundary.plain_words"

    tiny = typer.Typer(rich_markup_mode=None)

    @tiny.command()
    def log(
        account: Annotated[str, typer.Argument(help="Who.")],
        summary: Annotated[str | None, typer.Argument(help="What.")] = None,
        files: Annotated[list[str] | None, typer.Argument(help="Files.")] = None,
        count: Annotated[int, typer.Option(help="How many.")] = 1,
        kind: Annotated[str, typer.Option(help="Kind.")] = "a",
    ) -> None:
        """Log."""

    command = get_command(tiny)
    options = {p.name: p for p in command.params if isinstance(p, TyperOption)}
    assert hasattr(options["count"], "type_descriptor"), (
        f"Typer {typer_version}: options have no type_descriptor; update cli/boundary.plain_words"
    )
    plain_words(command)
    text = command.get_help(typer.Context(command, info_name="log"))
    expected = [
        "Usage: log [OPTIONS] ACCOUNT [SUMMARY] [FILES...]",
        "  ACCOUNT   Who.  [required]",
        "  SUMMARY   What.",
        "  FILES...  Files.",
        "  --count INTEGER       How many.  [default: 1]",
        "  --kind TEXT           Kind.  [default: a]",
    ]
    lines = text.splitlines()
    off = [line for line in expected if line not in lines]
    assert not off, f"Typer {typer_version} renders help differently; plain_words no longer fixes:\n{text}"


def test_top_level_help_loads_no_domain_rules(tmp_path):
    """`csmctl --help` builds every top-level command; their modules keep domain and store
    imports inside the commands (`health`'s NO_DATA once pulled the whole scorer in)."""
    code = (
        "import sys\nfrom csmctl.cli import main\nsys.argv = ['csmctl', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('csmctl.domain.health', 'csmctl.store', "
        "'csmctl.documents.engine'))), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CSMCTL_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_nothing_imports_click_which_a_fresh_install_does_not_have():
    """typer 0.29 vendors Click (typer._click); the `click` package comes only with other tools
    (sqlite-utils in the bench extra), so an `import click` passes in a dev venv and fails in
    CI's fresh one. typer.Context and typer's own names are the way in."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"^\s*(import click\b|from click\b)", re.MULTILINE)
    found = [
        str(path.relative_to(root))
        for folder in ("csmctl", "tests")
        for path in (root / folder).rglob("*.py")
        if pattern.search(path.read_text("utf-8"))
    ]
    assert found == []
