"""The report's overdue count, its `--fail-on overdue` message and `renewals` agree; so do
`onboard status` and `brief` on onboarding progress."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.agreement.conftest import as_json, load
from tests.conftest import AS_OF

TODAY = date.fromisoformat(AS_OF)
FAST = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(
    rows=st.lists(
        st.tuples(st.integers(-60, 120), st.booleans(), st.one_of(st.none(), st.integers(0, 60))),
        min_size=1,
        max_size=6,
    )
)
def test_overdue_agrees_in_report_fail_on_and_renewals(fresh_book, tmp_path, rows):
    cli = fresh_book()
    load(
        cli,
        tmp_path,
        "accounts",
        [
            {
                "name": f"Acct {i}",
                "renewal_date": (TODAY + timedelta(days=days)).isoformat(),
                "auto_renew": auto,
                "notice_days": notice,
                "arr": "1000",
            }
            for i, (days, auto, notice) in enumerate(rows)
        ],
    )
    summary = as_json(cli, "report", "renewals")["summary"]
    buckets = {b["key"]: b["count"] for b in as_json(cli, "renewals")["buckets"]}
    assert summary["overdue"] == buckets.get("overdue", 0) == sum(days < 0 for days, _, _ in rows)
    assert summary["auto_renewed"] == sum(days < 0 and auto for days, auto, _ in rows)
    failed = cli("report", "renewals", "--fail-on", "overdue")
    if summary["overdue"]:
        assert failed.exit_code == 3
        assert failed.stderr.splitlines()[-1] == f"Error: Found {summary['overdue']} overdue (--fail-on)."
    else:
        assert failed.exit_code == 0


def brief_percent(cli, account: str) -> int:
    found = re.search(r"finished \((\d+) %\)", cli.ok("brief", account).stdout)
    assert found is not None
    return int(found.group(1))


@FAST
@given(closed=st.lists(st.sampled_from(["done", "skip"]), max_size=6))
def test_progress_agrees_in_onboard_status_and_brief(fresh_book, tmp_path, closed):
    cli = fresh_book()
    load(cli, tmp_path, "accounts", [{"name": "Acme"}])
    cli.ok("onboard", "start", "Acme", "--anchor", (TODAY - timedelta(days=20)).isoformat())
    for position, verb in enumerate(closed, start=1):
        cli.ok("onboard", "task", verb, "Acme", str(position))
    (status,) = as_json(cli, "onboard", "status")
    assert status["progress"] == brief_percent(cli, "Acme") == 100 * len(closed) // status["total"]
