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

# Every predicate the projection reads: each is scanned once, whatever the size of the graph.
_READ = (RDF.type, SCHEMA.name, SCHEMA.alternateName, SCHEMA.jobTitle, SCHEMA.worksFor, MJ.country,
         SCHEMA.identifier, SCHEMA.url, SCHEMA.attendee, MJ.host, SCHEMA.startDate, SCHEMA.location,
         SCHEMA.about, MJ.evidence, PROV.wasDerivedFrom, SCHEMA.text, SKOS.prefLabel, SKOS.notation,
         MJ.acronym, MJ.met)
_NONE: frozenset = frozenset()


def who_met_whom(graph: Graph, layers: frozenset[str] = frozenset()) -> nx.Graph:
    """Project `graph` (a Graph, or a Dataset read as the union of its graphs) to a networkx Graph."""
    if not isinstance(graph, Graph):
        raise TypeError(f"who_met_whom needs an rdflib Graph or Dataset, not {type(graph).__name__}")
    unknown = set(layers) - LAYERS
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(LAYERS))}")
    facts = _Facts(graph)

    meetings = _meetings(facts)
    attended: dict[str, set[str]] = defaultdict(set)
    for iri, meeting in meetings.items():
        for person in meeting.attendees:
            attended[person].add(iri)
    met_pairs = {_pair(str(a), str(b)) for a, objects in facts.by[MJ.met].items() for b in objects if a != b}
    persons = {str(p) for p in facts.typed(SCHEMA.Person)} | set(attended)
    for pair in met_pairs:
        persons.update(pair)

    G = nx.Graph()
    for person in sorted(persons):
        G.add_node(person, kind=PERSON, meetings=len(attended.get(person, ())), **_describe_person(facts, URIRef(person)))

    pair_meetings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri, meeting in meetings.items():
        for a, b in combinations(sorted(meeting.attendees), 2):
            pair_meetings[(a, b)].append(iri)
    for pair in sorted(set(pair_meetings) | met_pairs):
        listed = sorted(pair_meetings.get(pair, ()), key=lambda iri: (meetings[iri].date or "9999", iri))
        G.add_edge(*pair, kind="met", meetings=[meetings[iri].as_dict() for iri in listed], weight=len(listed))

    if "agencies" in layers:
        _add_layer(G, facts, persons, SCHEMA.worksFor, ORGANIZATION, "worksFor")
    if "countries" in layers:
        owners = persons | {n for n, kind in G.nodes(data="kind") if kind == ORGANIZATION}
        _add_layer(G, facts, owners, MJ.country, COUNTRY, "country")
    return G


class _Facts:
    """The predicates we read, indexed by subject, from the union of all graphs of a Dataset."""

    def __init__(self, graph: Graph):
        self.by: dict[URIRef, dict[RDFNode, set[RDFNode]]] = {p: defaultdict(set) for p in _READ}
        for s, p, o in _triples(graph):
            self.by[p][s].add(o)
        self._types: dict[RDFNode, set[RDFNode]] = defaultdict(set)
        for s, classes in self.by[RDF.type].items():
            for c in classes:
                self._types[c].add(s)
        self._labels: dict[RDFNode, str] = {}

    def objects(self, subject: RDFNode, predicate: URIRef) -> set[RDFNode] | frozenset:
        return self.by[predicate].get(subject, _NONE)

    def typed(self, cls: URIRef) -> set[RDFNode]:
        return self._types.get(cls, set())

    def strings(self, subject: RDFNode, predicate: URIRef) -> list[str]:
        return sorted({str(v) for v in self.objects(subject, predicate) if isinstance(v, Literal) and str(v).strip()})

    def label(self, node: RDFNode) -> str:
        """The resource's name, Arabic first; several articles may name one thing, the fullest name wins."""
        if node not in self._labels:
            self._labels[node] = (_best_literal(self.objects(node, SCHEMA.name))
                                  or _best_literal(self.objects(node, SKOS.prefLabel))
                                  or _best_literal(self.objects(node, SKOS.notation))
                                  or (str(node) if isinstance(node, Literal) else _tail(str(node))))
        return self._labels[node]

    def names(self, node: RDFNode) -> list[str]:
        label = self.label(node)
        others = set(self.strings(node, SCHEMA.name)) | set(self.strings(node, SCHEMA.alternateName))
        return [label] + sorted(others - {label})

    def country_code(self, country: RDFNode | None) -> str | None:
        if country is None:
            return None
        codes = self.strings(country, SCHEMA.identifier)
        return codes[0] if codes else _tail(str(country)).upper()

    def first(self, subject: RDFNode, predicate: URIRef) -> RDFNode | None:
        values = sorted(self.objects(subject, predicate), key=str)
        return values[0] if values else None


def _triples(graph: Graph) -> Iterable[tuple]:
    """Triples of the predicates we read; a Dataset is read through all its graphs, whatever default_union says."""
    for predicate in _READ:
        if isinstance(graph, Dataset):
            for s, p, o, _ in graph.quads((None, predicate, None, None)):
                yield s, p, o
        else:
            yield from graph.triples((None, predicate, None))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _best_literal(values: Iterable[RDFNode]) -> str | None:
    literals = [v for v in values if isinstance(v, Literal) and str(v).strip()]
    if not literals:
        return None

    def rank(lit: Literal) -> tuple:
        lang = 0 if lit.language == "ar" else 1 if lit.language is None else 2
        text = str(lit)
        return (lang, -len(text.split()), -len(text), text)

    return str(min(literals, key=rank))


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _describe_person(facts: _Facts, node: URIRef) -> dict:
    country = facts.first(node, MJ.country)
    return {
        "label": facts.label(node),
        "names": facts.names(node),
        "titles": facts.strings(node, SCHEMA.jobTitle),
        "orgs": sorted({facts.label(o) for o in facts.objects(node, SCHEMA.worksFor)}),
        "country": facts.label(country) if country is not None else None,
        "country_code": facts.country_code(country),
    }


class _Meeting:
    __slots__ = ("iri", "attendees", "date", "place", "topics", "evidence")

    def __init__(self, iri: str, attendees: set[str], date, place, topics, evidence):
        self.iri, self.attendees, self.date, self.place, self.topics, self.evidence = (
            iri, attendees, date, place, topics, evidence)

    def as_dict(self) -> dict:
        # A fresh dict (and lists) per edge, so that editing one edge's data never changes another's.
        return {"iri": self.iri, "date": self.date, "place": self.place, "topics": list(self.topics),
                "evidence": [dict(e) for e in self.evidence]}


def _meetings(facts: _Facts) -> dict[str, _Meeting]:
    articles: dict[RDFNode, tuple[str, str | None]] = {}

    def article(node: RDFNode) -> tuple[str, str | None]:
        """(identifier, url): the article's schema:identifier names it, its schema:url links it."""
        if node not in articles:
            ids, urls = facts.strings(node, SCHEMA.identifier), facts.strings(node, SCHEMA.url)
            articles[node] = (ids[0] if ids else _tail(str(node)), urls[0] if urls else None)
        return articles[node]

    found: dict[str, _Meeting] = {}
    for node in facts.typed(MJ.Meeting):
        people = {str(p) for p in facts.objects(node, SCHEMA.attendee) | facts.objects(node, MJ.host)}
        dates = facts.strings(node, SCHEMA.startDate)
        places = sorted({facts.label(p) for p in facts.objects(node, SCHEMA.location)})
        topics = sorted({facts.label(t) for t in facts.objects(node, SCHEMA.about)})
        evidence, cited = {}, set()
        for ev in facts.objects(node, MJ.evidence):
            texts = facts.strings(ev, SCHEMA.text)
            for source in sorted(facts.objects(ev, PROV.wasDerivedFrom), key=str) or [None]:
                art_id, url = article(source) if source is not None else (None, None)
                cited.add(source)
                item = {"text": texts[0] if texts else None, "article": art_id, "url": url}
                evidence[(item["article"] or "", item["text"] or "", item["url"] or "")] = item
        # An article the meeting rests on without a quoted sentence is still worth a link.
        for source in facts.objects(node, PROV.wasDerivedFrom) - cited:
            art_id, url = article(source)
            evidence[(art_id, "", url or "")] = {"text": None, "article": art_id, "url": url}
        found[str(node)] = _Meeting(str(node), people, dates[0] if dates else None,
                                    "، ".join(places) if places else None, topics,
                                    [evidence[k] for k in sorted(evidence)])
    return found


def _add_layer(G: nx.Graph, facts: _Facts, owners: set[str], predicate: URIRef, kind: str, relation: str) -> None:
    for owner in sorted(owners):
        for target in sorted(facts.objects(URIRef(owner), predicate), key=str):
            key = str(target)
            if key not in G:
                attrs = {"kind": kind, "label": facts.label(target), "names": facts.names(target)}
                country = target if kind == COUNTRY else facts.first(target, MJ.country)
                attrs["country"] = facts.label(country) if country is not None else None
                attrs["country_code"] = facts.country_code(country)
                if kind == ORGANIZATION:
                    attrs["acronyms"] = facts.strings(target, MJ.acronym)
                G.add_node(key, **attrs)
            G.add_edge(owner, key, kind=relation)
