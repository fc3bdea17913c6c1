"""Option and argument values coerced without pydantic, exactly as Typer would (issue 19: start-up).

Typer 0.29 builds a pydantic ``TypeAdapter`` for every parameter a command parses (its
``_TyperParameter.get_runtime_param`` -> ``typer._coercion.build_runtime_param`` ->
``typer._adapters``, which imports pydantic at its top): ~0.06 CPU s on every command, more than a
one-account read costs. Most of csmctl's parameters are a plain ``str``, ``int`` (min/max or not),
``bool``, ``Path`` or ``Enum``, one value or a list of them, with no custom parser; for those,
:func:`lean_coercion` makes every command parse in a :class:`LeanContext`, which gives such a
parameter a :class:`LeanParam` of ours.

How it stays exactly Typer's: a ``LeanParam`` answers only the values whose result is beyond doubt
(``"42"``, ``"yes"``, a choice that matches, a path that passes Typer's own checks) and hands every
other value, the bad ones included, to the adapter Typer would have built, so an odd value gets
Typer's result and a bad one Typer's own BadParameter message. tests/cli/test_coercion.py walks
every parameter of the whole app and checks (Hypothesis) that both agree on valid and invalid
input, and pins the Typer internals this relies on: ``_TyperParameter._runtime_param`` (the
cache ``get_runtime_param`` returns when set), ``RuntimeParam.coerce`` and its abstract
``_coerce_value``, ``TypeDescriptor``, ``coerce_cli_choice`` and ``coerce_cli_path``. pyproject
pins typer <0.30; an upgrade that moves any of it fails that test first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from typer._click.core import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass
from typer._typing import get_args
from typer.core import _TyperParameter

_TYPER = object()  # a leaf's answer for "not beyond doubt: ask Typer's own adapter"
_INT = re.compile(r"[-+]?[0-9]{1,18}")
_BOOL = {"true": True, "t": True, "yes": True, "y": True, "on": True, "1": True}
_BOOL |= {"false": False, "f": False, "no": False, "n": False, "off": False, "0": False, "": False}

Leaf = Callable[[Any, _TyperParameter, Any], Any]


def _str(value: Any, param: _TyperParameter, ctx: Any) -> Any:
    return value if type(value) is str else _TYPER


def _int(value: Any, param: _TyperParameter, ctx: Any) -> Any:
    if type(value) is int:
        return value
    if type(value) is str and _INT.fullmatch(value):
        return int(value)
    return _TYPER


def _bool(value: Any, param: _TyperParameter, ctx: Any) -> Any:
    if type(value) is bool:
        return value
    if type(value) is str and value.isascii():
        return _BOOL.get(value.lower(), _TYPER)
    return _TYPER


def _int_within(low: float | None, high: float | None) -> Leaf:
    def coerce(value: Any, param: _TyperParameter, ctx: Any) -> Any:
        number = _int(value, param, ctx)
        if number is _TYPER or (low is not None and number < low) or (high is not None and number > high):
            return _TYPER  # out of range: Typer's message says which bound
        return number

    return coerce


def _choice(choices: tuple[Any, ...], case_sensitive: bool) -> Leaf:
    def coerce(value: Any, param: _TyperParameter, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
        except ValueError:
            return _TYPER

    return coerce


def _path(descriptor: TypeDescriptor) -> Leaf:
    info = descriptor.parameter_info

    def coerce(value: Any, param: _TyperParameter, ctx: Any) -> Any:
        if isinstance(value, Path):
            given = value
        elif type(value) is str and value and "\x00" not in value:
            given = Path(value)  # what pydantic's Path validation makes of a str
        else:
            return _TYPER
        try:  # Typer's own checks (exists, file/dir, readable...); their messages come from Typer
            return coerce_cli_path(given, info, path_type=Path, param=param, ctx=ctx)
        except BadParameter:
            return _TYPER

    return coerce


def _leaf(annotation: Any, descriptor: TypeDescriptor) -> Leaf | None:
    """Our coercion of one value of ``annotation``, or None to leave the parameter to Typer."""
    info = descriptor.parameter_info
    if lenient_issubclass(annotation, Enum):
        return _choice(tuple(annotation), info.case_sensitive)
    if annotation is str:
        return _str
    if annotation is int:
        return _int if info.min is None and info.max is None else _int_within(info.min, info.max)
    if annotation is bool:
        return _bool
    if annotation is Path and info.path_type is None:
        return _path(descriptor)
    return None


@dataclass(frozen=True)
class LeanParam(RuntimeParam):
    """Typer's RuntimeParam contract, answered by a stdlib leaf, Typer's adapter as the fallback."""

    descriptor: TypeDescriptor
    leaf: Leaf
    many: bool
    _typer: list[RuntimeParam] = field(default_factory=list, repr=False, compare=False)

    def typer_param(self) -> RuntimeParam:
        """The RuntimeParam Typer itself would use (built, with pydantic, only when needed)."""
        if not self._typer:
            self._typer.append(build_runtime_param(self.descriptor))
        return self._typer[0]

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Any) -> Any:
        if self.many:
            if isinstance(value, list | tuple):
                items = [self.leaf(item, param, ctx) for item in value]
                if not any(item is _TYPER for item in items):
                    return items
        else:
            result = self.leaf(value, param, ctx)
            if result is not _TYPER:
                return result
        return self.typer_param()._coerce_value(value, param=param, ctx=ctx)


def lean_param(descriptor: TypeDescriptor) -> LeanParam | None:
    """A LeanParam for a plain parameter; None for one Typer must coerce (a parser, a clamp, a
    file, a datetime, a tuple, a custom path type...)."""
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.is_file or info.clamp:
        return None
    if (info.min is not None or info.max is not None) and descriptor.annotation is not int:
        return None
    annotation, many = descriptor.annotation, False
    if descriptor.is_list:
        [annotation], many = get_args(annotation), True
    elif descriptor.is_tuple:
        return None
    leaf = _leaf(annotation, descriptor)
    if leaf is None:
        return None
    return LeanParam(
        annotation=descriptor.annotation, parameter_info=info, descriptor=descriptor, leaf=leaf, many=many
    )


class LeanContext(Context):
    """A context that, once made, gives its command's plain parameters a LeanParam: all of them,
    the help option Click makes per context and Typer's completion options included. Click's
    documented hook for this is ``Command.context_class``; only the invoked commands pay."""

    def __init__(self, command: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(command, *args, **kwargs)
        for param in command.get_params(self):
            if isinstance(param, _TyperParameter) and param._runtime_param is None:
                param._runtime_param = lean_param(param.type_descriptor)


def lean_coercion(command: Any) -> None:
    """Make ``command`` and its subcommands (recursively) parse in a LeanContext."""
    command.context_class = LeanContext
    for sub in getattr(command, "commands", {}).values():
        lean_coercion(sub)
