"""Every notebook in notebooks/ runs top to bottom, in a temporary copy of the project's folders.

The kernel is this interpreter (`sys.executable`), whatever kernel specs Jupyter would otherwise
find: the spec the ipykernel wheel installs says `"python"`, which is whatever Python is first on
PATH, often not the venv's. The notebooks' relative paths (`../seeds`, `../out`) resolve inside the
copy, so a run never writes into the working tree.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "python3"


@pytest.fixture(scope="module")
def kernel_spec_manager(tmp_path_factory):
    """A kernel spec directory holding one `python3` spec that starts this very interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager

    kernels = tmp_path_factory.mktemp("kernels")
    (kernels / KERNEL).mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 ({sys.executable})",
        "language": "python",
    }
    (kernels / KERNEL / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)


def _working_copy(tmp_path: Path) -> Path:
    """notebooks/ and seeds/ side by side, as in the project; returns the copied notebooks folder."""
    shutil.copytree(NOTEBOOK_DIR, tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "notebooks"


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, kernel_spec_manager, monkeypatch):
    from jupyter_client.manager import AsyncKernelManager

    folder = _working_copy(tmp_path)
    nb = nbformat.read(folder / path.name, as_version=4)
    # The kernel imports majlis from this checkout even where it is not installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    km = AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=kernel_spec_manager)
    client = nbclient.NotebookClient(nb, km=km, kernel_name=KERNEL, timeout=600, startup_timeout=120,
                                     resources={"metadata": {"path": str(folder)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    stderr = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if o.output_type == "stream" and o.name == "stderr")
    # A font without Arabic glyphs shows up only as a matplotlib warning: make it fail here.
    assert "missing from font" not in stderr, stderr
    if path.name == "majlis_tour.ipynb":
        out = tmp_path / "out"
        for name in ("graph.ttl", "network.html", "meetings.png"):
            assert (out / name).stat().st_size > 0, name
        assert not (folder / "lib").exists(), "pyvis wrote a lib/ folder into the working directory"
        images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if "image/png" in o.get("data", {})]
        assert images, "the plots were not shown inline"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_have_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_tour_matches_its_generator():
    """notebooks/majlis_tour.ipynb is written by notebooks/make_tour.py: edit the script, then rerun it."""
    spec = importlib.util.spec_from_file_location("majlis_make_tour", NOTEBOOK_DIR / "make_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (NOTEBOOK_DIR / "majlis_tour.ipynb").read_text(encoding="utf-8")
    text = nbformat.writes(module.build())
    assert committed == (text if text.endswith("\n") else text + "\n")
