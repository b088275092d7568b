"""Turn HTML or Markdown into the plain text that checks read, keeping a map back to the file.

Markup is never checked: tags, code, URLs and comments are removed, block boundaries become
blank lines, and every character of the plain text remembers where it came from, so a finding's
span points into the original file. Inline suppression comments are collected on the way.
"""

from __future__ import annotations

import html
import re
from array import array
from dataclasses import dataclass, field
from enum import StrEnum

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


@dataclass(slots=True)
class Plain:
    """Plain text plus, per plain character, the original span it came from."""

    text: str
    starts: array | None = None  # None: identical to the original
    ends: array | None = None
    headings: list[tuple[int, int]] = field(default_factory=list)  # plain spans of heading blocks
    structural: list[tuple[int, int]] = field(default_factory=list)  # list items, table cells
    directives: list[Directive] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        if not self.text:
            return 0, 0
        if start >= len(self.text):
            pos = self.ends[-1]
            return pos, pos
        o_start = self.starts[start]
        o_end = self.ends[end - 1] if end > start else o_start
        return o_start, o_end


class _Builder:
    """Accumulates plain text piece by piece with its origin."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.starts = array("q")
        self.ends = array("q")
        self.length = 0

    def verbatim(self, start: int, end: int) -> None:
        if end <= start:
            return
        self.parts.append(self.source[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))
        self.length += end - start

    def replaced(self, start: int, end: int, text: str) -> None:
        """``text`` stands for the markup at ``[start, end)``."""
        if not text:
            return
        self.parts.append(text)
        self.starts.extend([start] * len(text))
        self.ends.extend([end] * len(text))
        self.length += len(text)

    def build(self) -> Plain:
        return Plain("".join(self.parts), self.starts, self.ends)


_DIRECTIVE = re.compile(r"^\s*mtcheck-(ignore|disable|enable)\b[\s:]*([A-Za-z0-9, ]*?)\s*$")


# An unclosed comment runs to the end: without that alternative every later "<!--" would
# rescan the rest of the text for a "-->" that is not there.
_COMMENT = re.compile(r"<!--(.*?)(?:-->|\Z)", re.S)


def _directive_codes(raw: str) -> tuple[str, ...]:
    return tuple(c.upper() for c in re.split(r"[\s,]+", raw) if c)


def _next_block_end(text: str, pos: int) -> int:
    """End of the first non-blank block after ``pos`` (a blank line ends a block)."""
    m = re.compile(r"\S").search(text, pos)
    if not m:
        return len(text)
    blank = re.compile(r"\n[ \t]*\n").search(text, m.start())
    return blank.start() if blank else len(text)


def collect_directives(text: str) -> list[Directive]:
    """Find ``<!-- mtcheck-ignore CODES -->`` and ``mtcheck-disable``/``enable`` comments."""
    out: list[Directive] = []
    open_ranges: list[tuple[tuple[str, ...], int, int]] = []
    for m in _COMMENT.finditer(text):
        d = _DIRECTIVE.match(m.group(1))
        if not d:
            continue
        kind, codes = d.group(1), _directive_codes(d.group(2))
        if kind == "ignore":
            out.append(Directive(codes, m.start(), m.end(), m.end(), _next_block_end(text, m.end())))
        elif kind == "disable":
            open_ranges.append((codes, m.start(), m.end()))
        elif open_ranges:
            codes0, s, e = open_ranges.pop()
            out.append(Directive(codes0, s, e, e, m.start()))
    for codes0, s, e in open_ranges:  # disabled to the end of the file
        out.append(Directive(codes0, s, e, e, len(text)))
    return out


# --- HTML -------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "title",
        "hr",
        "pre",
        "address",
    ]
)
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "title"])
_OPAQUE_TAGS = frozenset(["script", "style", "code", "pre", "kbd", "samp", "var", "template", "svg", "math"])
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>"
    # Attribute values may hold ">" (onclick="a > b"): quoted values are skipped whole.
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>"
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});",
    re.S,
)


def parse_html(text: str) -> Plain:
    b = _Builder(text)
    pos = 0
    heading_start: int | None = None
    headings: list[tuple[int, int]] = []
    structural: list[tuple[int, int]] = []
    item_start: int | None = None
    it = _HTML_TOKEN.finditer(text)
    for m in it:
        b.verbatim(pos, m.start())
        pos = m.end()
        tok = m.group(0)
        if tok.startswith("&"):
            b.replaced(m.start(), m.end(), html.unescape(tok))
            continue
        name = (m.group(2) or "").lower()
        if not name:
            continue  # comment, doctype, CDATA, processing instruction
        closing = m.group(1) == "/"
        if name in _OPAQUE_TAGS and not closing and not m.group(3):
            close = re.compile(rf"</{name}\s*>", re.I).search(text, m.end())
            stop = close.end() if close else len(text)
            sep = "\n\n" if name == "pre" else OPAQUE
            b.replaced(m.start(), stop, sep)
            pos = stop
            # Skip tokens inside the opaque element.
            for inner in it:
                if inner.end() >= stop:
                    if inner.start() >= stop:
                        b.verbatim(pos, inner.start())  # pragma: no cover - rare ordering
                    break
            continue
        if name == "br":
            b.replaced(m.start(), m.end(), "\n")
        elif name in _BLOCK_TAGS:
            b.replaced(m.start(), m.end(), "\n\n")
            if name in _HEADING_TAGS:
                if closing and heading_start is not None:
                    headings.append((heading_start, b.length))
                    heading_start = None
                elif not closing:
                    heading_start = b.length
            if name in ("li", "td", "th", "dt", "dd"):
                if closing and item_start is not None:
                    structural.append((item_start, b.length))
                    item_start = None
                elif not closing:
                    item_start = b.length
    b.verbatim(pos, len(text))
    plain = b.build()
    plain.headings = headings
    plain.structural = structural
    plain.directives = collect_directives(text)
    return plain


# --- Markdown ---------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_HTML_BLOCK = re.compile(r"^ {0,3}<(script|style|pre|textarea)\b", re.I)
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_MD_INLINE = re.compile(
    r"(?P<code>`+)(?P<codebody>.+?)(?P=code)"
    r"|!\[(?P<alt>[^\]]*)\]\([^)]*\)"
    r"|\[(?P<link>[^\]]+)\]\([^)]*\)|\[(?P<ref>[^\]]+)\]\[[^\]]*\]"
    r"|<(?:https?://|mailto:)[^>]+>|https?://[^\s<>()]+"
    r"|<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*\b[^>]*>"
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
    r"|(?P<emph>\*{1,3}|_{1,3})(?=\S)(?P<emphbody>.{1,1000}?)(?<=\S)(?P=emph)(?!\w)",
    re.S,
)


def _md_inline(b: _Builder, text: str, start: int, end: int, depth: int = 0) -> None:
    if depth > 16:  # "***...***" ten thousand deep is text, not emphasis to unwrap
        b.verbatim(start, end)
        return
    pos = start
    for m in _MD_INLINE.finditer(text, start, end):
        b.verbatim(pos, m.start())
        pos = m.end()
        tok = m.group(0)
        if m.group("code"):
            b.replaced(m.start(), m.end(), OPAQUE)
        elif m.group("alt") is not None:
            b.verbatim(m.start("alt"), m.end("alt"))
        elif m.group("link") is not None:
            _md_inline(b, text, m.start("link"), m.end("link"), depth + 1)
        elif m.group("ref") is not None:
            _md_inline(b, text, m.start("ref"), m.end("ref"), depth + 1)
        elif m.group("emph"):
            _md_inline(b, text, m.start("emphbody"), m.end("emphbody"), depth + 1)
        elif tok.startswith("&"):
            b.replaced(m.start(), m.end(), html.unescape(tok))
        elif tok.startswith(("<http", "<mailto", "http")):
            b.replaced(m.start(), m.end(), OPAQUE)
        # HTML tags and comments inside Markdown are dropped.
    b.verbatim(pos, end)


def parse_markdown(text: str) -> Plain:
    b = _Builder(text)
    headings: list[tuple[int, int]] = []
    structural: list[tuple[int, int]] = []
    lines = text.splitlines(keepends=True)
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    fence: str | None = None
    last_line: tuple[tuple[int, int], int] | None = None  # plain span and index of a text line
    # YAML (---) or TOML (+++) front matter.
    front = lines[0].rstrip("\r\n") if lines else ""
    in_front_matter = front in ("---", "+++")
    html_block: str | None = None  # the closing tag of a raw <script>, <style>, <pre> block
    prev_blank, prev_item = True, False
    for i, line in enumerate(lines):
        start = offsets[i]
        body = line.rstrip("\r\n")
        body_end = start + len(body)
        eol_end = start + len(line)
        if in_front_matter:
            if i > 0 and body in (front, "..."):
                in_front_matter = False
            b.replaced(start, eol_end, "\n")
            continue
        opening = _HTML_BLOCK.match(body) if html_block is None else None
        if html_block is not None or opening:
            closing = html_block or f"</{opening.group(1).lower() if opening else ''}"
            html_block = None if closing in body.lower() else closing
            b.replaced(start, eol_end, "\n")
            continue
        indented = body.startswith(("    ", "\t")) and body.strip()
        if (indented and prev_blank and not prev_item) or _LINK_DEF.match(body):
            # An indented code block (not a list item's continuation) or a link definition.
            b.replaced(start, eol_end, "\n")
            continue
        continuation = bool(prev_item and body.startswith((" ", "\t")) and not _LIST.match(body))
        if body.strip():
            prev_item = bool(_LIST.match(body)) or continuation
        prev_blank = not body.strip()
        if fence is not None:
            if body.strip().startswith(fence):
                fence = None
            b.replaced(start, eol_end, "\n")
            continue
        fm = _FENCE.match(body)
        if fm:
            fence = fm.group(1)[0] * 3
            b.replaced(start, eol_end, "\n")
            continue
        if body.strip().startswith("<!--") and body.strip().endswith("-->"):
            b.replaced(start, eol_end, "\n")
            continue
        if "|" in body and _TABLE_RULE.match(body):
            b.replaced(start, eol_end, "\n")
            continue
        if _SETEXT.match(body) and last_line is not None and last_line[1] == i - 1:
            # The line before was a setext heading's text.
            headings.append(last_line[0])
            b.replaced(start, eol_end, "\n")
            last_line = None
            continue
        if not body.strip():
            last_line = None
            b.verbatim(start, eol_end)
            continue
        content = start
        prefix = _QUOTE.match(body)
        if prefix:
            content = start + prefix.end()
        rest = text[content:body_end]
        atx = _ATX.match(rest)
        lst = _LIST.match(rest)
        kind = None
        if atx:
            content += atx.end()
            kind = "heading"
            # Closing hashes of an ATX heading are markup too.
            trail = re.search(r"[ \t]+#+[ \t]*$", text[content:body_end])
            if trail:
                body_end = content + trail.start()
        elif lst:
            content += lst.end()
            kind = "item"
        elif continuation:  # the rest of a list item, indented under it
            content += len(rest) - len(rest.lstrip())
            kind = "item"
        b.replaced(start, content, "")
        block_start = b.length
        _md_inline(b, text, content, body_end)
        if kind == "heading":
            headings.append((block_start, b.length))
            b.replaced(body_end, eol_end, "\n\n")
            continue
        if kind == "item":
            structural.append((block_start, b.length))
            b.replaced(body_end, eol_end, "\n\n")
            continue
        last_line = ((block_start, b.length), i)
        if eol_end > body_end:
            b.verbatim(body_end, eol_end)
    plain = b.build()
    plain.headings = headings
    plain.structural = structural
    plain.directives = collect_directives(text)
    return plain


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
    if head.startswith(("<!doctype html", "<html")) or len(re.findall(r"</?(?:p|div|span|h[1-6]|br|a)\b", head)) >= 3:
        return Format.HTML
    sample = text[:5000]
    signals = len(re.findall(r"(?m)^ {0,3}(?:#{1,6} \S|```|~~~|[-*+] \S|---$|\+\+\+$)", sample)) + len(
        re.findall(r"\[[^\]\n]+\]\([^)\s]+\)|\*\*[^*\n]+\*\*|`[^`\n]+`", sample)
    )
    # Stdin has no file name: two Markdown signals (a heading, a fence, a link...) decide.
    return Format.MARKDOWN if signals >= 2 else Format.TEXT


def to_plain(text: str, fmt: Format) -> Plain:
    if fmt is Format.HTML:
        return parse_html(text)
    if fmt is Format.MARKDOWN:
        return parse_markdown(text)
    return Plain(text)
