"""Records that cross stage boundaries: extract/ produces them, graph/ consumes them.

Every record is an immutable, hashable NamedTuple. spaCy objects never appear here, nor rdflib terms.
Records compare by field values, like the tuples they are; no code mixes them with plain tuples.
"""
from __future__ import annotations

import datetime as _dt
from typing import NamedTuple

# Kinds of node. graph/identity.py maps each kind to an rdf:type and an IRI namespace.
PERSON = "person"
ORGANIZATION = "organization"
COUNTRY = "country"
PLACE = "place"
TOPIC = "topic"
MEETING = "meeting"
VISIT = "visit"
AGREEMENT = "agreement"
ARTICLE = "article"
KINDS = (PERSON, ORGANIZATION, COUNTRY, PLACE, TOPIC, MEETING, VISIT, AGREEMENT, ARTICLE)

# Relations: the local names of the public vocabulary (docs/vocabulary.md).
# Literal-valued relations carry str / datetime.date / float objects; the rest carry Nodes.
NAME = "name"                    # str, canonical name
ALTERNATE_NAME = "alternateName"  # str
JOB_TITLE = "jobTitle"           # str
WORKS_FOR = "worksFor"           # Node(organization)
IN_COUNTRY = "country"           # Node(country): the country a person/organisation represents
ACRONYM = "acronym"              # str, an organisation's acronym
ATTENDEE = "attendee"            # Node(person)
START_DATE = "startDate"         # datetime.date
DATE_INFERRED = "dateInferred"   # str: how the year was obtained ("weekday", "published")
LOCATION = "location"            # Node(place|country)
ABOUT = "about"                  # Node(topic)
VISITOR = "visitor"              # Node(person)
DESTINATION = "destination"      # Node(place|country)
STATUS = "status"                # str: "planned"
PARTY = "party"                  # Node(person|organization|country)
SIGNED_ON = "signedOn"           # datetime.date
AWARD = "award"                  # str, on a person
AWARDED_BY = "awardedBy"         # Node(person|organization|country)
CONFIDENCE = "confidence"        # float in [0, 1], on events
HOST = "host"                    # Node(person): who received the other side
CONTAINED_IN = "containedInPlace"  # Node(country), on a place


def _pickled_by_tuple_new(cls):
    """Unpickle with tuple.__new__(cls, fields): C code, not the Python-level __new__ of a NamedTuple.

    Results cross from worker to parent by pickle (majlis/distributed.py); rebuilding some hundred
    records an article in Python cost the parent a quarter of a core at two jobs.
    """
    new = tuple.__new__

    def __reduce__(self):
        return new, (cls, tuple(self))

    cls.__reduce__ = __reduce__
    return cls


@_pickled_by_tuple_new
class Article(NamedTuple):
    """One news article. `id` is the file name without extension, or the JSONL `id`."""

    id: str
    text: str
    published: _dt.date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None


@_pickled_by_tuple_new
class Evidence(NamedTuple):
    """Where a fact was read: a span of the article text (character offsets, end exclusive)."""

    article_id: str
    sentence: int  # 0-based index of the sentence in the article
    start: int
    end: int
    text: str  # the sentence text, text == article.text[start:end]


@_pickled_by_tuple_new
class Node(NamedTuple):
    """A thing the graph talks about, identified by kind and a stable key.

    Keys: person: normalised canonical name; organization: "normalised core name|ISO2";
    country: ISO 3166 alpha-2; place: lexicon id; topic: notation; article: article id;
    meeting/visit/agreement: "<article id>/<n>" (n counts events of that kind in the article).
    """

    kind: str
    key: str


Value = Node | str | float | _dt.date


@_pickled_by_tuple_new
class Triple(NamedTuple):
    """subject --relation--> object, with the sentence(s) that state it."""

    subject: Node
    relation: str
    object: Value
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 1.0


@_pickled_by_tuple_new
class ArticleResult(NamedTuple):
    """What extraction produced for one article."""

    article: Article
    triples: tuple[Triple, ...]
    warnings: tuple[str, ...] = ()
