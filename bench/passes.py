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

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_scale import corpus_file, read_corpus  # noqa: E402
from extract.pipeline import Extractor  # noqa: E402
from majlis.distributed import freeze_what_lives_on  # noqa: E402


def main(argv: list[str]) -> None:
    count, passes = int(argv[0]), int(argv[1])
    articles = list(read_corpus(corpus_file(ROOT / "out/bench-scale", count, seed=1), count))
    extractor = Extractor(today=dt.date(2026, 11, 22))
    extractor.extract(articles[0])
    freeze_what_lives_on()  # as majlis build does once the pipeline is built
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
