"""Shell completion offers the book's values (accounts, owners...) and the template folders',
through Click's completion protocol, without loading the ORM."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def complete(csmctl_bin, env, line: str) -> list[str]:
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    result = subprocess.run(
        [csmctl_bin],
        env=dict(env, _CSMCTL_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(cword)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def book(csmctl_bin, subprocess_env):
    demo = subprocess.run([csmctl_bin, "demo"], env=subprocess_env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    return subprocess_env


def test_completes_from_the_book_and_the_folders(csmctl_bin, book):
    assert complete(csmctl_bin, book, "csmctl account show No") == ["Nod Publishers", "Northwind Logistics"]
    assert complete(csmctl_bin, book, "csmctl touchpoint list -a Con") == ["Contoso Health"]
    assert complete(csmctl_bin, book, "csmctl account list --owner D") == ["Dana Reyes"]
    assert complete(csmctl_bin, book, "csmctl account add X --tier en") == ["enterprise"]
    assert complete(csmctl_bin, book, "csmctl onboard start Acme --playbook ") == ["low-touch", "standard"]
    assert "reports/renewals.md.j2" in complete(csmctl_bin, book, "csmctl template show rep")
    presets = complete(csmctl_bin, book, "csmctl import accounts f.csv --preset ")
    assert {"hubspot", "salesforce"} <= set(presets)


def test_no_book_offers_nothing_and_creates_nothing(csmctl_bin, subprocess_env, tmp_path):
    missing = tmp_path / "nowhere" / "book.db"
    assert complete(csmctl_bin, subprocess_env, f"csmctl --db {missing} account show ") == []
    assert not missing.parent.exists()
    pg = dict(subprocess_env, CSMCTL_DB="postgresql://nobody@127.0.0.1:1/none")
    assert complete(csmctl_bin, pg, "csmctl account show ") == []


def test_completion_loads_no_orm(book, tmp_path):
    probe = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: open({str(tmp_path / 'mods.json')!r}, 'w').write(json.dumps(sorted(sys.modules))))\n"
        "from csmctl.cli.app import main\n"
        "sys.argv = ['csmctl']\n"
        "main()\n"
    )
    env = dict(book, _CSMCTL_COMPLETE="complete_bash", COMP_WORDS="csmctl account show No", COMP_CWORD="3")
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines() == ["Nod Publishers", "Northwind Logistics"], result.stderr
    loaded = json.loads((tmp_path / "mods.json").read_text())
    assert not [m for m in loaded if m.split(".")[0] in ("sqlmodel", "sqlalchemy", "jinja2", "yaml")]
