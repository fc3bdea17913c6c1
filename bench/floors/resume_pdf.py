"""Stack floor for `csmctl resume render -f pdf` (NOT a same-output baseline).

The least any program must do for that job on csmctl's required stack: a Typer command line; a
pydantic model of JSON Resume with as many sections and nested models as csmctl's (plain types, no
custom validators or messages); `yaml.safe_load` of the resume (LibYAML when present); validation;
one Jinja template from a file (through Jinja's bytecode cache, as csmctl) rendering Typst markup,
escaping what Typst would read as markup; `typst` compiling it with its bundled fonts only
(csmctl's fast path; the system-font scan costs Typst ~55 ms more); the PDF written. Its document is
smaller and plainer than csmctl's theme, so its Typst part is at most what csmctl's is. Typer's own
pydantic coercion of the two parameters (~8 ms) is in; csmctl coerces its own (cli/coercion.py).

If this script alone is over the goal of `resume render -f pdf` (1.5x `typst.compile` of csmctl's
own .typ), the goal cannot be met on this stack.

    python bench/floors/resume_pdf.py resume.yaml -o resume.pdf
"""

# ruff: noqa: E402  (the collector is paused before the imports below)
from __future__ import annotations

import gc

gc.disable()  # start-up pauses the cycle collector, as csmctl does (csmctl/collector.py)

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from floorlib import jinja_env, load_yaml
from pydantic import BaseModel, ConfigDict, Field

Date = str | dt.date  # JSON Resume: YYYY, YYYY-MM or YYYY-MM-DD (YAML reads a full date as a date)


class Section(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class Location(Section):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class Profile(Section):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(Section):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Work(Section):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: Date | None = None
    endDate: Date | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Volunteer(Section):
    organization: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: Date | None = None
    endDate: Date | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(Section):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: Date | None = None
    endDate: Date | None = None
    score: str | None = None
    courses: list[str] = Field(default_factory=list)


class Award(Section):
    title: str | None = None
    date: Date | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(Section):
    name: str | None = None
    date: Date | None = None
    url: str | None = None
    issuer: str | None = None


class Publication(Section):
    name: str | None = None
    publisher: str | None = None
    releaseDate: Date | None = None
    url: str | None = None
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
    url: str | None = None
    roles: list[str] = Field(default_factory=list)
    entity: str | None = None
    type: str | None = None


class Meta(Section):
    canonical: str | None = None
    version: str | None = None
    lastModified: str | dt.datetime | dt.date | None = None


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


app = typer.Typer()


@app.command()
def render(resume: Path, out: Annotated[Path, typer.Option("-o")]) -> None:
    import typst

    gc.freeze()  # start-up is over: freeze what it made, collect as usual from here
    gc.enable()

    data = Resume.model_validate(load_yaml(resume))
    special = str.maketrans({c: "\\" + c for c in "\\#$*_`<>@[]~/=-+"})
    env = jinja_env(out, trim_blocks=True, lstrip_blocks=True)
    env.filters["typst"] = lambda value: str(value or "").translate(special)
    source = env.get_template("resume.typ.j2").render(r=data)
    out.write_bytes(typst.compile(source.encode("utf-8"), format="pdf", ignore_system_fonts=True))


if __name__ == "__main__":
    app()
