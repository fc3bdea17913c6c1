"""The README's set-up and "A first session" run as written, in order, on the installed csmctl."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
pytestmark = pytest.mark.slow


def first_session() -> list[tuple[list[str], list[str]]]:
    """Each `$ command` of the first session with the lines the README shows after it."""
    section = README.read_text().split("## A first session", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", section, re.S).group(1)
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((shlex.split(line[2:]), []))
        elif steps and line.strip():
            steps[-1][1].append(line)
    return steps


def test_first_session_runs_as_written_after_the_set_up(csmctl_bin, subprocess_env):
    env = dict(subprocess_env, CSMCTL_AS_OF="2026-11-23", COLUMNS="200")
    install = re.search(r"<!-- ci:install -->\n```sh\n(.*?)```", README.read_text(), re.S).group(1)
    assert install.strip().endswith("&& csmctl demo")  # the set-up fills the book first
    assert subprocess.run([csmctl_bin, "demo"], env=env, capture_output=True).returncode == 0
    steps = first_session()
    assert [args[:2] for args, _ in steps] == [["csmctl", "demo"], ["csmctl", "today"]]
    for args, shown in steps:
        result = subprocess.run([csmctl_bin, *args[1:]], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{args}: {result.stderr}"
        printed = (result.stdout + result.stderr).splitlines()
        for line in shown:
            if line.strip() == "...":
                continue
            expected = line.replace(
                "/home/dana/.local/share/csmctl/csmctl.db", f"{env['CSMCTL_DATA_DIR']}/csmctl.db"
            )
            assert expected.rstrip() in [p.rstrip() for p in printed], f"{args}: {line!r} not printed"
