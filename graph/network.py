"""rdflib Graph/Dataset -> networkx projection of who met whom (the contract is in docs/design.md).

Nodes are person IRIs (str). Every `schema:Person` is a node, with `meetings` = 0 when the person
attended none, so that node counts agree with a SPARQL count of persons. An edge joins every two
attendees (`schema:attendee` or `mj:host`) of an `mj:Meeting` and lists those meetings; an `mj:met`
pair that no meeting backs still gets an edge, with no meetings and weight 0.

Optional layers add organisation nodes (`kind="organization"`, linked to the persons who work for
them) and country nodes (`kind="country"`, linked to the persons, and organisations, representing
them). Layer edges carry only `kind` ("worksFor" or "country"); person edges have `kind="met"`.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterable

import networkx as nx
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.term import Node as RDFNode

from .vocabulary import MJ, PROV, SCHEMA, SKOS

LAYERS = frozenset({"agencies", "countries"})

PERSON = "person"
ORGANIZATION = "organization"
COUNTRY = "country"


def who_met_whom(graph: Graph, layers: frozenset[str] = frozenset()) -> nx.Graph:
    """Project `graph` (a Graph, or a Dataset read as the union of its graphs) to a networkx Graph."""
    if not isinstance(graph, Graph):
        raise TypeError(f"who_met_whom needs an rdflib Graph or Dataset, not {type(graph).__name__}")
    unknown = set(layers) - LAYERS
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(LAYERS))}")
    g = _union(graph)
    labels = _Labels(g)

    meetings = _meetings(g, labels)
    attended: dict[str, set[str]] = defaultdict(set)
    for iri, meeting in meetings.items():
        for person in meeting.attendees:
            attended[person].add(iri)

    persons = {str(p) for p in g.subjects(RDF.type, SCHEMA.Person)}
    persons.update(attended)
    met_pairs = {_pair(str(a), str(b)) for a, b in g.subject_objects(MJ.met) if a != b}
    for pair in met_pairs:
        persons.update(pair)

    G = nx.Graph()
    for person in sorted(persons):
        G.add_node(person, kind=PERSON, meetings=len(attended.get(person, ())), **_describe_person(g, labels, person))

    pair_meetings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri, meeting in meetings.items():
        for a, b in combinations(sorted(meeting.attendees), 2):
            pair_meetings[(a, b)].append(iri)
    for pair in sorted(set(pair_meetings) | met_pairs):
        listed = sorted(pair_meetings.get(pair, ()), key=lambda iri: (meetings[iri].date or "9999", iri))
        G.add_edge(*pair, kind="met", meetings=[meetings[iri].as_dict() for iri in listed], weight=len(listed))

    if "agencies" in layers:
        _add_layer(G, g, labels, persons, SCHEMA.worksFor, ORGANIZATION, "worksFor")
    if "countries" in layers:
        owners = persons | {n for n, kind in G.nodes(data="kind") if kind == ORGANIZATION}
        _add_layer(G, g, labels, owners, MJ.country, COUNTRY, "country")
    return G


def _union(graph: Graph) -> Graph:
    """A Dataset without default_union would show only its default graph: read all its quads instead."""
    if isinstance(graph, Dataset) and not graph.default_union:
        union = Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return graph


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class _Labels:
    """Names of resources, Arabic first, computed once per resource."""

    def __init__(self, g: Graph):
        self.g = g
        self._cache: dict[RDFNode, str] = {}

    def __call__(self, node: RDFNode) -> str:
        if node not in self._cache:
            self._cache[node] = self._compute(node)
        return self._cache[node]

    def _compute(self, node: RDFNode) -> str:
        if isinstance(node, Literal):
            return str(node)
        for predicate in (SCHEMA.name, SKOS.prefLabel):
            best = _best_literal(self.g.objects(node, predicate))
            if best:
                return best
        notation = _best_literal(self.g.objects(node, SKOS.notation))
        return notation or _tail(str(node))


def _best_literal(values: Iterable[RDFNode]) -> str | None:
    """The fullest Arabic literal, else the fullest untagged, else any: several articles may name one thing."""
    literals = [v for v in values if isinstance(v, Literal)]
    if not literals:
        return None

    def rank(lit: Literal) -> tuple:
        lang = 0 if lit.language == "ar" else 1 if lit.language is None else 2
        text = str(lit)
        return (lang, -len(text.split()), -len(text), text)

    return str(min(literals, key=rank))


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _strings(values: Iterable[RDFNode]) -> list[str]:
    return sorted({str(v) for v in values if isinstance(v, Literal) and str(v).strip()})


def _describe_person(g: Graph, labels: _Labels, person: str) -> dict:
    node = URIRef(person)
    label = labels(node)
    names = _names(g, labels, node)
    countries = sorted(set(g.objects(node, MJ.country)), key=str)
    country = countries[0] if countries else None
    return {
        "label": label,
        "names": names,
        "titles": _strings(g.objects(node, SCHEMA.jobTitle)),
        "orgs": sorted({labels(o) for o in g.objects(node, SCHEMA.worksFor)}),
        "country": labels(country) if country is not None else None,
        "country_code": _country_code(g, country),
    }


def _country_code(g: Graph, country: RDFNode | None) -> str | None:
    if country is None:
        return None
    code = _strings(g.objects(country, SCHEMA.identifier))
    return code[0] if code else _tail(str(country)).upper()


class _Meeting:
    __slots__ = ("iri", "attendees", "date", "place", "topics", "evidence")

    def __init__(self, iri: str, attendees: set[str], date, place, topics, evidence):
        self.iri, self.attendees, self.date, self.place, self.topics, self.evidence = (
            iri, attendees, date, place, topics, evidence)

    def as_dict(self) -> dict:
        # A fresh dict (and lists) per edge, so that editing one edge's data never changes another's.
        return {"iri": self.iri, "date": self.date, "place": self.place, "topics": list(self.topics),
                "evidence": [dict(e) for e in self.evidence]}


def _meetings(g: Graph, labels: _Labels) -> dict[str, _Meeting]:
    articles: dict[RDFNode, tuple[str, str | None]] = {}

    def article(node: RDFNode) -> tuple[str, str | None]:
        if node not in articles:
            ids = _strings(g.objects(node, SCHEMA.identifier))
            urls = _strings(g.objects(node, SCHEMA.url))
            articles[node] = (ids[0] if ids else _tail(str(node)), urls[0] if urls else None)
        return articles[node]

    found: dict[str, _Meeting] = {}
    for node in set(g.subjects(RDF.type, MJ.Meeting)):
        people = {str(p) for p in g.objects(node, SCHEMA.attendee)} | {str(p) for p in g.objects(node, MJ.host)}
        dates = _strings(g.objects(node, SCHEMA.startDate))
        places = sorted({labels(p) for p in g.objects(node, SCHEMA.location)})
        topics = sorted({labels(t) for t in g.objects(node, SCHEMA.about)})
        evidence, cited = [], set()
        for ev in g.objects(node, MJ.evidence):
            texts = _strings(g.objects(ev, SCHEMA.text))
            sources = sorted(g.objects(ev, PROV.wasDerivedFrom), key=str) or [None]
            for source in sources:
                art_id, url = article(source) if source is not None else (None, None)
                cited.add(source)
                evidence.append({"text": texts[0] if texts else None, "article": art_id, "url": url})
        # An article the meeting rests on without a quoted sentence is still worth a link.
        for source in sorted(set(g.objects(node, PROV.wasDerivedFrom)) - cited, key=str):
            art_id, url = article(source)
            evidence.append({"text": None, "article": art_id, "url": url})
        unique = {tuple(sorted(e.items(), key=lambda kv: kv[0])): e for e in evidence}
        evidence = sorted(unique.values(), key=lambda e: (e["article"] or "", e["text"] or ""))
        found[str(node)] = _Meeting(str(node), people, dates[0] if dates else None,
                                    "، ".join(places) if places else None, topics, evidence)
    return found


def _add_layer(G: nx.Graph, g: Graph, labels: _Labels, owners: set[str], predicate, kind: str, relation: str) -> None:
    for owner in sorted(owners):
        for target in sorted(set(g.objects(URIRef(owner), predicate)), key=str):
            key = str(target)
            if key not in G:
                attrs = {"kind": kind, "label": labels(target), "names": _names(g, labels, target)}
                if kind == COUNTRY:
                    attrs["country"], attrs["country_code"] = labels(target), _country_code(g, target)
                else:
                    countries = sorted(set(g.objects(target, MJ.country)), key=str)
                    attrs["country"] = labels(countries[0]) if countries else None
                    attrs["country_code"] = _country_code(g, countries[0]) if countries else None
                    attrs["acronyms"] = _strings(g.objects(target, MJ.acronym))
                G.add_node(key, **attrs)
            G.add_edge(owner, key, kind=relation)


def _names(g: Graph, labels: _Labels, node: RDFNode) -> list[str]:
    label = labels(node)
    others = _strings(g.objects(node, SCHEMA.name)) + _strings(g.objects(node, SCHEMA.alternateName))
    return [label] + sorted(set(others) - {label})
