"""The graph built from the seeds: determinism, provenance, consistency, and the development score."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from graph.build import build_dataset
from graph.vocabulary import MJ, PROV, SCHEMA

from .conftest import ROOT

SHARED = ROOT.parent / "shared"


def test_two_builds_give_identical_turtle(seeds_results, tmp_path):
    from graph import io

    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    io.save(build_dataset(seeds_results), first)
    io.save(build_dataset(list(reversed(seeds_results))[::-1]), second)
    assert first.read_bytes() == second.read_bytes()


def _union(ds) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def test_rebuild_is_isomorphic(seeds_results, seeds_dataset):
    assert isomorphic(_union(build_dataset(seeds_results)), _union(seeds_dataset))


def test_one_named_graph_per_article(seeds_dataset):
    named = {c.identifier for c in seeds_dataset.graphs() if c.identifier != URIRef("urn:x-rdflib:default")}
    assert len(named) == 5


def test_met_mirrors_co_attendance(seeds_dataset):
    g = seeds_dataset
    met = {frozenset(p) for p in g.subject_objects(MJ.met)}
    co = set()
    for m in g.subjects(RDF.type, MJ.Meeting):
        co |= {frozenset(p) for p in itertools.combinations(sorted(set(g.objects(m, SCHEMA.attendee))), 2)}
    assert met == co and met


def test_every_event_has_provenance_and_evidence(seeds_dataset):
    g = seeds_dataset
    for cls in (MJ.Meeting, MJ.Visit, MJ.Agreement):
        for event in g.subjects(RDF.type, cls):
            assert g.value(event, PROV.wasDerivedFrom) is not None
            evidence = list(g.objects(event, MJ.evidence))
            assert evidence, event
            for ev in evidence:
                start, end = int(g.value(ev, MJ.startOffset)), int(g.value(ev, MJ.endOffset))
                article = g.value(ev, PROV.wasDerivedFrom)
                ident = str(g.value(article, SCHEMA.identifier))
                text = (ROOT / "seeds" / f"{ident}.txt").read_text(encoding="utf-8")
                assert text[start:end] == str(g.value(ev, SCHEMA.text))


def test_person_facts_are_reified_with_evidence(seeds_dataset):
    g = seeds_dataset
    statements = list(g.subjects(RDF.type, RDF.Statement))
    assert statements
    assert all(g.value(s, MJ.evidence) is not None for s in statements)


def test_names_are_base_forms(seeds_dataset):
    names = {str(n) for c in (SCHEMA.Country, SCHEMA.Place) for x in seeds_dataset.subjects(RDF.type, c)
             for n in seeds_dataset.objects(x, SCHEMA.name)}
    assert "بلجيكا" in names and "الرباط" in names
    assert not any(n.startswith(("بال", "بب")) for n in names)


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval is not beside the project")
def test_development_score(seeds_graph_path):
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(seeds_graph_path),
                          str(SHARED / "eval" / "gold" / "seeds.json"), "--json"],
                         capture_output=True, text=True, check=True)
    scores = json.loads(out.stdout)
    assert scores["overall"] >= 0.97
    for key in ("persons", "met_pairs", "meetings"):
        assert scores[key][2] >= 0.95


def test_each_person_has_one_canonical_name(seeds_dataset):
    for person in seeds_dataset.subjects(RDF.type, SCHEMA.Person):
        assert len(set(seeds_dataset.objects(person, SCHEMA.name))) == 1, person


def test_same_person_across_articles_is_one_node(extractor):
    from extract.types import Article

    first = Article("a", "استقبل السيد كريم العلمي، المدير العام للأمن الوطني، السيد جان مارتان، سفير فرنسا بالرباط.")
    second = Article("b", "وأكد السيد العلمي، المدير العام للأمن الوطني، خلال لقائه بالسيد بيتر مولر، سفير ألمانيا، أهمية التعاون.")
    ds = build_dataset([extractor.extract(first), extractor.extract(second)])
    names = sorted(str(ds.value(p, SCHEMA.name)) for p in set(ds.subjects(RDF.type, SCHEMA.Person)))
    assert names == ["بيتر مولر", "جان مارتان", "كريم العلمي"]


def _person_names(extractor, *texts: str) -> list[str]:
    from extract.types import Article

    ds = build_dataset([extractor.extract(Article(f"a{i}", text)) for i, text in enumerate(texts)])
    return sorted(str(ds.value(p, SCHEMA.name)) for p in set(ds.subjects(RDF.type, SCHEMA.Person)))


def test_given_and_family_name_join_the_fuller_name_of_another_article(extractor):
    names = _person_names(
        extractor,
        "استقبل وزير الداخلية العراقي الفريق قاسم جبار الساعدي بالرياض السفير الفرنسي جان مارتان.",
        "والتقى وزير الداخلية العراقي قاسم الساعدي، أمس، وزير الداخلية الفرنسي بيار لوران.",
        "وبحث عبدالسلام الزوي، وزير الداخلية الليبي، مع السفير الإيطالي ماركو روسي التعاون.",
        "استقبل وزير الداخلية الليبي، عبد السلام مفتاح الزوي، السفير التركي أحمد يلماز.")
    assert names == ["أحمد يلماز", "بيار لوران", "جان مارتان", "عبد السلام مفتاح الزوي", "قاسم جبار الساعدي",
                     "ماركو روسي"]


def test_given_and_family_name_of_another_state_stay_apart(extractor):
    names = _person_names(
        extractor,
        "استقبل وزير الداخلية العراقي الفريق قاسم جبار الساعدي بالرياض السفير الفرنسي جان مارتان.",
        "والتقى السفير الأردني قاسم الساعدي، أمس، وزير الداخلية الفرنسي بيار لوران.")
    assert "قاسم الساعدي" in names and "قاسم جبار الساعدي" in names


def test_stored_person_keeps_its_iri_when_a_fuller_name_appears(extractor):
    from extract.types import Article
    from graph.identity import Identity

    result = extractor.extract(Article("c", "استقبل السيد محمد كريم العلمي، المدير العام للأمن الوطني، السيد جان مارتان، سفير فرنسا."))
    identity = Identity([result], existing={"كريم العلمي": ["كريم العلمي"]})
    node = next(t.subject for t in result.triples if t.subject.kind == "person" and "العلمي" in t.subject.key)
    assert identity.node(node).key == "كريم العلمي"
