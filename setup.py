"""Builds majlis; pyproject.toml holds the metadata. The extraction rules are compiled with mypyc.

The relation extractors are plain Python, and the per-token and per-sentence loops of an article
spend most of its time in them. mypyc compiles them, typed by their annotations and checked by mypy,
to C extension modules (extract/compiled.py lists them; docs/performance.md has the figures). The
sources stay the reference and run as they are wherever nothing was compiled:
- MAJLIS_PURE_PYTHON=1 at install time compiles nothing;
- a build that fails (no C compiler, no mypy, a type error) installs the sources, with a warning,
  and tests/test_compiled.py then fails;
- extract/__init__.py runs the sources when a compiled module is older than its source.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from extract.compiled import MODULES, source_of  # noqa: E402  (the list the import-time check reads)


class BuildOrFallBack(build_ext):
    """All the compiled modules or none: mypyc's share one library, without which none imports."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001  (a compiler's failure has many types)
            for built in self.get_outputs():
                Path(built).unlink(missing_ok=True)
            print(f"majlis: compiling the extraction rules failed ({exc}); installing them as Python", file=sys.stderr)


def compiled_modules() -> list:
    if os.environ.get("MAJLIS_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("majlis: mypyc is not installed; installing the extraction rules as Python", file=sys.stderr)
        return []
    try:
        return mypycify(["--ignore-missing-imports", *(str(source_of(m).relative_to(ROOT)) for m in MODULES)],
                        opt_level="3")
    except (Exception, SystemExit) as exc:  # mypy's type errors end in SystemExit, after printing them
        print(f"majlis: mypyc refused the extraction rules ({exc}); installing them as Python", file=sys.stderr)
        return []


setup(ext_modules=compiled_modules(), cmdclass={"build_ext": BuildOrFallBack})
