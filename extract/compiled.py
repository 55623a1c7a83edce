"""The modules setup.py compiles with mypyc, and the check that a compiled one is not stale.

An editable install builds each compiled module beside its source (`people.cpython-311-...so`
beside `people.py`), and Python imports the extension first. After an edit the extension would go
on running the old code without a word; so, in a source checkout, if any extension is older than
its source, all these modules are imported from their sources instead (mypyc's modules call each
other directly in C, so one stale module cannot be mixed with fresh ones), with one warning.
`make install` rebuilds them.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
MODULES = ("extract.normalize", "extract.relations.context", "extract.relations.dates",
           "extract.relations.events", "extract.relations.people")


def source_of(module: str, package: Path = PACKAGE) -> Path:
    return package.parent.joinpath(*module.split(".")).with_suffix(".py")


def extensions_of(module: str, package: Path = PACKAGE) -> list[Path]:
    source = source_of(module, package)
    return [p for suffix in importlib.machinery.EXTENSION_SUFFIXES
            if (p := source.with_name(source.stem + suffix)).exists()]


def stale(package: Path = PACKAGE) -> list[str]:
    """The compiled modules older than their sources; only in a source checkout, as pip installs a
    wheel's sources and extensions together, in no set order."""
    if not (package.parent / "pyproject.toml").exists():
        return []
    return [m for m in MODULES for ext in extensions_of(m, package)
            if ext.stat().st_mtime < source_of(m, package).stat().st_mtime]


def is_compiled(module: str) -> bool:
    """Whether `module`, once imported, runs compiled code."""
    return isinstance(getattr(sys.modules.get(module), "__loader__", None), importlib.machinery.ExtensionFileLoader)


class _Sources(importlib.abc.MetaPathFinder):
    """Finds the compiled modules' sources, ahead of the extensions beside them."""

    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_file_location(name, source_of(name)) if name in MODULES else None


def prefer_fresh_sources() -> None:
    old = stale()
    if old:
        warnings.warn(f"{source_of(old[0])} is newer than its compiled module: running the sources of "
                      f"{len(MODULES)} modules (`make install` compiles them again)", RuntimeWarning, stacklevel=2)
        sys.meta_path.insert(0, _Sources())
