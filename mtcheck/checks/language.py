"""Untranslated text: sentences left in another language (MT601) and runs of a foreign script
(MT602), such as Chinese characters left in an English translation.

A sentence goes to the language detector (lingua) only when most of its words are unknown to
the target language's word list (wordfreq): that keeps the check fast and stops names, numbers
and short fragments from being taken for foreign text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Example, Finding, Rule, Severity

UNTRANSLATED = Rule(
    code="MT601",
    slug="untranslated-text",
    family="language",
    summary="Text left in another language",
    severity=Severity.MAJOR,
    category="Accuracy/Untranslated",
    languages=("en", "fr", "de", "es"),
    explanation="A sentence or long fragment whose words are mostly foreign to the target "
    "language and that a language detector assigns to another language with confidence. "
    "Quotations shorter than a sentence, names and segments under four words are left alone.",
    examples=(
        Example(
            "The minister spoke on Monday. {{Le gouvernement a annoncé une nouvelle loi sur l'immigration mardi.}}",
            None,
            lang="en",
        ),
        Example(
            "Der Minister sprach am Montag. {{The government announced a new immigration law on Tuesday.}}",
            None,
            lang="de",
        ),
        Example("The minister said “c'est la vie” and left the Élysée Palace in Paris.", lang="en"),
        Example("Jean-Yves Le Drian met Vladimir Putin in Moscow.", lang="en"),
    ),
)

FOREIGN_SCRIPT = Rule(
    code="MT602",
    slug="foreign-script",
    family="language",
    summary="Characters of a script the target language does not use",
    severity=Severity.MAJOR,
    category="Accuracy/Untranslated",
    languages=("en", "fr", "de", "es"),
    explanation="Chinese, Cyrillic, Arabic... characters in a Latin-script translation are "
    "usually words the system failed to translate.",
    examples=(
        Example("The {{柬埔寨}} academy announced the winners.", None, lang="en"),
        Example("The company (株式会社) was founded in 1990.", lang="en"),
    ),
)

NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
# Languages the detector chooses between, besides the target and the source.
COMMON = ("en", "fr", "de", "es", "it", "pt", "nl")
_LATIN_TARGETS = frozenset(NAMES)


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "unknown"
    return name.split(" ")[0]


def _foreign_script(doc: Document, ctx: Context) -> Iterator[Finding]:
    if ctx.lang not in _LATIN_TARGETS:
        return
    text = doc.text
    for m in re.finditer(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]+", text):
        run = m.group()
        script = _script(run[0])
        if script in ("LATIN", "unknown") or (len(run) < 2 and script not in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")):
            continue
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if before == "(" and after == ")":
            continue  # an original name given in parentheses on purpose
        yield FOREIGN_SCRIPT.finding(
            m.start(),
            m.end(),
            f"{script.title()} characters in a {NAMES[ctx.lang or 'en']} text",
            applicability=None,
        )


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _untranslated(doc: Document, ctx: Context) -> Iterator[Finding]:
    lang = ctx.lang
    if lang not in NAMES:
        return
    known = ctx.resources.known_words(lang)
    if not known:
        return
    text = doc.text
    candidates = []
    for s in doc.sentences:
        words = [w for w in _WORD.findall(text[s.start : s.end]) if not w[0].isupper()]
        if len(words) < 4:
            continue
        unknown = sum(1 for w in words if w.lower() not in known)
        if unknown / len(words) >= 0.4:
            candidates.append(s)
    if not candidates:
        return
    langs = tuple(dict.fromkeys((lang, *(x for x in (ctx.src_lang,) if x), *COMMON)))
    detector = ctx.resources.detector(langs)
    if detector is None:
        return
    for s in candidates:
        sentence = text[s.start : s.end]
        values = detector.compute_language_confidence_values(sentence)
        if not values:
            continue
        best = values[0]
        code = best.language.iso_code_639_1.name.lower()
        if code == lang or best.value < 0.8:
            continue
        yield UNTRANSLATED.finding(
            s.start,
            s.end,
            f"This sentence looks {best.language.name.title()}, not {NAMES[lang]}",
            applicability=None,
            data={"detected": code, "confidence": round(best.value, 3)},
        )


def run(doc: Document, ctx: Context) -> Iterator[Finding]:
    if ctx.enabled(UNTRANSLATED):
        yield from _untranslated(doc, ctx)
    if ctx.enabled(FOREIGN_SCRIPT):
        yield from _foreign_script(doc, ctx)


CHECK = Check("language", (UNTRANSLATED, FOREIGN_SCRIPT), run)
