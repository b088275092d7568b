"""Proper names in lowercase, by class: places, nationalities, languages, days, people,
multi-word names, names known from the document itself, and ordinary words left alone."""

from __future__ import annotations

import pytest

import mtcheck


def _names(text: str, lang: str = "en") -> list[tuple[str, str]]:
    return [(f.text, f.suggestions[0]) for f in mtcheck.check(text, lang=lang) if f.code == "MT101"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials in moscow and pyongyang denied it.", [("moscow", "Moscow"), ("pyongyang", "Pyongyang")]),
        ("He spoke russian with ukrainian officials.", [("russian", "Russian"), ("ukrainian", "Ukrainian")]),
        ("The european commission met on tuesday.", [("european", "European"), ("tuesday", "Tuesday")]),
        ("They met in new york and los angeles.", [("new york", "New York"), ("los angeles", "Los Angeles")]),
        ("President emmanuel macron spoke.", [("emmanuel macron", "Emmanuel Macron")]),
        ("Protests spread across turkey.", [("turkey", "Turkey")]),
        # The document's own capitals: a name no gazetteer knows.
        ("Vedant Patel spoke first. Then patel left.", [("patel", "Patel")]),
        ("Lloyd Austin arrived. Later, vladimir putin met Putin's aides.", [("vladimir putin", "Vladimir Putin")]),
        # A surname after a given name; a name no list knows, after a title.
        ("President Salome zourabichvili spoke.", [("zourabichvili", "Zourabichvili")]),
        ("The prosecutor, ségolène bourdarias, said so.", [("ségolène bourdarias", "Ségolène Bourdarias")]),
        ("General Abdourahamane tiani took power.", [("tiani", "Tiani")]),
        ("The elections of march 2026 were postponed.", [("march", "March")]),
    ],
)
def test_lowercase_names_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We may roast a turkey and pay the bill in May.",
        "He wore a new jersey on a long beach.",
        "The chinese-made parts arrived.".replace("chinese-made", "Chinese-made"),
        "Trade unions met the Federation of Trade Unions.",
        "She went to deal with the china cabinet.",
        "Visit https://example.com/moscow or write to kyiv@example.org.",
        "The Greenland Holdings group sold its holdings.",
        "The prosecutor said nothing and the minister ensured calm.",
        "Nana hopped up to the seat; the Nana regiment slept.",
    ],
)
def test_ordinary_words_and_technical_text_are_left_alone(text: str) -> None:
    assert _names(text) == []


def test_house_style_names(tmp_path) -> None:
    config = mtcheck.Config(names=("Zelenskyy", "iPhone"))
    found = mtcheck.check("They met zelenskyy on Monday.", lang="en", config=config)
    assert [(f.text, f.suggestions[0]) for f in found] == [("zelenskyy", "Zelenskyy")]


def test_german_nouns_are_no_evidence() -> None:
    # German capitalises nouns: "Essen" (the meal) does not make the verb "essen" a name.
    assert _names("Das Essen war gut. Wir essen gern zusammen.", lang="de") == []


def test_sentence_start_is_left_to_mt102() -> None:
    found = mtcheck.check("It rained. moscow said nothing.", lang="en")
    assert [(f.code, f.text) for f in found] == [("MT102", "moscow")]
