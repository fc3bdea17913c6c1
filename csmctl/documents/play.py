"""Play files: a condition over an account's facts and the actions to take when it holds.

A play (``templates/plays/health-drop.yaml``; its name is the file name)::

    title: Health dropped
    description: The score fell 15 points or more in 30 days: find out why.
    when: health.drop_30d >= 15          # see domain.conditions for the grammar and the facts
    episode: condition                   # condition (default) | renewal | once
    actions:
      - follow_up: {text: Call about the health drop, due: +2d}
      - add_tag: health-drop
      - remove_tag: [healthy]
      - set_stage: at-risk
      - start_playbook: standard
      - open_risk: {reason: adoption/low-usage, severity: high, note: Usage fell}

Episodes decide how often a play fires for one account: ``condition`` fires once each time the
condition becomes true (a drop that recovers and drops again fires again); ``renewal`` once per
renewal date; ``once`` once ever. ``validate_play(data, locator, taxonomy)`` takes what
``documents.sources.load_document`` read and raises one ``InvalidInput`` listing every problem,
located (a bad condition names its line and column and the facts that exist; a risk reason not in
the settings' taxonomy lists the reasons that exist).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from csmctl.documents.sources import Locator, validation_problems
from csmctl.domain import conditions
from csmctl.errors import InvalidInput, InvalidValue

EPISODES = ("condition", "renewal", "once")
ACTIONS = ("follow_up", "add_tag", "remove_tag", "set_stage", "start_playbook", "open_risk")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _offset(value: Any) -> str:
    """A due offset in the one date grammar (``+3d``, ``+1w``, ``today``); kept as written."""
    from csmctl.domain.dates import parse_date

    text = str(value).strip()
    accepted = "an offset from the run's date: +0d, +3d, +1w, +1m (or today, tomorrow)"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # one fixed day for every account and run
        raise ValueError(f"due is {accepted}, not a date")
    try:
        parse_date(text, date(2000, 1, 1), what="due")
    except InvalidValue:
        raise ValueError(f"due is {accepted}") from None
    return text


class FollowUp(_Strict):
    text: str = Field(min_length=1, max_length=500)
    due: str = "+0d"

    _due = field_validator("due", mode="before")(lambda cls, v: _offset(v))


def _checked(check: Any, *args: Any, **kwargs: Any) -> Any:
    """A csmctl check inside a validator: its InvalidValue becomes the ValueError pydantic locates."""
    try:
        return check(*args, **kwargs)
    except InvalidValue as error:
        raise ValueError(f"{error.message} {error.hint or ''}".strip()) from None


def _tags(value: Any) -> list[str]:
    from csmctl.domain.fields import tags

    found = _checked(tags, value, what="tag")
    if not found:
        raise ValueError("give at least one tag")
    return found


def _stage(value: Any) -> str:
    from csmctl.domain.accounts import STAGE_ALIASES, STAGES
    from csmctl.domain.fields import choice

    stage = _checked(choice, value, STAGES, what="stage", aliases=STAGE_ALIASES)
    if stage is None:
        raise ValueError("give a stage")
    return stage


class OpenRisk(_Strict):
    """Open a risk (``csmctl risk open``): a reason from the risk taxonomy of the settings
    (``[risk.reasons]``, ``csmctl risk reasons``), stored as its code; not opened again while the
    account has an open risk with the same primary reason."""

    reason: str = Field(min_length=1, max_length=80)
    severity: str = "medium"
    note: str | None = Field(None, max_length=500)

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any, info: ValidationInfo) -> str:
        from csmctl.domain.risks import parse_taxonomy

        taxonomy = (info.context or {}).get("taxonomy") or parse_taxonomy(None)
        return _checked(taxonomy.get, value).code  # the one reason check, as `risk open --reason`

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> str:
        from csmctl.domain.fields import choice
        from csmctl.domain.risks import DEFAULT_SEVERITY, SEVERITIES

        return _checked(choice, value, SEVERITIES, what="severity") or DEFAULT_SEVERITY


class Action(_Strict):
    """Exactly one of the keys."""

    follow_up: FollowUp | None = None
    add_tag: list[str] | None = None
    remove_tag: list[str] | None = None
    set_stage: str | None = None
    start_playbook: str | None = Field(None, min_length=1, max_length=120)
    open_risk: OpenRisk | None = None

    _tag_lists = field_validator("add_tag", "remove_tag", mode="before")(lambda cls, v: _tags(v))
    _stage_name = field_validator("set_stage", mode="before")(lambda cls, v: _stage(v))

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) != 1:
            raise ValueError(f"each action has exactly one of: {', '.join(ACTIONS)}")
        if isinstance(data, str):
            raise ValueError(f"an action is a key with its value, one of: {', '.join(ACTIONS)}")
        return data

    @property
    def kind(self) -> str:
        return next(k for k in ACTIONS if getattr(self, k) is not None)


class Play(_Strict):
    title: str = Field(min_length=1, max_length=120)
    description: str | None = None
    when: str
    episode: Literal["condition", "renewal", "once"] = "condition"
    actions: list[Action] = Field(min_length=1)

    @field_validator("when", mode="before")
    @classmethod
    def _condition(cls, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("the condition is text, like `health.band == red`")
        try:
            conditions.parse(value)
        except conditions.ConditionError as error:
            hint = f"; {error.hint}" if error.hint else ""
            raise ValueError(f"at column {error.column} of the condition: {error.message}{hint}") from None
        return value

    @property
    def condition(self) -> conditions.Node:
        cached = self.__dict__.get("_tree")
        if cached is None:
            cached = self.__dict__["_tree"] = conditions.parse(self.when)
        return cached

    def facts(self) -> set[str]:
        return conditions.facts_of(self.condition)


def validate_play(data: Any, locator: Locator, taxonomy: Any = None) -> Play:
    """Check a loaded play; every problem at once, each with file, line and key path. Risk
    reasons are checked against ``taxonomy`` (the settings' ``risk_taxonomy``; the shipped
    default without one)."""
    try:
        return Play.model_validate(data, context={"taxonomy": taxonomy})
    except ValidationError as error:
        problems = validation_problems(error, locator)
        summary = f"{locator.path}: {len(problems)} problems:" if len(problems) > 1 else None
        raise InvalidInput(problems, summary=summary) from None


def episode_key(play: Play, renewal_date: date | None, today: date) -> str:
    """The dedupe key of a firing: a play fires at most once per (play, account, key)."""
    if play.episode == "once":
        return "once"
    if play.episode == "renewal":
        return f"renewal:{renewal_date.isoformat() if renewal_date else 'none'}"
    return f"since:{today.isoformat()}"  # a new key each time the condition becomes true


def due_on(follow_up: FollowUp, today: date) -> date:
    from csmctl.domain.dates import parse_date

    return parse_date(follow_up.due, today, what="due")
