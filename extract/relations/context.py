"""What the relation extractors share about one Doc: lexicon hits by token, sentences, token tests."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..lexicon import NAME_PARTICLES, Lexicon
from ..normalize import clitic_readings, normalize, strip_marks

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-zÀ-ÿ'\-]+$")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a\u0640-\u065f\u0670\u06a4\u067e\u06af\u06a9\u06cc\u200c\u200d]+$")

# Lexicon labels whose words are never part of a personal name.
_NOT_NAME_LABELS = frozenset({"COUNTRY", "NATIONALITY", "PLACE", "TITLE", "HONORIFIC", "TRIGGER", "CUE",
                              "MONTH", "WEEKDAY", "AGENCY", "ACRONYM", "TOPIC"})


# Normalisation folds ى into ي, so the name علي and the preposition على meet; spelled with ي it is the name.
_NAME_NOT_PREPOSITION = frozenset({"علي"})


_NO_LABELS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    label: str
    payload: str


@dataclass
class DocContext:
    doc: Doc
    lex: Lexicon
    hits_at: dict[int, list[Hit]] = field(default_factory=dict)  # by start token, longest first
    labels_on: dict[int, set[str]] = field(default_factory=dict)  # labels covering each covered token
    sent_of: list[int] = field(default_factory=list)  # sentence index of each token
    sents: list[tuple[int, int]] = field(default_factory=list)  # token bounds of each sentence
    skip_sents: set[int] = field(default_factory=set)  # repeated paragraphs and page furniture
    written: list[str] = field(default_factory=list)  # normalize(token.text), computed once

    @classmethod
    def of(cls, doc: Doc, lex: Lexicon) -> "DocContext":
        ctx = cls(doc, lex)
        ctx.written = doc.user_data.get("written") or [normalize(t.text) for t in doc]
        for span in doc.spans.get("lex", []):
            hit = Hit(span.start, span.end, span.label_, span.kb_id_)
            ctx.hits_at.setdefault(span.start, []).append(hit)
            for i in range(span.start, span.end):
                ctx.labels_on.setdefault(i, set()).add(span.label_)
        for hits in ctx.hits_at.values():
            hits.sort(key=lambda h: h.start - h.end)
        for index, sent in enumerate(doc.sents):
            ctx.sents.append((sent.start, sent.end))
            ctx.sent_of.extend([index] * (sent.end - sent.start))
        return ctx

    # --- lookups ---------------------------------------------------------------------------
    def labels(self, i: int) -> set[str] | frozenset[str]:
        return self.labels_on.get(i, _NO_LABELS)

    def hit(self, i: int, *labels: str) -> Hit | None:
        """The longest hit starting at token i with one of the labels."""
        for h in self.hits_at.get(i, ()):
            if h.label in labels:
                return h
        return None

    def hits_in(self, start: int, end: int, *labels: str) -> list[Hit]:
        """Non-overlapping hits inside [start, end), longest first at each position."""
        found, i = [], start
        while i < end:
            h = self.hit(i, *labels)
            if h and h.end <= end:
                found.append(h)
                i = h.end
            else:
                i += 1
        return found

    def sentence_text(self, index: int) -> tuple[int, int, str]:
        start, end = self.sents[index]
        span = self.doc[start:end]
        text = span.text.strip()
        begin = span.start_char + (len(span.text) - len(span.text.lstrip()))
        return begin, begin + len(text), text

    # --- token tests -----------------------------------------------------------------------
    def is_punct(self, i: int) -> bool:
        tok = self.doc[i]
        return tok.is_punct or tok.is_space or not tok.text.strip() or tok.text in {"-", "–", "—", "/", '"', "“", "”"}

    def is_comma(self, i: int) -> bool:
        return 0 <= i < len(self.doc) and self.doc[i].text in {"،", ",", "؛"}

    def nameable(self, i: int) -> bool:
        """Could token i be part of a personal name?"""
        tok: Token = self.doc[i]
        text = tok.text
        if _LATIN_NAME.match(text):
            return True
        if not _ARABIC_WORD.match(text):
            return False
        norm = tok.norm_
        if norm in NAME_PARTICLES or strip_marks(text) in _NAME_NOT_PREPOSITION:
            return True
        if self.labels(i) & _NOT_NAME_LABELS:
            return False
        lex = self.lex
        written = strip_marks(text)
        if written in lex.stopwords_written:
            return False
        # "آن" is a name, "أن" a particle: a spelling with hamza or ى that is not a listed word is kept.
        distinct_spelling = any(ch in written for ch in "أإآؤئى")
        if (norm in lex.stopwords and not distinct_spelling) or self.agency_head(i) or (tok._.clitic and self.agencyish(i)):
            return False
        if tok._.clitic and norm in lex.vocabulary:
            return False  # a preposition or conjunction plus a known word
        n = normalize(text)
        if len(n) > 5 and n[:3] in ("بال", "وال", "فال") or n.startswith("لل"):
            return False  # preposition + article: never the start of a name part
        return len(n) >= 2

    def agencyish(self, i: int) -> bool:
        """Is token i a word that can stand in an agency's name (also behind a proclitic)?"""
        norm = self.doc[i].norm_
        words = self.lex.agency_words
        heads = self.lex.agency_heads
        if norm in words or norm in heads:
            return True
        return any(core in words or core in heads for _, core in clitic_readings(norm))

    def agency_head(self, i: int) -> bool:
        norm = self.doc[i].norm_
        heads = self.lex.agency_heads
        return norm in heads or any(core in heads for _, core in clitic_readings(norm))

    def is_latin(self, i: int) -> bool:
        return bool(_LATIN_NAME.match(self.doc[i].text))
