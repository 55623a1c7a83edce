"""Regression check for extraction speed work: every ArticleResult, repr'd, must stay byte-identical.

    python bench/check_identical.py write   # reference -> /tmp/majlis-ref.txt
    python bench/check_identical.py         # compare against it
Covers the first 3000 synthetic articles, the seeds, the probe sets of eval/probes/ and the
hand-written cases of tests/cases/.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_scale import corpus_file, read_corpus  # noqa: E402
from extract import types as T  # noqa: E402
from extract.pipeline import Extractor  # noqa: E402
from extract.reader import Rejected, read_articles  # noqa: E402

WORKDIR = ROOT / "out/bench-scale"  # the synthetic corpus is made there on first use (bench_scale.corpus_file)
REFERENCE = Path("/tmp/majlis-ref.txt")
TODAY = dt.date(2026, 11, 22)


def articles():
    yield from read_corpus(corpus_file(WORKDIR, 3000, seed=1), 3000)
    yield from (a for a in read_articles([ROOT / "seeds"]) if not isinstance(a, Rejected))
    for probe_set in sorted((ROOT / "eval/probes").iterdir()):
        if probe_set.is_dir():
            yield from (a for a in read_articles([probe_set]) if not isinstance(a, Rejected))
    for path in sorted((ROOT / "tests/cases").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                case = json.loads(line)
                published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
                yield T.Article(f"{path.stem}-{n}", case["text"], published)


def main() -> None:
    extractor = Extractor(today=TODAY)
    lines = {a.id: repr(extractor.extract(a)) for a in articles()}
    text = "".join(f"{key}\t{line}\n" for key, line in lines.items())
    digest = hashlib.sha256(text.encode()).hexdigest()
    if sys.argv[1:] == ["write"]:
        REFERENCE.write_text(text, encoding="utf-8")
        print(f"wrote {len(lines)} results, sha256 {digest}")
        return
    reference = dict(line.split("\t", 1) for line in REFERENCE.read_text(encoding="utf-8").splitlines())
    # Articles added since the reference was written (a new probe set) are not compared.
    new = [key for key in lines if key not in reference]
    for key, line in lines.items():
        if key in reference and reference[key] != line:
            print(f"DIFFERENT at {key}:\n ref {reference[key][:400]}\n now {line[:400]}")
            sys.exit(1)
    print(f"IDENTICAL: {len(lines) - len(new)} results" + (f" ({len(new)} new, not compared)" if new else ""))


if __name__ == "__main__":
    main()
