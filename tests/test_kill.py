"""A build killed at any moment leaves the previous output whole: old bytes or the complete new file."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import SEEDS


@pytest.mark.slow
def test_killed_build_never_leaves_a_half_written_graph(tmp_path):
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(150):
            out.write(json.dumps({"id": f"a{i:04d}", "text": seeds[i % len(seeds)]}, ensure_ascii=False) + "\n")
    graph = tmp_path / "graph.ttl"
    previous = b"# the graph of yesterday\n"
    graph.write_bytes(previous)
    command = [sys.executable, "-m", "majlis.cli", "build", str(corpus), "-o", str(graph), "--quiet"]

    reference = tmp_path / "reference.ttl"
    subprocess.run([*command[:-3], "-o", str(reference), "--quiet"], check=True, capture_output=True)
    complete = reference.read_bytes()

    # Kill at growing delays so that some kills land during extraction and some during writing.
    outcomes = set()
    for delay in (0.3, 0.8, 1.5, 2.5, 3.5, 4.5):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        current = graph.read_bytes()
        assert current in (previous, complete), f"half-written graph after a kill at {delay} s"
        outcomes.add("old" if current == previous else "new")
        graph.write_bytes(previous)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".graph.")]
    # A killed process cannot clean up after itself; what it leaves is hidden and never the graph.
    assert all(name.endswith(".tmp.ttl") for name in leftovers)
    assert "old" in outcomes
    assert os.path.getsize(graph) == len(previous)
