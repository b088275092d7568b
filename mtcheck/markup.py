"""Turn HTML or Markdown into the plain text that checks read, keeping a map back to the file.

Markup is never checked: tags, code, URLs and comments are removed, block boundaries become
blank lines, and every character of the plain text remembers where it came from, so a finding's
span points into the original file. Inline suppression comments are collected on the way.

Every pass here is linear in the input, whatever the input: text from users and from the
service goes through it, and one quadratic pattern is enough to hold a worker for minutes.
HTML is read by a tokenizer written after the HTML standard's (`str.find` scans that never
look at a position twice), Markdown by markdown-it-py (CommonMark and GFM tables), whose block
tokens say which source lines are what and whose inline tokens are located in the source as
they are made.
"""

from __future__ import annotations

import bisect
import html
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # markdown-it loads only when a Markdown text is parsed
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Stands in for code and URLs: one non-letter, non-space character, so that "run `ls` now"
# reads as three tokens and spacing rules see no hole.
OPAQUE = "\ufffc"


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline suppression comment: ``mtcheck-ignore`` (next block) or a disable/enable range."""

    codes: tuple[str, ...]  # empty means every code
    start: int  # the comment's span in the original text
    end: int
    scope_start: int  # what it covers, in the original text
    scope_end: int


class OffsetMap:
    """Where each character of a plain text came from in the original, kept as runs (a few
    bytes per tag or text run, not per character): in a verbatim run, character k of the run
    came from ``[origin + k, origin + k + 1)``; in a replaced run, every character stands
    for the whole markup span ``[origin, end)``."""

    __slots__ = ("at", "end", "length", "origin")

    VERBATIM = -1  # ``end`` of a verbatim run

    def __init__(self) -> None:
        # Four bytes an offset ("i"): a text of more than 2**31 characters is no article.
        self.at = array("i")  # where each run starts in the plain text
        self.origin = array("i")
        self.end = array("i")
        self.length = 0  # of the plain text

    def verbatim(self, start: int, end: int) -> None:
        n = len(self.at)
        if n and self.end[n - 1] == self.VERBATIM and self.origin[n - 1] + (self.length - self.at[n - 1]) == start:
            self.length += end - start  # the previous run goes on
            return
        self._run(start, self.VERBATIM, end - start)

    def replaced(self, start: int, end: int, length: int) -> None:
        self._run(start, end, length)

    def _run(self, origin: int, end: int, length: int) -> None:
        self.at.append(self.length)
        self.origin.append(origin)
        self.end.append(end)
        self.length += length

    def span(self, i: int) -> tuple[int, int]:
        """The original span plain character ``i`` came from."""
        r = bisect.bisect_right(self.at, i) - 1
        if self.end[r] == self.VERBATIM:
            o = self.origin[r] + i - self.at[r]
            return o, o + 1
        return self.origin[r], self.end[r]

    def runs(self) -> Iterator[tuple[int, int, int, int, bool]]:
        """(plain start, plain end, original start, original end, verbatim) of each run."""
        for r in range(len(self.at)):
            stop = self.at[r + 1] if r + 1 < len(self.at) else self.length
            verbatim = self.end[r] == self.VERBATIM
            end = self.origin[r] + stop - self.at[r] if verbatim else self.end[r]
            yield self.at[r], stop, self.origin[r], end, verbatim


@dataclass(slots=True)
class Plain:
    """Plain text plus, per plain character, the original span it came from."""

    text: str
    origin: OffsetMap | None = None  # None: identical to the original
    headings: list[tuple[int, int]] = field(default_factory=list)  # plain spans of heading blocks
    structural: list[tuple[int, int]] = field(default_factory=list)  # list items, table cells
    directives: list[Directive] = field(default_factory=list)
    # Plain spans laid out by the author's own markup (block quotes; HTML blocks in Markdown):
    # whatever short lines they hold are meant, so layout rules never call them stray.
    exempt: list[tuple[int, int]] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        if not self.text:
            return 0, 0
        if start >= len(self.text):
            pos = self.origin.span(len(self.text) - 1)[1]
            return pos, pos
        o_start = self.origin.span(start)[0]
        o_end = self.origin.span(end - 1)[1] if end > start else o_start
        return o_start, o_end


class _Builder:
    """Accumulates plain text piece by piece with its origin, and the spans of its blocks."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.origin = OffsetMap()
        self.length = 0
        self.headings: list[tuple[int, int]] = []
        self.structural: list[tuple[int, int]] = []
        self.exempt: list[tuple[int, int]] = []
        self.comments: list[tuple[int, int, str]] = []  # span in the original, and the body

    def verbatim(self, start: int, end: int) -> None:
        if end <= start:
            return
        self.parts.append(self.source[start:end])
        self.origin.verbatim(start, end)
        self.length += end - start

    def replaced(self, start: int, end: int, text: str) -> None:
        """``text`` stands for the markup at ``[start, end)``."""
        if not text:
            return
        self.parts.append(text)
        self.origin.replaced(start, end, len(text))
        self.length += len(text)

    def build(self) -> Plain:
        plain = Plain("".join(self.parts), self.origin, self.headings, self.structural)
        plain.exempt = self.exempt
        plain.directives = collect_directives(self.source, self.comments)
        return plain


class _Finder:
    """The next occurrence of a needle at or after a position, remembered: a scan that moves
    forward never searches the same stretch twice, and a needle found missing is never
    looked for again (``'<a ' * n`` must not rescan the rest of the text for each ``<``)."""

    def __init__(self, text: str, end: int) -> None:
        self.text = text
        self.end = end
        self.hits: dict[str, int] = {}

    def __call__(self, needle: str, pos: int) -> int:
        hit = self.hits.get(needle)
        if hit is None or (hit != -1 and hit < pos):
            hit = self.hits[needle] = self.text.find(needle, pos, self.end)
        return hit


# --- Suppression comments -------------------------------------------------------------------

_DIRECTIVE_KINDS = ("ignore", "disable", "enable")
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789, ")


def _directive(body: str) -> tuple[str, tuple[str, ...]] | None:
    """``mtcheck-ignore MT101, MT2`` -> ("ignore", ("MT101", "MT2")); None for other comments.

    String operations, not a pattern: a lazy code list before ``\\s*$`` backtracks over a
    comment full of spaces once per space."""
    body = body.strip()
    if not body.startswith("mtcheck-"):
        return None
    rest = body[len("mtcheck-") :]
    kind = next((k for k in _DIRECTIVE_KINDS if rest.startswith(k)), None)
    if kind is None:
        return None
    rest = rest[len(kind) :]
    if rest[:1].isalnum() or rest[:1] == "_":
        return None  # "mtcheck-ignored": another word
    i = 0
    while i < len(rest) and (rest[i].isspace() or rest[i] == ":"):
        i += 1
    codes = rest[i:]
    if not set(codes) <= _CODE_CHARS:
        return None
    return kind, tuple(c.upper() for c in re.split(r"[\s,]+", codes) if c)


def _comments(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Every ``<!-- ... -->`` of ``text[start:end]``, an unclosed one running to the end."""
    end = len(text) if end is None else end
    out: list[tuple[int, int, str]] = []
    pos = text.find("<!--", start, end)
    while pos != -1:
        close = text.find("-->", pos + 4, end)
        stop = end if close == -1 else close + 3
        out.append((pos, stop, text[pos + 4 : stop if close == -1 else close]))
        pos = text.find("<!--", stop, end)
    return out


def collect_directives(text: str, comments: list[tuple[int, int, str]] | None = None) -> list[Directive]:
    """Find ``<!-- mtcheck-ignore CODES -->`` and ``mtcheck-disable``/``enable`` comments.

    ``comments`` are the comments a parser found (span, body), so that a directive quoted in
    code is no directive; without them, every ``<!--`` of the text counts."""
    if comments is None:
        comments = _comments(text)
    out: list[Directive] = []
    open_ranges: list[tuple[tuple[str, ...], int, int]] = []
    # An ignore covers the next block: the blank lines of the text, found once, and bisected.
    blanks = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]
    for start, end, body in comments:
        d = _directive(body)
        if d is None:
            continue
        kind, codes = d
        if kind == "ignore":
            out.append(Directive(codes, start, end, end, _next_block_end(text, end, blanks)))
        elif kind == "disable":
            open_ranges.append((codes, start, end))
        elif open_ranges:
            codes0, s, e = open_ranges.pop()
            out.append(Directive(codes0, s, e, e, start))
    for codes0, s, e in open_ranges:  # disabled to the end of the file
        out.append(Directive(codes0, s, e, e, len(text)))
    return out


def _next_block_end(text: str, pos: int, blanks: list[int]) -> int:
    """End of the first non-blank block after ``pos`` (a blank line ends a block)."""
    m = re.compile(r"\S").search(text, pos)
    if not m:
        return len(text)
    i = bisect.bisect_left(blanks, m.start())
    return blanks[i] if i < len(blanks) else len(text)


# --- HTML -------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article header footer aside nav "
    "main figure figcaption table thead tbody tr td th title hr pre address".split()
)
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "title"])
_ITEM_TAGS = frozenset(["li", "td", "th", "dt", "dd"])
# Elements whose content is code or data, not prose: skipped whole, nested tags and all.
_OPAQUE_TAGS = frozenset(["code", "pre", "kbd", "samp", "var", "template", "svg", "math"])
# The standard's raw text and RCDATA elements: no tag inside them until their end tag.
_RAW_TAGS = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"])
_HTML_SPACE = "\t\n\f\r "
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
# Bounded: an entity is at most 33 characters, so trying one at each "&" is linear.
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _run_end(pattern: re.Pattern[str], text: str, pos: int, end: int) -> int:
    """Where a run of ``pattern`` (a character class, starred) that starts at ``pos`` ends."""
    m = pattern.match(text, pos, end)
    return m.end() if m else pos


def _tag_end(text: str, pos: int, end: int) -> tuple[int, bool] | None:
    """Where the attributes of a tag that starts before ``pos`` end (after its ``>``), and
    whether it is self-closing; None when the text ends inside the tag, which the HTML
    standard then drops ("eof-in-tag"). The states of the standard's tokenizer, in order."""
    self_closing = False
    while True:
        pos = _run_end(_SPACES, text, pos, end)
        if pos >= end:
            return None
        ch = text[pos]
        if ch == ">":
            return pos + 1, self_closing
        if ch == "/":  # self-closing start tag state
            self_closing = pos + 1 < end and text[pos + 1] == ">"
            pos += 1
            continue
        self_closing = False
        # Attribute name (its first character may be "="), then maybe "=" and a value.
        pos = _run_end(_ATTR_NAME, text, pos + 1, end)
        pos = _run_end(_SPACES, text, pos, end)
        if pos >= end or text[pos] != "=":
            continue
        pos = _run_end(_SPACES, text, pos + 1, end)
        if pos >= end:
            return None
        quote = text[pos]
        if quote in "\"'":
            close = text.find(quote, pos + 1, end)
            if close == -1:
                return None
            pos = close + 1
        elif quote != ">":
            pos = _run_end(_UNQUOTED, text, pos, end)


@dataclass(frozen=True, slots=True)
class _Tag:
    kind: str  # "start", "end", "comment" (comments, doctypes, bogus comments) or "text"
    stop: int  # just after the tag
    name: str = ""
    self_closing: bool = False
    body: tuple[int, int] = (0, 0)  # a comment's text


def _read_tag(text: str, pos: int, end: int, find: _Finder) -> _Tag:
    """The markup that starts with the ``<`` at ``pos``, read as the HTML standard reads it:
    an unclosed comment or bogus comment runs to the end, so does an unclosed tag (dropped)."""
    nxt = text[pos + 1 : min(pos + 2, end)]
    if nxt == "!":
        if text.startswith("<!--", pos, end):
            for abrupt in ("<!-->", "<!--->"):
                if text.startswith(abrupt, pos, end):
                    return _Tag("comment", pos + len(abrupt), body=(pos + 4, pos + 4))
            close = find("-->", pos + 4)
            bang = find("--!>", pos + 4)
            if close == -1 or (bang != -1 and bang < close):
                close, size = bang, 4
            else:
                size = 3
            if close == -1:
                return _Tag("comment", end, body=(pos + 4, end))
            return _Tag("comment", close + size, body=(pos + 4, close))
        close = find(">", pos + 2)
        return _Tag("comment", end if close == -1 else close + 1)
    if nxt == "?":
        close = find(">", pos + 2)
        return _Tag("comment", end if close == -1 else close + 1)
    closing = nxt == "/"
    first = text[pos + 2 : min(pos + 3, end)] if closing else nxt
    if not (first.isascii() and first.isalpha()):
        if not closing or not first:
            return _Tag("text", pos + 1)  # "a < b", or "</" at the very end
        if first == ">":
            return _Tag("comment", pos + 3)  # "</>" is dropped
        close = find(">", pos + 2)
        return _Tag("comment", end if close == -1 else close + 1)
    name_start = pos + (2 if closing else 1)
    name_end = _run_end(_TAG_NAME, text, name_start, end)
    name = text[name_start:name_end].lower()
    attrs = _tag_end(text, name_end, end)
    if attrs is None:
        return _Tag("comment", end)
    return _Tag("end" if closing else "start", attrs[0], name, attrs[1])


def _raw_text_end(text: str, pos: int, end: int, name: str, find: _Finder) -> int:
    """Where the raw text of a ``<script>``-like element ends: at ``</name`` followed by a
    space, ``/`` or ``>`` (any case), else at the end of the text."""
    while True:
        close = find("</", pos)
        if close == -1:
            return end
        after = close + 2 + len(name)
        if after < end and text[close + 2 : after].lower() == name and text[after] in _HTML_SPACE + "/>":
            return close
        pos = close + 2


def _html_into(b: _Builder, text: str, start: int, end: int) -> None:
    """Append the plain text of the HTML in ``text[start:end]`` to ``b``, with its blocks."""
    find = _Finder(text, end)
    pos = start
    heading_start: int | None = None
    item_start: int | None = None
    quote_depth, quote_start = 0, 0
    # Inside an opaque element: its name, nesting depth, where it started and what stands for it.
    opaque: tuple[str, int, int, str] | None = None
    while pos < end:
        lt = find("<", pos)
        amp = find("&", pos)
        stop = min(x for x in (lt, amp, end) if x != -1)
        if opaque is None:
            b.verbatim(pos, stop)
        pos = stop
        if pos >= end:
            break
        if text[pos] == "&":
            m = _ENTITY.match(text, pos, end)
            if m is None:
                if opaque is None:
                    b.verbatim(pos, pos + 1)
                pos += 1
                continue
            if opaque is None:
                value = html.unescape(m.group())
                if value == m.group():
                    b.verbatim(pos, m.end())
                else:
                    b.replaced(pos, m.end(), value)
            pos = m.end()
            continue
        tag = _read_tag(text, pos, end, find)
        if tag.kind == "text":
            if opaque is None:
                b.verbatim(pos, tag.stop)
            pos = tag.stop
            continue
        if tag.kind == "comment":
            if tag.body != (0, 0):
                b.comments.append((pos, tag.stop, text[tag.body[0] : tag.body[1]]))
            pos = tag.stop
            continue
        name, closing, tag_start = tag.name, tag.kind == "end", pos
        pos = tag.stop
        if opaque is not None:
            o_name, depth, o_start, sep = opaque
            if name == o_name and not tag.self_closing:
                depth += -1 if closing else 1
            if depth == 0:
                b.replaced(o_start, pos, sep)
                opaque = None
            else:
                opaque = (o_name, depth, o_start, sep)
            if not closing and name in _RAW_TAGS:
                pos = _raw_text_end(text, pos, end, name, find)  # its text is no tag
            continue
        if not closing and name in _RAW_TAGS and name != "title":
            raw_end = _raw_text_end(text, pos, end, name, find)
            stop = raw_end if raw_end == end else _read_tag(text, raw_end, end, find).stop
            b.replaced(tag_start, stop, OPAQUE)
            pos = stop
            continue
        if not closing and name in _OPAQUE_TAGS and not tag.self_closing:
            opaque = (name, 1, tag_start, "\n\n" if name == "pre" else OPAQUE)
            continue
        if name == "br":
            b.replaced(tag_start, pos, "\n")
        elif name in _BLOCK_TAGS:
            b.replaced(tag_start, pos, "\n\n")
            if name in _HEADING_TAGS:
                if closing and heading_start is not None:
                    b.headings.append((heading_start, b.length))
                    heading_start = None
                elif not closing:
                    heading_start = b.length
            if name in _ITEM_TAGS:
                if closing and item_start is not None:
                    b.structural.append((item_start, b.length))
                    item_start = None
                elif not closing:
                    item_start = b.length
            if name == "blockquote":
                if not closing:
                    quote_start = b.length if quote_depth == 0 else quote_start
                    quote_depth += 1
                elif quote_depth:
                    quote_depth -= 1
                    if quote_depth == 0:
                        b.exempt.append((quote_start, b.length))
        if name == "title" and not closing:
            # RCDATA: text and entities, but no tag, up to </title>.
            raw_end = _raw_text_end(text, pos, end, "title", find)
            _html_text(b, text, pos, raw_end)
            pos = raw_end
    if opaque is not None:
        b.replaced(opaque[2], end, opaque[3])
    if quote_depth:
        b.exempt.append((quote_start, b.length))


def _html_text(b: _Builder, text: str, start: int, end: int) -> None:
    """Text with character references and no tags (an RCDATA element's content)."""
    pos = start
    while pos < end:
        amp = text.find("&", pos, end)
        if amp == -1:
            break
        m = _ENTITY.match(text, amp, end)
        if m is None:
            b.verbatim(pos, amp + 1)
            pos = amp + 1
            continue
        b.verbatim(pos, amp)
        b.replaced(amp, m.end(), html.unescape(m.group()))
        pos = m.end()
    b.verbatim(pos, end)


def parse_html(text: str) -> Plain:
    b = _Builder(text)
    _html_into(b, text, 0, len(text))
    return b.build()


# --- Markdown ---------------------------------------------------------------------------


class _Lines:
    """Line starts of a text (any line break), and the same lines in markdown-it's copy of the
    text, where every break is one "\\n": a position converts by line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.ends: list[int] = []  # before the line break
        for m in re.finditer(r"\r\n?|\n", text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))
        self.norm_starts = [0]
        shift = 0
        for i in range(1, len(self.starts)):
            # A two-character break ("\r\n") before line i is one "\n" in markdown-it's copy.
            shift += self.starts[i] - self.ends[i - 1] - 1
            self.norm_starts.append(self.starts[i] - shift)

    def original(self, line: int, norm_pos: int) -> int:
        return self.starts[line] + norm_pos - self.norm_starts[line]

    def norm_line(self, line: int, norm_length: int) -> tuple[int, int]:
        """Where line ``line`` starts and ends (before its "\\n") in markdown-it's copy."""
        end = self.norm_starts[line + 1] - 1 if line + 1 < len(self.starts) else norm_length
        return self.norm_starts[line], end


def _front_matter_end(text: str, lines: _Lines) -> int:
    """The end of a YAML (``---``) or TOML (``+++``) front matter block, else 0. Unclosed, it
    runs to the end of the text, as static site generators read it."""
    first = text[: lines.ends[0]].rstrip()
    if first not in ("---", "+++"):
        return 0
    closers = ("---", "...") if first == "---" else ("+++",)
    for i in range(1, len(lines.starts)):
        if text[lines.starts[i] : lines.ends[i]].rstrip() in closers:
            return lines.starts[i + 1] if i + 1 < len(lines.starts) else len(text)
    return len(text)


@dataclass(slots=True)
class _Piece:
    """A stretch of an inline token's content that is the same text in the source."""

    content: int  # where it starts in the content
    norm: int  # where it starts in markdown-it's copy of the text
    length: int
    line: int  # its source line


class _Content:
    """Maps positions in an inline token's content (paragraph, heading, table cell) to the
    original text, through the pieces of the content that are literally in the source."""

    def __init__(self, pieces: list[_Piece], lines: _Lines, text: str) -> None:
        self.pieces = pieces
        self.keys = [p.content for p in pieces]
        self.lines = lines
        self.text = text

    def same(self, content: str, start: int, end: int) -> bool:
        """Whether ``content`` is what the original text holds at ``[start, end)``."""
        return self.text[start:end].replace("\0", "\ufffd") == content

    def _piece(self, pos: int) -> _Piece | None:
        i = bisect.bisect_right(self.keys, pos) - 1
        if i < 0:
            return None
        p = self.pieces[i]
        return p if pos < p.content + p.length else None

    def at(self, pos: int) -> int | None:
        p = self._piece(pos)
        return None if p is None else self.lines.original(p.line, p.norm + pos - p.content)

    def runs(self, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """``content[start:end]`` as (content start, content end, original start, original end)."""
        out = []
        i = max(0, bisect.bisect_right(self.keys, start) - 1)
        while i < len(self.pieces) and self.pieces[i].content < end:
            p = self.pieces[i]
            s, e = max(start, p.content), min(end, p.content + p.length)
            if s < e:
                o = self.lines.original(p.line, p.norm + s - p.content)
                out.append((s, e, o, o + e - s))
            i += 1
        return out

    def line_break(self, pos: int) -> tuple[int, int] | None:
        """The original line break after the content line that holds (or ends at) ``pos``."""
        i = bisect.bisect_right(self.keys, pos) - 1
        if i < 0:
            return None
        line = self.pieces[i].line
        if line + 1 >= len(self.lines.starts):
            return None
        return self.lines.ends[line], self.lines.starts[line + 1]


def _trim_chars() -> str:
    from markdown_it.common.utils import MD_TRIM_CHARS

    return MD_TRIM_CHARS


# "[label]: destination ..." (anchored, one attempt per line).
_LINK_DEFINITION = re.compile(r"\[[^\[\]\n]+\]:[ \t]*\S")


def _skipped_lines(first: str, norm: str, lines: _Lines, line: int, spare: int) -> int:
    """How many of a paragraph's first lines its content lost: lines of only such spaces as
    U+3000, which are no blank line to CommonMark but are trimmed off its content. ``spare``
    is how many lines the content lacks; the first line that ends with ``first`` is it."""
    core = first.lstrip(" \t").rstrip(_trim_chars())
    for skip in range(max(0, spare) + 1):
        if line + skip >= len(lines.starts):
            break
        start, end = lines.norm_line(line + skip, len(norm))
        if norm[start:end].rstrip(_trim_chars()).endswith(core):
            return skip
    return 0


def _line_pieces(content: str, norm: str, lines: _Lines, first_line: int, last_line: int) -> list[_Piece]:
    """A paragraph's or setext heading's content: its lines, each the end of its source line
    (container markers and indentation stripped in front, spaces trimmed at the very end)."""
    trim = _trim_chars()
    out = []
    c = 0
    parts = content.split("\n")
    first_line += _skipped_lines(parts[0], norm, lines, first_line, last_line - first_line - len(parts))
    for k, piece in enumerate(parts):
        line = first_line + k
        if line >= len(lines.starts):
            break
        ls, le = lines.norm_line(line, len(norm))
        core = piece.lstrip(" \t")
        lead = len(piece) - len(core)
        if _LINK_DEFINITION.match(core):
            c += len(piece) + 1
            continue  # a link definition that CommonMark finds malformed is still no prose
        trimmed = core.rstrip(trim)
        stop = len(norm[ls:le].rstrip(trim)) + ls
        if trimmed and norm.endswith(trimmed, ls, stop):
            # Spaces and tabs at the end of a line that goes on are the source's own.
            size = len(core) if norm.startswith(core, stop - len(trimmed), le) else len(trimmed)
            out.append(_Piece(c + lead, stop - len(trimmed), size, line))
        c += len(piece) + 1
    return out


def _heading_pieces(content: str, norm: str, lines: _Lines, line: int) -> list[_Piece]:
    """An ATX heading's content: after the opening ``#``s and spaces of its line."""
    if not content or line >= len(lines.starts):
        return []
    ls, le = lines.norm_line(line, len(norm))
    pos = norm.find("#", ls, le)
    if pos == -1:
        return []
    while pos < le and norm[pos] == "#":
        pos += 1
    trim = _trim_chars()
    while pos < le and norm[pos] in trim:
        pos += 1
    return [_Piece(0, pos, len(content), line)] if norm.startswith(content, pos, le) else []


def _after_quote_markers(norm: str, pos: int, end: int, depth: int) -> int:
    """Past the indentation and the ``depth`` block quote markers that start a line."""
    for level in range(depth + 1):
        while pos < end and norm[pos] in " \t":
            pos += 1
        if level == depth or pos >= end or norm[pos] != ">":
            break
        pos += 1
    return pos


def _row_cells(norm: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """A table row's cells as the norm ranges of their text, split on pipes that are not
    escaped; an escaped pipe's backslash is left out (markdown-it's ``escapedSplit``)."""
    cells: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    last = start
    escaped = False
    pos = start
    while pos < end:
        bar = norm.find("|", pos, end)
        if bar == -1:
            break
        escaped = bar > start and norm[bar - 1] == "\\"
        if escaped and bar - 1 >= last:
            current.append((last, bar - 1))
            last = bar
        elif not escaped:
            current.append((last, bar))
            cells.append(current)
            current = []
            last = bar + 1
        pos = bar + 1
    current.append((last, end))
    cells.append(current)
    return cells


def _cell_pieces(cells: list[list[tuple[int, int]]], index: int, content: str, norm: str, line: int) -> list[_Piece]:
    """Table cell ``index``'s content, found at the end of that cell's source text."""
    if index >= len(cells) or not content:
        return []
    ranges = cells[index]
    raw = "".join(norm[s:e] for s, e in ranges)
    stripped = raw.rstrip(_trim_chars())
    if not stripped.endswith(content):
        return []
    offset = len(stripped) - len(content)  # where the content starts in the raw cell text
    out = []
    c = 0  # position in raw
    for s, e in ranges:
        lo, hi = max(c, offset), min(c + e - s, offset + len(content))
        if lo < hi:
            out.append(_Piece(lo - offset, s + lo - c, hi - lo, line))
        c += e - s
    return out


def _markdown_parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough, whose inline tokens know where they came
    from: ``meta["mt_span"]`` (literal text), ``meta["mt_at"]`` (where a token was made) and
    ``meta["mt_end"]`` (after a code span or an autolink), in the inline content's positions."""
    from markdown_it import MarkdownIt
    from markdown_it.parser_inline import ParserInline
    from markdown_it.rules_inline import autolink, backtick
    from markdown_it.rules_inline.state_inline import StateInline

    class LocatingState(StateInline):
        def __init__(self, src: str, md: MarkdownIt, env: Any, out: list[Token]) -> None:
            super().__init__(src, md, env, out)
            self.mt_fresh = True  # nothing pending since the last token
            self.mt_start = 0

        def append_pending(self, text: str) -> None:
            # Every caller appends the text at state.pos, and pending text is contiguous.
            if self.mt_fresh:
                self.mt_start, self.mt_fresh = self.pos, False
            super().append_pending(text)

        def pushPending(self) -> Token:
            token = super().pushPending()
            token.meta["mt_span"] = (self.mt_start, self.mt_start + len(token.content))
            self.mt_fresh = True
            return token

        def push(self, ttype: str, tag: str, nesting: Any) -> Token:
            token = super().push(ttype, tag, nesting)
            token.meta["mt_at"] = self.pos
            self.mt_fresh = True
            return token

    class LocatingInline(ParserInline):
        def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
            state = LocatingState(src, md, env, tokens)
            self.tokenize(state)
            _place_delimiters(state.tokens)
            for rule in self.ruler2.getRules(""):
                rule(state)
            return state.tokens

    def ending(rule: Any) -> Any:
        def wrapped(state: StateInline, silent: bool) -> bool:
            n = len(state.tokens)
            ok = bool(rule(state, silent))
            if ok and not silent:
                for token in state.tokens[n:]:
                    token.meta.setdefault("mt_end", state.pos)
            return ok

        return wrapped

    md = MarkdownIt("commonmark")
    inline = LocatingInline()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = inline
    md.enable(["table", "strikethrough"])
    # Joining text tokens would merge tokens that are not side by side in the source.
    md.disable(["text_join", "fragments_join"])
    md.inline.ruler.at("backticks", ending(backtick))
    md.inline.ruler.at("autolink", ending(autolink))
    return md


def _place_delimiters(tokens: list[Token]) -> None:
    """Emphasis and strikethrough push one text token per marker (or pair of markers) while
    the inline state stands at the start of the run: give each its own place in the run."""
    run_at, offset = -1, 0
    for token in tokens:
        if token.type != "text" or "mt_span" in token.meta or "mt_at" not in token.meta:
            run_at = -1
            continue
        at = token.meta["mt_at"]
        if at != run_at:
            run_at, offset = at, 0
        token.meta["mt_span"] = (at + offset, at + offset + len(token.content))
        offset += len(token.content)


# What stands for a stretch of the original text: ``None`` keeps it as it is.
_Op = tuple[int, int, str | None]
_URL = re.compile(r"https?://[^\s<>()]+")


def _inline_ops(children: list[Token], where: _Content, base: int, comments: list[tuple[int, int, str]]) -> list[_Op]:
    """The plain text of an inline token's children, as edits of the original text, in
    source order; ``base`` is where the children's content starts in ``where``'s content
    (an image's alt text is parsed on its own). Comments are added to ``comments``."""
    ops: list[_Op] = []
    skip_to_close = False
    for token in children:
        kind, meta = token.type, token.meta
        if skip_to_close:
            skip_to_close = kind != "link_close"
            continue
        if kind == "text":
            span = meta.get("mt_span")
            if span is None or not token.content:
                continue
            runs = where.runs(base + span[0], base + span[1])
            literal = sum(e - s for s, e, _, _ in runs) == len(token.content)
            for s, e, o, oe in runs:
                c = s - base - span[0]
                if not where.same(token.content[c : c + e - s], o, oe):
                    literal = False
            if literal:
                ops.extend((o, oe, None) for _, _, o, oe in runs)
            elif runs:
                ops.append((runs[0][2], runs[-1][3], token.content))
        elif kind in ("text_special", "code_inline", "html_inline") or (kind == "link_open" and token.info == "auto"):
            at = meta.get("mt_at")
            if at is None:
                continue
            stop = meta.get("mt_end", at + len(token.markup or token.content))
            first, last = where.at(base + at), where.at(base + stop - 1)
            if first is None or last is None:
                continue
            if kind == "text_special":  # an escape or a character reference
                ops.append((first, last + 1, token.content))
            elif kind == "html_inline":  # dropped; a comment may be a suppression
                if token.content.startswith("<!--"):
                    body = token.content[4:-3] if token.content.endswith("-->") else token.content[4:]
                    comments.append((first, last + 1, body))
            else:
                ops.append((first, last + 1, OPAQUE))  # code, or an autolink's URL
                skip_to_close = kind == "link_open"
        elif kind in ("softbreak", "hardbreak"):
            at = meta.get("mt_at")
            brk = where.line_break(base + at) if at is not None else None
            if brk is not None:
                ops.append((brk[0], brk[1], None))
        elif kind == "image" and token.children:
            at = meta.get("mt_at")
            if at is not None:  # the alt text, parsed from the label after "!["
                ops.extend(_inline_ops(token.children, where, base + at + 2, comments))
    return ops


class _MarkdownWalk:
    """Turns markdown-it's block tokens into plain text, block by block, in source order."""

    def __init__(self, text: str, norm: str, lines: _Lines) -> None:
        self.b = _Builder(text)
        self.text, self.norm, self.lines = text, norm, lines
        self.cursor = 0  # the original text before it is done with

    def emit(self, ops: list[_Op]) -> tuple[int, int] | None:
        """Append one block's text; its plain span, or None when it has no text."""
        kept: list[_Op] = []
        for op in ops:  # in source order: an op that would step back is dropped
            if op[0] >= (kept[-1][1] if kept else self.cursor) and op[1] >= op[0]:
                kept.append(op)
        ops = kept
        if not ops:
            return None
        b = self.b
        if b.length:
            b.replaced(self.cursor, ops[0][0], "\n\n")
        start = b.length
        i = 0
        while i < len(ops):
            s, e, value = ops[i]
            i += 1
            if value is not None:
                b.replaced(s, e, value)
                continue
            while i < len(ops) and ops[i][2] is None and ops[i][0] == e:  # one run of text
                e = ops[i][1]
                i += 1
            self.text_run(s, e)
        self.cursor = ops[-1][1]
        return (start, b.length) if b.length > start else None

    def text_run(self, start: int, end: int) -> None:
        """Text as it is, but for bare URLs: markup to the reader's eye, never prose."""
        pos = start
        for m in _URL.finditer(self.text, start, end):
            self.b.verbatim(pos, m.start())
            self.b.replaced(m.start(), m.end(), OPAQUE)
            pos = m.end()
        self.b.verbatim(pos, end)

    def html_block(self, first_line: int, last_line: int) -> tuple[int, int] | None:
        lines = self.lines
        start = lines.starts[first_line]
        end = lines.starts[last_line] if last_line < len(lines.starts) else len(self.text)
        if start < self.cursor or end <= start:
            return None
        b = self.b
        if b.length:
            b.replaced(self.cursor, start, "\n\n")
        begin = b.length
        _html_into(b, self.text, start, end)
        self.cursor = end
        return begin, b.length

    def finish(self) -> Plain:
        tail = self.text[self.cursor :]
        if self.b.length:
            if tail.strip():
                self.b.replaced(self.cursor, len(self.text), "\n")
            else:
                self.b.verbatim(self.cursor, len(self.text))
        return self.b.build()


def _markdown_source(text: str, lines: _Lines) -> str:
    """The text as markdown-it reads it (one "\\n" per line break, U+FFFD for NUL), with front
    matter blanked out: metadata, never prose, and no Markdown block may start in it."""
    norm = re.sub(r"\r\n?", "\n", text).replace("\0", "\ufffd")
    front = _front_matter_end(text, lines)  # 0, the start of a line, or the end of the text
    if front:
        line = bisect.bisect_left(lines.starts, front)
        cut = lines.norm_starts[line] if line < len(lines.starts) and lines.starts[line] == front else len(norm)
        norm = re.sub(r"[^\n]", " ", norm[:cut]) + norm[cut:]
    return norm


# markdown-it keeps some 40 bytes of tokens for each character of what it parses: a text
# longer than this is parsed in chunks, cut where a new top-level block must start anyway.
MARKDOWN_CHUNK = 256_000

_FENCE_LINE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")
# HTML blocks that run on across blank lines (CommonMark's kinds 1-5), and what ends each.
_HTML_RUNS = re.compile(
    r" {0,3}(?:<(script|pre|style|textarea)(?=[\s>]|$)|(<!--)|(<\?)|(<!\[CDATA\[)|(<![A-Za-z]))", re.I
)
_HTML_RUN_END = {2: "-->", 3: "?>", 4: "]]>", 5: ">"}


def _chunk_starts(norm: str, lines: _Lines, size: int) -> list[int]:
    """The lines where markdown-it may start afresh, about ``size`` characters apart: a line
    that begins at its first column after a blank line, outside fenced code and the HTML
    blocks that blank lines do not end. There every open block has ended (a list's next item
    starts a list of its own, which reads the same). Link definitions are shared forwards."""
    starts = [0]
    if len(norm) <= size:
        return starts
    fence: tuple[str, int] | None = None
    html_end: str | None = None
    blank_before = False
    for i, begin in enumerate(lines.norm_starts):
        end = norm.find("\n", begin)
        line = norm[begin : end if end >= 0 else len(norm)]
        if fence is not None:
            m = _FENCE_LINE.fullmatch(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                fence = None
            continue
        if html_end is not None:
            if html_end in line.lower():
                html_end = None
            continue
        blank = not line.strip()
        if blank_before and not blank and line[0] not in " \t" and begin - lines.norm_starts[starts[-1]] >= size:
            starts.append(i)
        blank_before = blank
        m = _FENCE_LINE.fullmatch(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence = (m.group(2)[0], len(m.group(2)))
            continue
        h = _HTML_RUNS.match(line)
        if h:
            kind = next(k for k in range(1, 6) if h.group(k))
            closer = f"</{h.group(1).lower()}>" if kind == 1 else _HTML_RUN_END[kind]
            if closer not in line[h.end() :].lower():
                html_end = closer
    return starts


def _tokens(norm: str, lines: _Lines) -> Iterator[Token]:
    """markdown-it's tokens of ``norm``, chunk by chunk (``_chunk_starts``), each token's line
    map in the whole text's lines; a chunk's tokens are dropped before the next is parsed."""
    parser = _markdown_parser()
    env: dict[str, Any] = {}  # link definitions of the chunks before
    starts = _chunk_starts(norm, lines, MARKDOWN_CHUNK)
    for k, first in enumerate(starts):
        begin = lines.norm_starts[first]
        end = lines.norm_starts[starts[k + 1]] if k + 1 < len(starts) else len(norm)
        for token in parser.parse(norm[begin:end], env):
            if token.map and first:
                token.map = [token.map[0] + first, token.map[1] + first]
            yield token


def parse_markdown(text: str) -> Plain:
    lines = _Lines(text)
    norm = _markdown_source(text, lines)
    walk = _MarkdownWalk(text, norm, lines)
    b = walk.b
    stack: list[Token] = []  # the open containers (at most markdown-it's nesting limit, 20)
    quotes = items = 0  # how many of them are block quotes, list items
    quote_start = 0
    cells: list[list[tuple[int, int]]] = []
    cell = 0
    for token in _tokens(norm, lines):
        kind = token.type
        if token.nesting == 1:
            if kind == "blockquote_open":
                quote_start = b.length if quotes == 0 else quote_start
                quotes += 1
            elif kind == "list_item_open":
                items += 1
            elif kind == "tr_open" and token.map:
                row = token.map[0]
                lead, le = lines.norm_line(row, len(norm))
                cells = _row_cells(norm, _after_quote_markers(norm, lead, le, quotes), le)
                if cells and not "".join(norm[s:e] for s, e in cells[0]):
                    cells.pop(0)  # a leading pipe
                cell = 0
            stack.append(token)
            continue
        if token.nesting == -1:
            if stack:
                stack.pop()
            if kind == "list_item_close":
                items -= 1
            elif kind == "blockquote_close":
                quotes -= 1
                if quotes == 0:
                    b.exempt.append((quote_start, b.length))
            continue
        if kind == "html_block" and token.map:
            if not stack:
                span = walk.html_block(token.map[0], token.map[1])
                if span is not None:
                    b.exempt.append(span)
            else:  # inside a list or a quote: not read as HTML, but its comments still count
                first, last = token.map
                end = lines.starts[last] if last < len(lines.starts) else len(text)
                b.comments.extend(_comments(text, lines.starts[first], end))
            continue
        if kind != "inline" or not token.map or token.children is None:
            continue  # code, fences, rules, nested HTML: never prose
        parent = stack[-1] if stack else None
        content, first = token.content, token.map[0]
        if parent is not None and parent.type in ("th_open", "td_open"):
            pieces = _cell_pieces(cells, cell, content, norm, first)
            cell += 1
        elif parent is not None and parent.type == "heading_open" and parent.markup.startswith("#"):
            pieces = _heading_pieces(content, norm, lines, first)
        else:
            pieces = _line_pieces(content, norm, lines, first, token.map[1])
        where = _Content(pieces, lines, text)
        span = walk.emit(_inline_ops(token.children, where, 0, b.comments))
        if span is None:
            continue
        if parent is not None and parent.type == "heading_open":
            b.headings.append(span)
        elif items or (parent is not None and parent.type in ("th_open", "td_open")):
            b.structural.append(span)  # list items and table cells: fragments by style
    return walk.finish()


# --- Format detection -------------------------------------------------------------------

# Each pattern stops at the next bracket or marker, so that a text of ten thousand "[" is
# read once, not once per bracket.
_MD_BLOCK_SIGNAL = re.compile(r"(?m)^ {0,3}(?:#{1,6} \S|```|~~~|[-*+] \S|---$|\+\+\+$)")
_MD_INLINE_SIGNAL = re.compile(r"\[[^\[\]\n]+\]\([^()\[\]\s]+\)|\*\*[^*\n]+\*\*|`[^`\n]+`")
_HTML_SIGNAL = re.compile(r"</?(?:p|div|span|h[1-6]|br|a)\b")


def sniff_format(text: str, filename: str | None = None) -> Format:
    """Guess the input format from the file name, else from the text itself."""
    if filename:
        low = filename.lower()
        if low.endswith((".html", ".htm", ".xhtml")):
            return Format.HTML
        if low.endswith((".md", ".markdown", ".mdown", ".mkd")):
            return Format.MARKDOWN
        if low.endswith(".txt"):
            return Format.TEXT
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or len(_HTML_SIGNAL.findall(head)) >= 3:
        return Format.HTML
    sample = text[:5000]
    signals = len(_MD_BLOCK_SIGNAL.findall(sample)) + len(_MD_INLINE_SIGNAL.findall(sample))
    # Stdin has no file name: two Markdown signals (a heading, a fence, a link...) decide.
    return Format.MARKDOWN if signals >= 2 else Format.TEXT


def to_plain(text: str, fmt: Format) -> Plain:
    if fmt is Format.HTML:
        return parse_html(text)
    if fmt is Format.MARKDOWN:
        return parse_markdown(text)
    return Plain(text)
