"""`majlis serve`: the graph over HTTP, read-only.

    /               the who-met-whom page `majlis network` writes, rendered once at start-up
    /sparql         the SPARQL 1.1 Protocol: GET ?query=, POST a form or an application/sparql-query body
    /queries        the shipped queries, as JSON
    /queries/NAME   a shipped query, its parameters as URL arguments: /queries/meetings-of?person=حموشي

The graph is read once, at start-up, into a pyoxigraph store on disk in a temporary folder (the
snapshot): the named graphs as they were read, and their union, as a set, as the default graph, so
that answers are those of `majlis query` (rdflib reads a Dataset the same way). Every worker opens
the snapshot read-only, replacements included, so all of them answer from the same graph even if the
file or the store is changed meanwhile, and the graph is held once, not once per worker; for the same
reason the answers of the shipped queries are kept (`_Answers`) and given again without running them.

Queries never run in the server process but in a pool of worker processes, which share the snapshot.
SPARQL and the shipped queries run on pyoxigraph (`queries.run_oxigraph` binds the parameters).

pyoxigraph evaluates in Rust without the GIL and cannot be interrupted from Python, and a hostile
query can do worse than run long (an ORDER BY over a cartesian product fills memory at ~1 GB/s; a
few hundred kilobytes of nested brackets crash the parser). A worker is a process, so it can be
killed; what is bounded, and how:

- time: a worker stops by itself between two rows after `timeout`; one stuck inside pyoxigraph or
  rdflib is killed `GRACE` seconds later and replaced (503 either way);
- rows: results are read lazily, and the worker stops at `max_rows` + 1 rows (503, never a silently
  short answer); the shipped queries are counted after they ran;
- memory: each worker may grow `max_memory_mb` beyond the graph it loaded (RLIMIT_AS); past that
  pyoxigraph aborts the worker, which is replaced (503);
- crashes: a worker that dies for any reason is replaced (503);
- requests: a body of at most 1 MiB (413), a URL of at most 16 KiB (414), headers as http.server
  limits them, 30 s of silence from a client;
- answers: at most `MAX_ANSWER` bytes (503).

Not bounded: the number of connections (one thread each; the default address is this machine
only), and the memory of the graph itself (each worker holds a copy). Requests wait up to
`QUEUE_WAIT` seconds for a free worker (503 "busy" after that); while a replacement loads the
graph, the pool is one worker short.

Nothing here can write: only `Store.query` is ever called, on an in-memory copy; an on-disk store
is opened read-only, and the server holds its shared lock until it stops, so `majlis add` on the
same store is refused ("in use by another majlis process") instead of changing it underneath.
SPARQL Update is refused (403) before it reaches pyoxigraph (which would not run it as a query
anyway), and so is SERVICE, which would make this server send HTTP requests where a query says.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing
import os
import queue
import re
import signal
import socket
import tempfile
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable, Iterator, Sequence
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

import queries
from extract.errors import MajlisError

log = logging.getLogger("majlis.serve")
access = logging.getLogger("majlis.serve.access")  # one line per request; silenced by --quiet

GRACE = 2.0  # seconds a worker has after its deadline before it is killed
QUEUE_WAIT = 30.0  # seconds a request waits for a free worker (or the timeout, if longer)
MAX_ANSWER = 128 * 2**20
MAX_FIELDS = 100  # URL arguments or form fields in one request
ANSWERS_KEPT = 64 * 2**20  # bytes of named-query answers kept in memory
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds per query
    max_rows: int = 100_000  # rows (or triples) per answer
    max_memory_mb: int = 1024  # memory a worker may use beyond its copy of the graph
    max_body: int = 2**20  # bytes of a POST body
    max_url: int = 16 * 2**10  # bytes of the request target


@dataclass(frozen=True)
class Source:
    """What to serve: a graph file (`-g`) or a store folder (`--store`)."""

    path: Path
    is_store: bool = False

    def __str__(self) -> str:
        return f"store {self.path}" if self.is_store else str(self.path)


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
        """Errors are one line of plain text: never a traceback."""
        return cls(status, "text/plain; charset=utf-8", (_one_line(message) + "\n").encode("utf-8"), headers)


# --- the graph in memory -------------------------------------------------------------------------

# The extensions graph/io.py reads, with pyoxigraph's name for each format.
FILE_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
                ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
                ".owl": ox.RdfFormat.RDF_XML}


def load_graph(source: Source, folder: Path | None = None) -> ox.Store:
    """The source in a store (on disk in `folder`, else in memory): its named graphs, their union as the default graph.

    Queries are run on disk: RocksDB's indexes span (graph, subject, predicate, object), whereas the
    in-memory store finds a triple of the default graph by walking every quad of its subject in every
    graph, and a topic or a country described in 10,000 article graphs makes that 100 times slower.
    """
    graph = ox.Store(str(folder)) if folder is not None else ox.Store()
    if source.is_store:
        from graph.store import Store

        with Store.open(source.path, read_only=True) as store:  # its default graph is already the union
            graph.bulk_extend(store.quads_store().quads_for_pattern(None, None, None, None))
        return graph
    path = source.path
    rdf_format = FILE_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        suffix = repr(path.suffix) if path.suffix else "(no extension)"
        raise MajlisError(f"{path}: unknown graph format {suffix} (use {', '.join(FILE_FORMATS)})")
    if not path.is_file():
        raise MajlisError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    try:
        graph.bulk_extend(_with_union(ox.parse(path=str(path), format=rdf_format)))
    except SyntaxError as e:
        raise MajlisError(f"{path}: cannot parse {rdf_format.name}: {_parse_message(e)}") from e
    except OSError as e:
        raise MajlisError(f"{path}: cannot read: {e.strerror or e}") from e
    return graph


def load_snapshot(path: Path) -> ox.Store:
    """The server's on-disk copy, read-only: every worker opens the same files, none holds a copy."""
    return ox.Store.read_only(str(path))


def _with_union(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    for quad in quads:
        yield quad
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object)


def union_view(graph: ox.Store):
    """The default graph (the union) as an rdflib Graph, for the network page."""
    from oxrdflib import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return Graph(store=OxigraphStore(store=graph), identifier=DATASET_DEFAULT_GRAPH_ID)


def network_page(graph: ox.Store) -> bytes:
    """The page `majlis network` writes for this graph."""
    from graph.network import who_met_whom
    from graph.render import render_html

    return render_html(who_met_whom(union_view(graph))).encode("utf-8")


def _parse_message(error: SyntaxError) -> str:
    message = str(error).splitlines()[0] if str(error) else "syntax error"
    return re.sub(r" \([^()]*, line \d+\)$", "", re.sub(r"^Parser error at ", "", message))


# --- what a query may not do ---------------------------------------------------------------------

# Comments, strings and IRIs may hold any word; what is left of a query is keywords, names and
# variables. The string and IRI patterns are the SPARQL grammar's terminals, matched left to right.
_OPAQUE = re.compile(r'''#[^\n\r]*+|"""(?:"{0,2}(?:[^"\\]|\\[\s\S]))*+"""|\'\'\'(?:'{0,2}(?:[^'\\]|\\[\s\S]))*+\'\'\''''
                     r'''|"(?:[^"\\\n\r]|\\.)*+"|'(?:[^'\\\n\r]|\\.)*+'|<[^<>"{}|^`\\\x00-\x20]*+>''')
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
# A keyword, not part of ?name, prefix:name, _:label or @lang; a hyphen or dot may join name parts.
_KEYWORD = re.compile(rf"(?<![\w?$:@])({'|'.join(_UPDATE_WORDS)}|SERVICE)(?![\w:.\-])", re.IGNORECASE)


def refusal(sparql: str) -> str | None:
    """Why this server will not run `sparql`, or None. Words inside strings, IRIs and comments do not count."""
    for match in _KEYWORD.finditer(_OPAQUE.sub(" ", sparql)):
        word = match.group(1).upper()
        if word == "SERVICE":
            return "SERVICE is refused: this server answers from its own graph only"
        return f"read-only: SPARQL Update ({word}) is refused"
    return None


# --- the SPARQL results formats ------------------------------------------------------------------

_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # XML 1.0 cannot hold these


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {part: _json_term(getattr(term, part))
                                        for part in ("subject", "predicate", "object")}}


def _results_json(variables: list[str], rows: list[tuple]) -> str:
    bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != _XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    return "<triple>" + "".join(f"<{part}>{_xml_term(getattr(term, part))}</{part}>"
                                for part in ("subject", "predicate", "object")) + "</triple>"


def _results_xml(variables: list[str], rows: list[tuple]) -> str:
    lines = ['<?xml version="1.0"?>', f'<sparql xmlns="{_RESULTS_NS}">', "<head>"]
    lines += [f"<variable name={quoteattr(v)}/>" for v in variables]
    lines += ["</head>", "<results>"]
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                        for v, t in zip(variables, row) if t is not None)
        lines.append(f"<result>{cells}</result>")
    lines += ["</results>", "</sparql>", ""]
    return "\n".join(lines)


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _results_csv(variables: list[str], rows: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(t) for t in row] for row in rows)
    return out.getvalue()


def _results_tsv(variables: list[str], rows: list[tuple]) -> str:
    # pyoxigraph writes a term as N-Triples, which escapes tabs and line ends inside literals.
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


# Media types offered for each kind of answer; the first is the default (no Accept, or */*).
TABLE_WRITERS = {"application/sparql-results+json": _results_json, "application/json": _results_json,
                 "application/sparql-results+xml": _results_xml, "application/xml": _results_xml,
                 "text/csv": _results_csv, "text/tab-separated-values": _results_tsv}
GRAPH_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                 "application/rdf+xml": ox.RdfFormat.RDF_XML}
# Turtle prefixes for graph answers; not id:, whose local names would need escaped slashes.
GRAPH_PREFIXES = {prefix: iri for prefix, iri in queries.PREFIXES.items() if prefix != "id"}
NAMED_WRITERS = {"application/json": queries.format_json, "text/csv": queries.format_csv,
                 "text/plain": queries.format_table}


def _boolean(answer: bool, media: str) -> str:
    word = "true" if answer else "false"
    if "json" in media:
        return json.dumps({"head": {}, "boolean": answer}) + "\n"
    if "xml" in media:
        return f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}">\n<head/>\n<boolean>{word}</boolean>\n</sparql>\n'
    return word + ("\r\n" if media == "text/csv" else "\n")


def _content_type(media: str) -> str:
    return media + "; charset=utf-8" if media.startswith("text/") else media


# --- answering, in a worker ----------------------------------------------------------------------

@dataclass(frozen=True)
class SparqlJob:
    text: str
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedJob:
    name: str
    params: tuple[tuple[str, str], ...] = ()  # sorted (name, value) pairs: a job is its answer's key
    media_type: str = "application/json"


class _Stopped(Exception):
    """A limit cut the query off; the message says which."""


class _Answerer:
    """The worker's side: the graph, and one Reply per job."""

    def __init__(self, graph: ox.Store, limits: Limits):
        self.graph = graph
        self.limits = limits

    def answer(self, job: SparqlJob | NamedJob) -> Reply:
        try:
            reply = self._sparql(job) if isinstance(job, SparqlJob) else self._named(job)
        except _Stopped as e:
            return Reply.error(503, str(e))
        except MemoryError:
            return Reply.error(503, f"query stopped: it needs more than {self.limits.max_memory_mb} MB")
        if len(reply.body) > MAX_ANSWER:
            return Reply.error(503, f"answer stopped: larger than {MAX_ANSWER // 2**20} MB")
        return reply

    def _sparql(self, job: SparqlJob) -> Reply:
        deadline = time.monotonic() + self.limits.timeout
        refused = refusal(job.text)
        if refused:
            return Reply.error(403, refused)
        try:
            graphs = {"default_graph": [ox.NamedNode(g) for g in job.default_graphs] or None,
                      "named_graphs": [ox.NamedNode(g) for g in job.named_graphs] or None}
        except ValueError as e:
            return Reply.error(400, f"bad graph IRI: {e}")
        try:
            result = self.graph.query(job.text, prefixes=queries.PREFIXES, **graphs)
            offered = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else TABLE_WRITERS
            media = negotiate(job.accept, tuple(offered))
            if media is None:
                return Reply.error(406, f"cannot answer this query in the Accept header's types "
                                        f"(offered: {', '.join(offered)})")
            if isinstance(result, ox.QueryBoolean):
                return Reply(200, _content_type(media), _boolean(bool(result), media).encode("utf-8"))
            items = self._take(result, deadline)  # pyoxigraph evaluates as it is read
        except SyntaxError as e:
            return Reply.error(400, f"malformed SPARQL: {_one_line(e, limit=200)}")
        except (OSError, RuntimeError, ValueError) as e:  # pyoxigraph's evaluation errors
            return Reply.error(400, f"query failed: {e}")
        if offered is GRAPH_FORMATS:
            return Reply(200, _content_type(media), ox.serialize(items, format=GRAPH_FORMATS[media],
                                                                 prefixes=GRAPH_PREFIXES))
        body = TABLE_WRITERS[media]([v.value for v in result.variables], [tuple(s) for s in items])
        return Reply(200, _content_type(media), body.encode("utf-8"))

    def _take(self, items: Iterable, deadline: float) -> list:
        """Up to max_rows items, read lazily; a query that would give more, or take longer, is stopped."""
        taken = []
        for item in items:
            if len(taken) == self.limits.max_rows:
                raise _Stopped(f"query stopped: more than {self.limits.max_rows} rows (the server's --max-rows); "
                               "add a LIMIT")
            if time.monotonic() > deadline:
                raise _Stopped(_timeout_message(self.limits))
            taken.append(item)
        return taken

    def _named(self, job: NamedJob) -> Reply:
        try:
            result = queries.run_oxigraph(self.graph, queries.describe(job.name), dict(job.params), union=False)
        except queries.QueryError as e:
            return Reply.error(400, str(e))
        if len(result.rows) > self.limits.max_rows:
            raise _Stopped(f"query stopped: more than {self.limits.max_rows} rows (the server's --max-rows)")
        return Reply(200, _content_type(job.media_type), NAMED_WRITERS[job.media_type](result).encode("utf-8"))


def _timeout_message(limits: Limits) -> str:
    return f"query stopped after {limits.timeout:g} s (the server's --timeout)"


# --- content negotiation -------------------------------------------------------------------------

def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header likes best; the first offered one for */* or no header."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    best, best_quality = None, 0.0
    for media in offered:  # in offered order, so the server's preference breaks ties
        kind = media.split("/")[0]
        matches = [(3 if r == media else 2 if r == f"{kind}/*" else 1, q) for r, q in ranges
                   if r in (media, f"{kind}/*", "*/*")]
        quality = max(matches)[1] if matches else 0.0  # the most specific range decides
        if quality > best_quality:
            best, best_quality = media, quality
    return best


# --- the worker processes ------------------------------------------------------------------------

def _worker_main(conn, snapshot: Path, limits: Limits) -> None:
    """A worker: load the snapshot, say ready (or why not), then answer jobs until the pipe closes.

    The shipped queries are parsed on first use (2 s to parse them all), so that a replacement for
    a killed worker is ready sooner; the server keeps their answers, so each is rarely run twice.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    logging.basicConfig(format="majlis: %(message)s", level=logging.WARNING)
    try:
        try:
            answerer = _Answerer(load_snapshot(snapshot), limits)
        except (OSError, SyntaxError) as e:
            conn.send(("failed", f"a query process cannot load {snapshot}: {e}"))
            return
        _limit_memory(limits.max_memory_mb)
        conn.send(("ready", None))
        while True:
            job = conn.recv()
            try:
                reply = answerer.answer(job)
            except Exception:  # a bug: the traceback goes to the server's log, not to the client
                log.exception("internal error answering %r", job)
                reply = Reply.error(500, "internal error (see the server log)")
            conn.send(reply)
    except (EOFError, OSError):  # the server closed the pipe, or is gone
        return


def _limit_memory(extra_mb: int) -> None:
    """Let this process grow `extra_mb` beyond what it holds now (the graph), and no further."""
    try:
        import resource

        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size_kb * 1024 + extra_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ImportError, OSError, StopIteration, ValueError) as e:  # not Linux: no limit, say so once
        log.warning("query memory is not limited here: %s", e)


class _Worker:
    def __init__(self, context, snapshot: Path, limits: Limits):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, snapshot, limits), name="majlis-query",
                                       daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        try:
            state, message = self.conn.recv()
        except (EOFError, OSError):
            state, message = "failed", f"a query process could not start (exit code {self._exit_code()})"
        if state != "ready":
            self.stop()
            raise MajlisError(message)

    def ask(self, job, wait: float) -> Reply | str:
        """The worker's reply, or why there is none (the worker is then dead or must be killed)."""
        try:
            self.conn.send(job)
            if self.conn.poll(wait):
                return self.conn.recv()
            return "timeout"
        except (EOFError, OSError):
            code = self._exit_code()
            if code in (-signal.SIGABRT, -signal.SIGKILL):
                return "memory"
            return f"the query process died (exit code {code})"

    def _exit_code(self) -> int | None:
        self.process.join(timeout=5)
        return self.process.exitcode

    def stop(self) -> None:
        # A worker holds nothing worth saving. The pipe is left to the garbage collector: another
        # thread may be reading it, and sees EOF once the process is gone.
        self.process.terminate()
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class _Answers:
    """Replies to shipped queries by job, least recently used dropped first beyond `budget` bytes."""

    def __init__(self, budget: int = ANSWERS_KEPT):
        self._budget, self._size = budget, 0
        self._replies: OrderedDict[NamedJob, Reply] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, job: NamedJob) -> Reply | None:
        with self._lock:
            reply = self._replies.get(job)
            if reply is not None:
                self._replies.move_to_end(job)
            return reply

    def keep(self, job: NamedJob, reply: Reply) -> None:
        if reply.status != 200 or len(reply.body) > self._budget // 8:
            return
        with self._lock:
            if job not in self._replies:
                self._replies[job] = reply
                self._size += len(reply.body)
            while self._size > self._budget:
                self._size -= len(self._replies.popitem(last=False)[1].body)


class Engine:
    """A pool of worker processes: one job per worker at a time; a worker that overruns is replaced."""

    def __init__(self, snapshot: Path, workers: int, limits: Limits):
        self.snapshot, self.limits = snapshot, limits
        self._context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._answers = _Answers()
        try:
            started = [self._start() for _ in range(workers)]
            for worker in started:
                worker.wait_ready()
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self.snapshot, self.limits)
        with self._lock:
            self._all.add(worker)
        return worker

    @property
    def idle_workers(self) -> int:
        return self._idle.qsize()

    def run(self, job: SparqlJob | NamedJob) -> Reply:
        # SPARQL answers are not kept: RAND(), NOW() or BNODE() may differ each time.
        kept = self._answers.get(job) if isinstance(job, NamedJob) else None
        if kept is not None:
            return kept
        try:
            worker = self._idle.get(timeout=max(QUEUE_WAIT, self.limits.timeout))
        except queue.Empty:
            return Reply.error(503, "busy: every query process is answering or starting; try again")
        reply = worker.ask(job, self.limits.timeout + GRACE)
        if isinstance(reply, Reply):
            self._idle.put(worker)
            if isinstance(job, NamedJob):
                self._answers.keep(job, reply)
            return reply
        self._replace(worker)
        if reply == "timeout":
            return Reply.error(503, _timeout_message(self.limits))
        if reply == "memory":
            return Reply.error(503, f"query stopped: it needed more than {self.limits.max_memory_mb} MB "
                                    "(the server's --max-memory)")
        log.error("%s; starting another", reply)
        return Reply.error(503, f"query stopped: {reply}")

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        with self._lock:
            self._all.discard(worker)

        def start_another() -> None:
            worker.stop()
            if self._closed:
                return
            try:
                fresh = self._start()
                fresh.wait_ready()
            except MajlisError as e:
                log.error("a query process could not be replaced: %s", e)
                return
            if self._closed:
                fresh.stop()
            else:
                self._idle.put(fresh)

        threading.Thread(target=start_another, name="majlis-replace", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()


# --- HTTP --------------------------------------------------------------------------------------

class _Refused(Exception):
    """A request this server will not answer: becomes a one-line error reply."""

    def __init__(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.status, self.headers = status, headers


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"  # keep-alive: every reply has a Content-Length
    timeout = 30  # seconds a client may stay silent before its connection is closed
    disable_nagle_algorithm = True  # headers and body are two writes: Nagle would hold the body ~40 ms
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(message)s\n"  # http.server's own errors (bad request line, ...) stay one line

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        started = time.monotonic()
        try:
            reply = self._route(method)
        except _Refused as e:
            reply = Reply.error(e.status, str(e), e.headers)
            if method != "GET" and method != "HEAD":
                self.close_connection = True  # its body may be left unread
        except Exception:  # a bug: logged with its traceback, the client gets one line
            log.exception("internal error on %s %s", method, _printable(self.path))
            self.close_connection = True
            reply = Reply.error(500, "internal error (see the server log)")
        self._send(reply)
        access.info("%s %s %s %d %d B %.0f ms", self.client_address[0], method, _printable(self.path),
                    reply.status, len(reply.body), (time.monotonic() - started) * 1000)

    def _route(self, method: str) -> Reply:
        if len(self.path) > self.server.limits.max_url:
            raise _Refused(414, f"URL longer than {self.server.limits.max_url} bytes: POST the query instead")
        self._check_host()
        url = urlsplit(self.path)
        args = _fields(url.query)
        allowed = "GET, HEAD, POST" if url.path == "/sparql" else "GET, HEAD"
        if method not in allowed.split(", "):
            raise _Refused(405, f"read-only: {url.path} answers {allowed}, not {method}", (("Allow", allowed),))
        if url.path == "/sparql":
            return self._sparql(method, args)
        if url.path == "/":
            return Reply(200, "text/html; charset=utf-8", self.server.page)
        if url.path in ("/queries", "/queries/"):
            return Reply(200, "application/json", self.server.query_list)
        if url.path.startswith("/queries/"):
            return self._named(unquote(url.path[len("/queries/"):]), args)
        raise _Refused(404, f"no such page {url.path!r}: try /, /sparql or /queries")

    def _check_host(self) -> None:
        # Bound to this machine, answer only requests addressed to it: a web page cannot then reach
        # the server by pointing its own host name at 127.0.0.1 (DNS rebinding).
        if not self.server.loopback:
            return
        host = self.headers.get("Host")
        if host is None:
            return
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]")[0]
        if name.lower() not in LOOPBACK_HOSTS:
            raise _Refused(403, f"Host {host!r} is not this server (it answers 127.0.0.1 and localhost)")

    def _sparql(self, method: str, args: dict[str, list[str]]) -> Reply:
        if method == "POST":
            media = self.headers.get_content_type()
            if media == "application/sparql-update":
                raise _Refused(403, "read-only: SPARQL Update is refused")
            body = self._body()
            if media == "application/x-www-form-urlencoded":
                for key, values in _fields(_utf8(body)).items():
                    args.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                args.setdefault("query", []).append(_utf8(body))
            else:
                raise _Refused(415, f"cannot read a {media} body: send application/sparql-query "
                                    "or application/x-www-form-urlencoded")
        if "update" in args:
            raise _Refused(403, "read-only: SPARQL Update is refused")
        texts = args.get("query", [])
        if len(texts) != 1:
            raise _Refused(400, "no query: send ?query=… (GET), or POST query=… or an application/sparql-query body"
                           if not texts else "more than one query in one request")
        job = SparqlJob(texts[0], self.headers.get("Accept"), tuple(args.get("default-graph-uri", ())),
                        tuple(args.get("named-graph-uri", ())))
        return self.server.engine.run(job)

    def _named(self, name: str, args: dict[str, list[str]]) -> Reply:
        try:
            queries.describe(name)  # only the header: the message for an unknown name suggests the closest
        except queries.QueryError as e:
            raise _Refused(404, f"{e}; see /queries") from None
        repeated = [key for key, values in args.items() if len(values) > 1]
        if repeated:
            raise _Refused(400, f"parameter {repeated[0]!r} is given twice")
        media = negotiate(self.headers.get("Accept"), tuple(NAMED_WRITERS))
        if media is None:
            raise _Refused(406, f"a named query answers in {', '.join(NAMED_WRITERS)} only; /sparql speaks the "
                                "SPARQL results formats")
        return self.server.engine.run(NamedJob(name, tuple(sorted((k, v[0]) for k, v in args.items())), media))

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Refused(411, "send a Content-Length: chunked bodies are not read")
        length = self.headers.get("Content-Length")
        if length is None:
            raise _Refused(411, "a POST needs a Content-Length")
        if not length.strip().isdigit():
            raise _Refused(400, f"bad Content-Length {length!r}")
        if int(length) > self.server.limits.max_body:
            raise _Refused(413, f"body larger than {self.server.limits.max_body} bytes")
        try:
            body = self.rfile.read(int(length))
        except TimeoutError:
            raise _Refused(408, f"the body did not arrive within {self.timeout} s") from None
        if len(body) < int(length):
            raise _Refused(400, "the body is shorter than its Content-Length")
        return body

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Accept")
        for key, value in reply.headers:
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def version_string(self) -> str:
        return "majlis"

    def log_request(self, code="-", size="-") -> None:
        pass  # _handle logs each request once it is answered

    def log_message(self, format: str, *args) -> None:  # http.server's own errors
        access.info("%s %s", self.client_address[0], _printable(format % args))


def _fields(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except ValueError as e:  # too many fields, or bytes that are not UTF-8
        raise _Refused(400, f"cannot read the arguments: {e}") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "the body is not UTF-8") from None


def _printable(text: str, limit: int = 200) -> str:
    """For a log line: control characters escaped, long URLs cut."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= limit else text[:limit] + "…"


def _one_line(message: str, limit: int = 500) -> str:
    message = " ".join(str(message).split())
    return message if len(message) <= limit else message[:limit] + "…"


class Server(ThreadingHTTPServer):
    """The listening socket; `make_server` gives it its page, its workers and, for a store, its lock."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 makes a burst of clients wait 1 s to resend their SYN

    def __init__(self, address: tuple[str, int], limits: Limits):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.limits = limits
        self.loopback = address[0] in LOOPBACK_HOSTS
        self.query_list = _query_list()
        self.page = b""
        self.engine: Engine | None = None
        self.held = None  # the store, open read-only, whose shared lock keeps writers out
        self.folder = tempfile.TemporaryDirectory(prefix="majlis-serve-")  # for the snapshot

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def handle_error(self, request, client_address) -> None:
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):  # the client went away: not our problem
            access.info("%s connection lost: %s", client_address[0], error)
        else:
            log.exception("internal error serving %s", client_address[0])

    def close(self) -> None:
        self.server_close()
        if self.engine is not None:
            self.engine.close()
        if self.held is not None:
            self.held.close()
        self.folder.cleanup()


def _query_list() -> bytes:
    listing = []
    for name in queries.names():
        info = queries.describe(name)
        listing.append({"name": name, "description": info.description, "params": list(info.params),
                        "optional": sorted(info.optional), "columns": list(info.columns), "url": f"/queries/{name}"})
    return (json.dumps(listing, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def make_server(source: Source, host: str = "127.0.0.1", port: int = 8000, *, limits: Limits = Limits(),
                workers: int | None = None) -> Server:
    """A server listening on host:port with its workers ready; call `serve_forever()`, then `close()`.

    For a store, the server holds a reader's lock on it until `close()`. Workers are started with
    multiprocessing's "spawn", so a script calling this needs the `if __name__ == "__main__":` guard.
    """
    try:
        server = Server((host, port), limits)  # first, so that a busy port fails before the slow part
    except OSError as e:
        raise MajlisError(f"cannot listen on {host}:{port}: {e.strerror or e}") from e
    try:
        if source.is_store:
            from graph.store import Store

            server.held = Store.open(source.path, read_only=True)
        snapshot = Path(server.folder.name) / "graph"
        graph = load_graph(source, snapshot)  # a bad source fails here, before any worker starts
        server.page = network_page(graph)
        graph.flush()
        del graph  # closes it: the workers open the files read-only
        server.engine = Engine(snapshot, workers or default_workers(), limits)
    except BaseException:
        server.close()
        raise
    return server


def serve(source: Source, host: str = "127.0.0.1", port: int = 8000, *, limits: Limits = Limits(),
          workers: int | None = None, quiet: bool = False) -> None:
    """Answer HTTP requests until Ctrl-C or SIGTERM; one line per request on stderr unless `quiet`."""
    log.setLevel(logging.INFO)
    access.setLevel(logging.WARNING if quiet else logging.INFO)
    with _sigterm_as_interrupt():  # from the start: a stop while loading also removes the snapshot
        server = make_server(source, host, port, limits=limits, workers=workers)
        try:
            log.info("serving %s at %s (SPARQL at /sparql, named queries at /queries); Ctrl-C stops",
                     source, server.url)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    log.info("stopped")


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """`kill PID` stops the server as cleanly as Ctrl-C (only the main thread may set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
