"""Marks lexicon phrases (countries, titles, triggers, months...) in doc.spans["lex"].

One PhraseMatcher on NORM anchors all closed-class matching: cheap, and text and patterns
agree because both went through the normaliser.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span


class Gazetteer:
    def __init__(self, nlp: Language, phrases: list[tuple[str, str, str]], normalizer):
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        by_key: dict[str, list[Doc]] = {}
        for label, payload, phrase in phrases:
            key = f"{label}|{payload}"
            by_key.setdefault(key, []).append(normalizer(nlp.make_doc(phrase)))
        for key, docs in by_key.items():
            self.matcher.add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            label, payload = doc.vocab.strings[match_id].split("|", 1)
            spans.append(Span(doc, start, end, label=label, kb_id=payload))
        doc.spans["lex"] = spans
        return doc
