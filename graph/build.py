"""ArticleResult records -> rdflib Dataset: one named graph per article, the union as default graph.

Each article's graph holds everything that article says, entity descriptions included, so one
article's graph can be dropped and rebuilt alone. Facts about persons and organisations are also
stated as rdf:Statement nodes pointing at the sentence they rest on.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Iterable

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef

from extract import types as T
from extract.normalize import is_arabic

from .identity import Identity, article_iri, evidence_iri, graph_iri, statement_iri
from .vocabulary import MJ, PROV, SCHEMA, SKOS, bind_prefixes

CLASSES = {
    T.PERSON: SCHEMA.Person, T.ORGANIZATION: SCHEMA.GovernmentOrganization, T.COUNTRY: SCHEMA.Country,
    T.PLACE: SCHEMA.Place, T.TOPIC: SKOS.Concept, T.MEETING: MJ.Meeting, T.VISIT: MJ.Visit,
    T.AGREEMENT: MJ.Agreement,
}
PREDICATES = {
    T.NAME: SCHEMA.name, T.ALTERNATE_NAME: SCHEMA.alternateName, T.JOB_TITLE: SCHEMA.jobTitle,
    T.WORKS_FOR: SCHEMA.worksFor, T.IN_COUNTRY: MJ.country, T.ACRONYM: MJ.acronym,
    T.ATTENDEE: SCHEMA.attendee, T.START_DATE: SCHEMA.startDate, T.DATE_INFERRED: MJ.dateInferred,
    T.LOCATION: SCHEMA.location, T.ABOUT: SCHEMA.about, T.VISITOR: MJ.visitor, T.DESTINATION: MJ.destination,
    T.STATUS: MJ.status, T.PARTY: MJ.party, T.SIGNED_ON: MJ.signedOn, T.AWARD: SCHEMA.award,
    T.AWARDED_BY: MJ.awardedBy, T.CONFIDENCE: MJ.confidence, T.HOST: MJ.host,
    T.CONTAINED_IN: SCHEMA.containedInPlace, "nameEn": SCHEMA.name,
}
_EVENTS = (T.MEETING, T.VISIT, T.AGREEMENT)
_LANG_TAGGED = (T.NAME, T.ALTERNATE_NAME, T.JOB_TITLE, T.AWARD)


def _literal(relation: str, value) -> Literal:
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, float):
        return Literal(f"{value:.2f}", datatype=XSD.decimal)
    if relation == "nameEn":
        return Literal(value, lang="en")
    if relation in _LANG_TAGGED and is_arabic(value):
        return Literal(value, lang="ar")
    return Literal(value)


def build_dataset(results: Iterable[T.ArticleResult], existing_persons: dict[str, list[str]] | None = None) -> Dataset:
    """All articles' triples as one Dataset; `existing_persons` (key -> names) pins stored persons."""
    results = list(results)
    identity = Identity(results, existing_persons)
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    preferred_country = _majority_countries(results, identity)
    for result in results:
        _add_article(ds, result, identity, preferred_country)
    return ds


def _majority_countries(results: list[T.ArticleResult], identity: Identity) -> dict[T.Node, T.Node]:
    """Articles may disagree on whom a person represents: keep the country most of them give."""
    votes: dict[T.Node, Counter] = defaultdict(Counter)
    for r in results:
        for t in r.triples:
            if t.subject.kind == T.PERSON and t.relation == T.IN_COUNTRY:
                votes[identity.node(t.subject)][t.object] += 1
    return {p: max(sorted(c.items(), key=lambda kv: kv[0].key), key=lambda kv: kv[1])[0] for p, c in votes.items()}


def _add_article(ds: Dataset, result: T.ArticleResult, identity: Identity, preferred_country) -> None:
    article = result.article
    g: Graph = ds.graph(graph_iri(article.id))
    art = article_iri(article.id)
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, SCHEMA.identifier, Literal(article.id)))
    if article.published:
        g.add((art, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)))
    if article.url:
        g.add((art, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.title:
        g.add((art, SCHEMA.headline, Literal(article.title)))
    if article.source:
        g.add((art, SCHEMA.publisher, Literal(article.source)))

    attendees: dict[URIRef, set[URIRef]] = defaultdict(set)
    for t in result.triples:
        subject = identity.iri(t.subject)
        kind = t.subject.kind
        g.add((subject, RDF.type, CLASSES[kind]))
        if t.relation == T.IN_COUNTRY and kind == T.PERSON and preferred_country.get(identity.node(t.subject)) not in (None, t.object):
            continue
        predicate = PREDICATES[t.relation]
        if isinstance(t.object, T.Node):
            obj = identity.iri(t.object)
            g.add((obj, RDF.type, CLASSES[t.object.kind]))
        else:
            obj = _literal(t.relation, t.object)
        if kind == T.PERSON and t.relation == T.NAME:
            # One schema:name per person, the fullest form seen anywhere; the others are aliases.
            canonical = identity.display.get(identity.node(t.subject), t.object)
            g.add((subject, SCHEMA.name, _literal(T.NAME, canonical)))
            if canonical == t.object:
                continue
            predicate = SCHEMA.alternateName
        if kind == T.TOPIC and t.relation in (T.NAME, "nameEn"):
            predicate = SKOS.prefLabel
        g.add((subject, predicate, obj))
        if kind == T.TOPIC:
            g.add((subject, SKOS.notation, Literal(t.subject.key)))
            g.add((subject, SKOS.inScheme, MJ.topics))
        if kind == T.COUNTRY:
            g.add((subject, SCHEMA.identifier, Literal(t.subject.key)))
        if kind in _EVENTS:
            g.add((subject, PROV.wasDerivedFrom, art))
            for ev in t.evidence:
                g.add((subject, MJ.evidence, _evidence(g, ev, art)))
            if t.relation == T.ATTENDEE:
                attendees[subject].add(obj)
        elif t.evidence and kind in (T.PERSON, T.ORGANIZATION):
            stmt = statement_iri(subject, predicate, obj, article.id)
            g.add((stmt, RDF.type, RDF.Statement))
            g.add((stmt, RDF.subject, subject))
            g.add((stmt, RDF.predicate, predicate))
            g.add((stmt, RDF.object, obj))
            g.add((stmt, PROV.wasDerivedFrom, art))
            for ev in t.evidence:
                g.add((stmt, MJ.evidence, _evidence(g, ev, art)))
    # mj:met mirrors co-attendance, both directions, so queries need no symmetric reasoning.
    for people in attendees.values():
        for a in people:
            for b in people:
                if a != b:
                    g.add((a, MJ.met, b))


def _evidence(g: Graph, ev: T.Evidence, art: URIRef) -> URIRef:
    node = evidence_iri(ev)
    if (node, RDF.type, MJ.Evidence) not in g:
        g.add((node, RDF.type, MJ.Evidence))
        g.add((node, SCHEMA.text, Literal(ev.text)))
        g.add((node, MJ.sentenceIndex, Literal(ev.sentence)))
        g.add((node, MJ.startOffset, Literal(ev.start)))
        g.add((node, MJ.endOffset, Literal(ev.end)))
        g.add((node, PROV.wasDerivedFrom, art))
    return node


def counts(ds: Dataset) -> dict[str, int]:
    """Figures for the build summary line."""
    return {
        "persons": len(set(ds.subjects(RDF.type, SCHEMA.Person))),
        "meetings": len(set(ds.subjects(RDF.type, MJ.Meeting))),
        "triples": len(ds),
    }


__all__ = ["build_dataset", "counts", "RDFS"]
