"""Sets token.norm_ to the normalised base word; the stripped proclitics go to the "clitics" column.

It also lays out the per-word columns that later stages scan every token for (`WordColumn`): each
is computed once per distinct word, kept in the same cache row as the norm, and one transposition
of the rows gives them all. A scan of its own per column cost as much as the normalising.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

from spacy.attrs import ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..normalize import normalize, strip_clitics

_CACHE_LIMIT = 200_000  # distinct token texts remembered; news vocabulary stays far below it
_FIELDS = ("text", "norm", "clitic", "written")  # the row of every word, before its WordColumns


class WordColumn(NamedTuple):
    """`doc.user_data[name]`: compute(the word's `reads` field) for each token; `reads` is one of _FIELDS."""

    name: str
    reads: str
    compute: Callable[[str], object]


class Normalizer:
    """Clitics are stripped only where the lexicon knows the rest as a word (so وزير stays وزير)."""

    def __init__(self, vocabulary: frozenset[str], columns: tuple[WordColumn, ...] = ()):
        self.vocabulary = vocabulary
        self.columns = columns
        self._reads = [(_FIELDS.index(c.reads), c.compute) for c in columns]
        # orth hash -> (text, norm, clitic, written, *columns): a token seen before costs one lookup.
        self._cache: dict[int, tuple] = {}
        self._vocab: Vocab | None = None  # the cached hashes are in this vocab's StringStore

    def __call__(self, doc: Doc) -> Doc:
        if doc.vocab is not self._vocab:
            self._cache, self._vocab = {}, doc.vocab
        cache = self._cache
        hashes = doc.to_array(ORTH).tolist() if len(doc) else []
        rows = list(map(cache.get, hashes))  # looked up in C; the few new words are filled in below
        if None in rows:
            rows = [row or self._row(h, doc) for row, h in zip(rows, hashes)]
        data = doc.user_data
        # No token NORM is written: each word's norm is its lexeme's (set once, in `_row`), which spaCy
        # reads for a token whose own NORM is unset. The tokenizer's special cases set none (nlp.py).
        texts, norms, clitics, written, *columns = zip(*rows) if rows else \
            [() for _ in range(len(_FIELDS) + len(self.columns))]
        # The word columns stay tuples (they are only read); the token columns are lists, as documented.
        texts, norms, clitics, written = list(texts), list(norms), list(clitics), list(written)
        data["texts"], data["norms"], data["clitics"] = texts, norms, clitics
        # The normalised spelling of every token, for matching names that the lexicon cannot know.
        data["written"] = written
        for column, values in zip(self.columns, columns):
            data[column.name] = values
        return doc

    def _row(self, orth: int, doc: Doc) -> tuple:
        text = doc.vocab.strings[orth]
        plain = normalize(text)
        clitic, base = strip_clitics(plain, self.vocabulary)
        norm = base or text
        doc.vocab[orth].norm_ = norm
        row: tuple = (text, norm, clitic, plain)
        row += tuple(compute(row[field]) for field, compute in self._reads)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[orth] = row
        return row
