"""Our terms as a DefinedNamespace (a typo raises), and the namespaces we reuse.

The same terms are described as RDF, with Arabic and English labels, in `ontology.ttl`
next to this file; docs/vocabulary.md documents them for users.
"""
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import ORG, PROV, SKOS, XSD, DefinedNamespace

SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/majlis/id/")


class MJ(DefinedNamespace):
    """The majlis vocabulary, `mj:`. Everything else comes from schema.org, PROV, SKOS and ORG."""

    _fail = True
    _NS = Namespace("https://w3id.org/majlis#")

    # Classes
    Meeting: URIRef  # a meeting between officials (a schema:Event)
    Visit: URIRef  # an official's visit to a country or city, made or planned
    Agreement: URIRef  # an agreement, memorandum or convention between parties
    Evidence: URIRef  # the sentence of an article a fact rests on

    # Events
    met: URIRef  # symmetric: two persons attended the same meeting (stored both ways)
    host: URIRef  # the person who received the other side of a meeting
    visitor: URIRef  # the person making a visit
    destination: URIRef  # where a visit goes (a place or a country)
    status: URIRef  # "planned" for a visit not yet made
    party: URIRef  # a party to an agreement (person, organisation or country)
    signedOn: URIRef  # the date an agreement was signed (xsd:date)
    dateInferred: URIRef  # how a date's year was obtained ("weekday", "published")
    confidence: URIRef  # the extractor's confidence in an event, 0..1 (xsd:decimal)

    # Persons and organisations
    country: URIRef  # the country a person or organisation represents
    acronym: URIRef  # an organisation's acronym
    awardedBy: URIRef  # who conferred an award (on the rdf:Statement reifying schema:award)

    # Provenance
    evidence: URIRef  # an event or rdf:Statement -> the mj:Evidence it rests on
    sentenceIndex: URIRef  # 0-based index of the sentence in its article
    startOffset: URIRef  # character offset of the sentence in the article text
    endOffset: URIRef  # character offset just past the sentence (exclusive)

    # The topic concept scheme (skos:ConceptScheme)
    topics: URIRef


def bind_prefixes(graph: Graph) -> None:
    """Bind the prefixes every majlis file uses: schema, mj, prov, skos, org, xsd, id."""
    for prefix, ns in (("schema", SCHEMA), ("mj", MJ._NS), ("prov", PROV), ("skos", SKOS), ("org", ORG),
                       ("xsd", XSD), ("id", ID)):
        graph.bind(prefix, ns, override=True)


__all__ = ["MJ", "SCHEMA", "PROV", "SKOS", "ORG", "XSD", "ID", "bind_prefixes"]
