"""queries/: every shipped query against tests/fixtures/mini.ttl, name matching, errors, formatters.

Also checks that graph/vocabulary.py and graph/ontology.ttl describe the same terms, since the
queries are written against them.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import prepareQuery

import queries
from graph.vocabulary import ID, MJ, SCHEMA, SKOS, bind_prefixes
from queries import QueryError, Result

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
ONTOLOGY = ROOT / "graph" / "ontology.ttl"
DOCS = ROOT / "docs" / "vocabulary.md"

# The fixture's invented people, agencies, places and sentences.
IDRISSI, ABDELLAOUI, BENHAMZA = "عبد الرحيم الإدريسي", "سلمى العبدلاوي", "كمال بن حمزة"
TRABELSI, ORTEGA = "هادي الطرابلسي", "لويس أورتيغا"
DGSN, INTERIOR = "المديرية العامة للأمن الوطني", "وزارة الداخلية"
MOROCCO, TUNISIA, SPAIN = "المغرب", "تونس", "إسبانيا"
RABAT, TUNIS, MADRID = "الرباط", "تونس العاصمة", "مدريد"
TERRORISM, DRUGS = "الإرهاب", "الاتجار بالمخدرات"
MEMORANDUM = "مذكرة تفاهم في مجال مكافحة الإرهاب"
IDRISSI_TITLES = "المدير العام للأمن الوطني، المدير العام لمراقبة التراب الوطني"
N1_0 = ("استقبل المدير العام للأمن الوطني عبد الرحيم الإدريسي، يوم الثلاثاء بالرباط، "
        "المدير العام للشرطة الوطنية الإسبانية لويس أورتيغا.")
N1_1 = "وكان أورتيغا قد حل بالرباط يوم الاثنين في زيارة عمل تدوم يومين."
N1_2 = "وبهذه المناسبة، وشح الإدريسي ضيفه الإسباني بالوسام الشرفي للأمن الوطني."
N2_0 = ("أجرى وزير الداخلية التونسي كمال بن حمزة، يوم الأحد بتونس العاصمة، مباحثات مع عبد الرحيم الإدريسي "
        "وسلمى العبدلاوي حول مكافحة الإرهاب.")
N3_0 = "وتباحث الإدريسي، الأربعاء بمدريد، مع نظيره أورتيغا سبل التصدي للاتجار بالمخدرات."
URL = "https://news.example.org/"
M1, M2, M3 = (str(ID[f"meeting/{key}"]) for key in ("n1-1", "n2-1", "n3-1"))
V1, V4 = str(ID["visit/n1-1"]), str(ID["visit/n4-1"])
A2 = str(ID["agreement/n2-1"])

# (query, params, expected rows): the exact answer on mini.ttl, in the query's order.
EXPECTED = [
    ("who-met-whom", {}, [
        (IDRISSI, ORTEGA, "2", "2024-11-20", "2025-01-14"),
        (ABDELLAOUI, IDRISSI, "1", "2025-03-02", "2025-03-02"),
        (ABDELLAOUI, BENHAMZA, "1", "2025-03-02", "2025-03-02"),
        (IDRISSI, BENHAMZA, "1", "2025-03-02", "2025-03-02"),
    ]),
    ("who-met-whom", {"person": "اورتيغا"}, [
        (IDRISSI, ORTEGA, "2", "2024-11-20", "2025-01-14"),
    ]),
    ("meetings-of", {"person": "الإدريسي"}, [
        (IDRISSI, "2024-11-20", MADRID, ORTEGA, DRUGS, M3),
        (IDRISSI, "2025-01-14", RABAT, ORTEGA, TERRORISM, M1),
        (IDRISSI, "2025-03-02", TUNIS, f"{ABDELLAOUI}، {BENHAMZA}", TERRORISM, M2),
    ]),
    ("meetings-of", {"person": TRABELSI}, []),  # only a planned visit, no meeting
    ("meetings-by-country", {}, [
        (SPAIN, "ES", "2024", "1"),
        (SPAIN, "ES", "2025", "1"),
        (MOROCCO, "MA", "2024", "1"),
        (MOROCCO, "MA", "2025", "2"),
        (TUNISIA, "TN", "2025", "1"),
    ]),
    ("officials-of", {"agency": "DGSN"}, [
        (ABDELLAOUI, "مديرة التعاون الدولي", DGSN, MOROCCO),
        (IDRISSI, IDRISSI_TITLES, DGSN, MOROCCO),
    ]),
    ("officials-of", {"agency": "الداخليه التونسيه"}, [  # an alias, with ha for ta marbuta
        (BENHAMZA, "وزير الداخلية", INTERIOR, TUNISIA),
        (TRABELSI, "كاتب الدولة المكلف بالأمن الوطني", INTERIOR, TUNISIA),
    ]),
    ("agreements", {}, [
        (MEMORANDUM, "2025-03-02", f"{DGSN}، {INTERIOR}", TERRORISM, A2),
    ]),
    ("visits", {}, [
        (ORTEGA, SPAIN, RABAT, "2025-01-13", "completed", V1),
        (TRABELSI, TUNISIA, MOROCCO, "2025-06-10", "planned", V4),
    ]),
    ("topics", {}, [
        (TERRORISM, "terrorism", "terrorism", "2", "1"),
        (DRUGS, "drug trafficking", "drug-trafficking", "1", "0"),
    ]),
    ("timeline", {}, [
        ("2024-11-20", "meeting", None, f"{IDRISSI}، {ORTEGA}", MADRID, None, M3),
        ("2025-01-13", "visit", None, ORTEGA, RABAT, "completed", V1),
        ("2025-01-14", "meeting", None, f"{IDRISSI}، {ORTEGA}", RABAT, None, M1),
        ("2025-03-02", "agreement", MEMORANDUM, f"{DGSN}، {INTERIOR}", None, None, A2),
        ("2025-03-02", "meeting", None, f"{ABDELLAOUI}، {IDRISSI}، {BENHAMZA}", TUNIS, None, M2),
        ("2025-06-10", "visit", None, TRABELSI, MOROCCO, "planned", V4),
    ]),
    ("persons", {}, [
        (ORTEGA, "أورتيغا", SPAIN, "المدير العام للشرطة الوطنية", None, "2"),
        (ABDELLAOUI, None, MOROCCO, "مديرة التعاون الدولي", DGSN, "1"),
        (IDRISSI, "الإدريسي", MOROCCO, IDRISSI_TITLES, DGSN, "3"),
        (BENHAMZA, None, TUNISIA, "وزير الداخلية", INTERIOR, "1"),
        (TRABELSI, None, TUNISIA, "كاتب الدولة المكلف بالأمن الوطني", INTERIOR, "0"),
    ]),
    ("evidence-of", {"person": "الإدريسي"}, [
        (IDRISSI, "jobTitle", "المدير العام للأمن الوطني", N1_0, "n1", URL + "n1"),
        (IDRISSI, "meeting", "2024-11-20", N3_0, "n3", None),
        (IDRISSI, "meeting", "2025-01-14", N1_0, "n1", URL + "n1"),
        (IDRISSI, "meeting", "2025-03-02", N2_0, "n2", URL + "n2"),
        (IDRISSI, "worksFor", DGSN, N1_0, "n1", URL + "n1"),
    ]),
    ("evidence-of", {"person": "اورتيغا"}, [  # an award, reified with who conferred it; a visit
        (ORTEGA, "award", "الوسام الشرفي للأمن الوطني", N1_2, "n1", URL + "n1"),
        (ORTEGA, "meeting", "2024-11-20", N3_0, "n3", None),
        (ORTEGA, "meeting", "2025-01-14", N1_0, "n1", URL + "n1"),
        (ORTEGA, "visit", "2025-01-13", N1_1, "n1", URL + "n1"),
    ]),
    ("evidence-of", {"person": "بن حمزة"}, [
        (BENHAMZA, "country", TUNISIA, N2_0, "n2", URL + "n2"),
        (BENHAMZA, "jobTitle", "وزير الداخلية", N2_0, "n2", URL + "n2"),
        (BENHAMZA, "meeting", "2025-03-02", N2_0, "n2", URL + "n2"),
    ]),
]

PERSON_QUERIES = ["who-met-whom", "meetings-of", "evidence-of"]
INJECTION = '"} ; DROP ALL ; {"'


def load_graph() -> Graph:
    return Graph().parse(MINI, format="turtle")


def load_dataset() -> Dataset:
    """Shaped like graph/build.py's output: the descriptions repeated in two article graphs."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    for article in ("n1", "n2"):
        ds.graph(ID[f"graph/{article}"]).parse(MINI, format="turtle")
    return ds


def load_oxigraph(union_as_set: bool) -> ox.Store:
    """The dataset of `load_dataset` in pyoxigraph: with the union as a set in the default graph (what
    `majlis add` and `majlis serve` keep), or only the named graphs, read as pyoxigraph's union (a bag)."""
    store = ox.Store()
    for article in ("n1", "n2"):
        store.load(path=str(MINI), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ID[f"graph/{article}"])))
    if union_as_set:
        store.load(path=str(MINI), format=ox.RdfFormat.TURTLE)
    return store


class OnOxigraph:
    """A pyoxigraph store standing where the tests pass an rdflib graph; `run` below tells them apart."""

    def __init__(self, union_as_set: bool):
        self.store, self.union = load_oxigraph(union_as_set), not union_as_set


@pytest.fixture(scope="module", params=["graph", "dataset", "oxigraph", "oxigraph-bag"])
def mini(request) -> Graph | OnOxigraph:
    return {"graph": load_graph, "dataset": load_dataset, "oxigraph": lambda: OnOxigraph(True),
            "oxigraph-bag": lambda: OnOxigraph(False)}[request.param]()


def run(graph, name: str | queries.QueryInfo, **params: str) -> Result:
    info = name if isinstance(name, queries.QueryInfo) else queries.load(name)
    if isinstance(graph, OnOxigraph):
        return queries.run_oxigraph(graph.store, info, params, union=graph.union)
    return queries.run(graph, info, params)


def names_found(graph, person: str) -> set[str]:
    return {row[0] for row in run(graph, "meetings-of", person=person).rows}


# --- every shipped query ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, params, expected", EXPECTED,
                         ids=[f"{n}-{'-'.join(p.values()) or 'all'}" for n, p, _ in EXPECTED])
def test_query_on_the_mini_graph(mini, name, params, expected):
    info = queries.load(name)
    result = run(mini, info, **params)
    assert result.columns == list(info.columns)
    assert result.rows == expected


def test_every_shipped_query_has_an_expected_answer():
    assert sorted({name for name, _, _ in EXPECTED}) == queries.names()
    assert len(queries.names()) >= 10


@pytest.mark.parametrize("name", queries.names())
def test_header_of_each_shipped_query(name):
    info = queries.describe(name)
    assert info.name == name
    assert info.description and "\n" not in info.description
    assert info.columns and all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in info.columns)
    assert info.text.startswith(f"# name: {name}\n# description: ")
    assert re.search(r"^# params: (none|\w+ \(.+\))$", info.text, re.MULTILINE)
    assert all(f"?{p}" in info.text for p in info.params)


def test_params_read_from_the_headers():
    assert queries.describe("meetings-of").params == ("person",)
    assert queries.describe("meetings-of").required == ("person",)
    assert queries.describe("officials-of").params == ("agency",)
    assert queries.describe("who-met-whom").optional == frozenset({"person"})
    assert queries.describe("who-met-whom").required == ()
    assert queries.describe("timeline").params == ()


def test_results_are_plain_strings(mini):
    for name, params, _ in EXPECTED:
        for row in run(mini, name, **params).rows:
            assert all(value is None or type(value) is str for value in row)


def test_who_met_whom_counts_each_pair_once_whatever_the_direction_stored():
    """mj:met stored one way only, or both ways, or only implied by a meeting: the same pairs."""
    g = load_graph()
    expected = run(g, "who-met-whom").rows
    for a, b in list(g.subject_objects(MJ.met)):
        if str(a) > str(b):
            g.remove((a, MJ.met, b))
    assert run(g, "who-met-whom").rows == expected
    g.remove((None, MJ.met, None))
    assert run(g, "who-met-whom").rows == expected


def test_an_undated_meeting_of_a_pair_leaves_the_dates_of_its_other_meetings_on_every_engine():
    """Oxigraph makes a MIN over a group holding one unbound value unbound; rdflib skips it."""
    g = load_graph()
    g.remove((URIRef(M3), SCHEMA.startDate, None))
    store = ox.Store()
    store.load(g.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    for rows in (run(g, "who-met-whom").rows, queries.run_oxigraph(store, "who-met-whom", {}, union=False).rows):
        assert rows[0] == (IDRISSI, ORTEGA, "2", "2025-01-14", "2025-01-14")
    g.remove((URIRef(M1), SCHEMA.startDate, None))
    assert run(g, "who-met-whom").rows[0] == (IDRISSI, ORTEGA, "2", None, None)


def test_a_dataset_without_default_union_is_read_as_the_union():
    ds = Dataset()
    ds.graph(ID["graph/n1"]).parse(MINI, format="turtle")
    assert run(ds, "persons").rows == run(load_graph(), "persons").rows


def test_the_ontology_loaded_alongside_adds_no_empty_topics():
    g = load_graph()
    g.parse(ONTOLOGY, format="turtle")
    assert run(g, "topics").rows == dict((n, e) for n, _, e in EXPECTED if n == "topics")["topics"]


def test_undated_events_are_left_out_of_the_timeline_and_sorted_last_elsewhere():
    g = load_graph()
    g.remove((URIRef(M3), SCHEMA.startDate, None))
    assert M3 not in [row[-1] for row in run(g, "timeline").rows]
    assert [row[-1] for row in run(g, "meetings-of", person="الإدريسي").rows] == [M1, M2, M3]
    assert ("المغرب", "MA", None, "1") in run(g, "meetings-by-country").rows


# --- name matching ---------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling, person", [
    ("الإدريسي", IDRISSI),                 # the alias as written
    ("ادريسي", IDRISSI),                   # family name without hamza or article
    ("الادريسى", IDRISSI),                 # bare alef, alef maqsura for ya
    ("الإِدْرِيسِيّ", IDRISSI),                # diacritics
    ("الإدريـــسي", IDRISSI),              # tatweel
    ("\u200fالإدريسي\u200e", IDRISSI),     # invisible direction marks pasted with the name
    ("  عبد   الرحيم الادريسي ", IDRISSI),  # stray spaces
    ("حمزه", BENHAMZA),                    # ha for ta marbuta
    ("بن حمزة", BENHAMZA),
    ("سلمي", ABDELLAOUI),                  # ya for alef maqsura
    ("العبدلاوى", ABDELLAOUI),
    ("اورتيغا", ORTEGA),                   # bare alef for hamza on alef
    ("أورتيغا", ORTEGA),
])
def test_a_person_is_found_in_any_spelling(spelling, person):
    assert names_found(load_graph(), spelling) == {person}


@pytest.mark.parametrize("name", ["عبد الرحيم", "عبد الرحيم الإدريسي", "الإدريسي", "ادريسي"])
def test_evidence_of_finds_the_same_person_by_any_part_of_the_name(name):
    rows = run(load_graph(), "evidence-of", person=name).rows
    assert {row[0] for row in rows} == {IDRISSI} and len(rows) == 5


def test_a_common_part_finds_every_person_who_has_it():
    assert names_found(load_graph(), "عبد") == {IDRISSI, ABDELLAOUI}


@pytest.mark.parametrize("spelling", ["كريم المنصوري", "xyz", "Ortega"])
def test_an_unknown_person_gives_no_rows(spelling):
    assert run(load_graph(), "meetings-of", person=spelling).rows == []


@pytest.mark.parametrize("agency, count", [
    ("dgsn", 2), ("DGSN", 2), ("الأمن", 2), ("للأمن الوطني", 2), ("المديريه العامه", 2),
    ("الداخلية", 2), ("وزاره الداخليه", 2), ("الشرطة الإسبانية", 0),
])
def test_officials_of_finds_agencies_by_name_alias_or_acronym(agency, count):
    assert len(run(load_graph(), "officials-of", agency=agency).rows) == count


@pytest.mark.parametrize("text, form", [
    ("أإآٱ", "اااا"), ("ى ئ ؤ ة", "ي ي و ه"), ("مُحَمَّد", "محمد"), ("حـــمـزة", "حمزه"),
    ("\u202bالرباط\u202c", "الرباط"), ("  DGSN\t ", "dgsn"),
])
def test_match_form(text, form):
    assert queries.match_form(text) == form


@pytest.mark.parametrize("text, key", [
    ("الأمن الوطني", "امن الوطني"), ("الإدريسي", "ادريسي"), ("الحق", "الحق"), ("بن حمزة", "بن حمزه"),
])
def test_needle_drops_the_first_article(text, key):
    assert queries.needle(text) == key


_MATCH_FORM_SPARQL = re.compile(r"BIND \((LCASE\(REPLACE\(.*?\)\)) AS \?key\)", re.DOTALL)


def test_the_sparql_match_form_is_the_same_in_every_query():
    expressions = {}
    for name in queries.names():
        found = _MATCH_FORM_SPARQL.findall(queries.describe(name).text)
        if found:
            expressions[name] = {" ".join(e.split()) for e in found}
    assert set(expressions) == {"who-met-whom", "meetings-of", "officials-of", "evidence-of"}
    assert len(set().union(*expressions.values())) == 1


@pytest.mark.parametrize("text", [
    "عبد الرحيم الإدريسي", "الإِدْرِيسِيّ", "حمـــزة", "سلمى", "مؤتمر", "هيئة", "آمنة", "ٱلرحمن",
    "\u200fالرباط\u2067", "ﷲ", "A  B\tC", "DGSN", "ﻻ",
])
def test_sparql_and_python_match_forms_agree(text):
    expression = _MATCH_FORM_SPARQL.search(queries.describe("meetings-of").text).group(1)
    query = prepareQuery(f"SELECT ?key WHERE {{ BIND ({expression} AS ?key) }}")
    [(key,)] = list(Graph().query(query, initBindings={"label": Literal(text, lang="ar")}))
    assert str(key).strip() == queries.match_form(text)  # SPARQL has no trim; CONTAINS does not mind


# --- injection -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PERSON_QUERIES)
def test_an_injection_attempt_is_only_a_strange_name(name):
    g = load_graph()
    before = load_graph()
    assert run(g, name, person=INJECTION).rows == []
    assert len(g) == len(before) and isomorphic(g, before)


def test_an_injection_attempt_on_an_agency_and_on_a_dataset():
    ds = load_dataset()
    quads = len(list(ds.quads()))
    assert run(ds, "officials-of", agency=INJECTION).rows == []
    assert run(ds, "meetings-of", person=INJECTION).rows == []
    assert len(list(ds.quads())) == quads


# What might break out of a literal written into the query text: quotes of every kind, backslashes,
# a line end before a comment, a variable's own name, a bidi override.
BREAKOUTS = [INJECTION, "\\", '\\" } ; DROP ALL ; { "', "'" * 3 + '"' * 3, "?person", "\n} #", "\u202e}"]


@pytest.mark.parametrize("name", PERSON_QUERIES)
def test_an_injection_attempt_on_oxigraph_is_only_a_strange_name(name):
    store = load_oxigraph(union_as_set=True)
    quads = len(store)
    for attempt in BREAKOUTS:
        assert queries.run_oxigraph(store, name, {"person": attempt}, union=False).rows == []
    assert len(store) == quads


def test_bind_in_text_replaces_variables_only():
    text = ('SELECT ?a ?person2 { ?a <http://x/?person> "?person", \'?person\', """?person\n""" . '
            'FILTER (STR(?a) < ?person || $person) } # ?person\n')
    assert queries.bind_in_text(text, {"person": '"v"'}) == (
        'SELECT ?a ?person2 { ?a <http://x/?person> "?person", \'?person\', """?person\n""" . '
        'FILTER (STR(?a) < "v" || "v") } # ?person\n')
    assert queries.bind_in_text(text, {}) == text


def test_oxigraph_results_are_shaped_like_rdflib_ones():
    store = load_oxigraph(union_as_set=True)
    for name, params, _ in EXPECTED:
        assert all(value is None or type(value) is str
                   for row in queries.run_oxigraph(store, name, params, union=False).rows for value in row)
    assert queries.run_oxigraph(store, "ASK { ?p a schema:Person }", union=False) == Result(["answer"], [("true",)])
    construct = queries.run_oxigraph(store, "CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }",
                                     union=False)
    assert construct.columns == ["subject", "predicate", "object"] and len(construct.rows) == 5
    assert construct.rows == sorted(construct.rows)
    with pytest.raises(QueryError, match="needs the parameter 'person'"):
        queries.run_oxigraph(store, "meetings-of", {}, union=False)
    with pytest.raises(QueryError, match="malformed SPARQL"):
        queries.run_oxigraph(store, "SELECT ?p WHERE {", union=False)


def test_the_parameter_is_never_in_the_query_text(monkeypatch):
    seen = []
    real = Graph.query

    def spy(self, query, *args, **kwargs):
        seen.append((query, kwargs.get("initBindings")))
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(Graph, "query", spy)
    run(load_graph(), "meetings-of", person="الإدريسي")
    [(query, bindings)] = seen
    assert not isinstance(query, str)  # a prepared query, not text
    assert bindings == {"person": Literal("ادريسي")}


def test_queries_are_prepared_once(monkeypatch):
    calls = []
    real = queries.prepareQuery
    monkeypatch.setattr(queries, "prepareQuery", lambda *a, **k: calls.append(a) or real(*a, **k))
    queries._prepare.cache_clear()
    g = load_graph()
    for _ in range(3):
        run(g, "meetings-of", person="حمزة")
        run(g, "who-met-whom")
    assert len(calls) == 2


# --- loading and errors ----------------------------------------------------------------------------

def test_load_a_file_and_text(tmp_path):
    text = "# name: people\n# description: every person\n# params: none\n# columns: name\n" \
           "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
    path = tmp_path / "people.rq"
    path.write_text(text, encoding="utf-8")
    for source in (path, str(path), text):
        info = queries.load(source)
        assert (info.name, info.description, info.params, info.columns) == ("people", "every person", (), ("name",))
        result = queries.run(load_graph(), info, {})
        assert result.columns == ["name"] and len(result.rows) == 5


def test_text_without_a_header_uses_the_declared_prefixes():
    info = queries.load("SELECT (COUNT(*) AS ?n) WHERE { ?m a mj:Meeting }")
    assert info.name == queries.TEXT_NAME and info.params == ()
    assert queries.run(load_graph(), info, {}).rows == [("3",)]


def test_ask_and_construct_queries_give_rows():
    g = load_graph()
    assert queries.run(g, queries.load("ASK { ?m a mj:Meeting }"), {}) == Result(["answer"], [("true",)])
    result = queries.run(g, queries.load("CONSTRUCT { ?v a mj:Visit } WHERE { ?v a mj:Visit }"), {})
    assert result.columns == ["subject", "predicate", "object"]
    assert result.rows == [(V1, str(RDF.type), str(MJ.Visit)), (V4, str(RDF.type), str(MJ.Visit))]


def assert_one_line_error(call, *fragments: str) -> str:
    with pytest.raises(QueryError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and message
    assert all(fragment in message for fragment in fragments), message
    return message


def test_unknown_query_name_suggests_the_closest():
    assert_one_line_error(lambda: queries.load("who-met-whoom"), "'who-met-whoom'", "'who-met-whom'")
    assert_one_line_error(lambda: queries.describe("nothing-like-it"), "nothing-like-it", "timeline")


def test_unknown_parameter():
    assert_one_line_error(lambda: run(load_graph(), "who-met-whom", colour="أحمر"), "'colour'", "person")
    assert_one_line_error(lambda: run(load_graph(), "timeline", person="x"), "'person'", "no parameters")


def test_missing_or_empty_parameter():
    assert_one_line_error(lambda: run(load_graph(), "meetings-of"), "meetings-of", "'person'")
    assert_one_line_error(lambda: run(load_graph(), "officials-of", agency=" ـ \u064e "), "'agency'", "empty")


@pytest.mark.parametrize("text", [
    "SELECT ?x WHERE { ?x ?y",
    "SELECT ?x WHERE { ?x nope:thing ?y }",   # unknown prefix
    "DELETE WHERE { ?s ?p ?o }",              # an update is not a query
])
def test_malformed_sparql(text):
    assert_one_line_error(lambda: queries.load(text), "malformed SPARQL")


def test_missing_query_file(tmp_path):
    assert_one_line_error(lambda: queries.load(str(tmp_path / "missing.rq")), "missing.rq", "no such file")


def test_malformed_sparql_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("# name: broken\nSELECT ?x WHERE { ?x ?y", encoding="utf-8")
    message = assert_one_line_error(lambda: queries.load(path), "broken.rq", "malformed SPARQL")
    assert message.startswith(str(path))


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.rq"
    path.write_bytes("SELECT ?x WHERE { ?x ?p \"é\" }".encode("latin-1"))
    assert_one_line_error(lambda: queries.load(path), "latin.rq", "UTF-8")


# --- formatters ------------------------------------------------------------------------------------

SAMPLE = Result(["name", "city", "meetings"], [
    (IDRISSI, RABAT, "3"),
    ("東京 Tanaka", "\u202eطوكيو\u202c", "12"),
    ("سَلْمَى\x1b[31m", None, None),
    ("line\nbreak, \"quoted\"", "a,b", "0"),
])


def test_format_table_aligns_by_display_width():
    text = queries.format_table(SAMPLE)
    assert text.splitlines() == [
        "name                  city    meetings",
        "--------------------  ------  --------",
        f"{IDRISSI}   {RABAT}         3",
        "東京 Tanaka           طوكيو         12",   # CJK counts double; the bidi override is gone
        "سَلْمَى[31m",                              # marks take no width; ESC gone; unbound cells empty
        'line break, "quoted"  a,b            0',  # the newline became a space
        "(4 rows)",
    ]
    assert text.endswith("\n")
    # The second column starts at the same display column on every line.
    for line, cell in [(text.splitlines()[2], RABAT), (text.splitlines()[3], "طوكيو")]:
        assert queries.display_width(line[:line.index(cell)]) == 22


def test_format_table_strips_controls_and_counts_widths():
    assert queries.display_width("東京") == 4
    assert queries.display_width("سَلْمَى") == 4
    assert queries.display_width("\u200dا") == 1
    text = queries.format_table(Result(["a"], [("x\u202ey\u2066z\x00\x85\tw",)]))
    assert text.splitlines()[2] == "xyz  w"
    assert queries.format_table(Result(["a", "b"], [])) == "a  b\n-  -\n(0 rows)\n"
    assert queries.format_table(Result(["n"], [("1",)])).endswith("(1 row)\n")


def test_format_csv_is_rfc_4180():
    text = queries.format_csv(SAMPLE)
    assert text.startswith("name,city,meetings\r\n") and text.endswith("\r\n")
    assert '"line\nbreak, ""quoted"""' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == SAMPLE.columns
    assert rows[1:] == [[v if v is not None else "" for v in row] for row in SAMPLE.rows]


def test_format_json_keeps_arabic_and_nulls():
    assert queries.format_json(Result(["name"], [(IDRISSI,)])) == f'[\n  {{\n    "name": "{IDRISSI}"\n  }}\n]\n'
    records = json.loads(queries.format_json(SAMPLE))
    assert records[0] == {"name": IDRISSI, "city": RABAT, "meetings": "3"}
    assert records[2] == {"name": "سَلْمَى\x1b[31m", "city": None, "meetings": None}
    assert list(records[0]) == SAMPLE.columns
    assert json.loads(queries.format_json(Result(["a"], []))) == []


def test_formatters_on_a_real_result():
    result = run(load_graph(), "who-met-whom")
    assert ORTEGA in queries.format_table(result)
    assert list(csv.reader(io.StringIO(queries.format_csv(result), newline="")))[1] == list(result.rows[0])
    assert json.loads(queries.format_json(result))[0]["meetings"] == "2"


# --- the vocabulary and the ontology ---------------------------------------------------------------

TOPIC_NOTATIONS = {
    "terrorism", "extremism", "organized-crime", "drug-trafficking", "human-trafficking", "illegal-migration",
    "cybercrime", "money-laundering", "espionage", "border-security", "wanted-persons", "major-events-security",
    "training", "information-exchange", "technical-assistance", "intelligence", "arms-trafficking", "smuggling",
    "counterfeiting", "radicalisation-prevention", "civil-protection", "road-safety", "forensics",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_a_typo_in_a_term_raises():
    with pytest.raises(AttributeError):
        MJ.meeting  # noqa: B018 (the class is mj:Meeting)


def test_ontology_describes_exactly_the_python_terms_in_two_languages(ontology):
    python_terms = {MJ[name] for name in MJ.__annotations__}
    described = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(MJ._NS))}
    assert described == python_terms
    for term in python_terms:
        for prop in (RDFS.label, RDFS.comment):
            languages = {o.language for o in ontology.objects(term, prop)}
            assert languages == {"ar", "en"}, (term, prop)


def test_ontology_axioms(ontology):
    assert (MJ.Meeting, RDFS.subClassOf, SCHEMA.Event) in ontology
    assert (MJ.met, RDF.type, OWL.SymmetricProperty) in ontology
    assert (MJ.topics, RDF.type, SKOS.ConceptScheme) in ontology
    assert (MJ.signedOn, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#date")) in ontology


def test_topic_scheme(ontology):
    concepts = set(ontology.subjects(SKOS.inScheme, MJ.topics))
    assert {str(ontology.value(c, SKOS.notation)) for c in concepts} == TOPIC_NOTATIONS
    for concept in concepts:
        notation = str(ontology.value(concept, SKOS.notation))
        assert concept == ID[f"topic/{notation}"]
        assert (concept, RDF.type, SKOS.Concept) in ontology
        assert {label.language for label in ontology.objects(concept, SKOS.prefLabel)} == {"ar", "en"}


def test_topic_labels_agree_with_the_lexicon(ontology):
    lexicon = ROOT / "extract" / "lexicon" / "topics.jsonl"
    for line in lexicon.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        concept = ID[f"topic/{entry['notation']}"]
        assert Literal(entry["ar"], lang="ar") in set(ontology.objects(concept, SKOS.prefLabel)), entry["notation"]


def test_bind_prefixes():
    g = Graph()
    bind_prefixes(g)
    bound = {prefix: str(ns) for prefix, ns in g.namespaces()}
    assert bound["mj"] == "https://w3id.org/majlis#" and bound["schema"] == "https://schema.org/"
    assert bound["id"] == "https://w3id.org/majlis/id/"
    assert {"prov", "skos", "org", "xsd"} <= set(bound)


# --- the documentation ------------------------------------------------------------------------------

def doc_examples() -> list[str]:
    examples = DOCS.read_text(encoding="utf-8").split("## Example queries", 1)[1]
    return re.findall(r"```sparql\n(.*?)```", examples, re.DOTALL)


def test_the_docs_have_at_least_eight_examples():
    assert len(doc_examples()) >= 8


@pytest.mark.parametrize("number", range(len(doc_examples())), ids=lambda n: f"example-{n + 1}")
def test_each_example_in_the_docs_runs_on_the_mini_graph(number):
    result = queries.run(load_graph(), queries.load(doc_examples()[number]), {})
    assert result.rows, "every example finds something in tests/fixtures/mini.ttl"


def test_the_docs_list_every_shipped_query_with_its_columns():
    text = DOCS.read_text(encoding="utf-8")
    for name in queries.names():
        info = queries.describe(name)
        assert f"| `{name}` |" in text and ", ".join(info.columns) in text, name


def test_the_docs_name_every_term():
    text = DOCS.read_text(encoding="utf-8")
    assert all(f"mj:{term}" in text for term in MJ.__annotations__)


# --- the seeds -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_query_runs_on_the_seeds(seeds_dataset):
    rows = run(seeds_dataset, "meetings-of", person="حموشي").rows
    assert rows and {row[0] for row in rows} == {"عبد اللطيف حموشي"}
    for name in queries.names():
        info = queries.load(name)
        params = {p: "حموشي" if p == "person" else "الأمن" for p in info.required}
        result = queries.run(seeds_dataset, info, params)
        assert result.columns == list(info.columns)
        assert len(result.rows) == len(set(result.rows)), f"{name} repeats rows"
