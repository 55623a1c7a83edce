"""Fuzz the extractor with random articles built from the lexicon, and check its invariants.

    python bench/fuzz_run.py [-n 10000] [--seed 20260101] [--show 3]

Every article is generated from one `random.Random(seed)`, so a run is reproducible: the same
seed and count give the same articles. Each article is extracted twice and checked:

- extraction never raises;
- every evidence span lies inside the text (0 <= start <= end <= len(text)) and
  `text[start:end] == evidence.text`, and names its own article;
- every attendee (and host) of a meeting is a person node that has a non-empty name;
- no person node has an empty key;
- extracting the same text again gives an equal ArticleResult.

Prints seed, articles, exceptions, invariant violations, total triples, articles/s and peak RSS.
Exits 1 if any article raised or broke an invariant. No figure is asserted; this is a benchmark.

The generators below are shared with tests/test_fuzz.py, which drives them from Hypothesis
(`st.randoms()`), so the property tests and this script explore the same space.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import resource
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from extract import types as T  # noqa: E402

LEXICON_DIR = ROOT / "extract" / "lexicon"
DEFAULT_SEED = 20260101

# --- the pieces articles are made of ---------------------------------------------------------------

# Lexicon files whose phrases the generator mixes in (every Arabic string in them is taken).
LEXICON_FILES = ("countries", "titles", "honorifics", "triggers", "months", "cues",
                 "weekdays", "places", "topics", "agencies")

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةىؤئ"
FOREIGN_LETTERS = "ڤپگچژ"  # Persian letters the press uses for foreign names (ڤو, پول)
DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]  # fathatan .. sukun, dagger alef
TATWEEL = "\u0640"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff",
             "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
PUNCTUATION = ["،", ".", "؟", "!", ":", "«", "»", '"', "؛", "(", ")", "-", ","]
NEWLINES = ["\n", "\n\n", "\r\n", "\u2028"]
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_WORDS = ["DGST", "DGSN", "Interpol", "Europol", "FBI", "the", "minister", "Paris", "de", "la",
               "Nicolas", "Lerner", "police", "Director", "Général", "sécurité", "http://example.org/a?b=1",
               "AFP", "MAP", "x", "<b>", "&amp;", "2024-05-06"]
NAME_PARTICLES = ["عبد", "بن", "ابن", "أبو", "آل", "ولد", "بو", "دي", "لو"]
GLUE = ["و", "في", "مع", "إلى", "لدى", "من", "على", "خلال", "يوم", "أمس", "بين", "حول", "مرفوقا ب", "بحضور"]


@functools.lru_cache(maxsize=1)
def lexicon_phrases() -> tuple[str, ...]:
    """Every Arabic string of the chosen lexicon files (names, aliases, forms, phrases...), sorted."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            if any("\u0600" <= c <= "\u06ff" for c in value):
                found.add(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for stem in LEXICON_FILES:
        path = LEXICON_DIR / f"{stem}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                walk(json.loads(line))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=None)
def lexicon_group(stem: str, *keys: str) -> tuple[str, ...]:
    """The strings under `keys` in one lexicon file (for the sentence-shaped generator)."""
    out: list[str] = []
    for line in (LEXICON_DIR / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        for key in keys:
            value = record.get(key)
            if isinstance(value, str) and value:
                out.append(value)
            elif isinstance(value, list):
                out.extend(v for v in value if isinstance(v, str) and v)
    return tuple(sorted(set(out)))


# --- generators: each takes a random.Random (or Hypothesis's st.randoms()) -----------------------

def name_token(rng: random.Random) -> str:
    """An invented name-like Arabic word: 2-7 letters, sometimes a particle or the article before it."""
    letters = ARABIC_LETTERS + (FOREIGN_LETTERS if rng.random() < 0.1 else "")
    word = "".join(rng.choice(letters) for _ in range(rng.randint(2, 7)))
    roll = rng.random()
    if roll < 0.15:
        word = "ال" + word
    elif roll < 0.25:
        word = rng.choice(NAME_PARTICLES) + " " + word
    return word


def person_name(rng: random.Random) -> str:
    return " ".join(name_token(rng) for _ in range(rng.randint(1, 4)))


def number(rng: random.Random) -> str:
    digits = str(rng.choice([rng.randint(0, 31), rng.randint(1990, 2035), rng.randint(0, 10**9)]))
    if rng.random() < 0.4:
        digits = digits.translate(str.maketrans("0123456789", EASTERN_DIGITS))
    return digits


def decorate(rng: random.Random, word: str) -> str:
    """Scatter tatweel, diacritics and invisible marks through a word, now and then."""
    if rng.random() > 0.3 or not word:
        return word
    out = []
    for char in word:
        out.append(char)
        roll = rng.random()
        if roll < 0.12:
            out.append(rng.choice(DIACRITICS))
        elif roll < 0.18:
            out.append(TATWEEL * rng.randint(1, 3))
        elif roll < 0.22:
            out.append(rng.choice(INVISIBLE))
    if rng.random() < 0.1:
        out.insert(0, rng.choice(INVISIBLE))
    return "".join(out)


def token(rng: random.Random) -> str:
    """One piece of a bag-of-pieces sentence."""
    roll = rng.random()
    if roll < 0.40:
        piece = rng.choice(lexicon_phrases())
    elif roll < 0.58:
        piece = name_token(rng)
    elif roll < 0.66:
        piece = rng.choice(GLUE)
    elif roll < 0.73:
        piece = number(rng)
    elif roll < 0.83:
        piece = rng.choice(PUNCTUATION)
    elif roll < 0.87:
        piece = rng.choice(NEWLINES)
    elif roll < 0.91:
        piece = rng.choice(LATIN_WORDS)
    elif roll < 0.94:
        piece = TATWEEL * rng.randint(1, 4)
    elif roll < 0.97:
        piece = "".join(rng.choice(DIACRITICS) for _ in range(rng.randint(1, 4)))
    else:
        piece = rng.choice(INVISIBLE)
    return decorate(rng, piece)


def mention(rng: random.Random) -> str:
    """[honorific] [title] [country adjective] Name: how the press introduces an official."""
    parts = []
    if rng.random() < 0.5:
        parts.append(rng.choice(lexicon_group("honorifics", "form")))
    if rng.random() < 0.7:
        parts.append(rng.choice(lexicon_group("titles", "forms")))
        if rng.random() < 0.5:
            parts.append(rng.choice(lexicon_group("countries", "adj_m", "adj_f", "name")))
    parts.append(person_name(rng))
    return " ".join(decorate(rng, p) for p in parts)


def shaped_sentence(rng: random.Random) -> str:
    """A sentence with the shape of a meeting report, its slots filled at random."""
    parts = [mention(rng), rng.choice(lexicon_group("triggers", "forms")), mention(rng)]
    for _ in range(rng.randint(0, 3)):
        parts += [rng.choice(["و", "،", "مع", "بحضور"]), mention(rng)]
    if rng.random() < 0.6:
        parts += ["ب" + rng.choice(lexicon_group("places", "name")) if rng.random() < 0.5
                  else "في " + rng.choice(lexicon_group("countries", "name", "aliases"))]
    if rng.random() < 0.6:
        parts += [rng.choice(["يوم", "أمس", ""]), rng.choice(lexicon_group("weekdays", "forms")),
                  number(rng), rng.choice(lexicon_group("months", "forms")), number(rng)]
    if rng.random() < 0.5:
        parts += ["حول", rng.choice(lexicon_group("topics", "phrases"))]
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, len(parts)), token(rng))
    return " ".join(p for p in parts if p) + rng.choice([".", "،", "؟", "!", "", "\n"])


def bag_sentence(rng: random.Random) -> str:
    pieces = [token(rng) for _ in range(rng.randint(0, 30))]
    return "".join(p + rng.choice([" ", " ", " ", "", "  "]) for p in pieces)


def random_text(rng: random.Random) -> str:
    """An article: 0-8 sentences, meeting-shaped or bags of pieces, in paragraphs."""
    sentences = []
    for _ in range(rng.randint(0, 8)):
        sentences.append(shaped_sentence(rng) if rng.random() < 0.5 else bag_sentence(rng))
        if rng.random() < 0.2:
            sentences.append(rng.choice(NEWLINES))
    return " ".join(sentences)


# Placeholder dates that feeds write when they have none (.NET's DateTime.MinValue, "never"); the
# reader accepts them, so the extractor sees them.
SENTINEL_DATES = (dt.date.min, dt.date.max, dt.date(1970, 1, 1), dt.date(1900, 1, 1))


def published_date(rng: random.Random) -> dt.date | None:
    roll = rng.random()
    if roll < 0.5:
        return None
    if roll < 0.51:
        return rng.choice(SENTINEL_DATES)
    return dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 30))


def random_article(rng: random.Random, index: int) -> T.Article:
    text = random_text(rng)
    return T.Article(f"fuzz-{index}", text, published=published_date(rng))


# --- invariants ------------------------------------------------------------------------------------

def violations(article: T.Article, result: T.ArticleResult) -> list[str]:
    """What is wrong with `result` as the extraction of `article` (empty when all holds)."""
    problems: list[str] = []
    text = article.text
    names: dict[T.Node, list] = {}
    for t in result.triples:
        if t.relation == T.NAME:
            names.setdefault(t.subject, []).append(t.object)
    for t in result.triples:
        for ev in t.evidence:
            if not (0 <= ev.start <= ev.end <= len(text)):
                problems.append(f"offsets out of range: {ev.start}..{ev.end} of {len(text)} ({t.relation})")
            elif text[ev.start:ev.end] != ev.text:
                problems.append(f"text[{ev.start}:{ev.end}]={text[ev.start:ev.end]!r} != evidence {ev.text!r}")
            if ev.article_id != article.id:
                problems.append(f"evidence names article {ev.article_id!r}, not {article.id!r}")
        for node in (t.subject, t.object):
            if isinstance(node, T.Node) and node.kind == T.PERSON and not node.key.strip():
                problems.append(f"person node with an empty key in {t.relation}")
        if t.subject.kind == T.MEETING and t.relation in (T.ATTENDEE, T.HOST):
            who = t.object
            if not isinstance(who, T.Node) or who.kind != T.PERSON:
                problems.append(f"meeting {t.relation} is not a person: {who!r}")
            elif not any(isinstance(n, str) and n.strip() for n in names.get(who, ())):
                problems.append(f"meeting {t.relation} {who.key!r} has no name")
    return problems


def check(extractor, article: T.Article) -> tuple[T.ArticleResult, list[str]]:
    """Extract twice and collect every invariant violation (exceptions propagate)."""
    first = extractor.extract(article)
    problems = violations(article, first)
    second = extractor.extract(article)
    if second != first:
        problems.append("a second extraction of the same text gave a different result")
    return first, problems


# --- the run ---------------------------------------------------------------------------------------

def peak_rss_mib() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--articles", type=int, default=10_000, help="how many articles (default 10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--show", type=int, default=3, help="failing articles to print in full (default 3)")
    args = parser.parse_args(argv)

    from extract.pipeline import Extractor

    extractor = Extractor()
    rng = random.Random(args.seed)
    exceptions: Counter = Counter()
    broken: Counter = Counter()
    shown = 0
    triples = characters = bad_articles = 0
    started = time.perf_counter()
    for index in range(args.articles):
        article = random_article(rng, index)
        characters += len(article.text)
        try:
            result, problems = check(extractor, article)
        except Exception as error:  # the point of the run is to count these
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f"{Path(frame.filename).relative_to(ROOT) if frame.filename.startswith(str(ROOT)) else frame.filename}:{frame.lineno}"
            exceptions[f"{type(error).__name__}: {error} at {where}"[:200]] += 1
            if shown < args.show:
                shown += 1
                print(f"--- article {index} raised:\n{article.text!r}\n{traceback.format_exc()}", file=sys.stderr)
            continue
        triples += len(result.triples)
        if problems:
            bad_articles += 1
            broken.update(p.split(":")[0] for p in problems)
            if shown < args.show:
                shown += 1
                print(f"--- article {index} broke invariants: {problems[:5]}\n{article.text!r}", file=sys.stderr)
    elapsed = time.perf_counter() - started

    print(f"seed                 {args.seed}")
    print(f"articles             {args.articles} ({characters / max(args.articles, 1):.0f} characters each on average)")
    print(f"exceptions           {sum(exceptions.values())}")
    for message, count in exceptions.most_common(10):
        print(f"    {count:6d}  {message}")
    print(f"invariant violations {sum(broken.values())} in {bad_articles} articles")
    for message, count in broken.most_common(10):
        print(f"    {count:6d}  {message}")
    print(f"total triples        {triples}")
    print(f"articles/s           {args.articles / elapsed:.1f} (each extracted twice; {elapsed:.1f} s in all)")
    print(f"peak RSS             {peak_rss_mib():.0f} MiB")
    return 1 if exceptions or broken else 0


if __name__ == "__main__":
    sys.exit(main())
