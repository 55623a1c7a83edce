"""The who-met-whom network as a self-contained HTML page (vis-network) or a picture (matplotlib).

The only module that imports pyvis, and only for the vis-network copy the pyvis package ships:
pyvis's own templates pull Bootstrap and vis-network from CDNs, and users open these pages offline.
The page is one file: vis-network's script and stylesheet, our stylesheet and our script inlined, the
graph as JSON in a `<script type="application/json">` block (never executed), and a Content Security
Policy that allows only those inline scripts (by hash) and no fetch at all.

Positions are computed here with a seeded force layout, so the browser draws once with physics off
and the same graph always gives the same page and picture.
"""
from __future__ import annotations

import base64
import colorsys
import functools
import hashlib
import html
import json
import math
import os
import re
import tempfile
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Callable

import networkx as nx
import numpy as np
import pyvis

from .network import COUNTRY, ORGANIZATION, PERSON

FONT_STACK = ('"Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, "Geeza Pro", '
              '"DejaVu Sans", Arial, sans-serif')
PALETTE = ("#2f6fb0", "#d1495b", "#00a388", "#e09f3e", "#6a4c93", "#43a047", "#f08a4b", "#8c6d46",
           "#c2185b", "#00838f", "#5c6bc0", "#7cb342", "#ad1457", "#3caea3", "#f4511e", "#3949ab",
           "#6d4c41", "#00897b", "#fb8c00", "#8e24aa")
UNKNOWN_COLOUR = "#9aa5b1"
SPACING = 110.0  # pixels between neighbouring nodes in the computed layout
_VIS_DIR = ("templates", "lib", "vis-9.1.2")
_PICTURE_FORMATS = {".png": "png", ".svg": "svg"}


class NoArabicFontError(RuntimeError):
    """No installed font can draw Arabic letters, so a picture's labels would be empty boxes."""


# --------------------------------------------------------------------------- layout

def layout(G: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node: each connected component laid out alone, then packed in rows."""
    boxes = []
    components = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    for component in components:
        pos = _force_layout(G, component, seed)
        xs, ys = pos[:, 0], pos[:, 1]
        pos -= [xs.min(), ys.min()]
        boxes.append((component, pos, float(xs.max() - xs.min()) + SPACING, float(ys.max() - ys.min()) + SPACING))
    if not boxes:
        return {}
    total = sum(w * h for _, _, w, h in boxes)
    row_width = max(max(w for _, _, w, _ in boxes), math.sqrt(total) * 1.4)
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for component, pos, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in zip(component, pos):
            positions[node] = (round(x + px, 1), round(y + py, 1))
        x += w
        row_height = max(row_height, h)
    # Centre the drawing on the origin, where vis-network puts its first view.
    cx = (min(p[0] for p in positions.values()) + max(p[0] for p in positions.values())) / 2
    cy = (min(p[1] for p in positions.values()) + max(p[1] for p in positions.values())) / 2
    return {n: (round(px - cx, 1), round(py - cy, 1)) for n, (px, py) in positions.items()}


def _force_layout(G: nx.Graph, nodes: list[str], seed: int) -> np.ndarray:
    """Fruchterman-Reingold in numpy float32 (repulsion in row blocks, attraction along edges only), in pixels."""
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    f32 = np.float32
    index = {node: i for i, node in enumerate(nodes)}
    sub = G.subgraph(nodes)
    ei = np.array([index[a] for a, b in sub.edges()], dtype=np.int64)
    ej = np.array([index[b] for a, b in sub.edges()], dtype=np.int64)
    strength = np.array([1.0 + math.log1p(d.get("weight") or 0) * 0.5 for _, _, d in sub.edges(data=True)], dtype=f32)
    pos = np.random.default_rng(seed + n).random((n, 2)).astype(f32)
    k = 1.0 / math.sqrt(n)
    k2, tiny = f32(k * k), f32(1e-6)
    iterations = 120 if n <= 300 else 80 if n <= 1000 else 60
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    block = max(1, 1_000_000 // n)
    disp = np.zeros((n, 2), dtype=f32)
    for _ in range(iterations):
        x, y = np.ascontiguousarray(pos[:, 0]), np.ascontiguousarray(pos[:, 1])
        for start in range(0, n, block):
            stop = min(n, start + block)
            dx, dy = np.subtract.outer(x[start:stop], x), np.subtract.outer(y[start:stop], y)
            force = dx * dx
            force += dy * dy
            np.maximum(force, tiny, out=force)
            np.divide(k2, force, out=force)  # repulsion k²/d along the unit vector = k²·delta/d²
            disp[start:stop, 0] = np.einsum("ij,ij->i", dx, force)
            disp[start:stop, 1] = np.einsum("ij,ij->i", dy, force)
        if len(ei):
            delta = pos[ei] - pos[ej]
            pull = delta * (np.sqrt((delta * delta).sum(axis=1)) / f32(k) * strength)[:, None]  # d²/k
            for axis in (0, 1):
                disp[:, axis] += np.bincount(ej, pull[:, axis], minlength=n) - np.bincount(ei, pull[:, axis], minlength=n)
        length = np.sqrt((disp * disp).sum(axis=1)) + f32(1e-9)
        pos += disp * (np.minimum(length, f32(temperature)) / length)[:, None]
        temperature -= cooling
    return pos.astype(np.float64) * (SPACING / k)


# --------------------------------------------------------------------------- shared by page and picture

def country_colours(G: nx.Graph) -> list[dict]:
    """Countries of the person nodes, most frequent first, each with its colour and count."""
    counts: Counter = Counter()
    names: dict[str, str] = {}
    for _, data in G.nodes(data=True):
        code = data.get("country_code")
        if data.get("kind", PERSON) == PERSON and code:
            counts[code] += 1
            names.setdefault(code, data.get("country") or code)
    for _, data in G.nodes(data=True):
        code = data.get("country_code")
        if code and code not in counts:
            counts.setdefault(code, 0)
            names.setdefault(code, data.get("country") or code)
    ordered = sorted(counts, key=lambda c: (-counts[c], names[c], c))
    return [{"code": c, "name": names[c], "count": counts[c], "colour": _colour(i)} for i, c in enumerate(ordered)]


def _colour(i: int) -> str:
    """The i-th country colour: the palette, then hues a golden angle apart."""
    if i < len(PALETTE):
        return PALETTE[i]
    r, g, b = colorsys.hls_to_rgb(((i - len(PALETTE)) * 0.381966 + 0.05) % 1.0, 0.5, 0.45)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _safe_url(url) -> str | None:
    if isinstance(url, str) and re.match(r"\s*https?://[^\s]", url, re.IGNORECASE):
        return url.strip()
    return None


# --------------------------------------------------------------------------- HTML page

def render_html(G: nx.Graph, title: str = "majlis") -> str:
    """The whole page as a string; `G` is read, never changed."""
    data = _page_data(G)
    vis_js, vis_css = _vis_assets()
    data_json = _script_json(data)
    scripts = [vis_js, _APP_JS]
    policy = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(f"'sha256-{_sha256(s)}'" for s in scripts),
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    safe_title = html.escape(title)
    return "".join([
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="majlis">\n',
        '<link rel="icon" href="data:,">\n',
        f"<title>{safe_title}</title>\n",
        "<style>\n", vis_css, "\n</style>\n",
        "<style>\n", _APP_CSS.replace("__FONT_STACK__", FONT_STACK), "</style>\n",
        "</head>\n<body>\n",
        _BODY.replace("__TITLE__", safe_title),
        '<script type="application/json" id="majlis-data">', data_json, "</script>\n",
        "<script>", vis_js, "</script>\n",
        "<script>", _APP_JS, "</script>\n",
        "</body>\n</html>\n",
    ])


def write_html(G: nx.Graph, path: str | os.PathLike, title: str = "majlis") -> Path:
    """Render, then write atomically: a reader sees the old file or the new one, never half of one."""
    page = render_html(G, title=title)
    return _atomic_write(Path(path), lambda tmp: tmp.write_text(page, encoding="utf-8"))


def _atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _script_json(data) -> str:
    """JSON that cannot end its <script> block or be read as markup: < > & " and line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Walk escape pairs so that an escaped backslash before a closing quote is left alone.
    text = re.sub(r'\\(.)', lambda m: "\\u0022" if m.group(1) == '"' else m.group(0), text)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@functools.lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    folder = resources.files(pyvis).joinpath(*_VIS_DIR)
    try:
        js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
        css = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise RuntimeError(f"pyvis {getattr(pyvis, '__version__', '?')} does not ship {'/'.join(_VIS_DIR)}; "
                           "install pyvis 0.3.2") from error
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("the bundled vis-network cannot be inlined: it contains a closing tag")
    return js, css


def _page_data(G: nx.Graph) -> dict:
    positions = layout(G)
    order = sorted(G.nodes, key=lambda n: (_kind(G, n) != PERSON, n))
    index = {node: i for i, node in enumerate(order)}
    countries = country_colours(G)
    topics = sorted({t for _, _, d in G.edges(data=True) for m in d.get("meetings") or () for t in m.get("topics") or ()})
    topic_index = {t: i for i, t in enumerate(topics)}

    meetings: dict[str, dict] = {}
    edges = []
    for a, b, d in sorted(G.edges(data=True), key=lambda e: (index[e[0]], index[e[1]]) if index[e[0]] < index[e[1]]
                          else (index[e[1]], index[e[0]])):
        kind = d.get("kind", "met")
        listed = []
        for m in d.get("meetings") or ():
            record = meetings.get(m["iri"])
            if record is None:
                record = meetings[m["iri"]] = {
                    "iri": m["iri"], "date": m.get("date"), "place": m.get("place"),
                    "topics": [topic_index[t] for t in m.get("topics") or ()],
                    "evidence": [{"text": e.get("text"), "article": e.get("article"), "url": _safe_url(e.get("url"))}
                                 for e in m.get("evidence") or ()],
                    "people": set(),
                }
            record["people"].update((index[a], index[b]))
            listed.append(m["iri"])
        edges.append({"a": index[a], "b": index[b], "k": kind, "m": listed})
    meeting_list = sorted(meetings.values(), key=lambda m: (m["date"] or "", m["iri"]))
    meeting_index = {m["iri"]: i for i, m in enumerate(meeting_list)}
    for m in meeting_list:
        m["people"] = sorted(m["people"])
    for e in edges:
        e["m"] = [meeting_index[iri] for iri in e["m"]]

    nodes = []
    for node in order:
        d = G.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append({
            "id": node, "kind": _kind(G, node), "label": d.get("label") or node,
            "names": list(d.get("names") or ()), "titles": list(d.get("titles") or ()),
            "orgs": list(d.get("orgs") or ()), "country": d.get("country"), "cc": d.get("country_code"),
            "meetings": int(d.get("meetings") or 0), "x": x, "y": y,
        })
    years = sorted({int(m["date"][:4]) for m in meeting_list if m["date"] and m["date"][:4].isdigit()})
    return {"nodes": nodes, "edges": edges, "meetings": meeting_list, "topics": topics,
            "countries": countries, "unknown": UNKNOWN_COLOUR, "years": years, "font": FONT_STACK}


def _kind(G: nx.Graph, node) -> str:
    return G.nodes[node].get("kind", PERSON)


# --------------------------------------------------------------------------- picture

def write_picture(G: nx.Graph, path: str | os.PathLike, title: str = "majlis") -> Path:
    """A static drawing (.png or .svg) with the page's layout and colours, Arabic labels shaped for matplotlib."""
    path = Path(path)
    fmt = _PICTURE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: a picture must end in {' or '.join(_PICTURE_FORMATS)}")
    # The Figure API, not pyplot: no global backend switch, nothing left open in a notebook.
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    font = arabic_font()
    positions = layout(G)
    colours = {c["code"]: c["colour"] for c in country_colours(G)}
    people = [n for n in G.nodes if _kind(G, n) == PERSON]
    n = max(len(G), 1)
    side = min(24.0, max(8.0, math.sqrt(n) * 0.9))
    fig = Figure(figsize=(side * 1.25, side), dpi=110)
    ax = fig.subplots()
    ax.set_axis_off()
    met = [(a, b, d) for a, b, d in G.edges(data=True) if d.get("kind", "met") == "met"]
    layer = [(a, b) for a, b, d in G.edges(data=True) if d.get("kind", "met") != "met"]
    ax.add_collection(LineCollection(
        [(positions[a], positions[b]) for a, b, _ in met], colors="#7b8794", alpha=0.6, zorder=1,
        linewidths=[1.0 + min(6.0, math.log2(max(1, d.get("weight") or 1)) * 1.5) for _, _, d in met]))
    ax.add_collection(LineCollection([(positions[a], positions[b]) for a, b in layer], colors="#b8c2cc",
                                     linewidths=0.8, linestyles="dashed", zorder=1))
    markers = {PERSON: "o", ORGANIZATION: "s", COUNTRY: "D"}
    for kind, marker in markers.items():
        members = [v for v in G.nodes if _kind(G, v) == kind]
        if not members:
            continue
        ax.scatter([positions[v][0] for v in members], [positions[v][1] for v in members],
                   s=[_picture_size(G, v) for v in members], marker=marker, zorder=2,
                   c=[colours.get(G.nodes[v].get("country_code"), UNKNOWN_COLOUR) for v in members],
                   edgecolors="#ffffff" if kind == PERSON else "#1f2933", linewidths=0.8)
    ranked = sorted(G.nodes, key=lambda v: (_kind(G, v) == PERSON, -(G.nodes[v].get("meetings") or 0), v))
    for v in ranked[:60]:
        x, y = positions[v]
        ax.text(x, y + 18 + math.sqrt(_picture_size(G, v)) / 2, shape_arabic(G.nodes[v].get("label") or v),
                fontproperties=font, fontsize=9, ha="center", va="top", zorder=3, color="#1f2933",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    if positions:
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        ax.set_xlim(min(xs) - SPACING, max(xs) + SPACING)
        ax.set_ylim(max(ys) + SPACING, min(ys) - SPACING)  # the page's y axis points down
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=c["colour"],
                      markeredgecolor="white", label=shape_arabic(f"{c['name']} ({c['count']})"))
               for c in country_colours(G)[:14] if c["count"]]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), prop=font, frameon=False)
    meetings = len({m["iri"] for _, _, d in G.edges(data=True) for m in d.get("meetings") or ()})
    ax.set_title(shape_arabic(f"{title}\nالأشخاص {len(people)} · اللقاءات {meetings}"), fontproperties=font, fontsize=14)
    fig.tight_layout()
    _atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, facecolor="white"))
    return path


def _picture_size(G: nx.Graph, node) -> float:
    d = G.nodes[node]
    if d.get("kind", PERSON) != PERSON:
        return 160.0
    return 60.0 + 90.0 * math.sqrt(d.get("meetings") or 0)


def shape_arabic(text: str) -> str:
    """Text ready for matplotlib: unchanged where matplotlib shapes text itself (libraqm, 3.11 and later);
    otherwise joined letter forms (arabic_reshaper) in visual order (python-bidi)."""
    if _matplotlib_shapes():
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


@functools.lru_cache(maxsize=1)
def _matplotlib_shapes() -> bool:
    """Reshaping and reordering again what libraqm already laid out would scramble every label."""
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


@functools.lru_cache(maxsize=1)
def arabic_font():
    """FontProperties of an installed font with every glyph of shaped Arabic text, Latin falling back to DejaVu Sans."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    probe = {c for c in shape_arabic("عبد اللطيف حموشي، لقاء أمني في الرباط") if not c.isspace()}
    preferred = ("Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", "Amiri", "Arial", "Tahoma")
    entries = sorted(font_manager.fontManager.ttflist,
                     key=lambda f: (preferred.index(f.name) if f.name in preferred else len(preferred),
                                    f.style != "normal", f.weight != 400, f.name, f.fname))
    for entry in entries:
        try:
            face = FT2Font(entry.fname)
        except (OSError, RuntimeError, ValueError):
            continue
        if all(face.get_char_index(ord(c)) for c in probe):
            # Arabic fonts often lack Latin letters and digits: matplotlib falls back along the family list.
            return font_manager.FontProperties(family=list(dict.fromkeys([entry.name, "DejaVu Sans"])))
    raise NoArabicFontError("no installed font has Arabic glyphs: install one "
                            "(Debian: apt-get install fonts-noto-core, or fonts-dejavu-core)")


# --------------------------------------------------------------------------- page template

_BODY = """<header class="bar">
  <h1>__TITLE__</h1>
  <span class="subtitle">شبكة من التقى بمن</span>
  <span id="stats" class="stats" aria-live="polite"></span>
</header>
<main class="layout">
  <aside id="controls" class="side" aria-label="أدوات البحث والتصفية">
    <section>
      <label for="search" class="field-label">بحث عن شخص</label>
      <input id="search" type="text" role="searchbox" enterkeyhint="search" autocomplete="off" spellcheck="false" placeholder="اسم أو جزء منه، مثل: حموشي">
      <div id="search-info" class="muted small"></div>
      <ul id="search-results" class="results"></ul>
    </section>
    <section id="year-section">
      <span class="field-label">الفترة</span>
      <div class="row">
        <label class="small">من <select id="year-from"></select></label>
        <label class="small">إلى <select id="year-to"></select></label>
      </div>
    </section>
    <section>
      <label for="country" class="field-label">البلد</label>
      <select id="country"><option value="">كل الدول</option></select>
    </section>
    <section>
      <label for="topic" class="field-label">الموضوع</label>
      <select id="topic"><option value="">كل المواضيع</option></select>
    </section>
    <section id="layer-section" hidden>
      <span class="field-label">الطبقات</span>
      <label class="check" id="layer-org-label" hidden><input type="checkbox" id="layer-org" checked> الأجهزة</label>
      <label class="check" id="layer-country-label" hidden><input type="checkbox" id="layer-country" checked> الدول</label>
    </section>
    <button id="reset" type="button" class="button">إعادة الضبط</button>
    <section class="legend">
      <span class="field-label">الألوان حسب البلد</span>
      <ul id="legend" class="legend-list"></ul>
      <ul id="legend-kinds" class="legend-list"></ul>
      <p class="muted small">حجم العقدة بعدد لقاءات الشخص، وسماكة الخط بعدد اللقاءات بين الشخصين.</p>
    </section>
  </aside>
  <div class="canvas-wrap">
    <div id="network" role="img" aria-label="شبكة اللقاءات"></div>
    <div id="tooltip" class="tooltip" hidden></div>
    <div id="empty" class="empty" hidden>لا توجد لقاءات في هذا الرسم.</div>
  </div>
  <aside id="details" class="side details" aria-live="polite"></aside>
</main>
"""

_APP_CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --accent: #1f6feb; --card: #ffffff; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font-family: __FONT_STACK__; color: var(--ink); background: var(--bg); font-size: 14px; line-height: 1.6;
       display: flex; flex-direction: column; }
.bar { display: flex; align-items: baseline; gap: 14px; padding: 10px 18px; background: var(--card);
       border-bottom: 1px solid var(--line); }
.bar h1 { font-size: 19px; margin: 0; font-weight: 700; }
.subtitle { color: var(--muted); }
.stats { margin-inline-start: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
.layout { flex: 1; display: grid; grid-template-columns: 270px minmax(0, 1fr) 360px; min-height: 0; }
.side { background: var(--card); overflow-y: auto; padding: 14px 16px; min-height: 0; }
#controls { border-inline-end: 1px solid var(--line); }
.details { border-inline-start: 1px solid var(--line); }
section { margin-bottom: 14px; }
.field-label { display: block; font-weight: 600; margin-bottom: 4px; }
#search, select { width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #cbd2d9;
       border-radius: 6px; background: #fff; color: inherit; }
#search:focus, select:focus, .button:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
.row { display: flex; gap: 8px; }
.row label { flex: 1; }
.check { display: block; }
.button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #cbd2d9; background: #fff;
          cursor: pointer; width: 100%; margin-bottom: 14px; }
.button:hover { background: #eef2f7; }
.link { font: inherit; background: none; border: none; padding: 0; color: var(--accent); cursor: pointer; text-align: start; }
.link:hover { text-decoration: underline; }
.muted { color: var(--muted); }
.small { font-size: 12.5px; }
.results { list-style: none; margin: 6px 0 0; padding: 0; max-height: 220px; overflow-y: auto; }
.results li { padding: 3px 0; border-bottom: 1px solid #f0f2f5; }
.legend-list { list-style: none; margin: 0 0 6px; padding: 0; }
.legend-list li { display: flex; align-items: center; gap: 8px; padding: 2px 0; }
.legend-list .link, .legend-list .name { color: var(--ink); flex: 1; }
.legend-list .link.active { font-weight: 700; text-decoration: underline; }
.legend-list .count { color: var(--muted); font-variant-numeric: tabular-nums; }
.swatch { width: 12px; height: 12px; border-radius: 50%; flex: none; display: inline-block; }
.swatch.square { border-radius: 2px; border: 2px dashed #1f2933; }
.swatch.diamond { border-radius: 1px; transform: rotate(45deg); border: 2px dashed #1f2933; }
.canvas-wrap { position: relative; min-width: 0; min-height: 0; }
#network { position: absolute; inset: 0; background: #fbfcfd; }
.empty { position: absolute; inset: 40% 0 auto; text-align: center; color: var(--muted); }
.tooltip { position: absolute; z-index: 5; max-width: 380px; background: #fff; border: 1px solid var(--line);
           box-shadow: 0 4px 14px rgba(31, 41, 51, .15); border-radius: 8px; padding: 8px 10px; pointer-events: none;
           font-size: 13px; }
.tooltip .t-title { font-weight: 700; margin-bottom: 4px; }
.tooltip .t-line { border-top: 1px solid #f0f2f5; padding-top: 3px; margin-top: 3px; }
.details h2 { font-size: 18px; margin: 4px 0 2px; display: flex; align-items: center; gap: 8px; }
.details h3 { font-size: 14px; margin: 14px 0 4px; color: var(--muted); font-weight: 600; }
.details ul.plain { margin: 0; padding-inline-start: 18px; }
.kind-tag { color: var(--muted); font-size: 12.5px; }
.meetings { list-style: none; padding: 0; margin: 0; }
.meeting { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; background: #fcfdfe; }
.meeting .meta { font-weight: 600; }
.meeting .date { font-variant-numeric: tabular-nums; }
.chip { display: inline-block; background: #e8f0fe; color: #174ea6; border-radius: 10px; padding: 0 8px;
        margin: 2px 0 2px 4px; font-size: 12px; }
blockquote { margin: 6px 0 2px; padding: 4px 10px; border-inline-start: 3px solid #cbd2d9; color: #323f4b;
             background: #f7f9fb; }
.source { font-size: 12.5px; color: var(--muted); overflow-wrap: anywhere; }
.source a { color: var(--accent); }
.hint { color: var(--muted); }
"""

_APP_JS = r"""
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('majlis-data').textContent);
  var NODES = DATA.nodes, EDGES = DATA.edges, MEETINGS = DATA.meetings, TOPICS = DATA.topics;
  var KIND_LABEL = {person: 'شخص', organization: 'جهاز', country: 'دولة'};
  var SHAPES = {person: 'dot', organization: 'square', country: 'diamond'};
  var PAGE = 40;

  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // Arabic name forms compared without diacritics, tatweel and hamza seats.
  var MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]/g;
  function norm(text) {
    return String(text || '').normalize('NFKC').replace(MARKS, '')
      .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627').replace(/\u0649/g, '\u064a').replace(/\u0629/g, '\u0647')
      .replace(/\u0624/g, '\u0648').replace(/\u0626/g, '\u064a')
      .toLowerCase().replace(/\s+/g, ' ').trim();
  }
  function safeUrl(url) {
    if (typeof url !== 'string' || !/^\s*https?:\/\//i.test(url)) return null;
    try {
      var parsed = new URL(url.trim());
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : null;
    } catch (e) { return null; }
  }

  var COLOUR = {}, COUNTRY_NAME = {};
  DATA.countries.forEach(function (c) { COLOUR[c.code] = c.colour; COUNTRY_NAME[c.code] = c.name; });
  function colourOf(n) { return COLOUR[n.cc] || DATA.unknown; }

  var SEARCH_KEYS = NODES.map(function (n) { return [n.label].concat(n.names).map(norm); });
  var PERSON_MEETINGS = NODES.map(function () { return []; });
  MEETINGS.forEach(function (m, i) { m.people.forEach(function (p) { PERSON_MEETINGS[p].push(i); }); });
  var NEIGHBOURS = NODES.map(function () { return []; });
  EDGES.forEach(function (e, i) { NEIGHBOURS[e.a].push(i); NEIGHBOURS[e.b].push(i); });
  var hasLayers = {organization: false, country: false};
  NODES.forEach(function (n) { if (n.kind in hasLayers) hasLayers[n.kind] = true; });

  function edgeWidth(count) { return count <= 1 ? 1.2 : 1.2 + Math.min(8, Math.log2(count) * 1.8); }
  function shade(hex, factor) {
    var v = parseInt(hex.slice(1), 16), r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    return 'rgb(' + Math.round(r * factor) + ',' + Math.round(g * factor) + ',' + Math.round(b * factor) + ')';
  }
  // Many edges would grey the whole canvas: the more edges, the fainter each one until hovered or selected.
  var metEdges = EDGES.filter(function (e) { return e.k === 'met'; }).length;
  var edgeAlpha = Math.max(0.1, Math.min(0.6, 0.6 * Math.sqrt(400 / Math.max(1, metEdges))));

  var nodes = new vis.DataSet(NODES.map(function (n, i) {
    var c = colourOf(n), person = n.kind === 'person', border = person ? shade(c, 0.72) : '#1f2933';
    var item = {
      id: i, x: n.x, y: n.y, label: n.label, shape: SHAPES[n.kind] || 'dot',
      color: {background: c, border: border, highlight: {background: c, border: '#111827'},
              hover: {background: c, border: '#111827'}},
      borderWidth: person ? 1.5 : 2, borderWidthSelected: 3.5
    };
    if (person) item.value = n.meetings;
    else { item.size = 16; item.shapeProperties = {borderDashes: [4, 3]}; item.font = {size: 15, bold: true}; }
    return item;
  }));
  var edges = new vis.DataSet(EDGES.map(function (e, i) {
    var met = e.k === 'met';
    return {
      id: i, from: e.a, to: e.b, width: met ? edgeWidth(e.m.length) : 1,
      dashes: met ? e.m.length === 0 : [2, 4],
      color: met ? {color: 'rgba(96,110,124,' + edgeAlpha + ')', highlight: '#1f6feb', hover: '#1f2933', opacity: 1}
                 : {color: 'rgba(150,160,172,0.6)', highlight: '#52606d', hover: '#52606d', opacity: 1}
    };
  }));

  var big = EDGES.length > 3000;
  var options = {
    autoResize: true,
    physics: {enabled: false},
    layout: {improvedLayout: false, randomSeed: 7},
    nodes: {
      font: {face: DATA.font, size: 14, color: '#1f2933', strokeWidth: 4, strokeColor: 'rgba(255,255,255,0.92)'},
      scaling: {min: 6, max: 32, label: {enabled: true, min: 11, max: 24, maxVisible: 24, drawThreshold: 5},
                customScalingFunction: function (min, max, total, value) {
                  // Square root: one official with hundreds of meetings must not shrink everyone else to a dot.
                  return max === min ? 0.5 : (Math.sqrt(value) - Math.sqrt(min)) / (Math.sqrt(max) - Math.sqrt(min));
                }}
    },
    edges: {smooth: false, selectionWidth: 1.5, hoverWidth: 0.8},
    interaction: {hover: true, tooltipDelay: 120, multiselect: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                  keyboard: false, navigationButtons: false}
  };
  var container = byId('network');
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  network.once('afterDrawing', function () {
    window.majlisReady = true;
    window.majlisReadyAt = performance.now();
    document.documentElement.setAttribute('data-ready', '1');
  });
  if (!NODES.length) byId('empty').hidden = false;

  // ------------------------------------------------------------------ filters
  var yearFrom = byId('year-from'), yearTo = byId('year-to'), countrySel = byId('country'), topicSel = byId('topic');
  var layerOrg = byId('layer-org'), layerCountry = byId('layer-country');
  DATA.years.forEach(function (y) { yearFrom.appendChild(new Option(String(y), String(y))); yearTo.appendChild(new Option(String(y), String(y))); });
  if (DATA.years.length) { yearFrom.value = String(DATA.years[0]); yearTo.value = String(DATA.years[DATA.years.length - 1]); }
  else byId('year-section').hidden = true;
  DATA.countries.forEach(function (c) { countrySel.appendChild(new Option(c.name + ' (' + c.count + ')', c.code)); });
  TOPICS.forEach(function (t, i) { topicSel.appendChild(new Option(t, String(i))); });
  if (hasLayers.organization || hasLayers.country) byId('layer-section').hidden = false;
  byId('layer-org-label').hidden = !hasLayers.organization;
  byId('layer-country-label').hidden = !hasLayers.country;

  var FILTER = currentFilter();
  function currentFilter() {
    var years = DATA.years;
    var from = years.length ? parseInt(yearFrom.value, 10) : null, to = years.length ? parseInt(yearTo.value, 10) : null;
    if (from !== null && to !== null && from > to) { var t = from; from = to; to = t; }
    var f = {from: from, to: to, country: countrySel.value, topic: topicSel.value === '' ? -1 : parseInt(topicSel.value, 10),
             org: !layerOrg || layerOrg.checked, countryLayer: !layerCountry || layerCountry.checked};
    f.years = years.length > 0 && (from > years[0] || to < years[years.length - 1]);
    f.meetings = f.years || f.topic >= 0;
    f.any = f.meetings || f.country !== '';
    return f;
  }
  function meetingOk(i, f) {
    var m = MEETINGS[i];
    if (f.years) {
      var y = m.date ? parseInt(m.date.slice(0, 4), 10) : NaN;
      if (!(y >= f.from && y <= f.to)) return false;
    }
    return f.topic < 0 || m.topics.indexOf(f.topic) >= 0;
  }
  function shownMeetings(list) {
    var f = FILTER;
    return f.meetings ? list.filter(function (i) { return meetingOk(i, f); }) : list.slice();
  }

  var hiddenNode = NODES.map(function () { return false; });
  var hiddenEdge = EDGES.map(function () { return false; });
  var shownCount = EDGES.map(function (e) { return e.m.length; });

  function applyFilters(fit) {
    var f = FILTER = currentFilter();
    var personSeen = new Uint8Array(NODES.length), edgeShow = new Array(EDGES.length), counts = new Array(EDGES.length);
    var meetingSeen = {};
    EDGES.forEach(function (e, i) {
      if (e.k !== 'met') return;
      var list = f.meetings ? e.m.filter(function (m) { return meetingOk(m, f); }) : e.m;
      var show = f.meetings ? list.length > 0 : true;
      if (show && f.country) show = NODES[e.a].cc === f.country || NODES[e.b].cc === f.country;
      edgeShow[i] = show; counts[i] = list.length;
      if (show) { personSeen[e.a] = 1; personSeen[e.b] = 1; list.forEach(function (m) { meetingSeen[m] = 1; }); }
    });
    var nodeShow = NODES.map(function (n, i) {
      if (n.kind !== 'person') return false;
      if (!f.any) return true;
      return personSeen[i] === 1 || (!f.meetings && n.cc === f.country);
    });
    // Layer nodes stand when their layer is on and a shown person links to them.
    EDGES.forEach(function (e, i) {
      if (e.k === 'met') return;
      var layerNode = NODES[e.a].kind === 'person' ? e.b : e.a, other = layerNode === e.a ? e.b : e.a;
      var on = NODES[layerNode].kind === 'organization' ? f.org : f.countryLayer;
      if (on && nodeShow[other] && NODES[other].kind === 'person') nodeShow[layerNode] = true;
    });
    EDGES.forEach(function (e, i) { if (e.k !== 'met') edgeShow[i] = nodeShow[e.a] && nodeShow[e.b]; });

    var nodeUpdates = [], edgeUpdates = [];
    nodeShow.forEach(function (show, i) {
      if (hiddenNode[i] === show) { hiddenNode[i] = !show; nodeUpdates.push({id: i, hidden: !show}); }
    });
    edgeShow.forEach(function (show, i) {
      var change = {id: i}, changed = false;
      if (hiddenEdge[i] === show) { hiddenEdge[i] = !show; change.hidden = !show; changed = true; }
      if (EDGES[i].k === 'met' && counts[i] !== shownCount[i]) { shownCount[i] = counts[i]; change.width = edgeWidth(counts[i]); changed = true; }
      if (changed) edgeUpdates.push(change);
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    var shownPeople = 0, shownEdges = 0;
    nodeShow.forEach(function (s, i) { if (s && NODES[i].kind === 'person') shownPeople++; });
    edgeShow.forEach(function (s, i) { if (s && EDGES[i].k === 'met') shownEdges++; });
    byId('stats').textContent = 'الأشخاص ' + shownPeople + ' · الصلات ' + shownEdges + ' · اللقاءات ' +
      Object.keys(meetingSeen).length + (f.any ? ' (بعد التصفية)' : '');
    byId('empty').hidden = shownPeople > 0;
    Array.prototype.forEach.call(byId('legend').querySelectorAll('button'), function (b) {
      b.classList.toggle('active', b.dataset.code === f.country);
    });
    if (fit) {
      var ids = []; nodeShow.forEach(function (s, i) { if (s) ids.push(i); });
      if (ids.length) network.fit({nodes: ids, animation: false});
    }
  }
  [yearFrom, yearTo, countrySel, topicSel, layerOrg, layerCountry].forEach(function (control) {
    if (control) control.addEventListener('change', function () { applyFilters(true); refreshPanel(); });
  });

  // ------------------------------------------------------------------ legend
  var legend = byId('legend');
  var unknownPeople = NODES.filter(function (n) { return n.kind === 'person' && !COLOUR[n.cc]; }).length;
  DATA.countries.forEach(function (c) {
    if (!c.count) return;
    var li = el('li'), sw = el('span', 'swatch'), b = el('button', 'link', c.name), n = el('span', 'count', c.count);
    sw.style.background = c.colour; b.type = 'button'; b.title = 'عرض ' + c.name + ' فقط'; b.dataset.code = c.code;
    b.addEventListener('click', function () { countrySel.value = countrySel.value === c.code ? '' : c.code; applyFilters(true); refreshPanel(); });
    li.appendChild(sw); li.appendChild(b); li.appendChild(n); legend.appendChild(li);
  });
  if (unknownPeople) {
    var li = el('li'), sw = el('span', 'swatch');
    sw.style.background = DATA.unknown;
    li.appendChild(sw); li.appendChild(el('span', 'name', 'بلد غير معروف')); li.appendChild(el('span', 'count', unknownPeople));
    legend.appendChild(li);
  }
  var kinds = byId('legend-kinds');
  [['organization', 'square', 'جهاز (مربع)'], ['country', 'diamond', 'دولة (معيّن)']].forEach(function (k) {
    if (!hasLayers[k[0]]) return;
    var li = el('li'), sw = el('span', 'swatch ' + k[1]);
    sw.style.background = '#ffffff';
    li.appendChild(sw); li.appendChild(el('span', 'name', k[2])); kinds.appendChild(li);
  });

  // ------------------------------------------------------------------ side panel
  var panel = byId('details');
  var panelState = {kind: 'overview'};

  function personButton(i) {
    var b = el('button', 'link', NODES[i].label);
    b.type = 'button';
    b.addEventListener('click', function () { focusNode(i); });
    return b;
  }
  function sourceLine(ev) {
    var line = el('div', 'source');
    line.appendChild(document.createTextNode('المصدر: '));
    var url = safeUrl(ev.url), label = ev.article || ev.url || 'مقال';
    if (url) {
      var a = el('a', '', label);
      a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
      line.appendChild(a);
    } else line.appendChild(el('span', '', label));
    return line;
  }
  function meetingItem(i, self) {
    var m = MEETINGS[i], li = el('li', 'meeting'), meta = el('div', 'meta');
    var date = el('bdi', 'date', m.date || 'تاريخ غير معروف');
    if (m.date) date.dir = 'ltr';
    meta.appendChild(date);
    if (m.place) meta.appendChild(document.createTextNode(' · ' + m.place));
    li.appendChild(meta);
    var others = m.people.filter(function (p) { return p !== self; });
    if (others.length) {
      var w = el('div', 'with');
      w.appendChild(document.createTextNode(self === undefined ? 'الحاضرون: ' : 'مع: '));
      others.forEach(function (p, k) { if (k) w.appendChild(document.createTextNode('، ')); w.appendChild(personButton(p)); });
      li.appendChild(w);
    }
    if (m.topics.length) {
      var t = el('div', 'topics');
      m.topics.forEach(function (k) { t.appendChild(el('span', 'chip', TOPICS[k])); });
      li.appendChild(t);
    }
    m.evidence.forEach(function (ev) {
      if (ev.text) li.appendChild(el('blockquote', '', ev.text));
      li.appendChild(sourceLine(ev));
    });
    return li;
  }
  function meetingList(target, list, self) {
    var ul = el('ul', 'meetings'), shown = 0;
    function more() {
      list.slice(shown, shown + PAGE).forEach(function (i) { ul.appendChild(meetingItem(i, self)); });
      shown = Math.min(list.length, shown + PAGE);
      if (shown < list.length) {
        var b = el('button', 'button', 'عرض ' + (list.length - shown) + ' لقاءً آخر');
        b.type = 'button';
        b.addEventListener('click', function () { b.remove(); more(); });
        target.appendChild(b);
      }
    }
    target.appendChild(ul);
    more();
  }
  function section(title, values) {
    if (!values || !values.length) return;
    panel.appendChild(el('h3', '', title));
    var ul = el('ul', 'plain');
    values.forEach(function (v) { ul.appendChild(el('li', '', v)); });
    panel.appendChild(ul);
  }
  function byDateDesc(a, b) {
    var da = MEETINGS[a].date || '', db = MEETINGS[b].date || '';
    return da < db ? 1 : da > db ? -1 : a - b;
  }
  function filterNote(all, shown) {
    return FILTER.meetings && shown !== all ? ' (' + shown + ' من ' + all + ' بعد التصفية)' : '';
  }

  function showNode(i) {
    panelState = {kind: 'node', id: i};
    var n = NODES[i];
    clear(panel);
    panel.appendChild(el('div', 'kind-tag', KIND_LABEL[n.kind] || n.kind));
    var h = el('h2'), sw = el('span', 'swatch');
    sw.style.background = colourOf(n);
    h.appendChild(sw); h.appendChild(el('span', '', n.label));
    panel.appendChild(h);
    if (n.cc || n.country) panel.appendChild(el('div', 'muted', (n.country || COUNTRY_NAME[n.cc] || '') + (n.cc ? ' (' + n.cc + ')' : '')));
    section('الأسماء', n.names.length > 1 ? n.names : []);
    section('المناصب', n.titles);
    section('الجهة', n.orgs);
    if (n.kind === 'person') {
      var list = shownMeetings(PERSON_MEETINGS[i]).sort(byDateDesc);
      panel.appendChild(el('h3', '', 'اللقاءات: ' + n.meetings + filterNote(PERSON_MEETINGS[i].length, list.length)));
      if (!list.length) panel.appendChild(el('p', 'hint', 'لا لقاءات مسجلة.'));
      meetingList(panel, list, i);
    } else {
      var linked = NEIGHBOURS[i].map(function (e) { return EDGES[e].a === i ? EDGES[e].b : EDGES[e].a; })
        .filter(function (p) { return NODES[p].kind === 'person'; })
        .sort(function (a, b) { return NODES[b].meetings - NODES[a].meetings; });
      panel.appendChild(el('h3', '', 'الأشخاص المرتبطون: ' + linked.length));
      var ul = el('ul', 'plain');
      linked.forEach(function (p) { var li = el('li'); li.appendChild(personButton(p)); ul.appendChild(li); });
      panel.appendChild(ul);
    }
  }
  function showEdge(i) {
    var e = EDGES[i];
    if (e.k !== 'met') { showNode(NODES[e.a].kind === 'person' ? e.b : e.a); return; }
    panelState = {kind: 'edge', id: i};
    clear(panel);
    panel.appendChild(el('div', 'kind-tag', 'صلة'));
    var h = el('h2');
    h.appendChild(personButton(e.a)); h.appendChild(document.createTextNode(' — ')); h.appendChild(personButton(e.b));
    panel.appendChild(h);
    var list = shownMeetings(e.m).sort(byDateDesc);
    panel.appendChild(el('h3', '', 'اللقاءات: ' + e.m.length + filterNote(e.m.length, list.length)));
    if (!e.m.length) panel.appendChild(el('p', 'hint', 'صلة مسجلة دون تفاصيل لقاء.'));
    meetingList(panel, list, undefined);
  }
  function showOverview() {
    panelState = {kind: 'overview'};
    clear(panel);
    panel.appendChild(el('h2', '', 'التفاصيل'));
    panel.appendChild(el('p', 'hint', 'انقر على شخص لعرض أسمائه ومناصبه ولقاءاته، أو على خط لعرض اللقاءات بين شخصين مع الجملة التي وردت فيها ورابط المقال.'));
    var top = NODES.map(function (n, i) { return i; })
      .filter(function (i) { return NODES[i].kind === 'person' && !hiddenNode[i] && NODES[i].meetings > 0; })
      .sort(function (a, b) { return NODES[b].meetings - NODES[a].meetings || (NODES[a].label < NODES[b].label ? -1 : 1); })
      .slice(0, 12);
    if (top.length) {
      panel.appendChild(el('h3', '', 'الأكثر لقاءات'));
      var ul = el('ul', 'plain');
      top.forEach(function (i) {
        var li = el('li');
        li.appendChild(personButton(i));
        li.appendChild(el('span', 'muted', ' — ' + NODES[i].meetings));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
  }
  function refreshPanel() {
    if (panelState.kind === 'node') showNode(panelState.id);
    else if (panelState.kind === 'edge') showEdge(panelState.id);
    else showOverview();
  }
  function focusNode(i) {
    network.selectNodes([i]);
    network.focus(i, {scale: Math.max(network.getScale(), 0.9), animation: {duration: 350, easingFunction: 'easeInOutQuad'}});
    showNode(i);
  }

  // ------------------------------------------------------------------ tooltip
  var tip = byId('tooltip');
  function showTip(content, pointer) {
    clear(tip);
    tip.appendChild(content);
    tip.hidden = false;
    var wrap = container.getBoundingClientRect(), w = tip.offsetWidth, h = tip.offsetHeight;
    var x = Math.min(Math.max(8, pointer.x + 14), wrap.width - w - 8), y = pointer.y + 14;
    if (y + h > wrap.height - 8) y = Math.max(8, pointer.y - h - 14);
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
  }
  function hideTip() { tip.hidden = true; }
  function truncate(text, size) { return text.length > size ? text.slice(0, size - 1) + '…' : text; }
  network.on('hoverNode', function (p) {
    var n = NODES[p.node], box = el('div');
    box.appendChild(el('div', 't-title', n.label));
    if (n.titles.length) box.appendChild(el('div', '', n.titles[0]));
    if (n.country) box.appendChild(el('div', 'muted', n.country));
    if (n.kind === 'person') box.appendChild(el('div', 'muted', 'اللقاءات: ' + n.meetings));
    showTip(box, p.pointer.DOM);
  });
  network.on('hoverEdge', function (p) {
    var e = EDGES[p.edge], box = el('div');
    if (e.k !== 'met') {
      box.appendChild(el('div', '', NODES[e.a].label + ' ← ' + NODES[e.b].label));
      showTip(box, p.pointer.DOM);
      return;
    }
    var list = shownMeetings(e.m).sort(byDateDesc);
    box.appendChild(el('div', 't-title', NODES[e.a].label + ' — ' + NODES[e.b].label));
    box.appendChild(el('div', 'muted', 'اللقاءات: ' + list.length));
    list.slice(0, 5).forEach(function (i) {
      var m = MEETINGS[i], line = el('div', 't-line');
      line.appendChild(el('div', '', (m.date ? '\u2066' + m.date + '\u2069' : 'تاريخ غير معروف') + (m.place ? ' · ' + m.place : '') +
        (m.topics.length ? ' · ' + m.topics.map(function (t) { return TOPICS[t]; }).join('، ') : '')));
      var ev = m.evidence.filter(function (x) { return x.text; })[0];
      if (ev) line.appendChild(el('div', 'muted', '«' + truncate(ev.text, 160) + '» — ' + (ev.article || '')));
      box.appendChild(line);
    });
    if (list.length > 5) box.appendChild(el('div', 'muted', 'و' + (list.length - 5) + ' لقاءات أخرى'));
    box.appendChild(el('div', 'muted small', 'انقر لعرض الروابط والتفاصيل'));
    showTip(box, p.pointer.DOM);
  });
  ['blurNode', 'blurEdge', 'dragStart', 'zoom'].forEach(function (name) { network.on(name, hideTip); });
  network.on('click', function (p) {
    hideTip();
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else showOverview();
  });

  // ------------------------------------------------------------------ search
  var search = byId('search'), results = byId('search-results'), info = byId('search-info'), timer = null;
  function runSearch(jump) {
    var q = norm(search.value);
    clear(results); info.textContent = '';
    if (!q) { network.unselectAll(); return []; }
    var found = [];
    SEARCH_KEYS.forEach(function (keys, i) {
      if (keys.some(function (k) { return k.indexOf(q) >= 0; })) found.push(i);
    });
    found.sort(function (a, b) { return (NODES[a].kind !== 'person') - (NODES[b].kind !== 'person') || NODES[b].meetings - NODES[a].meetings; });
    info.textContent = found.length ? found.length + ' نتيجة' : 'لا نتيجة';
    info.dataset.query = q;  // which query the list shows (tests wait on it)
    found.slice(0, 30).forEach(function (i) {
      var li = el('li');
      li.appendChild(personButton(i));
      var extra = [NODES[i].country, NODES[i].kind === 'person' ? NODES[i].meetings + ' لقاء' : KIND_LABEL[NODES[i].kind]]
        .filter(Boolean).join(' · ');
      li.appendChild(el('span', 'muted small', ' ' + extra));
      if (hiddenNode[i]) li.appendChild(el('span', 'muted small', ' (مخفي بالتصفية)'));
      results.appendChild(li);
    });
    network.selectNodes(found.filter(function (i) { return !hiddenNode[i]; }));
    if (found.length === 1 && jump) focusNode(found[0]);
    else if (found.length && found.length <= 40 && jump) {
      var shown = found.filter(function (i) { return !hiddenNode[i]; });
      if (shown.length) network.fit({nodes: shown, animation: {duration: 350, easingFunction: 'easeInOutQuad'}});
    }
    return found;
  }
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { runSearch(true); }, 150); });
  search.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { clearTimeout(timer); runSearch(true); } });

  byId('reset').addEventListener('click', function () {
    search.value = ''; clear(results); info.textContent = '';
    if (DATA.years.length) { yearFrom.value = String(DATA.years[0]); yearTo.value = String(DATA.years[DATA.years.length - 1]); }
    countrySel.value = ''; topicSel.value = '';
    if (layerOrg) layerOrg.checked = true;
    if (layerCountry) layerCountry.checked = true;
    applyFilters(false);
    network.unselectAll();
    hideTip();
    showOverview();
    network.fit({animation: false});
  });

  applyFilters(false);
  showOverview();
  window.majlis = {network: network, nodes: nodes, edges: edges, data: DATA, normalize: norm, search: runSearch,
                   applyFilters: applyFilters, showNode: showNode, showEdge: showEdge};
})();
"""
