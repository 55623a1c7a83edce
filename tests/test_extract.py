"""Extraction on hand-written sentences in the genre: persons, titles, meetings, visits, dates."""
from __future__ import annotations

import datetime as dt

import pytest

from extract import types as T
from extract.normalize import clitic_readings, normalize, strip_clitics
from extract.types import Article


def run(extractor, text: str, published: dt.date | None = None) -> T.ArticleResult:
    return extractor.extract(Article("t", text, published))


def values(result: T.ArticleResult, kind: str, relation: str) -> set:
    return {t.object.key if isinstance(t.object, T.Node) else t.object
            for t in result.triples if t.subject.kind == kind and t.relation == relation}


def names(result: T.ArticleResult) -> set[str]:
    return {normalize(v) for v in values(result, T.PERSON, T.NAME)}


def meetings(result: T.ArticleResult) -> list[set[str]]:
    found: dict[str, set[str]] = {}
    for t in result.triples:
        if t.subject.kind == T.MEETING and t.relation == T.ATTENDEE:
            found.setdefault(t.subject.key, set()).add(t.object.key)
    return list(found.values())


# --- normalisation ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("إسبانيا", "اسبانيا"), ("المديريـــة", "المديريه"), ("الأَمْنُ", "الامن"), ("٢٠٢٥", "2025"),
    ("فريديريك ڤو", "فريديريك فو"), ("مصطفى", "مصطفي"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("word, base", [
    ("للامن", "الامن"), ("بالرباط", "الرباط"), ("ولمراقبه", "مراقبه"), ("وزير", "وزير"), ("ببلجيكا", "بلجيكا"),
])
def test_strip_clitics_only_to_known_words(word, base):
    vocabulary = {"الامن", "الرباط", "مراقبه", "وزير", "زير", "بلجيكا"}
    assert strip_clitics(word, vocabulary)[1] == base


def test_clitic_readings_restore_article_after_lam():
    assert ("ل", "الشرطه") in clitic_readings("للشرطه")
    assert clitic_readings("للواء")[0] == ("ل", "اللواء")  # the article's lam and the word's, written once


# --- persons -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("استقبل وزير الداخلية التركي علي يرلي قايا، اليوم بأنقرة، السفير الفرنسي باسكال دوبوا.",
     {"علي يرلي قايا", "باسكال دوبوا"}),
    ("أجرى اللواء الركن ماجد بن سالم آل مرزوق مباحثات مع السيد جان مارتان، المدير العام للشرطة الوطنية الفرنسية.",
     {"ماجد بن سالم ال مرزوق", "جان مارتان"}),
    ("التقى معالي الشيخ حمد بن خليفة آل ثامر بنظيره الإسباني خوان كارلوس رويث.",
     {"حمد بن خليفه ال ثامر", "خوان كارلوس رويث"}),
    ("وقال السيد عادل السيد عبد العزيز جعفر، مدير الأمن العام، إن التعاون مثمر.",
     {"عادل السيد عبد العزيز جعفر"}),
])
def test_person_names_without_honorifics(extractor, text, expected):
    assert names(run(extractor, text)) == {normalize(n) for n in expected}


def test_latin_spelling_becomes_alias(extractor):
    result = run(extractor, "استقبل المدير العام للأمن الوطني السيد كريم العلمي نظيره الفرنسي برنار لوفيفر Bernard Lefebvre.")
    assert "Bernard Lefebvre" in values(result, T.PERSON, T.ALTERNATE_NAME)


def test_a_place_spelled_another_way_keeps_that_spelling_as_alias(extractor):
    result = run(extractor, "يزور المدير العام للأمن الوطني، حميد بوطالب، الأسبوع المقبل العاصمة الكورية سيول، "
                            "على رأس وفد أمني، بدعوة من مفوض الشرطة الوطنية الكورية، كيم سونغ هو.")
    places = {t.subject.key for t in result.triples if t.subject.kind == T.PLACE}
    assert "seoul" in places
    assert values(result, T.PLACE, T.ALTERNATE_NAME) >= {"سيول"}
    assert values(result, T.PLACE, T.NAME) >= {"سول"}


def test_generic_agency_gets_country_specific_name(extractor):
    result = run(extractor, "استقبل وزير الداخلية التركي علي يرلي قايا السفير الأمريكي توماس براون بأنقرة.")
    orgs = {t.object for t in result.triples if t.subject.kind == T.ORGANIZATION and t.relation == T.NAME}
    assert "وزارة الداخلية التركية" in orgs
    assert values(result, T.PERSON, T.IN_COUNTRY) >= {"TR", "US"}


def test_agency_that_names_its_state_gets_no_second_adjective(extractor):
    result = run(extractor, "التقى وزير الداخلية الأردني سامر الخوالدة كبير ممثلي الوكالة الكورية للتعاون الدولي "
                            "(كويكا) في الأردن لي مين هو.")
    orgs = {t.object for t in result.triples if t.subject.kind == T.ORGANIZATION and t.relation == T.NAME}
    assert "الوكالة الكورية للتعاون الدولي" in orgs
    assert not any(name.endswith("الكورية للتعاون الدولي الكورية") for name in orgs)


def test_envoy_post_repeated_as_a_rank_is_his_and_a_post_before_it_is_not(extractor):
    # "... السفير X": the bare post again before the name; the commander's post before the comma is
    # the head of state's, on whose behalf the medal is given.
    result = run(extractor, "قلّد عضو مجلس السيادة الفريق ركن حامد عثمان الصافي، نيابة عن رئيس المجلس القائد "
                            "العام للقوات المسلحة، سفير جمهورية تونس لدى السودان السفير منير بن علي القاسمي "
                            "وسام النيلين.")
    titles = {t.subject.key: set() for t in result.triples if t.subject.kind == T.PERSON}
    for t in result.triples:
        if t.subject.kind == T.PERSON and t.relation == T.JOB_TITLE:
            titles[t.subject.key].add(t.object)
    envoy = titles[normalize("منير بن علي القاسمي")]
    assert "سفير جمهورية تونس لدى السودان" in envoy
    assert not any("القوات المسلحة" in title for title in envoy)
    assert (T.Node(T.PERSON, normalize("منير بن علي القاسمي")), T.IN_COUNTRY, T.Node(T.COUNTRY, "TN")) in \
        {(t.subject, t.relation, t.object) for t in result.triples}


def test_assigned_minister_and_a_post_told_before_a_loose_preposition(extractor):
    # "المكلف بحكومة ...": the minister is assigned by a government, which is no part of the ministry's
    # name; "وزير الداخلية في وقت لاحق": the post is told without the "في" that leads to no place.
    result = run(extractor, "طرابلس - التقى وزير الداخلية المكلف بحكومة الوحدة الوطنية، اللواء عمران سالم "
                            "القماطي، اليوم السفير الإيطالي لدى ليبيا جوفاني رينالدي. وفي لقاء منفصل، استقبل "
                            "وزير الداخلية في وقت لاحق من اليوم ذاته السفير المالطي لدى ليبيا جوزيف بورغ.")
    minister = T.Node(T.PERSON, normalize("عمران سالم القماطي"))
    orgs = {t.object.key for t in result.triples if t.subject == minister and t.relation == T.WORKS_FOR}
    assert orgs == {"وزاره داخليه|LY"}
    titles = {t.object for t in result.triples if t.subject == minister and t.relation == T.JOB_TITLE}
    assert titles and not any(title.endswith((" في", " لدى")) for title in titles)


def test_counterpart_by_title_resolves_to_named_person(extractor):
    text = ("استقبل المدير العام للأمن الوطني السيد كريم العلمي، الثلاثاء بالرباط، السيد جان مارتان، "
            "المدير العام للشرطة الوطنية الفرنسية. وأعرب المسؤول الفرنسي عن امتنانه.")
    result = run(extractor, text)
    assert names(result) == {normalize("كريم العلمي"), normalize("جان مارتان")}


# --- meetings ----------------------------------------------------------------------------------
def test_reception_is_one_meeting_with_both(extractor):
    text = "استقبل السيد كريم العلمي، المدير العام للأمن الوطني، بالرباط، السيدة آن دوران، سفيرة فرنسا."
    result = run(extractor, text)
    assert meetings(result) == [{normalize("كريم العلمي"), normalize("آن دوران")}]


def test_separate_receptions_are_separate_meetings(extractor):
    text = ("استقبل وزير الداخلية السيد كريم العلمي، كلا على حدة، السيد بيتر مولر سفير ألمانيا "
            "والسيد ماركو روسي سفير إيطاليا.")
    found = meetings(run(extractor, text))
    assert len(found) == 2
    assert all(normalize("كريم العلمي") in m for m in found)


def test_repeated_paragraph_is_read_once(extractor):
    paragraph = "استقبل السيد كريم العلمي، المدير العام للأمن الوطني، السيد جان مارتان، المدير العام للشرطة الوطنية الفرنسية."
    result = run(extractor, paragraph + "\n\n" + paragraph)
    assert len(meetings(result)) == 1


def test_non_diplomatic_article_has_no_meeting(extractor):
    text = "التقى رئيس الجامعة الملكية لكرة القدم باللاعبين في مركز التكوين، وحثهم على بذل المزيد من الجهد."
    assert meetings(run(extractor, text)) == []


# --- visits, agreements, dates -----------------------------------------------------------------
def test_planned_visit_is_marked(extractor):
    text = "من المقرر أن يزور وزير الداخلية الإسباني السيد خوسيه غارسيا، الأسبوع المقبل، العاصمة الرباط."
    result = run(extractor, text)
    assert values(result, T.VISIT, T.STATUS) == {"planned"}
    assert values(result, T.VISIT, T.DESTINATION) == {"rabat"}


def test_agreement_parties_from_both_sides(extractor):
    text = ("استقبل السيد كريم العلمي، المدير العام للأمن الوطني، السيد جان مارتان، المدير العام للشرطة الوطنية الفرنسية. "
            "ووقع الطرفان مذكرة تفاهم في مجال مكافحة الإرهاب.")
    result = run(extractor, text)
    assert values(result, T.AGREEMENT, T.NAME) == {"مذكرة تفاهم"}
    assert values(result, T.AGREEMENT, T.PARTY) == {normalize("كريم العلمي"), normalize("جان مارتان")}


def test_a_witness_of_the_signing_is_no_party(extractor):
    # "الذي جرى بحضور سفيرة ...": she saw the memorandum signed, and did not sign it.
    text = ("استقبل المدير العام للأمن الوطني، كريم العلوي، اليوم بالرباط، المدير العام للشرطة الفدرالية الأسترالية، "
            "مارك جونسون.\nوأفاد بلاغ مشترك للمديرية العامة للأمن الوطني بأن هذا اللقاء، الذي جرى بحضور سفيرة "
            "أستراليا المعتمدة بالرباط، السيدة إيما ويليامز، توج بالتوقيع على مذكرة تفاهم في مجال التكوين.")
    result = run(extractor, text)
    assert values(result, T.AGREEMENT, T.PARTY) == {normalize("كريم العلوي"), normalize("مارك جونسون")}


def test_a_remit_before_the_body_served_is_no_unit(extractor):
    # "قائد الحدود والشرطة البحرية بالحرس المدني": he commands borders for the Guardia Civil; "الحدود" is no body.
    text = ("استقبل المدير العام للأمن الوطني، الفريق محمد ولد أحمد، اليوم في نواكشوط، قائد الحدود والشرطة البحرية "
            "بالحرس المدني الإسباني، الجنرال خوسيه غارسيا لوبيث.")
    guest = normalize("خوسيه غارسيا لوبيث")
    served = {t.object.key.split("|")[0] for t in run(extractor, text).triples
              if t.subject.key == guest and t.relation == T.WORKS_FOR}
    assert served == {normalize("حرس مدني")}


def test_one_who_receives_and_signs_is_the_only_signer(extractor):
    # "يستقبل Y ويوقع": the singular verb's subject signs; the guest was received, and signed nothing.
    text = ("وزير الداخلية يستقبل سفير كوريا ويوقع اتفاقية منحة لدعم الشرطة\n"
            "استقبل وزير الداخلية اللواء سامي عبد الرحيم نصار، اليوم الثلاثاء، سفير كوريا لدى دولة فلسطين "
            "كيم جونغ سو، وبحث معه سبل دعم الشرطة الفلسطينية.")
    result = run(extractor, text)
    assert values(result, T.AGREEMENT, T.PARTY) == {normalize("سامي عبد الرحيم نصار")}


@pytest.mark.parametrize("text, published, expected, inferred", [
    ("استقبل السيد كريم العلمي، المدير العام للأمن الوطني، يوم الخميس 14 دجنبر 2023 السيد جان مارتان سفير فرنسا.",
     None, dt.date(2023, 12, 14), set()),
    ("استقبل السيد كريم العلمي، المدير العام للأمن الوطني، يومه الأربعاء فاتح ماي السيد جان مارتان سفير فرنسا.",
     None, dt.date(2024, 5, 1), {"weekday"}),
    ("استقبل السيد كريم العلمي، المدير العام للأمن الوطني، أمس السيد جان مارتان سفير فرنسا.",
     dt.date(2025, 3, 4), dt.date(2025, 3, 3), set()),
    ("استقبل السيد كريم العلمي، المدير العام للأمن الوطني، يوم ١٢ حزيران السيد جان مارتان سفير فرنسا.",
     dt.date(2025, 6, 20), dt.date(2025, 6, 12), set()),
])
def test_meeting_dates(extractor, text, published, expected, inferred):
    result = run(extractor, text, published)
    assert values(result, T.MEETING, T.START_DATE) == {expected}
    assert values(result, T.MEETING, T.DATE_INFERRED) == inferred


def test_relative_day_without_publication_date_gives_no_date(extractor):
    text = "استقبل السيد كريم العلمي، المدير العام للأمن الوطني، أمس السيد جان مارتان سفير فرنسا."
    assert values(run(extractor, text), T.MEETING, T.START_DATE) == set()


def test_evidence_offsets_point_into_the_article(extractor):
    text = "مقدمة.\nاستقبل السيد كريم العلمي، المدير العام للأمن الوطني، السيد جان مارتان، سفير فرنسا بالرباط."
    result = run(extractor, text)
    evidence = [e for t in result.triples for e in t.evidence]
    assert evidence
    for e in evidence:
        assert text[e.start:e.end] == e.text


def test_line_breaks_tokenize_as_spacy_does_without_the_special_case_pass(extractor):
    """Our tokenizer drops spaCy's whitespace special cases: the tokens stay those of spaCy's own
    Arabic tokenizer, and a text with line breaks is no longer retokenized by the special-case
    matcher (ten times the cost of tokenising it; bench/time_extract.py measures it)."""
    import spacy

    text = ("الداخلية تستقبل وفدا أمنيا\nالرباط - 3 مارس 2025\n\nاستقبل المدير العام، اليوم\tالاثنين،"
            " السفير الإيطالي.\u00a0وتباحث الجانبان حول التعاون.\n")
    ours, theirs = extractor.nlp.make_doc(text), spacy.blank("ar").tokenizer(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs]
    assert not [rule for rule in extractor.nlp.tokenizer.rules if rule.isspace()]


def test_every_token_norm_is_the_normalisers_even_for_the_tokenizers_special_cases(extractor):
    """spaCy's Arabic special cases carry norms of their own ("أنا" -> "أنبأنا", "إلخ" -> "إلى آخره");
    the gazetteer matches on NORM, so each token's norm must be our normalised word, here read from
    its lexeme (components/normalizer.py)."""
    from spacy.attrs import NORM

    doc = extractor.nlp("قال الوزير: أنا أؤكد التعاون في الأمن والهجرة إلخ.")
    assert [t.norm_ for t in doc] == doc.user_data["norms"]
    assert {"انا", "الخ"} <= set(doc.user_data["norms"])
    assert doc.to_array([NORM]).ravel().tolist() == [extractor.nlp.vocab.strings[n] for n in doc.user_data["norms"]]


def test_the_sentence_marker_alone_splits_as_in_the_pipeline(extractor):
    """In the pipeline the normaliser lays out which words end a sentence; without it, the marker finds them."""
    import spacy

    import extract.components.sentences  # noqa: F401  (registers majlis_sentences)

    text = "الرباط: لقاء أمني\nاستقبل الوزير السفير. وتباحثا حول الهجرة؟ ثم وقعا اتفاقا!\nوفي ختام اللقاء..."
    alone = spacy.blank("ar")
    alone.add_pipe("majlis_sentences")
    # A line break after final punctuation is a sentence of its own, with no words.
    expected = ["الرباط: لقاء أمني", "استقبل الوزير السفير.", "وتباحثا حول الهجرة؟", "ثم وقعا اتفاقا!", "",
                "وفي ختام اللقاء..."]
    for doc in (alone(text), extractor.nlp(text)):
        assert [s.text.strip() for s in doc.sents] == expected
        assert doc.user_data["sents"] == [(s.start, s.end) for s in doc.sents]


def test_lexicon_edit_takes_effect(tmp_path):
    from extract.pipeline import Extractor

    text = "استقبل السيد كريم العلمي، كبير المفتشين لشرطة الحدود، السيد جان مارتان، الملحق الأمني لفرنسا."
    (tmp_path / "titles.jsonl").write_text(
        '{"head": "كبير المفتشين", "forms": ["كبير المفتشين"], "role": "director", "org_prefix": "", "domain": "security"}\n',
        encoding="utf-8")
    plain = run(Extractor(), text)
    edited = run(Extractor(lexicon_dirs=[tmp_path]), text)
    assert "كبير المفتشين لشرطة الحدود" not in values(plain, T.PERSON, T.JOB_TITLE)
    assert "كبير المفتشين لشرطة الحدود" in values(edited, T.PERSON, T.JOB_TITLE)


def test_an_envoys_post_after_a_named_chief_is_not_his(extractor):
    # "استقبل T1، X، سفير Y": the ambassador is X's guest, unnamed; X holds no ambassador's post.
    result = run(extractor, "استقبل المدير العام للأمن الوطني، حميد بوطالب، سفير المكسيك بالرباط، "
                            "وتناول اللقاء سبل تعزيز التعاون في مجال التكوين.")
    assert names(result) == {normalize("حميد بوطالب")}
    assert values(result, T.PERSON, T.IN_COUNTRY) == set()
    assert values(result, T.PERSON, T.JOB_TITLE) == {"المدير العام للأمن الوطني"}


def test_a_remembered_word_test_answers_like_the_test_past_its_limit(monkeypatch):
    from itertools import compress, count

    from extract.memo import Memo

    words = ["استقبل", "الوزير", "نظيره", ".", "وبحث", "الجانبان", "؟", "."]
    asked = []
    is_final = Memo(lambda text: asked.append(text) or text in {".", "؟"})
    assert list(compress(count(), map(is_final.__getitem__, words))) == [3, 6, 7]
    assert asked.count(".") == 1  # the second "." is answered from memory

    monkeypatch.setattr(Memo, "LIMIT", 3)
    small = Memo(lambda text: text in {".", "؟"})
    assert list(compress(count(), map(small.__getitem__, words))) == [3, 6, 7]
    assert len(small) <= 3


# --- agency names shared between states ------------------------------------------------------
def _org_names(result: T.ArticleResult) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for t in result.triples:
        if t.subject.kind == T.ORGANIZATION and t.relation in (T.NAME, T.ALTERNATE_NAME):
            found.setdefault(t.subject.key, set()).add(normalize(t.object))
    return found


def test_two_states_ministries_share_no_name(extractor):
    """Each state has its "وزارة الداخلية": the bare name on either node would make them namesakes."""
    result = run(extractor, "استقبل وزير الداخلية المغربي، كريم الوزاني، بالرباط، نظيره الإسباني، خوسيه لوبيث،"
                            " وبحثا التعاون في مكافحة الهجرة غير النظامية.")
    ministries = [n for key, n in _org_names(result).items() if key.startswith("وزاره داخليه|")]
    assert len(ministries) == 2
    assert not ministries[0] & ministries[1]
    assert normalize("وزارة الداخلية المغربية") in ministries[0] | ministries[1]


def test_an_agency_of_one_state_keeps_its_bare_name(extractor):
    result = run(extractor, "استقبل المدير العام لمراقبة التراب الوطني، سعيد الفاسي، بالرباط، السفير البلجيكي"
                            " بيتر فان دام.")
    assert any(normalize("المديرية العامة لمراقبة التراب الوطني") in n for n in _org_names(result).values())


def test_a_ministry_with_a_second_portfolio_keeps_its_bare_name(extractor):
    """"وزارة الداخلية والجماعات المحلية" is one government's: its name without the country is its own."""
    result = run(extractor, "استقبل وزير الداخلية والجماعات المحلية الجزائري، رابح بوزيدي، بالجزائر العاصمة، السفير"
                            " الإيطالي ماركو فيراري، وبحثا التعاون في مكافحة الهجرة غير النظامية.")
    ministry = next(n for key, n in _org_names(result).items() if key.startswith("وزاره داخليه و"))
    assert normalize("وزارة الداخلية والجماعات المحلية") in ministry
    assert normalize("وزارة الداخلية") not in ministry
    assert normalize("وزارة الداخلية والجماعات المحلية الجزائري") not in ministry  # the title's adjective


# --- delegations -------------------------------------------------------------------------------
_DELEGATION = ("استقبل المدير العام للأمن الوطني، كريم بنسعيد، اليوم بالرباط، وفدا من الشرطة الفيدرالية الألمانية"
               " يقوده العقيد يوهانس كلاين، الذي يؤدي زيارة عمل إلى المملكة. وفي ختام اللقاء، وقع المدير العام"
               " للأمن الوطني والعقيد كلاين على مذكرة تفاهم.")


def _of_person(result: T.ArticleResult, name: str, relation: str) -> set:
    node = next(t.subject for t in result.triples if t.subject.kind == T.PERSON and t.relation == T.NAME
                and normalize(t.object) == normalize(name))
    return {t.object.key if isinstance(t.object, T.Node) else t.object
            for t in result.triples if t.subject == node and t.relation == relation}


def test_the_head_of_a_delegation_works_for_its_agency(extractor):
    result = run(extractor, _DELEGATION)
    assert _of_person(result, "يوهانس كلاين", T.WORKS_FOR) == {"شرطه فيدراليه|DE"}
    assert _of_person(result, "يوهانس كلاين", T.IN_COUNTRY) == {"DE"}
    visitors = {t.object.key for t in result.triples if t.relation == T.VISITOR}
    assert visitors == {normalize("يوهانس كلاين")}


def test_a_rank_behind_waw_after_a_title_is_another_person(extractor):
    """"وقع المدير العام للأمن الوطني والعقيد كلاين": the colonel is not the director general."""
    result = run(extractor, _DELEGATION)
    assert not _of_person(result, "يوهانس كلاين", T.JOB_TITLE)


def test_only_a_decoration_given_is_an_award(extractor):
    """The decoration told again ("وقام بتقليد الوسام السفير X") and a race's "Grand Prix" are no
    awards: only the recipient of the decoration named holds one."""
    result = run(extractor, "تسلّم رئيس الأمن العام الفريق سلمان عيسى المناعي، أمس، وسام نجمة إيطاليا من رتبة قائد.\n"
                            "وقام بتقليد الوسام سعادة السيد باولو روسيني سفير الجمهورية الإيطالية لدى مملكة البحرين، "
                            "خلال استقبال رئيس الأمن العام له في مكتبه.\n"
                            "وخلال اللقاء، استعرض الجانبان تأمين الفعاليات الكبرى، ومنها سباق جائزة البحرين الكبرى للفورمولا 1.")
    awards = {(t.subject.key, t.object) for t in result.triples if t.relation == T.AWARD}
    assert {label for _, label in awards} == {"وسام نجمة إيطاليا من رتبة قائد"}


def test_a_signing_that_crowns_talks_is_dated_by_them(extractor):
    """"وتوجت المباحثات بتوقيع مذكرة تفاهم، وقعها عن الجانب الأردني X وعن الجانب الروماني Y": the
    signers met the day of the talks, and the memorandum was signed that day."""
    result = run(extractor, 'عمان – أجرى مدير الأمن العام الأردني اللواء سامر فواز الحديد، يوم الأحد 7 أيلول 2025 في عمان، مباحثات مع قائد الدرك الروماني الجنرال ميهاي بوبيسكو، تناولت مكافحة الإرهاب.\nوتوجت المباحثات بتوقيع مذكرة تفاهم، وقعها عن الجانب الأردني العميد خالد عيسى النعيمات، وعن الجانب الروماني العقيد دان يونيسكو.')
    dates: dict[str, set] = {}
    for t in result.triples:
        if t.subject.kind == T.MEETING and t.relation in (T.ATTENDEE, T.START_DATE):
            dates.setdefault(t.subject.key, set()).update([t.object] if t.relation == T.START_DATE else [])
    assert len(dates) == 2
    assert all(found == {dt.date(2025, 9, 7)} for found in dates.values())
    assert values(result, T.AGREEMENT, T.SIGNED_ON) == {dt.date(2025, 9, 7)}


def test_a_visit_verb_that_ends_the_text_is_read_without_error(extractor):
    """"... الذي يزور" cut off at the end of the text: the word after the verb is not there to read."""
    result = run(extractor, "استقبل وزير الداخلية السيد كريم العلمي السفير جان مارتان الذي يزور")
    assert {normalize("كريم العلمي"), normalize("جان مارتان")} <= names(result)


def test_the_guest_named_by_nationality_is_the_meetings_guest(extractor):
    """"الضيف الإيطالي": of the latest meeting's guests (not its host, not those only present), the one of
    that nationality; no one when the words before the verb call no one the guest."""
    from extract.pipeline import _skip_repeats_and_furniture, find_people
    from extract.relations.context import DocContext
    from extract.relations.events import extract_events, _guest_named

    text = ("استقبل وكيل وزارة الداخلية الكويتية الفريق سالم نواف الدبوس رئيس الشرطة الإيطالية الجنرال لوكا فيراري "
            "وقائد الشرطة الإسبانية الجنرال خوان لوبيث بحضور السفير الإيطالي لدى البلاد ماركو بيانكي.\n"
            "وأشاد الضيف الإيطالي الذي يزور البلاد حاليا بمستوى التنسيق.")
    doc = extractor.nlp(text)
    ctx = DocContext.of(doc, extractor.lexicon, text)
    _skip_repeats_and_furniture(ctx)
    people = find_people(ctx)
    events = extract_events(ctx, people, {})
    verb = ctx.texts.index("يزور")
    guest = _guest_named(ctx, verb, ctx.sents[1][0], events.meetings, people)
    assert guest is not None and normalize(people.persons[guest].name) == normalize("لوكا فيراري")
    assert _guest_named(ctx, verb, verb, events.meetings, people) is None  # the words before lie outside


# --- the cyclic collector ----------------------------------------------------------------------
_FULL_STORY = (
    "الرباط: وزير الداخلية يستقبل نظيره البرتغالي\n"
    "استقبل وزير الداخلية، السيد كريم العلمي، يوم الثلاثاء 14 أكتوبر 2025 بالرباط، نظيره البرتغالي "
    "السيد جواو ألفيش، الذي يقوم بزيارة عمل إلى المملكة تدوم يومين.\n"
    "وتباحث الجانبان حول سبل تعزيز التعاون في مجال مكافحة الإرهاب والهجرة غير النظامية، "
    "ووقعا مذكرة تفاهم في مجال التكوين الأمني.\n"
    "وفي ختام اللقاء، وشح الوزير ضيفه بوسام الاستحقاق الوطني.")


def test_extraction_makes_no_reference_cycles(extractor):
    """Extract pauses the cyclic collector (extract/collector.py): reference counting must free all it makes."""
    import gc

    result = run(extractor, _FULL_STORY)
    kinds = {t.subject.kind for t in result.triples}
    assert {T.PERSON, T.MEETING, T.VISIT, T.AGREEMENT} <= kinds  # the story reaches every stage
    del result
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for published in (None, dt.date(2025, 10, 15)):
            run(extractor, _FULL_STORY, published)
        assert gc.collect() == 0
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_extraction_leaves_the_collector_as_it_found_it(extractor, monkeypatch, enabled):
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        run(extractor, _FULL_STORY)
        assert gc.isenabled() is enabled
        monkeypatch.setattr(extractor, "_extract", lambda article: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            run(extractor, _FULL_STORY)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("words, proclitics", [
    ({"بنعلي"}, "وبلفك"),         # alone, behind و and ل, and not inside a longer word
    ({"بنعلي", "الزياني"}, ""),    # without proclitics only the words themselves
    ({"استقبل"}, "و"),            # the first token of the text
    ({"."}, ""),                   # the last
    ({"غائب"}, "وبلفك"),          # nowhere
])
def test_positions_of_finds_each_token_spelled_so(extractor, words, proclitics):
    from extract.relations.context import DocContext

    text = ("استقبل السيد بنعلي نظيره خالد الزياني، وأكد بنعلي أن التعاون قائم. وقال لبنعلي إن "
            "البنعليين والزياني حاضرون.")
    ctx = DocContext.of(extractor.nlp(text), extractor.lexicon, text)
    wanted = words | {p + w for p in proclitics for w in words}
    assert ctx.positions_of(words, proclitics) == [i for i, w in enumerate(ctx.written) if w in wanted]
    assert ctx.positions_of(words, proclitics) or words == {"غائب"}


def meeting_topics(result: T.ArticleResult) -> dict[frozenset[str], set[str]]:
    attendees: dict[str, set[str]] = {}
    topics: dict[str, set[str]] = {}
    for t in result.triples:
        if t.subject.kind == T.MEETING and t.relation == T.ATTENDEE:
            attendees.setdefault(t.subject.key, set()).add(t.object.key)
        elif t.subject.kind == T.MEETING and t.relation == T.ABOUT:
            topics.setdefault(t.subject.key, set()).add(t.object.key)
    return {frozenset(people): topics.get(key, set()) for key, people in attendees.items()}


def test_a_meeting_told_again_is_about_what_follows_each_of_its_sentences(extractor):
    text = ("استقبل المدير العام للأمن الوطني، السيد كريم العلوي، اليوم بالرباط، المدير العام للشرطة الوطنية "
            "البرتغالية، السيد جواو فيريرا.\n"
            "وتناول اللقاء برامج التدريب.\n"
            "كما استقبل العلوي، في اليوم ذاته، المفوض العام للشرطة الفدرالية البلجيكية، السيد مارك بيترز، "
            "وبحث معه مكافحة الإرهاب.\n"
            "وفي ختام الزيارة، التقى العلوي مجددا المسؤول البرتغالي جواو فيريرا.\n"
            "وتناول اللقاء تبادل المعلومات حول شبكات تهريب المهاجرين.")
    by_meeting = meeting_topics(run(extractor, text, dt.date(2025, 3, 16)))
    portugal = next(t for people, t in by_meeting.items() if normalize("جواو فيريرا") in people)
    belgium = next(t for people, t in by_meeting.items() if normalize("مارك بيترز") in people)
    assert belgium == {"terrorism"}
    # Migrant smuggling is illegal migration; trafficking in persons is another crime (the two UN protocols).
    assert portugal == {"training", "information-exchange", "illegal-migration"}
