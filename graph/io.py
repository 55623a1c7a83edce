"""Save and load the knowledge graph; the format follows the file extension.

Saving is deterministic (equal graphs give byte-identical files, blank nodes included) and
atomic: the file is written next to its destination under a temporary name and then moved
into place, so a crash never leaves a half-written file and the previous one stays intact.

| extension | written as |
|---|---|
| .ttl    | Turtle (rdflib `longturtle`) of the union of all article graphs |
| .trig   | TriG, one named graph per article, graphs in IRI order |
| .nt     | N-Triples of the union, lines sorted |
| .jsonld | JSON-LD, one named graph per article, keys and values sorted |

`load` also reads .nq (N-Quads) and .rdf/.owl (RDF/XML).
"""
from __future__ import annotations

import json
import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

import pyoxigraph
from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.trig import TrigSerializer

from extract.errors import MajlisError

from .vocabulary import bind_prefixes


def save(dataset: Dataset, path: Path | str) -> None:
    """Write `dataset` to `path` in the format its extension names; raises MajlisError otherwise."""
    path = Path(path)
    writer = _WRITERS[require_save_format(path)]
    with atomic_path(path) as temporary, temporary.open("wb") as stream:
        writer(dataset, stream)


def require_save_format(path: Path | str) -> str:
    """The extension of `path` if `save` can write it; otherwise raise MajlisError before any work."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _WRITERS:
        raise _unknown_format(path, _WRITERS)
    return suffix


def load(path: Path | str) -> Dataset:
    """Read a graph file into a Dataset whose default graph is the union of its graphs."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise _unknown_format(path, _READERS)
    rdflib_format, oxigraph_format, name = reader
    if not path.exists():
        raise MajlisError(f"{path}: no such file")
    if not path.is_file():
        raise MajlisError(f"{path}: not a file")
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    try:
        dataset.parse(path, format=rdflib_format)
    except OSError as e:
        raise MajlisError(f"{path}: cannot read: {e.strerror}") from e
    except Exception as e:  # each rdflib parser raises its own types; all mean "bad input"
        raise MajlisError(f"{path}: cannot parse {name}: {_parse_problem(path, oxigraph_format, e)}") from e
    return dataset


def _unknown_format(path: Path, known) -> MajlisError:
    suffix = repr(path.suffix) if path.suffix else "(no extension)"
    return MajlisError(f"{path}: unknown graph format {suffix} (use {', '.join(known)})")


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds it replaces `path`, else it is removed.

    The temporary name keeps the extension, for writers that look at it. Missing folders are made.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:12]}.tmp{path.suffix}")
    _make_folder_for(path)
    try:
        yield temporary
        _flush_to_disk(temporary)
        os.replace(temporary, path)
    except OSError as e:
        ours = {str(temporary), str(path), *map(str, path.parents)}
        if e.filename is not None and os.fspath(e.filename) not in ours:
            raise
        # Name the file the user asked for, not the temporary one.
        raise MajlisError(f"{path}: cannot write: {e.strerror}") from e
    finally:
        temporary.unlink(missing_ok=True)


def _make_folder_for(path: Path) -> None:
    blocking = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise MajlisError(f"{path}: cannot write: {blocking} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise MajlisError(f"{path}: cannot write: {e.strerror}") from e


def _flush_to_disk(path: Path) -> None:
    # Without fsync a power cut after os.replace can leave an empty file under the final name.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- writers ----------------------------------------------------------------------------------

def _write_turtle(dataset: Dataset, stream: BinaryIO) -> None:
    union = _union(dataset)
    # canon=True relabels blank nodes canonically; without blank nodes the output is already sorted.
    union.serialize(stream, format="longturtle", encoding="utf-8", canon=_has_blank_nodes(union))


def _write_ntriples(dataset: Dataset, stream: BinaryIO) -> None:
    union = _canonical(_union(dataset), "b")
    lines = sorted(line for line in union.serialize(format="nt", encoding="utf-8").split(b"\n") if line)
    stream.write(b"".join(line + b"\n" for line in lines))


def _write_trig(dataset: Dataset, stream: BinaryIO) -> None:
    serializer = TrigSerializer(_sorted_copy(dataset))
    # The store hands graphs out in hash order; TriG should list them by name, default graph first.
    serializer.contexts.sort(key=lambda graph: _graph_sort_key(graph.identifier))
    serializer.serialize(stream, encoding="utf-8")


def _write_jsonld(dataset: Dataset, stream: BinaryIO) -> None:
    document = json.loads(_sorted_copy(dataset).serialize(format="json-ld"))
    text = json.dumps(_sorted_jsonld(document), ensure_ascii=False, indent=2, sort_keys=True)
    stream.write(text.encode("utf-8") + b"\n")


_WRITERS: dict[str, Callable[[Dataset, BinaryIO], None]] = {
    ".ttl": _write_turtle,
    ".trig": _write_trig,
    ".nt": _write_ntriples,
    ".jsonld": _write_jsonld,
}

# extension -> (rdflib parser, pyoxigraph format for error messages, name for people)
_READERS: dict[str, tuple[str, pyoxigraph.RdfFormat, str]] = {
    ".ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE, "Turtle"),
    ".trig": ("trig", pyoxigraph.RdfFormat.TRIG, "TriG"),
    ".nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES, "N-Triples"),
    ".nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS, "N-Quads"),
    ".jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD, "JSON-LD"),
    ".rdf": ("xml", pyoxigraph.RdfFormat.RDF_XML, "RDF/XML"),
    ".owl": ("xml", pyoxigraph.RdfFormat.RDF_XML, "RDF/XML"),
}


def _union(dataset: Dataset | Graph) -> Graph:
    union = Graph(bind_namespaces="none")
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True)
    quads = dataset.quads((None, None, None, None)) if hasattr(dataset, "quads") else dataset
    for s, p, o, *_ in quads:
        union.add((s, p, o))
    return union


def _sorted_copy(dataset: Dataset) -> Dataset:
    """A copy whose graphs have canonical blank node labels, unique to each graph."""
    copy = Dataset()
    for prefix, namespace in dataset.namespaces():
        copy.bind(prefix, namespace, override=True)
    graphs = sorted((g for g in dataset.graphs() if len(g)), key=lambda g: _graph_sort_key(g.identifier))
    for number, graph in enumerate(graphs):
        target = copy.default_graph if graph.identifier == DATASET_DEFAULT_GRAPH_ID else copy.graph(graph.identifier)
        # TriG scopes blank node labels to the document, so each graph gets its own label prefix.
        target += _canonical(graph, f"g{number}b")
    return copy


def _graph_sort_key(identifier) -> tuple[bool, str]:
    return identifier != DATASET_DEFAULT_GRAPH_ID, str(identifier)


def _has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(term, BNode) for triple in graph for term in triple)


def _canonical(graph: Graph, label_prefix: str) -> Graph:
    """The graph with blank nodes relabelled from its structure, so equal graphs get equal labels."""
    if not _has_blank_nodes(graph):
        return graph
    relabelled = Graph(bind_namespaces="none")
    for triple in to_canonical_graph(graph):
        relabelled.add(tuple(BNode(label_prefix + t) if isinstance(t, BNode) else t for t in triple))
    return relabelled


def _sorted_jsonld(node):
    """JSON-LD with every unordered array sorted (an `@list` is an RDF list: its order is data)."""
    if isinstance(node, dict):
        return {key: [_sorted_jsonld(v) for v in value] if key == "@list" else _sorted_jsonld(value)
                for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(item) for item in node]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return node


# --- parse errors -------------------------------------------------------------------------------

def _parse_problem(path: Path, oxigraph_format: pyoxigraph.RdfFormat, error: Exception) -> str:
    """One line saying where and why parsing failed.

    rdflib's messages lack positions for some formats, so ask pyoxigraph, whose messages give line
    and column; keep rdflib's first line when pyoxigraph reads the file without complaint.
    """
    try:
        for _ in pyoxigraph.parse(path=str(path), format=oxigraph_format):
            pass
    except SyntaxError as e:
        message = str(e).splitlines()[0] if str(e) else ""
        message = re.sub(r"^Parser error at ", "", message)
        message = re.sub(r" \([^()]*, line \d+\)$", "", message)
        if message:
            return message
    except Exception:  # pyoxigraph is only asked for a better message; rdflib's error stands
        pass
    return _first_line(error)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    # notation3's BadSyntax spreads one message over lines: "at line 4 of <>:\nBad syntax (why) at ^ in: ..."
    bad_syntax = re.match(r"at line (\d+) of [^\n]*\nBad syntax \((.*?)\) at \^", text)
    if bad_syntax:
        return f"line {bad_syntax[1]}: {bad_syntax[2]}"
    return text.splitlines()[0] if text else type(error).__name__
