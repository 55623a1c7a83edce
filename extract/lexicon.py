"""Load the closed-class lexicons (extract/lexicon/*.jsonl) into lookup tables.

The files are data, documented in extract/lexicon/README.md; a user adds an agency or a
title by adding a line. Every form is normalised here once, so matching compares like with like.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from .errors import MajlisError
from .memo import Memo
from .normalize import clitic_readings, normalize, strip_marks

DEFAULT_DIR = Path(__file__).with_name("lexicon")

# Words that join the parts of Arabic personal names.
NAME_PARTICLES = frozenset(normalize(w) for w in (
    "عبد", "بن", "ابن", "بنت", "آل", "أبو", "ابو", "أبي", "ولد", "ول", "بو", "ال", "دي", "دو", "فان", "لا", "لو"))


class LexiconError(MajlisError):
    """A lexicon file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Country:
    iso: str
    name: str
    en: str
    adjectives_m: tuple[str, ...]  # normalised
    adjectives_f: tuple[str, ...]
    adj_m: str  # display form used to coin agency names
    adj_f: str


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    country: str | None
    en: str
    aliases: tuple[str, ...] = ()  # other spellings ("سيول" beside "سول"), given as the place's alternate names


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    country: str | None
    en: str
    acronyms: tuple[str, ...]
    countries: tuple[str, ...] = ()  # every state with an agency of that name; none for international bodies


@dataclass(frozen=True, slots=True)
class TitleHead:
    head: str
    role: str
    org_prefix: str | None  # None: the post belongs to no agency (ambassador); "": the complement is the agency
    domain: str
    country: str | None = None  # a post only one state has ("المفتش العام للشرطة والجمارك": Oman)
    agency: str | None = None  # the lexicon agency a post listed whole heads, its complement naming none


@dataclass(frozen=True, slots=True)
class Topic:
    notation: str
    ar: str
    en: str
    stems: tuple[str, ...]


@dataclass(slots=True)
class Lexicon:
    countries: dict[str, Country] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    titles: dict[str, TitleHead] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    # (label, payload, phrase): the gazetteer's patterns; payload says what was matched.
    phrases: list[tuple[str, str, str]] = field(default_factory=list)
    agency_heads: set[str] = field(default_factory=set)
    agency_words: set[str] = field(default_factory=set)
    stopwords: set[str] = field(default_factory=set)
    stopwords_written: set[str] = field(default_factory=set)  # as spelled, hamza and ى kept
    verbs: set[str] = field(default_factory=set)  # common_words.jsonl's verb groups, normalised
    function_words: set[str] = field(default_factory=set)  # stopwords.jsonl alone, without common_words
    waw_names: set[str] = field(default_factory=set)  # given names that begin with و ("وليد")
    time_words: set[str] = field(default_factory=set)  # stopwords.jsonl's "time" group, normalised ("الصباح")
    named_after: set[str] = field(default_factory=set)  # "جامعة", "مطار": the name after them is the body's
    adjective_country: dict[str, str] = field(default_factory=dict)  # normalised adjective -> ISO
    agency_by_name: dict[str, str] = field(default_factory=dict)  # normalised name -> agency id
    capital_of: dict[str, str] = field(default_factory=dict)  # ISO -> place id of its capital
    wires: dict[str, str] = field(default_factory=dict)  # a state news agency's normalised short name -> ISO
    # (normalised domain, ISO) -> agency id: "الأمن العام" in Jordan is "مديرية الأمن العام" (see home_agencies)
    agency_by_domain: dict[tuple[str, str], str] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()
    _memos: dict[str, Memo] = field(default_factory=dict, repr=False, compare=False)  # see memo()

    def memo(self, name: str, compute: Callable) -> Memo:
        """`memo[key]` is `compute(self, key)`, kept with this lexicon: for answers that depend on the
        lexicon and one hashable argument alone (another lexicon gives other answers)."""
        found = self._memos.get(name)
        if found is None:
            found = self._memos[name] = Memo(partial(compute, self))
        return found

    def topics_of_word(self, norm: str) -> frozenset[str]:
        """Notations of the topics one of whose stems starts the word ("الإرهابية", "المخدرات")."""
        return self.memo("topics_of_word", Lexicon._topics_of_stem)[norm]

    def add(self, label: str, payload: str, phrase: str) -> None:
        self.phrases.append((label, payload, phrase))

    def _topics_of_stem(self, norm: str) -> frozenset[str]:
        """Notations of the topics one of whose stems starts the word, with or without its article."""
        # "وتدريب العناصر", "بتدريب": the normaliser strips a proclitic only off words the lexicon knows.
        forms = {norm, *(core for _, core in clitic_readings(norm))}
        forms |= {f[2:] for f in forms if f.startswith("ال")}
        return frozenset(t.notation for t in self.topics.values() for stem in t.stems
                         if any(f.startswith(stem) for f in forms))


def _lines(path: Path) -> Iterator[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon ({exc.strerror})") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise LexiconError(f"{path}:{number}: expected a JSON object")
        yield record


def _need(record: dict, key: str, path: Path) -> object:
    if key not in record:
        raise LexiconError(f"{path}: entry {json.dumps(record, ensure_ascii=False)[:60]} lacks {key!r}")
    return record[key]


def _files(directories: tuple[Path, ...], name: str) -> Iterator[Path]:
    for directory in directories:
        path = directory / name
        if path.exists():
            yield path


_PROCLITIC_ARTICLE = ("وال", "فال", "بال", "وبال", "ولل", "كال")
_LONE_PROCLITICS = frozenset("وبلف")


def _base(word: str) -> str:
    for prefix in _PROCLITIC_ARTICLE:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return "ال" + word[len(prefix):]
    if word.startswith("لل") and len(word) >= 5:
        return "ا" + word[1:]
    return word


def _without_proclitic(word: str, known: set[str], firsts: set[str]) -> str:
    """"لشرطه" -> "شرطه" when "شرطه" is a lexicon word and "لشرطه" starts no phrase."""
    rest = word[1:]
    if word[0] in _LONE_PROCLITICS and len(rest) >= 3 and rest in known and word not in firsts:
        return rest
    return word


def load_lexicon(*extra_dirs: Path | str) -> Lexicon:
    """The shipped lexicon plus the entries of any extra directories (same file names)."""
    dirs = (DEFAULT_DIR, *(Path(d) for d in extra_dirs))
    lex = Lexicon()
    for path in _files(dirs, "countries.jsonl"):
        for r in _lines(path):
            iso = str(_need(r, "id", path))
            name = str(_need(r, "name", path))
            adj_m = r.get("adj_m") or ""
            adj_f = r.get("adj_f") or ""
            alt = [a for a in r.get("adj_alt", []) if a]
            fem = [a for a in [adj_f, *alt] if a.endswith("ة")]
            masc = [a for a in [adj_m, *alt] if a and not a.endswith("ة")]
            lex.countries[iso] = Country(iso, name, r.get("en", iso), tuple(normalize(a) for a in masc),
                                         tuple(normalize(a) for a in fem), adj_m, adj_f)
            for form in {name, *r.get("aliases", [])}:
                lex.add("COUNTRY", iso, form)
            for adj in {*masc, *fem, *r.get("adj_pl", [])}:
                lex.add("NATIONALITY", iso, adj)
                lex.adjective_country[normalize(adj)] = iso
    for path in _files(dirs, "places.jsonl"):
        for r in _lines(path):
            pid = str(_need(r, "id", path))
            name = str(_need(r, "name", path))
            aliases = tuple(str(a) for a in r.get("aliases", []) if a != name)
            lex.places[pid] = Place(pid, name, r.get("country"), r.get("en", pid), aliases)
            if r.get("capital") and r.get("country"):
                lex.capital_of.setdefault(r["country"], pid)
            for form in {name, *r.get("aliases", [])}:
                lex.add("PLACE", pid, form)
                if "غ" in form:
                    lex.add("PLACE", pid, form.replace("غ", "ج"))  # Egyptian press: "بلجراد", "هامبورج"
    for path in _files(dirs, "wires.jsonl"):
        for r in _lines(path):
            iso = str(_need(r, "country", path))
            if iso not in lex.countries:
                raise LexiconError(f"{path}: news agency {r.get('id')!r} names country {iso!r}, which countries.jsonl lacks")
            for form in {str(_need(r, "name", path)), *r.get("aliases", [])}:
                lex.wires[normalize(form)] = iso
    for path in _files(dirs, "agencies.jsonl"):
        for r in _lines(path):
            aid = str(_need(r, "id", path))
            name = str(_need(r, "name", path))
            lex.agencies[aid] = Agency(aid, name, r.get("country"), r.get("en", ""), tuple(r.get("acronyms", [])),
                                       tuple(r.get("countries", [])))
            for form in {name, *r.get("aliases", [])}:
                lex.add("AGENCY", aid, form)
                lex.agency_by_name[normalize(form)] = aid
            for acronym in r.get("acronyms", []):
                lex.add("ACRONYM", aid, acronym)
    for path in _files(dirs, "titles.jsonl"):
        for r in _lines(path):
            head = str(_need(r, "head", path))
            agency = r.get("agency")
            if agency is not None and agency not in lex.agencies:
                raise LexiconError(f"{path}: post {head!r} names agency {agency!r}, which agencies.jsonl lacks")
            lex.titles[head] = TitleHead(head, r.get("role", "official"), r.get("org_prefix"), r.get("domain", "any"),
                                         r.get("country"), agency)
            for form in {head, *r.get("forms", [])}:
                lex.add("TITLE", head, form)
    for path in _files(dirs, "honorifics.jsonl"):
        for r in _lines(path):
            lex.add("HONORIFIC", r.get("kind", "honorific"), str(_need(r, "form", path)))
    for path in _files(dirs, "triggers.jsonl"):
        for r in _lines(path):
            payload = f"{_need(r, 'type', path)}:{r.get('role', '')}"
            for form in r.get("forms", []):
                lex.add("TRIGGER", payload, form)
    for path in _files(dirs, "cues.jsonl"):
        for r in _lines(path):
            cue = str(_need(r, "cue", path))
            for form in r.get("phrases", []):
                lex.add("CUE", cue, form)
    for path in _files(dirs, "topics.jsonl"):
        for r in _lines(path):
            notation = str(_need(r, "notation", path))
            lex.topics[notation] = Topic(notation, r.get("ar", notation), r.get("en", notation),
                                         tuple(normalize(s) for s in r.get("stems", [])))
            for form in r.get("phrases", []):
                lex.add("TOPIC", notation, form)
    for path in _files(dirs, "months.jsonl"):
        for r in _lines(path):
            for form in r.get("forms", []):
                lex.add("MONTH", str(_need(r, "month", path)), form)
    for path in _files(dirs, "weekdays.jsonl"):
        for r in _lines(path):
            for form in r.get("forms", []):
                lex.add("WEEKDAY", str(_need(r, "weekday", path)), form)
    for path in _files(dirs, "agency_words.jsonl"):
        for r in _lines(path):
            group = r.get("group", "")
            target = {"heads": lex.agency_heads, "named_after": lex.named_after}.get(group, lex.agency_words)
            target.update(normalize(w) for w in r.get("words", []) if " " not in w)
    for path in _files(dirs, "waw_names.jsonl"):
        for r in _lines(path):
            lex.waw_names.update(normalize(w) for w in r.get("words", []))
    for path in [*_files(dirs, "stopwords.jsonl"), *_files(dirs, "common_words.jsonl")]:
        for r in _lines(path):
            single = [w for w in r.get("words", []) if " " not in w]
            lex.stopwords.update(normalize(w) for w in single)
            if path.name == "stopwords.jsonl":
                lex.function_words.update(normalize(w) for w in single)
            lex.stopwords_written.update(strip_marks(w) for w in single)
            if path.name == "stopwords.jsonl" and r.get("group") == "time":
                lex.time_words.update(normalize(w) for w in single)
            if str(r.get("group", "")).startswith("verbs"):
                lex.verbs.update(normalize(w) for w in single)
    # A phrase word that carries its own proclitic ("والمساعدة", "للأمن") enters the vocabulary
    # as its base, or it would stop that base from being found behind the proclitic elsewhere.
    tokens = [normalize(phrase).split() for _, _, phrase in lex.phrases]
    words = {_base(tok) for toks in tokens for tok in toks}
    # Likewise a word behind a lone و/ب/ل/ف inside a phrase ("لشرطة" of "القيادة العامة لشرطة
    # أبوظبي") when the rest is a lexicon word; a phrase's first word ("وزارة") is a word itself.
    known = words | lex.agency_heads | lex.agency_words
    firsts = {toks[0] for toks in tokens if toks}
    words = {_without_proclitic(w, known, firsts) for w in words}
    lex.vocabulary = frozenset(words | lex.agency_heads | lex.agency_words | lex.stopwords | NAME_PARTICLES)
    lex.agency_by_domain = home_agencies(lex)
    return lex


_GENERAL_HEADS = [[normalize(a), normalize(b)] for a in ("المديرية", "الإدارة", "القيادة", "الهيئة")
                  for b in ("العامة", "الوطنية")]


def home_agencies(lex: Lexicon) -> dict[tuple[str, str], str]:
    """The one agency of a state that a bare domain names there: "مدير الأمن العام" in Amman heads
    "مديرية الأمن العام", "الأمن الوطني" in Tunis is "الإدارة العامة للأمن الوطني".

    A domain is what follows the head words of an agency's name (`agency_domain`). A domain two
    agencies of one state share names neither. An agency the lexicon gives several states
    ("الإدارة العامة للأمن الوطني": Tunisia and Mauritania) names the domain in each where no
    agency of that state alone does.
    """
    forms_of: dict[str, set[str]] = {}
    for form, aid in lex.agency_by_name.items():
        forms_of.setdefault(aid, set()).add(form)
    chosen: dict[tuple[str, str], str] = {}
    for one_state in (True, False):
        found: dict[tuple[str, str], set[str]] = {}
        for aid, agency in lex.agencies.items():
            if (len(agency.countries) == 1) != one_state:
                continue
            for form in {agency.name} | forms_of.get(aid, set()):
                domain = agency_domain(lex, form)
                if not domain:
                    continue
                for iso in agency.countries:
                    found.setdefault((domain, iso), set()).add(aid)
        for key, ids in found.items():
            if len(ids) == 1 and key not in chosen:
                chosen[key] = ids.pop()
    return chosen


def agency_domain(lex: Lexicon, name: str) -> str | None:
    """The domain that an agency name's head words govern, normalised, its genitive لل read as ال:
    "مديرية الأمن العام" -> "الامن العام", "الإدارة العامة للأمن العمومي" -> "الامن العمومي". None where
    the name is no head and domain: "الفرقة الوطنية للشرطة القضائية" is one unit of the police."""
    words = normalize(name).split()
    if len(words) < 3 or words[0] not in lex.agency_heads:
        return None
    if not words[0].startswith("ال") and words[1].startswith("ال"):
        rest = words[1:]  # "مديرية الأمن العام": the head's genitive
    elif words[:2] in _GENERAL_HEADS and words[2].startswith("لل"):
        rest = ["ا" + words[2][1:], *words[3:]]  # "الإدارة العامة للأمن العمومي"
    else:
        return None
    return " ".join(rest) if len(rest) >= 2 and not all(w in lex.agency_heads for w in rest) else None
