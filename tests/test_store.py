"""graph.store: incremental adds that skip, replace and merge; crash safety; one writer at a time."""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic

import queries
from extract.errors import MajlisError
from extract.types import Article
from graph import io
from graph.build import build_dataset
from graph.identity import article_iri, graph_iri
from graph.store import SHA256, AddReport, Store, StoreError, StoreInUseError, _from_ox, content_hash
from graph.vocabulary import ID, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = dt.date(2026, 3, 2)

# Invented officials in the register of the press; the second article names Alami by family name only.
TEXTS = {
    "rabat-1": "استقبل السيد كريم العلمي، المدير العام للأمن الوطني، يوم الاثنين بالرباط، السيد جان مارتان، "
               "سفير فرنسا بالمغرب. وتناول اللقاء سبل تعزيز التعاون في مجال مكافحة الإرهاب.",
    "rabat-2": "استقبل المدير العام للأمن الوطني، السيد العلمي، يوم الثلاثاء بالرباط، السيد بيدرو غارسيا، "
               "وزير الداخلية الإسباني.",
    "rome-1": "التقى السيد سعيد بناني، وزير الداخلية، بالسيدة آنا روسي، سفيرة إيطاليا بالرباط.",
}
EDITED_ROME = "التقى السيد سعيد بناني، وزير الداخلية، بالسيد ماركو بيانكي، سفير إيطاليا بالرباط."


def article(article_id: str, text: str | None = None) -> Article:
    return Article(article_id, text or TEXTS[article_id], published=PUBLISHED,
                   url=f"https://news.example/{article_id}", title=f"خبر {article_id}", source="وكالة الأنباء")


@pytest.fixture
def extract(extractor):
    return lambda *articles: [extractor.extract(a) for a in articles]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "store") as s:
        yield s


def graph_triples(store: Store) -> dict[str, set]:
    """Each article graph of the store as a set of triples (the builder makes no blank nodes)."""
    ds = store.dataset()
    return {str(g.identifier): set(g) for g in ds.graphs() if len(g)}


def union(store: Store) -> Graph:
    g = Graph()
    for s, p, o, _ in store.dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def by_value(triples) -> set:
    """Triples with literals compared by value: pyoxigraph stores xsd:decimal "0.90" as its canonical "0.9"."""
    return {(s, p, (o.toPython(), o.datatype, o.language) if isinstance(o, Literal) else o) for s, p, o in triples}


def person_iri(store: Store, name: str) -> set[str]:
    return {row["p"].value for row in store.query("SELECT ?p ?n { ?p schema:name|schema:alternateName ?n }",
                                                  {"n": Literal(name, lang="ar")})}


# --- adding -------------------------------------------------------------------------------------------

def test_add_stores_each_article_graph_with_its_hash(store, extract):
    results = extract(*(article(i) for i in TEXTS))
    assert store.add(results) == AddReport(added=3, replaced=0, skipped=0)
    assert store.article_ids() == sorted(TEXTS)
    built = build_dataset(results)
    stored = store.dataset()
    for r in results:
        name = graph_iri(r.article.id)
        digest = Literal(content_hash(r.article))
        assert (article_iri(r.article.id), SHA256, digest) in stored.graph(name)
        assert store.stored_hash(r.article.id) == str(digest)
        expected = set(built.graph(name)) | {(article_iri(r.article.id), SHA256, digest)}
        assert by_value(stored.graph(name)) == by_value(expected)


def test_unchanged_articles_are_skipped(store, extract):
    results = extract(*(article(i) for i in TEXTS))
    store.add(results)
    before = graph_triples(store)
    assert store.add(results) == AddReport(added=0, replaced=0, skipped=3)
    assert graph_triples(store) == before


def test_metadata_is_part_of_the_hash():
    assert content_hash(article("rome-1")) != content_hash(Article("rome-1", TEXTS["rome-1"], published=PUBLISHED))
    assert content_hash(article("rome-1")) == content_hash(article("rome-1"))


def test_changed_article_replaces_its_graph_and_nothing_else(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    before = graph_triples(store)
    edited = extract(article("rome-1", EDITED_ROME))
    assert store.add(edited) == AddReport(added=0, replaced=1, skipped=0)
    after = graph_triples(store)
    rome = str(graph_iri("rome-1"))
    assert {g: t for g, t in after.items() if g != rome} == {g: t for g, t in before.items() if g != rome}
    names = {str(o) for _, _, o in after[rome] if isinstance(o, Literal)}
    assert "ماركو بيانكي" in names and "آنا روسي" not in names
    assert store.stored_hash("rome-1") == content_hash(edited[0].article)
    # The old version's persons are gone from the key table as well as from the graph.
    assert "انا روسي" not in store.person_names()


@pytest.mark.parametrize("first, second", [("rabat-1", "rabat-2"), ("rabat-2", "rabat-1")])
def test_persons_merge_across_adds(store, extract, first, second):
    store.add(extract(article(first)))
    store.add(extract(article(second)))
    alami = person_iri(store, "كريم العلمي") | person_iri(store, "العلمي")
    assert len(alami) == 1
    persons_per_graph = [
        {row["p"].value for row in store.query("SELECT ?g ?p { GRAPH ?g { ?m schema:attendee ?p } }",
                                               {"g": graph_iri(a)})} for a in (first, second)]
    assert alami <= persons_per_graph[0] and alami <= persons_per_graph[1]


def test_person_lookup_reads_only_names_that_can_merge(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    assert store.person_names(["العلمي"]) == {"كريم العلمي": ["العلمي", "كريم العلمي"]}
    assert store.person_names(["ماركو بيانكي"]) == {}
    assert set(store.person_names()) == {"كريم العلمي", "جان مارتان", "بيدرو غارسيا", "سعيد بناني", "انا روسي"}


def test_person_lookup_keeps_every_person_while_an_alias_widens_it(store, extract):
    store.add(extract(article("rabat-1")))
    digest = store.stored_hash("rabat-1")
    # An alias with another last word widens the lookup to that word; the persons found by the
    # first word stay in the answer.
    store._persons.record([("rabat-1", digest, "كريم العلمي", "أبو سعد"), ("rabat-1", digest, "حسن العلمي", "حسن العلمي"),
                           ("rabat-1", digest, "خالد سعد", "خالد سعد")])
    assert set(store.person_names(["العلمي"])) == {"كريم العلمي", "حسن العلمي", "خالد سعد"}


def test_adding_twice_gives_the_same_bytes(tmp_path, extract):
    results = extract(*(article(i) for i in TEXTS))
    with Store.open(tmp_path / "once") as once, Store.open(tmp_path / "twice") as twice:
        once.add(results)
        twice.add(results)
        twice.add(results)
        io.save(once.dataset(), tmp_path / "once.ttl")
        io.save(twice.dataset(), tmp_path / "twice.ttl")
        assert isomorphic(union(once), union(twice))
        assert graph_triples(once) == graph_triples(twice)
    assert (tmp_path / "once.ttl").read_bytes() == (tmp_path / "twice.ttl").read_bytes()


def test_store_survives_reopening(tmp_path, extract):
    results = extract(*(article(i) for i in TEXTS))
    with Store.open(tmp_path / "s") as s:
        s.add(results)
        before = graph_triples(s)
    with Store.open(tmp_path / "s") as s:
        assert graph_triples(s) == before
        assert s.add(results).skipped == 3


def test_as_rdflib_serves_union_queries(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    graph = store.as_rdflib()
    rows = graph.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://schema.org/Person> }")
    assert [int(row[0]) for row in rows] == [5]


def test_query_binds_parameters(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    injection = Literal('"} ; DROP ALL ; {"', lang="ar")
    assert list(store.query("SELECT ?p ?n { ?p schema:name ?n }", {"n": injection})) == []
    assert len(store.article_ids()) == 3
    with pytest.raises(MajlisError, match="SPARQL syntax error"):
        store.query("SELECT ?p WHERE {")


# --- the folder and its lock ------------------------------------------------------------------------------

def test_a_second_writer_is_refused(tmp_path):
    path = tmp_path / "s"
    with Store.open(path):
        with pytest.raises(StoreInUseError, match=f"^store {path} is in use by another majlis process$"):
            Store.open(path)
        with pytest.raises(StoreInUseError):
            Store.open(path, read_only=True)
    Store.open(path).close()  # released on close


def test_a_second_add_process_is_refused(tmp_path, extract):
    path = tmp_path / "s"
    batch = tmp_path / "batch.pickle"
    batch.write_bytes(pickle.dumps(extract(article("rome-1"))))
    with Store.open(path):
        child = _run_child(ADD_SCRIPT, path, batch)
        out, err = child.communicate(timeout=60)
    assert child.returncode == 1
    assert err.strip().splitlines()[-1] == f"majlis: store {path} is in use by another majlis process"
    assert "Traceback" not in err


def test_readers_share_and_cannot_write(tmp_path, extract):
    path = tmp_path / "s"
    with Store.open(path) as s:
        s.add(extract(article("rome-1")))
    with Store.open(path, read_only=True) as a, Store.open(path, read_only=True) as b:
        assert a.article_ids() == b.article_ids() == ["rome-1"]
        with pytest.raises(StoreError, match="read-only"):
            a.add(extract(article("rabat-1")))


def test_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(StoreError, match="not a majlis store"):
        Store.open(tmp_path)
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "missing", read_only=True)


# --- a killed add ---------------------------------------------------------------------------------------

HOSTS = ["كريم العلمي", "سعيد بناني", "نادية الفاسي"]
GUESTS = ["جان مارتان", "بيدرو غارسيا", "آنا روسي", "هانس مولر", "يان كوفالسكي", "إريك لارسن", "مارك دوبوا",
          "لوكا فيراري", "سفين يوهانسون", "توماس بيكر"]
COUNTRIES = ["فرنسا", "إسبانيا", "إيطاليا", "ألمانيا", "بولندا", "الدنمارك", "بلجيكا", "البرتغال", "السويد", "النمسا"]
DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]


def many_articles(n: int) -> list[Article]:
    """Short meeting reports; every third host is named by family name only, to exercise merging."""
    articles = []
    for i in range(n):
        host = HOSTS[i % len(HOSTS)]
        host = f"السيد {host.split()[-1]}" if i % 3 == 2 else f"السيد {host}"
        guest, country = GUESTS[i % len(GUESTS)], COUNTRIES[(i // 3) % len(COUNTRIES)]
        text = (f"استقبل {host}، المدير العام للأمن الوطني، يوم {DAYS[i % len(DAYS)]} بالرباط، "
                f"السيد {guest}، سفير {country} بالمغرب، وبحث معه التعاون الأمني.")
        articles.append(Article(f"n{i:03d}", text, published=PUBLISHED))
    return articles


ADD_SCRIPT = """
import pickle, sys, time
from graph.store import Store
from extract.errors import MajlisError
try:
    with Store.open(sys.argv[1]) as store:
        results = pickle.loads(open(sys.argv[2], "rb").read())
        def progress(article_id):
            print(article_id, flush=True)
            time.sleep(0.003)  # slow enough that a kill lands mid-batch
        store.add(results, progress=progress)
except MajlisError as e:
    print(f"majlis: {e}", file=sys.stderr)
    sys.exit(1)
"""


def _run_child(script: str, *args: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _add_and_kill_after(path: Path, batch: Path, committed: int) -> int:
    """Run an add in a child process and SIGKILL it once `committed` articles are reported done."""
    child = _run_child(ADD_SCRIPT, path, batch)
    seen = 0
    deadline = time.monotonic() + 120
    while seen < committed and time.monotonic() < deadline:
        if not child.stdout.readline():
            break
        seen += 1
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read()
    return seen


@pytest.mark.slow
def test_a_killed_add_leaves_whole_articles_and_a_rerun_converges(tmp_path, extract):
    results = extract(*many_articles(150))
    batch = tmp_path / "batch.pickle"
    batch.write_bytes(pickle.dumps(results))
    with Store.open(tmp_path / "clean") as clean:
        clean.add(results)
        expected = graph_triples(clean)

    path = tmp_path / "killed"
    for committed in (20, 70):
        _add_and_kill_after(path, batch, committed)
        with Store.open(path) as killed:
            present = graph_triples(killed)
        assert committed <= len(present) < len(expected), "the kill should land mid-batch"
        for name, triples in present.items():
            assert triples == expected[name], f"{name} is not whole"

    with Store.open(path) as killed:
        report = killed.add(results)
        assert report.added == len(expected) - len(present) and report.replaced == 0
        assert graph_triples(killed) == expected


# --- the union in the default graph ---------------------------------------------------------------------

def default_graph(store: Store) -> set:
    return {(q.subject, q.predicate, q.object)
            for q in store.quads_store().quads_for_pattern(None, None, None, ox.DefaultGraph())}


def named_union(store: Store) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.quads_store().quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode)}


def test_the_default_graph_is_the_union_of_the_article_graphs_as_a_set(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    assert default_graph(store) == named_union(store)
    # A fact stated by two articles (the Moroccan DGSN's name) is there once.
    rows = store.run("SELECT (COUNT(*) AS ?n) WHERE { ?org a schema:GovernmentOrganization ; schema:name ?name }").rows
    assert rows == [(str(len({o for o in store.dataset().subjects(RDF.type, SCHEMA.GovernmentOrganization)})),)]


def test_replacing_an_article_keeps_the_union_exact(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    shared_before = default_graph(store)
    store.add(extract(article("rome-1", EDITED_ROME)))
    union_now = default_graph(store)
    assert union_now == named_union(store)
    names = {str(o.value) for _, _, o in union_now if isinstance(o, ox.Literal)}
    assert "ماركو بيانكي" in names and "آنا روسي" not in names  # only the old version held her
    # What the other articles state stays, even where the old version of rome-1 stated it too.
    others = {t for g, triples in graph_triples(store).items() if g != str(graph_iri("rome-1")) for t in triples}
    assert {t for t in shared_before if _from(t) in others} <= union_now


def _from(triple) -> tuple:
    return tuple(_from_ox(term) for term in triple)


def test_run_answers_the_shipped_queries_as_rdflib_does_on_the_copy(store, extract):
    store.add(extract(*(article(i) for i in TEXTS)))
    copy = store.as_rdflib()
    for name, params in [("who-met-whom", {}), ("meetings-of", {"person": "العلمي"}), ("persons", {}),
                         ("meetings-by-country", {}), ("officials-of", {"agency": "الأمن"})]:
        assert store.run(name, params) == queries.run(copy, name, params), name
    # rabat-2 says nothing of topics: both engines leave the column empty (GROUP_CONCAT of nothing).
    topics = {row[5]: row[4] for row in store.run("meetings-of", {"person": "العلمي"}).rows}
    assert topics == {str(ID["meeting/rabat-1-1"]): "الإرهاب", str(ID["meeting/rabat-2-1"]): None}


def test_a_format_1_store_is_upgraded_by_a_writer_and_refused_to_a_reader(tmp_path, extract):
    path = tmp_path / "old"
    with Store.open(path) as s:
        s.add(extract(*(article(i) for i in TEXTS)))
        expected = s.run("who-met-whom")
        s.quads_store().update("CLEAR DEFAULT")  # what format 1 kept: the article graphs alone
    (path / "majlis-store.json").write_text('{"format": 1}\n', encoding="utf-8")
    with pytest.raises(StoreError, match=rf"^store {path}: format 1, from an older majlis: `majlis add"):
        Store.open(path, read_only=True)
    with Store.open(path) as s:
        assert default_graph(s) == named_union(s)
        assert s.run("who-met-whom") == expected
    assert json.loads((path / "majlis-store.json").read_text(encoding="utf-8")) == {"format": 2}
    with Store.open(path, read_only=True) as s:
        assert s.run("who-met-whom") == expected
