"""Entity resolution across articles and IRI minting from stable keys.

Organisations are keyed by core name and country already (extract/), so every country's
"وزارة الداخلية" stays apart; persons need resolving. Within an article, extract/ already gave one key per person. Across articles the same person
may appear as "عبد اللطيف حموشي" in one and "حموشي" or "عبد اللطيف الحموشي" in another: keys
whose name forms agree are merged, and a one-word key joins the only fuller key that ends with it.
IRIs are minted from the cluster's canonical key, so the same input always gives the same IRIs.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from urllib.parse import quote

from rdflib import URIRef

from extract import types as T
from extract.normalize import normalize

from .vocabulary import ID

_PATHS = {T.PERSON: "person", T.ORGANIZATION: "org", T.COUNTRY: "country", T.PLACE: "place", T.TOPIC: "topic",
          T.MEETING: "meeting", T.VISIT: "visit", T.AGREEMENT: "agreement", T.ARTICLE: "article"}


def _slug(text: str) -> str:
    return quote(text.replace(" ", "_"), safe="-_.")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def match_form(name: str) -> tuple[str, ...]:
    """Name words compared without the article ال, which writers add or drop on family names, and
    with "عبد" joined to the word after it, which writers join or part ("عبدالسلام", "عبد السلام")."""
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalize(name).split()]
    joined: list[str] = []
    for w in words:
        if joined and joined[-1] == "عبد":
            joined[-1] += w if w.startswith("ال") else "ال" + w  # "عبد السلام" -> "عبدالسلام"
        else:
            joined.append(w)
    return tuple(joined)


def _compatible(a: set[str], b: set[str]) -> bool:
    """Two persons' countries agree, or one of them is not known."""
    return not a or not b or bool(a & b)


class Identity:
    """Maps per-article keys to canonical keys, then to IRIs.

    `existing` maps the keys of persons already stored (a persistent store) to their name
    forms: they are merged against like the rest, and an existing key always stays the
    canonical one, so a stored person keeps its IRI when a fuller name turns up later.
    """

    def __init__(self, results: list[T.ArticleResult], existing: dict[str, list[str]] | None = None):
        self.canonical: dict[T.Node, T.Node] = {}
        self.display: dict[T.Node, str] = {}  # canonical person -> its schema:name
        self._resolve_persons(results, existing or {})

    def _resolve_persons(self, results: list[T.ArticleResult], existing: dict[str, list[str]]) -> None:
        forms: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        shown: dict[str, set[str]] = defaultdict(set)
        for key, names in existing.items():
            forms[key].update(match_form(n) for n in names)
            shown[key].update(names)
        countries: dict[str, set[str]] = defaultdict(set)
        for result in results:
            for t in result.triples:
                if t.subject.kind != T.PERSON:
                    continue
                if t.relation in (T.NAME, T.ALTERNATE_NAME) and isinstance(t.object, str):
                    forms[t.subject.key].add(match_form(t.object))
                    if t.relation == T.NAME:
                        shown[t.subject.key].add(t.object)
                elif t.relation == T.IN_COUNTRY and isinstance(t.object, T.Node):
                    countries[t.subject.key].add(t.object.key)
        parent = {k: k for k in forms}

        def find(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def rank(k: str) -> tuple:
            # Stored persons first, then the fuller name, so the canonical key is stable.
            return (k not in existing, -len(k.split()), -len(k), k)

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                keep, drop = sorted((ra, rb), key=rank)
                parent[drop] = keep

        by_form: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, fs in sorted(forms.items()):
            for f in fs:
                by_form[f].append(key)
        for form, keys in by_form.items():
            if len(form) < 2:
                continue  # a family name alone is shared too often to merge on
            for other in keys[1:]:
                union(keys[0], other)
        full = [(k, f) for k, fs in forms.items() for f in fs if len(f) >= 2]
        for key, fs in sorted(forms.items()):
            for f in fs:
                # A family name alone, or a shorter full name ending a longer one, joins the only owner.
                if len(f[-1]) >= 3:
                    owners = {find(k) for k, g in full if len(g) > len(f) and g[-len(f):] == f}
                    if len(owners) == 1:
                        union(key, owners.pop())
        by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)  # (given, family) -> keys of fuller names
        for k, g in full:
            if len(g) > 2:
                by_ends[(g[0], g[-1])].append(k)
        for key, fs in sorted(forms.items()):
            for f in fs:
                # "قاسم الساعدي" of one article is the "قاسم جبار الساعدي" of another: a given and a family
                # name that open and close the only fuller name so, of no other state.
                if len(f) != 2 or len(f[-1]) < 3:
                    continue
                owners = {find(k) for k in by_ends.get((f[0], f[-1]), ()) if _compatible(countries[k], countries[key])}
                if len(owners) == 1:
                    union(key, owners.pop())
        names_of_root: dict[str, set[str]] = defaultdict(set)
        for key in forms:
            root = find(key)
            self.canonical[T.Node(T.PERSON, key)] = T.Node(T.PERSON, root)
            names_of_root[root] |= shown[key]
        for root, names in names_of_root.items():
            if names:
                self.display[T.Node(T.PERSON, root)] = min(names, key=lambda n: (-len(n.split()), -len(n), n))

    def node(self, node: T.Node) -> T.Node:
        target = self.canonical.get(node, node)
        return target if isinstance(target, T.Node) else T.Node(node.kind, target)

    def iri(self, node: T.Node) -> URIRef:
        node = self.node(node)
        path = _PATHS[node.kind]
        if node.kind in (T.PERSON, T.ORGANIZATION):
            return ID[f"{path}/{_digest(node.key)}"]
        if node.kind in (T.MEETING, T.VISIT, T.AGREEMENT):
            article, _, n = node.key.rpartition("/")
            return ID[f"{path}/{_slug(article)}-{n}"]
        return ID[f"{path}/{_slug(node.key)}"]


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{_slug(article_id)}"]


def graph_iri(article_id: str) -> URIRef:
    return ID[f"graph/{_slug(article_id)}"]


def evidence_iri(ev: T.Evidence) -> URIRef:
    return ID[f"evidence/{_slug(ev.article_id)}-{ev.start}-{ev.end}"]


def statement_iri(*parts: object) -> URIRef:
    return ID[f"statement/{_digest('|'.join(str(p) for p in parts))}"]
