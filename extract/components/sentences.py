"""Sentence boundaries for news text: line breaks and sentence-final punctuation."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_FINAL = frozenset({".", "؟", "?", "!", "…", "...", "!!"})


@Language.component("majlis_sentences")
def mark_sentences(doc: Doc) -> Doc:
    # Headlines and paragraphs end at a line break; inside a paragraph, at final punctuation.
    start_next = True
    for token in doc:
        token.is_sent_start = start_next
        start_next = "\n" in token.text or token.text in _FINAL or "\n" in token.whitespace_
    return doc
