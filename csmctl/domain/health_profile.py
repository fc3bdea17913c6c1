"""Health profiles: which inputs count, how much, and where the bands sit; per tier or segment.

A profile file (``health.toml`` or ``health.yaml`` in the config dir) is merged over the
built-in default below, key by key: name only what you change, and set a weight to 0 to drop an
input. ``tiers.<tier>`` and ``segments.<segment>`` sections override the default for those
accounts (a segment section wins over a tier section)::

    [bands]
    red = 50      # score < 50 is red
    green = 75    # score > 75 is green

    [weights]
    contact = 30
    csat = 0

    [metrics.usage]   # a custom metric from `csmctl metric import`
    weight = 10
    good = 80         # scores 100 at or beyond this value
    bad = 20          # scores 0 at or beyond this value (good < bad: lower is better)

    [tiers.scaled.weights]
    contact = 5

Every problem is collected with its key path, so a bad file is reported all at once.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csmctl.domain.accounts import TIERS
from csmctl.domain.health import INPUTS, Bands, MetricSpec, Profile
from csmctl.errors import Problem

BUILTIN: dict[str, Any] = {
    "bands": {"red": 50, "green": 75},
    "weights": {
        "contact": 25,
        "sentiment": 15,
        "nps": 10,
        "csat": 10,
        "onboarding": 10,
        "renewal": 15,
        "follow_ups": 15,
    },
    "metrics": {
        "usage": {"weight": 10, "good": 80, "bad": 20, "label": "seat usage %"},
        "tickets": {"weight": 5, "good": 0, "bad": 10, "label": "open tickets"},
    },
    # Tech-touch accounts get few calls: usage says more than the contact gap.
    "tiers": {"scaled": {"weights": {"contact": 5}, "metrics": {"usage": {"weight": 30}}}},
    "segments": {},
}
_SECTION_KEYS = {"bands", "weights", "metrics"}
_TOP_KEYS = _SECTION_KEYS | {"tiers", "segments"}
_METRIC_KEYS = {"weight", "good", "bad", "label"}


@dataclass
class ProfileSet:
    default: Profile
    tiers: dict[str, Profile] = field(default_factory=dict)
    segments: dict[str, Profile] = field(default_factory=dict)  # keyed by case-folded segment
    combined: dict[tuple[str, str], Profile] = field(default_factory=dict)
    _raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def for_account(self, tier: str | None, segment: str | None) -> Profile:
        seg = (segment or "").casefold()
        if seg in self.segments:
            if tier in self.tiers:
                key = (tier or "", seg)
                if key not in self.combined:
                    merged = merge(
                        merge(_section(self._raw), self._raw["tiers"][tier]),
                        self._raw["segments_by_key"][seg],
                    )
                    self.combined[key] = build(merged, f"tier:{tier}+segment:{seg}")
                return self.combined[key]
            return self.segments[seg]
        if tier in self.tiers:
            return self.tiers[tier]
        return self.default

    def metric_names(self) -> set[str]:
        names = set(self.default.metrics)
        for profile in [*self.tiers.values(), *self.segments.values()]:
            names |= set(profile.metrics)
        return names


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _section(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in _SECTION_KEYS}


# problem(key, message, hint=None): how the checks report (parse_profiles collects them)
ProblemSink = Callable[..., None]

# A weight is 0 (ignore the input) or a sane positive number: only proportions matter, and these
# bounds keep every share weight / sum(weights) a normal float (5e-324 would lose all precision).
MIN_WEIGHT = 0.001
MAX_WEIGHT = 1_000_000


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _weight_problem(weight: Any, what: str) -> tuple[str, str | None] | None:
    """(message, hint) when ``weight`` is not a usable weight, else None."""
    if not _number(weight):
        return f"weight must be a number (got {weight!r})", None
    if weight < 0:
        return f"negative weight {weight}", f"use 0 to ignore {what}"
    if weight and not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        return (
            f"weight {weight!r} is out of range",
            f"use 0 to ignore {what}, or {MIN_WEIGHT:g} to {MAX_WEIGHT:,}",
        )
    return None


def _check_section(data: Any, where: str, problem: ProblemSink) -> None:
    """Keys and values of one profile section (the top level, or a tier/segment override)."""
    prefix = f"{where}." if where else ""
    if not isinstance(data, Mapping):
        problem(where, "must be a table of settings")
        return
    allowed = _TOP_KEYS if not where else _SECTION_KEYS
    for key in data:
        if key not in allowed:
            problem(f"{prefix}{key}", "unknown key", f"use {', '.join(sorted(allowed))}")
    weights = data.get("weights", {})
    if not isinstance(weights, Mapping):
        problem(f"{prefix}weights", "must be a table of input = weight")
    else:
        for name, weight in weights.items():
            if name not in INPUTS:
                hint = "custom metrics go under [metrics.NAME]" if str(name).startswith("metric") else None
                problem(f"{prefix}weights.{name}", "unknown input", hint or f"inputs: {', '.join(INPUTS)}")
            elif found := _weight_problem(weight, "an input"):
                problem(f"{prefix}weights.{name}", *found)
    metrics = data.get("metrics", {})
    if not isinstance(metrics, Mapping):
        problem(f"{prefix}metrics", "must be a table of metric tables")
    else:
        for name, spec in metrics.items():
            at = f"{prefix}metrics.{name}"
            if not isinstance(spec, Mapping):
                problem(at, "must be a table with weight, good and bad")
                continue
            for key in spec:
                if key not in _METRIC_KEYS:
                    problem(f"{at}.{key}", "unknown key", f"use {', '.join(sorted(_METRIC_KEYS))}")
            for key in ("good", "bad"):
                if key in spec and not _number(spec[key]):
                    problem(f"{at}.{key}", f"must be a number (got {spec[key]!r})")
            if "weight" in spec and (found := _weight_problem(spec["weight"], "a metric")):
                problem(f"{at}.weight", *found)
    bands = data.get("bands", {})
    if not isinstance(bands, Mapping):
        problem(f"{prefix}bands", "must be a table with red and green")
    else:
        for key, value in bands.items():
            if key not in ("red", "green"):
                problem(
                    f"{prefix}bands.{key}",
                    "unknown band",
                    "use red (score below it is red) and green (score above it is green)",
                )
            elif not _number(value) or not 0 <= value <= 100:
                problem(f"{prefix}bands.{key}", f"must be a number from 0 to 100 (got {value!r})")


def _check_effective(data: Mapping[str, Any], where: str, problem: ProblemSink, seen: set[str]) -> None:
    """Rules on a merged profile: complete metrics, a positive weight, bands in order.

    ``seen`` holds the rules the default already broke, so a tier inheriting the same fault is
    not reported again."""
    at = f"{where}." if where else ""
    found: set[str] = set()

    def report(rule: str, key: str, message: str, hint: str | None = None) -> None:
        found.add(rule)
        if rule not in seen:
            problem(key, message, hint)

    for name, spec in data.get("metrics", {}).items():
        if isinstance(spec, Mapping):
            for key in ("weight", "good", "bad"):
                if key not in spec:
                    report(f"metric:{name}:{key}", f"{at}metrics.{name}.{key}", "is missing")
    weights = [w for w in data.get("weights", {}).values() if _number(w)]
    weights += [
        m.get("weight")
        for m in data.get("metrics", {}).values()
        if isinstance(m, Mapping) and _number(m.get("weight"))
    ]
    if sum(w for w in weights if w > 0) <= 0:
        report("zero", f"{at}weights", "the weights sum to 0", "give at least one input a positive weight")
    bands = data.get("bands", {})
    red, green = bands.get("red"), bands.get("green")
    if _number(red) and _number(green) and red > green:
        report(
            "bands",
            f"{at}bands",
            f"bands overlap: red ends at {red} but green starts above {green}",
            "red must be <= green",
        )
    if not where:  # the default's faults: reported once, here
        seen |= found


def build(data: Mapping[str, Any], name: str) -> Profile:
    metrics = {
        n: MetricSpec(float(s["weight"]), float(s["good"]), float(s["bad"]), str(s.get("label", "")))
        for n, s in data.get("metrics", {}).items()
    }
    bands = data.get("bands", {})
    return Profile(
        name,
        {k: float(v) for k, v in data.get("weights", {}).items()},
        metrics,
        Bands(float(bands.get("red", 50)), float(bands.get("green", 75))),
    )


def parse_profiles(
    user: Mapping[str, Any] | None = None, *, source: str | None = None
) -> tuple[ProfileSet | None, list[Problem]]:
    """The built-in profile with ``user`` merged over it; (profiles, problems)."""
    problems: list[Problem] = []

    def problem(key: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(message, path=source, field=key or None, hint=hint))

    user = user or {}
    _check_section(user, "", problem)
    if not isinstance(user, Mapping):
        return None, problems
    for group, known in (("tiers", TIERS), ("segments", None)):
        entries = user.get(group, {})
        if not isinstance(entries, Mapping):
            problem(group, f"must be a table of {group[:-1]} profiles")
            continue
        for key, section in entries.items():
            if known is not None and key not in known:
                problem(f"{group}.{key}", "unknown tier", f"tiers: {', '.join(known)}")
                continue
            _check_section(section, f"{group}.{key}", problem)
    if problems:
        return None, problems
    raw = merge(BUILTIN, user)
    base = _section(raw)
    broken: set[str] = set()
    _check_effective(base, "", problem, broken)
    effective: dict[str, dict[str, Any]] = {}
    for group in ("tiers", "segments"):
        for key, section in raw[group].items():
            merged = merge(base, section)
            effective[f"{group}.{key}"] = merged
            _check_effective(merged, f"{group}.{key}", problem, broken)
    if problems:
        return None, problems
    raw["segments_by_key"] = {str(k).casefold(): v for k, v in raw["segments"].items()}
    profiles = ProfileSet(
        default=build(base, "default"),
        tiers={k: build(effective[f"tiers.{k}"], f"tier:{k}") for k in raw["tiers"]},
        segments={
            str(k).casefold(): build(effective[f"segments.{k}"], f"segment:{k}") for k in raw["segments"]
        },
        _raw=raw,
    )
    return profiles, []
