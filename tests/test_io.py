"""graph.io: deterministic, atomic saves in four formats; loads with one-line parse errors."""
from __future__ import annotations

import datetime as dt
import os
import random

import pytest
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

from extract.errors import MajlisError
from graph import io

SCHEMA = Namespace("https://schema.org/")
MJ = Namespace("https://w3id.org/majlis#")
ID = Namespace("https://w3id.org/majlis/id/")
FORMATS = (".ttl", ".trig", ".nt", ".jsonld")

# (article, person key, Arabic name): invented officials.
FACTS = [
    ("n1", "salim", "سليم الورداني"),
    ("n1", "kamal", "كمال بن عيسى"),
    ("n2", "kamal", "كمال بن عيسى"),
    ("n2", "hind", "هند المراكشي"),
    ("n3", "salim", "سليم الورداني"),
]


def sample_dataset(seed: int = 0, blank_nodes: bool = True) -> Dataset:
    """The same facts, added in an order that depends on `seed`."""
    facts = FACTS[:]
    random.Random(seed).shuffle(facts)
    ds = Dataset(default_union=True)
    ds.bind("schema", SCHEMA)
    ds.bind("mj", MJ)
    for article, key, name in facts:
        g = ds.graph(ID[f"graph/{article}"])
        person, meeting = ID[f"person/{key}"], ID[f"meeting/{article}-1"]
        g.add((person, RDF.type, SCHEMA.Person))
        g.add((person, SCHEMA.name, Literal(name, lang="ar")))
        g.add((meeting, RDF.type, MJ.Meeting))
        g.add((meeting, SCHEMA.attendee, person))
        g.add((meeting, SCHEMA.startDate, Literal(dt.date(2024, 6, 25))))
        g.add((meeting, MJ.confidence, Literal("0.90", datatype=XSD.decimal)))
        if blank_nodes:
            statement = BNode()
            g.add((statement, RDF.type, RDF.Statement))
            g.add((statement, RDF.subject, person))
            g.add((statement, RDF.predicate, SCHEMA.name))
    return ds


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def named_graphs(ds: Dataset) -> set[str]:
    return {str(g.identifier) for g in ds.graphs() if len(g) and "urn:x-rdflib:default" not in str(g.identifier)}


# --- formats and round trips ------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("blank_nodes", [False, True])
def test_equal_graphs_save_to_identical_bytes(tmp_path, suffix, blank_nodes):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    io.save(sample_dataset(seed=1, blank_nodes=blank_nodes), first)
    io.save(sample_dataset(seed=2, blank_nodes=blank_nodes), second)
    assert first.read_bytes() == second.read_bytes()
    io.save(sample_dataset(seed=1, blank_nodes=blank_nodes), second)  # and again, over the old file
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_saved_graph_loads_back_equal(tmp_path, suffix):
    original = sample_dataset()
    path = tmp_path / f"graph{suffix}"
    io.save(original, path)
    loaded = io.load(path)
    assert isomorphic(union(loaded), union(original))
    assert loaded.default_union


@pytest.mark.parametrize("suffix", [".trig", ".jsonld"])
def test_quad_formats_keep_one_graph_per_article(tmp_path, suffix):
    path = tmp_path / f"graph{suffix}"
    io.save(sample_dataset(), path)
    loaded = io.load(path)
    assert named_graphs(loaded) == {str(ID[f"graph/{a}"]) for a in ("n1", "n2", "n3")}
    # Blank nodes of different graphs stay different: each graph keeps its own statements.
    for article in ("n1", "n2", "n3"):
        g = loaded.graph(ID[f"graph/{article}"])
        people = {key for a, key, _ in FACTS if a == article}
        assert len(list(g.subjects(RDF.type, RDF.Statement))) == len(people)


def test_turtle_is_longturtle_of_the_union(tmp_path):
    path = tmp_path / "graph.ttl"
    io.save(sample_dataset(blank_nodes=False), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("PREFIX ")
    assert "سليم الورداني" in text  # Arabic written as is, not escaped
    assert text.count(f"<{ID['person/kamal']}>\n") == 1  # described once although two articles name him


def test_ntriples_lines_are_sorted_and_unique(tmp_path):
    path = tmp_path / "graph.nt"
    io.save(sample_dataset(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines)) and lines


def test_built_seeds_save_identically_twice(seeds_results, tmp_path):
    from graph.build import build_dataset

    for suffix in (".ttl", ".trig"):
        io.save(build_dataset(seeds_results), tmp_path / f"a{suffix}")
        io.save(build_dataset(list(reversed(seeds_results))), tmp_path / f"b{suffix}")
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


# --- refusing and failing cleanly -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["graph.xml", "graph", "graph.ttl.bak"])
def test_an_unknown_extension_is_refused_before_writing(tmp_path, name):
    path = tmp_path / name
    with pytest.raises(MajlisError) as raised:
        io.save(sample_dataset(), path)
    assert str(raised.value).startswith(f"{path}: unknown graph format")
    assert ".ttl, .trig, .nt, .jsonld" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_midway_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "graph.ttl"
    path.write_text("previous graph\n", encoding="utf-8")

    def break_midway(self, stream, *args, **kwargs):
        stream.write(b"PREFIX schema: <https://schema.org/>\n<https://w3id.org/majlis/id/person/")
        raise RuntimeError("serialiser crashed")

    monkeypatch.setattr(LongTurtleSerializer, "serialize", break_midway)
    with pytest.raises(RuntimeError, match="serialiser crashed"):
        io.save(sample_dataset(), path)
    assert path.read_text(encoding="utf-8") == "previous graph\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary file left behind


def test_a_failed_rename_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "graph.nt"
    path.write_text("previous\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device", str(src))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(MajlisError, match=f"^{path}: cannot write: No space left on device$"):
        io.save(sample_dataset(), path)
    assert path.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_a_folder_in_the_way_is_reported(tmp_path):
    (tmp_path / "out").write_text("a file, not a folder")
    path = tmp_path / "out" / "graph.ttl"
    with pytest.raises(MajlisError, match=f"^{path}: cannot write: {tmp_path / 'out'} is a file, not a folder$"):
        io.save(sample_dataset(), path)


def test_missing_folders_are_made_and_the_file_mode_follows_the_umask(tmp_path):
    path = tmp_path / "out" / "nested" / "graph.trig"
    old_mask = os.umask(0o022)
    try:
        io.save(sample_dataset(), path)
    finally:
        os.umask(old_mask)
    assert path.is_file()
    assert path.stat().st_mode & 0o777 == 0o644


def test_atomic_path_replaces_only_on_success(tmp_path):
    path = tmp_path / "page.html"
    with io.atomic_path(path) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".html" and temporary != path
        temporary.write_text("new")
    assert path.read_text() == "new"
    with pytest.raises(ValueError):
        with io.atomic_path(path) as temporary:
            temporary.write_text("half")
            raise ValueError
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


# --- loading ------------------------------------------------------------------------------------------

def test_loading_a_missing_file_names_it(tmp_path):
    path = tmp_path / "nothing.ttl"
    with pytest.raises(MajlisError, match=f"^{path}: no such file$"):
        io.load(path)


def test_loading_an_unknown_extension_names_it(tmp_path):
    path = tmp_path / "graph.csv"
    path.write_text("a,b\n")
    with pytest.raises(MajlisError, match=r"unknown graph format '\.csv'"):
        io.load(path)


@pytest.mark.parametrize("name, content, expected", [
    ("bad.ttl", '@prefix s: <https://schema.org/> .\n<http://a> s:name "x" .\n<http://b> s:name "y" ;\n  s:foo .\n',
     "cannot parse Turtle: line 4 column 9: "),
    ("bad.nt", '<http://a> <http://b> "x" .\nhello world\n', "cannot parse N-Triples: line 2 "),
    ("bad.trig", '<http://g> { <http://a> <http://b> "x" .\n', "cannot parse TriG: line 2 "),
    ("bad.jsonld", '{"@id": "http://a", "http://b": [{"@value": "x"}', "cannot parse JSON-LD: line 1 column "),
    ("bad.ttl", "وزير الداخلية\n", "cannot parse Turtle: line 1 "),
])
def test_a_parse_error_is_one_line_naming_file_and_position(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MajlisError) as raised:
        io.load(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {expected}"), message
    assert "\n" not in message


def test_a_loaded_graph_keeps_plain_literals_plain(tmp_path):
    # Plain strings must stay untyped or queries written against built graphs miss them.
    path = tmp_path / "g.ttl"
    path.write_text('<https://w3id.org/majlis/id/x> <https://schema.org/identifier> "n1" .\n')
    (obj,) = io.load(path).objects(None, SCHEMA.identifier)
    assert obj == Literal("n1") and obj.datatype is None
