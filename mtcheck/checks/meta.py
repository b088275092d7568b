"""Findings about mtcheck's own markup: suppression comments that suppress nothing (MT001)."""

from __future__ import annotations

from mtcheck.checks.base import Check
from mtcheck.model import Example, Rule, Severity

UNUSED_SUPPRESSION = Rule(
    code="MT001",
    slug="unused-suppression",
    family="meta",
    summary="Suppression comment that suppresses nothing",
    severity=Severity.MINOR,
    category="Other",
    explanation="An <!-- mtcheck-ignore CODES --> or mtcheck-disable comment in HTML or "
    "Markdown that matched no finding: the problem was fixed, or the code is wrong. Delete it.",
    examples=(
        Example("{{<!-- mtcheck-ignore MT701 -->}}\nThe treaty was signed.", "", lang="en", fmt="markdown"),
        Example("<!-- mtcheck-ignore MT701 -->\nThey signed the the treaty.", lang="en", fmt="markdown"),
    ),
)

# The engine produces MT001 itself (it needs every other finding); this entry makes the rule
# visible to `mtcheck rules`, selection and the examples test.
CHECK = Check("meta", (UNUSED_SUPPRESSION,), lambda doc, ctx: ())
