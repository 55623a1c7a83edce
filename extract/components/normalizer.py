"""Sets token.norm_ to the normalised base word; the stripped proclitics go to the "clitics" column."""
from __future__ import annotations

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from ..normalize import normalize, strip_clitics

_CACHE_LIMIT = 200_000  # distinct token texts remembered; news vocabulary stays far below it


class Normalizer:
    """Clitics are stripped only where the lexicon knows the rest as a word (so وزير stays وزير)."""

    def __init__(self, vocabulary: frozenset[str]):
        self.vocabulary = vocabulary
        # orth hash -> (text, norm, clitic, written): a token seen before costs one lookup.
        self._cache: dict[int, tuple[str, str, str, str]] = {}
        self._vocab = None  # the cached hashes are in this vocab's StringStore

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
        texts, norms, clitics, written = map(list, zip(*rows)) if rows else ([], [], [], [])
        data["texts"], data["norms"], data["clitics"] = texts, norms, clitics
        # The normalised spelling of every token, for matching names that the lexicon cannot know.
        data["written"] = written
        return doc

    def _row(self, orth: int, doc: Doc) -> tuple[str, str, str, str]:
        text = doc.vocab.strings[orth]
        plain = normalize(text)
        clitic, base = strip_clitics(plain, self.vocabulary)
        norm = base or text
        doc.vocab[orth].norm_ = norm
        row = (text, norm, clitic, plain)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[orth] = row
        return row


@Language.factory("majlis_normalizer", default_config={"vocabulary": []})
def make_normalizer(nlp: Language, name: str, vocabulary: list[str]) -> Normalizer:
    return Normalizer(frozenset(vocabulary))
