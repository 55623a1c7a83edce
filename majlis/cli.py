"""The `majlis` command: the only module that joins extract/, graph/ and queries/.

Every subcommand is a small function `(args) -> exit code`. Problems with the user's input
(MajlisError, QueryError, OSError on a file) become one line `majlis: <message>` and exit
code 1; usage errors exit 2 (argparse); anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import textwrap
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

import queries
from extract.errors import MajlisError
from extract.reader import Rejected, read_articles
from extract.serialize import triple_to_json_line
from extract.types import ArticleResult
from graph import io as graph_io

PROG = "majlis"
WHO_MET_WHOM = "who-met-whom"
QUERY_FORMATS = ("table", "csv", "json")
PICTURE_SUFFIXES = (".png", ".svg")  # what graph.render.write_picture draws

log = logging.getLogger(PROG)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(format=f"{PROG}: %(message)s", level=logging.WARNING)
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except SystemExit as exit_:  # --help and usage errors (code 2), returned so tests can call main()
        return exit_.code if isinstance(exit_.code, int) else 1
    except (MajlisError, queries.QueryError) as e:
        return _fail(str(e))
    except BrokenPipeError:  # `majlis query ... | head` closed the pipe: nothing worth reporting
        _silence_stdout()
        return 1
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        return _fail(f"{where}{e.strerror or e}")
    except KeyboardInterrupt:
        return _fail("interrupted", code=130)


def build_parser() -> argparse.ArgumentParser:
    parser = _parser(
        argparse.ArgumentParser, prog=PROG,
        description="Turn Arabic news about security diplomacy into a knowledge graph of officials, "
                    "agencies and meetings, and query it.",
        epilog="examples:\n"
               "  majlis build seeds -o out/graph.ttl --html out/network.html\n"
               "  majlis query who-met-whom -g out/graph.ttl --param person=حموشي\n"
               "  majlis query --list\n"
               "  majlis network -g out/graph.ttl -o out/network.html --with agencies,countries\n"
               "  majlis export -g out/graph.ttl -o out/graph.trig\n"
               "  majlis serve -g out/graph.ttl --port 8000\n"
               "Run `majlis COMMAND --help` for the options of each command.")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", required=True)
    _add_build(commands)
    _add_add(commands)
    _add_query(commands)
    _add_network(commands)
    _add_export(commands)
    _add_evaluate(commands)
    _add_push(commands)
    _add_serve(commands)
    return parser


def _parser(factory: Callable[..., argparse.ArgumentParser], description: str, **kwargs) -> argparse.ArgumentParser:
    # Raw formatting keeps the examples in the epilogs on their own lines; the prose is wrapped here.
    return factory(formatter_class=argparse.RawDescriptionHelpFormatter,
                   description=textwrap.fill(description, 80), **kwargs)


def _fail(message: str, code: int = 1) -> int:
    _say(message)
    return code


def _silence_stdout() -> None:
    # Python flushes stdout again at exit, which would raise a second BrokenPipeError.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


# --- build ----------------------------------------------------------------------------------------

def _add_build(commands) -> None:
    p = _parser(
        commands.add_parser, name="build", help="read articles and write the knowledge graph",
        description="Read articles (.txt files, .jsonl files or folders of them), extract who met whom, "
                    "and write the graph. Prints the who-met-whom table unless --quiet.",
        epilog="examples:\n"
               "  majlis build seeds -o out/graph.ttl --html out/network.html\n"
               "  majlis build feed.jsonl more/ -o out/graph.trig --triples out/triples.jsonl --strict\n"
               "  majlis build archive/ --store out/store --jobs 2\n"
               "The graph format follows the extension: .ttl, .trig, .nt or .jsonld.")
    p.add_argument("paths", nargs="*", type=Path, default=[Path("seeds")], metavar="PATH",
                   help="a .txt file (one article), a .jsonl file (one article per line) or a folder "
                        "of them (default: seeds/)")
    p.add_argument("-o", "--output", type=Path, metavar="GRAPH",
                   help="where to write the graph, e.g. out/graph.ttl (required unless --store)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="also add the articles to a persistent store (created if missing); see `majlis add`")
    _add_extraction_options(p)
    p.add_argument("--html", type=Path, metavar="FILE", help="also write the who-met-whom network page")
    p.add_argument("--triples", type=Path, metavar="FILE",
                   help="also write the extracted triples with their evidence as JSON Lines")
    p.add_argument("--strict", action="store_true",
                   help="stop with exit code 1, writing nothing, if any article is rejected")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only problems: no table, no progress, no summary")
    p.set_defaults(run=_build)


def _build(args: argparse.Namespace) -> int:
    if not args.output and not args.store:
        args.parser.error("-o GRAPH or --store DIR is required")
    if args.output:
        graph_io.require_save_format(args.output)  # before the slow part
    articles = read_articles(args.paths)  # a missing path fails here, before spaCy loads
    from graph.build import build_dataset, counts

    started = time.monotonic()
    tally = _Tally()
    progress = _Progress(sys.stderr, started, enabled=not args.quiet)
    with ExitStack() as outputs:
        outputs.callback(progress.clear)  # so that an error message starts on a clean line
        store = outputs.enter_context(_open_store(args.store)) if args.store else None
        triples_file = outputs.enter_context(_text_output(args.triples)) if args.triples else None
        results = _extract(args, _accepted(articles, tally, progress, strict=args.strict), tally, progress)
        if triples_file:
            results = _tee_triples(results, triples_file)
        results = list(results) if store else results
        dataset = build_dataset(results)
        progress.clear()
        if tally.articles == 0:
            raise MajlisError(f"no articles to build from ({tally.rejected} rejected)")
        if store:
            report = store.add(results)
            if not args.quiet:
                _say(f"store {args.store}: {report.added} added, {report.replaced} replaced, {report.skipped} unchanged")
        if args.html:
            _write_network_page(dataset, args.html, outputs, layers=frozenset())
        if args.output:
            graph_io.save(dataset, args.output)
    if not args.quiet:
        _print_who_met_whom(dataset)
        figures = counts(dataset)
        _say(f"{tally.articles} articles ({tally.rejected} rejected), {figures['persons']} persons, "
             f"{figures['meetings']} meetings, {figures['triples']} triples in {time.monotonic() - started:.1f} s")
    return 0


def _add_extraction_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="extraction processes (default: all cores; small inputs run in one)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="extract on a Dask cluster, e.g. tcp://10.0.0.5:8786 (workers need majlis installed)")
    p.set_defaults(parser=p)


def _open_store(path: Path, read_only: bool = False):
    from graph.store import Store

    return Store.open(path, read_only=read_only)


# Below this many articles a pool of processes costs more than it saves.
PARALLEL_FROM = 200


def _extract(args: argparse.Namespace, articles: Iterator, tally: "_Tally", progress: "_Progress") -> Iterator[ArticleResult]:
    """Extraction here, on worker processes, or on a Dask cluster; results come in input order."""
    from itertools import chain, islice

    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise MajlisError(f"--jobs must be at least 1, not {jobs}")
    head = [] if args.dask else list(islice(articles, PARALLEL_FROM))
    if args.dask:
        from majlis.distributed import extract_on_dask

        results = extract_on_dask(args.dask, articles)
    elif jobs == 1 or (len(head) < PARALLEL_FROM and args.jobs is None):
        from extract.pipeline import Extractor
        from majlis.distributed import freeze_what_lives_on

        extractor = Extractor()
        freeze_what_lives_on()  # a --quiet build of 2,000 articles: 53 s -> 49 s
        results = (extractor.extract(a) for a in chain(head, articles))
    else:
        from majlis.distributed import extract_parallel

        results = extract_parallel(chain(head, articles), jobs)
    for result in results:
        for warning in result.warnings:
            log.info("%s: %s", result.article.id, warning)
        tally.articles += 1
        progress.show(f"{tally.articles} articles read ({tally.rejected} rejected)")
        yield result


@dataclass
class _Tally:
    articles: int = 0
    rejected: int = 0


def _accepted(articles: Iterable, tally: _Tally, progress: _Progress, strict: bool) -> Iterator:
    """The articles the reader could use; each rejected one is reported on one line (or stops --strict)."""
    for item in articles:
        if isinstance(item, Rejected):
            if strict:
                raise MajlisError(f"{item} (--strict: nothing written)")
            tally.rejected += 1
            progress.clear()
            _say(f"skipped {item}")
            continue
        yield item


def _tee_triples(results: Iterable[ArticleResult], out: TextIO) -> Iterator[ArticleResult]:
    for result in results:
        for triple in result.triples:
            out.write(triple_to_json_line(triple) + "\n")
        yield result


class _Progress:
    """A status line on stderr: redrawn in place on a terminal; in a log, a line every 10 s of a long run."""

    REDRAW_EVERY = 0.1
    LOG_EVERY = 10.0

    def __init__(self, stream: TextIO, started: float, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.is_terminal = enabled and stream.isatty()
        self.last_shown = started
        self.width = 0

    def show(self, message: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.is_terminal and (not self.width or now - self.last_shown >= self.REDRAW_EVERY):
            line = f"{PROG}: {message}"
            self.stream.write("\r" + line.ljust(self.width))
            self.stream.flush()
            self.width, self.last_shown = len(line), now
        elif not self.is_terminal and now - self.last_shown >= self.LOG_EVERY:
            self.stream.write(f"{PROG}: {message}\n")
            self.last_shown = now

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


@contextmanager
def _text_output(path: Path) -> Iterator[TextIO]:
    """A text file that appears at `path` only if the whole `with` block succeeds."""
    with graph_io.atomic_path(path) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        yield stream


def _print_who_met_whom(dataset) -> None:
    info = queries.load(WHO_MET_WHOM)
    _print(queries.format_table(queries.run(dataset, info, {})))


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


# --- add ------------------------------------------------------------------------------------------

def _add_add(commands) -> None:
    p = _parser(
        commands.add_parser, name="add", help="add articles to a persistent store, without a rebuild",
        description="Extract articles and merge them into a persistent store (one named graph per article). "
                    "Persons are matched against those already stored; an unchanged article is skipped; a "
                    "changed one replaces its own graph and nothing else.",
        epilog="examples:\n"
               "  majlis add today.jsonl --store out/store\n"
               "  majlis query who-met-whom --store out/store")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="articles: .txt, .jsonl or folders")
    p.add_argument("--store", type=Path, required=True, metavar="DIR", help="the store folder (created if missing)")
    p.add_argument("--strict", action="store_true", help="stop with exit code 1 if any article is rejected")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    _add_extraction_options(p)
    p.set_defaults(run=_add)


def _add(args: argparse.Namespace) -> int:
    articles = read_articles(args.paths)
    started = time.monotonic()
    tally = _Tally()
    progress = _Progress(sys.stderr, started, enabled=not args.quiet)
    with _open_store(args.store) as store:
        results = list(_extract(args, _accepted(articles, tally, progress, strict=args.strict), tally, progress))
        progress.clear()
        report = store.add(results)
    if not args.quiet:
        _say(f"store {args.store}: {report.added} added, {report.replaced} replaced, {report.skipped} unchanged "
             f"({tally.rejected} rejected) in {time.monotonic() - started:.1f} s")
    return 0


def _graph_source(p: argparse.ArgumentParser, required: bool = True) -> None:
    source = p.add_mutually_exclusive_group(required=required)
    source.add_argument("-g", "--graph", type=Path, metavar="GRAPH", help="a graph file (.ttl, .trig, .nt, .jsonld)")
    source.add_argument("--store", type=Path, metavar="DIR", help="a persistent store made by `majlis add`")


def _load_source(args: argparse.Namespace):
    if getattr(args, "store", None):
        with _open_store(args.store, read_only=True) as store:
            return store.as_rdflib()
    return graph_io.load(args.graph)


# --- push -----------------------------------------------------------------------------------------

def _add_push(commands) -> None:
    p = _parser(
        commands.add_parser, name="push", help="publish the graph to a remote triple store",
        description="Write each article's named graph to a SPARQL 1.1 triple store through the Graph Store "
                    "HTTP Protocol (--graph-store) or SPARQL Update (--endpoint). Pushing twice changes nothing.",
        epilog="examples:\n"
               "  majlis push -g out/graph.trig --endpoint http://127.0.0.1:8890/sparql "
               "--graph-store http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --password dba\n"
               "  majlis push --store out/store --endpoint http://127.0.0.1:8890/sparql")
    _graph_source(p)
    p.add_argument("--endpoint", required=True, metavar="URL", help="the SPARQL endpoint")
    p.add_argument("--graph-store", metavar="URL", help="the Graph Store Protocol URL (preferred when given)")
    p.add_argument("--user", metavar="NAME", help="user name for HTTP authentication")
    p.add_argument("--password", metavar="SECRET", help="password for HTTP authentication")
    p.add_argument("--auth", choices=("basic", "digest"), default="digest", help="HTTP authentication scheme")
    p.set_defaults(run=_push)


def _push(args: argparse.Namespace) -> int:
    from graph.push import make_auth, push

    auth = make_auth(args.user, args.password or "", args.auth) if args.user else None
    report = push(_load_source(args), args.endpoint, args.graph_store, auth=auth)
    _say(f"pushed {report.graphs} graphs, {report.triples} triples to {args.graph_store or args.endpoint} "
         f"in {report.seconds:.1f} s")
    return 0


# --- query ----------------------------------------------------------------------------------------

def _add_query(commands) -> None:
    p = _parser(
        commands.add_parser, name="query", help="run a named query, a .rq file or SPARQL text",
        description="Run a SPARQL query against a graph file. QUERY is the name of a shipped query "
                    "(see --list), a .rq file, or the SPARQL text itself.",
        epilog="examples:\n"
               "  majlis query --list\n"
               "  majlis query who-met-whom -g out/graph.ttl\n"
               "  majlis query who-met-whom -g out/graph.ttl --param person=حموشي --format csv\n"
               "  majlis query my-query.rq -g out/graph.ttl --format json\n"
               "  majlis query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' -g out/graph.ttl")
    p.add_argument("query", nargs="?", metavar="QUERY", help="a query name, a .rq file or SPARQL text")
    _graph_source(p, required=False)
    p.add_argument("--param", action="append", type=_key_value, default=[], metavar="KEY=VALUE",
                   help="a query parameter, e.g. --param person=حموشي (repeatable)")
    p.add_argument("-f", "--format", choices=QUERY_FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--list", action="store_true", help="list the shipped queries with their parameters")
    p.set_defaults(run=_query, parser=p)


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def _query(args: argparse.Namespace) -> int:
    if args.list:
        _print(_query_list())
        return 0
    if not args.query or not (args.graph or args.store):
        args.parser.error("QUERY and -g GRAPH (or --store DIR) are required (or use --list)")
    params = dict(args.param)
    if len(params) < len(args.param):
        args.parser.error("a --param is given twice")
    info = queries.load(args.query)  # before loading the graph: a typo fails fast
    if args.store:
        with _open_store(args.store, read_only=True) as store:  # on the store itself: nothing is copied
            result = store.run(info, params)
    else:
        result = queries.run(_load_source(args), info, params)
    formatter = {"table": queries.format_table, "csv": queries.format_csv, "json": queries.format_json}[args.format]
    _print(formatter(result))
    return 0


def _query_list() -> str:
    """name, parameters ([optional] ones bracketed, - for none) and description, in aligned columns."""
    rows = []
    for name in queries.names():
        info = queries.describe(name)
        params = ", ".join(f"[{p}]" if p in info.optional else p for p in info.params) or "-"
        rows.append((name, params, " ".join(info.description.split())))
    name_width = max((len(r[0]) for r in rows), default=0)
    param_width = max((len(r[1]) for r in rows), default=0)
    return "\n".join(f"{n:<{name_width}}  {p:<{param_width}}  {d}" for n, p, d in rows)


# --- network --------------------------------------------------------------------------------------

def _add_network(commands) -> None:
    p = _parser(
        commands.add_parser, name="network", help="draw who met whom as an HTML page (and a picture)",
        description="Draw the who-met-whom network of a graph file as an interactive HTML page that "
                    "works offline, optionally with agencies and countries, and optionally as a PNG.",
        epilog="examples:\n"
               "  majlis network -g out/graph.ttl -o out/network.html\n"
               "  majlis network -g out/graph.ttl -o out/network.html --with agencies,countries "
               "--png out/network.png")
    _graph_source(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the HTML page to write")
    p.add_argument("--with", dest="layers", type=_layers, default=frozenset(), metavar="LAYERS",
                   help="extra nodes, comma separated: agencies, countries")
    p.add_argument("--png", type=_picture_path, metavar="FILE",
                   help="also write a picture of the network (.png or .svg)")
    p.set_defaults(run=_network)


def _layers(text: str) -> frozenset[str]:
    from graph.network import LAYERS

    layers = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(layers - LAYERS)
    if unknown:
        known = ", ".join(sorted(LAYERS))
        raise argparse.ArgumentTypeError(f"unknown layer {', '.join(unknown)} (choose from {known})")
    return layers


def _picture_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in PICTURE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"{text}: a picture must end in {' or '.join(PICTURE_SUFFIXES)}")
    return path


def _network(args: argparse.Namespace) -> int:
    dataset = _load_source(args)
    with ExitStack() as outputs:
        network = _write_network_page(dataset, args.output, outputs, layers=args.layers)
        if args.png:
            from graph.render import write_picture

            write_picture(network, outputs.enter_context(graph_io.atomic_path(args.png)))
    return 0


def _write_network_page(dataset, path: Path, outputs: ExitStack, layers: frozenset[str]):
    """Render the page to a temporary file that `outputs` moves into place when it closes."""
    from graph.network import who_met_whom
    from graph.render import write_html

    network = who_met_whom(dataset, layers=layers)
    write_html(network, outputs.enter_context(graph_io.atomic_path(path)))
    return network


# --- export ---------------------------------------------------------------------------------------

def _add_export(commands) -> None:
    p = _parser(
        commands.add_parser, name="export", help="convert a graph file to another RDF format",
        description="Read a graph file and write it in the format of the output's extension: "
                    ".ttl (union of all articles), .trig (one graph per article), .nt or .jsonld.",
        epilog="examples:\n"
               "  majlis export -g out/graph.trig -o out/graph.ttl\n"
               "  majlis export -g out/graph.ttl -o out/graph.jsonld")
    _graph_source(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                   help="the file to write: .ttl, .trig, .nt or .jsonld")
    p.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    graph_io.require_save_format(args.output)
    graph_io.save(_load_source(args), args.output)
    return 0


# --- serve ----------------------------------------------------------------------------------------

def _add_serve(commands) -> None:
    from majlis.serve import Limits

    defaults = Limits()
    p = _parser(
        commands.add_parser, name="serve", help="answer SPARQL and the named queries over HTTP (read-only)",
        description="Serve the graph read-only over HTTP: the SPARQL 1.1 Protocol at /sparql (results as "
                    "JSON, XML, CSV or TSV, graphs as Turtle, N-Triples or RDF/XML, chosen by the Accept "
                    "header), the named queries at /queries/NAME with their parameters as URL arguments, "
                    "and the who-met-whom page at /. Queries run in separate processes, each with a copy "
                    "of the graph, and are stopped at the time, row and memory limits. One line per "
                    "request goes to stderr; Ctrl-C stops the server.",
        epilog="examples:\n"
               "  majlis serve -g out/graph.ttl\n"
               "  majlis serve --store out/store --port 8080 --timeout 5 --max-rows 10000\n"
               "then:\n"
               "  curl 'http://127.0.0.1:8000/queries/meetings-of?person=حموشي'\n"
               "  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' "
               "http://127.0.0.1:8000/sparql")
    _graph_source(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for all)")
    p.add_argument("--port", type=_bounded(int, 0, 65535), default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--timeout", type=_bounded(float, 0.1), default=defaults.timeout, metavar="SECONDS",
                   help=f"stop a query after this long (default: {defaults.timeout:g})")
    p.add_argument("--max-rows", type=_bounded(int, 1), default=defaults.max_rows, metavar="N",
                   help=f"refuse answers of more rows or triples (default: {defaults.max_rows})")
    p.add_argument("--max-memory", type=_bounded(int, 16), default=defaults.max_memory_mb, metavar="MB",
                   help=f"memory a query may use beyond the graph (default: {defaults.max_memory_mb})")
    p.add_argument("--workers", type=_bounded(int, 1), default=None, metavar="N",
                   help="query processes, each holding a copy of the graph (default: cores, at most 4)")
    p.add_argument("-q", "--quiet", action="store_true", help="no line per request (problems are still shown)")
    p.set_defaults(run=_serve)


def _bounded(kind: type, low: float, high: float | None = None) -> Callable[[str], float]:
    """An argparse type: a number of `kind` from `low` to `high` (no upper bound when None)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            allowed = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{text}: must be {allowed}")
        return value

    return parse


def _serve(args: argparse.Namespace) -> int:
    from majlis.serve import Limits, Source, serve

    source = Source(args.store, is_store=True) if args.store else Source(args.graph)
    limits = Limits(timeout=args.timeout, max_rows=args.max_rows, max_memory_mb=args.max_memory)
    serve(source, args.host, args.port, limits=limits, workers=args.workers, quiet=args.quiet)
    return 0


# --- evaluate -------------------------------------------------------------------------------------

def _add_evaluate(commands) -> None:
    p = _parser(
        commands.add_parser, name="evaluate", help="score a graph against hand-made gold annotations",
        description="Compare the persons and meetings of a graph with a gold file and print "
                    "precision, recall and F1.",
        epilog="example:\n"
               "  majlis evaluate gold.json -g out/graph.ttl -v")
    p.add_argument("gold", type=Path, metavar="GOLD.json", help="the gold annotations")
    p.add_argument("-g", "--graph", type=Path, required=True, metavar="GRAPH", help="the graph file")
    p.add_argument("-v", "--verbose", action="store_true", help="also list every miss and false alarm")
    p.set_defaults(run=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    try:
        from graph.evaluate import main_report
    except ModuleNotFoundError as e:
        if e.name != "graph.evaluate":  # a missing import inside the module is a bug: keep it loud
            raise
        raise MajlisError("evaluate: not available in this installation (graph/evaluate.py is missing)") from e
    if not args.gold.is_file():
        raise MajlisError(f"{args.gold}: no such file")
    _print(main_report(graph_io.load(args.graph), args.gold, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
