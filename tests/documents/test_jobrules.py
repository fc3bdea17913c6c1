"""Posting laws in `jd lint`: golden output per jurisdiction, every rule fires and clears, effective
dates against --as-of, inference from the location, and the kit's pay-history guard."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from csmctl.documents import jobrules
from csmctl.documents.hiring import kit_context
from csmctl.documents.jobspec import JURISDICTIONS, load_spec

FIXTURES = Path(__file__).parent / "fixtures" / "jurisdictions"
AS_OF = "2026-11-23"
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("place", ["US-NY-NYC", "US-CA", "US-WA", "US-CO", "EU", "JP"])
def test_golden_lint_per_jurisdiction(cli, golden, place):
    result = cli("--as-of", AS_OF, "jd", "lint", str(FIXTURES / f"{place}.yaml"), "-f", "md")
    assert result.exit_code == 3
    golden(f"hiring/lint.{place}.md", result.stdout.replace(str(FIXTURES) + "/", ""))


# A spec that satisfies every rule of every jurisdiction; each breaker undoes one requirement.
COMPLIANT = {
    "title": "Customer Success Manager",
    "company": "Northwind Ltd",
    "description": "Look after 40 customers.",
    "type": "Fixed-term contract",
    "employment_type": "TEMPORARY",
    "location": {"city": "New York", "region": "NY", "countryCode": "US"},
    "salary": {"min": 90000, "max": 120000, "currency": "USD"},
    "benefits": ["Health insurance"],
    "valid_through": "2027-01-31",
    "scope_of_change": {"duties": "CS work", "work_location": "Any office"},
    "contract_renewal": "Renewed yearly on performance, at most four times",
    "interview_questions": ["What pay do you expect?"],
    "jurisdictions": list(JURISDICTIONS),
}
BREAK = {
    "range": lambda s: s["salary"].pop("max"),
    "starting": lambda s: s.pop("salary"),
    "history": lambda s: s["interview_questions"].append("What is your current base salary?"),
    "benefits": lambda s: s.pop("benefits"),
    "close": lambda s: s.pop("valid_through"),
    "exclusion": lambda s: s.update(description="Remote in the US, excluding Colorado."),
    "title": lambda s: s.update(title="Customer Success Salesman"),
    "scope": lambda s: s["scope_of_change"].pop("work_location"),
    "renewal": lambda s: s.pop("contract_renewal"),
}
BREAKS = {
    "nyc-pay-range": "range",
    "nys-pay-range": "range",
    "ca-pay-scale": "range",
    "wa-pay-range": "range",
    "co-pay-range": "range",
    "eu-pay-info": "starting",
    "wa-benefits": "benefits",
    "co-benefits": "benefits",
    "co-close-date": "close",
    "co-no-exclusion": "exclusion",
    "eu-neutral-title": "title",
    "jp-scope-of-change": "scope",
    "jp-renewal": "renewal",
}


def _findings(tmp_path, data, as_of=TODAY) -> set[str]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return {f.rule.id for f in jobrules.check(load_spec(path, today=TODAY), as_of)}


def test_every_rule_has_a_breaker():
    assert {r.id for r in jobrules.RULES} == set(BREAKS) | {
        r.id for r in jobrules.RULES if r.id.endswith("-pay-history")
    }


@pytest.mark.parametrize("rule", jobrules.RULES, ids=lambda r: r.id)
def test_each_rule_fires_and_clears(tmp_path, rule):
    assert _findings(tmp_path, COMPLIANT) == set()
    broken = json.loads(json.dumps(COMPLIANT))
    BREAK[BREAKS.get(rule.id, "history")](broken)
    assert rule.id in _findings(tmp_path, broken)
    assert rule.source and rule.fix and rule.jurisdiction in JURISDICTIONS


@pytest.mark.parametrize("rule", jobrules.RULES, ids=lambda r: r.id)
def test_a_rule_is_silent_before_it_takes_effect(tmp_path, rule):
    broken = json.loads(json.dumps(COMPLIANT))
    BREAK[BREAKS.get(rule.id, "history")](broken)
    before = date.fromordinal(rule.effective.toordinal() - 1)
    assert rule.id not in _findings(tmp_path, broken, as_of=before)
    assert rule.id in _findings(tmp_path, broken, as_of=rule.effective)


def test_as_of_on_the_command_line(cli):
    spec = str(FIXTURES / "EU.yaml")
    before = cli("--as-of", "2026-06-06", "jd", "lint", spec, "-f", "json")
    after = cli("--as-of", "2026-06-07", "jd", "lint", spec, "-f", "json")
    rules_before = {row["rule"] for row in json.loads(before.stdout)}
    rules_after = {row["rule"] for row in json.loads(after.stdout)}
    assert not any(r.startswith("eu-") for r in rules_before)
    assert {"eu-pay-info", "eu-neutral-title", "eu-pay-history"} <= rules_after


@pytest.mark.parametrize(
    "spec,expected",
    [
        ({"location": {"city": "Brooklyn", "region": "NY", "countryCode": "US"}}, ["US-NY-NYC", "US-NY"]),
        ({"location": {"city": "Albany", "region": "New York", "countryCode": "US"}}, ["US-NY"]),
        ({"location": {"city": "Denver", "region": "CO", "countryCode": "US"}}, ["US-CO"]),
        ({"location": {"city": "Austin", "region": "TX", "countryCode": "US"}}, []),
        ({"location": {"city": "Paris", "countryCode": "FR"}}, ["EU"]),
        ({"location": {"city": "London", "countryCode": "GB"}}, []),
        ({"location": {"city": "Osaka", "countryCode": "JP"}}, ["JP"]),
        (
            {"remote": {"policy": "full", "countries": ["US"]}},
            ["US-NY-NYC", "US-NY", "US-CA", "US-WA", "US-CO"],
        ),
        ({"remote": {"policy": "full", "countries": ["US"], "regions": ["WA"]}}, ["US-WA"]),
        ({"remote": {"policy": "hybrid", "countries": ["US"]}}, []),  # hybrid: the office decides
        ({"remote": {"policy": "full", "countries": ["DE", "JP"]}}, ["EU", "JP"]),
        ({"jurisdictions": ["us-ca"], "location": {"countryCode": "JP"}}, ["US-CA"]),  # given wins
    ],
)
def test_jurisdictions_inferred_from_location_and_remote_policy(tmp_path, spec, expected):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({"title": "CSM", **spec}))
    assert jobrules.jurisdictions(load_spec(path, today=TODAY)) == expected


def test_unknown_jurisdiction_is_an_error(cli, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("title: CSM\njurisdictions: [US-TX]\n")
    result = cli("jd", "lint", str(path))
    assert result.exit_code == 1
    assert "jurisdictions[0]: unknown jurisdiction 'US-TX': use US-NY-NYC, US-NY" in result.stderr


@pytest.mark.parametrize(
    "question,asks",
    [
        ("What is your current salary?", True),
        ("What did you earn in your last job?", True),
        ("Tell us about your salary history.", True),
        ("現在の年収を教えてください。", True),
        ("What pay do you expect?", False),
        ("What salary range are you looking for?", False),
        ("希望年収を教えてください。", False),
    ],
)
def test_pay_history_questions_are_recognised(question, asks):
    assert jobrules.asks_pay_history(question) is asks


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_kit_drops_pay_history_questions_where_a_jurisdiction_forbids_them(tmp_path, lang):
    data = {
        "title": "CSM",
        "interview_questions": ["What is your current salary?", "What pay do you expect?"],
    }

    def kit_questions(extra: dict) -> list[str]:
        path = tmp_path / "spec.yaml"
        path.write_text(yaml.safe_dump({**data, **extra}))
        stages = kit_context(load_spec(path, today=TODAY), lang, TODAY)["stages"]
        return [q["text"] for stage in stages for q in stage["questions"]]

    texas = kit_questions({"location": {"city": "Austin", "region": "TX", "countryCode": "US"}})
    assert "What is your current salary?" in texas and "What pay do you expect?" in texas
    for place in ("US-NY-NYC", "US-NY", "US-CA", "US-WA", "US-CO", "EU"):
        questions = kit_questions({"jurisdictions": [place]})
        assert not any(jobrules.asks_pay_history(q) for q in questions), place
        assert "What pay do you expect?" in questions


def test_rules_are_listed_with_source_and_effective_date(cli):
    rows = json.loads(cli.ok("jd", "lint", "--rules", "-f", "json").stdout)
    assert [row["id"] for row in rows] == [r.id for r in jobrules.RULES]
    nyc = rows[0]
    assert nyc == {
        "id": "nyc-pay-range",
        "jurisdiction": "US-NY-NYC",
        "place": "New York City",
        "effective": "2022-11-01",
        "source": "NYC Human Rights Law, N.Y.C. Admin. Code § 8-107(32) (Local Laws 32 and 59 of 2022)",
        "checks": "the posting must state the good-faith minimum and maximum salary",
        "fix": "add salary.min and salary.max: the range you believe in good faith you would pay",
    }
    assert {row["jurisdiction"] for row in rows} == set(JURISDICTIONS)


@pytest.mark.parametrize("policy", ["full", "hybrid", "none"])
def test_kit_logistics_question_follows_the_remote_policy(tmp_path, policy):
    from csmctl.documents.hiring_content import LOGISTICS_QUESTIONS

    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({"title": "CSM", "remote": {"policy": policy, "countries": ["US"]}}))
    screening = kit_context(load_spec(path, today=TODAY), "en", TODAY)["stages"][0]["questions"]
    texts = [q["text"] for q in screening]
    assert LOGISTICS_QUESTIONS[policy]["text"]["en"] in texts
    others = [LOGISTICS_QUESTIONS[p]["text"]["en"] for p in LOGISTICS_QUESTIONS if p != policy]
    assert not set(others) & set(texts)


def _en_labels() -> list[str]:
    """Every English label and enum value of the hiring documents (those that differ from Japanese)."""
    from csmctl.documents.hiring_content import LABELS, pick

    out: list[str] = []

    def walk(en, ja):
        if isinstance(en, dict):
            for key in en:
                walk(en[key], ja[key])
        elif en != ja and en not in ja:
            out.extend(part.strip() for part in en.split("{")[0].split("(")[0:1] if len(part.strip()) > 3)

    walk(pick(LABELS, "en"), pick(LABELS, "ja"))
    return sorted(set(out))


@pytest.mark.parametrize("level", ["associate", "csm", "manager"])
def test_japanese_documents_contain_no_english_labels(cli, tmp_path, level):
    spec = tmp_path / "ja.yaml"
    cli.ok(
        "jd",
        "new",
        "--lang",
        "ja",
        "--level",
        level,
        "--company",
        "ノースウィンド株式会社",
        "--apply-url",
        "https://northwind.example/jobs",
        "-o",
        str(spec),
    )
    assert "lang: ja" in spec.read_text()
    labels = _en_labels()
    assert {"Experience", "Full-time", "Hybrid", "Base salary", "Interview kit"} <= set(labels)
    outputs = []
    for command, fmt in [("render", f) for f in ("md", "html", "txt", "jsonld")] + [
        ("kit", "md"),
        ("kit", "html"),
        ("scorecard", "md"),
        ("scorecard", "csv"),
    ]:
        outputs.append(cli.ok("jd", command, str(spec), "-f", fmt).stdout)  # no --lang: the spec's lang
    import re

    for text in outputs:  # whole words: JSON-LD's property names (jobLocation) are not labels
        found = [
            label for label in labels if re.search(rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])", text)
        ]
        assert found == [], found
    posting = outputs[0]
    assert "経験:" in posting and "Mid level" not in posting and "Senior" not in posting
    assert "2026年11月23日" in posting or "年" in posting


def test_spec_lang_picks_the_document_language_and_lang_overrides_it(cli, tmp_path):
    spec = tmp_path / "ja.yaml"
    cli.ok("jd", "new", "--lang", "ja", "-o", str(spec))
    assert "- **会社:** 株式会社サンプル" in cli.ok("jd", "render", str(spec)).stdout
    assert "- **Company:** 株式会社サンプル" in cli.ok("jd", "render", str(spec), "--lang", "en").stdout


# Each rule's source and start date, as checked against the sources cited above RULES.
CITED = {
    "nyc-pay-range": ("§ 8-107(32) (Local Laws 32 and 59 of 2022)", date(2022, 11, 1)),
    "nyc-pay-history": ("§ 8-107(25) (Local Law 67 of 2017)", date(2017, 10, 31)),
    "nys-pay-range": ("Labor Law § 194-b", date(2023, 9, 17)),
    "nys-pay-history": ("Labor Law § 194-a", date(2020, 1, 6)),
    "ca-pay-scale": ("Labor Code § 432.3(c)(3) (SB 1162)", date(2023, 1, 1)),
    "ca-pay-history": ("Labor Code § 432.3(a)-(b)", date(2018, 1, 1)),
    "wa-pay-range": ("§ 49.58.110(1) (ESSB 5761)", date(2023, 1, 1)),
    "wa-benefits": ("§ 49.58.110(1) (ESSB 5761)", date(2023, 1, 1)),
    "wa-pay-history": ("§ 49.58.100(1)", date(2019, 7, 28)),
    "co-pay-range": ("Equal Pay for Equal Work Act, C.R.S. § 8-5-201", date(2021, 1, 1)),
    "co-benefits": ("Equal Pay for Equal Work Act, C.R.S. § 8-5-201", date(2021, 1, 1)),
    "co-close-date": ("§ 8-5-201 as amended by SB 23-105", date(2024, 1, 1)),
    "co-no-exclusion": ("7 CCR 1103-13", date(2021, 1, 1)),
    "co-pay-history": ("C.R.S. § 8-5-102(2)", date(2021, 1, 1)),
    "eu-pay-info": ("(EU) 2023/970, Art. 5(1)", date(2026, 6, 7)),
    "eu-neutral-title": ("(EU) 2023/970, Art. 5(3)", date(2026, 6, 7)),
    "eu-pay-history": ("(EU) 2023/970, Art. 5(2)", date(2026, 6, 7)),
    "jp-scope-of-change": ("職業安定法施行規則 第4条の2第3項", date(2024, 4, 1)),
    "jp-renewal": ("職業安定法施行規則 第4条の2第3項", date(2024, 4, 1)),
}


def test_every_rule_cites_its_source_and_start_date():
    assert {r.id for r in jobrules.RULES} == set(CITED)
    for rule in jobrules.RULES:
        cited, effective = CITED[rule.id]
        assert cited in rule.source and rule.effective == effective, rule.id
    # Colorado's posting duties were rewritten by SB 23-105: no longer cite the old subsection alone
    assert not any(r.source.endswith("8-5-201(2)") for r in jobrules.RULES)


def test_the_pay_range_rules_share_one_test():
    ranges = [r for r in jobrules.RULES if r.id.endswith(("-pay-range", "-pay-scale"))]
    assert len(ranges) == 5 and {r.test for r in ranges} == {jobrules._needs_range}
