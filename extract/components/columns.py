"""Per-token columns kept in `doc.user_data`, so that later stages read plain lists.

Reading a Token attribute creates a Token object; at several hundred tokens an article, one such
pass costs as much as tokenising. The components therefore share one list of token texts,
read from `Doc.to_array`, and leave their own results as lists too:

    texts     the token texts                              (majlis_normalizer, or texts() below)
    norms     token.norm_: the normalised base word        (majlis_normalizer)
    clitics   the proclitics stripped off that base word   (majlis_normalizer)
    written   the normalised spelling, clitics kept        (majlis_normalizer)
    sentence_ends, date_shapes, odd_marks, topic_stems
              per-word facts that one stage scans for      (majlis_normalizer: WordColumn, see extract/nlp.py)
    sents     (start, end) token bounds of each sentence   (majlis_sentences)
    lex       lexicon hits, Hit(start, end, label, payload) (majlis_gazetteer)
"""
from __future__ import annotations

from spacy.attrs import ORTH
from spacy.tokens import Doc


# Orth hash -> text. Hashes are the same in every vocab (MurmurHash of the string), and a plain
# dict answers several times faster than a StringStore.
_TEXT_OF: dict[int, str] = {}
_TEXT_OF_LIMIT = 500_000


def texts(doc: Doc) -> list[str]:
    """The token texts of `doc`, computed once."""
    found = doc.user_data.get("texts")
    if found is None:
        known = _TEXT_OF
        hashes = doc.to_array(ORTH).tolist() if len(doc) else []
        found = [known.get(h) or _learn(doc, h) for h in hashes]
        doc.user_data["texts"] = found
    return found


def _learn(doc: Doc, orth: int) -> str:
    text = doc.vocab.strings[orth]
    if len(_TEXT_OF) < _TEXT_OF_LIMIT:
        _TEXT_OF[orth] = text
    return text
