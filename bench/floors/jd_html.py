"""Stack floor for `csmctl jd render -f html` (NOT a same-output baseline).

The least any program must do for that job on csmctl's required stack: a Typer command line; a
pydantic model of the job spec with as many fields and nested models as csmctl's (plain types, no
custom validators or messages); `yaml.safe_load` of the spec (LibYAML when present); validation;
money and dates worded for the reader with Babel; one Jinja template from a file with autoescape,
through Jinja's bytecode cache (as csmctl); the file written. No template sandbox, no error
locations, no JSON-LD rules, no warnings. Typer's own pydantic coercion of the two parameters
(~8 ms) is in; csmctl coerces its own (cli/coercion.py).

If this script alone is over `jd render -f html`'s goal (1.3x the bare imports of typer, jinja2,
yaml, pydantic and babel), the goal cannot be met on this stack.

    python bench/floors/jd_html.py job.yaml -o posting.html
"""

# ruff: noqa: E402  (the collector is paused before the imports below)
from __future__ import annotations

import gc

gc.disable()  # start-up pauses the cycle collector, as csmctl does (csmctl/collector.py)

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from floorlib import jinja_env, load_yaml
from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Amount = int | float | str


class Location(Open):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class Skill(Open):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Meta(Open):
    canonical: str | None = None
    version: str | None = None
    lastModified: str | dt.date | None = None


class Range(Closed):
    min: Amount | None = None
    max: Amount | None = None


class Salary(Closed):
    min: Amount | None = None
    max: Amount | None = None
    currency: str
    period: Literal["year", "month", "week", "day", "hour"] = "year"
    bonus: str | None = None
    ote: Range | None = None


class Remote(Closed):
    policy: Literal["full", "hybrid", "none"]
    countries: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    time_zones: str | None = None


class BookSize(Closed):
    accounts: int | None = Field(default=None, ge=0)
    arr: Amount | None = None
    currency: str | None = None


class Outcomes(Closed):
    first_90_days: list[str] = Field(default_factory=list)
    first_year: list[str] = Field(default_factory=list)


class HowToApply(Closed):
    url: str | None = None
    email: str | None = None
    instructions: str | None = None


class Company(Closed):
    name: str
    url: str | None = None
    logo: str | None = None


class ScopeOfChange(Closed):
    duties: str | None = None
    work_location: str | None = None


class JobSpec(Open):
    title: str = Field(min_length=1)
    company: str | Company | None = None
    type: str | None = None
    date: dt.date | str | None = None
    description: str | None = None
    location: Location | None = None
    remote: str | Remote | None = None
    salary: str | Salary | None = None
    experience: str | None = None
    responsibilities: list[str] = Field(default_factory=list)
    qualifications: list[str] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    meta: Meta | None = None
    mission: str | None = None
    level: Literal["associate", "csm", "senior", "lead", "manager"] | None = None
    segment: str | None = None
    book_size: BookSize | None = None
    outcomes: Outcomes | None = None
    traits: list[str] = Field(default_factory=list)
    employment_type: list[str] | str | None = None
    valid_through: dt.date | None = None
    how_to_apply: HowToApply | None = None
    direct_apply: bool | None = None
    identifier: str | int | None = None
    lang: Literal["en", "ja"] | None = None
    jurisdictions: list[str] | None = None
    benefits: list[str] = Field(default_factory=list)
    scope_of_change: ScopeOfChange | None = None
    contract_renewal: str | None = None
    interview_questions: list[str] = Field(default_factory=list)


app = typer.Typer()


@app.command()
def render(spec: Path, out: Annotated[Path, typer.Option("-o")]) -> None:
    from babel.dates import format_date
    from babel.numbers import format_currency
    from jinja2 import select_autoescape

    gc.freeze()  # start-up is over: freeze what it made, collect as usual from here
    gc.enable()

    job = JobSpec.model_validate(load_yaml(spec))
    locale = "ja_JP" if job.lang == "ja" else "en_US"

    def money(amount: Amount | None, currency: str) -> str:
        return format_currency(amount, currency, format="¤#,##0", locale=locale, currency_digits=False)

    facts = [("Company", job.company.name if isinstance(job.company, Company) else job.company)]
    if isinstance(job.salary, Salary):
        pay = job.salary
        facts.append(("Salary", f"{money(pay.min, pay.currency)} - {money(pay.max, pay.currency)}"))
        if pay.ote:
            facts.append(("OTE", f"{money(pay.ote.min, pay.currency)} - {money(pay.ote.max, pay.currency)}"))
    if job.book_size and job.book_size.arr is not None:
        facts.append(("Book", money(job.book_size.arr, job.book_size.currency or "USD")))
    if isinstance(job.date, dt.date):
        facts.append(("Posted", format_date(job.date, format="long", locale=locale)))
    if job.valid_through:
        facts.append(("Valid through", format_date(job.valid_through, format="long", locale=locale)))
    env = jinja_env(out, autoescape=select_autoescape(), trim_blocks=True)
    jsonld = json.dumps(job.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2)
    text = env.get_template("posting.html.j2").render(
        job=job,
        company=facts[0][1],
        facts=[f for f in facts if f[1]],
        jsonld=jsonld.replace("<", "\\u003c"),
    )
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()
