"""The condition language of plays: a small, safe expression grammar over an account's facts.

    health.band == red
    health.drop_30d >= 15
    renewal.days <= 120 and contact.days_since > cadence
    metric.logins.change_30d <= -40%
    notice.days <= 21 and not renewal.recorded
    no champion contact in 60d

Grammar (lowest precedence first; keywords are case-insensitive)::

    expr    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | atom
    atom    := "(" expr ")" | "no" WHO "contact" "in" VALUE | FACT [OP VALUE]
    OP      := == | != | < | <= | > | >=
    VALUE   := NUMBER ["%"] | DURATION (30d, 2w, 3m, 1y) | true | false | 'text' | word | FACT

A fact alone is a yes/no fact (``renewal.recorded``). ``no champion contact in 60d`` is
shorthand for ``champion.days_since > 60d``. Parsing is a hand-written recursive descent over a
regex tokenizer (smaller than a parser library for nine rules); nothing is ever handed to
Python's ``eval``. Every fact is checked against :data:`FACTS` (and the value against the fact's
type) when the play is loaded, so a typo is an error with its column and the facts that exist.

The tree is plain frozen dataclasses; :func:`to_text` prints it back so that
``parse(to_text(e)) == e`` (a property test holds us to it). :func:`evaluate` is pure: facts in,
``(true?, the facts that made it so)`` out.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from csmctl.domain.accounts import STAGES, TIERS

# -- the facts ---------------------------------------------------------------------------------
# kind: "number", "days" (a count of days: compares with numbers and 30d/2w/3m), "percent",
# "word" (one of ``words``), "bool".


@dataclass(frozen=True)
class FactSpec:
    kind: str
    help: str
    words: tuple[str, ...] = ()


NEVER = float("inf")  # days_since of someone never contacted: longer ago than any number of days

ONBOARDING_STATES = ("on-track", "behind", "stuck", "done", "none")
FACTS: dict[str, FactSpec] = {
    "health.score": FactSpec("number", "health score 0-100 (none without data)"),
    "health.band": FactSpec("word", "health band", ("red", "yellow", "green")),
    "health.drop_30d": FactSpec("number", "points the score fell over the last 30 days (a rise is < 0)"),
    "renewal.days": FactSpec("days", "days until the renewal date"),
    "renewal.recorded": FactSpec("bool", "a renewal outcome was recorded in the last 90 days"),
    "notice.days": FactSpec("days", "days until the notice deadline (accounts with notice days)"),
    "contact.days_since": FactSpec("days", "days since the last real contact (never = longer than any)"),
    "champion.days_since": FactSpec("days", "days since a champion was last in a contact (with a champion)"),
    "sponsor.days_since": FactSpec("days", "days since an executive sponsor was last in a contact"),
    "cadence": FactSpec("days", "the account's contact cadence in days"),
    "nps": FactSpec("number", "the account's NPS answer (-100..100 or 0..10)"),
    "csat": FactSpec("number", "the account's CSAT"),
    "onboarding.state": FactSpec("word", "state of the active onboarding", ONBOARDING_STATES),
    "onboarding.progress": FactSpec("percent", "share of the active onboarding's tasks closed"),
    "stage": FactSpec("word", "lifecycle stage", STAGES),
    "tier": FactSpec("word", "tier", TIERS),
    "auto_renew": FactSpec("bool", "the contract renews automatically"),
}
# Facts with a name inside: metric.<name>.value / metric.<name>.change_30d and tag.<name>.
METRIC_MEASURES = {
    "value": FactSpec("number", "latest value of the custom metric"),
    "change_30d": FactSpec("percent", "change of the metric against its value 30 days ago"),
}
TAG_FACT = FactSpec("bool", "the account has this tag")
WHO = {"champion": "champion.days_since", "sponsor": "sponsor.days_since", "real": "contact.days_since"}
_METRIC = re.compile(r"^metric\.([a-z0-9][a-z0-9_.-]{0,79})\.(value|change_30d)$")
_TAG = re.compile(r"^tag\.([\w.:/+-]{1,40})$")


def fact_spec(name: str) -> FactSpec | None:
    if name in FACTS:
        return FACTS[name]
    if m := _METRIC.match(name):
        return METRIC_MEASURES[m.group(2)]
    if _TAG.match(name):
        return TAG_FACT
    return None


def known_facts() -> str:
    return ", ".join([*FACTS, "metric.NAME.value", "metric.NAME.change_30d", "tag.NAME"])


# -- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    name: str


@dataclass(frozen=True)
class Value:
    """A literal: a number (unit "" or "%"), a duration (unit d/w/m/y), a bool, or text."""

    value: Any
    unit: str = ""


@dataclass(frozen=True)
class Compare:
    left: Fact
    op: str
    right: Fact | Value


@dataclass(frozen=True)
class Truth:
    fact: Fact


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class All:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    items: tuple[Node, ...]


Node = Compare | Truth | Not | All | Any_
OPS = ("==", "!=", "<=", ">=", "<", ">")
KEYWORDS = ("and", "or", "not", "no", "contact", "in", "true", "false")


class ConditionError(ValueError):
    """A bad condition: ``column`` is 1-based in the condition text; ``hint`` says what to write."""

    def __init__(self, message: str, column: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.column, self.hint = message, column, hint


# -- parsing -----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?P<unit>%|[dwmy](?![\w.]))?
    | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<op>==|!=|<=|>=|<|>|=)
    | (?P<paren>[()])
    | (?P<name>[A-Za-z_][\w-]*(?:\.[\w][\w-]*)*)
    | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, str, op, paren, name, end
    text: str
    column: int
    unit: str = ""


def _tokens(text: str) -> list[_Tok]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:  # only trailing blanks are left
            break
        kind = str(m.lastgroup) if m.lastgroup != "unit" else "num"
        start = m.start(kind)
        if kind == "bad":
            raise ConditionError(
                f"unexpected {m.group('bad')!r}", start + 1, "use and/or/not, ( ), == != < <= > >="
            )
        if kind == "op" and m.group("op") == "=":
            raise ConditionError("'=' is not a comparison", start + 1, "write == to compare")
        out.append(_Tok(kind, m.group(kind), start + 1, m.group("unit") or "" if kind == "num" else ""))
        pos = m.end()
    out.append(_Tok("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok.kind == "name" and tok.text.lower() == word:
            self.i += 1
            return True
        return False

    def expect_keyword(self, word: str, after: str) -> None:
        if not self.keyword(word):
            tok = self.peek()
            raise ConditionError(f"expected {word!r} after {after} (got {_shown(tok)})", tok.column)

    def expr(self) -> Node:
        items = [self.conj()]
        while self.keyword("or"):
            items.append(self.conj())
        return items[0] if len(items) == 1 else Any_(tuple(items))

    def conj(self) -> Node:
        items = [self.unary()]
        while self.keyword("and"):
            items.append(self.unary())
        return items[0] if len(items) == 1 else All(tuple(items))

    def unary(self) -> Node:
        if self.keyword("not"):
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok.kind == "paren" and tok.text == "(":
            self.take()
            node = self.expr()
            close = self.take()
            if close.kind != "paren" or close.text != ")":
                raise ConditionError(f"expected ')' (got {_shown(close)})", close.column, "close every (")
            return node
        if tok.kind == "name" and tok.text.lower() == "no":
            return self.silence()
        if tok.kind != "name" or tok.text.lower() in KEYWORDS:
            raise ConditionError(
                f"expected a fact (got {_shown(tok)})", tok.column, f"facts: {known_facts()}"
            )
        fact = self.fact()
        if self.peek().kind != "op":
            if fact_spec(fact.name).kind != "bool":  # type: ignore[union-attr]
                nxt = self.peek()
                raise ConditionError(
                    f"{fact.name} is a {fact_spec(fact.name).kind}; compare it (got {_shown(nxt)})",  # type: ignore[union-attr]
                    nxt.column,
                    "e.g. health.score < 50",
                )
            return Truth(fact)
        op = self.take()
        right = self.value(fact)
        return Compare(fact, op.text, right)

    def silence(self) -> Node:
        start = self.take()  # "no"
        who = self.take()
        if who.kind != "name" or who.text.lower() not in WHO:
            raise ConditionError(
                f"expected who after 'no' (got {_shown(who)})",
                who.column,
                "no champion|sponsor|real contact in 60d",
            )
        self.expect_keyword("contact", f"'no {who.text}'")
        self.expect_keyword("in", "'contact'")
        fact = Fact(WHO[who.text.lower()])
        span = self.peek()
        value = self.value(fact)
        if not isinstance(value, Value) or value.unit not in ("d", "w", "m", "y"):
            raise ConditionError("expected a span like 60d after 'in'", span.column or start.column)
        return Compare(fact, ">", value)

    def fact(self) -> Fact:
        tok = self.take()
        if fact_spec(tok.text) is None:
            raise ConditionError(f"unknown fact {tok.text!r}", tok.column, f"facts: {known_facts()}")
        return Fact(tok.text)

    def value(self, fact: Fact) -> Fact | Value:
        tok = self.take()
        spec = fact_spec(fact.name)
        assert spec is not None
        if tok.kind == "num":
            number = float(tok.text) if re.search(r"[.eE]", tok.text) else int(tok.text)
            if tok.unit in ("d", "w", "m", "y") and not (isinstance(number, int) and abs(number) <= 99999):
                raise ConditionError(
                    f"a span is a whole number up to 99999: {tok.text}{tok.unit}", tok.column, "e.g. 30d"
                )
            value = Value(number, tok.unit)
        elif tok.kind == "str":
            value = Value(_unquote(tok.text), "text")
        elif tok.kind == "name" and tok.text.lower() in ("true", "false"):
            value = Value(tok.text.lower() == "true")
        elif tok.kind == "name" and fact_spec(tok.text) is not None:
            other = Fact(tok.text)
            _check_fact_pair(fact, spec, other, tok.column)
            return other
        elif tok.kind == "name" and tok.text.lower() not in KEYWORDS:
            value = Value(tok.text, "text")
        else:
            raise ConditionError(f"expected a value after the comparison (got {_shown(tok)})", tok.column)
        _check_value(fact, spec, value, tok.column)
        return value


def _shown(tok: _Tok) -> str:
    return "the end" if tok.kind == "end" else repr(tok.text)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _check_fact_pair(fact: Fact, spec: FactSpec, other: Fact, column: int) -> None:
    kinds = {spec.kind, fact_spec(other.name).kind}  # type: ignore[union-attr]
    if len(kinds) > 1 and not kinds <= {"number", "days", "percent"}:
        raise ConditionError(f"cannot compare {fact.name} ({spec.kind}) with {other.name}", column)


def _check_value(fact: Fact, spec: FactSpec, value: Value, column: int) -> None:
    kind, unit = spec.kind, value.unit
    if kind == "bool":
        if not isinstance(value.value, bool):
            raise ConditionError(f"{fact.name} is yes/no: compare it with true or false", column)
        return
    if kind == "word":
        if unit != "text" or word(value.value) not in spec.words:
            raise ConditionError(
                f"{fact.name} is one of: {', '.join(spec.words)} (got {value.value!r})", column
            )
        return
    if isinstance(value.value, bool) or unit == "text":
        hint = f"{value.value!r} is not a fact" if unit == "text" else None
        raise ConditionError(
            f"{fact.name} is a {kind}: compare it with a number",
            column,
            hint and f"{hint}; facts: {known_facts()}",
        )
    allowed = {"number": ("",), "percent": ("", "%"), "days": ("", "d", "w", "m", "y")}[kind]
    if unit not in allowed:
        raise ConditionError(
            f"{fact.name} is a {kind}: {unit!r} does not apply",
            column,
            {"number": "write a plain number", "percent": "write 40 or 40%", "days": "write 30, 30d or 2w"}[
                kind
            ],
        )


def word(text: object) -> str:
    """A word as conditions compare it: case-folded, blanks as hyphens (``On Track`` = on-track)."""
    return re.sub(r"[\s_]+", "-", str(text).strip().casefold())


def parse(text: str) -> Node:
    """The condition's tree; ConditionError (with the column) when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("the condition is empty", 1, "e.g. health.band == red")
    parser = _Parser(text)
    node = parser.expr()
    tok = parser.peek()
    if tok.kind != "end":
        raise ConditionError(f"unexpected {_shown(tok)}", tok.column, "join conditions with and / or")
    return node


def facts_of(node: Node) -> set[str]:
    """The fact names a condition reads (so a run gathers only those)."""
    if isinstance(node, Compare):
        return {node.left.name} | ({node.right.name} if isinstance(node.right, Fact) else set())
    if isinstance(node, Truth):
        return {node.fact.name}
    if isinstance(node, Not):
        return facts_of(node.operand)
    return set().union(*(facts_of(i) for i in node.items))


# -- printing ------------------------------------------------------------------------------------

_BARE = re.compile(r"^[A-Za-z_][\w-]*$")


def _value_text(value: Fact | Value) -> str:
    if isinstance(value, Fact):
        return value.name
    if isinstance(value.value, bool):
        return "true" if value.value else "false"
    if value.unit == "text":
        text = str(value.value)
        if _BARE.match(text) and text.lower() not in KEYWORDS and fact_spec(text) is None:
            return text
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return f"{value.value!r}{value.unit}"


def to_text(node: Node) -> str:
    """The condition as text that parses back to the same tree."""
    if isinstance(node, Compare):
        return f"{node.left.name} {node.op} {_value_text(node.right)}"
    if isinstance(node, Truth):
        return node.fact.name
    if isinstance(node, Not):
        inner = to_text(node.operand)
        return f"not ({inner})" if isinstance(node.operand, All | Any_) else f"not {inner}"
    word = " and " if isinstance(node, All) else " or "
    return word.join(f"({to_text(i)})" if isinstance(i, All | Any_) else to_text(i) for i in node.items)


# -- evaluating ----------------------------------------------------------------------------------


def _number(value: Fact | Value, facts: Mapping[str, Any], today: date) -> Any:
    if isinstance(value, Fact):
        return facts.get(value.name)
    if value.unit in ("d", "w", "m", "y"):
        return _span_days(value.value, value.unit, today)
    return value.value


@lru_cache(maxsize=256)
def _span_days(number: int, unit: str, today: date) -> int:
    """``3m`` from ``today`` in days (calendar months: the one date grammar, domain.dates)."""
    from csmctl.domain.dates import parse_date

    return (parse_date(f"{number:+d}{unit}", today, what="span") - today).days


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is None or right is None:
        return False  # an unknown fact is never true (an account without a renewal date...)
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def evaluate(node: Node, facts: Mapping[str, Any], today: date) -> tuple[bool, dict[str, Any]]:
    """(is the condition true, the facts behind the answer). Missing facts count as unknown."""
    if isinstance(node, Truth):
        value = facts.get(node.fact.name)
        return bool(value), {node.fact.name: value}
    if isinstance(node, Compare):
        left = facts.get(node.left.name)
        spec = fact_spec(node.left.name)
        right = _number(node.right, facts, today)
        if spec is not None and spec.kind == "word":
            # an unknown on either side stays unknown (never true), as compile_columns has it
            left, right = (None if left is None else word(left)), (None if right is None else word(right))
        found: dict[str, Any] = {node.left.name: left}
        if isinstance(node.right, Fact):
            found[node.right.name] = right
        return _compare(left, node.op, right), found
    if isinstance(node, Not):
        ok, behind = evaluate(node.operand, facts, today)
        return not ok, behind
    results = [evaluate(i, facts, today) for i in node.items]
    if isinstance(node, All):
        ok = all(r[0] for r in results)
        chosen = results if ok else [r for r in results if not r[0]]
    else:
        ok = any(r[0] for r in results)
        chosen = [r for r in results if r[0]] if ok else results
    why: dict[str, Any] = {}
    for _, part in chosen:
        why.update(part)
    return ok, why


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


Columns = Mapping[str, Sequence[Any]]  # fact -> one value per account (a missing fact: unknown)


def compile_columns(node: Node, today: date) -> Callable[[Columns, int], list[bool]]:
    """``evaluate(node, facts, today)[0]`` over a whole book at once: ``(columns, n)`` -> whether
    the condition holds for each of the ``n`` accounts. Literals, spans and words are resolved up
    front, so a run pays :func:`evaluate` only for the reasons of what fired. A comparison with a literal is answered once per distinct
    value of its fact (a book holds a few hundred distinct day counts, bands, stages) and then
    looked up per account; and/or/not combine the answers element-wise. Built once per play run;
    a property test holds it to :func:`evaluate`."""
    if isinstance(node, Truth):
        name = node.fact.name
        return lambda columns, n: [bool(v) for v in columns[name]] if name in columns else [False] * n
    if isinstance(node, Compare):
        return _compare_columns(node, today)
    if isinstance(node, Not):
        inner = compile_columns(node.operand, today)
        return lambda columns, n: [not v for v in inner(columns, n)]
    parts = [compile_columns(item, today) for item in node.items]
    every = isinstance(node, All)

    def combined(columns: Columns, n: int) -> list[bool]:
        if not parts:  # never parsed; all() of nothing is true, any() false
            return [every] * n
        out = parts[0](columns, n)
        for part in parts[1:]:
            answers = part(columns, n)
            pairs = zip(out, answers, strict=True)
            out = [a and b for a, b in pairs] if every else [a or b for a, b in pairs]
        return out

    return combined


def _compare_columns(node: Compare, today: date) -> Callable[[Columns, int], list[bool]]:
    name, op = node.left.name, _OPS[node.op]
    spec = fact_spec(name)
    words = spec is not None and spec.kind == "word"

    def fold(values: Sequence[Any]) -> Sequence[Any]:
        if not words:
            return values
        folded = {v: None if v is None else word(v) for v in dict.fromkeys(values)}
        return [folded[v] for v in values]

    if isinstance(node.right, Fact):
        other = node.right.name

        def pairs(columns: Columns, n: int) -> list[bool]:
            if name not in columns or other not in columns:
                return [False] * n
            lefts, rights = fold(columns[name]), fold(columns[other])
            return [
                a is not None and b is not None and bool(op(a, b)) for a, b in zip(lefts, rights, strict=True)
            ]

        return pairs
    right = _number(node.right, {}, today)
    if words:
        right = word(right)

    def literal(columns: Columns, n: int) -> list[bool]:
        values = columns.get(name)
        if values is None or right is None:
            return [False] * n
        # One answer per distinct value (dict.fromkeys: C speed, and a NaN finds itself by identity).
        answers: dict[Any, bool] = dict.fromkeys(values, False)
        for value in answers:
            answers[value] = value is not None and bool(op(word(value) if words else value, right))
        return [answers[v] for v in values]

    return literal


def compile_column_reasons(node: Node, today: date, columns: Columns, n: int) -> Callable[[int], str]:
    """``describe(evaluate(node, facts, today)[1])`` for an account where the condition holds, by
    its index in ``columns`` (``compile_columns``' facts of ``n`` accounts), remembered per combination of the values the
    condition reads (their types too: ``1`` and ``True`` are told apart): the reasons depend on
    nothing else, and across a large book a play fires for a few distinct combinations many
    times over."""
    names = tuple(sorted(facts_of(node)))
    read = [columns[name] if name in columns else [None] * n for name in names]
    seen: dict[tuple[Any, ...], str] = {}

    def text_of(values: tuple[Any, ...]) -> str:
        return describe(evaluate(node, dict(zip(names, values, strict=True)), today)[1])

    static = _reported(node)
    if len(read) > 1 and static is not None:  # the same facts for every account: text per fact
        return _composed(static, columns, n)
    if len(read) == 1:  # most conditions read one fact: no tuple of values to build
        (only,) = read

        def one(index: int) -> str:
            value = only[index]
            key = (value, type(value))
            text = seen.get(key)
            if text is None:
                text = seen[key] = text_of((value,))
            return text

        return one

    def many(index: int) -> str:
        values = tuple([column[index] for column in read])
        key = values + tuple(map(type, values))
        text = seen.get(key)
        if text is None:
            text = seen[key] = text_of(values)
        return text

    return many


def _reported(node: Node) -> list[str] | None:
    """The facts ``evaluate`` reports for an account where ``node`` holds, in its order, when that
    does not depend on the account (no ``or``, no ``not`` over and/or); None when it does."""
    if isinstance(node, Compare):
        return [node.left.name] + ([node.right.name] if isinstance(node.right, Fact) else [])
    if isinstance(node, Truth):
        spec = fact_spec(node.fact.name)
        return [node.fact.name] if spec is not None and spec.kind == "bool" else None
    if isinstance(node, Not):
        return _reported(node.operand) if isinstance(node.operand, Compare | Truth) else None
    if isinstance(node, All):
        parts = [_reported(item) for item in node.items]
        return None if any(p is None for p in parts) else [name for p in parts for name in p or ()]
    return None


def _composed(names: list[str], columns: Columns, n: int) -> Callable[[int], str]:
    """``describe`` of an account's reported facts, one remembered ``name = value`` per distinct
    value of each fact (its type too: ``1`` and ``True`` read differently). Word facts read folded,
    as ``evaluate`` compares (and reports) them."""
    plan: list[tuple[str, Sequence[Any], bool, dict[Any, tuple[type, str]]]] = []
    for name in dict.fromkeys(names):
        spec = fact_spec(name)
        column = columns[name] if name in columns else [None] * n
        plan.append((name, column, spec is not None and spec.kind == "word", {}))

    def reasons(index: int) -> str:
        parts = []
        for name, column, words, seen in plan:
            value = column[index]
            entry = seen.get(value)
            if entry is None or entry[0] is not type(value):
                shown = _value_shown(word(value) if words and value is not None else value)
                entry = seen[value] = (type(value), f"{name} = {shown}")
            parts.append(entry[1])
        return ", ".join(parts)

    return reasons


def describe(why: Mapping[str, Any]) -> str:
    """``health.band = red, renewal.days = 40`` (never for NEVER, none for unknown)."""
    return ", ".join(f"{name} = {_value_shown(value)}" for name, value in why.items())


def _value_shown(value: Any) -> str:
    if value == NEVER:
        return "never"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
