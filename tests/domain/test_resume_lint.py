"""Resume lint: each rule on a small resume, and a clean resume has no findings."""

from __future__ import annotations

from datetime import date

from csmctl.documents.resume import parse_resume
from csmctl.domain.resume_lint import experience_years, lint

TODAY = date(2026, 11, 23)
BASICS = {
    "name": "Kim Lee",
    "email": "kim@example.com",
    "phone": "+81 3 0000 0000",
    "summary": "CSM with six years in SaaS. Runs a $2M ARR book.",
    "location": {"city": "Tokyo"},
}


def resume(**sections):
    data = {"basics": dict(BASICS), **sections}
    return parse_resume(data)


def rules(found):
    return [(f.rule, f.where) for f in found]


def test_a_clean_resume_has_no_findings():
    r = resume(
        work=[
            {"name": "A", "startDate": "2020-01", "highlights": ["NRR 112%"]},
            {"name": "B", "startDate": "2017-01", "endDate": "2019-12", "highlights": ["GRR 95%"]},
        ]
    )
    assert lint(r, TODAY) == []


def test_missing_contact_fields_and_summary():
    r = parse_resume({"basics": {"name": "Kim Lee"}})
    assert rules(lint(r, TODAY)) == [
        ("contact", "basics.email"),
        ("contact", "basics.phone"),
        ("contact", "basics.location"),
        ("summary", "basics.summary"),
    ]


def test_long_summary():
    r = parse_resume({"basics": {**BASICS, "summary": "One. Two. Three. Four."}})
    found = lint(r, TODAY)
    assert rules(found) == [("summary", "basics.summary")]
    assert found[0].message == "summary is long (4 sentences, 4 words)"


def test_achievements_without_numbers():
    r = resume(
        work=[
            {"name": "A", "startDate": "2024-01", "highlights": ["Managed accounts", "Cut churn 3%"]},
            {"name": "B", "startDate": "2022-01", "endDate": "2023-12"},
        ]
    )
    assert rules(lint(r, TODAY)) == [
        ("numbers", "work[0].highlights[0]"),
        ("achievements", "work[1].highlights"),
    ]


def test_inconsistent_date_formats_within_a_section():
    r = resume(
        work=[
            {"name": "A", "startDate": "2022-03", "highlights": ["1"]},
            {"name": "B", "startDate": "2019-01", "endDate": "2022-02", "highlights": ["2"]},
            {"name": "C", "startDate": "2016", "endDate": "2018-12-31", "highlights": ["3"]},
        ],
        education=[{"institution": "U", "startDate": "2012", "endDate": "2016"}],
    )
    found = lint(r, TODAY)
    assert rules(found) == [("date-format", "work[2].startDate"), ("date-format", "work[2].endDate")]
    assert found[0].message == "2016 is YYYY, the other work dates are YYYY-MM"


def test_gaps_between_jobs_and_since_the_last_one():
    r = resume(
        work=[
            {"name": "A", "startDate": "2021-01", "endDate": "2025-01", "highlights": ["1"]},
            {"name": "B", "startDate": "2018-01", "endDate": "2020-03", "highlights": ["2"]},
        ]
    )
    found = lint(r, TODAY)
    assert rules(found) == [("gap", "work[0].startDate"), ("gap", "work[0].endDate")]
    assert found[0].message == "9 months without a listed job before this one"
    assert found[1].message == "no job listed for the last 22 months"


def test_overlapping_jobs_are_not_a_gap_and_count_once():
    r = resume(
        work=[
            {"name": "A", "startDate": "2020-01", "highlights": ["1"]},
            {"name": "B", "startDate": "2019-01", "endDate": "2021-12", "highlights": ["2"]},
        ]
    )
    assert lint(r, TODAY) == []
    assert experience_years(r, TODAY) == (12 * 7 + 11) / 12  # 2019-01 .. 2026-11


def test_end_before_start_and_future_start():
    r = resume(
        work=[
            {"name": "A", "startDate": "2027-02", "highlights": ["1"]},
            {"name": "B", "startDate": "2020-05", "endDate": "2019-01", "highlights": ["2"]},
        ]
    )
    assert ("dates", "work[0].startDate") in rules(lint(r, TODAY))
    assert ("dates", "work[1].endDate") in rules(lint(r, TODAY))


def test_overlong_for_the_experience_level():
    long_line = "Grew renewals by 10% " + "across many accounts " * 20
    r = resume(
        work=[
            {"name": "A", "startDate": "2023-01", "highlights": [long_line] * 6},
            {"name": "B", "startDate": "2021-01", "endDate": "2022-12", "highlights": [long_line] * 6},
        ]
    )
    found = lint(r, TODAY)
    assert rules(found) == [("length", "")]
    assert found[0].message.endswith("words is long for 6 years of experience")
