"""Pure str -> str Arabic normalisation, shared by the lexicon loader and the pipeline.

Matching ignores what Arabic writers vary freely: diacritics, tatweel, hamza seats on alef,
alef maqsura / ya, ta marbuta / ha, Persian letters used for foreign sounds, digit scripts,
and invisible direction or joiner marks.
"""
from __future__ import annotations

import re
import unicodedata

from .memo import Memo

_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640" + _INVISIBLE + "]")
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ڤ": "ف", "ۋ": "و", "پ": "ب", "گ": "ك", "ک": "ك", "ی": "ي", "ڨ": "ق", "ژ": "ز", "چ": "ج",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
    "“": '"', "”": '"', "«": '"', "»": '"', "ـ": "",
})
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")

# Proclitics that may stand before a word: conjunction, then preposition.
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل")  # ك is rare in news and eats names ("كلاوس")


def strip_marks(text: str) -> str:
    """Remove diacritics, tatweel and invisible marks, keep everything else (used for display)."""
    return _DIACRITICS.sub("", text)


def normalize(text: str) -> str:
    """Normalise a word or a phrase for matching."""
    return _NORMALIZED[text]


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).translate(_LETTERS)
    return " ".join(text.split()).lower()


_NORMALIZED = Memo(_normalized)  # names and titles recur across articles: each is normalised once


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_LETTER.search(text))


def clitic_readings(word: str) -> list[tuple[str, str]]:
    """Every (proclitics, rest) split of a normalised word, least stripping first.

    "للامن" yields ("ل", "الامن") because لل is ل + ال with the alef dropped; "للواء" yields
    ("ل", "اللواء") first, as the article's lam and the word's own are written once.
    """
    readings: list[tuple[str, str]] = []
    for conj in _CONJUNCTIONS:
        if not word.startswith(conj):
            continue
        rest = word[len(conj):]
        for prep in _PREPOSITIONS:
            if not rest.startswith(prep):
                continue
            core = rest[len(prep):]
            if len(core) < 2 or (conj, prep) == ("", ""):
                continue
            if conj == "ف" and not prep and not core.startswith("ال"):
                continue  # فيصل, فريد, فهد: names far more often than ف + a verb
            if prep == "ل" and core.startswith("ل"):
                # "للواء": ل and the article before a word that starts with ل ("اللواء"), far more often
                # than ل before the indefinite word, so that reading comes first; "للشرطة": ل + الشرطة.
                readings += [(conj + prep, "ال" + core), (conj + prep, core), (conj + prep, "ا" + core)]
            else:
                readings.append((conj + prep, core))
    return readings


def strip_clitics(word: str, vocabulary: frozenset[str] | set[str]) -> tuple[str, str]:
    """Return (proclitics, base) where base is the first reading the lexicon knows as a word.

    A word the lexicon knows as a whole is never split, so وزير stays وزير.
    """
    if word in vocabulary:
        return "", word
    for clitic, core in clitic_readings(word):
        if core in vocabulary and len(core) > 2:  # "فال" is a name, not ف + the article
            return clitic, core
    return "", word
