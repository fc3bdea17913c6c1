from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.predicates import followup_done_by, followup_open, owner_key, owner_matches

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def test_owner_key_folds_like_name_key():
    assert owner_key("  ÉMILE   Ðoe ") == "émile ðoe"
    assert owner_key("STRASSE") == owner_key("straße") == "strasse"
    assert owner_key("   ") is None and owner_key(None) is None


def test_owner_matches():
    assert owner_matches("Dana Reyes", "dana  reyes")
    assert owner_matches("Émile Ðoe", "ÉMILE ÐOE")
    assert not owner_matches(None, "dana")
    assert owner_matches(None, None) and owner_matches("x", "")


@given(done_on=st.one_of(st.none(), dates), as_of=dates, logged=dates, due=dates)
def test_done_later_is_still_open_as_of_an_earlier_day(done_on, as_of, logged, due):
    assert followup_open(logged, due, False, done_on, as_of) == (logged <= as_of)
    assert followup_open(logged, due, True, done_on, as_of) == (
        logged <= as_of and done_on is not None and done_on > as_of
    )
    assert not followup_open(logged, None, False, None, as_of)
    assert followup_done_by(True, None, as_of)
