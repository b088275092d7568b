"""Numbers, dates, times and amounts read from a sentence and compared with its translation."""

from __future__ import annotations

import dataclasses

import pytest

from mtcheck.bilingual.numbers import NumberDiff, Quantity, compare_quantities, find_quantities

Row = tuple[str, float, str, str | None]


def rows(text: str, lang: str | None) -> list[Row]:
    found = find_quantities(text, lang)
    for q in found:
        assert text[q.start : q.end] == q.text, q  # spans are offsets into the text given
    return [(q.text, q.value, q.kind, q.unit) for q in found]


def only(text: str, lang: str | None) -> Quantity:
    found = find_quantities(text, lang)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------------------------
# find_quantities, language by language: every quantity of the text, in order

EN = [
    ("Revenue rose 6.1% to 10,000 units.", [("6.1%", 6.1, "percent", "%"), ("10,000", 10000.0, "number", None)]),
    ("It cost 1,234.5 euros.", [("1,234.5 euros", 1234.5, "number", "EUR")]),
    ("The value is 1.234 today.", [("1.234", 1.234, "number", None)]),
    ("They raised $5m and £3bn.", [("$5m", 5e6, "number", "USD"), ("£3bn", 3e9, "number", "GBP")]),
    ("A deal worth US$1.2 billion.", [("US$1.2 billion", 1.2e9, "number", "USD")]),
    (
        "It grew 12 per cent, then 12 percent.",
        [("12 per cent", 12.0, "percent", "%"), ("12 percent", 12.0, "percent", "%")],
    ),
    ("Paid 5 dollars and €5.", [("5 dollars", 5.0, "number", "USD"), ("€5", 5.0, "number", "EUR")]),
    ("Doors open at 2:30 p.m.", [("2:30 p.m.", 870.0, "time", None)]),
    ("Doors open at 2 p.m. and close at 11pm.", [("2 p.m.", 840.0, "time", None), ("11pm", 1380.0, "time", None)]),
    ("Midnight is 12 a.m., noon 12 p.m.", [("12 a.m.", 0.0, "time", None), ("12 p.m.", 720.0, "time", None)]),
    ("The train left at 14:30.", [("14:30", 870.0, "time", None)]),
    ("On 3 March 2021 it rained.", [("3 March", 303.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("On March 5, 2021 it rained.", [("March 5", 305.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("The 3rd of March.", [("3rd of March", 303.0, "date", None)]),
    ("Built in 1998.", [("1998", 1998.0, "year", None)]),
    (
        "He came 1st, 2nd, 3rd and 21st.",
        [
            ("1st", 1.0, "ordinal", None),
            ("2nd", 2.0, "ordinal", None),
            ("3rd", 3.0, "ordinal", None),
            ("21st", 21.0, "ordinal", None),
        ],
    ),
    ("A 5 km run at -5 °C.", [("5 km", 5.0, "number", "km"), ("-5 °C", -5.0, "number", "°C")]),
    (
        "Speeds of 120 km/h and loads of 40 tonnes.",
        [("120 km/h", 120.0, "number", "km/h"), ("40 tonnes", 40.0, "number", "t")],
    ),
    ("A 500 MW plant.", [("500 MW", 500.0, "number", "MW")]),
    ("Between 10-12 km.", [("10", 10.0, "number", "km"), ("12 km", 12.0, "number", "km")]),
    ("From 1.5 to 2 million people.", [("1.5", 1.5e6, "number", None), ("2 million", 2e6, "number", None)]),
    ("From 10 to 12% growth.", [("10", 10.0, "percent", "%"), ("12%", 12.0, "percent", "%")]),
    ("Two people, twenty-one cars.", [("Two", 2.0, "number", None), ("twenty-one", 21.0, "number", None)]),
    ("One hundred and five votes.", [("One hundred and five", 105.0, "number", None)]),
    ("Two million dollars.", [("Two million dollars", 2e6, "number", "USD")]),
    (
        "A million reasons, a thousand times.",
        [("A million", 1e6, "number", None), ("a thousand", 1000.0, "number", None)],
    ),
    ("The twenty-first century.", [("twenty-first", 21.0, "ordinal", None)]),
    ("In the 1990s.", [("1990s", 1990.0, "year", None)]),
    ("Temperatures fell to -3.5.", [("-3.5", -3.5, "number", None)]),
    ("It reached 40C (104F).", [("40C", 40.0, "number", "°C"), ("104F", 104.0, "number", "°F")]),
    ("Shares closed at 1,234p.", [("1,234p", 1234.0, "number", "GBX")]),
    ("It ends at 11pm.", [("11pm", 1380.0, "time", None)]),
    ("From 2 to 4 p.m.", [("2", 840.0, "time", None), ("4 p.m.", 960.0, "time", None)]),
]

FR = [
    ("Le chômage atteint 6,1 % en 2020.", [("6,1 %", 6.1, "percent", "%"), ("2020", 2020.0, "year", None)]),
    ("Il y a 10 000 habitants.", [("10 000", 10000.0, "number", None)]),
    ("Il y a 10\u00a0000 habitants.", [("10\u00a0000", 10000.0, "number", None)]),
    ("Il y a 10\u202f000 habitants.", [("10\u202f000", 10000.0, "number", None)]),
    ("Une valeur de 1 234,5.", [("1 234,5", 1234.5, "number", None)]),
    ("Un budget de 1,5 million d'euros.", [("1,5 million d'euros", 1.5e6, "number", "EUR")]),
    ("Un déficit de 3 milliards.", [("3 milliards", 3e9, "number", None)]),
    ("Une hausse de 12 pour cent.", [("12 pour cent", 12.0, "percent", "%")]),
    ("Le 3 mars 2021.", [("3 mars", 303.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("Le 1er mai.", [("1er mai", 501.0, "date", None)]),
    ("Rendez-vous à 14h30.", [("14h30", 870.0, "time", None)]),
    ("Rendez-vous à 14 h 30.", [("14 h 30", 870.0, "time", None)]),
    ("Rendez-vous à 14 h.", [("14 h", 840.0, "time", None)]),
    ("Pendant 24 h.", [("24 h", 24.0, "number", "h")]),
    ("La 2e place et le 1er rang.", [("2e", 2.0, "ordinal", None), ("1er", 1.0, "ordinal", None)]),
    ("De 10 à 12 kilomètres.", [("10", 10.0, "number", "km"), ("12 kilomètres", 12.0, "number", "km")]),
    ("Deux enfants et vingt et un adultes.", [("Deux", 2.0, "number", None), ("vingt et un", 21.0, "number", None)]),
    ("Quatre-vingt-dix-sept ans.", [("Quatre-vingt-dix-sept ans", 97.0, "number", "yr")]),
    (
        "Soixante-dix personnes, deux cents voitures.",
        [
            ("Soixante-dix", 70.0, "number", None),
            ("deux cents", 200.0, "number", None),
        ],
    ),
    ("Un million de personnes.", [("Un million", 1e6, "number", None)]),
    ("Le XXIe siècle.", [("XXIe", 21.0, "ordinal", None)]),
    ("Ce matin, Le Monde.", []),
    ("Un homme et une femme.", []),
    ("De 14h à 16h.", [("14h", 840.0, "time", None), ("16h", 960.0, "time", None)]),
]

DE = [
    (
        "Der Umsatz stieg um 6,1 % auf 10.000 Stück.",
        [("6,1 %", 6.1, "percent", "%"), ("10.000", 10000.0, "number", None)],
    ),
    ("Es waren 1.234,5 Tonnen.", [("1.234,5 Tonnen", 1234.5, "number", "t")]),
    ("Der Wert 1.234 ist ganzzahlig.", [("1.234", 1234.0, "number", None)]),
    ("Der Wert 1,234 ist klein.", [("1,234", 1.234, "number", None)]),
    ("Es kostet 1,5 Millionen Euro.", [("1,5 Millionen Euro", 1.5e6, "number", "EUR")]),
    ("Ein Minus von 2 Mrd. Euro.", [("2 Mrd. Euro", 2e9, "number", "EUR")]),
    ("Es sind 3 Mio. €.", [("3 Mio. €", 3e6, "number", "EUR")]),
    ("Es stieg um 12 Prozent.", [("12 Prozent", 12.0, "percent", "%")]),
    ("Am 3. März 2021.", [("3. März", 303.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("Um 14.30 Uhr.", [("14.30 Uhr", 870.0, "time", None)]),
    ("Um 14 Uhr.", [("14 Uhr", 840.0, "time", None)]),
    ("Die 3. größte Stadt.", [("3.", 3.0, "ordinal", None)]),
    ("Er wurde auf Platz 3. Dann ging er.", [("3", 3.0, "number", None)]),
    ("Von 10 bis 12 Kilometern.", [("10", 10.0, "number", "km"), ("12 Kilometern", 12.0, "number", "km")]),
    (
        "Zwei Kinder und einundzwanzig Erwachsene.",
        [
            ("Zwei", 2.0, "number", None),
            ("einundzwanzig", 21.0, "number", None),
        ],
    ),
    ("Zweihundertfünfzig Menschen.", [("Zweihundertfünfzig", 250.0, "number", None)]),
    (
        "Eine Million Menschen und zwei Millionen Tiere.",
        [
            ("Eine Million", 1e6, "number", None),
            ("zwei Millionen", 2e6, "number", None),
        ],
    ),
    ("Ein Mann, eine Frau, einen Hund, einem Kind.", []),
    ("In den 1990er-Jahren.", [("1990er", 1990.0, "year", None)]),
    ("Um 5 am Montag.", [("5", 5.0, "number", None)]),
    (
        "Am 5.3. und am 31.12.2021.",
        [
            ("5.3.", 305.0, "date", None),
            ("31.12", 1231.0, "date", None),
            ("2021", 2021.0, "year", None),
        ],
    ),
    ("Im XXI. Jahrhundert.", [("XXI.", 21.0, "ordinal", None)]),
]

ES = [
    ("El paro llegó al 6,1 % en 2020.", [("6,1 %", 6.1, "percent", "%"), ("2020", 2020.0, "year", None)]),
    ("Hay 10.000 personas y 10 000 más.", [("10.000", 10000.0, "number", None), ("10 000", 10000.0, "number", None)]),
    ("Costó 2,5 millones de dólares.", [("2,5 millones de dólares", 2.5e6, "number", "USD")]),
    ("Un déficit de 3 mil millones.", [("3 mil millones", 3e9, "number", None)]),
    ("Subió un 12 por ciento.", [("12 por ciento", 12.0, "percent", "%")]),
    ("El 3 de marzo de 2021.", [("3 de marzo", 303.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("El 1º de mayo.", [("1º de mayo", 501.0, "date", None)]),
    ("Quedó 1º y luego 2do.", [("1º", 1.0, "ordinal", None), ("2do", 2.0, "ordinal", None)]),
    ("A las 3 de la tarde.", [("3 de la tarde", 900.0, "time", None)]),
    ("A las 14:30 horas.", [("14:30 horas", 870.0, "time", None)]),
    ("Entre 10 a 12 millones.", [("10", 1e7, "number", None), ("12 millones", 1.2e7, "number", None)]),
    (
        "Treinta y dos personas, doscientos cincuenta coches.",
        [
            ("Treinta y dos", 32.0, "number", None),
            ("doscientos cincuenta", 250.0, "number", None),
        ],
    ),
    (
        "Dos mil personas y mil millones de euros.",
        [
            ("Dos mil", 2000.0, "number", None),
            ("mil millones de euros", 1e9, "number", "EUR"),
        ],
    ),
    ("Un millón de personas.", [("Un millón", 1e6, "number", None)]),
    ("Un hombre, una mujer y uno más.", []),
    ("El siglo XXI.", [("XXI", 21.0, "ordinal", None)]),
]

RU = [
    ("Безработица выросла на 6,1% в 2020 году.", [("6,1%", 6.1, "percent", "%"), ("2020 году", 2020.0, "year", None)]),
    ("Там живут 10 000 человек.", [("10 000", 10000.0, "number", None)]),
    ("Значение 1 234,5.", [("1 234,5", 1234.5, "number", None)]),
    ("Продано 2,5 млн автомобилей.", [("2,5 млн", 2.5e6, "number", None)]),
    ("Убыток 3 млрд рублей.", [("3 млрд рублей", 3e9, "number", "RUB")]),
    (
        "Рост на 12 процентов и 3 процента.",
        [("12 процентов", 12.0, "percent", "%"), ("3 процента", 3.0, "percent", "%")],
    ),
    ("5 тыс. тонн.", [("5 тыс. тонн", 5000.0, "number", "t")]),
    ("3 марта 2021 года.", [("3 марта", 303.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("В 14:30 и в 14 ч 30 мин.", [("14:30", 870.0, "time", None), ("14 ч 30 мин.", 870.0, "time", None)]),
    ("2-й раз и 3-я попытка.", [("2-й", 2.0, "ordinal", None), ("3-я", 3.0, "ordinal", None)]),
    ("В 1990-х годах.", [("1990-х", 1990.0, "year", None)]),
    ("Двадцать пять тысяч человек.", [("Двадцать пять тысяч", 25000.0, "number", None)]),
    ("Двух детей и трёх взрослых.", [("Двух", 2.0, "number", None), ("трёх", 3.0, "number", None)]),
    ("Полтора миллиона рублей.", [("Полтора миллиона рублей", 1.5e6, "number", "RUB")]),
    ("Двумя руками, сто двадцать раз.", [("Двумя", 2.0, "number", None), ("сто двадцать", 120.0, "number", None)]),
    ("Тысячи людей и миллионы рублей.", []),
    ("В XXI веке.", [("XXI", 21.0, "ordinal", None)]),
    ("От 10 до 12 километров.", [("10", 10.0, "number", "km"), ("12 километров", 12.0, "number", "km")]),
]

ZH = [
    ("收入达3.5亿元。", [("3.5亿元", 3.5e8, "number", "CNY")]),
    ("约150万人。", [("150万", 1.5e6, "number", None)]),
    ("增长12%，即１２％。", [("12%", 12.0, "percent", "%"), ("１２％", 12.0, "percent", "%")]),
    ("共１０，０００人。", [("１０，０００", 10000.0, "number", None)]),
    ("共10,000人。", [("10,000", 10000.0, "number", None)]),
    ("增长百分之十二。", [("百分之十二", 12.0, "percent", "%")]),
    ("增长百分之三点五。", [("百分之三点五", 3.5, "percent", "%")]),
    ("三十五人，两百人。", [("三十五", 35.0, "number", None), ("两百", 200.0, "number", None)]),
    ("十个人。", [("十", 10.0, "number", None)]),
    ("一万五千元。", [("一万五千元", 15000.0, "number", "CNY")]),
    ("一千万美元。", [("一千万美元", 1e7, "number", "USD")]),
    ("三亿五千万。", [("三亿五千万", 3.5e8, "number", None)]),
    ("2021年3月5日。", [("2021年", 2021.0, "year", None), ("3月5日", 305.0, "date", None)]),
    ("二〇二一年。", [("二〇二一年", 2021.0, "year", None)]),
    ("三月五日。", [("三月五日", 305.0, "date", None)]),
    ("下午2点30分。", [("下午2点30分", 870.0, "time", None)]),
    ("晚上8点半。", [("晚上8点半", 1230.0, "time", None)]),
    ("14:30开会。", [("14:30", 870.0, "time", None)]),
    ("第三名和第3名。", [("第三", 3.0, "ordinal", None), ("第3", 3.0, "ordinal", None)]),
    ("三十五公里。", [("三十五公里", 35.0, "number", "km")]),
    ("5千米。", [("5千米", 5.0, "number", "km")]),
    ("10至12%。", [("10", 10.0, "percent", "%"), ("12%", 12.0, "percent", "%")]),
    ("一些人一起统一，之一，万一，一样，一直，一定，一般。", []),
    # Two neighbouring digits are a rough amount, read as both values (a translation gives
    # either, or both: "30 or 40 people"); vague amounts ("几十万") are no number.
    ("三四十人，几十万人，星期一，百姓。", [("三四十", 30.0, "number", None), ("三四十", 40.0, "number", None)]),
    (
        "五六百米，上世纪90年代，1100千伏。",
        [
            ("五六百米", 500.0, "number", "m"),
            ("五六百米", 600.0, "number", "m"),
            ("上世纪90年代", 1990.0, "year", None),
            ("1100千伏", 1100.0, "number", "kV"),
        ],
    ),
    ("三分之一。", []),
    ("他第一个到。", [("第一", 1.0, "ordinal", None)]),
    ("3月的天气。", []),
]

NONE = [
    ("It was 1,234 there.", [("1,234", 1234.0, "number", None)]),
    ("It was 1,5 there.", [("1,5", 1.5, "number", None)]),
    ("It was 1 234,5 there.", [("1 234,5", 1234.5, "number", None)]),
    ("It was 1.234,5 there.", [("1.234,5", 1234.5, "number", None)]),
    ("On 25/12/2021.", [("25/12", 1225.0, "date", None), ("2021", 2021.0, "year", None)]),
    ("On 3/5/2021.", []),
]

IDENTIFIERS = [
    "COVID-19 spread.",
    "The G7 met.",
    "An A320 landed.",
    "5G networks.",
    "See http://example.com/page/5 now.",
    "Write to user42@example.com.",
    "Follow @user2 and #tag1.",
    "Version 3.2.1 shipped.",
    "A Су-35 flew.",
    "Open 24/7.",
    "A 4x4 car.",
]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    *[("en", t, e) for t, e in EN],
    *[("fr", t, e) for t, e in FR],
    *[("de", t, e) for t, e in DE],
    *[("es", t, e) for t, e in ES],
    *[("ru", t, e) for t, e in RU],
    *[("zh", t, e) for t, e in ZH],
    *[(None, t, e) for t, e in NONE],
])  # fmt: skip
def test_find_quantities(lang: str | None, text: str, expected: list[Row]) -> None:
    assert rows(text, lang) == expected


@pytest.mark.parametrize("text", IDENTIFIERS)
@pytest.mark.parametrize("lang", ["en", None])
def test_digits_inside_words_urls_and_handles_are_not_numbers(text: str, lang: str | None) -> None:
    assert rows(text, lang) == []


def test_spans_are_offsets_into_the_text_given() -> None:
    text = "Le 3 mars, 10\u202f000 personnes ont payé 6,1 % de plus."
    found = find_quantities(text, "fr")
    assert [(q.start, q.end) for q in found] == [(3, 9), (11, 17), (37, 42)]
    assert [text[q.start : q.end] for q in found] == ["3 mars", "10\u202f000", "6,1 %"]


def test_full_width_digits_keep_their_offsets() -> None:
    text = "增长１２．５％，共１０，０００人"
    found = find_quantities(text, "zh")
    assert [(q.text, q.start, q.end, q.value) for q in found] == [
        ("１２．５％", 2, 7, 12.5),
        ("１０，０００", 9, 15, 10000.0),
    ]


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "two"), ("fr", "deux"), ("de", "zwei"), ("es", "dos"), ("ru", "два"), ("zh", "两"), ("zh", "二")],
)
def test_number_words_are_marked_spelled(lang: str, text: str) -> None:
    q = only(text + " ", lang)
    assert (q.value, q.kind, q.spelled) == (2.0, "number", True)


def test_digits_are_not_marked_spelled() -> None:
    assert only("2 cats", "en").spelled is False


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "a man"),
        ("fr", "un homme, une femme"),
        ("de", "ein Mann, eine Frau, einen Hund, einem Kind, einer Frau"),
        ("es", "un hombre, una mujer, uno de ellos"),
    ],
)
def test_articles_are_not_numbers(lang: str, text: str) -> None:
    assert find_quantities(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "approx"),
    [
        ("1,234", None, True),
        ("1.234", None, True),
        ("1,234", "en", False),
        ("1.234", "de", False),
        ("1,5", None, False),
        ("12,345.6", None, False),
    ],
)
def test_approx_marks_only_an_unresolved_separator(text: str, lang: str | None, approx: bool) -> None:
    assert only(f"it was {text} there", lang).approx is approx


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("1.234", "en", 1.234),
        ("1.234", "de", 1234.0),
        ("1,234", "en", 1234.0),
        ("1,234", "de", 1.234),
        ("1,234", "fr", 1.234),
        ("1,234", "ru", 1.234),
        ("1,234", "zh", 1234.0),
        ("1.5", "de", 1.5),
        ("1,5", "en", 1.5),
        ("2.500", "es", 2500.0),
        ("0,123", None, 0.123),
    ],
)
def test_a_lone_separator_is_read_the_locale_s_way(text: str, lang: str, value: float) -> None:
    assert only(f"{text} ", lang).value == pytest.approx(value)


@pytest.mark.parametrize(
    ("lang", "text", "value", "unit"),
    [
        ("en", "$5", 5.0, "USD"),
        ("en", "5 dollars", 5.0, "USD"),
        ("fr", "5 euros", 5.0, "EUR"),
        ("de", "5 Euro", 5.0, "EUR"),
        ("en", "£5", 5.0, "GBP"),
        ("ru", "5 юаней", 5.0, "CNY"),
        ("zh", "5元", 5.0, "CNY"),
        ("zh", "5人民币", 5.0, "CNY"),
        ("ru", "5 рублей", 5.0, "RUB"),
        ("en", "5 kg", 5.0, "kg"),
        ("zh", "5公斤", 5.0, "kg"),
        ("zh", "5吨", 5.0, "t"),
        ("de", "5 Tonnen", 5.0, "t"),
        ("ru", "5 тонн", 5.0, "t"),
        ("zh", "5公里", 5.0, "km"),
        ("en", "5 GW", 5.0, "GW"),
        ("en", "5 miles", 5.0, "mi"),
    ],
)
def test_units_and_currencies_are_normalised(lang: str, text: str, value: float, unit: str) -> None:
    q = only(text, lang)
    assert (q.value, q.unit, q.text) == (value, unit, text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "12%"),
        ("en", "12 %"),
        ("en", "12 per cent"),
        ("en", "12 percent"),
        ("de", "12 Prozent"),
        ("fr", "12 pour cent"),
        ("es", "12 por ciento"),
        ("ru", "12 процентов"),
        ("zh", "百分之十二"),
    ],
)
def test_percent_in_every_language(lang: str, text: str) -> None:
    q = only(text, lang)
    assert (q.value, q.kind, q.unit, q.text) == (12.0, "percent", "%", text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "14:30"),
        ("de", "14.30 Uhr"),
        ("fr", "14h30"),
        ("fr", "14 h 30"),
        ("en", "2:30 p.m."),
        ("en", "2:30 pm"),
        ("zh", "下午2点30分"),
        ("ru", "14 ч 30 мин"),
        ("es", "2:30 de la tarde"),
    ],
)
def test_times_are_minutes_since_midnight(lang: str, text: str) -> None:
    q = only(text, lang)
    assert (q.value, q.kind, q.text) == (870.0, "time", text)


@pytest.mark.parametrize(
    ("lang", "text", "date_text"),
    [
        ("en", "5 March 2021", "5 March"),
        ("en", "March 5, 2021", "March 5"),
        ("fr", "5 mars 2021", "5 mars"),
        ("de", "5. März 2021", "5. März"),
        ("es", "5 de marzo de 2021", "5 de marzo"),
        ("ru", "5 марта 2021 года", "5 марта"),
        ("zh", "2021年3月5日", "3月5日"),
        (None, "05.03.2021", "05.03"),
        (None, "2021-03-05", "03-05"),
    ],
)
def test_dates_carry_their_year_as_a_second_quantity(lang: str | None, text: str, date_text: str) -> None:
    found = find_quantities(text, lang)
    assert sorted((q.kind, q.value) for q in found) == [("date", 305.0), ("year", 2021.0)]
    assert next(q.text for q in found if q.kind == "date") == date_text


def test_a_four_digit_number_with_a_unit_is_no_year() -> None:
    assert rows("2021 km", "en") == [("2021 km", 2021.0, "number", "km")]
    assert rows("1850 people", "en") == [("1850", 1850.0, "number", None)]


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("en", "1st", 1),
        ("en", "21st", 21),
        ("fr", "1er", 1),
        ("fr", "2e", 2),
        ("de", "3. größte", 3),
        ("es", "1º", 1),
        ("ru", "2-й", 2),
        ("zh", "第三", 3),
    ],
)
def test_ordinals(lang: str, text: str, value: int) -> None:
    q = find_quantities(text, lang)[0]
    assert (q.value, q.kind) == (value, "ordinal")


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("en", "1.5 million", 1.5e6),
        ("en", "3 billion", 3e9),
        ("en", "2 trillion", 2e12),
        ("en", "5 thousand", 5e3),
        ("en", "$5bn", 5e9),
        ("fr", "2 mille", 2e3),
        ("fr", "3 millions", 3e6),
        ("fr", "4 milliards", 4e9),
        ("de", "5 Tausend", 5e3),
        ("de", "1,5 Millionen", 1.5e6),
        ("de", "3 Milliarden", 3e9),
        ("de", "3 Mio.", 3e6),
        ("de", "3 Mrd.", 3e9),
        ("es", "5 mil", 5e3),
        ("es", "3 millones", 3e6),
        ("es", "1 millón", 1e6),
        ("es", "3 mil millones", 3e9),
        ("ru", "5 тыс.", 5e3),
        ("ru", "5 тысяч", 5e3),
        ("ru", "2 тысячи", 2e3),
        ("ru", "3 млн", 3e6),
        ("ru", "3 миллиона", 3e6),
        ("ru", "4 млрд", 4e9),
        ("ru", "4 миллиардов", 4e9),
        ("zh", "3万", 3e4),
        ("zh", "3.5亿", 3.5e8),
        ("zh", "5千", 5e3),
        ("zh", "2百万", 2e6),
        ("zh", "2千万", 2e7),
        ("zh", "1.5万亿", 1.5e12),
    ],
)
def test_scale_words(lang: str, text: str, value: float) -> None:
    q = only(text, lang)
    assert (q.value, q.text) == (pytest.approx(value), text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三十五", 35),
        ("两百", 200),
        ("十", 10),
        ("十五", 15),
        ("一万五千", 15000),
        ("一百零五", 105),
        ("三千零二十", 3020),
        ("一万五", 15000),
        ("一百五", 150),
        ("二十万", 200000),
        ("一亿", 1e8),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    q = only(text + "。", "zh")
    assert (q.value, q.spelled, q.text) == (value, True, text)


@pytest.mark.parametrize("word", ["一些", "一起", "统一", "一样", "一直", "一定", "之一", "万一", "一般", "千万别"])
def test_chinese_words_that_contain_numerals_are_not_numbers(word: str) -> None:
    assert find_quantities(f"我们{word}去", "zh") == []


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("en", "twenty", 20), ("en", "ninety-nine", 99), ("en", "seventeen", 17), ("en", "one", 1),
        ("fr", "vingt", 20), ("fr", "cent", 100), ("fr", "soixante et onze", 71), ("fr", "quatre-vingts", 80),
        ("de", "zwanzig", 20), ("de", "hundert", 100), ("de", "dreißig", 30), ("de", "eins", 1),
        ("es", "veinte", 20), ("es", "cien", 100), ("es", "veintidós", 22), ("es", "quince", 15),
        ("ru", "двадцать", 20), ("ru", "сто", 100), ("ru", "сорок два", 42), ("ru", "двумя", 2),
        ("ru", "трёх", 3), ("ru", "пятидесяти", 50),
    ],
)  # fmt: skip
def test_number_words(lang: str, text: str, value: float) -> None:
    q = only(text, lang)
    assert (q.value, q.spelled, q.text) == (value, True, text)


def test_ranges_give_two_quantities() -> None:
    for lang, text in [("en", "10-12"), ("en", "10–12"), ("fr", "10 à 12"), ("de", "10 bis 12")]:
        assert [q.value for q in find_quantities(text, lang)] == [10.0, 12.0], text
    assert [q.value for q in find_quantities("10 a 12", "es")] == [10.0, 12.0]
    assert [q.value for q in find_quantities("10至12", "zh")] == [10.0, 12.0]


def test_signs() -> None:
    assert [q.value for q in find_quantities("fell to -5 and rose to +3 and (−2)", "en")] == [-5.0, 3.0, -2.0]


def test_lang_codes_with_a_region_and_unknown_codes() -> None:
    assert only("1.234 ", "de-DE").value == 1234.0
    assert only("1.234 ", "en_GB").value == 1.234
    q = only("1.234 ", "pt")
    assert (q.value, q.approx) == (1234.0, True)


def test_quantity_is_frozen() -> None:
    q = only("5 km", "en")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.value = 6.0  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# compare_quantities

Case = tuple[str, str, str, str, list[str], list[str]]

PAIRS: list[Case] = [
    # fr -> en
    ("fr", "Le chômage a atteint 6,1 % en 2020, soit 10 000 personnes.", "en",
     "Unemployment reached 6.1% in 2020, or 10,000 people.", [], []),
    ("fr", "Le chômage a atteint 6,1 %.", "en", "Unemployment reached 6.7%.", ["6,1 %"], ["6.7%"]),
    ("fr", "Il y a 12 blessés et 3 morts.", "en", "There are 12 injured.", ["3"], []),
    ("fr", "Il y a 12 blessés.", "en", "There are 12 injured and 3 dead.", [], ["3"]),
    ("fr", "Le 3 mars, il a plu.", "en", "On 4 March it rained.", ["3 mars"], ["4 March"]),
    ("fr", "Rendez-vous à 14h30.", "en", "Meet at 3:30 p.m.", ["14h30"], ["3:30 p.m."]),
    ("fr", "Un budget de 1,5 million d'euros.", "en", "A budget of €1.5m.", [], []),
    ("fr", "Deux enfants et 15 adultes.", "en", "2 children and 15 adults.", [], []),
    # en -> fr
    ("en", "The plant cost $1.5 million and opened on 3 March 2021 at 2:30 p.m.", "fr",
     "L'usine a coûté 1,5 million de dollars et a ouvert le 3 mars 2021 à 14h30.", [], []),
    ("en", "Inflation was 6.1%.", "fr", "L'inflation était de 6,7 %.", ["6.1%"], ["6,7 %"]),
    ("en", "It has 10,000 residents and 3 schools.", "fr", "Elle compte 10 000 habitants.", ["3"], []),
    ("en", "It has 10,000 residents.", "fr", "Elle compte 10 000 habitants et 3 écoles.", [], ["3"]),
    ("en", "On 3 March it opened.", "fr", "Le 13 mars, elle a ouvert.", ["3 March"], ["13 mars"]),
    ("en", "It opens at 2:30 p.m.", "fr", "Elle ouvre à 15h30.", ["2:30 p.m."], ["15h30"]),
    ("en", "From 2 to 4 p.m.", "fr", "De 14h à 16h.", [], []),
    ("en", "The 21st century.", "fr", "Le XXIe siècle.", [], []),
    ("en", "Shares fell 5 per cent to 1,234p.", "fr", "Les actions ont perdu 5 % à 1 234 pence.", [], []),
    # de -> en
    ("de", "Die Stadt hat 1,5 Millionen Einwohner und wuchs um 12 Prozent.", "en",
     "The city has 1.5 million inhabitants and grew by 12 percent.", [], []),
    ("de", "Der Umsatz stieg um 6,1 %.", "en", "Sales rose 6.7%.", ["6,1 %"], ["6.7%"]),
    ("de", "Es gab 1.234 Anträge und 56 Absagen.", "en", "There were 1,234 applications.", ["56"], []),
    ("de", "Es gab 1.234 Anträge.", "en", "There were 1,234 applications and 56 refusals.", [], ["56"]),
    ("de", "Am 3. März 2021 begann es.", "en", "It began on 5 March 2021.", ["3. März"], ["5 March"]),
    ("de", "Um 14.30 Uhr begann es.", "en", "It began at 2:45 p.m.", ["14.30 Uhr"], ["2:45 p.m."]),
    ("de", "Zwei Menschen starben.", "en", "Two people died.", [], []),
    # en -> de
    ("en", "Two people died and 15 were injured on 3 March.", "de",
     "Zwei Menschen starben und 15 wurden am 3. März verletzt.", [], []),
    ("en", "Sales rose 6.1%.", "de", "Der Umsatz stieg um 6,7 %.", ["6.1%"], ["6,7 %"]),
    ("en", "A loss of €2.5bn and 300 jobs.", "de", "Ein Verlust von 2,5 Mrd. Euro.", ["300"], []),
    ("en", "A loss of €2.5bn.", "de", "Ein Verlust von 2,5 Mrd. Euro und 300 Stellen.", [], ["300"]),
    ("en", "It began on 3 March.", "de", "Es begann am 4. März.", ["3 March"], ["4. März"]),
    ("en", "It began at 2 p.m.", "de", "Es begann um 15 Uhr.", ["2 p.m."], ["15 Uhr"]),
    ("en", "The price was 1,234.50 euros.", "de", "Der Preis war 1.234,50 Euro.", [], []),
    # es -> en
    ("es", "El 3 de marzo de 2021 murieron 25 personas.", "en", "On March 3, 2021, 25 people died.", [], []),
    ("es", "El paro llegó al 6,1 %.", "en", "Unemployment reached 6.7%.", ["6,1 %"], ["6.7%"]),
    ("es", "Hubo 10.000 heridos y 25 muertos.", "en", "There were 10,000 injured.", ["25"], []),
    ("es", "Hubo 10.000 heridos.", "en", "There were 10,000 injured and 25 dead.", [], ["25"]),
    ("es", "El 3 de marzo llovió.", "en", "It rained on March 30.", ["3 de marzo"], ["March 30"]),
    ("es", "A las 3 de la tarde.", "en", "At 4 p.m.", ["3 de la tarde"], ["4 p.m."]),
    ("es", "Costó 2,5 millones de dólares.", "en", "It cost $2.5 million.", [], []),
    # en -> es
    ("en", "It cost $2.5 million and 3 people resigned.", "es",
     "Costó 2,5 millones de dólares y tres personas dimitieron.", [], []),
    ("en", "Unemployment reached 6.1%.", "es", "El paro llegó al 6,7 %.", ["6.1%"], ["6,7 %"]),
    ("en", "There were 10,000 injured and 25 dead.", "es", "Hubo 10.000 heridos.", ["25"], []),
    ("en", "There were 10,000 injured.", "es", "Hubo 10.000 heridos y 25 muertos.", [], ["25"]),
    ("en", "On March 3, 2021, 25 people died.", "es", "El 3 de marzo murieron 25 personas.", ["2021"], []),
    ("en", "It rained on 3 March.", "es", "Llovió el 8 de marzo.", ["3 March"], ["8 de marzo"]),
    ("en", "At 14:30.", "es", "A las 14:40 horas.", ["14:30"], ["14:40 horas"]),
    ("en", "Temperatures reached 40C (104F).", "es", "Las temperaturas alcanzaron 40 °C (104 °F).", [], []),
    # measures converted for the readers, and rounded
    ("en", "The 550-acre park opened.", "de", "Der 220 Hektar große Park öffnete.", [], []),
    ("en", "It was 95 degrees Fahrenheit.", "fr", "Il faisait 35 °C.", [], []),
    ("en", "They walked 20 miles.", "fr", "Ils ont marché 30 km.", [], []),
    ("en", "They walked 20 miles.", "fr", "Ils ont marché 50 km.", ["20 miles"], ["50 km"]),
    ("en", "The tower is 1,000 feet tall.", "es", "La torre mide 305 metros.", [], []),
    ("en", "The tower is 1,000 feet tall.", "es", "La torre mide 1000 metros.", ["1,000 feet"], ["1000 metros"]),
    # ru -> en
    ("ru", "В 2021 году было продано 2,5 млн автомобилей.", "en", "In 2021, 2.5 million cars were sold.", [], []),
    ("ru", "Рост составил 6,1%.", "en", "Growth was 6.7%.", ["6,1%"], ["6.7%"]),
    ("ru", "Погибли 12 человек, 40 ранены.", "en", "12 people died.", ["40"], []),
    ("ru", "Погибли 12 человек.", "en", "12 people died and 40 were injured.", [], ["40"]),
    ("ru", "3 марта пошёл дождь.", "en", "It rained on 2 March.", ["3 марта"], ["2 March"]),
    ("ru", "Встреча в 14:30.", "en", "The meeting is at 2:30 a.m.", [], []),
    ("ru", "Встреча в 14 ч 30 мин.", "en", "The meeting is at 2:15 p.m.", ["14 ч 30 мин."], ["2:15 p.m."]),
    ("ru", "Двадцать пять тысяч человек.", "en", "25,000 people.", [], []),
    ("en", "In 2021, 2.5 million cars were sold.", "ru", "В 2021 году было продано 25 млн автомобилей.",
     ["2.5 million"], ["25 млн"]),
    # zh -> en
    ("zh", "公司收入达3.5亿元，增长12%。", "en", "Revenue reached 350 million yuan, up 12%.", [], []),
    ("zh", "公司收入达3.5亿元。", "en", "Revenue reached 3.5 billion yuan.", ["3.5亿元"], ["3.5 billion yuan"]),
    ("zh", "增长6.1%。", "en", "It grew 6.7%.", ["6.1%"], ["6.7%"]),
    ("zh", "150万人受影响，12人死亡。", "en", "1.5 million people were affected.", ["12"], []),
    ("zh", "150万人受影响。", "en", "1.5 million people were affected and 12 died.", [], ["12"]),
    ("zh", "3月5日下雨。", "en", "It rained on March 6.", ["3月5日"], ["March 6"]),
    ("zh", "下午2点30分开会。", "en", "The meeting is at 2:30 p.m.", [], []),
    ("zh", "下午2点30分开会。", "en", "The meeting is at 3:30 p.m.", ["下午2点30分"], ["3:30 p.m."]),
    ("zh", "两人死亡，百分之十二的人受伤。", "en", "Two people died and 12% were injured.", [], []),
    ("zh", "2021年3月5日", "en", "5 March 2021", [], []),
]  # fmt: skip


def _check(diff: NumberDiff, source: str, target: str, missing: list[str], extra: list[str]) -> None:
    assert [q.text for q in diff.missing] == missing
    assert [q.text for q in diff.extra] == extra
    for q in diff.missing:
        assert source[q.start : q.end] == q.text
    for q in diff.extra:
        assert target[q.start : q.end] == q.text


@pytest.mark.parametrize(("src_lang", "source", "tgt_lang", "target", "missing", "extra"), PAIRS)
def test_compare_quantities(
    src_lang: str, source: str, tgt_lang: str, target: str, missing: list[str], extra: list[str]
) -> None:
    _check(compare_quantities(source, src_lang, target, tgt_lang), source, target, missing, extra)


@pytest.mark.parametrize(("src_lang", "source", "tgt_lang", "target", "missing", "extra"), PAIRS)
def test_compare_quantities_is_symmetric(
    src_lang: str, source: str, tgt_lang: str, target: str, missing: list[str], extra: list[str]
) -> None:
    # Swapping the sides swaps what is missing and what is extra.
    _check(compare_quantities(target, tgt_lang, source, src_lang), target, source, extra, missing)


def test_spans_of_a_diff_point_into_each_side() -> None:
    source, target = "Au total 3 personnes et 7 chiens.", "In all 3 people and 8 dogs."
    diff = compare_quantities(source, "fr", target, "en")
    assert [(q.start, q.end) for q in diff.missing] == [(24, 25)]
    assert [(q.start, q.end) for q in diff.extra] == [(20, 21)]


def test_multiset_matching_counts_repeats() -> None:
    diff = compare_quantities("5 and 5 and 5", "en", "5 et 5", "fr")
    assert [q.text for q in diff.missing] == ["5"]
    assert diff.extra == ()


def test_a_number_is_matched_once_even_if_it_could_match_twice() -> None:
    # Both target "12" could pair with the source "12"; only one may.
    diff = compare_quantities("12 cars", "en", "12 voitures, 12 camions", "fr")
    assert [q.text for q in diff.extra] == ["12"]


def test_matching_pairs_as_many_as_it_can() -> None:
    # The bare "5" could take "5 km", leaving the source's "5 km" against "5 miles"; pairing it
    # with "5 miles" instead pairs everything.
    assert compare_quantities("It is 5, or 5 km.", "en", "5 km, or 5 miles.", "en") == NumberDiff((), ())


def test_spelled_numbers_are_never_reported() -> None:
    assert compare_quantities("Zwei Menschen starben.", "de", "A pair of people died.", "en") == NumberDiff((), ())
    assert compare_quantities("两国领导人会晤。", "zh", "Both leaders met.", "en") == NumberDiff((), ())


def test_spelled_numbers_still_match_digits() -> None:
    diff = compare_quantities("Two people and 3 dogs.", "en", "2 personnes et trois chiens.", "fr")
    assert diff == NumberDiff((), ())


def test_a_digit_one_against_an_article_is_not_reported() -> None:
    assert compare_quantities("1 man was injured.", "en", "Un homme a été blessé.", "fr") == NumberDiff((), ())
    assert compare_quantities("1 man was injured.", "en", "Le directeur a été blessé.", "fr").missing[0].text == "1"


def test_kinds_must_agree() -> None:
    # A percentage is not a plain number, nor a date a time.
    diff = compare_quantities("It rose 12%.", "en", "Il a augmenté de 12.", "fr")
    assert ([q.text for q in diff.missing], [q.text for q in diff.extra]) == (["12%"], ["12"])
    diff = compare_quantities("At 3:05.", "en", "Le 5 mars.", "fr")
    assert ([q.kind for q in diff.missing], [q.kind for q in diff.extra]) == (["time"], ["date"])


def test_a_year_and_an_ordinal_match_plain_numbers() -> None:
    assert compare_quantities("in 2020", "en", "im Jahr 2020", "de") == NumberDiff((), ())
    assert compare_quantities("He came 3rd.", "en", "Il est arrivé 3e.", "fr") == NumberDiff((), ())
    assert compare_quantities("He came 3rd.", "en", "Er wurde Nummer 3.", "de") == NumberDiff((), ())


def test_unit_and_currency_changes_are_reported() -> None:
    diff = compare_quantities("5 miles away", "en", "à 5 km", "fr")
    assert ([q.unit for q in diff.missing], [q.unit for q in diff.extra]) == (["mi"], ["km"])
    diff = compare_quantities("It cost $5.", "en", "Cela a coûté 5 euros.", "fr")
    assert ([q.unit for q in diff.missing], [q.unit for q in diff.extra]) == (["USD"], ["EUR"])


def test_a_scale_rewritten_is_the_same_value() -> None:
    for source, lang in [("150万", "zh"), ("1 500 000", "fr"), ("1,5 Millionen", "de"), ("1.5 million", "en")]:
        assert compare_quantities(source, lang, "1.5 million", "en") == NumberDiff((), ()), source


def test_an_ambiguous_separator_matches_either_reading() -> None:
    assert compare_quantities("It was 1,234.", None, "Es war 1.234.", "de") == NumberDiff((), ())
    assert compare_quantities("It was 1,234.", None, "It was 1.234.", "en") == NumberDiff((), ())
    diff = compare_quantities("It was 1,234.", "en", "It was 1.234.", "en")
    assert [q.text for q in diff.missing] == ["1,234"]


def test_twelve_and_twenty_four_hour_clocks_match() -> None:
    assert compare_quantities("at 2:30 p.m.", "en", "à 14h30", "fr") == NumberDiff((), ())
    assert compare_quantities("at 14:00", "en", "à 14 h", "fr") == NumberDiff((), ())
    assert compare_quantities("at 2 p.m.", "en", "um 14 Uhr", "de") == NumberDiff((), ())


def test_empty_texts() -> None:
    assert compare_quantities("", "en", "", "fr") == NumberDiff((), ())
    assert find_quantities("", None) == []
