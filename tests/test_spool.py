"""csmctl.spool: the bounded external sort equals sorted(), and a spool replays what it was given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csmctl.spool import Spool, sort_spilled

# Few distinct keys: equal keys are common, so stability is tested too.
items = st.lists(st.tuples(st.integers(0, 5), st.integers()), max_size=200)
sizes = st.integers(1, 50)


@given(items, sizes)
def test_sort_spilled_equals_sorted_for_any_input_and_chunk(values, chunk):
    key = lambda item: item[0]  # noqa: E731
    with sort_spilled(values, key=key, chunk=chunk) as result:
        assert len(result) == len(values)
        assert list(result) == sorted(values, key=key)


@given(items, sizes)
def test_sort_spilled_without_a_key_equals_sorted(values, chunk):
    with sort_spilled(values, chunk=chunk) as result:
        assert list(result) == sorted(values)


def test_a_sort_that_fits_one_chunk_writes_no_file():
    result = sort_spilled([3, 1, 2], chunk=4)
    assert list(result) == [1, 2, 3] == list(result)
    assert not any(isinstance(run, Spool) for run in result._runs)


@given(items, st.integers(0, 30), st.integers(1, 7))
def test_spool_replays_in_order(values, limit, batch):
    with Spool(limit=limit, batch=batch) as spool:
        spool.extend(values)
        assert len(spool) == len(values)
        assert spool.spilled == (len(values) > limit)
        assert list(spool) == values
        assert list(spool) == values  # a second read
