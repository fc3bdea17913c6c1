"""A renewal row survives a spill file: the report's spools write renewal_row() packed as plain
values (csmctl.domain.renewals.RENEWAL_SPILL) and read back an equal row, keys in the same order."""

from __future__ import annotations

import pickle
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.renewals import RENEWAL_SPILL, renewal_row
from csmctl.spool import Pool

stored = st.fixed_dictionaries(
    {
        "id": st.integers(1, 10**9),
        "name": st.text(max_size=12),
        "owner": st.none() | st.text(max_size=6),
        "tier": st.none() | st.sampled_from(["smb", "mid", "enterprise"]),
        "stage": st.sampled_from(["onboarding", "adopting", "at-risk", "renewing"]),
        "arr_minor": st.none() | st.integers(0, 10**12),
        "currency": st.sampled_from(["USD", "JPY", "EUR"]),
        "renewal_date": st.dates(date(2020, 1, 1), date(2035, 12, 31)),
        "auto_renew": st.booleans(),
        "term_months": st.none() | st.integers(1, 60),
        "notice_days": st.none() | st.integers(0, 180),
        "tags": st.none() | st.sampled_from(["", "at-risk", "vip,at-risk"]),
    }
)
renewals = st.builds(
    renewal_row,
    stored,
    st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    st.none() | st.sampled_from(["green", "amber", "red"]),
    st.integers(0, 90),
    st.integers(0, 5),
)


@given(renewals)
def test_a_packed_renewal_row_unpacks_to_the_same_row(row):
    pack, unpack = RENEWAL_SPILL
    back = unpack(pickle.loads(pickle.dumps(pack(row))))
    assert back == row
    assert list(back) == list(row)  # the same key order (json and templates list them in order)
    assert all(type(v) in (int, str, bool, type(None)) for v in pack(row))


@given(st.lists(renewals, max_size=60), st.integers(0, 20))
def test_the_reports_spools_give_back_their_renewals_when_spilled(rows, limit):
    with Pool(limit, batch=7) as pool:
        spool = pool.spool(codec=RENEWAL_SPILL)
        spool.extend(rows)
        assert list(spool) == rows == list(spool)
