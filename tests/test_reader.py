"""extract.reader: files and folders in, clean Articles or one-line Rejected reasons out."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extract import reader
from extract.errors import InputError, MajlisError
from extract.reader import Rejected, html_to_text, looks_like_html, read_articles
from extract.types import Article

# Invented officials in the genre of the press; no text is taken from elsewhere.
MEETING = "استقبل وزير الداخلية سليم الورداني، اليوم الثلاثاء بالرباط، نظيره التونسي كمال بن عيسى."
SECOND = "وتباحث الجانبان سبل تعزيز التعاون الأمني في مجال مكافحة الإرهاب."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def read_all(*paths: Path) -> list[Article | Rejected]:
    return list(read_articles(list(paths)))


def only(items: list) -> Article | Rejected:
    assert len(items) == 1, items
    return items[0]


# --- .txt ---------------------------------------------------------------------------------------

def test_a_txt_file_is_one_article_named_after_the_file(tmp_path):
    path = write(tmp_path / "rabat_meeting.txt", MEETING + "\n" + SECOND)
    assert only(read_all(path)) == Article(id="rabat_meeting", text=MEETING + "\n" + SECOND)


@pytest.mark.parametrize("raw, expected", [
    ("\ufeff" + MEETING, MEETING),                                  # byte-order mark dropped
    (MEETING + "\r\n" + SECOND + "\r\n", MEETING + "\n" + SECOND + "\n"),  # Windows line ends
    (MEETING + "\r" + SECOND, MEETING + "\n" + SECOND),            # old Mac line ends
    ("\ufeff" + MEETING + "\r\n\r\n" + SECOND, MEETING + "\n\n" + SECOND),
])
def test_bom_and_line_ends_are_cleaned(tmp_path, raw, expected):
    article = only(read_all(write(tmp_path / "a.txt", raw)))
    assert article.text == expected
    # Offsets computed on the Article's text point at the right words.
    start = article.text.index("نظيره")
    assert article.text[start:start + 5] == "نظيره"


def cp1256_case() -> tuple[bytes, str]:
    data = "وزير".encode("utf-8") + " ".encode() + "الداخلية".encode("cp1256")
    offset = len("وزير ".encode("utf-8"))
    return data, f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})"


@pytest.mark.parametrize("data, reason", [
    cp1256_case(),
    ("Réunion à Rabat".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 1)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content, not text (NUL byte at offset 8)"),
    ("وزير".encode() + b"\x00\x00" + "الداخلية".encode(), "binary content, not text (NUL byte at offset 8)"),
    ("وزير الداخلية".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    (b"", "empty: no text"),
    (b" \n\t\r\n  ", "empty: whitespace only"),
    ("\ufeff".encode(), "empty: no text"),
])
def test_unusable_txt_files_are_rejected_with_a_one_line_reason(tmp_path, data, reason):
    path = write(tmp_path / "seeds" / "x.txt", data)
    rejected = only(read_all(path))
    assert rejected == Rejected(str(path), reason)
    assert str(rejected) == f"{path}: {reason}"
    assert "\n" not in str(rejected)


def test_the_length_limit_is_two_million_characters(tmp_path):
    assert reader.MAX_ARTICLE_CHARS == 2_000_000
    at_limit = write(tmp_path / "long.txt", "ب" * 2_000_000)
    over = write(tmp_path / "longer.txt", "ب" * 2_000_001)
    kept, rejected = read_all(at_limit, over)
    assert isinstance(kept, Article) and len(kept.text) == 2_000_000
    assert rejected == Rejected(str(over), "too long: 2,000,001 characters (limit 2,000,000)")


def test_a_huge_file_is_rejected_without_being_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "_MAX_TXT_BYTES", 100)
    path = write(tmp_path / "dump.txt", "a" * 1000)
    assert only(read_all(path)) == Rejected(str(path), "too long: over 2,000,000 characters (the limit)")


# --- HTML -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("markup, expected", [
    ("<p>" + MEETING + "</p><p>" + SECOND + "</p>", MEETING + "\n\n" + SECOND),
    ("<html><head><title>خبر</title><style>p { color: red }</style></head>"
     "<body><script>var x = '<p>لا</p>';</script><div>" + MEETING + "</div></body></html>", MEETING),
    ("<div>التقى الوزير&nbsp;نظيره &amp; الوفد المرافق</div>", "التقى الوزير نظيره & الوفد المرافق"),
    ("<p>مدير <b>الأمن</b>   الوطني<br>بالرباط</p>", "مدير الأمن الوطني\nبالرباط"),
    ("<!DOCTYPE html><p>&#1608;&#x632;&#1610;&#1585;</p>", "وزير"),
])
def test_html_is_reduced_to_plain_text(tmp_path, markup, expected):
    article = only(read_all(write(tmp_path / "page.txt", markup)))
    assert article.text == expected
    assert "<" not in article.text and "&" not in article.text.replace(" & ", "")


def test_entities_without_tags_are_unescaped(tmp_path):
    article = only(read_all(write(tmp_path / "a.txt", "وزارة الداخلية &quot;المغربية&quot;")))
    assert article.text == 'وزارة الداخلية "المغربية"'


@pytest.mark.parametrize("text", ["إذا كان العدد < 5 و> 2", "<<الأمن الوطني>>", "x<y and y>z"])
def test_plain_text_with_angle_brackets_is_not_mistaken_for_html(tmp_path, text):
    assert not looks_like_html(text)
    assert only(read_all(write(tmp_path / "a.txt", text))).text == text


def test_a_page_of_only_markup_is_rejected_as_empty(tmp_path):
    path = write(tmp_path / "a.txt", "<html><body><script>alert(1)</script></body></html>")
    assert only(read_all(path)) == Rejected(str(path), "empty: no text")


def test_html_to_text_drops_script_and_style_contents():
    assert html_to_text("<style>b{}</style>قبل<script>if (a<b) {}</script> بعد") == "قبل بعد"


# --- .jsonl ---------------------------------------------------------------------------------------

def test_jsonl_lines_are_articles_with_optional_fields(tmp_path):
    path = write(tmp_path / "feed.jsonl", jsonl(
        {"id": "n1", "text": MEETING, "published": "2024-06-25", "url": "https://example.org/n1",
         "title": "لقاء أمني", "source": "وكالة الأنباء", "extra": "ignored"},
        "",
        {"id": "n2", "text": SECOND},
    ))
    assert read_all(path) == [
        Article("n1", MEETING, dt.date(2024, 6, 25), "https://example.org/n1", "لقاء أمني", "وكالة الأنباء"),
        Article("n2", SECOND),
    ]


def test_jsonl_text_is_cleaned_like_a_file(tmp_path):
    path = write(tmp_path / "feed.jsonl", "\ufeff" + jsonl({"id": "n1", "text": "<p>" + MEETING + "</p>\r\n"}))
    assert only(read_all(path)).text == MEETING


@pytest.mark.parametrize("line, reason", [
    ("not json", "line is not JSON (Expecting value at column 1)"),
    ('{"id": "n1", "text": "x"', "line is not JSON (Expecting ',' delimiter at column 25)"),
    ('["n1", "نص"]', "line is not a JSON object"),
    ({"text": MEETING}, 'missing "id"'),
    ({"id": "n1"}, 'missing "text"'),
    ({"id": 7, "text": MEETING}, '"id" is not a string'),
    ({"id": "  ", "text": MEETING}, 'empty "id"'),
    ({"id": "n1", "text": ["x"]}, '"text" is not a string'),
    ({"id": "n1", "text": "  \n "}, "empty: whitespace only"),
    ({"id": "n1", "text": MEETING, "published": "2024-13-01"},
     'bad "published" date "2024-13-01" (expected YYYY-MM-DD)'),
    ({"id": "n1", "text": MEETING, "published": "25/06/2024"},
     'bad "published" date "25/06/2024" (expected YYYY-MM-DD)'),
    ({"id": "n1", "text": MEETING, "published": 20240625},
     'bad "published" date 20240625 (expected YYYY-MM-DD)'),
    ({"id": "n1", "text": MEETING, "url": 5}, '"url" is not a string'),
    ({"id": "n1", "text": "a\u0000b"}, "binary content, not text (NUL character)"),
])
def test_bad_jsonl_lines_are_rejected_with_their_line_number(tmp_path, line, reason):
    records = jsonl({"id": "ok1", "text": MEETING}, "", line, {"id": "ok2", "text": SECOND})
    path = write(tmp_path / "feed.jsonl", records)
    first, rejected, last = read_all(path)
    assert (first.id, last.id) == ("ok1", "ok2")  # the batch carries on
    assert rejected == Rejected(f"{path}:3", reason)
    assert str(rejected) == f"{path}:3: {reason}"


def test_a_jsonl_line_in_another_encoding_is_rejected(tmp_path):
    good = jsonl({"id": "ok", "text": MEETING}).encode()
    bad = '{"id": "n2", "text": "'.encode() + "الأمن".encode("cp1256") + b'"}\n'
    path = write(tmp_path / "feed.jsonl", good + bad)
    assert read_all(path)[1] == Rejected(f"{path}:2", "not UTF-8 text (byte 0xc7 at offset 22)")


def test_a_duplicate_id_is_skipped_and_names_the_first(tmp_path):
    first_file = write(tmp_path / "n1.txt", MEETING)
    feed = write(tmp_path / "feed.jsonl", jsonl({"id": "n2", "text": SECOND}, {"id": "n1", "text": SECOND},
                                                 {"id": "n2", "text": MEETING}))
    items = read_all(first_file, feed)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Rejected", "Rejected"]
    assert items[2] == Rejected(f"{feed}:2", f'duplicate id "n1" (first read in {first_file})')
    assert items[3] == Rejected(f"{feed}:3", f'duplicate id "n2" (first read in {feed}:1)')
    assert items[0].text == MEETING  # the first one wins


# --- paths ---------------------------------------------------------------------------------------

def test_a_folder_means_its_txt_and_jsonl_files_in_sorted_order(tmp_path):
    write(tmp_path / "b.txt", SECOND)
    write(tmp_path / "a.jsonl", jsonl({"id": "j1", "text": MEETING}))
    write(tmp_path / "c.TXT", MEETING)
    write(tmp_path / "notes.md", "# ليس خبرا")
    write(tmp_path / ".hidden.txt", MEETING)
    write(tmp_path / "sub" / "deep.txt", MEETING)  # not recursive
    assert [a.id for a in read_all(tmp_path)] == ["j1", "b", "c"]


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.txt", "{p}: no such file or folder"),
    (lambda d: write(d / "feed.csv", "id,text"), "{p}: not a .txt or .jsonl file"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "{p}: folder holds no .txt or .jsonl files"),
])
def test_unusable_paths_raise_input_error_at_once(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError) as raised:
        read_articles([write(tmp_path / "ok.txt", MEETING), path])  # no iteration needed
    assert str(raised.value) == message.format(p=path)
    assert isinstance(raised.value, MajlisError)


def test_an_unreadable_file_raises_input_error_when_reached(tmp_path, monkeypatch):
    good = write(tmp_path / "a.txt", MEETING)
    locked = write(tmp_path / "b.txt", SECOND)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    articles = read_articles([good, locked])
    assert next(articles).id == "a"  # streamed: the first article comes before the second file is opened
    with pytest.raises(InputError, match=f"^{locked}: cannot read: Permission denied$"):
        next(articles)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00<>&"), min_size=1))
def test_plain_text_survives_cleaning_except_bom_and_line_ends(text):
    expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assume(expected.strip())
    assert reader._clean_text(text) == expected
