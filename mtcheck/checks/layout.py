"""Layout: stray lines (MT301), the one- or two-word leftovers that MT appends to an article.

A short line is a heading when a paragraph follows it, and a credit when it names a news agency
or sits in parentheses ("(With AFP)"); anything else of one or two words on its own is stray.
Only paragraphs are judged: in Markdown and HTML the parser says what a line is, so a table
row, a list item, code, front matter, a block quote or an HTML block is never a stray line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from mtcheck.checks.base import Check, Context
from mtcheck.document import Block, Document
from mtcheck.markup import Format
from mtcheck.model import Applicability, Example, Finding, Rule, Severity

STRAY_LINE = Rule(
    code="MT301",
    slug="stray-line",
    family="layout",
    summary="Stray line of one or two words",
    severity=Severity.MAJOR,
    category="Accuracy/Addition",
    explanation="A line of one or two words that is neither a heading (a short line followed by "
    "a paragraph) nor a credit line is usually debris of the translation: a leftover tag, a "
    "caption word, a word the model appended. The fix deletes it (unsafe: check first).",
    examples=(
        Example("The talks resumed on Monday in Geneva after a long pause.\n{{Swiss}}", ""),
        Example("The talks resumed on Monday in Geneva after a long pause.\n{{Read more}}\n", ""),
        Example("Talks resume\nThe talks resumed on Monday in Geneva after a long pause."),
        Example("Wages still lag behind\n{{Peso}}\nThe peso lost a third of its value this year.", ""),
        Example("The talks resumed on Monday in Geneva.\n{{More}}\nThe delegations met again on Tuesday.", ""),
        Example("The talks resumed on Monday in Geneva.\nBackground talks\nThe delegations met on Tuesday."),
        Example("The talks resumed on Monday in Geneva after a long pause.\n(With AFP)"),
        Example("The talks resumed on Monday in Geneva after a long pause.\nReuters"),
        Example("The talks resumed on Monday in Geneva after a long pause.\nBy John Smith"),
    ),
)

# News agencies and credit words: a short last line made of these is a credit, not debris.
AGENCIES = frozenset(
    [
        "afp",
        "ap",
        "reuters",
        "dpa",
        "efe",
        "ansa",
        "xinhua",
        "kyodo",
        "yonhap",
        "tass",
        "ria",
        "novosti",
        "interfax",
        "belga",
        "ats",
        "sda",
        "keystone-ats",
        "apa",
        "anp",
        "pap",
        "ctk",
        "mti",
        "bta",
        "hina",
        "tanjug",
        "lusa",
        "bernama",
        "antara",
        "pti",
        "ians",
        "upi",
        "bloomberg",
        "kcna",
        "wafa",
        "mena",
        "irna",
        "anadolu",
        "jiji",
        "pa",
        "agencies",
        "agences",
        "agenturen",
        "agencias",
        "associated",
        "press",
        "agence",
        "france-presse",
        "france-presse",
    ]
)
_CREDIT = re.compile(
    r"^(?:\(.*\)|\[.*\]|(?:by|par|von|por|with|avec|mit|con|photo|source|sources|quelle|fuente|"
    r"credit|crédit|translated|traduit|update|updated|mise à jour)\b.*|[-–—*•=_#~\s]+|\d.*)$",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _is_credit(line: str) -> bool:
    words = [w.lower() for w in _WORD.findall(line)]
    if not words:
        return True  # separators, numbers: not words left by translation
    return bool(_CREDIT.match(line.strip())) or all(w in AGENCIES for w in words)


def _words(doc: Document, block: Block | None) -> int:
    return len(_WORD.findall(doc.text[block.start : block.end])) if block else 0


def _is_paragraph(doc: Document, block: Block | None) -> bool:
    """Running text: four words or more, or a sentence's end."""
    if block is None or block.kind != "paragraph":
        return False
    return _words(doc, block) >= 4 or doc.text[block.end - 1] in ".!?:;"


def _heading_like(doc: Document, block: Block | None) -> bool:
    """A heading by markup, or a short line without a sentence's end."""
    if block is None:
        return False
    if block.kind == "heading":
        return True
    return block.kind == "paragraph" and _words(doc, block) <= 12 and doc.text[block.end - 1] not in ".!?:;,"


def verdict(doc: Document, i: int) -> Severity | None:
    """Whether block ``i`` (one or two words, no sentence punctuation) is stray, and how sure.

    A short line before running text is a heading, unless a heading already stands right
    before it ("Wages lag behind" / "Peso" / paragraph: the second is debris); a single word
    between two paragraphs may be a one-word heading, so it is only a minor finding.
    """
    blocks = doc.blocks
    block = blocks[i]
    prev = blocks[i - 1] if i else None
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    words = _words(doc, block)
    if nxt is None:
        return Severity.MAJOR  # a trailing fragment
    if _is_paragraph(doc, nxt):
        if _heading_like(doc, prev) and _words(doc, prev) > words:
            return Severity.MAJOR
        if words == 1 and _is_paragraph(doc, prev):
            return Severity.MINOR
        return None
    if _heading_like(doc, nxt) and _words(doc, nxt) > words:
        return Severity.MAJOR  # debris before a heading
    return None


def _whole_line(doc: Document, block: Block) -> tuple[int, int]:
    """The block with one line break, so that deleting it leaves no empty line: the break
    after it, or for the last line of the text the break before it. Only in plain text,
    where that break is the file's own (in markup it is the markup's)."""
    if doc.format is not Format.TEXT:
        return block.start, block.end
    text = doc.text
    after = re.compile(r"[ \t]*(?:\r\n?|\n)").match(text, block.end)
    if after:
        return block.start, after.end()
    start = block.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start > 0 and text[start - 1] in "\r\n":
        start -= 2 if start > 1 and text[start - 2 : start] == "\r\n" else 1
        return start, block.end
    return block.start, block.end


class _Exempt:
    """The plain spans laid out by the author's own markup (block quotes, HTML blocks in
    Markdown): a block inside one is never stray. Looked up by bisection, in linear time overall."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        self.starts = [s for s, _ in merged]
        self.spans = merged

    def __contains__(self, block: Block) -> bool:
        i = bisect.bisect_right(self.starts, block.start) - 1
        return i >= 0 and block.end <= self.spans[i][1]


def run(doc: Document, ctx: Context) -> Iterator[Finding]:
    blocks = doc.blocks
    if len(blocks) < 2:
        return  # a one-line text is a title or a snippet, never debris of an article
    exempt = _Exempt(doc.plain.exempt)
    for i, block in enumerate(blocks):
        line = doc.text[block.start : block.end]
        if block.kind != "paragraph" or "\n" in line or _words(doc, block) > 2 or line.rstrip()[-1:] in ".!?:;,":
            continue
        if block in exempt:
            continue
        if _is_credit(line):
            continue
        severity = verdict(doc, i)
        if severity is None:
            continue
        yield STRAY_LINE.finding(
            block.start,
            block.end,
            f"Stray line “{line}”: neither a heading nor a credit",
            suggestions=[""],
            applicability=Applicability.UNSAFE,
            severity=severity,
            fix_span=_whole_line(doc, block),
        )


CHECK = Check("layout", (STRAY_LINE,), run)
