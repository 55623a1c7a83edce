"""Sentence boundaries for news text: line breaks and sentence-final punctuation."""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .columns import texts

_FINAL = frozenset({".", "؟", "?", "!", "…", "...", "!!"})


@Language.component("majlis_sentences")
def mark_sentences(doc: Doc) -> Doc:
    # Headlines and paragraphs end at a line break (a space token holding "\n"); inside a
    # paragraph, at final punctuation.
    starts: list[int] = []
    bounds: list[tuple[int, int]] = []
    start_next = True
    for i, text in enumerate(texts(doc)):
        if start_next and i:
            bounds.append((bounds[-1][1] if bounds else 0, i))
        starts.append(1 if start_next else -1)
        start_next = text in _FINAL or "\n" in text
    if len(doc):
        bounds.append((bounds[-1][1] if bounds else 0, len(doc)))
        # One array write instead of a per-token setter: the setter re-checks the whole Doc each time.
        doc.from_array([SENT_START], numpy.array(starts, dtype="int64").reshape(-1, 1).astype("uint64"))
    doc.user_data["sents"] = bounds
    return doc
