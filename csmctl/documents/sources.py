"""Loading a YAML or JSON input document (job spec, resume) together with where each key is.

``data, locator = load_document(path)`` gives the parsed data (plain dicts, lists and scalars)
and a ``Locator``: ``locator(("salary", "min"))`` or ``locator("work[0].startDate")`` is the
1-based line of that key in the file, or of its nearest ancestor that exists (so a *missing*
key points at the mapping that should hold it). YAML lines come from the composed node marks;
JSON lines from a small walk over the already-validated text. ``validation_problems`` turns a
pydantic ``ValidationError`` into located ``Problem`` rows, all at once.

Parse errors are ``InvalidInput`` with the file and line. The format follows the extension
(``.json``, ``.yaml``/``.yml``); anything else is sniffed (``{`` or ``[`` first means JSON).

YAML is read with PyYAML's safe loader and these rules, so that what YAML guesses never turns a
value into something else or crashes (the README says the same to users):
- only ``true``/``false`` (any case) are booleans, as in YAML 1.2: ``NO`` (Norway), ``on``,
  ``yes``, ``off`` stay text (a boolean field still accepts yes/no/on/off as text);
- an unquoted date that is no calendar date (``2026-02-30``, ``2026-13-01``) stays text, so the
  field that reads it reports it with its line, like a quoted one;
- numbers with a leading zero (``0042``, a postal code) and base-60 numbers (``12:30``) stay text.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from csmctl.errors import InvalidInput, Problem

MAX_BYTES = 5_000_000  # input documents are hand-written; anything bigger is a mistake
# Hand-written documents nest a handful of levels. csmctl refuses deeper ones itself, below every
# YAML loader's own limit (libyaml's C scanner stops at 1000 flow levels since PyYAML 6.0.4, with its
# own wording; the pure-Python composer runs out of stack first), so the message is csmctl's.
MAX_NESTING = 100
KeyPath = tuple[str | int, ...]

_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_key_path(text: str) -> KeyPath:
    """``"work[0].startDate"`` -> ``("work", 0, "startDate")``."""
    parts: list[str | int] = []
    for index, key in _PATH_PART.findall(text):
        parts.append(int(index) if index else key)
    return tuple(parts)


def format_key_path(parts: Sequence[str | int]) -> str:
    """``("work", 0, "startDate")`` -> ``"work[0].startDate"``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class Locator:
    """Key path -> 1-based line in the source file (nearest existing ancestor when missing)."""

    def __init__(self, path: str, lines: dict[KeyPath, int], data: Any = None) -> None:
        self.path = path
        self.data = data  # the parsed document, to tell real keys from pydantic's union labels
        self._lines = lines

    def __call__(self, key_path: Sequence[str | int] | str = ()) -> int | None:
        parts = parse_key_path(key_path) if isinstance(key_path, str) else tuple(key_path)
        while True:
            if parts in self._lines:
                return self._lines[parts]
            if not parts:
                return None
            parts = parts[:-1]

    def problem(self, message: str, key_path: Sequence[str | int] | str = (), **extra: Any) -> Problem:
        """A Problem located at ``key_path`` in this file."""
        parts = parse_key_path(key_path) if isinstance(key_path, str) else tuple(key_path)
        return Problem(
            message, path=self.path, line=self(parts), field=format_key_path(parts) or None, **extra
        )


def load_document(path: Path | str, *, require_mapping: bool = True) -> tuple[Any, Locator]:
    """Read ``path`` ('-' is stdin) as YAML or JSON; return ``(data, locator)``."""
    label = str(path)
    text = _read_text(path, label)
    if _is_json(label, text):
        data, lines = _load_json(text, label)
    else:
        data, lines = _load_yaml(text, label)
    if require_mapping and not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_kind(data)}"
        raise InvalidInput(
            Problem(
                f"expected a mapping of keys (like `title: ...`), but the document is {kind}",
                path=label,
                line=1 if data is None else lines.get((), 1),
            )
        )
    return data, Locator(label, lines, data)


def validation_problems(error, locator: Locator, *, prefix: Sequence[str | int] = ()) -> list[Problem]:
    """Every error in a pydantic ``ValidationError``, located; in file order."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(prefix) + _real_path(item["loc"], locator.data, missing=item["type"] == "missing")
        message = _message(item)
        value = item.get("input") if item["type"] not in ("missing", "extra_forbidden") else None
        if isinstance(value, (dict, list)) or (isinstance(value, str) and repr(value) in message):
            value = None
        problems.append(locator.problem(message, loc, value=value))
    return sorted(problems, key=lambda p: (p.line or 0, p.field or ""))


def _real_path(loc: Sequence[Any], data: Any, *, missing: bool = False) -> KeyPath:
    """Drop the parts of a pydantic loc that are union/tag labels rather than keys of ``data``."""
    out: list[str | int] = []
    node = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif last and missing and isinstance(part, (str, int)) and (node is None or isinstance(node, dict)):
            out.append(part)  # a missing key
        elif data is None and isinstance(part, (str, int)):
            out.append(part)
    return tuple(out)


def _message(item: dict[str, Any]) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    message = item["msg"]
    for lead in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(lead)
    return message[:1].lower() + message[1:]


def _kind(value: Any) -> str:
    names: dict[type, str] = {list: "list", str: "text value"}
    return names.get(type(value), type(value).__name__)


def _read_text(path: Path | str, label: str) -> str:
    def fail(message: str, line: int | None = None) -> InvalidInput:
        return InvalidInput(Problem(message, path=label, line=line))

    try:
        if label == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with Path(path).expanduser().open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory, not a file") from None
    except OSError as error:
        raise fail(f"cannot read: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise fail(f"larger than {MAX_BYTES // 1_000_000} MB; is it the right file?")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise fail(
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8",
            data[: error.start].count(b"\n") + 1,
        ) from None


def _is_json(label: str, text: str) -> bool:
    suffix = Path(label).suffix.lower()
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    return text.lstrip()[:1] in ("{", "[")


# -- YAML -------------------------------------------------------------------------------------------


_LOADERS: dict[Any, Any] = {}


def _yaml_loader(base: Any) -> Any:
    """The safe loader ``base`` with the rules in this module's docstring (built once per base)."""
    if base in _LOADERS:
        return _LOADERS[base]

    class Loader(base):
        pass

    def boolean(loader, node):
        lowered = node.value.lower()
        return lowered == "true" if lowered in ("true", "false") else node.value

    def integer(loader, node):
        digits = node.value.lstrip("+-").replace("_", "")
        if ":" in node.value or (len(digits) > 1 and digits[0] == "0" and digits[1:2].isdigit()):
            return node.value
        return base.construct_yaml_int(loader, node)

    def floating(loader, node):
        return node.value if ":" in node.value else base.construct_yaml_float(loader, node)

    def timestamp(loader, node):
        try:
            return base.construct_yaml_timestamp(loader, node)
        except ValueError:
            return node.value  # no calendar date: the field reading it says so, with the line

    Loader.add_constructor("tag:yaml.org,2002:bool", boolean)
    Loader.add_constructor("tag:yaml.org,2002:int", integer)
    Loader.add_constructor("tag:yaml.org,2002:float", floating)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    _LOADERS[base] = Loader
    return Loader


def _load_yaml(text: str, label: str) -> tuple[Any, dict[KeyPath, int]]:
    import yaml

    # The C loader where PyYAML has it (looked up per call: the tests take it away to check
    # the pure-Python one gives the same messages).
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _check_yaml_nesting(base, text, label)
    loader = _yaml_loader(base)(text)
    lines: dict[KeyPath, int] = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            # Lines first: constructing flattens `<<` merges into the node, which would make a
            # merged key and the explicit one overriding it look like a duplicate.
            _walk_yaml(node, (), lines, set(), label)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):  # libyaml's own limit, like RecursionError below
            raise InvalidInput(Problem("nested too deeply", path=label)) from None
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "syntax error"
        raise InvalidInput(
            Problem(f"not valid YAML: {what}", path=label, line=mark.line + 1 if mark else None)
        ) from None
    except yaml.YAMLError as error:
        raise InvalidInput(Problem(f"not valid YAML: {error}", path=label)) from None
    except RecursionError:
        raise InvalidInput(Problem("nested too deeply", path=label)) from None
    finally:
        loader.dispose()
    return data, lines


def _check_yaml_nesting(loader_class, text: str, label: str) -> None:
    """Refuse a document nested deeper than MAX_NESTING, at the line where it gets too deep.

    Walks the event stream (flat, no recursion) before anything is composed. libyaml's scanner
    reads a run of flow brackets ahead and fails on its own limit before emitting an event, so
    when the C loader fails the pure-Python one (slower, but only on a failing file) tells whether
    the document was too deep; any other syntax error is left to the real load, which reports it
    with its line.
    """
    import yaml

    loader = loader_class(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise InvalidInput(
                        Problem(
                            f"nested too deeply (more than {MAX_NESTING} levels)",
                            path=label,
                            line=event.start_mark.line + 1 if event.start_mark else None,
                        )
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        if loader_class is not yaml.SafeLoader:
            _check_yaml_nesting(yaml.SafeLoader, text, label)
    finally:
        loader.dispose()


def _walk_yaml(node, path: KeyPath, lines: dict[KeyPath, int], seen: set[int], label: str) -> None:
    from yaml import MappingNode, SequenceNode

    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:  # an alias: its keys are located where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key == "<<":  # merge key: the merged keys keep their anchor's lines
                continue
            if key in keys:
                raise InvalidInput(
                    Problem(
                        f"key {key!r} appears twice",
                        path=label,
                        line=key_node.start_mark.line + 1,
                        field=format_key_path(path + (key,)),
                    )
                )
            keys.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk_yaml(value_node, path + (key,), lines, seen, label)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk_yaml(item, path + (index,), lines, seen, label)


# -- JSON -------------------------------------------------------------------------------------------


def _load_json(text: str, label: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(Problem(f"not valid JSON: {error.msg}", path=label, line=error.lineno)) from None
    except RecursionError:
        raise InvalidInput(Problem("nested too deeply", path=label)) from None
    lines: dict[KeyPath, int] = {}
    try:
        _JsonWalker(text, lines).value(0, ())
    except RecursionError:  # pragma: no cover - json.loads would have failed first
        raise InvalidInput(Problem("nested too deeply", path=label)) from None
    return data, lines


class _JsonWalker:
    """Records the line of every key and list item of text that json.loads already accepted."""

    _SPACE = re.compile(r"[ \t\n\r]*")
    _SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")

    def __init__(self, text: str, lines: dict[KeyPath, int]) -> None:
        import json

        self._decode = json.JSONDecoder().raw_decode
        self.text = text
        self.lines = lines
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        from bisect import bisect_left

        return bisect_left(self._newlines, offset) + 1

    def skip(self, i: int) -> int:
        return self._end(self._SPACE, i)

    def _end(self, pattern: re.Pattern[str], i: int) -> int:
        match = pattern.match(self.text, i)
        assert match is not None  # the text parsed as JSON already: a space run or scalar is here
        return match.end()

    def value(self, i: int, path: KeyPath) -> int:
        string = self._decode  # at an opening quote: (the string, the index after it)
        text = self.text
        i = self.skip(i)
        self.lines.setdefault(path, self.line(i))
        char = text[i]
        if char == "{":
            i = self.skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = self.skip(i)
                start = i
                key, i = string(text, i)
                self.lines[path + (key,)] = self.line(start)
                i = self.skip(i) + 1  # the colon
                i = self.value(i, path + (key,))
                i = self.skip(i)
                if text[i] == "}":
                    return i + 1
                i += 1  # the comma
        if char == "[":
            i = self.skip(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = self.skip(i)
                self.lines[path + (index,)] = self.line(i)
                i = self.value(i, path + (index,))
                i = self.skip(i)
                if text[i] == "]":
                    return i + 1
                i += 1
                index += 1
        if char == '"':
            return string(text, i)[1]
        return self._end(self._SCALAR, i)
