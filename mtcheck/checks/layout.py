"""Layout: stray lines (MT301), the one- or two-word leftovers that MT appends to an article.

A short line is a heading when a paragraph follows it, and a credit when it names a news agency
or sits in parentheses ("(With AFP)"); anything else of one or two words on its own is stray.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtcheck.checks.base import Check, Context
from mtcheck.document import Block, Document
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


def _is_heading(block: Block, nxt: Block | None, doc: Document) -> bool:
    if block.kind != "paragraph":
        return True
    return nxt is not None and len(_WORD.findall(doc.text[nxt.start : nxt.end])) >= 4


def run(doc: Document, ctx: Context) -> Iterator[Finding]:
    blocks = doc.blocks
    if len(blocks) < 2:
        return  # a one-line text is a title or a snippet, never debris of an article
    for i, block in enumerate(blocks):
        line = doc.text[block.start : block.end]
        if "\n" in line or len(_WORD.findall(line)) > 2 or line.rstrip()[-1:] in ".!?:;,":
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if _is_heading(block, nxt, doc) or _is_credit(line):
            continue
        yield STRAY_LINE.finding(
            block.start,
            block.end,
            f"Stray line “{line}”: neither a heading nor a credit",
            suggestions=[""],
            applicability=Applicability.UNSAFE,
        )


CHECK = Check("layout", (STRAY_LINE,), run)
