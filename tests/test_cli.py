"""The majlis command, run in-process through main(argv) and twice as the installed entry point.

Most tests swap the spaCy extractor for a small fake (fast, and the CLI's behaviour is what is
under test); test_build_on_the_seeds_with_the_real_pipeline runs the whole chain.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import queries
from extract.serialize import triple_to_json, triple_to_json_line
from extract.types import (
    ATTENDEE,
    CONFIDENCE,
    MEETING,
    NAME,
    PERSON,
    ArticleResult,
    Evidence,
    Node,
    Triple,
)
from majlis import cli
from majlis.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Invented officials and invented news in the genre.
SALIM, KAMAL, HIND = "سليم الورداني", "كمال بن عيسى", "هند المراكشي"
ARTICLE_1 = (f"استقبل وزير الداخلية {SALIM}، اليوم الثلاثاء بالرباط، نظيره التونسي {KAMAL}.\n"
             "وتباحث الجانبان سبل تعزيز التعاون الأمني.")
ARTICLE_2 = f"أجرى المدير العام للأمن الوطني {HIND} مباحثات مع {KAMAL} حول مكافحة الإرهاب."
SUMMARY = re.compile(
    r"^majlis: (\d+) articles \((\d+) rejected\), \d+ persons, \d+ meetings, \d+ triples in \d+\.\d s$")


class FakeExtractor:
    """Finds the invented names; every article naming two of them reports one meeting."""

    created = 0

    def __init__(self) -> None:
        FakeExtractor.created += 1

    def extract(self, article) -> ArticleResult:
        names = [n for n in (SALIM, KAMAL, HIND) if n in article.text]
        evidence = (Evidence(article.id, 0, 0, len(article.text), article.text),)
        triples = [Triple(Node(PERSON, n), NAME, n, evidence) for n in names]
        if len(names) >= 2:
            meeting = Node(MEETING, f"{article.id}/1")
            triples += [Triple(meeting, ATTENDEE, Node(PERSON, n), evidence, 0.9) for n in names]
            triples.append(Triple(meeting, CONFIDENCE, 0.9, evidence, 0.9))
        return ArticleResult(article, tuple(triples))


@pytest.fixture
def real_pipeline():
    """A test that asks for this fixture runs the real spaCy extractor."""


@pytest.fixture(autouse=True)
def fake_extractor(request, monkeypatch):
    if "real_pipeline" in request.fixturenames:
        return None
    # cli imports extract.pipeline inside `build`, so a module in sys.modules stands in for it.
    module = types.ModuleType("extract.pipeline")
    module.Extractor = FakeExtractor
    monkeypatch.setitem(sys.modules, "extract.pipeline", module)
    FakeExtractor.created = 0
    return FakeExtractor


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "news"
    write(folder / "n1.txt", ARTICLE_1)
    write(folder / "n2.txt", ARTICLE_2)
    return folder


@pytest.fixture
def built_graph(tmp_path, articles, capsys) -> Path:
    path = tmp_path / "out" / "graph.ttl"
    assert run(capsys, "build", articles, "-o", path, "-q")[0] == 0
    return path


def one_line(err: str) -> str:
    """stderr must be exactly one line; return it."""
    assert err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert "Traceback" not in err
    return err.rstrip("\n")


# --- help -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["query", "--help"], ["network", "--help"],
                                  ["export", "--help"], ["evaluate", "--help"]])
def test_every_command_has_help_with_an_example(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == ""
    assert "example" in out and "majlis " in out.split("example")[1]


def test_query_help_shows_an_arabic_parameter(capsys):
    assert "--param person=حموشي" in run(capsys, "query", "--help")[1]


@pytest.mark.parametrize("argv", [
    [],                                                   # no command
    ["fly"],                                              # unknown command
    ["build", "seeds"],                                   # -o missing
    ["query", "who-met-whom", "-g", "g.ttl", "--param", "person"],  # not KEY=VALUE
    ["query", "who-met-whom", "-g", "g.ttl", "--format", "xml"],
    ["query", "who-met-whom"],                            # -g missing
    ["query", "who-met-whom", "-g", "g.ttl", "--param", "a=1", "--param", "a=2"],
    ["network", "-g", "g.ttl", "-o", "n.html", "--with", "planets"],
    ["network", "-g", "g.ttl", "-o", "n.html", "--png", "n.jpg"],
])
def test_usage_errors_exit_2(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "usage: majlis" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# --- build ------------------------------------------------------------------------------------------

def test_build_writes_the_graph_and_prints_the_table_and_a_summary(capsys, tmp_path, articles):
    graph, triples = tmp_path / "out" / "graph.ttl", tmp_path / "out" / "triples.jsonl"
    code, out, err = run(capsys, "build", articles, "-o", graph, "--triples", triples)
    assert code == 0
    assert SUMMARY.match(one_line(err)).groups() == ("2", "0")
    assert SALIM in out and KAMAL in out and HIND in out
    assert graph.read_text(encoding="utf-8").startswith("PREFIX ")
    lines = [json.loads(line) for line in triples.read_text(encoding="utf-8").splitlines()]
    assert {line["evidence"][0]["article"] for line in lines} == {"n1", "n2"}
    assert SALIM in triples.read_text(encoding="utf-8")  # Arabic as is, not \u escapes


def test_build_quiet_prints_nothing(capsys, tmp_path, articles):
    assert run(capsys, "build", articles, "-o", tmp_path / "g.ttl", "--quiet") == (0, "", "")


def test_build_defaults_to_the_seeds_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "seeds" / "s1.txt", ARTICLE_1)
    assert run(capsys, "build", "-o", "out/graph.ttl", "-q")[0] == 0
    assert (tmp_path / "out" / "graph.ttl").is_file()


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nt", ".jsonld"])
def test_build_twice_gives_identical_files(capsys, tmp_path, articles, suffix):
    for name in ("a", "b"):
        run(capsys, "build", articles, "-o", tmp_path / f"{name}{suffix}",
            "--triples", tmp_path / f"{name}.jsonl", "-q")
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_build_cleans_bom_crlf_and_html_before_extraction(capsys, tmp_path):
    folder = tmp_path / "news"
    write(folder / "bom.txt", ("\ufeff" + ARTICLE_1).replace("\n", "\r\n"))
    write(folder / "page.txt", f"<html><body><script>x()</script><p>{ARTICLE_2}</p></body></html>")
    triples = tmp_path / "t.jsonl"
    assert run(capsys, "build", folder, "-o", tmp_path / "g.ttl", "--triples", triples, "-q")[0] == 0
    evidence = {json.loads(line)["evidence"][0]["article"]: json.loads(line)["evidence"][0]
                for line in triples.read_text(encoding="utf-8").splitlines()}
    assert evidence["bom"]["text"] == ARTICLE_1 and evidence["bom"]["start"] == 0
    assert evidence["page"]["text"] == ARTICLE_2


def test_build_skips_a_bad_article_and_goes_on(capsys, tmp_path, articles):
    bad = write(articles / "n3.txt", "الداخلية".encode("cp1256"))
    graph = tmp_path / "g.ttl"
    code, out, err = run(capsys, "build", articles, "-o", graph)
    assert code == 0 and graph.is_file()
    skipped, summary = err.splitlines()
    assert skipped == f"majlis: skipped {bad}: not UTF-8 text (byte 0xc7 at offset 0)"
    assert SUMMARY.match(summary).groups() == ("2", "1")


def test_build_with_only_bad_articles_writes_nothing(capsys, tmp_path):
    bad = write(tmp_path / "news" / "empty.txt", "  \n")
    graph = tmp_path / "g.ttl"
    code, out, err = run(capsys, "build", bad, "-o", graph)
    assert code == 1 and not graph.exists()
    assert err.splitlines() == [f"majlis: skipped {bad}: empty: whitespace only",
                                "majlis: no articles to build from (1 rejected)"]


def cp1256() -> bytes:
    return ("وزير " + "الداخلية").encode("cp1256")


# (file name, content, the source named on stderr (relative to the folder), reason)
BAD_INPUTS = [
    ("x.txt", cp1256(), "x.txt", "not UTF-8 text (byte 0xe6 at offset 0)"),
    ("x.txt", "Sécurité".encode("latin-1"), "x.txt", "not UTF-8 text (byte 0xe9 at offset 1)"),
    ("x.txt", "وزير".encode() + b"\x00" + "الأمن".encode(), "x.txt", "binary content, not text (NUL byte at offset 8)"),
    ("x.txt", bytes(range(256)), "x.txt", "binary content, not text (NUL byte at offset 0)"),
    ("x.txt", b"", "x.txt", "empty: no text"),
    ("x.txt", b"\n \t\n", "x.txt", "empty: whitespace only"),
    ("feed.jsonl", '{"id": "j1", "text": "نص"}\n{"id": \n', "feed.jsonl:2",
     "line is not JSON (Expecting value at column 8)"),
    ("feed.jsonl", '{"text": "نص"}\n', "feed.jsonl:1", 'missing "id"'),
    ("feed.jsonl", '{"id": "j1"}\n', "feed.jsonl:1", 'missing "text"'),
    ("feed.jsonl", '{"id": "j1", "text": "نص", "published": "2024-13-01"}\n', "feed.jsonl:1",
     'bad "published" date "2024-13-01" (expected YYYY-MM-DD)'),
    ("feed.jsonl", '{"id": "j1", "text": "نص"}\n{"id": "j1", "text": "نص آخر"}\n', "feed.jsonl:2",
     'duplicate id "j1" (first read in {folder}/feed.jsonl:1)'),
]


@pytest.mark.parametrize("name, content, source, reason", BAD_INPUTS)
def test_build_strict_stops_at_a_bad_article_and_writes_nothing(capsys, tmp_path, name, content, source, reason):
    folder = tmp_path / "news"
    write(folder / "a_good.txt", ARTICLE_1)
    write(folder / name, content)
    out = tmp_path / "out"
    graph, triples, page = out / "graph.ttl", out / "triples.jsonl", out / "n.html"
    write(graph, "previous graph")
    code, out, err = run(capsys, "build", folder, "-o", graph, "--triples", triples, "--html", page, "--strict")
    assert code == 1 and out == ""
    assert one_line(err) == f"majlis: {folder}/{source}: {reason.format(folder=folder)} (--strict: nothing written)"
    assert graph.read_text() == "previous graph"
    assert sorted(p.name for p in graph.parent.iterdir()) == ["graph.ttl"]  # no triples, page or temporary


@pytest.mark.parametrize("argv, message", [
    (["build", "{tmp}/missing", "-o", "{tmp}/out/g.ttl"], "majlis: {tmp}/missing: no such file or folder"),
    (["build", "{tmp}/news.csv", "-o", "{tmp}/out/g.ttl"], "majlis: {tmp}/news.csv: not a .txt or .jsonl file"),
    (["build", "{tmp}/a.txt", "-o", "{tmp}/out/g.xml"],
     "majlis: {tmp}/out/g.xml: unknown graph format '.xml' (use .ttl, .trig, .nt, .jsonld)"),
])
def test_build_refuses_bad_paths_before_loading_the_pipeline(capsys, tmp_path, argv, message):
    write(tmp_path / "a.txt", ARTICLE_1)
    write(tmp_path / "news.csv", "id,text\n")
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 1
    assert one_line(err) == message.format(tmp=tmp_path)
    assert FakeExtractor.created == 0
    assert not (tmp_path / "out").exists()


def test_build_with_an_unreadable_file_is_one_line_and_writes_nothing(capsys, tmp_path, articles, monkeypatch):
    locked = write(articles / "n3.txt", ARTICLE_2)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    out = tmp_path / "out"
    code, _, err = run(capsys, "build", articles, "-o", out / "g.ttl", "--triples", out / "t.jsonl")
    assert code == 1
    assert one_line(err) == f"majlis: {locked}: cannot read: Permission denied"
    assert list(out.iterdir()) == []  # the triples file was under way: its temporary is gone too


def test_build_writes_all_outputs_or_none(capsys, tmp_path, articles, monkeypatch):
    import graph.render

    def broken_page(G, path):
        Path(path).write_text("<html>half")
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(graph.render, "write_html", broken_page)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="renderer bug"):  # a bug keeps its traceback
        main(["build", str(articles), "-o", str(out / "g.ttl"), "--triples", str(out / "t.jsonl"),
              "--html", str(out / "n.html")])
    assert list(out.iterdir()) == []


def test_build_writes_the_network_page(capsys, tmp_path, articles):
    page = tmp_path / "out" / "network.html"
    assert run(capsys, "build", articles, "-o", tmp_path / "out" / "g.ttl", "--html", page, "-q")[0] == 0
    html = page.read_text(encoding="utf-8")
    assert SALIM in html and KAMAL in html


def test_ctrl_c_is_one_line_and_exit_130(capsys, tmp_path, articles, monkeypatch):
    def interrupt(self, article):
        raise KeyboardInterrupt

    monkeypatch.setattr(FakeExtractor, "extract", interrupt)
    code, out, err = run(capsys, "build", articles, "-o", tmp_path / "g.ttl")
    assert code == 130 and one_line(err) == "majlis: interrupted"
    assert not (tmp_path / "g.ttl").exists()


def test_build_on_the_seeds_with_the_real_pipeline(capsys, tmp_path, real_pipeline):
    graph = tmp_path / "graph.ttl"
    code, out, err = run(capsys, "build", SEEDS, "-o", graph, "--triples", tmp_path / "t.jsonl")
    assert code == 0
    articles, rejected = SUMMARY.match(err.splitlines()[-1]).groups()
    assert (articles, rejected) == (str(len(list(SEEDS.glob("*.txt")))), "0")
    assert "حموشي" in out  # the who-met-whom table names the seeds' best-known official
    assert graph.stat().st_size > 1000


# --- query ------------------------------------------------------------------------------------------

@pytest.fixture
def graph_file(built_graph) -> Path:
    return built_graph


def test_query_list_shows_one_line_per_named_query(capsys):
    code, out, err = run(capsys, "query", "--list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(queries.names())
    assert any(line.startswith("who-met-whom") for line in lines)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_by_name_in_each_format(capsys, graph_file, fmt):
    code, out, err = run(capsys, "query", "who-met-whom", "-g", graph_file, "--format", fmt)
    assert code == 0 and err == ""
    assert KAMAL in out
    if fmt == "json":
        json.loads(out)


def test_query_with_an_arabic_parameter(capsys, graph_file):
    code, out, err = run(capsys, "query", "who-met-whom", "-g", graph_file, "--param", f"person={HIND}")
    assert code == 0 and err == ""
    assert HIND in out and KAMAL in out and SALIM not in out


def test_query_from_text_and_from_a_file(capsys, tmp_path, graph_file):
    sparql = "SELECT ?name WHERE { ?p a <https://schema.org/Person> ; <https://schema.org/name> ?name }"
    rq = write(tmp_path / "people.rq", sparql + "\n")
    for query in (sparql, rq):
        code, out, err = run(capsys, "query", query, "-g", graph_file, "--format", "csv")
        assert code == 0 and all(n in out for n in (SALIM, KAMAL, HIND))


@pytest.mark.parametrize("argv, message", [
    (["query", "SELECT ?x WHERE { ?x ?y", "-g", "GRAPH"], "majlis: malformed SPARQL: "),
    (["query", "who-met-whoom", "-g", "GRAPH"], "majlis: unknown query 'who-met-whoom' (did you mean 'who-met-whom'?)"),
    (["query", "who-met-whom", "-g", "GRAPH", "--param", "colour=أحمر"],
     "majlis: unknown parameter 'colour' for query who-met-whom (it takes person)"),
    (["query", "TMP/missing.rq", "-g", "GRAPH"], "majlis: TMP/missing.rq: no such file"),
])
def test_query_errors_are_one_line(capsys, tmp_path, graph_file, argv, message):
    argv = [a.replace("GRAPH", str(graph_file)).replace("TMP", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert one_line(err).startswith(message.replace("TMP", str(tmp_path)))


@pytest.mark.parametrize("content, expected", [
    (None, "majlis: {path}: no such file"),
    ("<http://a> <http://b> .\n", "majlis: {path}: cannot parse Turtle: line 1 "),
])
def test_query_on_a_missing_or_broken_graph_is_one_line(capsys, tmp_path, content, expected):
    path = tmp_path / "graph.ttl"
    if content is not None:
        write(path, content)
    code, out, err = run(capsys, "query", "who-met-whom", "-g", path)
    assert code == 1 and out == ""
    assert one_line(err).startswith(expected.format(path=path))


# --- network, export, evaluate ------------------------------------------------------------------

def test_network_writes_the_page(capsys, tmp_path, graph_file):
    page = tmp_path / "net" / "page.html"
    assert run(capsys, "network", "-g", graph_file, "-o", page, "--with", "agencies,countries") == (0, "", "")
    assert KAMAL in page.read_text(encoding="utf-8")


def test_network_writes_a_picture(capsys, tmp_path, graph_file):
    pytest.importorskip("matplotlib")
    page, picture = tmp_path / "page.html", tmp_path / "page.png"
    assert run(capsys, "network", "-g", graph_file, "-o", page, "--png", picture)[0] == 0
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_network_on_a_missing_graph_writes_nothing(capsys, tmp_path):
    code, out, err = run(capsys, "network", "-g", tmp_path / "none.ttl", "-o", tmp_path / "page.html")
    assert code == 1 and one_line(err) == f"majlis: {tmp_path / 'none.ttl'}: no such file"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".trig", ".nt", ".jsonld", ".ttl"])
def test_export_converts_and_round_trips(capsys, tmp_path, graph_file, suffix):
    from rdflib.compare import isomorphic

    from graph import io

    target = tmp_path / f"copy{suffix}"
    assert run(capsys, "export", "-g", graph_file, "-o", target) == (0, "", "")
    assert isomorphic(io._union(io.load(target)), io._union(io.load(graph_file)))


def test_export_to_an_unknown_format_is_one_line(capsys, tmp_path, graph_file):
    target = tmp_path / "copy.rdf"
    code, out, err = run(capsys, "export", "-g", graph_file, "-o", target)
    assert code == 1 and "unknown graph format '.rdf'" in one_line(err)
    assert not target.exists()


def test_export_keeps_the_previous_file_when_the_input_is_broken(capsys, tmp_path):
    broken = write(tmp_path / "in.nt", "<http://a> <http://b> \n")
    target = write(tmp_path / "out.ttl", "previous")
    code, out, err = run(capsys, "export", "-g", broken, "-o", target)
    assert code == 1 and one_line(err).startswith(f"majlis: {broken}: cannot parse N-Triples: line ")
    assert target.read_text() == "previous"


def test_evaluate_prints_the_report(capsys, tmp_path, graph_file, monkeypatch):
    module = types.ModuleType("graph.evaluate")
    module.main_report = lambda graph, gold, verbose: f"F1 0.50 ({len(graph)} triples, {Path(gold).name}, {verbose})"
    monkeypatch.setitem(sys.modules, "graph.evaluate", module)
    gold = write(tmp_path / "gold.json", "{}")
    code, out, err = run(capsys, "evaluate", gold, "-g", graph_file, "-v")
    assert code == 0 and out.startswith("F1 0.50") and "gold.json, True" in out


def test_evaluate_with_a_missing_gold_file_is_one_line(capsys, tmp_path, graph_file, monkeypatch):
    module = types.ModuleType("graph.evaluate")
    module.main_report = lambda graph, gold, verbose: ""
    monkeypatch.setitem(sys.modules, "graph.evaluate", module)
    code, out, err = run(capsys, "evaluate", tmp_path / "gold.json", "-g", graph_file)
    assert code == 1 and one_line(err) == f"majlis: {tmp_path / 'gold.json'}: no such file"


# --- the installed command ---------------------------------------------------------------------------

ENTRY_POINT = Path(sys.executable).with_name("majlis")
needs_entry_point = pytest.mark.skipif(not ENTRY_POINT.exists(), reason="majlis is not installed: run `make test`")


@needs_entry_point
def test_installed_command_reports_a_missing_file_in_one_line(tmp_path):
    done = subprocess.run([ENTRY_POINT, "build", tmp_path / "missing", "-o", tmp_path / "g.ttl"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert one_line(done.stderr) == f"majlis: {tmp_path / 'missing'}: no such file or folder"


@needs_entry_point
def test_installed_command_builds_a_graph(tmp_path):
    news = write(tmp_path / "news" / "n1.txt", ARTICLE_1)
    graph = tmp_path / "out" / "graph.ttl"
    done = subprocess.run([ENTRY_POINT, "build", news, "-o", graph, "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert graph.read_text(encoding="utf-8").startswith("PREFIX ")


# --- the progress line ----------------------------------------------------------------------------

class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_is_redrawn_in_place_on_a_terminal_and_cleared(monkeypatch):
    clock = iter([10.5, 10.52, 11.0])
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    stream = Terminal(tty=True)
    progress = cli._Progress(stream, started=10.0)
    progress.show("1 articles read (0 rejected)")   # at 10.5
    progress.show("2 articles read (0 rejected)")   # at 10.52: too soon to redraw
    progress.show("3 articles read (1 rejected)")   # at 11.0
    progress.clear()
    text = stream.getvalue()
    assert text.startswith("\rmajlis: 1 articles read (0 rejected)\rmajlis: 3 articles read (1 rejected)")
    assert "2 articles" not in text and "\n" not in text
    assert text.endswith("\r" + " " * len("majlis: 3 articles read (1 rejected)") + "\r")


def test_progress_in_a_log_is_a_line_every_ten_seconds_of_a_long_run(monkeypatch):
    clock = iter([1.0, 5.0, 12.0, 15.0, 23.0])
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    stream = Terminal(tty=False)
    progress = cli._Progress(stream, started=0.0)
    for n in range(1, 6):
        progress.show(f"{n} articles read (0 rejected)")
    progress.clear()
    assert stream.getvalue() == "majlis: 3 articles read (0 rejected)\nmajlis: 5 articles read (0 rejected)\n"


def test_quiet_progress_writes_nothing():
    stream = Terminal(tty=True)
    progress = cli._Progress(stream, started=0.0, enabled=False)
    progress.show("1 articles read (0 rejected)")
    progress.clear()
    assert stream.getvalue() == ""


# --- --triples lines (extract.serialize) ----------------------------------------------------------

EVIDENCE = Evidence("n1", 0, 0, len(ARTICLE_1.splitlines()[0]), ARTICLE_1.splitlines()[0])


@pytest.mark.parametrize("obj, expected", [
    (Node(PERSON, KAMAL), {"kind": "person", "key": KAMAL}),
    ("وزير الداخلية", {"literal": "وزير الداخلية", "type": "string"}),
    (dt.date(2024, 6, 25), {"literal": "2024-06-25", "type": "date"}),
    (0.9, {"literal": 0.9, "type": "float"}),
])
def test_triple_to_json_tags_each_kind_of_object(obj, expected):
    record = triple_to_json(Triple(Node(PERSON, SALIM), "relation", obj, (EVIDENCE,), 0.75))
    assert list(record) == ["subject", "relation", "object", "confidence", "evidence"]
    assert record["subject"] == {"kind": "person", "key": SALIM}
    assert record["object"] == expected
    assert record["confidence"] == 0.75
    assert record["evidence"] == [{"article": "n1", "sentence": 0, "start": 0, "end": EVIDENCE.end,
                                   "text": EVIDENCE.text}]


@pytest.mark.parametrize("obj", [dt.datetime(2024, 6, 25, 10, 0), True, None, ["x"]])
def test_triple_to_json_refuses_what_is_not_a_value(obj):
    with pytest.raises(TypeError):
        triple_to_json(Triple(Node(PERSON, SALIM), NAME, obj))


def test_a_triple_line_is_one_line_of_readable_arabic():
    line = triple_to_json_line(Triple(Node(PERSON, SALIM), NAME, SALIM + "\nسطر", (EVIDENCE,)))
    assert "\n" not in line and SALIM in line
    assert json.loads(line)["object"]["literal"] == SALIM + "\nسطر"


def test_evaluate_with_a_broken_gold_file_is_one_line(capsys, tmp_path, graph_file):
    gold = write(tmp_path / "gold.json", "{not json")
    code, out, err = run(capsys, "evaluate", gold, "-g", graph_file)
    assert code == 1 and out == ""
    assert one_line(err).startswith(f"majlis: {gold}: ")
