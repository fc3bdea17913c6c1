"""The README's touchpoint examples run as written, so a renamed flag breaks the build."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands() -> list[list[str]]:
    text = README.read_text()
    section = text.split("## Touchpoints, follow-ups and cadence", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line, comments=True)[1:] for line in block.splitlines() if line.strip()]


def test_readme_examples_run_on_the_demo_book(demo_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "activities.csv").write_text("account,when,summary\nNorthwind Logistics,2026-11-02,Call\n")
    commands = readme_commands()
    assert len(commands) >= 10
    for args in commands:
        result = demo_cli(*args)
        assert result.exit_code == 0, f"{args}: {result.stderr}"
    assert (tmp_path / "touchpoints.csv").read_text().startswith("account,kind,occurred_at,")
