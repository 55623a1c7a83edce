"""The probe sets in eval/probes/ are well formed: their gold refers only to what it defines and to
what the articles say, so that a score on them measures the extractor and not a typo."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.lexicon import load_lexicon

PROBES = Path(__file__).resolve().parent.parent / "eval" / "probes"
SETS = sorted(d for d in PROBES.iterdir() if (d / "gold.json").is_file())
ENTITY_GROUPS = ("countries", "places", "organizations", "optional_organizations", "persons", "optional_persons")


def _gold(folder: Path) -> dict:
    return json.loads((folder / "gold.json").read_text(encoding="utf-8"))


def test_there_are_probe_sets():
    assert len(SETS) >= 7


@pytest.mark.parametrize("folder", SETS, ids=[d.name for d in SETS])
def test_gold_articles_are_the_files(folder: Path):
    assert set(_gold(folder)["articles"]) == {p.stem for p in folder.glob("*.txt")}


@pytest.mark.parametrize("folder", SETS, ids=[d.name for d in SETS])
def test_gold_refers_only_to_defined_entities(folder: Path):
    gold = _gold(folder)
    defined = {key for group in ENTITY_GROUPS for key in gold.get(group, {})}
    used = set()
    for person in gold["persons"].values():
        used |= set(person.get("orgs") or []) | ({person["country"]} if person.get("country") else set())
    for article in gold["articles"].values():
        for m in article.get("meetings", []):
            used |= set(m["attendees"]) | set(m.get("optional_attendees", [])) | set(m.get("place", []))
        for a in article.get("agreements", []):
            used |= {key for side in a["sides"] for key in side}
        for v in article.get("visits", []):
            used |= {v["visitor"], *v["destination"]}
        used |= {a["recipient"] for a in article.get("awards", [])}
    assert used - defined == set()


@pytest.mark.parametrize("folder", SETS, ids=[d.name for d in SETS])
def test_gold_topics_are_majlis_notations(folder: Path):
    notations = set(load_lexicon().topics)
    for article in _gold(folder)["articles"].values():
        for m in article.get("meetings", []):
            assert set(m["topics"]) | set(m.get("optional_topics", [])) <= notations, m["id"]


@pytest.mark.parametrize("folder", SETS, ids=[d.name for d in SETS])
def test_gold_person_names_are_in_the_articles(folder: Path):
    text = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.txt"))
    missing = [p["name"] for p in _gold(folder)["persons"].values() if p["name"] not in text]
    assert missing == []
