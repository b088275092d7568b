"""Which language a text is in, when the user did not say (lingua, restricted for speed)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from mtcheck.resources import Resources

# Languages we tell apart when guessing, by script: telling apart only the languages that
# write with the text's script keeps the detector's models small and loading fast.
BY_SCRIPT = {
    "LATIN": ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "tr", "cs", "sv"),
    "CYRILLIC": ("ru", "uk", "bg", "sr"),
    "CJK": ("zh", "ja"),
    "HIRAGANA": ("ja", "zh"),
    "KATAKANA": ("ja", "zh"),
    "HANGUL": ("ko", "zh"),
    "ARABIC": ("ar", "fa", "ur"),
    "GREEK": ("el", "en"),
    "HEBREW": ("he", "en"),
}


def main_script(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            try:
                counts[unicodedata.name(ch).split(" ")[0]] += 1
            except ValueError:
                continue
    return counts.most_common(1)[0][0] if counts else None


def by_function_words(tokens: list[str], index: dict[str, tuple[str, ...]]) -> str | None:
    """The language whose most frequent words make up the text, when it is clear-cut.

    Articles are long: the share of "the/of/and" against "le/de/et" or "der/die/und" decides in
    a millisecond what a character-model detector needs a tenth of a second to load for.
    A word common to several languages ("a", "in") counts for each in proportion.
    """
    if len(tokens) < 20:
        return None
    scores: dict[str, float] = {}
    for t in tokens:
        langs = index.get(t, ())
        for lang in langs:
            scores[lang] = scores.get(lang, 0.0) + 1 / len(langs)
    ranked = [*sorted(((v, k) for k, v in scores.items()), reverse=True), (0.0, ""), (0.0, "")]
    (best, lang), (second, _) = ranked[0], ranked[1]
    if best >= 0.15 * len(tokens) and best >= 2 * second:
        return lang
    return None


def detect(text: str, resources: Resources, sample: int = 3000, unlike: str | None = None) -> str | None:
    """ISO 639-1 code of the main language of ``text``, or None when it cannot be told.

    ``unlike``: the source language of a translation. A translation with a sentence or two
    left in its source language can read as that language to the detector; when another
    language is nearly as likely, that one is taken."""
    letters = re.sub(r"[\W\d_]+", " ", text[:sample]).strip()
    if len(letters) < 12:
        return None
    script = main_script(letters)
    if script not in BY_SCRIPT:
        return None
    if script == "LATIN":
        quick = by_function_words(letters.lower().split(), resources.function_word_index(BY_SCRIPT["LATIN"]))
        if quick and quick != unlike:
            return quick
    detector = resources.detector(BY_SCRIPT[script])
    if detector is None:
        return None
    lang = detector.detect_language_of(text[:sample])
    code = lang.iso_code_639_1.name.lower() if lang else None
    if unlike is not None and code == unlike:
        return _runner_up(detector, text[:sample], unlike) or code
    return code


# Confidence the second language needs to be taken instead of the source's: an untranslated
# copy gives it about none; an English article with one French sentence left in, 0.2.
_RUNNER_UP = 0.1


def _runner_up(detector: object, text: str, unlike: str) -> str | None:
    values = detector.compute_language_confidence_values(text)  # type: ignore[attr-defined]
    for v in values:
        code = v.language.iso_code_639_1.name.lower()
        if code != unlike:
            return code if v.value >= _RUNNER_UP else None
    return None
