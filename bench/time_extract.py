"""Single-core extraction speed: best of 3 over 3000 preloaded synthetic articles, with the tokenizer floor.

    python bench/time_extract.py [count] [profile]

Then the same on the hand-written articles in the genre (seeds/ and eval/probes/), per 500 words:
they have a headline, a dateline and paragraphs on lines of their own, which the synthetic ones lack,
and spaCy's own tokenizer retokenizes any text holding a line break (see extract/nlp.py). Both
floors are printed: spacy.blank("ar") as it comes, and our pipeline's tokenizer.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import spacy  # noqa: E402

from bench_scale import warm_extractor  # noqa: E402
from extract.reader import Rejected, read_articles  # noqa: E402

WORKDIR = ROOT / "out/bench-scale"  # the synthetic corpus is made there on first use (bench_scale.corpus_file)


def best_of(runs: int, fn) -> tuple[float, float]:
    """Best wall time (perf_counter) and best CPU time (process_time, less hurt by other processes)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        best, best_cpu = min(best, time.perf_counter() - t), min(best_cpu, time.process_time() - c)
    return best, best_cpu


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    articles, extractor = warm_extractor(WORKDIR, count)
    if sys.argv[2:] == ["profile"]:
        import cProfile
        import pstats
        cProfile.runctx("for a in articles: extractor.extract(a)", globals(), locals(), "/tmp/extract.prof")
        pstats.Stats("/tmp/extract.prof").sort_stats("cumulative").print_stats(60)
        pstats.Stats("/tmp/extract.prof").sort_stats("tottime").print_stats(40)
        return
    tokenizer = spacy.blank("ar").tokenizer
    texts = [a.text for a in articles]
    floor, floor_cpu = best_of(3, lambda: [tokenizer(t) for t in texts])
    full, full_cpu = best_of(3, lambda: [extractor.extract(a) for a in articles])
    n = len(articles)
    print(f"extract   {1000 * full / n:.3f} ms/article  {n / full:7.0f} articles/s   cpu {1000 * full_cpu / n:.3f} ms")
    print(f"tokenizer {1000 * floor / n:.3f} ms/article  {n / floor:7.0f} articles/s   cpu {1000 * floor_cpu / n:.3f} ms"
          f"   ratio {full / floor:.2f}x")
    # Each folder read on its own: the sets reuse file names, which one reading takes for one article twice.
    written = [a for folder in [ROOT / "seeds", *sorted((ROOT / "eval/probes").glob("*/"))]
               for a in read_articles([folder]) if not isinstance(a, Rejected)]
    per_500 = 500 / sum(len(a.text.split()) for a in written)  # the time of 500 words, from the whole set
    full, _ = best_of(3, lambda: [extractor.extract(a) for a in written])
    floor, _ = best_of(3, lambda: [tokenizer(a.text) for a in written])
    ours, _ = best_of(3, lambda: [extractor.nlp.make_doc(a.text) for a in written])
    print(f"hand-written ({len(written)} articles), per 500 words: extract {1000 * full * per_500:.3f} ms "
          f"({1 / (full * per_500):.0f}/s); spacy.blank('ar') tokenizer {1000 * floor * per_500:.3f} ms "
          f"(ratio {full / floor:.2f}x); our tokenizer {1000 * ours * per_500:.3f} ms (ratio {full / ours:.2f}x)")


if __name__ == "__main__":
    main()
