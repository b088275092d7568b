"""parse(text) -> Document: the plain text that checks read, cut into blocks, sentences and words.

Checks work in plain-text coordinates; the engine maps their spans back into the original text
through ``Document.plain`` (identity for plain-text input).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
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


def abbreviations(lang: str | None) -> frozenset[str]:
    """The target language's abbreviations from its profile (mtcheck/langs), English's for a
    language without one."""
    from mtcheck import langs

    own = langs.abbreviations(lang or "en")
    return own if own is not None else langs.abbreviations("en") or frozenset()


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


# Line breaks of any system: "\n", "\r\n", and the old Mac "\r".
_NL = r"(?:\r\n?|\n)"
# Hard-wrapped text: a line, a line after it, then a blank line.
_WRAPPED = re.compile(rf"\S[ \t]*{_NL}[ \t]*\S[^\r\n]*{_NL}[ \t]*{_NL}")
_BLANK_LINE = re.compile(rf"{_NL}[ \t]*{_NL}\s*")
_LINE_BREAK = re.compile(rf"{_NL}\s*")


class _FirstMark:
    """The kind of the first block mark (heading, item) at an offset in ``[start, end]``, in
    document order: the marks were a dict in insertion order, and the first one inserted
    that falls in the range wins, as it did when the dict was scanned."""

    def __init__(self, marks: dict[int, BlockKind]) -> None:
        self.order = {pos: i for i, pos in enumerate(marks)}
        self.kinds = marks
        self.positions = sorted(marks)

    def __call__(self, start: int, end: int) -> BlockKind:
        lo = bisect.bisect_left(self.positions, start)
        hi = bisect.bisect_right(self.positions, end)
        if lo == hi:
            return "paragraph"
        if hi - lo == 1:
            return self.kinds[self.positions[lo]]
        first = min(self.positions[lo:hi], key=self.order.__getitem__)
        return self.kinds[first]


class Document:
    """The text to check. Heavy views are computed once, on first use."""

    def __init__(
        self, original: str, plain: Plain, fmt: Format, lang: str | None = None, wrapped: bool | None = None
    ) -> None:
        self.original = original
        self.plain = plain
        self.format = fmt
        self.lang = lang
        # A part of a larger document (``part_documents``) keeps the whole's paragraph convention.
        self._wrapped = wrapped

    @property
    def text(self) -> str:
        return self.plain.text

    @property
    def wrapped(self) -> bool:
        """Paragraphs are separated by blank lines (hard-wrapped text, every markup format),
        not by line breaks (a plain-text article's one paragraph per line)."""
        if self._wrapped is None:
            self._wrapped = self.format is not Format.TEXT or bool(_WRAPPED.search(self.text))
        return self._wrapped

    def separator(self) -> re.Pattern[str]:
        """What separates two paragraphs of this document."""
        return _BLANK_LINE if self.wrapped else _LINE_BREAK

    @cached_property
    def blocks(self) -> list[Block]:
        """Paragraphs, headings and list items of the plain text.

        Plain text articles put one paragraph per line; hard-wrapped text separates paragraphs
        with blank lines. Markup formats always use blank lines.
        """
        text = self.text
        # A block is a heading or an item when one of those marks starts inside it; the marks
        # are sorted once and found by bisection (ten thousand list items must not scan ten
        # thousand marks each).
        marks: dict[int, BlockKind] = {}
        for s, _ in self.plain.headings:
            marks[s] = "heading"
        for s, _ in self.plain.structural:
            marks[s] = "item"
        first_mark = _FirstMark(marks)
        out: list[Block] = []
        pos = 0
        for m in [*self.separator().finditer(text), None]:
            end = m.start() if m else len(text)
            chunk = text[pos:end]
            stripped = chunk.strip()
            if stripped:
                s = pos + (len(chunk) - len(chunk.lstrip()))
                e = s + len(stripped)
                out.append(Block(s, e, first_mark(pos, e)))
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


# --- checking a long text in parts -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part(Span):
    """A stretch ``[start, end)`` of a document's plain text checked on its own.
    ``continued``: it starts inside a sentence (one sentence longer than a part was cut)."""

    continued: bool


def parts(doc: Document, size: int) -> Iterator[Part]:
    """``doc``'s plain text cut into parts of at most ``size`` characters (a text that fits is
    one part), each cut at the last paragraph break of the part's second half, else at the
    last sentence break, else at the last space, else anywhere. Every part starts where a
    paragraph or a sentence starts (``continued`` false) unless a sentence longer than half a
    part had to be cut, so each part's blocks and sentences are the whole document's; the
    scan never looks at a character more than twice."""
    text = doc.text
    n = len(text)
    sep = doc.separator()
    start, continued = 0, False
    while n - start > size:
        lo, hi = start + size // 2, start + size
        cut, next_continued = _paragraph_cut(sep, text, lo, hi), False
        if cut is None:
            cut = _sentence_cut(text, start, lo, hi, doc.lang)
        if cut is None:
            cut, next_continued = _space_cut(text, lo, hi), True
        yield Part(start, cut, continued)
        start, continued = cut, next_continued
    if start < n or start == 0:
        yield Part(start, n, continued)


def _paragraph_cut(sep: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """Where the next paragraph starts after the last paragraph break in ``[lo, hi)``. The
    separator's trailing whitespace is greedy, so matched again without an end bound it
    ends where the whole text's separator ends: at the next paragraph's first character."""
    last = None
    for m in sep.finditer(text, lo, hi):
        last = m
    if last is None:
        return None
    full = sep.match(text, last.start())
    return full.end() if full else last.end()


def _sentence_cut(text: str, start: int, lo: int, hi: int, lang: str | None) -> int | None:
    """The start of the last sentence that starts in ``[lo, hi)`` (the paragraph runs past
    ``hi``: the splitter's decisions before ``hi`` are the ones it takes on the whole
    paragraph, as they look at no more than the next word)."""
    spans = split_sentences(text, start, hi, lang)
    starts = [s.start for s in spans[1:] if lo <= s.start < hi]
    return starts[-1] if starts else None


_SPACE_RUN = re.compile(r"\s+")


def _space_cut(text: str, lo: int, hi: int) -> int:
    """After the last run of whitespace in ``[lo, hi)``; at ``hi`` if there is none."""
    last = None
    for m in _SPACE_RUN.finditer(text, lo, hi):
        last = m
    return last.end() if last is not None and last.end() < hi else hi


def part_documents(doc: Document, size: int) -> Iterator[tuple[Part, Document]]:
    """Each part of ``doc`` (see ``parts``) with its document: its plain text (a finding's span
    in it is shifted by ``part.start`` into the whole's plain text, then mapped to the
    original), the whole's format, language and paragraph convention, and the heading, item
    and exempt spans that start in it. Suppression directives stay with the whole: the engine
    applies them once, in the original's offsets."""
    spans = {name: sorted(getattr(doc.plain, name)) for name in _SPAN_FIELDS if hasattr(doc.plain, name)}
    starts = {name: [s for s, _ in values] for name, values in spans.items()}
    for p in parts(doc, size):
        plain = Plain(doc.text[p.start : p.end])
        for name, values in spans.items():
            lo = bisect.bisect_left(starts[name], p.start)
            hi = bisect.bisect_left(starts[name], p.end)
            setattr(plain, name, [(s - p.start, e - p.start) for s, e in values[lo:hi]])
        yield p, Document(plain.text, plain, doc.format, doc.lang, wrapped=doc.wrapped)


# The span lists of ``Plain`` that a part keeps.
_SPAN_FIELDS = ("headings", "structural", "exempt")
