"""A small fixed book for the renewal tests (independent of the demo, so golden files only change
when the renewal code does). Today is AS_OF = 2026-11-23."""

from __future__ import annotations

import pytest

# name, currency, ARR, renewal date, extra `account add` options
ACCOUNTS = [
    (
        "Acme Corp",
        "USD",
        "120k",
        "2026-11-10",
        ["--notice-days", "60", "--owner", "Dana Reyes", "--tier", "enterprise"],
    ),
    ("Birch Ltd", "GBP", "40k", "2026-11-15", ["--auto-renew", "--owner", "Kenji Sato", "--tier", "smb"]),
    ("Cobalt GmbH", "EUR", "80k", "2026-12-01", ["--notice-days", "30", "--owner", "Dana Reyes"]),
    ("Delta KK", "JPY", "5M", "2027-01-10", ["--notice-days", "45", "--owner", "Kenji Sato"]),
    ("Echo & Sons <Ltd>", "USD", "50k", "2027-02-20", ["--tag", "renewal-risk", "--owner", "Dana Reyes"]),
    ("Fjord AS", "USD", "30k", "2027-03-15", ["--owner", "Kenji Sato", "--tier", "mid-market"]),
    ("Gamma Inc", "USD", "10k", "2027-06-01", []),
    ("Harbor LLC", "USD", "100k", "2026-09-01", ["--owner", "Dana Reyes"]),
    ("Iris SA", "EUR", "60k", "2026-10-01", ["--owner", "Dana Reyes"]),
    ("Juniper", "USD", "20k", "2026-11-05", ["--owner", "Kenji Sato"]),
    ("Kilo Co", "GBP", "25k", "2026-07-01", ["--owner", "Kenji Sato"]),
]
OUTCOMES = [
    ("Harbor LLC", ["--outcome", "expanded", "--date", "2026-08-25", "--arr", "120k"]),
    ("Iris SA", ["--outcome", "contracted", "--date", "2026-10-05", "--arr", "45k"]),
    ("Juniper", ["--outcome", "churned", "--date", "2026-11-05"]),
    ("Kilo Co", ["--outcome", "renewed", "--date", "2026-06-20"]),
]


@pytest.fixture(scope="session")
def book_file(tmp_path_factory):
    """Built once through the CLI, then copied for each test (a test may change its copy)."""
    from tests.conftest import Cli

    home = tmp_path_factory.mktemp("book")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CSMCTL_DATA_DIR", str(home / "data"))
        env.setenv("CSMCTL_CONFIG_DIR", str(home / "config"))
        for name in ("CSMCTL_DB", "CSMCTL_AS_OF", "CSMCTL_CONFIG", "CSMCTL_USER", "NO_COLOR"):
            env.delenv(name, raising=False)
        cli = Cli(home / "book.db")
        for name, currency, arr, renewal, extra in ACCOUNTS:
            cli.ok("account", "add", name, "--currency", currency, "--arr", arr, "--renewal", renewal, *extra)
        for name, options in OUTCOMES:
            cli.ok("renewal", "record", name, *options)
    return home / "book.db"


@pytest.fixture
def book(cli, db_path, book_file):
    import shutil

    shutil.copyfile(book_file, cli.db_path)
    return cli
