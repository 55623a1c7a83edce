"""Table-driven acceptance tests: hand-written Arabic passages and the facts an analyst expects.

Each line of tests/cases/*.jsonl is one case:
    {"id", "bullet", "text", "published"?, "expect": {...}, "xfail"?}
The text runs through `extract.pipeline.Extractor` and `graph.build.build_dataset`; every key
present in "expect" is then checked exactly against the RDF (schema.org / mj: vocabulary,
docs/design.md), absent keys are not checked. Names are compared after `norm()` below.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).resolve().parent / "cases"
TODAY = dt.date(2026, 11, 22)  # weekday-inferred years are computed against this day

BULLETS = ("outlets", "honorifics", "order", "receptions", "visits", "agreements", "dates", "noise",
           "non_diplomacy", "topics")
NOTATIONS = frozenset({
    "terrorism", "extremism", "organized-crime", "drug-trafficking", "human-trafficking", "illegal-migration",
    "cybercrime", "money-laundering", "espionage", "border-security", "wanted-persons", "major-events-security",
    "training", "information-exchange", "technical-assistance", "intelligence",
})
EXPECT_KEYS = frozenset({
    "persons", "aliases", "met", "meetings", "meeting_dates", "date_inferred", "meeting_places", "titles",
    "orgs", "countries", "visits", "agreements", "topics", "awards",
})
CASE_KEYS = frozenset({"id", "bullet", "text", "published", "expect", "xfail", "known_miss"})
MIN_CASES = 150
MIN_PER_BULLET = 5
MAX_XFAIL_SHARE = 0.10

SCHEMA = "https://schema.org/"
MJ = "https://w3id.org/majlis#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


# ---------------------------------------------------------------------------------------------
# Loading the tables

def load_cases(directory: Path = CASES_DIR) -> list[dict]:
    cases = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:  # reported by test_case_files_parse
                case = {"id": f"{path.name}:{number}", "_error": str(exc)}
            case["_where"] = f"{path.name}:{number}"
            cases.append(case)
    return cases


CASES = load_cases()


def _param(case: dict):
    marks = []
    if case.get("xfail"):
        marks.append(pytest.mark.xfail(reason=case["xfail"], strict=False))
    elif case.get("known_miss"):
        # A miss of today's extractor, recorded with what goes wrong; the case stays as the target.
        marks.append(pytest.mark.xfail(reason=f"known miss: {case['known_miss']}", strict=False))
    return pytest.param(case, id=case.get("id", case["_where"]), marks=marks)


# ---------------------------------------------------------------------------------------------
# Name normalisation, as the issue states it (independent of extract.normalize on purpose)

_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ڤ": "ف"})


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    text = _MARKS.sub("", text).translate(_LETTERS)
    return " ".join(text.split()).casefold()


# ---------------------------------------------------------------------------------------------
# Reading the dataset back

@dataclass
class Event:
    iri: object
    attendees: set = field(default_factory=set)
    dates: set = field(default_factory=set)
    inferred: bool = False
    places: list = field(default_factory=list)       # one set of normalised names per location
    topics: set = field(default_factory=set)
    visitors: set = field(default_factory=set)
    destinations: list = field(default_factory=list)
    planned: bool = False
    names: set = field(default_factory=set)
    parties: list = field(default_factory=list)       # one set of normalised names per party


class Found:
    """What the dataset says, in plain Python, with readable summaries for failure messages."""

    def __init__(self, ds):
        from rdflib import URIRef

        self.ds = ds
        self.U = URIRef
        self.persons = sorted(set(ds.subjects(self._p(RDF_TYPE), self._p(SCHEMA + "Person"))), key=str)
        self.met = {frozenset((a, b)) for a, b in ds.subject_objects(self._p(MJ + "met")) if a != b}
        self.meetings = [self._meeting(m) for m in self._of_type(MJ + "Meeting")]
        self.visits = [self._visit(v) for v in self._of_type(MJ + "Visit")]
        self.agreements = [self._agreement(a) for a in self._of_type(MJ + "Agreement")]

    def _p(self, iri: str):
        return self.U(iri)

    def _of_type(self, cls: str):
        return sorted(set(self.ds.subjects(self._p(RDF_TYPE), self._p(cls))), key=str)

    def values(self, s, p: str) -> list[str]:
        return sorted({str(o) for o in self.ds.objects(s, self._p(p))})

    def objects(self, s, p: str) -> list:
        return sorted(set(self.ds.objects(s, self._p(p))), key=str)

    def names_of(self, node) -> set[str]:
        """Every normalised name form of a node: name, alternateName, acronym, identifier, prefLabel."""
        out = set()
        for p in (SCHEMA + "name", SCHEMA + "alternateName", MJ + "acronym", SCHEMA + "identifier",
                  SKOS + "prefLabel"):
            out.update(norm(v) for v in self.values(node, p))
        return out

    def canonical(self, person) -> list[str]:
        return self.values(person, SCHEMA + "name") or [str(person)]

    def label(self, node) -> str:
        return " / ".join(self.canonical(node))

    def find_person(self, name: str) -> list:
        key = norm(name)
        return [p for p in self.persons if key in self.names_of(p)]

    def _meeting(self, m) -> Event:
        e = Event(m)
        e.attendees = set(self.objects(m, SCHEMA + "attendee"))
        e.dates = set(self.values(m, SCHEMA + "startDate"))
        e.inferred = bool(self.values(m, MJ + "dateInferred"))
        e.places = [self.names_of(p) for p in self.objects(m, SCHEMA + "location")]
        e.topics = {n for t in self.objects(m, SCHEMA + "about") for n in self.values(t, SKOS + "notation")}
        return e

    def _visit(self, v) -> Event:
        e = Event(v)
        e.visitors = set(self.objects(v, MJ + "visitor"))
        e.destinations = [self.names_of(d) for d in self.objects(v, MJ + "destination")]
        e.planned = "planned" in self.values(v, MJ + "status")
        e.dates = set(self.values(v, SCHEMA + "startDate"))
        return e

    def _agreement(self, a) -> Event:
        e = Event(a)
        e.names = {norm(n) for n in self.values(a, SCHEMA + "name")}
        e.parties = [self.names_of(p) for p in self.objects(a, MJ + "party")]
        return e

    # --- summaries for messages
    def person_summary(self) -> str:
        lines = []
        for p in self.persons:
            alt = self.values(p, SCHEMA + "alternateName")
            titles = self.values(p, SCHEMA + "jobTitle")
            orgs = [self.label(o) for o in self.objects(p, SCHEMA + "worksFor")]
            countries = [c for o in self.objects(p, MJ + "country") for c in self.values(o, SCHEMA + "identifier")]
            lines.append(f"    {self.label(p)} alt={alt} titles={titles} orgs={orgs} country={countries}")
        return "\n".join(lines) or "    (no person)"

    def event_summary(self) -> str:
        lines = []
        for e in self.meetings:
            lines.append(f"    meeting attendees={sorted(self.label(a) for a in e.attendees)} dates={sorted(e.dates)}"
                         f" inferred={e.inferred} places={[sorted(p) for p in e.places]} topics={sorted(e.topics)}")
        for e in self.visits:
            lines.append(f"    visit visitor={sorted(self.label(a) for a in e.visitors)}"
                         f" destination={[sorted(d) for d in e.destinations]} planned={e.planned}")
        for e in self.agreements:
            lines.append(f"    agreement names={sorted(e.names)} parties={[sorted(p) for p in e.parties]}")
        return "\n".join(lines) or "    (no event)"


# ---------------------------------------------------------------------------------------------
# Checks: each returns a list of error strings

def _person(found: Found, name: str, errors: list[str], key: str):
    hits = found.find_person(name)
    if not hits:
        errors.append(f"[{key}] expected person {name!r} not found")
        return None
    return hits[0]


def check_persons(found: Found, expected: list[str]) -> list[str]:
    want = sorted(norm(n) for n in expected)
    got = sorted(norm(n) for p in found.persons for n in found.canonical(p)[:1])
    if want == got:
        return []
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    return [f"[persons] expected {sorted(expected)}, found {[found.label(p) for p in found.persons]}"
            f" (missing {missing}, unexpected {extra})"]


def check_aliases(found: Found, expected: dict[str, list[str]]) -> list[str]:
    errors: list[str] = []
    for name, forms in expected.items():
        p = _person(found, name, errors, "aliases")
        if p is None:
            continue
        alts = {norm(a) for a in found.values(p, SCHEMA + "alternateName")}
        for form in forms:
            if norm(form) not in alts:
                errors.append(f"[aliases] {name!r}: expected alternateName {form!r}, found {sorted(alts)}")
    return errors


def check_met(found: Found, expected: list[list[str]]) -> list[str]:
    errors: list[str] = []
    want = set()
    for a, b in expected:
        pa, pb = _person(found, a, errors, "met"), _person(found, b, errors, "met")
        if pa is not None and pb is not None:
            want.add(frozenset((pa, pb)))
    if errors:
        return errors
    if want != found.met:
        show = lambda pairs: sorted(sorted(found.label(x) for x in pair) for pair in pairs)  # noqa: E731
        errors.append(f"[met] expected {sorted(sorted(p) for p in expected)}, found {show(found.met)}"
                      f" (missing {show(want - found.met)}, unexpected {show(found.met - want)})")
    return errors


def check_meetings(found: Found, expected: int) -> list[str]:
    if len(found.meetings) == expected:
        return []
    return [f"[meetings] expected {expected} meeting(s), found {len(found.meetings)}"]


def check_meeting_dates(found: Found, expected: list[str]) -> list[str]:
    got = set().union(*(m.dates for m in found.meetings)) if found.meetings else set()
    if got == set(expected):
        return []
    return [f"[meeting_dates] expected {sorted(expected)}, found {sorted(got)}"]


def check_date_inferred(found: Found, expected: bool) -> list[str]:
    got = any(m.inferred for m in found.meetings)
    if got == bool(expected):
        return []
    return [f"[date_inferred] expected a weekday-inferred year: {expected}, found {got}"]


def check_meeting_places(found: Found, expected: list[str]) -> list[str]:
    places = [p for m in found.meetings for p in m.places]
    want = {norm(x) for x in expected}
    unmatched_want = sorted(w for w in want if not any(w in p for p in places))
    unmatched_got = [sorted(p) for p in places if not (p & want)]
    if not unmatched_want and not unmatched_got:
        return []
    return [f"[meeting_places] expected {sorted(expected)}, found {[sorted(p) for p in places]}"]


def check_titles(found: Found, expected: dict) -> list[str]:
    errors: list[str] = []
    for name, titles in expected.items():
        p = _person(found, name, errors, "titles")
        if p is None:
            continue
        have = [norm(t) for t in found.values(p, SCHEMA + "jobTitle")]
        for title in [titles] if isinstance(titles, str) else titles:
            if not any(norm(title) in h for h in have):
                errors.append(f"[titles] {name!r}: expected a jobTitle containing {title!r}, found "
                              f"{found.values(p, SCHEMA + 'jobTitle')}")
    return errors


def check_orgs(found: Found, expected: dict) -> list[str]:
    errors: list[str] = []
    for name, orgs in expected.items():
        p = _person(found, name, errors, "orgs")
        if p is None:
            continue
        have = set().union(*(found.names_of(o) for o in found.objects(p, SCHEMA + "worksFor"))) \
            if found.objects(p, SCHEMA + "worksFor") else set()
        for org in [orgs] if isinstance(orgs, str) else orgs:
            if norm(org) not in have:
                errors.append(f"[orgs] {name!r}: expected worksFor {org!r}, found "
                              f"{[found.label(o) for o in found.objects(p, SCHEMA + 'worksFor')]} (all names {sorted(have)})")
    return errors


def check_countries(found: Found, expected: dict) -> list[str]:
    errors: list[str] = []
    for name, iso in expected.items():
        p = _person(found, name, errors, "countries")
        if p is None:
            continue
        got = {c for o in found.objects(p, MJ + "country") for c in found.values(o, SCHEMA + "identifier")}
        if got != ({iso} if iso is not None else set()):  # null: the text gives no country
            errors.append(f"[countries] {name!r}: expected {iso}, found {sorted(got)}")
    return errors


def _match_all(expected: list, found: list, fits) -> bool:
    """True when each expected item fits a distinct found item (small lists: backtracking)."""
    if len(expected) != len(found):
        return False

    def go(i: int, used: frozenset) -> bool:
        if i == len(expected):
            return True
        return any(go(i + 1, used | {j}) for j, f in enumerate(found) if j not in used and fits(expected[i], f))

    return go(0, frozenset())


def check_visits(found: Found, expected: list[dict]) -> list[str]:
    def fits(want: dict, e: Event) -> bool:
        visitor = {norm(want["visitor"])}
        ok_visitor = any(visitor & found.names_of(v) for v in e.visitors)
        ok_dest = any(norm(want["destination"]) in d for d in e.destinations)
        return ok_visitor and ok_dest and e.planned == bool(want.get("planned", False))

    if _match_all(expected, found.visits, fits):
        return []
    got = [{"visitor": sorted(found.label(v) for v in e.visitors), "destination": [sorted(d) for d in e.destinations],
            "planned": e.planned} for e in found.visits]
    return [f"[visits] expected {expected}, found {got}"]


def check_agreements(found: Found, expected: list[dict]) -> list[str]:
    def fits(want: dict, e: Event) -> bool:
        if "name" in want and not any(norm(want["name"]) in n for n in e.names):
            return False
        return all(any(norm(party) in p for p in e.parties) for party in want.get("parties", []))

    if _match_all(expected, found.agreements, fits):
        return []
    got = [{"names": sorted(e.names), "parties": [sorted(p) for p in e.parties]} for e in found.agreements]
    return [f"[agreements] expected {expected}, found {got}"]


def check_topics(found: Found, expected: list[str]) -> list[str]:
    got = set().union(*(m.topics for m in found.meetings)) if found.meetings else set()
    if got == set(expected):
        return []
    return [f"[topics] expected {sorted(expected)}, found {sorted(got)}"
            f" (missing {sorted(set(expected) - got)}, unexpected {sorted(got - set(expected))})"]


def check_awards(found: Found, expected: dict) -> list[str]:
    errors: list[str] = []
    for name, label in expected.items():
        p = _person(found, name, errors, "awards")
        if p is None:
            continue
        awards = found.values(p, SCHEMA + "award")
        if not any(norm(label) in norm(a) for a in awards):
            errors.append(f"[awards] {name!r}: expected an award containing {label!r}, found {awards}")
    return errors


CHECKS = {
    "persons": check_persons, "aliases": check_aliases, "met": check_met, "meetings": check_meetings,
    "meeting_dates": check_meeting_dates, "date_inferred": check_date_inferred,
    "meeting_places": check_meeting_places, "titles": check_titles, "orgs": check_orgs,
    "countries": check_countries, "visits": check_visits, "agreements": check_agreements,
    "topics": check_topics, "awards": check_awards,
}
assert set(CHECKS) == EXPECT_KEYS


# ---------------------------------------------------------------------------------------------
# Fixtures

@pytest.fixture(scope="session")
def case_pipeline(request):
    """(extractor, build_dataset), or a skip while extract.pipeline / graph.build are missing."""
    try:
        from extract.pipeline import Extractor
        from graph.build import build_dataset
    except ImportError as exc:
        pytest.skip(f"extract.pipeline / graph.build not importable yet: {exc}")
    try:
        extractor = request.getfixturevalue("extractor")  # the session Extractor from conftest.py
    except pytest.FixtureLookupError:
        try:
            extractor = Extractor(today=TODAY)
        except TypeError:
            extractor = Extractor()
    return extractor, build_dataset


def _published(case: dict) -> dt.date | None:
    return dt.date.fromisoformat(case["published"]) if case.get("published") else None


# ---------------------------------------------------------------------------------------------
# The acceptance tests

@pytest.mark.parametrize("case", [_param(c) for c in CASES if "_error" not in c])
def test_case(case: dict, case_pipeline) -> None:
    from extract.types import Article

    extractor, build_dataset = case_pipeline
    article = Article(id=case["id"], text=case["text"], published=_published(case))
    result = extractor.extract(article)
    found = Found(build_dataset([result]))
    errors = []
    for key, want in case.get("expect", {}).items():
        errors.extend(CHECKS[key](found, want))
    if errors:
        pytest.fail(
            f"case {case['id']} ({case['_where']}, bullet {case['bullet']})\n"
            f"  text: {case['text'][:300]}{'…' if len(case['text']) > 300 else ''}\n"
            f"  published: {case.get('published')}\n"
            + "\n".join(f"  {e}" for e in errors)
            + f"\n  persons found:\n{found.person_summary()}\n  events found:\n{found.event_summary()}",
            pytrace=False,
        )


# ---------------------------------------------------------------------------------------------
# The tables themselves

def test_case_files_parse() -> None:
    broken = [f"{c['_where']}: {c['_error']}" for c in CASES if "_error" in c]
    assert not broken, broken


def test_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} cases, expected at least {MIN_CASES}"


@pytest.mark.parametrize("bullet", BULLETS)
def test_every_bullet_has_cases(bullet: str) -> None:
    n = sum(1 for c in CASES if c.get("bullet") == bullet)
    assert n >= MIN_PER_BULLET, f"bullet {bullet!r} has {n} case(s), expected at least {MIN_PER_BULLET}"


def test_case_ids_unique() -> None:
    seen: dict[str, str] = {}
    dupes = []
    for c in CASES:
        if c.get("id") in seen:
            dupes.append(f"{c['id']} in {seen[c['id']]} and {c['_where']}")
        seen.setdefault(c.get("id"), c["_where"])
    assert not dupes, dupes


def test_xfail_share_is_small() -> None:
    xfails = [c["id"] for c in CASES if c.get("xfail")]
    assert len(xfails) <= MAX_XFAIL_SHARE * len(CASES), f"{len(xfails)} xfail cases of {len(CASES)}: {xfails}"


def _shape_errors(case: dict) -> list[str]:
    errors = []
    if set(case) - CASE_KEYS - {"_where", "_error"}:
        errors.append(f"unknown case keys {sorted(set(case) - CASE_KEYS - {'_where', '_error'})}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(case.get("id", ""))):
        errors.append("id must be a lower-case slug")
    if case.get("bullet") not in BULLETS:
        errors.append(f"bullet {case.get('bullet')!r} not one of {BULLETS}")
    if not str(case.get("text", "")).strip():
        errors.append("empty text")
    if case.get("published"):
        try:
            if dt.date.fromisoformat(case["published"]) > TODAY:
                errors.append("published after today")
        except ValueError:
            errors.append(f"published {case['published']!r} is not YYYY-MM-DD")
    expect = case.get("expect", {})
    if not isinstance(expect, dict) or not expect:
        errors.append("expect must be a non-empty object")
        return errors
    if set(expect) - EXPECT_KEYS:
        errors.append(f"unknown expect keys {sorted(set(expect) - EXPECT_KEYS)}")
    if set(expect.get("topics", [])) - NOTATIONS:
        errors.append(f"unknown topic notations {sorted(set(expect['topics']) - NOTATIONS)}")
    for d in expect.get("meeting_dates", []):
        if dt.date.fromisoformat(d) > TODAY:
            errors.append(f"meeting date {d} after today")
    for key in ("aliases", "titles", "orgs", "countries", "awards"):
        for name in expect.get(key, {}):
            if "persons" in expect and norm(name) not in {norm(p) for p in expect["persons"]}:
                errors.append(f"{key}: {name!r} is not among the expected persons")
    for pair in expect.get("met", []):
        if len(pair) != 2:
            errors.append(f"met pair {pair!r} is not a pair")
        elif "persons" in expect and not {norm(x) for x in pair} <= {norm(p) for p in expect["persons"]}:
            errors.append(f"met pair {pair!r} names someone not among the expected persons")
    for iso in expect.get("countries", {}).values():
        if iso is not None and not re.fullmatch(r"[A-Z]{2}", iso):
            errors.append(f"country {iso!r} is neither ISO alpha-2 nor null")
    return errors


@pytest.mark.parametrize("case", [pytest.param(c, id=c.get("id", c["_where"])) for c in CASES if "_error" not in c])
def test_case_is_well_formed(case: dict) -> None:
    errors = _shape_errors(case)
    assert not errors, f"{case['_where']}: {errors}"
