"""majlis/distributed.py: a Dask LocalCluster and a process pool give exactly the serial results."""
from __future__ import annotations

import datetime as dt

import pytest

from extract.errors import MajlisError
from extract.pipeline import Extractor
from extract.types import Article
from majlis import distributed
from majlis.distributed import extract_on_dask, extract_parallel

dask_distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed")

TODAY = dt.date(2026, 11, 22)  # pinned: years inferred from a weekday depend on it
# Invented officials in the genre: meetings, visits, agreements, an award, and articles with none.
TEXTS = [
    "استقبل المدير العام للأمن الوطني المغربي رشيد الوزاني، يوم الاثنين 3 مارس 2025 بالرباط، نظيره "
    "التونسي منير الغرياني، وتباحث الجانبان حول سبل تعزيز التعاون في مجال مكافحة الإرهاب والجريمة "
    "المنظمة.",
    "التقى وزير الداخلية الجزائري كمال بوشناق، الثلاثاء 14 يناير 2025 بالجزائر العاصمة، نظيره الموريتاني "
    "سيدي ولد أحمدو، حيث بحث الطرفان تأمين الحدود المشتركة ومكافحة الهجرة غير النظامية.",
    "أجرى المدير العام للأمن الوطني رشيد الوزاني، يوم الأربعاء 9 أبريل 2025 بمدريد، مباحثات مع المدير "
    "العام للشرطة الوطنية الإسبانية خوان مارتينيث بيدال، بحضور الملحق الأمني المغربي سفيان الإدريسي. "
    "وتناولت المباحثات مكافحة الاتجار بالمخدرات وتبادل المعلومات.",
    "اجتمع رئيس جهاز أمن الدولة التونسي منير الغرياني ووزير الداخلية الجزائري كمال بوشناق، الخميس 22 مايو"
    " 2025 بتونس، لبحث التنسيق الأمني على الحدود المشتركة. وأشاد الغرياني بمستوى التعاون بين البلدين.",
    "وقعت المديرية العامة للأمن الوطني بالمغرب والمديرية العامة للشرطة الوطنية الفرنسية، يوم الجمعة 6 "
    "يونيو 2025 بباريس، مذكرة تفاهم لتعزيز التعاون في مجال مكافحة الجريمة الإلكترونية.",
    "يحل وزير الداخلية السنغالي مامادو سال بداكار ضيفا على نظيره الغامبي في زيارة رسمية الأسبوع المقبل، "
    "من المقرر أن تتناول أمن الحدود ومكافحة تهريب المهاجرين.",
    "قام قائد الحرس الوطني التونسي فتحي العياري، يوم السبت 12 يوليو 2025، بزيارة عمل إلى طرابلس التقى "
    "خلالها رئيس جهاز المخابرات الليبي عادل الكوني، وبحثا مكافحة الإرهاب وتأمين الحدود.",
    "استقبل وزير الداخلية المصري حسام الدين عبد الرحيم، الأحد 20 يوليو 2025 بالقاهرة، وزير الداخلية "
    "الأردني سامر الخوالدة، وتناول اللقاء تبادل الخبرات في مجال مكافحة المخدرات.",
    "وشح الملك المدير العام للشرطة الإماراتية ماجد الظاهري بوسام الاستحقاق تقديرا لجهوده في تعزيز التعاون"
    " الأمني.",
    "عقد المدير العام للأمن الوطني الجزائري عمار بلقاسمي، الاثنين 4 أغسطس 2025 بالجزائر العاصمة، اجتماعا "
    "مع المدير العام للشرطة الإيطالية ماركو فيراري، خصص لبحث الهجرة غير الشرعية والجريمة المنظمة.",
    "تباحث وزير الداخلية القطري فهد آل ثاني، يوم الثلاثاء 19 أغسطس 2025 بالدوحة، مع نظيره الكويتي بدر "
    "الصباح حول التعاون في مجال الأمن السيبراني.",
    "أعلنت وزارة الداخلية الأردنية أن الوزير سامر الخوالدة سيزور بغداد الشهر المقبل لبحث ضبط الحدود "
    "ومكافحة تهريب المخدرات مع المسؤولين العراقيين.",
    "التقى المدير العام للأمن الوطني المغربي رشيد الوزاني، الخميس 4 سبتمبر 2025 بالرباط، المدير العام "
    "للشرطة البلجيكية بيتر جانسنس، وتناول اللقاء تعقب المبحوث عنهم دوليا.",
    "استقبل رئيس جهاز المخابرات الليبي عادل الكوني، يوم الأربعاء 17 سبتمبر 2025 بطرابلس، وفدا أمنيا مصريا"
    " يقوده اللواء طارق الشناوي، وبحث الجانبان تأمين الحدود المشتركة ومكافحة الإرهاب.",
    "وقعت وزارة الداخلية الموريتانية ووزارة الداخلية السنغالية، الجمعة 26 سبتمبر 2025 بنواكشوط، اتفاقية "
    "تعاون في مجال مكافحة الهجرة غير النظامية.",
    "أكد وزير الداخلية الكويتي بدر الصباح أن التعاون الأمني الخليجي يشهد تطورا ملحوظا، مشيرا إلى أهمية "
    "تبادل المعلومات لمواجهة التهديدات الإرهابية.",
    "التقى وزير الداخلية التونسي نبيل الطرابلسي، الاثنين 6 أكتوبر 2025 بتونس، سفير فرنسا لدى تونس لوران "
    "دوبوا، وتناول اللقاء التعاون في مجال التكوين الأمني.",
    "أجرى قائد الدرك الملكي المغربي الجنرال عبد الحق بنسليمان، الثلاثاء 14 أكتوبر 2025 بالرباط، مباحثات "
    "مع قائد الحرس المدني الإسباني لويس غارثيا مورينو، تمحورت حول مكافحة تهريب المخدرات والهجرة غير "
    "الشرعية.",
    "استقبل وزير الداخلية العراقي حيدر الساعدي، الأحد 9 نوفمبر 2025 ببغداد، نظيره الأردني سامر الخوالدة، "
    "وبحث الجانبان ضبط الحدود ومكافحة الإرهاب.",
    "اجتمع المدير العام للأمن الوطني الجزائري عمار بلقاسمي، يوم الخميس 20 نوفمبر 2025 بالجزائر العاصمة، "
    "مع المدير العام للشرطة الوطنية الفرنسية كلود لوفيفر، ووقع الطرفان مذكرة تفاهم في مجال مكافحة الجريمة"
    " المنظمة.",
]
ARTICLES = [Article(f"d{n:02d}", text, dt.date(2025, 12, 1) if n % 2 else None) for n, text in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def serial():
    return [Extractor(today=TODAY).extract(article) for article in ARTICLES]


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on loopback, one thread each, no dashboard."""
    with dask_distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None) as local_cluster:
        yield local_cluster


def test_dask_cluster_gives_the_serial_results_in_order(cluster, serial):
    results = list(extract_on_dask(cluster.scheduler_address, ARTICLES, batch_size=3, today=TODAY))
    assert results == serial
    assert sum(len(r.triples) for r in results) > 300  # the corpus says something


def test_two_processes_give_the_serial_results_in_order(serial):
    assert list(extract_parallel(iter(ARTICLES), 2, batch_size=3, today=TODAY)) == serial


def test_one_job_runs_without_a_pool(serial):
    assert list(extract_parallel(ARTICLES, 1, today=TODAY)) == serial


def test_articles_are_read_a_few_batches_ahead_only():
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield Article(f"e{pulled}", TEXTS[pulled % len(TEXTS)])

    results = extract_parallel(endless(), 2, batch_size=2, today=TODAY)
    first = next(results)
    results.close()  # stops the pool, cancelling what was queued
    assert first.article.id == "e1"
    # Two jobs keep four batches of two in flight: the fifth batch is read when the first is yielded.
    assert pulled <= 5 * 2 + 1


@pytest.mark.parametrize("call, message", [
    (lambda: extract_parallel(ARTICLES, 0), "--jobs must be at least 1, not 0"),
    (lambda: extract_parallel(ARTICLES, 2, batch_size=0), "batch size must be at least 1, not 0"),
    (lambda: extract_on_dask("tcp://127.0.0.1:1", ARTICLES, batch_size=-5), "batch size must be at least 1, not -5"),
])
def test_bad_settings_fail_at_once(call, message):
    with pytest.raises(MajlisError, match=f"^{message}$"):
        call()


def test_an_unreachable_scheduler_is_one_line(monkeypatch):
    monkeypatch.setattr(distributed, "DASK_CONNECT_TIMEOUT_S", 1)
    with pytest.raises(MajlisError, match=r"^cannot reach the Dask scheduler at tcp://127\.0\.0\.1:1: "):
        next(extract_on_dask("tcp://127.0.0.1:1", ARTICLES, today=TODAY))


def test_results_cross_as_one_pickle_and_come_back_equal_with_their_types(serial):
    blob = distributed._pack(serial)
    assert isinstance(blob, bytes)
    back = distributed._unpack(blob)
    assert back == serial
    triple = back[0].triples[0]
    assert type(back[0].article) is Article and type(triple).__name__ == "Triple"
    assert type(triple.subject).__name__ == "Node" and all(type(e).__name__ == "Evidence" for e in triple.evidence)
    with pytest.raises(AttributeError):
        triple.subject.key = "someone else"  # records stay immutable


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was_found(serial, enabled):
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        distributed._unpack(distributed._pack(serial[:2]))
        assert gc.isenabled() is enabled
        with pytest.raises(Exception):
            distributed._unpack(b"not a pickle")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
