"""Risks: stages, severities, the reason taxonomy and time in each stage.

A risk moves through open stages (at-risk -> plan-in-place -> saving, in any order) and closes
as recovered or lost. Its history is the list of stages it entered, each with a date; the days
in each stage are the gaps between them, so they always sum to the risk's age.

Reasons come from a two-level taxonomy (a primary reason and its contributing reasons), each
marked controllable or not. The shipped default is below; ``[risk.reasons]`` in config.toml
replaces it (see ``parse_taxonomy``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from csmctl.errors import InvalidValue

OPEN_STAGES = ("at-risk", "plan-in-place", "saving")
OUTCOMES = ("recovered", "lost")
STAGES = OPEN_STAGES + OUTCOMES
SEVERITIES = ("low", "medium", "high")
DEFAULT_SEVERITY = "medium"
DEFAULT_QUIET_DAYS = 14  # `today`: a high risk with no touchpoint this long needs attention


@dataclass(frozen=True)
class Reason:
    code: str  # "adoption" or "adoption/low-usage"
    label: str
    controllable: bool

    @property
    def primary(self) -> str:
        return primary_reason(self.code)


def primary_reason(code: str) -> str:
    """``adoption`` for ``adoption/low-usage`` (and for ``adoption``)."""
    return code.split("/", 1)[0]


# (code, label, controllable, contributing reasons as (code, label)); a contributing reason is
# as controllable as its primary one unless the settings say otherwise.
DEFAULT_TAXONOMY: dict[str, Any] = {
    "product-fit": {
        "label": "Product fit",
        "controllable": False,
        "contributing": {"missing-feature": "Missing feature", "wrong-use-case": "Wrong use case"},
    },
    "adoption": {
        "label": "Adoption",
        "controllable": True,
        "contributing": {
            "low-usage": "Low usage",
            "onboarding-stalled": "Onboarding stalled",
            "no-training": "Users not trained",
        },
    },
    "champion-left": {
        "label": "Champion left",
        "controllable": False,
        "contributing": {"no-sponsor": "No executive sponsor", "reorg": "Reorganisation"},
    },
    "budget": {
        "label": "Budget",
        "controllable": False,
        "contributing": {"cost-cutting": "Cost cutting", "price-increase": "Price increase"},
    },
    "competitor": {
        "label": "Competitor",
        "controllable": False,
        "contributing": {"cheaper": "Cheaper alternative", "consolidation": "Vendor consolidation"},
    },
    "support-experience": {
        "label": "Support experience",
        "controllable": True,
        "contributing": {"slow-response": "Slow response", "bugs": "Unresolved bugs"},
    },
    "relationship": {
        "label": "Relationship",
        "controllable": True,
        "contributing": {"low-engagement": "Low engagement", "missed-commitments": "Missed commitments"},
    },
    "m-and-a": {"label": "M&A", "controllable": False, "contributing": {}},
    "business-closed": {"label": "Business closed", "controllable": False, "contributing": {}},
}


@dataclass(frozen=True)
class Taxonomy:
    reasons: Mapping[str, Reason]

    def get(self, code: str) -> Reason:
        """The reason for ``code`` (any case; ``primary/contributing`` or a primary alone)."""
        key = "/".join(part.strip().lower().replace(" ", "-") for part in str(code).split("/", 1))
        reason = self.reasons.get(key)
        if reason is None:
            primaries = ", ".join(c for c in self.reasons if "/" not in c)
            raise InvalidValue(
                f"Unknown risk reason {code!r}.",
                f"Use one of: {primaries} (or primary/contributing; `csmctl risk reasons` lists them).",
            )
        return reason

    def __iter__(self) -> Iterator[Reason]:
        return iter(self.reasons.values())


def parse_taxonomy(data: Mapping[str, Any] | None) -> Taxonomy:
    """The taxonomy from ``[risk.reasons]`` (a mapping shaped like DEFAULT_TAXONOMY), or the default."""
    data = DEFAULT_TAXONOMY if not data else data
    reasons: dict[str, Reason] = {}
    for code, spec in data.items():
        where = f"risk.reasons.{code}"
        if not isinstance(spec, Mapping):
            raise InvalidValue(f"Setting {where} must be a table.", 'Example: label = "Budget"')
        controllable = spec.get("controllable", False)
        if not isinstance(controllable, bool):
            raise InvalidValue(f"Setting {where}.controllable must be true or false.")
        primary = Reason(code, str(spec.get("label") or code), controllable)
        reasons[code] = primary
        contributing = spec.get("contributing") or {}
        if not isinstance(contributing, Mapping):
            raise InvalidValue(f"Setting {where}.contributing must be a table of code = label.")
        for sub, label in contributing.items():
            reasons[f"{code}/{sub}"] = Reason(f"{code}/{sub}", str(label), controllable)
    return Taxonomy(reasons)


def check_stage(stage: str) -> str:
    key = str(stage).strip().lower().replace(" ", "-").replace("_", "-")
    if key not in OPEN_STAGES:
        if key in OUTCOMES:
            raise InvalidValue(
                f"{key!r} is an outcome, not a stage.",
                f"Close the risk with `risk close ID --outcome {key}`.",
            )
        raise InvalidValue(f"Unknown risk stage {stage!r}.", f"Use one of: {', '.join(OPEN_STAGES)}.")
    return key


def check_move(current: str, target: str, risk_id: int) -> None:
    """A move goes from one open stage to another; a closed risk stays closed."""
    if current in OUTCOMES:
        raise InvalidValue(f"Risk {risk_id} is closed ({current}).", "Open a new risk if it came back.")
    if current == target:
        raise InvalidValue(f"Risk {risk_id} is already in stage {target}.")


@dataclass(frozen=True)
class StageSpan:
    stage: str
    entered: date
    left: date | None  # None: still in it
    days: int


def stage_spans(history: Sequence[tuple[str, date]], as_of: date) -> list[StageSpan]:
    """Days in each stage from ``(stage, entered on)`` in order. An outcome stage ends the risk
    (its span is 0 days); an open last stage runs to ``as_of``. The days sum to the risk's age."""
    spans: list[StageSpan] = []
    for index, (stage, entered) in enumerate(history):
        if stage in OUTCOMES:
            spans.append(StageSpan(stage, entered, entered, 0))
            break
        following = history[index + 1][1] if index + 1 < len(history) else None
        end = following if following is not None else max(as_of, entered)
        spans.append(StageSpan(stage, entered, following, (end - entered).days))
    return spans


def risk_age(opened: date, closed: date | None, as_of: date) -> int:
    return ((closed or max(as_of, opened)) - opened).days


def days_in_stages(spans: Iterable[StageSpan]) -> dict[str, int]:
    out: dict[str, int] = {}
    for span in spans:
        out[span.stage] = out.get(span.stage, 0) + span.days
    return out


def stage_on(history: Sequence[tuple[str, date]], day: date) -> str | None:
    """The stage a risk was in on ``day`` (None: not opened yet): ``--as-of`` sees the past."""
    current = None
    for stage, entered in history:
        if entered > day:
            break
        current = stage
    return current


def public_risk(
    row: Mapping[str, Any], history: Sequence[tuple[str, date]], taxonomy: Taxonomy, as_of: date
) -> dict[str, Any] | None:
    """A risk as listings and JSON show it, seen from ``as_of`` (None if opened after it)."""
    stage = stage_on(history, as_of)
    if stage is None:
        return None
    seen = [(s, d) for s, d in history if d <= as_of]
    spans = stage_spans(seen, as_of)
    closed = row["closed_on"] if stage in OUTCOMES else None
    reason = taxonomy.reasons.get(row["reason"])
    return {
        "id": row["id"],
        "account": row["account"],
        "account_id": row["account_id"],
        "owner": row["owner"],
        "reason": row["reason"],
        "reason_label": reason.label if reason else row["reason"],
        "controllable": reason.controllable if reason else None,
        "severity": row["severity"],
        "stage": stage,
        "opened_on": row["opened_on"],
        "closed_on": closed,
        "age_days": risk_age(row["opened_on"], closed, as_of),
        "days_in_stage": spans[-1].days if spans else 0,
        "note": row["note"],
    }
