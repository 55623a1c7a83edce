"""Score the extractor on the probe sets in eval/probes/, beside the seeds: a development set wider than five articles.

    .venv/bin/python eval/score_probes.py [--scorer ../shared/eval/score.py] [--sets east,maghreb] [-v]

Each probe set is a folder of hand-written articles in the genre (other outlets, other officials,
other constructions than the seeds) and a gold.json in the schema of the shared scorer. The script
builds each set with `majlis build` into out/probes/, scores it with the shared scorer and prints
one row per set: F1 of persons, affiliations, countries, meetings, topics, agreements and visits,
the date and place accuracies, and the overall score. `-v` also prints every miss.

Treat the sets as development data, as the seeds are: improve the general rule, never a name.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "eval" / "probes"
SEEDS_GOLD = ROOT.parent / "shared" / "eval" / "gold" / "seeds.json"
DEFAULT_SCORER = ROOT.parent / "shared" / "eval" / "score.py"
OUT = ROOT / "out" / "probes"
F1_COLUMNS = ("persons", "affiliations", "countries", "meetings", "topics", "agreements", "visits")
ACCURACY_COLUMNS = ("meeting_dates", "meeting_places")


def _sets(names: str | None) -> list[tuple[str, Path, Path]]:
    """(name, articles, gold) for the seeds and every probe folder, or those asked for."""
    found = [("seeds", ROOT / "seeds", SEEDS_GOLD)]
    found += [(d.name, d, d / "gold.json") for d in sorted(PROBES.iterdir()) if (d / "gold.json").is_file()]
    if names:
        wanted = set(names.split(","))
        unknown = wanted - {name for name, _, _ in found}
        if unknown:
            raise SystemExit(f"score_probes: no such set: {', '.join(sorted(unknown))}")
        found = [s for s in found if s[0] in wanted]
    return found


def _articles(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("*.txt"))]


def _score(name: str, folder: Path, gold: Path, scorer: Path, verbose: bool) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    graph = OUT / f"{name}.ttl"
    majlis = Path(sys.executable).with_name("majlis")
    built = subprocess.run([str(majlis), "build", *_articles(folder), "-o", str(graph)], capture_output=True, text=True)
    if built.returncode:
        raise SystemExit(f"score_probes: building {name} failed: {built.stderr.strip()}")
    # The scorer breaks ties between equally good meetings in set order, which follows Python's string
    # hashing: one hash seed makes two runs on one graph agree (other seeds move a set by ~0.005).
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if verbose:
        print(f"== {name}")
        subprocess.run([sys.executable, str(scorer), str(graph), str(gold), "-v"], check=True, env=env)
    done = subprocess.run([sys.executable, str(scorer), str(graph), str(gold), "--json"], check=True,
                          capture_output=True, text=True, env=env)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="the shared scorer (score.py)")
    ap.add_argument("--sets", help="comma-separated set names (default: the seeds and every probe set)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    if not args.scorer.is_file():
        raise SystemExit(f"score_probes: {args.scorer}: no such scorer (give --scorer)")
    header = ["set", "articles", *F1_COLUMNS, *ACCURACY_COLUMNS, "overall"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, folder, gold in _sets(args.sets):
        result = _score(name, folder, gold, args.scorer, args.verbose)
        cells = [name, str(len(_articles(folder)))]
        cells += [f"{result[c][2]:.3f}" for c in F1_COLUMNS]  # (precision, recall, F1)
        cells += [f"{result[c]:.3f}" for c in ACCURACY_COLUMNS]
        cells.append(f"{result['overall']:.3f}")
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
