"""The domain layer is pure: importing any domain module pulls in nothing from the other layers."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import csmctl.domain

FORBIDDEN = ("csmctl.documents", "csmctl.store", "csmctl.cli", "csmctl.output")


def test_domain_modules_import_no_other_layer():
    names = [f"csmctl.domain.{m.name}" for m in pkgutil.iter_modules(csmctl.domain.__path__)]
    # A fresh interpreter: this test process has long since imported every layer.
    code = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True).stdout)
    leaked = [m for m in loaded if m.startswith(FORBIDDEN)]
    assert "csmctl.domain.playbook" in loaded
    assert leaked == []
