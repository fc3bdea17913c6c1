"""The renewal report's retention table (the period's ledger summed per currency in SQL:
store.renewals.ledger_totals) and `metric retention` (an entry per event through
domain.metrics) agree on every kind of outcome, free contracts and zero amounts included."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.agreement.conftest import as_json, load
from tests.conftest import AS_OF

TODAY = date.fromisoformat(AS_OF)
FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
OUTCOMES = (None, "renewed", "expanded", "contracted", "churned")  # None: still pending


@FAST
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(("USD", "EUR", "JPY")),
            st.sampled_from((0, 1, 1000, 250_000)),
            st.integers(-200, -1),
            st.sampled_from(OUTCOMES),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_report_retention_agrees_with_metric_retention(fresh_book, tmp_path, rows):
    cli = fresh_book()
    load(
        cli,
        tmp_path,
        "accounts",
        [
            {
                "name": f"Acct {i}",
                "currency": currency,
                "arr": str(arr),
                "renewal_date": (TODAY + timedelta(days=days)).isoformat(),
            }
            for i, (currency, arr, days, _) in enumerate(rows)
        ],
    )
    for i, (_, arr, days, outcome) in enumerate(rows):
        on = ["--date", (TODAY + timedelta(days=days)).isoformat()]
        if outcome in ("renewed", "churned"):
            cli.ok("renewal", "record", f"Acct {i}", "--outcome", outcome, *on)
        elif outcome == "expanded":
            cli.ok("renewal", "record", f"Acct {i}", "--outcome", outcome, "--arr", str(arr + 500), *on)
        elif outcome == "contracted" and arr > 1:
            cli.ok("renewal", "record", f"Acct {i}", "--outcome", outcome, "--arr", str(arr // 2), *on)
    report = as_json(cli, "report", "renewals")["metrics"]
    assert report == as_json(cli, "metric", "retention")
