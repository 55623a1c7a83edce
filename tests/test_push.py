"""graph/push.py against a real Virtuoso (Debian's virtuoso-opensource-7-bin), started here on loopback.

The server gets a fresh database in a temporary folder (no demo data), a SQL port and an HTTP
port on 127.0.0.1, and is stopped at the end of the module. Writes go through the authenticated
endpoints with the built-in dba/dba account and digest auth, as an operator's would.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests
from rdflib import Dataset, Literal, URIRef

import queries
from extract.types import Article
from graph.build import build_dataset
from graph.push import PushError, PushReport, _update_requests, make_auth, push

VIRTUOSO = shutil.which("virtuoso-t")
APT_PACKAGE = "virtuoso-opensource-7-bin"
START_TIMEOUT_S = 120
GRAPHS = "https://w3id.org/majlis/id/graph/"

# Invented officials in the genre: four meetings, two persons met twice each.
ARTICLES = [
    ("vt-rabat", "استقبل المدير العام للأمن الوطني المغربي رشيد الوزاني، يوم الاثنين 3 مارس 2025 بالرباط، "
                 "نظيره التونسي منير الغرياني، وتباحث الجانبان حول سبل تعزيز التعاون في مجال مكافحة الإرهاب "
                 "والجريمة المنظمة."),
    ("vt-algiers", "التقى وزير الداخلية الجزائري كمال بوشناق، الثلاثاء 14 يناير 2025 بالجزائر العاصمة، نظيره "
                   "الموريتاني سيدي ولد أحمدو، حيث بحث الطرفان تأمين الحدود المشتركة ومكافحة الهجرة غير النظامية."),
    ("vt-madrid", "أجرى المدير العام للأمن الوطني رشيد الوزاني، يوم الأربعاء 9 أبريل 2025 بمدريد، مباحثات مع "
                  "المدير العام للشرطة الوطنية الإسبانية خوان مارتينيث بيدال، بحضور الملحق الأمني المغربي سفيان "
                  "الإدريسي. وتناولت المباحثات مكافحة الاتجار بالمخدرات وتبادل المعلومات."),
    ("vt-tunis", "اجتمع رئيس جهاز أمن الدولة التونسي منير الغرياني ووزير الداخلية الجزائري كمال بوشناق، "
                 "الخميس 22 مايو 2025 بتونس، لبحث التنسيق الأمني على الحدود المشتركة. وأشاد الغرياني بمستوى "
                 "التعاون بين البلدين."),
]
# The same Rabat meeting told again, now with a third attendee: pushing it must replace that graph only.
RABAT_AGAIN = ("vt-rabat", "استقبل المدير العام للأمن الوطني المغربي رشيد الوزاني، يوم الاثنين 3 مارس 2025 "
                           "بالرباط، نظيره التونسي منير الغرياني، بحضور الملحق الأمني التونسي حاتم بن عمر.")

PAIRS = """
PREFIX mj: <https://w3id.org/majlis#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?a ?b WHERE {
  { ?m schema:attendee ?a, ?b } UNION { ?a mj:met ?b }
  FILTER (STR(?a) < STR(?b))
}"""
COUNTS = f"""
SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{GRAPHS}")) }}
GROUP BY ?g"""


# --- the server -------------------------------------------------------------------------------------

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxClientConnections = 10
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"virtuoso-t exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    pytest.fail(f"Virtuoso did not answer at {url} within {START_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[str]:
    """The base URL of a Virtuoso with an empty database, on loopback only."""
    if VIRTUOSO is None:
        reason = f"Virtuoso is not installed: the Debian package {APT_PACKAGE} gives virtuoso-t (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # in CI a skip would hide a missing install step
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = _free_port()
    (folder / "virtuoso.ini").write_text(INI.format(dir=folder, sql_port=_free_port(), http_port=http_port))
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                   cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_ready(process, f"{base}/sparql", log)
        yield base
    finally:
        process.terminate()  # Virtuoso checkpoints and exits on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _select(base: str, query: str) -> list[tuple[str | None, ...]]:
    response = requests.post(f"{base}/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
    response.raise_for_status()
    body = response.json()
    columns = body["head"]["vars"]
    return [tuple(row[c]["value"] if c in row else None for c in columns) for row in body["results"]["bindings"]]


def _remote_counts(base: str) -> dict[str, int]:
    return {g: int(n) for g, n in _select(base, COUNTS)}


def _local_counts(dataset: Dataset) -> dict[str, int]:
    return {str(g.identifier): len(g) for g in dataset.graphs() if str(g.identifier).startswith(GRAPHS)}


def _clear(base: str) -> None:
    for graph in _remote_counts(base):
        requests.delete(f"{base}/sparql-graph-crud-auth", params={"graph": graph}, auth=DBA, timeout=60)


DBA = make_auth("dba", "dba", "digest")


@pytest.fixture(scope="module")
def dataset(extractor) -> Dataset:
    return _dataset(extractor, ARTICLES)


def _dataset(extractor, articles) -> Dataset:
    return build_dataset(extractor.extract(Article(i, text, dt.date(2025, 6, 1))) for i, text in articles)


# --- against Virtuoso --------------------------------------------------------------------------------

def test_graph_store_push_answers_who_met_whom_as_rdflib_does(virtuoso, dataset):
    _clear(virtuoso)
    report = push(dataset, f"{virtuoso}/sparql-auth", f"{virtuoso}/sparql-graph-crud-auth", auth=DBA)

    assert report.graphs == len(ARTICLES) and report.triples == sum(_local_counts(dataset).values())
    local_pairs = set(queries.run(dataset, PAIRS).rows)
    assert len(local_pairs) == 6
    assert set(_select(virtuoso, PAIRS)) == local_pairs
    # The shipped query, unchanged, gives the same table on both stores.
    shipped = queries.load("who-met-whom")
    assert sorted(_select(virtuoso, shipped.text)) == sorted(queries.run(dataset, shipped).rows)


def test_pushing_twice_leaves_the_same_triples(virtuoso, dataset):
    _clear(virtuoso)
    for _ in range(2):
        push(dataset, f"{virtuoso}/sparql-auth", f"{virtuoso}/sparql-graph-crud-auth", auth=DBA)
        assert _remote_counts(virtuoso) == _local_counts(dataset)


def test_sparql_update_push_in_small_chunks_matches_the_graph_store_push(virtuoso, dataset):
    _clear(virtuoso)
    # 25 triples a request: every article graph is split over several INSERT DATA.
    for _ in range(2):
        report = push(dataset, f"{virtuoso}/sparql-auth", auth=DBA, chunk_triples=25)
        assert _remote_counts(virtuoso) == _local_counts(dataset)
    assert report.triples == sum(_local_counts(dataset).values())


def test_a_changed_article_replaces_its_own_graph_only(virtuoso, dataset, extractor):
    _clear(virtuoso)
    push(dataset, f"{virtuoso}/sparql-auth", f"{virtuoso}/sparql-graph-crud-auth", auth=DBA)
    changed = _dataset(extractor, [RABAT_AGAIN])
    push(changed, f"{virtuoso}/sparql-auth", auth=DBA)

    rabat = GRAPHS + "vt-rabat"
    assert _local_counts(changed)[rabat] != _local_counts(dataset)[rabat]
    assert _remote_counts(virtuoso) == _local_counts(dataset) | _local_counts(changed)


def test_http_errors_name_the_url_and_the_status(virtuoso, dataset):
    wrong = make_auth("dba", "not-the-password", "digest")
    with pytest.raises(PushError, match=rf"^{virtuoso}/sparql-auth: HTTP 401\b"):
        push(dataset, f"{virtuoso}/sparql-auth", auth=wrong)
    # The anonymous Graph Store endpoint may read but not write.
    with pytest.raises(PushError, match=rf"^{virtuoso}/sparql-graph-crud: HTTP 403\b") as error:
        push(dataset, f"{virtuoso}/sparql", f"{virtuoso}/sparql-graph-crud")
    assert "\n" not in str(error.value)


# --- without a server --------------------------------------------------------------------------------

def _toy_dataset(sizes: dict[str, int]) -> Dataset:
    ds = Dataset(default_union=True)
    for name, size in sizes.items():
        g = ds.graph(URIRef(GRAPHS + name))
        for i in range(size):
            g.add((URIRef(f"https://w3id.org/majlis/id/person/{name}-{i}"), URIRef("https://schema.org/name"),
                   Literal(f"اسم \"مقتبس\"\nرقم {i}", lang="ar")))
    return ds


def test_update_requests_are_bounded_and_rebuild_the_graphs():
    source = _toy_dataset({"big": 7, "small": 2, "empty": 0})
    graphs = sorted((g for g in source.graphs() if str(g.identifier).startswith(GRAPHS)), key=lambda g: str(g.identifier))
    updates = list(_update_requests(graphs, chunk_triples=3))

    assert all(sum(line.endswith(" .") for line in u.splitlines()) <= 3 for u in updates)
    assert sum(u.count("DROP SILENT GRAPH") for u in updates) == 3
    copy = Dataset(default_union=True)
    copy.graph(URIRef(GRAPHS + "small")).add((URIRef("urn:x:stale"), URIRef("urn:x:p"), Literal("قديم")))
    for update in updates:
        copy.update(update)
    assert _local_counts(copy) | {GRAPHS + "empty": 0} == _local_counts(source)
    assert _quads(copy) == _quads(source)


def _quads(ds: Dataset) -> set[tuple]:
    return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads()}


def test_an_unreachable_store_is_one_line():
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    with pytest.raises(PushError, match=rf"^cannot reach {url}: .*refused"):
        push(_toy_dataset({"one": 1}), url, timeout=5)


def test_report_counts_graphs_and_triples_even_when_nothing_is_sent():
    report = push(Dataset(default_union=True), "http://127.0.0.1:9/unused")
    assert isinstance(report, PushReport) and (report.graphs, report.triples) == (0, 0)
