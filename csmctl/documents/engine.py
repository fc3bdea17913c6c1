"""The template engine: Jinja in an immutable sandbox with StrictUndefined.

Lookup order for a template name: ``--template-dir``, the user template dir (``csmctl template
copy`` puts editable copies there), then the built-in ``templates/``. HTML (``.html``, ``.htm``,
``.xml`` and the same with ``.j2``) is autoescaped. Errors name the template file, the line and
what was wrong; a sandbox violation or runaway recursion stops the render with a clear error.

Names resolve inside the template roots only (``../x`` and absolute names are refused).
Built-in templates are trusted and have no size limit: a report streams its chunks straight into
the output file (``render_to``). User templates are bounded, each bound with its own clear error
naming the setting that raises it: output size (``CSMCTL_TEMPLATE_MAX_OUTPUT`` characters), wall
time (``CSMCTL_TEMPLATE_TIMEOUT`` seconds), loop iterations over ``range`` in one render, and the
size of a string or list built with ``*``.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import BuiltinFunctionType, CodeType
from typing import Any

from csmctl import resources
from csmctl.errors import CsmctlError, InvalidInput, NotFound, Problem
from csmctl.resources import builtin_dir

MAX_OUTPUT = 20_000_000  # characters a user template may produce (CSMCTL_TEMPLATE_MAX_OUTPUT)
MAX_SECONDS = 30.0  # wall time of one user-template render (CSMCTL_TEMPLATE_TIMEOUT)
MAX_ITERATIONS = 10_000_000  # items all `range`s of one render may yield
MAX_SEQUENCE = 10_000_000  # length of a string or list made with `*`
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
_ESCAPED = (".html", ".htm", ".xml")


def autoescape_for(name: str | None) -> bool:
    if not name:
        return False
    base = name.lower()
    for suffix in TEMPLATE_SUFFIXES:
        base = base.removesuffix(suffix)
    return base.endswith(_ESCAPED)


def is_markdown(name: str) -> bool:
    base = name.lower()
    for suffix in TEMPLATE_SUFFIXES:
        base = base.removesuffix(suffix)
    return base.endswith(".md")


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


def _inside(directory: Path, name: str) -> Path | None:
    """``directory/name`` when it stays inside ``directory`` (symlinks resolved), else None."""
    if not name or Path(name).is_absolute() or "\\" in name or ".." in Path(name).parts:
        return None
    candidate = directory / name
    try:
        root = directory.resolve()
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    return candidate if resolved.is_relative_to(root) else None


def find_template(dirs: list[Path], name: str) -> Path:
    """The first ``name`` in ``dirs``; a name that would leave its template root is refused."""
    for directory in dirs:
        candidate = _inside(directory, name)
        if candidate is None:
            raise NotFound(
                f"No template named {name!r}: template names stay inside the template directories.",
                "List them with `csmctl template list`.",
            )
        if candidate.is_file():
            if directory != builtin_dir():
                from csmctl.files import refuse_shared_writable

                refuse_shared_writable(candidate, "the template")
            return candidate
    raise NotFound(f"No template named {name!r}.", "List them with `csmctl template list`.")


@dataclass(frozen=True)
class Limits:
    """Bounds on one render of a user template (built-in templates are trusted: no bounds)."""

    max_output: int | None = MAX_OUTPUT
    seconds: float | None = MAX_SECONDS
    iterations: int = MAX_ITERATIONS
    sequence: int = MAX_SEQUENCE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        environ = os.environ if environ is None else environ
        return cls(
            max_output=_positive(environ, "CSMCTL_TEMPLATE_MAX_OUTPUT", MAX_OUTPUT, int),
            seconds=_positive(environ, "CSMCTL_TEMPLATE_TIMEOUT", MAX_SECONDS, float),
        )


UNBOUNDED = Limits(max_output=None, seconds=None, iterations=2**62, sequence=2**62)


def _positive(environ: Mapping[str, str], key: str, default, kind):
    raw = environ.get(key, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise CsmctlError(
            f"{key}={raw!r} is not a positive number.", f"Unset it or give e.g. {key}={default}."
        )
    return value


class TemplateLimitExceeded(CsmctlError):
    """A user template went past one of its bounds (output, time, loop iterations, sizes)."""


class _Budget:
    """The iteration budget shared by every ``range`` of one render."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit, self.used = name, limit, 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise TemplateLimitExceeded(
                f"Template {self.name} ran more than {self.limit:,} loop iterations; stopped.",
                "Check the template for nested or runaway loops over range().",
            )


class _BoundedRange:
    """``range`` for templates: iterating it spends the render's iteration budget."""

    def __init__(self, budget: _Budget, *args: int) -> None:
        try:
            self._range = range(*args)
        except (TypeError, ValueError) as error:
            raise TemplateLimitExceeded(f"Template {budget.name}: bad range(): {error}.") from None
        self._budget = budget
        if len(self._range) > budget.limit:
            raise TemplateLimitExceeded(
                f"Template {budget.name} asked for range() of {len(self._range):,} items; the limit is "
                f"{budget.limit:,}.",
                "Loop over the data instead of a huge range.",
            )

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index):
        return self._range[index]

    def __contains__(self, item) -> bool:
        return item in self._range

    def __iter__(self) -> Iterator[int]:
        for value in self._range:
            self._budget.spend(1)
            yield value

    def __repr__(self) -> str:
        return repr(self._range)


def _check_product(left, right, limits: Limits, name: str) -> None:
    """Refuse ``*`` that would build a string or list longer than ``limits.sequence``."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple | bytes) and isinstance(times, int):
            if len(seq) * times > limits.sequence:
                raise TemplateLimitExceeded(
                    f"Template {name} tried to build a value of {len(seq) * times:,} items with `*`; "
                    f"the limit is {limits.sequence:,}.",
                    "Check the template's multiplication.",
                )


@contextmanager
def _deadline(seconds: float | None, name: str) -> Iterator[None]:
    """Stop a render after ``seconds`` of wall time (SIGALRM; main thread on POSIX only)."""
    import signal
    import threading

    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise TemplateLimitExceeded(
            f"Template {name} ran longer than {seconds:g} seconds; stopped (nothing was written).",
            "Check the template for a slow loop, or raise CSMCTL_TEMPLATE_TIMEOUT (seconds).",
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def is_builtin(path: str | Path | None) -> bool:
    if not path:
        return False
    try:
        return Path(path).resolve().is_relative_to(builtin_dir().resolve())
    except OSError:
        return False


def bytecode_cache():
    """The compiled-template cache in the user cache dir (``CSMCTL_CACHE_DIR``), or None when that
    directory cannot be made private (then every run compiles, as before)."""
    from csmctl.config import cache_dir

    directory = cache_dir() / "templates"
    try:
        from csmctl.files import make_private_dirs

        make_private_dirs(directory)
        info = directory.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # another user could plant compiled code here: compile every time instead
    return _bytecode_cache_class()(str(directory), "%s.jinja")


def _bytecode_cache_class():
    """Jinja's FileSystemBytecodeCache, keyed also by what shapes the compiled code, and quiet.

    Jinja keys a cached template by its name and file and checks its source's hash, so an edited
    template is recompiled. What else shapes the compiled code is the environment: its class (the
    sandbox's intercepted operators), its syntax options, its ``finalize`` and the filters and tests
    it knows (Jinja calls them on constants at compile time). Those go into the key as well: an md
    template compiled with the Markdown escaping is never reused for one without it, nor a resume
    compiled for one language for another. The file is written to a temporary name and renamed
    (Jinja's own dump); a cache that cannot be read or written is skipped, never an error.
    """
    global _CACHE_CLASS
    if _CACHE_CLASS is not None:
        return _CACHE_CLASS
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    class Cache(FileSystemBytecodeCache):
        def get_bucket(self, environment, name, filename, source):
            shape = _environment_shape(environment)
            key = self.get_cache_key(name, f"{filename}\0{shape}") if shape is not None else ""
            bucket = Bucket(environment, key, self.get_source_checksum(source))
            if key:
                self.load_bytecode(bucket)
            return bucket

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged or truncated file (pickle, marshal): compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            if not bucket.key:
                return  # an environment whose shape has no stable name: not cached
            try:
                super().dump_bytecode(bucket)
            except OSError:  # a full disk or a read-only cache: the render goes on uncached
                pass

    _CACHE_CLASS = Cache
    return Cache


_CACHE_CLASS = None


def _environment_shape(env) -> str | None:
    """Everything of ``env`` that the compiled code of a template depends on, as text; None when
    some part has no name that stays the same from one run to the next."""
    import jinja2

    from csmctl import __version__

    parts = [
        jinja2.__version__,
        __version__,
        f"{type(env).__module__}.{type(env).__qualname__}",
        repr(sorted(getattr(env, "intercepted_binops", ()))),
        repr(sorted(getattr(env, "intercepted_unops", ()))),
        repr(
            (
                env.block_start_string,
                env.block_end_string,
                env.variable_start_string,
                env.variable_end_string,
                env.comment_start_string,
                env.comment_end_string,
                env.line_statement_prefix,
                env.line_comment_prefix,
                env.trim_blocks,
                env.lstrip_blocks,
                env.newline_sequence,
                env.keep_trailing_newline,
                env.optimized,
                env.is_async,
                sorted(env.extensions),
            )
        ),
    ]
    for what in (
        env.autoescape,
        env.finalize,
        *sorted(env.filters.items()),
        *sorted(env.tests.items()),
    ):
        name = _stable_name(what)
        if name is None:
            return None
        parts.append(name)
    return "\n".join(parts)


@functools.lru_cache(maxsize=1024)
def _code_digest(code: CodeType) -> str:
    """Memoised: the same filters are hashed for every template of a run."""
    import hashlib

    return hashlib.sha1(_code_text(code).encode(), usedforsecurity=False).hexdigest()[:16]


def _code_text(code: CodeType) -> str:
    """A function's bytecode, the names it looks up (the globals and attributes it calls) and its
    constants, nested functions' code included (a code object's own repr carries its address, and
    a frozenset's order its hash seed: both change every run)."""
    consts = [
        _code_text(c)
        if isinstance(c, CodeType)
        else repr(sorted(map(repr, c)))
        if isinstance(c, frozenset)
        else repr(c)
        for c in code.co_consts
    ]
    return code.co_code.hex() + "|" + ",".join(code.co_names) + "|" + "|".join(consts)


def _stable_name(value: Any, depth: int = 0) -> str | None:
    """A name for ``value`` that is the same in every run while its code is: functions by module,
    qualified name and a hash of their code, with what their closures hold; plain constants by repr."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, tuple) and depth < 4:
        names = [_stable_name(item, depth + 1) for item in value]
        return None if None in names else "(" + ",".join(n for n in names if n is not None) + ")"
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, BuiltinFunctionType):  # len, operator.eq...: Jinja's own filters and tests
        return f"builtin {getattr(value, '__module__', '')}.{value.__qualname__}"
    code = getattr(value, "__code__", None)
    if code is None:
        wrapped = getattr(value, "__wrapped__", None)  # functools.lru_cache and friends
        return None if wrapped is None or depth >= 4 else _stable_name(wrapped, depth + 1)
    name = f"{value.__module__}.{value.__qualname__}:{_code_digest(code)}"
    defaults = (
        *(getattr(value, "__defaults__", None) or ()),
        *sorted((getattr(value, "__kwdefaults__", None) or {}).items()),
    )
    if defaults:  # a filter's default arguments change what it folds into a template's code
        shown = _stable_name(tuple(defaults), depth + 1)
        if shown is None:
            return None
        name += f"={shown}"
    for cell in value.__closure__ or ():
        if depth >= 4:
            return None
        try:
            inner = _stable_name(cell.cell_contents, depth + 1)
        except ValueError:  # an empty cell
            inner = "<empty>"
        if inner is None:
            return None
        name += f"[{inner}]"
    return name


def make_environment(dirs: Iterable[Path], filters: Mapping[str, Any] | None = None):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from csmctl import collector

    collector.started()  # Jinja2 is imported: start-up is over

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*"})
        limits: Limits = UNBOUNDED
        current = ""

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                _check_product(left, right, self.limits, self.current)
            return super().call_binop(context, operator, left, right)

    env = Sandbox(
        loader=FileSystemLoader([str(d) for d in dirs]),
        undefined=StrictUndefined,
        autoescape=autoescape_for,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=bytecode_cache(),
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
    limits: Limits | None = None,
) -> str:
    """Render template ``name`` with ``context`` to a string; every failure is a CsmctlError."""
    return "".join(generate(name, context, dirs=dirs, filters=filters, env=env, limits=limits))


def render_to(
    stream,
    name: str,
    context: Mapping[str, Any],
    *,
    dirs: list[Path],
    filters: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
    final_newline: bool = False,
) -> int:
    """Render ``name`` chunk by chunk into ``stream`` (e.g. an atomic temp file): a large book's
    report never sits in memory whole. Returns the characters written."""
    from itertools import islice

    written, last = 0, ""
    pieces = generate(name, context, dirs=dirs, filters=filters, limits=limits)
    # Joined 128 pieces at a time (a JSON chunk is one big piece): a 100k-row report is ~1M
    # pieces, and per-piece bookkeeping here cost more than the join and the write.
    while batch := list(islice(pieces, 128)):
        text = "".join(batch)
        if text:
            stream.write(text)
            written += len(text)
            last = text[-1]
    if final_newline and last != "\n":
        stream.write("\n")
        written += 1
    return written


def generate(
    name: str,
    context: Mapping[str, Any],
    *,
    dirs: list[Path],
    filters: Mapping[str, Any] | None = None,
    env=None,
    limits: Limits | None = None,
) -> Iterator[str]:
    """The rendered chunks of template ``name``. A built-in template is unbounded; any other
    runs within ``limits`` (default: ``Limits.from_env()``)."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateError

    env = env or make_environment(dirs, filters)
    if env.finalize is None and is_markdown(name):
        from csmctl.documents.filters import markdown_finalize

        env.finalize = markdown_finalize  # compiled into the template: set before loading it
    try:  # Jinja's FileSystemLoader itself refuses `..` in a name: it stays inside its roots
        template = env.get_template(name)
    except TemplateNotFound as error:
        raise NotFound(
            f"No template named {error.name!r}.", "List them with `csmctl template list`."
        ) from None
    except TemplateSyntaxError as error:
        raise InvalidInput(
            Problem(f"template syntax error: {error.message}", path=error.filename or name, line=error.lineno)
        ) from None
    if is_builtin(template.filename):
        limits = UNBOUNDED
    else:
        if template.filename:
            from csmctl.files import refuse_shared_writable

            refuse_shared_writable(Path(template.filename), "the template")
        if limits is None:
            limits = Limits.from_env()
    budget = _Budget(name, limits.iterations)
    env.globals["range"] = lambda *args: _BoundedRange(budget, *args)
    env.limits, env.current = limits, name
    size = 0
    try:
        with _deadline(limits.seconds, name):
            if limits.max_output is None:  # a built-in template: nothing to count
                yield from template.generate(**context)
                return
            for piece in template.generate(**context):
                size += len(piece)
                if limits.max_output is not None and size > limits.max_output:
                    raise TemplateLimitExceeded(
                        f"Template {name} produced more than {limits.max_output:,} characters; stopped.",
                        "Check the template for a runaway loop, or raise CSMCTL_TEMPLATE_MAX_OUTPUT "
                        "(characters).",
                    )
                yield piece
    except TypeError as error:
        # The deadline's signal can land in a frame Jinja cannot map to a template line; its
        # traceback rewriting then fails with a TypeError. Our limit is what happened.
        stopped = error.__context__
        while stopped is not None and not isinstance(stopped, TemplateLimitExceeded):
            stopped = stopped.__context__
        if stopped is None:
            raise
        raise stopped from None
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
    except (OverflowError, MemoryError) as error:
        path, line = _template_location(error, template)
        raise TemplateLimitExceeded(
            f"{path}" + (f", line {line}" if line else "") + f": the template asked for too large a value "
            f"({type(error).__name__}); stopped.",
            "Check the template's ranges and arithmetic.",
        ) from None
    except TemplateError as error:
        path, line = _template_location(error, template)
        raise InvalidInput(Problem(f"template error: {error}", path=path, line=line)) from None


def _template_location(error: BaseException, template) -> tuple[str, int | None]:
    """The template file and line where a render error happened (Jinja rewrites the frames)."""
    filename, line = template.filename or template.name, None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename and frame.filename.endswith(
            TEMPLATE_SUFFIXES + _ESCAPED + (".md", ".txt", ".csv", ".json", ".typ")
        ):
            filename, line = frame.filename, frame.lineno
    return filename, line
