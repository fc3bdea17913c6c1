"""The bench's stack floors (bench/floors/) do the whole job they stand for: a floor that silently
stopped validating, rendering or compiling would make a goal look unreachable when it is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "bench" / "floors"
RESUME = ROOT / "tests" / "resume" / "fixtures" / "resume.yaml"


def floor(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(FLOORS / script), *args], capture_output=True, text=True)


@pytest.mark.sqlite_only  # no database involved
def test_the_jd_floor_validates_the_spec_and_renders_the_posting(cli, tmp_path):
    spec, out = tmp_path / "job.yaml", tmp_path / "posting.html"
    cli.ok(
        "--as-of", "2026-11-23", "jd", "new", "--level", "senior", "--segment", "enterprise", "-o", str(spec)
    )
    assert floor("jd_html.py", str(spec), "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "<h1>Senior Customer Success Manager, Enterprise</h1>" in html
    assert "$95,000 - $125,000" in html and "November 23, 2026" in html  # Babel worded them
    spec.write_text(spec.read_text(encoding="utf-8") + "book_size: {accounts: -1}\n", encoding="utf-8")
    assert floor("jd_html.py", str(spec), "-o", str(out)).returncode != 0  # it does validate


@pytest.mark.sqlite_only
def test_the_resume_floor_compiles_a_pdf(tmp_path):
    pytest.importorskip("typst")
    out = tmp_path / "resume.pdf"
    assert floor("resume_pdf.py", str(RESUME), "-o", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"%PDF-")
