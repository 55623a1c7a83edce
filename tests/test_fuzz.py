"""Property tests: whatever text the extractor is given, it returns, and what it returns is sound.

Invariants (checked by `violations` in bench/fuzz_run.py, shared with the fuzz benchmark):
no exception; every evidence span lies in the text and `text[start:end] == evidence.text`;
every meeting attendee (and host) is a person with a name; the same text extracted twice gives
an equal result, even with another article extracted in between.

Default run: the same 200 examples per property on every run (derandomized, so CI cannot turn red
by chance). `HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py` runs the `fuzz` profile: 10,000
random examples per property; a failure it finds becomes an `@example` here.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from extract import types as T
from extract.normalize import is_arabic

ROOT = Path(__file__).resolve().parents[1]


def _load_fuzz_module():
    """bench/ is not a package: load the shared generators from their file."""
    spec = importlib.util.spec_from_file_location("majlis_bench_fuzz_run", ROOT / "bench" / "fuzz_run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


F = _load_fuzz_module()

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=_QUIET)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    RUN = settings(settings.get_profile("fuzz"))
else:
    # Derandomized: CI sees the same 200 examples each run, so a red build is a change, not luck.
    # The random search is the `fuzz` profile's job.
    RUN = settings(max_examples=200, deadline=None, suppress_health_check=_QUIET, derandomize=True)


def assert_sound(extractor, text: str, article_id: str = "fuzz") -> T.ArticleResult:
    """Extract `text` twice and fail with every broken invariant listed."""
    article = T.Article(article_id, text)
    result, problems = F.check(extractor, article)
    assert not problems, problems
    return result


def person_names(result: T.ArticleResult) -> list[str]:
    return [t.object for t in result.triples if t.subject.kind == T.PERSON and t.relation == T.NAME]


# --- properties ------------------------------------------------------------------------------------

@RUN
@given(st.text(max_size=3000))
def test_any_unicode_text(extractor, text):
    assert_sound(extractor, text)


ARABIC_HEAVY = st.characters(
    codec="utf-8",
    categories=["L", "M", "N", "P", "Z", "Cf", "Cc"],
    include_characters="ـ\u200f\u202b\u202e\u2067\n\u2028",
)


@RUN
@given(st.text(alphabet=st.one_of(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), ARABIC_HEAVY),
               max_size=3000))
@example("سىآدة")  # an honorific that ends the text: once read the token past the end
def test_arabic_block_text(extractor, text):
    assert_sound(extractor, text)


@RUN
@given(st.randoms(use_true_random=False))
def test_lexicon_mixtures(extractor, rnd):
    text = F.random_text(rnd)
    note(repr(text))
    assert_sound(extractor, text)


@RUN
@given(st.randoms(use_true_random=False), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_lexicon_mixtures_with_a_publication_date(extractor, rnd, published):
    """Dates are inferred against the publication date: relative days, weekdays, missing years."""
    text = F.random_text(rnd)
    note(repr(text))
    article = T.Article("fuzz", text, published=published)
    result, problems = F.check(extractor, article)
    assert not problems, problems


@RUN
@given(st.randoms(use_true_random=False))
def test_no_state_leaks_between_articles(extractor, rnd):
    first, other = F.random_text(rnd), F.random_text(rnd)
    note(repr(first))
    note(repr(other))
    before = extractor.extract(T.Article("a", first))
    extractor.extract(T.Article("b", other))
    assert extractor.extract(T.Article("a", first)) == before


def test_the_generator_reaches_meetings(extractor):
    """The mixtures must exercise the meeting rules, or the attendee invariant checks nothing."""
    rng = random.Random(0)
    relations = set()
    for i in range(60):
        result = assert_sound(extractor, F.random_text(rng), f"g{i}")
        relations |= {(t.subject.kind, t.relation) for t in result.triples}
    assert {(T.MEETING, T.ATTENDEE), (T.MEETING, T.HOST), (T.PERSON, T.JOB_TITLE)} <= relations


# --- edge cases ------------------------------------------------------------------------------------

DIACRITICS = "".join(F.DIACRITICS)


@pytest.mark.parametrize("text", [
    "",
    " ",
    "\n\n\n",
    DIACRITICS * 40,
    (DIACRITICS + " ") * 40,
    "ـ" * 2000,
    ("ـــ " * 300) + "\n" + "ـ" * 50,
    "".join(F.INVISIBLE) * 30,
    "\u202e" + "استقبل السيد عبد اللطيف حموشي السفير الفرنسي" + "\u202c",
    "٠١٢٣٤٥٦٧٨٩ 0123456789 ، . ؟ ! : « » \"",
])
def test_degenerate_texts(extractor, text):
    result = assert_sound(extractor, text)
    if not any(c.isalpha() for c in text.replace("ـ", "")):
        assert result.triples == ()


def test_only_diacritics_and_tatweel_make_no_persons(extractor):
    for text in (DIACRITICS * 100, "ـ" * 10_000, " ".join(["ـ" + DIACRITICS] * 500)):
        assert person_names(assert_sound(extractor, text)) == []


def test_a_100000_character_line(extractor):
    sentence = ("استقبل المدير العام للأمن الوطني عبد اللطيف حموشي السفير الفرنسي كريستوف لوكورتييه "
                "بحضور السيد نيكولا لورنر في الرباط يوم الاثنين 12 مارس 2024 حول مكافحة الإرهاب ")
    text = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    assert len(text) == 100_000 and "\n" not in text
    result = assert_sound(extractor, text)
    assert "عبد اللطيف حموشي" in person_names(result)


def test_a_line_with_random_pieces_and_no_break(extractor):
    rng = random.Random(7)
    pieces = []
    while sum(map(len, pieces)) < 100_000:
        piece = F.token(rng)
        if not any(c in piece for c in ".؟!\n\r\u2028"):
            pieces.append(piece)
    text = " ".join(pieces)[:100_000]
    assert_sound(extractor, text)


def test_ten_thousand_names_joined_by_wa(extractor):
    """One sentence, 10,000 invented names after one trigger: it must finish and stay sound."""
    rng = random.Random(10_000)
    names = [f"{F.name_token(rng)} {F.name_token(rng)}".replace("  ", " ") for _ in range(10_000)]
    text = "استقبل المدير العام للأمن الوطني عبد اللطيف حموشي " + " و".join(names) + " في الرباط."
    result = assert_sound(extractor, text)
    attendees = {t.object for t in result.triples if t.relation == T.ATTENDEE}
    assert len(result.triples) < 100_000
    assert len(attendees) <= 10_001


HTML_LIKE = (
    '<html><head><title>خبر</title><style>p{color:red}</style></head><body>'
    '<p class="lead">استقبل <b>المدير العام</b> للأمن الوطني <a href="/x?a=1&amp;b=2">عبد اللطيف حموشي</a>، '
    'السفير الفرنسي &laquo;كريستوف لوكورتييه&raquo; &amp; السيد &#1606;&#1610;&#1603;&#1608;&#1604;&#1575; لورنر.</p>'
    '<script>alert("استقبل السيد حموشي")</script><!-- تعليق --><br/><img src=x onerror="alert(1)">'
    '</body></html>'
)


def test_html_like_text(extractor):
    result = assert_sound(extractor, HTML_LIKE)
    for name in person_names(result):
        assert not any(c in name for c in "<>&;=\"/"), name


@pytest.mark.parametrize("text", [
    "The Director General of National Security, Abdellatif Hammouchi, received on Monday in Rabat "
    "the French Ambassador Christophe Lecourtier and Mr. Nicolas Lerner, head of the DGSE. "
    "The two sides discussed counter-terrorism cooperation, organized crime and drug trafficking.",
    "Le directeur général de la Sûreté nationale, M. Abdellatif Hammouchi, a reçu lundi à Rabat "
    "l'ambassadeur de France, Christophe Lecourtier, et le directeur de la DGSE, Nicolas Lerner. "
    "Les deux parties ont évoqué la lutte contre le terrorisme et le crime organisé.",
    "Minister Yılmaz met Ms. Müller and Dr. Ñúñez in Berlin on 12 March 2024; they signed an agreement.",
])
def test_english_and_french_give_no_arabic_persons(extractor, text):
    result = assert_sound(extractor, text)
    assert [n for n in person_names(result) if is_arabic(n)] == []


# Feeds write placeholder dates (0001-01-01 is .NET's DateTime.MinValue); extract/reader.py accepts
# them from JSONL "published": date arithmetic must not overflow past date.min/date.max.
@pytest.mark.parametrize("text, published", [
    ("استقبل الوزير حموشي يوم 5 مارس.", dt.date(9999, 12, 31)),  # dates.py _year_near: reference + 7 days
    ("استقبل الوزير حموشي يوم الأحد.", dt.date(1, 1, 1)),  # dates.py _scan: published - days back to Sunday
    ("استقبل الوزير حموشي أمس.", dt.date(1, 1, 1)),  # dates.py _scan: published - 1 day
    ("استقبل الوزير حموشي غدا.", dt.date(9999, 12, 31)),  # dates.py _scan: published + 1 day
], ids=["day-month-at-max", "weekday-at-min", "yesterday-at-min", "tomorrow-at-max"])
def test_extreme_publication_dates(extractor, text, published):
    assert_sound(extractor, text)  # without the date: fine
    article = T.Article("sentinel", text, published=published)
    result, problems = F.check(extractor, article)
    assert not problems, problems
