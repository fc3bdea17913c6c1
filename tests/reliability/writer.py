"""A writer process for the concurrency tests: runs a script of csmctl commands in-process.

    python writer.py DB SCRIPT.json [GO_FILE]

SCRIPT.json is a list of argv lists (without --db). Each runs through the real app (CliRunner,
so every command opens the book, takes its transaction and closes, as a csmctl process does)
without paying interpreter start-up per command. With GO_FILE, waits for that file to exist
first, so two writers start together. Prints one JSON line per command: its exit code, and its
stderr when it failed or printed a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    db, script = sys.argv[1], json.loads(Path(sys.argv[2]).read_text())
    if len(sys.argv) > 3:
        go = Path(sys.argv[3])
        while not go.exists():
            time.sleep(0.001)
    from typer.testing import CliRunner

    from csmctl.cli import app

    runner = CliRunner()
    for argv in script:
        result = runner.invoke(app, ["--db", db, *argv])
        record = {"argv": argv, "exit": result.exit_code}
        if result.exit_code != 0 or "Traceback" in result.stderr:
            record["stderr"] = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            record["exception"] = repr(result.exception)
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
