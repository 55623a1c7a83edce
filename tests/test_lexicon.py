"""The lexicons are data: they load, they hold closed classes only, and no person from the seeds."""
from __future__ import annotations

import json

import pytest

from extract.lexicon import DEFAULT_DIR, LexiconError, load_lexicon
from extract.normalize import normalize

from .conftest import ROOT

GOLD = ROOT.parent / "shared" / "eval" / "gold" / "seeds.json"


def test_shipped_lexicon_loads():
    lex = load_lexicon()
    assert lex.titles and lex.topics and lex.phrases
    assert {"terrorism", "organized-crime", "illegal-migration"} <= set(lex.topics)


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/eval/gold is not beside the project")
def test_no_seed_person_in_any_lexicon():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    people = [n for p in gold["persons"].values() for n in [p["name"], *p.get("aliases", [])]]
    text = " ".join(normalize(path.read_text(encoding="utf-8")) for path in DEFAULT_DIR.glob("*.jsonl"))
    words = text.replace('"', " ").replace(",", " ").split()
    padded = " " + " ".join(words) + " "
    for name in people:
        assert f" {normalize(name)} " not in padded, name


def test_malformed_lexicon_line_names_file_and_line(tmp_path):
    (tmp_path / "titles.jsonl").write_text('{"head": "مدير"}\n{not json\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"titles.jsonl:2: not JSON"):
        load_lexicon(tmp_path)


def test_post_naming_an_unknown_agency_is_reported(tmp_path):
    (tmp_path / "titles.jsonl").write_text(
        '{"head": "كبير المفتشين", "forms": ["كبير المفتشين"], "org_prefix": "", "agency": "xx-none"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"titles.jsonl: post 'كبير المفتشين' names agency 'xx-none'"):
        load_lexicon(tmp_path)


def test_entry_missing_a_field_is_reported(tmp_path):
    (tmp_path / "countries.jsonl").write_text('{"name": "بلد"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="lacks 'id'"):
        load_lexicon(tmp_path)


def test_news_agency_of_an_unknown_state_is_reported(tmp_path):
    (tmp_path / "wires.jsonl").write_text(
        '{"id": "xx-wire", "name": "وكس", "country": "XX"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"wires.jsonl: news agency 'xx-wire' names country 'XX'"):
        load_lexicon(tmp_path)


def test_news_agencies_are_read_by_their_normalised_short_names():
    lex = load_lexicon()
    assert lex.wires["بنا"] == "BH" and lex.wires[normalize("و م ع")] == "MA"
