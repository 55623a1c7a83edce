"""Our terms as a DefinedNamespace (a typo raises), and the namespaces we reuse."""
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import ORG, PROV, SKOS, XSD, DefinedNamespace

SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/majlis/id/")


class MJ(DefinedNamespace):
    _fail = True
    _NS = Namespace("https://w3id.org/majlis#")

    Meeting: URIRef
    Visit: URIRef
    Agreement: URIRef
    Evidence: URIRef
    met: URIRef
    host: URIRef
    visitor: URIRef
    destination: URIRef
    status: URIRef
    party: URIRef
    signedOn: URIRef
    confidence: URIRef
    country: URIRef
    acronym: URIRef
    evidence: URIRef
    sentenceIndex: URIRef
    startOffset: URIRef
    endOffset: URIRef
    dateInferred: URIRef
    awardedBy: URIRef
    topics: URIRef


def bind_prefixes(graph: Graph) -> None:
    for prefix, ns in (("schema", SCHEMA), ("mj", MJ._NS), ("prov", PROV), ("skos", SKOS), ("org", ORG),
                       ("xsd", XSD), ("id", ID)):
        graph.bind(prefix, ns, override=True)
