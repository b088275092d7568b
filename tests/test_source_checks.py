"""The source-aware checks (MT901-MT911) on whole articles written for these tests.

Each language pair has one news article in both languages, sentence by sentence, translated
correctly. A test plants one error in one sentence of the translation and expects the check's
finding at that place, and nothing new elsewhere; the correct article must raise no MT9xx
finding at all. Every pair is checked in both directions (Chinese and Russian as sources;
English to Russian for what does not depend on the script). Then: alignment (1-2 and 2-1
translations, a dropped and an added sentence), numbers read in each locale, texts without a
source, sources in Markdown and HTML, and the command line.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pytest
from typer.testing import CliRunner

from mtcheck.api import check_document, fix
from mtcheck.bilingual.align import sentences
from mtcheck.cli import app
from mtcheck.config import Config
from mtcheck.model import Applicability, Finding

CONFIG = Config(lm=False)

# --- the articles ------------------------------------------------------------------------------
# Sentence k of one language translates sentence k of the other. Each article has: a person
# named once (sentence 3), a person named three times not at the start of a sentence (0, 4, 5),
# numbers, a percentage and brackets (1, 2), a long sentence (3), a quotation (4), and an
# address (6, last).

ARTICLES: dict[str, dict[str, list[str]]] = {
    "fr-en": {
        "fr": [
            "La maire de Villefranche, Margaux Bénard, a présenté mardi un plan de rénovation des écoles "
            "de la commune.",
            "Le projet coûtera 12,5 millions d'euros et concernera 10 000 élèves, selon la mairie.",
            "Le chômage dans la région a atteint 6,1 % au premier trimestre (contre 5,8 % un an plus tôt).",
            "Les travaux commenceront en septembre et dureront au moins trois ans, a précisé l'adjoint "
            "chargé de l'éducation, Olivier Rastel, qui espère obtenir des subventions de l'État et du "
            "département.",
            "« Chaque enfant mérite une école digne de ce nom », a affirmé Bénard.",
            "Selon Bénard, le conseil municipal votera le budget le 14 mars.",
            "Le plan est détaillé sur www.villefranche.fr/ecoles et les parents peuvent écrire à "
            "ecoles@villefranche.fr.",
        ],
        "en": [
            "The mayor of Villefranche, Margaux Bénard, presented a plan on Tuesday to renovate the town's schools.",
            "The project will cost 12.5 million euros and will affect 10,000 pupils, according to the town hall.",
            "Unemployment in the region reached 6.1% in the first quarter (against 5.8% a year earlier).",
            "Work will begin in September and last at least three years, said Olivier Rastel, the deputy "
            "mayor in charge of education, who hopes to obtain subsidies from the state and the department.",
            '"Every child deserves a school worthy of the name," Bénard said.',
            "According to Bénard, the town council will vote on the budget on 14 March.",
            "The plan is set out at www.villefranche.fr/ecoles and parents can write to ecoles@villefranche.fr.",
        ],
    },
    "de-en": {
        "de": [
            "Der Bürgermeister von Lindenau, Tobias Wendlandt, hat am Dienstag ein Programm zur Sanierung "
            "der städtischen Schwimmbäder vorgestellt.",
            "Das Vorhaben kostet 12,5 Millionen Euro und soll bis 2027 abgeschlossen sein.",
            "Die Besucherzahlen sind im vergangenen Jahr um 6,1 Prozent gesunken (auf rund 240.000).",
            "Die Arbeiten beginnen im September und dauern mindestens drei Jahre, sagte die zuständige "
            "Dezernentin Katrin Mahlberg, die auf Fördermittel von Bund und Land hofft.",
            "„Jedes Kind muss schwimmen lernen können“, sagte Wendlandt.",
            "Nach Angaben von Wendlandt stimmt der Stadtrat am 14. März über den Haushalt ab.",
            "Einzelheiten stehen unter www.lindenau.de/baeder, Fragen beantwortet buerger@lindenau.de.",
        ],
        "en": [
            "The mayor of Lindenau, Tobias Wendlandt, presented a programme on Tuesday to renovate the "
            "town's swimming pools.",
            "The project will cost 12.5 million euros and is due to be completed by 2027.",
            "Visitor numbers fell by 6.1 percent last year (to around 240,000).",
            "Work will begin in September and last at least three years, said Katrin Mahlberg, the official "
            "in charge, who hopes for funding from the federal and state governments.",
            '"Every child must be able to learn to swim," Wendlandt said.',
            "According to Wendlandt, the town council will vote on the budget on 14 March.",
            "Details are available at www.lindenau.de/baeder, and questions are answered at buerger@lindenau.de.",
        ],
    },
    "es-en": {
        "es": [
            "La alcaldesa de Villanueva, Lucía Ferrandis, presentó el martes un plan para renovar los "
            "colegios del municipio.",
            "El proyecto costará 12,5 millones de euros y beneficiará a 10.000 alumnos, según el ayuntamiento.",
            "El desempleo en la comarca alcanzó el 6,1 % en el primer trimestre (frente al 5,8 % un año antes).",
            "Las obras comenzarán en septiembre y durarán al menos tres años, precisó el concejal de "
            "Educación, Jaime Olmedilla, que espera obtener subvenciones del Estado y de la comunidad "
            "autónoma.",
            "«Cada niño merece una escuela digna», aseguró Ferrandis.",
            "Según Ferrandis, el pleno municipal votará el presupuesto el 14 de marzo.",
            "El plan puede consultarse en www.villanueva.es/colegios y las familias pueden escribir a "
            "colegios@villanueva.es.",
        ],
        "en": [
            "The mayor of Villanueva, Lucía Ferrandis, presented a plan on Tuesday to renovate the town's schools.",
            "The project will cost 12.5 million euros and will benefit 10,000 pupils, according to the town hall.",
            "Unemployment in the district reached 6.1% in the first quarter (against 5.8% a year earlier).",
            "Work will begin in September and last at least three years, said the education councillor, "
            "Jaime Olmedilla, who hopes to obtain subsidies from the state and the regional government.",
            '"Every child deserves a decent school," Ferrandis said.',
            "According to Ferrandis, the town council will vote on the budget on 14 March.",
            "The plan can be consulted at www.villanueva.es/colegios and families can write to colegios@villanueva.es.",
        ],
    },
    "zh-en": {
        "zh": [
            "周二，苹果公司在上海发布了新款iPhone，起售价为5999元。",
            "公司表示，该项目总投资3.5亿元，将创造1.2万个就业岗位。",
            "去年iPhone在中国的销量增长了6.1%（高于市场预期）。",
            "分析人士认为，新手机将与华为的Mate系列展开正面竞争，但供应链问题可能会影响今年下半年的出货量。",
            "公司发言人说：“我们对中国市场充满信心。”",
            "新款iPhone将于3月14日在全国上市。",
            "更多信息可访问www.example.cn/news，媒体可发邮件至press@example.cn。",
        ],
        "en": [
            "On Tuesday, Apple launched its new iPhone in Shanghai, priced from 5,999 yuan.",
            "The company said the project involves a total investment of 350 million yuan and will create 12,000 jobs.",
            "Last year iPhone sales in China grew by 6.1% (above market expectations).",
            "Analysts believe the new phone will compete head-on with Huawei's Mate series, but supply chain "
            "problems could affect shipments in the second half of this year.",
            'A company spokesman said: "We are fully confident about the Chinese market."',
            "The new iPhone will go on sale nationwide on March 14.",
            "More information is available at www.example.cn/news, and the media can write to press@example.cn.",
        ],
    },
    "ru-en": {
        "ru": [
            "Мэр Новоржева Ирина Голубева во вторник представила план ремонта городских школ.",
            "Проект обойдётся в 12,5 млн рублей и затронет 10 000 учеников, сообщили в мэрии.",
            "Безработица в регионе достигла 6,1% в первом квартале (против 5,8% годом ранее).",
            "Работы начнутся в сентябре и продлятся не менее трёх лет, уточнил заместитель мэра по вопросам "
            "образования Павел Зимин, который надеется получить субсидии из федерального и областного "
            "бюджетов.",
            "«Каждый ребёнок заслуживает достойной школы», — заявила Голубева.",
            "По словам Голубевой, городская дума проголосует за бюджет 14 марта.",
            "Подробности плана опубликованы на сайте www.novorzhev.ru/shkoly, вопросы можно направлять по "
            "адресу shkoly@novorzhev.ru.",
        ],
        "en": [
            "The mayor of Novorzhev, Irina Golubeva, presented a plan on Tuesday to repair the town's schools.",
            "The project will cost 12.5 million roubles and will affect 10,000 pupils, the mayor's office said.",
            "Unemployment in the region reached 6.1% in the first quarter (against 5.8% a year earlier).",
            "Work will begin in September and last at least three years, said Pavel Zimin, the deputy mayor "
            "for education, who hopes to obtain subsidies from the federal and regional budgets.",
            '"Every child deserves a decent school," Golubeva said.',
            "According to Golubeva, the town council will vote on the budget on 14 March.",
            "Details of the plan are published at www.novorzhev.ru/shkoly, and questions can be sent to "
            "shkoly@novorzhev.ru.",
        ],
    },
}

DIRECTIONS = [
    ("fr", "en"),
    ("en", "fr"),
    ("de", "en"),
    ("en", "de"),
    ("es", "en"),
    ("en", "es"),
    ("zh", "en"),
    ("ru", "en"),
    ("en", "ru"),
]


def _article(src_lang: str, lang: str) -> tuple[list[str], list[str]]:
    pair = ARTICLES.get(f"{src_lang}-{lang}") or ARTICLES[f"{lang}-{src_lang}"]
    return pair[src_lang], pair[lang]


def _join(sents: list[str]) -> str:
    return " ".join(sents)


def _spans(sents: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in sents:
        out.append((pos, pos + len(s)))
        pos += len(s) + 1
    return out


@cache
def _findings(target: str, source: str | None, src_lang: str | None, lang: str, fmt: str | None = None) -> tuple:
    res = check_document(target, lang=lang, source=source, src_lang=src_lang, config=CONFIG, fmt=fmt)
    return tuple(res.findings)


def source_findings(
    target: str, source: str | None, src_lang: str | None, lang: str, fmt: str | None = None
) -> list[Finding]:
    return [f for f in _findings(target, source, src_lang, lang, fmt) if f.code.startswith("MT9")]


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.code} [{f.start}:{f.end}] {f.text[:60]!r}: {f.message}" for f in findings) or "  (none)"


# --- planted errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plant:
    """One error in sentence ``index`` of the translation: ``old`` replaced by ``new`` there;
    the finding marks the first ``expect`` of that sentence (None: the whole sentence). The
    structural kinds replace the sentence by its source ("copy"), drop it ("drop"), insert
    ``new`` before it ("insert"), or replace it by ``new`` ("replace_sentence")."""

    code: str
    index: int
    old: str = ""
    new: str = ""
    expect: str | None = None
    kind: str = "edit"
    fix: str | None = None  # the expected fix's replacement, where the check offers one


# Sentences added to a translation (after sentence 1), and the long sentence 3 cut short.
ADDED = {
    "en": "The announcement was welcomed by parents' associations, which had long demanded new buildings.",
    "fr": "L'annonce a été saluée par les associations de parents d'élèves, qui réclamaient depuis longtemps "
    "de nouveaux bâtiments.",
    "de": "Die Ankündigung wurde von den Sportvereinen begrüßt, die seit Jahren neue Becken gefordert hatten.",
    "es": "El anuncio fue bien recibido por las asociaciones de padres, que llevaban años reclamando nuevos edificios.",
    "ru": "Родительские комитеты приветствовали это решение, так как давно требовали построить новые здания.",
}
SHORTENED = {
    ("fr", "en"): "Work will begin in September and last at least three years.",
    ("de", "en"): "Work will begin in September and last at least three years.",
    ("es", "en"): "Work will begin in September and last at least three years.",
    ("ru", "en"): "Work will begin in September and last at least three years.",
    # A cut translation keeps the sentence's name: the anchor that ties it to its source
    # (with no anchor at all, the cut reads as an omission beside a neighbour's sentence).
    ("zh", "en"): "Analysts believe the new phone will compete with the Mate.",
    ("en", "fr"): "Les travaux commenceront en septembre et dureront au moins trois ans.",
    ("en", "de"): "Die Arbeiten beginnen im September und dauern mindestens drei Jahre.",
    ("en", "es"): "Las obras comenzarán en septiembre y durarán al menos tres años.",
    ("en", "ru"): "Работы начнутся в сентябре и продлятся не менее трёх лет.",
}

EDITS: dict[tuple[str, str], list[Plant]] = {
    ("fr", "en"): [
        Plant("MT901", 2, "6.1%", "6.7%", "6.7%"),
        Plant("MT902", 3, "said Olivier Rastel, the deputy mayor", "said the deputy mayor"),
        Plant("MT903", 5, "According to Bénard", "According to bénard", "bénard", fix="Bénard"),
        Plant("MT905", 1, "10,000 pupils", "10,000 élèves", "élèves"),
        Plant("MT909", 2, "a year earlier)", "a year earlier", "("),
        Plant(
            "MT910",
            6,
            "www.villefranche.fr/ecoles",
            "www.villefranche.fr/schools",
            "www.villefranche.fr/schools",
            fix="www.villefranche.fr/ecoles",
        ),
        Plant("MT911", 4, "Bénard said", "Benard said", "Benard", fix="Bénard"),
    ],
    ("en", "fr"): [
        Plant("MT901", 1, "10 000 élèves", "100 000 élèves", "100 000"),
        Plant("MT902", 3, ", Olivier Rastel,", ""),
        Plant("MT903", 5, "Selon Bénard", "Selon bénard", "bénard", fix="Bénard"),
        Plant("MT905", 1, "10 000 élèves", "10 000 pupils", "pupils"),
        Plant("MT909", 2, "un an plus tôt)", "un an plus tôt", "("),
        Plant(
            "MT910",
            6,
            "ecoles@villefranche.fr",
            "ecole@villefranche.fr",
            "ecole@villefranche.fr",
            fix="ecoles@villefranche.fr",
        ),
        Plant("MT911", 4, "affirmé Bénard", "affirmé Benard", "Benard", fix="Bénard"),
    ],
    ("de", "en"): [
        Plant("MT901", 1, "by 2027", "by 2028", "2028"),
        Plant("MT902", 3, "said Katrin Mahlberg, the official in charge,", "said the official in charge,"),
        Plant("MT903", 5, "According to Wendlandt", "According to wendlandt", "wendlandt", fix="Wendlandt"),
        Plant("MT905", 3, "at least three years", "mindestens three years", "mindestens"),
        Plant("MT909", 4, 'swim,"', "swim,", '"'),
        Plant(
            "MT910",
            6,
            "www.lindenau.de/baeder",
            "www.lindenau.de/pools",
            "www.lindenau.de/pools",
            fix="www.lindenau.de/baeder",
        ),
        Plant("MT911", 4, "Wendlandt said", "Wendland said", "Wendland", fix="Wendlandt"),
    ],
    ("en", "de"): [
        Plant("MT901", 2, "240.000", "420.000", "420.000"),
        Plant("MT902", 3, "Dezernentin Katrin Mahlberg", "Dezernentin"),
        Plant("MT903", 5, "von Wendlandt", "von wendlandt", "wendlandt", fix="Wendlandt"),
        # German capitalises nouns: an English noun left in, capitalised, is still English.
        # A capitalised copy inside a German compound (on its own it may be a loanword).
        Plant("MT905", 3, "auf Fördermittel", "auf Funding-Mittel", "Funding"),
        Plant("MT909", 4, "können“", "können", "„"),
        Plant(
            "MT910",
            6,
            "buerger@lindenau.de",
            "bürger@lindenau.de",
            "bürger@lindenau.de",
            fix="buerger@lindenau.de",
        ),
        Plant("MT911", 4, "sagte Wendlandt", "sagte Wendland", "Wendland", fix="Wendlandt"),
    ],
    ("es", "en"): [
        Plant("MT901", 1, "10,000 pupils", "1,000 pupils", "1,000"),
        Plant("MT902", 3, ", Jaime Olmedilla,", ""),
        Plant("MT903", 5, "According to Ferrandis", "According to ferrandis", "ferrandis", fix="Ferrandis"),
        Plant("MT905", 3, "subsidies", "subvenciones", "subvenciones"),
        Plant("MT909", 2, "a year earlier)", "a year earlier", "("),
        Plant(
            "MT910",
            6,
            "www.villanueva.es/colegios",
            "www.villanueva.es/schools",
            "www.villanueva.es/schools",
            fix="www.villanueva.es/colegios",
        ),
        Plant("MT911", 4, "Ferrandis said", "Ferrandiz said", "Ferrandiz", fix="Ferrandis"),
    ],
    ("en", "es"): [
        Plant("MT901", 2, "6,1 %", "6,4 %", "6,4 %"),
        Plant("MT902", 3, ", Jaime Olmedilla,", ","),
        Plant("MT903", 5, "Según Ferrandis", "Según ferrandis", "ferrandis", fix="Ferrandis"),
        Plant("MT905", 1, "10.000 alumnos", "10.000 pupils", "pupils"),
        Plant("MT909", 4, "digna»", "digna", "«"),
        Plant(
            "MT910",
            6,
            "colegios@villanueva.es",
            "colegio@villanueva.es",
            "colegio@villanueva.es",
            fix="colegios@villanueva.es",
        ),
        Plant("MT911", 4, "aseguró Ferrandis", "aseguró Ferrandiz", "Ferrandiz", fix="Ferrandis"),
    ],
    ("zh", "en"): [
        Plant("MT901", 1, "350 million yuan", "3.5 billion yuan", "3.5 billion yuan"),
        Plant("MT902", 3, "Huawei's Mate series", "Huawei's flagship phones"),
        Plant("MT903", 5, "The new iPhone", "The new iphone", "iphone", fix="iPhone"),
        Plant("MT909", 2, "expectations)", "expectations", "("),
        Plant(
            "MT910",
            6,
            "www.example.cn/news",
            "www.example.com/news",
            "www.example.com/news",
            fix="www.example.cn/news",
        ),
        Plant("MT911", 2, "iPhone sales", "Iphone sales", "Iphone", fix="iPhone"),
    ],
    ("ru", "en"): [
        Plant("MT901", 1, "10,000 pupils", "100,000 pupils", "100,000"),
        Plant("MT902", 3, "said Pavel Zimin, the deputy mayor", "said the deputy mayor"),
        Plant("MT903", 0, "Irina Golubeva", "Irina golubeva", "golubeva", fix="Golubeva"),
        Plant("MT909", 2, "a year earlier)", "a year earlier", "("),
        Plant(
            "MT910",
            6,
            "www.novorzhev.ru/shkoly",
            "www.novorzhev.ru/schools",
            "www.novorzhev.ru/schools",
            fix="www.novorzhev.ru/shkoly",
        ),
        Plant("MT911", 4, "Golubeva said", "Golubyeva said", "Golubyeva", fix="Golubeva"),
    ],
    ("en", "ru"): [
        Plant("MT901", 1, "10 000 учеников", "1000 учеников", "1000"),
        Plant("MT902", 3, " Павел Зимин,", ","),
        Plant("MT905", 3, "получить субсидии", "получить subsidies", "subsidies"),
        Plant("MT909", 2, "годом ранее)", "годом ранее", "("),
        Plant(
            "MT910",
            6,
            "www.novorzhev.ru/shkoly",
            "www.novorzhev.ru/schools",
            "www.novorzhev.ru/schools",
            fix="www.novorzhev.ru/shkoly",
        ),
        Plant("MT911", 4, "заявила Голубева", "заявила Голубьева", "Голубьева", fix="Голубева"),
    ],
}


def _structural(src_lang: str, lang: str) -> list[Plant]:
    return [
        Plant("MT904", 3, kind="copy"),
        Plant("MT906", 3, kind="drop"),
        Plant("MT907", 2, new=ADDED[lang], kind="insert"),
        Plant("MT908", 3, new=SHORTENED[(src_lang, lang)], kind="replace_sentence"),
    ]


def _plants() -> list:
    out = []
    for src_lang, lang in DIRECTIONS:
        for p in sorted([*EDITS[(src_lang, lang)], *_structural(src_lang, lang)], key=lambda p: p.code):
            out.append(pytest.param(src_lang, lang, p, id=f"{p.code}-{src_lang}-{lang}"))
    return out


PLANTS = _plants()


def test_every_check_is_planted_in_every_direction() -> None:
    """MT903 needs the same script on both sides (a Latin name lowercased); MT905 a Latin-script
    source (a Chinese or Russian word left in English is MT602's); the others hold everywhere."""
    planted = Counter(p.values[2].code for p in PLANTS)
    assert planted == {
        "MT901": 9, "MT902": 9, "MT903": 8, "MT904": 9, "MT905": 7, "MT906": 9, "MT907": 9,
        "MT908": 9, "MT909": 9, "MT910": 9, "MT911": 9,
    }  # fmt: skip


@dataclass(frozen=True)
class Planted:
    source: str
    clean: str
    target: str
    # Where the finding must be: its exact span, or for an omission the gap it must lie in.
    start: int
    end: int
    region: tuple[int, int]  # the planted sentence, or the gap of a dropped one
    zero_width: bool = False


def _plant(src_lang: str, lang: str, p: Plant) -> Planted:
    src, tgt = _article(src_lang, lang)
    sents = list(tgt)
    if p.kind == "edit":
        assert p.old in sents[p.index], f"{p.old!r} is not in sentence {p.index}"
        sents[p.index] = sents[p.index].replace(p.old, p.new, 1)
    elif p.kind == "copy":
        sents[p.index] = src[p.index]
    elif p.kind == "replace_sentence":
        sents[p.index] = p.new
    elif p.kind == "insert":
        sents.insert(p.index, p.new)
    elif p.kind == "drop":
        del sents[p.index]
    target = _join(sents)
    spans = _spans(sents)
    if p.kind == "drop":
        # The dropped sentence belongs between the end of the one before and the next one.
        gap = (spans[p.index - 1][1], spans[p.index][0])
        return Planted(_join(src), _join(tgt), target, *gap, region=gap, zero_width=True)
    s, e = spans[p.index]
    if p.expect is None:
        return Planted(_join(src), _join(tgt), target, s, e, region=(s, e))
    at = target.index(p.expect, s, e)
    return Planted(_join(src), _join(tgt), target, at, at + len(p.expect), region=(s, e))


def _hits(pl: Planted, code: str, findings: list[Finding]) -> list[Finding]:
    if pl.zero_width:
        return [f for f in findings if f.code == code and f.start == f.end and pl.start <= f.start <= pl.end]
    return [f for f in findings if f.code == code and (f.start, f.end) == (pl.start, pl.end)]


@pytest.mark.parametrize(("src_lang", "lang", "plant"), PLANTS)
def test_planted_error_is_found_at_its_place(src_lang: str, lang: str, plant: Plant) -> None:
    pl = _plant(src_lang, lang, plant)
    found = source_findings(pl.target, pl.source, src_lang, lang)
    where = "the gap" if pl.zero_width else repr(pl.target[pl.start : pl.end][:70])
    assert _hits(pl, plant.code, found), (
        f"expected {plant.code} at [{pl.start}:{pl.end}] {where}; MT9xx findings:\n{_show(found)}"
    )


@pytest.mark.parametrize(("src_lang", "lang", "plant"), PLANTS)
def test_planted_error_raises_nothing_elsewhere(src_lang: str, lang: str, plant: Plant) -> None:
    """Outside the planted sentence (or gap), the article raises no MT9xx finding that its
    correct version does not raise already (those are test_correct_article_has_no_source_finding's):
    a word-level error may make its own sentence suspect too, never a neighbour."""
    pl = _plant(src_lang, lang, plant)
    found = source_findings(pl.target, pl.source, src_lang, lang)
    clean = source_findings(pl.clean, pl.source, src_lang, lang)
    # The same code on the same text, or with the same message: raised by the correct article too.
    known = {(f.code, f.text) for f in clean} | {(f.code, f.message) for f in clean}
    lo, hi = pl.region
    elsewhere = [f for f in found if not (lo <= f.start and f.end <= hi)]
    new = [f for f in elsewhere if (f.code, f.text) not in known and (f.code, f.message) not in known]
    assert not new, f"{plant.code} planted at [{lo}:{hi}], but also:\n{_show(new)}"


@pytest.mark.parametrize(("src_lang", "lang", "plant"), PLANTS)
def test_corrected_article_is_clear_of_the_code(src_lang: str, lang: str, plant: Plant) -> None:
    pl = _plant(src_lang, lang, plant)
    found = [f for f in source_findings(pl.clean, pl.source, src_lang, lang) if f.code == plant.code]
    assert not found, f"the correct article still raises {plant.code}:\n{_show(found)}"


@pytest.mark.parametrize(("src_lang", "lang"), DIRECTIONS, ids=[f"{s}-{t}" for s, t in DIRECTIONS])
def test_correct_article_has_no_source_finding(src_lang: str, lang: str) -> None:
    src, tgt = _article(src_lang, lang)
    found = source_findings(_join(tgt), _join(src), src_lang, lang)
    assert not found, f"false alarms on the correct {src_lang}->{lang} article:\n{_show(found)}"


FIXES = [p for p in PLANTS if p.values[2].fix is not None]


@pytest.mark.parametrize(("src_lang", "lang", "plant"), FIXES)
def test_fix_restores_the_source_form(src_lang: str, lang: str, plant: Plant) -> None:
    """MT903's safe fix restores the source's casing, MT910's the source's address, MT911's
    (unsafe) the spelling used elsewhere; the fixed article is the correct one, and checking
    it again finds nothing at that place."""
    pl = _plant(src_lang, lang, plant)
    hits = _hits(pl, plant.code, source_findings(pl.target, pl.source, src_lang, lang))
    assert hits, f"no {plant.code} at [{pl.start}:{pl.end}] to fix"
    f = hits[0]
    assert f.fix is not None, f"{plant.code} has no fix: {f}"
    assert f.fix.replacement == plant.fix
    expected = Applicability.UNSAFE if plant.code == "MT911" else Applicability.SAFE
    assert f.fix.applicability is expected
    fixed = fix(pl.target, [f], unsafe=plant.code == "MT911")
    assert fixed == pl.clean
    again = [g for g in source_findings(fixed, pl.source, src_lang, lang) if g.code == plant.code]
    assert not any(g.start < f.start + len(plant.fix) and f.start < g.end for g in again), _show(again)


def test_safe_fixes_alone_leave_mt911_unapplied() -> None:
    pl = _plant("fr", "en", next(p for p in EDITS[("fr", "en")] if p.code == "MT911"))
    hits = _hits(pl, "MT911", source_findings(pl.target, pl.source, "fr", "en"))
    assert hits
    assert fix(pl.target, hits) == pl.target


# --- alignment -----------------------------------------------------------------------------------

# Six sentences, none of them short, no addresses: what alignment alone must get right.
PLANT_FR = [
    "L'usine de Montbard, qui emploie 420 salariés, va fermer ses portes à la fin de l'année.",
    "La direction a annoncé la nouvelle lundi matin lors d'un comité social et économique extraordinaire.",
    "Selon les syndicats, aucune solution de reprise n'a été sérieusement étudiée depuis le rachat du "
    "site par un fonds d'investissement américain en 2019, malgré plusieurs offres de repreneurs locaux.",
    "Les salariés se sont rassemblés devant les grilles dans l'après-midi.",
    "Le préfet a promis de recevoir une délégation avant la fin de la semaine.",
    "Une nouvelle réunion avec la direction est prévue le 3 décembre.",
]
PLANT_EN = [
    "The Montbard factory, which employs 420 people, will close at the end of the year.",
    "The management announced the news on Monday morning at an extraordinary meeting of the works council.",
    "According to the unions, no takeover plan has been seriously considered since the site was bought by "
    "an American investment fund in 2019, despite several offers from local buyers.",
    "The employees gathered in front of the gates in the afternoon.",
    "The prefect promised to receive a delegation before the end of the week.",
    "A new meeting with the management is scheduled for 3 December.",
]
# Sentence 2 translated as two sentences; sentences 3 and 4 as one.
SPLIT_EN = [
    *PLANT_EN[:2],
    "According to the unions, no takeover plan has been seriously considered since the site was bought by "
    "an American investment fund in 2019.",
    "Several local buyers had nevertheless made offers.",
    "The employees gathered in front of the gates in the afternoon, and the prefect promised to receive a "
    "delegation before the end of the week.",
    PLANT_EN[5],
]
SPLIT_FR = [
    *PLANT_FR[:2],
    "Selon les syndicats, aucune solution de reprise n'a été sérieusement étudiée depuis le rachat du site "
    "par un fonds d'investissement américain en 2019.",
    "Plusieurs repreneurs locaux avaient pourtant fait des offres.",
    "Les salariés se sont rassemblés devant les grilles dans l'après-midi, et le préfet a promis de "
    "recevoir une délégation avant la fin de la semaine.",
    PLANT_FR[5],
]
ALIGN_TEXTS = {"fr": (PLANT_FR, SPLIT_FR), "en": (PLANT_EN, SPLIT_EN)}
ADDED_ALIGN = {
    "en": "The factory had already cut a hundred jobs three years ago, after losing its main customer.",
    "fr": "L'usine avait déjà supprimé une centaine d'emplois il y a trois ans, après la perte de son "
    "principal client.",
}
PAIR_IDS = ["fr-en", "en-fr"]
PAIRS = [("fr", "en"), ("en", "fr")]


@pytest.mark.parametrize(("src_lang", "lang"), PAIRS, ids=PAIR_IDS)
def test_aligned_article_of_six_sentences_is_clean(src_lang: str, lang: str) -> None:
    found = source_findings(_join(ALIGN_TEXTS[lang][0]), _join(ALIGN_TEXTS[src_lang][0]), src_lang, lang)
    assert not found, _show(found)


@pytest.mark.parametrize(("src_lang", "lang"), PAIRS, ids=PAIR_IDS)
def test_one_sentence_as_two_and_two_as_one_raise_no_omission_or_addition(src_lang: str, lang: str) -> None:
    source, target = _join(ALIGN_TEXTS[src_lang][0]), _join(ALIGN_TEXTS[lang][1])
    found = source_findings(target, source, src_lang, lang)
    assert not [f for f in found if f.code in ("MT906", "MT907", "MT908")], _show(found)
    assert not found, _show(found)


@pytest.mark.parametrize(("src_lang", "lang"), PAIRS, ids=PAIR_IDS)
def test_dropped_long_sentence_is_an_omission_at_its_place(src_lang: str, lang: str) -> None:
    src, tgt = ALIGN_TEXTS[src_lang][0], list(ALIGN_TEXTS[lang][0])
    del tgt[2]
    target = _join(tgt)
    gap_lo, gap_hi = _spans(tgt)[1][1], _spans(tgt)[2][0]
    found = source_findings(target, _join(src), src_lang, lang)
    omissions = [f for f in found if f.code == "MT906"]
    assert len(omissions) == 1, _show(found)
    assert omissions[0].start == omissions[0].end and gap_lo <= omissions[0].start <= gap_hi, _show(found)
    assert src[2][:30] in omissions[0].message
    assert omissions == found, f"only the omission is expected:\n{_show(found)}"


@pytest.mark.parametrize(("src_lang", "lang"), PAIRS, ids=PAIR_IDS)
def test_added_sentence_is_an_addition_on_that_sentence(src_lang: str, lang: str) -> None:
    src, tgt = ALIGN_TEXTS[src_lang][0], list(ALIGN_TEXTS[lang][0])
    tgt.insert(4, ADDED_ALIGN[lang])
    target = _join(tgt)
    s, e = _spans(tgt)[4]
    found = source_findings(target, _join(src), src_lang, lang)
    assert [(f.code, f.start, f.end) for f in found] == [("MT907", s, e)], _show(found)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        pytest.param(
            "en",
            "Details are at www.lindenau.de/baeder. Questions go to buerger@lindenau.de. The council votes today.",
            [
                "Details are at www.lindenau.de/baeder.",
                "Questions go to buerger@lindenau.de.",
                "The council votes today.",
            ],
            id="en-address-ends-sentence",
        ),
        pytest.param(
            "fr",
            "Écrivez à ecoles@villefranche.fr. Le conseil votera le 14 mars.",
            ["Écrivez à ecoles@villefranche.fr.", "Le conseil votera le 14 mars."],
            id="fr-address-ends-sentence",
        ),
        pytest.param(
            "en",
            "Details are at www.lindenau.de/baeder. The council votes today.",
            ["Details are at www.lindenau.de/baeder.", "The council votes today."],
            id="en-url-ends-sentence",
        ),
        pytest.param(
            "de",
            "Sie hofft auf Fördermittel. „Jedes Kind muss schwimmen lernen können“, sagte Wendlandt.",
            ["Sie hofft auf Fördermittel.", "„Jedes Kind muss schwimmen lernen können“, sagte Wendlandt."],
            id="de-sentence-opens-with-quote",
        ),
        pytest.param(
            "fr",
            "Elle espère des subventions. « Chaque enfant mérite une école », a affirmé Bénard.",
            ["Elle espère des subventions.", "« Chaque enfant mérite une école », a affirmé Bénard."],
            id="fr-sentence-opens-with-quote",
        ),
        pytest.param(
            "de",
            "Der Stadtrat stimmt am 14. März über den Haushalt ab. Die Sitzung ist öffentlich.",
            ["Der Stadtrat stimmt am 14. März über den Haushalt ab.", "Die Sitzung ist öffentlich."],
            id="de-ordinal-date",
        ),
    ],
)
def test_sentences_that_alignment_sees(lang: str, text: str, expected: list[str]) -> None:
    """Alignment counts sentences: an address that ends a sentence ends it, a quotation mark
    may open the next one, a German date ("am 14. März") ends none."""
    assert [text[s.start : s.end] for s in sentences(text, lang)] == expected


# --- numbers in each locale ----------------------------------------------------------------------

NUMBER_SRC_FR = "Le chômage a atteint 6,1 % en mars. Quelque 10 000 personnes ont manifesté à Nantes samedi."


@pytest.mark.parametrize(
    ("src_lang", "source", "target", "bad"),
    [
        pytest.param(
            "fr", NUMBER_SRC_FR,
            "Unemployment reached 6.1% in March. Some 10,000 people demonstrated in Nantes on Saturday.",
            None, id="fr-en-same",
        ),
        pytest.param(
            "fr", NUMBER_SRC_FR.replace("6,1 %", "6,1\u00a0%").replace("10 000", "10\u202f000"),
            "Unemployment reached 6.1% in March. Some 10,000 people demonstrated in Nantes on Saturday.",
            None, id="fr-en-no-break-spaces",
        ),
        pytest.param(
            "fr", "La séance a repris à 14h30. Elle a duré deux heures.",
            "The session resumed at 2:30 p.m. It lasted two hours.",
            None, id="fr-en-time",
        ),
        pytest.param(
            "fr", "La séance a repris à 14h30. Elle a duré deux heures.",
            "The session resumed at 4:30 p.m. It lasted two hours.",
            "4:30 p.m.", id="fr-en-time-differs",
        ),
        pytest.param(
            "fr", NUMBER_SRC_FR,
            "Unemployment reached 6.1% in March. Some 100,000 people demonstrated in Nantes on Saturday.",
            "100,000", id="fr-en-thousands-differ",
        ),
        pytest.param(
            "fr", NUMBER_SRC_FR,
            "Unemployment reached 61% in March. Some 10,000 people demonstrated in Nantes on Saturday.",
            "61%", id="fr-en-decimal-comma-misread",
        ),
        pytest.param(
            "zh", "该项目耗资3.5亿元。工程预计于明年完工。",
            "The project cost 350 million yuan. The works are due to be finished next year.",
            None, id="zh-en-yi-as-million",
        ),
        pytest.param(
            "zh", "该项目耗资3.5亿元。工程预计于明年完工。",
            "The project cost 3.5 billion yuan. The works are due to be finished next year.",
            "3.5 billion yuan", id="zh-en-yi-as-billion",
        ),
        pytest.param(
            "de", "Die Armee meldete 12.500 Soldaten. Am 3. Mai zog sie ab.",
            "The army reported 12,500 troops. It withdrew on 3 May.",
            None, id="de-en-same",
        ),
        pytest.param(
            "de", "Die Armee meldete 12.500 Soldaten. Am 3. Mai zog sie ab.",
            "The army reported 12.5 troops. It withdrew on 3 May.",
            "12.5", id="de-en-thousands-point-misread",
        ),
        pytest.param(
            "ru", "Инфляция составила 7,4% в 2023 году. Ставка осталась на уровне 16%.",
            "Inflation was 7.4% in 2023. The rate stayed at 16%.",
            None, id="ru-en-same",
        ),
        pytest.param(
            "ru", "Инфляция составила 7,4% в 2023 году. Ставка осталась на уровне 16%.",
            "Inflation was 7.4% in 2023. The rate stayed at 18%.",
            "18%", id="ru-en-differs",
        ),
    ],
)  # fmt: skip
def test_numbers_are_read_in_each_locale(src_lang: str, source: str, target: str, bad: str | None) -> None:
    found = source_findings(target, source, src_lang, "en")
    if bad is None:
        assert not found, _show(found)
    else:
        at = target.index(bad)
        assert [(f.code, f.start, f.end) for f in found] == [("MT901", at, at + len(bad))], _show(found)


@pytest.mark.parametrize(
    ("src_lang", "lang", "source", "target"),
    [
        pytest.param(
            "zh", "en",
            "新款iPhone下周上市。详情见www.example.cn/iphone，或发邮件至press@example.cn。",
            "The new iPhone goes on sale next week. Details at www.example.cn/iphone, or e-mail press@example.cn.",
            id="zh-en-latin-in-address",
        ),
        pytest.param(
            "es", "en",
            "El colegio abrirá en marzo. Las familias pueden escribir a colegios@villanueva.es.",
            "The school will open in March. Families can write to colegios@villanueva.es.",
            id="es-en-word-in-address",
        ),
        pytest.param(
            "en", "ru",
            "The school will open in March. Details are at www.novorzhev.ru/shkoly.",
            "Школа откроется в марте. Подробности на сайте www.novorzhev.ru/shkoly.",
            id="en-ru-latin-in-address",
        ),
    ],
)  # fmt: skip
def test_words_inside_addresses_are_left_alone(src_lang: str, lang: str, source: str, target: str) -> None:
    """A URL or e-mail address is copied whole (MT910's business): the words in it are no names
    to recase or look for (MT902, MT903, whose safe fix would break the address) and no words
    left untranslated (MT905)."""
    found = source_findings(target, source, src_lang, lang)
    assert not found, _show(found)


SOCIAL_FR = (
    "La mairie a annoncé la nouvelle sur X (@MairieVillefranche) avec le mot-dièse #NosEcoles. "
    "Les parents ont salué la décision."
)
SOCIAL_EN = (
    "The town hall announced the news on X (@MairieVillefranche) with the hashtag #NosEcoles. "
    "Parents welcomed the decision."
)


@pytest.mark.parametrize(
    ("old", "new"),
    [("@MairieVillefranche", "@VillefrancheTownHall"), ("#NosEcoles", "#OurSchools")],
    ids=["handle-translated", "hashtag-translated"],
)
def test_handle_and_hashtag_are_kept(old: str, new: str) -> None:
    """A translated @handle or #hashtag is MT910 (minor, an unsafe fix back to the source's);
    the handle is one token, not a name that MT902 reports again."""
    assert source_findings(SOCIAL_EN, SOCIAL_FR, "fr", "en") == []
    bad = SOCIAL_EN.replace(old, new)
    found = source_findings(bad, SOCIAL_FR, "fr", "en")
    at = bad.index(new)
    assert [(f.code, f.start, f.end) for f in found] == [("MT910", at, at + len(new))], _show(found)
    f = found[0]
    assert str(f.severity) == "minor"
    assert f.fix is not None and f.fix.replacement == old and f.fix.applicability is Applicability.UNSAFE
    assert fix(bad, found) == bad
    assert fix(bad, found, unsafe=True) == SOCIAL_EN


# --- no source, an empty source, markup ----------------------------------------------------------


def test_no_source_means_no_source_finding() -> None:
    src, tgt = _article("fr", "en")
    target = _join(tgt).replace("6.1%", "6.7%").replace("According to Bénard", "According to bénard")
    assert source_findings(target, None, "fr", "en") == []
    assert source_findings(target, None, None, "en") == []
    # ... whereas with the source the same text has findings: the check is really off.
    assert {f.code for f in source_findings(target, _join(src), "fr", "en")} >= {"MT901", "MT903"}


@pytest.mark.parametrize("empty", ["", "   \n\n  "], ids=["empty", "blank"])
def test_empty_source_means_no_source_finding(empty: str) -> None:
    _, tgt = _article("fr", "en")
    assert source_findings(_join(tgt), empty, "fr", "en") == []


def test_empty_target_with_a_source_raises_nothing() -> None:
    src, _ = _article("fr", "en")
    assert source_findings("", _join(src), "fr", "en") == []


def _markdown(title: str, sents: list[str]) -> str:
    return f"# {title}\n\n{_join(sents[:3])}\n\n**{sents[3]}**\n\n{_join(sents[4:])}\n"


def _html(title: str, sents: list[str]) -> str:
    body = "".join(f"<p>{s}</p>\n" for s in sents)
    return f"<!DOCTYPE html>\n<html><body>\n<h1>{title}</h1>\n{body}</body></html>\n"


TITLE = {"fr": "Villefranche rénove ses écoles", "en": "Villefranche renovates its schools"}


@pytest.mark.parametrize(
    ("src_fmt", "tgt_fmt"),
    [("markdown", "text"), ("html", "text"), ("markdown", "markdown"), ("html", "html"), ("text", "markdown")],
    ids=lambda x: x,
)
def test_markup_still_aligns(src_fmt: str, tgt_fmt: str) -> None:
    src, tgt = _article("fr", "en")
    render = {"markdown": _markdown, "html": _html, "text": lambda t, s: f"{t}\n\n{_join(s)}\n"}
    source, target = render[src_fmt](TITLE["fr"], src), render[tgt_fmt](TITLE["en"], tgt)
    assert source_findings(target, source, "fr", "en", fmt=tgt_fmt) == [], "the correct article"
    bad = target.replace("6.1%", "6.7%")
    found = source_findings(bad, source, "fr", "en", fmt=tgt_fmt)
    at = bad.index("6.7%")
    assert [(f.code, f.start, f.end, f.text) for f in found] == [("MT901", at, at + 4, "6.7%")], _show(found)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_markup_omission_is_found_at_the_dropped_paragraph(fmt: str) -> None:
    src, tgt = _article("fr", "en")
    render = _markdown if fmt == "markdown" else _html
    source = render(TITLE["fr"], src)
    dropped = [s for i, s in enumerate(tgt) if i != 3]
    target = _html(TITLE["en"], dropped) if fmt == "html" else (
        f"# {TITLE['en']}\n\n{_join(tgt[:3])}\n\n{_join(tgt[4:])}\n"
    )  # fmt: skip
    found = source_findings(target, source, "fr", "en", fmt=fmt)
    lo = target.index(tgt[2]) + len(tgt[2])
    hi = target.index(tgt[4])
    omissions = [f for f in found if f.code == "MT906"]
    assert len(omissions) == 1 and lo <= omissions[0].start == omissions[0].end <= hi, _show(found)


# --- the command line ----------------------------------------------------------------------------


def test_cli_check_with_source_reports_json(tmp_path) -> None:
    src, tgt = _article("fr", "en")
    bad = _join(tgt).replace("6.1%", "6.7%")
    (tmp_path / "article.fr.txt").write_text(_join(src) + "\n", encoding="utf-8")
    (tmp_path / "article.en.txt").write_text(bad + "\n", encoding="utf-8")
    (tmp_path / "good.en.txt").write_text(_join(tgt) + "\n", encoding="utf-8")
    runner = CliRunner()
    args = ["--source", str(tmp_path / "article.fr.txt"), "--src-lang", "fr", "--lang", "en", "--no-lm"]
    out = runner.invoke(app, ["check", str(tmp_path / "article.en.txt"), *args, "--format", "json"])
    assert out.exit_code == 1, out.output
    findings = json.loads(out.stdout)["files"][0]["findings"]
    mt9 = [f for f in findings if f["code"].startswith("MT9")]
    at = bad.index("6.7%")
    assert [(f["code"], f["start"], f["end"], f["text"]) for f in mt9] == [("MT901", at, at + 4, "6.7%")]
    assert mt9[0]["line"] == 1 and mt9[0]["column"] == at + 1
    good = runner.invoke(app, ["check", str(tmp_path / "good.en.txt"), *args, "--format", "json"])
    assert not [f for f in json.loads(good.stdout)["files"][0]["findings"] if f["code"].startswith("MT9")]
    # Without --source, the same file raises no MT9xx finding.
    alone = runner.invoke(
        app, ["check", str(tmp_path / "article.en.txt"), "--lang", "en", "--no-lm", "--format", "json"]
    )
    assert not [f for f in json.loads(alone.stdout)["files"][0]["findings"] if f["code"].startswith("MT9")]


REPEATED = {
    ("fr", "en"): (
        "La séance est levée. Le budget a été adopté par 31 voix contre 4. La séance est levée.",
        "The meeting is closed. The budget was adopted by 31 votes to 4. The session is adjourned.",
        "The meeting is closed. The budget was adopted by 31 votes to 4. The meeting is closed.",
    ),
    ("en", "de"): (
        "No comment was given. The ministry confirmed the visit on Friday. No comment was given.",
        "Es gab keinen Kommentar. Das Ministerium bestätigte den Besuch am Freitag. Ein Kommentar blieb aus.",
        "Es gab keinen Kommentar. Das Ministerium bestätigte den Besuch am Freitag. Es gab keinen Kommentar.",
    ),
    ("zh", "en"): (
        "记者未能联系到该公司。警方周五证实了这一消息。记者未能联系到该公司。",
        "Reporters could not reach the firm. Police confirmed the news on Friday. The firm could not be contacted.",
        "Reporters could not reach the firm. Police confirmed the news on Friday. Reporters could not reach the firm.",
    ),
}


@pytest.mark.parametrize(("src_lang", "lang"), list(REPEATED), ids=[f"{a}-{b}" for a, b in REPEATED])
def test_one_source_sentence_translated_two_ways(src_lang: str, lang: str) -> None:
    source, varied, consistent = REPEATED[(src_lang, lang)]
    found = source_findings(varied, source, src_lang, lang)
    hits = [f for f in found if f.code == "MT912"]
    last = varied[varied.rindex(". ", 0, len(varied) - 1) + 2 :]
    assert [(f.start, f.end) for f in hits] == [(len(varied) - len(last), len(varied))], _show(found)
    assert hits[0].suggestions and hits[0].fix is None  # a suggestion: never applied by `fix`
    assert not [f for f in source_findings(consistent, source, src_lang, lang) if f.code == "MT912"]


def test_cli_fix_with_source_applies_the_source_fixes_once(tmp_path) -> None:
    source = "Le ministre est arrivé à Koursk. Détails sur www.example.fr/fr/rapport. Il a parlé 20 minutes."
    target = "The minister arrived in koursk. Details at www.example.fr/en/rapport. He spoke for 20 minutes."
    expected = target.replace("koursk", "Koursk").replace("/en/", "/fr/")
    (tmp_path / "a.fr.txt").write_text(source, encoding="utf-8")
    path = tmp_path / "a.en.txt"
    path.write_text(target, encoding="utf-8")
    runner = CliRunner()
    args = ["--source", str(tmp_path / "a.fr.txt"), "--src-lang", "fr", "--lang", "en", "--no-lm"]
    out = runner.invoke(app, ["fix", str(path), *args])
    assert path.read_text(encoding="utf-8") == expected, out.output
    again = runner.invoke(app, ["fix", str(path), *args])
    assert again.exit_code == 0 and path.read_text(encoding="utf-8") == expected, again.output
    # Without the source, those fixes are not known: nothing of MT9xx is applied.
    path.write_text(target, encoding="utf-8")
    runner.invoke(app, ["fix", str(path), "--lang", "en", "--no-lm"])
    assert "/en/rapport" in path.read_text(encoding="utf-8")
    several = runner.invoke(app, ["fix", str(path), str(tmp_path / "a.fr.txt"), *args])
    assert several.exit_code == 2 and "one file" in several.output


def test_corpus_segment_translated_unlike_its_twins(tmp_path) -> None:
    rows = [
        {"id": 1, "lp": "fr-en", "source": "Aucun commentaire n'a été fait.", "target": "No comment was made."},
        {"id": 2, "lp": "fr-en", "source": "Le budget a été adopté.", "target": "The budget was adopted."},
        {"id": 3, "lp": "fr-en", "source": "Aucun commentaire n'a été fait.", "target": "Nobody commented."},
        {"id": 4, "lp": "fr-en", "source": "Aucun commentaire n'a été fait.", "target": "No comment was made."},
        # Another system may translate it its own way: systems are compared, not mixed.
        {
            "id": 5,
            "lp": "fr-en",
            "source": "Aucun commentaire n'a été fait.",
            "target": "Nobody commented.",
            "system": "B",
        },
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    runner = CliRunner()
    args = ["check", str(path), "--source-field", "source", "--lang-field", "lp", "--no-lm", "--format", "jsonl"]
    out = runner.invoke(app, args)
    recs = {json.loads(x)["id"]: json.loads(x) for x in out.stdout.splitlines()}
    flagged = {i: [f for f in r["findings"] if f["code"] == "MT912"] for i, r in recs.items()}
    assert [i for i, fs in flagged.items() if fs] == [3], out.stdout
    (hit,) = flagged[3]
    assert (hit["start"], hit["end"], hit["suggestions"]) == (0, len("Nobody commented."), ["No comment was made."])
    ignored = runner.invoke(app, [*args, "--ignore", "MT912"])
    assert "MT912" not in ignored.stdout


def test_alignment_of_very_unequal_texts() -> None:
    """One source sentence against eighty in the target (and the reverse): the alignment's
    band must still reach the end; the extra sentences are additions (or omissions)."""
    from mtcheck.api import check_document
    from mtcheck.config import Config

    one = "Le ministre a parlé lundi."
    many = " ".join(f"Sentence number {i} is about something else entirely." for i in range(80))
    added = check_document(many, "en", source=one, src_lang="fr", config=Config(lm=False))
    assert sum(f.code == "MT907" for f in added.findings) >= 70
    dropped = check_document(one, "fr", source=many, src_lang="en", config=Config(lm=False))
    assert any(f.code == "MT906" for f in dropped.findings)


def test_latin_word_russian_news_keeps_in_latin_is_not_left_untranslated() -> None:
    """A word Russian text itself writes in Latin letters (a trial's name, "Recovery") stays;
    one Russian writes in Cyrillic ("Brexit": "брексит") was left untranslated."""
    from mtcheck.api import check_document
    from mtcheck.config import Config

    def hits(src: str, tgt: str) -> list[str]:
        res = check_document(tgt, "ru", source=src, src_lang="en", config=Config(lm=False, select=("MT905",)))
        return [f.text for f in res.findings]

    assert (
        hits(
            "The Recovery trial showed that the drug saves lives, doctors said on Tuesday.",
            "Исследование Recovery показало, что препарат спасает жизни, заявили во вторник врачи.",
        )
        == []
    )
    assert hits(
        "After Brexit, prices in the shops rose sharply, the survey said on Tuesday.",
        "После Brexit цены в магазинах резко выросли, говорится в опросе, опубликованном во вторник.",
    ) == ["Brexit"]


def _codes(tgt: str, src: str, lang: str, src_lang: str = "en", select: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    config = Config(lm=False, select=select) if select else CONFIG
    res = check_document(tgt, lang, source=src, src_lang=src_lang, config=config)
    return [(f.code, f.text) for f in res.findings if f.code.startswith("MT9")]


def test_quotation_mark_whose_partner_was_in_a_dropped_sentence_is_the_omission() -> None:
    """The translation stops before the source sentence that closed the quotation: that is an
    omission (MT906 or MT908), not a mark without partner (MT909). A mark left open in a
    paragraph translated whole is still MT909."""
    source = (
        "The harbour master spoke to reporters on Monday morning.\n"
        'He said: "The ferries will not sail before Thursday at the earliest. We are waiting for '
        'the storm to pass over the islands and for the engineers to inspect every pier."\n'
        "The council will meet again next week to discuss the damage.\n"
    )
    dropped = (
        "Der Hafenmeister sprach am Montagmorgen mit Reportern.\n"
        "Er sagte: „Die Fähren werden frühestens am Donnerstag auslaufen.\n"
        "Der Rat wird nächste Woche erneut zusammenkommen, um die Schäden zu besprechen.\n"
    )
    codes = [c for c, _ in _codes(dropped, source, "de")]
    assert "MT909" not in codes
    assert {"MT906", "MT908"} & set(codes), codes
    open_mark = (
        "Der Hafenmeister sprach am Montagmorgen mit Reportern.\n"
        "Er sagte: „Die Fähren werden frühestens am Donnerstag auslaufen. Wir warten, bis der Sturm über "
        "die Inseln gezogen ist und die Ingenieure jeden Anleger geprüft haben.\n"
        "Der Rat wird nächste Woche erneut zusammenkommen, um die Schäden zu besprechen.\n"
    )
    assert ("MT909", "„") in _codes(open_mark, source, "de")


def test_source_closing_two_quotations_with_one_mark_leaves_the_count_unsure() -> None:
    """The source opens an inner quotation it never closes ("... 'Not today."): a translation
    that nests with double marks cannot be counted, so no MT909 on its quotation marks."""
    source = "\"My son asks, 'Can we go to the beach?' and I answer, 'Not today. Maybe on Sunday.\"\n"
    target = "„Mein Sohn fragt: „Können wir an den Strand?“, und ich antworte: „Heute nicht. Vielleicht am Sonntag.“\n"
    assert "MT909" not in [c for c, _ in _codes(target, source, "de")]


def test_word_of_a_name_kept_from_the_source_is_not_left_untranslated_in_german() -> None:
    """German capitalises nouns, so a capitalised English word inside a German compound counts
    as left untranslated ("Housing-Mangel"); one that is part of a name in the source ("the
    Northern Housing Finance Trust", the word "housing" also used plainly) is the kept name,
    and one on its own may be a loanword German news uses (on real articles such nouns were
    loanwords: "den Lockdown", "ein Briefing")."""
    source = "Rents rose because of a housing shortage, the Northern Housing Finance Trust said on Friday."
    target = "Die Mieten stiegen wegen Wohnungsmangels, teilte der Northern Housing Finance Trust am Freitag mit."
    assert _codes(target, source, "de", select=("MT905",)) == []
    plain = "Rents rose because of a housing shortage, the trust said on Friday."
    left = "Die Mieten stiegen wegen des Housing-Mangels, teilte der Trust am Freitag mit."
    assert ("MT905", "Housing") in _codes(left, plain, "de", select=("MT905",))
    loanword = "Die Regierung verhängte am Freitag einen Shutdown, teilte der Trust mit."
    source = "The government imposed a shutdown on Friday, the trust said."
    assert _codes(loanword, source, "de", select=("MT905",)) == []


@pytest.mark.parametrize(
    ("source", "target", "bad"),
    [
        ("The city celebrates the centenary of its opera house this year.",
         "Die Stadt feiert in diesem Jahr den 100. Geburtstag ihres Opernhauses.", None),
        ("The city celebrates the centenary of its opera house this year.",
         "Die Stadt feiert in diesem Jahr den 150. Geburtstag ihres Opernhauses.", "150"),
        ("The region's 4.2 million residents will vote in May.",
         "Die 4,2-Millionen Einwohner der Region stimmen im Mai ab.", None),
        ("The club signed a $45.5 million sponsorship deal.",
         "Der Verein unterschrieb einen 45,5-Millionen-Dollar-Sponsorenvertrag.", None),
        ("The club signed a $45.5 million sponsorship deal.",
         "Der Verein unterschrieb einen 54,5-Millionen-Dollar-Sponsorenvertrag.", "54,5-Millionen-Dollar"),
    ],
)  # fmt: skip
def test_anniversary_words_and_hyphenated_scales_are_numbers(source: str, target: str, bad: str | None) -> None:
    found = [t for c, t in _codes(target, source, "de", select=("MT901",))]
    assert found == ([] if bad is None else [bad])
