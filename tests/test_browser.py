"""The who-met-whom page in headless Chromium: drawn, offline, searchable, and inert to hostile text.

Needs Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`) and selenium.
The graph comes from the `seeds_graph_path` fixture when a conftest provides one (a TriG or Turtle file);
otherwise from `network_graph_path` below, a small invented graph written as TriG.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Dataset, Graph, Literal
from rdflib.util import guess_format

from graph.network import who_met_whom
from graph.render import write_html
from graph.vocabulary import ID, MJ, PROV, SCHEMA, SKOS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
OUT = Path(__file__).resolve().parents[1] / "out"
_missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(_missing), reason=f"{' and '.join(_missing)} missing: "
                                              "apt-get install chromium chromium-driver"),
]

PREFIXES = "PREFIX schema: <https://schema.org/> PREFIX mj: <https://w3id.org/majlis#> "
# The projection's contract (docs/design.md) in SPARQL: persons, and pairs that met.
PERSONS = PREFIXES + """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
  { ?p a schema:Person } UNION { ?m a mj:Meeting ; schema:attendee|mj:host ?p }
  UNION { ?p mj:met ?x } UNION { ?x mj:met ?p } }"""
PAIRS = PREFIXES + """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE {
  { ?a mj:met ?b } UNION { ?m a mj:Meeting ; schema:attendee|mj:host ?a, ?b }
  FILTER(STR(?a) < STR(?b)) } }"""
BUSIEST = PREFIXES + """SELECT ?p (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a mj:Meeting ; schema:attendee|mj:host ?p . ?p schema:name ?name } GROUP BY ?p ORDER BY DESC(?n) STR(?p) LIMIT 1"""


# --------------------------------------------------------------------------- graphs

# Invented officials; sentences written for these tests in the style of the security press.
PEOPLE = {
    "mansouri": ("سعيد المنصوري", ["المنصوري"], "المدير العام للأمن الوطني", "dgsn", "MA"),
    "martin": ("كلود مارتان", [], "المدير العام للشرطة الوطنية", "dgpn", "FR"),
    "hamdani": ("نزار الحمداني", ["الحمداني"], "وزير الداخلية", "moi", "TN"),
    "garcia": ("إلينا غارسيا", [], "مديرة الشرطة الوطنية", "pne", "ES"),
    "zahrani": ("فيصل الزهراني", [], "رئيس أمن الدولة", "sse", "SA"),
    "amrani": ("ياسين العمراني", [], "مستشار أمني", "dgsn", "MA"),
    "ansari": ("هشام الأنصاري", [], None, None, None),
}
ORGS = {"dgsn": ("المديرية العامة للأمن الوطني", "MA"), "dgpn": ("المديرية العامة للشرطة الوطنية", "FR"),
        "moi": ("وزارة الداخلية", "TN"), "pne": ("الشرطة الوطنية الإسبانية", "ES"), "sse": ("رئاسة أمن الدولة", "SA")}
COUNTRIES = {"MA": "المغرب", "FR": "فرنسا", "TN": "تونس", "ES": "إسبانيا", "SA": "السعودية"}
TOPICS = {"terrorism": "مكافحة الإرهاب", "crime": "الجريمة المنظمة", "training": "التكوين"}
PLACES = {"rabat": "الرباط", "madrid": "مدريد"}
MEETINGS = [  # key, attendees, date, place, topics, article, url, sentence
    ("a1/1", ["mansouri", "martin"], "2024-06-24", "rabat", ["crime", "training"], "a1", "https://example.org/a1",
     "جمع لقاء رسمي بالرباط بين المدير العام للأمن الوطني سعيد المنصوري ونظيره الفرنسي كلود مارتان."),
    ("a2/1", ["mansouri", "martin", "amrani"], "2023-11-02", "rabat", ["terrorism"], "a2", None,
     "استقبل المنصوري المدير العام للشرطة الفرنسية بحضور المستشار ياسين العمراني."),
    ("a3/1", ["mansouri", "garcia"], "2024-02-10", "madrid", ["terrorism", "crime"], "a3", "https://example.org/a3",
     "أجرى المنصوري بمدريد مباحثات مع إلينا غارسيا حول تفكيك شبكات التهريب."),
    ("a4/1", ["hamdani", "zahrani"], "2022-05-01", None, ["terrorism"], "a4", "https://example.org/a4",
     "التقى وزير الداخلية نزار الحمداني برئيس أمن الدولة فيصل الزهراني."),
    ("a5/1", ["mansouri", "zahrani"], "2024-09-15", "rabat", [], "a5", "https://example.org/a5",
     "بحث المنصوري مع الزهراني سبل تعزيز التعاون الأمني."),
]


def build_dataset(people=PEOPLE, meetings=MEETINGS) -> Dataset:
    ds = Dataset(default_union=True)
    for key, attendees, date, place, topics, art, url, sentence in meetings:
        g = ds.graph(ID[f"graph/{art}"])
        for code, name in COUNTRIES.items():
            c = ID[f"country/{code}"]
            g.add((c, RDF.type, SCHEMA.Country))
            g.add((c, SCHEMA.name, Literal(name, lang="ar")))
            g.add((c, SCHEMA.identifier, Literal(code)))
        for pk, (name, alternates, title, org, country) in people.items():
            p = ID[f"person/{pk}"]
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
            g.add((ID[f"topic/{tk}"], RDF.type, SKOS.Concept))
            g.add((ID[f"topic/{tk}"], SKOS.prefLabel, Literal(label, lang="ar")))
        for pk, label in PLACES.items():
            g.add((ID[f"place/{pk}"], RDF.type, SCHEMA.Place))
            g.add((ID[f"place/{pk}"], SCHEMA.name, Literal(label, lang="ar")))
        m, a, ev = ID[f"meeting/{key}"], ID[f"article/{art}"], ID[f"evidence/{key}/0"]
        g.add((m, RDF.type, MJ.Meeting))
        for attendee in attendees:
            g.add((m, SCHEMA.attendee, ID[f"person/{attendee}"]))
            for other in attendees:
                if other != attendee:
                    g.add((ID[f"person/{attendee}"], MJ.met, ID[f"person/{other}"]))
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
    return ds


XSS_NAME = "<script>window.__xss = 1; console.error('XSS-MARKER')</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss = 2; console.error('XSS-MARKER')\">"
XSS_SENTENCE = 'قال المصدر " onmouseover="window.__xss = 3; alert(1)" إن <b>التعاون</b> متواصل.'


def hostile_dataset() -> Dataset:
    people = dict(PEOPLE)
    people["mansouri"] = (XSS_NAME, [XSS_IMG], '" onmouseover="alert(2)', "dgsn", "MA")
    meetings = [
        ("x1/1", ["mansouri", "martin"], "2024-01-10", "rabat", ["crime"], "x1", "javascript:alert(3)", XSS_SENTENCE),
        ("x2/1", ["mansouri", "garcia"], "2024-03-01", None, [], "x2", "https://example.org/x2?a=1&b=<2>",
         "</script><script>window.__xss = 4; alert(4)</script>"),
    ]
    return build_dataset(people=people, meetings=meetings)


@pytest.fixture
def network_graph_path(request, tmp_path_factory) -> Path:
    """The graph the page is built from: the conftest's `seeds_graph_path` when there is one."""
    try:
        return Path(request.getfixturevalue("seeds_graph_path"))
    except pytest.FixtureLookupError:
        path = tmp_path_factory.mktemp("graph") / "network.trig"
        build_dataset().serialize(path, format="trig")
        return path


def load_graph(path: Path) -> Graph:
    fmt = guess_format(str(path)) or "turtle"
    graph = Dataset(default_union=True) if fmt in ("trig", "nquads", "trix") else Graph()
    graph.parse(path, format=fmt)
    return graph


def count(graph: Graph, query: str) -> int:
    return int(next(iter(graph.query(query)))[0])


# --------------------------------------------------------------------------- browser

@pytest.fixture
def driver(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1440,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


class Page:
    """One page load, with the console messages and network requests it caused."""

    def __init__(self, driver, path: Path):
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        driver.get_log("performance")  # drop what the browser's own start page requested
        driver.get_log("browser")
        driver.get(path.as_uri())
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return window.majlisReady === true"))
        self._console: list[dict] = []
        self._requests: list[tuple[str, str]] = []

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def console(self) -> list[dict]:
        self._console += self.driver.get_log("browser")
        return self._console

    def requests(self) -> list[tuple[str, str]]:
        """(url, url of the document that asked) of every request Chromium started."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                params = message["params"]
                self._requests.append((params["request"]["url"], params.get("documentURL", "")))
        return self._requests

    def assert_offline_and_quiet(self):
        # Our page may load only itself and data: URLs; nothing at all (the browser's own start page
        # included, whose chrome:// requests can arrive late) may reach for the network.
        fetched = [url for url, document in self.requests()
                   if (document.startswith("file:") and not url.startswith(("file:", "data:")))
                   or url.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
        assert fetched == [], f"the page asked the network for {fetched}"
        errors = [e for e in self.console() if e["level"] in ("SEVERE", "ERROR")]
        assert errors == [], errors

    def search(self, text: str) -> list[str]:
        """Type into the search box like a user; the IRIs of the selected nodes."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        box = self.driver.find_element(By.ID, "search")
        box.clear()
        box.send_keys(text)
        # The search is debounced: wait until the result list is the one for this query.
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script(
            "return document.getElementById('search-info').dataset.query === window.majlis.normalize(arguments[0])",
            text))
        return self.js("var m = window.majlis; return m.network.getSelectedNodes().map(function (i) {"
                       " return m.data.nodes[i].id; });")


def test_page_draws_the_graph_offline(driver, network_graph_path, tmp_path):
    graph = load_graph(network_graph_path)
    page_path = write_html(who_met_whom(graph), tmp_path / "network.html", title="majlis")
    page = Page(driver, page_path)

    drawn = page.js("""var m = window.majlis;
        return {nodes: m.nodes.get({filter: function (n) { return !n.hidden; }}).length,
                edges: m.edges.get({filter: function (e) { return !e.hidden; }}).length,
                inNetwork: m.network.body.nodeIndices.length, edgesInNetwork: m.network.body.edgeIndices.length};""")
    assert drawn["nodes"] == drawn["inNetwork"] == count(graph, PERSONS)
    assert drawn["edges"] == drawn["edgesInNetwork"] == count(graph, PAIRS)
    # Something was painted on the canvas: not every pixel has the background colour.
    painted = page.js("""var c = document.querySelector('#network canvas'), ctx = c.getContext('2d');
        var d = ctx.getImageData(0, 0, c.width, c.height).data, first = d.slice(0, 4).join(), n = 0;
        for (var i = 0; i < d.length; i += 4 * 97) { if (d.slice(i, i + 4).join() !== first) n++; }
        return n;""")
    assert painted > 0
    assert page.js("return document.documentElement.dir + '/' + document.documentElement.lang") == "rtl/ar"
    legend = page.js("return document.getElementById('legend').children.length")
    assert legend >= 1
    page.assert_offline_and_quiet()


def test_search_by_family_name_selects_the_person(driver, network_graph_path, tmp_path):
    graph = load_graph(network_graph_path)
    busiest = str(next(iter(graph.query(BUSIEST)))[0])
    G = who_met_whom(graph)
    label = G.nodes[busiest]["label"]
    family = label.split()[-1]
    page = Page(driver, write_html(G, tmp_path / "network.html", title="majlis"))

    selected = page.search(family)
    assert busiest in selected
    wanted = page.js("return window.majlis.normalize(arguments[0])", family)
    for iri in selected:
        forms = page.js("return window.majlis.normalize(arguments[0].join('\\n'))", G.nodes[iri]["names"])
        assert wanted in forms, (iri, family)

    # Written another way: a tatweel inside, alef maqsura for a final ya, no hamza on the alef.
    variant = (family[0] + "ـ" + family[1:]).replace("أ", "ا").replace("إ", "ا")
    variant = variant[:-1] + "ى" if variant.endswith("ي") else variant
    assert busiest in page.search(variant)

    # Open the person from the result list: the side panel shows names and meetings. The list is
    # re-rendered while the debounced search settles, so the button is found and clicked in one
    # script (an element held across two calls can go stale), and the panel is waited for.
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    clicked = page.js("""var want = arguments[0];
        var b = Array.from(document.querySelectorAll('#search-results button'))
            .find(function (x) { return x.innerText.trim() === want; });
        if (b) { b.click(); } return !!b;""", label)
    assert clicked
    WebDriverWait(driver, 30).until(lambda d: label in d.find_element(By.ID, "details").text)
    panel = driver.find_element(By.ID, "details").text
    assert label in panel and "اللقاءات" in panel
    assert page.js("return window.majlis.network.getSelectedNodes().length") == 1
    driver.execute_script("window.majlis.network.fit({animation: false})")
    OUT.mkdir(exist_ok=True)
    driver.save_screenshot(str(OUT / "network.png"))
    page.assert_offline_and_quiet()


def test_hostile_content_runs_no_script_and_shows_literally(driver, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    G = who_met_whom(hostile_dataset())
    page = Page(driver, write_html(G, tmp_path / "hostile.html", title="<script>alert('title')</script>"))

    def assert_inert():
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text
        assert page.js("return typeof window.__xss") == "undefined"
        assert not [e for e in page.console() if "XSS-MARKER" in e["message"]]
        assert page.js("return document.querySelectorAll('img, b, #details script, #search-results script').length") == 0

    assert_inert()
    assert driver.title == "<script>alert('title')</script>"
    assert "<script>alert('title')</script>" in driver.find_element(By.TAG_NAME, "h1").text

    page.search("XSS-MARKER")
    assert XSS_NAME in driver.find_element(By.ID, "search-results").text
    # Found and clicked in one script: the list may be re-rendered between two WebDriver calls.
    assert page.js("var b = document.querySelector('#search-results button'); if (b) { b.click(); } return !!b;")
    WebDriverWait(driver, 30).until(lambda d: XSS_NAME in d.find_element(By.ID, "details").text)
    panel = driver.find_element(By.ID, "details")
    assert XSS_NAME in panel.text and XSS_IMG in panel.text and '" onmouseover="alert(2)' in panel.text
    assert XSS_SENTENCE in panel.text
    assert "</script><script>window.__xss = 4; alert(4)</script>" in panel.text

    links = page.js("return Array.from(document.querySelectorAll('a')).map(function (a) { return a.href; })")
    assert links == ["https://example.org/x2?a=1&b=%3C2%3E"], links  # javascript: became plain text
    assert "x1" in panel.text  # the article id, shown as text instead of the unsafe link

    # The edge tooltip, built when the pointer rests on an edge, is text too.
    edge = page.js("return window.majlis.data.edges.findIndex(function (e) { return e.m.length; })")
    page.js("window.majlis.network.body.emitter.emit('hoverEdge', {edge: arguments[0], pointer: {DOM: {x: 20, y: 20}}})", edge)
    tooltip = driver.find_element(By.ID, "tooltip")
    assert tooltip.is_displayed() and XSS_NAME in tooltip.text
    assert_inert()
    page.assert_offline_and_quiet()


def test_filters_and_reset(driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    G = who_met_whom(build_dataset())
    page = Page(driver, write_html(G, tmp_path / "network.html"))
    shown = """var m = window.majlis, out = {people: [], edges: 0};
        m.nodes.get({filter: function (n) { return !n.hidden; }}).forEach(function (n) { out.people.push(m.data.nodes[n.id].id); });
        out.edges = m.edges.get({filter: function (e) { return !e.hidden; }}).length; out.people.sort(); return out;"""
    person = lambda key: str(ID[f"person/{key}"])  # noqa: E731

    Select(driver.find_element(By.ID, "year-from")).select_by_visible_text("2022")
    Select(driver.find_element(By.ID, "year-to")).select_by_visible_text("2022")
    assert page.js(shown) == {"people": sorted([person("hamdani"), person("zahrani")]), "edges": 1}

    Select(driver.find_element(By.ID, "year-to")).select_by_visible_text("2024")
    Select(driver.find_element(By.ID, "topic")).select_by_visible_text("التكوين")
    assert page.js(shown) == {"people": sorted([person("mansouri"), person("martin")]), "edges": 1}

    Select(driver.find_element(By.ID, "topic")).select_by_index(0)
    Select(driver.find_element(By.ID, "country")).select_by_value("ES")
    assert page.js(shown) == {"people": sorted([person("mansouri"), person("garcia")]), "edges": 1}
    assert "بعد التصفية" in driver.find_element(By.ID, "stats").text

    driver.find_element(By.ID, "reset").click()
    assert page.js(shown) == {"people": sorted(G.nodes), "edges": G.number_of_edges()}
    page.assert_offline_and_quiet()
