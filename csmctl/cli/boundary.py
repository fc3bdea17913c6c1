"""The one error boundary: csmctl errors become a short message on stderr and an exit code.

Every command runs inside ``CsmctlGroup.invoke`` of the root group, so no command needs its own
try/except. Unexpected exceptions become one line too (with the hint to rerun with
CSMCTL_DEBUG=1, which shows the traceback) — a traceback can carry customer data.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup

from csmctl.cli.coercion import lean_coercion
from csmctl.errors import EXIT_FAILED, CsmctlError


def debug_enabled() -> bool:
    return os.environ.get("CSMCTL_DEBUG", "") not in ("", "0", "false", "no")


def report(error: CsmctlError) -> None:
    from csmctl.output import err
    from csmctl.redact import redact

    lines = [redact(line) for line in error.lines()]
    err(f"Error: {lines[0]}", style="error")
    for line in lines[1:]:
        err(line)


def _database_error(error: BaseException) -> CsmctlError | None:
    """Driver errors that escaped the store's own translation (a safety net)."""
    if "sqlalchemy" not in sys.modules and "sqlite3" not in sys.modules:
        return None
    import sqlite3

    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError | sqlite3.Error):
        from csmctl.store.database import database_error

        return database_error(error, "in use")
    return None


def _module(name: str) -> Any:
    """Import a module by name the way an import statement does, so that ``-X importtime`` (and
    tests/cli/test_lean_reads.py) sees it: ``importlib.import_module`` imports are not logged."""
    return __import__(name, fromlist=["__name__"])


@dataclass(frozen=True)
class LazyGroup:
    """A command group built only when used: its module, the Typer attribute, its short help."""

    module: str
    attribute: str
    help: str

    def short_help(self, limit: int) -> str:
        return self.help

    def build(self, name: str) -> Any:
        import copy

        from typer.main import get_command_name, get_group

        typer_app = getattr(_module(self.module), self.attribute)
        typer_app.info.name = name
        typer_app.rich_markup_mode = None  # plain help like the root (see cli/app.py)
        if not typer_app.info.help:
            typer_app.info.help = self.help
        # The group without its commands (its callback and sub-groups as Typer builds them); each
        # command is built when first asked for (see LazyCommand for why).
        shell = copy.copy(typer_app)
        shell.registered_commands = []
        group: Any = get_group(shell)  # a group even when it has one command (report renewals)
        plain_words(group)
        lean_coercion(group)
        pending = {
            info.name or get_command_name(info.callback.__name__): info
            for info in typer_app.registered_commands
        }
        lazy: Any = object.__new__(_with_lazy_commands(type(group)))
        lazy.__dict__.update(vars(group))  # the same group, of a class that builds commands lazily
        lazy.pending = pending
        lazy.order = [*pending, *group.commands]
        return lazy


class LazyCommands:
    """Mixed into a LazyGroup's class: its commands (Typer CommandInfo, in ``pending``) are built
    on first use; names are listed in registration order without building anything."""

    pending: dict[str, Any]
    order: list[str]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.order)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        info = self.pending.pop(cmd_name, None)
        if info is not None:
            command = LazyCommand.from_info(cmd_name, info)
            self.commands[cmd_name] = command  # type: ignore[attr-defined]
        return super().get_command(ctx, cmd_name)  # type: ignore[misc]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.pending and args[0] not in self.commands:  # type: ignore[attr-defined]
            for name in list(self.pending):  # a typo: Typer's "did you mean" looks at every name
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)  # type: ignore[misc]


_LAZY_CLASSES: dict[type, type] = {}


def _with_lazy_commands(cls: type) -> type:
    if cls not in _LAZY_CLASSES:
        _LAZY_CLASSES[cls] = type(cls.__name__, (LazyCommands, cls), {"__module__": cls.__module__})
    return _LAZY_CLASSES[cls]


@dataclass(frozen=True)
class LazyCommand:
    """A single command (`csmctl touch`) built only when used: its module and function. Typer reads
    a command's signature and type hints when it builds it (~1-2 ms a command), and the root built
    all of them for every invocation (issue 19: start-up)."""

    module: str
    attribute: str

    def function(self) -> Any:
        return getattr(_module(self.module), self.attribute)

    def build(self, name: str) -> Any:
        single = typer.Typer()
        single.command(name)(self.function())
        return self.from_info(name, single.registered_commands[0])

    def short_help(self, limit: int) -> str:
        """Its line in `csmctl --help`, without building it: what Click's ``get_short_help_str``
        makes of the docstring Typer takes as the help (tests/cli/test_lazy_commands.py checks
        that both agree for every command)."""
        import inspect

        from typer._click.utils import make_default_short_help

        return make_default_short_help(inspect.getdoc(self.function()) or "", limit).strip()

    @staticmethod
    def from_info(name: str, info: Any) -> Any:
        """The command Typer builds from its CommandInfo (public: a one-command Typer's
        ``get_command``), with csmctl's plain help words and lean coercion."""
        from typer.main import get_command

        single = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
        single.registered_commands = [info]
        command = get_command(single)  # a TyperCommand, as a group's build made it
        plain_words(command)
        lean_coercion(command)
        return command


# Why Typer internals, and how this breaks loudly rather than quietly:
# Typer 0.29 renders an argument in the usage line as `{account}` (even with `metavar=`) and every
# value's type as `<str>`, `<int>`, `<list[str]>`; its public API (typer.Argument/Option's
# `metavar`, a command's `cls`) has no hook for the usage line or the Arguments section, and
# setting `metavar=` by hand on every option and argument would be a rule repeated at each site.
# So plain_words swaps each TyperArgument's class for WordArgument, overriding Click's public
# `get_usage_pieces` and Typer's undocumented `display_type_rich`, and reads Typer's
# `type_descriptor.is_choice` and `display_type()` on options. pyproject pins typer <0.30, and
# tests/cli/test_help.py::test_typer_help_internals_that_plain_words_relies_on fails first, with
# a message naming what moved, when an upgrade changes any of it.
class WordArgument(TyperArgument):
    """An argument shown as a word, as Click does: `ACCOUNT [SUMMARY] FILES...`, never
    `{account}` or `account <str>` (Typer's own rendering)."""

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        word = str(self.metavar)
        return [word if self.required else f"[{word}]"]

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


# Words for values whose type Typer would print as `<int>`, `<list[str]>`, `<file>`.
_TYPE_WORDS = {"int": "INTEGER", "float": "NUMBER", "str": "TEXT", "file": "FILE", "dir": "DIR"}


def plain_words(command: Any) -> None:
    """Name every argument and non-choice value in help as an upper-case word (recursively)."""
    for param in getattr(command, "params", []):
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                word = (param.name or "value").rstrip("_").upper().replace("_", "-")
                param.metavar = word + ("..." if param.nargs != 1 else "")
            param.__class__ = WordArgument
        elif param.metavar is None and not getattr(param, "is_flag", False):
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None or descriptor.is_choice:
                continue  # choices stay listed: <red|yellow|green>
            try:
                shown = str(param.display_type(None))
            except Exception:  # pragma: no cover - another Typer's rendering: leave it
                continue
            if shown.startswith("<") and shown.endswith(">"):
                inner = shown[1:-1].removeprefix("list[").removesuffix("]")
                param.metavar = _TYPE_WORDS.get(inner, inner.upper())
    for sub in getattr(command, "commands", {}).values():
        plain_words(sub)


class CsmctlGroup(TyperGroup):
    """The root group: the error boundary, commands and groups built lazily on first use, help in
    sections, "did you mean" for a mistyped command, and old names kept as hidden aliases."""

    lazy_groups: dict[str, LazyGroup | LazyCommand] = {}
    sections: dict[str, tuple[str, ...]] = {}  # help heading -> command names, in order
    renamed: dict[str, str] = {}  # a deprecated (hidden) name -> the command that replaces it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_words(self)
        lean_coercion(self)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in self.lazy_groups if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in self.lazy_groups:
            command = self.commands[cmd_name] = self.lazy_groups[cmd_name].build(cmd_name)
            command.hidden = cmd_name in self.renamed
        return command

    def visible_commands(self, ctx: Any) -> list[str]:
        return [
            name
            for name in self.list_commands(ctx)
            if name not in self.renamed and not (name in self.commands and self.commands[name].hidden)
        ]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        typo = args[0] if args else ""
        if typo and not typo.startswith("-") and self.get_command(ctx, typo) is None:
            import difflib

            close = difflib.get_close_matches(typo, self.visible_commands(ctx), n=3, cutoff=0.6)
            if close and not ctx.resilient_parsing:
                ctx.fail(f"No such command {typo!r}. Did you mean {', '.join(repr(c) for c in close)}?")
        name, command, rest = super().resolve_command(ctx, args)
        if name in self.renamed and not ctx.resilient_parsing:
            from csmctl.output import err

            err(f"Note: `csmctl {name}` is deprecated; use `csmctl {self.renamed[name]}`.")
        return name, command, rest

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list in sections, from the registry, without building a command or group."""
        rows = {}
        for name in self.visible_commands(ctx):
            limit = formatter.width - 6 - len(name)
            if name in self.lazy_groups and name not in self.commands:
                rows[name] = self.lazy_groups[name].short_help(limit)
            else:
                rows[name] = self.commands[name].get_short_help_str(limit)
        placed = {name for names in self.sections.values() for name in names}
        sections = [*self.sections.items(), ("Other commands", tuple(n for n in rows if n not in placed))]
        for heading, names in sections:
            listed = [(name, rows[name]) for name in names if name in rows]
            if listed:
                with formatter.section(heading):
                    formatter.write_dl(listed)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CsmctlError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:
            # `csmctl account list | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as error:
            if _is_click_error(error) or debug_enabled():
                raise
            clear = _environment_error(error)
            if clear is not None:
                report(clear)
                raise typer.Exit(clear.exit_code) from None
            translated = _database_error(error)
            if translated is not None:
                report(translated)
                raise typer.Exit(translated.exit_code) from None
            from csmctl.output import err
            from csmctl.redact import redact

            err(redact(f"Error: internal error: {type(error).__name__}: {error}"), style="error")
            err("This is a bug in csmctl. Run again with CSMCTL_DEBUG=1 for the traceback.")
            raise typer.Exit(EXIT_FAILED) from None


def _environment_error(error: BaseException) -> CsmctlError | None:
    """What the outside world did to a run, as one clear line: stdout on a full disk, bytes that
    are not UTF-8 in an argument or on stdin."""
    import errno

    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
        from csmctl.files import write_failed

        return write_failed("standard output", error)
    if isinstance(error, UnicodeError) and "surrogate" in str(error):
        return CsmctlError(
            "An argument or the input is not valid UTF-8 text; nothing was written.",
            "Convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and run again.",
        )
    if isinstance(error, UnicodeDecodeError):
        return CsmctlError(
            f"The input is not valid UTF-8 text (byte {error.object[error.start]:#04x}); nothing was written.",
            "Convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and run again.",
        )
    if isinstance(error, RecursionError):
        return CsmctlError("The input is nested too deeply; nothing was written.", "Flatten the input file.")
    return None


def flush_stdout() -> None:
    """Flush stdout before exit, so that a full disk under `> file` is reported, not ignored."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError as error:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the buffer cannot be written: drop it
        error_ = _environment_error(error)
        report(error_ or CsmctlError(f"Cannot write standard output: {error.strerror}."))
        raise SystemExit(EXIT_FAILED) from None


def _is_click_error(error: BaseException) -> bool:
    # Click's usage errors (exit 2) are handled by Click itself.
    return type(error).__module__.startswith(("click", "typer"))


class ShowByDefaultGroup(TyperGroup):
    """A group whose bare form runs its ``show`` command: `csmctl health [ACCOUNT]`, `csmctl
    forecast [--quarter Q]`; a first word naming a subcommand runs that instead."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.list_commands(ctx) and args[0] not in ("--help", "-h")):
            args = ["show", *args]
        return super().parse_args(ctx, args)
