"""House style: the preferred spellings a newsroom declares in its configuration (MT504).

[tool.mtcheck.house-style]
names = ["Kyiv", "Volodymyr Zelensky"]      # accepted, and capitalised when written lowercase
prefer = { Kiev = "Kyiv", "Zelenskiy" = "Zelensky" }
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Example, Finding, Rule, Severity

HOUSE_SPELLING = Rule(
    code="MT504",
    slug="house-style-spelling",
    family="lexicon",
    summary="Spelling that the house style replaces",
    severity=Severity.MINOR,
    category="Terminology/Inconsistent",
    explanation="A spelling listed under house-style.prefer in the configuration; the fix "
    "writes the preferred one. Without a house style this rule finds nothing.",
    examples=(
        Example("Officials in {{Kiev}} denied it.", "Kyiv"),
        Example("Officials in Kyiv denied it."),
    ),
)

# The examples test runs with this house style.
EXAMPLE_PREFER = (("Kiev", "Kyiv"),)


def run(doc: Document, ctx: Context) -> Iterator[Finding]:
    if not ctx.config.prefer:
        return
    text = doc.text
    for bad, good in ctx.config.prefer:
        for m in re.finditer(rf"(?<![\w-]){re.escape(bad)}(?![\w-])", text):
            yield HOUSE_SPELLING.finding(m.start(), m.end(), f"House style writes “{good}”", suggestions=[good])


CHECK = Check("house", (HOUSE_SPELLING,), run)
