"""An account whose ARR is unknown (issue 22) reaches the manager's views of issue 20: forecast,
book, snapshots and the charted renewal report leave it out and say so, never fail on it."""

import json


def test_unknown_arr_is_left_out_of_forecast_book_and_report(demo_cli, tmp_path):
    demo_cli.ok("account", "add", "Unpriced Co", "--renewal", "+30d")
    forecast = demo_cli.ok("forecast")
    assert "1 account with unknown ARR left out" in forecast.stderr
    lines = json.loads(demo_cli.ok("forecast", "--lines", "-f", "json").stdout)
    [unpriced] = [line for line in lines if line["account"] == "Unpriced Co"]
    assert unpriced["arr"] is None and unpriced["expected"] is None
    demo_cli.ok("forecast", "snapshot")
    demo_cli.ok("book", "--by", "owner")
    page = tmp_path / "book.html"
    demo_cli.ok("book", "-o", str(page))
    assert "<svg" in page.read_text()
    report = tmp_path / "renewals.html"
    demo_cli.ok("report", "renewals", "-o", str(report))
    assert "unknown ARR left out" in report.read_text()
