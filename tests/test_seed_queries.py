"""Every shipped query on the graph of the five seed articles returns what a reader of them expects."""
from __future__ import annotations

import pytest

import queries
from extract.normalize import normalize

HOST = "عبد اللطيف حموشي"
GUESTS = {"لوي لوجيي", "فريديريك ڤو", "نيكولا لورنر", "سيلين بيرتون", "أليكس بينفيلد", "برانلي مارسيال أوبولو",
          "شهاب الدين بن آدم شاه", "إريك سنوك"}


def rows(dataset, name: str, **params) -> list[dict[str, str | None]]:
    result = queries.run(dataset, queries.load(name), params)
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_every_shipped_query_runs_on_the_seeds(seeds_dataset):
    for name in queries.names():
        info = queries.describe(name)
        params = {p: "حموشي" if p == "person" else "الأمن" for p in info.params if p in ("person", "agency")}
        assert queries.run(seeds_dataset, info, params).rows, name


def test_who_met_whom_has_every_guest_with_the_host(seeds_dataset):
    pairs = {frozenset((r["person_a"], r["person_b"])) for r in rows(seeds_dataset, "who-met-whom")}
    assert {frozenset((HOST, guest)) for guest in GUESTS} <= pairs
    assert not any(frozenset((a, b)) in pairs for a in GUESTS for b in GUESTS if a < b and "كريستوف لوكورتييه" not in (a, b))


def test_meetings_of_the_host_by_family_name(seeds_dataset):
    found = rows(seeds_dataset, "meetings-of", person="حموشي")
    assert len({r["meeting"] for r in found}) == 8
    assert {r["date"] for r in found if r["date"]} == {"2023-12-14", "2024-12-05", "2025-06-24"}


def test_meetings_by_country_counts_morocco_in_every_meeting(seeds_dataset):
    per_year = rows(seeds_dataset, "meetings-by-country")
    morocco = sum(int(r["meetings"]) for r in per_year if r["country_code"] == "MA")
    assert morocco == 8
    assert {r["country_code"] for r in per_year} == {"MA", "FR", "GB", "GA", "MY", "BE"}


def test_officials_of_internal_security(seeds_dataset):
    names = {r["name"] for r in rows(seeds_dataset, "officials-of", agency="الأمن الداخلي")}
    assert names == {"نيكولا لورنر", "سيلين بيرتون"}


def test_agreements_have_dates_and_both_sides(seeds_dataset):
    found = {r["name"]: r for r in rows(seeds_dataset, "agreements")}
    assert set(found) == {"مخطط عمل مشترك", "خطة عمل مشتركة"}
    assert found["خطة عمل مشتركة"]["signed_on"] == "2024-12-05"
    assert "إريك سنوك" in found["خطة عمل مشتركة"]["parties"]
    assert found["مخطط عمل مشترك"]["signed_on"] == "2025-06-24"


def test_visits_include_the_planned_one(seeds_dataset):
    found = rows(seeds_dataset, "visits")
    assert len(found) == 6
    planned = [r for r in found if r["status"] == "planned"]
    assert [(r["visitor"], r["destination"]) for r in planned] == [(HOST, "باريس")]


def test_topics_are_counted(seeds_dataset):
    found = {r["notation"]: int(r["meetings"]) for r in rows(seeds_dataset, "topics")}
    assert found["terrorism"] >= 6
    assert {"espionage", "cybercrime", "drug-trafficking"} <= set(found)


def test_timeline_is_in_date_order(seeds_dataset):
    dates = [r["date"] for r in rows(seeds_dataset, "timeline")]
    assert dates == sorted(dates) and dates[0] == "2023-12-14" and dates[-1] == "2025-06-24"


def test_persons_lists_the_eleven_officials_once(seeds_dataset):
    found = {normalize(r["name"]) for r in rows(seeds_dataset, "persons")}
    assert found == {normalize(n) for n in GUESTS | {HOST, "كريستوف لوكورتييه", "فرانسيسكا بوستين"}}


@pytest.mark.parametrize("spelling", ["بوستين", "فرانسيسكا بوستين", "فرانسيسكا  بوستين"])
def test_evidence_of_quotes_the_sentence(seeds_dataset, spelling):
    found = rows(seeds_dataset, "evidence-of", person=spelling)
    assert found and all("بوستين" in r["sentence"] for r in found)
