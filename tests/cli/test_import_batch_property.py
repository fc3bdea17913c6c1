"""Invariant: how a contacts or touchpoints file is cut into batches changes nothing. With batches
of one row, every repeat is found in the database (as the row-by-row import found it); with one
batch, repeats of the batch's own new rows take the pending path. Same messages, counts, rows."""

from __future__ import annotations

import json
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cli

ACCOUNTS = ["Acme", "acme", "#1", "EXT-B", "Äsa Industries", "äsa", "Globex", "Nowhere"]
NAMES = ["Ana", "ana", "ÅSA", "åsa", "Ben", " "]
EMAILS = ["", "ana@x.test", "ANA@x.test", "ben@x.test"]
MOMENTS = ["2026-05-01", "2026-05-01T12:00:00Z", "2026-05-01T14:00:00+02:00", "2026-05-02"]
SUMMARIES = ["Call", "call", "Sync"]
POLICIES = ["update", "fail", "skip"]


def _run(cli: Cli, base, monkeypatch, chunk: int, entity: str, path, policy: str) -> tuple:
    from csmctl.importing import runner

    shutil.copyfile(base, cli.db_path)
    monkeypatch.setattr(runner, "CHUNK", chunk)
    result = cli("import", entity, str(path), "--on-conflict", policy)
    listing = json.loads(cli.ok(entity[:-1], "list", "-f", "json").stdout)
    return result.exit_code, result.stderr, listing


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    contacts=st.lists(
        st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(NAMES), st.sampled_from(EMAILS)), max_size=8
    ),
    touchpoints=st.lists(
        st.tuples(
            st.sampled_from(ACCOUNTS[:7]),
            st.sampled_from(MOMENTS),
            st.sampled_from(SUMMARIES),
            st.sampled_from(["", "positive", "negative"]),
        ),
        max_size=8,
    ),
    policy=st.sampled_from(POLICIES),
)
def test_batch_size_changes_nothing(tmp_path_factory, monkeypatch, contacts, touchpoints, policy):
    work = tmp_path_factory.mktemp("batches")
    base = work / "base.db"
    setup = Cli(base)
    accounts = work / "accounts.csv"
    accounts.write_text("name,external_id\nAcme,EXT-A\nÄsa Industries,EXT-B\nGlobex,\n")
    setup.ok("import", "accounts", str(accounts))
    seed = work / "seed.csv"
    seed.write_text("account,name,email\nAcme,Ana,ana@x.test\n")
    setup.ok("import", "contacts", str(seed))
    seed.write_text("account,occurred_at,summary\nAcme,2026-05-01,Call\n")
    setup.ok("import", "touchpoints", str(seed))

    files = {
        "contacts": "account,name,email\n" + "".join(f"{a},{n},{e}\n" for a, n, e in contacts),
        "touchpoints": "account,occurred_at,summary,sentiment\n"
        + "".join(f"{a},{m},{s},{f}\n" for a, m, s, f in touchpoints),
    }
    for entity, text in files.items():
        path = work / f"{entity}.csv"
        path.write_text(text)
        one = _run(Cli(work / "one.db"), base, monkeypatch, 1, entity, path, policy)
        many = _run(Cli(work / "many.db"), base, monkeypatch, 1000, entity, path, policy)
        assert one[0] == many[0]
        assert one[1].replace(str(work / "one.db"), "DB") == many[1].replace(str(work / "many.db"), "DB")
        assert one[2] == many[2]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accounts=st.lists(
        st.tuples(
            st.sampled_from(["Acme", "ACME", "Äsa Industries", "äsa industries", "Globex", "Initech"]),
            st.sampled_from(["", "EXT-A", "EXT-B", "EXT-N"]),
        ),
        max_size=8,
    ),
    policy=st.sampled_from(POLICIES),
)
def test_account_batch_size_changes_nothing(tmp_path_factory, monkeypatch, accounts, policy):
    """Accounts too: the lines of earlier rows ("appears earlier in the file (line N)") come from
    the batch itself or from the temp table earlier batches filled, with the same result."""
    work = tmp_path_factory.mktemp("account-batches")
    base = work / "base.db"
    seed = work / "seed.csv"
    seed.write_text("name,external_id\nAcme,EXT-A\nGlobex,\n")
    Cli(base).ok("import", "accounts", str(seed))
    path = work / "accounts.csv"
    path.write_text("name,external_id\n" + "".join(f"{n},{e}\n" for n, e in accounts))
    one = _run(Cli(work / "one.db"), base, monkeypatch, 1, "accounts", path, policy)
    many = _run(Cli(work / "many.db"), base, monkeypatch, 1000, "accounts", path, policy)
    assert one[0] == many[0]
    assert one[1].replace(str(work / "one.db"), "DB") == many[1].replace(str(work / "many.db"), "DB")

    def stamped(listing: list[dict]) -> list[dict]:  # the two runs' clocks differ
        return [{k: v for k, v in a.items() if k not in ("created_at", "updated_at")} for a in listing]

    assert stamped(one[2]) == stamped(many[2])
