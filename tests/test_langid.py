"""Language identification of short texts: headlines, captions and first sentences, which a
CMS sends without a language. A wrong guess silently skips the right rules, so each case is
a text of 3 to 12 words with the artefacts MT leaves (lowercase names, spaced punctuation)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mtcheck.api import check_document, default_resources
from mtcheck.config import Config
from mtcheck.langid import guess

SHORT = {
    "en": [
        "They met in kyiv .",
        "The minister met officials in kyiv on Monday .",
        "Floods cut off villages in the north",
        "Police arrest two men after stabbing in leeds",
        "Shares fell sharply on Tuesday , traders said .",
        "Talks with beijing resume next week",
        "A new museum opens its doors",
        "Prices rose again in march",
        "Ministers clash over budget plans",
        "Firefighters battle blaze near athens",
    ],
    "fr": [
        "Ils se sont rencontrés à kiev .",
        "Le ministre a rencontré des responsables lundi",
        "Les prix ont encore augmenté en mars",
        "Inondations : des villages coupés du monde",
        "La police arrête deux hommes après une agression",
        "Le gouvernement annonce de nouvelles mesures",
        "Un nouveau musée ouvre ses portes",
        "Les négociations reprendront la semaine prochaine",
        "Grève dans les transports ce jeudi",
        "Le président reçoit son homologue allemand",
    ],
    "de": [
        "Sie trafen sich am Montag in kiew .",
        "Der Minister traf Beamte in der Hauptstadt",
        "Die Preise sind im März wieder gestiegen",
        "Hochwasser schneidet Dörfer im Norden ab",
        "Polizei nimmt zwei Männer nach Messerangriff fest",
        "Neues Museum öffnet seine Türen",
        "Die Gespräche werden nächste Woche fortgesetzt",
        "Streik im Nahverkehr am Donnerstag",
        "Regierung kündigt neue Maßnahmen an",
        "Feuerwehr kämpft gegen Brand bei Athen",
    ],
    "es": [
        "Se reunieron en kiev el lunes .",
        "El ministro se reunió con funcionarios",
        "Los precios volvieron a subir en marzo",
        "Inundaciones aíslan pueblos en el norte",
        "La policía detiene a dos hombres tras un apuñalamiento",
        "Un nuevo museo abre sus puertas",
        "Las negociaciones se reanudarán la próxima semana",
        "Huelga en el transporte este jueves",
        "El gobierno anuncia nuevas medidas",
        "Los bomberos combaten un incendio cerca de atenas",
    ],
    "ru": ["Министр встретился с чиновниками в понедельник", "Цены снова выросли в марте"],
    "zh": ["俄罗斯总统普京访问北京", "股市周二大幅下跌"],
    "ja": ["東京で新しい美術館がオープンしました", "株価は火曜日に大きく下がった"],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, texts in SHORT.items() for t in texts])
def test_short_news_texts(lang: str, text: str) -> None:
    found = guess(text, default_resources())
    assert found.lang == lang, text
    assert found.sure, text


@pytest.mark.parametrize("text", ["OK", "12345", "…", ""])
def test_no_letters_is_no_guess(text: str) -> None:
    assert guess(text, default_resources()).lang is None


def test_a_lone_name_is_not_sure_and_prefers_a_language_with_rules() -> None:
    res = default_resources()
    alone = guess("Brexit", res)
    assert not alone.sure
    preferred = guess("Brexit", res, prefer=frozenset({"en", "fr", "de", "es"}))
    assert preferred.lang in {"en", "fr", "de", "es"} and not preferred.sure


def test_chinese_with_a_latin_brand_name_is_chinese() -> None:
    # Latin letters outnumber the Chinese characters, which carry more each.
    assert guess("EverGrow 和柴犬币大不相同。", default_resources()).lang == "zh"


def test_check_without_language_runs_the_rules_of_the_detected_one() -> None:
    cfg = Config(lm=False)
    for text, lang, code in [
        ("Police arrest two men in leeds .", "en", "MT101"),
        ("Le ministre est arrivé lundi matin .", "fr", "MT201"),
        ("Der Minister traf Beamte in Paris .", "de", "MT201"),
    ]:
        res = check_document(text, config=cfg)
        assert res.lang == lang and code in {f.code for f in res.findings}, (text, res.lang, res.findings)
        assert not res.notes, res.notes


def test_unsure_detection_says_so_in_a_note() -> None:
    res = check_document("Brexit", config=Config(lm=False))
    assert res.notes and "not surely" in res.notes[0]
    none = check_document("12 345", config=Config(lm=False))
    assert none.lang is None and "could not tell" in none.notes[0]
    # A language the caller gave is not second-guessed.
    assert not check_document("Brexit", lang="en", config=Config(lm=False)).notes


def test_cli_prints_the_note_and_still_checks() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", "check", "-", "--no-lm"],
        input="Brexit",
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "mtcheck: note:" in out.stderr and "not surely" in out.stderr
