"""Health scores you can explain: weighted inputs, each mapped to 0-100, combined and banded.

score = sum(w_i * s_i) / sum(w_i) over the inputs that are present. An input with no data (no
touchpoints yet, no NPS, no active onboarding, a metric never imported) is *missing*: it drops
out, the other weights carry the score, and the result names it. Each input's contribution is
``w_i * s_i / sum(w_i)``, so the contributions add up to the score exactly.

Everything here is pure: the raw facts come in as :class:`HealthFacts`, ``today`` is an
argument, the profile is a plain value (parsed by :mod:`csmctl.domain.health_profile`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# Cadence and what counts as contact are the touchpoints' rules (configured in the settings):
# one home for `stale`, health, today and brief.
from csmctl.domain.touchpoints import cadence_for

SENTIMENT_SCORES: dict[str, float] = {"positive": 100.0, "neutral": 60.0, "negative": 0.0}
SENTIMENT_WINDOW_DAYS = 90  # only touchpoints this recent count for sentiment
RENEWAL_WINDOW_DAYS = 90  # renewals further out than this cannot hurt the score
RECENT_CONTACT_DAYS = 30  # a real contact this recent counts as a renewal conversation
TREND_STEP = 3  # points of change before the trend arrow moves

# The inputs a profile may weigh (custom metrics are ``metric:<name>``, declared in the profile).
INPUTS: dict[str, str] = {
    "contact": "days since last real contact vs cadence",
    "sentiment": f"sentiment of touchpoints in the last {SENTIMENT_WINDOW_DAYS} days",
    "nps": "NPS (-100..100)",
    "csat": "CSAT (0..100)",
    "onboarding": "overdue tasks of the active onboarding checklist",
    "renewal": "days to renewal without a recent conversation",
    "follow_ups": "overdue follow-ups",
    "risks": "open risks by severity (off by default: give it a weight in health.toml)",
}
RISK_PENALTY = {"high": 50.0, "medium": 25.0, "low": 10.0}  # points off 100 per open risk


@dataclass(frozen=True)
class MetricSpec:
    """A custom metric's mapping: ``bad`` scores 0, ``good`` scores 100, linear between (either
    order: good < bad means lower is better, e.g. open tickets)."""

    weight: float
    good: float
    bad: float
    label: str = ""


@dataclass(frozen=True)
class Bands:
    red: float = 50.0  # score < red is red
    green: float = 75.0  # score > green is green; in between is yellow

    def of(self, score: float) -> str:
        if score < self.red:
            return "red"
        if score > self.green:
            return "green"
        return "yellow"


@dataclass(frozen=True)
class Profile:
    name: str
    weights: Mapping[str, float]
    metrics: Mapping[str, MetricSpec] = field(default_factory=dict)
    bands: Bands = Bands()
    _all_weights: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        every = {k: float(v) for k, v in self.weights.items()}
        every.update({f"metric:{n}": float(m.weight) for n, m in self.metrics.items()})
        object.__setattr__(self, "_all_weights", every)  # scored per account: computed once

    def all_weights(self) -> dict[str, float]:
        """Every weighed input: the named inputs and ``metric:<name>`` for custom metrics."""
        return self._all_weights


@dataclass(slots=True)  # one per account when a whole book is scored (`book`, `health`, plays)
class HealthFacts:
    """What the store found about one account (None = no data for that input)."""

    account_id: int
    tier: str | None = None
    segment: str | None = None
    cadence_days: int | None = None  # the account's own override
    last_contact: date | None = None
    has_touchpoints: bool = False
    sentiments: Mapping[str, int] = field(default_factory=dict)  # recent sentiment -> count
    nps: int | None = None
    csat: int | None = None
    onboarding_total: int | None = None  # tasks on active checklists (None = no active checklist)
    onboarding_overdue: int = 0
    renewal_date: date | None = None
    overdue_follow_ups: int = 0
    metrics: Mapping[str, float] = field(default_factory=dict)  # latest value per metric
    open_risks: Mapping[str, int] = field(default_factory=dict)  # severity -> open risks today


@dataclass(slots=True)
class InputScore:
    name: str
    raw: object  # the measured value (JSON-able)
    detail: str  # the raw value in words
    score: float | None  # 0-100, None when missing
    weight: float
    contribution: float = 0.0

    @property
    def missing(self) -> bool:
        return self.score is None


NO_DATA = "no data"  # how an account with no health inputs at all is shown (never 0 / red)


@dataclass(slots=True)
class HealthResult:
    account_id: int
    profile: str
    score: float | None  # exact; None: no input has data (no data is no score)
    band: str | None  # None with the score
    inputs: tuple[InputScore, ...]

    @property
    def rounded(self) -> int | None:
        return None if self.score is None else round_score(self.score)

    @property
    def no_data(self) -> bool:
        return self.score is None

    @property
    def missing(self) -> list[str]:
        return [i.name for i in self.inputs if i.missing and i.weight > 0]

    def measures(self) -> dict[str, object]:
        """The stored form (HealthSnapshot.measures): sub-scores and raw values by input."""
        return {
            i.name: {
                "raw": i.raw,
                "score": None if i.score is None else round(i.score, 1),
                "weight": i.weight,
            }
            for i in self.inputs
        }


def round_score(score: float) -> int:
    """Half up, so 74.5 is 75 (yellow) and 75.5 is 76 (green) on every platform."""
    return int(score + 0.5)


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


# -- input mappings (each monotonic in its documented direction) -----------------------------------


def contact_score(days_since: int, cadence: int) -> float:
    """100 while within the cadence, falling linearly to 0 at three cadences (decreasing in days)."""
    if days_since <= cadence:
        return 100.0
    return clamp(100.0 * (1 - (days_since - cadence) / (2 * cadence)))


def sentiment_score(counts: Mapping[str, int]) -> float | None:
    total, points = 0, 0.0  # one pass: scored for every account of a book (`book`, `health`)
    for k, n in counts.items():
        if n > 0 and k in SENTIMENT_SCORES:
            total += n
            points += SENTIMENT_SCORES[k] * n
    return points / total if total else None


def nps_score(nps: int) -> float:
    return clamp((nps + 100) / 2)


def csat_score(csat: int) -> float:
    return clamp(float(csat))


def overdue_score(count: int, step: float = 25.0) -> float:
    """100 with nothing overdue, ``step`` points less per overdue item (decreasing in count)."""
    return clamp(100.0 - step * max(0, count))


def renewal_score(days_to: int, contacted_recently: bool) -> float:
    """Full marks when the renewal is far off or was talked about recently; otherwise the
    nearer (or more overdue) the renewal, the lower (increasing in days_to)."""
    if contacted_recently or days_to >= RENEWAL_WINDOW_DAYS:
        return 100.0
    return clamp(100.0 * days_to / RENEWAL_WINDOW_DAYS)


def risk_score(open_risks: Mapping[str, int]) -> float:
    """100 with no open risk, RISK_PENALTY points less per open risk by severity (decreasing)."""
    return clamp(100.0 - sum(RISK_PENALTY.get(k, 0.0) * n for k, n in open_risks.items()))


def metric_score(value: float, spec: MetricSpec) -> float:
    if spec.good == spec.bad:
        return 100.0 if value >= spec.good else 0.0
    return clamp(100.0 * (value - spec.bad) / (spec.good - spec.bad))


# -- combining -----------------------------------------------------------------------------------


def combine(
    scores: Mapping[str, float | None], weights: Mapping[str, float]
) -> tuple[float | None, dict[str, float]]:
    """(score, contribution per input) over the inputs present with a positive weight.

    No input present gives no score (None): nothing known is neither healthy nor red."""
    shares = _shares(scores.items(), weights)
    if not shares:
        return None, dict.fromkeys(scores, 0.0)
    contributions = dict.fromkeys(scores, 0.0)
    contributions.update(shares)
    return clamp(sum(shares.values())), contributions


def _shares(scores: Iterable[tuple[str, float | None]], weights: Mapping[str, float]) -> dict[str, float]:
    """Each present input's contribution ``w_i * s_i / sum(w_i)``, in the inputs' order (empty when
    no input with a positive weight is present): the one weighting `combine` and `band_of` share."""
    present: list[tuple[str, float, float]] = []
    total = 0.0
    for k, s in scores:
        if s is not None and (w := weights.get(k, 0)) > 0:
            present.append((k, w, s))
            total += w
    if total <= 0:
        return {}
    # The share first: weight / total is in [0, 1] whatever the weights' magnitude, where
    # weight * score / total underflowed for tiny weights (5e-324 * 50 loses every bit).
    return {k: w / total * s for k, w, s in present}


_NO_SENTIMENT = f"no sentiment in {SENTIMENT_WINDOW_DAYS}d"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def sub_scores(
    facts: HealthFacts, profile: Profile, today: date, cadence_table: Mapping[str, int] | None = None
) -> list[tuple[str, float | None]]:
    """(input, sub-score or None when missing) for every input the profile weighs, in its order:
    the one place that decides each input's score (`measure` puts the words beside them).
    ``cadence_table`` is the configured cadence per tier (the defaults when None)."""
    out: list[tuple[str, float | None]] = []
    last = facts.last_contact
    days_since = None if last is None else (today - last).days
    for name in profile.weights:
        score: float | None = None
        if name == "contact":
            if days_since is not None:
                score = contact_score(days_since, cadence_for(facts.tier, facts.cadence_days, cadence_table))
        elif name == "sentiment":
            score = sentiment_score(facts.sentiments) if facts.sentiments else None
        elif name == "nps":
            score = None if facts.nps is None else nps_score(facts.nps)
        elif name == "csat":
            score = None if facts.csat is None else csat_score(facts.csat)
        elif name == "onboarding":
            score = None if facts.onboarding_total is None else overdue_score(facts.onboarding_overdue)
        elif name == "renewal":
            if facts.renewal_date is not None:
                days_to = (facts.renewal_date - today).days
                if days_to < RENEWAL_WINDOW_DAYS:  # further out: not a risk yet, no signal either way
                    recent = days_since is not None and days_since <= RECENT_CONTACT_DAYS
                    score = renewal_score(days_to, recent)
        elif name == "follow_ups":
            score = overdue_score(facts.overdue_follow_ups, 34.0) if facts.has_touchpoints else None
        elif name == "risks":
            score = risk_score({k: n for k, n in facts.open_risks.items() if n})
        else:
            continue
        out.append((name, score))
    for metric, spec in profile.metrics.items():
        value = facts.metrics.get(metric)
        out.append((f"metric:{metric}", None if value is None else metric_score(value, spec)))
    return out


def measure(
    facts: HealthFacts,
    profile: Profile,
    today: date,
    cadence_table: Mapping[str, int] | None = None,
    *,
    explain: bool = True,
) -> list[tuple[str, object, str, float | None]]:
    """(input, raw, detail, sub-score or None) for every input the profile weighs: `sub_scores`
    with the raw value and its words. Without ``explain`` only the sub-scores (raw None, detail "")."""
    scores = sub_scores(facts, profile, today, cadence_table)
    if not explain:
        return [(name, None, "", score) for name, score in scores]
    days_since = None if facts.last_contact is None else (today - facts.last_contact).days
    return [
        (name, *_words(name, facts, profile, today, cadence_table, days_since), score)
        for name, score in scores
    ]


def _words(
    name: str,
    facts: HealthFacts,
    profile: Profile,
    today: date,
    cadence_table: Mapping[str, int] | None,
    days_since: int | None,
) -> tuple[object, str]:
    """(raw value, detail) of one input, for `measure`."""
    if name == "contact":
        if days_since is None:
            return None, "no contact recorded"
        cadence = cadence_for(facts.tier, facts.cadence_days, cadence_table)
        return days_since, f"{_plural(days_since, 'day')} since last contact (cadence {cadence}d)"
    if name == "sentiment":
        counts = {k: n for k, n in sorted(facts.sentiments.items()) if k in SENTIMENT_SCORES and n}
        words = ", ".join(f"{n} {k}" for k, n in counts.items())
        return counts or None, words or _NO_SENTIMENT
    if name == "nps":
        return facts.nps, "no NPS" if facts.nps is None else f"NPS {facts.nps}"
    if name == "csat":
        return facts.csat, "no CSAT" if facts.csat is None else f"CSAT {facts.csat}"
    if name == "onboarding":
        if facts.onboarding_total is None:
            return None, "no active onboarding"
        total = _plural(facts.onboarding_total, "task")
        return facts.onboarding_overdue, f"{facts.onboarding_overdue} of {total} overdue"
    if name == "renewal":
        if facts.renewal_date is None:
            return None, "no renewal date"
        days_to = (facts.renewal_date - today).days
        if days_to >= RENEWAL_WINDOW_DAYS:
            return days_to, f"renews in {days_to} days (counts from {RENEWAL_WINDOW_DAYS} days out)"
        recent = days_since is not None and days_since <= RECENT_CONTACT_DAYS
        when = (
            f"renews in {_plural(days_to, 'day')}"
            if days_to >= 0
            else f"renewal {_plural(-days_to, 'day')} overdue"
        )
        talk = "contact in the last 30d" if recent else "no contact in the last 30d"
        return days_to, f"{when}, {talk}"
    if name == "follow_ups":
        if not facts.has_touchpoints:
            return None, "no touchpoints recorded"
        n = facts.overdue_follow_ups
        return n, f"{_plural(n, 'follow-up')} overdue"
    if name == "risks":
        counts = {k: n for k, n in sorted(facts.open_risks.items()) if n}
        words = ", ".join(f"{n} {k}" for k, n in counts.items())
        return counts, f"open risks: {words}" if words else "no open risks"
    metric = name.removeprefix("metric:")
    value = facts.metrics.get(metric)
    if value is None:
        return None, f"no {metric} values"
    return value, f"{profile.metrics[metric].label or metric} {value:g}"


def score_account(
    facts: HealthFacts,
    profile: Profile,
    today: date,
    cadence_table: Mapping[str, int] | None = None,
    *,
    explain: bool = True,
) -> HealthResult:
    """The score, band and inputs. Without ``explain``: the same score and band with no inputs
    at all (``inputs`` empty, so ``missing`` and ``measures`` say nothing), for a caller that
    shows neither (`today`, over a whole owner's book)."""
    weights = profile.all_weights()
    if not explain:  # `combine`'s score without the contributions nobody reads
        shares = _shares(sub_scores(facts, profile, today, cadence_table), weights)
        score = clamp(sum(shares.values())) if shares else None
        band = None if score is None else profile.bands.of(round_score(score))
        return HealthResult(facts.account_id, profile.name, score, band, ())
    measured = measure(facts, profile, today, cadence_table)
    score, contributions = combine({n: s for n, _, _, s in measured}, weights)
    inputs = tuple(
        [
            InputScore(n, raw, detail, s, weights.get(n, 0.0), contributions.get(n, 0.0))
            for n, raw, detail, s in measured
        ]
    )
    band = None if score is None else profile.bands.of(round_score(score))
    return HealthResult(facts.account_id, profile.name, score, band, inputs)


def band_of(
    facts: HealthFacts, profile: Profile, today: date, cadence_table: Mapping[str, int] | None = None
) -> str | None:
    """`score_account`'s band alone, without the explanations: what `book` counts for every
    account of a whole book."""
    return score_account(facts, profile, today, cadence_table, explain=False).band


def trend(current: int | None, previous: int | None) -> str | None:
    """ "up", "down" or "flat" against the previous snapshot (None when either is missing)."""
    if previous is None or current is None:
        return None
    if current - previous >= TREND_STEP:
        return "up"
    if previous - current >= TREND_STEP:
        return "down"
    return "flat"


ARROWS = {"up": "↑", "down": "↓", "flat": "→", None: ""}
SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], *, min_span: float = 20.0, zero_based: bool = False) -> str:
    """One block character per value, scaled to the series (at least ``min_span`` points tall,
    so noise of a point or two stays flat). ``zero_based`` bars start at 0 (amounts, counts)."""
    if not values:
        return ""
    low, high = (0 if zero_based else min(values)), max(values)
    if high - low < min_span:
        middle = (high + low) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    out = []
    for value in values:
        index = int((value - low) / (high - low) * (len(SPARK) - 1) + 0.5)
        out.append(SPARK[max(0, min(len(SPARK) - 1, index))])
    return "".join(out)


def public_health(
    account: Mapping[str, object],
    result: HealthResult,
    previous: tuple[date, int] | None,
    *,
    explain: bool = True,
) -> dict[str, object]:
    """The stable JSON shape of one account's health (docs/json.md)."""
    record: dict[str, object] = {
        "account_id": account["id"],
        "account": account["name"],
        "owner": account.get("owner"),
        "tier": account.get("tier"),
        "score": result.rounded,
        "band": result.band,
        "trend": trend(result.rounded, previous[1] if previous else None),
        "previous": {"date": previous[0], "score": previous[1]} if previous else None,
        "profile": result.profile,
        "missing": result.missing,
    }
    if explain:
        record["inputs"] = [
            {
                "name": i.name,
                "raw": i.raw,
                "detail": i.detail,
                "score": None if i.score is None else round(i.score, 2),
                "weight": i.weight,
                "contribution": round(i.contribution, 2),
            }
            for i in result.inputs
        ]
    return record
