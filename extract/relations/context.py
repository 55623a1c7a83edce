"""What the relation extractors share about one Doc: lexicon hits by token, sentences, token tests."""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import compress, count
from dataclasses import dataclass, field
from typing import Any

from spacy.lang.lex_attrs import is_punct as _is_punct_text
from spacy.tokens import Doc

from ..components.gazetteer import Hit
from ..lexicon import NAME_PARTICLES, Lexicon
from ..memo import Memo
from ..normalize import clitic_readings, normalize, strip_marks

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-zÀ-ÿ'\-]+$")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a\u0640-\u065f\u0670\u06a4\u067e\u06af\u06a9\u06cc\u200c\u200d]+$")

# Lexicon labels whose words are never part of a personal name.
_NOT_NAME_LABELS = frozenset({"COUNTRY", "NATIONALITY", "PLACE", "TITLE", "HONORIFIC", "TRIGGER", "CUE",
                              "MONTH", "WEEKDAY", "AGENCY", "ACRONYM", "TOPIC"})


# Normalisation folds ى into ي, so the name علي and the preposition على meet; spelled with ي it is the name.
_NAME_NOT_PREPOSITION = frozenset({"علي"})


_NO_LABELS: frozenset[str] = frozenset()
_PATRONYMIC = frozenset(normalize(w) for w in ("بن", "بنت", "ابن", "ولد"))  # before a father's name
_PATRONYM_LABELS = frozenset({"TITLE", "HONORIFIC", "TOPIC", "CUE", "TRIGGER"})  # words that are also names


def _longest_first(h: Hit) -> int:
    return h.start - h.end


@dataclass
class DocContext:
    doc: Doc
    lex: Lexicon
    text: str = ""  # the Doc's text
    hits_at: dict[int, list[Hit]] = field(default_factory=dict)  # by start token, longest first
    labels_on: dict[int, set[str]] = field(default_factory=dict)  # labels covering each covered token
    sent_of: list[int] = field(default_factory=list)  # sentence index of each token
    sents: list[tuple[int, int]] = field(default_factory=list)  # token bounds of each sentence
    skip_sents: set[int] = field(default_factory=set)  # repeated paragraphs and page furniture
    # The pipeline's token columns (components/columns.py): read these, not doc[i], on hot paths.
    texts: list[str] = field(default_factory=list)  # token.text
    norms: list[str] = field(default_factory=list)  # token.norm_: normalised base word
    clitics: list[str] = field(default_factory=list)  # proclitics stripped off the base word
    written: list[str] = field(default_factory=list)  # normalize(token.text)
    hit_starts: list[int] = field(default_factory=list)  # sorted keys of hits_at
    hits_of: dict[str, list[Hit]] = field(default_factory=dict)  # the hits of each label (hits_at holds the same)
    _hits_in: dict[tuple, list[Hit]] = field(default_factory=dict)  # memo of hits_in
    memo: dict[object, Any] = field(default_factory=dict)  # per-Doc answers of the relation extractors

    @classmethod
    def of(cls, doc: Doc, lex: Lexicon, text: str | None = None) -> "DocContext":
        """`text` is the string the Doc was made from, when the caller has it (Doc.text rebuilds it)."""
        data = doc.user_data
        ctx = cls(doc, lex, texts=data["texts"], norms=data["norms"], clitics=data["clitics"],
                  written=data["written"], sents=data["sents"], text=doc.text if text is None else text)
        hits_at, labels_on, hits_of = ctx.hits_at, ctx.labels_on, ctx.hits_of
        shared: list[list[Hit]] = []  # the positions where several hits start
        for hit in data["lex"]:
            start, end, label = hit[0], hit[1], hit[2]
            of_label = hits_of.get(label)
            if of_label is None:
                hits_of[label] = [hit]
            else:
                of_label.append(hit)
            at = hits_at.get(start)
            if at is None:
                hits_at[start] = [hit]
            else:
                at.append(hit)
                if len(at) == 2:
                    shared.append(at)
            for i in range(start, end):
                on = labels_on.get(i)
                if on is None:
                    labels_on[i] = {label}
                else:
                    on.add(label)
        for hits in shared:
            hits.sort(key=_longest_first)
        ctx.hit_starts = sorted(hits_at)
        sent_of = ctx.sent_of
        for index, (start, end) in enumerate(ctx.sents):
            sent_of.extend([index] * (end - start))
        return ctx

    # --- lookups ---------------------------------------------------------------------------
    def labels(self, i: int) -> set[str] | frozenset[str]:
        return self.labels_on.get(i, _NO_LABELS)

    def hit(self, i: int, *labels: str) -> Hit | None:
        """The longest hit starting at token i with one of the labels."""
        hits = self.hits_at.get(i)
        if hits:
            for h in hits:
                if h[2] in labels:  # h.label
                    return h
        return None

    def next_hit_start(self, i: int) -> int:
        """The first token at or after i where a hit starts (the Doc's length when none does)."""
        k = bisect_left(self.hit_starts, i)
        return self.hit_starts[k] if k < len(self.hit_starts) else len(self.texts)

    def positions_of(self, words: set[str], proclitics: str = "") -> list[int]:
        """Tokens spelled as one of `words` (normalised), or as one of them behind one of `proclitics`.
        The same list each time the same words are asked (never changed): the name finder asks twice,
        and most articles name no one new in between."""
        key = ("positions_of", frozenset(words), proclitics)
        found = self.memo.get(key)
        if found is None:
            wanted = words | {p + w for p in proclitics for w in words}
            # compress/map test every token in C: this scans the whole Doc.
            found = self.memo[key] = list(compress(count(), map(wanted.__contains__, self.written)))
        return found

    def starts_of(self, *labels: str) -> list[int]:
        """The tokens, in order, where a hit with one of the labels starts: a loop looking for titles
        need not ask every hit's position."""
        key = ("starts_of", labels)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = sorted({h[0] for label in labels for h in self.hits_of.get(label, ())})
        return found

    def sentences_with(self, label: str) -> frozenset[int]:
        """Sentences in which a hit with the label starts."""
        found = self.memo.get(("sentences_with", label))
        if found is None:
            sent_of = self.sent_of
            found = frozenset(sent_of[h[0]] for h in self.hits_of.get(label, ()))
            self.memo[("sentences_with", label)] = found
        return found

    def sentences_with_payload(self, *payloads: str) -> list[int]:
        """The sentences, in order, in which a cue with one of the payloads starts.

        Loops that look for one cue ("وفد") need not visit the sentences without it."""
        key = ("sentences_with_payload", payloads)
        found = self.memo.get(key)
        if found is None:
            sent_of = self.sent_of
            indices = {sent_of[h[0]] for h in self.hits_of.get("CUE", ()) if h[3] in payloads}
            found = self.memo[key] = sorted(indices)
        return found

    def hits_in(self, start: int, end: int, *labels: str) -> list[Hit]:
        """Non-overlapping hits inside [start, end), longest first at each position.

        The same sentence is asked about many times; the answer is kept (callers never change it)."""
        key = (start, end, labels)
        found = self._hits_in.get(key)
        if found is None:
            found, reach = [], start
            positions, hits_at = self.hit_starts, self.hits_at
            for k in positions[bisect_left(positions, start):bisect_left(positions, end)]:
                if k < reach:
                    continue
                for h in hits_at[k]:  # self.hit(k, *labels), inlined: this is the hottest loop
                    if h[2] in labels:
                        if h[1] <= end:
                            found.append(h)
                            reach = h[1]
                        break
            self._hits_in[key] = found
        return found

    def sentence_text(self, index: int) -> tuple[int, int, str]:
        start, end = self.sents[index]
        # Offsets from the bounding tokens: a Span of a long sentence costs more than this.
        first, last = self.doc[start].idx, self.doc[end - 1].idx + len(self.texts[end - 1])
        raw = self.text[first:last]
        text = raw.strip()
        begin = first + (len(raw) - len(raw.lstrip()))
        return begin, begin + len(text), text

    def country_of(self, ref: tuple[str, str] | None) -> str | None:
        """The country of a place or country reference: ("place", "rabat") -> "MA"."""
        if ref is None:
            return None
        kind, key = ref
        if kind == "country":
            return key
        place = self.lex.places.get(key) if kind == "place" else None
        return place.country if place else None

    # --- token tests -----------------------------------------------------------------------
    def is_punct(self, i: int) -> bool:
        return _punct(self.texts[i])

    def is_comma(self, i: int) -> bool:
        return 0 <= i < len(self.texts) and self.texts[i] in {"،", ",", "؛"}

    def nameable(self, i: int) -> bool:
        """Could token i be part of a personal name?"""
        said, otherwise = self.lex.memo("name_word", _name_word)[(self.texts[i], self.norms[i], self.clitics[i])]
        if said is not None:
            return said
        if self.after_patronymic(i) and self.labels(i) <= _PATRONYM_LABELS:
            return True  # "تركي بن مساعد الشهراني": after "بن" a father's name, not the post "مساعد"
        if self.labels(i) & _NOT_NAME_LABELS:
            return False
        return otherwise

    def after_patronymic(self, i: int) -> bool:
        """Is token i right after "بن" (or its kin), with no proclitic of its own: a father's name?"""
        return i > 0 and self.norms[i - 1] in _PATRONYMIC and not self.clitics[i]

    def agencyish(self, i: int) -> bool:
        """Is token i a word that can stand in an agency's name (also behind a proclitic)?"""
        return _agencyish(self.lex, self.norms[i])

    def agency_head(self, i: int) -> bool:
        return _agency_head(self.lex, self.norms[i])

    def is_latin(self, i: int) -> bool:
        return bool(_LATIN_NAME.match(self.texts[i]))


def _name_word(lex: Lexicon, word: tuple[str, str, str]) -> tuple[bool | None, bool]:
    """What the word alone says of DocContext.nameable: (the answer whatever the context, or None;
    the answer where the context says nothing). Kept per lexicon: words recur across articles."""
    text, norm, clitic = word
    if _LATIN_NAME.match(text):
        return True, True
    if not _ARABIC_WORD.match(text):
        return False, False
    if norm in NAME_PARTICLES or strip_marks(text) in _NAME_NOT_PREPOSITION:
        return True, True
    return None, _nameable_word(lex, text, norm, clitic)


def _nameable_word(lex: Lexicon, text: str, norm: str, clitic: str) -> bool:
    written = strip_marks(text)
    if written in lex.stopwords_written:
        return False
    if clitic.endswith(("ب", "ل", "ك")) and norm in lex.verbs:
        # A preposition never takes a verb: "باتيا" is a name, not ب + "أتيا".
        return len(normalize(text)) >= 2
    # "آن" is a name, "أن" a particle: a spelling with hamza or ى that is not a listed word is kept.
    distinct_spelling = any(ch in written for ch in "أإآؤئى")
    if (norm in lex.stopwords and not distinct_spelling) or _agency_head(lex, norm) \
            or (clitic and _agencyish(lex, norm)):
        return False
    if clitic and norm in lex.vocabulary:
        return False  # a preposition or conjunction plus a known word
    n = normalize(text)
    if len(n) > 5 and n[:3] in ("بال", "وال", "فال") or n.startswith("لل"):
        return False  # preposition + article: never the start of a name part
    return len(n) >= 2


def _agencyish(lex: Lexicon, norm: str) -> bool:
    words, heads = lex.agency_words, lex.agency_heads
    if norm in words or norm in heads:
        return True
    return any(core in words or core in heads for _, core in clitic_readings(norm))


def _agency_head(lex: Lexicon, norm: str) -> bool:
    heads = lex.agency_heads
    return norm in heads or any(core in heads for _, core in clitic_readings(norm))


_DASHES_QUOTES = frozenset({"-", "–", "—", "/", '"', "“", "”"})


def _is_punct(text: str) -> bool:
    """spaCy's is_punct or is_space, plus dashes, slashes and quotes."""
    return _is_punct_text(text) or text.isspace() or not text.strip() or text in _DASHES_QUOTES


_punct = Memo(_is_punct, limit=100_000).__getitem__
