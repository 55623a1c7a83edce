"""Read articles from .txt and .jsonl files, one at a time, and clean their text.

- A `.txt` file is one article; its id is the file name without extension.
- A `.jsonl` file holds one article per line: `{"id", "text"}` required; `"published"`
  ("YYYY-MM-DD"), `"url"`, `"title"`, `"source"` optional; blank lines are ignored.
- A folder stands for every .txt and .jsonl file directly inside it, in sorted order
  (not recursive; hidden files are ignored).

Cleaning: UTF-8 only; a byte-order mark is dropped; CRLF and CR become LF; HTML markup is
reduced to plain text (scripts and styles dropped, entities unescaped). Evidence offsets
point into this cleaned text, which is what the Article holds.

Problems with one article are yielded as `Rejected` so a batch carries on; a path that does
not exist or cannot be read raises `InputError`, since that is a usage problem.
Articles longer than MAX_ARTICLE_CHARS (2,000,000 characters, some 800 pages) are rejected:
no news article is that long, and spaCy's memory grows with the length of a document.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from .errors import InputError
from .types import Article

MAX_ARTICLE_CHARS = 2_000_000
# Byte budgets that can hold MAX_ARTICLE_CHARS: UTF-8 takes at most 4 bytes a character, JSON at
# most 12 (a surrogate pair written as two \uXXXX escapes). Longer input is refused unread.
_MAX_TXT_BYTES = 4 * MAX_ARTICLE_CHARS + 4
_MAX_JSONL_LINE_BYTES = 12 * MAX_ARTICLE_CHARS + 64 * 1024
_SUFFIXES = (".txt", ".jsonl")
_OPTIONAL_FIELDS = ("url", "title", "source")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rejected:
    """An article that was skipped. `source` is the file, or `file:line` for JSONL."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class _Reject(Exception):
    """Raised inside this module when one article is unusable; becomes a Rejected."""


def read_articles(paths: Sequence[Path | str]) -> Iterator[Article | Rejected]:
    """Every article of `paths` (files or folders), in order, or a Rejected for each bad one.

    Raises InputError at once if a path is missing or names an unsupported file, and while
    iterating if a file cannot be read. Only one article's text is held at a time.
    """
    files = [file for path in paths for file in _expand(Path(path))]
    return _articles_in(files)


def _articles_in(files: list[Path]) -> Iterator[Article | Rejected]:
    first_source: dict[str, str] = {}  # article id -> where it was first read
    for file in files:
        for source, item in _read_file(file):
            if isinstance(item, Article):
                if item.id in first_source:
                    item = Rejected(source, f'duplicate id "{item.id}" (first read in {first_source[item.id]})')
                else:
                    first_source[item.id] = source
            yield item


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        try:
            entries = sorted(path.iterdir())
        except OSError as e:
            raise InputError(f"{path}: cannot read folder: {e.strerror}") from e
        files = [p for p in entries if p.suffix.lower() in _SUFFIXES and not p.name.startswith(".") and p.is_file()]
        if not files:
            raise InputError(f"{path}: folder holds no .txt or .jsonl files")
        return files
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix.lower() not in _SUFFIXES:
        raise InputError(f"{path}: not a .txt or .jsonl file")
    return [path]


def _read_file(file: Path) -> Iterator[tuple[str, Article | Rejected]]:
    """(source, article or rejection) for each article of one file; source is `file` or `file:line`."""
    try:
        stream = file.open("rb")
    except OSError as e:
        raise InputError(f"{file}: cannot read: {e.strerror}") from e
    with stream:
        if file.suffix.lower() == ".txt":
            yield str(file), _read_txt(file, stream)
        else:
            yield from _read_jsonl(file, stream)


def _read_txt(file: Path, stream: BinaryIO) -> Article | Rejected:
    data = _read_or_fail(file, stream, _MAX_TXT_BYTES + 1)
    if len(data) > _MAX_TXT_BYTES:
        return Rejected(str(file), f"too long: over {MAX_ARTICLE_CHARS:,} characters (the limit)")
    try:
        text = _clean_text(_decode(data), str(file))
    except _Reject as e:
        return Rejected(str(file), str(e))
    return Article(id=file.stem, text=text)


def _read_jsonl(file: Path, stream: BinaryIO) -> Iterator[tuple[str, Article | Rejected]]:
    number = 0
    while line := _readline_or_fail(file, stream):
        number += 1
        source = f"{file}:{number}"
        if len(line) > _MAX_JSONL_LINE_BYTES:
            _skip_rest_of_line(file, stream, line)
            yield source, Rejected(source, f"too long: over {MAX_ARTICLE_CHARS:,} characters (the limit)")
        elif line.strip():
            try:
                yield source, _parse_jsonl_line(line, source)
            except _Reject as e:
                yield source, Rejected(source, str(e))


def _readline_or_fail(file: Path, stream: BinaryIO) -> bytes:
    try:
        return stream.readline(_MAX_JSONL_LINE_BYTES + 1)
    except OSError as e:
        raise InputError(f"{file}: cannot read: {e.strerror}") from e


def _skip_rest_of_line(file: Path, stream: BinaryIO, line: bytes) -> None:
    while line and not line.endswith(b"\n"):
        line = _readline_or_fail(file, stream)


def _read_or_fail(file: Path, stream: BinaryIO, size: int) -> bytes:
    try:
        return stream.read(size)
    except OSError as e:
        raise InputError(f"{file}: cannot read: {e.strerror}") from e


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Reject("UTF-16 text: save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _Reject(f"binary content, not text (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Reject(f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def _parse_jsonl_line(line: bytes, source: str) -> Article:
    try:
        # A BOM may open the file; without the line end, error columns count from this line.
        record = json.loads(_decode(line).removeprefix("\ufeff").rstrip("\r\n"))
    except json.JSONDecodeError as e:
        raise _Reject(f"line is not JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(record, dict):
        raise _Reject("line is not a JSON object")
    article_id = _required_string(record, "id").strip()
    if not article_id:
        raise _Reject('empty "id"')
    text = _clean_text(_required_string(record, "text"), source)
    optional = {name: _optional_string(record, name) for name in _OPTIONAL_FIELDS}
    if optional["title"] is not None:
        optional["title"] = _plain(optional["title"]).strip() or None
    return Article(id=article_id, text=text, published=_published(record), **optional)


def _required_string(record: dict, name: str) -> str:
    if name not in record:
        raise _Reject(f'missing "{name}"')
    value = record[name]
    if not isinstance(value, str):
        raise _Reject(f'"{name}" is not a string')
    return value


def _optional_string(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise _Reject(f'"{name}" is not a string')
    return value


def _published(record: dict) -> dt.date | None:
    value = record.get("published")
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _Reject(f'bad "published" date {json.dumps(value, ensure_ascii=False)} (expected YYYY-MM-DD)')


def _clean_text(text: str, source: str = "<text>") -> str:
    """The text an Article holds: no BOM, LF line ends, no markup. Raises _Reject if nothing is left."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise _Reject("binary content, not text (NUL character)")
    if looks_like_html(text):
        log.info("%s: HTML markup removed", source)
        text = html_to_text(text)
    elif _ENTITY.search(text):
        text = html.unescape(text)
    if not text.strip():
        raise _Reject("empty: no text" if not text else "empty: whitespace only")
    if len(text) > MAX_ARTICLE_CHARS:
        raise _Reject(f"too long: {len(text):,} characters (limit {MAX_ARTICLE_CHARS:,})")
    return text


# HTML detection asks for a real element name, so "a < b" or "<<الأمن>>" in plain text is left alone.
_BLOCK_TAGS = frozenset("""address article aside blockquote body br dd div dl dt figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody td tfoot th thead tr ul""".split())
_DROPPED_TAGS = frozenset("script style noscript template head svg iframe".split())
_INLINE_TAGS = frozenset(
    "a abbr b cite code em font i img label meta link mark q s small span strong sub sup time u".split())
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|<!--|<!doctype", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


def looks_like_html(text: str) -> bool:
    for match in _TAG.finditer(text):
        name = (match.group(1) or "").lower()
        if match.group(1) is None or name in _BLOCK_TAGS or name in _DROPPED_TAGS or name in _INLINE_TAGS:
            return True
    return False


def html_to_text(markup: str) -> str:
    """Plain text of an HTML page or fragment: one line per block element, blank lines collapsed."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _plain(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html_to_text(text) if looks_like_html(text) else html.unescape(text)


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive already unescaped
        self.parts: list[str] = []
        self._dropping: list[str] = []  # open script/style elements

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            if tag in self._dropping:
                del self._dropping[self._dropping.index(tag):]
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)
