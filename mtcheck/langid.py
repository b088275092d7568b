"""Which language a text is in, when the user did not say (lingua, restricted for speed)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from mtcheck.resources import Resources, WordProfile

# Languages we tell apart when guessing, by script: telling apart only the languages that
# write with the text's script keeps the detector's models small and loading fast (25 Latin
# languages: 0.2 s and 12 MB). A language left out is read as its nearest neighbour, surely:
# Croatian headlines read as Czech until Croatian was a candidate. Every Latin candidate has
# a wordfreq list (``Resources.word_profile``), which short texts need.
BY_SCRIPT = {
    "LATIN": (
        "en",
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "pl",
        "tr",
        "cs",
        "sv",
        "ro",
        "hu",
        "fi",
        "da",
        "nb",
        "sk",
        "sl",
        "hr",
        "ca",
        "lt",
        "lv",
        "is",
        "id",
    ),
    "CYRILLIC": ("ru", "uk", "bg", "sr", "mk"),
    "DEVANAGARI": ("hi", "mr", "ne"),
    "CJK": ("zh", "ja"),
    "HIRAGANA": ("ja", "zh"),
    "KATAKANA": ("ja", "zh"),
    "HANGUL": ("ko", "zh"),
    "ARABIC": ("ar", "fa", "ur"),
    "GREEK": ("el", "en"),
    "HEBREW": ("he", "en"),
}


# Kana is Japanese and Hangul Korean; Chinese characters alone are Chinese (a Japanese text
# without kana is a rarity), which a character-model detector cannot improve on for a
# six-character headline.
_IDEOGRAPHIC = frozenset(["CJK", "HIRAGANA", "KATAKANA", "HANGUL"])


def main_script(text: str) -> str | None:
    """The script most of the text is written in. A Chinese character or a kana counts for
    three letters, about what it says: "EverGrow 和柴犬币大不相同" is Chinese."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            try:
                script = unicodedata.name(ch).split(" ")[0]
            except ValueError:
                continue
            counts[script] += 3 if script in _IDEOGRAPHIC else 1
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


@dataclass(frozen=True)
class Guess:
    """A detected language, and whether the evidence was clear (a headline of four words
    may read as two languages; then a caller says so rather than trusting it silently)."""

    lang: str | None
    sure: bool


def detect(text: str, resources: Resources, sample: int = 3000, unlike: str | None = None) -> str | None:
    """ISO 639-1 code of the main language of ``text``, or None when it cannot be told (see
    ``guess``)."""
    return guess(text, resources, sample, unlike).lang


def guess(
    text: str,
    resources: Resources,
    sample: int = 3000,
    unlike: str | None = None,
    prefer: frozenset[str] = frozenset(),
) -> Guess:
    """The main language of ``text`` and whether it is clear.

    ``unlike``: the source language of a translation. A translation with a sentence or two
    left in its source language can read as that language to the detector; when another
    language is nearly as likely, that one is taken. ``prefer``: languages to take when the
    evidence is not clear and one of them is about as likely as the best ("Brexit" alone
    reads as Finnish as well as English; a checker with English rules takes English)."""
    head = text[:sample]
    letters = re.sub(r"[\W\d_]+", " ", head).strip()
    script = main_script(letters)
    if script in _IDEOGRAPHIC:
        return _by_characters(letters)
    if len(letters) < 3 or script not in BY_SCRIPT:
        return Guess(None, False)
    langs = BY_SCRIPT[script]
    if script == "LATIN":
        quick = by_function_words(letters.lower().split(), resources.function_word_index(langs))
        if quick and quick != unlike:
            return Guess(quick, True)
    words = _word_scores(_WORD.findall(head.lower())[:_WORDS_READ], resources.word_profile(langs))
    ranked = sorted(words, key=words.__getitem__, reverse=True)
    if len(ranked) > 1 and words[ranked[0]] - words[ranked[1]] >= _DETECTOR_SPAN + SURE_MARGIN and ranked[0] != unlike:
        # The detector's term cannot change the order, nor make the guess unsure: no need to
        # load it (a third of a second), which is so for most texts.
        return Guess(ranked[0], True)
    detector = resources.detector(langs)
    if detector is None:
        return Guess(None, False)
    scores = _scores(head, langs, detector, words)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    code, sure = ranked[0], scores[ranked[0]] - scores[ranked[1]] >= SURE_MARGIN
    if not sure and code not in prefer:
        close = [c for c in ranked if c in prefer and scores[ranked[0]] - scores[c] < SURE_MARGIN]
        code = close[0] if close else code
    if unlike is not None and code == unlike:
        return Guess(_runner_up(detector, head, unlike) or code, sure)
    return Guess(code, sure)


def _by_characters(letters: str) -> Guess:
    counts = Counter(unicodedata.name(ch, "?").split(" ")[0] for ch in letters if ch.isalpha())
    han = counts["CJK"]
    if counts["HIRAGANA"] + counts["KATAKANA"]:
        return Guess("ja", counts["HIRAGANA"] + counts["KATAKANA"] + han >= 4)
    if counts["HANGUL"]:
        return Guess("ko", counts["HANGUL"] >= 4)
    return Guess("zh", han >= 4)


# Short texts (headlines, captions, first sentences) are where a character-n-gram detector
# errs ("They met in kyiv ." read as Polish): each candidate language's score adds the log
# frequency of the text's words in that language to the log of the detector's confidence.
# The word half knows "met" and "officials" are English; the character half knows the
# words no list has. An unlisted word costs a floor frequency of 1e-7 in every language.
# Both settings, and the margin below, were set on two thirds of the documents of
# bench/langid_short.py and measured on the rest.
_FLOOR = math.log(1e-7)
_CONFIDENCE_FLOOR = 1e-4
# The most the detector's term can differ between two languages: log(1 + floor) - log(floor).
_DETECTOR_SPAN = math.log1p(_CONFIDENCE_FLOOR) - math.log(_CONFIDENCE_FLOOR)
_WORDS_READ = 300  # enough for any headline; an article is decided by its function words
# Natural-log points between the best and the second language below which a guess is not
# sure: on the tuning documents, 1.1% of the right guesses and 9 of the 13 wrong ones.
SURE_MARGIN = 4.0

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _scores(text: str, langs: tuple[str, ...], detector: object, words: dict[str, float]) -> dict[str, float]:
    # The detector lists every language it was built with (lingua lacks a few codes).
    confidence = {
        v.language.iso_code_639_1.name.lower(): v.value
        for v in detector.compute_language_confidence_values(text)  # type: ignore[attr-defined]
    }
    return {
        lang: math.log(confidence[lang] + _CONFIDENCE_FLOOR) + words.get(lang, 0.0)
        for lang in langs
        if lang in confidence
    } or {"": 0.0}


def _word_scores(words: list[str], profile: WordProfile) -> dict[str, float]:
    """Each language's sum of its words' log frequencies. A language with no word list gets
    the others' mean: words then neither help nor harm it, and the detector decides."""
    totals = dict.fromkeys(profile.listed, 0.0)
    for word in words:
        row = profile.row(word)
        for i, lang in enumerate(profile.langs):
            if lang in totals:
                f = profile.log_frequency(row[i]) if row is not None else None
                totals[lang] += _FLOOR if f is None else max(f, _FLOOR)
    mean = sum(totals.values()) / len(totals) if totals else 0.0
    return {lang: totals.get(lang, mean) for lang in profile.langs}


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
