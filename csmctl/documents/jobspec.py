"""The job spec: JSON Resume's job schema as is, plus csmctl's richer hiring fields.

JSON Resume keys (``title company type date description location remote salary experience
responsibilities qualifications skills meta``) keep their meaning; unknown keys at the top level
and inside JSON Resume's own objects are kept (a JSON Resume file may carry extensions) but
``jd validate`` warns about them, with a "did you mean" for typos. csmctl's own objects
(``salary`` as a mapping, ``remote`` as a mapping, ``outcomes``, ``book_size``,
``how_to_apply``) forbid unknown keys.

``load_spec(path, today)`` returns a ``CheckedSpec``: the model, the locator, salary and book
money as ``Money``, the employment types, and the warnings; every error is collected and raised
together as ``InvalidInput``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from csmctl.documents.field_types import Date as PartialDay
from csmctl.documents.field_types import not_null
from csmctl.domain.addresses import Email, Url
from csmctl.domain.money import Money, parse_amount
from csmctl.errors import CsmctlError, InvalidInput, Problem

LEVELS = ("associate", "csm", "senior", "lead", "manager")
SEGMENTS = ("smb", "mid-market", "enterprise", "strategic")
# the places whose posting laws `jd lint` checks (documents/jobrules.py holds the rules)
JURISDICTIONS = ("US-NY-NYC", "US-NY", "US-CA", "US-WA", "US-CO", "EU", "JP")
# schema.org / Google employmentType values
EMPLOYMENT_TYPES = (
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
)
# JSON Resume's free-text `type` -> schema.org employmentType
_TYPE_WORDS = {
    "full-time": "FULL_TIME",
    "full time": "FULL_TIME",
    "fulltime": "FULL_TIME",
    "permanent": "FULL_TIME",
    "part-time": "PART_TIME",
    "part time": "PART_TIME",
    "contract": "CONTRACTOR",
    "contractor": "CONTRACTOR",
    "freelance": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
    "intern": "INTERN",
    "volunteer": "VOLUNTEER",
    "正社員": "FULL_TIME",
    "契約社員": "CONTRACTOR",
    "パートタイム": "PART_TIME",
    "インターン": "INTERN",
}


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("an amount must be a number like 120000 or 120k")
    return value


def _check_amount(value: Any) -> Any:
    if isinstance(value, (int, float)) and value < 0:
        raise ValueError("an amount cannot be negative")
    if isinstance(value, str):
        try:
            parse_amount(value, None, default_currency="USD")
        except CsmctlError as error:
            hint = (error.hint or "").removeprefix("Use ").rstrip(".")
            raise ValueError(f"not an amount: use {hint}") from None
    return value


def _check_currency(value: str) -> str:
    from csmctl.domain.money import check_currency

    try:
        return check_currency(value)
    except CsmctlError:
        raise ValueError(
            f"unknown currency {value!r}: use an ISO 4217 code such as USD, EUR, GBP or JPY"
        ) from None


def _check_country(value: str) -> str:
    if not (len(value) == 2 and value.isalpha() and value.isascii()):
        raise ValueError(f"{value!r} is not an ISO 3166 two-letter country code (e.g. JP, US, DE)")
    return value.upper()


def _check_employment_type(value: str) -> str:
    normal = value.strip().upper().replace("-", "_").replace(" ", "_")
    if normal not in EMPLOYMENT_TYPES:
        raise ValueError(f"unknown employment type {value!r}: use " + ", ".join(EMPLOYMENT_TYPES))
    return normal


def _number_to_text(value: Any) -> Any:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _shape(value: Any) -> str:
    return "object" if isinstance(value, dict) else "text"


Model = TypeVar("Model")
# ``str | Model``, chosen by the input's shape so errors name the right branch only.
TextOr = Annotated[
    Annotated[Annotated[str, BeforeValidator(_number_to_text)], Tag("text")]
    | Annotated[Model, Tag("object")],
    Discriminator(_shape),
]


_REMOTE_WORDS = {
    "full": "full",
    "remote": "full",
    "hybrid": "hybrid",
    "none": "none",
    "onsite": "none",
    "on-site": "none",
    "office": "none",
}

Amount = Annotated[int | float | str, BeforeValidator(_not_bool), AfterValidator(_check_amount)]
Currency = Annotated[str, AfterValidator(_check_currency)]
Country = Annotated[str, AfterValidator(_check_country)]
EmploymentType = Annotated[str, AfterValidator(_check_employment_type)]


class _Open(BaseModel):
    """A JSON Resume object: unknown keys are kept; a declared key cannot be null (the schema allows
    none)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, defer_build=True)

    _not_null = field_validator("*", mode="before")(classmethod(lambda cls, value: not_null(value)))


class _Closed(BaseModel):
    """A csmctl object: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Location(_Open):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: Country | None = None
    region: str | None = None


class Skill(_Open):
    name: str | None = None  # the job schema requires nothing: keywords alone are a skill too

    @property
    def label(self) -> str:
        """The name, or its keywords when it has none."""
        return self.name or ", ".join(self.keywords)

    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Meta(_Open):
    canonical: str | None = None
    version: str | None = None
    lastModified: str | dt.date | None = None


class Range(_Closed):
    min: Amount | None = None
    max: Amount | None = None


class Salary(_Closed):
    min: Amount | None = None
    max: Amount | None = None
    currency: Currency
    period: Literal["year", "month", "week", "day", "hour"] = "year"
    bonus: str | None = None  # how variable pay works, in words
    ote: Range | None = None  # on-target earnings: base + variable at target
    _money: dict[str, Money | None] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _amounts(self) -> Salary:
        def money(value: Any, what: str) -> Money | None:
            if value is None:
                return None
            try:
                return parse_amount(str(value), self.currency)
            except CsmctlError as error:
                raise ValueError(f"{what}: {error.message.rstrip('.')}") from None

        low, high = money(self.min, "min"), money(self.max, "max")
        ote_low = money(self.ote.min, "ote.min") if self.ote else None
        ote_high = money(self.ote.max, "ote.max") if self.ote else None
        if low and high and low > high:
            raise ValueError(f"min is greater than max ({low} > {high}); swap them or fix the typo")
        if ote_low and ote_high and ote_low > ote_high:
            raise ValueError(f"ote.min is greater than ote.max ({ote_low} > {ote_high})")
        if ote_high and high and ote_high < high:
            raise ValueError(
                "on-target earnings are below the base salary (OTE is base plus variable at target)"
            )
        self._money = {"min": low, "max": high, "ote_min": ote_low, "ote_max": ote_high}
        return self


class Remote(_Closed):
    policy: Literal["full", "hybrid", "none"]
    countries: list[Country] = Field(default_factory=list)  # ISO 3166 codes candidates may live in
    regions: list[str] = Field(default_factory=list)  # states, prefectures, "EU"...
    time_zones: str | None = None

    @field_validator("policy", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class BookSize(_Closed):
    accounts: int | None = Field(default=None, ge=0)
    arr: Amount | None = None
    currency: Currency | None = None


class Outcomes(_Closed):
    first_90_days: list[str] = Field(default_factory=list)
    first_year: list[str] = Field(default_factory=list)


class HowToApply(_Closed):
    url: Url | None = None
    email: Email | None = None
    instructions: str | None = None


class Company(_Closed):
    name: str
    url: Url | None = None
    logo: Url | None = None


class ScopeOfChange(_Closed):
    """Japan (April 2024): how far duties and the work location may change after hiring."""

    duties: str | None = None
    work_location: str | None = None


def _check_jurisdiction(value: str) -> str:
    normal = value.strip().upper()
    if normal not in JURISDICTIONS:
        raise ValueError(f"unknown jurisdiction {value!r}: use " + ", ".join(JURISDICTIONS))
    return normal


Jurisdiction = Annotated[
    str, AfterValidator(_check_jurisdiction), Field(json_schema_extra={"enum": list(JURISDICTIONS)})
]


class JobSpec(_Open):
    # JSON Resume job schema
    title: str = Field(min_length=1)
    company: TextOr[Company] | None = None
    type: str | None = None
    date: PartialDay | None = None  # JSON Resume: YYYY, YYYY-MM or YYYY-MM-DD
    description: str | None = None
    location: Location | None = None
    remote: TextOr[Remote] | None = None
    salary: TextOr[Salary] | None = None
    experience: str | None = None
    responsibilities: list[str] = Field(default_factory=list)
    qualifications: list[str] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    meta: Meta | None = None
    # csmctl
    mission: str | None = None
    level: Literal["associate", "csm", "senior", "lead", "manager"] | None = None
    segment: str | None = None
    book_size: BookSize | None = None
    outcomes: Outcomes | None = None
    traits: list[str] = Field(default_factory=list)
    employment_type: (
        Annotated[
            Annotated[list[EmploymentType], Tag("list")] | Annotated[EmploymentType, Tag("one")],
            Discriminator(lambda v: "list" if isinstance(v, list) else "one"),
        ]
        | None
    ) = None
    valid_through: dt.date | None = None
    how_to_apply: HowToApply | None = None
    direct_apply: bool | None = None
    identifier: str | int | None = None
    lang: Literal["en", "ja"] | None = None  # the documents' language when --lang is not given
    jurisdictions: list[Jurisdiction] | None = None  # posting laws to check; inferred when absent
    benefits: list[str] = Field(default_factory=list)  # benefits and other compensation, in words
    scope_of_change: ScopeOfChange | None = None
    contract_renewal: str | None = None  # renewal criteria of a fixed-term contract
    interview_questions: list[str] = Field(default_factory=list)  # added to the kit's screening stage

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("remote")
    @classmethod
    def _remote_word(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() not in _REMOTE_WORDS:
            raise ValueError("remote must be Full, Hybrid or None, or a mapping with policy and countries")
        return value

    @field_validator("traits")
    @classmethod
    def _traits(cls, value: list[str]) -> list[str]:
        if any(not trait.strip() for trait in value):
            raise ValueError("a trait cannot be empty")
        return value

    @model_validator(mode="after")
    def _dates(self) -> JobSpec:
        if self.date and self.valid_through and self.valid_through < self.date.first_day():
            raise ValueError("valid_through is before the posting date")
        return self

    def posted(self, today: dt.date) -> str:
        """The posting date as written (``2024-07`` stays a month: ISO 8601 allows it), else today."""
        return str(self.date) if self.date else today.isoformat()


KNOWN_KEYS = tuple(JobSpec.model_fields)


@dataclass
class CheckedSpec:
    spec: JobSpec
    locate: Any  # sources.Locator
    salary_min: Money | None = None
    salary_max: Money | None = None
    ote_min: Money | None = None
    ote_max: Money | None = None
    book_arr: Money | None = None
    employment_types: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.locate.path

    @property
    def company_name(self) -> str | None:
        company = self.spec.company
        return company.name if isinstance(company, Company) else company

    @property
    def remote_policy(self) -> str | None:
        """full, hybrid or none (from either spelling of ``remote``)."""
        remote = self.spec.remote
        if isinstance(remote, Remote):
            return remote.policy
        if isinstance(remote, str):
            return _REMOTE_WORDS.get(remote.strip().lower())
        return None


def load_spec(path: Path | str, *, today: date) -> CheckedSpec:
    from csmctl.documents.sources import load_document

    data, locate = load_document(path)
    return check_spec(data, locate, today=today)


def check_spec(data: dict[str, Any], locate, *, today: date) -> CheckedSpec:
    """Validate ``data``; raise InvalidInput with every error; return the spec and its warnings."""
    from csmctl.documents.sources import validation_problems

    try:
        spec = JobSpec.model_validate(data)
    except ValidationError as error:
        problems = _dedupe_union_noise(validation_problems(error, locate))
        raise _invalid(locate.path, problems) from None
    checked = CheckedSpec(spec, locate)

    def warning(message: str, key: tuple, hint: str | None = None) -> None:
        checked.warnings.append(locate.problem(message, key, hint=hint))

    for key in data:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
            warning(
                "unknown field, kept but not used",
                (key,),
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
    if isinstance(spec.salary, Salary):
        money = spec.salary._money
        checked.salary_min, checked.salary_max = money["min"], money["max"]
        checked.ote_min, checked.ote_max = money["ote_min"], money["ote_max"]
    book = spec.book_size
    if book and book.arr is not None:
        currency = book.currency or (spec.salary.currency if isinstance(spec.salary, Salary) else None)
        if not currency:
            raise _invalid(
                locate.path,
                [
                    locate.problem(
                        "book_size.arr needs a currency",
                        ("book_size", "arr"),
                        hint="add book_size.currency: USD",
                    )
                ],
            )
        try:
            checked.book_arr = parse_amount(str(book.arr), currency)
        except CsmctlError as error:
            raise _invalid(locate.path, [locate.problem(error.message, ("book_size", "arr"))]) from None
    if spec.segment is not None and spec.segment.lower() not in SEGMENTS:
        warning(f"segment is not one of {', '.join(SEGMENTS)}", ("segment",))
    given = spec.employment_type
    if given is not None:
        checked.employment_types = list(dict.fromkeys([given] if isinstance(given, str) else given))
    elif spec.type:
        mapped = _TYPE_WORDS.get(spec.type.strip().lower())
        if mapped:
            checked.employment_types = [mapped]
        else:
            warning(
                "type is not a known employment type, so the posting has no employmentType",
                ("type",),
                hint="add employment_type: FULL_TIME (or PART_TIME, CONTRACTOR...)",
            )
    if spec.valid_through and spec.valid_through < today:
        warning(
            f"valid_through {spec.valid_through.isoformat()} is in the past",
            ("valid_through",),
            hint="search engines drop expired postings; move the date or close the posting",
        )
    checked.warnings.sort(key=lambda p: (p.line or 0, p.field or ""))
    return checked


def _invalid(path: str, problems: list[Problem]) -> InvalidInput:
    count = len(problems)
    if count == 1:
        return InvalidInput(problems)
    return InvalidInput(
        problems, summary=f"{path}: {count} problem{'s' if count != 1 else ''} in the job spec:"
    )


def _dedupe_union_noise(problems: list[Problem]) -> list[Problem]:
    """Identical messages at one key (a list and a single value both failing) are shown once."""
    seen: set[tuple] = set()
    out = []
    for problem in problems:
        if (problem.field, problem.message) not in seen:
            seen.add((problem.field, problem.message))
            out.append(problem)
    return out
