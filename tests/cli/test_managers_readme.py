"""The README's section for managers runs as written on the demo book (acme = an account there,
risk 3 = a demo risk), so a renamed flag breaks the build, not the reader."""

from __future__ import annotations

import re
import shlex

from tests.cli.test_touchpoint_readme import README


def manager_commands() -> list[list[str]]:
    section = README.read_text().split("## For managers", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    swap = {"acme": "Litware"}
    return [
        [swap.get(a, a) for a in shlex.split(line, comments=True)[1:]]
        for line in block.splitlines()
        if line.strip()
    ]


def test_manager_examples_run_on_the_demo_book(demo_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands = manager_commands()
    assert len(commands) >= 12
    for args in commands:
        result = demo_cli(*args, env={"CSMCTL_USER": "Dana Reyes"})
        assert result.exit_code == 0, f"{args}: {result.stderr}"
    assert "<svg" in (tmp_path / "book.html").read_text()
