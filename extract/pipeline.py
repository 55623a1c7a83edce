"""Extractor: Article -> ArticleResult (triples with evidence). The only public entry of extract/."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from . import types as T
from .collector import paused
from .lexicon import Lexicon, load_lexicon
from .nlp import build_nlp
from .normalize import normalize
from .relations.context import DocContext
from .relations.dates import dated_sentences, dateline_date, dates_in, full_dates, today_named
from .relations.events import Events, at_home, extract_events, story_dateline, story_wire
from .relations.people import GENERIC_ROLES, UNIONS, People, find_people

MAX_CHARS = 2_000_000


class Extractor:
    """Builds the spaCy pipeline once; `extract` is then cheap per article."""

    def __init__(self, lexicon_dirs: Iterable[Path | str] = (), today: dt.date | None = None):
        self.lexicon: Lexicon = load_lexicon(*lexicon_dirs)
        self.nlp = build_nlp(self.lexicon)
        self.nlp.max_length = MAX_CHARS + 1
        self.today = today or dt.date.today()
        # Called in turn by `extract`: Language.__call__ rebuilds its list of components for every Doc.
        self._components = [component for _, component in self.nlp.pipeline]

    def extract_many(self, articles: Iterable[T.Article]) -> Iterator[T.ArticleResult]:
        for article in articles:
            yield self.extract(article)

    def extract(self, article: T.Article) -> T.ArticleResult:
        with paused():  # extraction makes no reference cycles, and the collector's rounds cost an eighth
            return self._extract(article)

    def _extract(self, article: T.Article) -> T.ArticleResult:
        doc = self.nlp.make_doc(article.text)
        for component in self._components:
            doc = component(doc)
        ctx = DocContext.of(doc, self.lexicon, article.text)
        _skip_repeats_and_furniture(ctx)
        people = find_people(ctx)
        dated = dated_sentences(ctx)
        written = full_dates(ctx, dated)
        context = max(written) if written else None
        dateline = None if article.published else dateline_date(ctx, dated, self.today)
        published = article.published or (dateline.value if dateline else None) or today_named(ctx)
        dates = {s: dates_in(ctx, s, published, self.today, context, dateline) for s in dated}
        events = extract_events(ctx, people, dates)
        _infer_countries(people, events, ctx)
        # A trip inside one's own country is no visit, by the countries now known ("حل المدير العام للأمن
        # الوطني ضيفا على مقر أفريبول في الجزائر العاصمة").
        events.visits[:] = [v for v in events.visits if not at_home(ctx, people, v)]
        return T.ArticleResult(article, tuple(_Emitter(article, ctx, people, events).triples()))


def _skip_repeats_and_furniture(ctx: DocContext) -> None:
    """A paragraph printed twice is read once; "شارك بتعليقك" and what follows a "اقرأ أيضا" are not the story."""
    seen: set[tuple[str, ...]] = set()
    furniture_sents = {ctx.sent_of[h.start] for h in ctx.hits_of.get("CUE", ()) if h.payload == "furniture"}
    after_marker = False
    for index, (start, end) in enumerate(ctx.sents):
        words = tuple(filter(None, ctx.written[start:end]))  # the non-empty words
        if not words:
            continue
        furniture = index in furniture_sents
        if furniture or words in seen or after_marker:
            ctx.skip_sents.add(index)
        after_marker = furniture and len(words) <= 4
        seen.add(words)


def _infer_countries(people: People, events: Events, ctx: DocContext) -> None:
    """A person whose country the text does not give represents the country where they host."""
    # A state's news agency names its own officials so, at home and abroad ("روما (وال) – اختتم وزير
    # الداخلية ... زيارته، بحضور مدير ..."), before the place of a meeting abroad makes them its hosts.
    # Not its guests, who come to it; nor those its travellers meet abroad, who are of the place.
    wire = story_wire(ctx)
    if wire:
        visitors = {v.visitor for v in events.visits}
        not_its = {v.visitor for v in events.visits if ctx.country_of(v.destination) == wire}
        not_its.update(pid for m in events.meetings if ctx.country_of(m.place) not in (None, wire)
                       for pid in m.attendees if pid not in m.present and pid not in visitors)
        _of_home(people, ctx, wire, not_its)
    for m in events.meetings:
        if m.place is None:
            continue
        country = ctx.country_of(m.place)
        visitors = {v.visitor for v in events.visits if not v.planned}  # who will travel later hosts at home now
        for pid in m.attendees:
            person = people.persons[pid]
            # An agency the lexicon knows as another state's says more than where one sits.
            if person.country is None and country and pid not in visitors and (m.host == pid or m.host is None) \
                    and person.home() in (None, country):
                # Those only present ("بحضور") are often the host's own staff: they do not make him a guest.
                others = {people.persons[o].country for o in m.attendees if o != pid and o not in m.present}
                if country not in others:
                    person.country = country
        # Those present beside a host at home, their country unsaid, are the host's compatriots
        # ("بحضور المدير العام للأمن الوطني X"): visitors' companions are named with their nationality.
        host_country = people.persons[m.host].country if m.host is not None else None
        if host_country == country:
            for pid in m.present:
                person = people.persons[pid]
                if person.country is None and pid not in visitors and not _international(person, ctx.lex):
                    person.country = country
    # Whoever meets a visitor in the country visited, their country unsaid, is of that country.
    visiting = {v.visitor: ctx.country_of(v.destination) for v in events.visits if not v.planned}
    for m in events.meetings:
        where = ctx.country_of(m.place)
        if where and any(visiting.get(pid) == where for pid in m.attendees):
            for pid in m.attendees:
                person = people.persons[pid]
                # Not one only present ("بحضور رئيس الجهاز"), who may have come with the visitor.
                if person.country is None and pid not in visiting and pid not in m.present \
                        and not _international(person, ctx.lex):
                    person.country = where
    # A host received an envoy posted to his own country: "استقبل وزير الداخلية سفير إيطاليا بالجزائر".
    for m in events.meetings:
        host = people.persons[m.host] if m.host is not None else None
        if host is None or host.country is not None or m.host in visiting:
            continue  # a visitor who receives his own state's envoy where he goes is not of that place
        postings = {t.posted_in for pid in m.attendees if pid != m.host for t in people.persons[pid].titles
                    if t.posted_in and t.posted_in != people.persons[pid].country
                    and ctx.lex.titles[t.head].domain == "diplomatic"}
        if len(postings) == 1:
            host.country = postings.pop()
    # Last resort: the country the lexicon gives the person's agency, when all its agencies agree.
    for person in people.persons:
        person.country = person.home()
    # "ليبيا وإيطاليا تبحثان ...": in a story the headline gives two states, the one of two principals
    # whose country is unsaid is of the state his counterpart is not.
    states = _headline_states(ctx)
    for m in events.meetings if states else ():
        principals = [people.persons[pid] for pid in m.attendees if pid not in m.present]
        if len(principals) == 2:
            for person, other in (principals, principals[::-1]):
                if person.country is None and other.country in states and not _international(person, ctx.lex):
                    person.country = next(iter(states - {other.country}))
    # A story filed from a city: an official of its state is named without his country
    # ("بغداد – استقبل وزير الداخلية ..."). Only where someone of that state is named: "ليون -
    # (...) --" files a delegation's talks abroad.
    dateline = story_dateline(ctx)
    home = ctx.country_of(dateline[1]) if dateline else None
    if home and any(person.country == home for person in people.persons):
        _of_home(people, ctx, home, {v.visitor for v in events.visits})


def _of_home(people: People, ctx: DocContext, home: str, others: set[int]) -> None:
    """Officials named without their state are of the story's, but for `others` (who travel, or are
    the guests and hosts of those who do)."""
    for person in people.persons:
        if person.country is None and person.pid not in others and person.titles \
                and person.home() in (None, home) and not _international(person, ctx.lex) \
                and all(ctx.lex.titles[t.head].domain != "diplomatic" for t in person.titles):
            person.country = home


_HEADLINE = 30  # tokens: a first line longer than this is the story's lead, not its headline


def _headline_states(ctx: DocContext) -> frozenset[str]:
    """The two countries a headline names ("ليبيا وإيطاليا تبحثان دعم خفر السواحل"), or none."""
    if not ctx.sents or 0 in ctx.skip_sents:
        return frozenset()
    lo, hi = ctx.sents[0]
    if hi - lo > _HEADLINE:
        return frozenset()
    states = frozenset(h.payload for h in ctx.hits_in(lo, hi, "COUNTRY"))
    return states if len(states) == 2 else frozenset()


def _international(person, lex: Lexicon) -> bool:
    """Holds a post in a body the lexicon knows as of no state (Interpol, Europol...)."""
    for title in person.titles:
        for agency in title.agencies:
            known = lex.agency_by_name.get(normalize(agency.base))
            if known and not lex.agencies[known].countries:
                return True
    return False


class _Emitter:
    """Turns the article's persons and events into Triple records with evidence."""

    def __init__(self, article: T.Article, ctx: DocContext, people: People, events: Events):
        self.article, self.ctx, self.people, self.events = article, ctx, people, events
        # One record per (subject, relation, object), merged as it is added:
        # [subject, relation, object, evidence sentences in order, confidence]. Triples are made at the end.
        self._merged: dict[tuple, list] = {}
        self._evidence: dict[int, T.Evidence] = {}
        self._person_nodes: dict[int, T.Node] = {}
        self._described: dict[object, T.Node] = {}  # country, place, topic and org nodes already named (`_node`)

    def evidence(self, s: int) -> T.Evidence:
        found = self._evidence.get(s)
        if found is None:
            start, end, text = self.ctx.sentence_text(s)
            found = self._evidence[s] = T.Evidence(self.article.id, s, start, end, text)
        return found

    def add(self, subject: T.Node, relation: str, obj: T.Value, sents=(), confidence: float = 1.0) -> None:
        key = (subject, relation, obj)
        record = self._merged.get(key)
        if record is None:
            # Evidence is told by sentence: one Evidence per sentence of the article.
            self._merged[key] = [subject, relation, obj, _known_sentences(sents), confidence]
            return
        seen = record[3]
        seen.extend(s for s in dict.fromkeys(sents) if s is not None and s not in seen)
        record[4] = max(record[4], confidence)

    def person_node(self, pid: int) -> T.Node:
        node = self._person_nodes.get(pid)
        if node is None:
            node = self._person_nodes[pid] = T.Node(T.PERSON, normalize(self.people.persons[pid].name))
        return node

    def _node(self, described_as, kind: str, key: str) -> tuple[T.Node, bool]:
        """The node, and whether it is new: naming a node again would only add the same
        evidence-less triples, so each country, place, topic and agency is described once."""
        node = self._described.get(described_as)
        if node is not None:
            return node, False
        node = self._described[described_as] = T.Node(kind, key)
        return node, True

    def country(self, iso: str, sent: int | None) -> T.Node:
        node, new = self._node(("country", iso), T.COUNTRY, iso)
        if not new:
            return node
        c = self.ctx.lex.countries.get(iso)
        if c:
            self.add(node, T.NAME, c.name)
            self.add(node, "nameEn", c.en)
        return node

    def place(self, ref: tuple[str, str], sent: int | None) -> T.Node:
        kind, key = ref
        if kind == "country":
            return self.country(key, sent)
        node, new = self._node(("place", key), T.PLACE, key)
        if not new:
            return node
        p = self.ctx.lex.places.get(key)
        if p:
            self.add(node, T.NAME, p.name)
            self.add(node, "nameEn", p.en)
            for alias in p.aliases:
                self.add(node, T.ALTERNATE_NAME, alias)
            if p.country:
                self.add(node, T.CONTAINED_IN, self.country(p.country, sent))
        return node

    def org(self, ref) -> T.Node:
        node, new = self._node(ref, T.ORGANIZATION, ref.key)  # the whole AgencyRef: its fields decide the triples
        if not new:
            return node
        self.add(node, T.NAME, ref.name)
        for other in ref.names(self.ctx.lex):
            self.add(node, T.ALTERNATE_NAME, other)
        if ref.country:
            self.add(node, T.IN_COUNTRY, self.country(ref.country, None))
        return node

    def topic(self, notation: str) -> T.Node:
        node, new = self._node(("topic", notation), T.TOPIC, notation)
        if not new:
            return node
        t = self.ctx.lex.topics.get(notation)
        if t:
            self.add(node, T.NAME, t.ar)
            self.add(node, "nameEn", t.en)
        return node

    def triples(self) -> list[T.Triple]:
        ctx, people, events = self.ctx, self.people, self.events
        mention_sent: dict[int, int] = {}
        for start, _, pid in people.mentions:
            mention_sent.setdefault(pid, ctx.sent_of[start])
        active = set(mention_sent)
        for person in people.persons:
            if person.pid not in active:
                continue
            node = self.person_node(person.pid)
            first = mention_sent[person.pid]
            self.add(node, T.NAME, person.name, [first])
            for form in [*person.forms, *person.latin]:
                if form != person.name:
                    self.add(node, T.ALTERNATE_NAME, form, [first])
            for title in person.titles:
                s = ctx.sent_of[title.start]
                if title.role not in GENERIC_ROLES:
                    self.add(node, T.JOB_TITLE, title.text, [s])
                for ref in title.agencies:
                    if person.country:
                        ref = ref.localized(person.country, ctx.lex)
                    self.add(node, T.WORKS_FOR, self.org(ref), [s])
            if person.country and person.country not in UNIONS:
                self.add(node, T.IN_COUNTRY, self.country(person.country, first), [first])
        article_id = self.article.id
        for n, m in enumerate(sorted(events.meetings, key=lambda m: m.sents[0]), 1):
            node = T.Node(T.MEETING, f"{article_id}/{n}")
            sents = sorted(m.sents)
            self.add(node, T.CONFIDENCE, m.confidence, sents, m.confidence)
            for pid in m.attendees:
                self.add(node, T.ATTENDEE, self.person_node(pid), sents, m.confidence)
            if m.host is not None:
                self.add(node, T.HOST, self.person_node(m.host), sents, m.confidence)
            if m.date:
                self.add(node, T.START_DATE, m.date.value, [m.date_sent])
                if m.date.inferred and m.date.inferred != "published":
                    self.add(node, T.DATE_INFERRED, m.date.inferred, [m.date_sent])
            if m.place:
                self.add(node, T.LOCATION, self.place(m.place, m.place_sent), [m.place_sent])
            for notation, s in sorted(m.topics.items()):
                self.add(node, T.ABOUT, self.topic(notation), [s])
        for n, v in enumerate(events.visits, 1):
            node = T.Node(T.VISIT, f"{article_id}/{n}")
            self.add(node, T.CONFIDENCE, v.confidence, v.sents, v.confidence)
            self.add(node, T.VISITOR, self.person_node(v.visitor), v.sents, v.confidence)
            self.add(node, T.DESTINATION, self.place(v.destination, v.sents[0]), v.sents, v.confidence)
            if v.date:
                self.add(node, T.START_DATE, v.date.value, v.sents)
            if v.planned:
                self.add(node, T.STATUS, "planned", v.sents)
        # An agency a party signs for, its country unsaid, is that of the article's persons who serve it.
        served: dict[str, set[str]] = {}
        for person in people.persons:
            for title in person.titles:
                for ref in title.agencies:
                    country = ref.country or person.country
                    if country:
                        served.setdefault(ref.core, set()).add(country)
        for n, a in enumerate(events.agreements, 1):
            node = T.Node(T.AGREEMENT, f"{article_id}/{n}")
            self.add(node, T.CONFIDENCE, a.confidence, a.sents, a.confidence)
            self.add(node, T.NAME, a.name, a.sents)
            signers = [people.persons[int(key)] for kind, key in a.parties if kind == "person"]
            agencies = []
            for ref in a.agencies:
                # Whose agency it is: a signer's who serves it, else the only state whose persons serve it here.
                # Placed in a state, a name may be that state's body's ("المديرية العامة للأمن الوطني" in Tunisia).
                countries = {p.country for p in signers if p.country for t in p.titles for x in t.agencies
                             if x.core in (ref.core, ref.localized(p.country, ctx.lex).core)} \
                    or {c for core, states in served.items() for c in states
                        if core in (ref.core, ref.localized(c, ctx.lex).core)}
                agencies.append(ref.localized(next(iter(countries)), ctx.lex) if len(countries) == 1 else ref)
            for ref in agencies:
                self.add(node, T.PARTY, self.org(ref), a.sents, a.confidence)
            # The states whose agencies signed are parties too: "بين وزارة الداخلية السودانية وجهاز ... بجنوب السودان".
            for ref in agencies:
                if ref.country:
                    self.add(node, T.PARTY, self.country(ref.country, None), a.sents, a.confidence)
            for kind, key in a.parties:
                party = self.person_node(int(key)) if kind == "person" else self.country(key, None)
                self.add(node, T.PARTY, party, a.sents, a.confidence)
            if a.date:
                self.add(node, T.SIGNED_ON, a.date.value, a.sents)
            for notation in sorted(a.topics):
                self.add(node, T.ABOUT, self.topic(notation), a.sents)
        for award in events.awards:
            node = self.person_node(award.recipient)
            self.add(node, T.AWARD, award.label, [award.sent])
            if award.giver is not None:
                self.add(node, T.AWARDED_BY, self.person_node(award.giver), [award.sent])
        told = {s for record in self._merged.values() for s in record[3]}
        evidence = {s: self.evidence(s) for s in told}.__getitem__  # then looked up in C
        return [_triple((subject, relation, obj, tuple(map(evidence, sents)), confidence))
                for subject, relation, obj, sents, confidence in self._merged.values()]


def _known_sentences(sents) -> list[int]:
    """The distinct sentences in order, the unknown one (None) left out. Most facts are told by one."""
    if len(sents) == 1:
        return [] if sents[0] is None else [sents[0]]
    return list(dict.fromkeys(sents if None not in sents else (s for s in sents if s is not None)))


_triple = partial(tuple.__new__, T.Triple)  # T.Triple(*fields) without the NamedTuple's Python-level __new__


def count_kinds(triples: Iterable[T.Triple]) -> Counter:
    return Counter(t.subject.kind for t in triples)
