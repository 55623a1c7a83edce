"""Benchmark of the who-met-whom page: synthetic graphs of 100, 1,000 and 2,000 persons (5 meetings per person).

For each size it prints the HTML size, the Python time (projection with graph.network, page with
graph.render, layout included), the time until the page is interactive in headless Chromium
(`window.majlisReadyAt`, which the page sets when vis-network has drawn, measured from navigation
start) and the time of one full redraw after a zoom step. Browser figures are medians of --runs loads.

    .venv/bin/python bench/bench_network.py [--sizes 100 1000 2000] [--keep DIR]

A script, not a test: it prints figures and asserts nothing about time.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, XSD, Dataset, Literal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.network import who_met_whom  # noqa: E402
from graph.render import render_html, write_html  # noqa: E402
from graph.vocabulary import ID, MJ, PROV, SCHEMA, SKOS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Invented name parts and labels for synthetic data (not a lexicon: the extractor never reads them).
FIRST = ("سعيد", "كريم", "نزار", "ياسين", "هشام", "عمر", "طارق", "منير", "رشيد", "فؤاد", "جمال", "سليم",
         "بلال", "أنور", "مراد", "عادل", "حسن", "وليد", "ماجد", "إدريس", "ناصر", "زياد", "فيصل", "أيمن")
FAMILY = ("المنصوري", "الحمداني", "العمراني", "الأنصاري", "بن سالم", "القاسمي", "الزهراني", "التازي",
          "الشريف", "العلوي", "الكتاني", "بوزيد", "الرفاعي", "السويدي", "الهاشمي", "النعيمي", "الدباغ",
          "الفاسي", "الخطيب", "البكري", "الغامدي", "الشمري", "بن علي", "المرزوقي", "الجزائري")
COUNTRIES = (("MA", "المغرب"), ("FR", "فرنسا"), ("ES", "إسبانيا"), ("TN", "تونس"), ("DZ", "الجزائر"),
             ("EG", "مصر"), ("SA", "السعودية"), ("AE", "الإمارات"), ("QA", "قطر"), ("JO", "الأردن"),
             ("US", "الولايات المتحدة"), ("GB", "المملكة المتحدة"), ("DE", "ألمانيا"), ("IT", "إيطاليا"),
             ("BE", "بلجيكا"), ("SN", "السنغال"), ("ML", "مالي"), ("MR", "موريتانيا"), ("NE", "النيجر"),
             ("TR", "تركيا"), ("PT", "البرتغال"), ("NL", "هولندا"), ("CI", "ساحل العاج"), ("KW", "الكويت"))
TITLES = ("المدير العام للأمن الوطني", "وزير الداخلية", "رئيس جهاز الاستخبارات", "قائد الدرك",
          "مدير الشرطة القضائية", "مستشار أمني", "سفير", "رئيس مكتب الإنتربول")
TOPICS = (("terrorism", "مكافحة الإرهاب"), ("crime", "الجريمة المنظمة"), ("migration", "الهجرة غير النظامية"),
          ("drugs", "تهريب المخدرات"), ("cyber", "الجريمة الإلكترونية"), ("training", "التكوين"),
          ("events", "تأمين التظاهرات الكبرى"), ("intel", "تبادل المعلومات"))
CITIES = ("الرباط", "باريس", "مدريد", "تونس", "الرياض", "أبوظبي", "الدوحة", "القاهرة", "ليون", "مراكش")


def synthetic(persons: int, seed: int = 1) -> Dataset:
    rnd = random.Random(seed)
    ds = Dataset(default_union=True)
    g = ds.graph(ID["graph/entities"])
    for code, name in COUNTRIES:
        c = ID[f"country/{code}"]
        g.add((c, RDF.type, SCHEMA.Country))
        g.add((c, SCHEMA.name, Literal(name, lang="ar")))
        g.add((c, SCHEMA.identifier, Literal(code)))
    for key, label in TOPICS:
        t = ID[f"topic/{key}"]
        g.add((t, RDF.type, SKOS.Concept))
        g.add((t, SKOS.prefLabel, Literal(label, lang="ar")))
        g.add((t, SKOS.notation, Literal(key)))
    for i, city in enumerate(CITIES):
        g.add((ID[f"place/{i}"], RDF.type, SCHEMA.Place))
        g.add((ID[f"place/{i}"], SCHEMA.name, Literal(city, lang="ar")))
    # Country sizes and person activity both skewed, as in the press: a few officials meet everybody.
    country_weights = [1 / (i + 1) ** 0.9 for i in range(len(COUNTRIES))]
    person_country = []
    for p in range(persons):
        code = rnd.choices(COUNTRIES, weights=country_weights)[0][0]
        person_country.append(code)
        iri = ID[f"person/{p}"]
        name = f"{rnd.choice(FIRST)} {rnd.choice(FAMILY)}"
        g.add((iri, RDF.type, SCHEMA.Person))
        g.add((iri, SCHEMA.name, Literal(f"{name} {p}", lang="ar")))
        g.add((iri, SCHEMA.alternateName, Literal(name.split()[-1], lang="ar")))
        g.add((iri, SCHEMA.jobTitle, Literal(rnd.choice(TITLES), lang="ar")))
        g.add((iri, MJ.country, ID[f"country/{code}"]))
        org = ID[f"org/{code}-{p % 4}"]
        g.add((iri, SCHEMA.worksFor, org))
        g.add((org, RDF.type, SCHEMA.GovernmentOrganization))
        g.add((org, SCHEMA.name, Literal(f"{rnd.choice(TITLES)} ({code}-{p % 4})", lang="ar")))
        g.add((org, MJ.country, ID[f"country/{code}"]))
    activity = [1 / (i + 1) ** 0.8 for i in range(persons)]
    for m in range(persons * 5):
        article = ID[f"article/a{m}"]
        ag = ds.graph(ID[f"graph/a{m}"])
        size = rnd.choice((2, 2, 2, 3, 4))
        attendees = sorted(set(rnd.choices(range(persons), weights=activity, k=size)))
        if len(attendees) < 2:
            attendees = sorted({attendees[0], rnd.randrange(persons)})
        meeting, evidence = ID[f"meeting/a{m}/1"], ID[f"evidence/a{m}/0"]
        ag.add((meeting, RDF.type, MJ.Meeting))
        for a in attendees:
            ag.add((meeting, SCHEMA.attendee, ID[f"person/{a}"]))
            for b in attendees:
                if a != b:
                    ag.add((ID[f"person/{a}"], MJ.met, ID[f"person/{b}"]))
        date = f"{rnd.randint(2019, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        ag.add((meeting, SCHEMA.startDate, Literal(date, datatype=XSD.date)))
        ag.add((meeting, SCHEMA.location, ID[f"place/{rnd.randrange(len(CITIES))}"]))
        for key, _ in rnd.sample(TOPICS, rnd.randint(0, 2)):
            ag.add((meeting, SCHEMA.about, ID[f"topic/{key}"]))
        ag.add((meeting, PROV.wasDerivedFrom, article))
        ag.add((meeting, MJ.evidence, evidence))
        ag.add((article, RDF.type, SCHEMA.NewsArticle))
        ag.add((article, SCHEMA.identifier, Literal(f"a{m}")))
        if rnd.random() < 0.7:
            ag.add((article, SCHEMA.url, Literal(f"https://news.example.org/{m}", datatype=XSD.anyURI)))
        ag.add((evidence, RDF.type, MJ.Evidence))
        ag.add((evidence, SCHEMA.text, Literal(
            f"وبحث الجانبان خلال هذا اللقاء الذي انعقد بمقر المديرية سبل تعزيز التعاون الثنائي وتبادل الخبرات "
            f"في مجال {rnd.choice(TOPICS)[1]} ({m}).")))
        ag.add((evidence, PROV.wasDerivedFrom, article))
    return ds


def open_driver(user_dir: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", f"--user-data-dir={user_dir}", "--window-size=1440,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    return driver


def time_to_interactive(driver, page: Path, timeout: float = 120.0) -> float:
    driver.get(page.as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = driver.execute_script("return window.majlisReady === true ? window.majlisReadyAt : null")
        if ready is not None:
            return float(ready) / 1000
        time.sleep(0.02)
    raise TimeoutError(f"{page}: not drawn after {timeout:.0f} s")


def redraw_ms(driver) -> float:
    """One full redraw after a zoom step: what every pan, zoom and hover costs once the page is up."""
    return float(driver.execute_async_script(
        "var done = arguments[arguments.length - 1], net = window.majlis.network, t = performance.now();"
        "net.once('afterDrawing', function () { done(performance.now() - t); });"
        "net.moveTo({scale: net.getScale() * 1.1});"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument("--keep", type=Path, help="write the pages into this folder")
    parser.add_argument("--runs", type=int, default=3, help="page loads per size (the median is printed)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="majlis-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    browser = Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()
    header = (f"{'persons':>8} {'meetings':>8} {'edges':>6} {'HTML MB':>8} {'project s':>9} {'render s':>8} "
              f"{'interactive s':>13} {'redraw ms':>9}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as user_dir:
        driver = open_driver(user_dir) if browser else None
        try:
            for n in args.sizes:
                ds = synthetic(n)
                t0 = time.perf_counter()
                G = who_met_whom(ds)
                t1 = time.perf_counter()
                page = render_html(G, title=f"majlis bench {n}")
                t2 = time.perf_counter()
                path = write_html(G, folder / f"bench-{n}.html")
                meetings = len({m["iri"] for _, _, d in G.edges(data=True) for m in d["meetings"]})
                if driver is not None:
                    loads, redraws = [], []
                    for _ in range(args.runs):
                        loads.append(time_to_interactive(driver, path))
                        redraws.append(redraw_ms(driver))
                    interactive = f"{sorted(loads)[len(loads) // 2]:13.2f} {sorted(redraws)[len(redraws) // 2]:9.0f}"
                else:
                    interactive = f"{'no browser':>23}"
                print(f"{n:8d} {meetings:8d} {G.number_of_edges():6d} {len(page.encode()) / 1e6:8.2f} "
                      f"{t1 - t0:9.2f} {t2 - t1:8.2f} {interactive}", flush=True)
        finally:
            if driver is not None:
                driver.quit()
    print(f"pages in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
