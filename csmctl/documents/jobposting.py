"""The schema.org JobPosting (JSON-LD) for a job spec, shaped for Google's job search.

Required by Google: title, description (HTML), datePosted, hiringOrganization, and jobLocation
with an addressCountry, or, for a fully remote job, jobLocationType TELECOMMUTE plus
applicantLocationRequirements. Recommended ones are added when the spec has them: baseSalary
(MonetaryAmount with a QuantitativeValue min/max and unitText), employmentType, validThrough,
directApply, identifier; jobBenefits from ``benefits``. Values come straight from the spec, never
from built-in wording. ``gaps(checked)`` says which required (errors) and recommended (warnings)
properties the spec cannot fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from csmctl.documents.jobspec import CheckedSpec, Company, Remote, Salary
from csmctl.domain.money import Money

UNIT_TEXT = {"year": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY", "hour": "HOUR"}


@dataclass(frozen=True)
class Gap:
    """A JobPosting property Google requires (``error``) or recommends (``warning``) that the spec
    cannot fill; ``key`` is the spec key to add."""

    severity: str
    prop: str
    key: tuple
    message: str
    hint: str


def gaps(checked: CheckedSpec) -> list[Gap]:
    """What Google's job search would reject (errors) or show less well (warnings).

    Required: title, description, datePosted, hiringOrganization, and jobLocation unless the job is
    fully remote (jobLocationType TELECOMMUTE) with applicantLocationRequirements. Recommended:
    baseSalary, employmentType, validThrough, identifier, directApply."""
    spec = checked.spec
    out: list[Gap] = []

    def gap(severity: str, prop: str, key: tuple, message: str, hint: str) -> None:
        out.append(Gap(severity, prop, key, message, hint))

    if not (spec.description or spec.responsibilities or spec.mission):
        gap(
            "error",
            "description",
            (),
            "no description, responsibilities or mission for the posting's description",
            "add description: what the job is, in a few sentences",
        )
    if not checked.company_name:
        gap(
            "error",
            "hiringOrganization",
            (),
            "no company, so the posting has no hiringOrganization",
            "add company: {name: ..., url: https://...}",
        )
    remote = spec.remote if isinstance(spec.remote, Remote) else None
    has_place = bool(spec.location and spec.location.countryCode)
    if checked.remote_policy == "full":
        if not (remote and (remote.countries or remote.regions)):
            gap(
                "error",
                "applicantLocationRequirements",
                ("remote",),
                "fully remote, but no countries or regions candidates may live in",
                "add remote: {policy: full, countries: [US]} (ISO codes) or remote.regions",
            )
    elif not has_place:
        gap(
            "error",
            "jobLocation",
            ("location",),
            "no location country for a job that is not fully remote",
            "add location: {city: ..., countryCode: US}; or, for a remote job, "
            "remote: {policy: full, countries: [...]}",
        )
    if spec.date is None:
        gap(
            "warning",
            "datePosted",
            (),
            "no date, so datePosted is the day you render",
            "add date: YYYY-MM-DD",
        )
    if not (isinstance(spec.salary, Salary) and (checked.salary_min or checked.salary_max)):
        gap(
            "warning",
            "baseSalary",
            ("salary",) if spec.salary is not None else (),
            "no salary range job boards can read"
            if spec.salary is None
            else "salary is free text, not a range",
            "add salary: {min, max, currency, period}; several places require pay ranges in postings",
        )
    if not checked.employment_types:
        gap("warning", "employmentType", (), "no employment type", "add employment_type: FULL_TIME")
    if spec.valid_through is None:
        gap("warning", "validThrough", (), "no closing date", "add valid_through: YYYY-MM-DD")
    if spec.identifier is None:
        gap("warning", "identifier", (), "no reference number", "add identifier: your requisition id")
    if spec.direct_apply is None:
        gap(
            "warning",
            "directApply",
            (),
            "does not say whether candidates can apply on the posting's page",
            "add direct_apply: true or false",
        )
    return out


def _number(money: Money) -> int | float:
    value: Decimal = money.major
    return int(value) if value == value.to_integral_value() else float(value)


def jobposting(checked: CheckedSpec, *, description_html: str, today: date) -> dict[str, Any]:
    spec = checked.spec
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": spec.title,
        "description": description_html,
        "datePosted": spec.posted(today),
    }
    if spec.valid_through:
        data["validThrough"] = spec.valid_through.isoformat()
    organization: dict[str, Any] = {"@type": "Organization"}
    if checked.company_name:
        organization["name"] = checked.company_name
    if isinstance(spec.company, Company):
        if spec.company.url:
            organization["sameAs"] = spec.company.url
        if spec.company.logo:
            organization["logo"] = spec.company.logo
    data["hiringOrganization"] = organization

    location = spec.location
    if location and any(
        [location.address, location.city, location.region, location.postalCode, location.countryCode]
    ):
        address: dict[str, Any] = {"@type": "PostalAddress"}
        for key, part in (
            ("streetAddress", location.address),
            ("addressLocality", location.city),
            ("addressRegion", location.region),
            ("postalCode", location.postalCode),
            ("addressCountry", location.countryCode),
        ):
            if part:
                address[key] = part
        data["jobLocation"] = {"@type": "Place", "address": address}
    if checked.remote_policy == "full":
        data["jobLocationType"] = "TELECOMMUTE"
        remote = spec.remote if isinstance(spec.remote, Remote) else None
        if remote and (remote.countries or remote.regions):
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": code} for code in remote.countries
            ] + [{"@type": "AdministrativeArea", "name": region} for region in remote.regions]

    if checked.employment_types:
        types = checked.employment_types
        data["employmentType"] = types[0] if len(types) == 1 else list(types)
    if isinstance(spec.salary, Salary) and (checked.salary_min or checked.salary_max):
        amount: dict[str, Any] = {"@type": "QuantitativeValue"}
        low, high = checked.salary_min, checked.salary_max
        if low and high and low == high:
            amount["value"] = _number(low)
        else:
            if low:
                amount["minValue"] = _number(low)
            if high:
                amount["maxValue"] = _number(high)
        amount["unitText"] = UNIT_TEXT[spec.salary.period]
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": spec.salary.currency, "value": amount}
        if spec.salary.bonus:
            data["incentiveCompensation"] = spec.salary.bonus
    if spec.benefits:
        data["jobBenefits"] = "\n".join(spec.benefits)
    if spec.direct_apply is not None:
        data["directApply"] = spec.direct_apply
    if spec.identifier is not None:
        data["identifier"] = {
            "@type": "PropertyValue",
            "name": checked.company_name or spec.title,
            "value": str(spec.identifier),
        }
    if spec.experience:
        data["experienceRequirements"] = spec.experience
    if spec.qualifications:
        data["qualifications"] = "\n".join(spec.qualifications)
    if spec.responsibilities:
        data["responsibilities"] = "\n".join(spec.responsibilities)
    if spec.skills:
        data["skills"] = ", ".join(skill.label for skill in spec.skills)
    if spec.how_to_apply and spec.how_to_apply.url:
        data["url"] = spec.how_to_apply.url
    return data
