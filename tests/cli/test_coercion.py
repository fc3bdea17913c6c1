"""cli/coercion.py: every parameter of the app coerces its values exactly as Typer's own adapter
would (the same value, or the same BadParameter message), without pydantic; and the Typer
internals it relies on are where it expects them (this fails first after a Typer upgrade)."""

from __future__ import annotations

import inspect
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer._click.core import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperOption, _TyperParameter
from typer.main import get_command

from csmctl.cli.coercion import LeanContext, LeanParam, lean_coercion, lean_param


def _every_parameter() -> list[tuple[str, Any, _TyperParameter]]:
    """(command path, command, parameter) for every parameter of the whole app, lazy groups built."""
    from csmctl.cli.app import app

    out: list[tuple[str, Any, _TyperParameter]] = []

    def walk(command: Any, path: str) -> None:
        out.extend((path, command, p) for p in command.params if isinstance(p, _TyperParameter))
        renamed = getattr(command, "renamed", {})
        for name in getattr(command, "list_commands", lambda ctx: [])(None):  # lazy ones built
            if name not in renamed:
                walk(command.get_command(None, name), f"{path} {name}")

    walk(get_command(app), "csmctl")
    return out


PARAMETERS = _every_parameter()
# What coercion depends on; parameters alike in all of it coerce alike, so each kind is checked once.
_COERCION = ("parser", "min", "max", "clamp", "case_sensitive", "exists", "file_okay", "dir_okay")
_COERCION += ("writable", "readable", "resolve_path", "allow_dash", "path_type", "formats")


def _kind(param: _TyperParameter) -> tuple[Any, ...]:
    info = param.type_descriptor.parameter_info
    shape = (repr(param.type_descriptor.annotation), param.multiple, param.nargs, repr(param.default))
    return (*shape, *(repr(getattr(info, name, None)) for name in _COERCION))


KINDS = list({_kind(p): (path, command, p) for path, command, p in PARAMETERS}.values())
ENUM_VALUES = sorted(
    {
        str(member.value)
        for _, _, p in PARAMETERS
        for choice in (p.type_descriptor.choices or ())
        for member in [choice]
        if isinstance(member, Enum)
    }
)


def test_every_parameter_of_the_app_is_lean():
    """Every option and argument of csmctl today is plain enough (a new one that is not fails
    here: give it a LeanParam or accept that its commands import pydantic)."""
    assert len(PARAMETERS) > 400
    left = [f"{path} {p.name}" for path, _, p in PARAMETERS if lean_param(p.type_descriptor) is None]
    assert left == []


def _case_variants(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.title(), f" {word}", f"{word} ", word.swapcase()])


WORDS = ["true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0", "", "2", "tru"]
NUMBERS = ["0", "1", "-1", "+2", "007", "1_000", "1.0", "1.5", " 3", "3 ", "1e3", "0x10", "٣", "-0"]
NUMBERS += [str(10**18 - 1), str(10**18), str(-(10**30))]


def _paths(folder: Path) -> list[str]:
    paths = [str(folder / "file.txt"), str(folder / "dir"), str(folder / "missing"), str(folder), "-"]
    return [*paths, f"{folder}//dir/", ".", "a\x00b"]


def _edges(folder: Path) -> list[str]:
    """Every value at an edge of some kind, each word in several cases."""
    variants = [v for w in [*WORDS, *ENUM_VALUES] for v in (w, w.upper(), w.title(), f" {w} ")]
    return [*variants, *NUMBERS, *_paths(folder)]


def _values(folder: Path) -> st.SearchStrategy[str]:
    """Strings a user could type, weighted toward the edges of each kind: numbers, booleans,
    choices, paths, and anything at all."""
    words, paths = WORDS, _paths(folder)
    return st.one_of(
        st.text(max_size=12),
        st.integers(-(10**20), 10**20).map(str),
        st.from_regex(r"\s?[-+]?[0-9_]{0,6}(\.[0-9]?)?\s?", fullmatch=True),
        st.sampled_from(words).flatmap(_case_variants),
        st.sampled_from(ENUM_VALUES or ["x"]).flatmap(_case_variants),
        st.sampled_from(paths),
    )


def _outcome(runtime: RuntimeParam, value: Any, param: _TyperParameter, ctx: Context) -> tuple[str, Any]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as error:
        return "BadParameter", error.format_message()
    if isinstance(result, list):
        return "list", [(type(item), item) for item in result]
    return type(result).__name__, result


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("coercion")
    (folder / "file.txt").write_text("x")
    (folder / "dir").mkdir()
    return folder


def _check(values: list[Any], folder: Path) -> None:
    """Each kind of parameter: each value alone, and a list parameter all of them as one list."""
    for path, command, param in KINDS:
        lean = lean_param(param.type_descriptor)
        assert isinstance(lean, LeanParam), f"{path} {param.name}"
        typer_own = TYPERS.setdefault(id(param), build_runtime_param(param.type_descriptor))
        ctx = Context(command)
        many = param.multiple or param.nargs == -1
        given_values: list[Any] = [(v,) for v in values] + [tuple(values)] if many else list(values)
        if param.default is not None and not callable(param.default):  # defaults go through it too
            given_values.append(param.default)
        for value in given_values:
            assert _outcome(lean, value, param, ctx) == _outcome(typer_own, value, param, ctx), (
                f"{path} {param.name} = {value!r}"
            )


def test_lean_coercion_equals_typers_own_on_the_edges(folder):
    """Every kind of parameter, every edge value: the same answer."""
    assert len(KINDS) < len(PARAMETERS) / 3  # the point of checking kinds
    _check(_edges(folder), folder)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_lean_coercion_equals_typers_own_for_every_parameter(folder, data):
    """Each example draws a few values and gives each one to every parameter of the app (a list
    parameter gets them as one tuple), then the parameter's default: same result or same error."""
    _check(data.draw(st.lists(_values(folder), min_size=1, max_size=4)), folder)


TYPERS: dict[int, RuntimeParam] = {}  # Typer's own RuntimeParam per parameter, built once


class Colour(StrEnum):
    red = "red"


def test_the_typer_internals_lean_coercion_relies_on():
    """Typer 0.29 has no public hook for coercion; cli/coercion.py uses these internals. After a
    Typer upgrade this fails first and says what moved."""
    from importlib.metadata import version

    from typer import _param_types

    typer_version = version("typer")
    where = f"Typer {typer_version}: update csmctl/cli/coercion.py"
    assert RuntimeParam.__abstractmethods__ == frozenset({"_coerce_value"}), where
    assert list(inspect.signature(RuntimeParam.coerce).parameters) == ["self", "value", "param", "ctx"], where
    choice = inspect.signature(_param_types.coerce_cli_choice).parameters
    assert {"value", "choices", "case_sensitive", "ctx"} <= set(choice), where
    path = inspect.signature(_param_types.coerce_cli_path).parameters
    assert {"value", "parameter_info", "path_type", "param", "ctx"} <= set(path), where

    class Sentinel(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return f"ours: {value}"

    tiny = typer.Typer()
    seen: dict[str, Any] = {}

    @tiny.command()
    def paint(
        count: Annotated[int, typer.Option(min=1)] = 1,
        colour: Annotated[Colour, typer.Option()] = Colour.red,
        kind: Annotated[str, typer.Option()] = "a",
    ) -> None:
        seen.update(count=count, colour=colour, kind=kind)

    command = get_command(tiny)
    option = next(p for p in command.params if isinstance(p, TyperOption) and p.name == "kind")
    assert option._runtime_param is None, where  # the cache get_runtime_param fills on first use
    option._runtime_param = Sentinel(parameter_info=option.type_descriptor.parameter_info, annotation=str)
    assert option.process_value(Context(command), "x") == "ours: x", where  # ... and returns when set
    option._runtime_param = None

    # Click's documented hook: make_context builds Command.context_class, which fills the cache.
    lean_coercion(command)
    ctx = command.make_context("paint", ["--count", "3", "--colour", "red"])
    assert isinstance(ctx, LeanContext), where
    assert all(isinstance(p._runtime_param, LeanParam) for p in command.get_params(ctx)), where
    command.invoke(ctx)
    assert seen == {"count": 3, "colour": Colour.red, "kind": "a"}


def test_a_bad_value_gets_typers_own_message(cli):
    """Values outside the fast path go to Typer's adapter: a usage error naming the option, exit 2
    (the wording is Typer's; the test above checks it is exactly Typer's)."""
    result = cli("account", "list", "--limit", "0")
    assert result.exit_code == 2
    assert "'--limit'" in result.stderr and "Traceback" not in result.stderr
    result = cli("account", "list", "-f", "yaml")
    assert result.exit_code == 2
    assert "'yaml'" in result.stderr and "Traceback" not in result.stderr
