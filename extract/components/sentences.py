"""Sentence boundaries for news text: line breaks and sentence-final punctuation."""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

_FINAL = frozenset({".", "؟", "?", "!", "…", "...", "!!"})


@Language.component("majlis_sentences")
def mark_sentences(doc: Doc) -> Doc:
    # Headlines and paragraphs end at a line break; inside a paragraph, at final punctuation.
    starts = numpy.zeros((len(doc), 1), dtype="int64")
    start_next = True
    for i, token in enumerate(doc):
        starts[i, 0] = 1 if start_next else -1
        text = token.text
        start_next = "\n" in text or text in _FINAL or "\n" in token.whitespace_
    # One array write instead of a per-token setter: the setter re-checks the whole Doc each time.
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc
