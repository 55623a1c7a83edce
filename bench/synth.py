"""Synthetic Arabic articles in the genre, built from the lexicons, for benchmarks.

    python bench/synth.py N [--seed 1] [--persons 3000] -o corpus.jsonl

Writes N JSON lines `{"id", "text", "published"}` of about 500 words each. Countries, places,
agencies, posts, meeting verbs, topics, months and weekdays come from extract/lexicon; persons are
given names and family names from bench/data combined at random; sentences come from
bench/data/templates.json. Nothing here is real news.

Shape: a population of `--persons` officials, each with a country, an agency and a post, is drawn
once per seed. Articles pick their officials with Zipf-like weights, so a few officials meet
often and most rarely, as in the press. Article i depends only on the seed, the population and i:
a corpus of 1,000 is the first 1,000 articles of a corpus of 10,000.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
LEXICON = HERE.parent / "extract" / "lexicon"
DATA = HERE / "data"
TARGET_WORDS = 500
ZIPF_EXPONENT = 0.8
FIRST_YEAR, LAST_YEAR = 2018, 2025


def _jsonl(name: str) -> list[dict]:
    with (LEXICON / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Genre:
    """The word lists an article is made of, read once."""

    def __init__(self) -> None:
        self.templates = json.loads((DATA / "templates.json").read_text(encoding="utf-8"))
        self.given, self.family = _lines("given_names.txt"), _lines("family_names.txt")
        self.topics = _jsonl("topics.jsonl")
        self.months = {m["month"]: m["forms"] for m in _jsonl("months.jsonl")}
        self.weekdays = {w["weekday"]: w["forms"][0] for w in _jsonl("weekdays.jsonl")}
        self.titles = _jsonl("titles.jsonl")
        self.verbs = self._verbs(_jsonl("triggers.jsonl"))
        places: dict[str, list[dict]] = {}
        for place in _jsonl("places.jsonl"):
            places.setdefault(place["country"], []).append(place)
        # Only countries the press can name with an adjective and where a meeting can be placed.
        self.countries = [c for c in _jsonl("countries.jsonl") if c["adj_m"] and c["id"] in places]
        self.places = places
        self.agencies = [a for a in _jsonl("agencies.jsonl") if a["countries"]]  # not international bodies

    def _verbs(self, triggers: list[dict]) -> dict[str, list[str]]:
        """The template's verbs, each checked against the lexicon's meeting triggers."""
        known = {(t["role"], form) for t in triggers if t["type"] == "meet" for form in t["forms"]}
        verbs = self.templates["verbs"]
        missing = [v for role, forms in verbs.items() for v in forms if (role, v) not in known]
        if missing:
            raise SystemExit(f"templates.json: verbs not in triggers.jsonl: {', '.join(missing)}")
        return verbs

    def agencies_of(self, iso: str) -> list[str]:
        return [a["name"] for a in self.agencies if iso in a["countries"]] + self.templates["ministries"]

    def post(self, agency: str, rng: random.Random) -> str:
        """The head of `agency`: "المديرية العامة للأمن الوطني" gives "المدير العام للأمن الوطني"."""
        for title in sorted(self.titles, key=lambda t: -len(t["org_prefix"] or "")):
            prefix = title["org_prefix"]
            if prefix and agency.startswith(prefix + " "):
                return title["head"] + agency[len(prefix):]
        heads = [t["head"].removeprefix("ال") for t in self.titles
                 if t["org_prefix"] == "" and t["role"] in ("head", "commander", "director") and " " not in t["head"]]
        return f"{rng.choice(sorted(heads))} {agency}"


@dataclass(frozen=True, slots=True)
class Official:
    name: str
    family: str
    post: str  # with the nationality adjective: "وزير الداخلية التونسي"
    agency: str  # as a statement would name it: "وزارة الداخلية التونسية"
    country: dict


def population(genre: Genre, size: int, seed: int) -> list[Official]:
    """`size` officials with distinct names, in the order of their weight (the first meets most)."""
    rng = random.Random(f"population:{seed}")
    names = [(g, f) for g in genre.given for f in genre.family]
    if size > len(names):
        raise SystemExit(f"at most {len(names)} persons: add names to bench/data")
    officials = []
    for given, family in rng.sample(names, size):
        country = rng.choice(genre.countries)
        agency = rng.choice(genre.agencies_of(country["id"]))
        adjective = country["adj_f"] if agency.split()[0].endswith("ة") and country["adj_f"] else country["adj_m"]
        officials.append(Official(f"{given} {family}", family, f"{genre.post(agency, rng)} {country['adj_m']}",
                                  f"{agency} {adjective}", country))
    return officials


class Writer:
    """Articles from one population; `article(i)` is deterministic in (seed, i)."""

    def __init__(self, genre: Genre, officials: list[Official], seed: int):
        self.genre, self.officials, self.seed = genre, officials, seed
        weights = [1 / (k + 1) ** ZIPF_EXPONENT for k in range(len(officials))]
        self.everyone = (officials, list(itertools.accumulate(weights)))
        by_country: dict[str, list[int]] = {}
        for k, official in enumerate(officials):
            by_country.setdefault(official.country["id"], []).append(k)
        # Each country's officials with their share of the weights, to draw a compatriot directly.
        self.compatriots = {iso: ([officials[k] for k in ks], list(itertools.accumulate(weights[k] for k in ks)))
                            for iso, ks in by_country.items()}
        if len(self.compatriots) < 2:
            raise SystemExit("the population has officials of one country only: raise --persons")

    def pick(self, rng: random.Random, unlike: Official | None = None, same_country: bool = False) -> Official | None:
        """An official by weight; with `unlike`, another one of its country (`same_country`) or of another.

        None when `unlike` has no compatriot in the population.
        """
        if unlike is None:
            return self._draw(rng, *self.everyone)
        pool = self.compatriots[unlike.country["id"]] if same_country else self.everyone
        if same_country and len(pool[0]) == 1:
            return None
        while True:  # the pool always holds another official of the right country, so this ends
            official = self._draw(rng, *pool)
            if official is not unlike and (official.country is unlike.country) == same_country:
                return official

    @staticmethod
    def _draw(rng: random.Random, officials: list[Official], cum_weights: list[float]) -> Official:
        return rng.choices(officials, cum_weights=cum_weights)[0]

    def article(self, index: int) -> dict:
        rng = random.Random(f"article:{self.seed}:{index}")
        t = self.genre.templates
        a = self.pick(rng)
        b = self.pick(rng, unlike=a)
        c = self.pick(rng, unlike=a, same_country=True)
        first, last = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
        date = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        topic, topic2 = (rng.choice(entry["phrases"]) for entry in rng.sample(self.genre.topics, 2))
        places = self.genre.places[a.country["id"]]
        capitals = [p for p in places if p["capital"]]
        place = rng.choice(capitals if capitals and rng.random() < 0.7 else places)
        months = self.genre.months[date.month]
        slots = {
            "verb_host": rng.choice(self.genre.verbs["host"]), "verb_mutual": rng.choice(self.genre.verbs["mutual"]),
            "title_a": a.post, "name_a": a.name, "family_a": a.family, "country_a": a.country["name"],
            "agency_a": a.agency, "title_b": b.post, "name_b": b.name, "family_b": b.family,
            "adj_b": b.country["adj_m"], "country_b": b.country["name"],
            "weekday": self.genre.weekdays[date.weekday()], "day": date.day, "year": date.year,
            "month": months[0] if rng.random() < 0.7 else rng.choice(months),
            "place": place["name"], "topic": topic, "topic2": topic2,
        }
        if c is not None:
            slots |= {"title_c": c.post, "name_c": c.name}
        kind = rng.choices(["host", "mutual", "planned_visit", "statement"], weights=[45, 35, 10, 10])[0]
        sentences = [rng.choice(t["leads"][kind]).format(**slots)]
        if kind in ("host", "mutual"):
            for part, chance in (("attendance", 0.3), ("visit", 0.3), ("agreement", 0.15), ("quote", 0.6)):
                if rng.random() < chance and (part != "attendance" or c is not None):
                    sentences.append(rng.choice(t[part]).format(**slots))
        # Genre padding up to the target length, half of it on other topics than the lead's.
        padding = t["padding"][:]
        rng.shuffle(padding)
        words = sum(len(s.split()) for s in sentences)
        for template in itertools.cycle(padding):
            if words >= TARGET_WORDS:
                break
            other = rng.choice(rng.choice(self.genre.topics)["phrases"]) if rng.random() < 0.5 else topic
            sentences.append(template.format(**(slots | {"topic": other})))
            words += len(sentences[-1].split())
        paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
        published = date + dt.timedelta(days=rng.randint(0, 2))
        return {"id": f"synth-{self.seed}-{index:07d}", "text": "\n".join(paragraphs), "published": published.isoformat()}


def generate(count: int, seed: int = 1, persons: int = 3000) -> Iterator[dict]:
    """`count` articles as JSON-ready dicts, one at a time."""
    genre = Genre()
    writer = Writer(genre, population(genre, persons, seed), seed)
    for index in range(count):
        yield writer.article(index)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--persons", type=int, default=3000, help="officials in the population (default 3000)")
    parser.add_argument("-o", "--output", type=Path, help="JSONL file to write (default: standard output)")
    args = parser.parse_args(argv)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        for record in generate(args.count, args.seed, args.persons):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except BrokenPipeError:  # `synth.py N | head` closed the pipe: what was asked for is written
        sys.stderr.close()
    finally:
        if args.output:
            out.close()


if __name__ == "__main__":
    main()
