"""The resume model: the JSON Resume schema (https://jsonresume.org/schema) as pydantic models.

Every section of the official schema is here. A schema key given as ``null`` is an error (the
schema allows none); unknown keys are kept (``extra="allow"``) and ignored, so a file made for
another JSON Resume tool is accepted as is. Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a
``PartialDate``); URLs and emails follow the shared rules of ``csmctl.domain.addresses``.
``parse_resume`` collects every problem with its key path and line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from csmctl.documents.field_types import Date, not_null
from csmctl.documents.sources import format_key_path
from csmctl.domain.addresses import Email, Url
from csmctl.errors import InvalidInput, Problem


def _number_as_text(value: Any) -> Any:
    """YAML reads a phone number, postal code or grade as a number; keep it as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):  # YAML reads a timestamp (meta.lastModified) as a date
        return value.isoformat()
    return value


LooseText = Annotated[str, BeforeValidator(_number_as_text)]


class Section(BaseModel):
    # defer_build: a section model builds its validator on first use; reading a resume builds
    # Resume's alone (its schema holds every section) instead of fifteen at import.
    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True, defer_build=True)

    # Declared keys only: unknown keys are kept whatever they hold.
    _not_null = field_validator("*", mode="before")(classmethod(lambda cls, value: not_null(value)))


class Location(Section):
    address: str | None = None
    postalCode: LooseText | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class Profile(Section):
    network: str | None = None
    username: str | None = None
    url: Url | None = None


class Basics(Section):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: Email | None = None
    phone: LooseText | None = None
    url: Url | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Work(Section):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: Url | None = None
    startDate: Date | None = None
    endDate: Date | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Volunteer(Section):
    organization: str | None = None
    position: str | None = None
    url: Url | None = None
    startDate: Date | None = None
    endDate: Date | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(Section):
    institution: str | None = None
    url: Url | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: Date | None = None
    endDate: Date | None = None
    score: LooseText | None = None
    courses: list[str] = Field(default_factory=list)


class Award(Section):
    title: str | None = None
    date: Date | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(Section):
    name: str | None = None
    date: Date | None = None
    url: Url | None = None
    issuer: str | None = None


class Publication(Section):
    name: str | None = None
    publisher: str | None = None
    releaseDate: Date | None = None
    url: Url | None = None
    summary: str | None = None


class Skill(Section):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Language(Section):
    language: str | None = None
    fluency: str | None = None


class Interest(Section):
    name: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Reference(Section):
    name: str | None = None
    reference: str | None = None


class Project(Section):
    name: str | None = None
    description: str | None = None
    highlights: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    startDate: Date | None = None
    endDate: Date | None = None
    url: Url | None = None
    roles: list[str] = Field(default_factory=list)
    entity: str | None = None
    type: str | None = None


class Meta(Section):
    canonical: Url | None = None
    version: LooseText | None = None
    lastModified: LooseText | None = None


class Resume(Section):
    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    publications: list[Publication] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    meta: Meta = Field(default_factory=Meta)

    def passages(self) -> list[tuple[str, str]]:
        """Every piece of text a reader (or an ATS) sees, with its key path, in resume order."""
        out: list[tuple[str, str]] = []

        def add(path: str, value: Any) -> None:
            if isinstance(value, str) and value.strip():
                out.append((path, value))

        b = self.basics
        add("basics.name", b.name)
        add("basics.label", b.label)
        add("basics.summary", b.summary)
        for section in (
            "work",
            "volunteer",
            "education",
            "awards",
            "certificates",
            "publications",
            "skills",
            "languages",
            "interests",
            "references",
            "projects",
        ):
            for i, item in enumerate(getattr(self, section)):
                for key in type(item).model_fields:  # unknown keys are kept, not shown
                    if key in _NOT_TEXT:
                        continue
                    value = getattr(item, key)
                    if isinstance(value, list):
                        for j, element in enumerate(value):
                            add(f"{section}[{i}].{key}[{j}]", element)
                    else:
                        add(f"{section}[{i}].{key}", value)
        return out


_NOT_TEXT = {"startDate", "endDate", "date", "releaseDate", "url", "score", "type"}


def load_resume(path: str) -> tuple[Resume, Callable[[Any], int | None]]:
    """Read and validate a resume file (YAML or JSON); every problem is located."""
    from csmctl.documents.sources import load_document

    data, locator = load_document(path, require_mapping=False)
    return parse_resume(data, path=str(path), locate=locator), locator


DATED_SECTIONS = ("work", "volunteer", "education", "projects")

_MESSAGES = {
    "string_type": "should be text",
    "list_type": "should be a list",
    "model_type": "should be a mapping of keys to values",
    "model_attributes_type": "should be a mapping of keys to values",
    "dict_type": "should be a mapping of keys to values",
}


def _clean_loc(loc: Sequence[str | int]) -> tuple[str | int, ...]:
    # pydantic adds the validator name for Annotated/union steps; keep only real keys
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "is-instance[")))


def parse_resume(
    data: Any, *, path: str | None = None, locate: Callable[[tuple[str | int, ...]], int | None] | None = None
) -> Resume:
    """Validate loaded JSON/YAML data as a resume; every problem is reported at once."""
    if not isinstance(data, dict):
        kind = (
            "an empty document"
            if data is None
            else "a list"
            if isinstance(data, list)
            else "a text value"
            if isinstance(data, str)
            else f"a {type(data).__name__}"
        )
        raise InvalidInput(
            Problem(
                f"a resume is a mapping with keys such as basics and work, not {kind}",
                path=path,
                line=1,
                hint="see `csmctl resume new` for the shape",
            )
        )
    try:
        return Resume.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            loc = _clean_loc(item["loc"])
            message = item["msg"]
            if item["type"] == "value_error":
                message = message.removeprefix("Value error, ")
            else:
                message = _MESSAGES.get(item["type"], message[:1].lower() + message[1:])
            value = item.get("input")
            shown = value if isinstance(value, str | int | float) and not isinstance(value, bool) else None
            problems.append(
                Problem(
                    message,
                    path=path,
                    line=locate(loc) if locate else None,
                    field=format_key_path(loc),
                    value=shown,
                )
            )
        count = len(problems)
        raise InvalidInput(
            problems, summary=f"{path or 'The resume'} has {count} problem{'s' if count != 1 else ''}:"
        ) from None
