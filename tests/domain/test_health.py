"""Health scoring: bounds, reweighting, monotonic inputs, explanations that add up, profiles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain import health as h
from csmctl.domain.health_profile import MAX_WEIGHT, MIN_WEIGHT, parse_profiles

TODAY = date(2026, 11, 23)
NAMES = ["a", "b", "c", "d", "e"]
sub_scores = st.one_of(st.none(), st.floats(0, 100))
# what a profile accepts: 0 (ignore the input) or a sane positive weight
weights = st.one_of(st.just(0.0), st.floats(MIN_WEIGHT, MAX_WEIGHT))
score_maps = st.fixed_dictionaries({n: sub_scores for n in NAMES})
weight_maps = st.fixed_dictionaries({n: weights for n in NAMES})


@given(score_maps, weight_maps)
def test_score_is_within_0_and_100_and_contributions_add_up(scores, ws):
    score, contributions = h.combine(scores, ws)
    if score is None:  # nothing present with a weight: no data is no score, never 0
        assert not any(s is not None and ws[k] > 0 for k, s in scores.items())
        return
    assert 0 <= score <= 100
    assert sum(contributions.values()) == pytest.approx(score, abs=1e-6)


@given(score_maps, weight_maps, st.floats(0.01, 100))
def test_missing_inputs_reweight_and_scale_does_not_matter(scores, ws, factor):
    score, _ = h.combine(scores, ws)
    # An input with no data changes nothing, whatever its weight.
    assert h.combine({**scores, "x": None}, {**ws, "x": 500})[0] == pytest.approx(score)
    # Only the proportions of the weights matter.
    scaled = h.combine(scores, {k: w * factor for k, w in ws.items()})[0]
    assert scaled == pytest.approx(score, abs=1e-6) or (scaled is None) == (score is None)
    # The score is the weighted mean of the present inputs.
    present = {k: s for k, s in scores.items() if s is not None and ws[k] > 0}
    if present:
        total = sum(ws[k] for k in present)
        assert score == pytest.approx(sum(ws[k] * s for k, s in present.items()) / total, abs=1e-6)
    else:
        assert score is None


def test_tiny_weights_keep_their_precision():
    """Regression: weight * score / total underflowed (5e-324 * 33.3 / 5e-324 was 33.0)."""
    assert h.combine({"a": 33.3, "b": None}, {"a": 5e-324, "b": 1.0}) == (33.3, {"a": 33.3, "b": 0.0})
    score, contributions = h.combine({"a": 30.0, "b": 90.0}, {"a": 5e-324, "b": 1e-323})
    assert score == pytest.approx(70.0)
    assert contributions == {"a": pytest.approx(10.0), "b": pytest.approx(60.0)}


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        (
            5e-324,
            "weights.nps: weight 5e-324 is out of range; use 0 to ignore an input, or 0.001 to 1,000,000",
        ),
        (
            1e300,
            "weights.nps: weight 1e+300 is out of range; use 0 to ignore an input, or 0.001 to 1,000,000",
        ),
        (float("nan"), "weights.nps: weight must be a number (got nan)"),
        (float("inf"), "weights.nps: weight must be a number (got inf)"),
    ],
)
def test_a_profile_refuses_weights_that_are_not_sane_numbers(weight, expected):
    _, problems = parse_profiles({"weights": {"nps": weight}}, source="health.toml")
    assert [p.render() for p in problems] == [f"health.toml, {expected}"]
    _, problems = parse_profiles({"metrics": {"usage": {"weight": weight}}}, source="health.toml")
    assert [p.render() for p in problems] == [
        f"health.toml, {expected.replace('weights.nps', 'metrics.usage.weight').replace('an input', 'a metric')}"
    ]


@given(score_maps, weight_maps, st.sampled_from(NAMES), st.floats(0, 100), st.floats(0, 100))
def test_raising_one_sub_score_never_lowers_the_score(scores, ws, name, low, high):
    low, high = sorted((low, high))
    lower = h.combine({**scores, name: low}, ws)[0]
    higher = h.combine({**scores, name: high}, ws)[0]
    assert (lower is None) == (higher is None)
    if lower is not None:
        assert higher >= lower - 1e-9


@given(st.integers(0, 2000), st.integers(0, 2000), st.integers(1, 366))
def test_contact_score_falls_as_days_since_contact_grow(d1, d2, cadence):
    d1, d2 = sorted((d1, d2))
    assert h.contact_score(d1, cadence) >= h.contact_score(d2, cadence)
    assert 0 <= h.contact_score(d2, cadence) <= 100


def test_contact_score_boundaries():
    assert h.contact_score(14, 14) == 100
    assert h.contact_score(15, 14) < 100
    assert h.contact_score(42, 14) == 0


@given(st.integers(-100, 100), st.integers(-100, 100))
def test_nps_and_csat_rise_with_their_value(a, b):
    a, b = sorted((a, b))
    assert h.nps_score(a) <= h.nps_score(b)
    assert h.csat_score(abs(a)) <= h.csat_score(abs(b)) or abs(a) > abs(b)


@given(st.integers(-400, 400), st.integers(-400, 400), st.booleans())
def test_renewal_score_rises_as_the_renewal_is_further_off(a, b, recent):
    a, b = sorted((a, b))
    assert h.renewal_score(a, recent) <= h.renewal_score(b, recent)
    assert h.renewal_score(a, False) <= h.renewal_score(a, True)


@given(st.integers(0, 50), st.integers(0, 50))
def test_overdue_items_lower_the_score(a, b):
    a, b = sorted((a, b))
    assert h.overdue_score(a) >= h.overdue_score(b)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_metric_score_follows_the_direction_from_bad_to_good(v1, v2, good, bad):
    v1, v2 = sorted((v1, v2))
    spec = h.MetricSpec(1, good, bad)
    s1, s2 = h.metric_score(v1, spec), h.metric_score(v2, spec)
    assert 0 <= s1 <= 100 and 0 <= s2 <= 100
    if good >= bad:
        assert s1 <= s2
    else:
        assert s1 >= s2


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
def test_more_positive_sentiment_scores_higher(pos, neu, neg):
    base = h.sentiment_score({"positive": pos, "neutral": neu, "negative": neg})
    better = h.sentiment_score({"positive": pos + 1, "neutral": neu, "negative": neg})
    assert better is not None and (base is None or better >= base)


def test_bands_at_their_cut_offs_and_rounding():
    bands = h.Bands()
    assert [bands.of(s) for s in (0, 49, 50, 75, 76, 100)] == [
        "red",
        "red",
        "yellow",
        "yellow",
        "green",
        "green",
    ]
    assert h.round_score(74.5) == 75 and h.round_score(75.49) == 75 and h.round_score(75.5) == 76


def _facts(**kw):
    base = dict(
        account_id=1,
        tier="enterprise",
        last_contact=TODAY - timedelta(days=20),
        has_touchpoints=True,
        sentiments={"positive": 2, "negative": 1},
        nps=30,
        csat=80,
        onboarding_total=10,
        onboarding_overdue=1,
        renewal_date=TODAY + timedelta(days=45),
        overdue_follow_ups=1,
        metrics={"usage": 50.0},
    )
    base.update(kw)
    return h.HealthFacts(**base)


def test_explanation_adds_up_and_names_missing_inputs():
    profiles, problems = parse_profiles()
    assert not problems
    result = h.score_account(_facts(nps=None), profiles.default, TODAY)
    assert result.missing == ["nps", "metric:tickets"]
    assert sum(i.contribution for i in result.inputs) == pytest.approx(result.score)
    by_name = {i.name: i for i in result.inputs}
    assert by_name["contact"].detail == "20 days since last contact (cadence 14d)"
    assert by_name["contact"].score == pytest.approx(100 * (1 - 6 / 28))
    assert by_name["renewal"].detail == "renews in 45 days, contact in the last 30d"
    assert by_name["onboarding"].detail == "1 of 10 tasks overdue" and by_name["onboarding"].score == 75
    assert by_name["metric:usage"].score == pytest.approx(50.0)
    assert result.band == h.Bands().of(result.rounded)


def test_a_book_with_no_data_yet_scores_on_what_it_has():
    profiles, _ = parse_profiles()
    facts = h.HealthFacts(account_id=1, tier="smb", nps=None, csat=90)
    result = h.score_account(facts, profiles.default, TODAY)
    assert result.score == 90 and result.band == "green"
    assert "contact" in result.missing and "follow_ups" in result.missing


def test_account_cadence_and_config_override_the_tier_default():
    assert h.cadence_for("enterprise", None) == 14
    assert h.cadence_for("enterprise", 45) == 45
    assert h.cadence_for("enterprise", None, {"enterprise": 21}) == 21
    from csmctl.domain.touchpoints import FALLBACK_CADENCE

    assert h.cadence_for(None, None) == FALLBACK_CADENCE


def test_trend_and_sparkline():
    assert h.trend(70, None) is None
    assert [h.trend(70, p) for p in (67, 68, 72, 73)] == ["up", "flat", "flat", "down"]
    assert h.sparkline([0, 50, 100]) == "▁▅█"
    assert h.sparkline([60, 61, 60]) == "▄▅▄"  # small noise stays flat
    assert h.sparkline([]) == ""


def test_profiles_per_tier_and_segment():
    profiles, problems = parse_profiles(
        {
            "weights": {"csat": 0},
            "tiers": {"strategic": {"weights": {"contact": 50}, "bands": {"red": 60}}},
            "segments": {"Healthcare": {"metrics": {"usage": {"weight": 0}}}},
        }
    )
    assert not problems
    assert profiles.default.weights["csat"] == 0
    strategic = profiles.for_account("strategic", None)
    assert strategic.name == "tier:strategic" and strategic.weights["contact"] == 50
    assert strategic.bands.red == 60 and strategic.weights["nps"] == 10  # the rest comes from the default
    both = profiles.for_account("strategic", "healthcare")
    assert both.weights["contact"] == 50 and both.metrics["usage"].weight == 0
    assert profiles.for_account("smb", "HEALTHCARE").name == "segment:Healthcare"
    assert profiles.for_account("smb", "retail").name == "default"
    assert profiles.for_account("scaled", None).metrics["usage"].weight == 30  # built-in tier profile


def test_every_problem_in_a_profile_is_listed_with_its_key():
    _, problems = parse_profiles(
        {
            "weights": {"contactt": 5, "nps": -1, "csat": "high"},
            "bands": {"red": 80, "amber": 60},
            "tiers": {"gold": {}, "smb": {"weight": {}}},
            "metrics": {"usage": {"weight": 5, "good": 80, "bad": 20, "scale": 2}},
            "colour": True,
        },
        source="health.toml",
    )
    assert [p.render() for p in problems] == [
        "health.toml, colour: unknown key; use bands, metrics, segments, tiers, weights",
        "health.toml, weights.contactt: unknown input; inputs: contact, sentiment, nps, csat, onboarding, renewal, follow_ups, risks",
        "health.toml, weights.nps: negative weight -1; use 0 to ignore an input",
        "health.toml, weights.csat: weight must be a number (got 'high')",
        "health.toml, metrics.usage.scale: unknown key; use bad, good, label, weight",
        "health.toml, bands.amber: unknown band; use red (score below it is red) and green (score above it is green)",
        "health.toml, tiers.gold: unknown tier; tiers: strategic, enterprise, mid-market, smb, scaled",
        "health.toml, tiers.smb.weight: unknown key; use bands, metrics, weights",
    ]


def test_weights_summing_to_zero_and_overlapping_bands():
    zero = {k: 0 for k in h.INPUTS}
    _, problems = parse_profiles(
        {
            "weights": zero,
            "metrics": {"usage": {"weight": 0}, "tickets": {"weight": 0}, "logins": {"weight": 1}},
            "bands": {"red": 80, "green": 60},
            "tiers": {"smb": {"metrics": {"logins": {"weight": 0}}}},
        },
        source="h.yaml",
    )
    assert [p.render() for p in problems] == [
        "h.yaml, metrics.logins.good: is missing",
        "h.yaml, metrics.logins.bad: is missing",
        "h.yaml, bands: bands overlap: red ends at 80 but green starts above 60; red must be <= green",
        "h.yaml, tiers.smb.weights: the weights sum to 0; give at least one input a positive weight",
    ]


ALL_INPUTS = h.Profile(
    "every-input",
    {n: 1.0 for n in ("contact", "sentiment", "nps", "csat", "onboarding", "renewal", "follow_ups", "risks")},
    {"usage": h.MetricSpec(10.0, 80.0, 20.0), "tickets": h.MetricSpec(5.0, 0.0, 10.0)},
)
maybe_day = st.one_of(st.none(), st.integers(-400, 400).map(lambda d: TODAY + timedelta(days=d)))
facts = st.builds(
    h.HealthFacts,
    account_id=st.just(1),
    tier=st.sampled_from([None, "smb", "enterprise", "odd"]),
    cadence_days=st.one_of(st.none(), st.integers(1, 120)),
    last_contact=maybe_day,
    has_touchpoints=st.booleans(),
    sentiments=st.dictionaries(
        st.sampled_from(["positive", "neutral", "negative", "odd"]), st.integers(0, 9)
    ),
    nps=st.one_of(st.none(), st.integers(-100, 100)),
    csat=st.one_of(st.none(), st.integers(0, 100)),
    onboarding_total=st.one_of(st.none(), st.integers(0, 30)),
    onboarding_overdue=st.integers(0, 30),
    renewal_date=maybe_day,
    overdue_follow_ups=st.integers(0, 9),
    metrics=st.dictionaries(st.sampled_from(["usage", "tickets"]), st.floats(-1e3, 1e3)),
    open_risks=st.dictionaries(st.sampled_from(["high", "medium", "low"]), st.integers(0, 3)),
)


@given(facts, st.sampled_from([ALL_INPUTS, parse_profiles()[0].default]))
def test_band_without_explanations_is_the_explained_band(f, profile):
    """`book` counts `band_of` per account, `health` shows `score_account`: the same sub-scores."""
    explained = h.measure(f, profile, TODAY)
    bare = h.measure(f, profile, TODAY, explain=False)
    assert [(n, s) for n, _, _, s in bare] == [(n, s) for n, _, _, s in explained]
    assert h.band_of(f, profile, TODAY) == h.score_account(f, profile, TODAY).band


@given(facts, st.sampled_from([ALL_INPUTS, parse_profiles()[0].default]))
def test_score_without_explanations_is_the_explained_score(f, profile):
    """`today` scores a whole owner's book with ``explain=False``; `health` with the inputs: the
    same exact score and band (no inputs on the bare result)."""
    explained = h.score_account(f, profile, TODAY)
    bare = h.score_account(f, profile, TODAY, explain=False)
    assert (bare.score, bare.band, bare.rounded, bare.inputs) == (
        explained.score,
        explained.band,
        explained.rounded,
        (),
    )
