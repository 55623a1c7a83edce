"""Hostile article content, end to end: extract -> build -> network -> HTML page, and -> SPARQL -> terminal.

The page must carry article text as data, never as markup: no script the article wrote runs, no
attribute it wrote is opened, no `javascript:` link is made. The terminal table must not let an
article move the cursor, ring the bell, change colours or reorder the line (C0/C1 controls and
bidi embeddings, overrides and isolates are dropped).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import networkx as nx
import pytest

import queries
from extract import types as T
from graph.build import build_dataset
from graph.network import who_met_whom
from graph.render import render_html, write_html

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(2)'
JS_URL = "javascript:alert(3)"
ENTITIES = "&lt;b&gt;&amp;amp;&quot;&#60;script&#62;"
IMG = "<img src=x onerror=alert(5)>"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C0_C1 = "\x00\x07\x08\x1b[31m\x1b]0;owned\x07\x7f\x9b2J\x9d"

HOSTILE_TEXT = (
    f"استقبل المدير العام للأمن الوطني عبد اللطيف حموشي{SCRIPT}، يوم الاثنين 12 مارس 2024 بالرباط، "
    f"السفير الفرنسي كريستوف {ATTRIBUTE} لوكورتييه، بحضور السيد نيكولا {ENTITIES}لورنر "
    f"والسيد جون{BIDI[4]}كوت{C0_C1}دو.\n"
    f"وتباحث الطرفان حول مكافحة الإرهاب{IMG} وتبادل المعلومات{BIDI}.\n"
)

PAYLOADS = ("<script>alert", 'onmouseover="alert', 'href="javascript:', "<img src=x")
FORBIDDEN_IN_TERMINAL = set(BIDI) | {chr(c) for c in range(0x20) if chr(c) != "\n"} | {chr(c) for c in range(0x7F, 0xA0)}


@pytest.fixture(scope="module")
def hostile_result(extractor) -> T.ArticleResult:
    article = T.Article("hostile-1", HOSTILE_TEXT, published=dt.date(2024, 3, 12), url=JS_URL,
                        title=SCRIPT, source=ATTRIBUTE)
    return extractor.extract(article)


@pytest.fixture(scope="module")
def crafted_result() -> T.ArticleResult:
    """Triples whose names themselves are payloads: the extractor would not read such names, a tampered
    or hand-edited graph could still hold them, and the page must survive them too."""
    text = f"{SCRIPT} {ATTRIBUTE} {ENTITIES} {IMG}{BIDI}{C0_C1}"
    article = T.Article("hostile-2", text, url=JS_URL, title=SCRIPT, source=ATTRIBUTE)
    ev = (T.Evidence(article.id, 0, 0, len(text), text),)
    a, b, c = (T.Node(T.PERSON, k) for k in ("hostile a", "hostile b", "hostile c"))
    meeting = T.Node(T.MEETING, "hostile-2/1")
    place = T.Node(T.PLACE, "hostile-place")
    triples = (
        T.Triple(a, T.NAME, SCRIPT, ev),
        T.Triple(a, T.JOB_TITLE, ATTRIBUTE + ENTITIES, ev),
        T.Triple(b, T.NAME, ATTRIBUTE, ev),
        T.Triple(b, T.ALTERNATE_NAME, IMG, ev),
        T.Triple(c, T.NAME, ENTITIES + BIDI[4] + C0_C1, ev),
        T.Triple(place, T.NAME, "</script><script>alert(1)</script>", ev),
        T.Triple(meeting, T.ATTENDEE, a, ev, 0.9),
        T.Triple(meeting, T.ATTENDEE, b, ev, 0.9),
        T.Triple(meeting, T.ATTENDEE, c, ev, 0.9),
        T.Triple(meeting, T.LOCATION, place, ev),
        T.Triple(meeting, T.START_DATE, dt.date(2024, 3, 12), ev),
    )
    return T.ArticleResult(article, triples)


def _page(results, tmp_path) -> str:
    G = who_met_whom(build_dataset(results))
    assert G.number_of_edges() > 0, "the payloads must reach the page, or this test checks nothing"
    path = write_html(G, tmp_path / "network.html")
    return path.read_text(encoding="utf-8")


def _page_data(page: str) -> object:
    match = re.search(r'<script type="application/json" id="majlis-data">(.*?)</script>', page, re.S)
    assert match, "the page keeps its data in one JSON script block"
    return json.loads(match.group(1))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _assert_no_live_payload(page: str) -> None:
    lowered = page.lower()
    for payload in PAYLOADS:
        assert payload.lower() not in lowered, payload
    # Every script tag is the page's own: as many as on the page of an empty network (the bundled
    # vis-network writes "<script>" in a string of its own, so the figure is read, not hard-coded).
    empty = render_html(nx.Graph()).lower()
    assert lowered.count("<script") == empty.count("<script")
    assert lowered.count("javascript:") == empty.count("javascript:")


def test_extractor_reads_the_hostile_article(hostile_result):
    names = {t.object for t in hostile_result.triples if t.subject.kind == T.PERSON and t.relation == T.NAME}
    assert "عبد اللطيف حموشي" in names
    assert any(t.relation == T.ATTENDEE for t in hostile_result.triples)
    sentences = {e.text for t in hostile_result.triples for e in t.evidence}
    assert any(SCRIPT in s and ATTRIBUTE in s and ENTITIES in s for s in sentences)


@pytest.mark.parametrize("which", ["extracted", "crafted"])
def test_page_carries_payloads_as_inert_data(which, hostile_result, crafted_result, tmp_path):
    result = hostile_result if which == "extracted" else crafted_result
    page = _page([result], tmp_path)
    _assert_no_live_payload(page)
    data = _page_data(page)
    strings = list(_strings(data))
    # The payloads are there, as text, byte for byte (entities not decoded, nothing lost)...
    assert any(SCRIPT in s for s in strings)
    assert any(ATTRIBUTE in s for s in strings)
    assert any(ENTITIES in s for s in strings)
    # ...and no link the page offers leaves http(s).
    for s in strings:
        assert not s.strip().lower().startswith("javascript:"), s


def test_crafted_names_reach_node_labels(crafted_result, tmp_path):
    G = who_met_whom(build_dataset([crafted_result]))
    labels = {d.get("label") for _, d in G.nodes(data=True)}
    assert SCRIPT in labels and ATTRIBUTE in labels
    page = _page([crafted_result], tmp_path)
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page


def test_http_urls_survive(extractor, tmp_path):
    """The filter that drops javascript: keeps an ordinary source link."""
    article = T.Article("ok-1", HOSTILE_TEXT, url="https://example.org/news/1?a=1&b=2")
    page = _page([extractor.extract(article)], tmp_path)
    assert "https://example.org/news/1?a=1&b=2" in set(_strings(_page_data(page)))


def _table_outputs(dataset) -> dict[str, str]:
    out = {}
    for name in queries.names():
        info = queries.load(name)
        params = {p: "حموشي" for p in info.required}
        out[name] = queries.format_table(queries.run(dataset, info, params))
    custom = queries.load("""
        PREFIX schema: <https://schema.org/>
        PREFIX mj: <https://w3id.org/majlis#>
        SELECT ?text ?url ?headline ?publisher WHERE {
          ?e a mj:Evidence ; schema:text ?text ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?a .
          OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a schema:headline ?headline }
          OPTIONAL { ?a schema:publisher ?publisher }
        } ORDER BY ?text""")
    out["custom"] = queries.format_table(queries.run(dataset, custom))
    return out


@pytest.mark.parametrize("which", ["extracted", "crafted"])
def test_terminal_tables_strip_controls_and_bidi(which, hostile_result, crafted_result):
    result = hostile_result if which == "extracted" else crafted_result
    tables = _table_outputs(build_dataset([result]))
    raw = "".join(e.text for t in result.triples for e in t.evidence)
    assert set(raw) & FORBIDDEN_IN_TERMINAL, "the article must carry controls, or this test checks nothing"
    for name, table in tables.items():
        bad = sorted({f"U+{ord(c):04X} {unicodedata.name(c, unicodedata.category(c))}"
                      for c in table if c in FORBIDDEN_IN_TERMINAL})
        assert not bad, f"{name}: {bad}"
    # The sentences do come through, less the controls.
    assert "alert(1)" in tables["custom"] and "[31m" in tables["custom"]
    assert JS_URL in tables["custom"]
