"""Copy the article graphs of a Dataset into a remote triple store, one named graph at a time.

Two standard protocols; both replace each pushed graph whole, so pushing the same dataset twice
leaves the store as pushing it once did, and graphs the dataset does not carry are left alone.

- SPARQL 1.1 Graph Store HTTP Protocol, when a graph-store URL is given: one
  `PUT <graph_store>?graph=<g>` per graph, its body the graph as N-Triples. The store swaps the
  graph in one step. Virtuoso: `/sparql-graph-crud-auth` (digest auth); Fuseki: `/<dataset>/data`;
  GraphDB: `/repositories/<id>/rdf-graphs/service`.
- SPARQL 1.1 Update otherwise: `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`, sent as
  the `update` form field to `endpoint`. Small graphs share a request and a large one is split
  into several INSERT DATA, so no request carries more than `chunk_triples` triples (Virtuoso
  compiles each request to SQL and refuses very long ones). A graph split over requests can be
  left half-written by a failure; pushing again repairs it.

HTTP problems become one-line `MajlisError`s naming the URL and the status.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Iterator

import requests
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from extract.errors import MajlisError

CHUNK_TRIPLES = 2_000
N_TRIPLES = "application/n-triples"


class PushError(MajlisError):
    """The remote store refused or could not be reached."""


@dataclass(frozen=True, slots=True)
class PushReport:
    graphs: int
    triples: int
    seconds: float


def make_auth(user: str, password: str, scheme: str = "basic") -> requests.auth.AuthBase:
    """HTTP credentials for `push(auth=…)`: "basic", or "digest" (what Virtuoso asks for)."""
    if scheme == "digest":
        return requests.auth.HTTPDigestAuth(user, password)
    if scheme == "basic":
        return requests.auth.HTTPBasicAuth(user, password)
    raise MajlisError(f"unknown HTTP auth scheme {scheme!r} (basic or digest)")


def push(dataset: Dataset, endpoint: str, graph_store: str | None = None, *, auth=None, timeout: float = 60,
         chunk_triples: int = CHUNK_TRIPLES) -> PushReport:
    """Write every named graph of `dataset` to the store; the Graph Store protocol when `graph_store` is given.

    `endpoint` is the SPARQL Update URL, used only without `graph_store`. `auth` is anything
    requests takes: a (user, password) pair for basic auth, or `make_auth(…, "digest")`.
    """
    started = time.perf_counter()
    graphs = _named_graphs(dataset)
    with requests.Session() as session:
        session.auth = auth
        if graph_store:
            for graph in graphs:
                _put_graph(session, graph_store, graph, timeout)
        else:
            for update in _update_requests(graphs, chunk_triples):
                _send(session, "POST", endpoint, timeout, data={"update": update})
    return PushReport(graphs=len(graphs), triples=sum(len(g) for g in graphs),
                      seconds=time.perf_counter() - started)


def _named_graphs(dataset: Dataset) -> list[Graph]:
    """The article graphs, by name, without the default graph (the union view holds nothing of its own)."""
    graphs = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _put_graph(session: requests.Session, graph_store: str, graph: Graph, timeout: float) -> None:
    body = graph.serialize(format="nt", encoding="utf-8")
    _send(session, "PUT", graph_store, timeout, params={"graph": str(graph.identifier)}, data=body,
          headers={"Content-Type": f"{N_TRIPLES}; charset=utf-8"})


def _update_requests(graphs: list[Graph], chunk_triples: int) -> Iterator[str]:
    """SPARQL Update texts: each graph dropped once, then inserted in pieces of at most `chunk_triples`."""
    operations: list[str] = []
    size = 0
    for graph in graphs:
        name = graph.identifier.n3()
        lines = _ntriples_lines(graph)
        # Blank-node labels are scoped to one request: a graph holding any is never split.
        step = len(lines) if any(line.startswith("_:") or " _:" in line for line in lines) else chunk_triples
        pieces = [lines[i:i + step] for i in range(0, len(lines), max(step, 1))] or [[]]
        for n, piece in enumerate(pieces):
            if operations and size + len(piece) > chunk_triples:
                yield " ;\n".join(operations)
                operations, size = [], 0
            if n == 0:
                operations.append(f"DROP SILENT GRAPH {name}")
            if piece:
                operations.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(piece) + "\n} }")
            size += len(piece)
    if operations:
        yield " ;\n".join(operations)


def _ntriples_lines(graph: Graph) -> list[str]:
    # rdflib's N-Triples escapes every literal, so its lines are safe inside INSERT DATA.
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return [line for line in text.split("\n") if line.strip()]


def _send(session: requests.Session, method: str, url: str, timeout: float, **kwargs) -> requests.Response:
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout:
        raise PushError(f"{url}: no answer within {timeout:g} s") from None
    except requests.RequestException as e:
        raise PushError(f"cannot reach {url}: {_reason(e)}") from None
    if response.status_code >= 300:
        # Decoded as UTF-8 whatever the headers say: Virtuoso names no charset and requests would guess Latin-1.
        detail = _short_text(response.content.decode("utf-8", errors="replace"))
        raise PushError(f"{url}: HTTP {response.status_code} {response.reason}" + (f": {detail}" if detail else ""))
    return response


def _reason(error: requests.RequestException) -> str:
    """The innermost cause of a connection error ("[Errno 111] Connection refused"), not urllib3's nesting."""
    cause = error.args[0] if error.args else error
    cause = getattr(cause, "reason", cause)  # urllib3's MaxRetryError keeps the real error as .reason
    return str(cause).rpartition("): ")[2] or type(error).__name__


# HTML tags and declarations, not IRIs in angle brackets (a scheme's colon follows their first word).
_TAG = re.compile(r"<(?:!|/?[A-Za-z][A-Za-z0-9]*(?=[\s/>]))[^>]*>")


def _short_text(body: str, limit: int = 200) -> str:
    """An error page reduced to one line of text (servers answer with HTML)."""
    text = " ".join(_TAG.sub(" ", body).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
