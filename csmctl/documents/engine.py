"""The template engine: Jinja in an immutable sandbox with StrictUndefined.

Lookup order for a template name: ``--template-dir``, the user template dir (``csmctl template
copy`` puts editable copies there), then the built-in ``templates/``. HTML (``.html``, ``.htm``,
``.xml`` and the same with ``.j2``) is autoescaped. Errors name the template file, the line and
what was wrong; a sandbox violation, runaway recursion or output past ``MAX_OUTPUT`` characters
stops the render with a clear error instead of hanging or leaking.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csmctl import resources
from csmctl.errors import CsmctlError, InvalidInput, NotFound, Problem
from csmctl.resources import builtin_dir

MAX_OUTPUT = 20_000_000  # characters
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
_ESCAPED = (".html", ".htm", ".xml")


def autoescape_for(name: str | None) -> bool:
    if not name:
        return False
    base = name.lower()
    for suffix in TEMPLATE_SUFFIXES:
        base = base.removesuffix(suffix)
    return base.endswith(_ESCAPED)


def search_path(template_dir: Path | str | None = None, user_dir: Path | None = None) -> list[Path]:
    """--template-dir, the user template dir, built-in (``csmctl.resources.search_path``)."""
    return [path for _, path in resources.search_path("", template_dir, user_dir, flag="--template-dir")]


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    origin: str  # "built-in" or the directory
    path: Path


def list_templates(dirs: list[Path], prefix: str = "") -> list[TemplateInfo]:
    """Every template visible through ``dirs`` (the first one found wins, like rendering)."""
    seen: dict[str, TemplateInfo] = {}
    builtin = builtin_dir()
    for directory in dirs:
        for path in sorted(directory.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            name = path.relative_to(directory).as_posix()
            if prefix and not name.startswith(prefix):
                continue
            if name not in seen:
                origin = resources.BUILT_IN if directory == builtin else str(directory)
                seen[name] = TemplateInfo(name, origin, path)
    return sorted(seen.values(), key=lambda t: t.name)


def find_template(dirs: list[Path], name: str) -> Path:
    for directory in dirs:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise NotFound(f"No template named {name!r}.", "List them with `csmctl template list`.")


def make_environment(dirs: Iterable[Path], filters: Mapping[str, Any] | None = None):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(d) for d in dirs]),
        undefined=StrictUndefined,
        autoescape=autoescape_for,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    from csmctl.documents import filters as builtin_filters

    env.filters.update(builtin_filters.FILTERS)
    env.filters.update(filters or {})
    return env


def render(
    name: str,
    context: Mapping[str, Any],
    *,
    dirs: list[Path],
    filters: Mapping[str, Any] | None = None,
    env=None,
) -> str:
    """Render template ``name`` with ``context``; every failure is a CsmctlError."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateError

    env = env or make_environment(dirs, filters)
    try:
        template = env.get_template(name)
    except TemplateNotFound as error:
        raise NotFound(
            f"No template named {error.name!r}.", "List them with `csmctl template list`."
        ) from None
    except TemplateSyntaxError as error:
        raise InvalidInput(
            Problem(f"template syntax error: {error.message}", path=error.filename or name, line=error.lineno)
        ) from None
    pieces: list[str] = []
    size = 0
    try:
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise CsmctlError(
                    f"Template {name} produced more than {MAX_OUTPUT:,} characters; stopped.",
                    "Check the template for a runaway loop.",
                )
            pieces.append(piece)
    except UndefinedError as error:
        path, line = _template_location(error, template)
        raise InvalidInput(
            Problem(
                f"template uses an undefined value: {error.message}",
                path=path,
                line=line,
                hint="fix the template, or check the input has that field",
            )
        ) from None
    except SecurityError as error:
        path, line = _template_location(error, template)
        raise InvalidInput(
            Problem(f"template tried something the sandbox forbids: {error}", path=path, line=line)
        ) from None
    except RecursionError:
        raise CsmctlError(
            f"Template {name} recursed too deeply; stopped.",
            "Check the template for a macro or include that calls itself.",
        ) from None
    except TemplateError as error:
        path, line = _template_location(error, template)
        raise InvalidInput(Problem(f"template error: {error}", path=path, line=line)) from None
    return "".join(pieces)


def _template_location(error: BaseException, template) -> tuple[str, int | None]:
    """The template file and line where a render error happened (Jinja rewrites the frames)."""
    filename, line = template.filename or template.name, None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename and frame.filename.endswith(
            TEMPLATE_SUFFIXES + _ESCAPED + (".md", ".txt", ".csv", ".json", ".typ")
        ):
            filename, line = frame.filename, frame.lineno
    return filename, line
