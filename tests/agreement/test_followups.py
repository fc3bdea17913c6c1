"""`followup list`, `today` and `brief` list the same open follow-ups at any `--as-of`: a follow-up
is open on D when its touchpoint was logged by D and it was not done by D (done later counts)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.agreement.conftest import as_json, load
from tests.conftest import AS_OF

TODAY = date.fromisoformat(AS_OF)
ACCOUNTS = ("Acme", "Émile Ltd")

follow_ups = st.lists(
    st.tuples(
        st.sampled_from(ACCOUNTS),
        st.integers(-30, 0),  # logged, days from today
        st.integers(0, 20),  # due, days after it was logged
        st.one_of(st.none(), st.integers(0, 25)),  # done, days after it was logged (None: open)
    ),
    min_size=1,
    max_size=8,
)


def build(cli, tmp_path, rows) -> None:
    load(cli, tmp_path, "accounts", [{"name": name, "owner": "Dana"} for name in ACCOUNTS])
    records = []
    for n, (account, logged, due, done) in enumerate(rows):
        on = TODAY + timedelta(days=logged)
        record = {
            "account": account,
            "kind": "call",
            "occurred_at": on.isoformat(),
            "summary": f"call {n}",
            "follow_up_date": (on + timedelta(days=due)).isoformat(),
            "follow_up_text": f"FU{n}",
        }
        if done is not None:
            record.update(follow_up_done=True, follow_up_done_on=(on + timedelta(days=done)).isoformat())
        records.append(record)
    load(cli, tmp_path, "touchpoints", records)


def brief_follow_ups(cli, account: str, as_of: str) -> set[str]:
    text = cli.ok("brief", account, as_of=as_of).stdout
    section = text.split("## Open follow-ups", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^- \S+ \(.*\): (FU\d+)$", section, flags=re.M))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=follow_ups, back=st.integers(0, 30))
def test_open_follow_ups_agree_at_any_as_of(fresh_book, tmp_path, rows, back):
    cli = fresh_book()
    build(cli, tmp_path, rows)
    as_of = (TODAY - timedelta(days=back)).isoformat()
    listed = as_json(cli, "followup", "list", "--all", as_of=as_of)
    due = {f["id"] for f in listed if f["due"] <= as_of}
    today = {i["ref"] for i in as_json(cli, "today", as_of=as_of) if i["kind"] == "follow_up"}
    assert today == due
    for account in ACCOUNTS:
        assert brief_follow_ups(cli, account, as_of) == {f["text"] for f in listed if f["account"] == account}
