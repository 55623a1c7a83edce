"""Extraction passes over the synthetic corpus, for comparing two checkouts of majlis.

    cd CHECKOUT && PYTHONPATH=. python bench/passes.py COUNT PASSES

Prints the best and every pass in ms per article. With PASSES 0 it extracts once and prints
nothing: run under valgrind, the instructions of PASSES 3 minus those of PASSES 1, halved, are
those of one pass without the start-up (see docs/performance.md):

    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python bench/passes.py 1000 3

Wall-clock time on a shared machine drifts by 30 % within minutes; alternate the two checkouts,
or count instructions, rather than compare runs made at different times.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_scale import warm_extractor  # noqa: E402


def main(argv: list[str]) -> None:
    count, passes = int(argv[0]), int(argv[1])
    articles, extractor = warm_extractor(ROOT / "out/bench-scale", count)
    times = []
    for _ in range(max(passes, 1)):
        started = time.perf_counter()
        for article in articles:
            extractor.extract(article)
        times.append(1000 * (time.perf_counter() - started) / len(articles))
    if passes:
        print(f"{min(times):.3f}", " ".join(f"{t:.3f}" for t in times))


if __name__ == "__main__":
    main(sys.argv[1:])
