"""Precision and recall of a built graph against hand-annotated gold facts.

The gold format is the one of ../shared/eval/gold/seeds.json: entities (countries, places,
organizations, persons, each with "name" and "aliases", optional_* groups that are neither
required nor errors) and, per article id, its meetings, visits, agreements and awards.
Users annotate a sample of their own articles in that format and run `majlis evaluate`.
"""
from __future__ import annotations

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from extract.errors import MajlisError
from extract.normalize import normalize as _normalize

from .vocabulary import MJ, PROV, SCHEMA, SKOS

_HONORIFICS = tuple(_normalize(h) + " " for h in (
    "السيد", "السيدة", "الدكتور", "الدكتورة", "معالي", "سعادة", "سمو", "الشيخ", "الشيخة", "الأمير", "الأميرة",
    "اللواء", "الفريق", "الجنرال", "العقيد", "العميد", "الوزير", "السفير", "السفيرة"))
_ENTITY_GROUPS = ("persons", "optional_persons", "organizations", "optional_organizations", "countries", "places")


def name_key(name: str) -> str:
    text = " ".join(_normalize(name).replace("-", " ").replace("،", " ").split())
    stripped = True
    while stripped:
        stripped = False
        for h in _HONORIFICS:
            if text.startswith(h):
                text, stripped = text[len(h):], True
    return text


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class _Gold:
    def __init__(self, data: dict):
        self.data = data
        self.forms: dict[str, set[str]] = {}
        self.group: dict[str, str] = {}
        for group in _ENTITY_GROUPS:
            for key, entity in data.get(group, {}).items():
                self.forms[key] = {name_key(n) for n in [entity["name"], *entity.get("aliases", [])]}
                self.group[key] = group

    def match(self, names: set[str], groups: tuple[str, ...] = _ENTITY_GROUPS) -> str | None:
        keys = {name_key(n) for n in names}
        for key, forms in self.forms.items():
            if self.group[key] in groups and keys & forms:
                return key
        return None


def load_gold(path: Path | str) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MajlisError(f"{path}: cannot read gold file ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MajlisError(f"{path}: gold file is not JSON ({exc})") from None
    if not isinstance(data, dict) or "persons" not in data or "articles" not in data:
        raise MajlisError(f"{path}: gold file needs \"persons\" and \"articles\"")
    return data


def evaluate(g: Graph, gold_data: dict) -> dict[str, Tally]:
    gold = _Gold(gold_data)

    def names(node) -> set[str]:
        return {str(o) for p in (SCHEMA.name, SCHEMA.alternateName, SKOS.prefLabel) for o in g.objects(node, p)}

    def article_of(node) -> str:
        for art in g.objects(node, PROV.wasDerivedFrom):
            for ident in g.objects(art, SCHEMA.identifier):
                return str(ident)
        return "?"

    cache: dict = {}

    def key_of(node) -> str:
        if node not in cache:
            cache[node] = gold.match(names(node)) or f"?{sorted(names(node))[:1] or [str(node)]}"
        return cache[node]

    tallies: dict[str, Tally] = defaultdict(Tally)
    persons = set(g.subjects(RDF.type, SCHEMA.Person))
    found: dict[str, list] = defaultdict(list)
    for node in persons:
        key = gold.match(names(node), ("persons", "optional_persons"))
        cache[node] = key or f"?{sorted(names(node))[:1]}"
        if key:
            found[key].append(node)
        else:
            tallies["persons"].fp += 1
            tallies["persons"].extras.append(" / ".join(sorted(names(node))))
    for key in gold_data["persons"]:
        if key in found:
            tallies["persons"].tp += 1
            if len(found[key]) > 1:
                tallies["persons"].fp += len(found[key]) - 1
                tallies["persons"].extras.append(f"{key} split into {len(found[key])} nodes")
        else:
            tallies["persons"].fn += 1
            tallies["persons"].misses.append(gold_data["persons"][key]["name"])

    for label, predicate, field_name in (("affiliations", SCHEMA.worksFor, "orgs"), ("countries", MJ.country, "country")):
        for key, spec in gold_data["persons"].items():
            want = spec.get(field_name) or []
            want = {want} if isinstance(want, str) else set(want)
            optional = set(spec.get("optional_" + field_name, [])) | set(gold_data.get("optional_organizations", {}))
            got = {key_of(o) for node in found.get(key, []) for o in g.objects(node, predicate)}
            tally = tallies[label]
            tally.tp += len(want & got)
            tally.fn += len(want - got)
            tally.misses += [f"{key} -> {w}" for w in sorted(want - got)]
            extra = got - want - optional
            tally.fp += len(extra)
            tally.extras += [f"{key} -> {x}" for x in sorted(extra)]

    by_article: dict[tuple[str, object], list] = defaultdict(list)
    for cls in (MJ.Meeting, MJ.Visit, MJ.Agreement):
        for node in set(g.subjects(RDF.type, cls)):
            by_article[(article_of(node), cls)].append(node)
    for article, spec in gold_data["articles"].items():
        _meetings(g, spec, article, by_article[(article, MJ.Meeting)], key_of, tallies)
        _visits(g, spec, article, by_article[(article, MJ.Visit)], key_of, tallies)
        _agreements(g, spec, article, by_article[(article, MJ.Agreement)], key_of, tallies)
    return dict(tallies)


def _meetings(g, spec, article, nodes, key_of, tallies) -> None:
    extracted = {m: {key_of(a) for a in g.objects(m, SCHEMA.attendee)} for m in nodes}
    used: set = set()
    for gm in spec.get("meetings", []):
        need = set(gm["attendees"])
        allowed = need | set(gm.get("optional_attendees", []))
        for a, b in itertools.combinations(sorted(need), 2):
            hit = any({a, b} <= att for att in extracted.values())
            tallies["met_pairs"].tp += hit
            tallies["met_pairs"].fn += not hit
            if not hit:
                tallies["met_pairs"].misses.append(f"{article}: {a} — {b}")
        candidates = [m for m, att in extracted.items() if need <= att]
        if not candidates:
            tallies["meetings"].fn += 1
            tallies["meetings"].misses.append(f"{article} {gm.get('id', '')} {sorted(need)}")
            for fact in ("dates", "places"):
                if gm.get("date" if fact == "dates" else "place"):
                    tallies[fact].fn += 1
            tallies["topics"].fn += len(gm.get("topics", []))
            continue
        m = min(candidates, key=lambda x: (x in used, len(extracted[x] - allowed)))
        used.add(m)
        tallies["meetings"].tp += 1
        if gm.get("date"):
            dates = {str(d)[:10] for d in g.objects(m, SCHEMA.startDate)}
            ok = dates == {gm["date"]}
            tallies["dates"].tp += ok
            tallies["dates"].fn += not ok
            if not ok:
                tallies["dates"].misses.append(f"{article} {gm.get('id', '')}: want {gm['date']} got {sorted(dates)}")
        if gm.get("place"):
            places = {key_of(p) for p in g.objects(m, SCHEMA.location)}
            ok = bool(places & set(gm["place"]))
            tallies["places"].tp += ok
            tallies["places"].fn += not ok
            if not ok:
                tallies["places"].misses.append(f"{article} {gm.get('id', '')}: want {gm['place']} got {sorted(places)}")
        topics = {str(n) for t in g.objects(m, SCHEMA.about) for n in g.objects(t, SKOS.notation)}
        want = set(gm.get("topics", []))
        ok_topics = want | set(gm.get("optional_topics", []))
        tallies["topics"].tp += len(want & topics)
        tallies["topics"].fn += len(want - topics)
        tallies["topics"].fp += len(topics - ok_topics)
        tallies["topics"].misses += [f"{article} {gm.get('id', '')}: {t}" for t in sorted(want - topics)]
        tallies["topics"].extras += [f"{article} {gm.get('id', '')}: {t}" for t in sorted(topics - ok_topics)]
    for om in spec.get("optional_meetings", []):
        for m, att in extracted.items():
            if m not in used and set(om["attendees"][:2]) <= att:
                used.add(m)
                break
    allowed_pairs = set()
    for gm in [*spec.get("meetings", []), *spec.get("optional_meetings", [])]:
        everyone = set(gm["attendees"]) | set(gm.get("optional_attendees", []))
        allowed_pairs |= {frozenset(p) for p in itertools.combinations(sorted(everyone), 2)}
    for m, att in extracted.items():
        if m not in used:
            tallies["meetings"].fp += 1
            tallies["meetings"].extras.append(f"{article} {sorted(att)}")
        for pair in itertools.combinations(sorted(att), 2):
            if frozenset(pair) not in allowed_pairs:
                tallies["met_pairs"].fp += 1
                tallies["met_pairs"].extras.append(f"{article}: {pair[0]} — {pair[1]}")


def _visits(g, spec, article, nodes, key_of, tallies) -> None:
    extracted = {v: ({key_of(x) for x in g.objects(v, MJ.visitor)}, {key_of(x) for x in g.objects(v, MJ.destination)})
                 for v in nodes}
    used: set = set()
    for gv in spec.get("visits", []):
        match = [v for v, (who, where) in extracted.items()
                 if v not in used and gv["visitor"] in who and where & set(gv["destination"])]
        if match:
            used.add(match[0])
            tallies["visits"].tp += 1
        else:
            tallies["visits"].fn += 1
            tallies["visits"].misses.append(f"{article}: {gv['visitor']} -> {gv['destination']}")
    for ov in spec.get("optional_visits", []):
        for v, (who, _) in extracted.items():
            if v not in used and ov["visitor"] in who:
                used.add(v)
                break
    for v in set(extracted) - used:
        tallies["visits"].fp += 1
        tallies["visits"].extras.append(f"{article}: {sorted(extracted[v][0])} -> {sorted(extracted[v][1])}")


def _agreements(g, spec, article, nodes, key_of, tallies) -> None:
    extracted = {a: {key_of(x) for x in g.objects(a, MJ.party)} for a in nodes}
    used: set = set()
    for ga in spec.get("agreements", []):
        sides = [set(s) for s in ga["sides"]]
        match = [a for a, parties in extracted.items() if a not in used and all(parties & s for s in sides)]
        if match:
            used.add(match[0])
            tallies["agreements"].tp += 1
        else:
            tallies["agreements"].fn += 1
            tallies["agreements"].misses.append(f"{article}: {ga['sides']}")
    for a in set(extracted) - used:
        tallies["agreements"].fp += 1
        tallies["agreements"].extras.append(f"{article}: {sorted(extracted[a])}")


FACT_TYPES = ("persons", "met_pairs", "meetings", "dates", "places", "topics", "affiliations", "countries",
              "visits", "agreements")


def report(g: Graph, gold_path: Path | str, verbose: bool = False) -> str:
    tallies = evaluate(g, load_gold(gold_path))
    lines = []
    if verbose:
        for fact in FACT_TYPES:
            t = tallies.get(fact, Tally())
            lines += [f"  {fact} missed: {m}" for m in t.misses]
            lines += [f"  {fact} extra: {x}" for x in t.extras]
    f1s = []
    lines.append(f"{'fact':14} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for fact in FACT_TYPES:
        t = tallies.get(fact, Tally())
        p, r, f = t.prf()
        f1s.append(f)
        lines.append(f"{fact:14} {p:6.3f} {r:6.3f} {f:6.3f}  {t.tp:3} {t.fp:3} {t.fn:3}")
    lines.append(f"mean F1 {sum(f1s) / len(f1s):.3f}")
    return "\n".join(lines)


def main_report(graph, gold_path, verbose: bool = False) -> str:
    """Entry used by `majlis evaluate`."""
    return report(graph, gold_path, verbose)
