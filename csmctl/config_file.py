"""The typed model of config.toml (pydantic, ``extra="forbid"``) and its located errors.

Kept apart from :mod:`csmctl.config` so that ``csmctl --help`` never imports pydantic: this
module is loaded the first time a command reads a setting from the file. Every problem in the
file is reported at once, each with the file, the line and the key (``[cadense]`` is an error
that lists the known sections).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from csmctl.config_text import busy_timeout_from, key_line, read_toml
from csmctl.domain.forecast import likelihoods
from csmctl.domain.onboarding import DEFAULT_STUCK_DAYS
from csmctl.domain.renewals import NOTICE_WARNING_DAYS
from csmctl.domain.risks import DEFAULT_QUIET_DAYS, Taxonomy, parse_taxonomy
from csmctl.domain.touchpoints import Rules, cadence_days, rules_from_config
from csmctl.errors import InvalidInput, InvalidValue, Problem


def _cadence(value: object) -> int:
    try:
        return cadence_days(value, what="cadence")
    except InvalidValue as error:
        raise ValueError(f"{error.message} {error.hint or ''}".strip()) from None


def _seconds(value: object) -> float:
    try:
        return busy_timeout_from(value, source="busy_timeout")
    except InvalidValue as error:
        raise ValueError(error.message) from None


# What a user may write (schema for editors) vs what the model holds (whole days).
Days = Annotated[
    int | None,
    BeforeValidator(lambda v: None if v is None else _cadence(v)),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 366},
                {"type": "string", "pattern": "^\\s*[0-9]+\\s*[dDwW]?\\s*$"},
            ],
            "description": "Days (14), or 14d / 2w; 1 to 366 days.",
        }
    ),
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class UserSection(_Section):
    name: str | None = Field(None, description="What `--owner me` means (CSMCTL_USER wins).")


class CadenceSection(_Section):
    """Expected contact interval per tier (days, ``14d`` or ``2w``); unset tiers keep the default."""

    strategic: Days = None
    enterprise: Days = None
    mid_market: Days = Field(None, alias="mid-market")
    smb: Days = None
    scaled: Days = None

    def table(self) -> dict[str, int]:
        return {k: v for k, v in self.model_dump(by_alias=True).items() if v is not None}


class TouchpointsSection(_Section):
    kinds: list[str] | None = Field(None, description="The touchpoint kinds that may be logged.")
    non_contact_kinds: list[str] | None = Field(
        None, description="Kinds logged but not contact with the customer (default: note)."
    )
    default_kind: str | None = Field(None, description="The kind of `csmctl touch` without --kind.")

    @model_validator(mode="after")
    def _consistent(self) -> TouchpointsSection:
        try:
            rules_from_config(None, self.given(), where="config")
        except InvalidValue as error:
            raise ValueError(f"{error.message} {error.hint or ''}".strip()) from None
        return self

    def given(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class OnboardingSection(_Section):
    stuck_days: int = Field(
        DEFAULT_STUCK_DAYS, ge=1, le=3650, strict=True, description="Overdue and idle this many days = Stuck."
    )


class RenewalsSection(_Section):
    notice_warning_days: int = Field(
        NOTICE_WARNING_DAYS,
        ge=0,
        le=3650,
        strict=True,
        description="Flag notice deadlines this many days out (renewals, report, today).",
    )


class ReasonSpec(_Section):
    """One primary risk reason: its label, whether the team can control it, its contributing
    reasons (code = label; they inherit ``controllable``)."""

    label: str | None = None
    controllable: bool = Field(False, strict=True)
    contributing: dict[str, str] = Field(default_factory=dict)


class RiskSection(_Section):
    reasons: dict[str, ReasonSpec] | None = Field(
        None,
        description="The risk reason taxonomy, [risk.reasons.<code>]; replaces the shipped default "
        "(product-fit, adoption, champion-left, budget, competitor, ...).",
    )
    quiet_days: int = Field(
        DEFAULT_QUIET_DAYS,
        ge=1,
        le=366,
        strict=True,
        description="today: a high-severity open risk with no touchpoint in this many days needs you.",
    )

    def taxonomy(self) -> Taxonomy:
        given = None if self.reasons is None else {k: v.model_dump() for k, v in self.reasons.items()}
        return parse_taxonomy(given)


class LikelihoodSection(_Section):
    """Default likelihood per forecast category (whole percent); lost is always 0."""

    commit: int | None = Field(None, ge=0, le=100, strict=True)
    probable: int | None = Field(None, ge=0, le=100, strict=True)
    upside: int | None = Field(None, ge=0, le=100, strict=True)
    at_risk: int | None = Field(None, ge=0, le=100, strict=True, alias="at-risk")


class ForecastSection(_Section):
    likelihood: LikelihoodSection = LikelihoodSection()

    def likelihoods(self) -> dict[str, int]:
        return likelihoods(self.likelihood.model_dump(by_alias=True, exclude_none=True))


class PlaysSection(_Section):
    enabled: list[str] = Field(
        default_factory=list,
        description="The plays `csmctl play run` runs (names as `csmctl play list` shows them); "
        "every play is off until listed here.",
    )

    @model_validator(mode="after")
    def _names(self) -> PlaysSection:
        for name in self.enabled:
            if not re.fullmatch(r"[A-Za-z0-9][\w.-]{0,119}", name):
                raise ValueError(f"{name!r} is not a play name (a file name without .yaml)")
        return self


class ConfigFile(_Section):
    """config.toml: every section and key optional, nothing unknown."""

    db: str | None = None
    busy_timeout: Annotated[float | None, BeforeValidator(lambda v: None if v is None else _seconds(v))] = (
        None
    )
    user: UserSection = UserSection()
    cadence: CadenceSection = CadenceSection()
    touchpoints: TouchpointsSection = TouchpointsSection()
    onboarding: OnboardingSection = OnboardingSection()
    renewals: RenewalsSection = RenewalsSection()
    risk: RiskSection = RiskSection()
    forecast: ForecastSection = ForecastSection()

    plays: PlaysSection = PlaysSection()

    def rules(self) -> Rules:
        return rules_from_config(self.cadence.table(), self.touchpoints.given(), where="config")


def _known(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _section_model(loc: tuple[Any, ...]) -> type[BaseModel]:
    model: type[BaseModel] = ConfigFile
    for part in loc[:-1]:
        field = next(
            (f for n, f in model.model_fields.items() if part in (n, f.alias)),
            None,
        )
        annotation = getattr(field, "annotation", None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            break
        model = annotation
    return model


def problems_of(error: ValidationError, path: Path, text: str) -> list[Problem]:
    """pydantic's errors as located problems: file, line, key and what to write instead."""
    out = []
    for item in error.errors(include_url=False):
        loc = tuple(str(p) for p in item["loc"] if not isinstance(p, int))
        line = key_line(text, loc)
        key = ".".join(loc) or None
        message, hint = str(item["msg"]).removeprefix("Value error, "), None
        if item["type"] == "extra_forbidden":
            known = ", ".join(_known(_section_model(loc)))
            if len(loc) == 1 and isinstance(item.get("input"), dict):
                message, hint = f"unknown section [{loc[0]}]", f"known sections and keys: {known}"
            elif len(loc) == 1:
                message, hint = f"unknown key {loc[0]!r}", f"known sections and keys: {known}"
            else:
                message, hint = f"unknown key {loc[-1]!r} in [{'.'.join(loc[:-1])}]", f"known keys: {known}"
        elif item["type"] == "model_type":
            message = "must be a table (a [section])"
        out.append(Problem(message, path=str(path), line=line, field=key, hint=hint))
    return out


def read_config_file(path: Path) -> ConfigFile:
    """Read and validate config.toml; InvalidInput lists every problem with its line and key."""
    data, text = read_toml(path, what="config")
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as error:
        problems = sorted(problems_of(error, path, text), key=lambda p: (p.line or 0, p.field or ""))
        summary = f"{path}: {len(problems)} problems in the config:" if len(problems) > 1 else None
        raise InvalidInput(problems, summary=summary) from None
