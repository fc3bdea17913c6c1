"""A small book for the risk and forecast tests (the demo has its own risks and forecasts)."""

from __future__ import annotations

import pytest

ACCOUNTS = [
    ("Blue Yonder Airlines", "Marco Bianchi", "strategic", "880k", "USD", "2027-04-18"),
    ("Alpine Ski House", "Marco Bianchi", "smb", "12k", "EUR", "2027-04-06"),
    ("Bellows College", "Priya Natarajan", "mid-market", "44k", "USD", "2027-03-22"),
    ("Litware Labs", "Dana Reyes", "mid-market", "58k", "USD", "2027-04-10"),
]


@pytest.fixture
def book(cli):
    for name, owner, tier, arr, currency, renewal in ACCOUNTS:
        cli.ok(
            "account", "add", name, "--owner", owner, "--tier", tier, "--arr", arr,
            "--currency", currency, "--renewal", renewal,
        )  # fmt: skip
    return cli
