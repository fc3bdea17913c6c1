"""Invariants: the JSON locator finds every key on its own line; wrap never exceeds its width."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from csmctl.documents.filters import display_width, wrap
from csmctl.documents.sources import load_document
from tests.conftest import EXAMPLE_FACTOR

keys = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=10)
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=10,
    ),
    min_size=1,
    max_size=4,
)


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,), item
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield prefix + (index,), item
            yield from _paths(item, prefix + (index,))


@settings(max_examples=40 * EXAMPLE_FACTOR, deadline=None)
@given(documents)
def test_json_locator_points_at_each_key(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("j") / "doc.json"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    loaded, where = load_document(path)
    assert loaded == data
    lines = text.split("\n")  # JSON lines end at \n only (not at U+0085 and friends)
    for key_path, _ in _paths(data):
        line = where(key_path)
        assert line is not None
        last = key_path[-1]
        if isinstance(last, str):
            assert lines[line - 1].lstrip().startswith(json.dumps(last, ensure_ascii=False) + ":")


words = st.lists(st.text(alphabet="abcdefg一二三四五六", min_size=1, max_size=6), max_size=20)


@given(words, st.integers(min_value=6, max_value=40))
def test_wrap_stays_within_width(pieces, width):
    text = " ".join(pieces)
    for line in wrap(text, width).split("\n"):
        # only an unbreakable Latin word longer than the width may overflow
        assert display_width(line) <= width or " " not in line and line.isascii()
    assert wrap(text, width).replace("\n", "").replace(" ", "") == text.replace(" ", "")
