"""Marks lexicon phrases (countries, titles, triggers, months...) in the "lex" column.

One PhraseMatcher on NORM anchors all closed-class matching: cheap, and text and patterns
agree because both went through the normaliser. Hits are kept as `Hit` tuples: making a Span
for each costs more than the matching.
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


class Hit(NamedTuple):  # a tuple: a few hundred are made per article, and tuples are made fastest
    start: int
    end: int
    label: str
    payload: str


_as_hit = partial(tuple.__new__, Hit)  # Hit._make without its Python-level call


class Gazetteer:
    def __init__(self, nlp: Language, phrases: list[tuple[str, str, str]], normalizer):
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        by_key: dict[str, list[Doc]] = {}
        for label, payload, phrase in phrases:
            key = f"{label}|{payload}"
            by_key.setdefault(key, []).append(normalizer(nlp.make_doc(phrase)))
        self._labels: dict[int, tuple[str, str]] = {}
        for key, docs in by_key.items():
            self.matcher.add(key, docs)
            label, payload = key.split("|", 1)
            self._labels[nlp.vocab.strings[key]] = (label, payload)

    def __call__(self, doc: Doc) -> Doc:
        labels = self._labels
        doc.user_data["lex"] = [_as_hit((start, end, *labels[match_id])) for match_id, start, end in self.matcher(doc)]
        return doc
