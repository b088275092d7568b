"""Repetition: a word written twice (MT701) and doubled punctuation (MT702)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Applicability, Example, Finding, Rule, Severity

REPEATED_WORD = Rule(
    code="MT701",
    slug="repeated-word",
    family="repetition",
    summary="Word repeated",
    severity=Severity.MINOR,
    category="Fluency/Grammar",
    explanation="The same word twice in a row is almost always a slip. Doublings that the "
    "grammar allows are left alone (English 'had had', 'that that'; French 'nous nous'; "
    "German 'die die'; Spanish reduplication of adjectives is not flagged twice).",
    examples=(
        Example("They signed {{the the}} treaty.", "the"),
        Example("Ils ont signé {{le le}} traité.", "le", lang="fr"),
        Example("Sie {{haben haben}} den Vertrag unterzeichnet.", "haben", lang="de"),
        Example("Firmaron {{el el}} tratado.", "el", lang="es"),
        Example("Die Frau, die die Zeitung las, lachte.", lang="de"),
        Example("He had had enough, and he knew that that was true."),
        Example("Nous nous sommes vus.", lang="fr"),
        Example("Bora Bora and Baden-Baden are places."),
    ),
)

DOUBLED_PUNCTUATION = Rule(
    code="MT702",
    slug="doubled-punctuation",
    family="repetition",
    summary="Punctuation mark doubled",
    severity=Severity.MINOR,
    category="Fluency/Punctuation",
    examples=(
        Example("They signed the treaty{{,,}} then left.", ","),
        Example("They signed the treaty{{..}}", "."),
        Example("They signed the treaty... then left?! Really."),
        Example("The papers went to the ministers.{{ . . . .}}", ""),
        Example("He paused . . . and went on."),
        # Full-width marks too (Chinese, Japanese): "。。" is no ellipsis ("……" is).
        Example("部长会见了政府代表{{，，}}并签署了协议。", "，", lang="zh"),
        Example("他停顿了一下……然后继续说。", lang="zh"),
    ),
)

# Doublings that grammar allows, per target language.
ALLOWED_DOUBLES: dict[str, frozenset[str]] = {
    "en": frozenset({"had", "that", "is", "do", "bye", "no", "very", "so", "ha", "knock", "bora", "baden"}),
    "fr": frozenset({"nous", "vous", "que", "si", "bora", "baden"}),
    "de": frozenset({"die", "der", "das", "den", "dem", "sie", "bora", "baden"}),
    "es": frozenset({"que", "bora", "baden"}),
    "ru": frozenset({"и", "что", "так"}),
}


def _repeated_words(doc: Document, ctx: Context) -> Iterator[Finding]:
    allowed = ALLOWED_DOUBLES.get(ctx.lang or "en", frozenset())
    words = doc.words
    text = doc.text
    for a, b in pairwise(words):
        if a.text.lower() != b.text.lower() or a.text.lower() in allowed:
            continue
        gap = text[a.end : b.start]
        if gap not in (" ", "\u00a0"):
            continue  # across punctuation or lines it is usually deliberate
        if a.text[0].isupper() and b.text[0].isupper() and a.text != a.text.upper():
            continue  # names such as "Sirhan Sirhan"
        yield REPEATED_WORD.finding(a.start, b.end, f"“{a.text}” is repeated", suggestions=[a.text])


def _doubled_punctuation(doc: Document, ctx: Context) -> Iterator[Finding]:
    for m in re.finditer(r"(?<![.])([,;:.，；：。、])\1(?![.])|([!?])\2{2,}|(?<=([.,;:]))(?: \3){3,}", doc.text):
        if m.group(3):
            # A run of spaced marks after one (". . . . . .", a model repeating itself): one
            # finding, whose fix keeps the first mark. (". . ." alone is a spaced ellipsis.)
            yield DOUBLED_PUNCTUATION.finding(
                m.start(),
                m.end(),
                f"“{m.group(3)}” repeated {m.group().count(m.group(3))} times",
                suggestions=[""],
                applicability=Applicability.UNSAFE,
            )
            continue
        mark = m.group(1) or m.group(2)
        yield DOUBLED_PUNCTUATION.finding(m.start(), m.end(), f"“{mark}” is doubled", suggestions=[mark])


CHECK = Check.of("repetition", (REPEATED_WORD, _repeated_words), (DOUBLED_PUNCTUATION, _doubled_punctuation))
