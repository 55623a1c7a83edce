"""Dates in a sentence: "الخميس 14 دجنبر 2023", "يومه الأربعاء فاتح ماي", "أمس", "25 نونبر الماضي".

A day and month without a year take it from the publication date; failing that, from the
weekday written beside them (the most recent such year, recorded as inferred); failing that,
from a full date elsewhere in the article. Relative days need the publication date.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import compress, count

from ..components.normalizer import WordColumn
from ..memo import Memo
from ..normalize import normalize
from .context import DocContext

_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$")  # "2025-06-24", "2025/06/03"
_NUMERIC_DATE = Memo(lambda w: len(w) >= 8 and w[0].isdigit() and bool(_ISO.match(w) or _NUMERIC.match(w)))
_YEAR_TOKEN = Memo(lambda w: len(w) == 4 and w.isdigit())
_WHOLE_DATE, _YEAR = 1, 2
_DATE_SHAPE = Memo(lambda w: _WHOLE_DATE if _NUMERIC_DATE[w] else _YEAR if _YEAR_TOKEN[w] else 0)
DATE_SHAPES = WordColumn("date_shapes", "written", _DATE_SHAPE.__getitem__)  # laid out by the normaliser
_DATE_SEPARATORS = frozenset({"-", "/", "."})
_FIRST = frozenset({"فاتح", "الفاتح"})
_YEAR_WORDS = frozenset(normalize(w) for w in ("سنة", "عام", "من"))


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    value: dt.date
    inferred: str | None  # None: written in full; "weekday", "published", "context": how the year was found


def _int(text: str) -> int | None:
    text = normalize(text)
    return int(text) if text.isdigit() and len(text) <= 4 else None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _weekday_year(month: int, day: int, weekday: int, today: dt.date) -> dt.date | None:
    for year in range(today.year, today.year - 30, -1):
        d = _safe(year, month, day)
        if d and d <= today and d.weekday() == weekday:
            return d
    return None


def _shift(day: dt.date, days: int) -> dt.date | None:
    """day + days, or None past the calendar's ends (feeds do write 0001-01-01 and 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _year_near(reference: dt.date, month: int, day: int, tense: str | None) -> dt.date | None:
    d = _safe(reference.year, month, day)
    if d is None:
        return None
    if tense == "future" and d < reference:
        return _safe(reference.year + 1, month, day)
    week_after = _shift(reference, 7)
    if tense != "future" and week_after is not None and d > week_after:
        return _safe(reference.year - 1, month, day)
    return d


def _weekday_before(ctx: DocContext, i: int, lo: int) -> int | None:
    for k in range(i - 1, max(lo, i - 4) - 1, -1):
        hit = ctx.hit(k, "WEEKDAY")
        if hit:
            return int(hit.payload)
    return None


def _tense_after(ctx: DocContext, i: int) -> str | None:
    hit = ctx.hit(i, "CUE")
    if hit and hit.payload in ("past", "future"):
        return hit.payload
    return None


RELATIVE_DAYS = frozenset({"relative_today", "relative_yesterday", "relative_before_yesterday", "relative_tomorrow"})


def dated_sentences(ctx: DocContext) -> list[int]:
    """Sentences that can hold a date: a month, a weekday, a relative day or a numeric date."""
    sent_of = ctx.sent_of
    hits_of = ctx.hits_of
    found = {sent_of[h.start] for label in ("MONTH", "WEEKDAY") for h in hits_of.get(label, ())}
    found.update(sent_of[h.start] for h in hits_of.get("CUE", ()) if h.payload in RELATIVE_DAYS)
    # One pass in C finds both shapes: "2025-07-03" whole, and the year that ends "3-7-2025" split up.
    shapes = ctx.doc.user_data[DATE_SHAPES.name]
    found.update(sent_of[i] for i in compress(count(), shapes)
                 if shapes[i] == _WHOLE_DATE or _split_numeric_date(ctx, i - 4, i + 1))
    return sorted(found)


def _split_numeric_date(ctx: DocContext, lo: int, hi: int) -> dt.date | None:
    """"3-7-2025" as the tokenizer leaves it: day, separator, month, the same separator, year."""
    if lo < 0:
        return None
    w = ctx.written
    if w[lo + 1] not in _DATE_SEPARATORS or w[lo + 3] != w[lo + 1]:
        return None
    day, month, year = _int(w[lo]), _int(w[lo + 2]), _int(w[hi - 1])
    if day is None or month is None or year is None or len(w[lo]) > 2 or len(w[lo + 2]) > 2:
        return None
    return _safe(year, month, day)


def full_dates(ctx: DocContext, sentences: list[int]) -> list[dt.date]:
    """Dates written with their year anywhere in the article: the context for yearless ones."""
    found = []
    shapes = ctx.doc.user_data[DATE_SHAPES.name]
    for sent in sentences:
        start, end = ctx.sents[sent]
        if not any(shapes[start:end]):
            continue  # a date with its year holds a numeric date or a year
        for m in _scan(ctx, start, end, None, dt.date.max, None):
            if m.inferred is None:
                found.append(m.value)
    return found


_DATELINE_SENTENCES = 3
_DATELINE_REACH = 6  # tokens from the start of the sentence
DATELINE_LINE = 16  # tokens: a line this short holds nothing but the dateline


def dateline_date(ctx: DocContext, sentences: list[int], today: dt.date | None = None) -> DateMention | None:
    """The full date a wire story opens with ("رام الله 3-7-2025 وفا-", "طرابلس 2 ديسمبر 2025 (لانا) -"):
    the day the story was filed, which its "اليوم" and "أمس" count from when no publication date is given.

    A dateline without its year ("الكويت - 18 - 2 (كونا) --", "المنامة في 9 سبتمبر / بنا /") takes the
    most recent year in which that day is the weekday the story gives its "اليوم" ("اليوم الثلاثاء")."""
    for sent in sentences:
        if sent >= _DATELINE_SENTENCES:
            break
        lo, hi = ctx.sents[sent]
        while lo < hi and not ctx.written[lo].strip():
            lo += 1
        for m in _scan_written(ctx, lo, hi, None, dt.date.max, None):
            # A dateline on a line of its own may give the Hijri date first ("21 ربيع الآخر 1447 هـ الموافق ...").
            reach = hi - lo if hi - lo <= DATELINE_LINE else _DATELINE_REACH
            if m.inferred is None and m.start - lo <= reach and not any(
                    ctx.hit(k, "TRIGGER") for k in range(lo, m.start)):
                return m
        yearless = _yearless_dateline(ctx, lo, hi)
        if yearless and today:
            start, end, month, day = yearless
            weekday = _weekday_of_today(ctx, sent)
            value = _weekday_year(month, day, weekday, today) if weekday is not None else None
            return DateMention(start, end, value, "weekday") if value else None
    return None


def today_named(ctx: DocContext) -> dt.date | None:
    """The day a story names as its "today" in full ("قبل ظهر اليوم الثلاثاء 11 آذار 2025"): what its
    "أمس" counts from when neither a publication date nor a dateline gives one."""
    # Only the gazetteer's "اليوم" hits are looked at, in text order, not every token of the story.
    for cue in sorted(h for h in ctx.hits_of.get("CUE", ()) if h.payload == "relative_today"):
        if ctx.hit(cue.start, "CUE") is not cue:
            continue  # a longer cue starts there: "اليوم ذاته"
        hi = ctx.sents[ctx.sent_of[cue.start]][1]
        gap = cue.end + 1 if cue.end < hi and ctx.hit(cue.end, "WEEKDAY") else cue.end
        for m in _scan_written(ctx, gap, min(hi, gap + _DATELINE_REACH), None, dt.date.max, None):
            if m.start == gap and m.inferred is None:
                return m.value
    return None


def _yearless_dateline(ctx: DocContext, lo: int, hi: int) -> tuple[int, int, int, int] | None:
    """(start, end, month, day) of "9 سبتمبر" or "18 - 2" among a dateline's first words, no year after."""
    w = ctx.written
    for i in range(lo, min(hi, lo + _DATELINE_REACH)):
        if ctx.hit(i, "TRIGGER"):
            return None
        month = ctx.hit(i, "MONTH")
        day = _int(ctx.texts[i - 1]) if month and i > lo else None
        if month and day and 1 <= day <= 31 and not (month.end < hi and _YEAR_TOKEN[w[month.end]]):
            return i - 1, month.end, int(month.payload), day
        if i + 2 < hi and w[i + 1] in _DATE_SEPARATORS and len(w[i]) <= 2 and len(w[i + 2]) <= 2:
            day, number = _int(w[i]), _int(w[i + 2])
            after = w[i + 3] if i + 3 < hi else ""
            if day and number and 1 <= day <= 31 and 1 <= number <= 12 and after not in _DATE_SEPARATORS:
                return i, i + 3, number, day
    return None


def _weekday_of_today(ctx: DocContext, sent: int) -> int | None:
    """The weekday of "اليوم الثلاثاء" in the dateline's sentence or the next."""
    last = min(sent + 2, len(ctx.sents))
    lo, hi = ctx.sents[sent][0], ctx.sents[last - 1][1]
    for i in range(lo, hi):
        cue = ctx.hit(i, "CUE")
        if cue and cue.payload == "relative_today":
            for k in range(cue.end, min(hi, cue.end + 2)):
                day = ctx.hit(k, "WEEKDAY")
                if day:
                    return int(day.payload)
    return None


def dates_in(ctx: DocContext, sent: int, published: dt.date | None, today: dt.date,
             context: dt.date | None, dateline: DateMention | None = None) -> list[DateMention]:
    """`dateline`: the dateline's date when it stands for the publication date. In its own sentence
    it dates what happened only when nothing else does ("طنجة – 19 شتنبر 2025 (ومع) – جرى، أمس ...")."""
    start, end = ctx.sents[sent]
    if dateline is not None and start <= dateline.start < end:
        return _scan(ctx, start, end, published, today, context, skip=dateline.start) or [dateline]
    return _scan(ctx, start, end, published, today, context)


_OF = normalize("من")
_ORDINALS = {normalize(w): n for n, w in enumerate(
    ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر"), 1)}
_ELEVENTH_UNIT = normalize("الحادي")  # "الحادي عشر", "الحادي والعشرين": never a day alone
_ORDINALS[_ELEVENTH_UNIT] = 1
_TENS = {normalize("عشر"): 10, normalize("والعشرين"): 20, normalize("والثلاثين"): 30}
_ROUND = {normalize("العشرين"): 20, normalize("الثلاثين"): 30}


def _ordinal_day(ctx: DocContext, of: int, lo: int) -> tuple[int, int | None]:
    """The day written as an ordinal before "من" and the month: "الخامس من", "الحادي عشر من",
    "الثالث والعشرين من", "الثلاثين من". Returns (first token, day) or (of, None)."""
    k = of - 1
    if k < lo:
        return of, None
    w = ctx.written
    if w[k] in _ROUND:
        return k, _ROUND[w[k]]
    if w[k] in _TENS and k - 1 >= lo and w[k - 1] in _ORDINALS:
        return k - 1, _ORDINALS[w[k - 1]] + _TENS[w[k]]
    if w[k] in _ORDINALS and w[k] != _ELEVENTH_UNIT:
        return k, _ORDINALS[w[k]]
    return of, None


def _after_second_month_name(ctx: DocContext, month_hit, hi: int) -> int:
    """Past "سبتمبر/أيلول", "أيلول (سبتمبر)": the press gives both names of one month."""
    j = month_hit.end
    k = j + 1 if j < hi and ctx.texts[j] in ("/", "(", "-") else j
    other = ctx.hit(k, "MONTH") if k < hi else None
    if other and other.payload == month_hit.payload:
        j = other.end
        if j < hi and ctx.texts[j] == ")":
            j += 1
    return j


def _scan(ctx: DocContext, lo: int, hi: int, published: dt.date | None, today: dt.date,
          context: dt.date | None, skip: int | None = None) -> list[DateMention]:
    found = [m for m in _scan_written(ctx, lo, hi, published, today, context) if m.start != skip]
    if found or not published:
        return found
    return _relative(ctx, lo, hi, published)


def _scan_written(ctx: DocContext, lo: int, hi: int, published: dt.date | None, today: dt.date,
                  context: dt.date | None) -> list[DateMention]:
    """Dates written out in [lo, hi): numeric, or a day and a month name."""
    found: list[DateMention] = []
    used: set[int] = set()
    for i in _date_words(ctx, lo, hi):
        text = ctx.written[i]
        if _NUMERIC_DATE[text]:  # "2025-06-24" or "24/06/2025", one word
            iso = _ISO.match(text)
            m = iso or _NUMERIC.match(text)
            assert m is not None  # _NUMERIC_DATE holds the words one of the two matches
            d = _safe(int(m[1]), int(m[3]), int(m[4])) if iso else _safe(int(m[3]), int(m[2]), int(m[1]))
            if d:
                found.append(DateMention(i, i + 1, d, None))
            continue
        if _YEAR_TOKEN[text] and i - 4 >= lo:
            d = _split_numeric_date(ctx, i - 4, i + 1)
            if d:
                found.append(DateMention(i - 4, i + 1, d, None))
                continue
        month_hit = ctx.hit(i, "MONTH")
        if not month_hit or i - 1 < lo:
            continue
        day_tok = i - 1
        day = 1 if ctx.norms[day_tok] in _FIRST or ctx.written[day_tok] in _FIRST else _int(ctx.texts[day_tok])
        if day is None and ctx.written[day_tok] == _OF:
            day_tok, day = _ordinal_day(ctx, day_tok, lo)  # "الخامس من آذار 2025"
        if day is None or not 1 <= day <= 31:
            continue
        first_day = _int(ctx.texts[day_tok - 2]) if day_tok - 2 >= lo and ctx.written[day_tok - 1] == "و" else None
        if first_day is not None and 1 <= first_day < day:
            day_tok, day = day_tok - 2, first_day  # "يومي 3 و4 جوان": the meeting began on the 3rd
        month = int(month_hit.payload)
        j = _after_second_month_name(ctx, month_hit, hi)
        if j < hi and ctx.norms[j] in _YEAR_WORDS:
            j += 1
        year = _int(ctx.texts[j]) if j < hi else None
        weekday = _weekday_before(ctx, day_tok, lo)
        tense = _tense_after(ctx, month_hit.end)
        value, inferred, end = None, None, month_hit.end
        if year and year >= 1900:
            value, end = _safe(year, month, day), j + 1
        elif published:
            value, inferred = _year_near(published, month, day, tense), "published"
        elif weekday is not None:
            value, inferred = _weekday_year(month, day, weekday, today), "weekday"
        elif context:
            value, inferred = _year_near(context, month, day, tense), "context"
        if value:
            found.append(DateMention(day_tok, end, value, inferred))
            used.update(range(day_tok, end))
    return found


def _date_words(ctx: DocContext, lo: int, hi: int) -> list[int]:
    """The tokens in [lo, hi) where a written date can end or turn: a numeric date or year, a month name."""
    shapes = ctx.doc.user_data[DATE_SHAPES.name]
    months = ctx.starts_of("MONTH")
    return sorted({*compress(range(lo, hi), shapes[lo:hi]), *months[bisect_left(months, lo):bisect_left(months, hi)]})


def _relative(ctx: DocContext, lo: int, hi: int, published: dt.date) -> list[DateMention]:
    # Relative days ("أمس الثلاثاء", "اليوم") only mean something against a publication date.
    other_day = lo  # "وفي اليوم التالي": the day after another, not today
    for i in range(lo, hi):
        cue = ctx.hit(i, "CUE")
        if cue and cue.payload in ("next_day", "same_day"):
            other_day = cue.end
        if cue and i >= other_day and cue.payload in ("relative_today", "relative_yesterday",
                                                      "relative_before_yesterday", "relative_tomorrow"):
            shift = {"relative_today": 0, "relative_yesterday": -1, "relative_before_yesterday": -2,
                     "relative_tomorrow": 1}[cue.payload]
            value = _shift(published, shift)
            return [DateMention(i, cue.end, value, "published")] if value else []
    for i in range(lo, hi):
        hit = ctx.hit(i, "WEEKDAY")
        if hit and (i == lo or ctx.written[i - 1] in ("يوم", "يومه") or True):
            value = _shift(published, -((published.weekday() - int(hit.payload)) % 7))
            return [DateMention(i, hit.end, value, "published")] if value else []
    return []
