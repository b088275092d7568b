"""parse(text) -> Document: the plain text that checks read, cut into blocks, sentences and words.

Checks work in plain-text coordinates; the engine maps their spans back into the original text
through ``Document.plain`` (identity for plain-text input).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from mtcheck.markup import OPAQUE, Format, Plain, sniff_format, to_plain

BlockKind = Literal["paragraph", "heading", "item"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block(Span):
    kind: BlockKind


@dataclass(frozen=True, slots=True)
class Word(Span):
    text: str


# Letters, with inner hyphens ("North-Korean") but not apostrophes, so "Kyiv’s" gives "Kyiv".
WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|-(?=[^\W\d_]))*")
# Matches start only at the first mark of a run, and take the run whole: a line of ten
# thousand dots must not be rescanned from each of them.
_TERMINATOR = re.compile(r"(?<![.!?])(?:[.!?]++|…)[\"”’»)\]]*(?=\s)")

# Abbreviations that end in a period and usually do not end a sentence. Per target language.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "mr",
            "mrs",
            "ms",
            "dr",
            "prof",
            "st",
            "jr",
            "sr",
            "gen",
            "col",
            "lt",
            "sgt",
            "capt",
            "gov",
            "sen",
            "rep",
            "rev",
            "hon",
            "messrs",
            "mt",
            "ft",
            "inc",
            "ltd",
            "co",
            "corp",
            "bros",
            "dept",
            "univ",
            "est",
            "approx",
            "vs",
            "etc",
            "al",
            "ie",
            "eg",
            "cf",
            "fig",
            "no",
            "nos",
            "vol",
            "pp",
            "ed",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
            "mon",
            "tue",
            "tues",
            "wed",
            "thu",
            "thurs",
            "fri",
            "sat",
            "sun",
            "am",
            "pm",
        ]
    ),
    "fr": frozenset(
        [
            "m",
            "mm",
            "mme",
            "mmes",
            "mlle",
            "dr",
            "pr",
            "st",
            "ste",
            "etc",
            "cf",
            "av",
            "apr",
            "env",
            "ex",
            "n°",
            "no",
            "vol",
            "p",
            "pp",
            "éd",
        ]
    ),
    "de": frozenset(
        [
            "dr",
            "prof",
            "hr",
            "fr",
            "nr",
            "bzw",
            "ca",
            "usw",
            "vgl",
            "evtl",
            "ggf",
            "inkl",
            "zb",
            "bzgl",
            "sog",
            "dt",
            "engl",
            "jh",
            "mio",
            "mrd",
            "str",
            "tel",
            "abs",
            "ff",
            "s",
            "u.a",
            "z.b",
            "d.h",
        ]
    ),
    "es": frozenset(
        [
            "sr",
            "sra",
            "srta",
            "dr",
            "dra",
            "d",
            "dña",
            "ud",
            "uds",
            "etc",
            "pág",
            "núm",
            "av",
            "avda",
            "ee.uu",
            "p.ej",
            "aprox",
        ]
    ),
}


def abbreviations(lang: str | None) -> frozenset[str]:
    return ABBREVIATIONS.get(lang or "en", ABBREVIATIONS["en"])


def is_abbreviation(token: str, lang: str | None) -> bool:
    """``token`` is the word right before a period, without the period."""
    low = token.lower()
    if low in abbreviations(lang):
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "J. Smith", "Lyndon B. Johnson"
    # "U.S", "e.g", "a.m", "Ph.D"; not a domain name ending a sentence ("… at bund.de.").
    return "." in token and all(len(part) <= 3 for part in token.split("."))


# Month names after which "14." is a German ordinal date ("am 14. März"), not a sentence end.
_DE_MONTHS = frozenset(
    "januar jänner februar märz april mai juni juli august september oktober november dezember".split()
)


class Document:
    """The text to check. Heavy views are computed once, on first use."""

    def __init__(self, original: str, plain: Plain, fmt: Format, lang: str | None = None) -> None:
        self.original = original
        self.plain = plain
        self.format = fmt
        self.lang = lang

    @property
    def text(self) -> str:
        return self.plain.text

    @cached_property
    def blocks(self) -> list[Block]:
        """Paragraphs, headings and list items of the plain text.

        Plain text articles put one paragraph per line; hard-wrapped text separates paragraphs
        with blank lines. Markup formats always use blank lines.
        """
        text = self.text
        # Line breaks of any system: "\n", "\r\n", and the old Mac "\r".
        nl = r"(?:\r\n?|\n)"
        wrapped = self.format is not Format.TEXT or bool(
            re.search(rf"\S[ \t]*{nl}[ \t]*\S[^\r\n]*{nl}[ \t]*{nl}", text)
        )
        sep = re.compile(rf"{nl}[ \t]*{nl}\s*" if wrapped else rf"{nl}\s*")
        marks: dict[int, BlockKind] = {}
        for s, _ in self.plain.headings:
            marks[s] = "heading"
        for s, _ in self.plain.structural:
            marks[s] = "item"
        out: list[Block] = []
        pos = 0
        for m in [*sep.finditer(text), None]:
            end = m.start() if m else len(text)
            chunk = text[pos:end]
            stripped = chunk.strip()
            if stripped:
                s = pos + (len(chunk) - len(chunk.lstrip()))
                e = s + len(stripped)
                kind: BlockKind = next((k for ms, k in marks.items() if pos <= ms <= e), "paragraph")
                out.append(Block(s, e, kind))
            if m:
                pos = m.end()
        return out

    @cached_property
    def words(self) -> list[Word]:
        return [Word(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(self.text)]

    @cached_property
    def sentences(self) -> list[Span]:
        out: list[Span] = []
        for block in self.blocks:
            out.extend(split_sentences(self.text, block.start, block.end, self.lang))
        return out


class LineIndex:
    """1-based line and column of offsets into one text, by binary search over line starts
    (a huge file with many findings must not be rescanned for every finding)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\r\n|\r|\n", text)]

    def __call__(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, pos)
        return line, pos - self.starts[line - 1] + 1


def _word_before(text: str, pos: int) -> str:
    """The token (letters and inner periods) that ends at ``pos``."""
    m = re.search(r"[\w.]*$", text[max(0, pos - 40) : pos])
    return m.group().strip(".") if m else ""


def _next_word(text: str, pos: int) -> str:
    m = re.compile(r"\w+").match(text, pos)
    return m.group().lower() if m else ""


def split_sentences(text: str, start: int, end: int, lang: str | None) -> list[Span]:
    """Sentence spans inside ``text[start:end]``.

    A boundary is sentence punctuation, then optional closing quotes and brackets, then space,
    before a capital, a digit, an opening mark or a Chinese or Japanese character (no case).
    A period after an abbreviation or an initial is not a boundary; a lowercase next word is a
    boundary only after a period (so that "?" inside dialogue, "he asked", stays one sentence).
    """
    out: list[Span] = []
    s = start
    for m in _TERMINATOR.finditer(text, start, end):
        nxt = re.compile(r"\s+").match(text, m.end())
        n = nxt.end() if nxt else m.end()
        if n >= end:
            break
        punct = m.group()
        ch = text[n]
        if punct[0] == "." and is_abbreviation(_word_before(text, m.start()), lang):
            continue
        if ch.islower():
            if punct.rstrip('"”’»)]') != "." or punct != punct.rstrip('"”’»)]'):
                continue
            if text[m.start() - 1 : m.start()].isdigit():
                continue  # an ordinal ("am 9. und 10. August") or a numbered item
        elif not (ch.isupper() or ch.isdigit() or ch in '"“‘«»„‚(¿¡[' or ch == OPAQUE or "\u3040" <= ch <= "\u9fff"):
            continue
        if punct == "." and text[m.start() - 1 : m.start()].isdigit() and _next_word(text, n) in _DE_MONTHS:
            continue
        out.append(Span(s, m.end()))
        s = n
    if s < end:
        out.append(Span(s, end))
    return out


def parse(text: str, lang: str | None = None, fmt: Format | None = None, filename: str | None = None) -> Document:
    fmt = fmt or sniff_format(text, filename)
    return Document(text, to_plain(text, fmt), fmt, lang)
