"""build_nlp(): spacy.blank("ar") plus our components; the pipeline order is defined here once."""
from __future__ import annotations

from typing import Any, cast

import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from .components.gazetteer import Gazetteer
from .components.normalizer import Normalizer, WordColumn
from .components.sentences import SENTENCE_ENDS  # also registers majlis_sentences
from .lexicon import Lexicon
from .relations.dates import DATE_SHAPES
from .relations.events import ODD_MARKS, TOPIC_STEMS

PIPELINE = ("majlis_normalizer", "majlis_sentences", "majlis_gazetteer")


def build_nlp(lexicon: Lexicon) -> Language:
    nlp = spacy.blank("ar")
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    # A Latin name or a year ending a sentence ("Nicolas Lerner.", "سنة 2024.") keeps its full stop apart.
    # So does a quotation closed at a sentence's or clause's end ('... حيدر كاظم الزيدي".'), whose mark
    # would otherwise stay on the last word.
    suffixes = list(nlp.Defaults.suffixes or ()) + [r"(?<=[A-Za-z]{2})\.", r"(?<=[0-9\u0660-\u0669]{2})\.",
                                                     r"(?<=[\"”»'])[.،,؛:]"]
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # "يومي 3 و4 جوان": the conjunction before a number is a word of its own.
    prefixes = list(nlp.Defaults.prefixes or ()) + [r"و(?=[0-9\u0660-\u0669])"]
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    # The whitespace special cases (" ", "\n", "\t", "\xa0") keep each as one token, as the tokenizer
    # does anyway; but a text holding one is retokenized through the special-case matcher, which made
    # paragraphs on lines of their own ten times dearer to tokenize than the same words on one line.
    # The special cases' own norms ("أنا" -> "أنبأنا") are dropped too: the normaliser gives every word its norm.
    tokenizer.rules = {text: [{attr: value for attr, value in token.items() if attr != NORM} for token in rule]
                       for text, rule in tokenizer.rules.items() if not text.isspace()}
    # The normaliser also reads the token texts that the later components use (columns.py), and lays
    # out the per-word columns that the sentence marker and the date, quotation and topic finders scan.
    columns = (SENTENCE_ENDS, DATE_SHAPES, ODD_MARKS, WordColumn(TOPIC_STEMS, "norm", lexicon.topics_of_word))
    key = str(id(lexicon))
    _BUILT[key] = Normalizer(lexicon.vocabulary, columns)
    nlp.add_pipe("majlis_normalizer", config={"key": key})
    nlp.add_pipe("majlis_sentences")
    _BUILT[key] = Gazetteer(nlp, lexicon.phrases, Normalizer(lexicon.vocabulary))
    nlp.add_pipe("majlis_gazetteer", config={"key": key})
    return nlp


# The normaliser and the gazetteer hold Python data (functions, a PhraseMatcher) that a component's
# config cannot: build_nlp makes them, and their factories look them up by key.
_BUILT: dict[str, Any] = {}


@Language.factory("majlis_normalizer", default_config={"key": ""})
def _make_normalizer(nlp: Language, name: str, key: str) -> Normalizer:
    return _BUILT.pop(key)


@Language.factory("majlis_gazetteer", default_config={"key": ""})
def _make_gazetteer(nlp: Language, name: str, key: str) -> Gazetteer:
    return _BUILT.pop(key)
