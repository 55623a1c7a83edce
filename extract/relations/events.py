"""Meetings, visits, agreements, awards and topics, sentence by sentence.

Only sentences holding a trigger word (a meeting, visit, signing or award word) are looked at
closely; the others only lend their topics and dates to the meeting they follow.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import compress, count

from ..components.gazetteer import Hit
from ..components.normalizer import WordColumn
from ..memo import Memo
from ..normalize import normalize, strip_marks
from .context import DocContext
from .dates import DATE_SHAPES, DATELINE_LINE, RELATIVE_DAYS, DateMention
from .people import HOST_STATE, STATE_WORDS, AgencyRef, People, agencies_at

Ref = tuple[str, str]  # (kind, key): ("place", "rabat"), ("country", "MA"), ("person", "3"), ("org", key)

_WITH = normalize("مع")
# An agency's counterpart ("ونظيرتها الإيفوارية"): another state's agency of the same kind, not a person.
_ITS_COUNTERPART = frozenset(normalize(w) for w in ("نظيرتها", "ونظيرتها", "نظيرها", "ونظيرها", "نظيراتها", "ونظيراتها"))
_BETWEEN = normalize("بين")
_BY = tuple(tuple(normalize(w) for w in p.split()) for p in ("من طرف", "من قبل", "من لدن", "على يد"))
_NON_ANY = frozenset({"security", "diplomatic"})


@dataclass
class Meeting:
    sents: list[int]
    attendees: list[int]
    host: int | None
    rule: str
    confidence: float
    separate: bool = False
    present: list[int] = field(default_factory=list)  # attended beside host and guest ("بحضور X")
    date: DateMention | None = None
    date_sent: int | None = None
    place: Ref | None = None
    place_sent: int | None = None
    topics: dict[str, int] = field(default_factory=dict)  # notation -> sentence


@dataclass
class Visit:
    visitor: int
    destination: Ref
    sents: list[int]
    planned: bool
    confidence: float
    date: DateMention | None = None


@dataclass
class Agreement:
    name: str
    parties: list[Ref]
    sents: list[int]
    confidence: float
    agencies: list[AgencyRef] = field(default_factory=list)
    date: DateMention | None = None
    topics: dict[str, int] = field(default_factory=dict)


@dataclass
class Award:
    recipient: int
    label: str
    giver: int | None
    sent: int


@dataclass
class Events:
    meetings: list[Meeting]
    visits: list[Visit]
    agreements: list[Agreement]
    awards: list[Award]


def _cues(ctx: DocContext, sent: int) -> dict[str, int]:
    """Cue payload -> first token, in a sentence (the same dict each time it is asked; never changed)."""
    by_sentence: dict[int, dict[str, int]] | None = ctx.memo.get("cues")
    if by_sentence is None:
        by_sentence = ctx.memo["cues"] = {}
    found = by_sentence.get(sent)
    if found is None:
        lo, hi = ctx.sents[sent]
        found = by_sentence[sent] = {}
        for h in ctx.hits_in(lo, hi, "CUE"):
            found.setdefault(h.payload, h.start)
    return found


def _triggers(ctx: DocContext, sent: int, kind: str) -> list[Hit]:
    """Trigger hits of one kind ("meet", "visit", "agree", "award") in a sentence."""
    by_sentence: dict[int, dict[str, list[Hit]]] | None = ctx.memo.get("triggers")
    if by_sentence is None:
        by_sentence = ctx.memo["triggers"] = {}  # asked some four times a sentence: one lookup by number
    by_kind = by_sentence.get(sent)
    if by_kind is None:
        lo, hi = ctx.sents[sent]
        by_kind = {}
        for h in ctx.hits_in(lo, hi, "TRIGGER", "HONORIFIC", "TITLE"):
            if h.label == "TRIGGER":
                by_kind.setdefault(_KIND[h.payload], []).append(h)
        # "لبحث ملفات التعاون": a purpose, not a meeting that took place.
        by_kind["meet"] = [h for h in by_kind.get("meet", ())
                           if "ل" not in ctx.clitics[h.start] and not ctx.written[h.start].startswith("لبحث")]
        by_sentence[sent] = by_kind
    return by_kind.get(kind, [])


_KIND = Memo(lambda payload: payload.split(":", 1)[0])  # "meet:host" -> "meet"


def _places(ctx: DocContext, sent: int, people: People) -> list[tuple[int, Ref]]:
    """Places and countries named in a sentence outside titles ("بالرباط", "العاصمة الفرنسية باريس").
    The same list each time it is asked (titles are final before events are read); never changed."""
    found = ctx.memo.get(("places", sent))
    if found is None:
        found = ctx.memo[("places", sent)] = _find_places(ctx, sent, people)
    return found


def _find_places(ctx: DocContext, sent: int, people: People) -> list[tuple[int, Ref]]:
    lo, hi = ctx.sents[sent]
    in_title = people.title_tokens
    quoted = _quoted(ctx, sent)
    # "رامون دي ليون", "خوان سان مارتين": a city's name inside a person's is not a place.
    in_name = {k for start, end, _ in people.in_sentence(ctx, sent) for k in range(start, end)}
    found = []
    for h in ctx.hits_in(lo, hi, "PLACE", "COUNTRY", "NATIONALITY", "TITLE", "AGENCY"):
        if h.start in in_title or h.start in in_name or _from(ctx, h.start, lo) or _invited_to(ctx, h.start, lo) \
                or ctx.clitics[h.start].endswith("ل") or h.start in quoted or _between(ctx, h.start, lo) \
                or _delegation_from(ctx, h.start, lo) or (h.start > lo and ctx.norms[h.start - 1] in _TOWARD) \
                or _tied_to(ctx, h.start, lo):
            continue  # "الحدود الجنوبية لليبيا": whose, not where; "قوارب ... نحو جزر الكناري": whither
        if h.label == "NATIONALITY" and h.start > lo and ctx.norms[h.start - 1] == _CAPITAL \
                and h.payload in ctx.lex.capital_of and not ctx.hit(h.end, "PLACE"):
            # "في العاصمة التونسية": the capital, unnamed ("العاصمة الفرنسية باريس" names it).
            found.append((h.start, ("place", ctx.lex.capital_of[h.payload])))
        elif h.label in ("PLACE", "COUNTRY"):
            found.append((h.start, _ref(h)))
    return found


def _ref(h) -> Ref:
    """The place or country a PLACE or COUNTRY hit names."""
    return ("place" if h.label == "PLACE" else "country", h.payload)


_CAPITAL = normalize("العاصمة")
# Whither or which way, not where: "قوارب ... نحو جزر الكناري", "التهريب عبر مضيق جبل طارق" (the strait,
# not the city).
_TOWARD = frozenset(normalize(w) for w in ("نحو", "باتجاه", "صوب", "عبر", "مضيق", "المضيق"))


_FROM = normalize("من")
_TIES_REACH = 3  # tokens back from "بتونس" to the word that ties it: "التي تربط المملكة بتونس"


def _tied_to(ctx: DocContext, i: int, lo: int) -> bool:
    """"العلاقات التي تربط الأردن بتونس": the partners of a tie, not a venue."""
    if "ب" not in ctx.clitics[i]:
        k = i - 2 if i - 2 >= lo and ctx.norms[i - 1] in STATE_WORDS else i - 1  # "تربط المملكة المغربية"
        cue = ctx.hit(k, "CUE") if k >= lo else None
        return cue is not None and cue.payload == "ties"
    for k in range(i - 1, max(lo, i - _TIES_REACH) - 1, -1):
        if ctx.is_punct(k):
            return False
        cue = ctx.hit(k, "CUE")
        if cue is not None and cue.payload == "ties":
            return True
    return False


def _from(ctx: DocContext, i: int, lo: int) -> bool:
    """"وفدا أمنيا من (جمهورية) السنغال": where the guests come from, not where they met."""
    k = i - 1 if i - 1 > lo and ctx.norms[i - 1] in STATE_WORDS else i
    return k > lo and ctx.written[k - 1] == _FROM


_QUOTES = ('"', "“", "”", "«", "»")
_QUOTE_CHARS = "".join(_QUOTES)
_SPEECH_WORDS = 4  # a quotation this long is speech; a shorter one names something ('مصادر "الخبر"')


def _quoted(ctx: DocContext, sent: int) -> frozenset[int]:
    """Tokens inside a quotation of some length: 'إن "الجزائر شريك أساسي ..."' is what was said, not where.
    Marks are counted within tokens ('بـ"تعاون' holds one); a mark left open closes nothing."""
    found = ctx.memo.get(("quoted", sent))
    if found is None:
        lo, hi = ctx.sents[sent]
        texts = ctx.texts
        # Only the tokens holding an odd number of marks open or close a quotation: found once per Doc, in C.
        odd = ctx.memo.get("odd_marks")
        if odd is None:
            odd = ctx.memo["odd_marks"] = list(compress(count(), ctx.doc.user_data[ODD_MARKS.name]))
        marks = odd[bisect_left(odd, lo):bisect_left(odd, hi)]
        inside: set[int] = set()
        for opening, closing in zip(marks[::2], marks[1::2]):
            # The quotation's tokens: the opening one if it holds more than marks, then up to the closing one.
            run = range(opening if texts[opening].strip(_QUOTE_CHARS) else opening + 1, closing + 1)
            if len(run) >= _SPEECH_WORDS:
                inside.update(run)
        found = ctx.memo[("quoted", sent)] = frozenset(inside)
    return found


_ODD_MARKS = Memo(lambda text: sum(map(text.count, _QUOTES)) % 2 == 1)
ODD_MARKS = WordColumn("odd_marks", "text", _ODD_MARKS.__getitem__)  # laid out by the normaliser
TOPIC_STEMS = "topic_stems"  # the column of Lexicon.topics_of_word, laid out by the normaliser (extract/nlp.py)


def _between(ctx: DocContext, i: int, lo: int) -> bool:
    """'المسلك الرابط بين تندوف والزويرات': the ends of a route or a border, not a venue."""
    if i > lo and ctx.norms[i - 1] == _BETWEEN:
        return True
    if not ctx.clitics[i].startswith("و"):
        return False
    for k in range(i - 1, max(lo, i - 4) - 1, -1):  # the second end, behind its و: "بين بنقردان وزوارة"
        if ctx.is_comma(k):
            return False
        if ctx.norms[k] == _BETWEEN:
            return True
    return False


_DELEGATION_REACH = 6  # tokens back from a place to the delegation word it describes
_AT_SEAT = frozenset(normalize(w) for w in ("مقر", "بمقر", "لمقر", "مقار", "بمقار"))  # "بمقر قيادة الدرك": where


def _delegation_from(ctx: DocContext, i: int, lo: int) -> bool:
    """"وفد المكتب الإقليمي للإنتربول بنيروبي برئاسة X": a place in a delegation's name is where it comes from."""
    for k in range(i - 1, max(lo, i - _DELEGATION_REACH) - 1, -1):
        if ctx.is_comma(k) or ctx.hit(k, "TRIGGER") or ctx.written[k] in _AT_SEAT:
            return False  # "استقبل الوفد الضيف بمقر القيادة بالرباط": where they met
        cue = ctx.hit(k, "CUE")
        if cue is not None and cue.payload == "delegation":
            # named now ("وفد المكتب ..."), not the delegation told before ("الوفد الضيف بالرباط")
            return not ctx.written[k].lstrip("و").startswith("ال")
    return False


def _invited_to(ctx: DocContext, i: int, lo: int) -> bool:
    """"دعوة ... لزيارة بروكسل": where someone is invited to go, not where a meeting was held."""
    return any(ctx.written[k].startswith("لزيار") for k in range(max(lo, i - 3), i))


def _meeting_places(ctx: DocContext, sent: int, people: People) -> list[tuple[int, Ref]]:
    """The places of a sentence that can be where a meeting was: not where someone is to go next
    ("... على أن يزور الساعدي الرياض")."""
    lo = ctx.sents[sent][0]
    return [(i, ref) for i, ref in _places(ctx, sent, people)
            if not any(_visit_to_come(ctx, k, lo) or _future_visit_verb(ctx, k) for k in range(max(lo, i - 4), i))
            and not _planned_visit_before(ctx, i, lo)]


def _future_visit_verb(ctx: DocContext, k: int) -> bool:
    """"سيحل بالرباط مطلع السنة المقبلة", "ستزور": a visit verb in the future names where one will go."""
    hit = ctx.hit(k, "TRIGGER")
    return hit is not None and hit.payload == "visit:verb" and ctx.written[k].startswith(("سي", "ست"))


_PLANNED_REACH = 6  # tokens from a visit noun to its destination: "زيارة مرتقبة سيجريها إلى العاصمة ... باكو"


def _planned_visit_before(ctx: DocContext, i: int, lo: int) -> bool:
    """"فيما أعلن عن زيارة مرتقبة سيجريها إلى باكو": the place is where a visit said to come goes."""
    for k in range(i - 1, max(lo, i - _PLANNED_REACH) - 1, -1):
        if any(h.label == "TRIGGER" and h.payload == "visit:noun" for h in ctx.hits_at.get(k, ())):
            return any(h.label == "CUE" and h.payload == "planned" for j in range(k + 1, i)
                       for h in ctx.hits_at.get(j, ()))
    return False


_DOES = frozenset(normalize(w) for w in ("يقوم", "تقوم", "يؤدي", "تؤدي", "يجري", "تجري"))


def _visit_noun_to_come(ctx: DocContext, k: int, lo: int) -> bool:
    """"اتفق الجانبان على أن يقوم السيد X بزيارة إلى مقديشو": the visit noun after "أن" + an imperfect
    light verb, its subject between, is a visit yet to be made."""
    for j in range(k - 1, max(lo, k - 7), -1):
        if ctx.is_comma(j):
            return False
        if ctx.written[j] in _DOES:
            return j > lo and ctx.norms[j - 1] == _THAT
    return False


def _visit_to_come(ctx: DocContext, k: int, lo: int) -> bool:
    """"أن يزور": a visit verb after "أن" (at token k, in a sentence from lo), a visit yet to be made."""
    return k > lo and ctx.norms[k - 1] == _THAT and any(h.label == "TRIGGER" and h.payload.startswith("visit:")
                                                        for h in ctx.hits_at.get(k, ()))


def _venue(refs: list[Ref]) -> Ref:
    """Where, of the places a sentence names: its first city, else the first place named."""
    return next((r for r in refs if r[0] == "place"), refs[0])


def _has_trigger(ctx: DocContext, sent: int, payload: str) -> bool:
    """Does the sentence hold a trigger of that payload ("agree:verb", "award:verb")?"""
    return any(h.payload == payload for h in _triggers(ctx, sent, payload.split(":")[0]))


_THAT = normalize("أن")
_IN = normalize("في")


def _topics(ctx: DocContext, sent: int, people: People) -> set[str]:
    """Topic notations named in a sentence outside titles (the same set each time it is asked)."""
    by_sentence = ctx.memo.get("topics")
    if by_sentence is None:
        by_sentence = ctx.memo["topics"] = _topics_by_sentence(ctx, people)
    return by_sentence[sent]


def _topics_by_sentence(ctx: DocContext, people: People) -> list[set[str]]:
    """For each sentence, its topic phrases and the topics of the words that start with a topic stem
    ("الإرهابية", "المخدرات"): found for all at once, as the meetings' segments ask for nearly all."""
    in_title = people.title_tokens
    found: list[set[str]] = [set() for _ in ctx.sents]
    for sent in ctx.sentences_with("TOPIC"):
        lo, hi = ctx.sents[sent]
        # A phrase of two topics ("تهريب المهاجرين": migrant smuggling) names both.
        found[sent].update(t.payload for h in ctx.hits_in(lo, hi, "TOPIC") if h.start not in in_title
                           for t in ctx.hits_at[h.start] if t.label == "TOPIC" and t.end == h.end)
    sent_of = ctx.sent_of
    stems = ctx.doc.user_data[TOPIC_STEMS]  # Lexicon.topics_of_word of each token (extract/nlp.py)
    for i in compress(count(), stems):
        if i not in in_title:
            found[sent_of[i]] |= stems[i]
    return found


_SECURITY_WORDS = frozenset(normalize(w) for w in (
    "أمن", "الأمن", "شرطة", "الشرطة", "مخابرات", "المخابرات", "استخبارات", "الاستخبارات", "درك", "الدرك",
    "حرس", "الحرس", "داخلية", "الداخلية", "دفاع", "الدفاع", "خارجية", "الخارجية", "جمارك", "الجمارك", "حماية",
    "مخدرات", "المخدرات", "الإرهاب"))


_PRIVATE_BODIES = frozenset(normalize(w) for w in ("شركة", "الشركة", "مجموعة", "بنك", "البنك", "مصرف", "نادي", "النادي",
                                                   "فندق"))


def _official(people: People, pid: int, ctx: DocContext) -> bool:
    """Holds a security, diplomatic or government post, or a rank: meetings of club presidents are not news here."""
    if people.persons[pid].ranked:
        return True
    for t in people.persons[pid].titles:
        words = t.text.split()
        if len(words) > 1 and normalize(words[1]) in _PRIVATE_BODIES:
            continue  # "مدير شركة الاتصالات": a post in a company, whatever its head word
        if ctx.lex.titles[t.head].domain in _NON_ANY or t.role == "counterpart":
            return True
        if any(_security_agency(a.core) for a in t.agencies):
            return True
    return False


def _security_agency(core: str) -> bool:
    """"شرطه", "للشرطه", "الامن" ... in an agency's core name ("فرقه وطنيه للشرطه قضاييه")."""
    for word in core.split():
        for prefix in ("", "ال", "لل", "ل", "و", "ب"):
            if word.startswith(prefix) and word[len(prefix):] in _SECURITY_WORDS:
                return True
    return False


# Crimes and threats: talks about these are security news whoever holds them (a financial
# intelligence unit, a university's extremism centre); sport and training topics are not.
_SECURITY_TOPICS = frozenset({"terrorism", "extremism", "organized-crime", "drug-trafficking", "human-trafficking",
                              "illegal-migration", "cybercrime", "money-laundering", "espionage", "wanted-persons",
                              "intelligence"})


def _on_security(ctx: DocContext, meeting: Meeting, people: People) -> bool:
    """A crime or threat named as a lexicon phrase in the meeting's own sentences."""
    return any(h.payload in _SECURITY_TOPICS and h.start not in people.title_tokens
               for s in meeting.sents for h in ctx.hits_in(*ctx.sents[s], "TOPIC"))


def at_home(ctx: DocContext, people: People, visit: Visit) -> bool:
    """A trip inside one's own country is not a visit in the diplomatic sense."""
    home = people.persons[visit.visitor].country
    return home is not None and ctx.country_of(visit.destination) == home


def _order(mentions: list[tuple[int, int, int]]) -> list[int]:
    seen: list[int] = []
    for _, _, pid in mentions:
        if pid not in seen:
            seen.append(pid)
    return seen


def extract_events(ctx: DocContext, people: People, dates: dict[int, list[DateMention]]) -> Events:
    meetings: list[Meeting] = []
    visits: list[Visit] = []
    agreements: list[Agreement] = []
    awards: list[Award] = []
    lead: int | None = None
    setting: tuple[int, Ref] | None = None

    # "خلال هذه اللقاءات": sentences that close a segment of several meetings.
    plural_sents = {sent for sent in ctx.sentences_with_payload("plural_meetings")
                    if sent not in ctx.skip_sents and "plural_meetings" in _cues(ctx, sent)}
    # Only sentences with a meeting, visit, signing or award word tell events.
    for sent in sorted(ctx.sentences_with("TRIGGER")):
        if sent in ctx.skip_sents:
            continue
        cues = _cues(ctx, sent)
        mentions = _with_delegation_heads(ctx, sent, people.in_sentence(ctx, sent), people.delegations)
        meet = _triggers(ctx, sent, "meet")
        mentions = _with_both_sides(ctx, sent, mentions, meet, cues, people, meetings)
        pids = _order(mentions)
        if meet and mentions and setting is None:
            places = _meeting_places(ctx, sent, people)
            if places:
                setting = (sent, places[0][1])

        if meet and pids and agreements and not meetings and _attends_meeting_told(ctx, sent, meet, cues, mentions, pids):
            # "وجرى خلال جلسة المباحثات التي سبقت التوقيع، بحضور X": the talks are the signers' meeting.
            _signings_met(meetings, agreements)
        award = _award(ctx, sent, mentions)
        if award:
            awards.append(award)
        elif meet and meetings and pids and (_attends_meeting_told(ctx, sent, meet, cues, mentions, pids)
                                             or _both_sides_again(ctx, sent, meet, cues, mentions, pids)):
            # "وحضر اللقاء X", "وجرى اللقاء بحضور X": more persons at the meeting just told.
            for m in _latest(meetings):
                m.attendees.extend(p for p in pids if p not in m.attendees)
                m.present.extend(p for p in pids if p not in m.present and p != m.host)
                if sent not in m.sents:
                    m.sents.append(sent)
        elif meet and "remote" not in cues and any(h.payload != "meet:light_verb" for h in meet):
            # A call is not a meeting, and a light verb needs its noun: "عقد شراكة" is a contract.
            before = bisect_left(people.mentions, (ctx.sents[sent][0],))  # mentions are sorted
            antecedent = people.mentions[before - 1][2] if before else None
            made = _meeting(ctx, sent, meet, mentions, pids, cues, lead, people, antecedent)
            for m in made:
                # "وعلى هامش هذا الاجتماع، تباحث X مع Y": a meeting of its own beside the one told.
                # Not a signing "على هامش اللقاء" ("ووقع الجانبان على هامش اللقاء مذكرة ..."): that is the
                # meeting told, where they signed.
                m.separate = m.separate or "sidelines" in cues and not _has_trigger(ctx, sent, "agree:verb")
                if m.rule == "lead-implied" and _definite(ctx, meet[0].start):
                    m.separate = False  # "وبعد اللقاء، قال الضيف القبرصي": the meeting told, if it holds them
                lead = m.host if lead is None and m.host is not None else lead
                _merge_meeting(meetings, m, ctx, dates)
        elif not meet and "remote" not in cues and (pair := _person_visited(ctx, sent, mentions)):
            # "زارت السفيرة الإيطالية X، أمس، المدير العام للأمن العام Y في مكتبه": Y received X.
            visitor, host = pair
            lead = host if lead is None else lead
            _merge_meeting(meetings, Meeting([sent], [host, visitor], host, "visited", 0.8), ctx, dates)

        for v in _visits(ctx, sent, mentions, cues, people, meetings, dates.get(sent, []), setting):
            _merge_visit(visits, v)
        ag = _agreement(ctx, sent, mentions, cues, meetings, people)
        if ag:
            ag.date = dates[sent][0] if dates.get(sent) else None
            _merge_agreement(agreements, ag)
        elif agreements:
            _signers_of_told(ctx, sent, mentions, agreements[-1])

    for v in _delegation_members(ctx, people, visits):
        _merge_visit(visits, v)
    _signings_met(meetings, agreements)
    meetings = _without_summary(meetings)
    meetings = [m for m in meetings if any(_official(people, p, ctx) for p in m.attendees) or _on_security(ctx, m, people)]
    # A visitor received by officials is on security business whatever his post ("وزير العدل القبرصي الذي يزور بيروت"),
    # and so is one who signs there ("ووقع المذكرة عن الجانب البرازيلي X ..., الذي يزور الدوحة حاليا").
    received = {(p, s) for m in meetings for p in m.attendees for s in m.sents}
    received |= {(int(key), s) for ag in agreements for kind, key in ag.parties if kind == "person" for s in ag.sents}
    pending = [v for v in visits if v.destination == _PENDING]
    visits = [v for v in visits if v.destination != _PENDING and not at_home(ctx, people, v)
              and (_official(people, v.visitor, ctx) or any((v.visitor, s) in received for s in v.sents))]
    _locate_and_date(ctx, meetings, visits, agreements, dates, people, plural_sents, setting)
    for v in pending:
        where = _where_met(ctx, people, meetings, v)
        if where is not None and (_official(people, v.visitor, ctx) or any(v.visitor in m.attendees for m in meetings)):
            v.destination = where
            _merge_visit(visits, v)
    visits += _guests_with_delegations(ctx, people, meetings, visits)
    return Events(meetings, visits, agreements, awards)


_ACCOMPANYING = normalize("المرافق")  # "والوفد المرافق له"


def _guests_with_delegations(ctx: DocContext, people: People, meetings: list[Meeting], visits: list[Visit]) -> list[Visit]:
    """"استقبل X في مكتبه بالرياض Y والوفد المرافق له": a guest received with the delegation he brought
    has come to where the meeting was, on its day."""
    travelled = {v.visitor for v in visits if not v.planned}
    found: list[Visit] = []
    for m in meetings:
        where = ctx.country_of(m.place) if m.place else None
        if m.place is None or where is None:
            continue
        for sent in m.sents:
            mentions = people.in_sentence(ctx, sent)
            for h in ctx.hits_in(*ctx.sents[sent], "CUE"):
                if h.payload != "delegation" or not ctx.written[h.start].startswith("والوفد") \
                        or h.end >= len(ctx.norms) or ctx.norms[h.end] != _ACCOMPANYING:
                    continue
                before = h.start - 1 if h.start > 0 and ctx.is_comma(h.start - 1) else h.start
                guest = next((pid for start, end, pid in reversed(mentions) if end == before), None)
                if guest is None or guest == m.host or guest not in m.attendees or guest in travelled \
                        or people.persons[guest].home() == where:
                    continue
                travelled.add(guest)
                found.append(Visit(guest, m.place, [sent], False, 0.6, m.date))
        # "استقبل X ... وفدا عن الشرطة الاتحادية الألمانية برئاسة Y": the head of a delegation received, of
        # another state, came with it.
        for start, pid in people.delegations:
            home = people.persons[pid].home()
            if ctx.sent_of[start] in m.sents and pid in m.attendees and pid != m.host and pid not in travelled \
                    and home is not None and home != where:
                travelled.add(pid)
                found.append(Visit(pid, m.place, [ctx.sent_of[start]], False, 0.6, m.date))
    return found


_VISITED = frozenset(normalize(w) for w in ("زار", "زارت", "يزور", "تزور"))  # a verb whose object is whom or where


def _person_visited(ctx: DocContext, sent: int, mentions) -> tuple[int, int] | None:
    """(visitor, visited) for "زار X Y": the visit verb's subject, then its object a person, with at
    most words of time or a date between them (not "زار X الرباط", "زار X مقر المديرية")."""
    for trig in _triggers(ctx, sent, "visit"):
        if trig.payload != "visit:verb" or ctx.written[trig.start].lstrip("و") not in _VISITED:
            continue
        subject = next((m for m in mentions if m[0] == trig.end), None)
        if subject is None:
            return None
        end = max(m[1] for m in mentions if m[2] == subject[2] and m[0] < subject[1] + 8)
        obj = next((m for m in mentions if m[0] >= end and m[2] != subject[2]), None)
        if obj is None or obj[0] - end > 9:
            return None
        between = range(end, obj[0])
        if all(ctx.is_comma(k) or ctx.norms[k] in ctx.lex.time_words or ctx.texts[k].isdigit()
               or ctx.hit(k, "WEEKDAY", "MONTH", "CUE") for k in between):
            return subject[2], obj[2]
    return None


def _definite(ctx: DocContext, i: int) -> bool:
    """Is token i a word with the article, behind any proclitic ("اللقاء", "واللقاء", "للقاء"; not "بلقاء")?"""
    w = ctx.written[i][len(ctx.clitics[i]):]
    return w.startswith("ال") or ctx.written[i].startswith("لل")


_MEMBERS_REACH = 20  # tokens after "يضم" that the list of a delegation's members may run


def _delegation_members(ctx: DocContext, people: People, visits: list[Visit]) -> list[Visit]:
    """"X، الذي يقوم بزيارة إلى الجزائر على رأس وفد هام يضم رئيس الشرطة Y": the members named
    after "يضم" travel with the visitor, to the same place and on the same day."""
    found = []
    for v in visits:
        for sent in v.sents:
            lo, hi = ctx.sents[sent]
            cues = ctx.hits_in(lo, hi, "CUE")
            delegation = next((h.end for h in cues if h.payload == "delegation"), None)
            includes = next((h for h in cues if h.payload == "includes" and delegation is not None
                             and delegation <= h.start <= delegation + 4), None)
            if includes is None:
                continue
            # The list ends at the next event word or at those only present ("، وذلك بحضور سفيرة ...").
            stop = next((h.start for h in ctx.hits_in(includes.end, hi, "TRIGGER", "CUE")
                         if h.label == "TRIGGER" or h.payload == "attend"), hi)
            members = {m[2] for m in people.in_sentence(ctx, sent)
                       if includes.end <= m[0] < min(stop, includes.end + _MEMBERS_REACH)} - {v.visitor}
            found += [Visit(pid, v.destination, list(v.sents), v.planned, v.confidence, v.date) for pid in sorted(members)]
    return found


# --- delegations -------------------------------------------------------------------------------
def _with_delegation_heads(ctx: DocContext, sent: int, mentions, heads: list[tuple[int, int]]):
    """"وعقد الوفد الضيف جلسة عمل مع X": "الوفد" told before stands for the person who leads it."""
    if not heads:
        return mentions
    lo, hi = ctx.sents[sent]
    introduced = {start for start, _ in heads}
    named = {m[2] for m in mentions}
    added = []
    for h in ctx.hits_in(lo, hi, "CUE"):
        if h.payload != "delegation" or h.start in introduced or not ctx.written[h.start].startswith(("ال", "وال")):
            continue
        earlier = [pid for start, pid in heads if start < h.start]
        if earlier and earlier[-1] not in named:
            added.append((h.start, h.end, earlier[-1]))
            named.add(earlier[-1])
    return sorted([*mentions, *added]) if added else mentions


# --- meetings ----------------------------------------------------------------------------------
def _meeting(ctx, sent, meet, mentions, pids, cues, lead, people, antecedent=None) -> list[Meeting]:
    receptions = [t for t in meet if t.payload == "meet:host"]
    if len(receptions) >= 2:
        # "استقبل X Y، ثم استقبل Z": one reception per verb, the same host unless another is named.
        made = _series(ctx, sent, receptions, mentions)
        if made:
            return made
    verbs = [t for t in meet if t.payload in ("meet:host", "meet:mutual")]
    if len(verbs) >= 2:
        # "التقى X بـ Y، قبل أن يجتمع بـ Z": two meetings, when each verb has a new person after it; one
        # named "بحضور" is no new guest ("استقبل X Y، وجرى خلال اللقاء بحث ...، بحضور Z").
        present = _present(ctx, sent, mentions)
        made = _series(ctx, sent, verbs, [m for m in mentions if m[2] not in present])
        if len(made) >= 2:
            return made
    trigger = meet[0]
    role = trigger.payload.split(":", 1)[1]
    if len(pids) >= 2:
        before = [m for m in mentions if m[1] <= trigger.start]
        after = [m for m in mentions if m[0] >= trigger.end]
        received = ctx.written[trigger.start].lstrip("و").startswith(("في استقبال", "استقبال")) \
            and ctx.written[trigger.start].endswith(("ه", "ها", "هما", "هم"))
        if role == "host" and before:
            host = before[-1][2]
        elif received and after:
            host = after[0][2]  # "وكان في استقباله X": X received the one spoken of
        elif role in ("host", "light_verb", "mutual", "host_noun") and after and not before:
            host = after[0][2]
        else:
            host = pids[0]
        others = [p for p in pids if p != host]
        present = _present(ctx, sent, mentions) - {host}
        if role == "host" and not received and antecedent is not None and antecedent not in pids \
                and ctx.written[trigger.start].endswith(("ه", "ها", "هما", "هم")) and set(others) <= present:
            others = [antecedent, *others]  # "حيث استقبله المدير العام X، في حضور Y": the one spoken of is the guest
        if "separately" in cues and len(others) >= 2:
            # Who is "بحضور" / "مرفوقا ب" sits in every one of the separate meetings.
            guests = [o for o in others if o not in present]
            return [Meeting([sent], [host, *sorted(present), o], host, "separately", 0.8, separate=True,
                            present=sorted(present)) for o in guests]
        return [Meeting([sent], [host, *others], host, f"{role}-pair", 0.9 if role == "host" else 0.85,
                        present=sorted(present))]
    if len(pids) == 1 and antecedent is not None and antecedent != pids[0] and ctx.written[trigger.start].endswith(("ه", "ها", "هما", "هم")):
        # "واستقبله نظيره الجزائري": the pronoun is the person the article spoke of last.
        return [Meeting([sent], [pids[0], antecedent], pids[0] if role == "host" else antecedent, "pronoun", 0.75)]
    if len(pids) == 1 and lead is not None and pids[0] != lead and role in ("noun", "mutual", "host", "light_verb"):
        # "وتواصل برنامج اللقاءات بلقاء مع السيد X": the article's host met X.
        return [Meeting([sent], [lead, pids[0]], lead, "lead-implied", 0.7, separate=True)]
    return []


_TOLD = ("meet:noun", "meet:host_noun", "meet:light_verb")


def _with_both_sides(ctx: DocContext, sent: int, mentions, meet, cues: dict[str, int], people: People,
                     meetings: list[Meeting]):
    """"وأضافت أن الجانبين عقدا جلسة مباحثات بحضور X": "the two sides" are the two who met in the
    meeting told last (not those present at it), or else the last two persons named before, who
    signed or spoke for each side, when the sentence names no one else but those present."""
    sides = cues.get("both_sides")
    if sides is None or not meet or not any(abs(h.start - sides) <= 3 for h in meet):
        return mentions
    named = {m[2] for m in mentions}
    if not named <= _present(ctx, sent, mentions):
        return mentions
    lo = ctx.sents[sent][0]
    last = meetings[-1] if meetings else None
    principals = [p for p in last.attendees if p not in last.present and p not in named] if last else []
    if len(principals) == 2:
        earlier = principals[::-1]  # latest first, as read back from the mentions below
    else:
        earlier = []
        for _, _, pid in reversed(people.mentions[:bisect_left(people.mentions, (lo,))]):
            if pid not in earlier and pid not in named:
                earlier.append(pid)
            if len(earlier) == 2:
                break
    if len(earlier) < 2:
        return mentions
    end = sides + 1
    return sorted([*mentions, (sides, end, earlier[1]), (sides, end, earlier[0])])


def _both_sides_again(ctx: DocContext, sent: int, meet, cues: dict[str, int], mentions, pids) -> bool:
    """"وبحث الجانبان، بحضور السفيرة X، ...": "the two sides" of the meeting just told talk on; the
    only persons named are those present."""
    sides = cues.get("both_sides")
    if sides is None or not any(h.end <= sides <= h.end + 1 for h in meet):
        return False
    return "attend" in cues and set(pids) <= _present(ctx, sent, mentions)


def _attends_meeting_told(ctx: DocContext, sent: int, meet, cues: dict[str, int], mentions, pids) -> bool:
    """Everyone named stands after an attendance cue, and the only meeting words are "اللقاء",
    "الاجتماع" or a light verb: these persons were at the meeting already told."""
    if "attend" not in cues:
        return False
    # Only meeting words; after them and the attendance cue, what was discussed there may follow
    # ("انتظمت الجلسة بحضور X، وتم خلالها ... وبحث آفاق ..."), but not another reception.
    told = [h.start for h in meet if h.payload in _TOLD]
    if not told or any(h.payload != "meet:mutual" or h.start < max(told[0], cues["attend"])
                       for h in meet if h.payload not in _TOLD):
        return False
    if not set(pids) <= _present(ctx, sent, mentions):
        return False
    # "اللقاء", and "جلسة المباحثات": a noun made definite by the one after it.
    definite = any(h.payload in ("meet:noun", "meet:host_noun")
                   and (ctx.written[h.start].startswith(("ال", "وال"))
                        or h.end < len(ctx.written) and ctx.written[h.end].startswith("ال")
                        or _between_the_two(ctx, h.end))
                   for h in meet)
    return definite or "this_meeting" in cues


_BETWEEN = normalize("بين")
_BETWEEN_REACH = 2  # tokens after the meeting noun: "جلسة مباحثات ثنائية بين الوزيرين"


def _between_the_two(ctx: DocContext, after: int) -> bool:
    """"جلسة مباحثات ثنائية بين الوزيرين": a meeting of two told before, named by a definite dual."""
    w = ctx.written
    for k in range(after, min(len(w) - 1, after + _BETWEEN_REACH + 1)):
        if w[k] == _BETWEEN:
            # A dual ("الوزيرين", "الجانبين"), not a short word that ends alike ("الدين").
            return w[k + 1].startswith("ال") and w[k + 1].endswith("ين") and len(w[k + 1]) > 5
    return False


def _latest(meetings: list[Meeting]) -> list[Meeting]:
    """The meetings of the last sentence that made one (several when receptions were separate)."""
    last = max(m.sents[0] for m in meetings)
    return [m for m in meetings if m.sents[0] == last]


def _series(ctx, sent, verbs, mentions) -> list[Meeting]:
    """One meeting per verb, each with the persons named in its clause; the host carries over."""
    made: list[Meeting] = []
    host = None
    for k, verb in enumerate(verbs):
        end = verbs[k + 1].start if k + 1 < len(verbs) else ctx.sents[sent][1]
        clause = [m for m in mentions if (m[0] >= verb.end or (k == 0 and m[1] <= verb.start)) and m[0] < end]
        ids = _order(clause)
        before = [m for m in clause if m[1] <= verb.start]
        host = before[-1][2] if before else (ids[0] if k == 0 and ids else host)
        guests = [p for p in ids if p != host]
        if host is not None and guests:
            made.append(Meeting([sent], [host, *guests], host, "reception-series", 0.85, separate=True))
    return made


def _joined_by_and(ctx: DocContext, start: int) -> bool:
    """Does the name at `start` begin with the conjunction ("ومحمد جاسم")? The normaliser strips و only
    off words the lexicon knows; a given name that begins with و ("وليد") keeps it."""
    w = ctx.written[start]
    return ctx.clitics[start].startswith("و") or w.startswith("و") and w not in ctx.lex.waw_names


def _present(ctx: DocContext, sent: int, mentions) -> set[int]:
    """Persons named right after an attendance cue ("بحضور", "مرفوقا ب"), and those joined to them
    by "و" ("حضر اللقاء X، ومعالي Y"); a "كل من" or "من الجانب ..." later in the clause opens the list
    anew ("وحضر الاجتماع، الذي انعقد بمقر الولاية، كل من X، ...، وY")."""
    lo, hi = ctx.sents[sent]
    present: set[int] = set()
    cues = ctx.hits_in(lo, hi, "CUE")
    attend = [h for h in cues if h.payload == "attend"]
    # "حضر اللقاء من الجانب اليوناني X، ومن الجانب المصري Y": each side opens a list of its own.
    lists = [h for h in cues if h.payload in ("each_of", "side") and attend and h.start > attend[0].start]
    for cue in attend + lists:
        reach = cue.end
        for start, end, pid in mentions:
            # A long rank may stand between ("، والجنرال دو كور دارمي X"), or the rest of the previous
            # person's post before the و of the list ("X مديرة عامة التدريب بشرطة عمان، ومساعد المفوض Y").
            ranked = any(ctx.hit(k, "HONORIFIC") for k in range(reach, min(reach + 2, start)))
            listed = reach > cue.end and _joined_by_and(ctx, start) and ctx.is_comma(start - 1)
            if start < cue.end or start - reach > (8 if listed else 7 if ranked else 4):
                continue
            joined = reach == cue.end or pid in present or _joined_by_and(ctx, start) or any(
                ctx.clitics[k].startswith("و") or ctx.written[k] == "و" for k in range(reach, start + 1))
            if not joined:
                break
            present.add(pid)
            reach = max(reach, end)
    return present


def _signings_met(meetings: list[Meeting], agreements: list[Agreement]) -> None:
    """"وقع X ونظيره Y اتفاقا ...": two persons who sign one document together have met, unless a
    meeting of theirs is told already."""
    for ag in agreements:
        signers = list(dict.fromkeys(int(key) for kind, key in ag.parties if kind == "person"))
        if len(signers) < 2 or any(set(signers) <= set(m.attendees) for m in meetings):
            continue
        _merge_meeting(meetings, Meeting(list(ag.sents), signers, None, "signing", 0.7))


def _sums_up(m: Meeting) -> bool:
    """A meeting of three or more told in the first line alone ("X يبحث مع Y ومدير Z"): it may sum up
    meetings the story tells one by one."""
    return m.sents == [0] and len(m.attendees) > 2


def _without_summary(meetings: list[Meeting]) -> list[Meeting]:
    """The first line's meeting of three or more, once two meetings told later hold all of them between them."""
    first = next((m for m in meetings if _sums_up(m)), None)
    if first is None:
        return meetings
    parts = [m for m in meetings if m is not first and set(m.attendees) < set(first.attendees) and not m.separate]
    # Told later with more beside them ("... يرافقه الملحق الأمني"), two meetings still share out its persons.
    shared = [set(m.attendees) & set(first.attendees) for m in meetings if m is not first]
    shared = [persons for persons in shared if len(persons) >= 2]
    if len(shared) >= 2 and set().union(*shared) >= set(first.attendees):
        return [m for m in meetings if m is not first]
    for m in parts:  # one meeting told again, with more detail: one meeting
        _absorb(first, m)
    return [m for m in meetings if m not in parts]


def _merge_meeting(meetings: list[Meeting], new: Meeting, ctx: DocContext | None = None,
                   dates: dict[int, list[DateMention]] | None = None) -> None:
    new_set = set(new.attendees)
    new_day = _day_told(ctx, new, dates)
    for m in meetings:
        old = set(m.attendees)
        same = old == new_set
        summary = _sums_up(m) and new_set < old  # kept apart until _without_summary decides
        # A meeting told as of its own ("وعلى هامش الحفل، التقى X Y") keeps apart from those before it,
        # not from what is told of it next ("وبحث الجانبان ...").
        apart = m.separate and m is not meetings[-1]
        contained = not apart and not new.separate and not summary and (new_set <= old or old <= new_set)
        # "... اليوم السبت ..." then "وكان X قد حل أمس الجمعة، واستهل زيارته بلقاء مع الوزير": told on
        # another day, another meeting.
        other_day = new_day is not None and _day_told(ctx, m, dates) not in (None, new_day)
        if (same or contained) and not other_day:
            _absorb(m, new)
            return
    meetings.append(new)


def _day_told(ctx: DocContext | None, m: Meeting, dates: dict[int, list[DateMention]] | None) -> dt.date | None:
    """The day the sentence a meeting is first told in gives by a day word ("أمس الجمعة"), if any. A
    range of days given for an event ("من 9 إلى 11 ديسمبر") does not make a meeting told there another one."""
    if ctx is None or dates is None:
        return None  # a signing's meeting: no day words to compare
    for d in dates.get(m.sents[0], ()):
        if any(h.label == "CUE" and h.payload in RELATIVE_DAYS for k in range(d.start, d.end + 1)
               for h in ctx.hits_at.get(k, ())):
            return d.value
    return None


def _absorb(m: Meeting, other: Meeting) -> None:
    """`other` told again as `m`: its sentences, persons and confidence are `m`'s too."""
    m.sents.extend(s for s in other.sents if s not in m.sents)
    m.attendees.extend(p for p in other.attendees if p not in m.attendees)
    m.present.extend(p for p in other.present if p not in m.present)
    m.confidence = max(m.confidence, other.confidence)


_SIDELINE_REACH = 5  # sentences that tell something, back to the event a sideline meeting was held at


def _told_before_sentences(ctx: DocContext, first: int, count: int) -> list[int]:
    """Up to `count` sentences that tell something, nearest first, before sentence `first`: not the
    blank ones (a paragraph's line break after its full stop), nor those skipped."""
    found: list[int] = []
    for s in range(first - 1, -1, -1):
        if len(found) == count:
            break
        lo, hi = ctx.sents[s]
        if s not in ctx.skip_sents and any(w.strip() for w in ctx.written[lo:hi]):
            found.append(s)
    return found


def _day_before(ctx: DocContext, earlier: Meeting | None, dates: dict[int, list[DateMention]],
                first: int) -> DateMention | None:
    """The day "وفي اليوم الموالي" counts from: the meeting told before, else the last day told before."""
    if earlier is not None:
        return earlier.date
    told = [d for s in sorted(dates) if s < first and s not in ctx.skip_sents for d in dates[s]]
    return told[-1] if told else None


def _story_date(ctx: DocContext, dates: dict[int, list[DateMention]],
                first: int) -> tuple[DateMention | None, int | None]:
    """The one day a story tells before a meeting that gives none: "وقعت ... أمس الأربعاء مذكرة ...
    وأفاد بلاغ ... بأن X استقبل الوفد الضيف". Only days told with an event (a trigger): not a header
    line's date of publication; and none where the story tells two days before the meeting."""
    if _pluperfect(ctx, first):
        return None, None
    told = [(d, s) for s in sorted(dates) if s < first and s not in ctx.skip_sents and dates[s]
            and ctx.hits_in(*ctx.sents[s], "TRIGGER") for d in dates[s]]
    if told and len({d.value for d, _ in told}) == 1:
        return told[0]
    return None, None


_HAD = frozenset(map(normalize, ("كان", "وكان", "كانت", "وكانت")))
_QAD = normalize("قد")


def _pluperfect(ctx: DocContext, sent: int) -> bool:
    """"وكان X قد استقبل مطلع الأسبوع ...": the pluperfect tells of a day before the story's."""
    lo, hi = ctx.sents[sent]
    words = [w for w in ctx.written[lo:hi] if w.strip()]
    return bool(words) and words[0] in _HAD and _QAD in words


def _locate_and_date(ctx, meetings, visits, agreements, dates, people, plural_sents, setting) -> None:
    order = sorted(meetings, key=lambda m: m.sents[0])
    dateline = story_dateline(ctx)
    starts = sorted({m.sents[0] for m in order})
    previous: Meeting | None = None
    for m in order:
        first = m.sents[0]
        cues = _cues(ctx, first)
        # "وعلى هامش هذا الاجتماع، تباحث X مع Y": same day, same place as the meeting beside it.
        beside = previous if previous is not None and "sidelines" in cues else None
        # "كما التقى X ...", "وفي لقاء ثالث، بحث X ...": one more of a series, where and when the one before was.
        # A signing told after a meeting ends it ("وتوجت المباحثات بالتوقيع على ..."): same day, same place.
        series = previous if previous is not None and ("another_meeting" in cues
                                                       or _has_trigger(ctx, first, "agree:verb")) else None
        earlier, previous = previous, m
        first_token = ctx.sents[first][0]
        later = [s for s in starts if s > first]
        seg_end = later[0] if later else len(ctx.sents)
        stops = [s for s in plural_sents if first < s < seg_end]
        if stops:
            seg_end = min(stops)
        segment = [s for s in range(first, seg_end) if s not in ctx.skip_sents]
        for s in _topic_sentences(ctx, m, order, plural_sents):
            for notation in _topics(ctx, s, people):
                m.topics.setdefault(notation, s)
        for s in _signed_before(m, agreements):
            # "وقعت إدارة الجمارك ... مذكرة تفاهم ... تهدف إلى تسريع تبادل المعلومات"، ثم "وسبق حفل التوقيع
            # جلسة مباحثات بين X وY": what the two who met signed is what their meeting was about too.
            for notation in _topics(ctx, s, people):
                m.topics.setdefault(notation, s)
        during_visit = any("during_visit" in _cues(ctx, s) for s in m.sents)
        own = [d for s in m.sents for d in dates.get(s, [])]
        # "... المنتدى الذي احتضنته مراكش يومي 9 و10 دجنبر، عقد X يوم الثلاثاء 10 دجنبر لقاء": the
        # date given with its weekday is the meeting's.
        own.sort(key=lambda d: not _after_weekday(ctx, d.start))
        guest_visits = [v for v in visits if v.visitor in m.attendees and not v.planned
                        and (during_visit or set(v.sents) & set(m.sents))]
        # "وفي اليوم نفسه، استقبل ...", "وفي اليوم الموالي، التقى ...": dated by the meeting told before
        # (or, where none was, the day told last: a call), not by a day its later sentences give, nor
        # by the day a guest arrived.
        counted_from = _day_before(ctx, earlier, dates, first) \
            if ("same_day" in cues or "next_day" in cues) and not dates.get(first) else None
        if counted_from is not None:
            day = counted_from.value + dt.timedelta(days=1 if "next_day" in cues else 0)
            m.date, m.date_sent = DateMention(first_token, first_token, day, counted_from.inferred), first
        elif own:
            m.date, m.date_sent = own[0], ctx.sent_of[own[0].start]
        elif series is not None and series.date:
            m.date, m.date_sent = series.date, series.date_sent
        elif guest_visits and guest_visits[0].date:
            m.date, m.date_sent = guest_visits[0].date, guest_visits[0].sents[0]
        elif beside is not None and beside.date:
            m.date, m.date_sent = beside.date, beside.date_sent
        else:
            for s in segment:
                if dates.get(s):
                    m.date, m.date_sent = dates[s][0], s
                    break
        if m.date is None and first > 0 and "this_meeting" in _cues(ctx, first) and dates.get(first - 1):
            # "انعقد يوم 3 فبراير الاجتماع ... وشارك في هذا الاجتماع": the meeting was dated just before.
            m.date, m.date_sent = dates[first - 1][0], first - 1
        # "انطلقت اليوم في العاصمة التونسية أعمال المجلس ... وعلى هامش الاجتماعات، التقى X Y": a meeting
        # on the sidelines of an event told before, and no meeting before it, is where and when that was.
        event_sents = _told_before_sentences(ctx, first, _SIDELINE_REACH) \
            if "sidelines" in cues and beside is None and earlier is None else []
        if m.date is None:
            m.date, m.date_sent = next(((dates[s][0], s) for s in event_sents if dates.get(s)), (None, None))
        venue_told = beside is not None and beside.place is not None
        if venue_told and beside is not None:
            m.place, m.place_sent = beside.place, beside.place_sent
        for s in ([] if venue_told else m.sents):
            here = [r for _, r in _meeting_places(ctx, s, people)]
            if here:
                m.place, m.place_sent = _venue(here), s
                break
        if series is not None and series.place is not None and (m.place is None or m.place[0] == "country"
                                                                  and ctx.country_of(series.place) == m.place[1]):
            m.place, m.place_sent = series.place, series.place_sent  # a country only is the city of the one before
        if m.place is None and guest_visits:
            m.place, m.place_sent = guest_visits[0].destination, guest_visits[0].sents[0]
            if m.place[0] == "country" and dateline is not None and ctx.country_of(dateline[1]) == m.place[1]:
                m.place, m.place_sent = dateline[1], dateline[0]  # "يزور المملكة" in a story filed from its capital
            elif m.place[0] == "country" and setting is not None and setting[1][0] == "place" \
                    and ctx.country_of(setting[1]) == m.place[1]:
                m.place, m.place_sent = setting[1], setting[0]  # ... or in the city its first meeting was in
        # "حل وفد أمني مغربي يقوده X بالعاصمة الإيفوارية أبيدجان ... وفي اليوم الموالي، استقبل Y X": one
        # who arrived in a city, told before, meets there.
        arrived = [v for v in visits if not v.planned and v.visitor in m.attendees and v.sents[0] < first
                   and v.destination[0] == "place"]
        if m.place is None and arrived:
            m.place, m.place_sent = arrived[-1].destination, arrived[-1].sents[0]
        for s in event_sents if m.place is None else []:
            told = [r for _, r in _places(ctx, s, people)]
            if told:
                m.place, m.place_sent = _venue(told), s
                break
        if m.place is None and first > 0 and "this_meeting" in _cues(ctx, first):
            told_before = _places(ctx, first - 1, people)
            if told_before:
                m.place, m.place_sent = told_before[0][1], first - 1
        if m.place is None and setting is not None and (dateline is None or setting[0] <= first):
            # The place of a meeting told later is not this one's where the dateline says where the story is.
            m.place, m.place_sent = setting[1], setting[0]
        if m.place is None and dateline is not None:
            m.place, m.place_sent = dateline[1], dateline[0]
        if m.place is not None and m.place[0] == "country":
            m.place, m.place_sent = _city_of_country(ctx, m, segment, people)
    for m in order:
        # "وجرى التوقيع على هذه الوثيقة خلال لقاء عقده المسؤولان": the meeting is the signing's, told
        # with its day and city a sentence before.
        if not _has_trigger(ctx, m.sents[0], "agree:verb"):
            continue
        signings = [ag for ag in agreements if ag.sents[0] < m.sents[0]]
        if not signings:
            continue
        signed = max(signings, key=lambda ag: ag.sents[0])
        if m.date is None and signed.date is not None:
            m.date, m.date_sent = signed.date, ctx.sent_of[signed.date.start]
        if m.place is None or m.place[0] == "country":
            cities = [(r, s) for s in signed.sents for _, r in _places(ctx, s, people) if r[0] == "place"]
            if cities and (m.place is None or ctx.country_of(cities[0][0]) == m.place[1]):
                m.place, m.place_sent = cities[0]
    for m in order:
        if m.date is None:
            m.date, m.date_sent = _story_date(ctx, dates, m.sents[0])
    for ag in agreements:
        host_meeting = next((m for m in order if set(m.sents) & set(ag.sents)), None)
        if host_meeting is None:
            before = [m for m in order if m.sents[0] <= ag.sents[0]]
            host_meeting = before[-1] if before else None
        if host_meeting:
            ag.topics = dict(host_meeting.topics)
            if ag.date is None:
                ag.date = host_meeting.date
    # A visit without its own date that a dated meeting took place during.
    for v in visits:
        if v.date is None:
            for m in order:
                if v.visitor in m.attendees and m.date and set(v.sents) & set(m.sents):
                    v.date = m.date


def _signed_before(m: Meeting, agreements: list[Agreement]) -> list[int]:
    """The sentences, told before the meeting, of what two or more of its attendees signed."""
    found: list[int] = []
    for ag in agreements:
        signers = {int(key) for kind, key in ag.parties if kind == "person"}
        if len(signers) >= 2 and signers <= set(m.attendees):
            found.extend(s for s in ag.sents if s < m.sents[0])
    return found


def _topic_sentences(ctx: DocContext, m: Meeting, order: list[Meeting], plural_sents: set[int]) -> list[int]:
    """The sentences that tell what a meeting was about: each of its own and those after it, up to one
    telling another meeting or a call. A meeting first told in the headline ("X يبحث مع Y ..."), then in the
    body, is about what follows the body's sentence, not what follows the headline's."""
    # The signers' meeting of an agreement told within it ("ووقع المذكرة عن الجانب ...") tells no other.
    others_set = {s for o in order if o is not m and o.rule != "signing" for s in o.sents}
    # Nor a call told after it ("وجرى خلال الاتصال استعراض ..."): what was said on the phone.
    others_set.update(ctx.sent_of[h.start] for h in ctx.hits_of.get("CUE", ()) if h.payload == "remote")
    others = sorted(others_set - set(m.sents))
    found: set[int] = set()
    for start in m.sents:
        stop = others[bisect_left(others, start + 1)] if others and others[-1] > start else len(ctx.sents)
        stop = min([p for p in plural_sents if start < p < stop], default=stop)
        found.update(s for s in range(start, stop) if s not in ctx.skip_sents)
    return sorted(found)


def _city_of_country(ctx: DocContext, m: Meeting, segment: list[int], people: People) -> tuple[Ref, int]:
    """A meeting placed in a country only ("الذي يزور سوريا") is in the city of that country that the
    talks are then said to be held in ("خلال اللقاء الذي جرى ... بدمشق").

    Not the city the story is filed from: tried, it lost more meetings' places than it gained."""
    assert m.place is not None and m.place_sent is not None  # the caller asks only for placed meetings
    country = m.place[1]
    for s in segment:
        # A sentence of the meeting's own may be a signing's ("ووقع المذكرة ... في مقر المديرية بمدينة الرياض").
        if s == m.place_sent or not (_triggers(ctx, s, "meet") or s in m.sents and _triggers(ctx, s, "agree")):
            continue
        cities = [r for _, r in _meeting_places(ctx, s, people) if r[0] == "place"]
        if cities and ctx.country_of(cities[0]) == country:
            return cities[0], s
    return m.place, m.place_sent


_DATELINE_MARKS = frozenset({"-", "–", "—", ":", "/"})
_DATELINE_SENTENCES = 3


def _after_weekday(ctx: DocContext, start: int) -> bool:
    """Is a weekday written right before this date ("الثلاثاء 10 دجنبر", "الثلاثاء، 10 دجنبر")?"""
    return any(k >= 0 and ctx.hit(k, "WEEKDAY") for k in (start - 1, start - 2))


def _closes_with_mark(text: str) -> bool:
    """"-" after the agency's bracket, also when the tokenizer leaves it glued on ("بترا)-")."""
    return text in _DATELINE_MARKS or ")" in text and text[-1] in _DATELINE_MARKS


def story_dateline(ctx: DocContext) -> tuple[int, Ref] | None:
    """(sentence, city) a wire story is filed from ("أبوظبي - وام:", "الرباط – و م ع"): where a meeting
    that the text does not place was held, as a last resort. Read once per article."""
    if "dateline" not in ctx.memo:
        ctx.memo["dateline"] = _find_dateline(ctx)
    return ctx.memo["dateline"]


def _find_dateline(ctx: DocContext) -> tuple[int, Ref] | None:
    for sent in range(min(_DATELINE_SENTENCES, len(ctx.sents))):
        lo, hi = ctx.sents[sent]
        while lo < hi and ctx.is_punct(lo) and ctx.texts[lo] not in _DATELINE_MARKS:
            lo += 1  # "(الرباط)" or a blank line
        place = (ctx.hit(lo, "PLACE", "COUNTRY") or _outlet_then_city(ctx, lo, hi)) if lo < hi else None
        if place is not None and place.label == "COUNTRY":
            # "تونس – (وات) –", "الكويت – 3 – 2 (كونا) --": a dateline names a city; a state's name
            # there is that of its capital.
            capital = ctx.lex.capital_of.get(place.payload)
            place = place._replace(label="PLACE", payload=capital) if capital else None
        if place is None:
            continue
        if place.start > lo:
            return sent, ("place", place.payload)  # "السومرية نيوز/ بغداد": the outlet, then the city
        if hi - lo <= DATELINE_LINE and any(ctx.hit(j, "MONTH") for j in range(place.end, hi)):
            return sent, ("place", place.payload)  # a line of its own: "الرياض 15 شوال 1446 هـ الموافق 13 أبريل 2025 م واس"
        k = place.end  # "عمّان 5 آذار (بترا) -", "بغداد (واع) -", "الدوحة في 22 يونيو /قنا/": a date, the agency's name
        if k + 1 < hi and ctx.norms[k] == _IN and ctx.texts[k + 1][:1].isdigit():
            k += 1
        while k < hi and k - place.end < 6 and (ctx.texts[k][:1].isdigit() or ctx.texts[k] in ",،"
                                                 or ctx.hit(k, "MONTH") or ctx.hit(k, "WEEKDAY")):
            named = ctx.hit(k, "MONTH") or ctx.hit(k, "WEEKDAY")
            k = named.end if named else k + 1
        if k < hi and (ctx.texts[k] in _DATELINE_MARKS or ctx.texts[k] == ")" or ctx.texts[k][:1] == "/"
                       or ctx.texts[k] == "(" and any(_closes_with_mark(ctx.texts[j]) for j in range(k + 1, min(hi, k + 6)))):
            return sent, ("place", place.payload)
    return None


_OUTLET_LINE = 6  # tokens: "السومرية نيوز/ بغداد", a line of its own


def _outlet_then_city(ctx: DocContext, lo: int, hi: int) -> Hit | None:
    """The city that ends a short line after the outlet's name and a mark ("السومرية نيوز/ بغداد")."""
    end = hi
    while end > lo and not ctx.texts[end - 1].strip():
        end -= 1  # the line break
    if end - lo > _OUTLET_LINE:
        return None
    for k in range(lo + 1, end):
        place = ctx.hit(k, "PLACE", "COUNTRY")
        if place is not None and place.end == end and (ctx.texts[k - 1] in _DATELINE_MARKS
                                                        or ctx.texts[k - 1].endswith("/")):
            return place
    return None


_WIRE_SPAN = 16  # tokens: a dateline gives its agency among the first words of the sentence
# What sets an agency's name off in a dateline: its marks and brackets ("(وات)", "/ بنا /", "دمشق-سانا").
_WIRE_MARKS = _DATELINE_MARKS | {"(", ")"}
_WIRE_FRAME = "".join(sorted(_WIRE_MARKS))  # for str.strip


def story_wire(ctx: DocContext) -> str | None:
    """The state whose news agency the dateline names ("المنامة في 14 أبريل / بنا /", "عدن - سبأ :",
    "روما 15 مارس (وال) –"): the state of the officials such a story names without theirs. Read once."""
    if "wire" not in ctx.memo:
        ctx.memo["wire"] = _find_wire(ctx)
    return ctx.memo["wire"]


def _find_wire(ctx: DocContext) -> str | None:
    wires = ctx.lex.wires
    for sent in range(min(_DATELINE_SENTENCES, len(ctx.sents)) if wires else 0):
        lo, hi = ctx.sents[sent]
        written = ctx.written  # normalised as the lexicon's names are
        for k in range(lo + 1, min(hi, lo + _WIRE_SPAN)):  # after the city or date: "قنا -" is the city of Qena
            word = written[k]
            bare = word.strip(_WIRE_FRAME)
            end = k + 1
            if len(bare) == 1 and k + 3 <= hi and len(written[k + 1]) == len(written[k + 2]) == 1:
                bare, end = " ".join(written[k:k + 3]), k + 3  # "و م ع"
            iso = wires.get(bare) if bare else None
            if iso is None or ctx.hit(k, "PLACE", "COUNTRY"):
                continue
            after = ctx.texts[end] if end < len(ctx.texts) else ""
            if bare != word or ctx.texts[k - 1] in _WIRE_MARKS or not after.strip() or after[0] in _WIRE_MARKS:
                return iso
    return None


# --- visits ------------------------------------------------------------------------------------
def _visits(ctx, sent, mentions, cues, people, meetings, sent_dates, setting=None) -> list[Visit]:
    found: list[Visit] = []
    hi = ctx.sents[sent][1]
    visit_words = _triggers(ctx, sent, "visit")
    if not visit_words:
        return found
    meet_starts = [h.start for h in _triggers(ctx, sent, "meet")]
    visit_starts = [h.start for h in visit_words]
    relatives = [h.end for h in ctx.hits_in(*ctx.sents[sent], "CUE") if h.payload == "relative_pronoun"]
    places = _places(ctx, sent, people)
    for trig in visit_words:
        if _invited_to_visit(ctx, trig.start, ctx.sents[sent][0]):
            continue  # "ويدعو نظيره الألماني إلى زيارة الرباط": an invitation, not a visit made
        if ctx.written[trig.start].startswith("لزيار"):
            # "دعوة لزيارة المملكة": an invitation, not a visit ("للزيارة المرتقبة" is one), unless
            # it was accepted or given a time.
            invited = _invited_visit(ctx, sent, trig, mentions)
            if invited is not None:
                found.append(invited)
            continue
        relative = next((r for r in relatives if trig.end <= r <= trig.end + 3), None)
        doer = [m for m in mentions if relative is not None and relative <= m[0] <= relative + 4]
        mentions_after = mentions
        if trig.payload == "visit:noun" and relative is not None:
            # "الزيارة التي قام بها X": X is the visitor, whoever was named before; a post with no
            # name there ("التي قام بها العاهل المغربي", "الوزير الإسباني") is someone this article does not name.
            if doer:
                mentions_after = doer
            elif any(ctx.hit(k, "TITLE", "HONORIFIC", "NATIONALITY") for k in range(relative, relative + 5)):
                continue
        # The visitor stands right after the verb, unless a meeting verb comes first ("في زيارة
        # عمل التقى خلالها X": X is the host).
        reach = 12 if trig.payload == "visit:verb" else 3  # "وصل إلى مسقط، اليوم، قادما من الدوحة، معالي X"
        after = [m for m in mentions_after if trig.end <= m[0] <= trig.end + reach
                 and not any(trig.end <= k < m[0] for k in meet_starts)
                 # "في ختام الزيارة على أن يزور X": X is the next visit's ("بعد أن زار مدريد، سيحل X" both)
                 and not (trig.payload == "visit:noun" and any(trig.end <= k < m[0] for k in visit_starts))]
        before = [] if mentions_after is not mentions else [m for m in mentions if m[1] <= trig.start]
        if after and after[0][0] > trig.end + 3 and before:
            after = []  # far words after the verb are not its subject when someone was named before it
        visitor = after[0][2] if after else (before[-1][2] if before else None)
        guest = _guest_named(ctx, trig.start, ctx.sents[sent][0], meetings, people) if not after else None
        if guest is not None:
            visitor = guest  # "الضيف الإيطالي الذي يزور البلاد": the guest of the meeting told
        led = next((pid for start, pid in people.delegations if trig.end <= start <= trig.end + 6
                    and start < hi), None) if not after else None
        if led is not None:
            visitor = led  # "الزيارة التي يقوم بها إلى الدولة وفد أمني كوري برئاسة X": X leads the visit
        elif not after and trig.end < hi and any(h.label == "CUE" and h.payload == "delegation"
                                                  for h in ctx.hits_at.get(trig.end, ())):
            # A delegation's visit is its head's: "وانتقل الوفد التركي إلى أربيل" is the delegation told
            # before; "زيارة لوفد ألماني إلى الكويت" one no one is named to lead, not whoever was named before.
            told = [pid for start, pid in people.delegations if start < trig.start]
            if not told or not ctx.written[trig.end].lstrip("و").startswith(("ال", "لل")):
                continue
            visitor = told[-1]
        told_end = after[0][1] if after else trig.end  # "زيارة عمل يقوم بها المسؤول الإسباني إلى المملكة"
        dest = None
        for start, ref in places:
            if start >= trig.end and (visitor is None or ref != ("country", people.persons[visitor].country)):
                dest = ref
                break
        if dest is None and visitor is not None:
            # "يقوم بزيارة رسمية للمغرب": a country behind "ل" right after the visit, or right after its
            # visitor ("الزيارة التي يقوم بها الوزير اليوناني للقاهرة"), is where it goes.
            dest = next((_ref(h) for h in ctx.hits_in(trig.end, min(max(trig.end, told_end) + 3, hi), "PLACE", "COUNTRY")
                         if (h.start < trig.end + 3 or h.start >= told_end) and ctx.clitics[h.start].endswith("ل")
                         and (h.label == "PLACE" or h.payload != people.persons[visitor].country)), None)
        here = [m for m in meetings if sent in m.sents]
        if dest is None and visitor is not None and _names_host_state(ctx, trig.end, min(trig.end + 2, hi)):
            # "الذي يزور البلاد حاليا", "يزور الدولة": the country the story is set in, not its city; told
            # nowhere, the one state of the others named with him ("وقعها عن الجانب الكويتي X، وعن الجانب
            # التركي Y، الذي يزور البلاد").
            dest = _state_of_story(ctx, meetings) or (None if here else _hosts_state(people, mentions, visitor))
        if visitor is None and here:
            # "في إطار الزيارة التي يقوم بها ...، استقبل X Y" / "في إطار زيارة عمل إلى بروكسل، التقى X بـ Y":
            # the visitor is the one who is not at home.
            order = [here[0].host, *(p for p in here[0].attendees if p != here[0].host)]
            abroad = [p for p in order if p is not None and dest is not None
                      and people.persons[p].home() not in (None, ctx.country_of(dest))]
            guests = [p for p in here[0].attendees if p != here[0].host]
            visitor = abroad[0] if abroad else (guests[0] if guests else None)
        if dest is None:
            if here and here[0].place is None:
                _place_from_sentence(ctx, here[0], sent, people)
            if here and here[0].place is not None:
                guests = [p for p in here[0].attendees if p != here[0].host]
                # The host of the meeting is the visitor only when known to be abroad.
                home = people.persons[visitor].home() if visitor is not None else None
                host_at_home = visitor == here[0].host and home in (None, ctx.country_of(here[0].place))
                if guests and (visitor is None or host_at_home):
                    visitor = guests[0]
                dest = here[0].place
        window = min(max(trig.end, told_end + 2) + 4, hi)
        if dest is None and visitor is not None and _names_host_state(ctx, trig.end, window):
            # "في إطار زيارة عمل إلى المملكة"; before any meeting is told, the state of a city the
            # sentence names ("وقعت ... بالرباط ... على هامش زيارة يقوم بها إلى المملكة وفد").
            dest = _state_of_story(ctx, meetings, setting) or next(
                (("country", c) for c in (ctx.country_of(r) for _, r in places) if c), None)
        if visitor is not None and dest is not None and not after and before and visitor == before[-1][2]:
            visitor = _away_from(people, before, ctx.country_of(dest), visitor)
        if visitor is None or dest is None and not _possessive(ctx.written[trig.start]):
            continue
        if dest is None:
            dest = _PENDING  # "مؤكدا أن زيارته تندرج ...": his visit, to where he met, once meetings are placed
        text = ctx.written[trig.start]
        planned_at = cues.get("planned")
        next_trigger = min((h.start for h in ctx.hits_in(*ctx.sents[sent], "TRIGGER") if h.start > trig.start),
                           default=hi)
        planned = (planned_at is not None and planned_at <= trig.end + 2) or text.startswith(("سي", "ست")) or (
            # "يزور ... الرياض الأسبوع المقبل": an imperfect verb and a time still to come in its clause.
            planned_at is not None and trig.payload == "visit:verb" and text.startswith(("ي", "ت"))
            and trig.end < planned_at < next_trigger) or (
            # "على أن يزور الساعدي الرياض": an imperfect verb after "أن" is a visit yet to be made.
            trig.payload == "visit:verb" and text.startswith(("ي", "ت")) and _visit_to_come(ctx, trig.start, ctx.sents[sent][0])) \
            or (trig.payload == "visit:noun" and _visit_noun_to_come(ctx, trig.start, ctx.sents[sent][0]))
        found.append(Visit(visitor, dest, [sent], planned, 0.8 if after or before else 0.6,
                           sent_dates[0] if sent_dates else None))
        companion = _companion(ctx, before, visitor) if not after else None
        if companion is not None:
            found.append(Visit(companion, dest, [sent], planned, 0.6, sent_dates[0] if sent_dates else None))
    return found


def _hosts_state(people: People, mentions, visitor: int) -> Ref | None:
    """The one state, not the visitor's, of the others a sentence names with him."""
    own = people.persons[visitor].home()
    states = {people.persons[m[2]].home() for m in mentions if m[2] != visitor} - {None, own}
    return ("country", states.pop()) if own is not None and len(states) == 1 else None


_ACCOMPANIES = frozenset(normalize(w) for w in ("يرافق", "ترافق", "رافق", "رافقت", "المرافق", "المرافقة", "مرافقا",
                                                 "مرافقة"))
_COMPANION_REACH = 7  # "ستيفان فيرميلن (Stefaan Vermeulen)، الذي يرافق"


def _companion(ctx: DocContext, before, visitor: int) -> int | None:
    """"المفوض العام ...، الذي يرافق الوزيرة في زيارتها": who accompanies the visitor on the visit."""
    if not before or before[-1][2] != visitor:
        return None
    k = before[-1][0] - 1
    if k < 0 or ctx.written[k] not in _ACCOMPANIES:
        return None
    # The nearest named before the verb, past "، الذي" and a name's rendering in brackets.
    return next((m[2] for m in reversed(before) if m[1] <= k - 1 and m[2] != visitor and k - m[1] <= _COMPANION_REACH), None)


_INVITATION = tuple(normalize(w) for w in ("دعوة", "الدعوة", "دعوت"))  # "دعوته": his invitation
_RECEIVED = frozenset(normalize(w) for w in ("تلقى", "وتلقى", "تسلم", "وتسلم", "تلقت", "وتلقت", "تسلمت", "وتسلمت"))
# An invitation accepted ("وهي الدعوة التي قبلها ... على أن يحدد موعدها لاحقا") or given a time
# ("في كانون الثاني", "خلال الربع الأول من سنة 2026", "مطلع العام المقبل") is a visit to come; not
# one only welcomed, or whose date is still to be set ("رحب بها دون تحديد موعد").
_ACCEPTED = frozenset(normalize(w) for w in ("قبلها", "قبله", "وقبلها", "القبول", "بالقبول"))
_DATE_UNSET = frozenset(normalize(w) for w in ("لاحقا", "يحدد", "تحديد", "يتفق", "سيحدد", "تحدد"))
_TO_COME = frozenset(normalize(w) for w in ("المقبل", "المقبلة", "القادم", "القادمة", "الجاري", "الحالي"))
_TO = normalize("إلى")
_INVITATION_REACH = 10  # tokens from the invitation to its "لزيارة", and back to "تلقى"
_AFTER_DESTINATION = 12  # tokens after the destination where its time or its acceptance is told


_INVITES = frozenset(normalize(w) for w in ("يدعو", "ويدعو", "تدعو", "وتدعو", "دعا", "ودعا", "دعت", "ودعت",
                                             "داعيا", "داعية", "يدعوه", "دعاه", "ودعاه", "دعاها", "ودعاها",
                                             "دعته", "ودعته", "دعتها", "ودعتها", "ويدعوه", "يدعوها"))


_PENDING: Ref = ("pending", "")
_POSSESSIVE_ENDINGS = ("ته", "تها", "تهم", "تهما")  # "زيارته", "زيارتها": the visit of the one named before


def _possessive(word: str) -> bool:
    return word.endswith(_POSSESSIVE_ENDINGS)


def _where_met(ctx: DocContext, people: People, meetings: list[Meeting], visit: Visit) -> Ref | None:
    """Where a visitor told of by "زيارته" went: the place of the last meeting he attended, by then,
    abroad from his known home."""
    home = people.persons[visit.visitor].home()
    if home is None:
        return None
    met = [m for m in meetings if visit.visitor in m.attendees and m.place is not None
           and min(m.sents) <= visit.sents[0] and ctx.country_of(m.place) not in (None, home)]
    return max(met, key=lambda m: min(m.sents)).place if met else None


def _away_from(people: People, before, where: str | None, visitor: int) -> int:
    """"بحث X خلال لقاء جمعه بنظيره الإيطالي Y، على هامش زيارة قام بها إلى روما": the visit is not of the
    one last named, at home there, but of the last named before him who is not."""
    if where is None or people.persons[visitor].home() != where:
        return visitor
    return next((m[2] for m in reversed(before) if people.persons[m[2]].home() != where), visitor)


def _invited_to_visit(ctx: DocContext, start: int, lo: int) -> bool:
    """"يدعو نظيره إلى زيارة الرباط", "دعا X إلى زيارة المغرب": the visit noun after "إلى", an inviting
    verb just before."""
    w = ctx.written
    if start <= lo or w[start - 1] != _TO:
        return False
    return any(w[k] in _INVITES for k in range(max(lo, start - _INVITATION_REACH), start - 1))


def _invited_visit(ctx: DocContext, sent: int, trig, mentions) -> Visit | None:
    """"ووجه X دعوة رسمية إلى Y لزيارة روما، وهي الدعوة التي قبلها", "تلقى Y دعوة لزيارة نيقوسيا في
    كانون الثاني": Y's planned visit, when the invitation was accepted or given a month or a year."""
    lo, hi = ctx.sents[sent]
    written = ctx.written
    at = next((k for k in range(trig.start - 1, max(lo, trig.start - _INVITATION_REACH) - 1, -1)
               if written[k].lstrip("و").startswith(_INVITATION)), None)
    if at is None:
        return None
    between = [m for m in mentions if at < m[0] < trig.start]
    # "وجه X إلى Y دعوة لزيارة": the one it is addressed to, named right before it.
    addressed = [m for m in mentions if m[1] == at and m[0] > lo and written[m[0] - 1] == _TO]
    if between or addressed:
        invitee = (between or addressed)[-1][2]  # "دعوة إلى الفريق الدبوس لزيارة", "دعوة لنظيرها المغربي لزيارة"
    else:
        verb = next((k for k in range(at - 1, max(lo, at - _INVITATION_REACH) - 1, -1) if written[k] in _RECEIVED),
                    None)
        received = [m for m in mentions if verb is not None and verb < m[0] < at]
        if not received:
            return None
        invitee = received[0][2]  # "تلقى اللواء العبادي دعوة لزيارة"
    # Where the invitation is to ("لزيارة العاصمة القبرصية نيقوسيا"): no place of the sentence's own (_invited_to).
    dest = next(iter(ctx.hits_in(trig.end, min(hi, trig.end + 4), "PLACE", "COUNTRY")), None)
    if dest is None:
        return None
    # Up to another visit ("لزيارة بغداد، على أن يزور الساعدي الرياض خلال ..."): its time is that one's.
    upto = min([hi, dest.end + _AFTER_DESTINATION, *(h.start for h in _triggers(ctx, sent, "visit")
                                                     if h.start >= dest.end and h.payload == "visit:verb")])
    window = range(dest.end, upto)
    told = {ctx.norms[k] for k in window} | {written[k] for k in window}
    shapes = ctx.doc.user_data[DATE_SHAPES.name]  # a year, or a whole numeric date
    when = not told.isdisjoint(_TO_COME) or any(shapes[k] or ctx.hit(k, "MONTH") for k in window)
    accepted = not told.isdisjoint(_ACCEPTED)
    if not (when or accepted) or not (accepted or told.isdisjoint(_DATE_UNSET)):
        return None
    return Visit(invitee, _ref(dest), [sent], True, 0.6)


def _names_host_state(ctx: DocContext, start: int, end: int) -> bool:
    """"البلاد", "المملكة", "الدولة" among tokens [start, end): the state the story is set in, unnamed."""
    return any(ctx.norms[k] in HOST_STATE for k in range(start, end))


_GUEST = frozenset(normalize(w) for w in ("الضيف", "الضيفة"))


def _guest_named(ctx: DocContext, verb: int, lo: int, meetings: list[Meeting], people: People) -> int | None:
    """"الضيف الإيطالي الذي يزور البلاد": the guest of the latest meeting, of that nationality if one is
    said; None when the words before the verb do not call someone the guest."""
    k = next((k for k in range(max(lo, verb - 4), verb) if ctx.norms[k] in _GUEST), None)
    if k is None or not meetings:
        return None
    nationality = ctx.hit(k + 1, "NATIONALITY")
    latest = max(meetings, key=lambda m: m.sents[0])
    guests = [p for p in latest.attendees if p != latest.host and p not in latest.present
              and (nationality is None or people.persons[p].country == nationality.payload)]
    return guests[0] if len(guests) == 1 else None


def _state_of_story(ctx: DocContext, meetings: list[Meeting], setting: tuple[int, Ref] | None = None) -> Ref | None:
    """The country a story is set in, for "المملكة" or "البلاد" unnamed: its dateline's, that of
    where it placed a meeting, or of the place its first meeting was told in (`setting`: the meetings
    are placed only once all are read)."""
    dateline = story_dateline(ctx)
    places = [dateline[1]] if dateline else []
    places += [m.place for m in meetings if m.place is not None]
    places += [setting[1]] if setting else []
    country = next((c for c in map(ctx.country_of, places) if c), None)
    return ("country", country) if country else None


def _place_from_sentence(ctx, meeting, sent, people) -> None:
    here = _meeting_places(ctx, sent, people)  # not where one will go: "سيحل بالرباط مطلع السنة المقبلة"
    cities = [r for _, r in here if r[0] == "place"]
    if cities or here:
        meeting.place, meeting.place_sent = (cities or [here[0][1]])[0], sent


def _merge_visit(visits: list[Visit], new: Visit) -> None:
    for v in visits:
        if v.visitor == new.visitor and (v.destination == new.destination or v.planned == new.planned):
            v.sents.extend(s for s in new.sents if s not in v.sents)
            v.date = v.date or new.date
            v.destination = new.destination if v.destination == _PENDING else v.destination
            return
    visits.append(new)


# --- agreements --------------------------------------------------------------------------------
def _agreement(ctx, sent, mentions, cues, meetings, people) -> Agreement | None:
    lo, hi = ctx.sents[sent]
    verbs = _triggers(ctx, sent, "agree")
    documents = [h for h in verbs if h.payload == "agree:document"]
    signing = [h for h in verbs if h.payload == "agree:verb"]
    if not documents or not signing:
        return None
    doc_hit = documents[0]
    if "planned" in cues and cues["planned"] < signing[0].start:
        return None  # "من المرتقب أن يوقع الطرفان": not signed yet
    if _not_signed_here(ctx, sent, signing[0].start, doc_hit.start):
        return None
    name = " ".join(strip_marks(ctx.texts[i]) for i in range(doc_hit.start, doc_hit.end))
    if ctx.clitics[doc_hit.start]:
        name = name[len(ctx.clitics[doc_hit.start]):]
    parties: list[Ref] = []
    agencies: list[AgencyRef] = []
    # "مذكرة تفاهم بين ...": the parties follow the document, not a verb of a clause about it
    # ("على مخطط عمل يغطي الفترة، يروم الارتقاء بالتعاون بين المصالح الأمنية").
    between = None
    for i in range(doc_hit.end, hi):
        if ctx.norms[i] == _BETWEEN:
            between = i
            break
        if _imperfect_verb(ctx, i):
            break
    if between is not None:
        i = between + 1
        while i < hi:
            if ctx.norms[i] in ctx.lex.agency_heads or ctx.hit(i, "AGENCY"):
                end, refs = agencies_at(ctx, i, hi)
                agencies.extend(refs)
                i = max(end, i + 1)
                continue
            c = ctx.hit(i, "COUNTRY")
            if c:
                parties.append(("country", c.payload))
                i = c.end
                continue
            nat = ctx.hit(i + 1, "NATIONALITY") if i + 1 < hi and ctx.written[i] in _ITS_COUNTERPART else None
            if nat:
                parties.append(("country", nat.payload))  # "بين المديرية العامة للأمن الوطني ونظيرتها الإيفوارية"
                i = nat.end
                continue
            if ctx.is_comma(i):
                break
            i += 1
        # Who is named inside "بين ... و ..." signed, and who the verb names before the document ("وقع X
        # وY على برنامج تعاون بين ..."); the meeting told later in the sentence is another matter.
        verb = next((h.end for h in signing if h.end <= doc_hit.start), None)
        parties.extend(("person", str(m[2])) for m in mentions
                       if between < m[0] < i or (verb is not None and verb <= m[0] < doc_hit.start))
    if between is None:
        # "أبرمت وزارة الداخلية الأردنية ووزارة الداخلية الإيطالية اتفاقية": the signatories lead the clause.
        in_title = people.title_tokens
        i = lo
        while i < doc_hit.start:
            if i not in in_title and (ctx.agency_head(i) or ctx.hit(i, "AGENCY")) and not ctx.hit(i, "TITLE"):
                end, refs = agencies_at(ctx, i, doc_hit.start)
                # "بمقر قيادة الدرك": where, not who; "بلاغ مشترك للمديرية العامة ...": who tells, not who signed.
                if not (i > lo and ctx.written[i - 1] in _AT_SEAT) and not _statement_by(ctx, i, lo):
                    agencies.extend(refs)
                i = max(end, i + 1)
                continue
            c = ctx.hit(i, "COUNTRY")
            city = ctx.hit(i, "PLACE")  # "الجزائر العاصمة"
            if c and i not in in_title and "ب" not in ctx.clitics[i] and not (i > lo and ctx.norms[i - 1] == _IN) \
                    and not (city and city.end >= c.end):  # "في الجزائر العاصمة": where it was signed
                parties.append(("country", c.payload))
                i = c.end
                continue
            i += 1
        if agencies:
            # "وقعت المديرية العامة لمكافحة المخدرات مذكرة تفاهم مع قوة مكافحة المخدرات الباكستانية".
            with_ = next((k for k in range(doc_hit.end, min(hi, doc_hit.end + 3)) if ctx.norms[k] == _WITH), None)
            if with_ is not None and with_ + 1 < hi and (ctx.agency_head(with_ + 1) or ctx.hit(with_ + 1, "AGENCY")):
                agencies.extend(agencies_at(ctx, with_ + 1, hi)[1])
    # "وقعها عن الجانب المغربي X، وعن الجانب الإيفواري Y": who signed for each side.
    for cue in (h for h in ctx.hits_in(lo, hi, "CUE") if h.payload == "side"):
        signer = next((m[2] for m in mentions if cue.end <= m[0] <= cue.end + 3), None)
        if signer is not None and ("person", str(signer)) not in parties:
            parties.append(("person", str(signer)))
    if not parties and not agencies:
        current = next((m for m in reversed(meetings) if m.sents[0] <= sent), None)  # the meeting told last
        pids = _order(mentions)
        if "both_sides" in cues and current:
            parties = [("person", str(p)) for p in current.attendees if p not in current.present]
        elif len(pids) >= 2 and _one_signs(ctx, signing[0].start, mentions):
            # "وزير الداخلية يستقبل ممثل اليابان ويوقع اتفاقية": the verb's subject, who received, signs.
            parties = [("person", str(pids[0]))]
        elif len(pids) >= 2:
            # Not those only present ("الذي جرى بحضور سفيرة المملكة المتحدة"): they witnessed it.
            present = _present(ctx, sent, mentions)
            signers = [p for p in pids if p not in present]
            parties = [("person", str(p)) for p in (signers if len(signers) >= 2 else pids)]
        elif current:
            # "وفي ختام الاجتماع، تم التوقيع على خطة عمل مشتركة": signed by those who met, not those present.
            parties = [("person", str(p)) for p in current.attendees if p not in current.present]
    confidence = 0.9 if agencies or between is not None else 0.75
    return Agreement(name, parties, [sent], confidence, agencies)


_DUAL_ENDINGS = ("ان", "ا")  # "يوقعان", "وقعا", "وقعتا": two signed


def _one_signs(ctx: DocContext, verb: int, mentions) -> bool:
    """A singular signing verb joined by و after everyone named ("... يستقبل Y ويوقع"): one signs."""
    w = ctx.written[verb]
    return w.startswith("و") and not w.endswith(_DUAL_ENDINGS) and all(m[1] <= verb for m in mentions)


_PROSPECT = frozenset(normalize(w) for w in (
    "إمكانية", "رغبة", "رغبته", "رغبتها", "رغبتهما", "مشروع", "التحضير", "الإعداد", "إعداد",
    "بصدد", "يعتزم", "تعتزم", "يعتزمان", "تمهيدا", "بهدف", "أفق"))
_SEVERAL = frozenset(normalize(w) for w in ("عدة", "عديد", "جملة", "مجموعة", "سلسلة", "العديد"))
_OF = normalize("من")
_PROSPECT_REACH = 3  # words before the signing: "إمكانية إبرام", "رغبته في توقيع", "التحضير لتوقيع"


_STATEMENT = frozenset(normalize(w) for w in ("بلاغ", "بيان", "بلاغا", "بيانا", "البلاغ", "البيان"))


def _statement_by(ctx: DocContext, i: int, lo: int) -> bool:
    """"وأفاد بلاغ (مشترك) للمديرية العامة ...": the body behind ل after a statement is its author."""
    return "ل" in ctx.clitics[i] and any(ctx.norms[k] in _STATEMENT for k in range(max(lo, i - 2), i))


def _not_signed_here(ctx: DocContext, sent: int, verb: int, document: int) -> bool:
    """A signing the story does not tell as made: one to come ("والتحضير لتوقيع مذكرة", "إمكانية إبرام
    مذكرة", "أبدى رغبته في توقيع"), a draft ("مشروع مذكرة ... ترفع للتوقيع"), or background: several
    told at once ("بتوقيع عدد من الاتفاقيات", "على عدة اتفاقيات"), signed in a past year told in the
    pluperfect ("وكان البلدان قد وقعا في عام 2024 مذكرة")."""
    lo = ctx.sents[sent][0]
    if ctx.written[verb].startswith(("لت", "للت", "لا")) or ctx.written[document].startswith("لل"):
        return True  # "لتوقيع", "للتوقيع", "لإبرام" (written "لابرام"): in order to sign
    if any(ctx.norms[k] in _PROSPECT for at in (verb, document) for k in range(max(lo, at - _PROSPECT_REACH), at)):
        return True
    before_doc = [ctx.norms[k] for k in range(max(lo, document - 3), document)]
    after_verb = [ctx.norms[k] for k in range(verb + 1, min(ctx.sents[sent][1], verb + 3))]
    return any(w in _SEVERAL for w in before_doc + after_verb[:1]) or _NUMBER_OF in (before_doc[-2:], after_verb) \
        or _signed_years_ago(ctx, sent)


_NUMBER_OF = [normalize("عدد"), _OF]  # "بتوقيع عدد من الاتفاقيات"


def _signed_years_ago(ctx: DocContext, sent: int) -> bool:
    """"وكان البلدان قد وقعا في عام 2024": the pluperfect, and a year or a whole date in the sentence."""
    lo, hi = ctx.sents[sent]
    shapes = ctx.doc.user_data[DATE_SHAPES.name]  # a year, or a whole numeric date
    return _pluperfect(ctx, sent) and any(shapes[k] for k in range(lo, hi))


def _signers_of_told(ctx: DocContext, sent: int, mentions, agreement: Agreement) -> None:
    """"ووقع المذكرة عن الجانب الأردني X، وعن الجانب القبرصي Y": who signed the document told before."""
    lo, hi = ctx.sents[sent]
    if not _has_trigger(ctx, sent, "agree:verb"):
        return
    for cue in (h for h in ctx.hits_in(lo, hi, "CUE") if h.payload == "side"):
        signer = next((m[2] for m in mentions if cue.end <= m[0] <= cue.end + 3), None)
        if signer is not None and ("person", str(signer)) not in agreement.parties:
            agreement.parties.append(("person", str(signer)))
            if sent not in agreement.sents:
                agreement.sents.append(sent)


def _imperfect_verb(ctx: DocContext, i: int) -> bool:
    """"يغطي", "يروم", "تهدف": a word the lexicons do not know, in the form of a present-tense verb."""
    w = ctx.written[i]
    return len(w) >= 4 and w[0] in "يت" and not ctx.clitics[i] and not ctx.labels(i) \
        and ctx.norms[i] not in ctx.lex.stopwords and ctx.norms[i] not in ctx.lex.vocabulary


def _merge_agreement(agreements: list[Agreement], new: Agreement) -> None:
    key = normalize(new.name).replace("ال", "")
    for a in agreements:
        other = normalize(a.name).replace("ال", "")
        # "مخطط عمل" of the headline is the "مخطط عمل مشترك" of the body.
        if other == key or other.startswith(key + " ") or key.startswith(other + " "):
            if key.startswith(other + " "):
                a.name = new.name  # the fuller name told later; one told alike keeps its first spelling
            a.date = a.date or new.date
            a.sents.extend(s for s in new.sents if s not in a.sents)
            a.parties.extend(p for p in new.parties if p not in a.parties)
            a.agencies.extend(x for x in new.agencies if x not in a.agencies)
            return
    if new.parties or new.agencies:
        agreements.append(new)


# --- awards ------------------------------------------------------------------------------------
_PRIZE = frozenset(normalize(w) for w in ("جائزة", "الجائزة"))


def _award(ctx, sent, mentions) -> Award | None:
    lo, hi = ctx.sents[sent]
    named = {m[0] for m in mentions}
    # "العميد وسام جورج حداد": a medal word that opens a name is no award
    nouns = [h for h in _triggers(ctx, sent, "award") if h.payload == "award:noun" and h.start not in named]
    if not nouns or not mentions:
        return None
    noun = nouns[0]
    recipient = None
    label_end = hi
    # "تسليم وسام جوقة الشرف لعبد اللطيف X": the one given it, behind ل, in the decoration's own clause
    # (not "... ، عرفانا بالدعم الذي يقدمه لنظيره").
    clause_end = next((k for k in range(noun.end, hi) if ctx.is_punct(k)), hi)
    for start, end, pid in mentions:
        if noun.end <= start < clause_end and ("ل" in ctx.clitics[start] or ctx.written[start].startswith("ل")):
            recipient, label_end = pid, start
            break
    if recipient is None:
        before = [m for m in mentions if m[1] <= noun.start]
        # "سباق جائزة البحرين الكبرى": a prize named with no one given it is no award.
        if not before or (ctx.norms[noun.start] in _PRIZE and not _has_trigger(ctx, sent, "award:verb")):
            return None
        recipient = before[-1][2]
    i = noun.start
    words = []
    while i < label_end and i < noun.start + 10 and not ctx.is_punct(i) \
            and not (i > noun.start and (i in named and not ctx.hit(i, "TITLE") or ctx.hit(i, "HONORIFIC"))):
        # a name or an honorific ends the decoration's name; a post ("من رتبة قائد") is its grade
        words.append(strip_marks(ctx.texts[i]))
        i += 1
    label = " ".join(words)
    clitic = ctx.clitics[noun.start]
    if clitic and label.startswith(clitic):
        label = label[len(clitic):]
    if " " not in label and label.startswith("ال"):
        return None  # "وقام بتقليد الوسام السفير X": the decoration told before, not another
    giver = None
    for start, end, pid in mentions:
        if pid != recipient and start > noun.start:
            window = tuple(ctx.norms[k] for k in range(max(lo, start - 4), start))
            if any(tuple(window[-len(p) - j:len(window) - j]) == p for p in _BY for j in range(0, 3) if len(window) >= len(p) + j):
                giver = pid
                break
    return Award(recipient, label, giver, sent)
