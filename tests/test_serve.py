"""`majlis serve` over real HTTP on 127.0.0.1: the SPARQL Protocol, the named queries, the page, the limits.

Servers run in a thread of the test process (`make_server`) or as the real CLI in a subprocess; every
fixture shuts its server down. Only the cut-off tests wait on purpose (a few seconds each).
"""
from __future__ import annotations

import csv
import http.client
import io
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.error import HTTPError

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

import queries
from graph import io as graph_io
from majlis.cli import build_parser, main
from majlis.serve import Limits, Source, load_graph, make_server, negotiate, refusal

from .conftest import SEEDS

ENTRY_POINT = Path(sys.executable).with_name("majlis")
LIMITS = Limits(timeout=3, max_rows=5000, max_memory_mb=256)
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
INJECTION = '"} ; DROP ALL ; {"'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
QUAD_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@contextmanager
def running(source: Source, limits: Limits = LIMITS, workers: int = 2):
    """A server in a thread of this process, shut down and its workers stopped on the way out."""
    server = make_server(source, "127.0.0.1", 0, limits=limits, workers=workers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def trig_path(seeds_dataset, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "graph.trig"
    graph_io.save(seeds_dataset, path)
    return path


@pytest.fixture(scope="module")
def server(trig_path):
    with running(Source(trig_path)) as server:
        yield server


@pytest.fixture(scope="module")
def store_path(seeds_results, tmp_path_factory) -> Path:
    from graph.store import Store

    path = tmp_path_factory.mktemp("serve") / "store"
    with Store.open(path) as store:
        store.add(seeds_results)
    return path


def sparql(server, query: str, accept: str | None = None, method: str = "GET") -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    url = server.url + "sparql"
    if method == "GET":
        return requests.get(url, params={"query": query}, headers=headers, timeout=60)
    if method == "POST_FORM":
        return requests.post(url, data={"query": query}, headers=headers, timeout=60)
    return requests.post(url, data=query.encode("utf-8"),
                         headers={**headers, "Content-Type": "application/sparql-query"}, timeout=60)


def count(server, query: str = COUNT) -> int:
    response = sparql(server, query)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def rows_of(response: requests.Response) -> set[tuple]:
    media = response.headers["Content-Type"].split(";")[0]
    result = Result.parse(io.BytesIO(response.content), content_type=media)
    return {tuple(row) for row in result}


def assert_one_line_error(response: requests.Response, status: int | tuple[int, ...]) -> None:
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text.endswith("\n") and response.text.count("\n") == 1
    assert "Traceback" not in response.text and 'File "' not in response.text


# --- the SPARQL Protocol ---------------------------------------------------------------------------

NAMES = "SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_answers_in_the_format_the_accept_header_names(server, accept):
    response = sparql(server, NAMES, accept=accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    rows = rows_of(response)
    assert len(rows) == 11 and any("حموشي" in str(name) for _, name in rows)
    if accept != "text/csv":  # CSV gives plain strings: no term types to compare
        assert rows == rows_of(sparql(server, NAMES))


def test_json_is_the_default_and_keeps_term_types(server):
    response = sparql(server, "SELECT ?p ?name ?n WHERE { ?p a schema:Person ; schema:name ?name } LIMIT 1"
                              " VALUES ?n { 3 }", accept="text/html,*/*;q=0.8")
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    head, (row,) = response.json()["head"], response.json()["results"]["bindings"]
    assert head == {"vars": ["p", "name", "n"]}
    assert row["p"]["type"] == "uri" and row["name"]["xml:lang"] == "ar"
    assert row["n"] == {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


@pytest.mark.parametrize("method", ["GET", "POST_FORM", "POST"])
def test_get_form_post_and_query_post_give_one_answer(server, method):
    response = sparql(server, NAMES, method=method)
    assert response.status_code == 200
    assert response.json() == sparql(server, NAMES).json()


def test_answers_are_those_of_majlis_query(server, seeds_dataset):
    # The default graph is the union of the article graphs as a set, as rdflib reads a Dataset.
    # Compared by value: pyoxigraph keeps numbers in canonical form (0.90 is served as 0.9).
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) }"

    def values(rows):
        return {tuple((t.toPython(), t.language) if isinstance(t, Literal) else t for t in row) for row in rows}

    expected = values(seeds_dataset.query(query))
    assert values(rows_of(sparql(server, query))) == expected
    assert count(server) == len(queries.run(seeds_dataset, "SELECT * WHERE { ?s ?p ?o }").rows)


def test_named_graphs_are_the_articles(server, seeds_results):
    response = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert graphs == {f"https://w3id.org/majlis/id/graph/{r.article.id}" for r in seeds_results}


def test_default_graph_uri_narrows_the_default_graph(server, seeds_results):
    article = f"https://w3id.org/majlis/id/graph/{seeds_results[0].article.id}"
    response = requests.get(server.url + "sparql", params={"query": COUNT, "default-graph-uri": article}, timeout=60)
    narrowed = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < narrowed < count(server)


@pytest.mark.parametrize("query, answer", [("ASK { ?p a schema:Person }", True), ("ASK { ?p a schema:Nothing }", False)])
def test_ask(server, query, answer):
    assert sparql(server, query).json() == {"head": {}, "boolean": answer}
    xml = sparql(server, query, accept="application/sparql-results+xml")
    assert Result.parse(io.BytesIO(xml.content), content_type="application/sparql-results+xml").askAnswer is answer
    assert sparql(server, query, accept="text/csv").text.strip() == str(answer).lower()


CONSTRUCT = "CONSTRUCT { ?p schema:name ?name } WHERE { ?p a schema:Person ; schema:name ?name }"


@pytest.mark.parametrize("accept, rdf_format", [(None, "turtle"), ("text/turtle", "turtle"),
                                                ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_construct_gives_a_graph(server, seeds_dataset, accept, rdf_format):
    response = sparql(server, CONSTRUCT, accept=accept)
    assert response.status_code == 200
    served = Graph().parse(data=response.text, format=rdf_format)
    expected = Graph()
    for triple in seeds_dataset.query(CONSTRUCT, initNs=queries.PREFIXES):
        expected.add(triple)
    assert isomorphic(served, expected) and len(served) == 11


def test_describe_works(server):
    iri = sparql(server, NAMES).json()["results"]["bindings"][0]["p"]["value"]
    response = sparql(server, f"DESCRIBE <{iri}>", accept="application/n-triples")
    assert response.status_code == 200 and iri in response.text


def test_a_type_the_server_cannot_give_is_406(server):
    assert_one_line_error(sparql(server, NAMES, accept="text/turtle"), 406)
    assert_one_line_error(sparql(server, CONSTRUCT, accept="text/csv"), 406)


def test_rdflib_sparqlstore_reads_the_endpoint(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    for return_format in ("xml", "json"):
        graph = Graph(store=SPARQLStore(server.url + "sparql", returnFormat=return_format))
        names = {str(name) for (name,) in graph.query("SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name }",
                                                      initNs={"schema": "https://schema.org/"})}
        assert len(names) == 11 and any("حموشي" in n for n in names)
        assert graph.query("ASK { ?p a <https://schema.org/Person> }").askAnswer is True
        assert len(graph) == count(server)
        persons = list(graph.triples((None, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                      URIRef("https://schema.org/Person"))))
        assert len(persons) == 11


def test_rdflib_sparqlstore_construct(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server.url + "sparql"))
    assert len(graph.query(CONSTRUCT).graph) == 11


# --- named queries and pages -----------------------------------------------------------------------

NAMED_CASES = [(name, {p: "حموشي" if p == "person" else "الأمن" for p in queries.describe(name).required})
               for name in queries.names()] + [("who-met-whom", {"person": "حموشي"})]


@pytest.mark.parametrize("name, params", NAMED_CASES, ids=lambda v: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
def test_named_query_answers_as_majlis_query(server, seeds_dataset, name, params):
    response = requests.get(server.url + f"queries/{name}", params=params, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert response.json() == json.loads(queries.format_json(queries.run(seeds_dataset, name, params)))


def test_named_query_in_the_readme_example(server):
    response = requests.get(server.url + "queries/meetings-of?person=حموشي", timeout=60)
    assert response.status_code == 200
    assert response.json() and all("حموشي" in row["name"] for row in response.json())


@pytest.mark.parametrize("accept, formatter", [("text/csv", queries.format_csv), ("text/plain", queries.format_table)])
def test_named_query_as_csv_or_table(server, seeds_dataset, accept, formatter):
    response = requests.get(server.url + "queries/persons", headers={"Accept": accept}, timeout=60)
    assert response.headers["Content-Type"] == f"{accept}; charset=utf-8"
    assert response.text == formatter(queries.run(seeds_dataset, "persons"))


def test_queries_lists_the_shipped_queries(server):
    listing = requests.get(server.url + "queries", timeout=60).json()
    assert [q["name"] for q in listing] == queries.names()
    meetings_of = next(q for q in listing if q["name"] == "meetings-of")
    assert meetings_of["params"] == ["person"] and meetings_of["url"] == "/queries/meetings-of"


@pytest.mark.parametrize("path, params, status", [
    ("queries/meetings-off", {"person": "x"}, 404),
    ("queries/meetings-of", {}, 400),
    ("queries/meetings-of", {"person": "x", "agency": "y"}, 400),
    ("queries/meetings-of", {"person": ""}, 400),
    ("nowhere", {}, 404),
])
def test_named_query_mistakes_are_one_line(server, path, params, status):
    assert_one_line_error(requests.get(server.url + path, params=params, timeout=60), status)


def test_a_parameter_given_twice_is_refused(server):
    assert_one_line_error(requests.get(server.url + "queries/meetings-of?person=a&person=b", timeout=60), 400)


def test_named_query_not_in_a_sparql_results_type_is_406(server):
    response = requests.get(server.url + "queries/persons", headers={"Accept": "application/sparql-results+xml"},
                            timeout=60)
    assert_one_line_error(response, 406)


def test_the_page_is_what_majlis_network_writes(server, trig_path, tmp_path, capsys):
    assert main(["network", "-g", str(trig_path), "-o", str(tmp_path / "network.html")]) == 0
    response = requests.get(server.url, timeout=60)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == (tmp_path / "network.html").read_bytes()


def test_head_gives_headers_only(server):
    response = requests.head(server.url, timeout=60)
    assert response.status_code == 200 and int(response.headers["Content-Length"]) > 0 and response.content == b""


# --- read-only -------------------------------------------------------------------------------------

UPDATES = ["DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
           "DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:9/x.ttl>", "CREATE GRAPH <http://x/g>",
           "PREFIX schema: <https://schema.org/>\n# a comment\ndelete { ?s ?p ?o } where { ?s ?p ?o }",
           "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "ADD DEFAULT TO <http://x/g>",
           "SELECT * WHERE { ?s ?p ?o } ; DROP ALL"]


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("channel", ["query GET", "update GET", "query form", "update form", "query body",
                                     "update body"])
def test_updates_are_refused_and_nothing_changes(server, update, channel):
    before = count(server), count(server, QUAD_COUNT)
    field, how = channel.split()
    url = server.url + "sparql"
    if how == "GET":
        response = requests.get(url, params={field: update}, timeout=60)
    elif how == "form":
        response = requests.post(url, data={field: update}, timeout=60)
    else:
        media = "application/sparql-query" if field == "query" else "application/sparql-update"
        response = requests.post(url, data=update.encode(), headers={"Content-Type": media}, timeout=60)
    assert_one_line_error(response, (400, 403))
    assert (count(server), count(server, QUAD_COUNT)) == before


def test_sparql_update_store_is_refused(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    before = count(server)
    store = SPARQLUpdateStore(query_endpoint=server.url + "sparql", update_endpoint=server.url + "sparql")
    with pytest.raises(HTTPError) as raised:
        store.update("DROP ALL")
    assert raised.value.code == 403
    assert count(server) == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_refused(server, method):
    response = requests.request(method, server.url + "sparql", data=b"<a> <b> <c> .", timeout=60)
    assert_one_line_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_injection_through_a_parameter_is_a_plain_name(server):
    before = count(server), count(server, QUAD_COUNT)
    for name in ("meetings-of", "evidence-of", "who-met-whom"):
        response = requests.get(server.url + f"queries/{name}", params={"person": INJECTION}, timeout=60)
        assert response.status_code == 200 and response.json() == []
    assert (count(server), count(server, QUAD_COUNT)) == before


def test_the_file_is_unchanged_by_a_session(trig_path):
    before = trig_path.read_bytes()
    with running(Source(trig_path), workers=1) as server:
        for update in UPDATES:
            requests.post(server.url + "sparql", data={"update": update, "query": update}, timeout=60)
    assert trig_path.read_bytes() == before


def test_a_served_store_is_unchanged_and_keeps_writers_out(store_path, capsys):
    from graph.store import Store, StoreInUseError

    with Store.open(store_path, read_only=True) as store:
        quads = store.quad_count()
    with running(Source(store_path, is_store=True), workers=1) as server:
        assert count(server, QUAD_COUNT) == quads
        for update in UPDATES:
            requests.post(server.url + "sparql", data={"update": update}, timeout=60)
            requests.post(server.url + "sparql", data={"query": update}, timeout=60)
        with pytest.raises(StoreInUseError):
            Store.open(store_path)
        assert main(["add", str(SEEDS), "--store", str(store_path)]) == 1
        assert "in use by another majlis process" in capsys.readouterr().err
        assert requests.get(server.url + "queries/who-met-whom", timeout=60).json()
    with Store.open(store_path, read_only=True) as store:
        assert store.quad_count() == quads


def test_a_store_answers_like_its_graph_file(server, store_path):
    with running(Source(store_path, is_store=True), workers=1) as from_store:
        for name, params in NAMED_CASES:
            served = requests.get(from_store.url + f"queries/{name}", params=params, timeout=60).json()
            assert served == requests.get(server.url + f"queries/{name}", params=params, timeout=60).json()
        assert requests.get(from_store.url, timeout=60).content == requests.get(server.url, timeout=60).content


# --- SERVICE would make the server a proxy -----------------------------------------------------------

@pytest.fixture
def bystander():
    """An HTTP server on this machine that counts the requests it gets."""
    hits = []

    class Counting(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    listener = HTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.server_port}/sparql", hits
    listener.shutdown()
    listener.server_close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z .SERVICE<{url}>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # SERVICE in a comment first\n  Service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND (<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_never_called(server, bystander, template):
    url, hits = bystander
    assert_one_line_error(sparql(server, template.format(url=url)), 403)
    assert hits == []


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service a schema:Person }",
    'SELECT ?p WHERE { ?p schema:name ?n FILTER (CONTAINS(?n, "service drop insert")) }',
    "SELECT ?p WHERE { ?p <http://example.org/service/drop> ?o }  # service, delete",
    "PREFIX service: <http://example.org/> SELECT ?p WHERE { ?p service:load ?o }",
    'SELECT ?p WHERE { ?p schema:name "x"@with }',
])
def test_words_inside_names_strings_and_iris_are_not_refused(query):
    assert refusal(query) is None


# --- limits ----------------------------------------------------------------------------------------

def test_a_cartesian_product_is_cut_off_at_the_row_limit(server):
    response = sparql(server, CARTESIAN)
    assert_one_line_error(response, 503)
    assert "more than 5000 rows" in response.text
    assert count(server) > 0  # and the server goes on


def test_a_long_query_is_stopped_at_the_timeout_and_the_server_goes_on(server):
    started = time.monotonic()
    response = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert time.monotonic() - started < 30  # the timeout is 3 s: a generous bound, not a measurement
    assert_one_line_error(response, 503)
    assert "after 3 s" in response.text
    assert count(server) > 0
    assert requests.get(server.url + "queries/who-met-whom", timeout=60).status_code == 200


def test_a_query_that_would_fill_memory_is_stopped(server):
    response = sparql(server, CARTESIAN + " ORDER BY ?c ?f ?i")
    assert_one_line_error(response, 503)
    assert count(server) > 0


def test_a_query_that_crashes_the_parser_does_not_take_the_server_down(server):
    depth = 200_000  # pyoxigraph's parser overflows its stack on this much nesting
    response = sparql(server, "SELECT * WHERE { FILTER (" + "(" * depth + "1" + ")" * depth + ") }", method="POST")
    assert_one_line_error(response, (400, 503))
    assert count(server) > 0


def test_after_cut_offs_the_pool_is_whole_again(server):
    for _ in range(3):
        sparql(server, CARTESIAN + " ORDER BY ?c")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.engine.idle_workers < 2:
        time.sleep(0.2)
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(sparql(server, NAMES).status_code)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert replies == [200] * 8


def test_malformed_sparql_is_400_with_the_parsers_line(server):
    response = sparql(server, "SELECT * WHERE {")
    assert_one_line_error(response, 400)
    assert response.text.startswith("malformed SPARQL: error at 1:17")


def test_a_missing_query_is_400(server):
    assert_one_line_error(requests.get(server.url + "sparql", timeout=60), 400)
    assert_one_line_error(requests.get(server.url + "sparql?query=a&query=b", timeout=60), 400)


def test_a_body_over_the_limit_is_413(server):
    response = requests.post(server.url + "sparql", data=b"x" * (LIMITS.max_body + 1),
                             headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert_one_line_error(response, 413)


def test_a_url_over_the_limit_is_414(server):
    response = requests.get(server.url + "sparql", params={"query": "# " + "x" * LIMITS.max_url}, timeout=60)
    assert_one_line_error(response, 414)


def test_a_post_without_length_or_of_another_type_is_refused(server):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    connection.send(b"5\r\nASK{}\r\n0\r\n\r\n")
    assert connection.getresponse().status == 411
    connection.close()
    response = requests.post(server.url + "sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"}, timeout=60)
    assert_one_line_error(response, 415)


def test_bad_percent_encoding_is_400(server):
    assert_one_line_error(requests.get(server.url + "sparql?query=%ff%fe", timeout=60), 400)


def test_a_foreign_host_header_is_refused(server):
    # A web page whose host name was pointed at 127.0.0.1 (DNS rebinding) must not read the graph.
    response = requests.get(server.url + "queries/persons", headers={"Host": "attacker.example"}, timeout=60)
    assert_one_line_error(response, 403)
    assert requests.get(server.url + "queries/persons", headers={"Host": "localhost"}, timeout=60).ok


def test_keep_alive_connection_serves_several_requests(server):
    with requests.Session() as session:
        for _ in range(3):
            assert session.get(server.url + "sparql", params={"query": COUNT}, timeout=60).ok
        assert session.get(server.url + "nowhere", timeout=60).status_code == 404
        assert session.get(server.url + "sparql", params={"query": COUNT}, timeout=60).ok


# --- pieces ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/*", "text/csv"),
    ("application/sparql-results+xml;q=0.9, text/csv;q=0.8", "application/sparql-results+xml"),
    ("text/csv;q=0.5, */*;q=0.1", "text/csv"),
    ("text/*;q=0.9, text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0, */*", "application/sparql-results+json"),
    ("image/png", None),
])
def test_negotiate(accept, expected):
    offered = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values")
    assert negotiate(accept, offered) == expected


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nt", ".jsonld"])
def test_every_graph_format_loads_to_the_same_union(seeds_dataset, tmp_path, suffix):
    path = tmp_path / f"graph{suffix}"
    graph_io.save(seeds_dataset, path)
    default = load_graph(Source(path)).quads_for_pattern(None, None, None, __import__("pyoxigraph").DefaultGraph())
    assert len(list(default)) == len(graph_io.load(path))


def test_a_bad_source_is_one_line(tmp_path):
    from extract.errors import MajlisError

    (tmp_path / "bad.ttl").write_text("<http://a> <http://b> .\n", encoding="utf-8")
    for path, message in [(tmp_path / "missing.ttl", "no such file"), (tmp_path / "bad.ttl", "line 1"),
                          (tmp_path / "graph.csv", "unknown graph format")]:
        with pytest.raises(MajlisError, match=message):
            make_server(Source(path), "127.0.0.1", 0)


def test_results_formats_hold_awkward_values():
    import pyoxigraph as ox

    from majlis import serve

    literal = ox.Literal('tab\there, "quote", new\nline, \x01 control, حموشي', language="ar")
    rows = [(ox.NamedNode("http://x/a?b=c&d"), literal), (ox.BlankNode("b0"), None)]
    for media, writer in [("application/sparql-results+json", serve._results_json),
                          ("application/sparql-results+xml", serve._results_xml)]:
        parsed = list(Result.parse(io.BytesIO(writer(["s", "o"], rows).encode()), content_type=media))
        assert len(parsed) == 2 and str(parsed[0][0]) == "http://x/a?b=c&d" and parsed[1][1] is None
        expected = literal.value.replace("\x01", "\ufffd") if "xml" in media else literal.value  # XML 1.0 has no \x01
        assert str(parsed[0][1]) == expected and parsed[0][1].language == "ar"
    # rdflib's TSV parser does not read \u escapes in literals; pyoxigraph's does.
    tsv = ox.parse_query_results(serve._results_tsv(["s", "o"], rows).encode(), ox.QueryResultsFormat.TSV)
    assert [tuple(solution) for solution in tsv] == rows
    table = list(csv.reader(io.StringIO(serve._results_csv(["s", "o"], rows))))
    assert table[1] == ["http://x/a?b=c&d", literal.value] and table[2] == ["_:b0", ""]


# --- the command -------------------------------------------------------------------------------------

def test_serve_help_has_an_example(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "majlis serve -g out/graph.ttl" in out and "/queries/meetings-of?person=" in out


def test_serve_listens_on_this_machine_unless_told(trig_path):
    args = build_parser().parse_args(["serve", "-g", str(trig_path)])
    assert (args.host, args.port, args.timeout, args.max_rows) == ("127.0.0.1", 8000, 10.0, 100_000)
    with running(Source(trig_path), workers=1) as server:
        assert server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--max-rows", "0"], ["--port", "70000"], ["--workers", "0"]])
def test_serve_refuses_bad_limits_as_usage_errors(trig_path, option, capsys):
    assert main(["serve", "-g", str(trig_path), *option]) == 2


def test_serve_errors_are_one_line(tmp_path, trig_path, capsys):
    assert main(["serve", "-g", str(tmp_path / "missing.ttl"), "--port", "0"]) == 1
    assert capsys.readouterr().err == f"majlis: {tmp_path / 'missing.ttl'}: no such file\n"
    with running(Source(trig_path), workers=1) as server:
        port = str(server.server_address[1])
        assert main(["serve", "-g", str(trig_path), "--port", port]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"majlis: cannot listen on 127.0.0.1:{port}: ") and err.count("\n") == 1


class _Lines:
    """The stderr lines of a process, read on a thread so that waiting for one can time out."""

    def __init__(self, stream):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line) for line in stream], daemon=True).start()

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r} in {self.seen}")


@contextmanager
def cli_server(*argv):
    process = subprocess.Popen([str(ENTRY_POINT), "serve", *map(str, argv), "--port", "0"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8")
    lines = _Lines(process.stderr)
    try:
        url = lines.wait_for(r"at (http://127\.0\.0\.1:\d+/)").group(1)
        yield process, url, lines
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_serves_until_stopped(trig_path, stop):
    with cli_server("-g", trig_path, "--workers", "1") as (process, url, lines):
        assert requests.get(url + "queries/who-met-whom", timeout=60).json()
        assert requests.get(url + "sparql", params={"query": "ASK {}"}, timeout=60).json()["boolean"] is True
        lines.wait_for(r"GET /sparql\?query=ASK\+%7B%7D 200 \d+ B")
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
        lines.wait_for(r"^majlis: stopped$")
    assert not any("Traceback" in line for line in lines.seen)


def test_the_command_with_quiet_logs_no_requests(trig_path):
    with cli_server("-g", trig_path, "--workers", "1", "--quiet") as (process, url, lines):
        assert requests.get(url + "queries/persons", timeout=60).ok
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        lines.wait_for(r"^majlis: stopped$")
    assert not any("/queries/persons" in line for line in lines.seen)


def test_the_command_serves_a_store(store_path):
    with cli_server("--store", store_path, "--workers", "1") as (process, url, lines):
        assert requests.get(url + "queries/meetings-of", params={"person": "حموشي"}, timeout=60).json()
        added = subprocess.run([str(ENTRY_POINT), "add", str(SEEDS), "--store", str(store_path)],
                               capture_output=True, text=True, timeout=300)
        assert added.returncode == 1 and added.stderr.count("\n") == 1
        assert "is in use by another majlis process" in added.stderr
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_replacements_load_the_graph_as_it_was_at_start(trig_path, tmp_path):
    # A worker replaced after a cut-off must not read a graph file rebuilt since the server started.
    path = tmp_path / "graph.trig"
    path.write_bytes(trig_path.read_bytes())
    with running(Source(path)) as server:
        before = count(server)
        path.write_text("", encoding="utf-8")
        for _ in range(2):
            assert sparql(server, CARTESIAN + " ORDER BY ?c").status_code == 503  # kills a worker
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.engine.idle_workers < 2:
            time.sleep(0.2)
        assert [count(server) for _ in range(4)] == [before] * 4


def test_kept_answers_stay_within_their_budget():
    from majlis.serve import NamedJob, Reply, _Answers

    answers = _Answers(budget=1000)
    for n in range(20):
        answers.keep(NamedJob("persons", (("n", str(n)),)), Reply(200, "application/json", b"x" * 100))
    assert answers.get(NamedJob("persons", (("n", "19"),))) is not None
    assert answers.get(NamedJob("persons", (("n", "0"),))) is None
    answers.keep(NamedJob("persons"), Reply(400, "text/plain", b"no"))
    assert answers.get(NamedJob("persons")) is None  # only answers are kept, not errors


def test_a_body_shorter_than_its_length_is_refused(server):
    import socket

    with socket.create_connection(server.server_address[:2], timeout=60) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 100\r\n\r\nASK {}")
        connection.shutdown(socket.SHUT_WR)
        answer = connection.makefile("rb").read().decode("utf-8")
    assert answer.startswith("HTTP/1.1 400 ") and answer.endswith("the body is shorter than its Content-Length\n")
