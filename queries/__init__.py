"""SPARQL as data: the shipped `.rq` queries, a small runner and three output formats.

Every `.rq` file beside this module starts with a header the runner reads:

    # name: meetings-of
    # description: Every meeting of a person, found by name or alias in any spelling
    # params: person (a name or alias, any spelling)
    # columns: name, date, place, met_with, topics, meeting

`# params: none` for a query without parameters; a parameter whose explanation starts with
"optional" may be left out (its variable then stays unbound). Several parameters are separated
by commas.

Parameters are never formatted into the SPARQL text. Each parameter `p` is bound with
`initBindings` to the variable `?p`, as a plain literal in *match form* (see `match_form` and
`needle`): diacritics, tatweel and direction marks removed, alef forms, ya, waw and ta marbuta
unified, lower case, the first word's definite article dropped. A query looks for it inside the
same form of the graph's names, computed in SPARQL with REPLACE, so "حموشى" finds
"عبد اللطيف حموشي" and "الأمن" finds "المديرية العامة للأمن الوطني".

    info = load("meetings-of")              # a shipped name, a path to a .rq file, or SPARQL text
    result = run(dataset, info, {"person": "حموشي"})
    print(format_table(result))

Queries are parsed once per process. `graph` may be an rdflib Graph or a Dataset; a Dataset is
always read as the union of its graphs. `run_oxigraph(store, info, params)` runs the same queries
on a pyoxigraph store (what `majlis query --store` and `majlis serve` do), with the same answers.

The shipped queries are written for engines that keep the written order of a group's patterns,
as rdflib and Oxigraph do: each pattern starts from a variable already bound, checks are EXISTS and
look-ups OPTIONAL (evaluated row by row), and counts are made before names are looked up. Written
the other way, a join on `?meeting a mj:Meeting` reads every meeting of the graph for each person.
"""
from __future__ import annotations

import csv
import difflib
import functools
import io
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query, SPARQLError

__all__ = ["QueryError", "QueryInfo", "Result", "names", "describe", "load", "run", "run_oxigraph", "bind_in_text",
           "match_form", "needle",
           "format_table", "format_csv", "format_json", "display_width", "PREFIXES"]

HERE = Path(__file__).resolve().parent

# Prefixes every query may use without declaring them (the shipped files declare theirs anyway,
# so they can be pasted into any SPARQL endpoint).
PREFIXES = {
    "schema": "https://schema.org/",
    "mj": "https://w3id.org/majlis#",
    "id": "https://w3id.org/majlis/id/",
    "prov": str(PROV),
    "skos": str(SKOS),
    "org": str(ORG),
    "xsd": str(XSD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
}

_HEADER_LINE = re.compile(r"^#\s*(name|description|params|columns)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*(?:,|$)")
_SPARQL_WORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", re.IGNORECASE)
TEXT_NAME = "(text)"  # QueryInfo.name of a query given as SPARQL text


class QueryError(Exception):
    """A problem with the user's query or parameters; the message is one line, fit for the CLI."""


@dataclass(frozen=True)
class QueryInfo:
    name: str
    description: str
    params: tuple[str, ...]
    text: str
    columns: tuple[str, ...] = ()
    optional: frozenset[str] = frozenset()  # the params that may be left out

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p not in self.optional)


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple[str | None, ...]]


# --- finding queries -------------------------------------------------------------------------------

def names() -> list[str]:
    """The names of the shipped queries, sorted."""
    return sorted(p.stem for p in HERE.glob("*.rq"))


def describe(name: str) -> QueryInfo:
    """The header and text of a shipped query."""
    path = HERE / f"{name}.rq"
    if name not in names():
        raise QueryError(_unknown_name(name))
    return _parse(path.read_text(encoding="utf-8"), default_name=name)


def load(query: str | Path) -> QueryInfo:
    """A shipped query by name, a `.rq` file by path, or SPARQL text; checked for syntax errors."""
    text = str(query)
    if text in names():
        info = describe(text)
    elif isinstance(query, Path) or _looks_like_path(text):
        info = _parse(_read(Path(text)), default_name=Path(text).stem)
    elif _SPARQL_WORD.search(text) or "{" in text:
        info = _parse(text, default_name=TEXT_NAME)
    else:
        raise QueryError(_unknown_name(text))
    try:
        _prepare(info.text)
    except QueryError as e:
        if info.name == TEXT_NAME:
            raise
        raise QueryError(f"{query}: {e}") from e.__cause__
    return info


def _looks_like_path(text: str) -> bool:
    if "\n" in text or "{" in text:
        return False
    return text.endswith(".rq") or Path(text).is_file()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise QueryError(f"{path}: cannot read: {e.strerror or e}") from None


def _unknown_name(name: str) -> str:
    close = difflib.get_close_matches(name, names(), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known queries: {', '.join(names())}"
    return f"unknown query {name!r} ({hint})"


def _parse(text: str, default_name: str) -> QueryInfo:
    """Read the header comment block (the leading lines starting with #)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match:
            fields[match.group(1)] = match.group(2)
    params, optional = _parse_params(fields.get("params", "none"), default_name)
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    return QueryInfo(name=fields.get("name", default_name), description=fields.get("description", ""),
                     params=params, text=text, columns=columns, optional=optional)


def _parse_params(spec: str, query_name: str) -> tuple[tuple[str, ...], frozenset[str]]:
    if spec.strip().lower() in ("", "none", "-"):
        return (), frozenset()
    params: list[str] = []
    optional: set[str] = set()
    position = 0
    while position < len(spec):
        match = _PARAM.match(spec, position)
        if not match or match.end() == position:
            raise QueryError(f"{query_name}: cannot read the '# params:' header {spec!r}")
        name, explanation = match.group(1), match.group(2) or ""
        params.append(name)
        if explanation.strip().lower().startswith("optional"):
            optional.add(name)
        position = match.end()
    return tuple(params), frozenset(optional)


# --- running ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _prepare(text: str) -> Query:
    """Parse and algebrise a query once per process."""
    try:
        return prepareQuery(text, initNs=PREFIXES)
    except Exception as e:  # pyparsing's ParseException, or rdflib's errors for unknown prefixes etc.
        raise QueryError(f"malformed SPARQL: {_one_line(str(e))}") from e


_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
                    "\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LETTERS = [(re.compile("[آأإٱ]"), "ا"), (re.compile("[ىئ]"), "ي"), (re.compile("ؤ"), "و"), (re.compile("ة"), "ه"),
            (re.compile(r"\s+"), " ")]


def match_form(text: str) -> str:
    """The form names are compared in: the Python twin of the REPLACE chain in the .rq files.

    Diacritics, Quranic marks, tatweel and invisible direction marks go; آ أ إ ٱ become ا,
    ى ئ become ي, ؤ becomes و, ة becomes ه; white space is collapsed; Latin is lower-cased.
    """
    text = _MARKS.sub("", text)
    for pattern, replacement in _LETTERS:
        text = pattern.sub(replacement, text)
    return text.strip().lower()


def needle(text: str) -> str:
    """What a name parameter is bound to: its match form, less a leading definite article.

    Prepositions fuse with the article (ل + الأمن is written للأمن), so "الأمن" must be looked
    for as "امن" to find "المديرية العامة للأمن الوطني". Only the first word loses its article:
    the graph's names keep theirs, and the comparison is "contains".
    """
    key = match_form(text)
    first, space, rest = key.partition(" ")
    if first.startswith("ال") and len(first) > 4:
        key = first[2:] + space + rest
    return key


def run(graph: Graph, query: QueryInfo | str, params: Mapping[str, str] | None = None) -> Result:
    """Run `query` against `graph` (a Graph, or a Dataset read as the union of its graphs)."""
    info = query if isinstance(query, QueryInfo) else load(query)
    bindings = _bindings(info, params or {})
    prepared = _prepare(info.text)
    with warnings.catch_warnings():
        # rdflib 7 warns about its own use of Dataset.default_context on every triple pattern.
        warnings.filterwarnings("ignore", r"Dataset\.default_context is deprecated", DeprecationWarning)
        try:
            return _collect(_union(graph).query(prepared, initBindings=bindings))
        except SPARQLError as e:
            raise QueryError(f"{info.name}: {_one_line(str(e))}") from e


def run_oxigraph(store, query: QueryInfo | str, params: Mapping[str, str] | None = None, *,
                 union: bool = True) -> Result:
    """Run `query` on a pyoxigraph Store, natively (no rdflib in the way).

    `union`: read the union of the named graphs as the default graph (a `majlis add` store); False
    for a store whose default graph already holds that union (what `majlis serve` loads).
    pyoxigraph binds only variables the SELECT projects, and the shipped queries use theirs inside
    subqueries and FILTERs, so each parameter is written into the text as a literal serialised by
    pyoxigraph itself (quotes and backslashes escaped), in variable positions only (`bind_in_text`).
    """
    info = query if isinstance(query, QueryInfo) else load(query)
    values = {name: str(ox.Literal(str(value))) for name, value in _bindings(info, params or {}).items()}
    text = bind_in_text(info.text, values)
    try:
        return _collect_oxigraph(store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union))
    except SyntaxError as e:
        raise QueryError(f"{info.name}: malformed SPARQL: {_one_line(str(e))}") from e
    except (OSError, RuntimeError, ValueError) as e:  # pyoxigraph's evaluation errors
        raise QueryError(f"{info.name}: {_one_line(str(e))}") from e


# A variable, and what must be stepped over to find one: comments, strings (long forms first) and
# IRIs; a "<" followed by a space is the less-than operator, not an IRI.
_SPARQL_PARTS = re.compile(r"""
    (?P<skip> \#[^\n]*
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n]|\\.)*'
      | "(?:[^"\\\n]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*> )
  | [?$](?P<var>[A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
""", re.VERBOSE)


def bind_in_text(text: str, values: Mapping[str, str]) -> str:
    """`text` with each variable named in `values` replaced by its value, written in SPARQL syntax.

    Only whole variable tokens are replaced: comments, strings and IRIs are left as they are.
    """
    if not values:
        return text

    def replace(match: re.Match) -> str:
        name = match.group("var")
        return values[name] if name in values else match.group(0)

    return _SPARQL_PARTS.sub(replace, text)


def _collect_oxigraph(result) -> Result:
    """Plain strings out of a pyoxigraph result, shaped as `_collect` shapes rdflib's."""
    if isinstance(result, ox.QueryBoolean):
        return Result(["answer"], [("true" if bool(result) else "false",)])
    if isinstance(result, ox.QueryTriples):
        return Result(["subject", "predicate", "object"],
                      sorted((t.subject.value, t.predicate.value, t.object.value) for t in result))
    columns = [v.value for v in result.variables]
    return Result(columns, [tuple(None if term is None else term.value for term in row) for row in result])


def _collect(result) -> Result:
    """Plain strings out of an rdflib result (evaluation is lazy: this is where the work happens)."""
    if result.type == "ASK":
        return Result(["answer"], [("true" if result.askAnswer else "false",)])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rows = sorted(tuple(_plain(term) for term in triple) for triple in result.graph)
        return Result(["subject", "predicate", "object"], rows)
    columns = [str(v) for v in result.vars]
    return Result(columns, [tuple(_plain(value) for value in row) for row in result])


def _bindings(info: QueryInfo, params: Mapping[str, str]) -> dict[str, Literal]:
    unknown = sorted(set(params) - set(info.params))
    if unknown:
        takes = ", ".join(info.params) if info.params else "no parameters"
        raise QueryError(f"unknown parameter {unknown[0]!r} for query {info.name} (it takes {takes})")
    missing = [p for p in info.required if p not in params]
    if missing:
        raise QueryError(f"query {info.name} needs the parameter {missing[0]!r}")
    bindings = {}
    for name, value in params.items():
        key = needle(str(value))
        if not key:
            raise QueryError(f"parameter {name!r} of query {info.name} is empty")
        bindings[name] = Literal(key)
    return bindings


def _union(graph: Graph) -> Graph:
    """A Dataset without default_union would show only its default graph: view all of its graphs."""
    if isinstance(graph, Dataset) and not graph.default_union:
        return Dataset(store=graph.store, default_union=True)
    return graph


def _plain(term) -> str | None:
    return None if term is None else str(term)


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- output ----------------------------------------------------------------------------------------

# Bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates) would reorder a terminal line.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value: str | None) -> str:
    """A value made safe for one terminal cell: no control characters, no bidi controls."""
    if value is None:
        return ""
    out = []
    for char in value:
        if char in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
        elif char in _BIDI or unicodedata.category(char) == "Cc":
            continue
        else:
            out.append(char)
    return "".join(out)


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: wide CJK characters take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def format_table(result: Result) -> str:
    """An aligned text table (numbers right-aligned) and a row count, for reading in a terminal."""
    header = [_cell(c) for c in result.columns]
    body = [[_cell(v) for v in row] for row in result.rows]
    widths = [max([display_width(header[i])] + [display_width(r[i]) for r in body]) for i in range(len(header))]
    numeric = [bool(body) and all(_NUMBER.match(r[i]) or not r[i] for r in body) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = []
        for i, cell in enumerate(cells):
            gap = " " * (widths[i] - display_width(cell))
            padded.append(gap + cell if numeric[i] else cell + gap)
        return "  ".join(padded).rstrip()

    count = len(body)
    lines = [line(header), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in body]
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def format_csv(result: Result) -> str:
    """RFC 4180 CSV: a header row, CRLF line ends, quoting where needed; unbound values are empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows(["" if v is None else v for v in row] for row in result.rows)
    return out.getvalue()


def format_json(result: Result) -> str:
    """A JSON list of objects, one per row, keys in column order; unbound values are null."""
    records = [dict(zip(result.columns, row)) for row in result.rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
