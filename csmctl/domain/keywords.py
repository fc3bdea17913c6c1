"""Resume-to-job keyword matching: which of a job's skills and keywords a resume covers, and where.

Pure and deterministic: no network, no model, no clock. Text is cut into lower-case word tokens
(a light plural stem, so "renewals" finds "renewal"); a term is found when its tokens occur in a
row. Customer Success vocabulary is understood through ``CONCEPTS``: every phrase of a concept is
a synonym ("NRR" = "net revenue retention"), and ``RELATED`` links concepts that answer for each
other less strongly ("churn" ~ "retention"). An exact or synonym match counts 1, a related match
counts 0.5; coverage is the sum over the job's terms, as a percentage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# name shown -> phrases that mean the same (the name's own phrase first)
CONCEPTS: dict[str, tuple[str, ...]] = {
    "NRR": ("nrr", "net revenue retention", "net retention", "net dollar retention", "ndr"),
    "GRR": ("grr", "gross revenue retention", "gross retention", "gross dollar retention"),
    "QBR": ("qbr", "quarterly business review"),
    "EBR": ("ebr", "executive business review"),
    "CSAT": ("csat", "customer satisfaction", "customer satisfaction score"),
    "NPS": ("nps", "net promoter score", "net promoter"),
    "churn": ("churn", "churn rate", "attrition", "customer attrition", "logo churn"),
    "retention": ("retention", "customer retention", "retention rate"),
    "renewals": ("renewal", "renew", "renewal rate", "contract renewal"),
    "onboarding": ("onboarding", "on boarding", "customer onboarding"),
    "implementation": ("implementation", "deployment", "rollout"),
    "adoption": ("adoption", "product adoption", "product usage", "usage"),
    "ARR": ("arr", "annual recurring revenue"),
    "MRR": ("mrr", "monthly recurring revenue"),
    "upsell": ("upsell", "up sell", "upselling", "up selling"),
    "cross-sell": ("cross sell", "cross selling", "crosssell"),
    "expansion": ("expansion", "expansion revenue", "account expansion", "account growth"),
    "CRM": ("crm", "customer relationship management"),
    "Salesforce": ("salesforce", "sfdc"),
    "HubSpot": ("hubspot",),
    "Gainsight": ("gainsight",),
    "Totango": ("totango",),
    "ChurnZero": ("churnzero",),
    "Zendesk": ("zendesk",),
    "Jira": ("jira",),
    "SQL": ("sql",),
    "Excel": ("excel", "spreadsheet", "google sheets"),
    "Tableau": ("tableau",),
    "Looker": ("looker",),
    "customer success platform": ("customer success platform", "cs platform"),
    "health score": ("health score", "customer health", "account health", "health scoring"),
    "voice of the customer": ("voice of the customer", "voc", "customer feedback", "feedback loop"),
    "customer success": ("customer success",),
    "CSM": ("csm", "customer success manager", "customer success management"),
    "account management": ("account management", "account manager", "key account"),
    "portfolio management": (
        "portfolio management",
        "book of business",
        "customer portfolio",
        "account portfolio",
    ),
    "SaaS": ("saas", "software as a service", "b2b saas"),
    "KPI": ("kpi", "key performance indicator"),
    "SLA": ("sla", "service level agreement"),
    "time to value": ("time to value", "ttv"),
    "success plan": ("success plan", "success planning", "customer success plan"),
    "playbooks": ("playbook",),
    "escalations": ("escalation", "escalation management"),
    "stakeholder management": (
        "stakeholder management",
        "stakeholder",
        "executive sponsor",
        "executive relationship",
        "c level",
        "executive",
    ),
    "product demos": ("product demo", "demo", "demonstration"),
    "forecasting": ("forecasting", "forecast", "renewal forecast"),
    "data analysis": (
        "data analysis",
        "analytics",
        "data driven",
        "analyse customer data",
        "analyze customer data",
    ),
    "training": ("training", "enablement", "coaching", "mentoring"),
    "negotiation": ("negotiation", "negotiate", "negotiating"),
    "communication": ("communication", "communicator", "written and verbal"),
    "presentation": ("presentation", "presenting", "public speaking"),
    "leadership": ("leadership", "team lead", "people management", "managed a team"),
    "project management": ("project management", "project manager"),
    "empathy": ("empathy", "emotional intelligence", "empathetic"),
    "multitasking": ("multitasking", "multi tasking", "prioritization", "prioritisation"),
    "enterprise": ("enterprise", "strategic account"),
    "SMB": ("smb", "small and medium business", "small business"),
    "mid-market": ("mid market", "midmarket"),
    "customer journey": ("customer journey", "customer lifecycle", "lifecycle"),
    "tech touch": ("tech touch", "digital customer success", "scaled customer success", "one to many"),
}

# concept -> concepts that partly answer for it (symmetric: listed once, applied both ways)
_RELATED_PAIRS: tuple[tuple[str, str], ...] = (
    ("churn", "retention"),
    ("churn", "GRR"),
    ("retention", "renewals"),
    ("retention", "GRR"),
    ("retention", "NRR"),
    ("NRR", "expansion"),
    ("upsell", "expansion"),
    ("cross-sell", "expansion"),
    ("upsell", "cross-sell"),
    ("CSAT", "NPS"),
    ("onboarding", "implementation"),
    ("onboarding", "adoption"),
    ("onboarding", "time to value"),
    ("QBR", "EBR"),
    ("CRM", "Salesforce"),
    ("CRM", "HubSpot"),
    ("customer success platform", "Gainsight"),
    ("customer success platform", "Totango"),
    ("customer success platform", "ChurnZero"),
    ("customer success", "CSM"),
    ("account management", "portfolio management"),
    ("health score", "churn"),
    ("ARR", "MRR"),
    ("data analysis", "SQL"),
    ("data analysis", "Excel"),
    ("data analysis", "Tableau"),
    ("data analysis", "Looker"),
    ("SMB", "mid-market"),
    ("enterprise", "mid-market"),
)
RELATED: dict[str, tuple[str, ...]] = {}
for _a, _b in _RELATED_PAIRS:
    RELATED[_a] = RELATED.get(_a, ()) + (_b,)
    RELATED[_b] = RELATED.get(_b, ()) + (_a,)

WEIGHTS = {"exact": 1.0, "synonym": 1.0, "related": 0.5}

_WORD = re.compile(r"[0-9a-z]+|[^\x00-\x7f\s]+")


def stem(token: str) -> str:
    """A light English plural stem: renewals -> renewal, companies -> company, qbrs -> qbr."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens; hyphens, slashes and punctuation separate words."""
    return tuple(stem(t) for t in _WORD.findall(text.lower()) if t != "s")  # "customer's" -> customer


def _phrase_index() -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for name, phrases in CONCEPTS.items():
        for phrase in (name, *phrases):
            index.setdefault(tokens(phrase), name)
    return index


PHRASES = _phrase_index()
_LONGEST = max(len(p) for p in PHRASES)


def concept_of(term: str) -> str | None:
    """The concept a whole term names (``"Net revenue retention"`` -> ``"NRR"``), if any."""
    return PHRASES.get(tokens(term))


def find_concepts(text: str) -> list[str]:
    """The concepts a free text mentions, in order of first mention (longest phrase wins)."""
    words = tokens(text)
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            name = PHRASES.get(words[i : i + size])
            if name:
                if name not in found:
                    found.append(name)
                i += size
                break
        else:
            i += 1
    return found


@dataclass(frozen=True)
class JobTerm:
    term: str  # as the job says it (or the concept's name when found in free text)
    source: str  # where in the job: skills[0].keywords[1], description, posting...
    concept: str | None = None


@dataclass(frozen=True)
class TermMatch:
    term: str
    source: str
    concept: str | None
    kind: str | None  # exact, synonym, related, or None when missing
    matched: str | None  # the phrase found in the resume
    where: tuple[str, ...] = ()  # resume key paths, in resume order

    @property
    def covered(self) -> bool:
        return self.kind is not None

    @property
    def score(self) -> float:
        return WEIGHTS[self.kind] if self.kind else 0.0


@dataclass(frozen=True)
class Coverage:
    matches: tuple[TermMatch, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return len(self.matches)

    @property
    def covered(self) -> int:
        return sum(1 for m in self.matches if m.covered)

    @property
    def percent(self) -> int:
        """Rounded down, so a shown 70 never hides 69.5."""
        if not self.matches:
            return 0
        return int(sum(m.score for m in self.matches) * 100 // len(self.matches))

    @property
    def missing(self) -> list[TermMatch]:
        return [m for m in self.matches if not m.covered]


_TEXT_FIELDS = (
    "title",
    "description",
    "responsibilities",
    "qualifications",
    "experience",
    "requirements",
    "skills_text",
)


def job_terms(spec: Mapping[str, Any] | None = None, posting: str | None = None) -> list[JobTerm]:
    """A job's terms: its explicit skills (JSON Resume job schema: each ``skills[].keywords``, or
    the skill's ``name`` when it has no keywords), ``keywords``, and
    every known concept mentioned in its free text (title, description, responsibilities,
    qualifications) or in a plain-text posting. Deduplicated by concept, first mention wins."""
    terms: list[JobTerm] = []
    seen: set[str] = set()

    def add(term: str, source: str, concept: str | None) -> None:
        key = concept or " ".join(tokens(term))
        if key and key not in seen:
            seen.add(key)
            terms.append(JobTerm(term, source, concept))

    if spec:
        for i, skill in enumerate(_as_list(spec.get("skills"))):
            if isinstance(skill, str):
                add(skill, f"skills[{i}]", concept_of(skill))
                continue
            if not isinstance(skill, Mapping):
                continue
            keywords = _as_list(skill.get("keywords"))
            # a skill with keywords is a group ("Tools": Gainsight, Salesforce): its keywords are
            # the terms; a skill without keywords is a term itself
            if not keywords and isinstance(skill.get("name"), str) and skill["name"].strip():
                add(skill["name"].strip(), f"skills[{i}].name", concept_of(skill["name"]))
            for j, word in enumerate(keywords):
                if isinstance(word, str) and word.strip():
                    add(word.strip(), f"skills[{i}].keywords[{j}]", concept_of(word))
        for word in _as_list(spec.get("keywords")):
            if isinstance(word, str) and word.strip():
                add(word.strip(), "keywords", concept_of(word))
        for key in _TEXT_FIELDS:
            for text in _texts(spec.get(key)):
                for name in find_concepts(text):
                    add(name, key, name)
    if posting:
        for name in find_concepts(posting):
            add(name, "posting", name)
    return terms


MAX_MATCH_CHARS = 5_000_000  # resume text `resume match` reads (a real resume is ~20k)


def match_text_limit() -> int:
    return MAX_MATCH_CHARS


def match(terms: Iterable[JobTerm], passages: Sequence[tuple[str, str]]) -> Coverage:
    """Match job terms against resume passages ``(key_path, text)``.

    Linear in the resume: every phrase any term could match is looked up once per word
    position (a set of phrases per length), never by scanning each passage per phrase."""
    from csmctl.errors import InvalidValue

    size = sum(len(text) for _, text in passages)
    if size > MAX_MATCH_CHARS:
        raise InvalidValue(
            f"The resume has {size:,} characters of text; matching reads at most {MAX_MATCH_CHARS:,}.",
            "Match a shorter resume (a real one is a few pages).",
        )
    terms = list(terms)
    plans = [_candidates(term) for term in terms]
    wanted: dict[int, set[tuple[str, ...]]] = {}
    for _, candidates in plans:
        for _, phrase_tokens, _ in candidates:
            if phrase_tokens:
                wanted.setdefault(len(phrase_tokens), set()).add(phrase_tokens)
    found: dict[tuple[str, ...], dict[str, None]] = {}  # phrase -> passages in resume order
    for path, text in passages:
        words = tokens(text)
        for i in range(len(words)):
            for length, phrases in wanted.items():
                gram = words[i : i + length]
                if len(gram) == length and gram in phrases:
                    found.setdefault(gram, {})[path] = None
    order = {path: i for i, (path, _) in enumerate(passages)}
    return Coverage(
        tuple(
            _match_one(term, own, candidates, found, order)
            for term, (own, candidates) in zip(terms, plans, strict=True)
        )
    )


def _candidates(term: JobTerm) -> tuple[tuple[str, ...], list[tuple[str, tuple[str, ...], str]]]:
    own = tokens(term.term)
    candidates: list[tuple[str, tuple[str, ...], str]] = [("exact", own, term.term)]
    if term.concept:
        for phrase in (term.concept, *CONCEPTS[term.concept]):
            candidates.append(("synonym", tokens(phrase), phrase))
        for other in RELATED.get(term.concept, ()):
            for phrase in (other, *CONCEPTS[other]):
                candidates.append(("related", tokens(phrase), phrase))
    return own, candidates


def _match_one(
    term: JobTerm,
    own: tuple[str, ...],
    candidates: list[tuple[str, tuple[str, ...], str]],
    found: Mapping[tuple[str, ...], Mapping[str, None]],
    order: Mapping[str, int],
) -> TermMatch:
    for kind in ("exact", "synonym", "related"):
        where: dict[str, None] = {}
        matched, matched_size = None, 0
        for candidate_kind, phrase_tokens, phrase in candidates:
            if candidate_kind != kind or (kind == "synonym" and phrase_tokens == own):
                continue
            paths = found.get(phrase_tokens)
            if paths:
                where.update(paths)
                if len(phrase_tokens) > matched_size:  # name the most specific phrase found
                    matched, matched_size = phrase, len(phrase_tokens)
        if where:
            return TermMatch(
                term.term,
                term.source,
                term.concept,
                kind,
                matched,
                tuple(sorted(where, key=order.__getitem__)),
            )
    return TermMatch(term.term, term.source, term.concept, None, None)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)


# -- what a `resume match --jd` file is --------------------------------------------------------

_RESUME_KEYS = ("basics", "work", "education", "volunteer", "awards", "publications", "references")


def _job_postings(data: Any) -> list[Mapping[str, Any]]:
    """JobPosting objects in JSON-LD: the object itself, a list of them, or an ``@graph``."""
    if isinstance(data, list):
        return [item for entry in data for item in _job_postings(entry)]
    if not isinstance(data, Mapping):
        return []
    kind = data.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "JobPosting" in kinds:
        return [data]
    return _job_postings(data.get("@graph")) if "@graph" in data else []


def _plain(text: Any) -> str | None:
    """JSON-LD descriptions are HTML: keep the words."""
    if not isinstance(text, str):
        return None
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def job_document(data: Any) -> tuple[str, Mapping[str, Any]]:
    """What a parsed ``--jd`` file is, as ``(kind, spec)`` for ``job_terms(spec=...)``: a
    ``"job"`` (csmctl job spec or JSON Resume job) or a ``"jsonld"`` JobPosting, whose fields
    are read as the job schema's. Raises ``ValueError`` saying what it is otherwise."""
    postings = _job_postings(data)
    if postings:
        posting = postings[0]
        skills = posting.get("skills")
        hiring = posting.get("hiringOrganization")
        language = posting.get("inLanguage")
        return "jsonld", {
            "title": posting.get("title"),
            "company": hiring.get("name") if isinstance(hiring, Mapping) else hiring,
            "lang": language.split("-")[0].lower() if isinstance(language, str) else None,  # "ja-JP": ja
            "description": _plain(posting.get("description")),
            "skills": [_plain(s) for s in _as_list(skills)]
            if not isinstance(skills, str)
            else [_plain(skills)],
            "responsibilities": _plain(posting.get("responsibilities")),
            "qualifications": _plain(posting.get("qualifications")),
            "experience": _plain(posting.get("experienceRequirements")),
        }
    if isinstance(data, Mapping) and "@type" in data:
        raise ValueError(f"is schema.org {data.get('@type')!r} JSON-LD, not a JobPosting")
    if not isinstance(data, Mapping):
        raise ValueError("is not a job: expected a mapping of keys")
    if not isinstance(data.get("title"), str) and any(key in data for key in _RESUME_KEYS):
        raise ValueError("is a resume, not a job")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise ValueError("is not a job: it has no title")
    return "job", data
