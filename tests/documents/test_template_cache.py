"""The compiled-template cache: a repeat render loads compiled code, the output stays the same, an
edited template or a differently shaped environment is compiled afresh, and a cache that cannot be
used is skipped, never an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment

from csmctl.documents import engine
from csmctl.documents.filters import markdown_finalize
from csmctl.documents.resume_render import environment


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """A cache of this test's own (the session's shared one may hold anything)."""
    monkeypatch.setenv("CSMCTL_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiled from source."""
    seen: list[str] = []
    original = Environment.compile

    def compile_(self, source, name=None, filename=None, *args, **kwargs):
        seen.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", compile_)
    return seen


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "templates").glob("*.jinja"))


def test_a_repeat_render_loads_the_compiled_template(tmp_path, compiles):
    dirs = [tmp_path / "t"]
    dirs[0].mkdir()
    (dirs[0] / "a.md.j2").write_text("# {{ title }}\n{% for x in items %}- {{ x }}\n{% endfor %}")
    first = engine.render("a.md.j2", {"title": "Q*3", "items": ["a_b", "c"]}, dirs=dirs)
    assert compiles == ["a.md.j2"] and len(cache_files(tmp_path)) == 1
    second = engine.render("a.md.j2", {"title": "Q*3", "items": ["a_b", "c"]}, dirs=dirs)
    assert compiles == ["a.md.j2"]  # not compiled again
    assert second == first == "# Q\\*3\n- a\\_b\n- c\n"  # the Markdown finalize still applies
    assert os.stat(tmp_path / "cache" / "templates").st_mode & 0o777 == 0o700


def test_an_edited_template_is_compiled_again(tmp_path, compiles):
    dirs = [tmp_path / "t"]
    dirs[0].mkdir()
    (dirs[0] / "a.txt.j2").write_text("one {{ x }}")
    assert engine.render("a.txt.j2", {"x": 1}, dirs=dirs) == "one 1"
    (dirs[0] / "a.txt.j2").write_text("two {{ x }}")
    assert engine.render("a.txt.j2", {"x": 1}, dirs=dirs) == "two 1"
    assert compiles == ["a.txt.j2", "a.txt.j2"]


def test_a_differently_shaped_environment_does_not_reuse_the_code(tmp_path, compiles):
    """The same file compiled without and with the Markdown finalize, and with each resume
    language's filters: each is its own cache entry (Jinja folds constants at compile time)."""
    dirs = [tmp_path / "t"]
    dirs[0].mkdir()
    (dirs[0] / "a.j2").write_text("{{ '*x*' }}")
    plain = engine.make_environment(dirs)
    assert engine.render("a.j2", {}, dirs=dirs, env=plain) == "*x*"
    escaped = engine.make_environment(dirs)
    escaped.finalize = markdown_finalize
    assert engine.render("a.j2", {}, dirs=dirs, env=escaped) == "\\*x\\*"
    assert engine.render("a.j2", {}, dirs=dirs, env=engine.make_environment(dirs)) == "*x*"
    shapes = {engine._environment_shape(environment(dirs, "md", lang)) for lang in ("en", "ja")}
    assert len(shapes) == 2 and None not in shapes
    assert len(compiles) == 2 and len(cache_files(tmp_path)) == 2


def test_the_shape_is_the_same_in_every_process(tmp_path):
    """Hash seeds and addresses stay out of the key, or the cache would never hit."""
    import subprocess
    import sys

    script = (
        "from csmctl.documents import engine; from csmctl.documents.resume_render import environment; "
        "print(engine._environment_shape(environment(engine.search_path(), 'typ', 'en')))"
    )
    shapes = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(shapes) == 1 and "None" != shapes.pop().strip()


def test_a_shared_writable_cache_dir_is_not_used(tmp_path, compiles):
    cache = tmp_path / "cache" / "templates"
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    dirs = [tmp_path / "t"]
    dirs[0].mkdir()
    (dirs[0] / "a.txt.j2").write_text("{{ x }}")
    assert engine.render("a.txt.j2", {"x": 1}, dirs=dirs) == "1"
    assert engine.render("a.txt.j2", {"x": 1}, dirs=dirs) == "1"
    assert compiles == ["a.txt.j2", "a.txt.j2"] and cache_files(tmp_path) == []


def test_an_unusable_cache_never_fails_the_render(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("CSMCTL_CACHE_DIR", str(tmp_path / "file"))  # a file where the dir should be
    dirs = [tmp_path / "t"]
    dirs[0].mkdir()
    (dirs[0] / "a.txt.j2").write_text("{{ x }}")
    assert engine.render("a.txt.j2", {"x": 2}, dirs=dirs) == "2"


def test_a_damaged_cache_file_is_compiled_afresh(tmp_path, compiles):
    dirs = [tmp_path / "t"]
    dirs[0].mkdir()
    (dirs[0] / "a.txt.j2").write_text("{{ x }}!")
    engine.render("a.txt.j2", {"x": 1}, dirs=dirs)
    (entry,) = cache_files(tmp_path)
    entry.write_bytes(entry.read_bytes()[:40])
    assert engine.render("a.txt.j2", {"x": 1}, dirs=dirs) == "1!"
    assert compiles == ["a.txt.j2", "a.txt.j2"]


def test_a_filter_that_calls_another_helper_or_has_another_default_is_another_shape(tmp_path):
    """Jinja folds a filter applied to a literal into the compiled code: a filter edited to call
    another function, or given another default, must not reuse the code compiled with the old one
    (the bytecode and constants alone are the same for both)."""
    dirs = [tmp_path]

    def shape(function) -> str | None:
        env = engine.make_environment(dirs)
        env.filters["f"] = function
        return engine._environment_shape(env)

    def calls_one(x):
        return str(x)

    def calls_other(x):
        return repr(x)

    def full(x, style="full"):
        return x

    def short(x, style="short"):
        return x

    calls_one.__qualname__ = calls_other.__qualname__ = full.__qualname__ = short.__qualname__ = "f"
    shapes = [shape(f) for f in (calls_one, calls_other, full, short)]
    assert None not in shapes and len(set(shapes)) == 4
