"""csmctl.spool: the bounded external sort equals sorted(), and a spool replays what it was given."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmctl.spool import Pool, Spool, sort_spilled

# Few distinct keys: equal keys are common, so stability is tested too.
items = st.lists(st.tuples(st.integers(0, 5), st.integers()), max_size=200)
sizes = st.integers(1, 50)


@given(items, sizes)
def test_sort_spilled_equals_sorted_for_any_input_and_chunk(values, chunk):
    key = lambda item: item[0]  # noqa: E731
    with sort_spilled(values, key=key, chunk=chunk) as result:
        assert len(result) == len(values)
        assert list(result) == sorted(values, key=key) == list(result)  # and again
        # every full chunk but the last is spilled; the last is merged from memory
        assert sum(isinstance(run, Spool) for run in result._runs) == max(0, -(-len(values) // chunk) - 1)


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


@given(st.lists(st.tuples(st.integers(0, 3), st.integers()), max_size=120), st.integers(0, 40), sizes)
def test_spools_of_a_pool_replay_in_order_and_hold_no_more_than_its_bound(values, limit, batch):
    """Spools filled side by side (items dealt out by their first field) each replay what they
    got, as often as asked; together they hold at most ``limit`` items plus one batch a spill."""
    with Pool(limit=limit, batch=batch) as pool:
        spools = [pool.spool() for _ in range(4)]
        evens = pool.spool(counted=False)  # a sublist: its items are in the spools above too
        for value in values:
            spools[value[0]].append(value)
            if value[1] % 2 == 0:
                evens.append(value)
            held = {id(item) for s in [*spools, evens] for item in [*s._front, *s._held]}
            assert len(held) <= limit + batch * sum(s.spilled for s in [*spools, evens])
        for n, spool in enumerate([*spools, evens]):
            expected = [v for v in values if v[0] == n] if n < 4 else [v for v in values if v[1] % 2 == 0]
            assert len(spool) == len(expected) and bool(spool) == bool(expected)
            assert list(spool) == expected and list(spool) == expected
            assert list(reversed(spool)) == expected[::-1]
            if expected:
                assert spool[0] == expected[0] and spool[-1] == expected[-1]
        assert any(s.spilled for s in spools) == (len(values) > limit)


@given(items, items, items, st.integers(1, 7))
def test_spill_writes_a_run_and_later_appends_follow_it(held, run, after, batch):
    """``spill`` (a sorted run of sort_spilled) goes straight to the file after what the spool
    held; items appended later come after it."""
    with Spool(limit=len(held), batch=batch) as spool:
        spool.extend(held)
        spool.spill(list(run))
        spool.extend(after)
        assert spool.spilled and len(spool) == len(held) + len(run) + len(after)
        assert list(spool) == held + run + after == list(spool)


@given(items, st.integers(1, 20), st.integers(1, 9))
def test_a_spool_with_a_codec_spills_packed_items_and_gives_back_the_items(values, limit, batch):
    packed: list[object] = []

    def pack(item):
        packed.append(item)
        return list(item)  # another type in the file

    codec = (pack, tuple)
    with Spool(limit=limit, batch=batch, codec=codec) as spool:
        spool.extend(values)
        assert list(spool) == values == list(spool)
        assert all(type(item) is tuple for item in spool)
        assert bool(packed) == spool.spilled  # packed only when written to the file
    with Pool(limit) as pool:
        spools = [pool.spool(codec=codec), pool.spool()]
        for n, item in enumerate(values):
            spools[n % 2].append(item)
        assert [list(s) for s in spools] == [values[0::2], values[1::2]]


@given(items, sizes, st.integers(-250, 250))
def test_a_spool_is_indexed_like_the_list_of_its_items(values, limit, index):
    with Spool(limit=limit, batch=3) as spool:
        spool.extend(values)
        try:
            expected = values[index]
        except IndexError:
            with pytest.raises(IndexError):
                spool[index]
        else:
            assert spool[index] == expected
