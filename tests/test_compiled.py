"""The compiled extraction modules (setup.py, extract/compiled.py): built where pip builds them, and
never run once older than their sources."""
from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extract import compiled

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _checkout(tmp_path: Path, *, source_newer: bool, checkout: bool = True) -> Path:
    """A package tree like extract/ with people.py and a compiled people module beside it."""
    package = tmp_path / "extract"
    (package / "relations").mkdir(parents=True)
    if checkout:
        (tmp_path / "pyproject.toml").write_text("")
    source = package / "relations/people.py"
    extension = package / f"relations/people{SUFFIX}"
    source.write_text("")
    extension.write_bytes(b"")
    older, newer = 1_700_000_000, 1_700_000_100
    os.utime(source, (newer, newer) if source_newer else (older, older))
    os.utime(extension, (older, older) if source_newer else (newer, newer))
    return package


def test_a_compiled_module_older_than_its_source_is_stale(tmp_path):
    assert compiled.stale(_checkout(tmp_path, source_newer=True)) == ["extract.relations.people"]


def test_a_compiled_module_newer_than_its_source_is_not(tmp_path):
    assert compiled.stale(_checkout(tmp_path, source_newer=False)) == []


def test_outside_a_source_checkout_nothing_is_stale(tmp_path):
    # pip installs a wheel's sources and extensions together, in whatever order: their times say nothing.
    assert compiled.stale(_checkout(tmp_path, source_newer=True, checkout=False)) == []


def test_the_source_finder_finds_the_listed_modules_sources_only():
    finder = compiled._Sources()
    spec = finder.find_spec("extract.relations.people")
    assert spec is not None and spec.origin == str(compiled.PACKAGE / "relations/people.py")
    assert isinstance(spec.loader, importlib.machinery.SourceFileLoader)
    assert finder.find_spec("extract.pipeline") is None


@pytest.mark.skipif(bool(os.environ.get("MAJLIS_PURE_PYTHON")), reason="MAJLIS_PURE_PYTHON: built without mypyc")
def test_the_installed_build_runs_the_compiled_rules():
    # The speed figures in docs/performance.md are the compiled modules'; `make install` builds them.
    import extract.relations.events  # noqa: F401
    import extract.relations.people  # noqa: F401

    assert compiled.stale() == [], "run `make install`: a compiled module is older than its source"
    assert compiled.is_compiled("extract.relations.people") and compiled.is_compiled("extract.relations.events")


@pytest.mark.skipif(not compiled.extensions_of("extract.relations.people"), reason="built without mypyc")
def test_an_edited_module_runs_from_the_sources_with_a_warning(tmp_path):
    # A checkout whose people.py was edited after the build: all the compiled modules run from source.
    root = Path(compiled.PACKAGE).parent
    shutil.copytree(compiled.PACKAGE, tmp_path / "extract", ignore=shutil.ignore_patterns("__pycache__"))
    for shared in root.glob("*__mypyc*"):  # mypyc's shared library, which the modules' shims load
        shutil.copy(shared, tmp_path)
    (tmp_path / "pyproject.toml").write_text("")
    check = "import extract.relations.people as p, extract.relations.events as e; print(p.__file__, e.__file__)"
    fresh = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert fresh.stdout.split() == [str(tmp_path / f"extract/relations/{m}{SUFFIX}") for m in ("people", "events")]
    assert "newer than its compiled module" not in fresh.stderr
    (tmp_path / "extract/relations/people.py").touch()
    edited = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert edited.stdout.split() == [str(tmp_path / f"extract/relations/{m}.py") for m in ("people", "events")]
    assert "people.py is newer than its compiled module" in edited.stderr
