"""Spacing around punctuation (MT201-MT205), with the conventions of the target language.

English, German and Spanish put no space before , . ; : ! ? and closing brackets or quotes.
French puts a no-break space before ; : ! ? and inside « » (Lexique des règles typographiques
en usage à l'Imprimerie nationale), and none before , . or closing brackets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Applicability, Example, Finding, Rule, Severity

ALL_LANGS = ("*",)
SPACE = "[ \t\u00a0\u202f]"
NBSP, NNBSP = "\u00a0", "\u202f"

SPACE_BEFORE = Rule(
    code="MT201",
    slug="space-before-punctuation",
    family="spacing",
    summary="Space before punctuation",
    severity=Severity.MINOR,
    category="Fluency/Punctuation",
    explanation="No space goes before a comma, full stop, closing bracket or closing quote "
    "(nor before ; : ! ? except in French, where MT205 applies).",
    examples=(
        Example("They confirmed the accusations{{ .}} Then they left.", "."),
        Example("He said{{ ,}} quietly, that it was over.", ","),
        Example("The figures (from the ministry{{ )}} were revised.", ")"),
        Example("He scored twice (12th and 31st minutes{{ )}}.", ")"),
        Example("Is it over{{ ?}} Nobody knows.", "?", lang="en"),
        Example("And so on … until the end."),
        Example("Il a dit : « Non ! »", lang="fr"),
        Example("Il est parti{{ ,}} sans un mot.", ",", lang="fr"),
        Example("Er ging{{ ,}} ohne ein Wort.", ",", lang="de"),
        Example("¿Por qué se fue{{ ?}} Nadie lo sabe.", "?", lang="es"),
        Example("„Wir kommen“, sagte er.", lang="de"),
        Example("«No lo sé», dijo. ¿Por qué?", lang="es"),
    ),
)

SPACE_AFTER_OPENING = Rule(
    code="MT202",
    slug="space-after-opening-bracket",
    family="spacing",
    summary="Space after an opening bracket or quote",
    severity=Severity.MINOR,
    category="Fluency/Punctuation",
    examples=(
        Example("The figures {{( }}from the ministry) were revised.", "("),
        Example("He said “{{ }}no” twice.", ""),
        Example("The figures (from the ministry) were revised."),
    ),
)

MULTIPLE_SPACES = Rule(
    code="MT203",
    slug="multiple-spaces",
    family="spacing",
    summary="Several spaces between words",
    severity=Severity.MINOR,
    category="Fluency/Punctuation",
    examples=(
        Example("The talks{{   }}resumed on Monday.", " "),
        Example("Die Gespräche{{  }}gingen weiter.", " ", lang="de"),
        Example("The talks resumed on Monday."),
    ),
)

MISSING_SPACE = Rule(
    code="MT204",
    slug="missing-space-after-punctuation",
    family="spacing",
    summary="No space after punctuation",
    severity=Severity.MINOR,
    category="Fluency/Punctuation",
    examples=(
        Example("The talks resumed{{,}}but nothing changed.", ", "),
        Example("The talks resumed on Monday{{.}}Nothing changed.", ". "),
        Example("Las conversaciones siguieron{{,}}sin acuerdo.", ", ", lang="es"),
        Example("It cost 10,000 dollars, see example.com or U.S. data."),
        Example("Visit www.Example.org today."),
    ),
)

FRENCH_SPACING = Rule(
    code="MT205",
    slug="french-punctuation-spacing",
    family="spacing",
    summary="French punctuation needs a no-break space",
    severity=Severity.MINOR,
    category="Locale convention/Punctuation",
    languages=("fr",),
    explanation="French puts a no-break space before ; : ! ? and » and after «. A plain space "
    "lets the mark wrap to the next line; no space at all is an English habit.",
    examples=(
        Example("Il a dit{{:}} non.", NBSP + ":", lang="fr"),
        Example("Vraiment{{!}}", NNBSP + "!", lang="fr"),
        Example("Il a dit {{«}}non\u00a0» hier.", "«" + NBSP, lang="fr"),
        Example("Il a dit\u00a0: «\u00a0non\u00a0» à 10:30, voir https://example.fr.", lang="fr"),
    ),
)

SPANISH_OPENING = Rule(
    code="MT206",
    slug="spanish-opening-mark",
    family="spacing",
    summary="Spanish question or exclamation without its opening mark",
    severity=Severity.MINOR,
    category="Fluency/Punctuation",
    languages=("es",),
    explanation="Spanish opens a question with ¿ and an exclamation with ¡ (Ortografía de la RAE, "
    "3.4.4); translation from English often drops them.",
    examples=(
        Example("{{Cómo}} pudo ocurrir algo así otra vez?", "¿Cómo", lang="es"),
        Example("{{Qué}} desastre!", "¡Qué", lang="es"),
        Example("¿Cómo pudo ocurrir? ¡Qué desastre! Dijo: «¿vienes?»", lang="es"),
    ),
)

# Closing marks that never take a space before them, in every language we know.
_CLOSERS = ",.)]}”"
_TIGHT_EN = ";:!?"  # tight in English, German, Spanish; spaced in French


def _space_before(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    closers = _CLOSERS + ("" if ctx.lang == "fr" else _TIGHT_EN)
    pat = re.compile(rf"(?<=\S)({SPACE}+)([{re.escape(closers)}])(?=[\s\"”’»)\].,;:!?]|$)")
    # Quotation marks opened and closed before the match, counted as the matches move on
    # (counting from the start of the text for each one was quadratic).
    counted, opened = 0, 0
    for m in pat.finditer(text):
        mark = m.group(2)
        if mark == "." and text.startswith("..", m.start(2)):
            continue  # an ellipsis after a space is a style, not an error
        if mark in ".,;:" and text[m.start() - 1] in ".,;:":
            continue  # ". . ." is a spaced ellipsis; a longer run is MT702's, as one finding
        if mark in ")]}" and text[m.start() - 1] in "([{":
            continue  # "( )" is an empty placeholder
        if mark == "”":
            opened += text.count("“", counted, m.start()) - text.count("”", counted, m.start())
            counted = m.start()
            if opened <= 0:
                continue  # not a closing quote of an open quotation
        yield SPACE_BEFORE.finding(m.start(), m.end(), f"Space before “{mark}”", suggestions=[mark])


def _space_after_opening(doc: Document, ctx: Context) -> Iterator[Finding]:
    # German opens with „ and closes with “, so “ is an opener everywhere but there.
    # « is MT205's business in French and MT404's (a foreign mark) in English and German.
    guillemet = "" if ctx.lang in ("fr", "en", "de") else "«"
    openers = "([{" + ("„" if ctx.lang == "de" else "“") + guillemet + ("¿¡" if ctx.lang == "es" else "")
    pat = re.compile(rf"([{re.escape(openers)}])({SPACE}+)(?=[^\W_])")
    for m in pat.finditer(doc.text):
        # Report on the opener and its space together so that the fix reads naturally.
        if m.group(1) in "“„":
            yield SPACE_AFTER_OPENING.finding(m.start(2), m.end(2), "Space after an opening quote", suggestions=[""])
        else:
            yield SPACE_AFTER_OPENING.finding(
                m.start(), m.end(), f"Space after “{m.group(1)}”", suggestions=[m.group(1)]
            )


def _multiple_spaces(doc: Document, ctx: Context) -> Iterator[Finding]:
    for m in re.finditer(r"(?<=\S) {2,}(?=\S)", doc.text):
        yield MULTIPLE_SPACES.finding(m.start(), m.end(), f"{len(m.group())} spaces between words", suggestions=[" "])


_MISSING_AFTER = re.compile(
    r"(?<=[^\W\d_]{2})([,;])(?=[^\W\d_]{2})"  # "resumed,but"
    r"|(?<=[a-zà-ÿ]{2})([.!?])(?=[A-ZÀ-Þ][a-zà-ÿ]{1,}\b)"  # "Monday.Nothing"
)


_TECHNICAL_TOKEN = re.compile(r"[/@:]|www|\.(?:com|org|net|js|py|io)\b", re.I)
_TOKEN_REST = re.compile(r"\S*")
_UP_TO_LAST_SPACE = re.compile(r".*\s", re.S)


def _missing_space(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    # The token around each match (from the whitespace before it to the whitespace after),
    # found by scans that only move forward and judged once: a line of "a;b" without a space
    # has ten thousand marks in one token, and rescanning it for each was quadratic.
    token_start = token_end = 0
    technical = False
    for m in _MISSING_AFTER.finditer(text):
        if m.start() >= token_end:  # a new token: find its ends
            before = _UP_TO_LAST_SPACE.match(text, token_end, m.start())
            token_start = before.end() if before else token_end
            rest = _TOKEN_REST.match(text, m.end())
            token_end = rest.end() if rest else m.end()
            technical = bool(_TECHNICAL_TOKEN.search(text, token_start, token_end))
        if technical:
            continue  # a URL, an address or a file name
        mark = m.group()
        app = Applicability.SAFE if mark in ",;" else Applicability.UNSAFE
        yield MISSING_SPACE.finding(
            m.start(), m.end(), f"No space after “{mark}”", suggestions=[mark + " "], applicability=app
        )


def _french(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    for m in re.finditer(r"(?<=[^\s\d:;!?«(\[\"'/])([;:!?»])", text):
        mark = m.group(1)
        if mark == ":" and re.match(r"//|\d", text[m.end() : m.end() + 2]):
            continue  # URLs and times
        if mark in "!?" and text[m.start() - 1] in "!?":
            continue
        space = NBSP if mark in ":»" else NNBSP
        yield FRENCH_SPACING.finding(
            m.start(), m.end(), f"No-break space missing before “{mark}”", suggestions=[space + mark]
        )
    for m in re.finditer(r"( )([;:!?»])", text):
        space = NBSP if m.group(2) in ":»" else NNBSP
        yield FRENCH_SPACING.finding(
            m.start(),
            m.end(),
            f"Use a no-break space before “{m.group(2)}”",
            suggestions=[space + m.group(2)],
            applicability=Applicability.UNSAFE,
        )
    for m in re.finditer(r"«( ?)(?=\w)", text):
        yield FRENCH_SPACING.finding(
            m.start(),
            m.end(),
            "No-break space missing after “«”",
            suggestions=["«" + NBSP],
            applicability=Applicability.SAFE if not m.group(1) else Applicability.UNSAFE,
        )


def _spanish_opening(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    for s in doc.sentences:
        sentence = text[s.start : s.end].rstrip()
        close = sentence.rstrip('"”’»)').rstrip()[-1:]
        opener = {"?": "¿", "!": "¡"}.get(close)
        if opener is None or opener in sentence:
            continue
        m = re.compile(r"[^\W\d_]+").search(text, s.start, s.end)
        if m:
            yield SPANISH_OPENING.finding(
                m.start(), m.end(), f"Missing opening “{opener}”", suggestions=[opener + m.group()]
            )


CHECK = Check.of(
    "spacing",
    (SPACE_BEFORE, _space_before),
    (SPACE_AFTER_OPENING, _space_after_opening),
    (MULTIPLE_SPACES, _multiple_spaces),
    (MISSING_SPACE, _missing_space),
    (FRENCH_SPACING, _french),
    (SPANISH_OPENING, _spanish_opening),
)
