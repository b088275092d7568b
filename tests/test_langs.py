"""Language profiles (issue 15): every language is a folder of data that loads against the
schema, regional variants resolve through CLDR, and each language's examples hold."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

from mtcheck import langs
from mtcheck.api import check_document
from mtcheck.config import Config
from mtcheck.document import abbreviations

LISTED = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "zh")  # issue 15's targets, at least
CONFIG = Config(lm=False)


def _examples(code: str) -> dict[str, Any]:
    path = resources.files("mtcheck.langs") / code / "examples.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_every_listed_language_has_a_profile() -> None:
    assert set(LISTED) <= set(langs.known())


@pytest.mark.parametrize("code", langs.known())
def test_a_language_is_one_folder_of_data(code: str) -> None:
    # A folder with profile.yaml is a language: it loads, knows its name, and has examples.
    p = langs.profile(code)
    assert p.code == code and p.tag == code
    assert p.name and p.name != code
    assert p.decimal and p.group is not None and len(p.months) == 12 and len(p.weekdays) == 7
    assert p.decimal != p.group
    ex = _examples(code)
    assert len(ex["good"]) >= 3 and ex["bad"]


@pytest.mark.parametrize("code", langs.known())
def test_correct_text_of_each_language_is_not_flagged(code: str) -> None:
    for text in _examples(code)["good"]:
        found = check_document(text, lang=code, config=CONFIG).findings
        assert found == [], f"{code}: {text!r} flagged: {[(f.code, f.text) for f in found]}"


@pytest.mark.parametrize("code", langs.known())
def test_the_artefacts_of_each_language_are_found(code: str) -> None:
    for case in _examples(code)["bad"]:
        marked = case["text"]
        start = marked.index("{{")
        end = marked.index("}}") - 2
        text = marked.replace("{{", "").replace("}}", "")
        found = {(f.code, f.start, f.end) for f in check_document(text, lang=code, config=CONFIG).findings}
        assert (case["code"], start, end) in found, f"{code}: {marked!r} gave {sorted(found)}"


@pytest.mark.parametrize(
    ("tag", "decimal", "group"),
    [
        ("de", ",", "."),
        ("de-CH", ".", "'"),  # Swiss German keeps "2.5"
        ("de-AT", ",", "."),
        ("es", ",", "\u00a0"),  # the RAE's space, an override of CLDR's point
        ("es-MX", ".", ","),  # Mexico: the decimal point
        ("pt-BR", ",", "."),
        ("pt-PT", ",", "\u00a0"),
        ("fr", ",", "\u00a0"),  # the press's no-break space, an override of CLDR's narrow one
        ("fr-CA", ",", "\u00a0"),
        ("en", ".", ","),
        ("en_GB", ".", ","),
    ],
)
def test_regional_variants_resolve_through_cldr(tag: str, decimal: str, group: str) -> None:
    p = langs.profile(tag)
    assert (p.decimal, p.group) == (decimal, group)


def test_regions_change_quotes_and_names() -> None:
    assert langs.profile("pt-BR").quotes == ("“", "”")
    assert langs.profile("pt-PT").quotes == ("«", "»")
    assert langs.profile("de-CH").quotes == ("«", "»")
    assert langs.profile("de").quotes == ("„", "“")
    assert langs.profile("zh-TW").quotes == ("「", "」")
    assert langs.profile("de-AT").months[0] == "Jänner"
    assert langs.profile("en-GB").name == "English (United Kingdom)"
    assert langs.profile("en-US").name == "English (United States)"


def test_a_region_cldr_does_not_know_falls_back_to_the_language() -> None:
    assert langs.profile("fr-ZZ").decimal == langs.profile("fr").decimal


def test_conventions_the_checks_need() -> None:
    fr, de, en, nl = (langs.profile(c) for c in ("fr", "de", "en", "nl"))
    assert fr.space_before == ":;!?»" and fr.percent_space == "\u00a0"
    assert not fr.months_capitalised and de.months_capitalised and en.weekdays_capitalised
    assert en.nationality_capitalised and nl.nationality_capitalised and not fr.nationality_capitalised
    assert en.headline_case == "title" and fr.headline_case == "sentence"
    assert langs.profile("ru").script == "Cyrl" and langs.profile("zh").script == "Hans"


def test_sentence_splitting_reads_each_languages_abbreviations() -> None:
    assert "bzw" in abbreviations("de") and "mme" in abbreviations("fr")
    assert abbreviations("xx") == abbreviations("en")  # no profile: English's
    # "Mio." before a capitalised noun ends no sentence in German (English's list lacks it).
    doc = "Das Projekt kostet 5 Mio. Euro und wird 2025 fertig. Danach kommt der Rest."
    result = check_document(doc, lang="de", config=CONFIG)
    assert [doc[s.start : s.end].split()[0] for s in result.document.sentences] == ["Das", "Danach"]


def test_unknown_languages_and_bad_tags() -> None:
    with pytest.raises(langs.UnknownLanguage, match="no profile for language 'xx'"):
        langs.profile("xx")
    with pytest.raises(langs.ProfileError, match="not a language tag"):
        langs.profile("German")
    assert langs.name("ar") == "Arabic"  # names come from CLDR, profile or not
    assert langs.name("xx", "?") == "?" and langs.name(None) == "the source language"


GOOD = """
code: xx
script: Latn
quotes: ["“", "”"]
inner_quotes: ["‘", "’"]
nationality_capitalised: true
headline_case: sentence
"""


def test_a_well_formed_profile_parses() -> None:
    assert langs.parse(GOOD, "xx.yaml", "xx")["script"] == "Latn"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "quots: []\n", "unknown key 'quots'"),
        (GOOD.replace("headline_case: sentence\n", ""), "missing key 'headline_case'"),
        (GOOD + "abbreviations: [dr, on]\n", "abbreviations: expected a list of strings"),  # YAML's on = true
        (GOOD.replace('["“", "”"]', '["“"]', 1), "quotes: expected a list of two marks"),
        (GOOD.replace("script: Latn", "script: Latin"), "script 'Latin' is not one of"),
        (GOOD.replace("code: xx", "code: yy"), "code 'yy' in the folder of 'xx'"),
        (GOOD + "regions:\n  CH:\n    months: []\n", "regions.CH: unknown key 'months'"),
        (GOOD + "numbers:\n  decimals: ','\n", "numbers: expected a mapping"),
        ("- a list\n", "expected a mapping of keys"),
        ("code: [\n", "not YAML"),
    ],
)
def test_a_malformed_profile_is_an_error_naming_the_file(text: str, message: str) -> None:
    with pytest.raises(langs.ProfileError, match=message) as e:
        langs.parse(text, "mtcheck/langs/xx/profile.yaml", "xx")
    assert str(e.value).startswith("mtcheck/langs/xx/profile.yaml")


@pytest.mark.parametrize(
    ("lang", "flagged"),
    [("de", ["2.5", "10,000"]), ("de-CH", []), ("de_CH", []), ("de-AT", ["2.5", "10,000"])],
)
def test_a_region_reaches_the_checks_through_the_api(lang: str, flagged: list[str]) -> None:
    # Swiss German writes the decimal point: "2.5" is right there, wrong in Germany.
    text = "Das Wachstum lag bei 2.5 Prozent, mehr als 10,000 Menschen waren betroffen."
    found = check_document(text, lang=lang, config=CONFIG).findings
    assert [f.text for f in found if f.code == "MT401"] == flagged


def test_a_region_reaches_the_checks_through_the_configuration() -> None:
    from mtcheck.config import from_mapping, region_of

    text = "Das Wachstum lag bei 2.5 Prozent."
    assert region_of("de-CH") == "CH" and region_of("es_419") == "419" and region_of("zh-Hant") is None
    assert CONFIG.merged(lang="de-CH").region == "CH" and CONFIG.merged(lang="de-CH").lang == "de"
    assert check_document(text, config=CONFIG.merged(lang="de-CH")).findings == []
    swiss = from_mapping({"lang": "de-CH", "lm": False}, "mtcheck.toml")
    assert (swiss.lang, swiss.region) == ("de", "CH")
    assert check_document(text, config=swiss).findings == []
    assert [f.code for f in check_document(text, config=CONFIG.merged(lang="de")).findings] == ["MT401"]


def test_a_region_reaches_the_checks_from_the_command_line(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from mtcheck.cli import app

    path = tmp_path / "ch.txt"
    path.write_text("Das Wachstum lag bei 2.5 Prozent.\n", encoding="utf-8")
    swiss = CliRunner().invoke(app, ["check", "--no-lm", "--lang", "de-CH", str(path)])
    german = CliRunner().invoke(app, ["check", "--no-lm", "--lang", "de", str(path)])
    assert swiss.exit_code == 0, swiss.output
    assert german.exit_code == 1 and "MT401" in german.output


def test_word_forms_are_spelt_compactly() -> None:
    assert langs.expand("italien(ne)(s)") == {"italien", "italienne", "italiens", "italiennes"}
    assert langs.expand("británic{o,a,os,as} belga(s)") == {
        "británico",
        "británica",
        "británicos",
        "británicas",
        "belga",
        "belgas",
    }
    assert "española" in langs.profile("es").nationality_adjectives
    assert "les" in langs.profile("fr").determiners
