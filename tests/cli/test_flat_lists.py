"""`stale` and `renewal list` stream with bounded memory: sorted in spilled chunks, rows from the
cursor, plain tables through a spool. Whatever spills, the bytes are those of the whole list in
memory."""

from __future__ import annotations

import pytest

from csmctl import output, spool

FORMATS = [[], ["-f", "json"], ["-f", "csv"], ["-f", "md"]]


@pytest.fixture
def tiny_memory(monkeypatch):
    """Everything spills: two stale entries per sorted chunk, one record per table batch, none held."""

    def apply():
        monkeypatch.setattr(spool, "IN_MEMORY", 2)
        monkeypatch.setattr(output, "TEXT_BATCH", 1)
        monkeypatch.setattr(output, "TABLE_BATCHES_HELD", 0)

    return apply


@pytest.mark.parametrize("fmt", FORMATS)
def test_stale_spilled_is_byte_for_byte_the_list_in_memory(demo_cli, tiny_memory, fmt):
    runs = [["stale", *fmt], ["stale", "--limit", "3", *fmt]]
    whole = [demo_cli.ok(*args).stdout for args in runs]
    assert whole[0].count("\n") > 4  # the demo book has stale accounts to sort
    tiny_memory()
    assert [demo_cli.ok(*args).stdout for args in runs] == whole


def test_stale_fail_if_any_counts_every_stale_account_past_the_limit(demo_cli, tiny_memory):
    import json

    found = len(json.loads(demo_cli.ok("stale", "-f", "json").stdout))
    tiny_memory()
    result = demo_cli("stale", "--limit", "1", "--fail-if-any")
    assert result.exit_code == 3
    assert f"{found} stale accounts" in result.stderr
    assert "1 shown (--limit)" in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_renewal_list_streamed_is_the_list_built_whole(demo_cli, tiny_memory, fmt):
    """The old assembly (build_renewals, group_buckets, the buckets' rows held) as the oracle."""
    import io

    from csmctl.domain.renewals import build_renewals, group_buckets
    from csmctl.store.database import Database
    from csmctl.store.renewals import renewal_rows

    args = ["renewal", "list", "--within", "200d", *fmt]
    streamed = demo_cli.ok(*args).stdout
    tiny_memory()
    assert demo_cli.ok(*args).stdout == streamed
    if fmt != ["-f", "json"]:
        return
    from datetime import date

    from tests.conftest import AS_OF

    today = date.fromisoformat(AS_OF)
    with Database(str(demo_cli.db_path)).rows() as connection:
        until = date.fromordinal(today.toordinal() + 200)
        rows = build_renewals(renewal_rows(connection, until=until), today)
    buckets = group_buckets(rows)
    assert len(rows) > 3
    whole = io.StringIO()
    output.emit_object(
        {
            "as_of": today,
            "within_days": 200,
            "owner": None,
            "buckets": [b.as_dict() for b in buckets],
            "unknown_arr_count": sum(b.unknown_arr_count for b in buckets),
        },
        "json",
        stream=whole,
    )
    assert streamed == whole.getvalue()
