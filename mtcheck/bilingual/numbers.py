"""Numbers, amounts, percentages, dates and times in a sentence and in its translation, compared.

Bilingual QA tools (Okapi CheckMate, Xbench) flag a translation whose numbers differ from its
source's. Each side is read with its own locale's conventions ("1.234,5" in German is "1,234.5"
in English), scale words are applied ("1,5 Millionen", "150万", "1.5 million" are one value), and
spelled numbers ("zwei", "两", "двадцать пять") are read so that they can match digits on the
other side. The comparison is built for precision: what it cannot read with confidence it leaves
out rather than report.

Offsets are Python string offsets into the text given: the text is only ever rewritten character
for character (full-width digits to ASCII digits), and the spans that earlier readings took are
blanked with a character no pattern matches, so every later pattern sees the same offsets.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["LANGS", "NumberDiff", "Quantity", "compare_quantities", "find_quantities"]

LANGS = ("en", "fr", "de", "es", "ru", "zh")


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float
    kind: str  # "number" | "percent" | "time" | "date" | "year" | "ordinal"
    unit: str | None = None
    spelled: bool = False
    approx: bool = False


@dataclass(frozen=True, slots=True)
class NumberDiff:
    missing: tuple[Quantity, ...]
    extra: tuple[Quantity, ...]


# ---------------------------------------------------------------------------------------------
# Character classes shared by the patterns

_L = "A-Za-zÀ-ÖØ-öø-ɏͰ-ϿЀ-ԯ"  # Latin, Greek, Cyrillic: what makes a digit part of a word
_NOT_L = f"(?![{_L}])"
_IS_L = re.compile(f"[{_L}]")
_SP = "[ \u00a0\u2009\u202f]"
_ZH_DIGIT = MappingProxyType(
    {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
)
_ZH_UNIT = MappingProxyType({"十": 10, "百": 100, "千": 1000})
_ZH_BIG = MappingProxyType({"万": 1e4, "亿": 1e8})
_ZH_NUM = "零〇一二两三四五六七八九十百千万亿"
_MASK = "\x00"


class _Cand(NamedTuple):
    """A quantity before it becomes public: `scale` and `bare` let a range's first number take
    the scale or unit written only after the second ("1.5 to 2 million", "10-12 %")."""

    start: int
    end: int
    value: float
    kind: str
    unit: str | None = None
    spelled: bool = False
    approx: bool = False
    scale: float = 1.0
    bare: bool = False


class _Claim(NamedTuple):
    start: int
    end: int
    cands: tuple[_Cand, ...] = ()  # empty: the span is read as "not a number" (URLs, "24/7")


def _lang_key(lang: str | None) -> str | None:
    if not lang:
        return None
    key = re.split(r"[-_]", lang.strip().lower())[0]
    return key if key in LANGS else None


def _fold(word: str) -> str:
    """Lowercase, and drop accents from Latin letters so that "deuxième"/"deuxieme" and
    "fünf"/"funf" meet; Cyrillic keeps its marks except ё (й is not и)."""
    word = word.lower().replace("ё", "е")
    if re.search("[а-я]", word):
        return word
    word = word.replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------------
# Text preparation

_WIDE = MappingProxyType(
    {0xFF10 + i: 0x30 + i for i in range(10)}
    | {ord(a): b for a, b in zip("％：＋－～＄￥／　", "%:+-~$¥/ ", strict=True)}
)
# A full-width comma separates clauses far more often than thousands: only "10，000" is a number.
_WIDE_SEP = re.compile(r"(?<=\d)(?:，(?=\d{3}(?!\d))|．(?=\d))")


def _prepare(text: str) -> str:
    text = text.translate(_WIDE)
    return _WIDE_SEP.sub(lambda m: "," if m.group() == "，" else ".", text)


_BLOCKED = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])@\w+"
    r"|(?<![\w#&])#[^\W\d]\w*"
)


def _blocked(t: str, lang: str | None) -> Iterator[_Claim]:
    for m in _BLOCKED.finditer(t):
        yield _Claim(m.start(), m.end())


# ---------------------------------------------------------------------------------------------
# Times

_LB = f"(?<![\\d.,:{_L}])"
_H = r"(?P<h>2[0-4]|[01]?\d)"
_MM = r"(?P<m>[0-5]\d)"
# The dot after "m" belongs to "p.m." but not to "pm." at the end of a sentence.
_AP = r"(?P<ap>[aApP](?:\.\s?[mM]\.?|[mM]))(?![A-Za-z])"
_ZH_PERIOD = "上午|早上|早晨|凌晨|中午|下午|傍晚|晚上|夜间|夜里|深夜"


def _clock(h: int, m: int = 0, ap: str | None = None) -> int | None:
    if ap is not None:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ap[0] in "pP" else 0)
    return h * 60 + m if h <= 24 and m < 60 else None


def _group_int(m: re.Match[str], name: str) -> int:
    return int(m.group(name)) if m.group(name) else 0


def _read_ap(m: re.Match[str], lang: str | None) -> int | None:
    ap = m.group("ap")
    # German "um 5 am Montag": a bare lowercase "am" is a time only in English.
    if ap.lower() in ("am", "pm") and ap.islower() and lang != "en":
        return None
    return _clock(int(m.group("h")), _group_int(m, "m"), ap)


def _read_es_period(m: re.Match[str], lang: str | None) -> int | None:
    h = int(m.group("h"))
    if m.group("per") in ("tarde", "noche") and h < 12:
        h += 12
    return _clock(h, _group_int(m, "m"))


def _read_hm(m: re.Match[str], lang: str | None) -> int | None:
    minutes = m.groupdict().get("m2") or m.groupdict().get("m")
    return _clock(int(m.group("h")), int(minutes) if minutes else 0)


_FR_TIME_WORD = re.compile(r"(?i)(?:\b(?:à|vers|dès|avant|après|jusqu['’]à|entre|et))\s+$")


def _read_fr_bare(m: re.Match[str], lang: str | None) -> int | None:
    # "14h" alone is a clock time after "à"/"vers"...; "pendant 24h" is a duration.
    if lang not in ("fr", None) or not _FR_TIME_WORD.search(m.string, max(0, m.start() - 12), m.start()):
        return None
    return _clock(int(m.group("h")))


def _zh_small(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    value = _zh_int(s)
    return int(value) if value is not None and value == int(value) else None


def _read_zh_time(m: re.Match[str], lang: str | None) -> int | None:
    h = _zh_small(m.group("h"))
    marked = any(m.group(g) for g in ("per", "z", "half", "m", "q", "m2"))
    # "三点" is as often "three points" as "three o'clock"; digits before 点 are a clock.
    if h is None or not (marked or m.group("h").isdigit()):
        return None
    minutes = 30 if m.group("half") else (15 * (1 if m.group("q") == "一" else 3) if m.group("q") else 0)
    if m.group("m") or m.group("m2"):
        found = _zh_small(m.group("m") or m.group("m2"))
        if found is None:
            return None
        minutes = found
    per = m.group("per") or ""
    if (per in ("下午", "傍晚", "晚上") and h < 12) or (per == "中午" and h < 11):
        h += 12
    elif per in ("凌晨", "深夜", "夜里", "夜间") and h == 12:
        h = 0
    return _clock(h, minutes)


_ZH_SMALL = "[零〇一二两三四五六七八九十]{1,3}"
_TIME_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str | None], int | None]], ...] = (
    (
        re.compile(_LB + _H + r"(?:[:.]" + _MM + r")?\s+de\s+la\s+(?P<per>mañana|manana|tarde|noche|madrugada)"),
        _read_es_period,
    ),
    (re.compile(_LB + _H + r"\s?ч\.?\s?(?P<m>[0-5]?\d)\s?мин\.?"), _read_hm),
    (re.compile(_LB + _H + r"\s?h\s?" + _MM + r"(?!\d)"), _read_hm),
    (re.compile(_LB + _H + r"(?:[:.]" + _MM + r")?\s?Uhr(?:\s(?P<m2>[0-5]\d)(?!\d))?"), _read_hm),
    (re.compile(_LB + _H + r"(?:[:.]" + _MM + r")?\s?" + _AP), _read_ap),
    (re.compile(_LB + _H + r"\s?o['’]clock"), _read_hm),
    (
        re.compile(_LB + _H + ":" + _MM + r"(?::[0-5]\d)?(?![\d:])(?:\s?(?:(?:h|hrs?|hs|ч)\.?|horas)" + _NOT_L + ")?"),
        _read_hm,
    ),
    (re.compile(_LB + _H + r"\." + _MM + r"\s?(?:(?:h|hs|ч)\.?|horas)" + _NOT_L), _read_hm),
    (re.compile(_LB + _H + r"\s?h(?![\d" + _L + "])"), _read_fr_bare),
    (
        re.compile(
            f"(?<![\\d第.{_ZH_NUM}])(?P<per>{_ZH_PERIOD})?(?P<h>[012]?\\d|{_ZH_SMALL})[点时]"
            f"(?:(?P<z>钟)|(?P<half>半)|(?P<m>[0-5]?\\d|{_ZH_SMALL})分|(?P<q>[一三])刻|(?P<m2>[0-5]\\d)(?!\\d))?"
        ),
        _read_zh_time,
    ),
)


def _times(t: str, lang: str | None) -> Iterator[_Claim]:
    for pattern, reader in _TIME_READERS:
        for m in pattern.finditer(t):
            minutes = reader(m, lang)
            if minutes is not None:
                yield _Claim(m.start(), m.end(), (_Cand(m.start(), m.end(), float(minutes), "time"),))


# ---------------------------------------------------------------------------------------------
# Dates

_MONTH_FORMS: Mapping[str, str] = MappingProxyType(
    {
        # English month names are capitalised: "may" and "march" are also verbs.
        "en": "January/Jan February/Feb March/Mar April/Apr May June/Jun July/Jul August/Aug "
        "September/Sept/Sep October/Oct November/Nov December/Dec",
        "fr": "janvier/janv. février/fevrier/févr./fevr. mars avril/avr. mai juin juillet/juil. août/aout "
        "septembre/sept. octobre/oct. novembre/nov. décembre/decembre/déc./dec.",
        "de": "Januar/Jänner/Jan. Februar/Feb. März/Maerz/Mär. April/Apr. Mai Juni Juli August/Aug. "
        "September/Sept./Sep. Oktober/Okt. November/Nov. Dezember/Dez.",
        "es": "enero/ene. febrero/feb. marzo/mar. abril/abr. mayo junio/jun. julio/jul. agosto/ago. "
        "septiembre/setiembre/sept./sep. octubre/oct. noviembre/nov. diciembre/dic.",
        "ru": "января/янв. февраля/февр./фев. марта/мар. апреля/апр. мая июня/июн. июля/июл. августа/авг. "
        "сентября/сент./сен. октября/окт. ноября/нояб./ноя. декабря/дек.",
    }
)


def _month_table() -> Mapping[str, int]:
    table: dict[str, int] = {}
    for forms in _MONTH_FORMS.values():
        for month, group in enumerate(forms.split(), start=1):
            for form in group.split("/"):
                table[_fold(form).rstrip(".")] = month
    return MappingProxyType(table)


_MONTHS = _month_table()


def _month_alternation(lang: str) -> str:
    forms = sorted((f for group in _MONTH_FORMS[lang].split() for f in group.split("/")), key=len, reverse=True)
    if lang == "en":
        return "(?-i:" + "|".join(re.escape(f) + (r"\.?" if len(f) <= 4 else "") for f in forms) + ")"
    return "|".join(re.escape(f) for f in forms)


_D = r"(?P<d>[0-3]?\d)"
_Y = r"(?P<y>[12]\d{3})(?!\d)"
_DLB = f"(?<![\\d.,:/{_L}])"


def _date_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    mon = f"(?P<mon>{_month_alternation(lang)}){_NOT_L}"
    bodies = {
        "en": (
            rf"(?P<dp>{_D}(?:st|nd|rd|th)?(?:\s+of)?\s+{mon})(?:,?\s+{_Y})?",
            rf"(?P<dp>{mon}\s+(?:the\s+)?{_D}(?:st|nd|rd|th)?)(?![\d:{_L}])(?:,?\s+{_Y})?",
        ),
        "fr": (rf"(?P<dp>{_D}(?:er|re|e)?\s+{mon})(?:\s+{_Y})?",),
        "de": (rf"(?P<dp>{_D}\.?\s+{mon})(?:\s+{_Y})?",),
        "es": (rf"(?P<dp>{_D}(?:\.?[ºª])?\s+(?:de\s+)?{mon})(?:,?\s+(?:del?\s+)?{_Y})?",),
        "ru": (rf"(?P<dp>{_D}(?:-?(?:го|е|ое))?\s+{mon})(?:\s+{_Y})?",),
    }[lang]
    return tuple(re.compile(_DLB + body, re.IGNORECASE) for body in bodies)


_NUMERIC_DATES = (
    re.compile(r"(?<![\d.])(?P<dp>(?P<d>[0-3]?\d)\.(?P<mo>[01]?\d))\.(?P<y>[12]\d{3})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<y>[12]\d{3})-(?P<dp>(?P<mo>[01]\d)-(?P<d>[0-3]\d))(?!\d)"),
)
# German "am 5.3." (day.month.): German decimals take a comma, so the closing dot makes it a date.
_DE_SHORT_DATE = re.compile(r"(?<![\d.,])(?P<dp>(?P<d>[0-3]?\d)\.(?P<mo>[01]?\d)\.)(?![\d.])")
_SLASHED = re.compile(r"(?<![\d/.])(?P<dp>(?P<a>\d{1,2})/(?P<b>\d{1,2}))(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])")
_ZH_MONTH = "1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_ZH_DAY = "[0-3]?\\d|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_ZH_DATE = re.compile(
    f"(?<![\\d.{_ZH_NUM}])(?:(?P<y>\\d{{4}}|[零〇一二三四五六七八九]{{4}})年)?"
    f"(?P<dp>(?P<mo>{_ZH_MONTH})月(?:份|(?P<d>{_ZH_DAY})[日号])?)"
)


def _date_claim(m: re.Match[str], month: int, day: int | None, spelled: bool = False) -> _Claim | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    cands = []
    if day is not None:
        cands.append(_Cand(m.start("dp"), m.end("dp"), float(month * 100 + day), "date", spelled=spelled))
    year = m.groupdict().get("y")
    if year:
        value = float(year) if year.isdigit() else _zh_positional(year)
        end = m.end("y") + (1 if m.string[m.end("y") : m.end("y") + 1] == "年" else 0)
        cands.append(_Cand(m.start("y"), end, value, "year", spelled=not year.isdigit()))
    return _Claim(m.start(), m.end(), tuple(sorted(cands)))


def _slashed_claim(m: re.Match[str], lang: str | None) -> _Claim:
    a, b = int(m.group("a")), int(m.group("b"))
    if m.group("y") is None:
        return _Claim(m.start(), m.end())  # "24/7", "3/4": ratios and fractions, not compared
    if lang == "en" or (lang is None and b > 12 >= a):
        month, day = a, b
    elif lang is not None or a > 12 >= b:
        month, day = b, a
    else:
        return _Claim(m.start(), m.end())  # "3/5/2021" with no locale: no telling
    year = m.group("y")
    claim = _date_claim(m, month, day) if len(year) == 4 else None
    if claim is None:
        return _Claim(m.start(), m.end())
    return claim


def _dates(t: str, lang: str | None) -> Iterator[_Claim]:
    for pattern in _PATTERNS[lang].dates:
        for m in pattern.finditer(t):
            month = _MONTHS.get(_fold(m.group("mon")).rstrip("."))
            claim = _date_claim(m, month or 0, int(m.group("d")))
            if claim:
                yield claim
    for pattern in _NUMERIC_DATES:
        for m in pattern.finditer(t):
            claim = _date_claim(m, int(m.group("mo")), int(m.group("d")))
            if claim:
                yield claim
    for m in _DE_SHORT_DATE.finditer(t) if lang == "de" else ():
        claim = _date_claim(m, int(m.group("mo")), int(m.group("d")))
        if claim:
            yield claim
    for m in _SLASHED.finditer(t):
        yield _slashed_claim(m, lang)
    for m in _ZH_DATE.finditer(t):
        month = _zh_small(m.group("mo"))
        day = _zh_small(m.group("d")) if m.group("d") else None
        if month is not None and (day is not None or not m.group("d")):
            claim = _date_claim(m, month, day, spelled=not m.group("mo").isdigit())
            if claim:
                yield claim


# ---------------------------------------------------------------------------------------------
# Chinese numerals


def _zh_positional(s: str) -> float:
    return float("".join(str(_ZH_DIGIT[c]) for c in s))


def _zh_int(s: str) -> float | None:
    """ "三十五" 35, "两百" 200, "一万五千" 15000, "一百零五" 105, and the spoken "一万五" 15000;
    None for what is not one number ("三四十", "thirty or forty")."""
    total = section = 0.0
    num: int | None = None
    last_unit = 0.0
    zero = False
    for ch in s:
        if ch in _ZH_DIGIT:
            if num:
                return None
            num = _ZH_DIGIT[ch]
            zero = zero or num == 0
        elif ch in _ZH_UNIT:
            if num is None:
                if ch != "十" or section or total:
                    return None
                num = 1
            section += num * _ZH_UNIT[ch]
            num, last_unit, zero = None, _ZH_UNIT[ch], False
        else:
            seg = section + (num or 0)
            if not seg and not total:
                return None
            total = (total + seg) * _ZH_BIG[ch] if ch == "亿" else total + seg * _ZH_BIG[ch]
            section, num, last_unit, zero = 0.0, None, _ZH_BIG[ch], False
    if num is not None:
        section += num * last_unit / 10 if last_unit and not zero else num
    return total + section


def _zh_value(run: str, followed_by: str) -> float | None:
    """The value of a run of numeral characters, None where it is no single number."""
    whole, _, rest = run.partition("点")
    if rest:
        digits = rest.rstrip("万亿")
        scale = math.prod(_ZH_BIG[c] for c in rest[len(digits) :])
        int_part = _zh_int(whole) if whole else None
        fraction = "".join(str(_ZH_DIGIT[c]) for c in digits)
        return None if int_part is None else (int_part + float("0." + fraction)) * scale
    if any(c in _ZH_UNIT or c in _ZH_BIG for c in run):
        return _zh_int(run)
    if len(run) == 1:
        return float(_ZH_DIGIT[run])
    # "两三", "七八": a guess ("two or three"), not a number; "二〇二一年" is read digit by digit.
    if len(run) >= 3 and (followed_by == "年" or "〇" in run or "零" in run):
        return _zh_positional(run)
    return None


# Words in which a numeral character is no number ("统一" unify, "一些" some, "百姓" the people).
_ZH_WORDS = (
    "一些 一起 统一 一样 一直 一定 之一 万一 一般 一切 一边 一旦 一致 一方面 一度 一向 一再 一律 一同 一道 一带一路 "
    "一带 一体 一下 一点 一会 一阵 唯一 单一 同一 一流 一系列 一行 一路 一手 一心 一贯 一概 一面 一时 不一 逐一 一举 "
    "一番 一连 一共 一半 一味 一旁 一早 一丝 十分 万分 百姓 百货 百科 千万 万物 万岁 万众 万万 三明治 四川 两岸 两会 "
    "三峡 五角大楼 八卦 九州 万象 千方百计 百分百 四处 四周 五金 一国两制 乱七八糟 七嘴八舌 三思 一如既往 一模一样 "
    "独一无二 一口气 数一数二 千家万户 千千万万 十足 初一 初二 初三 高一 高二 高三 大一 大二 大三 大四 一无所"
)
_ZH_EXCLUDED = re.compile(
    "|".join(sorted(_ZH_WORDS.split(), key=len, reverse=True)) + "|(?:星期|周|礼拜)[一二三四五六日天]"
)
_ZH_RUN = re.compile("(?:[零〇一二两三四五六七八九十百万亿]|千(?![米克瓦伏]))+(?:点[零〇一二三四五六七八九]+[万亿]*)?")
_ZH_PERCENT = re.compile(
    r"百分之(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)"
)
_ZH_ORDINAL = re.compile(r"第(?P<n>\d+|[零〇一二两三四五六七八九十百千万]+)")
_ZH_FRACTION = re.compile(f"(?<![\\d{_ZH_NUM}])[\\d{_ZH_NUM}]+分之[\\d{_ZH_NUM}]+")
_ZH_DAY_ALONE = re.compile(r"(?<![\d月.])(?P<n>[0-3]?\d)日(?!元)")


def _zh_prefixed(t: str, lang: str | None) -> Iterator[_Claim]:
    """Numbers that a Chinese character before them qualifies: 百分之 (percent), 第 (ordinal),
    分之 (a fraction, not compared), and a day of the month without its month."""
    for m in _ZH_PERCENT.finditer(t):
        n = m.group("n")
        value = float(n) if n[0].isdigit() else _zh_value(n, "")
        if value is not None:
            cand = _Cand(m.start(), m.end(), value, "percent", "%", spelled=not n[0].isdigit())
            yield _Claim(m.start(), m.end(), (cand,))
    for m in _ZH_FRACTION.finditer(t):
        yield _Claim(m.start(), m.end())
    for m in _ZH_ORDINAL.finditer(t):
        n = m.group("n")
        value = float(n) if n.isdigit() else _zh_int(n)
        if value is not None:
            yield _Claim(m.start(), m.end(), (_Cand(m.start(), m.end(), value, "ordinal", spelled=not n.isdigit()),))
    for m in _ZH_DAY_ALONE.finditer(t):
        if 1 <= int(m.group("n")) <= 31:
            yield _Claim(m.start(), m.end(), (_Cand(m.start(), m.end(), float(m.group("n")), "ordinal"),))


# "上世纪90年代", "八十年代": a decade, which English writes "the 1990s".
_ZH_DECADE = re.compile(
    "(?:上世纪|上世紀|上个世纪|上個世紀)?(?P<n>[1-9]0|[一二三四五六七八九]十)年代"
    # "80后", "00后": those born in the 1980s, the 2000s
    "|(?<![\\d.])(?P<g>[0-9]0)后"
)
# "五六百米", "四五厘米": two neighbouring digits are a rough amount, "500 or 600 metres".
_ZH_PAIR = re.compile("([一二三四五六七八九])([二三四五六七八九])([十百千万亿]*)")


def _zh_decades(t: str, lang: str | None) -> Iterator[_Claim]:
    if lang not in ("zh", None):
        return
    for m in _ZH_DECADE.finditer(t):
        n = m.group("n") or m.group("g")
        tens = float(n) if n[0].isdigit() else (_zh_int(n) or 0.0)
        year = (1900.0 if tens >= 20 or m.group().startswith("上") else 2000.0) + tens
        yield _Claim(m.start(), m.end(), (_Cand(m.start(), m.end(), year, "year", spelled=not n[0].isdigit()),))


def _zh_pair(run: str) -> tuple[float, float] | None:
    m = _ZH_PAIR.fullmatch(run)
    if m is None or _ZH_DIGIT[m.group(2)] != _ZH_DIGIT[m.group(1)] + 1:
        return None
    scale = math.prod(_ZH_FACTOR[c] for c in m.group(3))
    return _ZH_DIGIT[m.group(1)] * scale, _ZH_DIGIT[m.group(2)] * scale


def _zh_numerals(t: str, lang: str | None) -> Iterator[_Claim]:
    excluded = [m.span() for m in _ZH_EXCLUDED.finditer(t)]
    for m in _ZH_RUN.finditer(t):
        s, e = m.span()
        if any(a <= s and e <= b for a, b in excluded):
            continue
        # "几十万", "数千", "十几", "八成" (80 %): vague amounts and fractions, not numbers.
        if t[s - 1 : s] in ("几", "数") or t[e : e + 1] in ("几", "成"):
            continue
        value = _zh_value(m.group(), t[e : e + 1])
        if value is None:
            pair = _zh_pair(m.group())
            if pair is not None:  # either value may be the one a translation gives
                tail = _read_tail(t, e, lang, None, None)
                yield _Claim(
                    s,
                    tail.end,
                    tuple(_Cand(s, tail.end, v * tail.scale, tail.kind, tail.unit, True, True) for v in pair),
                )
            continue
        if t[e : e + 1] == "年" and len(m.group()) == 4 and 1000 <= value <= 2999:
            yield _Claim(s, e + 1, (_Cand(s, e + 1, value, "year", spelled=True),))
            continue
        tail = _read_tail(t, e, lang, None, None)
        cand = _Cand(s, tail.end, value * tail.scale, tail.kind, tail.unit, True, False, tail.scale, tail.end == e)
        yield _Claim(s, tail.end, (cand,))


# ---------------------------------------------------------------------------------------------
# What follows a number: scale words, units, currencies, percent, ordinal suffixes


class _Scales(NamedTuple):
    """A locale's scale words as one pattern (group "s<i>" for the i-th word): compiling the
    letter class once per locale rather than once per word keeps the import fast."""

    pattern: re.Pattern[str] | None
    factors: tuple[float, ...]
    after_currency: tuple[bool, ...]  # "$5m", "$50k": read so only after a currency


def _scales(specs: Iterable[str]) -> _Scales:
    forms: list[str] = []
    factors: list[float] = []
    flags: list[bool] = []
    for item in (item for spec in specs for item in spec.split()):
        form, factor, *flag = item.split("@")
        # "16-Millionen-Einwohner", "a $126.5-million mortgage": compounds join with a hyphen.
        gap = "" if flag else f"(?:{_SP}*|-)"
        forms.append(f"{gap}(?P<s{len(forms)}>{form})")
        factors.append(float(factor))
        flags.append(bool(flag))
    pattern = re.compile(f"(?:{'|'.join(forms)}){_NOT_L}", re.IGNORECASE) if forms else None
    return _Scales(pattern, tuple(factors), tuple(flags))


_SCALE_SPECS: Mapping[str, str] = MappingProxyType(
    {
        "en": "thousand@1e3 million@1e6 billion@1e9 trillion@1e12 bn@1e9 bln@1e9 tn@1e12 trn@1e12 mn@1e6 mln@1e6 "
        "m@1e6@cur k@1e3@cur",
        "fr": "mille@1e3 millions?@1e6 milliards?@1e9 billions?@1e12 mds?@1e9 mrds?@1e9 M(?=\\s?[€$])@1e6",
        "de": "tausend@1e3 tsd\\.@1e3 mio\\.?@1e6 millionen@1e6 million@1e6 mrd\\.?@1e9 milliarden@1e9 "
        "milliarde@1e9 billionen@1e12 billion@1e12 bio\\.@1e12",
        "es": "mil\\s+millones@1e9 mil@1e3 millones@1e6 mill[oó]n@1e6 billones@1e12 bill[oó]n@1e12",
        "ru": "тыс\\.?@1e3 тысяч\\w*@1e3 млн\\.?@1e6 миллион\\w*@1e6 млрд\\.?@1e9 миллиард\\w*@1e9 трлн\\.?@1e12 "
        "триллион\\w*@1e12",
    }
)
_ZH_SCALE = re.compile("(?:多|余)?(?P<w>(?:[十百万亿]|千(?![米克瓦伏]))+)")
_ZH_FACTOR = MappingProxyType({"十": 10.0, "百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8})


# symbol, symbols (case-sensitive, may touch the digits), words (any case)
_UNIT_SPECS: tuple[tuple[str, str, str], ...] = (
    (
        "%",
        "%|‰|个百分点|百分点",
        r"per\s?cent|percent|pct|pour\s?cent|prozent|por\s?ciento|porciento|процент\w*|проц\.|percentage\s+points?"
        r"|points?\s+de\s+pourcentage|prozentpunkte?n?|puntos?\s+porcentuales?|процентн\w*\s+пункт\w*|п\.\s?п\.",
    ),
    ("km/h", "km/h|km/ч|км/ч|kmh|公里/小时|公里每小时",
     r"kilom[eè]tres?[\s-]+(?:par\s+)?heure|kilomet(?:er|re)s?\s+per\s+hour"),
    ("mph", "mph", r"miles\s+per\s+hour"),
    ("km²", "km²|km2|кв\\.\\s?км|км²|平方公里|平方千米",
     r"square\s+kilomet\w+|kilom[eè]tres?\s+carr[ée]s|quadratkilometer\w*|kilómetros?\s+cuadrados"),
    ("m²", "m²|m2|кв\\.\\s?м|м²|平方米", r"square\s+met\w+|m[eè]tres?\s+carr[ée]s|quadratmeter\w*|metros?\s+cuadrados"),
    ("km", "km|км|公里|千米", r"kilom[eè]t(?:re|er)s?|kilometern?|kilómetros?|километр\w*"),
    ("cm", "cm|см|厘米", r"centim[eè]t(?:re|er)s?|zentimetern?|centímetros?|сантиметр\w*"),
    ("mm", "mm|мм|毫米", r"millim[eè]t(?:re|er)s?|millimetern?|milímetros?|миллиметр\w*"),
    ("m", "m|м|米", r"m[eè]t(?:re|er)s?|metern?|metros?|метр(?:а|ов|ах|ам|ами|е)?"),
    ("mi", "mi|英里", r"miles?|milles?|meilen?|millas?|мил[ьяи]\w*"),
    ("ft", "ft|英尺", r"feet|foot|pieds?|fu(?:ß|ss)|pies|фут\w*"),
    ("kg", "kg|кг|公斤|千克", r"kilos?|kilograms?|kilogrammes?|kilogramm|kilogramos?|килограмм\w*"),
    ("g", "g|г|克", r"grams?|grammes?|gramm|gramos?|грамм\w*"),
    ("t", "t|т|吨", r"tonnes?|tons?|tonnen?|toneladas?|тонн\w*"),
    ("°C", "°\\s?C|º\\s?C|℃|摄氏度|(?<=\\d)C",
     r"degrees?\s+celsius|degr[ée]s\s+celsius|grad\s+celsius|grados?\s+(?:celsius|cent[ií]grados)"
     r"|градус\w*\s+цельси\w*"),
    ("°F", "°\\s?F|℉|华氏度|(?<=\\d)F",
     r"degrees?\s+fahrenheit|degr[ée]s\s+fahrenheit|grad\s+fahrenheit|grados?\s+fahrenheit"),
    ("°", "°|度", r"degrees?|degr[ée]s|grad|grados?|градус\w*"),
    ("TWh", "TWh|ТВт·?ч", ""),
    ("GWh", "GWh|ГВт·?ч", ""),
    ("MWh", "MWh|МВт·?ч", ""),
    ("kWh", "kWh|кВт·?ч|千瓦时", ""),
    ("GW", "GW|ГВт|吉瓦|千兆瓦", r"gigawatts?|гигаватт\w*"),
    ("MW", "MW|МВт|兆瓦", r"m[eé]gawatts?|мегаватт\w*"),
    ("kW", "kW|кВт|千瓦", r"kilowatts?|киловатт\w*"),
    ("kV", "kV|кВ|千伏", r"kilovolts?|киловольт\w*"),
    ("ha", "ha|га|公顷", r"hectares?|hektar|hectáreas?|гектар\w*"),
    ("acre", "英亩", r"acres?|acres|акр\w*"),
    ("in", "英寸", r"inch(?:es)?|pouces?|zoll|pulgadas?|дюйм\w*"),
    ("gal", "加仑", r"gallons?|galones?|gallonen|галлон\w*"),
    ("l", "升", r"lit(?:re|er)s?|liter|litros?|литр\w*"),
    ("h", "h|ч|小时|个小时", r"hours?|heures?|stunden?|horas?|час|часа|часов|часам|часах|часами"),
    ("min", "min|мин|分钟", r"minutes?|minuten?|minutos?|минут\w*"),
    ("s", "秒", r"seconds?|secondes?|sekunden?|segundos?|секунд\w*"),
    ("d", "天", r"days?|jours?|tagen?|tage|d[ií]as?|дн(?:я|ей|ям|ями|ях)|день|сут(?:ок|ки)"),
    ("wk", "周|星期|个星期|个礼拜", r"weeks?|semaines?|wochen?|semanas?|недел\w*"),
    ("mo", "个月", r"months?|mois|monaten?|monate|meses|mes|месяц\w*"),
    ("yr", "年", r"years?|ans?|ann[ée]es?|jahren?|jahre|años?|год(?:а|у|ом)?|лет|гг?\."),
    ("USD", "\\$|USD|美元|美金", r"dollars?|dólares|dólar|долл\.|доллар\w*"),
    ("EUR", "€|EUR|欧元", r"euros?|евро"),
    ("GBP", "£|GBP|英镑",
     r"pounds?\s+sterling|livres?\s+sterling|pfund\s+sterling|libras?\s+esterlinas?|фунт\w*\s+стерлинг\w*"),
    ("CNY", "¥|CNY|RMB|元人民币|人民币|元", r"yuans?|yuanes|renminbi|юан\w*"),
    ("RUB", "₽|RUB|卢布", r"roubles?|rubles?|rublos?|rubel|руб\.|руб|рубл\w*"),
    ("JPY", "JPY|日元", r"yens?|yenes|иен\w*|йен\w*"),
    ("CHF", "CHF|瑞士法郎", r"franken|francs?\s+suisses"),
    ("HKD", "HKD|港元|港币", ""),
    ("GBX", "(?<=\\d)p", r"pence|pences|penique"),
)  # fmt: skip


def _unit_pattern() -> re.Pattern[str]:
    """One pattern for the whole table, group "u<i>" for its i-th row. The first row whose form
    ends at a word boundary wins, so a row whose form another one extends comes after it
    ("km/h" before "km", "kWh" before "kW"); forms of one row are tried symbols first."""
    rows = []
    for i, (_, symbols, words) in enumerate(_UNIT_SPECS):
        forms = f"(?:{symbols})" + (f"|(?i:{words})" if words else "")
        rows.append(f"(?P<u{i}>{forms})")
    return re.compile(f"(?:{_SP}*|-)(?:{'|'.join(rows)}){_NOT_L}")


_UNITS = _unit_pattern()
_OF = re.compile(f"{_SP}+(?i:de|d['’]|of){_SP}*")
_CURRENCY_PREFIX = re.compile(
    r"(?:(?<![A-Za-z])(?P<code>U\.?S\.?\s?\$|CA?\$|AU?\$|HK\$|USD|EUR|GBP|CNY|RMB|RUB|JPY|CHF)|(?P<sym>[$€£¥₽]))"
    + _SP
    + "?$"
)
_PREFIX_CODES = MappingProxyType(
    {"$": "USD", "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "HK$": "HKD", "RMB": "CNY"}
    | {"€": "EUR", "£": "GBP", "¥": "CNY", "₽": "RUB"}
)


class _Tail(NamedTuple):
    end: int
    scale: float = 1.0
    unit: str | None = None
    kind: str = "number"
    approx: bool = False


def _scale_at(t: str, pos: int, lang: str | None, currency: bool) -> tuple[float, int, bool]:
    m = _ZH_SCALE.match(t, pos)
    if m:
        return math.prod(_ZH_FACTOR[c] for c in m.group("w")), m.end(), False
    scales = _PATTERNS[lang].scales
    m = scales.pattern.match(t, pos) if scales.pattern else None
    if m is None or m.lastgroup is None:
        return 1.0, pos, False
    i = int(m.lastgroup[1:])
    if scales.after_currency[i] and not currency:
        return 1.0, pos, False
    # "billion" is 1e9 in English and 1e12 in French and German: unsure without a locale.
    unsure = lang is None and m.group(m.lastgroup).lower().startswith("billion")
    return scales.factors[i], m.end(), unsure


def _unit_row(m: re.Match[str] | None) -> tuple[str, str, int] | None:
    if m is None or m.lastgroup is None:
        return None
    symbol = _UNIT_SPECS[int(m.lastgroup[1:])][0]
    return symbol, "percent" if symbol == "%" else "number", m.end()


def _unit_at(t: str, pos: int, scaled: bool) -> tuple[str | None, str, int]:
    found = _unit_row(_UNITS.match(t, pos))
    if found is None and scaled:
        of = _OF.match(t, pos)  # "5 millions d'euros", "5 millones de dólares"
        found = _unit_row(_UNITS.match(t, of.end())) if of else None
        if found and found[1] == "percent":
            found = None
    return found or (None, "number", pos)


_ORDINAL_SUFFIX: Mapping[str, str] = MappingProxyType(
    {
        "en": "st|nd|rd|th",
        "fr": "ers?|res?|ères?|èmes?|emes?|es?|nde?s?",
        "es": "\\.?[ºª]|er|ra|ro|do|da|to|ta|vo|va|mo|ma|no|na",
    }
)
_RU_SUFFIX = re.compile(f"-(?P<s>[а-яё]{{1,3}}){_NOT_L}")
_RU_CARDINAL = frozenset({"х", "ти", "ми", "ух", "ех", "ёх", "и", "мя"})
_DECADE = re.compile(f"(?:['’]?s|er){_NOT_L}")
_DE_ORDINAL_DOT = re.compile(r"\.(?=[ \u00a0]+[a-zäöüß])")


def _digit_suffix(t: str, pos: int, core: str, lang: str | None) -> _Tail | None:
    """What only a digit string takes: "21st", "2e", "1º", "2-й", "1990s", "1990er", "3. größte"."""
    year_like = core.isdigit() and len(core) == 4 and 1000 <= int(core) <= 2999
    m = _DECADE.match(t, pos)
    if m and core.isdigit() and len(core) in (2, 4) and core.endswith("0") and lang in ("en", "de", None):
        return _Tail(m.end(), kind="year" if len(core) == 4 else "number")
    suffix = _PATTERNS[lang].ordinal_suffix
    m = suffix.match(t, pos) if suffix else None
    if m:
        return _Tail(m.end(), kind="ordinal")
    m = _RU_SUFFIX.match(t, pos) if lang in ("ru", None) else None
    if m:
        kind = "year" if year_like else ("number" if m.group("s") in _RU_CARDINAL else "ordinal")
        return _Tail(m.end(), kind=kind)
    if lang == "de" and _DE_ORDINAL_DOT.match(t, pos):
        return _Tail(pos + 1, kind="ordinal")
    return None


def _read_tail(
    t: str, pos: int, lang: str | None, currency: str | None, core: str | None, scaled: bool = False
) -> _Tail:
    """What follows a number; `scaled` when a spelled number already ended on a scale word."""
    if core is not None:
        special = _digit_suffix(t, pos, core, lang)
        if special:
            return special
    scale, after_scale, unsure = _scale_at(t, pos, lang, currency is not None)
    unit, kind, end = _unit_at(t, after_scale, scaled or scale != 1.0)
    if currency is not None and kind == "number" and unit in (None, "USD"):
        unit = currency  # "$5" is the prefix's currency; "C$5 dollars" stays Canadian
    return _Tail(end, scale, unit, kind, unsure)


# ---------------------------------------------------------------------------------------------
# Digits

# How each locale reads a lone "." or ","; a locale that does not say leaves it to the digits.
_READINGS: Mapping[str | None, Mapping[str, str]] = MappingProxyType(
    {
        "en": {",": "group", ".": "decimal"},
        "zh": {",": "group", ".": "decimal"},
        "de": {".": "group", ",": "decimal"},
        "es": {".": "group", ",": "decimal"},
        "fr": {".": "group", ",": "decimal"},
        "ru": {",": "decimal"},
    }
)


def _grouped(groups: Sequence[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and groups[0] != "0" and all(len(g) == 3 for g in groups[1:])


def _one_separator(whole: str, frac: str, sep: str, lang: str | None) -> tuple[float, bool] | None:
    groupable = _grouped((whole, frac))
    if sep not in ".,":
        return (float(whole + frac), False) if groupable else None
    reading = _READINGS.get(lang, {}).get(sep)
    if groupable and reading != "decimal":
        return float(whole + frac), reading is None
    return float(f"{whole}.{frac}"), False


def _parse_core(core: str, lang: str | None) -> tuple[float, bool] | None:
    """The value of "1.234,5", "10 000", "1,234" and whether the reading is a guess; None for
    what is no single number ("3.2.1", "1,2,3")."""
    groups = re.split(r"\D", core)
    seps = re.findall(r"\D", core)
    if not seps:
        return float(core), False
    if len(seps) == 1:
        return _one_separator(groups[0], groups[1], seps[0], lang)
    *head, last = seps
    if len(set(head)) == 1 and last in ".," and last != head[0]:
        return (float("".join(groups[:-1]) + "." + groups[-1]), False) if _grouped(groups[:-1]) else None
    if len(set(seps)) == 1 and _grouped(groups):
        return float("".join(groups)), False
    return None


# A space groups thousands only after one to three digits and before exactly three: "10 000" is
# one number in every locale (SI style reaches English too), "in 2019 300 people" two.
_CORE = re.compile(rf"(?<![\d.,'’])(?:\d{{1,3}}(?:{_SP}\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,'’]\d+)*)")


def _left(t: str, s: int) -> tuple[int, float, str | None] | None:
    """Where a number really starts (a sign, a currency), or None when it is part of a word
    ("A320", "COVID-19")."""
    start, sign, currency = s, 1.0, None
    m = _CURRENCY_PREFIX.search(t, max(0, s - 8), s)
    if m:
        raw = re.sub(r"[\s.]", "", m.group("code") or m.group("sym"))
        currency, start = _PREFIX_CODES.get(raw, raw), m.start()
    prev = t[start - 1 : start]
    if _IS_L.match(prev) or prev in ("_", "/", "\\"):
        return None
    if prev in ("-", "−", "+"):
        before = t[start - 2 : start - 1]
        if _IS_L.match(before):
            return None
        # "10-12" is a range; "fell to -5", "(−3)" are signed.
        if not before.isdigit() and (prev != "-" or not re.search(r"[\d%]\s*$", t[max(0, start - 12) : start - 1])):
            return start - 1, (1.0 if prev == "+" else -1.0), currency
    return start, sign, currency


def _year_kind(core: str, sign: float, tail: _Tail, currency: str | None) -> bool:
    if not core.isdigit() or len(core) != 4 or sign < 0 or currency or tail.scale != 1.0:
        return False
    lo, hi = (1000, 2999) if tail.unit == "yr" else (1900, 2100)
    return tail.kind == "number" and tail.unit in (None, "yr") and lo <= int(core) <= hi


def _read_number(t: str, s: int, e: int, lang: str | None) -> _Cand | None:
    core = t[s:e]
    parsed = _parse_core(core, lang)
    left = _left(t, s)
    if parsed is None or left is None:
        return None
    start, sign, currency = left
    tail = _read_tail(t, e, lang, currency, core)
    if tail.end == e and _IS_L.match(t[e : e + 1]):
        return None  # "5G", "3D", "10x": glued to letters
    value, approx = parsed
    if _year_kind(core, sign, tail, currency):
        return _Cand(start, tail.end, value, "year")
    bare = tail.end == e and currency is None and tail.kind == "number"
    return _Cand(
        start, tail.end, sign * value * tail.scale, tail.kind, tail.unit, False, approx or tail.approx, tail.scale, bare
    )


def _numerals(t: str, lang: str | None) -> Iterator[_Claim]:
    for m in _CORE.finditer(t):
        cand = _read_number(t, m.start(), m.end(), lang)
        if cand:
            yield _Claim(cand.start, cand.end, (cand,))


# ---------------------------------------------------------------------------------------------
# Spelled numbers in European languages


class _Word(NamedTuple):
    kind: str  # ones teen tens hundred hundreds group scale art conj ord
    value: float
    alone: bool = True  # may be a whole number by itself ("mil" yes, "millones" no)
    one: bool = False  # an article that is also "1" inside a number ("vingt et un", "ciento uno")


def _lexicon(spec: Mapping[str, str], not_alone: str = "", one: bool = False) -> Mapping[str, _Word]:
    lonely = {_fold(w) for w in not_alone.split()}
    out: dict[str, _Word] = {}
    for kind, items in spec.items():
        for item in items.split():
            forms, _, value = item.partition(":")
            for form in forms.split("/"):
                word = _fold(form)
                out[word] = _Word(kind, float(value or 0), word not in lonely, one and kind == "art")
    return MappingProxyType(out)


def _forms(stems: str, endings: str) -> str:
    """ "перв/втор:1 ..." with endings "ый/ой" -> "первый/первой/...:1"."""
    items = []
    for item in stems.split():
        stem_list, _, value = item.partition(":")
        words = [s + e for s in stem_list.split("/") for e in endings.split("/")]
        items.append("/".join(words) + ":" + value)
    return " ".join(items)


_EN = _lexicon(
    {
        "ones": "zero:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9",
        "teen": "ten:10 eleven:11 twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 "
        "eighteen:18 nineteen:19",
        "tens": "twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90",
        "hundred": "hundred:100",
        "scale": "thousand:1e3 million:1e6 billion:1e9 trillion:1e12",
        "art": "a:1 an:1",
        "conj": "and",
        "ord": "first:1 second:2 third:3 fourth:4 fifth:5 sixth:6 seventh:7 eighth:8 ninth:9 tenth:10 "
        "eleventh:11 twelfth:12 twentieth:20 "
        # An anniversary named by its number: "the centennial of ..." is the 100th, "100 years".
        "centennial/centenary:100 bicentennial/bicentenary:200 sesquicentennial:150",
    },
    not_alone="hundred thousand million billion trillion",
)
_FR = _lexicon(
    {
        "ones": "zéro:0 deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 neuf:9",
        "art": "un/une:1",
        "teen": "dix:10 onze:11 douze:12 treize:13 quatorze:14 quinze:15 seize:16",
        "tens": "vingt/vingts:20 trente:30 quarante:40 cinquante:50 soixante:60 septante:70 huitante/octante:80 "
        "nonante:90",
        "hundred": "cent/cents:100",
        "scale": "mille:1e3 million/millions:1e6 milliard/milliards:1e9 billion/billions:1e12",
        "conj": "et",
        "ord": "premier/première:1 deuxième/second/seconde:2 troisième:3 quatrième:4 cinquième:5 sixième:6 "
        "septième:7 huitième:8 neuvième:9 dixième:10 unième:1",
    },
    not_alone="cents million millions milliard milliards billion billions unième",
    one=True,
)
_DE = _lexicon(
    {
        "art": "ein/eine/einer/einem/einen/eines:1",
        "hundred": "hundert:100",
        "scale": "tausend:1e3 million/millionen:1e6 milliarde/milliarden:1e9 billion/billionen:1e12",
        "ord": _forms(
            "erst:1 zweit:2 dritt:3 viert:4 fünft:5 sechst:6 siebt/siebent:7 acht:8 neunt:9 zehnt:10",
            "e/er/en/es/em",
        ),
    },
    not_alone="million millionen milliarde milliarden billion billionen",
)
_ES = _lexicon(
    {
        "art": "un/una/uno:1",
        "ones": "cero:0 dos:2 tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9",
        "teen": "diez:10 once:11 doce:12 trece:13 catorce:14 quince:15 dieciséis:16 diecisiete:17 dieciocho:18 "
        "diecinueve:19 veintiuno/veintiún/veintiuna:21 veintidós:22 veintitrés:23 veinticuatro:24 "
        "veinticinco:25 veintiséis:26 veintisiete:27 veintiocho:28 veintinueve:29",
        "tens": "veinte:20 treinta:30 cuarenta:40 cincuenta:50 sesenta:60 setenta:70 ochenta:80 noventa:90",
        "hundreds": _forms(
            "doscient:200 trescient:300 cuatrocient:400 quinient:500 seiscient:600 setecient:700 ochocient:800 "
            "novecient:900",
            "os/as",
        )
        + " cien/ciento:100",
        "scale": "mil:1e3 millón/millones:1e6 billón/billones:1e12",
        "conj": "y",
        "ord": "primero/primera/primer:1 segundo/segunda:2 tercero/tercera/tercer:3 cuarto/cuarta:4 "
        "quinto/quinta:5 sexto/sexta:6 séptimo/séptima:7 octavo/octava:8 noveno/novena:9 décimo/décima:10",
    },
    not_alone="ciento millón millones billón billones",
    one=True,
)
_RU_SCALES = "тысяча/тысячу:1e3 миллион:1e6 миллиард:1e9 триллион:1e12"
_RU_PLURAL_SCALES = " ".join(
    f"{'/'.join(stem + e for e in endings.split('/'))}:{value}"
    for stem, endings, value in (
        ("тысяч", "и//е/ей/ью/ам/ами/ах", "1e3"),
        ("миллион", "а/ов/у/ом/е/ы/ам/ами/ах", "1e6"),
        ("миллиард", "а/ов/у/ом/е/ы/ам/ами/ах", "1e9"),
        ("триллион", "а/ов/у/ом/е/ы/ам/ами/ах", "1e12"),
    )
)
_RU = _lexicon(
    {
        "ones": "ноль/нуль/ноля/нуля:0 один/одна/одно/одного/одной/одному/одним/одном/одну:1 "
        "полтора/полторы/полутора:1.5 два/две/двух/двум/двумя:2 три/трех/трем/тремя:3 "
        "четыре/четырех/четырем/четырьмя:4 пять/пяти/пятью:5 шесть/шести/шестью:6 семь/семи:7 "
        "восемь/восьми/восемью:8 девять/девяти/девятью:9",
        # "семью" is also "family" (accusative): left out.
        "teen": _forms(
            "десят:10 одиннадцат:11 двенадцат:12 тринадцат:13 четырнадцат:14 пятнадцат:15 шестнадцат:16 "
            "семнадцат:17 восемнадцат:18 девятнадцат:19",
            "ь/и/ью",
        ),
        "tens": "двадцать/двадцати/двадцатью:20 тридцать/тридцати/тридцатью:30 сорок/сорока:40 "
        "пятьдесят/пятидесяти/пятьюдесятью:50 шестьдесят/шестидесяти/шестьюдесятью:60 "
        "семьдесят/семидесяти/семьюдесятью:70 восемьдесят/восьмидесяти/восемьюдесятью:80 девяносто/девяноста:90",
        "hundreds": "сто/ста:100 двести/двухсот/двумстам/двумястами/двухстах:200 "
        "триста/трехсот/тремстам/тремястами/трехстах:300 четыреста/четырехсот/четыремстам/четырьмястами/"
        "четырехстах:400 "
        + _forms(
            "пятьсот/пятисот:500 шестьсот/шестисот:600 семьсот/семисот:700 восемьсот/восьмисот:800 "
            "девятьсот/девятисот:900",
            "",
        ),
        "scale": _RU_SCALES + " " + _RU_PLURAL_SCALES,
        "ord": _forms(
            "перв:1 втор:2 четверт:4 пят:5 шест:6 седьм:7 восьм:8 девят:9 десят:10",
            "ый/ой/ая/ое/ые/ого/ому/ым/ом/ую/ых/ыми",
        )
        + " "
        + _forms("трет:3", "ий/ья/ье/ьи/ьего/ьему/ьим/ьем/ьей/ью/ьих/ьими"),
    },
    not_alone=" ".join(item.partition(":")[0].replace("/", " ") for item in _RU_PLURAL_SCALES.split()),
)
# Without a locale, words that are something else in another language are left out
# ("once" in English, "elf" and "cent" in English, "tres"/"très" in French, "dos" in English).
_FALSE_FRIENDS = frozenset("once elf dos tres sept cent cents mille mil neuf".split())


def _union_lexicon() -> Mapping[str, _Word]:
    merged: dict[str, _Word] = {}
    for lex in (_RU, _ES, _DE, _FR, _EN):  # English last: "billion" is 1e9 when nothing says otherwise
        merged.update(lex)
    return MappingProxyType({w: v for w, v in merged.items() if w not in _FALSE_FRIENDS})


_LEXICONS: Mapping[str | None, Mapping[str, _Word]] = MappingProxyType(
    {"en": _EN, "fr": _FR, "de": _DE, "es": _ES, "ru": _RU, "zh": MappingProxyType({}), None: _union_lexicon()}
)

_DE_ONES = MappingProxyType(
    {
        "ein": 1,
        "eins": 1,
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "funf": 5,
        "fuenf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
    }
)
_DE_BELOW_100 = MappingProxyType(
    {k: v for k, v in _DE_ONES.items() if k != "ein"}
    | {"null": 0, "zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14, "funfzehn": 15}
    | {"fuenfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20}
    | {"dreissig": 30, "vierzig": 40, "funfzig": 50, "fuenfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80}
    | {"neunzig": 90}
)
_DE_TENS = "zwanzig|dreissig|vierzig|funfzig|fuenfzig|sechzig|siebzig|achtzig|neunzig"
_DE_UND = re.compile(f"(?P<o>ein|zwei|drei|vier|funf|fuenf|sechs|sieben|acht|neun)und(?P<t>{_DE_TENS})")


def _de_below_100(w: str) -> float | None:
    if w in _DE_BELOW_100:
        return float(_DE_BELOW_100[w])
    m = _DE_UND.fullmatch(w)
    return float(_DE_ONES[m.group("o")] + _DE_BELOW_100[m.group("t")]) if m else None


def _de_below_1000(w: str) -> float | None:
    if "hundert" not in w:
        return _de_below_100(w)
    left, _, right = w.partition("hundert")
    lead = 1.0 if left in ("", "ein") else _de_below_100(left)
    rest = 0.0 if not right else _de_below_100(right.removeprefix("und"))
    return None if lead is None or rest is None or lead > 9 else lead * 100 + rest


def _de_number(w: str) -> float | None:
    """German writes numbers below a million as one word: "zweihundertfünfundzwanzigtausend"."""
    if "tausend" not in w:
        return _de_below_1000(w)
    left, _, right = w.partition("tausend")
    lead = 1.0 if left in ("", "ein") else _de_below_1000(left)
    rest = 0.0 if not right else _de_below_1000(right.removeprefix("und"))
    return None if lead is None or rest is None else lead * 1000 + rest


# Which word may follow which in one number; "ord" ends it ("twenty-first").
_NEXT: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "start": frozenset({"art", "ones", "teen", "tens", "hundred", "hundreds", "group", "scale", "ord"}),
        "art": frozenset({"hundred", "scale"}),
        "ones": frozenset({"hundred", "scale"}),
        "teen": frozenset({"hundred", "scale"}),
        "tens": frozenset({"ones", "one", "scale", "conj", "ord"}),
        "hundred": frozenset({"ones", "one", "teen", "tens", "scale", "conj", "ord"}),
        "hundreds": frozenset({"ones", "one", "teen", "tens", "scale", "ord"}),
        "group": frozenset({"scale"}),
        "scale": frozenset({"ones", "one", "teen", "tens", "hundreds", "group", "scale", "conj", "ord"}),
        "conj": frozenset({"ones", "one", "teen", "tens", "ord"}),
        "one": frozenset({"hundred", "scale"}),
        "ord": frozenset(),
    }
)


class _Acc:
    """The running value of a spelled number, word by word."""

    def __init__(self) -> None:
        self.total = 0.0
        self.current = 0.0
        self.has_current = False
        self.top_scale = 0.0
        self.prev = "start"
        self.prev_value = 0.0
        self.ordinal = False

    def role(self, word: _Word) -> str:
        if word.kind == "art" and self.prev != "start" and word.one:
            return "one"  # "vingt et un", "ciento uno"
        return word.kind

    def accepts(self, word: _Word) -> bool:
        role = self.role(word)
        if role == "art" and self.prev != "start":
            return False
        if role == "scale" and self.prev == "scale" and word.value <= self.top_scale:
            return False
        # French: "quatre-vingt" (80), "soixante-dix" (70), "dix-sept" (17).
        french = (
            (self.prev == "ones" and self.prev_value == 4 and role == "tens" and word.value == 20)
            or (self.prev == "tens" and self.prev_value in (60, 80) and role == "teen")
            or (self.prev == "teen" and self.prev_value == 10 and role == "ones")
        )
        return french or role in _NEXT[self.prev]

    def add(self, word: _Word) -> None:
        role = self.role(word)
        value = word.value
        if role == "tens" and self.prev == "ones" and self.prev_value == 4:
            self.current += 76.0  # quatre (4) + vingt -> 80
            value = 80.0
        elif role in ("ones", "one", "teen", "tens", "hundreds", "group", "ord"):
            self.current += word.value
            self.has_current = True
            self.ordinal = role == "ord"
        elif role == "hundred":
            self.current = (self.current if self.has_current else 1.0) * 100
            self.has_current = True
        elif role == "scale":
            self._scale(word.value)
        self.prev, self.prev_value = role, value

    def _scale(self, factor: float) -> None:
        seg = self.current if self.has_current else (0.0 if self.prev == "scale" else 1.0)
        if factor > self.top_scale:
            self.total = (self.total + seg) * factor
        else:
            self.total += seg * factor
        self.top_scale = max(self.top_scale, factor)
        self.current, self.has_current = 0.0, False

    @property
    def value(self) -> float:
        return self.total + self.current


_TOKEN = re.compile(f"[{_L}]+")
_JOINER = re.compile(f"(?:{_SP}|-)")


# A text repeats its words: each is looked up (folded, and parsed as a German compound
# number) once per process, within a bound on the words remembered.
@lru_cache(maxsize=1 << 16)
def _word(token: str, lang: str | None) -> _Word | None:
    folded = _fold(token)
    found = _LEXICONS[lang].get(folded)
    if found is None and lang in ("de", None) and len(folded) >= 3 and folded not in _FALSE_FRIENDS:
        value = _de_number(folded)
        if value is not None:
            return _Word("group", value)
    return found


class _Phrase(NamedTuple):
    end_token: int  # index after the last token
    value: float
    ordinal: bool
    last_scale: float  # the factor of a final scale word: "three million" ends a range at 1e6


def _phrase(t: str, tokens: Sequence[re.Match[str]], i: int, lang: str | None) -> _Phrase | None:
    acc = _Acc()
    best: _Phrase | None = None
    words: list[_Word] = []
    for k in range(i, len(tokens)):
        if k > i and not _JOINER.fullmatch(t, tokens[k - 1].end(), tokens[k].start()):
            break
        word = _word(tokens[k].group(), lang)
        if word is None or not acc.accepts(word):
            break
        acc.add(word)
        words.append(word)
        if acc.prev not in ("art", "conj"):
            last = word.value if acc.prev == "scale" else 1.0
            best = _Phrase(k + 1, acc.value, acc.ordinal, last)
        if acc.prev == "ord":
            break
    if best is None:
        return None
    numbers = [w for w in words[: best.end_token - i] if w.kind not in ("art", "conj")]
    if len(numbers) == 1 and not numbers[0].alone and words[0].kind != "art":
        return None  # "millions", "Millionen", "тысячи": vague
    return best


def _words(t: str, lang: str | None) -> Iterator[_Claim]:
    if lang == "zh":
        return
    tokens = list(_TOKEN.finditer(t))
    i = 0
    while i < len(tokens):
        found = _phrase(t, tokens, i, lang)
        if found is None:
            i += 1
            continue
        s, e = tokens[i].start(), tokens[found.end_token - 1].end()
        tail = _read_tail(t, e, lang, None, None, found.last_scale != 1.0) if not found.ordinal else _Tail(e)
        kind = "ordinal" if found.ordinal else tail.kind
        scale = found.last_scale * tail.scale
        bare = tail.end == e and scale == 1.0
        cand = _Cand(s, tail.end, found.value * tail.scale, kind, tail.unit, True, tail.approx, scale, bare)
        yield _Claim(s, tail.end, (cand,))
        i = found.end_token


_ROMANS = (
    re.compile(
        f"(?<![{_L}])(?P<r>[IVXLC]+)(?:(?:er|re|ère|ème|eme|e){_NOT_L}"
        f"|\\.?(?=\\s+(?:Jahrhunderts?|siècles?|siecles?|век\\w*)))"
    ),
    re.compile(f"(?<=[sS]iglo )(?P<r>[IVXLC]+){_NOT_L}"),
)
_ROMAN_VALID = re.compile(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})|C{1,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_DIGITS = MappingProxyType({"I": 1, "V": 5, "X": 10, "L": 50, "C": 100})


def _roman(numeral: str) -> int | None:
    if not _ROMAN_VALID.fullmatch(numeral):
        return None
    values = [_ROMAN_DIGITS[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def _romans(t: str, lang: str | None) -> Iterator[_Claim]:
    """Centuries and ordinals in Roman numerals: "XXIe siècle", "XXI. Jahrhundert", "XXI век"."""
    for m in (m for pattern in _ROMANS for m in pattern.finditer(t)):
        numeral = m.group("r")
        value = _roman(numeral)
        # A lone "L" or "C" before "e" is "Le", "Ce": French words, not numerals.
        if value is None or (len(numeral) == 1 and numeral in "LC"):
            continue
        yield _Claim(m.start(), m.end(), (_Cand(m.start(), m.end(), float(value), "ordinal", spelled=True),))


# ---------------------------------------------------------------------------------------------
# Per-locale patterns, built once


class _Patterns(NamedTuple):
    scales: _Scales
    dates: tuple[re.Pattern[str], ...]
    ordinal_suffix: re.Pattern[str] | None


def _ordinal_suffix(langs: Iterable[str]) -> re.Pattern[str] | None:
    suffixes = [_ORDINAL_SUFFIX[code] for code in langs if code in _ORDINAL_SUFFIX]
    return re.compile(f"(?:{'|'.join(suffixes)}){_NOT_L}") if suffixes else None


def _all_patterns() -> Mapping[str | None, _Patterns]:
    built: dict[str | None, _Patterns] = {}
    for code in LANGS:
        dates = _date_patterns(code) if code in _MONTH_FORMS else ()
        built[code] = _Patterns(_scales([_SCALE_SPECS.get(code, "")]), dates, _ordinal_suffix([code]))
    # Without a locale: every locale's readings, English first ("billion" is 1e9 unless told).
    european = ("en", "fr", "de", "es", "ru")
    dates = tuple(p for code in european for p in built[code].dates)
    scales = _scales(_SCALE_SPECS[code] for code in european)
    built[None] = _Patterns(scales, dates, _ordinal_suffix(european))
    return MappingProxyType(built)


_PATTERNS = _all_patterns()


# ---------------------------------------------------------------------------------------------
# Ranges: "1.5 to 2 million", "10-12 %", "10至12%"

_RANGE_GAP = re.compile(r"\s*(?:-|–|—|~|〜|to|and|or|à|a|et|ou|bis|und|oder|y|o|до|и|или|至|到|或)\s*", re.IGNORECASE)


def _time_head(a: _Cand, b: _Cand) -> _Cand | None:
    """ "from 2 to 4 p.m.", "de 14h à 16h": the first hour is on the second one's clock."""
    if a.kind != "number" or a.scale != 1.0 or a.unit not in (None, "h") or not a.value.is_integer():
        return None
    hour = a.value
    if not 0 <= hour <= 24:
        return None
    if a.unit is None and hour < 12 and b.value >= 720 and (hour + 12) * 60 <= b.value:
        hour += 12
    return a._replace(value=hour * 60, kind="time", unit=None, bare=False)


def _range_head(a: _Cand, b: _Cand) -> _Cand | None:
    if b.kind == "time":
        return _time_head(a, b)
    if not (a.bare and a.kind == "number" and b.kind in ("number", "percent")):
        return None
    if b.scale == 1.0 and b.unit is None:
        return None
    return a._replace(value=a.value * b.scale, kind=b.kind, unit=b.unit, scale=b.scale, bare=False)


def _join_ranges(cands: list[_Cand], t: str) -> list[_Cand]:
    out = sorted(cands)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        head = _range_head(a, b) if _RANGE_GAP.fullmatch(t, a.end, b.start) else None
        if head is not None:
            out[i] = head
    return out


# ---------------------------------------------------------------------------------------------
# find_quantities

_PASSES: tuple[Callable[[str, str | None], Iterable[_Claim]], ...] = (
    _blocked,
    _times,
    _zh_decades,
    _dates,
    _zh_prefixed,
    _numerals,
    _zh_numerals,
    _romans,
    _words,
)


def find_quantities(text: str, lang: str | None) -> list[Quantity]:
    """The quantities in `text` read with the conventions of `lang` ("en", "fr", "de", "es", "ru",
    "zh"; None or another code: guess), in the order they appear."""
    key = _lang_key(lang)
    prepared = _prepare(text)
    mask = list(prepared)
    found: list[_Cand] = []
    for step in _PASSES:
        current = "".join(mask)
        for claim in step(current, key):
            if _MASK in mask[claim.start : claim.end]:
                continue
            mask[claim.start : claim.end] = _MASK * (claim.end - claim.start)
            found.extend(claim.cands)
    return [
        Quantity(c.start, c.end, text[c.start : c.end], c.value, c.kind, c.unit, c.spelled, c.approx)
        for c in _join_ranges(found, prepared)
    ]


# ---------------------------------------------------------------------------------------------
# compare_quantities

_COMPATIBLE = frozenset({frozenset({"year", "number"}), frozenset({"ordinal", "number"})})
# A bare "1" against an article or "one" on the other side: "1 person" is "une personne".
_ONE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "en": "a|an|one|first|single",
        "fr": "un|une|premier|première|seul|seule",
        "de": "ein|eine|einen|einem|einer|eines|eins|erste\\w*",
        "es": "un|una|uno|primer\\w*",
        "ru": "один|одна|одно|одну|одного|одной|одном|одним|перв\\w*",
    }
)


def _one_patterns() -> Mapping[str | None, re.Pattern[str]]:
    patterns: dict[str | None, re.Pattern[str]] = {
        code: re.compile(rf"(?i)\b(?:{words})\b") for code, words in _ONE_WORDS.items()
    }
    patterns["zh"] = re.compile("[一首单]")
    patterns[None] = re.compile(rf"(?i)\b(?:{'|'.join(_ONE_WORDS.values())})\b|[一首单]")
    return MappingProxyType(patterns)


_ONE = _one_patterns()


def _kinds_ok(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in _COMPATIBLE


def _units_ok(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return "°" in (a, b) and a.startswith("°") and b.startswith("°")


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _same(a: Quantity, b: Quantity) -> bool:
    return _kinds_ok(a.kind, b.kind) and _units_ok(a.unit, b.unit) and _close(a.value, b.value)


def _same_digits(a: Quantity, b: Quantity) -> bool:
    return not a.spelled and not b.spelled and _same(a, b)


def _alternatives(q: Quantity) -> tuple[float, ...]:
    # An unsure separator or "billion" is off by a factor of 1000 either way.
    return (q.value, q.value * 1000, q.value / 1000) if q.approx else (q.value,)


def _near(a: Quantity, b: Quantity) -> bool:
    """Readings a translator legitimately changes: 12- and 24-hour clocks, "14h" for "2 p.m.",
    and an ambiguous separator read the other way."""
    kinds = {a.kind, b.kind}
    if kinds == {"time"}:
        return _close((a.value - b.value) % 720, 0) or _close((a.value - b.value) % 720, 720)
    if kinds == {"time", "number"}:
        clock, other = (a, b) if a.kind == "time" else (b, a)
        hour = clock.value / 60
        return (
            clock.value % 60 == 0
            and other.unit in (None, "h")
            and any(_close(other.value, h) for h in (hour, hour - 12))
        )
    if not (a.approx or b.approx) or not _kinds_ok(a.kind, b.kind) or not _units_ok(a.unit, b.unit):
        return False
    return any(_close(x, y) for x in _alternatives(a) for y in _alternatives(b))


# Units a translator converts for readers ("the 550-acre park" -> "der 220 Hektar große Park"):
# (from, to, the value in "to" of one "from", or a function for the Fahrenheit scale).
_CONVERSIONS: tuple[tuple[str, str, float | Callable[[float], float]], ...] = (
    ("mi", "km", 1.609344),
    ("mph", "km/h", 1.609344),
    ("ft", "m", 0.3048),
    ("in", "cm", 2.54),
    ("acre", "ha", 0.40468564),
    ("acre", "km²", 0.0040468564),
    ("gal", "l", 3.785411784),
    ("°F", "°C", lambda f: (f - 32) * 5 / 9),
)
_CONVERTED_TOLERANCE = 0.06  # relative: "550 acres" (222.6 ha) as "220 Hektar" is 1.2% off


def _convert(value: float, a: str, b: str) -> float | None:
    for frm, to, how in _CONVERSIONS:
        if (a, b) == (frm, to):
            return how(value) if callable(how) else value * how
        if (a, b) == (to, frm):
            if callable(how):  # only the Fahrenheit scale: its inverse
                return value * 9 / 5 + 32
            return value / how
    return None


def in_unit_of(a: Quantity, b: Quantity) -> float | None:
    """``a``'s value in ``b``'s unit, where both are measures that translators convert."""
    if a.kind != "number" or b.kind != "number" or a.unit is None or b.unit is None or a.unit == b.unit:
        return None
    return _convert(a.value, a.unit, b.unit)


def _converted(a: Quantity, b: Quantity) -> bool:
    """``b`` is ``a`` converted to another unit of the same measure and rounded."""
    value = in_unit_of(a, b)
    if value is None:
        return False
    if abs(b.value - value) <= _CONVERTED_TOLERANCE * max(abs(value), 1.0):
        return True
    # Or rounded to one or two significant digits: "20 miles" (32.2 km) as "30 km".
    return value != 0 and any(_close(b.value, _round_significant(value, n)) for n in (1, 2))


def _round_significant(value: float, digits: int) -> float:
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


_TIERS: tuple[Callable[[Quantity, Quantity], bool], ...] = (_same_digits, _same, _near, _converted)


def _max_matching(
    src: Sequence[Quantity], tgt: Sequence[Quantity], pairs: dict[int, int], same: Callable[[Quantity, Quantity], bool]
) -> None:
    """Kuhn's augmenting paths over the still unpaired quantities: adds to `pairs` (target index
    -> source index) as many pairs as `same` allows."""
    free_t = [j for j in range(len(tgt)) if j not in pairs]
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in free_t:
            if j in seen or not same(src[i], tgt[j]):
                continue
            seen.add(j)
            if j not in owner or place(owner[j], seen):
                owner[j] = i
                return True
        return False

    taken = set(pairs.values())
    for i in range(len(src)):
        if i not in taken:
            place(i, set())
    pairs.update(owner)


def _match(src: Sequence[Quantity], tgt: Sequence[Quantity]) -> dict[int, int]:
    """Strict pairs of digits first, then spelled numbers, then the looser readings, so that a
    looser reading never takes a quantity that a strict one needs."""
    pairs: dict[int, int] = {}
    for same in _TIERS:
        _max_matching(src, tgt, pairs, same)
    return pairs


def _reportable(q: Quantity, other_text: str, other_lang: str | None) -> bool:
    if q.spelled:
        return False  # "zwei" may be "a pair", "两" may be "both": spelled numbers only support digits
    one = q.value == 1 and q.kind in ("number", "ordinal") and q.unit is None
    return not (one and _ONE[_lang_key(other_lang)].search(other_text))


def compare_quantities(source: str, src_lang: str | None, target: str, tgt_lang: str | None) -> NumberDiff:
    """The quantities of `source` that `target` lacks (missing) and those it adds (extra)."""
    src = find_quantities(source, src_lang)
    tgt = find_quantities(target, tgt_lang)
    pairs = _match(src, tgt)
    matched_src = set(pairs.values())
    missing = tuple(q for i, q in enumerate(src) if i not in matched_src and _reportable(q, target, tgt_lang))
    extra = tuple(q for j, q in enumerate(tgt) if j not in pairs and _reportable(q, source, src_lang))
    return NumberDiff(missing, extra)
