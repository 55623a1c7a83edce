"""Sentence boundaries for news text: line breaks and sentence-final punctuation."""
from __future__ import annotations

from itertools import compress, count

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..memo import Memo
from .columns import texts
from .normalizer import WordColumn

_FINAL = frozenset({".", "؟", "?", "!", "…", "...", "!!"})
_ENDS_SENTENCE = Memo(lambda text: text in _FINAL or "\n" in text)
# Laid out by the normaliser, which sees each distinct word once (without it, computed here).
SENTENCE_ENDS = WordColumn("sentence_ends", "text", _ENDS_SENTENCE.__getitem__)


class SentenceMarker:
    """Headlines and paragraphs end at a line break (a space token holding "\n"); inside a
    paragraph, at final punctuation."""

    def __call__(self, doc: Doc) -> Doc:
        words = texts(doc)
        n = len(words)
        flags = doc.user_data.get(SENTENCE_ENDS.name) or list(map(_ENDS_SENTENCE.__getitem__, words))
        ends = list(compress(count(1), flags))  # the token after each end
        edges = [0, *(e for e in ends if e < n), n] if n else []
        doc.user_data["sents"] = list(zip(edges, edges[1:]))
        if n:
            sent_start = numpy.full((n, 1), -1, dtype="int64")
            sent_start[edges[:-1], 0] = 1
            # One array write instead of a per-token setter: the setter re-checks the whole Doc each time.
            doc.from_array([SENT_START], sent_start.astype("uint64"))  # type: ignore[arg-type]  # thinc's Ints2d is an ndarray
        return doc


@Language.factory("majlis_sentences")
def make_sentence_marker(nlp: Language, name: str) -> SentenceMarker:
    return SentenceMarker()
