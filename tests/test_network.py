"""graph/network.py (projection) and graph/render.py (page and picture), without a browser."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest
import rdflib
from rdflib import RDF, Dataset, Graph, Literal

from graph import render
from graph.network import who_met_whom
from graph.render import NoArabicFontError, render_html, write_html, write_picture
from graph.vocabulary import ID, MJ, PROV, SCHEMA, SKOS

# Invented people, agencies and sentences in the genre of the security press.
PEOPLE = {
    "p1": ("سعيد بن منصور", ["بن منصور"], "المدير العام للأمن الوطني", "o1", "MA"),
    "p2": ("كلود مارتان", [], "المدير العام للشرطة الوطنية", "o2", "FR"),
    "p3": ("نزار الحمداني", ["الحمداني"], "رئيس جهاز أمن الدولة", "o3", "TN"),
    "p4": ("ياسين العمراني", [], "مستشار أمني", "o1", "MA"),
    "p5": ("هشام الأنصاري", [], None, None, None),
}
ORGS = {"o1": ("المديرية العامة للأمن الوطني", "MA"), "o2": ("المديرية العامة للشرطة الوطنية", "FR"),
        "o3": ("جهاز أمن الدولة", "TN")}
COUNTRIES = {"MA": "المغرب", "FR": "فرنسا", "TN": "تونس"}
TOPICS = {"terrorism": "مكافحة الإرهاب", "crime": "الجريمة المنظمة"}
# key, attendees, host, date, place, topics, article, url, sentence
MEETINGS = [
    ("a1/1", ["p1", "p2"], None, "2024-03-12", "rabat", ["terrorism", "crime"], "a1", "https://example.org/a1",
     "استقبل المدير العام للأمن الوطني سعيد بن منصور بالرباط نظيره الفرنسي كلود مارتان."),
    ("a2/1", ["p2"], "p1", "2023-10-05", None, ["crime"], "a2", None,
     "أجرى بن منصور مباحثات مع كلود مارتان حول تفكيك شبكات التهريب."),
    ("a3/1", ["p1", "p3", "p4"], None, None, "rabat", [], "a3", "https://example.org/a3",
     "حضر ياسين العمراني اللقاء الذي جمع بن منصور ونزار الحمداني."),
]


def person(key):
    return ID[f"person/{key}"]


def build_dataset(meetings=MEETINGS, people=PEOPLE) -> Dataset:
    """A Dataset shaped like graph/build.py's: one named graph per article, descriptions repeated."""
    ds = Dataset(default_union=True)
    for key, attendees, host, date, place, topics, art, url, sentence in meetings:
        g = ds.graph(ID[f"graph/{art}"])
        for code, name in COUNTRIES.items():
            c = ID[f"country/{code}"]
            g.add((c, RDF.type, SCHEMA.Country))
            g.add((c, SCHEMA.name, Literal(name, lang="ar")))
            g.add((c, SCHEMA.identifier, Literal(code)))
        for pk, (name, alternates, title, org, country) in people.items():
            p = person(pk)
            g.add((p, RDF.type, SCHEMA.Person))
            g.add((p, SCHEMA.name, Literal(name, lang="ar")))
            for alternate in alternates:
                g.add((p, SCHEMA.alternateName, Literal(alternate, lang="ar")))
            if title:
                g.add((p, SCHEMA.jobTitle, Literal(title, lang="ar")))
            if org:
                o = ID[f"org/{org}"]
                g.add((p, SCHEMA.worksFor, o))
                g.add((o, RDF.type, SCHEMA.GovernmentOrganization))
                g.add((o, SCHEMA.name, Literal(ORGS[org][0], lang="ar")))
                g.add((o, MJ.country, ID[f"country/{ORGS[org][1]}"]))
            if country:
                g.add((p, MJ.country, ID[f"country/{country}"]))
        for tk, label in TOPICS.items():
            t = ID[f"topic/{tk}"]
            g.add((t, RDF.type, SKOS.Concept))
            g.add((t, SKOS.prefLabel, Literal(label, lang="ar")))
            g.add((t, SKOS.prefLabel, Literal(tk, lang="en")))
            g.add((t, SKOS.notation, Literal(tk)))
        g.add((ID["place/rabat"], RDF.type, SCHEMA.Place))
        g.add((ID["place/rabat"], SCHEMA.name, Literal("الرباط", lang="ar")))
        m, a, ev = ID[f"meeting/{key}"], ID[f"article/{art}"], ID[f"evidence/{key}/0"]
        g.add((m, RDF.type, MJ.Meeting))
        for attendee in attendees:
            g.add((m, SCHEMA.attendee, person(attendee)))
        if host:
            g.add((m, MJ.host, person(host)))
        if date:
            g.add((m, SCHEMA.startDate, Literal(date, datatype=rdflib.XSD.date)))
        if place:
            g.add((m, SCHEMA.location, ID[f"place/{place}"]))
        for tk in topics:
            g.add((m, SCHEMA.about, ID[f"topic/{tk}"]))
        g.add((m, PROV.wasDerivedFrom, a))
        g.add((m, MJ.evidence, ev))
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, SCHEMA.identifier, Literal(art)))
        if url:
            g.add((a, SCHEMA.url, Literal(url, datatype=rdflib.XSD.anyURI)))
        g.add((ev, RDF.type, MJ.Evidence))
        g.add((ev, SCHEMA.text, Literal(sentence)))
        g.add((ev, PROV.wasDerivedFrom, a))
        everyone = attendees + ([host] if host else [])
        for x in everyone:
            for y in everyone:
                if x != y:
                    g.add((person(x), MJ.met, person(y)))
    return ds


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset()


@pytest.fixture(scope="module")
def G(dataset) -> nx.Graph:
    return who_met_whom(dataset)


# --------------------------------------------------------------------------- projection

def test_nodes_are_every_person_with_their_description(G):
    assert set(G.nodes) == {str(person(k)) for k in PEOPLE}
    p1 = G.nodes[str(person("p1"))]
    assert p1 == {
        "kind": "person", "label": "سعيد بن منصور", "names": ["سعيد بن منصور", "بن منصور"],
        "titles": ["المدير العام للأمن الوطني"], "orgs": ["المديرية العامة للأمن الوطني"],
        "country": "المغرب", "country_code": "MA", "meetings": 3,
    }
    loner = G.nodes[str(person("p5"))]
    assert (loner["meetings"], loner["country"], loner["country_code"], loner["orgs"]) == (0, None, None, [])
    assert G.degree(str(person("p5"))) == 0


def test_edges_list_meetings_with_evidence_and_weight(G):
    edge = G.edges[str(person("p1")), str(person("p2"))]
    assert edge["weight"] == 2 and edge["kind"] == "met"
    # Sorted by date; the host counts as an attendee.
    assert [m["date"] for m in edge["meetings"]] == ["2023-10-05", "2024-03-12"]
    first, second = edge["meetings"]
    assert set(first) == {"iri", "date", "place", "topics", "evidence"}
    assert first["iri"] == str(ID["meeting/a2/1"])
    assert first["place"] is None and first["topics"] == ["الجريمة المنظمة"]
    # No schema:url: the article is named by its identifier, with no url.
    assert first["evidence"] == [{"text": MEETINGS[1][8], "article": "a2", "url": None}]
    assert second["place"] == "الرباط"
    assert second["topics"] == ["الجريمة المنظمة", "مكافحة الإرهاب"]
    assert second["evidence"] == [{"text": MEETINGS[0][8], "article": "a1", "url": "https://example.org/a1"}]


def test_three_attendees_make_three_edges_sharing_one_meeting(G):
    trio = [str(person(k)) for k in ("p1", "p3", "p4")]
    for a, b in [(trio[0], trio[1]), (trio[0], trio[2]), (trio[1], trio[2])]:
        meetings = G.edges[a, b]["meetings"]
        assert [m["iri"] for m in meetings] == [str(ID["meeting/a3/1"])]
        assert meetings[0]["date"] is None
    assert G.number_of_edges() == 4


def test_counts_agree_with_sparql(dataset, G):
    prefixes = "PREFIX schema: <https://schema.org/> PREFIX mj: <https://w3id.org/majlis#> "
    persons = dataset.query(prefixes + "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Person }")
    pairs = dataset.query(prefixes + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE { "
                                     "?a mj:met ?b FILTER(STR(?a) < STR(?b)) } }")
    assert G.number_of_nodes() == int(next(iter(persons))[0])
    assert G.number_of_edges() == int(next(iter(pairs))[0])


def test_plain_graph_and_dataset_without_union_give_the_same_projection(dataset, G):
    plain = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        plain.add((s, p, o))
    separate = Dataset()
    for quad in dataset.quads((None, None, None, None)):
        separate.add(quad)
    for other in (who_met_whom(plain), who_met_whom(separate)):
        assert nx.utils.graphs_equal(other, G)


def test_met_without_meeting_is_an_edge_of_weight_zero():
    ds = build_dataset(meetings=[])
    ds.graph(ID["graph/x"]).add((person("p1"), MJ.met, person("p3")))
    G = who_met_whom(ds)
    assert G.edges[str(person("p1")), str(person("p3"))] == {"kind": "met", "meetings": [], "weight": 0}


def test_layers_add_agencies_and_countries(dataset):
    G = who_met_whom(dataset, frozenset({"agencies", "countries"}))
    o1, ma = str(ID["org/o1"]), str(ID["country/MA"])
    assert G.nodes[o1]["kind"] == "organization" and G.nodes[o1]["label"] == "المديرية العامة للأمن الوطني"
    assert G.nodes[ma]["kind"] == "country" and G.nodes[ma]["country_code"] == "MA"
    assert G.edges[str(person("p1")), o1] == {"kind": "worksFor"}
    assert G.edges[str(person("p4")), ma] == {"kind": "country"}
    assert G.edges[o1, ma] == {"kind": "country"}
    persons = [n for n, kind in G.nodes(data="kind") if kind == "person"]
    assert len(persons) == len(PEOPLE)
    only_agencies = who_met_whom(dataset, frozenset({"agencies"}))
    assert {d["kind"] for _, d in only_agencies.nodes(data=True)} == {"person", "organization"}


def test_bad_arguments_are_refused(dataset):
    with pytest.raises(ValueError, match="unknown layer"):
        who_met_whom(dataset, frozenset({"agences"}))
    with pytest.raises(TypeError):
        who_met_whom({"not": "a graph"})


# --------------------------------------------------------------------------- page

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_SENTENCE = 'قال المصدر " onmouseover="alert(2)" إن اللقاء تناول <b>التعاون</b> & التنسيق\u2028سطر'


def hostile_graph() -> nx.Graph:
    people = dict(PEOPLE)
    people["p1"] = (HOSTILE_NAME, ['" onmouseover="alert(3)'], "مدير", "o1", "MA")
    meetings = [("h/1", ["p1", "p2"], None, "2024-01-01", None, [], "h", "javascript:alert(4)", HOSTILE_SENTENCE),
                ("h/2", ["p1", "p3"], None, "2024-02-01", None, [], "h2", "https://example.org/?a=1&b=2", "خبر عادي.")]
    return who_met_whom(build_dataset(meetings=meetings, people=people))


def page_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="majlis-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


# What a browser would fetch: src/href/srcset/action attributes, CSS url() and @import, JS fetch/XHR/import.
FETCHING = [
    r"""\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
    r"""url\(\s*["']?\s*(?:https?:)?//""",
    r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""",
    r"""\bfetch\(\s*["'`]https?:""",
    r"""\.open\(\s*["'`][A-Z]+["'`]\s*,\s*["'`]https?:""",
    r"""\bimport\(\s*["'`]https?:""",
    r"""<(?:script|link|img|iframe)\b[^>]*\bhttps?://""",
]


def test_page_references_no_remote_resource(G):
    page = render_html(who_met_whom(build_dataset(), frozenset({"agencies", "countries"})))
    for pattern in FETCHING:
        assert not re.search(pattern, page, re.I), pattern
    assert "<script src" not in page and "<link rel=\"stylesheet\"" not in page
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap"):
        assert host not in page.lower()
    # The article link is data for a user's click, not a resource.
    assert "https://example.org/a1" in page
    assert "vis.Network" in page and "default-src 'none'" in page


def test_page_is_arabic_right_to_left_with_the_data(G):
    page = render_html(G, title="شبكة اللقاءات")
    assert '<html lang="ar" dir="rtl">' in page and "<title>شبكة اللقاءات</title>" in page
    assert "Noto Sans Arabic" in page
    data = page_data(page)
    assert [n["id"] for n in data["nodes"] if n["kind"] == "person"] == sorted(G.nodes)
    assert len(data["edges"]) == G.number_of_edges()
    assert len(data["meetings"]) == 3
    assert {c["code"] for c in data["countries"]} == {"MA", "FR", "TN"}
    assert data["years"] == [2023, 2024]
    assert render_html(G, title="شبكة اللقاءات") == page  # deterministic, layout included


def test_csp_allows_exactly_the_inline_scripts(G):
    page = render_html(G)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]


def test_hostile_content_appears_only_escaped():
    page = render_html(hostile_graph(), title='<img src=x onerror=alert(5)>')
    assert HOSTILE_NAME not in page
    assert '" onmouseover=' not in page
    assert "<b>التعاون</b>" not in page and "\u2028" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(5)&gt;" in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert "\\u0022 onmouseover=" in page
    data = page_data(page)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[str(person("p1"))]["label"] == HOSTILE_NAME  # the text survives, intact
    assert HOSTILE_SENTENCE in [e["text"] for m in data["meetings"] for e in m["evidence"]]
    urls = {e["article"]: e["url"] for m in data["meetings"] for e in m["evidence"]}
    assert urls == {"h": None, "h2": "https://example.org/?a=1&b=2"}  # javascript: is never a link
    # Our script builds the DOM with textContent only.
    assert "innerHTML" not in render._APP_JS and "insertAdjacentHTML" not in render._APP_JS


@pytest.mark.parametrize("text", ['ends with a backslash\\', '\\"', 'quote " and \\" mixed </script>', "\u2029"])
def test_script_json_round_trips(text):
    encoded = render._script_json({"t": text, "n": [1, None]})
    # Every quote inside a string is \u0022: no quote follows an odd number of backslashes.
    assert not re.search(r'(?:^|[^\\])(?:\\\\)*\\"', encoded)
    assert "<" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"t": text, "n": [1, None]}


def test_empty_graph_renders(tmp_path):
    page = render_html(nx.Graph())
    assert page_data(page)["nodes"] == []


def test_layout_is_deterministic_and_spreads_nodes(G):
    first, second = render.layout(G), render.layout(G)
    assert first == second and set(first) == set(G.nodes)
    points = list(first.values())
    closest = min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for i, a in enumerate(points) for b in points[i + 1:])
    assert closest > 20


# --------------------------------------------------------------------------- files

def test_write_html_is_atomic(tmp_path, monkeypatch, G):
    target = tmp_path / "network.html"
    write_html(G, target)
    assert target.read_text(encoding="utf-8") == render_html(G)
    target.write_text("previous page", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(render, "_page_data", broken)
    with pytest.raises(RuntimeError, match="rendering failed"):
        write_html(G, target)
    assert target.read_text(encoding="utf-8") == "previous page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.html"]


def test_write_html_leaves_no_temporary_file_when_writing_fails(tmp_path, monkeypatch, G):
    target = tmp_path / "network.html"
    target.write_text("previous page", encoding="utf-8")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(render.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_html(G, target)
    assert target.read_text(encoding="utf-8") == "previous page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.html"]


@pytest.mark.parametrize("name, magic", [("network.png", b"\x89PNG"), ("network.svg", b"<?xml")])
def test_write_picture(tmp_path, dataset, name, magic):
    G = who_met_whom(dataset, frozenset({"agencies"}))
    target = write_picture(G, tmp_path / name)
    assert target.read_bytes().startswith(magic) and target.stat().st_size > 5_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_write_picture_refuses_other_formats(tmp_path, G):
    with pytest.raises(ValueError, match=".png or .svg"):
        write_picture(G, tmp_path / "network.jpg")


def test_write_picture_needs_an_arabic_font(tmp_path, monkeypatch, G):
    from matplotlib import font_manager

    render.arabic_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    try:
        with pytest.raises(NoArabicFontError, match="Arabic"):
            write_picture(G, tmp_path / "network.png")
    finally:
        render.arabic_font.cache_clear()
    assert not (tmp_path / "network.png").exists()
