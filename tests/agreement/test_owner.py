"""`--owner` gives the same accounts in every command (folded like account names, non-ASCII too)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.agreement.conftest import OWNERS, as_json, load
from tests.conftest import AS_OF

TODAY = date.fromisoformat(AS_OF)
SPELLINGS = (
    str.upper,
    str.lower,
    str.casefold,
    str.swapcase,
    str.title,
    lambda s: f"  {s.replace(' ', '   ')} ",
)

accounts = st.lists(
    st.tuples(
        st.sampled_from(OWNERS),
        st.one_of(st.none(), st.integers(-40, 100)),  # renewal in days from today
        st.booleans(),  # auto-renew
        st.one_of(st.none(), st.integers(-30, 10)),  # an open follow-up due in days from today
    ),
    min_size=1,
    max_size=6,
)


def build(cli, tmp_path, rows) -> None:
    load(
        cli,
        tmp_path,
        "accounts",
        [
            {
                "name": f"Acct {i}",
                "owner": owner,
                "renewal_date": None if days is None else (TODAY + timedelta(days=days)).isoformat(),
                "auto_renew": auto,
                "arr": "1000",
            }
            for i, (owner, days, auto, _) in enumerate(rows)
        ],
    )
    load(
        cli,
        tmp_path,
        "touchpoints",
        [
            {
                "account": f"Acct {i}",
                "kind": "call",
                "occurred_at": (TODAY - timedelta(days=40)).isoformat(),
                "summary": "kickoff",
                "follow_up_date": (TODAY + timedelta(days=due)).isoformat(),
                "follow_up_text": f"FU {i}",
            }
            for i, (_, _, _, due) in enumerate(rows)
            if due is not None
        ],
    )
    cli.ok("onboard", "start", "Acct 0", "--anchor", (TODAY - timedelta(days=30)).isoformat())


def names(records, key="account") -> set[str]:
    return {r[key] for r in records}


def renewal_names(data) -> list[str]:
    return sorted(r["name"] for b in data["buckets"] for r in b["renewals"])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=accounts, pick=st.sampled_from([o for o in OWNERS if o]), spell=st.sampled_from(SPELLINGS))
def test_owner_filter_agrees_across_commands(fresh_book, tmp_path, rows, pick, spell):
    cli = fresh_book()
    build(cli, tmp_path, rows)
    wanted = spell(pick)
    mine = names(as_json(cli, "account", "list", "--owner", wanted), key="name")
    assert mine == {
        f"Acct {i}" for i, r in enumerate(rows) if r[0] and r[0].casefold().split() == pick.casefold().split()
    }

    assert names(as_json(cli, "health", "--owner", wanted)) == mine

    everything = as_json(cli, "today")
    expected = sorted((i["kind"], i["ref"], i["why"]) for i in everything if i["account"] in mine)
    assert (
        sorted((i["kind"], i["ref"], i["why"]) for i in as_json(cli, "today", "--owner", wanted)) == expected
    )

    assert names(as_json(cli, "onboard", "status", "--owner", wanted)) == {
        r["account"] for r in as_json(cli, "onboard", "status") if r["account"] in mine
    }
    followups = as_json(cli, "followup", "list", "--all", "--owner", wanted)
    assert sorted(f["id"] for f in followups) == sorted(
        f["id"] for f in as_json(cli, "followup", "list", "--all") if f["account"] in mine
    )

    renewing = renewal_names(as_json(cli, "renewals", "--owner", wanted))
    assert renewing == sorted(n for n in renewal_names(as_json(cli, "renewals")) if n in mine)
    assert renewal_names(as_json(cli, "report", "renewals", "--owner", wanted)) == renewing
