"""Per-article extraction time on one core: the seeds, repeated, through Extractor.extract.

    python bench/bench_extract.py [--rounds 200]

Prints ms per article (mean, p50, p95), articles/s and words per article; no assertion.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extract.pipeline import Extractor
from extract.types import Article

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="passes over the seeds")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    started = time.perf_counter()
    extractor = Extractor()
    build_s = time.perf_counter() - started
    for i, text in enumerate(texts):  # warm the caches once
        extractor.extract(Article(f"w{i}", text))
    times = []
    for r in range(args.rounds):
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            extractor.extract(Article(f"{r}-{i}", text))
            times.append(time.perf_counter() - t0)
    words = sum(len(t.split()) for t in texts) / len(texts)
    ms = sorted(1000 * t for t in times)
    print(f"pipeline build      {build_s:.2f} s")
    print(f"articles            {len(times)} (mean {words:.0f} words)")
    print(f"ms per article      mean {statistics.mean(ms):.2f}  p50 {ms[len(ms) // 2]:.2f}  p95 {ms[int(len(ms) * 0.95)]:.2f}")
    print(f"articles/s (1 core) {len(times) / sum(times):.0f}")


if __name__ == "__main__":
    main()
