"""Sets token.norm_ to the normalised base word, and token._.clitic to what was stripped."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..normalize import normalize, strip_clitics

if not Token.has_extension("clitic"):
    Token.set_extension("clitic", default="")


class Normalizer:
    """Clitics are stripped only where the lexicon knows the rest as a word (so وزير stays وزير)."""

    def __init__(self, vocabulary: frozenset[str]):
        self.vocabulary = vocabulary
        self._cache: dict[str, tuple[str, str, str]] = {}

    def __call__(self, doc: Doc) -> Doc:
        cache = self._cache
        written = []
        for token in doc:
            text = token.text
            hit = cache.get(text)
            if hit is None:
                plain = normalize(text)
                hit = (*strip_clitics(plain, self.vocabulary), plain)
                if len(cache) < 200_000:
                    cache[text] = hit
            clitic, base, plain = hit
            token.norm_ = base or text
            if clitic:
                token._.clitic = clitic
            written.append(plain)
        # The normalised spelling of every token, for matching names that the lexicon cannot know.
        doc.user_data["written"] = written
        return doc


@Language.factory("majlis_normalizer", default_config={"vocabulary": []})
def make_normalizer(nlp: Language, name: str, vocabulary: list[str]) -> Normalizer:
    return Normalizer(frozenset(vocabulary))
