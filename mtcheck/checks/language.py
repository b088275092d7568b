"""Untranslated text: sentences left in another language (MT601) and runs of a foreign script
(MT602), such as Chinese characters left in an English translation.

A sentence goes to the language detector (lingua) only when most of its words are unknown to
the target language's word list (wordfreq): that keeps the check fast and stops names, numbers
and short fragments from being taken for foreign text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from mtcheck import langs
from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Example, Finding, Rule, Severity
from mtcheck.resources import Resources

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
            "Le ministre a parlé lundi. {{The government announced a new immigration law on Tuesday.}}",
            None,
            lang="fr",
        ),
        Example(
            "El ministro habló el lunes. {{Die Regierung hat am Dienstag ein neues Gesetz angekündigt.}}",
            None,
            lang="es",
        ),
        Example("El ministro habló el lunes con la prensa sobre la nueva ley de inmigración.", lang="es"),
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
        Example("Die {{Академия}} gab die Gewinner bekannt.", None, lang="de"),
        Example("The company (株式会社) was founded in 1990.", lang="en"),
    ),
)

# The targets these checks were written and measured for (their examples, the foreign-script
# allowances); the names in messages come from the language profiles (mtcheck/langs).
_LATIN_TARGETS = frozenset({"en", "fr", "de", "es"})


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
            f"{script.title()} characters in a {langs.name(ctx.lang or 'en')} text",
            applicability=None,
        )


# Latin-script languages whose most frequent words (wordfreq) betray a sentence left in them.
PROFILE_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl", "ro", "ca", "cs", "da", "fi", "hu", "nb", "pl", "sv", "tr")


def _other_function_words(words: list[str], index: dict[str, tuple[str, ...]], lang: str) -> bool:
    """More of another language's commonest words than of the target's: German wordfreq
    knows "the" and "report", but an English sentence still uses more English function words."""
    # Count only words that the target does not share: French "a" and "on" say nothing
    # against English, "the" and "new" do.
    counts: Counter[str] = Counter()
    mine = 0
    for w in words:
        langs = index.get(w.lower(), ())
        if lang in langs:
            mine += len(langs) == 1
        else:
            counts.update(langs)
    best = max(counts.values(), default=0)
    return best >= 2 and best > 2 * mine


# Bounded, and stopped by the next opening mark of the same kind: an unclosed quote must
# not make every later quote mark rescan the sentence ("„„„„..." scanned 2,000 characters
# from each mark: linear, but a thousand times the text).
_QUOTED = re.compile(
    r"“[^“”]{0,2000}”|\"[^\"]{0,2000}\"|«[^«»]{0,2000}»|„[^„“”]{0,2000}[“”]|‘[^‘’]{0,500}’(?!\w)|»[^»«]{0,2000}«"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _untranslated(doc: Document, ctx: Context) -> Iterator[Finding]:
    lang = ctx.lang
    if lang not in _LATIN_TARGETS:
        return
    known = ctx.resources.known_words(lang)
    if not known:
        return
    text = doc.text
    candidates = []
    index = ctx.resources.function_word_index(PROFILE_LANGS)
    for s in doc.sentences:
        # Quotations may stay in their language ("Feds Go Home" in a German report).
        tokens = _WORD.findall(_QUOTED.sub(" ", text[s.start : s.end]))
        words = [w for w in tokens if not w[0].isupper()]  # capitals are names, mostly
        if len(words) < 4:
            continue
        unknown = sum(1 for w in words if w.lower() not in known)
        # Names are unknown words too ("friedrich merz"): unknown words alone must be the
        # majority; another language's function words are evidence enough.
        if unknown / len(words) >= 0.6 or _other_function_words(tokens, index, lang):
            candidates.append(s)
    for s in candidates:
        verdict = foreign_language(_QUOTED.sub(" ", text[s.start : s.end]), lang, ctx.resources)
        if verdict is None:
            continue
        code, name, confidence = verdict
        yield UNTRANSLATED.finding(
            s.start,
            s.end,
            f"This sentence looks {name}, not {langs.name(lang)}",
            applicability=None,
            data={"detected": code, "confidence": round(confidence, 3)},
        )


def foreign_language(sentence: str, target: str, resources: Resources) -> tuple[str, str, float] | None:
    """(code, name, confidence) of the language of ``sentence`` when it is confidently not
    ``target``; None when it is the target or too close to call.

    bench/langid.py measures this verdict against langdetect on real segments.
    """
    values = resources.latin_detector().compute_language_confidence_values(sentence)
    if not values:
        return None
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    p_target = next((v.value for v in values if v.language.iso_code_639_1.name.lower() == target), 0.0)
    if code == target or best.value < 0.5 or p_target >= 0.1:
        return None
    return code, best.language.name.title(), best.value


CHECK = Check.of("language", (UNTRANSLATED, _untranslated), (FOREIGN_SCRIPT, _foreign_script))
