"""The CLI over a persistent store, and parallel extraction, on the seeds."""
from __future__ import annotations

from majlis.cli import main

from .conftest import SEEDS


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_then_add_again_skips_everything(capsys, tmp_path):
    store = tmp_path / "store"
    code, _, err = run(capsys, "add", SEEDS, "--store", store)
    assert code == 0 and "5 added" in err
    code, _, err = run(capsys, "add", SEEDS, "--store", store)
    assert code == 0 and "0 added, 0 replaced, 5 unchanged" in err


def test_store_answers_like_the_graph_file(capsys, tmp_path):
    store, graph = tmp_path / "store", tmp_path / "graph.ttl"
    assert run(capsys, "add", SEEDS, "--store", store, "-q")[0] == 0
    assert run(capsys, "build", SEEDS, "-o", graph, "-q")[0] == 0
    from_store = run(capsys, "query", "who-met-whom", "--store", store, "--format", "csv")[1]
    from_file = run(capsys, "query", "who-met-whom", "-g", graph, "--format", "csv")[1]
    assert from_store == from_file and "حموشي" in from_store


def test_export_and_network_read_a_store(capsys, tmp_path):
    store = tmp_path / "store"
    run(capsys, "add", SEEDS, "--store", store, "-q")
    assert run(capsys, "export", "--store", store, "-o", tmp_path / "g.nt")[0] == 0
    assert (tmp_path / "g.nt").stat().st_size > 0
    assert run(capsys, "network", "--store", store, "-o", tmp_path / "n.html")[0] == 0


def test_build_into_a_store_without_a_graph_file(capsys, tmp_path):
    code, _, err = run(capsys, "build", SEEDS, "--store", tmp_path / "store")
    assert code == 0 and "5 added" in err


def test_build_needs_a_graph_file_or_a_store(capsys):
    try:
        code = main(["build", str(SEEDS)])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2


def test_two_jobs_give_the_same_graph_as_one(capsys, tmp_path):
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    assert run(capsys, "build", SEEDS, "-o", one, "-q", "--jobs", "1")[0] == 0
    assert run(capsys, "build", SEEDS, "-o", two, "-q", "--jobs", "2")[0] == 0
    assert one.read_bytes() == two.read_bytes()


def test_zero_jobs_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "build", SEEDS, "-o", tmp_path / "g.ttl", "--jobs", "0")
    assert code == 1 and "--jobs" in err
