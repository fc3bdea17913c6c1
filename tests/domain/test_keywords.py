"""Keyword matching: synonyms, related terms, locations, coverage; deterministic and explainable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.keywords import (
    CONCEPTS,
    RELATED,
    JobTerm,
    concept_of,
    find_concepts,
    job_terms,
    match,
    stem,
    tokens,
)


def test_tokens_lowercase_split_and_stem():
    assert tokens("Ran QBRs & on-boarding; renewals (companies)") == (
        "ran",
        "qbr",
        "on",
        "boarding",
        "renewal",
        "company",
    )
    assert stem("process") == "process" and stem("status") == "status" and stem("nps") == "nps"


def test_concept_of_whole_terms():
    assert concept_of("Net Revenue Retention") == "NRR"
    assert concept_of("QBRs") == "QBR"
    assert concept_of("quarterly business reviews") == "QBR"
    assert concept_of("Stakeholder mapping") is None


def test_find_concepts_prefers_the_longest_phrase_and_keeps_first_mention_order():
    text = "Run executive business reviews; improve gross revenue retention and NRR; reduce churn."
    assert find_concepts(text) == ["EBR", "GRR", "NRR", "churn"]


def test_job_terms_from_a_json_resume_job():
    spec = {
        "title": "Customer Success Manager",
        "skills": [
            {"name": "Metrics", "keywords": ["Net revenue retention", "CSAT"]},
            {"name": "Stakeholder mapping"},
        ],
        "responsibilities": ["Run QBRs", "Own renewals and NRR"],
    }
    terms = job_terms(spec)
    assert [(t.term, t.source, t.concept) for t in terms] == [
        ("Net revenue retention", "skills[0].keywords[0]", "NRR"),
        ("CSAT", "skills[0].keywords[1]", "CSAT"),
        ("Stakeholder mapping", "skills[1].name", None),
        ("CSM", "title", "CSM"),
        ("QBR", "responsibilities", "QBR"),
        ("renewals", "responsibilities", "renewals"),  # NRR is not repeated: already asked as a skill
    ]


def test_job_terms_from_a_plain_posting():
    posting = "We need a CSM to run onboarding, EBRs and churn analysis in Gainsight."
    assert [t.term for t in job_terms(posting=posting)] == ["CSM", "onboarding", "EBR", "churn", "Gainsight"]


# Fixture pairs: (job term, resume passages) -> (kind, matched phrase, where)
PAIRS = [
    (
        "NRR",
        [("work[0].highlights[0]", "Raised net revenue retention to 112%")],
        ("synonym", "net revenue retention", ("work[0].highlights[0]",)),
    ),
    (
        "net revenue retention",
        [("work[0].highlights[0]", "NRR up from 99% to 108%")],
        ("synonym", "NRR", ("work[0].highlights[0]",)),
    ),
    (
        "QBR",
        [("work[1].highlights[2]", "Ran quarterly business reviews for 30 accounts")],
        ("synonym", "quarterly business review", ("work[1].highlights[2]",)),
    ),
    (
        "churn",
        [("basics.summary", "Improved customer retention by 5 points")],
        ("related", "customer retention", ("basics.summary",)),
    ),
    (
        "GRR",
        [("work[0].highlights[1]", "Kept gross retention at 95%")],
        ("synonym", "gross retention", ("work[0].highlights[1]",)),
    ),
    (
        "CSAT",
        [("work[0].highlights[0]", "Customer satisfaction rose to 4.8/5")],
        ("synonym", "customer satisfaction", ("work[0].highlights[0]",)),
    ),
    (
        "NPS",
        [("work[0].highlights[0]", "Net Promoter Score +42")],
        ("synonym", "net promoter score", ("work[0].highlights[0]",)),
    ),
    (
        "EBR",
        [("work[0].highlights[0]", "Led executive business reviews with sponsors")],
        ("synonym", "executive business review", ("work[0].highlights[0]",)),
    ),
    (
        "onboarding",
        [("skills[0].keywords[0]", "Customer onboarding"), ("work[0].summary", "Onboarding lead")],
        ("exact", "onboarding", ("skills[0].keywords[0]", "work[0].summary")),
    ),
    (
        "onboarding",
        [("work[0].summary", "On-boarding lead")],
        ("synonym", "on boarding", ("work[0].summary",)),
    ),
    ("Salesforce", [("skills[1].keywords[0]", "SFDC")], ("synonym", "sfdc", ("skills[1].keywords[0]",))),
    ("Zendesk", [("skills[1].keywords[0]", "Salesforce")], (None, None, ())),
]


def test_fixture_pairs_including_synonyms():
    for term, passages, expected in PAIRS:
        result = match([JobTerm(term, "skills", concept_of(term))], passages).matches[0]
        assert (result.kind, result.matched, result.where) == expected, term


def test_exact_beats_synonym_beats_related():
    passages = [
        ("a", "Reduced churn by 3 points"),
        ("b", "Net retention 110%"),
        ("c", "Customer attrition down"),
    ]
    result = match([JobTerm("churn", "x", "churn")], passages).matches[0]
    assert (result.kind, result.where) == ("exact", ("a",))
    result = match([JobTerm("churn", "x", "churn")], passages[1:]).matches[0]
    assert (result.kind, result.matched, result.where) == ("synonym", "customer attrition", ("c",))


def test_coverage_counts_related_as_half_and_rounds_down():
    terms = [JobTerm("NRR", "s", "NRR"), JobTerm("churn", "s", "churn"), JobTerm("Zendesk", "s", "Zendesk")]
    coverage = match(terms, [("w", "NRR 110%, retention programme")])
    assert [m.kind for m in coverage.matches] == ["exact", "related", None]
    assert (coverage.covered, coverage.total, coverage.percent) == (2, 3, 50)
    assert [m.term for m in coverage.missing] == ["Zendesk"]
    assert match([], []).percent == 0


def test_related_is_symmetric_and_names_real_concepts():
    for name, others in RELATED.items():
        assert name in CONCEPTS
        for other in others:
            assert name in RELATED[other]


words = st.text(alphabet=st.sampled_from("abcdefgh -"), min_size=1, max_size=20)


@given(st.lists(words, min_size=1, max_size=6), st.lists(st.tuples(st.just("p"), words), max_size=5))
def test_coverage_is_a_percentage_and_deterministic(term_texts, passages):
    terms = [JobTerm(t, "s", concept_of(t)) for t in term_texts]
    first, second = match(terms, passages), match(terms, passages)
    assert first == second
    assert 0 <= first.percent <= 100
    assert first.covered + len(first.missing) == first.total == len(terms)


@given(words)
def test_a_term_is_always_found_in_its_own_words(text):
    if tokens(text):
        result = match([JobTerm(text, "s", concept_of(text))], [("p", f"did {text} well")]).matches[0]
        assert result.kind == "exact" and result.where == ("p",)
