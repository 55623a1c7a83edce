"""A persistent knowledge graph on disk: pyoxigraph (RocksDB) plus a small person-key table.

Articles are added incrementally. Each article keeps its own named graph, stamped with
`<article> schema:sha256 "…"` (a hash of its text and metadata), so that

- an article already stored with the same hash is skipped;
- a changed article replaces its own graph, in one transaction, and nothing else;
- a new article's persons are merged with the stored ones (`build_dataset(existing_persons=…)`).

The default graph holds the union of the article graphs, as a set: a triple stated by a hundred
articles is there once. Queries read it (`Store.query`, `Store.run`), so that joins see each fact
once, as rdflib's union does, instead of once per article that states it (pyoxigraph's own union
default graph is a bag). Replacing an article keeps it exact: a triple leaves the union when no
other article graph holds it, in the same transaction.

Folder layout::

    DIR/majlis-store.json   marker and format version
    DIR/lock                flock: one writer, or any number of readers
    DIR/oxigraph/           the quads (RocksDB)
    DIR/persons.sqlite      person key -> name forms, indexed by last name word

The person table makes a lookup cost what the new articles need, not what the store holds:
`build_dataset` only ever merges persons whose name forms share a last word, so that is the
index. Its rows are written *before* their article's graph and are trusted only while that
article's stored hash matches theirs, so a killed `add` can leave stale rows but never wrong ones.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Literal, URIRef
from rdflib.term import Node as RDFNode

from extract import types as T
from extract.errors import MajlisError

from .build import build_dataset
from .identity import Identity, article_iri, graph_iri, match_form
from .vocabulary import MJ, PROV, SCHEMA, SKOS, bind_prefixes

log = logging.getLogger(__name__)

MARKER = "majlis-store.json"
FORMAT = 2  # 2: the default graph holds the union of the article graphs
SHA256 = SCHEMA.sha256
_XSD_STRING = str(XSD.string)
# Prefixes every query on the store may use without declaring them.
PREFIXES = {"schema": str(SCHEMA), "mj": str(MJ._NS), "prov": str(PROV), "skos": str(SKOS), "xsd": str(XSD),
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "id": "https://w3id.org/majlis/id/"}


class StoreError(MajlisError):
    """The store folder cannot be used."""


class StoreInUseError(StoreError):
    """Another process holds the store."""


@dataclass(frozen=True, slots=True)
class AddReport:
    """What one `Store.add` did, counted in articles."""

    added: int = 0
    replaced: int = 0
    skipped: int = 0


def content_hash(article: T.Article) -> str:
    """sha256 of the article's text and metadata: any edit to either gives a new hash."""
    fields = {"id": article.id, "text": article.text, "published": article.published.isoformat() if article.published else None,
              "url": article.url, "title": article.title, "source": article.source}
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class Store:
    """An open store. Use `Store.open(path)`; close it (or use `with`) to release the lock."""

    def __init__(self, path: Path, quads: ox.Store, persons: PersonTable | None, lock: _Lock):
        self.path = path
        self.read_only = persons is None
        self._quads = quads
        self._persons = persons
        self._lock = lock

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Store:
        """Open (creating unless `read_only`) the store in folder `path`.

        A writer holds the store alone; readers share it. Raises StoreInUseError when the other
        kind holds it, StoreError when `path` is not a store (or, read-only, does not exist).
        """
        path = Path(path)
        version = _prepare_folder(path, create=not read_only)
        if version == 1 and read_only:
            raise StoreError(f"store {path}: format 1, from an older majlis: `majlis add ... --store {path}` "
                             "upgrades it (reading alone cannot)")
        lock = _Lock.take(path, exclusive=not read_only)
        try:
            quads = _open_quads(path, read_only)
            if version == 1:
                _upgrade_from_1(path, quads)
            persons = None if read_only else PersonTable(path / "persons.sqlite")
        except BaseException:
            lock.release()
            raise
        return cls(path, quads, persons, lock)

    def close(self) -> None:
        if self._persons is not None:
            self._persons.close()
        self._quads = None  # RocksDB closes when the last reference goes
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- adding articles --------------------------------------------------------------------------

    def add(self, results: Iterable[T.ArticleResult], *, progress: Callable[[str], None] | None = None) -> AddReport:
        """Add a batch of articles; `progress(article_id)` is called after each one is committed.

        The batch is built as one (persons merged across it and with the store), then each new or
        changed article's graph is written in its own transaction.
        """
        if self._persons is None:
            raise StoreError(f"store {self.path} is open read-only")
        batch = _last_of_each_id(results)
        hashes = {r.article.id: content_hash(r.article) for r in batch}
        stored = {article_id: self.stored_hash(article_id) for article_id in hashes}
        todo = [r for r in batch if stored[r.article.id] != hashes[r.article.id]]
        report = AddReport(added=sum(stored[r.article.id] is None for r in todo),
                           replaced=sum(stored[r.article.id] is not None for r in todo),
                           skipped=len(batch) - len(todo))
        if not todo:
            return report
        existing = self.person_names(_person_names_in(batch))
        # Skipped articles are built too: they take part in the batch's merges and country votes,
        # so a re-run after a killed add builds the missing articles exactly as the first run did.
        dataset = build_dataset(batch, existing_persons=existing)
        identity = Identity(batch, existing)  # the same merge build_dataset made: to learn the keys
        graphs = {r.article.id: dataset.graph(graph_iri(r.article.id)) for r in todo}
        self._persons.record(
            (article_id, hashes[article_id], key, name)
            for r in todo for article_id in [r.article.id]
            for key, name in _persons_of(r, identity, graphs[article_id]))
        for r in todo:
            article_id = r.article.id
            self._replace_graph(article_id, graphs[article_id], hashes[article_id])
            if progress is not None:
                progress(article_id)
        self._persons.forget_other_versions({r.article.id: hashes[r.article.id] for r in todo})
        return report

    def _replace_graph(self, article_id: str, graph, digest: str) -> None:
        name = ox.NamedNode(graph_iri(article_id))
        new = {tuple(_to_ox(term) for term in triple) for triple in graph}
        new.add((ox.NamedNode(article_iri(article_id)), ox.NamedNode(SHA256), ox.Literal(digest)))
        old = [(q.subject, q.predicate, q.object) for q in self._quads.quads_for_pattern(None, None, None, name)]
        if not old:  # a new article: one transaction, without an update request to parse
            self._quads.extend([ox.Quad(*t, name) for t in new] + [ox.Quad(*t) for t in new])
            return
        gone = [t for t in old if t not in new and not self._held_elsewhere(t, name)]
        lines = "\n".join(f"{s} {p} {o} ." for s, p, o in new)
        update = [f"DROP SILENT GRAPH {name}",
                  f"INSERT DATA {{ GRAPH {name} {{\n{lines}\n}} }}",
                  f"INSERT DATA {{\n{lines}\n}}"]
        if gone:
            update.append("DELETE DATA {\n" + "\n".join(f"{s} {p} {o} ." for s, p, o in gone) + "\n}")
        # One update request is one transaction: the article's graph and the union change together,
        # or neither. The text is N-Triples written by pyoxigraph's own term serialiser, not user input.
        self._quads.update(" ;\n".join(update))

    def _held_elsewhere(self, triple: tuple, graph: ox.NamedNode) -> bool:
        """Whether an article graph other than `graph` states `triple` (then the union keeps it)."""
        return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name != graph
                   for q in self._quads.quads_for_pattern(*triple, None))

    # --- reading ------------------------------------------------------------------------------------

    def stored_hash(self, article_id: str) -> str | None:
        """The content hash of the stored version of `article_id`, or None if it is not stored."""
        for quad in self._quads.quads_for_pattern(ox.NamedNode(article_iri(article_id)), ox.NamedNode(SHA256), None,
                                                  ox.NamedNode(graph_iri(article_id))):
            return quad.object.value
        return None

    def article_ids(self) -> list[str]:
        """Every stored article id, sorted (reads two triples per article)."""
        found = self._quads.query("SELECT ?id { GRAPH ?g { ?article schema:sha256 ?hash ; schema:identifier ?id } }",
                                  prefixes=PREFIXES)
        return sorted(solution["id"].value for solution in found)

    def person_names(self, names: Iterable[str] | None = None) -> dict[str, list[str]]:
        """Stored persons as key -> name forms: those whose names could merge with `names`, or all.

        With `names`, only the index is read: persons sharing a last name word with one of them,
        widened until the group is closed (an alias can bring in another last word).
        """
        if self._persons is None:
            raise StoreError(f"store {self.path} is open read-only")
        current = _CurrentVersions(self)
        if names is None:
            return _group(_current_forms(self._persons.all_rows(), current).values())
        words = {w for n in names for w in _last_words(n)}
        seen_words: set[str] = set()
        seen_keys: set[str] = set()
        forms: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        while words - seen_words:
            fresh = words - seen_words
            seen_words |= fresh
            keys = self._persons.keys_with_last_words(fresh) - seen_keys
            seen_keys |= keys
            found = _current_forms(self._persons.rows_for_keys(keys), current)
            words |= {w for key, name in found for w in _last_words(name)}
            forms |= found
        return _group(forms.values())

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None):
        """Run SPARQL on pyoxigraph over the union of the article graphs; `bindings` are substituted, not spliced.

        The default graph is that union; `GRAPH ?g { … }` reaches each article's own graph.

        pyoxigraph substitutes only variables the SELECT projects (SPARQL SEP-0007), so project them.
        Returns pyoxigraph's lazy result (QuerySolutions, QueryTriples or QueryBoolean).
        """
        substitutions = {ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()}
        try:
            return self._quads.query(sparql, prefixes=PREFIXES,
                                     substitutions=substitutions)
        except SyntaxError as e:
            raise MajlisError(f"SPARQL syntax error: {_first_line(e)}") from e
        except RuntimeError as e:  # pyoxigraph's error for a substitution it cannot make
            raise MajlisError(f"SPARQL query: {_first_line(e)}") from e

    def run(self, query, params: Mapping[str, str] | None = None):
        """A shipped query (a name, a .rq path, SPARQL text or a QueryInfo) on the union: a `queries.Result`."""
        import queries

        return queries.run_oxigraph(self._quads, query, params, union=False)

    def quad_count(self) -> int:
        return int(next(iter(self._quads.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")))["n"].value)

    def dataset(self) -> Dataset:
        """A copy of the whole store as an rdflib Dataset (one named graph per article), for export."""
        ds = Dataset(default_union=True)
        bind_prefixes(ds)
        for quad in self._quads.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, ox.NamedNode):  # the default graph is their union: not copied
                ds.graph(_from_ox(quad.graph_name)).add((_from_ox(quad.subject), _from_ox(quad.predicate),
                                                         _from_ox(quad.object)))
        return ds

    def as_rdflib(self) -> Dataset:
        """The store as an rdflib Dataset for `queries.run`, network and export; see bench for the choice."""
        return self.dataset()

    def quads_store(self) -> ox.Store:
        """The pyoxigraph store itself, for readers that query it directly (the SPARQL server)."""
        return self._quads


# --- the folder and its lock ---------------------------------------------------------------------

def _prepare_folder(path: Path, create: bool) -> None:
    marker = path / MARKER
    if path.exists() and not path.is_dir():
        raise StoreError(f"store {path}: not a folder")
    if marker.is_file():
        try:
            version = json.loads(marker.read_text(encoding="utf-8")).get("format")
        except (OSError, ValueError, AttributeError) as e:
            raise StoreError(f"store {path}: unreadable {MARKER}") from e
        if version not in (1, FORMAT):
            raise StoreError(f"store {path}: format {version!r}, this majlis reads format {FORMAT}")
        return version
    if not create:
        raise StoreError(f"store {path}: no such store (no {MARKER})")
    if path.exists() and any(path.iterdir()):
        raise StoreError(f"store {path}: folder is not empty and is not a majlis store")
    try:
        path.mkdir(parents=True, exist_ok=True)
        _write_marker(path)
    except OSError as e:
        raise StoreError(f"store {path}: cannot create: {e.strerror}") from e
    return FORMAT


def _write_marker(path: Path) -> None:
    temporary = path / f".{MARKER}.tmp"
    temporary.write_text(json.dumps({"format": FORMAT}) + "\n", encoding="utf-8")
    os.replace(temporary, path / MARKER)


def _upgrade_from_1(path: Path, quads: ox.Store) -> None:
    """Format 1 had no union in the default graph: make it, in one transaction, then say so in the marker.

    A killed upgrade leaves format 1 and is simply done again.
    """
    log.warning("store %s: upgrading from format 1 to %d (the union of the article graphs)", path, FORMAT)
    quads.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    quads.flush()
    _write_marker(path)


class _Lock:
    """An flock on DIR/lock: exclusive for a writer, shared for readers, never waited for."""

    def __init__(self, fd: int | None):
        self._fd = fd

    @classmethod
    def take(cls, path: Path, exclusive: bool) -> _Lock:
        try:
            fd = os.open(path / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"store {path}: cannot open lock file: {e.strerror}") from e
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError as e:
            os.close(fd)
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise StoreInUseError(f"store {path} is in use by another majlis process") from e
            raise StoreError(f"store {path}: cannot lock: {e.strerror}") from e
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def _open_quads(path: Path, read_only: bool) -> ox.Store:
    folder = path / "oxigraph"
    try:
        return ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
    except OSError as e:
        message = _first_line(e)
        if "lock" in message.lower():  # RocksDB's own lock: another process has it open
            raise StoreInUseError(f"store {path} is in use by another majlis process") from e
        raise StoreError(f"store {path}: cannot open: {message}") from e


# --- the person table ------------------------------------------------------------------------------

class PersonTable:
    """Rows (article, hash, person key, name form, last word of the name) in SQLite."""

    def __init__(self, path: Path):
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.executescript("""
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS person_name (
                    article TEXT NOT NULL, hash TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
                    last_word TEXT NOT NULL, PRIMARY KEY (article, hash, key, name));
                CREATE INDEX IF NOT EXISTS by_last_word ON person_name (last_word, key);
                CREATE INDEX IF NOT EXISTS by_key ON person_name (key);
            """)
        except sqlite3.Error as e:
            raise StoreError(f"store {path.parent}: person table: {e}") from e

    def close(self) -> None:
        self._db.close()

    def record(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO person_name VALUES (?, ?, ?, ?, ?)",
                ((article, digest, key, name, word) for article, digest, key, name in rows
                 for word in _last_words(name)))

    def forget_other_versions(self, current: Mapping[str, str]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM person_name WHERE article = ? AND hash != ?", current.items())

    def keys_with_last_words(self, words: Iterable[str]) -> set[str]:
        return {key for chunk in _chunks(sorted(words))
                for (key,) in self._db.execute(
                    f"SELECT DISTINCT key FROM person_name WHERE last_word IN ({_marks(chunk)})", chunk)}

    def rows_for_keys(self, keys: Iterable[str]) -> list[tuple[str, str, str, str]]:
        return [row for chunk in _chunks(sorted(keys))
                for row in self._db.execute(
                    f"SELECT DISTINCT article, hash, key, name FROM person_name WHERE key IN ({_marks(chunk)})", chunk)]

    def all_rows(self) -> Iterator[tuple[str, str, str, str]]:
        return self._db.execute("SELECT DISTINCT article, hash, key, name FROM person_name")

    def _transaction(self):
        return _SqliteTransaction(self._db)


class _SqliteTransaction:
    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _marks(chunk: list) -> str:
    return ", ".join("?" * len(chunk))  # placeholders only: values are bound, never spliced


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _CurrentVersions:
    """Whether a person row belongs to the stored version of its article (memoised per lookup)."""

    def __init__(self, store: Store):
        self._store = store
        self._hashes: dict[str, str | None] = {}

    def holds(self, row: tuple[str, str, str, str]) -> bool:
        article, digest = row[0], row[1]
        if article not in self._hashes:
            self._hashes[article] = self._store.stored_hash(article)
        return self._hashes[article] == digest


def _current_forms(rows: Iterable[tuple[str, str, str, str]],
                   current: _CurrentVersions) -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """One row per (person key, name form) among `rows`, from a stored version of its article.

    A popular person has a row in every article that names them: checking one current row per
    form, not every row, keeps the hash lookups to what the forms need, not what the store holds.
    """
    forms: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for row in rows:
        form = (row[2], row[3])
        if form not in forms and current.holds(row):
            forms[form] = row
    return forms


def _group(rows: Iterable[tuple[str, str, str, str]]) -> dict[str, list[str]]:
    names: dict[str, set[str]] = {}
    for _, _, key, name in rows:
        names.setdefault(key, set()).add(name)
    return {key: sorted(forms) for key, forms in sorted(names.items())}


def _last_words(name: str) -> list[str]:
    form = match_form(name)
    return [form[-1]] if form else []


def _person_names_in(results: Iterable[T.ArticleResult]) -> set[str]:
    return {t.object for r in results for t in r.triples
            if t.subject.kind == T.PERSON and t.relation in (T.NAME, T.ALTERNATE_NAME) and isinstance(t.object, str)}


def _persons_of(result: T.ArticleResult, identity: Identity, graph) -> Iterator[tuple[str, str]]:
    """(canonical key, name form) of every person the article's graph names."""
    nodes = {t.subject for t in result.triples if t.subject.kind == T.PERSON}
    nodes |= {t.object for t in result.triples if isinstance(t.object, T.Node) and t.object.kind == T.PERSON}
    for node in sorted(nodes, key=lambda n: n.key):
        iri = identity.iri(node)
        for predicate in (SCHEMA.name, SCHEMA.alternateName):
            for name in graph.objects(iri, predicate):
                yield identity.node(node).key, str(name)


def _last_of_each_id(results: Iterable[T.ArticleResult]) -> list[T.ArticleResult]:
    by_id: dict[str, T.ArticleResult] = {}
    for r in results:
        if r.article.id in by_id:
            log.warning("article %s is in the batch twice: the later one is kept", r.article.id)
        by_id[r.article.id] = r
    return list(by_id.values())


# --- rdflib <-> pyoxigraph terms -------------------------------------------------------------------

def _to_ox(term: RDFNode | object):
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, str):
        return ox.Literal(term)
    raise TypeError(f"cannot bind a {type(term).__name__} in a query")


def _from_ox(term) -> RDFNode:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
