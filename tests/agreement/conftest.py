"""Agreement tests: a fresh book per hypothesis example, on SQLite and on PostgreSQL.

``fresh_book()`` returns a ``Cli`` (tests/conftest.py) on a new, empty database: a new file in
tmp_path on SQLite, a new schema in the session's throwaway cluster on PostgreSQL. Books are built
with one ``import accounts`` and one ``import touchpoints`` (the real write paths), so an example
costs a few in-process commands.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

# Owners that the old SQLite lower() and Python's casefold() disagreed on, plus plain ASCII ones.
OWNERS = ("ÉMILE Ðoe", "émile  ðoe", "straße", "STRASSE", "Strasse", "Dana Reyes", "dana reyes", None)


@pytest.fixture
def fresh_book(backend, tmp_path, request) -> Callable[[], Cli]:
    counter = itertools.count()

    def make() -> Cli:
        if backend == "sqlite":
            return Cli(tmp_path / f"book{next(counter)}.db")
        cluster = request.getfixturevalue("pg_cluster")
        return Cli(cluster.schema_url(cluster.create_schema()))

    return make


def load(cli: Cli, tmp_path: Path, kind: str, records: Iterable[Mapping[str, Any]]) -> None:
    """``csmctl import KIND`` of ``records`` (a JSON file), all-or-nothing; nothing for none."""
    records = list(records)
    if not records:
        return
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    cli.ok("import", kind, str(path))


def as_json(cli: Cli, *args: str, **kwargs) -> Any:
    return json.loads(cli.ok(*args, "-f", "json", **kwargs).stdout)
