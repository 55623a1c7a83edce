"""Persons, their titles, agencies and countries, found from context.

No list of people: a name is recognised by what stands around it (an honorific or rank, a
title before or after it, a counterpart word), then found again wherever it is repeated, and
a title used alone ("نظيره الفرنسي", "السفير الأمريكي") is resolved to a named person of the
same article.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from ..lexicon import NAME_PARTICLES, agency_domain
from ..normalize import normalize, strip_marks
from .context import DocContext

_ARABIC_LETTERS = re.compile(r"^[\u0621-\u064a]+$")

MAX_NAME_TOKENS = 7
# A title whose holder is a generic reference, not a post worth recording as jobTitle.
GENERIC_ROLES = frozenset({"counterpart", "official", "diplomat", "other"})
_COMPATIBLE = {"ambassador": {"ambassador", "diplomat", "official"}, "diplomat": {"ambassador", "diplomat", "official", "consul", "attache"}}
_CLOSE_QUOTES = {'"': '"', "«": "»", "“": "”"}
_OPEN_QUOTES = frozenset(_CLOSE_QUOTES)
_DG_CONSTRUCT = "مدير عام"  # the post whose complement is a construct: "مدير عام الأمن العام"
_DG_OF = "المديرية العامة ل"
_ADVISER, _ADVISERS_OFFICE = "مستشار", "مستشارية"
_SECURITY = normalize("الأمن")
_NATIONAL = frozenset(normalize(w) for w in ("القومي", "الوطني"))
_POSTING_WORDS = frozenset(normalize(w) for w in ("المعتمد", "المعتمدة", "المعتمدين", "لدى", "في", "المقيم"))
_IN = normalize("في")
_DARIJA_OF = frozenset({normalize("ديال")})
_ACTING = frozenset(normalize(w) for w in ("بالإنابة", "بالنيابة", "بالوكالة", "بالانابة"))
_ASSIGNED = frozenset(normalize(w) for w in ("المكلف", "المكلفة"))  # "وزير الداخلية المكلف بـ ...": charged with
# Words after which an honorific-looking word is a name part: "آل الشيخ", "عبد الأمير".
_NAME_BEFORE_HONORIFIC = frozenset(normalize(w) for w in ("آل", "ابن", "بن", "أبو", "عبد", "ولد", "ول", "بنت", "أيت", "آيت"))
_MISSION_WORDS = frozenset(normalize(w) for w in ("سفارة", "السفارة", "قنصلية", "القنصلية", "بعثة", "البعثة"))
_PREFIX_ROLES = frozenset({"deputy", "adviser"})
HOST_STATE = frozenset(normalize(w) for w in ("البلاد", "الدولة", "المملكة", "الجمهورية", "السلطنة", "الإمارة",
                                                 "بلادنا", "بلدنا", "دولتنا"))
_MINISTRY = normalize("وزارة")
_THE_MINISTER = normalize("الوزير")
_TOPIC_ONLY = frozenset({"TOPIC"})  # "مدير عام التدريب", "إدارة مكافحة المخدرات": a topic may name a unit
_POST_ADJECTIVES = frozenset(normalize(w) for w in ("الأمني", "الأمنية", "العسكري", "العسكرية", "الحكومي", "الحكومية",
                                                  "الدبلوماسي", "الدبلوماسية", "الرفيع", "الكبير", "الشرطي"))
_BARE_POST_ADJECTIVES = frozenset(w[2:] for w in _POST_ADJECTIVES)  # "أمني", "عسكري"
_FEDERAL = frozenset(normalize(w) for w in ("الاتحادي", "الاتحادية", "الفيدرالي", "الفيدرالية", "الفدرالي", "الفدرالية"))


def _bare_nationality(ctx: DocContext, i: int) -> str | None:
    """The state of a nationality adjective written without its article ("مغربي", "فرنسية"), if token i is one."""
    w = ctx.norms[i]
    if ctx.clitics[i] or w.startswith("ال") or ctx.labels(i):
        return None
    return ctx.lex.adjective_country.get("ال" + w)


# "لقاء جمعه بـ X": the verb always takes ب ("التقى" need not: "التقى بندر ..." names بندر).
_MET_WITH = frozenset(normalize(w) for w in ("جمعه", "جمعها", "جمعهما", "جمعهم", "جمعتهما", "جمعته", "جمعتها"))
# NAME_PARTICLES without the short ones East Asian syllables share ("بو", "لو", "دو"): a name with
# these is Arabic in form, not a run of syllables.
_ARAB_PARTICLES = frozenset(normalize(w) for w in ("بن", "ابن", "بنت", "عبد", "آل", "أبو", "ولد"))
_NOUN_HONORIFICS = frozenset(normalize(w) for w in ("سيادة", "سعادة"))
_GOVERNMENT = normalize("حكومة")
_AFFAIRS = normalize("شؤون")
_AFFAIRS_FORMS = frozenset({_AFFAIRS, "ال" + _AFFAIRS})  # "لشؤون", "للشؤون"
_SECTOR = frozenset(normalize(w) for w in ("قطاع",))
# Heads of agency names that are also a ministry's portfolio ("وزير الداخلية والأمن العمومي"); a body's
# kind ("ومديرية", "والجهاز") starts another body.
_PORTFOLIO_DOMAINS = frozenset(normalize(w) for w in ("الأمن", "الحماية", "الشرطة", "الجمارك"))
# A service whose name may join two remits: "جهاز الاستخبارات والأمن الوطني".
_SERVICE_HEADS = frozenset(normalize(w) for w in ("جهاز", "الجهاز"))
_FIELD = normalize("مجال")
_EXTRAORDINARY = [normalize("فوق"), normalize("العادة")]
_PLENIPOTENTIARY = frozenset(normalize(w) for w in ("المفوض", "والمفوض", "المفوضة", "والمفوضة"))
STATE_WORDS = frozenset(normalize(w) for w in ("دولة", "جمهورية", "مملكة", "المملكة", "الجمهورية", "إمارة", "سلطنة"))


@dataclass(frozen=True, slots=True)
class AgencyRef:
    key: str  # "normalised core|ISO"
    name: str  # canonical display name
    surface: str  # as written (clitics removed)
    country: str | None
    base: str = ""  # the name without any country word
    feminine: bool = False
    lexicon_country: str | None = None  # the country the lexicon gives this name, if any
    short: str = ""  # the complement alone ("الشرطة الوطنية" of "المديرية العامة للشرطة الوطنية"), no country word
    acronym: str = ""  # given in brackets after the name: "(FBI)"
    written_adjective: str = ""  # the state's adjective as the text gave it, when not the lexicon's ("الكورية")
    coined: str = ""  # the other states' name the post gave it, no country word ("المديرية العامة للأمن الوطني" in Tunisia)

    @property
    def core(self) -> str:
        """The key without its country: the same agency of any state."""
        return self.key.split("|")[0]

    def names(self, lex) -> tuple[str, ...]:
        """Other names the agency goes by: as written, without its country word, and the complement
        alone with its country (the bare names only where no other state's agency bears them).
        The same agencies recur from article to article: each is answered once."""
        return lex.memo("agency_names", _agency_names)[self]

    def _names(self, lex) -> list[str]:
        shared = self.country and self._shared_name(lex)
        found = [self.surface] if not shared or normalize(self.surface) != normalize(self.base) else []
        if not shared:
            found.append(self.base)  # the name without its country word, when no other state's agency bears it
        if self.short:
            found.append(f"{self.short} {_country_adjective(lex, self.country, _feminine(self.short))}".strip())
        if self.surface != self.base and (not shared or self._names_no_state(lex)):
            # The lexicon's spelling is the name; the article's, with the country, is another ("الشرطة الفدرالية البلجيكية").
            adjective = _country_adjective(lex, self.country, self.feminine)
            if adjective and adjective not in self.surface:
                found.append(f"{self.surface} {adjective}")
        found.append(self.acronym)
        if self.written_adjective:
            found.append(f"{self.base} {self.written_adjective}")  # "وكالة الشرطة الوطنية الكورية"
        if self.coined:  # with its country only: bare, it is the other states' body
            found.append(f"{self.coined} {_country_adjective(lex, self.country, _feminine(self.coined))}".strip())
        return [n for n in dict.fromkeys(found) if n and n != self.name]

    def _names_no_state(self, lex) -> bool:
        """Is the name as written two words or more, none of them its state ("الشرطة الفدرالية", not
        "وزارة الداخلية في مملكة البحرين" nor an acronym)? Then, with the state's adjective, it is a name."""
        country = lex.countries.get(self.country or "")
        written = normalize(self.surface)
        return len(written.split()) >= 2 and not (country and normalize(country.name) in written)

    def _shared_name(self, lex) -> bool:
        """Is the bare name one that several states' agencies bear ("وزارة الداخلية",
        "الأمن العام", "المديرية العامة للأمن الوطني")? On one country's node it would make that
        agency another state's namesake; its name with the country says which it is."""
        written = normalize(self.base)
        known = lex.agency_by_name.get(written)
        if known:
            return len(lex.agencies[known].countries) != 1
        words = written.split()
        # "وزارة الداخلية والجماعات المحلية": a ministry with a second portfolio is one government's.
        portfolios = any(w.startswith("و") for w in words[2:])
        return len(words) <= 2 or (words[0] == _MINISTRY and not portfolios)

    def localized(self, iso: str, lex) -> "AgencyRef":
        """The same agency once its country is known from its holder ("وزارة الداخلية" of Morocco)."""
        return self if self.country else self.of_country(iso, lex, self.surface, self.lexicon_country)

    def of_country(self, iso: str, lex, surface: str | None = None, lexicon_country: str | None = None) -> "AgencyRef":
        """The agency of that name in country `iso` ("وزارة الداخلية" of Spain, for Morocco's)."""
        home = _home_agency(lex, self.base, iso)
        if home:  # "الأمن العام" of Jordan is "مديرية الأمن العام"
            feminine = _feminine(home)
            adjective = _country_adjective(lex, iso, feminine)
            # The bare domain is a name only with its country ("الأمن العام الأردني"): other states' agencies bear it.
            coined = self.base if normalize(self.base) in lex.agency_by_name else ""
            return AgencyRef(f"{_key_core(home)}|{iso}", f"{home} {adjective}".strip(), home, iso, home, feminine, iso,
                             self.short or self.base, self.acronym, coined=coined)
        adjective = _country_adjective(lex, iso, self.feminine)
        name = f"{self.base} {adjective}" if adjective else self.base
        return AgencyRef(f"{self.key.split('|')[0]}|{iso}", name, surface or self.base, iso, self.base, self.feminine,
                         lexicon_country, self.short, self.acronym)


def _agency_names(lex, ref: AgencyRef) -> tuple[str, ...]:
    return tuple(ref._names(lex))


@dataclass
class TitleMention:
    start: int
    end: int
    head: str
    role: str
    text: str
    country: str | None
    agencies: list[AgencyRef]
    conjoined: bool  # begins with و: starts a new conjunct, cannot be an apposition
    person: int | None = None
    posted_in: str | None = None  # where an envoy is posted: "سفير إيطاليا بالجزائر" -> DZ


@dataclass
class Person:
    pid: int
    forms: list[str] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)
    titles: list[TitleMention] = field(default_factory=list)
    country: str | None = None
    country_from: int | None = None  # token where the country was read
    first: int = 0  # first token of the first mention
    honorific: str = ""
    ranked: bool = False  # named after a military or police rank ("اللواء", "الفريق أول")

    @property
    def name(self) -> str:
        return max(self.forms, key=lambda f: (len(f.split()), len(f)))

    def home(self) -> str | None:
        """The country said for the person, or else the one the lexicon gives all their agencies."""
        if self.country:
            return self.country
        known = {a.lexicon_country for t in self.titles for a in t.agencies} - {None}
        return known.pop() if len(known) == 1 else None

    @property
    def role(self) -> str | None:
        for t in self.titles:
            if t.role not in GENERIC_ROLES:
                return t.role
        return None


@dataclass
class People:
    persons: list[Person]
    mentions: list[tuple[int, int, int]]  # (start, end, pid) sorted: named and title-only mentions
    titles: list[TitleMention]
    title_tokens: frozenset[int] = frozenset()  # tokens inside any title, once titles are final
    delegations: list[tuple[int, int]] = field(default_factory=list)  # (delegation word, who leads it)

    def in_sentence(self, ctx: DocContext, sent: int) -> list[tuple[int, int, int]]:
        lo, hi = ctx.sents[sent]
        mentions = self.mentions  # sorted: (lo,) sorts before every mention starting at lo
        return mentions[bisect_left(mentions, (lo,)):bisect_left(mentions, (hi,))]


# --- titles ------------------------------------------------------------------------------------
def _display(ctx: DocContext, start: int, end: int) -> str:
    """Original text of tokens [start, end) without a leading conjunction و and without marks."""
    words = []
    for i in range(start, end):
        text = strip_marks(ctx.texts[i])
        if i == start and ctx.clitics[i]:
            # A leading conjunction, and a preposition after it ("بالملحق الأمني" -> "الملحق الأمني").
            clitic = ctx.clitics[i]
            k = 1 if clitic[0] in "وف" else 0
            k += clitic[k:k + 1] == "ب"
            text = text[k:]
        words.append(text)
    # Brackets hug what they hold, as the text wrote them: "(الإنتربول)".
    return " ".join(w for w in words if w not in {"،", ","}).replace("( ", "(").replace(" )", ")")


def _without_lam(text: str) -> str:
    """"للشرطة الوطنية" -> "الشرطة الوطنية"; "لجهاز X" -> "جهاز X" (the genitive ل of a title)."""
    if text.startswith("لل"):
        return "ا" + text[1:]
    return text[1:] if text.startswith("ل") else text


def _country_adjective(lex, iso: str | None, feminine: bool) -> str:
    """The state's adjective in the gender of the noun it follows ("المغربية", "المغربي"); "" if unknown."""
    country = lex.countries.get(iso or "")
    if not country:
        return ""
    return country.adj_f if feminine else country.adj_m


def _home_agency(lex, base: str, iso: str | None) -> str | None:
    """The lexicon's name for the one agency of state `iso` whose domain `base` is, if any; or, for a
    name the lexicon gives other states' body ("المديرية العامة للأمن الوطني" of Morocco and Algeria),
    the name of `iso`'s body of that domain ("الإدارة العامة للأمن الوطني" in Tunisia)."""
    if not iso or not base.startswith("ال"):
        return None
    listed = lex.agency_by_name.get(normalize(base))
    if listed is None:
        aid = lex.agency_by_domain.get((normalize(base), iso))
    else:
        countries = lex.agencies[listed].countries
        domain = agency_domain(lex, base) if countries and iso not in countries else None
        aid = lex.agency_by_domain.get((domain, iso)) if domain else None
    return strip_marks(lex.agencies[aid].name) if aid else None


def _key_core(base: str) -> str:
    """An agency's key without its country: "أمن الدولة" and "الأمن الدولة" are the same core."""
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalize(base).split())


# Broken plurals of things take a feminine adjective as plurals in ات do: "الجمارك العمانية".
_BROKEN_PLURAL_HEADS = frozenset(normalize(w) for w in ("الجمارك", "جمارك", "المصالح", "مصالح", "القوى", "قوى"))


def _feminine(name: str) -> bool:
    """Does the name's head noun take a feminine adjective: "المديرية", plurals in ات ("قوات الشرطة")
    and broken plurals ("الجمارك")?"""
    head = normalize(name.split()[0]) if name.split() else ""
    return head.endswith(("ه", "ات")) or head in _BROKEN_PLURAL_HEADS


# Heads that name an institution, not a domain ("الأمن", "الشرطة" are domains: "المدير العام للأمن الوطني").
_INSTITUTION_HEADS = frozenset(normalize(w) for w in (
    "وكالة", "هيئة", "مكتب", "مركز", "معهد", "جهاز", "مجلس", "مفوضية", "سلطة", "إدارة", "مديرية", "مصلحة",
    "منظمة", "أكاديمية", "وحدة", "خلية", "قيادة", "أمانة", "وزارة", "سفارة", "قنصلية", "بعثة", "نيابة", "جامعة"))


def _construct_institution(ctx: DocContext, i: int) -> bool:
    """Is token i an institution's head noun without the article, a construct over what follows ("لهيئة")?"""
    norm = ctx.norms[i]
    return not norm.startswith("ال") and norm in _INSTITUTION_HEADS


def agency_ref(ctx: DocContext, core_start: int, core_end: int, prefix: str, country: str | None) -> AgencyRef | None:
    """An agency named by the complement tokens, with a title's org prefix ("المديرية العامة")."""
    core = _display(ctx, core_start, core_end)
    if not core:
        return None
    end = core_end
    if prefix and "ب" in ctx.clitics[core_start] and ctx.agency_head(core_start):
        # "المدير المركزي للشرطة القضائية بالمديرية العامة للأمن الوطني": the parent body is named in full.
        prefix = ""
    if prefix and ctx.written[core_start].startswith("ل") and ctx.clitics[core_start].endswith("ل") \
            and ctx.norms[core_start].removeprefix("ال") in _INSTITUTION_HEADS:
        # "المدير العام للوكالة الوطنية لمكافحة الجريمة": the director general heads the agency
        # named, not a directorate general of it.
        prefix = ""
    if prefix and not prefix.startswith("ال") and ctx.written[core_start].startswith("ل") \
            and not ctx.written[core_start].startswith("لل") and ctx.agency_head(core_start):
        # "مساعد الوزير لقطاع الأمن العام": "وزارة لقطاع" is no name; the unit is the one the genitive names.
        prefix = ""
    # Nationality adjectives and country names inside the complement say where, not what.
    core_tokens = [i for i in range(core_start, core_end)
                   if not ({"NATIONALITY", "COUNTRY"} & ctx.labels(i)) and ctx.norms[i] not in STATE_WORDS]
    if not core_tokens:
        return None
    core_end = core_tokens[-1] + 1
    plain = _display(ctx, core_start, core_end)
    if prefix and core_start > 0 and ctx.norms[core_start - 1] in _FEDERAL and core.startswith("ل"):
        core, plain = _without_lam(core), _without_lam(plain)  # "الوزير الاتحادي للداخلية": وزارة الداخلية
    joint = "" if prefix.endswith(" ل") else " "  # "المديرية العامة ل" + "مكافحة": one word
    surface = f"{prefix}{joint}{core}" if prefix else _without_lam(core)
    base = f"{prefix}{joint}{plain}" if prefix else _without_lam(plain)
    lexicon_id = ctx.lex.agency_by_name.get(normalize(base))
    if lexicon_id is None and core_end + 2 < len(ctx.texts) and ctx.texts[core_end] == "(":
        # "الوكالة الأوروبية للتعاون في مجال إنفاذ القانون (يوروبول)": the body the brackets name.
        named = ctx.hit(core_end + 1, "AGENCY")
        if named and named.end < len(ctx.texts) and ctx.texts[named.end] == ")":
            lexicon_id = named.payload
    if lexicon_id:
        base = strip_marks(ctx.lex.agencies[lexicon_id].name)  # "الإنتربول" is "المنظمة الدولية للشرطة الجنائية"
    # The lexicon's country is weak evidence: several states name an agency alike, so it is only
    # used when the article says nothing (see pipeline._infer_countries).
    known_country = ctx.lex.agencies[lexicon_id].country if lexicon_id else None
    if not lexicon_id and prefix:
        # "المديرية العامة للحرس المدني": the body the complement names is the lexicon's ("الحرس المدني").
        within = ctx.lex.agency_by_name.get(normalize(_without_lam(plain)))
        known_country = ctx.lex.agencies[within].country if within else None
    home = _home_agency(ctx.lex, base, country) if lexicon_id or not prefix else None
    short = _without_lam(plain) if prefix and plain.startswith("ل") else ""
    coined = base if home and lexicon_id else ""
    if home:  # "مدير الأمن العام الأردني" heads "مديرية الأمن العام"; the domain is a name with its country
        base, surface, short, known_country = home, home, short or base, country
    # A feminine adjective the text gives the name says its gender ("الجمارك الأردنية"): the title
    # before it is masculine ("مدير عام"), and a masculine one may agree with the title instead.
    said = next((ctx.norms[i] for i in range(core_start, min(end + 1, len(ctx.norms)))
                 if ctx.hit(i, "NATIONALITY")), "") if not (home or prefix) else ""
    feminine = _feminine(base) or said.endswith("ه")
    if feminine and not _feminine(base):
        short = base  # "جهاز المخابرات العامة المصرية" agrees with its genitive; "... المصري" with its head
    adjective = _country_adjective(ctx.lex, country, feminine)
    if adjective and any(h.label == "NATIONALITY" and h.payload == country
                         for i in range(core_start, core_end) for h in ctx.hits_at.get(i, ())):
        adjective = ""  # "الوكالة اليابانية للتعاون الدولي" names its state already
    name = f"{base} {adjective}" if adjective else base
    key_core = _key_core(base)
    bracket = core_end + 2 < len(ctx.texts) and ctx.texts[core_end] == "(" and ctx.texts[core_end + 2] == ")"
    acronym = ctx.texts[core_end + 1] if bracket and ctx.texts[core_end + 1].isupper() else ""
    written = next((h for h in ctx.hits_at.get(core_end, ()) if h.label == "NATIONALITY"), None)
    written_adjective = " ".join(strip_marks(t) for t in ctx.texts[written.start:written.end]) if written else ""
    # "وزير الداخلية ... الجزائري": the lexicon's adjective in the title's gender is no other spelling.
    lexicon_forms = {normalize(_country_adjective(ctx.lex, country, gender)) for gender in (False, True)}
    if normalize(written_adjective) in lexicon_forms or home or (written and written.payload != country):
        written_adjective = ""
    return AgencyRef(f"{key_core}|{country or ''}", name, surface, country, base, feminine, known_country, short, acronym,
                     written_adjective, coined)


def _complement(ctx: DocContext, start: int, limit: int, diplomatic: bool = False, portfolio: bool = False
                ) -> tuple[int, str | None, list[tuple[int, int, str | None]], str | None]:
    """Scan a title's (or an agency name's) complement from `start`.

    Returns (end, holder's country, agency parts as (start, end, country), country posted in).
    The country comes
    from a nationality adjective or a genitive country ("سفير فرنسا"); a place after
    المعتمد / لدى / ب is where the post is held, not whom it represents, except that
    "أمن الدولة ببلجيكا" places the agency itself.
    """
    i, country, posted_in = start, None, None
    parts: list[list] = []  # [start, end, country]
    posting = False
    while i < limit:
        if ctx.texts[i] == "(":
            close = next((k for k in range(i + 1, min(limit, i + 6)) if ctx.texts[k] == ")"), None)
            if close is not None:
                i = close + 1  # "(BCIJ)", "(الإنتربول)": the name just given, in other letters
                continue
        if ctx.texts[i] in _OPEN_QUOTES and i > start and i + 2 < limit and ctx.texts[i + 2] == _CLOSE_QUOTES[ctx.texts[i]]:
            i += 3  # 'بعثة الاتحاد الأوروبي للمساعدة في إدارة الحدود "يوبام"': the body's short name, quoted
            continue
        norm = ctx.norms[i]
        clitic = ctx.clitics[i]
        if diplomatic and (ctx.written[i] in _PLENIPOTENTIARY or ctx.written[i:i + 2] == _EXTRAORDINARY):
            # "سفير جمهورية كوريا فوق العادة والمفوض لدى الدولة": the envoy's full rank, still the title.
            i += 1 if ctx.written[i] in _PLENIPOTENTIARY else 2
            continue
        if "ب" in clitic and norm in _MISSION_WORDS:
            # "مدير مكتب FBI بالسفارة الأمريكية": where the office sits, and whose it is.
            if parts:
                parts[-1][1] = _trim(ctx, parts[-1][0], i)
            represented = ctx.hit(i + 1, "NATIONALITY") or ctx.hit(i + 1, "COUNTRY")
            country = country or (represented.payload if represented else None)
            i = represented.end if represented else i + 1
            posting = True
            continue
        current = parts[-1] if parts else None
        topic = ctx.hit(i - 1, "TOPIC") if current is not None and i - 1 >= current[0] and not posting else None
        if current is not None and topic is not None and topic.end > i and topic.end <= limit:
            # "الوكالة الوطنية لحظر الاتجار بالأشخاص": a field of two words is whole in the body's name.
            i = current[1] = topic.end
            continue
        nat = ctx.hit(i, "NATIONALITY")
        ctry = ctx.hit(i, "COUNTRY")
        if nat and not posting:
            country = country or nat.payload
            if current and current[2] is None:
                current[2] = nat.payload
            i = nat.end
            continue
        if ctry:
            # "سفير فرنسا في المغرب": where an envoy is posted; "وزير الداخلية في الأردن": whose minister.
            located = "ب" in clitic or (i > start and ctx.norms[i - 1] in _POSTING_WORDS
                                        and (diplomatic or ctx.norms[i - 1] != _IN))
            if not (posting or located or clitic) and country is not None and ctry.payload != country \
                    and ctx.hit(i - 1, "NATIONALITY"):
                break  # "ويزور المسؤول الإسباني موريتانيا": the post ends at its nationality, the verb's object follows
            if posting or located:
                if current and current[2] is None and "ب" in clitic and not posting:
                    current[2] = ctry.payload
                    country = country or ctry.payload
                else:
                    posted_in = posted_in or ctry.payload
                posting = True
            elif country is None:
                country = ctry.payload
                if current and current[2] is None:
                    current[2] = ctry.payload
            i = ctry.end
            continue
        if norm in STATE_WORDS and (ctx.hit(i + 1, "COUNTRY") or ctx.hit(i + 1, "NATIONALITY")):
            i += 1  # "جمهورية كوريا", "الجمهورية الإيطالية"
            continue
        if norm in _ACTING or ctx.written[i] in _ACTING and (i + 1 >= limit or ctx.is_punct(i + 1)):
            # "المدير العام للأمن العام بالإنابة", "رئيس الجهاز بالوكالة،": acting, still the post (not
            # "بالوكالة الإسبانية للإدارة الضريبية", a body).
            i += 1
            continue
        if norm in _ASSIGNED and current is not None:
            # "وزير الداخلية المكلف بحكومة الوحدة الوطنية", "كاتب الدولة لدى وزير الداخلية المكلف بالأمن
            # الوطني": the post's charge or government follows, not more of the body's name.
            i += 1
            if i < limit and "ب" in ctx.clitics[i] and ctx.norms[i] != _GOVERNMENT:
                i += 1
                while i < limit and ctx.written[i].startswith(("ال", "وال")) and not ctx.labels(i) - _TOPIC_ONLY:
                    i += 1
            continue
        if i == start and norm in _FEDERAL and i + 1 < limit and "ل" in ctx.clitics[i + 1]:
            i += 1  # "الوزير الاتحادي للداخلية": a federal minister, of the ministry named next
            continue
        if norm in _POST_ADJECTIVES and i + 1 < limit and ctx.hit(i + 1, "NATIONALITY"):
            i += 1  # "المسؤول العسكري المغربي", "المسؤول الأمني الإسباني": the kind of official, then whose
            continue
        if not posting and (i == start or ctx.norms[i - 1] in _BARE_POST_ADJECTIVES) and not clitic:
            # "مسؤول أمني مغربي": the same without the article, which the gazetteer's adjectives carry.
            if norm in _BARE_POST_ADJECTIVES and i + 1 < limit and _bare_nationality(ctx, i + 1):
                i += 1
                continue
            bare = _bare_nationality(ctx, i)
            if bare:
                country = country or bare
                i += 1
                continue
        in_government = norm == _IN and i + 1 < limit and ctx.norms[i + 1] == _GOVERNMENT
        if current is not None and (("ب" in clitic and norm == _GOVERNMENT) or in_government):
            # "وزير الداخلية بحكومة الوحدة الوطنية" / "في حكومة ...": which government, still the post,
            # not the ministry's name.
            i += 2 if in_government else 1
            while i < limit and ctx.written[i].startswith("ال") and not ctx.labels(i):
                i += 1
            continue
        if norm in _DARIJA_OF and current is None:
            i += 1  # "الوزير ديال الداخلية": Darija for "of"
            continue
        state = i + 2 < limit and ctx.norms[i + 1] in STATE_WORDS and (ctx.hit(i + 2, "NATIONALITY") or ctx.hit(i + 2, "COUNTRY"))
        if norm == _IN and i + 1 < limit and (ctx.norms[i + 1] in _MISSION_WORDS
                                              or not diplomatic and (ctx.hit(i + 1, "COUNTRY") or state)):
            i += 1  # "في سفارة فرنسا" names whom the attaché serves, as "بسفارة فرنسا" does
            continue
        if current is not None and norm == _IN and i + 2 < limit and ctx.norms[i + 1] == _FIELD and not posting \
                and "ل" in ctx.clitics[i - 1] and not ctx.labels(i - 1):
            # "الوكالة الأوروبية للتعاون في مجال إنفاذ القانون": the field of its genitive is part of the
            # body's name (after "وزارة الداخلية القبرصية" it is what an agreement is about).
            k = i + 2
            while k < limit and k - i < 6 and _ARABIC_LETTERS.match(ctx.written[k]) and not ctx.hit(k, "TITLE", "HONORIFIC") \
                    and (ctx.written[k].startswith(("ال", "وال")) or k + 1 < limit and ctx.written[k + 1].startswith("ال")):
                k += 1
            if k > i + 2:
                i = k
                parts[-1][1] = i
                continue
        if current is not None and norm == _IN and not posting and not diplomatic:
            # "مديرة إدارة التحقيقات في الجرائم التجارية بالشرطة الملكية": the unit's field, then its parent body.
            k = i + 1
            while k < limit and k - i <= 3 and ctx.written[k].startswith("ال") and not ctx.labels(k) - _TOPIC_ONLY:
                k += 1
            if i + 1 < k < limit and "ب" in ctx.clitics[k] and ctx.agency_head(k):
                i = k
                continue
        if norm == _IN and i == start and not diplomatic and i + 1 < limit and ctx.hit(i + 1, "AGENCY"):
            i += 1  # "المدير التنفيذي في الإنتربول": the body the post is held in
            continue
        if norm == _IN and current is not None and not diplomatic and i + 1 < limit and ctx.agency_head(i + 1) \
                and ctx.norms[i + 1] not in _MISSION_WORDS:
            if ctx.written[i - 1].startswith("لل"):
                # After the body's purpose, its field: "بعثة الاتحاد الأوروبي للمساعدة في إدارة الحدود" is
                # one name (the mission manages borders; no "إدارة" is its parent).
                k = i + 2
                while k < limit and k - i <= 4 and ctx.written[k].startswith(("ال", "وال")) and not ctx.labels(k) - _TOPIC_ONLY:
                    k += 1
                i = parts[-1][1] = k
                continue
            # "مديرة العمليات في الأمانة العامة للإنتربول": the unit's parent body names the post.
            parts.pop()
            current = None
            i += 1
            continue
        if norm == _IN and current is not None and not posting:
            tail = _tail_before_rank(ctx, i, limit)  # "قائد الأمن الداخلي في محافظة حلب العميد X"
            if tail:
                i = parts[-1][1] = tail
                break
        if norm in _POSTING_WORDS:
            posting = True
            i += 1
            continue
        if posting and (norm in STATE_WORDS or norm in HOST_STATE):
            i += 1  # "لدى المملكة", "لدى الدولة": the host country, unnamed
            continue
        accredited = ctx.hit(i, "AGENCY") if posting and i > start and ctx.norms[i - 1] in _POSTING_WORDS else None
        if accredited:
            i = accredited.end  # "سفير المغرب لدى الأمم المتحدة": the body an envoy is accredited to, not his own
            continue
        place = ctx.hit(i, "PLACE")
        if place and (posting or "ب" in clitic):
            posting = True
            posted_in = posted_in or ctx.lex.places[place.payload].country
            i = place.end
            continue
        if diplomatic and not clitic and ctx.written[i].startswith("بال") and i + 1 < limit and not ctx.agencyish(i):
            posting = True  # a city the lexicon does not know, after an ambassador's title
            i += 1
            continue
        agency = ctx.hit(i, "AGENCY")
        cue = ctx.hit(i, "CUE")
        if cue and cue.payload == "led_by":
            break  # "وفدا عن الشرطة الاتحادية الألمانية برئاسة X": who leads it, not a parent body
        if i == start and not posting and not diplomatic and not agency and not ctx.agencyish(i):
            parent = _parent_after_unit(ctx, i, limit)
            if parent:
                i = parent
                continue
        if not posting and current is not None and not agency and not ctx.agencyish(i) and i - start < 10:
            w = ctx.written[i]
            if place and not clitic:
                current[2] = current[2] or ctx.lex.places[place.payload].country
                i = place.end  # "شرطة أبوظبي", "أمن طنجة": the city names the agency
                parts[-1][1] = i
                continue
            if ctx.norms[i] == _NOT and i + 1 < limit and ctx.written[i + 1].startswith("ال") \
                    and not ctx.labels(i + 1) - _TOPIC_ONLY:
                i += 2  # "المجلس المركزي للضرائب غير المباشرة": a negated adjective, still the body's name
                parts[-1][1] = i
                continue
            if (portfolio or ctx.norms[current[0]] == _MINISTRY) and _portfolio_word(ctx, i, limit) \
                    and not (w.startswith("و") and ctx.hit(i - 1, "NATIONALITY")):
                # "وزير الداخلية وترقية اللامركزية والتنمية المحلية": one ministry, several portfolios; after its
                # state ("وزارة الداخلية المغربية والمرفق العمومي ..."), another body.
                i += 1
                parts[-1][1] = i
                continue
            if ("ل" in clitic or w.startswith("لل")) and not w.startswith("ال") \
                    and not ctx.hit(i, "TITLE", "HONORIFIC", "TRIGGER") and not _known_whole(ctx, current[0], i):
                # "لمباحث", "لقطاع": a genitive the lexicon does not know, still the agency's name; not
                # "لزيارة" ("دعوة إلى مدير عام الأمن العام لزيارة أبوجا"), what the post's holder is to do.
                i += 1
                parts[-1][1] = i
                continue
            # Right after a head noun, even a common word names the unit: "إدارة العلاقات العامة".
            named_by = w not in ctx.lex.function_words or (i == current[0] + 1 and ctx.agency_head(current[0]))
            if w.startswith("ال") and named_by and ctx.labels(i) <= _TOPIC_ONLY and _agency_tail(ctx, i, limit):
                i += 1
                parts[-1][1] = i
                continue
        if ("ل" in clitic or ctx.written[i].startswith("لل")) and _remit(ctx, start, current, norm, portfolio):
            # "وكيل وزارة الداخلية لشؤون الشرطة", "مساعد رئيس الأمن العام لشؤون العمليات": the post's
            # remit inside the body, not the body's name.
            i = agency.end if agency else i + 1  # "لقطاع الأمن العام", a sector the lexicon knows whole
            if i + 1 < limit and not ctx.labels(i) - _TOPIC_ONLY and _ARABIC_LETTERS.match(ctx.written[i]) \
                    and not ctx.written[i].startswith("ال") and ctx.written[i + 1].startswith("ال"):
                i += 1  # "لشؤون مكافحة الإرهاب": the remit's own genitive, not the body's name
            while i < limit and ctx.written[i].startswith(("ال", "وال")) and not ctx.labels(i) - _TOPIC_ONLY:
                i += 1
            if i + 1 < limit and ctx.norms[i] == _IN and (ctx.agency_head(i + 1) or ctx.hit(i + 1, "AGENCY")):
                i += 1  # "الوكيل المساعد لشؤون الأمن الجنائي في وزارة الداخلية": the body comes after
            continue
        if not posting and (agency or ctx.agencyish(i)):
            new_conjunct = clitic.startswith("و") and ("ل" in clitic or norm.startswith("ل") or ctx.agency_head(i))
            if new_conjunct and current is not None and "ل" not in clitic and _construct_institution(ctx, current[0]) \
                    and norm.removeprefix("ال") not in _INSTITUTION_HEADS:
                new_conjunct = False  # "هيئة الضرائب والجمارك": one body over two domains
            if len(parts) == 1 and clitic == "و" and ctx.written[i].startswith("وال") \
                    and (portfolio and (norm in _PORTFOLIO_DOMAINS or not ctx.agency_head(i))
                         or norm in _PORTFOLIO_DOMAINS and current is not None and ctx.norms[current[0]] in _SERVICE_HEADS):
                # "وزير الداخلية والأمن العمومي", "وزير الأمن والحماية المدنية": one ministry, two portfolios;
                # "جهاز الاستخبارات والأمن الوطني": one service, two remits.
                i = agency.end if agency else i + 1
                parts[-1][1] = i
                continue
            if current is not None and clitic.endswith("ب") and ctx.agency_head(i) and norm not in _MISSION_WORDS:
                # "مدير الشرطة القضائية بالمديرية العامة للأمن الوطني": the unit's parent agency names the post.
                parts.pop()
                current = None
            if current is None or new_conjunct:
                if current is not None:
                    current[1] = _trim(ctx, current[0], i)
                parts.append([i, None, None])
            i = agency.end if agency else i + 1
            parts[-1][1] = i
            continue
        tail = _tail_before_rank(ctx, i, limit) if current is not None and not posting else 0
        if tail:
            i = parts[-1][1] = tail
        break
    return i, country, [(a, _trim(ctx, a, b), c) for a, b, c in parts], posted_in


def _known_whole(ctx: DocContext, start: int, end: int) -> bool:
    """Do tokens start..end name an agency the lexicon knows whole? "مكتب الأمم المتحدة المعني بالمخدرات
    والجريمة لمنطقة الشرق الأوسط": then a genitive after it is the post's region, not more of the name."""
    known = ctx.hit(start, "AGENCY")
    return known is not None and known.end == end


_UNIT_WORDS = 3  # the most words of a unit the lexicon cannot name, before its parent body


def _parent_after_unit(ctx: DocContext, i: int, limit: int) -> int:
    """"مدير عام العلاقات الدولية في وزارة الداخلية": a unit the lexicon cannot name ("العلاقات الدولية"),
    then the body it belongs to; where that body's name starts, or 0."""
    k = i
    while k < limit and k - i < _UNIT_WORDS and ctx.written[k].startswith(("ال", "وال")) \
            and not ctx.labels(k) - _TOPIC_ONLY and ctx.norms[k] not in ctx.lex.time_words:
        k += 1
    if k == i or k + 1 >= limit:
        return 0
    if ctx.norms[k] == _IN and (ctx.agency_head(k + 1) or ctx.hit(k + 1, "AGENCY")):
        return k + 1
    return k if "ب" in ctx.clitics[k] and (ctx.agency_head(k) or ctx.hit(k, "AGENCY")) else 0


_TAIL_BEFORE_RANK = 4  # tokens
_NOT = normalize("غير")


def _tail_before_rank(ctx: DocContext, i: int, limit: int) -> int:
    """"مدير عام المديرية العامة لشؤون المخدرات والمؤثرات العقلية اللواء X", "قائد الأمن الداخلي في
    محافظة حلب العميد X": a second domain, or the body's territory, left between the body's name and the
    rank that opens its holder's name is still the body's name. Where that rank starts, or 0."""
    k = i
    if k < limit and ctx.written[k].startswith("وال") and not ctx.labels(k) - _TOPIC_ONLY:
        k += 1  # "والمؤثرات", then its adjectives
        while k < limit and k - i < _TAIL_BEFORE_RANK and ctx.written[k].startswith("ال") \
                and not ctx.labels(k) - _TOPIC_ONLY and ctx.norms[k] not in ctx.lex.function_words:
            k += 1
    elif k + 1 < limit and (ctx.norms[k] == _IN or "ب" in ctx.clitics[k]):
        j = k + 1 if ctx.norms[k] == _IN else k  # "في محافظة حلب", "بمحافظة حلب"
        place = ctx.hit(j + 1, "PLACE") if j + 1 < limit and ctx.written[j].lstrip("ب") in ctx.lex.stopwords else None
        if place is not None:
            k = place.end
    rank = ctx.hit(k, "HONORIFIC") if i < k < limit else None
    return k if rank is not None and rank.payload == "rank" else 0


_GENERIC_ADJECTIVES = frozenset(normalize(w) for w in ("العامة", "الوطنية", "المركزية", "العليا", "الجهوية",
                                                        "الإقليمية", "الفرعية"))
_DEPUTY_WORDS = frozenset(normalize(w) for w in ("وكيل", "الوكيل", "المساعد", "مساعد", "نائب", "النائب"))


# "مساعد مدير عام الدفاع المدني للعمليات": after a named body, the post's remit, like "لشؤون X".
_REMIT_NOUNS = frozenset(normalize(w) for w in ("العمليات",))


def _remit(ctx: DocContext, start: int, current: list | None, norm: str, ministry: bool) -> bool:
    """Is "لشؤون X" here the remit of a post rather than part of a body's name? After a named
    body, yes ("وزارة الداخلية لشؤون الشرطة", "وكيل الوزارة لشؤون الشرطة"), not after a bare head
    ("المديرية العامة لشؤون الهجرة"); with no body named, after a deputy's post ("الوكيل المساعد
    لشؤون الأمن الجنائي"). "لقطاع X" after a ministry is likewise the post's sector of it."""
    if norm in _SECTOR:
        return current is not None and (ministry or ctx.norms[current[0]] in (_MINISTRY, "ال" + _MINISTRY))
    if norm not in _AFFAIRS_FORMS and norm not in _REMIT_NOUNS:
        return False
    if current is None:
        return any(ctx.norms[k] in _DEPUTY_WORDS for k in range(max(0, start - 3), start))
    words = ctx.norms[current[0] + 1:current[1]]
    if not words:
        return ctx.written[current[0]].startswith("ال")  # "الوزارة": the ministry told of
    return not all(w in _GENERIC_ADJECTIVES for w in words)


def _portfolio_word(ctx: DocContext, i: int, limit: int) -> bool:
    """A minister's further portfolio: "وترقية" before an "ال" word, "والتنمية", "المحلية", none of them
    a lexicon word of another kind nor a common word ("والوفد", "وكبار المسؤولين" end the title)."""
    w = ctx.written[i]
    if ctx.labels(i) or w in ctx.lex.function_words or ctx.norms[i] in ctx.lex.function_words:
        return False
    if w.startswith("وال") or (w.startswith("ال") and not ctx.clitics[i]):
        return len(w) > 4
    nxt = ctx.written[i + 1] if i + 1 < limit else ""
    return w.startswith("و") and len(w) > 3 and nxt.startswith("ال") and not ctx.labels(i + 1) \
        and nxt not in ctx.lex.function_words


_BARE_HEADS = frozenset(normalize(w) for w in ("الجهاز", "المديرية", "الوزارة", "الإدارة", "القيادة", "المصلحة", "المكتب",
                                                 "الهيئة", "المنظمة", "الوكالة"))


def _told_agency(ctx: DocContext, start: int, end: int, before: int) -> tuple[int, int]:
    """"رئيس الجهاز": a head word alone stands for the agency of that kind named earlier in the article
    ("جهاز الأمن الوطني العراقي"); the span of that name, or the span given."""
    if end - start != 1 or ctx.norms[start] not in _BARE_HEADS:
        return start, end
    word = ctx.norms[start][2:]  # "جهاز" of "الجهاز"
    for k in reversed(ctx.hit_starts[:bisect_left(ctx.hit_starts, before)]):
        hit = ctx.hit(k, "AGENCY")
        if hit and hit.end - hit.start > 1 and ctx.norms[k] in (word, "ال" + word):
            return hit.start, hit.end
    if word == _MINISTRY:
        return start, end  # "الوزارة": the ministry told last, by name or by its minister (find_titles)
    # A name the lexicon does not know, told in full before: "رئيس الهيئة العامة للجمارك" ... "بالهيئة".
    for k in range(before - 1, -1, -1):
        if ctx.norms[k] in (word, "ال" + word) and not ctx.clitics[k].endswith("ل"):
            parts = _complement(ctx, k, ctx.sents[ctx.sent_of[k]][1])[2]
            if parts and parts[0][0] == k and parts[0][1] - k > 1:
                return k, parts[0][1]
    return start, end


def _agency_tail(ctx: DocContext, i: int, limit: int) -> bool:
    """An unknown "ال" word continues an agency name only if a name does not start right after it
    ("إدارة الحدود المتكاملة في ليبيا": the body's state or seat may follow)."""
    nxt = i + 1
    return nxt >= limit or ctx.is_punct(nxt) or ctx.written[nxt].startswith(("ال", "و", "ل", "ب")) \
        or bool(ctx.labels(nxt)) or (ctx.norms[nxt] == _IN and nxt + 1 < limit
                                     and (ctx.agency_head(nxt + 1) or bool(ctx.hit(nxt + 1, "COUNTRY", "PLACE"))))


def _trim(ctx: DocContext, start: int, end: int) -> int:
    # A part never ends on a posting word left over from the scan, nor on a bracketed acronym.
    while end > start:
        if ctx.norms[end - 1] in _POSTING_WORDS:
            end -= 1
        elif ctx.texts[end - 1] == ")" and "(" in ctx.texts[start:end - 1]:
            end = max(k for k in range(start, end - 1) if ctx.texts[k] == "(")
        else:
            break
    return end


def agencies_at(ctx: DocContext, start: int, limit: int) -> tuple[int, list[AgencyRef]]:
    """Agencies named from token `start` on ("المديرية العامة للأمن الوطني بالمغرب والمديرية ...")."""
    end, country, parts, _ = _complement(ctx, start, limit)
    refs = [agency_ref(ctx, a, b, "", c or (country if len(parts) == 1 else None)) for a, b, c in parts]
    return end, [r for r in refs if r]


class _Minister(NamedTuple):
    start: int  # token of the title
    portfolio: tuple[int, int]  # the tokens naming the ministry ("الداخلية")
    prefix: str  # the title's org prefix ("وزارة")
    country: str | None


def find_titles(ctx: DocContext) -> list[TitleMention]:
    titles = []
    lex = ctx.lex
    starts = ctx.starts_of("TITLE")  # titles start where title hits do: step through those alone
    k = 0
    last_minister: _Minister | None = None  # "وزير الداخلية العراقي", for a "الوزارة" named later
    home_minister: _Minister | None = None  # the last one whose state is unsaid: the article's own, for "الوزير"
    while k < len(starts):
        i = starts[k]
        hit = ctx.hit(i, "TITLE")
        if not hit or ctx.after_patronymic(i):
            k += 1  # "تركي بن مساعد الشهراني": after "بن" a father's name, not the post "مساعد"
            continue
        head = lex.titles[hit.payload]
        sent_end = ctx.sents[ctx.sent_of[i]][1]
        inner = ctx.hit(hit.end, "TITLE")
        role = head.role
        if inner and head.role in _PREFIX_ROLES and not ctx.clitics[hit.end]:
            # "مساعد وزير الداخلية", "نائب رئيس الحكومة": one post, named by the inner title, and
            # held by the deputy, not the head ("رئيس الأمن العام" later is not "مساعد رئيس الأمن العام").
            head = lex.titles[inner.payload]
            hit = inner
        of_ministry = normalize(head.org_prefix or "") == _MINISTRY
        after = hit.end + 1 if _post_adjective(ctx, hit.end, sent_end, of_ministry) else hit.end
        end, country, parts, posted_in = _complement(ctx, after, sent_end, head.org_prefix is None,
                                                     portfolio=of_ministry)
        agencies: list[AgencyRef] = []
        spans: list[tuple[int, int, str]] = []  # the tokens and prefix each agency was named from
        if head.org_prefix is not None:
            # "قائد الحدود والشرطة البحرية بالحرس المدني": a remit before the body served, not a unit of it.
            parent_at = next((a for a, _, _ in parts if "ب" in ctx.clitics[a] and ctx.agency_head(a)), None)
            for a, b, part_country in parts:
                if parent_at is not None and a < parent_at and head.org_prefix == "" and not ctx.agency_head(a) \
                        and not ctx.hit(a, "AGENCY") and not ctx.clitics[a]:
                    continue
                told = _told_agency(ctx, a, b, i)
                prefix = head.org_prefix if told == (a, b) else ""  # a name told in full takes no prefix
                if head.head == _DG_CONSTRUCT and told == (a, b) and not ctx.clitics[a] \
                        and not ctx.written[a].startswith("ال") and not ctx.agency_head(a) and not ctx.hit(a, "AGENCY"):
                    # "مدير عام مكافحة المخدرات": the construct names the field; the body is its directorate
                    # general ("المديرية العامة لمكافحة المخدرات"), as "مدير عام الأمن العام" names its body.
                    prefix = _DG_OF
                if head.head == _ADVISER and told == (a, b) and b - a >= 2 and ctx.norms[a] == _SECURITY \
                        and ctx.norms[a + 1] in _NATIONAL:
                    prefix = _ADVISERS_OFFICE  # "مستشار الأمن القومي": his body is "مستشارية الأمن القومي"
                if told == (a, b) and b - a == 1 and ctx.norms[a] == "ال" + _MINISTRY:
                    # "وكيل الوزارة لشؤون الشرطة": the ministry told last, by name ("بمقر وزارة الداخلية
                    # بالرباط") or by its minister ("وزير الداخلية العراقي").
                    named = _ministry_named_before(ctx, a)
                    if named is not None and (last_minister is None or named[0] > last_minister.start):
                        agencies.extend(named[1][:1])
                        spans.append((a, b, head.org_prefix))
                        continue
                    if last_minister is not None:
                        told, prefix = last_minister.portfolio, last_minister.prefix
                        part_country = part_country or last_minister.country
                ref = agency_ref(ctx, *told, prefix, part_country or country)
                if ref:
                    agencies.append(ref)
                    spans.append((a, b, head.org_prefix))
        if country is None:
            countries = {a.country for a in agencies if a.country}
            country = countries.pop() if len(countries) == 1 else None
        if country is None and posted_in and head.org_prefix is not None:
            country = posted_in  # "رئيس الأمن الجهوي بطنجة": a post at home; an envoy's posting says nothing of his own
        country = country or head.country  # "المفتش العام للشرطة والجمارك" is Oman's
        if agencies and country:
            agencies = [a if a.country else agency_ref(ctx, start, stop, prefix or "", country) or a
                        for a, (start, stop, prefix) in zip(agencies, spans)]
        if head.agency:
            # "المفتش العام للشرطة والجمارك" heads Oman's police; "... للعمليات" after it is his remit.
            agencies = [_post_agency(lex, head.agency)]
        # "مساعد الوزير لقطاع الأمن العام": a sector of the ministry of the minister told before.
        of_sector = of_ministry and bool(parts) and hit.end - hit.start == 1 and ctx.written[hit.start] == _THE_MINISTER \
            and ctx.written[parts[0][0]].startswith("ل") and ctx.agency_head(parts[0][0])
        if of_sector and agencies:
            ministry = _ministry_told_before(ctx, i, home_minister, country)
            if ministry is not None and ministry.key not in {a.key for a in agencies}:
                agencies = [*agencies, ministry]
        if not agencies and role == "undersecretary" and hit.end < sent_end and ctx.written[hit.end] in _REMIT_WORDS:
            # "والوكيل المساعد لشؤون الأمن الجنائي X", after "وكيل وزارة الداخلية": a remit, and no body
            # named: the ministry told before.
            ministry = _ministry_told_before(ctx, i, home_minister, country)
            if ministry is not None:
                agencies = [ministry]
        if head.role == "governor" and end < sent_end:
            end, country = _territory(ctx, end, country)
        field_at = end if ctx.norms[end - 1] == _IN else end + 1 if end < sent_end and ctx.norms[end] == _IN else None
        if head.domain == "other" and head.org_prefix is None and field_at is not None:
            # "الباحث في الشؤون العسكرية محمد X": the field of an expert is his title, and the name follows.
            k = field_at
            while k < sent_end and ctx.written[k].startswith(("ال", "وال")) and not ctx.labels(k) - _TOPIC_ONLY \
                    and ctx.written[k] not in ctx.lex.function_words:
                k += 1
            end = k if field_at < k < sent_end and ctx.nameable(k) else end  # a name follows the field
        adjective = ctx.hit(end, "TITLE") if end < sent_end else None
        if adjective and lex.titles[adjective.payload].role == "deputy" and ctx.written[end].startswith("ال"):
            # "وكيل وزارة الداخلية المساعد لقطاع ...": an adjective of this post, and its department.
            end = _complement(ctx, adjective.end, sent_end)[0]
        if of_ministry and parts and ctx.norms[parts[0][0]] != "ال" + _MINISTRY:
            last_minister = _Minister(i, parts[0][:2], head.org_prefix or "", country)  # "وزارة": of_ministry
            if country is None and not of_sector:
                home_minister = last_minister
        shown = end  # the tokens stay the title's, so that no name is read in them ("في وقت لاحق")
        while shown > hit.end and ctx.norms[shown - 1] in _POSTING_WORDS:
            shown -= 1  # "استقبل وزير الداخلية في وقت لاحق": the post is told without a preposition leading nowhere
        if shown - 3 >= hit.end and ctx.texts[shown - 3] in _OPEN_QUOTES \
                and ctx.texts[shown - 1] == _CLOSE_QUOTES[ctx.texts[shown - 3]]:
            shown -= 3  # the quoted short name of the body is not shown in the post
        if head.org_prefix is None and not agencies and country:
            mission = _mission_named(ctx, after, shown, country)
            agencies = [mission] if mission else agencies
        text = _display(ctx, i, shown)
        titles.append(TitleMention(i, end, head.head, role, text, country, agencies,
                                   ctx.clitics[i].startswith("و"), posted_in=posted_in))
        k = bisect_left(starts, max(end, hit.end))
    return titles


def _mission_named(ctx: DocContext, start: int, end: int, country: str) -> AgencyRef | None:
    """The embassy or consulate a diplomat's title names, as written: "الملحق الأمني بسفارة إسبانيا
    بالرباط", "القائم بأعمال السفارة المصرية في طرابلس". An envoy's title that names none
    ("سفير إسبانيا بالرباط") gives no mission: the post is the state's, not a body's."""
    at = next((k for k in range(start, end) if ctx.norms[k] in _MISSION_WORDS), None)
    if at is None:
        return None
    name = _display(ctx, at, end)
    return AgencyRef(f"{_key_core(name)}|{country}", name, name, country, name, True, None)


_IN_THE_NAME_OF = normalize("باسم")
_ON_BEHALF = frozenset(normalize(w) for w in ("نيابة", "بالنيابة", "ونيابة"))
_ON_BEHALF_FROM = normalize("عن")


def _on_behalf_of(ctx: DocContext, i: int) -> bool:
    """"وشح X، باسم رئيس جمهورية كوت ديفوار، الفريق Y", "نيابة عن وزير الداخلية": the post of someone
    absent, for whom another acts; not the post of the name that follows."""
    if i > 0 and ctx.written[i - 1] == _IN_THE_NAME_OF:
        return True
    return i > 1 and ctx.written[i - 1] == _ON_BEHALF_FROM and ctx.written[i - 2] in _ON_BEHALF


_REMIT_WORDS = frozenset(normalize(w) for w in ("لشؤون", "لقطاع"))  # "الوكيل المساعد لشؤون ...", not "الوكيل العام للملك"
_FORMER = frozenset(normalize(w) for w in ("السابق", "السابقة"))


def _post_adjective(ctx: DocContext, i: int, sent_end: int, of_ministry: bool = False) -> bool:
    """"نائب المدير العملياتي للحرس المدني الإسباني": an adjective the lexicon does not know, right after
    the post's head and before the body it serves (behind ل), still the post."""
    w = ctx.written[i] if i < sent_end else ""
    deputy = ctx.hit(i, "TITLE")  # "الأمين العام المساعد لجامعة الدول العربية": the deputy's post, of that body
    if deputy and (deputy.end != i + 1 or ctx.lex.titles[deputy.payload].role != "deputy" or ctx.labels(i) != {"TITLE"}):
        deputy = None
    if len(w) < 5 or not w.startswith("ال") or (ctx.labels(i) and not deputy) or i + 1 >= sent_end or w in _FORMER:
        return False  # "السابق": no post now
    if not of_ministry and ctx.clitics[i + 1].endswith("ل") and ctx.hit(i + 1, "AGENCY"):
        # "الممثلة الإقليمية لمكتب الأمم المتحدة ...": before a body the lexicon knows whole; after a
        # minister's title the word is his portfolio ("وزير الداخلية لقطاع الأمن العام").
        return True
    if w in ctx.lex.function_words or ctx.agencyish(i):
        return False  # "وزير الداخلية لقطاع ...": the portfolio, not an adjective
    return ctx.clitics[i + 1].endswith("ل") and ctx.agencyish(i + 1)


def _ministry_told_before(ctx: DocContext, before: int, minister: _Minister | None,
                          country: str | None) -> AgencyRef | None:
    """The home ministry told last before token `before`, its state unsaid: by its name ("بمقر وزارة
    الداخلية") or by its minister. A foreign minister's ("وزير حماية المواطن اليوناني") is not "الوزير"."""
    named = _ministry_named_before(ctx, before)
    if named is not None and named[1][0].country is None and (minister is None or named[0] > minister.start):
        ministry: AgencyRef | None = named[1][0]
    elif minister is not None:
        ministry = agency_ref(ctx, *minister.portfolio, minister.prefix, country)
    else:
        return None
    return ministry.localized(country, ctx.lex) if ministry is not None and country else ministry


def _post_agency(lex, aid: str) -> AgencyRef:
    """The lexicon agency a post listed whole heads (titles.jsonl's `agency`), named as the lexicon names it."""
    agency = lex.agencies[aid]
    name = strip_marks(agency.name)
    return AgencyRef(f"{_key_core(name)}|{agency.country or ''}", name, name, agency.country, name, _feminine(name),
                     agency.country)


def _ministry_named_before(ctx: DocContext, before: int) -> tuple[int, list[AgencyRef]] | None:
    """The last ministry named by its own name ("وزارة الداخلية بالرباط") before token `before`."""
    positions = ctx.memo.get("ministry_words")
    if positions is None:
        positions = ctx.memo["ministry_words"] = [i for i, norm in enumerate(ctx.norms) if norm == _MINISTRY]
    k = bisect_left(positions, before) - 1
    if k < 0:
        return None
    start = positions[k]
    refs = agencies_at(ctx, start, min(before, ctx.sents[ctx.sent_of[start]][1]))[1]
    return (start, refs) if refs else None


def _territory(ctx: DocContext, end: int, country: str | None) -> tuple[int, str | None]:
    """"محافظ الإسكندرية", "أمير منطقة مكة المكرمة": the place right after a governor's title is
    what he governs, part of the title (not where a meeting is held); its country is his."""
    place = ctx.hit(end, "PLACE")
    if place is None or "ب" in ctx.clitics[end]:
        return end, country
    return place.end, country or ctx.lex.places[place.payload].country


# --- names -------------------------------------------------------------------------------------
def _name_run(ctx: DocContext, start: int, taken: set[int]) -> int:
    """End of the run of name tokens starting at `start` (== start when there is none)."""
    n = len(ctx.texts)
    sent_end = ctx.sents[ctx.sent_of[start]][1] if start < n else start
    i = start
    latin = ctx.is_latin(start) if start < n else False
    while i < sent_end and i - start < MAX_NAME_TOKENS and i not in taken:
        if i - start >= 2 and any(h.label == "TRIGGER" and h.payload == "award:noun" for h in ctx.hits_at.get(i, ())):
            break  # "سفير الكويت فهد الظفيري وسام النيلين": the medal after a full name ("وسام" opens names only)
        if ctx.nameable(i) and ctx.is_latin(i) == latin:
            i += 1
            continue
        if i > start and _honorific_in_name(ctx, start, i, sent_end):
            i += 1
            continue
        if i > start and _hyphen_in_name(ctx, i, sent_end, latin):
            i += 1  # "جان-بيير لوميتر": the hyphen of a compound given name
            continue
        if _family_name_of_nationality(ctx, start, i, sent_end, latin) or _family_name_like_article(ctx, start, i, sent_end) \
                or _family_name_of_place(ctx, start, i, sent_end, latin) or _family_name_like_adjective(ctx, start, i, sent_end) \
                or _family_name_after_waw(ctx, start, i, sent_end, latin) \
                or _family_name_like_time_word(ctx, start, i, sent_end, latin):
            i += 1
            break
        if not latin and _common_word_in_name(ctx, start, i, sent_end):
            i += 2
            break
        break
    if _east_asian_syllable(ctx, start, i, sent_end, taken):
        return i + 1
    # A name does not end on a particle ("بن", "عبد").
    while i > start and ctx.norms[i - 1] in NAME_PARTICLES and not _syllables(ctx, start, i):
        i -= 1
    return i


def _common_word_in_name(ctx: DocContext, start: int, i: int, sent_end: int) -> bool:
    """"اللواء حيدر صباح الكناني", "نضال راتب المجالي", "أوغوز كرم أيدن": a father's name spelled like
    a common word, between a given name and a family name that closes the name before a pause or a post."""
    # "مامادو لامين ديوب": read as ل + أمين, a post; between two names it is the father's name.
    lam = ctx.clitics[i] == "ل" and not ctx.written[i].startswith("لل")
    if i == start or i - start > 2 or (ctx.clitics[i] and not lam) or ctx.written[i].startswith("ال") \
            or len(ctx.written[i]) < 3 or ctx.written[start].startswith("ال"):
        return False  # a given name opens the name: "الهاربين خارج البلاد" is no one
    if ctx.labels(i) - {"TRIGGER", *(("TITLE",) if lam else ())} or not _ARABIC_LETTERS.match(ctx.texts[i]):
        return False
    last, after = i + 1, i + 2
    if last >= sent_end or not ctx.nameable(last) or ctx.is_latin(last):
        return False
    if ctx.norms[last] in ctx.lex.stopwords or not (ctx.written[last].startswith("ال")
                                                    or ctx.norms[last] not in ctx.lex.vocabulary):
        return False
    return after >= sent_end or ctx.is_punct(after) or bool(ctx.hit(after, "TITLE", "HONORIFIC"))


def _syllables(ctx: DocContext, start: int, end: int) -> bool:
    """A run of short Arabic-script words, as Chinese and Korean names are written ("هوانغ جين بو")."""
    return end - start >= 3 and all(len(ctx.written[k]) <= 5 and not ctx.clitics[k] for k in range(start, end)) \
        and not any(ctx.written[k].startswith("ال") or ctx.norms[k] in _ARAB_PARTICLES for k in range(start, end))


def _east_asian_syllable(ctx: DocContext, start: int, i: int, sent_end: int, taken: set[int]) -> bool:
    """"تشو جي هو، رئيس ...", "هوانغ جين بو سفير ...": the last syllable of such a name may read as a
    pronoun or particle; before a post or a pause it is still the name."""
    if i >= sent_end or i in taken or i - start < 2 or len(ctx.written[i]) > 3 or ctx.clitics[i] or ctx.labels(i):
        return False
    if not _ARABIC_LETTERS.match(ctx.texts[i]) or not _syllables(ctx, start, i + 1):
        return False
    nxt = i + 1
    return nxt >= sent_end or ctx.is_punct(nxt) or bool(ctx.hit(nxt, "TITLE"))


def _name_after_homograph(ctx: DocContext, start: int, taken: set[int]) -> int:
    """After an honorific, a given name spelled like a common word ("السيدة إلينا روبيو": إلينا is
    also "to us") when a name runs on after it; short particles ("السيد في كلمته") are not names."""
    # "العميد وسام جورج حداد": after a rank, the medal word is a given name.
    medal = ctx.labels(start) == {"TRIGGER"} and all(h.payload == "award:noun" for h in ctx.hits_at.get(start, ()))
    if start + 1 >= len(ctx.texts) or start in taken or len(ctx.written[start]) < 4 or ctx.clitics[start] \
            or (ctx.labels(start) and not medal) or not _ARABIC_LETTERS.match(ctx.texts[start]):
        return start
    end = _name_run(ctx, start + 1, taken)
    # A word of four letters ("اللواء أشرف رفعت المنياوي": أشرف is also "supervised") needs a full name after it.
    return end if end > start + (1 if len(ctx.written[start]) >= 5 else 2) else start


def _family_name_of_nationality(ctx: DocContext, start: int, i: int, sent_end: int, latin: bool) -> bool:
    """"عبدالله خليفة السويدي القائد العام": a nationality adjective closing a name of two words or
    more, before a pause or a post, is the family name (an adjective of the post comes after the post)."""
    if latin or i - start < 2 or ctx.labels(i) != {"NATIONALITY"} or ctx.clitics[i]:
        return False
    if any(ctx.written[k].startswith("و") and len(ctx.written[k]) > 4 and ctx.written[k][1:2] in "يت"
           for k in range(start, i)):
        return False  # a verb joined by و ("ويخدم المواطن الفلسطيني"): a clause, not a name
    hit = ctx.hit(i, "NATIONALITY")
    if hit is None or hit.end != i + 1 or not ctx.written[i].startswith("ال"):
        return False
    nxt = i + 1
    return nxt >= sent_end or ctx.is_punct(nxt) or bool(ctx.hit(nxt, "TITLE", "HONORIFIC"))


def _hyphen_in_name(ctx: DocContext, i: int, sent_end: int, latin: bool) -> bool:
    if ctx.texts[i] != "-" or i + 1 >= sent_end or not ctx.nameable(i + 1) or ctx.is_latin(i + 1) != latin:
        return False
    return not ctx.doc[i - 1].whitespace_ and not ctx.doc[i].whitespace_


def _family_name_of_place(ctx: DocContext, start: int, i: int, sent_end: int, latin: bool) -> bool:
    """"فابريتسيو كولومبو (Fabrizio Colombo)": a city's name right after a given name, with no
    preposition and before a pause or the name in Latin letters, is the family name."""
    if latin or i == start or ctx.clitics[i] or ctx.labels(i) != {"PLACE"}:
        return False
    place = ctx.hit(i, "PLACE")
    nxt = i + 1
    return place is not None and place.end == nxt and (nxt >= sent_end or ctx.texts[nxt] == "(" or ctx.is_comma(nxt))


def _family_name_like_article(ctx: DocContext, start: int, i: int, sent_end: int) -> bool:
    """"لوكا بالديني", "إيميليو فالنتي": after a given name, a last word that reads like a preposition
    and the article ("بال", "فال", "وال") but is no word the lexicon knows, before a pause."""
    w = ctx.written[i]
    if i - start != 1 or ctx.clitics[i] or ctx.labels(i) or len(w) < 6 or not w.startswith(("بال", "فال", "وال")):
        return False
    if not _ARABIC_LETTERS.match(ctx.texts[i]) or normalize(w[1:]) in ctx.lex.vocabulary:
        return False
    nxt = i + 1
    return nxt >= sent_end or ctx.is_punct(nxt) or ctx.clitics[nxt].startswith("و") or bool(ctx.labels(nxt))


def _family_name_like_adjective(ctx: DocContext, start: int, i: int, sent_end: int) -> bool:
    """"الفريق ركن عثمان محجوب الطيب، نيابة عن ...": a family name spelled like an adjective with its
    article ("الطيب", "الصالح"), closing a name of two words or more right before a comma."""
    w = ctx.written[i]
    if i - start < 2 or ctx.clitics[i] or ctx.labels(i) or len(w) < 5 or not w.startswith("ال") \
            or ctx.norms[i] in ctx.lex.function_words or not _ARABIC_LETTERS.match(ctx.texts[i]):
        return False
    if ctx.written[start].startswith("ال"):
        return False
    nxt = i + 1
    return nxt < sent_end and ctx.is_comma(nxt)


def _family_name_after_waw(ctx: DocContext, start: int, i: int, sent_end: int, latin: bool) -> bool:
    """"عبدي فارح ورسمي مدير جهاز ...": a family name that reads as و + a word ("رسمي", official), closing
    a name of two words or more before a pause or a post, is a name when the article calls him by it
    after an honorific ("السيد ورسمي"), where no conjunction could stand."""
    w = ctx.written[i]
    if latin or i - start < 2 or ctx.clitics[i] != "و" or w.startswith("وال") or len(w) < 4 \
            or not _ARABIC_LETTERS.match(ctx.texts[i]):
        return False
    nxt = i + 1
    if not (nxt >= sent_end or ctx.is_punct(nxt) or ctx.hit(nxt, "TITLE")):
        return False
    return any(j != i and j > 0 and "HONORIFIC" in ctx.labels(j - 1) and not ctx.nameable(j - 1)
               for j in ctx.positions_of({w}))


# Words that open a phrase of place, time or company after a name ("... الصباح في ديوان الوزارة").
_PHRASE_OPENERS = frozenset(normalize(w) for w in ("في", "مع", "خلال", "لدى", "على", "إلى", "عن", "من", "بمقر"))
_TIME_ADVERBS = frozenset(normalize(w) for w in ("اليوم", "الليلة"))  # "استقبل الشيخ فهد يوسف اليوم في ...": today, never a name


def _family_name_like_time_word(ctx: DocContext, start: int, i: int, sent_end: int, latin: bool) -> bool:
    """"الشيخ فهد يوسف الصباح في ديوان الوزارة": a family name spelled like a word of time with its
    article ("الصباح", the morning), closing a name of two words or more that follows an honorific,
    before a pause, a preposition or a post ("صباح اليوم" and "الشهر الماضي" run on instead)."""
    w = ctx.written[i]
    if latin or i - start < 2 or ctx.clitics[i] or not w.startswith("ال") or ctx.norms[i] not in ctx.lex.time_words:
        return False
    if start == 0 or "HONORIFIC" not in ctx.labels(start - 1) or w in _TIME_ADVERBS \
            or any(ctx.written[k].startswith("ال") for k in range(start, i)):
        return False  # "سالم نواف الدبوس اليوم": a family name is there already
    nxt = i + 1
    return nxt >= sent_end or ctx.is_punct(nxt) or bool(ctx.hit(nxt, "TITLE")) \
        or ctx.norms[nxt] in _PHRASE_OPENERS or ctx.clitics[nxt] in ("ب", "ل")


def _honorific_in_name(ctx: DocContext, start: int, i: int, sent_end: int) -> bool:
    """A word that looks like an honorific inside a running name: "عادل السيد عبد العزيز",
    "محمود عبد الله السيد،", "ماجد بن يوسف آل الشيخ". Before a second name it is that person's title,
    unless the run so far is a single given name."""
    hit = ctx.hit(i, "HONORIFIC")
    if not hit or hit.end != i + 1 or hit.payload == "rank":
        return False
    if ctx.norms[i - 1] in _NAME_BEFORE_HONORIFIC:
        return True  # آل الشيخ، عبد الأمير
    following = i + 1 < sent_end and ctx.nameable(i + 1) and not ctx.hit(i + 1, "HONORIFIC")
    if following:
        return i - start == 1 and not ctx.written[start].startswith("ال")  # "الكتبي السيد X": a family name, then X
    # "ياسر القاضي،": after a given name alone too, where the name ends.
    run = i - start >= 2 or not ctx.written[start].startswith("ال")
    return run and (i + 1 >= sent_end or ctx.is_punct(i + 1) or bool(ctx.hit(i + 1, "TITLE")))


_LATIN_PARTICLES = frozenset({"bin", "binti", "ibn", "al", "el", "de", "da", "di", "del", "della", "dos", "das", "du",
                              "van", "von", "der", "den", "le", "la", "y"})


def _latin_part(ctx: DocContext, k: int) -> bool:
    """A word of a name in Latin letters, a lower-case particle before another included ("Azman bin Hussin")."""
    return ctx.is_latin(k) or (ctx.texts[k] in _LATIN_PARTICLES and k + 1 < len(ctx.texts) and ctx.is_latin(k + 1))


def _latin_after(ctx: DocContext, end: int) -> tuple[int, str | None]:
    """A Latin-script rendering right after an Arabic name: "نيكولا لورنر Nicolas Lerner"."""
    i, n = end, len(ctx.texts)
    opened = i < n and ctx.texts[i] == "("
    if opened:
        i += 1
    j = i
    while j < n and _latin_part(ctx, j) and j - i < 6:
        j += 1
    if j - i >= 2 or (j - i == 1 and opened):
        stop = j + 1 if opened and j < n and ctx.texts[j] == ")" else j
        return stop, " ".join(ctx.texts[k] for k in range(i, j))
    return end, None


_RANK_QUALIFIERS = frozenset(normalize(w) for w in ("شرطة", "ركن", "الركن", "بحري", "طيار", "مهندس", "حقوقي",
                                                   "المتقاعد", "المتقاعدة", "متقاعد"))  # "اللواء المتقاعد X": retired


def _honorific_chain_end(ctx: DocContext, i: int) -> int:
    n = len(ctx.texts)
    while True:
        h = ctx.hit(i, "HONORIFIC")
        if not h:
            return i
        i = h.end
        if h.payload != "rank":
            continue
        # "الفريق شرطة (حقوقي) X", "اللواء (م) X": the rank's service or status, not the name.
        while i < n and ctx.written[i] in _RANK_QUALIFIERS:
            i += 1
        if i + 2 < n and ctx.texts[i] == "(" and ctx.texts[i + 2] == ")" and len(ctx.written[i + 1]) <= 6 \
                and not ctx.is_latin(i + 1):
            i += 3


def _met_with_before(ctx: DocContext, start: int) -> bool:
    """A "brought together with" verb ("جمعه") earlier in the clause, whose complement takes ب."""
    lo = ctx.sents[ctx.sent_of[start]][0]
    verb = next((k for k in range(start - 1, max(lo, start - 12) - 1, -1) if ctx.written[k] in _MET_WITH), None)
    # Unless the ب went to a post before the name ("جمعه بنظيره المالطي بايرون ...").
    return verb is not None and not any(ctx.written[k].startswith("ب") and ctx.hit(k, "TITLE")
                                        for k in range(verb + 1, start))


def _agency_complement(ctx: DocContext, start: int, end: int) -> bool:
    """"بمقر وزارة الدفاع الوطني، قائد القوات ...": words of an agency's name after its head word
    ("وزارة"), not the name of the one who holds the post after the comma."""
    return start > 0 and ctx.agency_head(start - 1) and all(ctx.agencyish(k) for k in range(start, end))


class _Builder:
    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self.persons: list[Person] = []
        self.by_form: dict[str, int] = {}
        self.mentions: list[tuple[int, int, int]] = []
        self.taken: set[int] = set()

    def add(self, start: int, end: int, honorific: str = "", list_item: bool = False) -> int | None:
        ctx = self.ctx
        if end <= start:
            return None
        form = " ".join(strip_marks(ctx.texts[i]) for i in range(start, end)).replace(" - ", "-")
        if ctx.clitics[start] and ctx.norms[start] == "عبد":
            form = form[len(ctx.clitics[start]):]  # "لعبد اللطيف" -> "عبد اللطيف"
        elif form.startswith("ب") and len(form.split()[0]) > 3 and _met_with_before(ctx, start):
            form = form[1:]  # "خلال لقاء جمعه اليوم بمقر القيادة بفيكرام سينغ": the preposition of "met with"
        elif list_item and form.startswith("و") and start > 0 and ctx.is_comma(start - 1) and len(form.split()[0]) > 3 \
                and normalize(form.split()[0]) not in ctx.lex.waw_names:
            form = form[1:]  # "، وسعاد الحمداوي": the conjunction of a list, not the name
        key = normalize(form)
        pid = self.by_form.get(key)
        if pid is None:
            pid = self._match_existing(key)
        if pid is None:
            pid = len(self.persons)
            self.persons.append(Person(pid, first=start, honorific=honorific))
        person = self.persons[pid]
        if form not in person.forms:
            person.forms.append(form)
        self.by_form[key] = pid
        self.mentions.append((start, end, pid))
        self.taken.update(range(start, end))
        stop, latin = _latin_after(ctx, end)
        if latin:
            if latin not in person.latin:
                person.latin.append(latin)
            self.taken.update(range(end, stop))
        return pid

    def _match_existing(self, key: str) -> int | None:
        """A shorter or longer form of a person already seen: family name alone, or first + last."""
        words = key.split()
        best = None
        for pid, person in enumerate(self.persons):
            for form in person.forms:
                fw = normalize(form).split()
                shorter, longer = (words, fw) if len(words) <= len(fw) else (fw, words)
                if len(shorter) == 1 and len(shorter[0]) < 3:
                    continue
                if longer[-len(shorter):] == shorter or shorter == _first_surname(longer) or (
                        len(shorter) >= 2 and shorter[0] == longer[0] and shorter[-1] == longer[-1]):
                    if best is not None and best != pid:
                        return None  # ambiguous: two persons share that form
                    best = pid
        return best


def _first_surname(words: list[str]) -> list[str]:
    """The first of two family names ("خابيير مولينا روميرو" is "مولينا"), in a name of three
    words none of which is Arabic in form (no article, no بن/عبد/آل/ولد), as Spanish and
    Portuguese names go."""
    if len(words) == 3 and len(words[1]) >= 4 and not any(w.startswith("ال") or w in NAME_PARTICLES for w in words):
        return words[1:2]
    return []


def _holder_before_post(ctx: DocContext, t: TitleMention, ends: dict[int, int]) -> int | None:
    """"X، الذي يشغل منصب TITLE" / "X بصفته TITLE": the title is X's."""
    cue_end = t.start
    for k in range(t.start - 1, max(0, t.start - 5), -1):
        hit = ctx.hit(k, "CUE")
        if hit and hit.payload == "holds_post" and hit.end == cue_end:
            before = k - 1 if ctx.is_comma(k - 1) else k
            return ends.get(before)
    return None


def _bind(titles: list[TitleMention], builder: _Builder, ctx: DocContext) -> None:
    """Attach each title to the name it stands beside."""
    ends = {m[1]: m[2] for m in builder.mentions}
    starts = {m[0]: m[2] for m in builder.mentions}
    previous: TitleMention | None = None
    previous_person: int | None = None
    introduced: set[int] = set()  # name starts that a title before them already claimed
    for t in titles:
        if _on_behalf_of(ctx, t.start):
            previous, previous_person = t, None  # the post of someone absent: no name here is his
            continue
        chained = previous is not None and previous.person is not None and previous.end == t.start
        holder = _holder_before_post(ctx, t, ends)
        previous = t
        if chained or holder is not None:
            # "نائب رئيس مجلس الوزراء وزير الداخلية": a second post of the same person.
            t.person = holder if holder is not None else previous_person
            previous_person = t.person
            continue
        after = t.end
        # "وقع المدير العام للأمن الوطني والعقيد X": a rank behind و starts another person.
        conjunct = after < len(ctx.texts) and ctx.clitics[after].startswith("و") and bool(ctx.hit(after, "HONORIFIC"))
        tight = None if conjunct else starts.get(_honorific_chain_end(ctx, after))
        comma_after = None
        if ctx.is_comma(after):
            comma_after = starts.get(_honorific_chain_end(ctx, after + 1))
        name_end = t.start if t.start in ends or not ctx.is_comma(t.start - 1) else t.start - 1
        name_end = _before_latin_rendering(ctx, name_end)
        before = ends.get(name_end)
        before_start = next((m[0] for m in builder.mentions if m[1] == name_end), None)
        # "X، TITLE، Y": when a title already introduced X, this one is Y's. A title behind a
        # proclitic ("ونظيره", "لرئيس") starts a new argument and is never an apposition.
        # "X، TITLE، والمراقب العام Y": a name behind و is the next of a list; the title between is X's.
        listed_after = comma_after is not None and ctx.clitics[after + 1].startswith("و")
        # "استقبل وزير الداخلية X المسؤول الألماني": a generic title that follows, unset by a comma, a
        # name a title introduced is another person's (the object), not an apposition. (A full post
        # there may be the name's: "التقى وزير الداخلية الفريق X المفتش العام للشرطة الأوغندية".)
        if t.role == "counterpart" or t.conjoined or ctx.clitics[t.start] or (
                before_start in introduced and (comma_after is not None and not listed_after
                                                or name_end == t.start and t.role in GENERIC_ROLES
                                                or _other_kind(ctx, t, titles, before))) \
                or name_end == t.start and _other_state(t, titles, before, before_start == name_end - 1):
            before = None
        if tight is not None and before is not None and name_end == t.start and before_start \
                and before_start not in introduced and "HONORIFIC" in ctx.labels(before_start - 1) \
                and _honorific_chain_end(ctx, after) > after:
            # "قلدت سعادة X سفيرة البرازيل معالي اللواء Y": each name comes with its honorific, and the
            # post between them follows the first, its holder; the second is the verb's object.
            tight = None
        pid = tight if tight is not None else before if before is not None else comma_after
        if pid is not None:
            t.person = pid
            if pid in (tight, comma_after) and pid != before:
                introduced.update(m[0] for m in builder.mentions if m[2] == pid and m[0] >= t.end and m[0] <= t.end + 4)
        previous_person = t.person


def _before_latin_rendering(ctx: DocContext, end: int) -> int:
    """"إلينا كاستيو (Elena Castillo)، المديرة العامة": the name ends before its rendering in brackets."""
    if end < 2 or ctx.texts[end - 1] != ")":
        return end
    k = end - 2
    while k > max(0, end - 8) and _latin_part(ctx, k):
        k -= 1
    return k if ctx.texts[k] == "(" and k < end - 2 else end


def _bind_title_chains(titles: list[TitleMention], ctx: DocContext) -> None:
    """"رئيس الشرطة الإيطالية، المدير العام للأمن العمومي، المحافظ X": posts in a row, set off by
    commas, before a name are all that person's (a post already bound to a name before it stays so).
    So are two posts side by side that open a new conjunct: "بحضور X، ووالي الأمن مدير الشرطة
    القضائية، السيد Y" (without the و, "استقبل وزير الداخلية سفير فرنسا Y" is two persons)."""
    for k in range(len(titles) - 2, -1, -1):
        t, after = titles[k], titles[k + 1]
        if t.person is not None or after.person is None:
            continue
        envoys = [ctx.lex.titles[x.head].domain == "diplomatic" for x in (t, after)]
        if (after.start == t.end + 1 and ctx.is_comma(t.end) and envoys[0] == envoys[1]) \
                or (after.start == t.end and t.conjoined and not after.conjoined):
            # An envoy's post beside another kind is another person's: "نيابة عن ... القائد العام للقوات
            # المسلحة، سفير جمهورية مصر ... السفير X".
            t.person = after.person
        elif after.start == t.end and not t.agencies and t.country is None and not after.conjoined \
                and normalize(t.text) == normalize(t.head) \
                and ctx.lex.titles[t.head].domain != "diplomatic" and ctx.lex.titles[after.head].domain != "diplomatic":
            # "المدير العام آمر الحرس الوطني العميد X": a bare post that names no body, and the post right
            # after it, are one person's.
            t.person = after.person
        elif after.start == t.end and after.head == t.head and after.end - after.start == 1 and t.end - t.start > 1 \
                and not after.conjoined and not ctx.clitics[after.start]:
            # "سفير جمهورية مصر العربية لدى السودان السفير X": the bare post again, as a rank before the name.
            t.person = after.person


def _other_kind(ctx: DocContext, t: TitleMention, titles: list[TitleMention], pid: int | None) -> bool:
    """"استقبل المدير العام للأمن الوطني، X، سفير اليابان": an envoy's post after a security chief's
    name is the next person's, not a second post of X."""
    domain = ctx.lex.titles[t.head].domain
    held = {ctx.lex.titles[x.head].domain for x in titles if x.person == pid and x is not t}
    return bool(held) and (domain == "diplomatic") != ("diplomatic" in held)


def _other_state(t: TitleMention, titles: list[TitleMention], pid: int | None, family_name: bool) -> bool:
    """"قلد اللواء السويدي المفوض العام الكوري": a post of one state, right after the name of one who
    holds a post of another, is the next person's (the verb's object), not a second post of his.
    Where his posts' state is unsaid yet, only after his family name alone: in full, a name and a
    post side by side are one person ("وانغ جيان مينغ نائب وزير الأمن العام")."""
    if pid is None or t.country is None:
        return False
    held: set[str] = set()
    heads: set[str] = set()
    for x in titles:
        if x.person == pid and x is not t:
            held.update(c for c in (x.country, *(a.country for a in x.agencies)) if c)
            heads.add(x.head)
    # His posts' state unsaid yet ("القائد العام لشرطة دبي"): another post than his, told with a state.
    return t.country not in held if held else family_name and bool(heads) and t.head not in heads


def _title_fit(t: TitleMention, p: Person) -> int:
    """How well a bare title fits a named person: 0 (not at all) to 5 (the same post in the same body).
    A module function, not a closure: a closure and its cell would make a reference cycle per call."""
    t_agencies = {a.core for a in t.agencies}
    t_feminine = _feminine_post(t.text)
    home = p.home()  # said, or the one state whose agency the person serves
    if not p.forms or (t.country and home != t.country):
        return 0  # a title that names its country only fits a person known to be from it
    if p.titles and all(_feminine_post(x.text) != t_feminine for x in p.titles):
        return 0  # "المسؤول المغربي" is not "سفيرة المملكة المغربية"
    p_agencies = {a.core for x in p.titles for a in x.agencies}
    if t.role not in GENERIC_ROLES and t_agencies and any(normalize(x.text).startswith(normalize(t.text) + " ")
                                                          for x in p.titles):
        return 5  # "مدير عام الأمن العام" again, after "مدير عام الأمن العام بوزارة الداخلية": his post, shortened
    if t_agencies & p_agencies:
        # "رئيس الأمن العام" is its head rather than "مساعد رئيس الأمن العام".
        return 5 if any(x.role == t.role and {a.core for a in x.agencies} & t_agencies
                        for x in p.titles) else 4
    if t.role in GENERIC_ROLES:
        return 1 if (t.country and home == t.country) else 0
    if p.role == t.role:
        return 3 if (t.country is None or p.country == t.country) and not (t_agencies and p_agencies) else 0
    if p.role is not None and t.role in _COMPATIBLE.get(p.role, ()):
        return 2
    if p.role is None and t.country and p.country == t.country:
        return 2
    return 0


def _resolve_title_only(t: TitleMention, persons: list[Person], people_mentions, ctx: DocContext) -> int | None:
    """Which named person of the article a bare title refers to: the best fit, then the nearest."""
    if t.role == "counterpart" and t.country:
        # "وجهت الوزيرة X دعوة لنظيرها المغربي": the one of that state, or of none said yet, who holds X's post.
        owner = max(((m[0], m[2]) for m in people_mentions if m[0] < t.start
                     and persons[m[2]].home() not in (None, t.country)), default=None)
        posts = {x.role for x in persons[owner[1]].titles} - GENERIC_ROLES if owner else set()
        same = [p.pid for p in persons if p.forms and p.home() in (None, t.country)
                and posts & {x.role for x in p.titles}]
        if not same and owner:
            # "قائد أركان الدرك الموريتاني ... دعوة لنظيره الجزائري": the posts differ, the body is the
            # same one of the other state ("قائد الدرك الوطني").
            bodies = {a.core for x in persons[owner[1]].titles for a in x.agencies}
            same = [p.pid for p in persons if p.forms and p.pid != owner[1] and p.home() in (None, t.country)
                    and bodies & {a.core for x in p.titles for a in x.agencies}]
        if len(same) == 1:
            return same[0]
    scored = [(_title_fit(t, p), p.pid) for p in persons]
    best = max((s for s, _ in scored), default=0)
    if best == 0:
        return None
    candidates = {pid for s, pid in scored if s == best}
    if len(candidates) > 1 and t.role == "official":
        # "المسؤول الهندي": an envoy is called by his post ("السفير"); the official is the other one.
        officials = {pid for pid in candidates
                     if not all(ctx.lex.titles[x.head].domain == "diplomatic" for x in persons[pid].titles)}
        candidates = officials or candidates
    if len(candidates) > 1 and t.country is None:
        # "التقى وزير الداخلية X نظيره البلجيكي Y ... كما التقى الوزير": the post is the one whose
        # holder was named by it, not by being another's counterpart.
        own = {pid for pid in candidates if not any(x.role == "counterpart" for x in persons[pid].titles)}
        candidates = own or candidates
    if len(candidates) > 1 and t.country is None:
        # "كما استقبل سمو وزير الداخلية": a post named without its country is the one held at home,
        # not the guest's that was named with his ("وزير الداخلية في الجمهورية الإيطالية").
        unplaced = {pid for pid in candidates if persons[pid].country is None}
        candidates = unplaced or candidates
    if len(candidates) > 1:
        # "الوزير الإسباني" after "وزير الداخلية الإسباني X" and "كاتب الدولة الإسباني للأمن Y", both
        # ministers: the one who holds the post by that very name.
        named = {pid for pid in candidates if any(x.head == t.head for x in persons[pid].titles)}
        candidates = named or candidates
    if len(candidates) == 1:
        return candidates.pop()
    earlier = [(m[0], m[2]) for m in people_mentions if m[0] < t.start and m[2] in candidates]
    return max(earlier)[1] if earlier else None


def _feminine_post(text: str) -> bool:
    """Is a post told in the feminine ("سفيرة", "المديرة العامة", "نظيرته")? Its head word says, also
    behind a possessive pronoun ("نظيرته" is "his counterpart", a woman; "نظيره" a man)."""
    head = text.split(maxsplit=1)[0] if text else ""
    return head.endswith(("ة", "ته", "تها", "تهما"))


def find_people(ctx: DocContext) -> People:
    n = len(ctx.texts)
    titles = find_titles(ctx)
    builder = _Builder(ctx)
    title_tokens = {i for t in titles for i in range(t.start, t.end)}
    for i in title_tokens:
        builder.taken.add(i)

    # 1. Names after an honorific or rank, and right after a title.
    for i in ctx.starts_of("HONORIFIC", "NATIONALITY"):
        if ctx.sent_of[i] in ctx.skip_sents:
            continue
        h = ctx.hit(i, "HONORIFIC")
        if h and (i == 0 or not ctx.hit(i - 1, "HONORIFIC") and ctx.norms[i - 1] not in _NAME_BEFORE_HONORIFIC):
            start = _honorific_chain_end(ctx, i)
            end = _name_run(ctx, start, builder.taken)
            if end == start:
                end = _name_after_homograph(ctx, start, builder.taken)
            # "سيادة القانون", "سعادة المواطنين": the honorific is also a common noun, here before a noun.
            noun = ctx.written[i] in _NOUN_HONORIFICS and start < len(ctx.written) and ctx.written[start].startswith("ال")
            if end > start and not noun and not (h.payload == "honorific" and ctx.written[i] == "دوله"):
                builder.taken.update(range(i, start))
                pid = builder.add(start, end, honorific=ctx.texts[i])
                if pid is not None and any(h.payload == "rank" for k in range(i, start) for h in ctx.hits_at.get(k, ())
                                           if h.label == "HONORIFIC"):
                    builder.persons[pid].ranked = True
            continue
        nat = ctx.hit(i, "NATIONALITY")
        if nat and i > 0 and ctx.is_comma(i - 1) and i not in builder.taken:
            # "...، الكورية الجنوبية كيم سو يون، ...": an apposition that opens with the nationality.
            end = _name_run(ctx, nat.end, builder.taken)
            if end - nat.end >= 2 and (end >= len(ctx.texts) or ctx.is_comma(end) or ctx.is_punct(end)):
                builder.taken.update(range(i, nat.end))
                pid = builder.add(nat.end, end)
                if pid is not None and builder.persons[pid].country is None:
                    builder.persons[pid].country = nat.payload
    for t in titles:
        if ctx.sent_of[t.start] in ctx.skip_sents:
            continue
        end = _name_run(ctx, t.end, builder.taken)
        if end > t.end and ctx.norms[t.end - 1] in ctx.lex.named_after:
            # "رئيس جامعة محمد الخامس، أحمد X": the name belongs to the university; the holder follows.
            t.end, t.text = end, _display(ctx, t.start, end)
            builder.taken.update(range(t.start, end))
            _comma_set_name(ctx, t, builder)
            continue
        # One word after a post is a name only as "نظيره X" or before a pause, and never a verb ("ويتقلد").
        if end - t.end >= 2 or (end - t.end == 1 and not _verb_after_post(ctx, t.end)
                                and (t.role == "counterpart" or ctx.is_punct(end) if end < n else True)):
            builder.add(t.end, end)
        elif end == t.end:
            _comma_set_name(ctx, t, builder)

    # 2. Names repeated later: full forms, family names, first + last.
    _find_repeats(ctx, builder)

    # 3. Names in apposition before a title: "X، المدير العام لـ Y" / "X المدير العام".
    for t in titles:
        if ctx.sent_of[t.start] in ctx.skip_sents or t.conjoined:
            continue
        end = t.start - 1 if ctx.is_comma(t.start - 1) else t.start
        if end == t.start and t.end - t.start == 1 and not t.agencies and not t.country:
            continue  # "منفذ ... الشريان التجاري الرئيس": a lone head word with no comma is an adjective
        end = _before_latin_rendering(ctx, end)  # "ستيفاني دوفال (Stéphanie Duval)، رئيسة المكتب"
        for k in range(max(0, end - 5), end):
            cue = ctx.hit(k, "CUE")
            if cue and cue.payload == "holds_post" and cue.end == end:
                end = k - 1 if ctx.is_comma(k - 1) else k  # "X، التي تشغل منصب TITLE"
                break
        start = end
        while start > ctx.sents[ctx.sent_of[t.start]][0] and start - 1 not in builder.taken \
                and ctx.nameable(start - 1) and end - start < MAX_NAME_TOKENS - 1:
            start -= 1
            if ctx.written[start].startswith("ب") and _met_with_before(ctx, start):
                break  # "لقاء جمعه بمقر القيادة العامة بأرجون كومار": the name begins behind its ب
        if end - start >= 2 and not _agency_complement(ctx, start, end):
            builder.add(start, end, list_item=True)
    _find_repeats(ctx, builder)

    _trim_overlong(builder)
    _bind(titles, builder, ctx)
    _bind_title_chains(titles, ctx)
    persons = builder.persons
    for t in titles:
        if t.person is not None:
            p = persons[t.person]
            p.titles.append(t)
            if t.country and (p.country is None):
                p.country, p.country_from = t.country, t.start
    _counterparts_hold_the_same_ministry(ctx, titles, persons, builder.mentions)
    _delegation_nationalities(ctx, persons, builder.mentions)
    # 4. Bare titles resolved to a named person; they count as mentions of that person.
    # A title beside a name is part of that person's mention (events look at who stands where).
    mentions = list(builder.mentions) + [(t.start, t.end, t.person) for t in titles if t.person is not None]
    # The states told outright first: a bare title is matched on them ("وعن الجانب التركي X" ... "المسؤول التركي").
    _nationality_said(ctx, persons, mentions)
    _countries_of_sides(ctx, persons, mentions)
    resolved: list[tuple[int, int, int]] = []
    for t in titles:
        if t.person is None and ctx.sent_of[t.start] not in ctx.skip_sents:
            pid = _resolve_title_only(t, persons, mentions, ctx)
            if pid is not None:
                t.person = pid
                if t.role not in GENERIC_ROLES:
                    persons[pid].titles.append(t)
                if t.country and persons[pid].country is None:
                    persons[pid].country = t.country
                mentions.append((t.start, t.end, pid))
                resolved.append((t.start, t.end, pid))
    # The same, for the persons bare titles were just found to name (the others' states are read).
    _nationality_said(ctx, persons, resolved)
    _countries_of_sides(ctx, persons, resolved)
    mentions.sort()
    _delegation_agencies(ctx, persons, mentions)
    return People(persons, mentions, titles, frozenset(i for t in titles for i in range(t.start, t.end)),
                  _delegations(ctx, mentions))


_NATIONALITY_WORD = normalize("الجنسية")
UNIONS = frozenset({"EU"})  # unions of states: an official of theirs serves no one state


def _nationality_said(ctx: DocContext, persons: list[Person], mentions: list[tuple[int, int, int]]) -> None:
    """"أتيلا بوروش، المجري الجنسية،": the nationality told of the person outright."""
    n = len(ctx.texts)
    for _, end, pid in mentions:
        if end + 2 < n and ctx.is_comma(end):
            nat = ctx.hit(end + 1, "NATIONALITY")
            if nat and nat.end < n and ctx.norms[nat.end] == _NATIONALITY_WORD and \
                    (persons[pid].country is None or persons[pid].country in UNIONS):
                persons[pid].country, persons[pid].country_from = nat.payload, end + 1


_SIDE_REACH = {"delegation": 25, "side": 10}  # tokens after the nationality that the cue still covers


def _countries_of_sides(ctx: DocContext, persons: list[Person], mentions: list[tuple[int, int, int]]) -> None:
    """"وفدا من الشرطة الوطنية الإيطالية برئاسة X، ويضم Y", "وقعها عن الجانب البرتغالي Z": the
    nationality right after the cue is that of the persons named next, until another cue or event word."""
    for sent in ctx.sentences_with_payload(*_SIDE_REACH):
        lo, hi = ctx.sents[sent]
        cues = [h for h in ctx.hits_in(lo, hi, "CUE") if h.payload in _SIDE_REACH]
        for n, cue in enumerate(cues):
            nat = next((h for k in range(cue.end, min(hi, cue.end + 8)) for h in ctx.hits_at.get(k, ())
                        if h.label in ("NATIONALITY", "COUNTRY")), None)
            if nat is None or any(ctx.is_comma(k) for k in range(cue.end, nat.start)):
                continue  # "على رأس وفد رسمي، بحضور سفيرة جمهورية قبرص ...": the state of another phrase
            # "وفدا من الشرطة القبرصية يزور لبنان برئاسة X": what the delegation does, before who leads
            # it, does not end it.
            led = nat.end
            if cue.payload == "delegation":
                led = next((h.start for h in ctx.hits_in(nat.end, hi, "CUE") if h.payload == "led_by"), nat.end)
            stops = [h.start for h in ctx.hits_in(nat.end, hi, "CUE", "TRIGGER") if h.start >= led and (
                     h.label == "TRIGGER" or h.payload == "attend" or h.payload in _SIDE_REACH)]
            stop = min([*stops, nat.end + _SIDE_REACH[cue.payload], hi])
            for start, _, pid in mentions:
                if nat.end <= start < stop and persons[pid].country is None:
                    persons[pid].country = nat.payload


_FROM = normalize("من")
_DELEGATION_HEAD = "المسؤول"  # a generic post (a titles.jsonl head): its agency is told, no job title


def _delegations(ctx: DocContext, mentions: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(delegation word, person) for each "وفد ... برئاسة X" / "وفد ... يقوده X" of the article."""
    found = []
    for sent in ctx.sentences_with_payload("delegation"):
        lo, hi = ctx.sents[sent]
        cues = ctx.hits_in(lo, hi, "CUE")
        for d in (h for h in cues if h.payload == "delegation"):
            led = next((h for h in cues if h.payload == "led_by" and d.end <= h.start <= d.end + 12), None)
            head = next((m[2] for m in mentions if led.end <= m[0] < led.end + 5), None) if led else None
            if head is not None:
                found.append((d.start, head))
    return found


def _delegation_nationalities(ctx: DocContext, persons: list[Person], mentions: list[tuple[int, int, int]]) -> None:
    """"وفد أمني ليبي يترأسه وكيل وزارة الداخلية X": the head of a delegation whose nationality is
    said, and whose own post names no state, is of that state. Runs before `_countries_of_sides`,
    which reads the gazetteer's adjectives only (with their article) for everyone named after a cue."""
    for sent in ctx.sentences_with_payload("delegation"):
        lo, hi = ctx.sents[sent]
        cues = ctx.hits_in(lo, hi, "CUE")
        for d in (h for h in cues if h.payload == "delegation"):
            led = next((h for h in cues if h.payload == "led_by" and d.end <= h.start <= d.end + 6), None)
            if led is None or any(ctx.hit(k, "TITLE") for k in range(d.end, led.start)):
                continue
            said = next(((k, iso) for k in range(d.end, led.start) if (iso := _state_of_delegation(ctx, k))), None)
            # The head is named there, or holds the post that opens there ("يترأسه وكيل وزارة ... بحكومة ... X").
            pid = next((m[2] for m in mentions if led.end <= m[0] < led.end + 5), None)
            if pid is None:
                pid = next((q for q, p in enumerate(persons) if any(t.start == led.end for t in p.titles)), None)
            if said and pid is not None and persons[pid].country is None:
                persons[pid].country_from, persons[pid].country = said


def _state_of_delegation(ctx: DocContext, k: int) -> str | None:
    """The state token k names after "وفد": "الليبي", "من ليبيا", or an adjective without its article
    ("وفد أمني ليبي", "وفدا فرنسيا"), which the gazetteer lists only with it."""
    hit = ctx.hit(k, "NATIONALITY", "COUNTRY")
    if hit:
        return hit.payload
    w = ctx.norms[k]
    accusative = ctx.lex.adjective_country.get("ال" + w[:-1]) if w.endswith("ا") and not ctx.clitics[k] else None
    return _bare_nationality(ctx, k) or accusative


_FROM_BODY = frozenset(normalize(w) for w in ("من", "عن"))  # "وفدا من الحرس المدني", "وفدا عن الشرطة الاتحادية"


def _delegation_agencies(ctx: DocContext, persons: list[Person], mentions: list[tuple[int, int, int]]) -> None:
    """"وفد من الحرس المدني الإسباني يترأسه الجنرال X", "وفدا من الشرطة الفيدرالية برئاسة Y": the head of
    a delegation from an agency, when no post of his is named, works for that agency."""
    for sent in ctx.sentences_with_payload("delegation"):
        lo, hi = ctx.sents[sent]
        cues = ctx.hits_in(lo, hi, "CUE")
        for cue in (h for h in cues if h.payload == "delegation"):
            of = next((k + 1 for k in range(cue.end, min(hi, cue.end + 4)) if ctx.written[k] in _FROM_BODY), None)
            if of is None or of >= hi:
                continue
            end, refs = agencies_at(ctx, of, hi)
            led = next((h for h in cues if end <= h.start < end + 3 and h.payload == "led_by"), None)
            if not refs or led is None:
                continue
            pid = next((m[2] for m in mentions if led.end <= m[0] < led.end + 4), None)
            if pid is None or any(t.agencies for t in persons[pid].titles):
                continue
            head = ctx.lex.titles[_DELEGATION_HEAD]
            persons[pid].titles.append(TitleMention(of, end, head.head, head.role, _display(ctx, of, end),
                                                    refs[0].country, refs, False, pid))
            if persons[pid].country is None and refs[0].country:
                persons[pid].country = refs[0].country


def _counterparts_hold_the_same_ministry(ctx: DocContext, titles: list[TitleMention], persons: list[Person],
                                         mentions: list[tuple[int, int, int]]) -> None:
    """"أجرى وزير الداخلية X مباحثات مع نظيره الإسباني Y": Y is Spain's minister of the interior.
    Only ministries: other agencies differ from state to state (a police chief's counterpart may
    head a gendarmerie)."""
    for t in titles:
        if t.role != "counterpart" or t.person is None or not t.country:
            continue
        lo = ctx.sents[ctx.sent_of[t.start]][0]
        # Who was named last before "نظيره" in its sentence, by a name or a post.
        last_seen: dict[int, int] = {}
        for start, pid in [(m[0], m[2]) for m in mentions] + [(x.start, x.person) for x in titles]:
            if lo <= start < t.start and pid not in (None, t.person):
                last_seen[pid] = max(start, last_seen.get(pid, start))
        # "كما التقى الوزير، ...، نظيره الليبي Y": a bare "الوزير" stands for the last minister named.
        bare = any(lo <= x.start < t.start and x.person is None and x.role == "minister" for x in titles)
        if bare and not last_seen:
            for start, _, pid in mentions:
                if start < lo and pid != t.person and any(x.role == "minister" and x.agencies
                                                          for x in persons[pid].titles):
                    last_seen[pid] = max(start, last_seen.get(pid, start))
        for pid in sorted(last_seen, key=last_seen.__getitem__, reverse=True):
            posts = [x for x in persons[pid].titles if x.role == "minister" and x.agencies]
            if posts:
                persons[t.person].titles.append(_same_post(ctx, posts[0], t))
                break


def _same_post(ctx: DocContext, post: TitleMention, counterpart: TitleMention) -> TitleMention:
    """`post` held in the counterpart's country: "وزير الداخلية" -> "وزير الداخلية الإسباني"."""
    feminine = "نظيرت" in ctx.written[counterpart.start]  # "نظيرته": a woman
    complement = []
    for w in post.text.split()[1:]:
        if normalize(w) == _IN or normalize(w).startswith(("بحكوم", "لدي")):
            break  # "وزير الداخلية في حكومة الوحدة الوطنية": the government is the first holder's own
        if normalize(w) not in ctx.lex.adjective_country:
            complement.append(w)
    head = post.head + ("ة" if feminine else "")
    iso = counterpart.country
    assert iso is not None  # the caller passes only counterparts with a country
    adjective = _country_adjective(ctx.lex, iso, feminine)
    text = " ".join([head, *complement, *([adjective] if adjective else [])])
    agencies = [a.of_country(iso, ctx.lex) for a in post.agencies]
    return TitleMention(counterpart.start, counterpart.end, post.head, post.role, text, counterpart.country,
                        agencies, False, counterpart.person)


_PROCLITICS = "وبلفك"  # one letter before a repeated name: "وأكد بنعلي", "لحموشي"


def _find_repeats(ctx: DocContext, builder: _Builder) -> None:
    """Mark every later occurrence of a known name form (with or without a proclitic)."""
    forms: dict[tuple[str, ...], int] = {}
    # A family name the lexicons know as a word ("السويدي" is also "Swedish") is the person's only
    # behind a rank or honorific: "اللواء السويدي", not "الخبير السويدي".
    after_rank: dict[tuple[str, ...], int] = {}
    for person in builder.persons:
        for form in person.forms:
            words = tuple(normalize(form).split())
            forms.setdefault(words, person.pid)
            if len(words) >= 2 and len(words[-1]) >= 3:
                # the family name alone
                (forms if words[-1] not in ctx.lex.vocabulary else after_rank).setdefault(words[-1:], person.pid)
            surname = tuple(_first_surname(list(words)))
            if surname and surname[0] not in ctx.lex.vocabulary:
                forms.setdefault(surname, person.pid)
    after_rank = {k: pid for k, pid in after_rank.items() if k not in forms}  # not a form of someone's full name
    if not forms and not after_rank:
        return
    longest = max((len(k) for k in forms), default=1)
    written, n_tokens = ctx.written, len(ctx.texts)
    firsts = {k[0] for k in forms} | {k[0] for k in after_rank}
    i = 0
    # Tokens that can start a form, alone or behind a proclitic (the only tails tried below).
    for candidate in ctx.positions_of(firsts, _PROCLITICS):
        if candidate < i:
            continue
        i = candidate
        if i in builder.taken or ctx.sent_of[i] in ctx.skip_sents:
            i += 1
            continue
        matched = 0
        for n in range(min(longest, n_tokens - i), 0, -1):
            words = tuple(written[i:i + n])
            if any(k in builder.taken for k in range(i, i + n)):
                continue
            pid = forms.get(words)
            if pid is None and n == 1 and i > 0 and ctx.hit(i - 1, "HONORIFIC"):
                pid = after_rank.get(words)
            proclitic = 0
            if pid is None and words[0][:1] in _PROCLITICS and len(words[0]) > 3:
                pid = forms.get((words[0][1:], *words[1:]))
                proclitic = 1
            if pid is not None:
                builder.mentions.append((i, i + n, pid))
                # The shorter form seen ("وأكد بنعلي") is one of the person's names.
                seen = " ".join(strip_marks(ctx.texts[k]) for k in range(i, i + n))[proclitic:]
                if seen not in builder.persons[pid].forms:
                    builder.persons[pid].forms.append(seen)
                builder.taken.update(range(i, i + n))
                matched = n
                break
        i += matched or 1


def _verb_after_post(ctx: DocContext, i: int) -> bool:
    """"يستقبل نظيره الإيفواري ويتوشح بالوسام", "ونظيره الإسباني يمهد لزيارة": a present-tense verb
    after "نظيره", not his family name ("نظيره الفرنسي دارمانان في باريس")."""
    w = ctx.written[i]
    if len(w) >= 5 and w.startswith(("وي", "وت")):
        return True
    nxt = i + 1
    return len(w) >= 4 and w[0] in "يت" and nxt < len(ctx.texts) and ctx.clitics[nxt][-1:] in ("ل", "ب") \
        and not ctx.hit(nxt, "PLACE", "COUNTRY")


def _comma_set_name(ctx: DocContext, t: TitleMention, builder: _Builder) -> None:
    """"وزير الداخلية، عبد الوافي الفتاوي،", "مدير المكتب (FBI) بالسفارة الأمريكية، روبرت كالاهان،":
    a name set off by commas after a title, whose complement may hold words the lexicon does not
    know. The title then stretches to the comma."""
    sent_end = ctx.sents[ctx.sent_of[t.start]][1]
    comma = t.end
    while comma < min(sent_end, t.end + 10) and not ctx.is_comma(comma):
        if ctx.hit(comma, "TRIGGER", "TITLE", "CUE") or comma in builder.taken or ctx.texts[comma] in ".؟!:":
            return
        comma += 1
    if comma >= sent_end or not ctx.is_comma(comma):
        return
    start = _honorific_chain_end(ctx, comma + 1)
    if start in builder.taken and any(m[0] == start for m in builder.mentions):
        if comma > t.end:  # the name is already known (after an honorific): the title still reaches it
            t.end = comma
            t.text = _display(ctx, t.start, comma)
        return
    end = _name_run(ctx, start, builder.taken)
    if end - start >= 2 and (end >= sent_end or ctx.is_comma(end) or ctx.is_punct(end) or ctx.is_latin(end)):
        if comma > t.end:
            t.end = comma
            t.text = _display(ctx, t.start, comma)
        # "TITLE، وسعاد X": the و of a list, unless the title was the list's item ("والسفير الصيني، وانغ").
        builder.add(start, end, list_item=not t.conjoined)


def _trim_overlong(builder: _Builder) -> None:
    """A run that swallowed a word after a known name ("حموشي المكانة") is that name."""
    known: list[tuple[tuple[str, ...], int]] = []
    for q in builder.persons:
        for form in q.forms:
            words = tuple(normalize(form).split())
            known.append((words, q.pid))
            if len(words) >= 2:
                known.append((words[-1:], q.pid))
    for p in builder.persons:
        if len(p.forms) != 1:
            continue
        words = tuple(normalize(p.forms[0]).split())
        best = max(((g, q) for g, q in known if q != p.pid and len(g) < len(words) and words[:len(g)] == g),
                    key=lambda gq: len(gq[0]), default=None)
        if best is None:
            continue
        shorter, other = best
        builder.mentions = [(s, s + len(shorter), other) if pid == p.pid else (s, e, pid)
                            for s, e, pid in builder.mentions]
        p.forms = []
