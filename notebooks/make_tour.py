"""Write notebooks/majlis_tour.ipynb from the cells below, outputs cleared.

    python notebooks/make_tour.py          # regenerate the notebook beside this script

Edit the cells here, not in the .ipynb, so the committed notebook stays reproducible and diffs stay
readable. tests/test_notebooks.py executes the result.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
TARGET = HERE / "majlis_tour.ipynb"

CELLS: list[tuple[str, str]] = [
    ("md", """
# A tour of majlis

This notebook builds the knowledge graph from the example articles in `../seeds`, asks it the
shipped questions and one of our own in SPARQL, plots meetings per country and per month, shows
the who-met-whom network and exports the graph as Turtle to `../out/`.

Run it top to bottom from the `notebooks/` folder, with the kernel of the project's virtual
environment (`make install`, then `.venv/bin/python -m ipykernel install --sys-prefix` so that
Jupyter's `python3` kernel is the venv's Python). The plots need a font with Arabic letters:
on Debian, `apt-get install fonts-noto-core` (Noto Sans Arabic) or `fonts-dejavu-core` (DejaVu Sans).
"""),
    ("code", """
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

SEEDS = Path("../seeds")  # paths are relative to this notebook's folder
OUT = Path("../out")
OUT.mkdir(exist_ok=True)
assert SEEDS.is_dir(), f"run this notebook from the notebooks/ folder: {SEEDS.resolve()} is missing"

pd.set_option("display.max_colwidth", 80)
"""),
    ("md", """
## 1. Read and extract

`read_articles` reads every `.txt` and `.jsonl` file of a folder (a file it cannot use comes back
as `Rejected`, with the reason). The `Extractor` builds its spaCy pipeline once; `extract` then turns
one article into triples, each with the sentence it rests on (`evidence`).
"""),
    ("code", """
from extract.pipeline import Extractor
from extract.reader import Rejected, read_articles

articles, rejected = [], []
for item in read_articles([SEEDS]):
    (rejected if isinstance(item, Rejected) else articles).append(item)
for problem in rejected:
    print("skipped:", problem)

extractor = Extractor()
results = [extractor.extract(article) for article in articles]

pd.DataFrame([
    {
        "article": r.article.id,
        "characters": len(r.article.text),
        "triples": len(r.triples),
        "persons": len({t.subject for t in r.triples if t.subject.kind == "person"}),
        "meetings": len({t.subject for t in r.triples if t.subject.kind == "meeting"}),
        "warnings": len(r.warnings),
    }
    for r in results
])
"""),
    ("md", "One triple and its evidence: the sentence, and where it sits in the article (character offsets)."),
    ("code", """
first = next(t for r in results for t in r.triples if t.relation == "attendee")
evidence = first.evidence[0]
print(first.subject, first.relation, first.object, sep="\\n")
print(f"\\nsentence {evidence.sentence}, characters {evidence.start}-{evidence.end} of {evidence.article_id}:")
print(evidence.text)
"""),
    ("md", """
## 2. Build the graph

One named graph per article; the dataset's default graph is their union, which is what the
queries read.
"""),
    ("code", """
from graph.build import build_dataset, counts

dataset = build_dataset(results)
counts(dataset)
"""),
    ("md", """
## 3. The shipped queries

Each query is a `.rq` file in the `queries` package with a header giving its purpose, its
parameters and its columns. Parameters are bound, never pasted into the SPARQL text; names match
in any spelling (hamza, ya, ta marbuta, diacritics), and part of a name is enough.
"""),
    ("code", """
import queries


def frame(result: queries.Result) -> pd.DataFrame:
    \"\"\"A query result as a pandas table (unbound values become empty cells).\"\"\"
    return pd.DataFrame(result.rows, columns=result.columns).fillna("")


def show(table: pd.DataFrame, rows: int = 12) -> None:
    \"\"\"Display the first rows of a long table, and say how many there are.\"\"\"
    display(table.head(rows))
    if len(table) > rows:
        print(f"... {len(table)} rows in all")


# Example values for the queries that take a parameter.
EXAMPLES = {"person": "حموشي", "agency": "الأمن"}

for name in queries.names():
    info = queries.load(name)
    params = {p: EXAMPLES[p] for p in info.params if p in EXAMPLES}
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    display(Markdown(f"### `{name}`" + (f" ({shown})" if shown else "") + f"\\n{info.description}"))
    show(frame(queries.run(dataset, info, params)))
"""),
    ("md", "The same results as the command line prints them (`majlis query meetings-of --param person=حموشي`):"),
    ("code", """
print(queries.format_table(queries.run(dataset, queries.load("meetings-of"), {"person": "حموشي"})))
"""),
    ("md", """
## 4. A query of our own: meetings per month

Any SPARQL text can be run the same way. The prefixes below are the project's vocabulary
(`docs/design.md`). A meeting whose date the article does not give has no `schema:startDate`
and is left out of this count.
"""),
    ("code", """
PER_MONTH = \"\"\"
PREFIX mj: <https://w3id.org/majlis#>
PREFIX schema: <https://schema.org/>

SELECT ?month (COUNT(DISTINCT ?meeting) AS ?meetings)
WHERE {
  ?meeting a mj:Meeting ; schema:startDate ?date .
  BIND (SUBSTR(STR(?date), 1, 7) AS ?month)
}
GROUP BY ?month
ORDER BY ?month
\"\"\"
per_month = frame(queries.run(dataset, queries.load(PER_MONTH)))
per_month["meetings"] = per_month["meetings"].astype(int)
dated, all_meetings = per_month["meetings"].sum(), counts(dataset)["meetings"]
print(f"{dated} of {all_meetings} meetings have a date")
per_month
"""),
    ("md", """
## 5. Plots with Arabic labels

Arabic needs joined letter forms and right-to-left order. Matplotlib 3.11 and later, built with
libraqm, does both itself; older versions draw the letters unjoined and left to right, and there
`arabic_reshaper` (joining) and python-bidi's `get_display` (visual order) prepare the text.
Doing it twice scrambles the text again, hence the check. The font is looked up through
`matplotlib.font_manager`: the first installed font that has every glyph we need.
"""),
    ("code", """
import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager, ft2font

MATPLOTLIB_SHAPES_TEXT = hasattr(ft2font, "__libraqm_version__")


def ar(text: str) -> str:
    \"\"\"Text ready for matplotlib, whichever version draws it.\"\"\"
    if MATPLOTLIB_SHAPES_TEXT:
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


def arabic_font() -> font_manager.FontProperties:
    \"\"\"An installed font with the Arabic glyphs we draw (Noto Sans Arabic, else DejaVu Sans, else any).\"\"\"
    needed = {ord(c) for c in ar("اجتماعات حسب البلد والشهر المغرب فرنسا بلجيكا") if not c.isspace()}
    preferred = ["Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans"]
    fonts = sorted(font_manager.fontManager.ttflist,
                   key=lambda f: (preferred.index(f.name) if f.name in preferred else len(preferred), f.fname))
    for entry in fonts:
        try:
            face = ft2font.FT2Font(entry.fname)
        except (OSError, RuntimeError, ValueError):
            continue
        if all(face.get_char_index(c) for c in needed):
            # Latin letters and digits fall back to DejaVu Sans when the Arabic font lacks them.
            return font_manager.FontProperties(family=list(dict.fromkeys([entry.name, "DejaVu Sans"])))
    raise RuntimeError("no installed font has Arabic glyphs: apt-get install fonts-noto-core (or fonts-dejavu-core)")


FONT = arabic_font()
print("matplotlib", matplotlib.__version__, "| shapes Arabic itself:", MATPLOTLIB_SHAPES_TEXT,
      "| font:", font_manager.findfont(FONT))
"""),
    ("code", """
by_country = frame(queries.run(dataset, queries.load("meetings-by-country")))
by_country["meetings"] = by_country["meetings"].astype(int)
per_country = by_country.groupby("country", as_index=False)["meetings"].sum().sort_values("meetings")

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))

left.barh([ar(c) for c in per_country["country"]], per_country["meetings"], color="#2f6f8f")
left.set_title(ar("اللقاءات حسب بلد المشاركين"), fontproperties=FONT, fontsize=13)
left.set_xlabel(ar("عدد اللقاءات"), fontproperties=FONT)
for label in left.get_yticklabels():
    label.set_fontproperties(FONT)
left.xaxis.get_major_locator().set_params(integer=True)

# Every month from the first meeting to the last, so that quiet months show as gaps.
months = (pd.period_range(per_month["month"].min(), per_month["month"].max(), freq="M").astype(str)
          if len(per_month) else [])
timeline = per_month.set_index("month")["meetings"].reindex(months, fill_value=0)
right.bar(range(len(timeline)), timeline.values, color="#b5651d")
step = max(1, len(timeline) // 8)
right.set_xticks(range(0, len(timeline), step), timeline.index[::step])
right.set_title(ar(f"اللقاءات المؤرخة حسب الشهر ({dated} من {all_meetings})"), fontproperties=FONT, fontsize=13)
right.set_xlabel(ar("الشهر"), fontproperties=FONT)
right.set_ylabel(ar("عدد اللقاءات"), fontproperties=FONT)
right.tick_params(axis="x", labelrotation=45)
right.yaxis.get_major_locator().set_params(integer=True)

fig.tight_layout()
fig.savefig(OUT / "meetings.png", dpi=120)
plt.show()
"""),
    ("md", """
## 6. The network: who met whom

`who_met_whom` projects the graph onto persons (nodes) and shared meetings (edges, with their
dates, places, topics and evidence). `render_html` makes one self-contained page (no network
access needed); here it is shown in a sandboxed frame, and also written to `../out/network.html`.
"""),
    ("code", """
from graph.network import who_met_whom

G = who_met_whom(dataset)
pd.DataFrame(
    [{"name": d.get("label"), "country": d.get("country") or "", "meetings": d.get("meetings", 0)}
     for _, d in G.nodes(data=True)]
).sort_values(["meetings", "name"], ascending=[False, True], ignore_index=True)
"""),
    ("code", """
import html

from graph.render import render_html, write_html

page = render_html(G, title="majlis: من التقى بمن")
write_html(G, OUT / "network.html", title="majlis: من التقى بمن")
# srcdoc keeps the page whole; sandbox lets its scripts run without access to this notebook.
display(HTML(f'<div><iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
             'style="width: 100%; height: 640px; border: 1px solid #ccc;"></iframe></div>'))
"""),
    ("md", """
## 7. Export

Turtle of the union of all article graphs (deterministic: the same input gives the same bytes).
`graph.io.save` picks the format from the extension: `.trig` keeps one graph per article.
"""),
    ("code", """
from graph import io as graph_io

turtle = OUT / "graph.ttl"
graph_io.save(dataset, turtle)
print(f"{turtle} ({turtle.stat().st_size:,} bytes)")
print("".join(turtle.read_text(encoding="utf-8").splitlines(keepends=True)[:25]))
"""),
    ("code", """
# Reading the file back gives the same triples.
from rdflib import Graph
from rdflib.compare import isomorphic


def union(ds) -> Graph:
    \"\"\"All the triples of a Dataset's graphs (or of a Graph) in one plain Graph.\"\"\"
    g = Graph()
    for s, p, o, *_ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


loaded = graph_io.load(turtle)
assert isomorphic(union(loaded), union(dataset)), "the Turtle file does not round-trip"
print("round trip: ok,", len(union(loaded)), "triples")
"""),
]


def build() -> nbformat.NotebookNode:
    cells = [new_markdown_cell(src.strip()) if kind == "md" else new_code_cell(src.strip()) for kind, src in CELLS]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    })
    # Stable cell ids, so regenerating an unchanged notebook changes no byte.
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    nbformat.validate(nb)
    return nb


def main() -> None:
    nbformat.write(build(), TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
